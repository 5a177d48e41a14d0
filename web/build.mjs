// Bundles the dashboard: src/main.js and everything it imports into one minified dashboard.js,
// src/style.css into dashboard.css, and copies src/index.html (its {{script}} and {{style}} are
// replaced by the hashed asset names when credo serve starts). Prints the compressed size and
// fails above the budget the issue sets (250 KB of JS and CSS, gzip).
// usage: node build.mjs OUT_DIR
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const kBudgetBytes = 250 * 1024;
const here = dirname(fileURLToPath(import.meta.url));
const out = process.argv[2];
if (!out) {
  console.error('usage: node build.mjs OUT_DIR');
  process.exit(2);
}
mkdirSync(out, { recursive: true });
const common = { bundle: true, minify: true, target: ['es2020', 'chrome100', 'firefox100', 'safari15'], logLevel: 'warning' };
await build({ ...common, entryPoints: [join(here, 'src/main.js')], outfile: join(out, 'dashboard.js'), format: 'iife' });
await build({ ...common, entryPoints: [join(here, 'src/style.css')], outfile: join(out, 'dashboard.css') });
copyFileSync(join(here, 'src/index.html'), join(out, 'index.html'));

let compressed = 0;
for (const name of ['dashboard.js', 'dashboard.css']) {
  const bytes = readFileSync(join(out, name));
  const gzipped = gzipSync(bytes, { level: 9 }).length;
  compressed += gzipped;
  console.log(`web: ${name} ${bytes.length} bytes, ${gzipped} gzipped`);
}
if (compressed > kBudgetBytes) {
  console.error(`web: the bundle is ${compressed} bytes gzipped, over the budget of ${kBudgetBytes}`);
  process.exit(1);
}
