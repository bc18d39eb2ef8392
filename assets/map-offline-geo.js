/*
 * Keep plotly's geo maps offline.
 *
 * plotly.js asks for a world topojson (by default from https://cdn.plot.ly/un/<scope>_<res>m.json)
 * whenever a geo subplot shows a base layer OR a trace has a `locationmode`, and a GeoJSON
 * choropleth always gets `locationmode: "geojson-id"`. The app's maps switch every base layer off
 * (observatory/figures/choropleth.py), so that topojson would be downloaded and never drawn.
 *
 * plotly only fetches a topology it does not already hold in `window.PlotlyGeoAssets.topojson`
 * (and only creates that object when it is undefined), so this script, which Dash loads before
 * any graph renders, hands it an empty topology under every name. No request leaves the origin;
 * the browser test tests/browser/test_map_explorer.py records all requests to prove it.
 */
(function () {
  "use strict";
  var EMPTY_TOPOLOGY = {type: "Topology", objects: {}, arcs: []};
  var assets = window.PlotlyGeoAssets || (window.PlotlyGeoAssets = {});
  var known = assets.topojson || {};
  // Any scope/resolution name ("world_110m", "europe_50m", ...) resolves to the empty topology.
  assets.topojson = new Proxy(known, {
    get: function (target, name) {
      return Object.prototype.hasOwnProperty.call(target, name) ? target[name] : EMPTY_TOPOLOGY;
    },
  });
})();
