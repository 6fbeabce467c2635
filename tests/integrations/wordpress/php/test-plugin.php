<?php
/**
 * The plugin's PHP units, inside the real WordPress: what a post is pushed as, the queue, the
 * settings, the search parameters, the live search markup.
 *
 * @package pagesift
 */

/**
 * A published post with a category, tags, an author, an excerpt and fixed dates.
 *
 * @param string $key A word of its own.
 * @return WP_Post
 */
function pagesift_make_post( $key ) {
	require_once ABSPATH . 'wp-admin/includes/taxonomy.php';
	$user = wp_insert_user(
		array(
			'user_login'   => 'php' . $key,
			'user_pass'    => wp_generate_password(),
			'display_name' => 'Zoë & Co ' . $key,
			'role'         => 'author',
		)
	);
	$id   = wp_insert_post(
		array(
			'post_title'    => 'Tides & "currents" ' . $key,
			'post_content'  => '<!-- wp:paragraph --><p>Tides [caption]x[/caption] ' . $key . '</p><!-- /wp:paragraph -->',
			'post_excerpt'  => 'Short <b>excerpt</b>',
			'post_status'   => 'publish',
			'post_author'   => $user,
			'post_category' => array( wp_create_category( 'Sea & Shore ' . $key ) ),
			'tags_input'    => array( 'tide ' . $key ),
			'post_date'     => '2022-03-04 05:06:07',
			'post_date_gmt' => '2022-03-04 05:06:07',
		)
	);
	return get_post( $id );
}

/**
 * A pushed page holds WordPress's own values, as the site shows them.
 */
function pagesift_test_a_post_is_pushed_with_its_own_facts() {
	$key  = wp_generate_password( 8, false );
	$post = pagesift_make_post( $key );
	$page = Pagesift_Document::page( $post );
	pagesift_check_same( html_entity_decode( get_the_title( $post ), ENT_QUOTES | ENT_HTML5, 'UTF-8' ), $page['title'], 'title as shown' );
	pagesift_check( false !== strpos( $page['title'], '&' ) && false === strpos( $page['title'], '&amp;' ), 'entities decoded' );
	pagesift_check_same( array( 'Sea & Shore ' . $key ), $page['categories'], 'categories' );
	pagesift_check_same( array( array( 'Sea & Shore ' . $key ) ), $page['category_paths'], 'a top-level category, its own path' );
	pagesift_check_same( array( 'tide ' . $key ), $page['tags'], 'tags' );
	pagesift_check_same( array( 'Zoë & Co ' . $key ), $page['authors'], 'author' );
	pagesift_check_same( '2022-03-04T05:06:07+00:00', $page['published'], 'published, UTC' );
	pagesift_check_same( 'Short excerpt', $page['description'], 'excerpt as text' );
	pagesift_check_same( 'post', $page['type'], 'type' );
	set_post_format( $post, 'video' );
	pagesift_check_same( 'video', Pagesift_Document::page( get_post( $post->ID ) )['type'], 'a format is the type, as the cleaner files it' );
	pagesift_check_same( 'en-US', $page['language'], 'language' );
	pagesift_check( false !== strpos( $page['content'], '<p>Tides' ), 'body rendered: ' . $page['content'] );
	pagesift_check( false === strpos( $page['content'], 'wp:paragraph' ), 'block comments rendered away' );
	$event = Pagesift_Document::upsert( $post );
	pagesift_check_same( get_permalink( $post ), $event['url'], 'the permalink' );
}

/**
 * Drafts, private and password-protected posts are never indexable; a trashed post keeps the
 * address it was published under.
 */
function pagesift_test_what_is_indexable_and_where() {
	$key  = wp_generate_password( 8, false );
	$post = pagesift_make_post( $key );
	$url  = get_permalink( $post );
	pagesift_check( Pagesift_Document::indexable( $post ), 'published' );
	$private = get_post( wp_insert_post( array( 'post_title' => 'p', 'post_status' => 'private' ) ) );
	pagesift_check( ! Pagesift_Document::indexable( $private ), 'private' );
	$protected = get_post( wp_insert_post( array( 'post_title' => 'p', 'post_status' => 'publish', 'post_password' => 'x' ) ) );
	pagesift_check( ! Pagesift_Document::indexable( $protected ), 'password-protected' );
	wp_trash_post( $post->ID );
	$trashed = get_post( $post->ID );
	pagesift_check( false !== strpos( $trashed->post_name, '__trashed' ), 'WordPress renamed it' );
	pagesift_check_same( $url, Pagesift_Document::url( $trashed ), 'the address it had' );
	pagesift_check( ! Pagesift_Document::indexable( $trashed ), 'trashed' );
}

