<?php
/**
 * What reaches pagesift when: the post and term hooks, and the first full sync.
 *
 * @package pagesift
 */

defined( 'ABSPATH' ) || exit;

/**
 * Every change that alters what search should find queues the address it concerns:
 * - a post published, updated, unpublished (draft, pending, private, scheduled), trashed,
 *   restored or deleted, of any kept post type: its address, to push or to unpublish;
 * - a post whose address changed (a new slug, a new date): the old address unpublished;
 * - a post's categories or tags set by code, without a save (wp_set_post_terms...): pushed;
 * - a category or tag renamed or deleted: every published post that had it, pushed again (a
 *   category's descendants' posts too: their paths name it).
 *
 * The address a post was last pushed under is kept in its meta (_pagesift_url): trashing
 * renames a post's slug, and the address to take out of search is the one it was indexed under.
 */
class Pagesift_Sync {

	const URL_META = '_pagesift_url';

	/**
	 * Hooks.
	 */
	public static function register() {
		add_action( 'transition_post_status', array( __CLASS__, 'post_changed' ), 10, 3 );
		add_action( 'post_updated', array( __CLASS__, 'post_updated' ), 10, 3 );
		add_action( 'before_delete_post', array( __CLASS__, 'post_deleted' ) );
		add_action( 'set_object_terms', array( __CLASS__, 'terms_set' ), 10, 6 );
		add_action( 'edited_term', array( __CLASS__, 'term_edited' ), 10, 3 );
		add_action( 'edited_term_taxonomies', array( __CLASS__, 'terms_moved' ) );
		add_action( 'delete_term', array( __CLASS__, 'term_deleted' ), 10, 5 );
	}

	/**
	 * Any save of a post (wp_insert_post ends with this hook, whatever changed).
	 *
	 * @param string  $new_status The status now.
	 * @param string  $old_status The status before.
	 * @param WP_Post $post       The post.
	 */
	public static function post_changed( $new_status, $old_status, $post ) {
		if ( ! $post instanceof WP_Post || wp_is_post_revision( $post ) || wp_is_post_autosave( $post ) ) {
			return;
		}
		if ( ! in_array( $post->post_type, Pagesift_Document::post_types(), true ) ) {
			return;
		}
		$known = (string) get_post_meta( $post->ID, self::URL_META, true );
		if ( Pagesift_Document::indexable( $post ) ) {
			$url = Pagesift_Document::url( $post );
			if ( '' !== $known && $known !== $url ) {
				Pagesift_Queue::unpublish( $known );
			}
			Pagesift_Queue::push( $url, $post->ID );
			update_post_meta( $post->ID, self::URL_META, $url );
			return;
		}
		if ( '' !== $known ) {
			Pagesift_Queue::unpublish( $known );
			delete_post_meta( $post->ID, self::URL_META );
		} elseif ( 'publish' === $old_status ) {
			// Published before the plugin knew it (no first sync yet): its published address.
			Pagesift_Queue::unpublish( Pagesift_Document::url( $post ) );
		}
	}

	/**
	 * An update that moved a published post to another address: the old one leaves search.
	 * (The new one is queued by post_changed, which runs on the same save.)
	 *
	 * @param int     $post_id     The post.
	 * @param WP_Post $post_after  The post now.
	 * @param WP_Post $post_before The post before.
	 */
	public static function post_updated( $post_id, $post_after, $post_before ) {
		if ( ! $post_before instanceof WP_Post || 'publish' !== $post_before->post_status ) {
			return;
		}
		if ( ! in_array( $post_before->post_type, Pagesift_Document::post_types(), true ) ) {
			return;
		}
		$before = (string) get_post_meta( $post_id, self::URL_META, true );
		if ( '' === $before ) {
			$before = Pagesift_Document::url( $post_before );
		}
		if ( $post_after instanceof WP_Post && Pagesift_Document::indexable( $post_after )
			&& Pagesift_Document::url( $post_after ) !== $before ) {
			Pagesift_Queue::unpublish( $before );
		}
	}

