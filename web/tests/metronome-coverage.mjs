// Writes docs/metronome-coverage.md: every endpoint of Metronome's API (the list sdk-fields.mjs makes
// from the pinned @metronome/sdk), served by Tally or not, and for each served POST endpoint what Tally
// does with each body field the SDK declares: honoured, kept or refused. Everything is asked of the
// native `tally` in one `tally run` of one scenario file, whose calls are independent (a refused call
// changes nothing, and each field's call carries a field no call has):
//
// - one call per endpoint, with an empty body and `x` for each id in its path: an endpoint Tally does
//   not serve answers `not_supported` naming it; any other answer is a route Tally has;
// - one call per body field, with a body holding only that field (`commits[].x` is sent as
//   `{"commits": [{"x": ..., "zz_probe": "x"}]}`) and, beside it, `zz_probe`, a field no call has. The
//   parse refuses the first field its type lacks (error.rs, `parse`), at its path: a field Tally lacks
//   answers `not_supported` (or `unknown_field`) at its own path or at a lacking field holding it; a
//   field it has is read, and the answer is `unknown_field` at `zz_probe` (or `invalid_body` within
//   the field, when the value does not fit its type). Any other answer means the object holding the
//   field takes any JSON: that is right only inside a field kept or refused after the parse (below),
//   and the script stops otherwise, so no field is called honoured that Tally does not read.
//
// A field Tally has is **kept** when Tally stores it and answers it back without billing by it (KEPT
// below), else **honoured**. Not body fields: the SDK's path parameters, query parameters and paging
// (see `notBody`); GET endpoints' query parameters are not listed.
//
//   node metronome-coverage.mjs           writes docs/metronome-coverage.md
//   node metronome-coverage.mjs --print   prints it (the test compares the two)
//
// TALLY_BIN names the binary (scripts/test.sh sets it); else target/debug/tally.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { methods, checker } from './sdk-fields.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const tally = process.env.TALLY_BIN ?? path.join(root, 'target/debug/tally');
const list = fs.readFileSync(path.join(root, 'crates/tally-core/src/api/metronome_fields.txt'), 'utf8');
const version = list.match(/@metronome\/sdk (\S+):/)?.[1] ?? '?';

// Kept: fields Tally's request types define and store, answered back unchanged, that rating never
// reads. The list is model.md's (second round, "Nothing is ignored in silence": other systems' ids and
// configurations) and the fields whose doc comment in crates/tally-core/src says "kept and answered
// back" / "kept, not used in rating" (contract/mod.rs, contract/parts.rs, commit.rs, services.rs,
// subscription/mod.rs, threshold.rs, metric.rs, product.rs, rate_card/mod.rs, customer.rs,
// overrides.rs) or "accepted ... either way" (commit.rs). Each pattern is matched against
// `METHOD /path field` and covers the field and every field inside it.
const KEPT = [
  /[ .](netsuite_sales_order_id|salesforce_opportunity_id|billing_provider_configuration|revenue_system_configuration|total_contract_value|custom_fields)$/,
  /[ .]description$/, // a note; not a professional service's, which names its invoice lines (services.rs)
  /\/v1\/customers external_id$/, // the deprecated alias (customer.rs): not matched against events
  /\/v1\/billable-metrics\/create group_keys$/, // metric.rs: lines split by the product's keys
  /scheduleProServicesInvoice line_items\[\]\.metadata$/, // services.rs
  /[ .]quantity_conversion\.name$/, // a label (product.rs)
  /[ .]override_specifiers\[\]\.presentation_group_values$/, // overrides.rs: "Tally does not narrow the override by them yet"
  /(customer(Commits|Credits)\/create |commits\[\]\.|credits\[\]\.)rate_type$/, // commit.rs: a commit's COMMIT_RATE or LIST_RATE; draw-down is at the rate either way
];
const isKept = (call, f) => !/professional_services\[\]\.description$/.test(f) && KEPT.some((k) => k.test(`${call} ${f}`));
// Refused after the parse: fields Tally's types take as free JSON only to refuse any value but null
// (`invalid_body` at the field), in Rate::validate (rate_card/mod.rs) and Subscription::validate
// (subscription/mod.rs).
const REFUSED_LATER = /(^|\.)(commit_rate|seat_config)$/;

