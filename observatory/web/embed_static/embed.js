/*
 * Draw the embedded chart: the figure is a JSON data block in the page (not a script: the CSP
 * allows no inline code), plotly.js is the app's own bundle.
 */
(function () {
  "use strict";
  var block = document.getElementById("embed-figure");
  var target = document.getElementById("embed-chart");
  if (!block || !target || !window.Plotly) {
    return;
  }
  var figure = JSON.parse(block.textContent);
  window.Plotly.newPlot(target, figure.data, figure.layout, {
    responsive: true,
    displaylogo: false,
    modeBarButtonsToRemove: ["sendDataToCloud", "select2d", "lasso2d"],
    topojsonURL: "/assets/map-topojson/",
  }).then(function () {
    target.setAttribute("data-drawn", "1");
  });
})();
