<?php
/**
 * The settings page: address and token, a connection test, the first full sync with progress.
 *
 * @package pagesift
 */

defined( 'ABSPATH' ) || exit;

/**
 * Settings → pagesift. Only for users who can manage options; every AJAX call checks the
 * capability and a nonce.
 */
class Pagesift_Admin {

	const PAGE  = 'pagesift';
	const NONCE = 'pagesift_admin';

	/**
	 * Hooks.
	 */
	public static function register() {
		add_action( 'admin_menu', array( __CLASS__, 'menu' ) );
		add_action( 'admin_init', array( __CLASS__, 'settings' ) );
		add_action( 'admin_enqueue_scripts', array( __CLASS__, 'scripts' ) );
		add_action( 'wp_ajax_pagesift_check', array( __CLASS__, 'ajax_check' ) );
		add_action( 'wp_ajax_pagesift_sync', array( __CLASS__, 'ajax_sync' ) );
		add_action( 'wp_ajax_pagesift_job', array( __CLASS__, 'ajax_job' ) );
	}

	/**
	 * The page under Settings.
	 */
	public static function menu() {
		add_options_page( __( 'pagesift', 'pagesift' ), __( 'pagesift', 'pagesift' ), 'manage_options', self::PAGE, array( __CLASS__, 'render' ) );
	}

	/**
	 * The one option, sanitized.
	 */
	public static function settings() {
		register_setting(
			self::PAGE,
			Pagesift_Settings::OPTION,
			array(
				'type'              => 'array',
				'sanitize_callback' => array( 'Pagesift_Settings', 'sanitize' ),
				'default'           => Pagesift_Settings::defaults(),
			)
		);
	}

	/**
	 * The page's script, on the page only.
	 *
	 * @param string $hook The admin page's hook.
	 */
	public static function scripts( $hook ) {
		if ( 'settings_page_' . self::PAGE !== $hook ) {
			return;
		}
		wp_enqueue_script( 'pagesift-admin', plugins_url( 'assets/admin.js', PAGESIFT_PLUGIN_FILE ), array(), PAGESIFT_PLUGIN_VERSION, true );
		wp_localize_script(
			'pagesift-admin',
			'pagesiftAdmin',
			array(
				'ajaxUrl' => admin_url( 'admin-ajax.php' ),
				'nonce'   => wp_create_nonce( self::NONCE ),
				'text'    => array(
					'checking' => __( 'Checking…', 'pagesift' ),
					/* translators: 1: posts sent, 2: all posts. */
					'progress' => __( '%1$s of %2$s posts sent', 'pagesift' ),
					'done'     => __( 'Every published post was sent; pagesift is indexing them.', 'pagesift' ),
					'failed'   => __( 'The sync stopped: ', 'pagesift' ),
				),
			)
		);
	}

