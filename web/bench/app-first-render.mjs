// Time from navigation to the first invoice on a return visit (the example stored, the cache off), for
// one or more built apps side by side, each served gzipped as a web server would, on loopback and on an
// emulated 20 Mbit/s link with 40 ms of latency. Runs alternate between the builds so that a busy
// moment of the host falls on both. Prints the figures.
// Usage: node web/bench/app-first-render.mjs [DIST ...] [--runs N]   (default: dist/, after
// `trunk build --release`, from the repository root). Figures only: nothing passes on a number.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveStatic, launchChromium } from '../tests/browser.mjs';
import { storeExample, timedVisit } from './app-visit.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const args = process.argv.slice(2);
const runsAt = args.indexOf('--runs');
const runs = runsAt >= 0 ? Number(args.splice(runsAt, 2)[1]) : 5;
const dists = args.length ? args : [join(root, 'dist')];
const customer = 'aa58107d-162f-407e-9f09-940f16adbb1c';

const links = { loopback: null, '20 Mbit/s, 40 ms': { latency: 40, downloadThroughput: 20e6 / 8, uploadThroughput: 5e6 / 8 } };
const browser = await launchChromium();
const served = [];
const times = {};
try {
  for (const dist of dists) {
    const { server, base } = await serveStatic(dist, { spaFallback: true, gzip: true });
    const context = await browser.newContext();
    await storeExample(context, base);
    served.push({ dist, server, base, context });
  }
  for (let run = 0; run < runs; run++) {
    for (const [link, conditions] of Object.entries(links)) {
      for (const { dist, base, context } of served) {
        const { page, ms } = await timedVisit(context, `${base}/invoices?customer=${customer}`, 'article.invoice', conditions);
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
