// The built app (dist/, from `trunk build`) in Debian's headless Chromium, driven by playwright-core:
// what a user does, and that it survives a reload.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFile, mkdir } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dist = join(root, 'dist');
const artifacts = join(root, 'artifacts');
const types = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css' };

let server, browser, base;

before(async () => {
  // A static server over dist/ with the SPA fallback Trunk's server has: unknown paths get index.html.
  server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^\/+/, '');
    let file = join(dist, path);
    let body;
    try { body = await readFile(file); } catch { file = join(dist, 'index.html'); body = await readFile(file); }
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
    res.end(body);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${server.address().port}`;
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  await mkdir(artifacts, { recursive: true });
});

after(async () => {
  await browser?.close();
  server?.close();
});

async function openApp() {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(base + '/');
  await page.getByRole('heading', { name: 'Tally', exact: true }).waitFor();
  return { context, page, errors };
}

test('the app renders, creates a customer, and keeps it across a reload', async () => {
  const { context, page, errors } = await openApp();
  await page.getByLabel('Name').fill('WidgetsExpress');
  await page.getByLabel('Ingest aliases (comma separated)').fill('team@widgetsexpress.com');
  await page.getByRole('button', { name: 'Create customer' }).click();
  const row = page.locator('tr.customer-row', { hasText: 'WidgetsExpress' });
  await row.waitFor();
  await page.reload();
  await page.getByRole('heading', { name: 'Tally', exact: true }).waitFor();
  await row.waitFor();
  assert.match(await row.innerText(), /team@widgetsexpress\.com/);
  await page.screenshot({ path: join(artifacts, 'customers.png'), fullPage: true });
  assert.deepEqual(errors, []);
  await context.close();
});

test('a bad customer shows the core error beside the field and keeps what was typed', async () => {
  const { context, page } = await openApp();
  await page.getByLabel('Name').fill('   ');
  await page.getByLabel('Ingest aliases (comma separated)').fill('kept@example.com');
  await page.getByRole('button', { name: 'Create customer' }).click();
  await page.locator('.field-error', { hasText: 'a customer needs a name' }).waitFor();
  assert.equal(await page.getByLabel('Ingest aliases (comma separated)').inputValue(), 'kept@example.com');
  await context.close();
});

test('a corrupt stored value is kept as a backup and the user is told', async () => {
  const { context, page } = await openApp();
  await page.evaluate(() => localStorage.setItem('tally.state.v1', '{not json'));
  await page.reload();
  await page.getByRole('alert').filter({ hasText: 'could not be read' }).waitFor();
  assert.equal(await page.evaluate(() => localStorage.getItem('tally.state.v1.backup')), '{not json');
  await context.close();
});