	/**
	 * Settings → pagesift.
	 */
	public static function render() {
		if ( ! current_user_can( 'manage_options' ) ) {
			return;
		}
		$settings = Pagesift_Settings::all();
		$state    = Pagesift_Queue::state();
		$name     = Pagesift_Settings::OPTION;
		$locked   = defined( 'PAGESIFT_URL' ) || defined( 'PAGESIFT_TOKEN' );
		?>
		<div class="wrap">
			<h1><?php esc_html_e( 'pagesift', 'pagesift' ); ?></h1>
			<form method="post" action="options.php">
				<?php settings_fields( self::PAGE ); ?>
				<table class="form-table" role="presentation">
					<tr>
						<th scope="row"><label for="pagesift-url"><?php esc_html_e( 'pagesift address', 'pagesift' ); ?></label></th>
						<td><input type="url" class="regular-text code" id="pagesift-url" name="<?php echo esc_attr( $name ); ?>[url]" value="<?php echo esc_attr( $settings['url'] ); ?>" placeholder="https://search.example.org" <?php disabled( defined( 'PAGESIFT_URL' ) ); ?>>
						<p class="description"><?php esc_html_e( 'Where WordPress reaches pagesift (its web app, which serves /api/…).', 'pagesift' ); ?></p></td>
					</tr>
					<tr>
						<th scope="row"><label for="pagesift-token"><?php esc_html_e( 'Admin API token', 'pagesift' ); ?></label></th>
						<td><input type="password" class="regular-text code" id="pagesift-token" name="<?php echo esc_attr( $name ); ?>[token]" value="" autocomplete="new-password" placeholder="<?php echo esc_attr( Pagesift_Settings::masked_token() ); ?>" <?php disabled( defined( 'PAGESIFT_TOKEN' ) ); ?>>
						<p class="description"><?php esc_html_e( 'From `pagesift admin new-token`. Never shown again once saved: leave the field empty to keep the saved one.', 'pagesift' ); ?></p></td>
					</tr>
					<tr>
						<th scope="row"><label for="pagesift-public-url"><?php esc_html_e( 'Address for readers', 'pagesift' ); ?></label></th>
						<td><input type="url" class="regular-text code" id="pagesift-public-url" name="<?php echo esc_attr( $name ); ?>[public_url]" value="<?php echo esc_attr( $settings['public_url'] ); ?>">
						<p class="description"><?php esc_html_e( 'The address readers\' browsers call for live results, if not the one above. Add this site\'s origin to PAGESIFT_CORS_ORIGINS on pagesift.', 'pagesift' ); ?></p></td>
					</tr>
					<tr>
						<th scope="row"><?php esc_html_e( 'Site search', 'pagesift' ); ?></th>
						<td><label><input type="checkbox" name="<?php echo esc_attr( $name ); ?>[search]" value="1" <?php checked( $settings['search'] ); ?>> <?php esc_html_e( 'Answer the theme\'s search page with pagesift (WordPress\'s own search answers whenever pagesift cannot).', 'pagesift' ); ?></label></td>
					</tr>
					<tr>
						<th scope="row"><label for="pagesift-live-size"><?php esc_html_e( 'Live results', 'pagesift' ); ?></label></th>
						<td><input type="number" min="1" max="20" id="pagesift-live-size" name="<?php echo esc_attr( $name ); ?>[live_size]" value="<?php echo esc_attr( (string) $settings['live_size'] ); ?>" class="small-text"></td>
					</tr>
				</table>
				<?php if ( $locked ) : ?>
					<p><?php esc_html_e( 'The address or token is set in wp-config.php (PAGESIFT_URL, PAGESIFT_TOKEN) and cannot be changed here.', 'pagesift' ); ?></p>
				<?php endif; ?>
				<?php submit_button(); ?>
			</form>

			<h2><?php esc_html_e( 'Connection', 'pagesift' ); ?></h2>
			<p><button type="button" class="button" id="pagesift-check"><?php esc_html_e( 'Test connection', 'pagesift' ); ?></button>
			<span id="pagesift-check-result" role="status"></span></p>

			<h2><?php esc_html_e( 'Full sync', 'pagesift' ); ?></h2>
			<p><?php esc_html_e( 'Sends every published post and page to pagesift. Run it once after connecting; from then on each change is sent as it is saved.', 'pagesift' ); ?></p>
			<p><button type="button" class="button button-primary" id="pagesift-sync"><?php esc_html_e( 'Send all posts', 'pagesift' ); ?></button></p>
			<progress id="pagesift-sync-progress" max="1" value="0" hidden></progress>
			<p id="pagesift-sync-status" role="status"></p>

			<h2><?php esc_html_e( 'Queue', 'pagesift' ); ?></h2>
			<p>
			<?php
			printf(
				/* translators: %s: a number of changes. */
				esc_html__( 'Changes waiting to be sent: %s.', 'pagesift' ),
				esc_html( number_format_i18n( Pagesift_Queue::length() ) )
			);
			if ( '' !== (string) $state['last_error'] ) {
				echo ' ';
				printf(
					/* translators: %s: the error. */
					esc_html__( 'Last attempt failed: %s. They are sent again every minute and with the next change.', 'pagesift' ),
					esc_html( (string) $state['last_error'] )
				);
			}
			?>
			</p>
		</div>
		<?php
	}

	/**
	 * Stops an AJAX call that is not an administrator's, or has no valid nonce.
	 */
	private static function authorize() {
		check_ajax_referer( self::NONCE, 'nonce' );
		if ( ! current_user_can( 'manage_options' ) ) {
			wp_send_json_error( array( 'message' => __( 'Not allowed.', 'pagesift' ) ), 403 );
		}
	}

	/**
	 * The connection test.
	 */
	public static function ajax_check() {
		self::authorize();
		$result = Pagesift_Client::check();
		if ( $result['ok'] ) {
			wp_send_json_success( $result );
		}
		wp_send_json_error( $result );
	}

	/**
	 * One step of the full sync.
	 */
	public static function ajax_sync() {
		self::authorize();
		$after = isset( $_POST['after'] ) ? absint( wp_unslash( $_POST['after'] ) ) : 0;
		$step  = Pagesift_Sync::full_sync_step( $after );
		if ( '' !== $step['error'] ) {
			wp_send_json_error( $step );
		}
		wp_send_json_success( $step );
	}

	/**
	 * A job's progress, for the sync's last step.
	 */
	public static function ajax_job() {
		self::authorize();
		$id     = isset( $_POST['job'] ) ? sanitize_key( wp_unslash( $_POST['job'] ) ) : '';
		$answer = Pagesift_Client::job( $id );
		if ( $answer['ok'] ) {
			wp_send_json_success( $answer['body'] );
		}
		wp_send_json_error( array( 'message' => '' !== $answer['error'] ? $answer['error'] : 'HTTP ' . $answer['status'] ) );
	}
}
