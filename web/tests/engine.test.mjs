// Tally's JS package, imported the way a Node user would, checked against the native `tally run`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import tally from '../../pkg/node/tally_wasm.js';

const { Engine, runScenario } = tally;
const root = fileURLToPath(new URL('../../', import.meta.url));
const scenarioDir = join(root, 'tests/scenarios');
const scenarios = readdirSync(scenarioDir).filter((f) => f.endsWith('.json')).sort();
const nativeTally = process.env.TALLY_BIN ?? join(root, 'target/debug/tally');

test('a customer created from JS comes back with its id', () => {
  const engine = new Engine('2025-01-01T00:00:00Z');
  const res = engine.createCustomer({ id: 'c_widgets', name: 'WidgetsExpress', ingest_aliases: ['team@widgetsexpress.com'], custom_fields: { sfdc_account_id: 'sfdc1001' } });
  assert.equal(res.data.id, 'c_widgets');
  const got = engine.call('GET /v1/customers/c_widgets', null);
  assert.deepEqual(got.data.ingest_aliases, ['team@widgetsexpress.com']);
});

test('a refused call throws an Error with code, message and path', () => {
  const engine = new Engine('2025-01-01T00:00:00Z');
  assert.throws(() => engine.createContract({ customer_id: 'nobody', starting_at: '2025-01-01T00:00:00Z' }), (e) => {
    assert.ok(e instanceof Error);
    assert.ok(e instanceof tally.TallyError);
    assert.equal(e.detail, 'no customer with id `nobody`');
    assert.equal(e.code, 'not_found');
    assert.equal(e.path, 'customer_id');
    assert.match(e.message, /no customer with id `nobody`/);
    return true;
  });
  assert.throws(() => engine.createCustomer({ name: 'X', ingest_aliases: 'not-a-list' }), (e) => e.code === 'invalid_body' && e.path === 'ingest_aliases');
});

for (const file of scenarios) {
  test(`scenario ${file}: wasm gives the same bytes as the native tally run`, () => {
    const text = readFileSync(join(scenarioDir, file), 'utf8');
    const fromWasm = runScenario(text);
    const fromNative = execFileSync(nativeTally, ['run', join(scenarioDir, file)], { encoding: 'utf8' });
    assert.equal(fromWasm, fromNative);
  });
}

test('a bad event refuses the whole batch, naming the event and field', () => {
  const engine = new Engine('2025-01-01T00:00:00Z');
  engine.createCustomer({ id: 'c', name: 'C' });
  assert.throws(() => engine.ingest([
    { transaction_id: 'ok', customer_id: 'c', event_type: 'x', timestamp: '2025-01-01T00:00:00Z' },
    { transaction_id: 'bad', customer_id: 'c', event_type: 'x', timestamp: 'yesterday' },
  ]), (e) => e.code === 'invalid_body' && e.path === '[1].timestamp');
  assert.deepEqual(engine.call('GET /v1/usage/unmatched', null).data, []);
  // Stored, and said at once to bill nothing: no metric reads event type `x`.
  assert.deepEqual(engine.ingest([{ transaction_id: 'ok', customer_id: 'c', event_type: 'x', timestamp: '2025-01-01T00:00:00Z' }]).data,
    { ingested: '1', duplicates: '0', not_billed: { no_metric: '1' } });
});

test('ingestText reads a JSON array or NDJSON as ingest does; deleteUsage, eventCount and exportModel', () => {
  const events = [
    { transaction_id: 'a', customer_id: 'c', event_type: 'x', timestamp: '2025-01-01T00:00:00Z', properties: { n: 1.5, region: 'US' } },
    { transaction_id: 'b', customer_id: 'c', event_type: 'x', timestamp: '2025-01-02T10:00:00+02:00' },
    { transaction_id: 'a', customer_id: 'c', event_type: 'x', timestamp: '2025-01-03T00:00:00Z' },
  ];
  const engines = [0, 1, 2].map(() => { const e = new Engine('2025-02-01T00:00:00Z'); e.createCustomer({ id: 'c', name: 'C' }); return e; });
  const answers = [
    engines[0].ingest(events).data,
    engines[1].ingestText(JSON.stringify(events)).data,
    engines[2].ingestText(events.map((e) => JSON.stringify(e)).join('\n'), 'ndjson').data,
  ];
  for (const a of answers) assert.deepEqual(a, { ingested: '2', duplicates: '1', not_billed: { no_metric: '2' } });
  assert.equal(engines[1].exportState(), engines[0].exportState());
  assert.equal(engines[2].exportState(), engines[0].exportState());
  assert.equal(engines[0].eventCount(), 2);
  assert.deepEqual(JSON.parse(engines[0].exportModel()).state.events, []);
  assert.deepEqual(engines[0].deleteUsage({ customer_id: 'c', starting_at: '2025-01-02T00:00:00Z' }).data, { deleted: '1' });
  assert.equal(engines[0].eventCount(), 1);
  assert.throws(() => engines[0].ingestText('{"transaction_id": 1}', 'ndjson'), (e) => e.code === 'invalid_body' && e.path === '[0].transaction_id');
  assert.throws(() => engines[0].ingestText('[]', 'xml'), (e) => e.code === 'invalid_body');
  assert.equal(engines[0].eventCount(), 1);
});