	/**
	 * A post deleted for good.
	 *
	 * @param int $post_id The post.
	 */
	public static function post_deleted( $post_id ) {
		$post = get_post( $post_id );
		if ( ! $post instanceof WP_Post || ! in_array( $post->post_type, Pagesift_Document::post_types(), true ) ) {
			return;
		}
		$known = (string) get_post_meta( $post_id, self::URL_META, true );
		if ( '' !== $known ) {
			Pagesift_Queue::unpublish( $known );
		} elseif ( 'publish' === $post->post_status ) {
			Pagesift_Queue::unpublish( Pagesift_Document::url( $post ) );
		}
	}

	/**
	 * A post's terms changed: pushed again if they are terms pagesift keeps. (A save that sets
	 * terms is queued by post_changed too; the queue keeps one row per address.)
	 *
	 * @param int    $object_id  The post.
	 * @param array  $terms      The terms given.
	 * @param int[]  $tt_ids     The term-taxonomy ids now.
	 * @param string $taxonomy   The taxonomy.
	 * @param bool   $append     Whether they were added to the old ones.
	 * @param int[]  $old_tt_ids The term-taxonomy ids before.
	 */
	public static function terms_set( $object_id, $terms, $tt_ids, $taxonomy, $append, $old_tt_ids ) {
		$now    = array_map( 'intval', (array) $tt_ids );
		$before = array_map( 'intval', (array) $old_tt_ids );
		sort( $now );
		sort( $before );
		if ( $now !== $before && in_array( $taxonomy, self::taxonomies(), true ) ) {
			self::push_posts( array( $object_id ) );
		}
	}

	/**
	 * A term edited (renamed, moved, a new slug): its published posts are pushed again.
	 *
	 * @param int    $term_id  The term.
	 * @param int    $tt_id    Its term-taxonomy id.
	 * @param string $taxonomy Its taxonomy.
	 */
	public static function term_edited( $term_id, $tt_id, $taxonomy ) {
		if ( in_array( $taxonomy, self::taxonomies(), true ) ) {
			self::push_posts( get_objects_in_term( self::with_descendants( (int) $term_id, $taxonomy ), $taxonomy ) );
		}
	}

	/**
	 * Categories given another parent without an edit of their own (a deleted category's
	 * children move up to its parent): their posts, and their descendants', are pushed again
	 * with the new paths.
	 *
	 * @param int[] $tt_ids Term-taxonomy ids of the moved terms.
	 */
	public static function terms_moved( $tt_ids ) {
		foreach ( (array) $tt_ids as $tt_id ) {
			$term = get_term_by( 'term_taxonomy_id', (int) $tt_id );
			if ( $term instanceof WP_Term && in_array( $term->taxonomy, self::taxonomies(), true ) ) {
				self::push_posts( get_objects_in_term( self::with_descendants( $term->term_id, $term->taxonomy ), $term->taxonomy ) );
			}
		}
	}

	/**
	 * A term and, in a hierarchical taxonomy, every term under it: a category's path is part of
	 * its descendants' posts.
	 *
	 * @param int    $term_id  The term.
	 * @param string $taxonomy Its taxonomy.
	 * @return int[]
	 */
	private static function with_descendants( $term_id, $taxonomy ) {
		$children = is_taxonomy_hierarchical( $taxonomy ) ? get_term_children( $term_id, $taxonomy ) : array();
		return array_merge( array( $term_id ), is_array( $children ) ? array_map( 'intval', $children ) : array() );
	}

	/**
	 * A term deleted: the posts that had it are pushed again without it.
	 *
	 * @param int     $term_id      The term.
	 * @param int     $tt_id        Its term-taxonomy id.
	 * @param string  $taxonomy     Its taxonomy.
	 * @param WP_Term $deleted_term The term as it was.
	 * @param int[]   $object_ids   The posts that had it.
	 */
	public static function term_deleted( $term_id, $tt_id, $taxonomy, $deleted_term, $object_ids ) {
		if ( in_array( $taxonomy, self::taxonomies(), true ) ) {
			self::push_posts( $object_ids );
		}
	}

