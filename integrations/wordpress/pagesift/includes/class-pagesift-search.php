<?php
/**
 * The theme's own search page (?s=) answered by pagesift, the ElasticPress way.
 *
 * @package pagesift
 */

defined( 'ABSPATH' ) || exit;

/**
 * On the main search query, posts_pre_query hands WordPress the posts pagesift ranked, in
 * pagesift's order, so the theme renders them with its own templates (a classic theme's
 * search.php, a block theme's Query Loop that inherits the query). The total comes from
 * pagesift too (found_posts), so the theme's pagination pages through pagesift's results.
 * When pagesift cannot answer (down, slow, not configured), the filter returns null and
 * WordPress's own search runs as if the plugin were not there.
 *
 * The reader's filters come as pagesift_* parameters of the search URL (the live search
 * form's controls and the facet links write them), and the answer's facets stay with the
 * query for themes: pagesift_facets(), [pagesift_facets].
 */
class Pagesift_Search {

	// Reader parameters: pagesift_<name> in the site's URL, <name> in pagesift's API.
	const FACETS = array( 'category', 'tag', 'author', 'type', 'language', 'year' );

	/**
	 * The answers, by the query they belong to.
	 *
	 * @var array<int, array<string, mixed>>
	 */
	private static $answers = array();

	/**
	 * Hooks.
	 */
	public static function register() {
		add_filter( 'posts_pre_query', array( __CLASS__, 'posts_pre_query' ), 10, 2 );
		add_filter( 'found_posts_query', array( __CLASS__, 'found_posts_query' ), 10, 2 );
		add_filter( 'found_posts', array( __CLASS__, 'found_posts' ), 10, 2 );
	}

	/**
	 * Whether pagesift answers this query.
	 *
	 * @param WP_Query $query The query.
	 * @return bool
	 */
	public static function applies( $query ) {
		$applies = $query instanceof WP_Query && ! is_admin() && $query->is_main_query() && $query->is_search()
			&& '' !== trim( (string) $query->get( 's' ) ) && Pagesift_Settings::get( 'search' )
			&& '' !== Pagesift_Settings::url();
		/**
		 * Filters whether pagesift answers a query (e.g. true for a secondary search query).
		 *
		 * @param bool     $applies Whether it does.
		 * @param WP_Query $query   The query.
		 */
		return (bool) apply_filters( 'pagesift_search_applies', $applies, $query );
	}

	/**
	 * The reader's search as pagesift's parameters.
	 *
	 * @param WP_Query $query The query.
	 * @return array<string, mixed>
	 */
	public static function params( WP_Query $query ) {
		$size   = (int) $query->get( 'posts_per_page' );
		$size   = $size > 0 ? min( 50, $size ) : (int) get_option( 'posts_per_page', 10 );
		$paged  = max( 1, (int) $query->get( 'paged' ) );
		$params = array(
			'q'    => (string) $query->get( 's' ),
			'page' => $paged,
			'size' => $size,
		);
		foreach ( self::reader_filters() as $name => $values ) {
			$params[ $name ] = $values;
		}
		/**
		 * Filters the parameters of pagesift's /api/search for a query.
		 *
		 * @param array<string, mixed> $params The parameters.
		 * @param WP_Query             $query  The query.
		 */
		return (array) apply_filters( 'pagesift_search_params', $params, $query );
	}

	/**
	 * The pagesift_* parameters of the current request, as pagesift names them.
	 *
	 * @return array<string, mixed>
	 */
	public static function reader_filters() {
		$filters = array();
		// phpcs:disable WordPress.Security.NonceVerification.Recommended -- a public, read-only search.
		foreach ( self::FACETS as $name ) {
			if ( isset( $_GET[ 'pagesift_' . $name ] ) ) {
				$filters[ $name ] = array_values( array_filter( array_map( 'sanitize_text_field', (array) wp_unslash( $_GET[ 'pagesift_' . $name ] ) ) ) );
			}
		}
		if ( isset( $_GET['pagesift_in'] ) ) {
			$filters['in'] = array_values( array_intersect( array( 'title', 'content' ), array_map( 'sanitize_key', (array) wp_unslash( $_GET['pagesift_in'] ) ) ) );
		}
		if ( ! empty( $_GET['pagesift_exact'] ) ) {
			$filters['exact'] = 1;
		}
		if ( isset( $_GET['pagesift_sort'] ) && in_array( $_GET['pagesift_sort'], array( 'relevance', 'newest', 'oldest' ), true ) ) {
			$filters['sort'] = sanitize_key( wp_unslash( $_GET['pagesift_sort'] ) );
		}
		// phpcs:enable
		return array_filter( $filters );
	}