test('ingestText and importState read text beyond ASCII exactly as the object path does; a non-string is refused', () => {
  // Mostly ASCII with multi-byte characters late in the text, so the first buffer (a byte per unit)
  // runs out and the rest is read in a second round.
  const events = Array.from({ length: 300 }, (_, i) => ({ transaction_id: `t${i}`, customer_id: 'c', event_type: 'x',
    timestamp: '2025-01-01T00:00:00Z', properties: { region: i < 250 ? 'US' : `Zürich € ${'😀'.repeat(i % 4)}` } }));
  const [byObject, byText, restored] = [0, 1, 2].map(() => { const e = new Engine('2025-02-01T00:00:00Z'); e.createCustomer({ id: 'c', name: 'C' }); return e; });
  byObject.call('POST /v1/ingest', events);
  byText.ingestText(JSON.stringify(events), 'json');
  const exported = byObject.exportState();
  assert.equal(byText.exportState(), exported);
  assert.match(exported, /Zürich € 😀😀😀/);
  restored.importState(exported);
  assert.equal(restored.exportState(), exported);
  assert.throws(() => byText.ingestText(42), (e) => e.code === 'invalid_body' && /text: expected a string/.test(e.message));
  assert.throws(() => restored.importState({}), (e) => e.code === 'invalid_body' && /json: expected a string/.test(e.message));
  assert.equal(byText.eventCount(), 300);
  // A lone surrogate (not UTF-8 at all) becomes U+FFFD on the way in, as wasm-bindgen's own conversion does.
  byText.ingestText('[{"transaction_id": "lone\ud800", "customer_id": "c", "event_type": "x", "timestamp": "2025-01-01T00:00:00Z"}]', 'json');
  assert.match(byText.exportState(), /"lone\uFFFD"/);
  assert.equal(byText.eventCount(), 301);
});

test('customer-level commits and credits: typed create and list methods, shared by two contracts', () => {
  const engine = new Engine('2025-03-01T00:00:00Z');
  engine.call('POST /v1/billable-metrics/create', { id: 'm', name: 'Calls', aggregation_type: 'COUNT', group_keys: [['region']] });
  engine.call('POST /v1/contract-pricing/products/create', { id: 'p', name: 'API', type: 'USAGE', billable_metric_id: 'm' });
  engine.call('POST /v1/contract-pricing/products/create', { id: 'f', name: 'Commit', type: 'FIXED' });
  engine.call('POST /v1/contract-pricing/rate-cards/create', { id: 'rc', name: 'List', rates: [
    { product_id: 'p', starting_at: '2025-01-01T00:00:00Z', rate_type: 'FLAT', price: 100 }] });
  engine.createCustomer({ id: 'c', name: 'C' });
  for (const [id, region] of [['us', 'US'], ['eu', 'EU']]) {
    engine.createContract({ id, customer_id: 'c', rate_card_id: 'rc', starting_at: '2025-01-01T00:00:00Z',
      usage_filter: { group_key: 'region', group_values: [region] } });
  }
  assert.deepEqual(engine.createCustomerCommit({ id: 'shared', customer_id: 'c', type: 'PREPAID', name: 'Shared', product_id: 'f', invoice_contract_id: 'us',
    access_schedule: { schedule_items: [{ amount: 1000, starting_at: '2025-01-01T00:00:00Z', ending_before: '2026-01-01T00:00:00Z' }] },
    invoice_schedule: { schedule_items: [{ timestamp: '2025-01-01T00:00:00Z', amount: 1000 }] } }).data, { id: 'shared' });
  assert.throws(() => engine.createCustomerCredit({ customer_id: 'c', product_id: 'f', applicable_contract_ids: ['nope'],
    access_schedule: { schedule_items: [{ amount: 1, starting_at: '2025-01-01T00:00:00Z', ending_before: '2026-01-01T00:00:00Z' }] } }),
  (e) => e.code === 'not_found' && e.path === 'applicable_contract_ids[0]');
  // 6 US calls (600) and 7 EU calls (700) in January. Both January periods end together and both
  // contracts start together, so the one created first draws first: us takes 600 of the 1,000, eu
  // the last 400 of its 700.
  const events = [...Array(13).keys()].map((i) => ({ transaction_id: `t${i}`, customer_id: 'c', event_type: 'call',
    timestamp: `2025-01-${String(2 + i).padStart(2, '0')}T00:00:00Z`, properties: { region: i < 6 ? 'US' : 'EU' } }));
  engine.ingest(events);
  const jan = engine.invoices('c', 'ending_before=2025-02-01T00:00:00Z').data.filter((i) => i.type === 'USAGE');
  assert.deepEqual(jan.map((i) => [i.contract_id, i.total]), [['us', '0'], ['eu', '300']]);
  const listed = engine.listCustomerBalances({ customer_id: 'c', include_balance: true }).data;
  assert.deepEqual(listed.map((b) => [b.id, b.invoice_contract?.id, b.balance]), [['shared', 'us', '0']]);
  assert.deepEqual(engine.listCustomerBalances({ customer_id: 'c' }, true).data, []);
});

