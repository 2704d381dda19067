// armsgate's pages: charts drawn from the figures each page embeds (the same figures are
// in a table under each chart), and focus moved to a form's list of problems.
(function () {
  "use strict";
  var palette = ["#1b4f72", "#b03a2e", "#1e8449", "#7d3c98", "#b9770e", "#117a65", "#5d6d7e"];

  function draw(canvas) {
    if (!window.Chart || canvas.dataset.drawn) { return; }
    var data = JSON.parse(document.getElementById(canvas.id + "-data").textContent);
    var names = Object.keys(data.series);
    var kind = canvas.dataset.chart;
    var stacked = canvas.dataset.stacked === "yes";
    var datasets = names.map(function (name, i) {
      var colour = palette[i % palette.length];
      return {label: name, data: data.series[name], backgroundColor: kind === "doughnut"
        ? data.labels.map(function (_, j) { return palette[j % palette.length]; }) : colour,
        borderColor: colour, fill: false, tension: 0.2};
    });
    canvas.dataset.drawn = "yes";
    new window.Chart(canvas, {
      type: kind,
      data: {labels: data.labels, datasets: datasets},
      options: {animation: false, responsive: true, maintainAspectRatio: false,
        scales: kind === "doughnut" ? {} : {x: {stacked: stacked},
          y: {stacked: stacked, beginAtZero: true, ticks: {precision: 0}}}}
    });
  }

  function drawAll(root) {
    (root || document).querySelectorAll("canvas[data-chart]").forEach(draw);
    var summary = (root || document).querySelector(".error-summary");
    if (summary) { summary.focus(); }
  }

  document.addEventListener("DOMContentLoaded", function () { drawAll(document); });
  document.addEventListener("htmx:after:swap", function (e) { drawAll(e.target); });
  document.addEventListener("htmx:afterSwap", function (e) { drawAll(e.target); });
})();
