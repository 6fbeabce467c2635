// Progressive enhancement only: the page works fully without this file.
// 1. Results as you type and tick: the server renders the page's changing regions
//    (/search/results, the page's own partials) and they are swapped in place; the address
//    follows, so back, reload and sharing work. 2. Title and content cannot both be unticked.
// 3. Article autocomplete on the query box. 4. A thumbnail that fails to load leaves no empty
// box behind. 5. Result clicks reported by beacon. 6. "Related articles" opens in place.
"use strict";

document.documentElement.classList.add("js");

// The same rules as web/search/links.py:clean_args, so the server never has to redirect.
const DEFAULTS = {page: "1", sort: "relevance", exact: "0", spell: "1"};
const FIELDS = ["title", "content"];
const DATE_DELAY_MS = 700;
const SUGGEST_DELAY_MS = 150;
// Typing: a search once the reader pauses this long (a fast typist's keys come 100-200 ms apart).
const TYPING_DELAY_MS = 150;
// A search typed and then left alone this long was read: it is logged (typed-over ones are not).
const SETTLED_MS = 2000;
const TYPING_HEADER = "X-Pagesift-Typing";

function cleanQuery(pairs) {
  let kept = pairs.filter(([name, value]) => value.trim() !== "" && DEFAULTS[name] !== value.trim());
  const fields = new Set(kept.filter(([name]) => name === "in").map(([, value]) => value));
  if (FIELDS.every((field) => fields.has(field))) kept = kept.filter(([name]) => name !== "in");
  return new URLSearchParams(kept).toString();
}

function formUrl(form) {
  const pairs = Array.from(new FormData(form), ([name, value]) => [name, String(value)]);
  const query = cleanQuery(pairs);
  const action = new URL(form.action, location.href).pathname;
  // On a phone the filters drawer stays open while a change applies.
  const drawer = location.hash === "#filters" ? "#filters" : "";
  return (query ? `${action}?${query}` : action) + drawer;
}

document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("search-form");
  if (form) setUpInstantSearch(form);
  setUpAutocomplete(document.getElementById("q"), document.getElementById("suggestions"));
  enhanceResults(document);
});

// What the regions' links and images need, on the page and on every region swapped in.
function enhanceResults(root) {
  hideBrokenThumbnails(root);
  reportClicksByBeacon(root);
  showRelatedInPlace(root);
}

