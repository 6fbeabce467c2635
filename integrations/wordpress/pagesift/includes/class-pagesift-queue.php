<?php
/**
 * Changes waiting for pagesift: an option-backed queue, drained at once and again by WP-Cron.
 *
 * @package pagesift
 */

defined( 'ABSPATH' ) || exit;

/**
 * One option row per address (pagesift_q_<md5 of the URL>), holding the latest change of that
 * address: a post to push, or an address to unpublish. A row per address keeps concurrent saves
 * of different posts from overwriting each other's entries, and a later change of the same post
 * simply replaces the earlier one. The page itself is built when the row is sent, so what
 * pagesift gets is the post as it is then, terms and all.
 *
 * A save only adds rows. The queue is sent at the end of the request (after the response has
 * gone out where PHP-FPM allows), by WP-Cron every minute, and at the end of any later request
 * while rows wait (one batch there: a reader's page view does not carry a backlog); a row is
 * deleted only once pagesift has taken it, and only if no newer change replaced it meanwhile. When pagesift does not answer, sending pauses (10 s, doubling to 5 min)
 * so that requests do not each wait on it; WP-Cron keeps trying through the pause.
 */
class Pagesift_Queue {

	const PREFIX     = 'pagesift_q_';
	const CRON_HOOK  = 'pagesift_drain';
	const LOCK       = 'pagesift_drain_lock';
	const STATE      = 'pagesift_queue_state';
	// Autoloaded, like STATE: a page view learns that nothing waits without a query.
	const WAITING    = 'pagesift_queue_waiting';
	const BATCH      = 50;
	const BATCH_BYTES = 4000000;
	// Rows one drain sends at most; the rest wait for the next.
	const PER_DRAIN = 500;
	const LOCK_SECONDS = 60;

	/**
	 * Whether this request added rows, so that its end sends them.
	 *
	 * @var bool
	 */
	private static $added = false;

	/**
	 * Hooks: the cron schedule, the drain at the end of requests.
	 */
	public static function register() {
		add_filter( 'cron_schedules', array( __CLASS__, 'cron_schedules' ) ); // phpcs:ignore WordPress.WP.CronInterval.ChangeDetected
		add_action( self::CRON_HOOK, array( __CLASS__, 'drain_from_cron' ) );
		add_action( 'shutdown', array( __CLASS__, 'drain_at_shutdown' ), 100 );
		add_action( 'init', array( __CLASS__, 'schedule' ) );
	}

	/**
	 * A one-minute WP-Cron interval.
	 *
	 * @param array<string, array<string, mixed>> $schedules The schedules.
	 * @return array<string, array<string, mixed>>
	 */
	public static function cron_schedules( $schedules ) {
		$schedules['pagesift_minute'] = array(
			'interval' => MINUTE_IN_SECONDS,
			'display'  => __( 'Every minute (pagesift queue)', 'pagesift' ),
		);
		return $schedules;
	}

	/**
	 * The recurring drain, scheduled once.
	 */
	public static function schedule() {
		if ( ! wp_next_scheduled( self::CRON_HOOK ) ) {
			wp_schedule_event( time() + MINUTE_IN_SECONDS, 'pagesift_minute', self::CRON_HOOK );
		}
	}

	/**
	 * Removes the recurring drain (deactivation).
	 */
	public static function unschedule() {
		wp_clear_scheduled_hook( self::CRON_HOOK );
	}

	/**
	 * Queues a post to push: its latest state is sent, whatever it is by then.
	 *
	 * @param string $url     The address it is indexed under.
	 * @param int    $post_id The post.
	 */
	public static function push( $url, $post_id ) {
		self::put( $url, (int) $post_id, 'upsert' );
	}

	/**
	 * Queues an address to take out of search.
	 *
	 * @param string $url The address.
	 */
	public static function unpublish( $url ) {
		self::put( $url, 0, 'unpublish' );
	}

	/**
	 * One row, replacing the address's earlier one.
	 *
	 * @param string $url     The address.
	 * @param int    $post_id The post (0 for an unpublish).
	 * @param string $action  upsert or unpublish.
	 */
	private static function put( $url, $post_id, $action ) {
		if ( '' === (string) $url ) {
			return;
		}
		$entry = array(
			'url'     => (string) $url,
			'post_id' => $post_id,
			'action'  => $action,
			'at'      => microtime( true ),
		);
		$name  = self::PREFIX . md5( (string) $url );
		// Not autoloaded: the queue is read with one query when it is sent, never on every page.
		if ( ! add_option( $name, $entry, '', 'no' ) ) {
			update_option( $name, $entry, false );
		}
		update_option( self::WAITING, 1, true );
		self::$added = true;
	}

