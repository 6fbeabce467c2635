/**
 * The live search block in the editor: its options in the sidebar, a server-side preview in
 * the canvas. Plain script (wp.element.createElement, no JSX), so there is no build step; the
 * front end is rendered by PHP (Pagesift_Live_Search::render_block).
 */
( function ( wp ) {
	'use strict';

	var el = wp.element.createElement;
	var __ = wp.i18n.__;
	var InspectorControls = wp.blockEditor.InspectorControls;
	var useBlockProps = wp.blockEditor.useBlockProps;
	var PanelBody = wp.components.PanelBody;
	var ToggleControl = wp.components.ToggleControl;
	var TextControl = wp.components.TextControl;
	var ServerSideRender = wp.serverSideRender;

	var toggles = [
		[ 'showExact', __( 'Exact matches only', 'pagesift' ) ],
		[ 'showTitle', __( 'Search in title', 'pagesift' ) ],
		[ 'showContent', __( 'Search in content', 'pagesift' ) ],
		[ 'showTypes', __( 'Post type selectors', 'pagesift' ) ],
		[ 'showCategories', __( 'Filter by categories', 'pagesift' ) ]
	];

	wp.blocks.registerBlockType( 'pagesift/live-search', {
		edit: function ( props ) {
			var attributes = props.attributes;
			var controls = toggles.map( function ( toggle ) {
				return el( ToggleControl, {
					key: toggle[ 0 ],
					label: toggle[ 1 ],
					checked: !! attributes[ toggle[ 0 ] ],
					onChange: function ( value ) {
						var change = {};
						change[ toggle[ 0 ] ] = value;
						props.setAttributes( change );
					}
				} );
			} );
			controls.push( el( TextControl, {
				key: 'placeholder',
				label: __( 'Placeholder', 'pagesift' ),
				value: attributes.placeholder,
				onChange: function ( value ) {
					props.setAttributes( { placeholder: value } );
				}
			} ) );
			return el(
				'div',
				useBlockProps(),
				el( InspectorControls, null, el( PanelBody, { title: __( 'Controls shown', 'pagesift' ) }, controls ) ),
				el( ServerSideRender, { block: 'pagesift/live-search', attributes: attributes } )
			);
		},
		save: function () {
			return null;
		}
	} );
}( window.wp ) );
