// The package as its users meet it: imported by name ('tally-billing', through package.json's
// exports), the example in docs/js.md (also the package's README) run as written, and the TypeScript
// declarations type-checked.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, symlinkSync, lstatSync, mkdirSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
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

function tsc(file) {
  const bin = join(here, 'node_modules/typescript/bin/tsc');
  return spawnSync(process.execPath, [bin, '--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext',
    '--target', 'esnext', '--skipLibCheck', 'false', join(here, 'typecheck', file)], { encoding: 'utf8', cwd: here });
}

test('the TypeScript declarations type-check real use under --strict', () => {
  const r = tsc('uses-tally.ts');
  assert.equal(r.status, 0, r.stdout + r.stderr);
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
