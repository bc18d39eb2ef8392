// Build ../../assets/vendor/plotly-observatory.min.js: plotly.js with only the trace types the
// observatory draws (1.4 MB instead of the full bundle's 4.8 MB; see README.md for why).
// Usage: npm ci && npm run build
'use strict';
const esbuild = require('esbuild');
const fs = require('fs');
const path = require('path');

const version = require('plotly.js/package.json').version;
const TRACES = ['scatter', 'choropleth', 'bar', 'heatmap'];
const outfile = path.join(__dirname, '..', '..', 'assets', 'vendor', 'plotly-observatory.min.js');

// plotly.js builds two country-name lookups (a few thousand names, normalised one by one) when it
// starts, for `locationmode: 'country names'`, which the observatory never uses: ~40 ms of every
// first page load. Build them on first use instead. The build stops if the source has changed.
const lazyCountryLookup = {
    name: 'lazy-country-lookup',
    setup(build) {
        build.onLoad({ filter: /plotly\.js[\\/]src[\\/]lib[\\/]geo_location_utils\.js$/ }, (args) => {
            const edits = [
                ["const { COUNTRIES, createLookup } = require('country-iso-search');",
                 "const countryIsoSearch = () => require('country-iso-search');"],
                ['const { lookupAlpha3 } = createLookup([...COUNTRIES, ...COUNTRIES_X]);',
                 'let lookupAlpha3 = (name) => {\n' +
                 '    const { COUNTRIES, createLookup } = countryIsoSearch();\n' +
                 '    lookupAlpha3 = createLookup([...COUNTRIES, ...COUNTRIES_X]).lookupAlpha3;\n' +
                 '    return lookupAlpha3(name);\n' +
                 '};'],
            ];
            let source = fs.readFileSync(args.path, 'utf8');
            for (const [before, after] of edits) {
                if (!source.includes(before)) throw new Error(`${args.path} changed: "${before}" not found`);
                source = source.replace(before, after);
            }
            return { contents: source, loader: 'js' };
        });
    },
};

esbuild.build({
    entryPoints: [path.join(__dirname, 'entry.js')],
    outfile,
    bundle: true,
    minify: true,
    format: 'iife',
    globalName: 'Plotly',
    target: 'es2016',
    legalComments: 'eof',
    // The same settings as plotly.js's own esbuild-config.js, minus the plugins the chosen traces
    // do not need (GLSL shaders; maplibre's CSS, required only by map traces, is left empty).
    define: { global: 'window', 'define.amd': 'false' },
    alias: { stream: 'stream-browserify' },
    loader: { '.css': 'empty' },
    banner: {
        js: `/*! plotly.js v${version} (MIT licence, Copyright Plotly, Inc.) partial bundle for the S3 ` +
            `Observatory: traces=${TRACES.join(',')} */`,
    },
    plugins: [lazyCountryLookup],
    logLevel: 'info',
}).catch(() => process.exit(1));
