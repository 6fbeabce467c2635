// The analytics page's charts, drawn from the tables the server rendered: the tables stay the
// record (and what a reader without JavaScript gets); a chart only draws their numbers.
"use strict";

// design.css: --accent, --error, --ok.
const COLOURS = ["#3b3fb6", "#b42318", "#1d6b2f"];

function tableSeries(table) {
  const heads = Array.from(table.tHead.rows[0].cells);
  const rows = Array.from(table.tBodies[0].rows);
  const labels = rows.map((row) => row.cells[0].textContent.trim());
  const columns = heads.map((cell, index) => ({cell, index})).slice(1);
  const datasets = columns.map(({cell, index}, n) => ({
    label: cell.dataset.series || cell.textContent.trim(),
    data: rows.map((row) => Number(row.cells[index].dataset.value || row.cells[index].textContent)),
    borderColor: COLOURS[n % COLOURS.length],
    backgroundColor: COLOURS[n % COLOURS.length],
  }));
  return {labels, datasets};
}

function draw(canvas) {
  const name = canvas.dataset.chart;
  const table = document.querySelector(`table[data-chart-source="${name}"]`);
  if (!table || !table.tBodies.length || !table.tBodies[0].rows.length) {
    canvas.remove();
    return;
  }
  const data = tableSeries(table);
  const chart = new window.Chart(canvas, {
    type: name === "positions" ? "bar" : "line",
    data,
    options: {
      animation: false,
      responsive: true,
      aspectRatio: 3.2,
      scales: {y: {beginAtZero: true, ticks: {precision: 0}}},
      plugins: {legend: {display: data.datasets.length > 1}},
    },
  });
  canvas.dataset.drawn = String(chart.data.datasets.length);
}

document.addEventListener("DOMContentLoaded", () => {
  if (!window.Chart) return;  // the tables say it all
  document.querySelectorAll("canvas[data-chart]").forEach(draw);
});
