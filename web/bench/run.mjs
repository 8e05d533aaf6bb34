// Runs web/bench/index.html in Debian's headless Chromium and prints its figures.
// Usage: node web/bench/run.mjs [events]   (from the repository root, after scripts/build-pkg.sh)
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const root = fileURLToPath(new URL('../../', import.meta.url));
const { chromium } = createRequire(join(root, 'web/tests/package.json'))('playwright-core');
const types = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm' };
const server = createServer(async (req, res) => {
  const file = join(root, normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)));
  try { const body = await readFile(file); res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }); res.end(body); }
  catch { res.writeHead(404); res.end(); }
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
try {
  const page = await browser.newPage();
  const n = process.argv[2] ?? '1000000';
  await page.goto(`http://127.0.0.1:${server.address().port}/web/bench/index.html?n=${n}`);
  await page.waitForFunction(() => window.__result, null, { timeout: 600_000, polling: 500 });
  const result = await page.evaluate(() => window.__result);
  console.log(JSON.stringify({ browser: browser.version(), ...result }, null, 2));
  if (result.error) process.exitCode = 1;
} finally {
  await browser.close();
  server.close();
}