test('pricing units: typed create and list, a rate in AI tokens converted to EUR on the invoice', () => {
  const engine = new Engine('2025-03-01T00:00:00Z');
  assert.deepEqual(engine.createCreditType({ id: 'tok', name: 'AI tokens' }).data, { id: 'tok' });
  assert.throws(() => engine.createCreditType({ name: 'AI tokens' }), (e) => e.code === 'conflict' && e.path === 'name');
  const units = engine.listCreditTypes().data;
  assert.deepEqual(units[0], { id: '2714e483-4ff1-48e4-9e25-ac732e8f24f2', name: 'USD (cents)', is_currency: true });
  assert.deepEqual(units.at(-1), { id: 'tok', name: 'AI tokens' });
  engine.call('POST /v1/billable-metrics/create', { id: 'm', name: 'Units', aggregation_type: 'SUM', aggregation_key: 'n' });
  engine.call('POST /v1/contract-pricing/products/create', { id: 'p', name: 'Model', type: 'USAGE', billable_metric_id: 'm' });
  engine.call('POST /v1/contract-pricing/rate-cards/create', { id: 'rc', name: 'EUR', fiat_credit_type_id: 'EUR',
    credit_type_conversions: [{ custom_credit_type_id: 'tok', fiat_per_custom_credit: 0.02 }],
    rates: [{ product_id: 'p', starting_at: '2025-01-01T00:00:00Z', rate_type: 'FLAT', price: 3, credit_type_id: 'tok' }] });
  engine.createCustomer({ id: 'c', name: 'C' });
  engine.createContract({ id: 'k', customer_id: 'c', rate_card_id: 'rc', starting_at: '2025-01-01T00:00:00Z' });
  engine.ingest([{ transaction_id: 't', customer_id: 'c', event_type: 'x', timestamp: '2025-01-05T00:00:00Z', properties: { n: 7 } }]);
  // By hand: 7 units at 3 tokens = 21 tokens, at 0.02 EUR a token: 0.42 EUR due.
  const [jan] = engine.invoices('c', 'ending_before=2025-02-01T00:00:00Z').data;
  assert.deepEqual(jan.credit_type, { id: 'EUR', name: 'EUR' });
  assert.deepEqual(jan.line_items.map((l) => [l.type, l.total, l.credit_type?.name]),
    [['usage', '21', 'AI tokens'], ['conversion', '0.42', undefined]]);
  assert.equal(jan.total, '0.42');
});

test('exportState and importState round-trip; a bad import throws and keeps the state', () => {
  const engine = new Engine('2025-01-01T00:00:00Z');
  engine.createCustomer({ id: 'c', name: 'C', custom_fields: { tier: 'gold' } });
  const saved = engine.exportState();
  assert.equal(JSON.parse(saved).tally_state_version, 1);
  const other = new Engine('2025-01-01T00:00:00Z');
  other.importState(saved);
  assert.equal(other.call('GET /v1/customers/c', null).data.custom_fields.tier, 'gold');
  assert.throws(() => other.importState('{"tally_state_version": 99, "state": {}}'), (e) => e.path === 'tally_state_version');
  assert.equal(other.exportState(), saved);
});

test('an unknown call is refused with code unknown_call', () => {
  const engine = new Engine('2025-01-01T00:00:00Z');
  assert.throws(() => engine.call('POST /v1/nope', {}), (e) => e.code === 'unknown_call');
});

