// Progressive enhancement only: without JavaScript every page works as a plain page.
// 1. Live progress for the jobs list and a job's page (otherwise the latest numbers on reload).
// 2. A rule editor's previews and its Pin / Hide buttons answer in place (the same POST, its page
//    swapped in), so a change shows as it is made. 3. A form being saved says so.
"use strict";

const POLL_MS = 1500;
const FINISHED = ["succeeded", "partial", "failed", "cancelled"];

function formatDuration(seconds) {
  if (seconds === null || seconds === undefined) return "—";
  const total = Math.round(seconds);
  const h = Math.floor(total / 3600), m = Math.floor((total % 3600) / 60), s = total % 60;
  if (h) return `${h} h ${String(m).padStart(2, "0")} min`;
  if (m) return `${m} min ${String(s).padStart(2, "0")} s`;
  return `${s} s`;
}

function paint(row, job) {
  const set = (name, value) => {
    const cell = row.querySelector(`[data-field="${name}"]`);
    if (cell) cell.textContent = value;
  };
  for (const name of ["total", "done", "indexed", "skipped", "failed"]) set(name, String(job[name]));
  // The words ("finished with 3 failures") from the server, which decides them; the status
  // itself in data-status and the class, which pick the colour.
  set("status", job.status_label);
  const status = row.querySelector('[data-field="status"]');
  if (status) { status.className = `status ${job.status}`; status.dataset.status = job.status; }
  set("rate", job.progress.rate === null ? "—" : `${job.progress.rate.toFixed(1)} pages/s`);
  set("eta", formatDuration(job.progress.eta_s));
  const bar = row.querySelector("[data-percent]");
  if (bar) bar.value = job.progress.percent;
  const text = row.querySelector("[data-percent-text]");
  if (text) text.textContent = `${job.progress.percent}%` + (job.progress.counting ? " (still counting pages)" : "");
}

async function poll(container) {
  const url = container.dataset.poll;
  let response;
  try {
    response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
  } catch (error) {
    return true;  // the network blinked: try again next time
  }
  // Signed out meanwhile (the session expired): the reload lands on the sign-in page.
  if (response.redirected) { window.location.reload(); return false; }
  if (!response.ok) return response.status >= 500;
  const data = await response.json();
  const jobs = data.jobs || [data];
  let running = false;
  for (const job of jobs) {
    const row = container.matches(`[data-job="${job.id}"]`) ? container
      : container.querySelector(`[data-job="${job.id}"]`);
    if (!row) { if (data.jobs) window.location.reload(); continue; }
    const before = row.querySelector('[data-field="status"]').dataset.status;
    paint(row, job);
    // A job's page offers other buttons once the job ends (retry): show them.
    if (!data.jobs && before !== job.status && FINISHED.includes(job.status)) window.location.reload();
    if (!FINISHED.includes(job.status)) running = true;
  }
  return running || !!data.jobs;
}

// The editor's form posted in the background; the answer's <main> replaces this one. "Save"
// is left to the browser: it redirects to another page.
async function previewInPlace(form, submitter) {
  const main = document.querySelector("main");
  main.setAttribute("aria-busy", "true");
  let response;
  try {
    // Not form.action: the editor's buttons are named "action", which that property returns.
    const target = new URL(form.getAttribute("action") || location.href, location.href);
    response = await fetch(target, {method: "POST", body: new FormData(form, submitter),
                                         credentials: "same-origin", headers: {Accept: "text/html"}});
  } catch (error) {
    main.removeAttribute("aria-busy");
    form.requestSubmit(submitter);  // the plain way
    return;
  }
  if (response.redirected) { window.location.assign(response.url); return; }
  const page = new DOMParser().parseFromString(await response.text(), "text/html");
  const fresh = page.querySelector("main");
  if (!fresh) { window.location.reload(); return; }
  main.replaceWith(document.adoptNode(fresh));
  setUp(fresh);
  // Focus where the editor was: the same button of the same result, else the preview button.
  const again = submitter && submitter.name
    ? fresh.querySelector(`button[name="${submitter.name}"][value="${CSS.escape(submitter.value)}"]`)
      || fresh.querySelector(`[data-id] button[value="${CSS.escape(submitter.value)}"]`)
    : null;
  (again || fresh.querySelector("#preview") || fresh).focus({preventScroll: true});
}

function setUp(root) {
  for (const form of root.querySelectorAll("form[data-live]")) {
    form.addEventListener("submit", (event) => {
      const submitter = event.submitter;
      if (submitter && submitter.name === "action" && submitter.value === "save") return busy(form, submitter);
      event.preventDefault();
      previewInPlace(form, submitter);
    });
  }
  for (const form of root.querySelectorAll("form[data-busy]")) {
    form.addEventListener("submit", (event) => busy(form, event.submitter));
  }
}

// Say that a save is under way; the button is disabled only after the browser has read it.
function busy(form, submitter) {
  form.setAttribute("aria-busy", "true");
  const status = form.querySelector(".saving");
  if (status) status.textContent = form.dataset.busy || "Saving…";
  if (submitter) {
    submitter.dataset.label = submitter.textContent;
    submitter.textContent = form.dataset.busy || "Saving…";
    requestAnimationFrame(() => { submitter.disabled = true; });
  }
}

document.addEventListener("DOMContentLoaded", () => {
  setUp(document);
  for (const container of document.querySelectorAll("[data-poll]")) {
    const tick = async () => { if (await poll(container)) setTimeout(tick, POLL_MS); };
    setTimeout(tick, POLL_MS);
  }
});