function setUpInstantSearch(form) {
  const fragment = form.dataset.fragment;
  const input = form.elements.namedItem("q");
  const note = document.getElementById("fields-note");
  const log = typedSearchLog();
  let controller = null;
  let typingTimer = null;
  let dateTimer = null;
  let typingRun = false;  // the first search of a run of keystrokes adds a history entry, the rest replace it
  let shown = location.pathname + location.search;

  // Fetch the regions for `url` (a page URL), swap them in, and keep the address in step.
  const load = async (url, {push = true, typing = false} = {}) => {
    const target = new URL(url, location.href);
    if (!typing) log.flush();  // a deliberate change: what was on screen was read
    log.drop();
    if (controller) controller.abort();
    const mine = controller = new AbortController();
    const results = document.getElementById("results");
    results.setAttribute("aria-busy", "true");
    const started = performance.now();
    let response;
    try {
      response = await fetch(fragment + target.search, {
        signal: mine.signal, headers: {Accept: "text/html", [TYPING_HEADER]: typing ? "1" : "0"}});
    } catch (error) {
      if (error.name === "AbortError") return;  // a newer search took over
      location.assign(target.href);  // offline or refused: the page itself says what happened
      return;
    }
    // 400 is the page's own message (a bad date...); anything else (429, 503) gets the whole page.
    if (!response.ok && response.status !== 400) {
      location.assign(target.href);
      return;
    }
    const html = await response.text();
    if (mine.signal.aborted) return;  // typed over while the answer was read
    const address = target.pathname + target.search + target.hash;
    if (push) history.pushState({pagesift: true}, "", address);
    else history.replaceState({pagesift: true}, "", address);
    // Only a search that landed starts the run: if the first key's answer was typed over, the
    // next key's search must add the entry, or it would replace the page the reader came from.
    if (typing) typingRun = true;
    shown = target.pathname + target.search;
    swapRegions(html);
    results.removeAttribute("aria-busy");
    if (typing) log.pending(document.getElementById("results-region"));
    document.dispatchEvent(new CustomEvent("pagesift:results", {
      detail: {url: address, q: target.searchParams.get("q") || "", ms: performance.now() - started}}));
  };

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(typingTimer);
    const url = formUrl(form);
    typingRun = false;
    if (new URL(url, location.href).search === location.search) {
      log.flush();  // Enter on results already shown: they were wanted
      return;
    }
    load(url, {push: true});
  });

  input.addEventListener("input", () => {
    // New words are corrected again: "Search instead for" (spell=0) was for the old ones.
    form.elements.namedItem("spell").value = "";
    clearTimeout(typingTimer);
    typingTimer = setTimeout(() => {
      const url = formUrl(form);
      if (new URL(url, location.href).search === location.search) return;
      load(url, {push: !typingRun, typing: true});
    }, TYPING_DELAY_MS);
  });

  form.addEventListener("change", (event) => {
    const control = event.target;
    if (!control.name || control.name === "q") return;
    if (control.name === "in" && !keepOneField(form, control, note)) return;
    typingRun = false;
    const apply = () => load(formUrl(form), {push: true});
    if (control.type === "date") {
      // Typing a date fires change at every complete-looking value (year 0002, 0020...): wait.
      clearTimeout(dateTimer);
      if (control.value && Number(control.value.slice(0, 4)) < 1000) return;
      dateTimer = setTimeout(apply, DATE_DELAY_MS);
      return;
    }
    apply();
  });

  // The regions' own links (chips, pages, year bars, "did you mean", "clear all") are searches too.
  document.addEventListener("click", (event) => {
    const link = event.target.closest("a[href]");
    if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey
        || event.shiftKey || event.altKey || !link.closest("#results-region, #facets")
        || link.getAttribute("href").startsWith("#")) return;  // "Filters" opens the drawer
    const url = new URL(link.href, location.href);
    const page = new URL(form.action, location.href);
    if (url.origin !== location.origin || ![page.pathname, location.pathname].includes(url.pathname)) return;
    event.preventDefault();
    typingRun = false;
    url.hash = location.hash === "#filters" ? "#filters" : "";
    syncControls(form, url.searchParams);
    load(url.href, {push: true}).then(() => {
      if (url.searchParams.has("page")) document.getElementById("results").scrollIntoView({block: "start"});
    });
  });

  // Back and forward: the regions of that address (a change of #filters alone is not a search).
  window.addEventListener("popstate", () => {
    if (location.pathname + location.search === shown) return;
    syncControls(form, new URLSearchParams(location.search));
    load(location.href, {push: false});
  });
  history.replaceState({pagesift: true}, "", location.href);
}

// The controls the regions do not hold, set from an address (a link followed, back, forward).
function syncControls(form, params) {
  const q = form.elements.namedItem("q");
  if (q) q.value = params.get("q") || "";
  for (const box of form.querySelectorAll("input[type=checkbox]")) {
    if (box.closest("[data-region]")) continue;
    const values = params.getAll(box.name);
    box.checked = box.name === "in" ? values.length === 0 || values.includes(box.value) : values.includes(box.value);
  }
  for (const name of ["from", "to", "spell"]) {
    const field = form.elements.namedItem(name);
    if (field) field.value = params.get(name) || "";
  }
}

// Each [data-region] of the answer takes the place of the page's element with its id; focus
// stays on the control the reader used, now the new region's.
function swapRegions(html) {
  const answer = new DOMParser().parseFromString(html, "text/html");
  const active = document.activeElement;
  const focused = active && active.closest("[data-region]") ? {name: active.name, value: active.value,
    type: active.type, id: active.id} : null;
  for (const region of answer.querySelectorAll("[data-region]")) {
    const current = document.getElementById(region.id);
    if (!current) continue;
    const fresh = document.adoptNode(region);
    current.replaceWith(fresh);
    enhanceResults(fresh);
  }
  if (answer.title) document.title = answer.title.trim();
  if (focused) {
    const same = focused.id ? document.getElementById(focused.id) : Array.from(document.querySelectorAll(
      "[data-region] [name]")).find((el) => el.name === focused.name && el.type === focused.type
        && (el.type !== "checkbox" || el.value === focused.value));
    if (same) same.focus({preventScroll: true});
  }
}

