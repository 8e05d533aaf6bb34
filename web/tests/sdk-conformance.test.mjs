// Metronome's own SDK as Tally's client: a billing integration's flow (sdk/story.mjs) through
// `engine.fetch` and through `tally serve`, every answer checked against the SDK's declared response
// type (sdk-responses.mjs: a JSON Schema made from its .d.ts, checked with ajv), and the story's code
// checked against the SDK's declarations by `tsc --strict`. Refusals come back as the SDK's APIError
// classes with Metronome's statuses and are never retried.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Metronome from '@metronome/sdk';
import { Engine } from 'tally-billing';
import { recording } from './sdk/exchanges.mjs';
import { problems } from './sdk-responses.mjs';
import { story, storyContinued } from './sdk/story.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '../..');
const tallyBin = process.env.TALLY_BIN ?? join(root, 'target/debug/tally');
const NOW = '2025-03-10T00:00:00Z';

/** A client of Metronome's SDK over `fetch`, recording every exchange; no retries unless asked. */
function client(fetch, options = {}) {
  const rec = recording(fetch);
  const sdk = new Metronome({ bearerToken: 'local', baseURL: 'http://tally.local', fetch: rec.fetch, maxRetries: 0, ...options });
  return { sdk, log: rec.log };
}

/** Every answer of the log that does not match the SDK's declared type, as readable lines. */
function mismatches(log) {
  const out = [];
  for (const x of log) {
    if (x.status !== 200) out.push(`${x.method} ${x.url}: status ${x.status} ${JSON.stringify(x.body)}`);
    else if (!x.endpoint) out.push(`${x.method} ${x.url}: not an endpoint of Metronome's`);
    else for (const p of problems(x.endpoint, x.body)) out.push(`${x.endpoint}: ${p}`);
  }
  return out;
}

/** The story's figures, worked by hand in sdk/story.mjs's header. */
function checkFigures(result) {
  const { invoices, one, reads } = result;
  const byType = (type, start) => invoices.find((i) => i.type === type && i.start_timestamp === start);
  // The commit's purchase on January 1st, billed on a SCHEDULED invoice.
  const scheduled = invoices.filter((i) => i.type === 'SCHEDULED');
  assert.deepEqual(scheduled.map((i) => i.total), [10000]);
  assert.equal(byType('USAGE', '2025-01-01T00:00:00Z')?.total, 0);
  assert.equal(byType('USAGE', '2025-02-01T00:00:00Z')?.total, 2500);
  assert.equal(invoices.length, 3, 'the pages, two to a page, hold the three invoices once each');
  // The February invoice by id: 3,000 calls at 2.5 cents, 5,000 of 7,500 paid by the commit.
  assert.equal(one?.data.total, 2500);
  const usage = one?.data.line_items.filter((l) => l.type === 'usage') ?? [];
  assert.equal(usage.reduce((n, l) => n + (l.quantity ?? 0), 0), 3000);
  for (const l of one?.data.line_items ?? []) assert.equal(l.credit_type.name, 'USD (cents)');
  assert.equal(reads.balance.data.balance, 0);
  assert.equal(reads.customer.data.name, 'Acme');
  assert.deepEqual(reads.customer.data.ingest_aliases, ['acme']);
  assert.equal(reads.rates.length, 1);
  assert.equal(reads.rates[0].rate.price, 2.5, 'an amount is a number on this door, as the SDK types it');
  assert.equal(reads.contractV2.data.commits[0].product.name, 'Prepaid commit');
  assert.equal(reads.contractV1.data.current.commits.length, 1);
  assert.equal(reads.contractsV2.data.length, 1);
  assert.deepEqual(reads.products.map((p) => p.current.name).sort(), ['API', 'Prepaid commit']);
}

