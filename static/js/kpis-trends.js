// Trend charts: actual (points coloured by status) against the target in force, and the breach line.
// Data comes from the page's <script type="application/json" id="trend-data"> (json_script).
(function () {
  var COLOURS = { met: "#198754", warning: "#e0a800", breached: "#b02a37", "": "#adb5bd" };

  function format(value, unit) {
    if (value === null || value === undefined) { return "—"; }
    if (unit === "percent") { return value.toFixed(1) + "%"; }
    if (unit === "seconds") {
      var s = Math.round(value);
      return s < 60 ? s + " s" : Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
    }
    return value.toLocaleString(undefined, { maximumFractionDigits: 2 });
  }

  function draw(canvas, chart) {
    new window.Chart(canvas, {
      type: "line",
      data: {
        labels: chart.labels,
        datasets: [
          {
            label: "Actual", data: chart.actual, borderColor: "#1f4e79", backgroundColor: "#1f4e79",
            pointBackgroundColor: chart.status.map(function (s) { return COLOURS[s] || COLOURS[""]; }),
            pointBorderColor: "#fff", pointRadius: 4.5, pointHoverRadius: 6, borderWidth: 2, tension: 0.25,
            spanGaps: true,
          },
          {
            label: "Target", data: chart.target, borderColor: "#198754", borderDash: [6, 4], borderWidth: 1.5,
            pointRadius: 0, stepped: "middle", fill: false,
          },
          {
            label: "Breach", data: chart.breach, borderColor: "rgba(176,42,55,.55)", borderDash: [2, 3],
            borderWidth: 1, pointRadius: 0, stepped: "middle", fill: false,
          },
        ],
      },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        interaction: { mode: "index", intersect: false },
        plugins: {
          legend: { position: "bottom", labels: { boxWidth: 12, boxHeight: 2, font: { size: 11 } } },
          tooltip: { callbacks: { label: function (ctx) { return ctx.dataset.label + ": " + format(ctx.parsed.y, chart.unit); } } },
        },
        scales: {
          x: { grid: { display: false }, ticks: { font: { size: 10 }, maxRotation: 0, autoSkipPadding: 8 } },
          y: { ticks: { font: { size: 10 }, callback: function (v) { return format(v, chart.unit); } } },
        },
      },
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var source = document.getElementById("trend-data");
    if (!source || !window.Chart) { return; }
    JSON.parse(source.textContent).forEach(function (chart) {
      var canvas = document.querySelector('canvas[data-chart="' + chart.code + '"]');
      if (canvas) { draw(canvas, chart); }
    });
  });
})();
