// The built app (dist/, from `trunk build`) in Debian's headless Chromium, driven by playwright-core:
// what a user does, and that it survives a reload.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFile, mkdir, writeFile } from 'node:fs/promises';
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

const demoCustomer = 'aa58107d-162f-407e-9f09-940f16adbb1c';

async function loadDemo(page) {
  await page.getByRole('button', { name: 'Load the WidgetsExpress example' }).click();
  await page.locator('tr.customer-row', { hasText: 'WidgetsExpress (regional)' }).waitFor();
}

const invoiceFor = (page, text) => page.locator('article.invoice', { hasText: text });

test('routes: / goes to /customers, each page has its URL and survives a reload', async () => {
  const { context, page, errors } = await openApp();
  assert.match(page.url(), /\/customers$/);
  for (const name of ['Catalog', 'Contracts', 'Usage', 'Invoices']) {
    await page.getByRole('link', { name }).click();
    await page.waitForURL(new RegExp('/' + name.toLowerCase()));
    assert.equal(await page.getByRole('link', { name }).getAttribute('aria-current'), 'page');
  }
  await page.goto(base + '/catalog');
  await page.getByRole('heading', { name: 'Billable metrics' }).waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test('customer, contract with a commit, usage: the invoice total worked by hand; all kept across a reload', async () => {
  const { context, page, errors } = await openApp();
  await loadDemo(page); // the catalog: "Base usage products" prices Compute (tag cloud) at 200c an hour
  await page.getByLabel('Name').fill('Acme Corp');
  await page.getByLabel('Ingest aliases (comma separated)').fill('acme-prod');
  await page.getByRole('button', { name: 'Create customer' }).click();
  await page.locator('tr.customer-row', { hasText: 'Acme Corp' }).waitFor();

  await page.getByRole('link', { name: 'Contracts' }).click();
  await page.getByLabel('Customer').selectOption({ label: 'Acme Corp' });
  await page.getByLabel('Contract name').fill('Acme 2025');
  await page.getByLabel('Rate card').selectOption({ label: 'Base usage products' });
  await page.getByLabel('Starting at', { exact: true }).fill('2025-01-01');
  await page.getByLabel('Ending before (optional)', { exact: true }).fill('2025-03-01');
  await page.getByRole('button', { name: 'Add a commit' }).click();
  await page.getByLabel('Commit 1 product (fixed)').selectOption({ label: 'Prepaid commit' });
  await page.getByLabel('Commit 1 amount (cents)').fill('50000');
  await page.getByLabel('Commit 1 applies to tags (empty: all products)').fill('cloud');
  await page.getByRole('button', { name: 'Create contract' }).click();
  await page.getByRole('status').filter({ hasText: 'Created contract' }).waitFor();
  await page.locator('tr.contract-row', { hasText: 'Acme 2025' }).waitFor();

  await page.getByRole('link', { name: 'Usage' }).click();
  await page.getByLabel('Events (JSON array or CSV with a header row)').fill(
    'transaction_id,customer_id,event_type,timestamp,cpu_hours,region\n' +
    'acme-1,acme-prod,compute,2025-01-15T00:00:00Z,100,US\n' +
    'acme-2,acme-prod,compute,2025-02-10T00:00:00Z,300,US\n');
  await page.getByRole('button', { name: 'Ingest events' }).click();
  await page.getByRole('status').filter({ hasText: 'Ingested 2 events' }).waitFor();

  await page.getByRole('link', { name: 'Invoices' }).click();
  await page.getByLabel('Customer').selectOption({ label: 'Acme Corp' });
  // By hand, at 200c an hour: the $500.00 commit (50,000c) is bought on Jan 1. January: 100 h = 20,000c,
  // all covered, total $0.00. February: 300 h = 60,000c; 30,000c of commit left covers half, so the
  // invoice bills 30,000c = $300.00.
  const feb = invoiceFor(page, '2025-02-01 → 2025-03-01');
  await feb.waitFor();
  assert.equal(await feb.locator('.invoice-total').innerText(), '$300.00');
  assert.equal(await invoiceFor(page, '2025-01-01 → 2025-02-01').locator('.invoice-total').innerText(), '$0.00');
  assert.equal(await invoiceFor(page, 'issued 2025-01-01').locator('.invoice-total').innerText(), '$500.00');
  await page.locator('.burndown svg').first().waitFor();

  await page.reload();
  await feb.waitFor();
  assert.match(page.url(), /\/invoices\?customer=/);
  assert.equal(await feb.locator('.invoice-total').innerText(), '$300.00');
  await page.screenshot({ path: join(artifacts, 'invoices.png'), fullPage: true });

  // What-if: a 50% cloud override halves the rate to 100c; Feb's 300 h = 30,000c fits in the 40,000c the
  // commit still has after January's 10,000c, so February would drop from $300.00 to $0.00. Not saved.
  await page.getByRole('link', { name: 'Contracts' }).click();
  await page.getByLabel('Customer').selectOption({ label: 'Acme Corp' });
  await page.getByLabel('Contract to edit').selectOption({ label: 'Acme 2025' });
  await page.getByLabel('Override multiplier').fill('0.5');
  await page.getByLabel('Override product tags (comma separated)').fill('cloud');
  await page.getByLabel('Override starting at').fill('2025-01-01');

  const row = page.locator('.whatif-table tr.changed', { hasText: 'usage 2025-02-01' });
  await row.waitFor();
  assert.equal(await row.locator('.before').innerText(), '$300.00');
  assert.equal(await row.locator('.after').innerText(), '$0.00');
  await page.getByRole('link', { name: 'Invoices' }).click();
  await page.getByLabel('Customer').selectOption({ label: 'Acme Corp' });
  assert.equal(await feb.locator('.invoice-total').innerText(), '$300.00');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the contract form shows the core error beside the commit as you type and keeps the input', async () => {
  const { context, page } = await openApp();
  await loadDemo(page);
  await page.getByRole('link', { name: 'Contracts' }).click();
  await page.getByLabel('Starting at', { exact: true }).fill('2025-01-01');
  await page.getByLabel('Ending before (optional)', { exact: true }).fill('2025-03-01');
  await page.getByRole('button', { name: 'Add a commit' }).click();
  await page.getByLabel('Commit 1 product (fixed)').selectOption({ label: 'Prepaid commit' });
  await page.getByLabel('Commit 1 amount (cents)').fill('-5');
  await page.locator('.commit-row .field-error', { hasText: 'commits[0]' }).waitFor();
  await page.getByRole('button', { name: 'Create contract' }).click();
  assert.equal(await page.getByLabel('Commit 1 amount (cents)').inputValue(), '-5');
  await context.close();
});

test('two tabs see each other\'s saves; reset asks first and empties', async () => {
  const { context, page } = await openApp();
  const other = await context.newPage();
  await other.goto(base + '/customers');
  await other.getByRole('heading', { name: 'Tally', exact: true }).waitFor();
  await page.getByLabel('Name').fill('Seen Elsewhere');
  await page.getByRole('button', { name: 'Create customer' }).click();
  await other.locator('tr.customer-row', { hasText: 'Seen Elsewhere' }).waitFor();
  page.once('dialog', (d) => d.dismiss());
  await page.getByRole('button', { name: 'Reset' }).click();
  assert.equal(await page.locator('tr.customer-row').count(), 1);
  page.once('dialog', (d) => d.accept());
  await page.getByRole('button', { name: 'Reset' }).click();
  await page.getByRole('button', { name: 'Load the WidgetsExpress example' }).waitFor();
  assert.equal(await page.locator('tr.customer-row').count(), 0);
  await other.locator('tr.customer-row').first().waitFor({ state: 'detached' });
  await context.close();
});

test('export to a JSON file and import it in a fresh browser', async () => {
  const { context, page } = await openApp();
  await loadDemo(page);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export' }).click()]);
  const file = join(artifacts, 'tally-state.json');
  await download.saveAs(file);
  assert.equal(JSON.parse(await readFile(file, 'utf8')).tally_state_version, 1);
  const fresh = await openApp();
  await fresh.page.locator('#import-file').setInputFiles(file);
  await fresh.page.locator('tr.customer-row', { hasText: 'WidgetsExpress (regional)' }).waitFor();
  await fresh.context.close();
  await context.close();
});

test('first render of the invoice page with the example data (timed)', async () => {
  const { context, page } = await openApp();
  await loadDemo(page);
  const stored = await page.evaluate(() => localStorage.getItem('tally.state.v1'));
  await context.close();
  const ctx = await browser.newContext();
  await ctx.addInitScript((s) => {
    if (!localStorage.getItem('tally.state.v1')) localStorage.setItem('tally.state.v1', s);
    // Stamp the moment the first invoice is in the DOM, measured from navigation start.
    new MutationObserver((_, obs) => {
      if (document.querySelector('article.invoice')) { window.__firstInvoiceMs = performance.now(); obs.disconnect(); }
    }).observe(document, { childList: true, subtree: true });
  }, stored);
  const p = await ctx.newPage();
  await p.goto(`${base}/invoices?customer=${demoCustomer}`);
  await p.locator('article.invoice').first().waitFor();
  const ms = await p.evaluate(() => window.__firstInvoiceMs);
  const wasmBytes = await p.evaluate(() => performance.getEntriesByType('resource').filter((e) => e.name.endsWith('.wasm')).map((e) => e.decodedBodySize)[0]);
  await writeFile(join(artifacts, 'invoice-first-render.json'), JSON.stringify({ ms_from_navigation_to_first_invoice: Math.round(ms), wasmBytes }, null, 2));
  console.log(`# invoice page first render with the example data: ${Math.round(ms)} ms after navigation start`);
  await ctx.close();
});

test('catalog forms create a metric, a product with tags, a rate card and a rate; an alias claims unmatched usage', async () => {
  const { context, page, errors } = await openApp();
  await loadDemo(page);
  await page.getByRole('link', { name: 'Catalog' }).click();
  await page.getByText('New billable metric').click();
  await page.getByLabel('Metric name').fill('Storage GB');
  await page.getByLabel('Event types (comma separated)').fill('storage');
  await page.getByLabel('Aggregation', { exact: true }).selectOption('MAX');
  await page.getByLabel('Aggregation key (property)').fill('gb');
  await page.getByRole('button', { name: 'Create metric' }).click();
  await page.locator('tr.metric-row', { hasText: 'Storage GB' }).waitFor();
  await page.getByText('New product').click();
  await page.getByLabel('Product name').fill('Storage');
  await page.getByLabel('Billable metric (usage products)').selectOption({ label: 'Storage GB' });
  await page.getByLabel('Tags (comma separated)').fill('cloud, disk');
  await page.getByRole('button', { name: 'Create product' }).click();
  await page.locator('tr.product-row', { hasText: 'disk' }).waitFor();
  await page.getByLabel('Rate card name').fill('Storage prices');
  await page.getByRole('button', { name: 'Create rate card' }).click();
  await page.getByRole('heading', { name: 'Storage prices' }).waitFor();
  await page.getByLabel('Rate card', { exact: true }).selectOption({ label: 'Storage prices' });
  await page.getByLabel('Product', { exact: true }).selectOption({ label: 'Storage' });
  await page.getByLabel('Starting at').fill('2025-01-01');
  await page.getByLabel('Flat price (cents per unit)').fill('-1');
  await page.locator('.field-error').first().waitFor(); // the core refuses a negative price as you type
  await page.getByLabel('Flat price (cents per unit)').fill('25');
  await page.getByRole('button', { name: 'Add rate' }).click();
  await page.locator('.rate-card', { hasText: 'Storage prices' }).getByText('$0.25').waitFor();

  // The example holds one event sent under an alias no customer has yet.
  await page.getByRole('link', { name: 'Usage' }).click();
  await page.locator('tr.unmatched-row', { hasText: 'newteam@widgetsexpress.com' }).waitFor();
  await page.getByRole('link', { name: 'Customers' }).click();
  await page.getByRole('button', { name: 'Edit WidgetsExpress', exact: true }).click();
  await page.getByLabel('Alias list (comma separated)').fill('team@widgetsexpress.com, newteam@widgetsexpress.com');
  const editForm = page.locator('tr.edit-row');
  await editForm.getByLabel('Name', { exact: true }).fill('WidgetsExpress Inc.');
  await editForm.getByLabel('Custom fields (key=value, one per line)').fill('sfdc_account_id=sfdc1001\nsegment=enterprise');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  const edited = page.locator('tr.customer-row', { hasText: 'newteam@widgetsexpress.com' });
  await edited.waitFor();
  assert.match(await edited.innerText(), /WidgetsExpress Inc\./);
  assert.match(await edited.innerText(), /segment=enterprise/);
  await page.getByRole('link', { name: 'Usage' }).click();
  await page.getByRole('heading', { name: 'Unmatched events' }).waitFor();
  assert.equal(await page.locator('tr.unmatched-row').count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});
