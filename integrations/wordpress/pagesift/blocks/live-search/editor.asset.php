<?php
/**
 * The editor script's dependencies, written by hand (there is no build step).
 *
 * @package pagesift
 */

return array(
	'dependencies' => array( 'wp-blocks', 'wp-element', 'wp-block-editor', 'wp-components', 'wp-i18n', 'wp-server-side-render' ),
	'version'      => '0.1.0',
);
