/* Draws the charts of the statistics pages with Chart.js.
 *
 * Each chart is a <canvas data-govdata-chart="{...}">, the attribute holding
 * {type, title, labels, datasets: [{label, data}]} as the view builds it. Once drawn, the
 * canvas carries data-rendered="true" (browser tests wait for it). The charts start on their
 * own rather than as CKAN modules: they must not wait for CKAN's locale data to load.
 */
(function () {
  "use strict";

  var COLOURS = ["#1565c0", "#ef6c00", "#2e7d32", "#6a1b9a"];

  function draw(canvas) {
    var spec = JSON.parse(canvas.getAttribute("data-govdata-chart"));
    var stacked = spec.type === "bar";
    var chart = new Chart(canvas, {
      type: spec.type,
      data: {
        labels: spec.labels,
        datasets: spec.datasets.map(function (dataset, index) {
          var colour = COLOURS[index % COLOURS.length];
          return {
            label: dataset.label,
            data: dataset.data,
            backgroundColor: colour,
            borderColor: colour,
            fill: false,
            tension: 0.2,
            pointRadius: spec.type === "line" ? 2 : undefined
          };
        })
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        indexAxis: stacked && spec.labels.length > 8 ? "y" : "x",
        plugins: { title: { display: Boolean(spec.title), text: spec.title } },
        scales: {
          x: { stacked: stacked, beginAtZero: true },
          y: { stacked: stacked, beginAtZero: true }
        }
      }
    });
    canvas.setAttribute("data-rendered", "true");
    return chart;
  }

  function drawAll() {
    if (typeof Chart === "undefined") {
      return;
    }
    Array.prototype.forEach.call(document.querySelectorAll("canvas[data-govdata-chart]"), draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
