<?php
/**
 * Plugin Name:       pagesift
 * Plugin URI:        https://github.com/pagesift/pagesift
 * Description:       Keeps a pagesift search index live as posts are published, edited and removed, answers the site's own search with pagesift's ranking, and adds a live search block and shortcode.
 * Version:           0.1.0
 * Requires at least: 6.1
 * Requires PHP:      7.4
 * Author:            The pagesift authors
 * License:           GPL-2.0-or-later
 * License URI:       https://www.gnu.org/licenses/gpl-2.0.html
 * Text Domain:       pagesift
 *
 * @package pagesift
 */

/*
 * This program is free software; you can redistribute it and/or modify it under the terms of
 * the GNU General Public License as published by the Free Software Foundation; either version 2
 * of the License, or (at your option) any later version.
 *
 * This program is distributed in the hope that it will be useful, but WITHOUT ANY WARRANTY;
 * without even the implied warranty of MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE. See
 * the GNU General Public License for more details.
 */

defined( 'ABSPATH' ) || exit;

define( 'PAGESIFT_PLUGIN_VERSION', '0.1.0' );
define( 'PAGESIFT_PLUGIN_FILE', __FILE__ );
define( 'PAGESIFT_PLUGIN_DIR', __DIR__ );

require_once __DIR__ . '/includes/class-pagesift-settings.php';
require_once __DIR__ . '/includes/class-pagesift-client.php';
require_once __DIR__ . '/includes/class-pagesift-document.php';
require_once __DIR__ . '/includes/class-pagesift-queue.php';
require_once __DIR__ . '/includes/class-pagesift-sync.php';
require_once __DIR__ . '/includes/class-pagesift-search.php';
require_once __DIR__ . '/includes/class-pagesift-live-search.php';
require_once __DIR__ . '/includes/class-pagesift-admin.php';
require_once __DIR__ . '/includes/template-tags.php';

Pagesift_Sync::register();
Pagesift_Queue::register();
Pagesift_Search::register();
Pagesift_Live_Search::register();
Pagesift_Admin::register();

register_activation_hook( __FILE__, array( 'Pagesift_Queue', 'schedule' ) );
register_deactivation_hook( __FILE__, array( 'Pagesift_Queue', 'unschedule' ) );
