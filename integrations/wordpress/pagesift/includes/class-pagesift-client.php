<?php
/**
 * Pagesift's HTTP API as the plugin uses it: page events, searches, a connection check.
 *
 * @package pagesift
 */

defined( 'ABSPATH' ) || exit;

/**
 * Short calls to pagesift. None of them waits long: an editor's save or a reader's search never
 * hangs on a pagesift that is down; what could not be sent stays queued (Pagesift_Queue).
 */
class Pagesift_Client {

	// Seconds for a batch of page events: pagesift only stages them and queues a job.
	const EVENTS_TIMEOUT = 5;
	// Seconds for a reader's search; past it WordPress's own search answers.
	const SEARCH_TIMEOUT = 2;
	// Seconds a failed search keeps the next ones from trying pagesift (WordPress answers them).
	const SEARCH_PAUSE = 30;

	/**
	 * Sends page events (upserts with their page, unpublishes) as one job.
	 *
	 * @param array<int, array<string, mixed>> $events  The events.
	 * @param int                              $timeout Seconds.
	 * @return array{ok: bool, status: int, body: mixed, error: string}
	 */
	public static function send_events( array $events, $timeout = self::EVENTS_TIMEOUT ) {
		return self::request(
			'POST',
			'/api/admin/pages',
			array(
				'timeout' => $timeout,
				'headers' => array( 'Content-Type' => 'application/json' ),
				'body'    => wp_json_encode( array( 'events' => array_values( $events ) ) ),
			),
			true
		);
	}

	/**
	 * One job's state, for the full sync's progress.
	 *
	 * @param string $job_id The job's id.
	 * @return array{ok: bool, status: int, body: mixed, error: string}
	 */
	public static function job( $job_id ) {
		return self::request( 'GET', '/api/admin/jobs/' . rawurlencode( $job_id ), array( 'timeout' => 5 ), true );
	}

	/**
	 * Whether pagesift answers at the configured address and takes the token.
	 *
	 * @return array{ok: bool, message: string}
	 */
	public static function check() {
		if ( '' === Pagesift_Settings::url() ) {
			return array(
				'ok'      => false,
				'message' => __( 'Enter pagesift\'s address first.', 'pagesift' ),
			);
		}
		$answer = self::request( 'GET', '/api/admin/jobs', array( 'timeout' => 5 ), true );
		if ( '' !== $answer['error'] ) {
			/* translators: %s: the error, e.g. "Connection refused". */
			$message = sprintf( __( 'pagesift did not answer: %s', 'pagesift' ), $answer['error'] );
		} elseif ( 401 === $answer['status'] ) {
			$message = __( 'pagesift answered, but refused the admin token.', 'pagesift' );
		} elseif ( 200 !== $answer['status'] ) {
			/* translators: %d: an HTTP status code. */
			$message = sprintf( __( 'pagesift answered with HTTP %d.', 'pagesift' ), $answer['status'] );
		} else {
			return array(
				'ok'      => true,
				'message' => __( 'Connected: pagesift answered and took the token.', 'pagesift' ),
			);
		}
		return array(
			'ok'      => false,
			'message' => $message,
		);
	}

	/**
	 * A reader search, or null when pagesift cannot answer now (WordPress's search then does).
	 *
	 * @param array<string, mixed> $params Search parameters; list values repeat their name.
	 * @return array<string, mixed>|null
	 */
	public static function search( array $params ) {
		if ( get_transient( 'pagesift_search_paused' ) ) {
			return null;
		}
		$answer = self::request(
			'GET',
			'/api/search?' . self::query_string( $params ),
			array(
				'timeout' => self::SEARCH_TIMEOUT,
				'headers' => array( 'Accept' => 'application/json' ),
			),
			false
		);
		if ( 200 === $answer['status'] && is_array( $answer['body'] ) && isset( $answer['body']['hits'] ) ) {
			return $answer['body'];
		}
		// 400 is a query pagesift refuses (too long...): WordPress's search may still answer it,
		// and pagesift is not down. Anything else pauses the searches for a while.
		if ( 400 !== $answer['status'] ) {
			set_transient( 'pagesift_search_paused', 1, self::SEARCH_PAUSE );
		}
		return null;
	}

	/**
	 * A query string whose list values repeat their name (in=title&in=content), as pagesift's
	 * API reads them.
	 *
	 * @param array<string, mixed> $params The parameters.
	 * @return string
	 */
	public static function query_string( array $params ) {
		$parts = array();
		foreach ( $params as $name => $value ) {
			foreach ( (array) $value as $one ) {
				if ( null === $one || '' === $one || false === $one ) {
					continue;
				}
				$parts[] = rawurlencode( (string) $name ) . '=' . rawurlencode( true === $one ? '1' : (string) $one );
			}
		}
		return implode( '&', $parts );
	}

	/**
	 * One call to pagesift.
	 *
	 * @param string               $method    HTTP method.
	 * @param string               $path      Path and query under pagesift's address.
	 * @param array<string, mixed> $args      Arguments for wp_remote_request.
	 * @param bool                 $with_token Whether to send the admin token.
	 * @return array{ok: bool, status: int, body: mixed, error: string}
	 */
	private static function request( $method, $path, array $args, $with_token ) {
		$base = Pagesift_Settings::url();
		if ( '' === $base ) {
			return array(
				'ok'     => false,
				'status' => 0,
				'body'   => null,
				'error'  => 'not configured',
			);
		}
		$args['method']      = $method;
		$args['redirection'] = 0;
		$args['user-agent']  = 'pagesift-wordpress/' . PAGESIFT_PLUGIN_VERSION . '; ' . home_url( '/' );
		if ( $with_token ) {
			$args['headers']                  = isset( $args['headers'] ) ? $args['headers'] : array();
			$args['headers']['Authorization'] = 'Bearer ' . Pagesift_Settings::get( 'token' );
		}
		$response = wp_remote_request( $base . $path, $args );
		if ( is_wp_error( $response ) ) {
			return array(
				'ok'     => false,
				'status' => 0,
				'body'   => null,
				'error'  => $response->get_error_message(),
			);
		}
		$status = (int) wp_remote_retrieve_response_code( $response );
		return array(
			'ok'     => $status >= 200 && $status < 300,
			'status' => $status,
			'body'   => json_decode( wp_remote_retrieve_body( $response ), true ),
			'error'  => '',
		);
	}
}
