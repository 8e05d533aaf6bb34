// The app at scale, in Debian's headless Chromium: a model of 200 customers and 50 products imported,
// then a file of EVENTS usage events (NDJSON, a year) imported through the Usage page; the page is
// reloaded and must show the same invoice totals; then the contract what-if answers keystrokes.
// Prints the figures. Usage: node web/bench/app.mjs [events]   (after `trunk build --release` and
// scripts/build-pkg.sh, from the repository root). Figures only: nothing here passes on a number.
import { createRequire } from 'node:module';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveStatic, launchChromium } from '../tests/browser.mjs';
import { CUSTOMERS, PRODUCTS, storeWorld, storeEvents } from './store-world.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const require = createRequire(import.meta.url);
const { Engine } = require(join(root, 'pkg/node/tally_wasm.js'));
const n = Number(process.argv[2] ?? 1_000_000);
const work = join(root, 'artifacts/bench');
await mkdir(work, { recursive: true });

// The model, made by the engine itself and exported as the app's Import reads it.
const engine = new Engine('2026-01-15T00:00:00Z');
storeWorld(engine);
const modelFile = join(work, 'model.json');
await writeFile(modelFile, engine.exportModel());

// The events: a year over 50 products and 200 customers, as an NDJSON file made in the page (a file
// of this size does not go through the test driver's protocol) and handed to the Usage page's file
// input, as a user's pick would be.
function makeEventsFile(customers, products, from, to) {
  const events = window.__storeEvents(customers, products, from, to);
  const parts = [];
  for (let k = 0; k < events.length; k += 10_000) {
    parts.push(events.slice(k, k + 10_000).map((e) => JSON.stringify(e)).join('\n') + '\n');
  }
  window.__file = new File(parts, `events-${from}.ndjson`, { type: 'application/x-ndjson' });
  return window.__file.size;
}

function pickEventsFile() {
  const input = document.getElementById('usage-file');
  const dt = new DataTransfer();
  dt.items.add(window.__file);
  input.files = dt.files;
  setTimeout(() => input.dispatchEvent(new Event('change', { bubbles: true })), 0);
}

const { server, base } = await serveStatic(join(root, 'dist'), { spaFallback: true });
const browser = await launchChromium();
const log = (m) => console.error(`[${new Date().toISOString().slice(11, 19)}] ${m}`);
const figures = { events: n, customers: CUSTOMERS, products: PRODUCTS };
try {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(base + '/');
  await page.getByRole('button', { name: 'Start empty' }).click();
  await page.locator('#import-file').setInputFiles(modelFile);
  await page.getByText('Imported.').waitFor({ timeout: 60_000 }).catch(async (e) => {
    await page.screenshot({ path: join(work, 'model-import.png'), fullPage: true });
    throw e;
  });

  await page.getByRole('link', { name: 'Usage' }).click();
  page.on('crash', () => log('the page crashed'));
  page.on('console', (m) => log(`console ${m.type()}: ${m.text().slice(0, 300)}`));
  page.on('pageerror', (e) => log(`page error: ${String(e).slice(0, 300)}`));
  log('importing the events file');
  await page.evaluate(([make, events]) => {
    window.__make = new Function(`return ${make}`)();
    window.__storeEvents = new Function(`return ${events}`)();
  }, [makeEventsFile.toString(), storeEvents.toString()]);
  // Files of at most 500,000 events (≈ 73 MB): this headless Chromium never finishes reading a File
  // made in memory past ≈ 128 MB (such blobs go to disk), so a million events come as two files.
  const PER_FILE = 500_000;
  figures.files = Math.ceil(n / PER_FILE);
  figures.file_bytes = 0;
  figures.import_ms = 0;
  figures.import_and_saved_ms = 0;
  for (let from = 0; from < n; from += PER_FILE) {
    const to = Math.min(n, from + PER_FILE);
    figures.file_bytes += await page.evaluate(([c, p, a, b]) => window.__make(c, p, a, b), [CUSTOMERS, PRODUCTS, from, to]);
    log(`made events ${from}..${to}`);
    const t = Date.now();
    await page.evaluate(pickEventsFile);
    const outcome = page.locator('.import .note', { hasText: `events-${from}.ndjson` }).or(page.locator('.import .note.bad'));
    await outcome.waitFor({ timeout: 1_200_000 });
    const said = await outcome.innerText();
    if (!said.startsWith(`Imported ${to - from} events`)) throw new Error(`import: ${said}`);
    figures.import_ms += Date.now() - t;
    await page.locator('.usage-counts', { hasText: `${to} events in this tab; ${to} saved in this browser (all saved)` }).waitFor({ timeout: 1_200_000 });
    figures.import_and_saved_ms += Date.now() - t;
    log(`imported and saved ${to} events`);
  }
  figures.local_storage_chars = await page.evaluate(() => Object.keys(localStorage).reduce((a, k) => a + k.length + (localStorage.getItem(k) ?? '').length, 0));

  const totals = async () => {
    await page.locator('article.invoice').first().waitFor({ timeout: 1_200_000 });
    return page.locator('.invoice-total').allInnerTexts();
  };
  let t = Date.now();
  await page.getByRole('link', { name: 'Invoices' }).click();
  await page.getByLabel('Customer').selectOption('c7');
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
  await page.getByLabel('Override starting at').fill('2025-03-01');
  const field = page.getByLabel('Override multiplier');
  await field.fill('0.');
  await page.locator('.whatif-table').first().waitFor({ timeout: 60_000 });
  const latencies = [];
  for (const key of ['5', '2', '5', 'Backspace', '7', '5']) {
    const lat = await page.evaluate(async (k) => {
      const input = document.getElementById('edit-multiplier');
      const el = input.closest('form').parentElement.querySelector(':scope > .whatif');
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
