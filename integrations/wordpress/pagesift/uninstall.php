<?php
/**
 * Uninstall: the plugin's options, queue rows and post meta go; pagesift's index is left as it
 * is (remove the site's pages there if they should go too).
 *
 * @package pagesift
 */

defined( 'WP_UNINSTALL_PLUGIN' ) || exit;

global $wpdb;
foreach ( array( 'pagesift_settings', 'pagesift_queue_state', 'pagesift_queue_waiting', 'pagesift_drain_lock', 'pagesift_refused' ) as $pagesift_option ) {
	delete_option( $pagesift_option );
}
// phpcs:ignore WordPress.DB.DirectDatabaseQuery.DirectQuery, WordPress.DB.DirectDatabaseQuery.NoCaching
$wpdb->query( $wpdb->prepare( "DELETE FROM {$wpdb->options} WHERE option_name LIKE %s", $wpdb->esc_like( 'pagesift_q_' ) . '%' ) );
delete_post_meta_by_key( '_pagesift_url' );
wp_clear_scheduled_hook( 'pagesift_drain' );
