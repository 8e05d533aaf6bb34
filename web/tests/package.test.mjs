// The package as its users meet it: imported by name ('tally-billing', through package.json's
// exports), the example in docs/js.md (also the package's README) run as written, and the TypeScript
// declarations type-checked; what the package holds (one .wasm, README, LICENSE, package.json's fields and
// exports), Node's no-op init, TallyError and a freed Engine.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, symlinkSync, lstatSync, mkdirSync, rmSync, readdirSync, statSync, existsSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join, sep } from 'node:path';
import { serveStatic, launchChromium } from './browser.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = join(here, '../..');

before(() => {
  // Install the built pkg/ the way `npm install ./pkg` would: node_modules/tally-billing -> pkg.
  const link = join(here, 'node_modules/tally-billing');
  try { lstatSync(link); } catch { symlinkSync(join(root, 'pkg'), link, 'dir'); }
});

test("docs/js.md's JavaScript example runs and prints what it says", () => {
  const doc = readFileSync(join(root, 'docs', 'js.md'), 'utf8');
  const block = doc.match(/<!-- example:js -->\s*```js\n([\s\S]*?)```/);
  assert.ok(block, 'docs/js.md has the example block');
  const dir = join(here, '.tmp');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'js-example.mjs');
  writeFileSync(file, block[1]);
  const run = spawnSync(process.execPath, [file], { encoding: 'utf8', cwd: here });
  rmSync(dir, { recursive: true, force: true });
  assert.equal(run.status, 0, run.stderr);
  // 3 calls at 2.5 cents = 7.5 cents; the line total rounds half away from zero to 8.
  assert.equal(run.stdout.trim(), '8');
});

function tsc(file, { module = 'nodenext', moduleResolution = 'nodenext', emit = ['--noEmit'] } = {}) {
  const bin = join(here, 'node_modules/typescript/bin/tsc');
  return spawnSync(process.execPath, [bin, ...emit, '--strict', '--module', module, '--moduleResolution', moduleResolution,
    '--target', 'esnext', '--skipLibCheck', 'false', join(here, 'typecheck', file)], { encoding: 'utf8', cwd: here });
}

test('the TypeScript declarations type-check real use under --strict', () => {
  // nodenext: Node's ES module entry (node/index.d.mts); bundler: the web build's declarations.
  for (const [module, moduleResolution] of [['nodenext', 'nodenext'], ['esnext', 'bundler']]) {
    const r = tsc('uses-tally.ts', { module, moduleResolution });
    assert.equal(r.status, 0, `${moduleResolution}: ${r.stdout}${r.stderr}`);
  }
});

test('the TypeScript declarations reject a misspelled enum and money of the wrong type', () => {
  const r = tsc('misuses-tally.ts');
  assert.notEqual(r.status, 0);
  assert.match(r.stdout, /"prepayed"/);
  assert.match(r.stdout, /cents/);
});

test('the --target web build loads as an ES module in Chromium and rates there', async () => {
  // The wasm benchmark page imports pkg/web/tally_wasm.js as a browser user would (init(), then Engine);
  // with a few thousand events it is a quick end-to-end check of the web build.
  const { server, base } = await serveStatic(root);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.goto(`${base}/web/bench/index.html?n=5000`);
    await page.waitForFunction(() => window.__result, null, { timeout: 60_000 });
    const result = await page.evaluate(() => window.__result);
    assert.equal(result.error, undefined, result.error);
    assert.equal(result.events, 5000);
  } finally {
    await browser.close();
    server.close();
  }
});

const pkg = join(root, 'pkg');
const require = createRequire(import.meta.url);
const freedMessage = 'this Engine was freed; create a new one';

/** Every file under `dir`, as paths relative to it with forward slashes. */
function filesUnder(dir) {
  return readdirSync(dir, { recursive: true }).filter((f) => statSync(join(dir, f)).isFile()).map((f) => f.split(sep).join('/')).sort();
}

/** The files `npm pack` would put in the tarball (nothing is written). */
function packed() {
  const r = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { encoding: 'utf8', cwd: pkg });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout)[0].files.map((f) => f.path).sort();
}

/** What `f` throws; fails when it throws nothing. */
function thrownBy(f) {
  try { f(); } catch (e) { return e; }
  assert.fail('expected a throw');
}

test('pkg/ carries the README (docs/js.md) and the LICENSE, and npm packs both', () => {
  assert.equal(readFileSync(join(pkg, 'README.md'), 'utf8'), readFileSync(join(root, 'docs/js.md'), 'utf8'));
  assert.equal(readFileSync(join(pkg, 'LICENSE'), 'utf8'), readFileSync(join(root, 'LICENSE'), 'utf8'));
  assert.match(readFileSync(join(pkg, 'LICENSE'), 'utf8'), /^MIT License/);
  const files = packed();
  for (const f of ['README.md', 'LICENSE', 'package.json']) assert.ok(files.includes(f), `${f} is not packed: ${files}`);
});

