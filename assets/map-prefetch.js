/*
 * Start downloading the map's boundaries as soon as the map explorer's layout is in the page,
 * while plotly.js (4.8 MB) is still loading and compiling, instead of after it.
 *
 * The page marks its graph container with data-map-geojson="<boundaries URL>". The parsed
 * GeoJSON goes where plotly looks before fetching a URL itself (window.PlotlyGeoAssets[url]);
 * if plotly got there first (its value is then "pending" or the GeoJSON), nothing is touched.
 * The URL is same-origin and immutable (it names the data build), so the browser cache serves
 * it on later visits.
 */
(function () {
  "use strict";
  var started = {};

  function prefetch(url) {
    if (!url || started[url]) return;
    started[url] = true;
    var assets = window.PlotlyGeoAssets || (window.PlotlyGeoAssets = {topojson: {}});
    if (assets[url]) return;
    fetch(url, {credentials: "same-origin"})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (geojson) {
        if (geojson && !assets[url]) assets[url] = geojson;
      })
      .catch(function () { /* plotly fetches it itself and reports any error */ });
  }

  function scan() {
    var nodes = document.querySelectorAll("[data-map-geojson]");
    for (var i = 0; i < nodes.length; i++) prefetch(nodes[i].getAttribute("data-map-geojson"));
  }

  new MutationObserver(scan).observe(document.documentElement, {
    subtree: true, childList: true, attributes: true, attributeFilter: ["data-map-geojson"],
  });
})();
