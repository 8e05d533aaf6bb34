// Time from navigation to the first invoice on a return visit (the example stored, the cache off), for
// one or more built apps side by side, each served gzipped as a web server would, on loopback and on an
// emulated 20 Mbit/s link with 40 ms of latency. Runs alternate between the builds so that a busy
// moment of the host falls on both. Prints the figures.
// Usage: node web/bench/app-first-render.mjs [DIST ...] [--runs N]   (default: dist/, after
// `trunk build --release`, from the repository root). Figures only: nothing passes on a number.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { launchChromium } from '../tests/browser.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const args = process.argv.slice(2);
const runsAt = args.indexOf('--runs');
const runs = runsAt >= 0 ? Number(args.splice(runsAt, 2)[1]) : 5;
const dists = args.length ? args : [join(root, 'dist')];
const customer = 'aa58107d-162f-407e-9f09-940f16adbb1c';
const types = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css' };

/// dist/ with the app's routes answered by index.html, every file gzipped once.
async function serveGzipped(dir) {
  const cache = new Map();
  const server = createServer(async (req, res) => {
    let file = join(dir, normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^\/+/, ''));
    if (!cache.has(file)) {
      let body;
      try {
        body = await readFile(file);
      } catch {
        file = join(dir, 'index.html');
        body = await readFile(file);
      }
      cache.set(file, gzipSync(body, { level: 9 }));
    }
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream', 'content-encoding': 'gzip' });
    res.end(cache.get(file));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { server, base: `http://127.0.0.1:${server.address().port}` };
}

const links = { loopback: null, '20 Mbit/s, 40 ms': { latency: 40, downloadThroughput: 20e6 / 8, uploadThroughput: 5e6 / 8 } };
const browser = await launchChromium();
const served = [];
const times = {};
try {
  for (const dist of dists) {
    const { server, base } = await serveGzipped(dist);
    const context = await browser.newContext();
    const first = await context.newPage();
    await first.goto(base + '/');
    await first.locator('tr.customer-row').first().waitFor();
    await first.waitForFunction(() => (localStorage.getItem('tally.state.v2') ?? localStorage.getItem('tally.state.v1') ?? '').includes('WidgetsExpress'));
    await first.close();
    served.push({ dist, server, base, context });
  }
  for (let run = 0; run < runs; run++) {
    for (const [link, conditions] of Object.entries(links)) {
      for (const { dist, base, context } of served) {
        const page = await context.newPage();
        const cdp = await context.newCDPSession(page);
        await cdp.send('Network.enable');
        await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
        if (conditions) await cdp.send('Network.emulateNetworkConditions', { offline: false, ...conditions });
        await page.addInitScript(() => new MutationObserver((_, obs) => {
          if (document.querySelector('article.invoice')) { window.__at = performance.now(); obs.disconnect(); }
        }).observe(document, { childList: true, subtree: true }));
        await page.goto(`${base}/invoices?customer=${customer}`);
        await page.locator('article.invoice').first().waitFor({ timeout: 120_000 });
        const ms = await page.evaluate(() => window.__at);
        ((times[dist] ??= {})[link] ??= []).push(Math.round(ms));
        await page.close();
      }
    }
  }
} finally {
  for (const { server, context } of served) {
    await context.close();
    server.close();
  }
  await browser.close();
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const [dist, byLink] of Object.entries(times)) {
  for (const [link, ms] of Object.entries(byLink)) {
    console.log(`${dist} | ${link}: first invoice after ${ms.join(', ')} ms (median ${median(ms)})`);
  }
}
