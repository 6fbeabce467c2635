<?php
/**
 * The live search: a block and a shortcode with the seed widget's controls, results as the
 * reader types, straight from pagesift's JSON API.
 *
 * @package pagesift
 */

defined( 'ABSPATH' ) || exit;

/**
 * One markup for the block and the shortcode: a real search form (it works without script,
 * submitting to the site's own ?s= page, which pagesift answers), made a combobox by
 * assets/live-search.js: results listed under the field as the reader types, arrow keys to
 * move, Enter to open, Escape to close, a status line for screen readers, and a plain link to
 * the full search page. The reader's browser calls pagesift itself (CORS): pagesift must list
 * this site's origin in PAGESIFT_CORS_ORIGINS.
 */
class Pagesift_Live_Search {

	const HANDLE = 'pagesift-live-search';

	/**
	 * How many forms this request rendered (for unique ids).
	 *
	 * @var int
	 */
	private static $count = 0;

	/**
	 * Hooks.
	 */
	public static function register() {
		add_action( 'init', array( __CLASS__, 'init' ) );
	}

	/**
	 * Script, style, block and shortcodes.
	 */
	public static function init() {
		wp_register_script( self::HANDLE, plugins_url( 'assets/live-search.js', PAGESIFT_PLUGIN_FILE ), array(), PAGESIFT_PLUGIN_VERSION, true );
		wp_register_style( self::HANDLE, plugins_url( 'assets/live-search.css', PAGESIFT_PLUGIN_FILE ), array(), PAGESIFT_PLUGIN_VERSION );
		register_block_type(
			PAGESIFT_PLUGIN_DIR . '/blocks/live-search',
			array( 'render_callback' => array( __CLASS__, 'render_block' ) )
		);
		add_shortcode( 'pagesift_search', array( __CLASS__, 'shortcode' ) );
		add_shortcode( 'pagesift_facets', array( __CLASS__, 'facets_shortcode' ) );
	}

	/**
	 * The block's front end.
	 *
	 * @param array<string, mixed> $attributes The block's attributes.
	 * @return string
	 */
	public static function render_block( $attributes ) {
		$wrapper = function_exists( 'get_block_wrapper_attributes' ) ? get_block_wrapper_attributes( array( 'class' => 'pagesift-live' ) ) : '';
		return self::render(
			array(
				'exact'       => ! empty( $attributes['showExact'] ),
				'title'       => ! empty( $attributes['showTitle'] ),
				'content'     => ! empty( $attributes['showContent'] ),
				'types'       => ! empty( $attributes['showTypes'] ),
				'categories'  => ! empty( $attributes['showCategories'] ),
				'placeholder' => isset( $attributes['placeholder'] ) ? (string) $attributes['placeholder'] : '',
			),
			$wrapper
		);
	}

	/**
	 * [pagesift_search exact="1" title="1" content="1" types="1" categories="1" placeholder="…"]
	 *
	 * @param array<string, string>|string $atts The shortcode's attributes.
	 * @return string
	 */
	public static function shortcode( $atts ) {
		$atts = shortcode_atts(
			array(
				'exact'       => '1',
				'title'       => '1',
				'content'     => '1',
				'types'       => '1',
				'categories'  => '1',
				'placeholder' => '',
			),
			$atts,
			'pagesift_search'
		);
		return self::render(
			array(
				'exact'       => self::flag( $atts['exact'] ),
				'title'       => self::flag( $atts['title'] ),
				'content'     => self::flag( $atts['content'] ),
				'types'       => self::flag( $atts['types'] ),
				'categories'  => self::flag( $atts['categories'] ),
				'placeholder' => (string) $atts['placeholder'],
			)
		);
	}

	/**
	 * [pagesift_facets]: the search page's facets as links (see pagesift_render_facets()).
	 *
	 * @return string
	 */
	public static function facets_shortcode() {
		wp_enqueue_style( self::HANDLE );
		return pagesift_render_facets();
	}

	/**
	 * Whether a shortcode attribute is on.
	 *
	 * @param string $value The attribute.
	 * @return bool
	 */
	private static function flag( $value ) {
		return ! in_array( strtolower( trim( (string) $value ) ), array( '0', 'false', 'no', 'off', '' ), true );
	}

