// Builds the console: src/main.jsx -> ../dist/app.js, src/app.css -> ../dist/app.css, and ../dist/index.html
// that loads both with a content-hash query (cache busting). Deterministic: same sources, same bytes.
// Prints raw and gzip sizes. Usage: node build.mjs
import * as esbuild from 'esbuild';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, '..', 'dist');
mkdirSync(dist, { recursive: true });

const common = {
  bundle: true,
  minify: true,
  write: false,
  logLevel: 'warning',
  legalComments: 'none',
  target: ['es2020'],
  absWorkingDir: here,
};

const js = await esbuild.build({
  ...common,
  entryPoints: ['src/main.jsx'],
  outfile: join(dist, 'app.js'),
  format: 'iife',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  define: { 'process.env.NODE_ENV': '"production"' },
});
const css = await esbuild.build({
  ...common,
  entryPoints: ['src/app.css'],
  outfile: join(dist, 'app.css'),
  loader: { '.css': 'css' },
});

const out = (result) => result.outputFiles.find((f) => !f.path.endsWith('.map')).contents;
const appJS = out(js);
const appCSS = out(css);
const hash = (buf) => createHash('sha256').update(buf).digest('hex').slice(0, 12);

const index = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Ordo console</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/console/app.css?v=${hash(appCSS)}">
</head>
<body>
<div id="app"></div>
<script src="/console/app.js?v=${hash(appJS)}"></script>
</body>
</html>
`;

const files = { 'app.js': appJS, 'app.css': appCSS, 'index.html': Buffer.from(index) };
for (const [name, data] of Object.entries(files)) {
  writeFileSync(join(dist, name), data);
  const gz = gzipSync(data, { level: 9 }).length;
  console.log(`${name.padEnd(11)} ${(data.length / 1024).toFixed(1).padStart(7)} KB  gzip ${(gz / 1024).toFixed(1).padStart(6)} KB`);
}