	/**
	 * The waiting rows, oldest first.
	 *
	 * @param int $limit At most this many.
	 * @return array<int, array{name: string, raw: string, entry: array<string, mixed>}>
	 */
	public static function waiting( $limit = self::PER_DRAIN ) {
		global $wpdb;
		// phpcs:ignore WordPress.DB.DirectDatabaseQuery.DirectQuery, WordPress.DB.DirectDatabaseQuery.NoCaching -- the queue is read fresh, never from a cache.
		$rows    = $wpdb->get_results(
			$wpdb->prepare(
				"SELECT option_name, option_value FROM {$wpdb->options} WHERE option_name LIKE %s ORDER BY option_id LIMIT %d",
				$wpdb->esc_like( self::PREFIX ) . '%',
				$limit
			),
			ARRAY_A
		);
		$waiting = array();
		foreach ( (array) $rows as $row ) {
			$entry = maybe_unserialize( $row['option_value'] );
			if ( is_array( $entry ) && isset( $entry['url'], $entry['action'] ) ) {
				$waiting[] = array(
					'name'  => $row['option_name'],
					'raw'   => $row['option_value'],
					'entry' => $entry,
				);
			}
		}
		return $waiting;
	}

	/**
	 * How many rows wait.
	 *
	 * @return int
	 */
	public static function length() {
		global $wpdb;
		// phpcs:ignore WordPress.DB.DirectDatabaseQuery.DirectQuery, WordPress.DB.DirectDatabaseQuery.NoCaching
		return (int) $wpdb->get_var(
			$wpdb->prepare( "SELECT COUNT(*) FROM {$wpdb->options} WHERE option_name LIKE %s", $wpdb->esc_like( self::PREFIX ) . '%' )
		);
	}

	/**
	 * The end of a request: send what waits, unless pagesift is known to be down for now.
	 */
	public static function drain_at_shutdown() {
		if ( ! get_option( self::WAITING ) || ! self::due() ) {
			return;
		}
		// Under PHP-FPM the reader or editor gets the response now, before any call to pagesift.
		if ( function_exists( 'fastcgi_finish_request' ) && ! ( defined( 'WP_CLI' ) && WP_CLI ) ) {
			fastcgi_finish_request();
		}
		self::drain( self::$added ? self::PER_DRAIN : self::BATCH );
	}

	/**
	 * WP-Cron's drain: tries even while sending is paused, which is how a pause ends.
	 */
	public static function drain_from_cron() {
		self::drain();
	}

	/**
	 * Whether sending is not paused.
	 *
	 * @return bool
	 */
	public static function due() {
		$state = self::state();
		return microtime( true ) >= (float) $state['paused_until'];
	}

	/**
	 * The drain's record: failures in a row, the pause, the last error and the last job.
	 *
	 * @return array<string, mixed>
	 */
	public static function state() {
		$state = get_option( self::STATE, array() );
		return array_merge(
			array(
				'failures'     => 0,
				'paused_until' => 0,
				'last_error'   => '',
				'last_job'     => '',
				'last_sent'    => 0,
			),
			is_array( $state ) ? $state : array()
		);
	}

	/**
	 * Sends waiting rows in batches until none wait, pagesift fails, or $limit were sent.
	 *
	 * @param int $limit Rows this drain sends at most.
	 * @return int How many rows pagesift took.
	 */
	public static function drain( $limit = self::PER_DRAIN ) {
		if ( ! Pagesift_Settings::configured() || ! self::lock() ) {
			return 0;
		}
		$sent = 0;
		try {
			$waiting = self::waiting( $limit );
			while ( $waiting ) {
				$batch = self::take_batch( $waiting );
				if ( ! self::send( $batch ) ) {
					break;
				}
				$sent += count( $batch );
			}
			if ( ! $waiting && 0 === self::length() ) {
				update_option( self::WAITING, 0, true );
			}
		} finally {
			self::unlock();
		}
		return $sent;
	}

	/**
	 * The next batch off the front of $waiting, within BATCH rows and BATCH_BYTES.
	 *
	 * @param array<int, array<string, mixed>> $waiting Rows, consumed from the front.
	 * @return array<int, array<string, mixed>> Rows with their 'event'.
	 */
	private static function take_batch( array &$waiting ) {
		$batch = array();
		$bytes = 0;
		while ( $waiting && count( $batch ) < self::BATCH ) {
			$row          = $waiting[0];
			$row['event'] = self::event( $row['entry'] );
			$size         = strlen( (string) wp_json_encode( $row['event'] ) );
			if ( $batch && $bytes + $size > self::BATCH_BYTES ) {
				break;
			}
			array_shift( $waiting );
			$batch[] = $row;
			$bytes  += $size;
		}
		return $batch;
	}

