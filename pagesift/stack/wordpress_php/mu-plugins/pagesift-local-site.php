<?php
/*
 * Plugin Name: pagesift local site
 * Description: For pagesift's local WordPress (tests and `pagesift sample wordpress`): the theme
 * named by PAGESIFT_WP_THEME for this server, and mail written to a file instead of sent.
 */
if (PAGESIFT_WP_THEME !== '') {
    $pagesift_theme = function () {
        return PAGESIFT_WP_THEME;
    };
    add_filter('pre_option_stylesheet', $pagesift_theme);
    add_filter('pre_option_template', $pagesift_theme);
}

// There is no mail transport on these machines: keep what WordPress would send, for tests to read.
if (!function_exists('wp_mail')) {
    function wp_mail($to, $subject, $message, $headers = '', $attachments = array())
    {
        $line = wp_json_encode(array('to' => $to, 'subject' => $subject, 'message' => $message));
        file_put_contents(WP_CONTENT_DIR . '/mail.jsonl', $line . "\n", FILE_APPEND);
        return true;
    }
}