// `POST /v1/x page:query` -> the endpoint and its body fields, in the list's (sorted) order.
const endpoints = [];
for (const line of list.split('\n')) {
  if (/^[A-Z]+ \//.test(line)) endpoints.push({ call: line.split(' page:')[0], page: line.split(' page:')[1], fields: [] });
  else if (line.startsWith('  ')) endpoints.at(-1).fields.push(line.slice(2));
}

// Not body fields: the SDK's params type marks each top-level member "Path param" (`customer_id` of
// setIngestAliases, in the URL), "Query param" or "Body param"; a member named `body` is the whole
// body (rate-cards/list's `unknown`); a paged list's `limit` and `next_page` (in the query, or in the
// body for `page:body`) are read by `tally serve`'s HTTP door (http/paging.rs), which answers a page.
const notBody = new Map();
for (const { call, method: m, file } of methods()) {
  const p = m.parameters.find((q) => ['body', 'params'].includes(q.name.getText(file)));
  if (!p) continue;
  const set = notBody.get(call) ?? new Map();
  for (const s of checker.getPropertiesOfType(checker.getNonNullableType(checker.getTypeAtLocation(p)))) {
    const doc = ts.displayPartsToString(s.getDocumentationComment(checker));
    const kind = s.name === 'body' ? 'the whole body' : doc.match(/^(Path|Query) param/)?.[1].toLowerCase();
    if (kind) set.set(s.name, kind);
  }
  notBody.set(call, set);
}
for (const e of endpoints) {
  e.params = notBody.get(e.call) ?? new Map();
  if (e.page) for (const f of ['limit', 'next_page']) if (e.fields.includes(f)) e.params.set(f, `paging, ${e.page === 'body' ? 'body' : 'query'}`);
  e.body = e.fields.filter((f) => !e.params.has(f.split(/[.[]/)[0]));
}

// A body holding only `field` (`a[].b` -> {"a": [{"b": v}]}; the ingest body is an array: `[].b`),
// and beside it, in the same object, `zz_probe`, a field no call has.
const TIME = '2025-01-01T00:00:00Z';
const USD = '2714e483-4ff1-48e4-9e25-ac732e8f24f2'; // a credit type Tally knows: unknown ones are refused first
function value(name, fields, field) {
  if (fields.some((f) => f.startsWith(field + '[]'))) return [];
  if (fields.some((f) => f.startsWith(field + '.'))) return {};
  if (name.endsWith('credit_type_id')) return USD;
  if (/(_at|_before|_on|_date|timestamp)$/.test(name)) return TIME;
  if (/^(is_|include_|skip_)|_enabled$/.test(name)) return true;
  if (/(amount|price|quantity|priority|fraction|multiplier|factor|size|days|value|places)$/.test(name)) return 1;
  return 'x';
}
function body(field, leaf) {
  const parts = field.split('.');
  let v = null;
  for (let i = parts.length - 1; i >= 0; i--) {
    const [name, ...arrays] = parts[i].split('[]');
    if (v === null) v = { [name]: leaf, zz_probe: 'x' };
    else {
      for (const _ of arrays) v = [v];
      if (name !== '') v = { [name]: v };
    }
  }
  return v;
}
// Where Tally names the companion of `field`: `commits[].zz_probe` for `commits[].name`.
const companion = (field) => field.replace(/[^.[\]]+$/, 'zz_probe');

const route = (call) => call.replaceAll('{id}', 'x');
const calls = endpoints.map((e) => ({ call: route(e.call), body: {} }));
for (const e of endpoints) {
  if (!e.call.startsWith('POST ')) continue;
  // A customer-level commit or credit reads who holds it first (api/balances.rs), so a body without
  // `customer_id` stops there: every call to an endpoint that has one carries it.
  const base = e.body.includes('customer_id') ? { customer_id: 'x' } : {};
  e.probes = new Map();
  for (const f of e.body) {
    const b = body(f, value(f.split(/[.[\]]+/).filter(Boolean).at(-1), e.body, f));
    e.probes.set(f, calls.length);
    calls.push({ call: route(e.call), body: Array.isArray(b) ? b : { ...base, ...b } });
  }
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-coverage-'));
const file = path.join(dir, 'coverage.json');
fs.writeFileSync(file, JSON.stringify({ now: TIME, calls }));
const answers = JSON.parse(execFileSync(tally, ['run', file], { encoding: 'utf8', maxBuffer: 1 << 28 }));
fs.rmSync(dir, { recursive: true, force: true });

const unserved = (a) => a.error?.code === 'not_supported' && /does not serve/.test(a.error.message);
const served = endpoints.filter((_, i) => !unserved(answers[i]));
const isServed = new Set(served.map((e) => e.call));
const pathOf = (a) => a.error?.path.replace(/\[\d+\]/g, '[]');
// Whether `outer` is `inner` or holds it.
const within = (inner, outer) => inner === outer || inner.startsWith(outer + '.') || inner.startsWith(outer + '[]');

// Refused: `not_supported` (or `unknown_field`) at the field or at a field holding it. Known: the
// parse passed the field and refused its companion, or refused the field's value (`invalid_body`
// within it). Anything else: the object holding the field takes any field (free JSON), which must be
// a field kept or refused after the parse; else the script cannot tell and says so.
const words = { honoured: 0, kept: 0, refused: 0 };
for (const e of served) {
  e.class = new Map();
  for (const [f, i] of e.probes ?? []) {
    const a = answers[i];
    const at = pathOf(a);
    const outer = e.body.filter((g) => within(f, g));
    const read = (a.error?.code === 'unknown_field' && at === companion(f)) || (a.error?.code === 'invalid_body' && at && within(at, f));
    const kept = outer.some((g) => isKept(e.call, g));
    if (['not_supported', 'unknown_field'].includes(a.error?.code) && outer.includes(at)) e.class.set(f, 'refused');
    else if (outer.some((g) => REFUSED_LATER.test(g))) e.class.set(f, 'refused');
    else if (read) e.class.set(f, kept ? 'kept' : 'honoured');
    // Inside a kept field that Tally takes as free JSON (`billing_provider_configuration`).
    else if (outer.some((g) => g !== f && isKept(e.call, g))) e.class.set(f, 'kept');
    else {
      throw new Error(`${e.call}: cannot tell what Tally does with \`${f}\`: ${JSON.stringify(calls[i].body)} answered ${JSON.stringify(a)}`);
    }
  }
  for (const c of e.class.values()) words[c]++;
}

// A field whose every field within has its word is written once: `commits[].hierarchy_configuration`
// (+3 within).
function listed(e, word) {
  const out = [];
  const fields = [...e.class.keys()];
  for (const f of fields) {
    if (e.class.get(f) !== word) continue;
    const parent = fields.filter((g) => g !== f && within(f, g)).at(-1);
    if (parent && e.class.get(parent) === word && fields.filter((g) => within(g, parent)).every((g) => e.class.get(g) === word)) continue;
    const inner = fields.filter((g) => g !== f && within(g, f));
    const whole = inner.length > 0 && inner.every((g) => e.class.get(g) === word);
    out.push(`\`${f}\`${whole ? ` (+${inner.length} within)` : ''}`);
  }
  return out;
}

// A long list goes one line per top-level field (its scalar fields together, first).
function lines(e, word) {
  const l = listed(e, word);
  if (l.length <= 12) return l.length ? ` ${l.join(', ')}\n` : '';
  const top = (x) => x.slice(1).split(/[.[`]/)[0];
  const nested = new Set([...e.class.keys()].filter((f) => /[.[]/.test(f)).map((f) => f.split(/[.[]/)[0]));
  const groups = new Map([['', []]]);
  for (const x of l) {
    const k = nested.has(top(x)) ? top(x) : '';
    groups.set(k, [...(groups.get(k) ?? []), x]);
  }
  return '\n' + [...groups.values()].filter((g) => g.length).map((g) => `  - ${g.join(', ')}\n`).join('');
}

const total = words.honoured + words.kept + words.refused;
let text = `# Metronome's API in Tally: endpoints and body fields

Generated by \`web/tests/metronome-coverage.mjs\` from \`@metronome/sdk\` ${version} and this Tally (the
test command checks it is current): do not edit. **${served.length} of ${endpoints.length}** endpoints are
served; one Tally does not serve answers \`not_supported\` naming it. Over the served endpoints, of the
${total} request body fields Metronome's SDK declares, **${words.honoured} are honoured, ${words.kept} kept and ${words.refused} refused**:

- **honoured**: Tally reads the field and uses it;
- **kept**: Tally stores the field and answers it back unchanged, and bills nothing by it: other
  systems' ids and configurations (\`netsuite_sales_order_id\`, \`salesforce_opportunity_id\`,
  \`billing_provider_configuration\`, \`revenue_system_configuration\`, \`total_contract_value\`: model.md,
  second round), \`custom_fields\`, notes (\`description\`, but a professional service's names its lines),
  a customer's deprecated \`external_id\`, a billable metric's \`group_keys\`, a commit's or credit's
  \`rate_type\` (Tally draws down at the rate either way, as it refuses \`commit_rate\`), and the few
  other fields \`crates/tally-core/src\` documents as "kept and answered back" (the list is in the script);
- **refused**: the call answers \`not_supported\` at the field's path, or at a refused field holding it,
  rather than ignore it ([semantics/fields.md](semantics/fields.md)); \`commit_rate\` and \`seat_config\`,
  which Tally's types take only to refuse, answer \`invalid_body\` unless null.

How: the script sends \`tally run\` one call per endpoint (an empty body, \`x\` for each id in the path)
and, for a served POST endpoint, one call per body field, whose body holds that field alone (\`commits[].x\`
as \`{"commits": [{"x": ...}]}\`) beside a field no call has. Tally refuses the first field its request
type lacks, at its path: either the field, or the stranger beside it once the field was read. Not body
fields, so not counted: the SDK's path parameters (\`customer_id\` of \`setIngestAliases\` is in the
URL), the paging of a list (\`limit\`, \`next_page\`: \`tally serve\` reads them and answers a page), and
query parameters: GET endpoints' (such as the invoice list's \`sort\` or \`status\`) are not listed here.
In the lists below, a field followed by "(+n within)" stands for the n fields inside it too, which all
share its word.

| endpoint | in Tally |
|---|---|
`;
for (const e of endpoints) text += `| \`${e.call}\` | ${isServed.has(e.call) ? 'served' : 'not served'} |\n`;
for (const e of served) {
  if (!e.class?.size) continue;
  const n = (w) => [...e.class.values()].filter((c) => c === w).length;
  text += `\n## \`${e.call}\`\n\n${e.class.size} body field${e.class.size > 1 ? 's' : ''}: ${n('honoured')} honoured, ${n('kept')} kept, ${n('refused')} refused.\n\n`;
  for (const w of ['honoured', 'kept', 'refused']) if (n(w)) text += `- **${w}**:${lines(e, w)}`;
  const params = [...e.params].map(([f, k]) => `\`${f}\` (${k})`);
  if (params.length) text += `- not body fields: ${params.join(', ')}\n`;
}
if (process.argv.includes('--print')) process.stdout.write(text);
else fs.writeFileSync(path.join(root, 'docs/metronome-coverage.md'), text);
