// The wasm benchmark: the same world as crates/tally-core/benches/rating.rs (50 products, a prepaid
// commit, a tag override), 1,000,000 events passed from JS as one array, rated into a year of invoices.
import init, { Engine } from '../../pkg/web/tally_wasm.js';
import { CUSTOMERS, storeWorld, storeEvents } from './store-world.js';

const PRODUCTS = 50;

function world(engine) {
  const rates = [];
  for (let i = 0; i < PRODUCTS; i++) {
    engine.call('POST /v1/billable-metrics/create', { id: `m${i}`, name: `Metric ${i}`, event_type_filter: { in_values: [`e${i}`] },
      aggregation_type: 'SUM', aggregation_key: 'q', group_keys: [['region']] });
    const product = { id: `p${i}`, name: `Product ${i}`, type: 'USAGE', billable_metric_id: `m${i}`, tags: i % 2 === 0 ? ['cloud'] : [] };
    if (i % 5 === 0) product.presentation_group_key = ['region'];
    engine.call('POST /v1/contract-pricing/products/create', product);
    rates.push(i % 3 === 0
      ? { product_id: `p${i}`, starting_at: '2025-01-01T00:00:00Z', rate_type: 'TIERED', tiers: [{ size: 10000, price: 2 }, { price: 1 }] }
      : { product_id: `p${i}`, starting_at: '2025-01-01T00:00:00Z', rate_type: 'FLAT', price: '0.5' });
  }
  engine.call('POST /v1/contract-pricing/products/create', { id: 'commit', name: 'Commit', type: 'FIXED' });
  engine.call('POST /v1/contract-pricing/rate-cards/create', { id: 'rc', name: 'List', rates });
  engine.createCustomer({ id: 'c', name: 'Bench Co', ingest_aliases: ['bench'] });
  engine.createContract({ id: 'k', customer_id: 'c', rate_card_id: 'rc', starting_at: '2025-01-01T00:00:00Z', ending_before: '2026-01-01T00:00:00Z',
    commits: [{ type: 'PREPAID', name: 'Commit', product_id: 'commit', applicable_product_tags: ['cloud'],
      access_schedule: { schedule_items: [{ amount: 50000000, starting_at: '2025-01-01T00:00:00Z', ending_before: '2026-01-01T00:00:00Z' }] },
      invoice_schedule: { schedule_items: [{ timestamp: '2025-01-01T00:00:00Z', amount: 50000000 }] } }],
    overrides: [{ starting_at: '2025-06-01T00:00:00Z', type: 'MULTIPLIER', multiplier: 0.9, applicable_product_tags: ['cloud'] }] });
}

function events(n) {
  let x = 0x2545F4914F6CDD1Dn;
  const next = () => { x = (x * 6364136223846793005n + 1442695040888963407n) & 0xFFFFFFFFFFFFFFFFn; return Number(x >> 33n); };
  const start = Date.UTC(2025, 0, 1) / 1000, year = 365 * 24 * 3600, regions = ['US', 'EU', 'APAC'];
  const out = new Array(n);
  for (let i = 0; i < n; i++) {
    const t = new Date((start + (next() % year)) * 1000).toISOString();
    out[i] = { transaction_id: `t${i}`, customer_id: i % 2 === 0 ? 'c' : 'bench', event_type: `e${next() % PRODUCTS}`, timestamp: t,
      properties: { q: next() % 100, region: regions[next() % 3] } };
  }
  return out;
}

export async function run(n = 1_000_000) {
  await init();
  const engine = new Engine('2026-01-15T00:00:00Z');
  world(engine);
  const evs = events(n);
  const t0 = performance.now();
  engine.ingest(evs);
  const t1 = performance.now();
  const rated = [];
  for (let i = 0; i < 3; i++) {
    const s = performance.now();
    const list = engine.invoices('c', 'ending_before=2026-01-01T00:00:00Z').data;
    rated.push(performance.now() - s);
    if (list.length !== 13) throw new Error(`expected 13 invoices, got ${list.length}`);
  }
  const rateMs = Math.min(...rated);
  return { events: n, ingest_ms: Math.round(t1 - t0), rate_ms: Math.round(rateMs), rate_events_per_s: Math.round(n / (rateMs / 1000)),
    ingest_and_rate_events_per_s: Math.round(n / ((t1 - t0 + rateMs) / 1000)) };
}

// The usage-store world of the usage-at-scale issue: a year of usage, 50 products, 200 customers each
// with a contract. Prints ingest against JSON.parse of the same events, the first rating (which builds
// the hourly index) and re-rating one customer's year after a contract edit.
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function runStore(n = 1_000_000) {
  await init();
  const evs = storeEvents(CUSTOMERS, PRODUCTS, 0, n);
  // What `ingest(array)` spends in the engine's own JSON.stringify before Tally reads the text.
  const ts = performance.now();
  const text = JSON.stringify(evs);
  const stringifyMs = performance.now() - ts;
  const t0 = performance.now();
  JSON.parse(text);
  const parseMs = performance.now() - t0;

  const engine = new Engine('2026-01-15T00:00:00Z');
  storeWorld(engine);
  const t1 = performance.now();
  engine.ingest(evs);
  const ingestMs = performance.now() - t1;

  const other = new Engine('2026-01-15T00:00:00Z');
  storeWorld(other);
  const t2 = performance.now();
  other.ingestText(text, 'json');
  const ingestTextMs = performance.now() - t2;
  other.free();

  const t3 = performance.now();
  engine.invoices('c7', 'ending_before=2026-01-01T00:00:00Z');
  const firstRatingMs = performance.now() - t3;

  // An edit to customer c7's contract (a new override each time), then its year re-rated.
  const rerate = [];
  let totals = '';
  for (let k = 0; k < 9; k++) {
    engine.call('POST /v2/contracts/edit', { customer_id: 'c7', contract_id: 'k7', add_overrides: [
      { starting_at: `2025-0${1 + (k % 9)}-01T00:00:00Z`, type: 'MULTIPLIER', multiplier: 0.9 - k * 0.05, applicable_product_tags: ['cloud'] }] });
    const s = performance.now();
    const list = engine.invoices('c7', 'ending_before=2026-01-01T00:00:00Z').data;
    rerate.push(performance.now() - s);
    totals = list.map((i) => i.total).join(',');
    if (list.length !== 12) throw new Error(`expected 12 invoices, got ${list.length}`);
  }
  return {
    events: n, customers: CUSTOMERS, products: PRODUCTS,
    json_parse_ms: Math.round(parseMs), json_stringify_ms: Math.round(stringifyMs), ingest_array_ms: Math.round(ingestMs), ingest_vs_parse: +(ingestMs / parseMs).toFixed(2),
    ingest_text_ms: Math.round(ingestTextMs), first_rating_ms: Math.round(firstRatingMs),
    rerate_after_edit_ms_median: +median(rerate).toFixed(1), rerate_after_edit_ms_min: +Math.min(...rerate).toFixed(1),
    model_chars: engine.exportModel().length, last_totals: totals.slice(0, 60),
  };
}
