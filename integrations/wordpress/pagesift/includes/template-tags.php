<?php
/**
 * Template tags: what a theme calls to show pagesift's facets on its search page.
 *
 * @package pagesift
 */

defined( 'ABSPATH' ) || exit;

/**
 * Pagesift's answer to the page's search, or null when pagesift did not answer it (WordPress's
 * own search did, or this is not a search page).
 *
 * @return array<string, mixed>|null
 */
function pagesift_search_answer() {
	return Pagesift_Search::answer();
}

/**
 * The facets of the page's search: name => list of array( value, count, selected ).
 *
 * @return array<string, array<int, array<string, mixed>>>
 */
function pagesift_facets() {
	$answer = pagesift_search_answer();
	return null !== $answer && isset( $answer['facets'] ) && is_array( $answer['facets'] ) ? $answer['facets'] : array();
}

/**
 * The search page's address with one facet value selected, or unselected if it was.
 *
 * @param string $name  A facet: category, tag, author, type, language, year.
 * @param string $value Its value.
 * @return string
 */
function pagesift_facet_url( $name, $value ) {
	$filters = Pagesift_Search::reader_filters();
	$current = isset( $filters[ $name ] ) ? array_map( 'strval', (array) $filters[ $name ] ) : array();
	$value   = (string) $value;
	$values  = in_array( $value, $current, true ) ? array_values( array_diff( $current, array( $value ) ) ) : array_merge( $current, array( $value ) );
	$args    = array( 's' => get_search_query( false ) );
	foreach ( $filters as $filter => $chosen ) {
		$args[ 'pagesift_' . $filter ] = $chosen;
	}
	$args[ 'pagesift_' . $name ] = $values;
	return add_query_arg( array_filter( $args ), home_url( '/' ) );
}

/**
 * The facets as lists of links with counts, for a theme's search page or sidebar.
 *
 * @param string[]|null $names Facets to show, in this order; null for all pagesift returned.
 * @return string HTML.
 */
function pagesift_render_facets( $names = null ) {
	$facets = pagesift_facets();
	$labels = array(
		'category' => __( 'Categories', 'pagesift' ),
		'tag'      => __( 'Tags', 'pagesift' ),
		'author'   => __( 'Authors', 'pagesift' ),
		'type'     => __( 'Types', 'pagesift' ),
		'language' => __( 'Languages', 'pagesift' ),
		'year'     => __( 'Years', 'pagesift' ),
	);
	$html   = '';
	foreach ( null === $names ? array_keys( $facets ) : $names as $name ) {
		if ( empty( $facets[ $name ] ) || ! isset( $labels[ $name ] ) ) {
			continue;
		}
		$items = '';
		foreach ( $facets[ $name ] as $entry ) {
			$selected = ! empty( $entry['selected'] );
			// The category facet comes as a tree: each value's own name, indented under its parent.
			$depth    = isset( $entry['depth'] ) ? min( 4, (int) $entry['depth'] ) : 0;
			$classes  = trim( ( $selected ? 'is-selected ' : '' ) . ( $depth ? 'pagesift-facets__depth-' . $depth : '' ) );
			$items   .= sprintf(
				'<li%1$s><a href="%2$s"%3$s%6$s>%4$s</a> <span class="pagesift-facets__count">%5$s</span></li>',
				'' !== $classes ? ' class="' . esc_attr( $classes ) . '"' : '',
				esc_url( pagesift_facet_url( $name, (string) $entry['value'] ) ),
				$selected ? ' aria-current="true"' : '',
				esc_html( isset( $entry['label'] ) ? (string) $entry['label'] : (string) $entry['value'] ),
				esc_html( number_format_i18n( (int) $entry['count'] ) ),
				isset( $entry['parent'] ) ? ' title="' . esc_attr( (string) $entry['value'] ) . '"' : ''
			);
		}
		$html .= sprintf(
			'<nav class="pagesift-facets__facet" aria-label="%1$s"><h2 class="pagesift-facets__title">%2$s</h2><ul>%3$s</ul></nav>',
			esc_attr( $labels[ $name ] ),
			esc_html( $labels[ $name ] ),
			$items
		);
	}
	return '' !== $html ? '<div class="pagesift-facets">' . $html . '</div>' : '';
}
