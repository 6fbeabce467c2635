<?php
/*
 * Router for `php -S`: what Apache's rewrite rules do for WordPress's pretty permalinks.
 * A request for a file that exists (a script, a stylesheet, an upload) is served as it is; a
 * directory with an index.php (/wp-admin/) runs that; every other path goes to the front
 * controller, which resolves posts, archives, /wp-json/ and /wp-sitemap.xml itself.
 */
$path = rawurldecode(parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH) ?? '/');
$local = __DIR__ . $path;
if ($path !== '/' && strpos($path, '..') === false) {
    if (is_file($local)) {
        return false;
    }
    if (is_dir($local) && is_file(rtrim($local, '/') . '/index.php')) {
        return false;
    }
}
$_SERVER['SCRIPT_NAME'] = '/index.php';
$_SERVER['PHP_SELF'] = '/index.php';
$_SERVER['SCRIPT_FILENAME'] = __DIR__ . '/index.php';
chdir(__DIR__);
require __DIR__ . '/index.php';
