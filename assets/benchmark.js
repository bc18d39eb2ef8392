/*
 * Benchmark page: linked highlighting across the charts and the map, entirely in the browser.
 *
 * pick()      hover/click on any benchmark chart or the map -> the highlighted region code
 *             (stored in the page's dcc.Store), so no server round-trip is needed.
 * highlight() restyles every chart for that code: traces say in `meta` how they are highlighted
 *             (see observatory/figures/benchmark.py):
 *               {hl: "points"}           one point per region, the code first in customdata
 *               {hl: "trace", region}    the whole trace is one region
 *               {hl: "rows", rows: [...]} a heatmap whose rows are regions (outlined with a shape)
 *               {hl: "outline"}          the map's selection trace (outlines the region)
 * Figures are copied, never mutated, so Dash sees a new object and plotly re-renders.
 */
(function () {
  "use strict";

  var HL_COLOUR = "#000000";

  function codeOfPoint(point) {
    if (!point) { return null; }
    if (point.location) { return point.location; }
    var cd = point.customdata;
    if (Array.isArray(cd)) { cd = cd[0]; }
    return typeof cd === "string" ? cd : null;
  }

  function codeOfTrace(trace, i) {
    var cd = trace.customdata;
    if (!cd) { return null; }
    var v = Array.isArray(cd) ? cd[i] : cd;
    if (Array.isArray(v)) { v = v[0]; }
    return typeof v === "string" ? v : null;
  }

  function restyleTrace(trace, code) {
    var meta = trace.meta;
    if (!meta || typeof meta !== "object" || !meta.hl) { return trace; }
    var t = Object.assign({}, trace);
    if (meta.hl === "points") {
      var n = (t.x || []).length;
      var widths = [];
      var sizes = [];
      for (var i = 0; i < n; i++) {
        var on = code !== null && codeOfTrace(trace, i) === code;
        widths.push(on ? 3 : (meta.lw || 0));
        if (meta.size) { sizes.push(on ? meta.size + 6 : meta.size); }
      }
      var marker = Object.assign({}, t.marker || {});
      marker.line = Object.assign({}, marker.line || {}, {width: widths, color: HL_COLOUR});
      if (meta.size) { marker.size = sizes; }
      t.marker = marker;
    } else if (meta.hl === "trace") {
      var mine = code !== null && meta.region === code;
      var dim = code !== null && !mine;
      if (meta.width) {
        t.line = Object.assign({}, t.line || {}, {width: mine ? meta.width + 3 : meta.width});
      }
      if (meta.size) {
        var mk = Object.assign({}, t.marker || {});
        mk.size = mine ? meta.size + 6 : meta.size;
        mk.line = Object.assign({}, mk.line || {}, {width: mine ? 2 : (mk.line && mk.line.width) || 0,
                                                     color: HL_COLOUR});
        t.marker = mk;
      }
      if (meta.width || meta.size) { t.opacity = mine ? 1 : (dim ? 0.35 : (meta.size ? 1 : 0.65)); }
    } else if (meta.hl === "outline") {
      var shown = code || meta["default"] || null;
      t.locations = shown ? [shown] : [];
      t.z = shown ? [1] : [];
    }
    return t;
  }

  function rowShapes(figure, code) {
    var layout = Object.assign({}, figure.layout || {});
    var shapes = (layout.shapes || []).filter(function (s) { return s.name !== "bench-hl"; });
    (figure.data || []).forEach(function (trace) {
      var meta = trace.meta;
      if (!meta || meta.hl !== "rows" || code === null) { return; }
      var idx = (meta.rows || []).indexOf(code);
      if (idx < 0) { return; }
      shapes.push({name: "bench-hl", type: "rect", xref: "paper", yref: "y", x0: 0, x1: 1,
                   y0: idx - 0.5, y1: idx + 0.5, line: {color: HL_COLOUR, width: 2.5},
                   fillcolor: "rgba(0,0,0,0)"});
    });
    layout.shapes = shapes;
    return layout;
  }

  function highlightFigure(figure, code) {
    if (!figure || !figure.data) { return figure; }
    var out = Object.assign({}, figure);
    out.data = figure.data.map(function (trace) { return restyleTrace(trace, code); });
    out.layout = rowShapes(figure, code);
    return out;
  }

  function noUpdate() { return window.dash_clientside.no_update; }

  window.dash_clientside = Object.assign({}, window.dash_clientside, {
    benchmark: {
      // Inputs: hoverData/clickData of the charts and the map; last argument: the current code.
      pick: function () {
        var current = arguments[arguments.length - 1];
        var ctx = window.dash_clientside.callback_context;
        var triggered = ctx && ctx.triggered ? ctx.triggered : [];
        for (var i = 0; i < triggered.length; i++) {
          var value = triggered[i].value;
          if (value && value.points && value.points.length) {
            var code = codeOfPoint(value.points[0]);
            if (code) { return code === current ? noUpdate() : code; }
          }
        }
        return noUpdate();
      },
      // Input: n_clicks of the peer-name buttons (pattern ids {type, region}).
      focus: function () {
        var ctx = window.dash_clientside.callback_context;
        var triggered = ctx && ctx.triggered ? ctx.triggered : [];
        for (var i = 0; i < triggered.length; i++) {
          if (!triggered[i].value) { continue; }
          try {
            var id = JSON.parse(triggered[i].prop_id.split(".")[0]);
            if (id && id.region) { return id.region; }
          } catch (e) { /* not a pattern id */ }
        }
        return noUpdate();
      },
      // Inputs: the code, then every figure. A new figure from the server is restyled alone; a new
      // code restyles them all.
      highlight: function (code) {
        var figures = Array.prototype.slice.call(arguments, 1);
        var c = code || null;
        var ctx = window.dash_clientside.callback_context;
        var triggered = (ctx && ctx.triggered ? ctx.triggered : []).map(function (t) { return t.prop_id; });
        var inputs = ctx && ctx.inputs_list ? ctx.inputs_list : [];
        var codeChanged = triggered.some(function (p) { return p.indexOf(".data") > 0; });
        return figures.map(function (f, i) {
          var spec = inputs[i + 1];
          var id = spec ? spec.id + "." + spec.property : null;
          var mine = id !== null && triggered.indexOf(id) >= 0;
          if (!codeChanged && !mine) { return noUpdate(); }
          if (!codeChanged && c === null) { return noUpdate(); }
          return highlightFigure(f, c);
        });
      },
      label: function (code, names) {
        if (!code) { return ""; }
        var name = names && names[code] ? names[code] : code;
        return "Highlighted: " + name + " (" + code + ")";
      }
    }
  });
}());
