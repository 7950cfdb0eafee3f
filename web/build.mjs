// Bundles the dashboard page (src/) into the static files parcd embeds:
//   <out>/index.html, <out>/assets/app.js, <out>/assets/app.css
// and the learner app (src/learner/) into <out>/apprendre/ (build_learner.mjs).
// Usage: node build.mjs <node_modules directory> <output directory>
// Run by the build (web/CMakeLists.txt) after `npm ci` into the build tree, so
// the source tree never holds node_modules and two build trees never share one.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import url from 'node:url';

import { buildLearner } from './build_learner.mjs';

const [nodeModules, outDir] = process.argv.slice(2).map((p) => p && path.resolve(p));
if (!nodeModules || !outDir) {
  console.error('usage: node build.mjs <node_modules directory> <output directory>');
  process.exit(2);
}
const require = createRequire(path.join(nodeModules, 'resolve-from-here.js'));
const esbuild = require('esbuild');
const src = path.join(path.dirname(url.fileURLToPath(import.meta.url)), 'src');

fs.rmSync(outDir, { recursive: true, force: true });
fs.mkdirSync(path.join(outDir, 'assets'), { recursive: true });
await esbuild.build({
  // The desk (logistics and admin only) is its own file, loaded by app.js when
  // the operator may use it: its decoder and PDF code stay out of the dashboard.
  entryPoints: { app: path.join(src, 'app.js'), desk: path.join(src, 'desk', 'main.js') },
  outdir: path.join(outDir, 'assets'),
  bundle: true,
  minify: true,
  format: 'iife',
  target: ['es2021'], // browsers of the last few years, tablets included
  nodePaths: [nodeModules],
  legalComments: 'eof', // chart.js's MIT notice stays in the bundle
  logLevel: 'warning',
});
fs.copyFileSync(path.join(src, 'index.html'), path.join(outDir, 'index.html'));
fs.copyFileSync(path.join(src, 'favicon.svg'), path.join(outDir, 'favicon.svg'));

// The learner app; its sound files are cached beside the output directory.
await buildLearner({ esbuild, nodeModules, outDir, src, cacheDir: path.join(path.dirname(outDir), 'audio-cache') });
