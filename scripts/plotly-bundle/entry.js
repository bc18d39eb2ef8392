'use strict';
// The plotly.js trace types the observatory draws. Keep in step with TRACES in build.js; a unit
// test checks that every trace type our figure builders emit is in the bundle.
var Plotly = require('plotly.js/lib/core');  // scatter comes with the core

Plotly.register([
    require('plotly.js/lib/choropleth'),  // the map
    require('plotly.js/lib/bar'),  // benchmark rankings
    require('plotly.js/lib/heatmap'),  // benchmark indicator matrix
]);

module.exports = Plotly;
