<?php
/**
 * A small test runner for the plugin's PHP tests, run inside WordPress (after wp-load.php) by
 * tests/integrations/wordpress/test_plugin_php.py: every function named pagesift_test_* defined
 * by the test file is called; a failed check throws. Prints one line per failure and, last,
 * "N passed, M failed".
 *
 * @package pagesift
 */

/**
 * A failed check.
 */
class Pagesift_Test_Failure extends Exception {}

/**
 * Checks a condition.
 *
 * @param bool   $condition What must hold.
 * @param string $message   What it means.
 * @throws Pagesift_Test_Failure When it does not.
 */
function pagesift_check( $condition, $message ) {
	if ( ! $condition ) {
		throw new Pagesift_Test_Failure( $message );
	}
}

/**
 * Checks that two values are the same.
 *
 * @param mixed  $expected The value wanted.
 * @param mixed  $actual   The value got.
 * @param string $message  What it means.
 */
function pagesift_check_same( $expected, $actual, $message ) {
	pagesift_check( $expected === $actual, $message . ': expected ' . wp_json_encode( $expected ) . ', got ' . wp_json_encode( $actual ) );
}

/**
 * Runs every pagesift_test_* function; prints the failures and the count.
 */
function pagesift_run_tests() {
	// The tests look at the queue: nothing is sent while they run.
	remove_action( 'shutdown', array( 'Pagesift_Queue', 'drain_at_shutdown' ), 100 );
	$passed = 0;
	$failed = 0;
	$names  = array_filter(
		get_defined_functions()['user'],
		function ( $name ) {
			return 0 === strpos( $name, 'pagesift_test_' );
		}
	);
	sort( $names );
	foreach ( $names as $name ) {
		try {
			$name();
			++$passed;
		} catch ( Throwable $error ) {
			++$failed;
			echo 'FAILED ' . $name . ': ' . $error->getMessage() . "\n";
		}
	}
	echo $passed . ' passed, ' . $failed . " failed\n";
}
