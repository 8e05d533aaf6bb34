// The list of Metronome's body fields that Tally reads to tell `not_supported` from `unknown_field`
// is generated from the pinned @metronome/sdk: it must be what the generator makes now.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const here = fileURLToPath(new URL('.', import.meta.url));
const committed = join(here, '../../crates/tally-core/src/api/metronome_fields.txt');

test('metronome_fields.txt is what sdk-fields.mjs makes from the pinned SDK', () => {
  const run = spawnSync(process.execPath, [join(here, 'sdk-fields.mjs'), '--print'], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout, readFileSync(committed, 'utf8'), 'run `node web/tests/sdk-fields.mjs` and commit the result');
});

test('the list names the fields of calls Tally serves, and nothing Metronome lacks', () => {
  const text = readFileSync(committed, 'utf8');
  const section = (call) => text.split('\n' + call + '\n')[1]?.split(/\n(?! )/)[0] ?? '';
  assert.match(section('POST /v1/contracts/create'), /^ {2}commits\[\]\.access_schedule\.schedule_items\[\]\.amount$/m);
  assert.match(section('POST /v1/customers'), /^ {2}ingest_aliases$/m);
  assert.doesNotMatch(section('POST /v1/customers'), /^ {2}ingest_alias$/m);
  assert.match(section('POST /v2/contracts/edit'), /^ {2}remove_overrides$/m);
});
