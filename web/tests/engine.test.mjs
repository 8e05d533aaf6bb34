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