test('usage that bills nothing comes back with its reason; a scheduled price change through addRates', () => {
  const engine = new Engine('2025-03-01T00:00:00Z');
  engine.call('POST /v1/billable-metrics/create', { id: 'm', name: 'Calls', event_type_filter: { in_values: ['call'] }, aggregation_type: 'COUNT' });
  engine.call('POST /v1/contract-pricing/products/create', { id: 'p', name: 'API', type: 'USAGE', billable_metric_id: 'm' });
  engine.call('POST /v1/contract-pricing/rate-cards/create', { id: 'rc', name: 'List', rates: [
    { product_id: 'p', starting_at: '2025-01-01T00:00:00Z', rate_type: 'FLAT', price: 100 }] });
  // From Jan 16 a call costs 150: the open-ended 100 ends there.
  engine.addRates({ rate_card_id: 'rc', rates: [{ product_id: 'p', starting_at: '2025-01-16T00:00:00Z', rate_type: 'FLAT', price: 150 }] });
  engine.createCustomer({ id: 'c', name: 'C' });
  engine.createContract({ id: 'k', customer_id: 'c', rate_card_id: 'rc', starting_at: '2025-01-01T00:00:00Z' });
  engine.ingest([
    { transaction_id: 'a', customer_id: 'c', event_type: 'call', timestamp: '2025-01-10T00:00:00Z' },
    { transaction_id: 'b', customer_id: 'c', event_type: 'call', timestamp: '2025-01-20T00:00:00Z' },
    { transaction_id: 'x', customer_id: 'nobody', event_type: 'call', timestamp: '2025-01-20T00:00:00Z' },
    { transaction_id: 'y', customer_id: 'c', event_type: 'page_view', timestamp: '2025-01-20T00:00:00Z' },
  ]);
  const why = engine.unbilled().data.map((u) => [u.transaction_id, u.reason]);
  assert.deepEqual(why, [['x', 'no_customer'], ['y', 'no_metric']]);
  // January: one call at 100 before the 16th, one at 150 after: 250.
  const jan = engine.invoices('c', 'ending_before=2025-02-01T00:00:00Z').data[0];
  assert.equal(jan.total, '250');
});

test('a customer id holding a slash lists its invoices, typed and routed (%2F)', () => {
  const engine = new Engine('2025-02-15T00:00:00Z');
  engine.createCustomer({ id: 'acme/eu', name: 'Acme EU' });
  engine.createContract({ id: 'k', customer_id: 'acme/eu', starting_at: '2025-01-01T00:00:00Z' });
  const typed = engine.invoices('acme/eu', 'ending_before=2025-02-01T00:00:00Z').data;
  assert.equal(typed.length, 1);
  assert.equal(typed[0].customer_id, 'acme/eu');
  const routed = engine.call('GET /v1/customers/acme%2Feu/invoices?ending_before=2025-02-01T00%3A00%3A00Z', null).data;
  assert.deepEqual(routed, typed);
});

test('invoices({explain: true}) explains each line; the same list without it carries no explanation', () => {
  const engine = new Engine('2025-03-01T00:00:00Z');
  engine.call('POST /v1/billable-metrics/create', { id: 'm', name: 'Calls', aggregation_type: 'COUNT' });
  engine.call('POST /v1/contract-pricing/products/create', { id: 'p', name: 'API', type: 'USAGE', billable_metric_id: 'm' });
  engine.call('POST /v1/contract-pricing/rate-cards/create', { id: 'rc', name: 'List', rates: [
    { product_id: 'p', starting_at: '2025-01-01T00:00:00Z', rate_type: 'FLAT', price: 100 }] });
  engine.createCustomer({ id: 'c', name: 'C' });
  engine.createContract({ id: 'k', customer_id: 'c', rate_card_id: 'rc', starting_at: '2025-01-01T00:00:00Z',
    overrides: [{ product_id: 'p', type: 'OVERWRITE', overwrite_rate: { rate_type: 'FLAT', price: 40 }, starting_at: '2025-01-01T00:00:00Z' }] });
  engine.ingest([1, 2, 3].map((i) => ({ transaction_id: `t${i}`, customer_id: 'c', event_type: 'call', timestamp: '2025-01-10T00:00:00Z' })));
  // Three calls at the overwritten 40¢: $1.20.
  const plain = engine.invoices('c', { ending_before: '2025-02-01T00:00:00Z' }).data[0];
  const [line] = engine.invoices('c', { ending_before: '2025-02-01T00:00:00Z', explain: true }).data[0].line_items;
  assert.equal(plain.total, '120');
  assert.equal(plain.line_items[0].explanation, undefined);
  assert.deepEqual(line.explanation.steps.map((s) => s.kind), ['quantity', 'list_price', 'override', 'rounding']);
  assert.match(line.explanation.steps[1].text, /List price \$1\.00 per unit from rate card “List”/);
  assert.match(line.explanation.steps[2].text, /OVERWRITE override .* sets the price to \$0\.40 per unit: the only override in force/);
  assert.equal(line.explanation.steps[3].text, '3 × $0.40 = $1.20.');
  // The query string says the same.
  const fromQuery = engine.invoices('c', 'ending_before=2025-02-01T00:00:00Z&explain=true').data[0].line_items[0];
  assert.deepEqual(fromQuery, line);
  assert.throws(() => engine.invoices('c', { explain: true, explian: 1 }), (e) => e.code === 'invalid_body' && e.path === 'explian');
});
