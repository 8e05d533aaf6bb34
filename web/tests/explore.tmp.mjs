import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { chromium } from 'playwright-core';
const dist = '/work/main/dist';
const types = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css' };
const server = createServer(async (req, res) => {
  const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^\/+/, '');
  let file = join(dist, path); let body;
  try { body = await readFile(file); } catch { file = join(dist, 'index.html'); body = await readFile(file); }
  res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }); res.end(body);
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
const page = await (await browser.newContext({ viewport: { width: 1200, height: 900 } })).newPage();
page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') console.log('CONSOLE', m.type(), m.text().slice(0, 500)); });
page.on('pageerror', (e) => console.log('PAGEERROR', String(e).slice(0, 800)));
await page.goto(base + '/');
await page.getByRole('button', { name: 'Load the WidgetsExpress example' }).click();
await page.locator('tr.customer-row').first().waitFor();
console.log('url', page.url());
for (const p of ['customers', 'catalog', 'contracts', 'usage', 'invoices']) {
  await page.getByRole('link', { name: p[0].toUpperCase() + p.slice(1) }).click();
  await page.waitForTimeout(700);
  console.log(p, page.url());
  await page.screenshot({ path: `/tmp/shots/${p}.png`, fullPage: true });
}
await page.reload(); await page.waitForTimeout(1000);
console.log('after reload', page.url(), (await page.locator('.invoice').count()), 'invoices');
await browser.close(); server.close();
