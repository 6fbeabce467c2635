/**
 * Settings → pagesift: the connection test and the full sync's loop and progress bar.
 * Plain script, no build step.
 */
( function () {
	'use strict';

	var config = window.pagesiftAdmin;

	function post( action, fields ) {
		var body = new window.FormData();
		body.append( 'action', action );
		body.append( 'nonce', config.nonce );
		Object.keys( fields || {} ).forEach( function ( name ) {
			body.append( name, fields[ name ] );
		} );
		return window.fetch( config.ajaxUrl, { method: 'POST', body: body, credentials: 'same-origin' } )
			.then( function ( response ) {
				return response.json();
			} );
	}

	function format( template, a, b ) {
		return template.replace( '%1$s', a ).replace( '%2$s', b );
	}

	var check = document.getElementById( 'pagesift-check' );
	var checkResult = document.getElementById( 'pagesift-check-result' );
	if ( check ) {
		check.addEventListener( 'click', function () {
			checkResult.textContent = config.text.checking;
			post( 'pagesift_check' ).then( function ( answer ) {
				checkResult.textContent = answer.data && answer.data.message ? answer.data.message : '';
			} );
		} );
	}

	var sync = document.getElementById( 'pagesift-sync' );
	var bar = document.getElementById( 'pagesift-sync-progress' );
	var status = document.getElementById( 'pagesift-sync-status' );

	function step( after ) {
		post( 'pagesift_sync', { after: after } ).then( function ( answer ) {
			var data = answer.data || {};
			if ( ! answer.success ) {
				status.textContent = config.text.failed + ( data.error || data.message || '' );
				sync.disabled = false;
				return;
			}
			bar.max = Math.max( data.total, 1 );
			bar.value = data.sent;
			status.textContent = format( config.text.progress, data.sent, data.total );
			if ( data.done ) {
				status.textContent = config.text.done;
				sync.disabled = false;
				return;
			}
			step( data.next );
		} ).catch( function ( error ) {
			status.textContent = config.text.failed + error;
			sync.disabled = false;
		} );
	}

	if ( sync ) {
		sync.addEventListener( 'click', function () {
			sync.disabled = true;
			bar.hidden = false;
			bar.value = 0;
			step( 0 );
		} );
	}
}() );
