<?php
/**
 * What the plugin tells pagesift about a post: its page event.
 *
 * @package pagesift
 */

defined( 'ABSPATH' ) || exit;

/**
 * Which posts pagesift indexes, and the page each one is pushed as: its title as the site shows
 * it, its rendered body, its terms, author, dates, language, type and link, exactly as
 * WordPress knows them (no fetch, no markup to read them back from).
 */
class Pagesift_Document {

	/**
	 * Between the names of a category path, as pagesift writes its category facet's values
	 * (indexer/category_paths.py): "World > Europe".
	 */
	const PATH_SEPARATOR = ' > ';

	/**
	 * The post types kept in pagesift: public ones that take part in search, attachments aside.
	 *
	 * @return string[]
	 */
	public static function post_types() {
		$types = get_post_types(
			array(
				'public'              => true,
				'exclude_from_search' => false,
			)
		);
		unset( $types['attachment'] );
		/**
		 * Filters the post types the plugin keeps in pagesift.
		 *
		 * @param string[] $types Post type names.
		 */
		return array_values( (array) apply_filters( 'pagesift_post_types', array_values( $types ) ) );
	}

	/**
	 * Whether a post belongs in search: published, not password-protected, of a kept type.
	 *
	 * @param WP_Post|null $post The post.
	 * @return bool
	 */
	public static function indexable( $post ) {
		$indexable = $post instanceof WP_Post
			&& 'publish' === $post->post_status
			&& '' === $post->post_password
			&& in_array( $post->post_type, self::post_types(), true );
		/**
		 * Filters whether a post is kept in pagesift.
		 *
		 * @param bool         $indexable Whether it is.
		 * @param WP_Post|null $post      The post.
		 */
		return (bool) apply_filters( 'pagesift_post_indexable', $indexable, $post );
	}

	/**
	 * The address a published post is indexed under. For a post no longer published (trashed
	 * posts get a new slug) the address it had when published: get_permalink() of it as if it
	 * still were.
	 *
	 * @param WP_Post $post The post.
	 * @return string
	 */
	public static function url( WP_Post $post ) {
		if ( 'publish' !== $post->post_status ) {
			$post              = clone $post;
			$post->post_status = 'publish';
			$post->post_name   = preg_replace( '/__trashed(-\d+)?$/', '', (string) $post->post_name );
		}
		return (string) get_permalink( $post );
	}

	/**
	 * The upsert event for a published post.
	 *
	 * @param WP_Post $post The post.
	 * @return array<string, mixed>
	 */
	public static function upsert( WP_Post $post ) {
		return array(
			'url'    => self::url( $post ),
			'action' => 'upsert',
			'page'   => self::page( $post ),
		);
	}

	/**
	 * The unpublish event for an address.
	 *
	 * @param string $url The address it was indexed under.
	 * @return array<string, mixed>
	 */
	public static function unpublish( $url ) {
		return array(
			'url'    => $url,
			'action' => 'unpublish',
		);
	}

	/**
	 * A post's type as pagesift files it: its format when it has one (video, gallery...), else
	 * its post type. The same rule as the cleaner's for a crawled or REST page
	 * (indexer/clean/metadata/wordpress.py, _post_type), so every route files a post alike.
	 *
	 * @param WP_Post $post The post.
	 * @return string
	 */
	public static function type( WP_Post $post ) {
		$format = get_post_format( $post );
		return ( $format && 'standard' !== $format ) ? $format : $post->post_type;
	}

	/**
	 * The page pushed for a post.
	 *
	 * @param WP_Post $post The post.
	 * @return array<string, mixed>
	 */
	public static function page( WP_Post $post ) {
		$page = array(
			'title'          => self::text( get_the_title( $post ) ),
			'content'        => self::content( $post ),
			'description'    => has_excerpt( $post ) ? self::text( $post->post_excerpt ) : '',
			'categories'     => self::term_names( $post, 'category' ),
			'category_paths' => self::category_paths( $post ),
			'tags'           => self::term_names( $post, 'post_tag' ),
			'authors'        => self::authors( $post ),
			'published'      => (string) get_post_time( 'c', true, $post ),
			'modified'       => (string) get_post_modified_time( 'c', true, $post ),
			'language'       => str_replace( '_', '-', get_locale() ),
			'type'           => self::type( $post ),
			'site_name'      => self::text( get_bloginfo( 'name' ) ),
		);
		$image = get_the_post_thumbnail_url( $post, 'large' );
		if ( $image ) {
			$page['image'] = $image;
		}
		/**
		 * Filters the page pushed to pagesift for a post (a multilingual plugin sets
		 * `language`, a co-authors plugin `authors`...).
		 *
		 * @param array<string, mixed> $page The page.
		 * @param WP_Post              $post The post.
		 */
		return (array) apply_filters( 'pagesift_post_document', array_filter( $page, array( __CLASS__, 'present' ) ), $post );
	}