/**
 * Saves queue the right rows: one per address, the latest change of it.
 */
function pagesift_test_saves_queue_one_row_per_address() {
	pagesift_clear_queue();
	$key  = wp_generate_password( 8, false );
	$post = pagesift_make_post( $key );
	$url  = get_permalink( $post );
	$rows = pagesift_rows();
	pagesift_check_same( array( $url => 'upsert' ), $rows, 'publish queues a push' );
	wp_update_post(
		array(
			'ID'         => $post->ID,
			'post_title' => 'Edited ' . $key,
		)
	);
	pagesift_check_same( array( $url => 'upsert' ), pagesift_rows(), 'an edit replaces the row' );
	wp_update_post(
		array(
			'ID'          => $post->ID,
			'post_status' => 'draft',
		)
	);
	pagesift_check_same( array( $url => 'unpublish' ), pagesift_rows(), 'unpublish replaces it' );
	pagesift_check_same( '', get_post_meta( $post->ID, Pagesift_Sync::URL_META, true ), 'address forgotten' );
	wp_publish_post( $post->ID );
	wp_update_post(
		array(
			'ID'        => $post->ID,
			'post_name' => 'moved-' . $key,
		)
	);
	$moved = get_permalink( $post->ID );
	pagesift_check_same(
		array(
			$moved => 'upsert',
			$url   => 'unpublish',
		),
		pagesift_rows(),
		'a new slug: the old address out, the new in'
	);
	pagesift_clear_queue();
}

/**
 * A row is deleted after sending only if no newer change replaced it meanwhile.
 */
function pagesift_test_a_row_replaced_while_sending_stays() {
	pagesift_clear_queue();
	Pagesift_Queue::unpublish( 'https://example.org/a/' );
	$waiting = Pagesift_Queue::waiting();
	pagesift_check_same( 1, count( $waiting ), 'one row' );
	Pagesift_Queue::push( 'https://example.org/a/', 7 );
	$method = new ReflectionMethod( 'Pagesift_Queue', 'delete_row' );
	$method->setAccessible( true );
	$method->invoke( null, $waiting[0]['name'], $waiting[0]['raw'] );
	pagesift_check_same( array( 'https://example.org/a/' => 'upsert' ), pagesift_rows(), 'the newer change stays' );
	pagesift_clear_queue();
	pagesift_check_same( 0, Pagesift_Queue::length(), 'cleared' );
}

/**
 * The token is never shown back, and a save of the form without one keeps it.
 */
function pagesift_test_the_token_is_kept_and_never_shown() {
	$before = get_option( Pagesift_Settings::OPTION );
	update_option( Pagesift_Settings::OPTION, array( 'url' => 'https://search.example.org', 'token' => 'secret-token-abcd' ) );
	pagesift_check_same( '••••••••abcd', Pagesift_Settings::masked_token(), 'masked' );
	$kept = Pagesift_Settings::sanitize( array( 'url' => ' https://search.example.org/ ', 'token' => '' ) );
	pagesift_check_same( 'secret-token-abcd', $kept['token'], 'an empty field keeps the token' );
	$new = Pagesift_Settings::sanitize( array( 'url' => 'javascript:alert(1)', 'token' => 'other' ) );
	pagesift_check_same( '', $new['url'], 'only http(s) addresses' );
	pagesift_check_same( 'other', $new['token'], 'a new token replaces it' );
	update_option( Pagesift_Settings::OPTION, $before );
}

/**
 * Lists repeat their name in pagesift's query strings; the reader's filters are read safely.
 */
function pagesift_test_search_parameters() {
	pagesift_check_same(
		'q=a%20b&in=title&in=content&exact=1',
		Pagesift_Client::query_string(
			array(
				'q'     => 'a b',
				'in'    => array( 'title', 'content' ),
				'exact' => true,
				'empty' => '',
			)
		),
		'repeated names'
	);
	$_GET = array(
		'pagesift_category' => array( 'News', '<b>x</b>' ),
		'pagesift_in'       => array( 'title', 'evil' ),
		'pagesift_exact'    => '1',
		'pagesift_sort'     => 'bogus',
	);
	$filters = Pagesift_Search::reader_filters();
	pagesift_check_same( array( 'News', 'x' ), $filters['category'], 'categories, tags stripped' );
	pagesift_check_same( array( 'title' ), $filters['in'], 'only title and content' );
	pagesift_check_same( 1, $filters['exact'], 'exact' );
	pagesift_check( ! isset( $filters['sort'] ), 'an unknown sort is dropped' );
	$_GET = array();
}

