/*
 * Installs the site (run by WordPressSite.install after wp-load.php, WP_INSTALLING defined).
 * Settings arrive as JSON in PAGESIFT_WP_INSTALL: title, locale, password, theme.
 */
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
$pagesift = json_decode(getenv('PAGESIFT_WP_INSTALL'), true);
if (!is_blog_installed()) {
    wp_install($pagesift['title'], 'admin', 'admin@example.org', true, '', $pagesift['password'],
               $pagesift['locale']);
}
// The first post, sample page, privacy-policy draft and comment wp_install writes: a site
// holds what its caller puts in, nothing else.
foreach (get_posts(array('post_type' => 'any', 'post_status' => 'any', 'numberposts' => -1)) as $post) {
    wp_delete_post($post->ID, true);
}
update_option('WPLANG', $pagesift['locale']);
update_option('timezone_string', 'UTC');
update_option('blog_public', 1);
update_option('default_pingback_flag', 0);
update_option('default_ping_status', 'closed');
global $wp_rewrite;
$wp_rewrite->set_permalink_structure('/%year%/%monthnum%/%postname%/');
$wp_rewrite->flush_rules(false);
switch_theme($pagesift['theme']);
echo "installed\n";
