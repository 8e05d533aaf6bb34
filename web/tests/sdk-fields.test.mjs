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

test('docs/metronome-coverage.md is what metronome-coverage.mjs makes from the SDK and this Tally', () => {
  const run = spawnSync(process.execPath, [join(here, 'metronome-coverage.mjs'), '--print'], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  const committed = readFileSync(join(here, '../../docs/metronome-coverage.md'), 'utf8');
  assert.equal(run.stdout, committed, 'run `node web/tests/metronome-coverage.mjs` and commit the result');
  // Every endpoint of the SDK's list is in the table, and the ones Tally serves say so.
  assert.match(committed, /\*\*\d+ of 116\*\* endpoints are\nserved/);
  assert.match(committed, /^\| `POST \/v1\/contracts\/create` \| served \|$/m);
  assert.match(committed, /^\| `POST \/v1\/alerts\/create` \| not served \|$/m);
  // A served endpoint's section says, per word, which of its body fields are honoured, kept, refused.
  const said = (call, word) =>
    committed.split(`\n## \`${call}\`\n`)[1]?.split('\n## ')[0].match(new RegExp(`^- \\*\\*${word}\\*\\*:.*(\\n  - .*)*`, 'm'))?.[0] ?? '';
  // Read by hand: calendar.rs, `UsageStatementSchedule::anchor`, counts the periods from `billing_anchor_date`
  // when `day` is CUSTOM_DATE.
  assert.match(said('POST /v1/contracts/create', 'honoured'), /`usage_statement_schedule\.billing_anchor_date`/);
  // Read by hand: a customer (customer.rs) has name, ingest_aliases, custom_fields and external_id,
  // and nothing in crates/tally-core/src reads a `billing_config`.
  assert.match(said('POST /v1/customers', 'refused'), /`billing_config`/);
  assert.match(said('POST /v1/customers', 'kept'), /`external_id`/);
});

test('the SDK list knows a paginated POST list as POST (its method is set in the options), and how each list pages', () => {
  const text = readFileSync(committed, 'utf8');
  assert.match(text, /^POST \/v1\/contracts\/customerCommits\/list page:body$/m);
  assert.match(text, /^POST \/v1\/contract-pricing\/products\/list page:query$/m);
  assert.match(text, /^POST \/v1\/customFields\/listKeys page:query-without-limit$/m);
  assert.doesNotMatch(text, /^GET \/v1\/contract-pricing\/products\/list/m);
  // Not paged: the SDK answers contracts/list as one body.
  assert.match(text, /^POST \/v1\/contracts\/list$/m);
});
