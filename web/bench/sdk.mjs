// What the HTTP door costs over the typed calls, in Node: a year of invoices (one customer, 50
// products, N events) asked three ways: `engine.invoices` (the typed method), `engine.fetch` (the
// door: routing, the SDK's shapes, JSON text) and Metronome's SDK paging over `engine.fetch` (100 to a
// page). Prints the median of 9 runs of each, in ms.
// Usage: node web/bench/sdk.mjs [events]   (from the repository root, after scripts/build-pkg.sh)
import { createRequire } from 'node:module';

const require = createRequire(new URL('../tests/package.json', import.meta.url));
const { Engine } = require('tally-billing');
const { default: Metronome } = await import(require.resolve('@metronome/sdk'));

const n = Number(process.argv[2] ?? '1000000');
const engine = new Engine('2026-01-15T00:00:00Z');
engine.call('POST /v1/billable-metrics/create', { id: 'm', name: 'calls', event_type_filter: { in_values: ['call'] }, aggregation_type: 'SUM', aggregation_key: 'n', group_keys: [['product']] });
const rates = [];
for (let p = 0; p < 50; p++) {
  engine.call('POST /v1/contract-pricing/products/create', { id: `p${p}`, name: `Product ${p}`, type: 'USAGE', billable_metric_id: 'm', pricing_group_key: ['product'] });
  rates.push({ product_id: `p${p}`, starting_at: '2025-01-01T00:00:00Z', entitled: true, rate_type: 'FLAT', price: 1 + p / 100, pricing_group_values: { product: `p${p}` } });
}
engine.call('POST /v1/contract-pricing/rate-cards/create', { id: 'rc', name: 'Card', rates });
engine.call('POST /v1/customers', { id: 'c', name: 'Bench Co' });
engine.call('POST /v1/contracts/create', { id: 'k', customer_id: 'c', rate_card_id: 'rc', starting_at: '2025-01-01T00:00:00Z', ending_before: '2026-01-01T00:00:00Z' });
const start = Date.parse('2025-01-01T00:00:00Z');
const year = 365 * 24 * 3600 * 1000;
const events = [];
for (let i = 0; i < n; i++) {
  events.push({ transaction_id: `t${i}`, customer_id: 'c', event_type: 'call', timestamp: new Date(start + Math.floor((i / n) * year)).toISOString(), properties: { n: 1 + (i % 7), product: `p${i % 50}` } });
}
engine.ingest(events);

const median = async (f) => {
  const times = [];
  for (let i = 0; i < 9; i++) {
    const t0 = performance.now();
    await f();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return Math.round(times[4] * 10) / 10;
};
const client = new Metronome({ bearerToken: 'local', baseURL: 'http://tally.local', fetch: engine.fetch });
const typed = engine.invoices('c').data;
const viaSdk = [];
for await (const i of client.v1.customers.invoices.list({ customer_id: 'c' })) viaSdk.push(i);
if (viaSdk.length !== typed.length || String(viaSdk.at(-1)?.total) !== String(Number(typed.at(-1)?.total))) {
  throw new Error(`the door and the typed call disagree: ${viaSdk.length} against ${typed.length} invoices`);
}
console.log(JSON.stringify({
  events: n,
  invoices: typed.length,
  typed_invoices_ms: await median(() => engine.invoices('c')),
  fetch_invoices_ms: await median(async () => (await engine.fetch('/v1/customers/c/invoices')).json()),
  sdk_list_all_pages_ms: await median(async () => { for await (const _ of client.v1.customers.invoices.list({ customer_id: 'c' })); }),
}, null, 2));
