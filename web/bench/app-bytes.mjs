// What the app downloads, in Debian's headless Chromium: the first .wasm, every .wasm together, and for
// each page on a return visit (the example stored, the cache off) the .wasm fetched by the time the
// page has rendered. Prints the figures (bytes raw and `gzip -9`). Usage: node web/bench/app-bytes.mjs
// (after `trunk build --release`, from the repository root). Figures only: nothing passes on a number.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { serveStatic, launchChromium } from '../tests/browser.mjs';
import { storeExample, timedVisit } from './app-visit.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dist = join(root, 'dist');
const app = join(dist, readdirSync(dist).find((f) => f.startsWith('app-')));
const raw = (f) => readFileSync(join(app, f)).length;
// GNU gzip, as docs/performance.md's figures (zlib's level 9 gives a few KB more).
const gz = (f) => execFileSync('gzip', ['-9', '-c', join(app, f)], { maxBuffer: 1 << 26 }).length;
const sum = (files, size) => files.reduce((s, f) => s + size(f), 0);
const wasm = readdirSync(app).filter((f) => f.endsWith('.wasm'));
const figures = {
  first_wasm: { raw: raw('tally-app_bg.wasm'), gzipped: gz('tally-app_bg.wasm') },
  all_wasm: { files: wasm.length, raw: sum(wasm, raw), gzipped: sum(wasm, gz) },
  by_first_render: {},
};

const pages = [
  ['Customers', '/customers', 'tr.customer-row'],
  ['Catalog', '/catalog', 'section.card'],
  ['Contracts', '/contracts', 'section.card'],
  ['Usage', '/usage', 'section.card'],
  ['Invoices', '/invoices?customer=aa58107d-162f-407e-9f09-940f16adbb1c', 'article.invoice'],
];
const { server, base } = await serveStatic(dist, { spaFallback: true });
const browser = await launchChromium();
try {
  const context = await browser.newContext();
  await storeExample(context, base);
  for (const [name, path, rendered] of pages) {
    const { page, ms: at } = await timedVisit(context, base + path, rendered);
    const fetched = await page.evaluate(() => performance.getEntriesByType('resource')
      .filter((e) => e.name.endsWith('.wasm')).map((e) => [e.name.split('/').pop(), e.responseEnd]));
    const before = fetched.filter(([, end]) => end <= at).map(([f]) => f);
    figures.by_first_render[name] = { ms: Math.round(at), files: before.length, raw: sum(before, raw), gzipped: sum(before, gz) };
    await page.close();
  }
  await context.close();
} finally {
  await browser.close();
  server.close();
}
console.log(JSON.stringify(figures, null, 2));