	/**
	 * The event a row stands for, from the post as it is now.
	 *
	 * @param array<string, mixed> $entry The row.
	 * @return array<string, mixed>
	 */
	private static function event( array $entry ) {
		if ( 'upsert' === $entry['action'] ) {
			$post = get_post( (int) $entry['post_id'] );
			if ( Pagesift_Document::indexable( $post ) && Pagesift_Document::url( $post ) === $entry['url'] ) {
				return Pagesift_Document::upsert( $post );
			}
		}
		// Deleted, unpublished, or moved to another address since it was queued.
		return Pagesift_Document::unpublish( (string) $entry['url'] );
	}

	/**
	 * Sends one batch; on success deletes its rows (those not replaced meanwhile).
	 *
	 * @param array<int, array<string, mixed>> $batch Rows with their 'event'.
	 * @return bool Whether pagesift took it; false stops the drain.
	 */
	private static function send( array $batch ) {
		$answer = Pagesift_Client::send_events( wp_list_pluck( $batch, 'event' ) );
		$state  = self::state();
		if ( $answer['ok'] ) {
			foreach ( $batch as $row ) {
				self::delete_row( $row['name'], $row['raw'] );
			}
			$state['failures']     = 0;
			$state['paused_until'] = 0;
			$state['last_error']   = '';
			$state['last_sent']    = time();
			$state['last_job']     = isset( $answer['body']['job']['id'] ) ? (string) $answer['body']['job']['id'] : '';
			update_option( self::STATE, $state, true );
			return true;
		}
		if ( 400 === $answer['status'] && count( $batch ) > 1 ) {
			// One bad event refuses the batch: send them one by one so only that one is set aside.
			foreach ( $batch as $row ) {
				self::send( array( $row ) );
			}
			return true;
		}
		if ( 400 === $answer['status'] ) {
			$message = is_array( $answer['body'] ) && isset( $answer['body']['message'] ) ? (string) $answer['body']['message'] : 'refused';
			self::set_aside( $batch[0], $message );
			return true;
		}
		$state['failures']     = (int) $state['failures'] + 1;
		$state['paused_until'] = microtime( true ) + min( 300, 10 * pow( 2, $state['failures'] - 1 ) );
		$state['last_error']   = '' !== $answer['error'] ? $answer['error'] : 'HTTP ' . $answer['status'];
		update_option( self::STATE, $state, true );
		return false;
	}

	/**
	 * A row pagesift refuses as invalid leaves the queue (it would be refused forever) and is
	 * kept, with the reason, for the settings page to show.
	 *
	 * @param array<string, mixed> $row     The row.
	 * @param string               $message pagesift's reason.
	 */
	private static function set_aside( array $row, $message ) {
		$refused   = get_option( 'pagesift_refused', array() );
		$refused   = is_array( $refused ) ? $refused : array();
		$refused[] = array(
			'url'    => $row['entry']['url'],
			'reason' => $message,
			'at'     => time(),
		);
		update_option( 'pagesift_refused', array_slice( $refused, -50 ), false );
		self::delete_row( $row['name'], $row['raw'] );
	}

	/**
	 * Deletes a row if it still holds what was sent: a change queued meanwhile stays.
	 *
	 * @param string $name The option's name.
	 * @param string $raw  Its value as read.
	 */
	private static function delete_row( $name, $raw ) {
		global $wpdb;
		// phpcs:ignore WordPress.DB.DirectDatabaseQuery.DirectQuery, WordPress.DB.DirectDatabaseQuery.NoCaching
		$wpdb->delete(
			$wpdb->options,
			array(
				'option_name'  => $name,
				'option_value' => $raw,
			)
		);
		wp_cache_delete( $name, 'options' );
	}

	/**
	 * Takes the drain lock: one drain at a time, a stale lock (a request that died) taken over.
	 *
	 * @return bool
	 */
	private static function lock() {
		$now = time();
		if ( add_option( self::LOCK, $now, '', 'no' ) ) {
			return true;
		}
		global $wpdb;
		// phpcs:ignore WordPress.DB.DirectDatabaseQuery.DirectQuery, WordPress.DB.DirectDatabaseQuery.NoCaching -- compare-and-set on the stale lock.
		$taken = $wpdb->query(
			$wpdb->prepare(
				"UPDATE {$wpdb->options} SET option_value = %s WHERE option_name = %s AND option_value < %d",
				(string) $now,
				self::LOCK,
				$now - self::LOCK_SECONDS
			)
		);
		wp_cache_delete( self::LOCK, 'options' );
		return 1 === $taken;
	}

	/**
	 * Releases the drain lock.
	 */
	private static function unlock() {
		delete_option( self::LOCK );
	}
}