	/**
	 * The taxonomies whose names pagesift keeps.
	 *
	 * @return string[]
	 */
	private static function taxonomies() {
		return array( 'category', 'post_tag' );
	}

	/**
	 * Queues the indexable posts among some ids.
	 *
	 * @param mixed $ids Post ids (or a WP_Error).
	 */
	private static function push_posts( $ids ) {
		if ( ! is_array( $ids ) ) {
			return;
		}
		foreach ( $ids as $id ) {
			$post = get_post( (int) $id );
			if ( Pagesift_Document::indexable( $post ) ) {
				Pagesift_Queue::push( Pagesift_Document::url( $post ), $post->ID );
			}
		}
	}

	/**
	 * One step of the full sync: a page of published posts of the kept types, by id, sent at
	 * once as one job (not through the queue: the settings page shows each step's answer).
	 *
	 * @param int $after_id The last post id already sent (0 to start).
	 * @param int $size     Posts in this step.
	 * @return array<string, mixed> sent, total, next (the id to continue after), done, job, error.
	 */
	public static function full_sync_step( $after_id, $size = Pagesift_Queue::BATCH ) {
		global $wpdb;
		$types        = Pagesift_Document::post_types();
		$placeholders = implode( ', ', array_fill( 0, count( $types ), '%s' ) );
		// phpcs:disable WordPress.DB.DirectDatabaseQuery.DirectQuery, WordPress.DB.DirectDatabaseQuery.NoCaching, WordPress.DB.PreparedSQLPlaceholders.UnfinishedPrepare, WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- the placeholders are built above, one per type.
		$ids   = $wpdb->get_col(
			$wpdb->prepare(
				"SELECT ID FROM {$wpdb->posts} WHERE post_status = 'publish' AND post_password = '' AND post_type IN ($placeholders) AND ID > %d ORDER BY ID LIMIT %d",
				array_merge( $types, array( (int) $after_id, (int) $size ) )
			)
		);
		$total = (int) $wpdb->get_var(
			$wpdb->prepare(
				"SELECT COUNT(*) FROM {$wpdb->posts} WHERE post_status = 'publish' AND post_password = '' AND post_type IN ($placeholders)",
				$types
			)
		);
		$done  = (int) $wpdb->get_var(
			$wpdb->prepare(
				"SELECT COUNT(*) FROM {$wpdb->posts} WHERE post_status = 'publish' AND post_password = '' AND post_type IN ($placeholders) AND ID <= %d",
				array_merge( $types, array( (int) $after_id ) )
			)
		);
		// phpcs:enable
		$events = array();
		$posts  = array();
		foreach ( $ids as $id ) {
			$post = get_post( (int) $id );
			if ( Pagesift_Document::indexable( $post ) ) {
				$events[] = Pagesift_Document::upsert( $post );
				$posts[]  = $post;
			}
		}
		$next   = $ids ? (int) end( $ids ) : (int) $after_id;
		$answer = $events ? Pagesift_Client::send_events( $events, 30 ) : array(
			'ok'     => true,
			'status' => 200,
			'body'   => null,
			'error'  => '',
		);
		if ( ! $answer['ok'] ) {
			$reason = '' !== $answer['error'] ? $answer['error'] : 'HTTP ' . $answer['status'];
			if ( is_array( $answer['body'] ) && isset( $answer['body']['message'] ) ) {
				$reason .= ': ' . $answer['body']['message'];
			}
			return array(
				'sent'  => $done,
				'total' => $total,
				'next'  => (int) $after_id,
				'done'  => false,
				'job'   => '',
				'error' => $reason,
			);
		}
		foreach ( $posts as $post ) {
			update_post_meta( $post->ID, self::URL_META, Pagesift_Document::url( $post ) );
		}
		return array(
			'sent'  => $done + count( $ids ),
			'total' => $total,
			'next'  => $next,
			'done'  => count( $ids ) < $size,
			'job'   => isset( $answer['body']['job']['id'] ) ? (string) $answer['body']['job']['id'] : '',
			'error' => '',
		);
	}
}