	/**
	 * Pagesift's ranking as the query's posts; null lets WordPress search.
	 *
	 * @param WP_Post[]|int[]|null $posts Posts another filter returned, or null.
	 * @param WP_Query             $query The query.
	 * @return WP_Post[]|int[]|null
	 */
	public static function posts_pre_query( $posts, $query ) {
		if ( null !== $posts || ! self::applies( $query ) ) {
			return $posts;
		}
		$answer = Pagesift_Client::search( self::params( $query ) );
		if ( null === $answer ) {
			$query->set( 'pagesift_fallback', true );
			return null;
		}
		self::$answers[ spl_object_id( $query ) ] = $answer;
		$query->set( 'pagesift', true );
		$ids = self::post_ids( (array) $answer['hits'] );
		// WordPress counts only the posts its own SQL found: given posts, it counts nothing, so
		// the total and the pages are pagesift's, set here (found_posts below covers 'ids').
		$params               = self::params( $query );
		$query->found_posts   = (int) $answer['total'];
		$query->max_num_pages = (int) ceil( $query->found_posts / max( 1, (int) $params['size'] ) );
		if ( 'ids' === $query->get( 'fields' ) ) {
			return $ids;
		}
		return $ids ? array_map( 'get_post', $ids ) : array();
	}

	/**
	 * No SQL for the count when pagesift answered: it gave the total.
	 *
	 * @param string   $sql   The count query.
	 * @param WP_Query $query The query.
	 * @return string
	 */
	public static function found_posts_query( $sql, $query ) {
		return isset( self::$answers[ spl_object_id( $query ) ] ) ? '' : $sql;
	}

	/**
	 * Pagesift's total, so the theme pages through pagesift's results.
	 *
	 * @param int      $found The count WordPress found.
	 * @param WP_Query $query The query.
	 * @return int
	 */
	public static function found_posts( $found, $query ) {
		$answer = isset( self::$answers[ spl_object_id( $query ) ] ) ? self::$answers[ spl_object_id( $query ) ] : null;
		return null !== $answer ? (int) $answer['total'] : $found;
	}

	/**
	 * Pagesift's answer for a query (the main one by default), or null when it did not answer.
	 *
	 * @param WP_Query|null $query The query.
	 * @return array<string, mixed>|null
	 */
	public static function answer( $query = null ) {
		global $wp_query;
		$query = $query instanceof WP_Query ? $query : $wp_query;
		if ( ! $query instanceof WP_Query ) {
			return null;
		}
		return isset( self::$answers[ spl_object_id( $query ) ] ) ? self::$answers[ spl_object_id( $query ) ] : null;
	}

	/**
	 * The posts behind pagesift's hits, in its order; hits that are not posts of this site
	 * (another site in the same index, a page deleted since) are left out.
	 *
	 * @param array<int, array<string, mixed>> $hits The hits.
	 * @return int[]
	 */
	private static function post_ids( array $hits ) {
		$ids = array();
		foreach ( $hits as $hit ) {
			$url = isset( $hit['url'] ) ? (string) $hit['url'] : '';
			if ( '' === $url ) {
				continue;
			}
			$id = wp_cache_get( md5( $url ), 'pagesift_urls' );
			if ( false === $id ) {
				$id = url_to_postid( $url );
				wp_cache_set( md5( $url ), $id, 'pagesift_urls', HOUR_IN_SECONDS );
			}
			$post = $id ? get_post( (int) $id ) : null;
			if ( $post instanceof WP_Post && 'publish' === $post->post_status ) {
				$ids[] = (int) $id;
			}
		}
		return array_values( array_unique( $ids ) );
	}
}
