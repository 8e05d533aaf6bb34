// The app at scale, in Debian's headless Chromium: a model of 200 customers and 50 products imported,
// then a file of EVENTS usage events (NDJSON, a year) imported through the Usage page; the page is
// reloaded and must show the same invoice totals; then the contract what-if answers keystrokes.
// Prints the figures. Usage: node web/bench/app.mjs [events]   (after `trunk build --release` and
// scripts/build-pkg.sh, from the repository root). Figures only: nothing here passes on a number.
import { createRequire } from 'node:module';
import { createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveStatic, launchChromium } from '../tests/browser.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const require = createRequire(import.meta.url);
const { Engine } = require(join(root, 'pkg/node/tally_wasm.js'));
const n = Number(process.argv[2] ?? 1_000_000);
const PRODUCTS = 50, CUSTOMERS = 200;
const work = join(root, 'artifacts/bench');
await mkdir(work, { recursive: true });

// The model, made by the engine itself and exported as the app's Import reads it.
const engine = new Engine('2026-01-15T00:00:00Z');
const rates = [];
for (let i = 0; i < PRODUCTS; i++) {
  engine.call('POST /v1/billable-metrics/create', { id: `m${i}`, name: `Metric ${i}`, event_type_filter: { in_values: [`e${i}`] },
    aggregation_type: 'SUM', aggregation_key: 'q', group_keys: [['region']] });
  engine.call('POST /v1/contract-pricing/products/create', { id: `p${i}`, name: `Product ${i}`, type: 'USAGE', billable_metric_id: `m${i}`,
    tags: i % 2 === 0 ? ['cloud'] : [] });
  rates.push({ product_id: `p${i}`, starting_at: '2025-01-01T00:00:00Z', rate_type: 'FLAT', price: '0.5' });
}
engine.call('POST /v1/contract-pricing/rate-cards/create', { id: 'rc', name: 'List', rates });
for (let c = 0; c < CUSTOMERS; c++) {
  engine.createCustomer({ id: `c${c}`, name: `Customer ${c}`, ingest_aliases: [`alias-${c}`] });
  engine.createContract({ id: `k${c}`, customer_id: `c${c}`, name: `Contract ${c}`, rate_card_id: 'rc',
    starting_at: '2025-01-01T00:00:00Z', ending_before: '2026-01-01T00:00:00Z' });
}
const modelFile = join(work, 'model.json');
await writeFile(modelFile, engine.exportModel());

// The events: a year over 50 products and 200 customers, as NDJSON.
const eventsFile = join(work, 'events.ndjson');
await new Promise((resolve, reject) => {
  const out = createWriteStream(eventsFile);
  out.on('error', reject);
  let x = 0x2545F4914F6CDD1Dn;
  const next = () => { x = (x * 6364136223846793005n + 1442695040888963407n) & 0xFFFFFFFFFFFFFFFFn; return Number(x >> 33n); };
  const start = Date.UTC(2025, 0, 1) / 1000, year = 365 * 24 * 3600, regions = ['US', 'EU', 'APAC'];
  let i = 0;
  const write = () => {
    let ok = true;
    while (i < n && ok) {
      const c = next() % CUSTOMERS;
      const e = { transaction_id: `t${i}`, customer_id: i % 2 === 0 ? `c${c}` : `alias-${c}`, event_type: `e${next() % PRODUCTS}`,
        timestamp: new Date((start + (next() % year)) * 1000).toISOString(), properties: { q: next() % 100, region: regions[next() % 3] } };
      ok = out.write(JSON.stringify(e) + '\n');
      i++;
    }
    if (i < n) out.once('drain', write); else out.end(resolve);
  };
  write();
});

const { server, base } = await serveStatic(join(root, 'dist'), { spaFallback: true });
const browser = await launchChromium();
const figures = { events: n, customers: CUSTOMERS, products: PRODUCTS };
try {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(base + '/');
  await page.getByRole('button', { name: 'Start empty' }).click();
  await page.locator('#import-file').setInputFiles(modelFile);
  await page.getByText('Imported.').waitFor();

  await page.getByRole('link', { name: 'Usage' }).click();
  let t = Date.now();
  await page.locator('#usage-file').setInputFiles(eventsFile);
  await page.getByRole('status').filter({ hasText: `Imported ${n} events` }).waitFor({ timeout: 1_200_000 });
  figures.import_ms = Date.now() - t;
  await page.locator('.usage-counts', { hasText: '(all saved)' }).waitFor({ timeout: 1_200_000 });
  figures.import_and_saved_ms = Date.now() - t;
  figures.local_storage_chars = await page.evaluate(() => Object.keys(localStorage).reduce((a, k) => a + k.length + (localStorage.getItem(k) ?? '').length, 0));

  const totals = async () => {
    await page.locator('article.invoice').first().waitFor({ timeout: 1_200_000 });
    return page.locator('.invoice-total').allInnerTexts();
  };
  t = Date.now();
  await page.goto(`${base}/invoices?customer=c7`);
  const before = await totals();
  figures.invoices_first_view_ms = Date.now() - t;

  t = Date.now();
  await page.reload();
  const after = await totals();
  figures.reload_to_invoices_ms = Date.now() - t;
  figures.same_totals_after_reload = JSON.stringify(before) === JSON.stringify(after) && before.length > 0;
  figures.invoices = before.length;

  // The what-if: each keystroke in the override multiplier re-rates c7's year on a copy of the state.
  await page.getByRole('link', { name: 'Contracts' }).click();
  await page.getByLabel('Customer').selectOption('c7');
  await page.getByLabel('Contract to edit').selectOption({ label: 'Contract 7' });
  await page.getByLabel('Override product tags (comma separated)').fill('cloud');
  const field = page.getByLabel('Override multiplier');
  await field.fill('0.');
  await page.locator('.whatif').first().waitFor();
  const latencies = [];
  for (const key of ['5', '2', '5', 'Backspace', '7', '5']) {
    const lat = await page.evaluate(async (k) => {
      const el = document.querySelector('.whatif');
      const input = document.getElementById('edit-multiplier');
      const done = new Promise((resolve) => {
        const obs = new MutationObserver(() => { obs.disconnect(); resolve(performance.now()); });
        obs.observe(el, { childList: true, subtree: true, characterData: true });
        setTimeout(() => { obs.disconnect(); resolve(null); }, 10_000);
      });
      const start = performance.now();
      input.value = k === 'Backspace' ? input.value.slice(0, -1) : input.value + k;
      input.dispatchEvent(new Event('input', { bubbles: true }));
      const end = await done;
      return end === null ? null : end - start;
    }, key);
    latencies.push(lat);
  }
  figures.whatif_keystroke_ms = latencies.map((l) => (l === null ? null : +l.toFixed(1)));
  await context.close();
} finally {
  await browser.close();
  server.close();
}
console.log(JSON.stringify(figures, null, 2));
