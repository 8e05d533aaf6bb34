// Runs web/bench/index.html in Debian's headless Chromium and prints its figures.
// Usage: node web/bench/run.mjs [events] [rating|store]   (from the repository root, after scripts/build-pkg.sh)
import { fileURLToPath } from 'node:url';
import { serveStatic, launchChromium } from '../tests/browser.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const { server, base } = await serveStatic(root);
const browser = await launchChromium();
try {
  const page = await browser.newPage();
  const n = process.argv[2] ?? '1000000';
  const world = process.argv[3] ?? 'rating';
  await page.goto(`${base}/web/bench/index.html?n=${n}&world=${world}`);
  await page.waitForFunction(() => window.__result, null, { timeout: 600_000, polling: 500 });
  const result = await page.evaluate(() => window.__result);
  console.log(JSON.stringify({ browser: browser.version(), ...result }, null, 2));
  if (result.error) process.exitCode = 1;
} finally {
  await browser.close();
  server.close();
}
