/**
 * pagesift live search: the search form's field becomes an ARIA combobox whose listbox shows
 * pagesift's results as the reader types. Plain script, no build step, no dependency.
 *
 * Keys: ArrowDown / ArrowUp move through the results, Enter opens the active one (or submits
 * the form to the full search page when none is active), Escape closes the list (a second
 * Escape clears the field), Home / End stay in the text. Results are links, so a pointer or a
 * screen reader's browse mode opens them as links too.
 */
( function () {
	'use strict';

	var DELAY = 200;

	function debounce( fn, wait ) {
		var timer = null;
		return function () {
			window.clearTimeout( timer );
			timer = window.setTimeout( fn, wait );
		};
	}

	/**
	 * A title as text with pagesift's <mark> highlights kept, and nothing else: the HTML is
	 * parsed inert and only text and MARK elements are copied.
	 */
	function highlighted( html, fallback ) {
		var fragment = document.createDocumentFragment();
		var parsed = new window.DOMParser().parseFromString( '<body>' + ( html || '' ) + '</body>', 'text/html' );
		Array.prototype.forEach.call( parsed.body.childNodes, function ( node ) {
			if ( node.nodeType === 3 ) {
				fragment.appendChild( document.createTextNode( node.textContent ) );
			} else if ( node.nodeName === 'MARK' ) {
				var mark = document.createElement( 'mark' );
				mark.textContent = node.textContent;
				fragment.appendChild( mark );
			} else {
				fragment.appendChild( document.createTextNode( node.textContent || '' ) );
			}
		} );
		if ( ! fragment.childNodes.length ) {
			fragment.appendChild( document.createTextNode( fallback || '' ) );
		}
		return fragment;
	}

	function LiveSearch( root ) {
		this.root = root;
		this.config = JSON.parse( root.getAttribute( 'data-pagesift-live' ) || '{}' );
		this.form = root.querySelector( 'form' );
		this.input = root.querySelector( '[role="combobox"]' );
		this.list = root.querySelector( '[role="listbox"]' );
		this.status = root.querySelector( '[role="status"]' );
		this.all = root.querySelector( '.pagesift-live__all a' );
		this.active = -1;
		this.request = null;
		this.bind();
	}

	LiveSearch.prototype.bind = function () {
		var self = this;
		var later = debounce( function () {
			self.search();
		}, DELAY );
		this.input.addEventListener( 'input', later );
		this.form.addEventListener( 'change', function ( event ) {
			if ( event.target !== self.input ) {
				self.search();
			}
		} );
		this.input.addEventListener( 'keydown', function ( event ) {
			self.key( event );
		} );
		this.input.addEventListener( 'blur', function () {
			// Later than a click on a result, which must still land on its link.
			window.setTimeout( function () {
				if ( ! self.root.contains( document.activeElement ) ) {
					self.close();
				}
			}, 150 );
		} );
		this.updateAll();
	};

	/** The form's filters, as pagesift's parameters. */
	LiveSearch.prototype.params = function () {
		var params = new window.URLSearchParams();
		var data = new window.FormData( this.form );
		params.append( 'q', this.input.value.trim() );
		params.append( 'size', String( this.config.size || 6 ) );
		data.getAll( 'pagesift_in[]' ).forEach( function ( v ) {
			params.append( 'in', v );
		} );
		if ( data.get( 'pagesift_exact' ) ) {
			params.append( 'exact', '1' );
		}
		data.getAll( 'pagesift_type[]' ).forEach( function ( v ) {
			params.append( 'type', v );
		} );
		data.getAll( 'pagesift_category[]' ).forEach( function ( v ) {
			if ( v ) {
				params.append( 'category', v );
			}
		} );
		return params;
	};

	/** The plain link to the full search page follows what is typed and chosen. */
	LiveSearch.prototype.updateAll = function () {
		if ( ! this.all ) {
			return;
		}
		var query = new window.URLSearchParams( new window.FormData( this.form ) );
		this.all.href = this.form.action + ( this.form.action.indexOf( '?' ) < 0 ? '?' : '&' ) + query.toString();
	};

	LiveSearch.prototype.search = function () {
		var self = this;
		var q = this.input.value.trim();
		this.updateAll();
		if ( this.request ) {
			this.request.abort();
			this.request = null;
		}
		if ( q.length < ( this.config.minChars || 2 ) || ! this.config.endpoint ) {
			this.close();
			return;
		}
		var controller = new window.AbortController();
		this.request = controller;
		window.fetch( this.config.endpoint + '?' + this.params().toString(), {
			signal: controller.signal,
			credentials: 'omit',
			headers: { Accept: 'application/json' }
		} ).then( function ( response ) {
			if ( ! response.ok ) {
				throw new Error( 'HTTP ' + response.status );
			}
			return response.json();
		} ).then( function ( answer ) {
			if ( self.request === controller ) {
				self.show( answer );
			}
		} ).catch( function ( error ) {
			if ( error.name !== 'AbortError' ) {
				self.close();
				self.status.textContent = self.config.text.error;
			}
		} );
	};

	LiveSearch.prototype.show = function ( answer ) {
		var self = this;
		var hits = answer.hits || [];
		this.list.textContent = '';
		this.active = -1;
		this.input.removeAttribute( 'aria-activedescendant' );
		hits.forEach( function ( hit, index ) {
			var item = document.createElement( 'li' );
			item.id = self.list.id + '-' + index;
			item.setAttribute( 'role', 'option' );
			item.setAttribute( 'aria-selected', 'false' );
			item.className = 'pagesift-live__result';
			var link = document.createElement( 'a' );
			link.href = hit.url;
			link.tabIndex = -1;
			link.setAttribute( 'dir', 'auto' );
			link.appendChild( highlighted( hit.title_html, hit.title ) );
			item.appendChild( link );
			var meta = [ ( hit.categories || [] ).join( ', ' ), ( hit.published || '' ).slice( 0, 10 ) ].filter( Boolean );
			if ( meta.length ) {
				var small = document.createElement( 'span' );
				small.className = 'pagesift-live__meta';
				small.textContent = meta.join( ' · ' );
				item.appendChild( small );
			}
			item.addEventListener( 'mousemove', function () {
				self.activate( index );
			} );
			self.list.appendChild( item );
		} );
		var total = answer.total || 0;
		this.status.textContent = total === 0 ? this.config.text.none
			: total === 1 ? this.config.text.one : this.config.text.results.replace( '%d', String( total ) );
		if ( hits.length ) {
			this.list.hidden = false;
			this.input.setAttribute( 'aria-expanded', 'true' );
		} else {
			this.close();
		}
	};

	LiveSearch.prototype.close = function () {
		this.list.hidden = true;
		this.input.setAttribute( 'aria-expanded', 'false' );
		this.input.removeAttribute( 'aria-activedescendant' );
		this.active = -1;
	};

	LiveSearch.prototype.activate = function ( index ) {
		var items = this.list.querySelectorAll( '[role="option"]' );
		if ( ! items.length ) {
			return;
		}
		index = ( index + items.length ) % items.length;
		Array.prototype.forEach.call( items, function ( item, i ) {
			item.setAttribute( 'aria-selected', i === index ? 'true' : 'false' );
		} );
		this.active = index;
		this.input.setAttribute( 'aria-activedescendant', items[ index ].id );
		items[ index ].scrollIntoView( { block: 'nearest' } );
	};

	LiveSearch.prototype.key = function ( event ) {
		var open = ! this.list.hidden;
		switch ( event.key ) {
			case 'ArrowDown':
				event.preventDefault();
				if ( open ) {
					this.activate( this.active + 1 );
				} else {
					this.search();
				}
				break;
			case 'ArrowUp':
				if ( open ) {
					event.preventDefault();
					this.activate( this.active < 0 ? -1 : this.active - 1 );
				}
				break;
			case 'Enter':
				if ( open && this.active >= 0 ) {
					event.preventDefault();
					var link = this.list.querySelectorAll( '[role="option"] a' )[ this.active ];
					window.location.assign( link.href );
				}
				break;
			case 'Escape':
				if ( open ) {
					event.preventDefault();
					this.close();
				} else if ( this.input.value ) {
					event.preventDefault();
					this.input.value = '';
					this.updateAll();
				}
				break;
			case 'Tab':
				this.close();
				break;
		}
	};

	function start() {
		Array.prototype.forEach.call( document.querySelectorAll( '[data-pagesift-live]' ), function ( root ) {
			if ( ! root.pagesiftLive ) {
				root.pagesiftLive = new LiveSearch( root );
			}
		} );
	}

	if ( document.readyState === 'loading' ) {
		document.addEventListener( 'DOMContentLoaded', start );
	} else {
		start();
	}
}() );
