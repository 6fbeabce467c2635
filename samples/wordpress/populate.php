/*
 * Writes a site's planned content (samples/wordpress/plan.py, as JSON in the file named by
 * PAGESIFT_WP_CONTENT) through WordPress's own API, as an editor would: users, nested
 * categories, posts and pages in every state, formats, sticky posts, a featured image, reader
 * comments. Prints JSON: each post's key -> id, link and status; each category -> id and link.
 */
require_once ABSPATH . 'wp-admin/includes/image.php';
require_once ABSPATH . 'wp-admin/includes/post.php';

$plan = json_decode(file_get_contents(getenv('PAGESIFT_WP_CONTENT')), true);
// The admin may post unfiltered HTML: block markup is kept as the editor would save it.
wp_set_current_user(1);
wp_defer_term_counting(true);

$users = array();
foreach ($plan['users'] as $user) {
    $found = get_user_by('login', $user['login']);
    $users[$user['login']] = $found ? $found->ID : wp_insert_user(array(
        'user_login' => $user['login'], 'user_nicename' => $user['login'],
        'user_pass' => wp_generate_password(24), 'user_email' => $user['login'] . '@example.org',
        'display_name' => $user['display_name'], 'role' => $user['role'],
    ));
}

$categories = array();
$pending = $plan['categories'];
while ($pending) {
    $left = array();
    foreach ($pending as $category) {
        $parent = $category['parent'];
        if ($parent !== null && !isset($categories[$parent])) {
            $left[] = $category;
            continue;
        }
        $made = wp_insert_term($category['name'], 'category', array(
            'slug' => $category['slug'], 'parent' => $parent === null ? 0 : $categories[$parent]));
        $categories[$category['name']] = is_wp_error($made)
            ? (int) $made->get_error_data('term_exists') : $made['term_id'];
    }
    if (count($left) === count($pending)) {
        fwrite(STDERR, "categories with an unknown parent: " . wp_json_encode($left) . "\n");
        exit(1);
    }
    $pending = $left;
}

function pagesift_mysql_time($iso) {
    return gmdate('Y-m-d H:i:s', strtotime($iso));
}

function pagesift_featured_image($post_id, $title) {
    $upload = wp_upload_dir(gmdate('Y/m', get_post_time('U', true, $post_id)));
    wp_mkdir_p($upload['path']);
    $file = $upload['path'] . '/cover-' . $post_id . '.png';
    $image = imagecreatetruecolor(640, 360);
    imagefill($image, 0, 0, imagecolorallocate($image, 40 + $post_id % 150, 90, 140));
    imagepng($image, $file);
    imagedestroy($image);
    $attachment = wp_insert_attachment(array(
        'post_mime_type' => 'image/png', 'post_title' => 'Cover: ' . $title, 'post_status' => 'inherit',
    ), $file, $post_id);
    wp_update_attachment_metadata($attachment, wp_generate_attachment_metadata($attachment, $file));
    set_post_thumbnail($post_id, $attachment);
}

$made = array();
$trash = array();
foreach ($plan['posts'] as $post) {
    $status = $post['status'] === 'trash' ? 'publish' : $post['status'];
    $date = pagesift_mysql_time($post['date']);
    $id = wp_insert_post(array(
        'post_type' => $post['post_type'], 'post_title' => $post['title'],
        'post_content' => implode("\n\n", array_map(function ($p) {
            return "<!-- wp:paragraph -->\n<p>" . esc_html($p) . "</p>\n<!-- /wp:paragraph -->";
        }, $post['paragraphs'])),
        'post_status' => $status, 'post_password' => $post['password'], 'post_name' => $post['slug'],
        'post_date' => $date, 'post_date_gmt' => $date, 'post_author' => $users[$post['author']],
        'post_category' => array_map(function ($name) use ($categories) {
            return $categories[$name];
        }, $post['categories']),
        'tags_input' => $post['tags'],
        'post_parent' => $post['parent'] === null ? 0 : $made[$post['parent']]['id'],
        'comment_status' => 'open',
    ), true);
    if (is_wp_error($id)) {
        fwrite(STDERR, $post['key'] . ': ' . $id->get_error_message() . "\n");
        exit(1);
    }
    if ($post['format'] !== 'standard') {
        set_post_format($id, $post['format']);
    }
    if ($post['sticky']) {
        stick_post($id);
    }
    if ($post['featured_image']) {
        pagesift_featured_image($id, $post['title']);
    }
    $comment_ids = array();
    foreach ($post['comments'] as $comment) {
        $when = pagesift_mysql_time($comment['date']);
        $comment_ids[] = wp_insert_comment(array(
            'comment_post_ID' => $id, 'comment_author' => $comment['author'],
            'comment_author_email' => sanitize_title($comment['author']) . '@example.org',
            'comment_content' => $comment['text'], 'comment_date' => $when, 'comment_date_gmt' => $when,
            'comment_approved' => $comment['approved'] ? 1 : 0,
            'comment_parent' => $comment['reply_to'] === null ? 0 : $comment_ids[$comment['reply_to']],
        ));
    }
    if ($post['modified'] !== null) {
        $modified = pagesift_mysql_time($post['modified']);
        $GLOBALS['wpdb']->update($GLOBALS['wpdb']->posts,
            array('post_modified' => $modified, 'post_modified_gmt' => $modified), array('ID' => $id));
        clean_post_cache($id);
    }
    if ($post['status'] === 'trash') {
        $trash[] = $id;
    }
    $made[$post['key']] = array('id' => $id);
}
foreach ($trash as $id) {
    wp_trash_post($id);
}
wp_defer_term_counting(false);
foreach ($made as $key => $entry) {
    $made[$key]['link'] = get_permalink($entry['id']);
    $made[$key]['status'] = get_post_status($entry['id']);
}
$terms = array();
foreach ($categories as $name => $id) {
    $terms[$name] = array('id' => $id, 'link' => get_category_link($id));
}
echo wp_json_encode(array('posts' => $made, 'categories' => $terms));