test('the package holds one .wasm, the web build\'s, which the Node build loads', () => {
  assert.deepEqual(filesUnder(pkg).filter((f) => f.endsWith('.wasm')), ['web/tally_wasm_bg.wasm']);
  assert.deepEqual(packed().filter((f) => f.endsWith('.wasm')), ['web/tally_wasm_bg.wasm']);
  // scripts/build-pkg.sh points the Node glue at ../web; it still works (the tests above and below use it).
  const glue = readFileSync(join(pkg, 'node/tally_wasm.js'), 'utf8');
  assert.equal(glue.split('${__dirname}/../web/tally_wasm_bg.wasm').length, 2, 'the Node glue reads ../web/tally_wasm_bg.wasm once');
  assert.ok(!glue.includes('${__dirname}/tally_wasm_bg.wasm'));
  assert.equal(typeof require('tally-billing').Engine, 'function');
});

test('package.json: repository, keywords, engines, sideEffects, files, and exports with ./package.json and the .wasm', async () => {
  const { default: manifest } = await import('tally-billing/package.json', { with: { type: 'json' } });
  assert.deepEqual(manifest.repository, { type: 'git', url: 'https://github.com/tally-billing/tally' });
  for (const k of ['billing', 'usage-based billing', 'webassembly']) assert.ok(manifest.keywords.includes(k), k);
  assert.deepEqual(manifest.engines, { node: '>=18' });
  // The glue only defines things when imported (the Node one also loads the .wasm); nothing else needs it run.
  assert.equal(manifest.sideEffects, false);
  assert.deepEqual(manifest.files, ['web/', 'node/', 'README.md', 'LICENSE']);
  assert.equal(require.resolve('tally-billing/package.json'), realpathSync(join(pkg, 'package.json')));
  assert.equal(require.resolve('tally-billing/tally_wasm_bg.wasm'), realpathSync(join(pkg, 'web/tally_wasm_bg.wasm')));
  assert.equal(import.meta.resolve('tally-billing/tally_wasm_bg.wasm'), new URL('web/tally_wasm_bg.wasm', import.meta.resolve('tally-billing/package.json')).href);
  // Every file that main, types and the exports map name is in the package, and packed.
  const named = [manifest.main, manifest.types];
  (function walk(v) { if (typeof v === 'string') named.push(v); else for (const x of Object.values(v)) walk(x); })(manifest.exports);
  const files = packed();
  for (const f of named) {
    assert.ok(existsSync(join(pkg, f)), `${f} is missing`);
    assert.ok(files.includes(f.replace(/^\.\//, '')), `${f} is not packed`);
  }
});

test('`import init, { Engine } from \'tally-billing\'` runs in Node: init() does nothing; import and require share one build', async () => {
  const esm = await import('tally-billing');
  const cjs = require('tally-billing');
  assert.equal(typeof esm.default, 'function');
  const done = esm.default();
  assert.ok(done instanceof Promise);
  assert.equal(await done, undefined);
  assert.equal(esm.Engine, cjs.Engine);
  assert.equal(esm.TallyError, cjs.TallyError);
  assert.equal(cjs.default, esm.default);
  assert.deepEqual(Object.keys(esm).sort(), Object.keys(cjs).sort());
  // As a user writes it, in a module of its own.
  const code = "import init, { Engine } from 'tally-billing'; await init(); console.log(new Engine('2025-01-01T00:00:00Z').createCustomer({ id: 'c', name: 'C' }).data.id);";
  const run = spawnSync(process.execPath, ['--input-type=module', '--eval', code], { encoding: 'utf8', cwd: here });
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout.trim(), 'c');
});

test('the types resolve under moduleResolution node10 (package.json types), and the compiled CommonJS runs', () => {
  const out = join(here, '.tmp-node10');
  try {
    const r = tsc('node10.cts', { module: 'commonjs', moduleResolution: 'node10', emit: ['--outDir', out, '--esModuleInterop', '--listFiles'] });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.ok(r.stdout.split('\n').some((f) => f.trim() === realpathSync(join(pkg, 'node/tally_wasm.d.ts'))), r.stdout);
    const run = spawnSync(process.execPath, [join(out, 'node10.cjs')], { encoding: 'utf8', cwd: here });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout.trim(), '0 not_found customer_id');
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('a refused call throws a TallyError: an Error with code, path, detail and message', async () => {
  const { Engine, TallyError, runScenario } = await import('tally-billing');
  const engine = new Engine('2025-01-01T00:00:00Z');
  const e = thrownBy(() => engine.createContract({ customer_id: 'nobody', starting_at: '2025-01-01T00:00:00Z' }));
  assert.ok(e instanceof TallyError);
  assert.ok(e instanceof Error);
  assert.equal(e.name, 'TallyError');
  assert.deepEqual({ code: e.code, path: e.path, detail: e.detail, message: e.message },
    { code: 'not_found', path: 'customer_id', detail: 'no customer with id `nobody`', message: 'customer_id: no customer with id `nobody`' });
  assert.match(String(e), /^TallyError: customer_id: no customer/);
  assert.deepEqual(Object.keys(e), ['code', 'path', 'detail']);
  // Without a path, the message is the detail.
  const bare = thrownBy(() => engine.ingestText('[]', 'xml'));
  assert.ok(bare instanceof TallyError);
  assert.deepEqual([bare.code, bare.path, bare.message], ['invalid_body', '', bare.detail]);
  // A function's refusal too, and the CommonJS build's class is the same one.
  assert.ok(thrownBy(() => runScenario('{')) instanceof require('tally-billing').TallyError);
});

test('free() twice, or a method after free(), throws TallyError "freed", not a null pointer', async () => {
  const { Engine, TallyError } = await import('tally-billing');
  const isFreed = (e) => e instanceof TallyError && e.code === 'freed' && e.path === '' && e.message === freedMessage;
  const engine = new Engine('2025-01-01T00:00:00Z');
  engine.createCustomer({ id: 'c', name: 'C' });
  engine.free();
  assert.throws(() => engine.free(), isFreed);
  // Methods only: `fetch` is a getter (below).
  const methods = Object.getOwnPropertyNames(Engine.prototype)
    .filter((m) => m !== 'constructor' && !m.startsWith('__') && typeof Object.getOwnPropertyDescriptor(Engine.prototype, m).value === 'function');
  assert.ok(methods.length > 20 && methods.includes('call') && methods.includes('free'), String(methods));
  for (const m of methods) assert.throws(() => engine[m]('GET /v1/customers/c', {}), isFreed, m);
  // `fetch` answers with a promise, so a freed engine's is a rejected one.
  await assert.rejects(engine.fetch('/v1/customers/c'), isFreed);
  if (typeof Symbol.dispose === 'symbol') {
    const disposed = new Engine('2025-01-01T00:00:00Z');
    disposed[Symbol.dispose]();
    assert.throws(() => disposed.eventCount(), isFreed);
  }
  // The other engines are untouched.
  const other = new Engine('2025-01-01T00:00:00Z');
  assert.deepEqual(other.createCustomer({ id: 'c', name: 'C' }).data, { id: 'c' });
  other.free();
});

test('the web build in Chromium: init(), TallyError on a refused call, a freed Engine refused plainly', async () => {
  const { server, base } = await serveStatic(root);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.goto(`${base}/pkg/package.json`);
    const got = await page.evaluate(async () => {
      const { default: init, Engine, TallyError } = await import('/pkg/web/tally_wasm.js');
      await init();
      const thrown = (f) => { try { f(); } catch (e) { return e; } return null; };
      const engine = new Engine('2025-01-01T00:00:00Z');
      const e = thrown(() => engine.createContract({ customer_id: 'nobody', starting_at: '2025-01-01T00:00:00Z' }));
      engine.free();
      const twice = thrown(() => engine.free());
      const after = thrown(() => engine.call('GET /v1/customers', null));
      return {
        refused: [e instanceof TallyError, e instanceof Error, e.name, e.code, e.path, e.detail],
        twice: [twice instanceof TallyError, twice?.code, twice?.message],
        after: [after instanceof TallyError, after?.code],
      };
    });
    assert.deepEqual(got, {
      refused: [true, true, 'TallyError', 'not_found', 'customer_id', 'no customer with id `nobody`'],
      twice: [true, 'freed', freedMessage],
      after: [true, 'freed'],
    });
  } finally {
    await browser.close();
    server.close();
  }
});

test('in Chromium, Metronome\'s SDK runs on engine.fetch, offline', async () => {
  const { server, base } = await serveStatic(root);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    // The SDK's webhook helper imports Node's `crypto`, which a bundler stubs for the browser; an
    // import map does the same here (webhooks are not used).
    const stub = 'data:text/javascript,export function createHmac() { throw new Error("no crypto here"); }';
    await page.route(`${base}/sdk-page.html`, (route) => route.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><script type="importmap">${JSON.stringify({ imports: { crypto: stub } })}</script>`,
    }));
    await page.goto(`${base}/sdk-page.html`);
    const got = await page.evaluate(async () => {
      const { default: init, Engine } = await import('/pkg/web/tally_wasm.js');
      const { default: Metronome, NotFoundError } = await import('/web/tests/node_modules/@metronome/sdk/index.mjs');
      await init();
      const engine = new Engine('2025-03-10T00:00:00Z');
      // A page's SDK refuses to run in a browser unless told: the key is not a secret here.
      const client = new Metronome({ bearerToken: 'local', baseURL: 'http://tally.local', fetch: engine.fetch, dangerouslyAllowBrowser: true, maxRetries: 0 });
      const made = await client.v1.customers.create({ name: 'Acme' });
      const listed = (await client.v1.customers.list()).data.map((c) => c.name);
      let missing = null;
      try { await client.v1.customers.retrieve({ customer_id: 'nobody' }); } catch (e) { missing = [e instanceof NotFoundError, e.status]; }
      return { name: made.data.name, listed, missing };
    });
    assert.deepEqual(got, { name: 'Acme', listed: ['Acme'], missing: [true, 404] });
  } finally {
    await browser.close();
    server.close();
  }
});