// Searches sent as the reader typed are logged once the reader stays on their results
// (web/searchlog/recording.py): a pause, a click on a result, a filter, leaving the page.
function typedSearchLog() {
  let url = null;
  let timer = null;
  const flush = () => {
    clearTimeout(timer);
    if (url && navigator.sendBeacon) navigator.sendBeacon(url);
    url = null;
  };
  document.addEventListener("visibilitychange", () => { if (document.visibilityState === "hidden") flush(); });
  window.addEventListener("pagehide", flush);
  document.addEventListener("click", (event) => { if (event.target.closest(".hit a")) flush(); }, true);
  return {
    flush,
    drop: () => { clearTimeout(timer); url = null; },
    pending: (region) => {
      url = region && region.dataset.log ? region.dataset.log : null;
      if (url) timer = setTimeout(flush, SETTLED_MS);
    },
  };
}

// Unticking the last of title and content would search both without saying so: refuse, and say why.
function keepOneField(form, control, note) {
  const ticked = form.querySelectorAll("input[type=checkbox][name=in]:checked");
  if (ticked.length > 0) {
    if (note) note.textContent = "";
    return true;
  }
  control.checked = true;
  if (note) note.textContent = note.dataset.message || "Search in the title, the content or both.";
  return false;
}

// A result link's ping= reports its click without script, but some browsers switch pings off.
// sendBeacon works in all of them and, like a ping, never holds up opening the article; the
// ping is dropped so that a click is reported once.
function reportClicksByBeacon(root) {
  if (!navigator.sendBeacon) return;
  for (const link of root.querySelectorAll("a[ping]")) {
    const report = link.getAttribute("ping");
    link.removeAttribute("ping");
    const send = (event) => {
      if (event.type === "auxclick" && event.button !== 1) return;  // middle click opens a tab too
      navigator.sendBeacon(report);
    };
    link.addEventListener("click", send);
    link.addEventListener("auxclick", send);
  }
}

// Without script the link opens /related; with it, the same articles (/api/related) open as a
// list under the result, and a second click closes them. A failed request follows the link.
function showRelatedInPlace(root) {
  for (const link of root.querySelectorAll("a.related-link[data-api]")) {
    link.setAttribute("aria-expanded", "false");
    link.addEventListener("click", async (event) => {
      if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
      event.preventDefault();
      const open = document.getElementById(link.getAttribute("aria-controls") || "");
      if (open) {
        open.remove();
        link.removeAttribute("aria-controls");
        link.setAttribute("aria-expanded", "false");
        return;
      }
      try {
        const answer = await fetch(link.dataset.api, {headers: {Accept: "application/json"}});
        if (!answer.ok) throw new Error(String(answer.status));
        const list = relatedList((await answer.json()).hits, link.dataset.none || "");
        list.id = `related-${Math.random().toString(36).slice(2)}`;
        link.closest(".meta").after(list);
        link.setAttribute("aria-controls", list.id);
        link.setAttribute("aria-expanded", "true");
      } catch {
        location.assign(link.href);
      }
    });
  }
}

// Titles and URLs as text and attributes only: they come from indexed pages.
function relatedList(hits, none) {
  const list = document.createElement("ol");
  list.className = "related related-inline";
  for (const hit of hits) {
    const item = document.createElement("li");
    if (hit.language) item.lang = hit.language;
    const anchor = document.createElement("a");
    if (hit.url) anchor.href = hit.url;
    anchor.textContent = hit.title || hit.url;
    item.append(anchor);
    list.append(item);
  }
  if (!hits.length) {
    const item = document.createElement("li");
    item.className = "none";
    item.textContent = none;
    list.append(item);
  }
  return list;
}

function hideBrokenThumbnails(root) {
  for (const img of root.querySelectorAll("img.thumb")) {
    if (img.complete && img.naturalWidth === 0 && img.getAttribute("src")) img.remove();
    else img.addEventListener("error", () => img.remove(), {once: true});
  }
}