/** The figures of `storyContinued`, worked by hand in its comment. */
function checkContinued(more) {
  assert.equal(more.renamed.data.name, 'Beta GmbH');
  // March's draft as if 400 calls at 2.5 cents came in: 1,000 cents.
  assert.deepEqual(more.preview.data.map((i) => i.total), [1000]);
  // 8 hours of implementation at 20,000 cents.
  assert.deepEqual(more.servicesInvoice.data.map((i) => i.total), [160000]);
  assert.equal(more.credits.length, 1);
  assert.equal(more.after.data.ending_before, '2026-01-01T00:00:00Z');
  assert.equal(more.after.data.name, 'Beta 2025');
  assert.equal(more.after.data.net_payment_terms_days, 30);
  assert.equal(more.after.data.overrides.length, 1);
  assert.deepEqual(more.after.data.usage_filter.map((f) => [f.group_key, f.group_values, f.starting_at]),
    [['region', ['eu'], '2025-05-01T00:00:00Z']]);
  // Archived: listed only when asked for; a metric list leaves the archived one out.
  assert.deepEqual(more.archived.products, ['Trial']);
  assert.deepEqual(more.archived.customers, ['Trial Co']);
  assert.deepEqual(more.archived.metrics, ['API calls']);
}

/** The endpoints docs/metronome-coverage.md says Tally serves. */
function served() {
  const doc = readFileSync(join(root, 'docs/metronome-coverage.md'), 'utf8');
  return [...doc.matchAll(/^\| `([A-Z]+ [^`]+)` \| served \|$/gm)].map((m) => m[1]).sort();
}

test('the story compiles under tsc --strict against the SDK\'s own declarations', () => {
  const tsc = join(here, 'node_modules/typescript/bin/tsc');
  const r = spawnSync(process.execPath, [tsc, '--strict', '--checkJs', '--allowJs', '--noEmit', '--module', 'nodenext',
    '--moduleResolution', 'nodenext', '--target', 'esnext', join(here, 'sdk/story.mjs')], { encoding: 'utf8', cwd: here });
  assert.equal(r.status, 0, r.stdout + r.stderr);
});

test('through engine.fetch, every endpoint Tally serves is called through the SDK, every answer is what the SDK declares, and the figures are right', async () => {
  const engine = new Engine(NOW);
  const { sdk, log } = client(engine.fetch);
  const result = await story(sdk);
  checkFigures(result);
  checkContinued(await storyContinued(sdk, result.ids));
  assert.deepEqual(mismatches(log), []);
  // Every endpoint Tally serves was called through the SDK, and checked above.
  const called = new Set(log.map((x) => x.endpoint));
  assert.deepEqual(served().filter((e) => !called.has(e)), []);
  assert.ok(served().length >= 40);
});

test('engine.fetch is bound (usable detached) and answers a bare path too', async () => {
  const engine = new Engine(NOW);
  const { fetch } = engine;
  const made = await fetch('/v1/customers', { method: 'POST', body: JSON.stringify({ name: 'Bare' }), headers: { 'content-type': 'application/json' } });
  assert.equal(made.status, 200);
  assert.equal(made.headers.get('content-type'), 'application/json');
  const { data } = await made.json();
  assert.equal(data.name, 'Bare');
  assert.equal(engine.fetch, fetch, 'one fetch per engine');
});

test('refusals are the SDK\'s APIError classes, with Metronome\'s status, a message naming the field, and no retry', async () => {
  const engine = new Engine(NOW);
  // With the SDK's default retries: x-should-retry: false must stop them, so each refusal is one request.
  const { sdk, log } = client(engine.fetch, { maxRetries: 2 });
  const expectRefusal = async (promise, status, Class, code, path) => {
    const before = log.length;
    await assert.rejects(promise, (e) => {
      assert.ok(e instanceof Class, `${e.constructor.name}: ${e.message}`);
      assert.equal(e.status, status);
      assert.equal(e.error.code, code);
      if (path !== undefined) assert.equal(e.error.path, path);
      assert.ok(e.message.startsWith(`${status} `), e.message);
      return true;
    });
    assert.equal(log.length - before, 1, 'a refusal is asked once, never retried');
  };
  await sdk.v1.customers.create({ name: 'Acme', ingest_aliases: ['acme'] });
  // A wrong type, a missing required field, a field no Metronome call has, one Tally does not implement.
  await expectRefusal(sdk.v1.customers.create(/** @type {any} */ ({ name: 5 })), 400, Metronome.BadRequestError, 'invalid_body', 'name');
  await expectRefusal(sdk.v1.contracts.create(/** @type {any} */ ({ starting_at: NOW })), 400, Metronome.BadRequestError, 'invalid_body');
  await expectRefusal(sdk.v1.customers.create(/** @type {any} */ ({ name: 'B', nickname: 'b' })), 400, Metronome.BadRequestError, 'unknown_field', 'nickname');
  await expectRefusal(sdk.v1.contracts.create({ customer_id: 'x', starting_at: NOW, hierarchy_configuration: { parent_contract_id: 'p' } }),
    501, Metronome.InternalServerError, 'not_supported', 'hierarchy_configuration');
  // An unknown id, an alias another customer holds, an endpoint Tally does not serve.
  await expectRefusal(sdk.v1.customers.retrieve({ customer_id: 'nobody' }), 404, Metronome.NotFoundError, 'not_found');
  await expectRefusal(sdk.v1.customers.create({ name: 'Copy', ingest_aliases: ['acme'] }), 409, Metronome.ConflictError, 'conflict', 'ingest_aliases[0]');
  await expectRefusal(sdk.v1.packages.create(/** @type {any} */ ({ name: 'P' })), 501, Metronome.InternalServerError, 'not_supported', '');
  // A create sent twice with one uniqueness_key (a client retrying after a lost answer) makes one contract.
  const acme = (await sdk.v1.customers.list()).data[0].id;
  await sdk.v1.contracts.create({ customer_id: acme, starting_at: NOW, uniqueness_key: 'deal-1' });
  await expectRefusal(sdk.v1.contracts.create({ customer_id: acme, starting_at: NOW, uniqueness_key: 'deal-1' }),
    409, Metronome.ConflictError, 'conflict', 'uniqueness_key');
  assert.equal((await sdk.v2.contracts.list({ customer_id: acme })).data.length, 1);
  // Nothing half-done: one customer, as before the refusals.
  assert.deepEqual((await sdk.v1.customers.list()).data.map((c) => c.name), ['Acme']);
});

test('a list pages the three ways the SDK asks: limit and next_page in the query, in the body, and without limit', async () => {
  const engine = new Engine(NOW);
  const { sdk, log } = client(engine.fetch);
  for (const name of ['a', 'b', 'c', 'd', 'e']) await sdk.v1.customers.create({ name, custom_fields: { [`k_${name}`]: 'v' } });
  const names = [];
  for await (const c of sdk.v1.customers.list({ limit: 2 })) names.push(c.name);
  assert.deepEqual(names, ['a', 'b', 'c', 'd', 'e']);
  assert.equal(log.filter((x) => x.url.startsWith('/v1/customers?')).length, 3, 'three pages of two');
  // BodyCursorPage: customer commits; no commits, so one empty page that says it is the last.
  const commits = await sdk.v1.customers.commits.list({ customer_id: (await sdk.v1.customers.list()).data[0].id, limit: 1 });
  assert.deepEqual(commits.data, []);
  assert.equal(commits.hasNextPage(), false);
  // CursorPageWithoutLimit: custom field keys, five of them in one page.
  const keys = [];
  for await (const k of sdk.v1.customFields.listKeys({ entities: ['customer'] })) keys.push(k.key);
  assert.deepEqual(keys, ['k_a', 'k_b', 'k_c', 'k_d', 'k_e']);
  assert.deepEqual(mismatches(log), []);
  const bad = await engine.fetch('http://tally.local/v1/customers?limit=500');
  assert.equal(bad.status, 400);
  assert.equal((await bad.json()).path, 'limit');
});

/** `tally serve` on a free port, until `stop()`. */
async function serve(args) {
  const child = spawn(tallyBin, ['serve', '--port', '0', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  const url = await new Promise((resolve, reject) => {
    let err = '';
    child.stderr.on('data', (d) => {
      err += d;
      const m = err.match(/listening on (http:\/\/\S+)/);
      if (m) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`tally serve exited ${code}: ${err}`)));
  });
  return { url, child, stop: () => new Promise((r) => { child.on('exit', r); child.kill(); }) };
}

test('tally serve answers the same story over HTTP, keeps its state in a file, and moves its clock forward only', { skip: !existsSync(tallyBin) && `no ${tallyBin}` }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tally-serve-'));
  const file = join(dir, 'state.json');
  const servers = [];
  try {
    const server = await serve(['--state', file, '--now', NOW]);
    servers.push(server);
    const { sdk, log } = client((req) => fetch(req), { baseURL: server.url });
    const result = await story(sdk);
    checkFigures(result);
    checkContinued(await storyContinued(sdk, result.ids));
    assert.deepEqual(mismatches(log), []);
    const saved = JSON.parse(readFileSync(file, 'utf8'));
    assert.deepEqual(Object.values(saved.state.customers).map((c) => [c.name, Boolean(c.archived_at)]),
      [['Acme', false], ['Beta GmbH', false], ['Trial Co', true]]);
    assert.equal(saved.state.events.length, 2);
    assert.ok(!existsSync(`${file}.tmp`), 'the new file was renamed over the old');
    // The clock: forward is taken, backward refused.
    const back = await fetch(`${server.url}/tally/clock`, { method: 'POST', body: JSON.stringify({ now: '2025-01-01T00:00:00Z' }) });
    assert.equal(back.status, 400);
    const on = await fetch(`${server.url}/tally/clock`, { method: 'POST', body: JSON.stringify({ now: '2025-04-02T00:00:00Z' }) });
    assert.equal((await on.json()).data.now, '2025-04-02T00:00:00Z');
    await server.stop();
    // A restart reads the file: the customer is still there.
    const again = await serve(['--state', file, '--now', NOW]);
    servers.push(again);
    const second = client((req) => fetch(req), { baseURL: again.url }).sdk;
    assert.deepEqual((await second.v1.customers.list()).data.map((c) => c.name), ['Acme', 'Beta GmbH']);
  } finally {
    // A server left running would keep this test file from ending.
    for (const s of servers) s.child.kill();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('tally serve keeps a change it cannot write, says so, and writes it once it can', { skip: !existsSync(tallyBin) && `no ${tallyBin}` }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tally-serve-'));
  const folder = join(dir, 'd');
  const moved = join(dir, 'moved');
  const { mkdirSync, renameSync } = await import('node:fs');
  mkdirSync(folder);
  const file = join(folder, 'state.json');
  const server = await serve(['--state', file, '--now', NOW]);
  const create = (name) => fetch(`${server.url}/v1/customers`, { method: 'POST', body: JSON.stringify({ name }) });
  try {
    assert.equal((await create('a')).status, 200);
    renameSync(folder, moved);
    const failed = await create('b');
    assert.equal(failed.status, 500);
    assert.equal(failed.headers.get('x-should-retry'), 'false');
    assert.equal((await failed.json()).code, 'not_saved');
    const names = async () => (await (await fetch(`${server.url}/v1/customers`)).json()).data.map((c) => c.name);
    assert.deepEqual(await names(), ['a', 'b'], 'the change is kept in memory');
    renameSync(moved, folder);
    assert.equal((await create('c')).status, 200);
    const saved = JSON.parse(readFileSync(file, 'utf8'));
    assert.deepEqual(Object.values(saved.state.customers).map((c) => c.name), ['a', 'b', 'c']);
  } finally {
    server.child.kill();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('tally serve refuses a body over its limit (413), bad JSON (400) and a dropped upload, and keeps serving', { skip: !existsSync(tallyBin) && `no ${tallyBin}` }, async () => {
  const server = await serve(['--max-body', '1000']);
  try {
    const big = await fetch(`${server.url}/v1/customers`, { method: 'POST', body: JSON.stringify({ name: 'x'.repeat(2000) }) });
    assert.equal(big.status, 413);
    assert.match((await big.json()).message, /1000 bytes/);
    const bad = await fetch(`${server.url}/v1/customers`, { method: 'POST', body: '{"name":' });
    assert.equal(bad.status, 400);
    assert.equal(bad.headers.get('x-should-retry'), 'false');
    // A client that promises 500 bytes, sends 10 and goes away.
    const { connect } = await import('node:net');
    const { port } = new URL(server.url);
    await new Promise((resolve) => {
      const sock = connect(Number(port), '127.0.0.1', () => {
        sock.write('POST /v1/customers HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n\r\n{"name":"');
        sock.destroy();
        resolve();
      });
    });
    const ok = await fetch(`${server.url}/v1/customers`, { method: 'POST', body: JSON.stringify({ name: 'After' }) });
    assert.equal(ok.status, 200);
    const list = await (await fetch(`${server.url}/v1/customers`)).json();
    assert.deepEqual(list.data.map((c) => c.name), ['After']);
  } finally {
    await server.stop();
  }
});