/**
 * The live search form: a labelled ARIA combobox with its listbox, status and link, the
 * seed widget's controls, and nothing from its attributes unescaped.
 */
function pagesift_test_the_live_search_markup() {
	$html = Pagesift_Live_Search::shortcode( array( 'placeholder' => '"><script>alert(1)</script>' ) );
	pagesift_check( false === strpos( $html, '<script>alert' ), 'placeholder escaped' );
	foreach ( array( 'role="combobox"', 'aria-expanded="false"', 'role="listbox"', 'role="status"', 'Exact matches only', 'Search in title', 'Search in content', 'Filter by category', 'See all results', 'name="pagesift_type[]"' ) as $needle ) {
		pagesift_check( false !== strpos( $html, $needle ), 'has ' . $needle );
	}
	preg_match( '/aria-controls="([^"]+)"/', $html, $controls );
	pagesift_check( false !== strpos( $html, 'id="' . $controls[1] . '"' ), 'the combobox controls its listbox' );
	$bare = Pagesift_Live_Search::shortcode( array( 'exact' => '0', 'types' => 'no', 'categories' => 'false' ) );
	pagesift_check( false === strpos( $bare, 'Exact matches only' ) && false === strpos( $bare, 'pagesift_type' ), 'controls can be left out' );
	$block = do_blocks( '<!-- wp:pagesift/live-search {"showCategories":false} /-->' );
	pagesift_check( false !== strpos( $block, 'wp-block-pagesift-live-search' ) && false === strpos( $block, 'Filter by category' ), 'the block renders with its attributes' );
}

/**
 * A subcategory is pushed with its ancestors, and the live search lists categories as a tree
 * whose values are paths.
 */
function pagesift_test_categories_with_their_ancestors() {
	require_once ABSPATH . 'wp-admin/includes/taxonomy.php';
	$key    = wp_generate_password( 8, false );
	$top    = wp_create_category( 'Coast & Sea ' . $key );
	$middle = wp_create_category( 'Harbours ' . $key, $top );
	$leaf   = wp_create_category( 'Quays ' . $key, $middle );
	$post   = pagesift_make_post( $key );
	wp_set_post_categories( $post->ID, array( $leaf, $top ) );
	$page = Pagesift_Document::page( get_post( $post->ID ) );
	$paths = $page['category_paths'];
	sort( $paths );
	pagesift_check_same( array( array( 'Coast & Sea ' . $key ), array( 'Coast & Sea ' . $key, 'Harbours ' . $key, 'Quays ' . $key ) ), $paths, 'paths, top first' );
	$order = array();
	foreach ( Pagesift_Document::category_tree() as $entry ) {
		if ( false !== strpos( end( $entry['path'] ), $key ) && 0 === strpos( $entry['path'][0], 'Coast' ) ) {
			$order[] = implode( Pagesift_Document::PATH_SEPARATOR, $entry['path'] );
		}
	}
	// Harbours has no post of its own: listed for its child's.
	pagesift_check_same( array( "Coast & Sea $key", "Coast & Sea $key > Harbours $key", "Coast & Sea $key > Harbours $key > Quays $key" ), $order, 'parents before children' );
	$html = Pagesift_Live_Search::shortcode( array() );
	pagesift_check( false !== strpos( $html, 'value="' . esc_attr( "Coast & Sea $key > Harbours $key > Quays $key" ) . '"' ), 'a path as the value' );
	pagesift_check( false !== strpos( $html, "\u{2014} \u{2014} Quays $key</option>" ), 'indented under its parent' );
}

/**
 * The queue's rows as address => action.
 *
 * @return array<string, string>
 */
function pagesift_rows() {
	$rows = array();
	foreach ( Pagesift_Queue::waiting() as $row ) {
		$rows[ $row['entry']['url'] ] = $row['entry']['action'];
	}
	ksort( $rows );
	return $rows;
}

/**
 * Empties the queue.
 */
function pagesift_clear_queue() {
	global $wpdb;
	$wpdb->query( $wpdb->prepare( "DELETE FROM {$wpdb->options} WHERE option_name LIKE %s", $wpdb->esc_like( Pagesift_Queue::PREFIX ) . '%' ) );
	wp_cache_flush();
}
