// The usage-store world of the usage-at-scale issue, shared by the JS package benchmark (bench.js, in
// the browser) and the app benchmark (app.mjs, in Node): a year of usage over 50 products and 200
// customers, each with a contract.
export const PRODUCTS = 50;
export const CUSTOMERS = 200;

export function storeWorld(engine) {
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
}

// Events [from, to) of the world's deterministic stream (a small LCG). Self-contained, so the app
// benchmark can send its source into a page.
export function storeEvents(customers, products, from, to) {
  let x = 0x2545F4914F6CDD1Dn;
  const next = () => { x = (x * 6364136223846793005n + 1442695040888963407n) & 0xFFFFFFFFFFFFFFFFn; return Number(x >> 33n); };
  const start = Date.UTC(2025, 0, 1) / 1000, year = 365 * 24 * 3600, regions = ['US', 'EU', 'APAC'];
  const out = [];
  for (let i = 0; i < to; i++) {
    const c = next() % customers;
    const [ty, ts, q, r] = [next() % products, next() % year, next() % 100, next() % 3];
    if (i < from) continue;
    out.push({ transaction_id: `t${i}`, customer_id: i % 2 === 0 ? `c${c}` : `alias-${c}`, event_type: `e${ty}`,
      timestamp: new Date((start + ts) * 1000).toISOString(), properties: { q, region: regions[r] } });
  }
  return out;
}
