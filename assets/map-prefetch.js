/*
 * Make the map explorer (the landing page) draw sooner on a first visit.
 *
 * 1. plotly.js (our 1.4 MB partial bundle, observatory/web/plotly_bundle.py) is an "async" Dash
 *    resource: it is requested only once a page's layout contains a graph, i.e. after the
 *    page-routing callback has answered. When the page opened is the map, this script asks for
 *    it right away (<link rel="preload">, same URL, so Dash's own request is then served from the
 *    browser's memory cache).
 * 2. The map's boundaries are fetched as soon as the map explorer's layout is in the page,
 *    while plotly.js is still loading and compiling, instead of after it.
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

  function preloadPlotly() {
    var config = document.getElementById("_dash-config");
    var prefix = "/";
    try {
      prefix = JSON.parse(config.textContent).requests_pathname_prefix || "/";
    } catch (error) { /* keep "/" */ }
    if (window.location.pathname !== prefix) return;  // only when the map (the root page) opens
    // the page's <head> already preloads the fingerprinted bundle (observatory/web/plotly_bundle.py)
    if (document.querySelector('meta[name="observatory-plotly"]')) return;
    var link = document.createElement("link");
    link.rel = "preload";
    link.as = "script";
    link.href = prefix + "_dash-component-suites/plotly/package_data/plotly.min.js";
    document.head.appendChild(link);
  }
  preloadPlotly();

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
