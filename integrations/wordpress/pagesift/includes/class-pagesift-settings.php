<?php
/**
 * The plugin's settings: pagesift's address and admin token, and what the plugin answers.
 *
 * @package pagesift
 */

defined( 'ABSPATH' ) || exit;

/**
 * Reads and writes the one option the settings live in. The address and the token may also
 * be fixed in wp-config.php (PAGESIFT_URL, PAGESIFT_TOKEN), which then wins and keeps the
 * token out of the database.
 */
class Pagesift_Settings {

	const OPTION = 'pagesift_settings';

	/**
	 * Every setting with its default.
	 *
	 * @return array<string, mixed>
	 */
	public static function defaults() {
		return array(
			'url'         => '',
			'token'       => '',
			// Answer the theme's ?s= search page with pagesift's ranking.
			'search'      => true,
			// The public address readers' browsers call for live results, when it differs from url
			// (pagesift reached by WordPress on a private address, by readers on a public one).
			'public_url'  => '',
			'live_size'   => 6,
		);
	}

	/**
	 * All settings, the stored ones over the defaults, wp-config constants over both.
	 *
	 * @return array<string, mixed>
	 */
	public static function all() {
		$stored   = get_option( self::OPTION, array() );
		$settings = array_merge( self::defaults(), is_array( $stored ) ? $stored : array() );
		if ( defined( 'PAGESIFT_URL' ) ) {
			$settings['url'] = (string) PAGESIFT_URL;
		}
		if ( defined( 'PAGESIFT_TOKEN' ) ) {
			$settings['token'] = (string) PAGESIFT_TOKEN;
		}
		return $settings;
	}

	/**
	 * One setting.
	 *
	 * @param string $name The setting's name.
	 * @return mixed
	 */
	public static function get( $name ) {
		$settings = self::all();
		return isset( $settings[ $name ] ) ? $settings[ $name ] : null;
	}

	/**
	 * Pagesift's base address without a trailing slash, '' when not configured.
	 *
	 * @return string
	 */
	public static function url() {
		return untrailingslashit( (string) self::get( 'url' ) );
	}

	/**
	 * The address readers' browsers call for live results.
	 *
	 * @return string
	 */
	public static function public_url() {
		$public = untrailingslashit( (string) self::get( 'public_url' ) );
		return '' !== $public ? $public : self::url();
	}

	/**
	 * Whether the plugin has what it needs to talk to pagesift.
	 *
	 * @return bool
	 */
	public static function configured() {
		return '' !== self::url() && '' !== (string) self::get( 'token' );
	}

	/**
	 * The token as the settings page shows it: its last four characters, never the whole.
	 *
	 * @return string
	 */
	public static function masked_token() {
		$token = (string) self::get( 'token' );
		if ( '' === $token ) {
			return '';
		}
		return str_repeat( '•', 8 ) . substr( $token, -4 );
	}

	/**
	 * Sanitizes the settings form. An empty token field keeps the stored token: the page never
	 * shows it, so a save must not erase it.
	 *
	 * @param mixed $input The submitted values.
	 * @return array<string, mixed>
	 */
	public static function sanitize( $input ) {
		$input   = is_array( $input ) ? $input : array();
		$current = get_option( self::OPTION, array() );
		$current = is_array( $current ) ? $current : array();
		$clean   = self::defaults();

		$clean['url']        = isset( $input['url'] ) ? esc_url_raw( trim( (string) $input['url'] ), array( 'http', 'https' ) ) : '';
		$clean['public_url'] = isset( $input['public_url'] ) ? esc_url_raw( trim( (string) $input['public_url'] ), array( 'http', 'https' ) ) : '';
		$token               = isset( $input['token'] ) ? trim( (string) $input['token'] ) : '';
		$clean['token']      = '' !== $token ? sanitize_text_field( $token ) : ( isset( $current['token'] ) ? (string) $current['token'] : '' );
		$clean['search']     = ! empty( $input['search'] );
		$clean['live_size']  = isset( $input['live_size'] ) ? max( 1, min( 20, absint( $input['live_size'] ) ) ) : 6;
		return $clean;
	}
}
