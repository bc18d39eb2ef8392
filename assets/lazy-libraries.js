/*
 * Component libraries and plotly.js loaded only where they are used (observatory/components/shell.py,
 * observatory/web/plotly_bundle.py).
 *
 * 1. A page that does not use a component library (AG Grid: only the strategies table) gets no
 *    <script> for it, but a <template data-lazy-library="dash_ag_grid" data-components="AgGrid"
 *    data-src="..."> naming it. Here each named component gets a stand-in: if the user reaches a
 *    page using it without reloading (a link, back/forward), the stand-in loads the library's
 *    script once, says "Loading the table…" meanwhile, then renders the real component with the
 *    same props (the real script replaces window[namespace] as it would have on a full load).
 * 2. plotly.js: Dash's graphs load it from window._dashPlotlyJSURL, which Dash sets to a fixed,
 *    unfingerprinted URL. The page names the bundle's fingerprinted URL (immutable, cached for a
 *    year) in <meta name="observatory-plotly">; graphs load that one instead.
 */
(function () {
  "use strict";

  var meta = document.querySelector('meta[name="observatory-plotly"]');
  if (meta && meta.content) {
    var plotlyUrl = meta.content;
    Object.defineProperty(window, "_dashPlotlyJSURL", {
      configurable: true,
      get: function () { return plotlyUrl; },
      set: function () { /* Dash's fixed URL: the fingerprinted one stands */ }
    });
  }

  var loading = {};

  function load(src) {
    if (!loading[src]) {
      loading[src] = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = src;
        script.onload = resolve;
        script.onerror = function () {
          delete loading[src];
          reject(new Error("could not load " + src));
        };
        document.head.appendChild(script);
      });
    }
    return loading[src];
  }

  function standIn(namespace, name, src) {
    function Lazy(props) {
      var state = window.React.useState(null);
      var real = state[0];
      var setReal = state[1];
      var failed = window.React.useState(false);
      window.React.useEffect(function () {
        var alive = true;
        load(src).then(function () {
          var library = window[namespace];
          if (alive && library && library[name] && library[name] !== Lazy) {
            setReal(function () { return library[name]; });
          }
        }, function () {
          if (alive) failed[1](true);
        });
        return function () { alive = false; };
      }, []);
      if (real) return window.React.createElement(real, props);
      return window.React.createElement("div", {
        className: "lazy-library-loading text-muted",
        role: "status",
        id: props.id ? String(props.id) + "-loading" : undefined
      }, failed[0] ? "The table could not be loaded: reload the page." : "Loading the table…");
    }
    Lazy.displayName = "Lazy(" + namespace + "." + name + ")";
    return Lazy;
  }

  var templates = document.querySelectorAll("template[data-lazy-library]");
  for (var i = 0; i < templates.length; i++) {
    var tag = templates[i];
    var namespace = tag.getAttribute("data-lazy-library");
    var src = tag.getAttribute("data-src");
    if (!namespace || !src || window[namespace]) continue;
    var library = {};
    var names = (tag.getAttribute("data-components") || "").split(",");
    for (var j = 0; j < names.length; j++) {
      if (names[j]) library[names[j]] = standIn(namespace, names[j], src);
    }
    window[namespace] = library;
  }
})();
