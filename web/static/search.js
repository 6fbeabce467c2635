// Progressive enhancement only: the page works fully without this file.
// 1. Every control applies as soon as it changes, and the form goes to one clean URL.
// 2. Title and content cannot both be unticked. 3. Article autocomplete on the query box.
// 4. A thumbnail that fails to load leaves no empty box behind. 5. Result clicks reported by beacon.
// 6. "Related articles" opens a short list under its result instead of a page of its own.
"use strict";

document.documentElement.classList.add("js");

// The same rules as web/search/links.py:clean_args, so the server never has to redirect.
const DEFAULTS = {page: "1", sort: "relevance", exact: "0"};
const FIELDS = ["title", "content"];
const DATE_DELAY_MS = 700;
const SUGGEST_DELAY_MS = 150;
const FOCUS_KEY = "pagesift-focus";

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
  // On a phone the filters drawer stays open across the reload that applies a change.
  const drawer = location.hash === "#filters" ? "#filters" : "";
  return (query ? `${action}?${query}` : action) + drawer;
}

document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("search-form");
  if (!form) return;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    location.assign(formUrl(form));
  });
  setUpInstantApply(form);
  restoreFocus(form);
  setUpAutocomplete(document.getElementById("q"), document.getElementById("suggestions"));
  hideBrokenThumbnails();
  reportClicksByBeacon();
  showRelatedInPlace();
});

function setUpInstantApply(form) {
  let dateTimer = null;
  const note = document.getElementById("fields-note");
  form.addEventListener("change", (event) => {
    const control = event.target;
    if (!control.name || control.name === "q") return;
    if (control.name === "in" && !keepOneField(form, control, note)) return;
    const apply = () => {
      rememberFocus(control);
      form.requestSubmit();
    };
    if (control.type === "date") {
      // Typing a date fires change at every complete-looking value (year 0002, 0020...): wait.
      clearTimeout(dateTimer);
      if (control.value && Number(control.value.slice(0, 4)) < 1000) return;
      dateTimer = setTimeout(apply, DATE_DELAY_MS);
      return;
    }
    apply();
  });
}

// Applying a change loads the page again; a keyboard reader goes on from the control they
// changed, not from the top of the page.
function rememberFocus(control) {
  try {
    const where = {name: control.name, value: control.value, type: control.type};
    sessionStorage.setItem(FOCUS_KEY, JSON.stringify(where));
  } catch (error) {
    // Storage refused (private mode): focus starts at the top, as without this script.
  }
}

function restoreFocus(form) {
  let saved = null;
  try {
    saved = JSON.parse(sessionStorage.getItem(FOCUS_KEY) || "null");
    sessionStorage.removeItem(FOCUS_KEY);
  } catch (error) {
    return;
  }
  if (!saved) return;
  const same = Array.from(form.elements).find((el) => el.name === saved.name && el.type === saved.type
    && (el.type !== "checkbox" || el.value === saved.value));
  if (same && same.offsetParent !== null) same.focus();
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
function reportClicksByBeacon() {
  if (!navigator.sendBeacon) return;
  for (const link of document.querySelectorAll("a[ping]")) {
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
function showRelatedInPlace() {
  for (const link of document.querySelectorAll("a.related-link[data-api]")) {
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

function hideBrokenThumbnails() {
  for (const img of document.querySelectorAll("img.thumb")) {
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