	/**
	 * The body as the site renders it: blocks, shortcodes and embeds expanded.
	 *
	 * @param WP_Post $post The post.
	 * @return string
	 */
	private static function content( WP_Post $post ) {
		global $wp_query;
		$previous_post = isset( $GLOBALS['post'] ) ? $GLOBALS['post'] : null;
		// Some blocks and shortcodes read the loop's post: make it this one while rendering.
		$GLOBALS['post'] = $post; // phpcs:ignore WordPress.WP.GlobalVariablesOverride.Prohibited
		setup_postdata( $post );
		$in_the_loop = $wp_query instanceof WP_Query ? $wp_query->in_the_loop : false;
		if ( $wp_query instanceof WP_Query ) {
			$wp_query->in_the_loop = true;
		}
		$html = (string) apply_filters( 'the_content', $post->post_content ); // phpcs:ignore WordPress.NamingConventions.PrefixAllGlobals.NonPrefixedHooknameFound
		if ( $wp_query instanceof WP_Query ) {
			$wp_query->in_the_loop = $in_the_loop;
		}
		$GLOBALS['post'] = $previous_post; // phpcs:ignore WordPress.WP.GlobalVariablesOverride.Prohibited
		if ( $previous_post instanceof WP_Post ) {
			setup_postdata( $previous_post );
		}
		return $html;
	}

	/**
	 * The names of a post's terms in a taxonomy the post type has.
	 *
	 * @param WP_Post $post     The post.
	 * @param string  $taxonomy The taxonomy.
	 * @return string[]
	 */
	private static function term_names( WP_Post $post, $taxonomy ) {
		if ( ! is_object_in_taxonomy( $post->post_type, $taxonomy ) ) {
			return array();
		}
		$terms = get_the_terms( $post, $taxonomy );
		if ( ! is_array( $terms ) ) {
			return array();
		}
		return array_values( array_map( array( __CLASS__, 'text' ), wp_list_pluck( $terms, 'name' ) ) );
	}

	/**
	 * Each of the post's categories with its ancestors: names from the root down.
	 *
	 * @param WP_Post $post The post.
	 * @return array<int, string[]>
	 */
	private static function category_paths( WP_Post $post ) {
		if ( ! is_object_in_taxonomy( $post->post_type, 'category' ) ) {
			return array();
		}
		$terms = get_the_terms( $post, 'category' );
		if ( ! is_array( $terms ) ) {
			return array();
		}
		return array_values( array_map( array( __CLASS__, 'category_path' ), $terms ) );
	}

	/**
	 * A category's names from the root down to it.
	 *
	 * @param WP_Term $term The category.
	 * @return string[]
	 */
	public static function category_path( WP_Term $term ) {
		$names = array( self::text( $term->name ) );
		foreach ( get_ancestors( $term->term_id, 'category', 'taxonomy' ) as $ancestor_id ) {
			$ancestor = get_term( $ancestor_id, 'category' );
			if ( $ancestor instanceof WP_Term ) {
				array_unshift( $names, self::text( $ancestor->name ) );
			}
		}
		return $names;
	}

	/**
	 * The site's categories that have posts (or descendants with posts), each with its path,
	 * parents right before their children.
	 *
	 * @return array<int, array{path: string[], term: WP_Term}>
	 */
	public static function category_tree() {
		$found = array();
		foreach ( get_categories( array( 'hide_empty' => true ) ) as $term ) {
			$found[] = array(
				'path' => self::category_path( $term ),
				'term' => $term,
			);
		}
		usort(
			$found,
			static function ( $a, $b ) {
				// Name by name: a parent's children come before its next sibling.
				foreach ( $a['path'] as $i => $name ) {
					if ( ! isset( $b['path'][ $i ] ) ) {
						return 1;
					}
					$order = strcasecmp( $name, $b['path'][ $i ] );
					if ( 0 !== $order ) {
						return $order;
					}
				}
				return count( $a['path'] ) - count( $b['path'] );
			}
		);
		return $found;
	}

	/**
	 * The post's author, by the name the site shows.
	 *
	 * @param WP_Post $post The post.
	 * @return string[]
	 */
	private static function authors( WP_Post $post ) {
		$name = get_the_author_meta( 'display_name', (int) $post->post_author );
		return '' !== (string) $name ? array( self::text( $name ) ) : array();
	}

	/**
	 * Text as the reader sees it: entities decoded, tags gone.
	 *
	 * @param string $html A title or name as WordPress prints it.
	 * @return string
	 */
	public static function text( $html ) {
		return trim( html_entity_decode( wp_strip_all_tags( (string) $html ), ENT_QUOTES | ENT_HTML5, 'UTF-8' ) );
	}

	/**
	 * Whether a page field has a value worth sending.
	 *
	 * @param mixed $value The value.
	 * @return bool
	 */
	private static function present( $value ) {
		return '' !== $value && array() !== $value && null !== $value;
	}
}