// The words of `text` that start with a typed word, their typed part in <mark> (as DOM nodes:
// titles come from indexed pages and are never parsed as markup).
function markPrefixes(text, typed) {
  const words = typed.toLocaleLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  const fragment = document.createDocumentFragment();
  let last = 0;
  for (const match of text.matchAll(/[\p{L}\p{N}]+/gu)) {
    const lower = match[0].toLocaleLowerCase();
    const longest = words.filter((w) => lower.startsWith(w)).reduce((a, w) => Math.max(a, w.length), 0);
    // Lower-casing can change a word's length (rare letters): then leave the word unmarked.
    if (!longest || lower.length !== match[0].length) continue;
    fragment.append(text.slice(last, match.index));
    const mark = document.createElement("mark");
    mark.textContent = match[0].slice(0, longest);
    fragment.append(mark);
    last = match.index + longest;
  }
  fragment.append(text.slice(last));
  return fragment;
}

function whereTo(url) {
  try {
    const parsed = new URL(url);
    return parsed.host.replace(/^www\./, "") + parsed.pathname.replace(/\/$/, "");
  } catch (error) {
    return "";
  }
}

// The ARIA 1.2 combobox pattern: focus stays in the input, aria-activedescendant names the option.
function setUpAutocomplete(input, list) {
  if (!input || !list) return;
  const form = input.form;
  let timer = null;
  let active = -1;
  let latest = 0;

  const options = () => Array.from(list.querySelectorAll("[role=option]"));
  const close = () => {
    list.hidden = true;
    list.replaceChildren();
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  };
  const highlight = (index) => {
    const items = options();
    items.forEach((item, i) => item.setAttribute("aria-selected", i === index ? "true" : "false"));
    active = index;
    if (index >= 0) {
      input.setAttribute("aria-activedescendant", items[index].id);
      items[index].scrollIntoView({block: "nearest"});
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  };
  // An article opens itself: the reader picked it, a search for its title would be a detour.
  const choose = (item) => {
    const url = item.dataset.url;
    close();
    if (url) {
      location.assign(url);
    } else {
      if (item.dataset.title) input.value = item.dataset.title;
      form.requestSubmit();
    }
  };
  const option = (id, build) => {
    const item = document.createElement("li");
    item.id = id;
    item.setAttribute("role", "option");
    item.setAttribute("aria-selected", "false");
    build(item);
    item.addEventListener("mousedown", (event) => event.preventDefault());  // keep focus in the input
    item.addEventListener("click", () => choose(item));
    return item;
  };
  const show = (typed, suggestions) => {
    const items = suggestions.map((s, i) => option(`suggestion-${i}`, (item) => {
      if (s.url) item.dataset.url = s.url;
      item.dataset.title = s.title;
      const title = document.createElement("span");
      title.className = "s-title";
      title.append(markPrefixes(s.title, typed));
      item.append(title);
      if (s.url) {
        const where = document.createElement("span");
        where.className = "s-where";
        where.textContent = whereTo(s.url);
        item.append(where);
      }
    }));
    if (items.length) {
      items.push(option("suggestion-search", (item) => {
        item.className = "s-search";
        item.dataset.title = typed;
        item.textContent = (list.dataset.searchFor || "Search for “%s”").replace("%s", typed);
      }));
    }
    list.replaceChildren(...items);
    list.hidden = items.length === 0;
    input.setAttribute("aria-expanded", items.length ? "true" : "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  };
  const fetchSuggestions = async () => {
    const q = input.value.trim();
    const ticket = ++latest;
    if (q.length < 2) return close();
    try {
      const response = await fetch(`/api/suggest?q=${encodeURIComponent(q)}`, {headers: {Accept: "application/json"}});
      if (!response.ok || ticket !== latest) return;
      const data = await response.json();
      if (ticket === latest) show(q, data.suggestions || []);
    } catch (error) {
      close();  // autocomplete is a nicety; searching still works
    }
  };

  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(fetchSuggestions, SUGGEST_DELAY_MS);
  });
  input.addEventListener("keydown", (event) => {
    const items = options();
    if (list.hidden || items.length === 0) return;
    if (event.key === "ArrowDown") {
      event.preventDefault();
      highlight((active + 1) % items.length);
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      highlight(active <= 0 ? items.length - 1 : active - 1);
    } else if (event.key === "Enter" && active >= 0) {
      event.preventDefault();
      choose(items[active]);
    } else if (event.key === "Escape") {
      event.preventDefault();
      close();
    }
  });
  input.addEventListener("blur", () => setTimeout(close, 100));
}
