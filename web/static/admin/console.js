// Live progress for the jobs list and a job's page. Progressive enhancement only: without
// JavaScript both are plain pages that show the latest numbers on reload.
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

document.addEventListener("DOMContentLoaded", () => {
  for (const container of document.querySelectorAll("[data-poll]")) {
    const tick = async () => { if (await poll(container)) setTimeout(tick, POLL_MS); };
    setTimeout(tick, POLL_MS);
  }
});