	/**
	 * The form.
	 *
	 * @param array<string, mixed> $options Which controls to show, the placeholder.
	 * @param string               $wrapper The block wrapper's attributes, if a block.
	 * @return string
	 */
	public static function render( array $options, $wrapper = '' ) {
		wp_enqueue_script( self::HANDLE );
		wp_enqueue_style( self::HANDLE );
		++self::$count;
		$id       = 'pagesift-live-' . self::$count;
		$filters  = Pagesift_Search::reader_filters();
		$in       = isset( $filters['in'] ) ? (array) $filters['in'] : array( 'title', 'content' );
		$endpoint = Pagesift_Settings::public_url();
		$data     = array(
			'endpoint' => '' !== $endpoint ? $endpoint . '/api/search' : '',
			'size'     => (int) Pagesift_Settings::get( 'live_size' ),
			'minChars' => 2,
			'text'     => array(
				'one'     => __( '1 result', 'pagesift' ),
				/* translators: %d: a number of results, more than one. */
				'results' => __( '%d results', 'pagesift' ),
				'none'    => __( 'No results', 'pagesift' ),
				'error'   => __( 'Live results are unavailable; press Enter to search.', 'pagesift' ),
			),
		);
		ob_start();
		?>
<div <?php echo $wrapper ? $wrapper : 'class="pagesift-live"'; // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped -- get_block_wrapper_attributes() escapes. ?> data-pagesift-live="<?php echo esc_attr( (string) wp_json_encode( $data ) ); ?>" dir="<?php echo is_rtl() ? 'rtl' : 'ltr'; ?>">
	<form role="search" method="get" action="<?php echo esc_url( home_url( '/' ) ); ?>" class="pagesift-live__form">
		<label class="pagesift-live__label" for="<?php echo esc_attr( $id ); ?>"><?php esc_html_e( 'Search', 'pagesift' ); ?></label>
		<div class="pagesift-live__field">
			<input type="search" id="<?php echo esc_attr( $id ); ?>" name="s" value="<?php echo esc_attr( get_search_query( false ) ); ?>"
				placeholder="<?php echo esc_attr( '' !== $options['placeholder'] ? $options['placeholder'] : __( 'Search…', 'pagesift' ) ); ?>"
				role="combobox" aria-autocomplete="list" aria-expanded="false" aria-controls="<?php echo esc_attr( $id ); ?>-results" autocomplete="off" spellcheck="false">
			<button type="submit" class="pagesift-live__submit"><?php esc_html_e( 'Search', 'pagesift' ); ?></button>
		</div>
		<ul class="pagesift-live__results" id="<?php echo esc_attr( $id ); ?>-results" role="listbox" aria-label="<?php esc_attr_e( 'Results', 'pagesift' ); ?>" hidden></ul>
		<p class="pagesift-live__status" role="status" aria-live="polite"></p>
		<p class="pagesift-live__all"><a href="<?php echo esc_url( home_url( '/' ) . '?s=' ); ?>"><?php esc_html_e( 'See all results', 'pagesift' ); ?></a></p>
		<?php if ( $options['exact'] || $options['title'] || $options['content'] ) : ?>
		<fieldset class="pagesift-live__options">
			<legend><?php esc_html_e( 'Options', 'pagesift' ); ?></legend>
			<?php if ( $options['exact'] ) : ?>
			<label><input type="checkbox" name="pagesift_exact" value="1" <?php checked( ! empty( $filters['exact'] ) ); ?>> <?php esc_html_e( 'Exact matches only', 'pagesift' ); ?></label>
			<?php endif; ?>
			<?php if ( $options['title'] ) : ?>
			<label><input type="checkbox" name="pagesift_in[]" value="title" <?php checked( in_array( 'title', $in, true ) ); ?>> <?php esc_html_e( 'Search in title', 'pagesift' ); ?></label>
			<?php endif; ?>
			<?php if ( $options['content'] ) : ?>
			<label><input type="checkbox" name="pagesift_in[]" value="content" <?php checked( in_array( 'content', $in, true ) ); ?>> <?php esc_html_e( 'Search in content', 'pagesift' ); ?></label>
			<?php endif; ?>
		</fieldset>
		<?php endif; ?>
		<?php if ( $options['types'] ) : ?>
		<fieldset class="pagesift-live__options">
			<legend><?php esc_html_e( 'Post types', 'pagesift' ); ?></legend>
			<?php foreach ( Pagesift_Document::post_types() as $type ) : ?>
				<?php $object = get_post_type_object( $type ); ?>
			<label><input type="checkbox" name="pagesift_type[]" value="<?php echo esc_attr( $type ); ?>" <?php checked( in_array( $type, isset( $filters['type'] ) ? (array) $filters['type'] : array(), true ) ); ?>> <?php echo esc_html( $object ? $object->labels->singular_name : $type ); ?></label>
			<?php endforeach; ?>
		</fieldset>
		<?php endif; ?>
		<?php if ( $options['categories'] ) : ?>
		<p class="pagesift-live__categories">
			<label for="<?php echo esc_attr( $id ); ?>-category"><?php esc_html_e( 'Filter by category', 'pagesift' ); ?></label>
			<select id="<?php echo esc_attr( $id ); ?>-category" name="pagesift_category[]">
				<option value=""><?php esc_html_e( 'All categories', 'pagesift' ); ?></option>
				<?php
				$chosen = isset( $filters['category'] ) ? (array) $filters['category'] : array();
				// A category's value is its path, so that choosing a parent takes in its children.
				foreach ( Pagesift_Document::category_tree() as $category ) :
					$path = implode( Pagesift_Document::PATH_SEPARATOR, $category['path'] );
					$name = str_repeat( "\u{2014} ", count( $category['path'] ) - 1 ) . end( $category['path'] );
					?>
				<option value="<?php echo esc_attr( $path ); ?>" <?php selected( in_array( $path, $chosen, true ) ); ?>><?php echo esc_html( $name ); ?></option>
				<?php endforeach; ?>
			</select>
		</p>
		<?php endif; ?>
	</form>
</div>
		<?php
		return (string) ob_get_clean();
	}
}
