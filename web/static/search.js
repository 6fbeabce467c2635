// Progressive enhancement only: the page works fully without this file.
// 1. Facet checkboxes and the sort menu apply at once. 2. Title autocomplete on the query box.
"use strict";

document.documentElement.classList.add("js");

document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("search-form");
  if (!form) return;
  form.addEventListener("change", (event) => {
    if (event.target.classList && event.target.classList.contains("autosubmit")) form.requestSubmit();
  });
  setUpAutocomplete(form, document.getElementById("q"), document.getElementById("suggestions"));
  // On a phone the filter lists would push the results a screen down: start them folded.
  const filters = document.getElementById("filters");
  if (filters && window.matchMedia("(max-width: 48rem)").matches) filters.open = false;
});

function setUpAutocomplete(form, input, list) {
  if (!input || !list) return;
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
    if (index >= 0) input.setAttribute("aria-activedescendant", items[index].id);
    else input.removeAttribute("aria-activedescendant");
  };
  const choose = (title) => {
    input.value = title;
    close();
    form.requestSubmit();
  };
  const show = (suggestions) => {
    list.replaceChildren();
    suggestions.forEach((s, i) => {
      const item = document.createElement("li");
      item.id = `suggestion-${i}`;
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", "false");
      item.textContent = s.title;  // text, never markup
      item.addEventListener("mousedown", (event) => {
        event.preventDefault();
        choose(s.title);
      });
      list.appendChild(item);
    });
    list.hidden = suggestions.length === 0;
    input.setAttribute("aria-expanded", suggestions.length ? "true" : "false");
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
      if (ticket === latest) show(data.suggestions || []);
    } catch (error) {
      close();  // autocomplete is a nicety; searching still works
    }
  };

  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(fetchSuggestions, 150);
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
      choose(items[active].textContent);
    } else if (event.key === "Escape") {
      close();
    }
  });
  input.addEventListener("blur", () => setTimeout(close, 100));
}
