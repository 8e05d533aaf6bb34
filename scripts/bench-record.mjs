// Appends the figures one run of scripts/bench.sh printed to bench/results.csv, one row per figure
// (columns: date,commit,machine,benchmark,figure,unit,command,notes; docs/performance.md says how to
// read them). scripts/bench.sh keeps each step's output in LOGDIR; a step that did not run, or a
// figure that cannot be read, adds no row: the figures were already printed, so nothing fails here.
// Usage: node scripts/bench-record.mjs LOGDIR [CSV]   (CSV defaults to bench/results.csv)
import { readFileSync, appendFileSync, existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';

const [logDir, csv = 'bench/results.csv'] = process.argv.slice(2);
if (!logDir) {
  console.error('usage: node scripts/bench-record.mjs LOGDIR [CSV]');
  process.exit(2);
}

const read = (name) => {
  try { return readFileSync(join(logDir, name), 'utf8'); } catch { return null; }
};
const json = (name) => {
  const text = read(name);
  if (text === null) return null;
  // The JSON object a bench script prints last (anything before it is other output).
  const start = text.indexOf('{');
  try { return start < 0 ? null : JSON.parse(text.slice(start)); } catch { return null; }
};
const git = (...args) => {
  try { return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim(); } catch { return ''; }
};

const date = process.env.BENCH_DATE ?? new Date().toISOString().slice(0, 10);
const commit = process.env.BENCH_COMMIT ?? (git('describe', '--always', '--dirty', '--abbrev=7') || '');
const machine = process.env.MACHINE ?? `${cpus().length}c-${Math.round(totalmem() / 2 ** 30)}GiB`;

const rows = [];
const quote = (v) => (/[",\n]/.test(String(v)) ? `"${String(v).replaceAll('"', "'")}"` : String(v));
const num = (v) => typeof v === 'number' && Number.isFinite(v);
function row(benchmark, figure, unit, command, notes = '') {
  if (figure === null || figure === undefined || figure === '' || (typeof figure === 'number' && !num(figure))) return;
  rows.push([date, commit, machine, benchmark, figure, unit, command, notes].map(quote).join(','));
}
const round = (x, digits) => +x.toFixed(digits);

// A Rust Duration as {:.2?} prints it, or a criterion estimate: "315.23ms", "52.812 ms", "1.2 s".
const UNIT_MS = { ns: 1e-6, 'µs': 1e-3, us: 1e-3, ms: 1, s: 1000 };
function ms(value, unit) {
  const f = UNIT_MS[unit];
  return f === undefined ? null : Number(value) * f;
}

// 1. The criterion benchmark (cargo bench -p tally-core --bench rating), as bench.sh filters it.
const native = read('native.txt');
if (native !== null) {
  const cmd = 'cargo bench -p tally-core --bench rating';
  let m = native.match(/ingest of (\d+) events from JSON text \((\d+) MB\): ([\d.]+)\s*(ns|µs|us|ms|s)\b, ([\d.]+) M events\/s/);
  if (m) row('native.ingest_text', round(ms(m[3], m[4]), 1), 'ms', cmd, `events=${m[1]}; ${m[5]} M events/s; ${m[2]} MB of JSON; best of three`);
  m = native.match(/usage store: ([\d.]+) MB for the events \((\d+) B\/event\), ([\d.]+) MB for the transaction ids/);
  if (m) {
    row('native.store_bytes_events', Number(m[1]), 'MB per 1M events', cmd, `${m[2]} B/event`);
    row('native.store_bytes_ids', Number(m[3]), 'MB per 1M events', cmd, 'transaction ids and their de-duplication table');
  }
  m = native.match(/first rating \(builds the hourly index: (\d+) aggregates, ([\d.]+) MB\): ([\d.]+)\s*(ns|µs|us|ms|s)\b/);
  if (m) row('native.first_rating_hourly_index', round(ms(m[3], m[4]) / 1000, 3), 's', cmd, `${m[1]} aggregates, ${m[2]} MB`);
  // Each criterion benchmark: its id, then "time: [low estimate high]" and "thrpt: [...]". A later
  // "change:" block has percentages, which these patterns do not match.
  let id = null;
  for (const line of native.split('\n')) {
    const named = line.match(/^(rating\/.*?)\s*(time:|$)/);
    if (named) id = named[1].trim();
    const t = line.match(/time:\s+\[([\d.]+) (ns|µs|us|ms|s) ([\d.]+) (ns|µs|us|ms|s) ([\d.]+) (ns|µs|us|ms|s)\]/);
    if (t && id) {
      const [low, mid, high] = [ms(t[1], t[2]), ms(t[3], t[4]), ms(t[5], t[6])];
      const name = id.startsWith('rating/1M events') ? 'native.rating_year' : `native.${id.replace(/[^A-Za-z0-9]+/g, '_')}`;
      if (num(mid)) row(name, round(mid, 2), 'ms', cmd, `criterion estimate; interval ${round(low, 2)}-${round(high, 2)} ms; ${id}`);
      id = null;
    }
  }
}

// 2. The same world in wasm, headless Chromium (node web/bench/run.mjs N rating).
const rating = json('wasm-rating.json');
if (rating && !rating.error) {
  const cmd = `node web/bench/run.mjs ${rating.events} rating`;
  const notes = `events=${rating.events}; Chromium ${rating.browser ?? '?'}`;
  row('wasm.rating_year', rating.rate_ms, 'ms', cmd, `${notes}; best of three; ${rating.rate_events_per_s} events/s`);
  row('wasm.ingest_array', rating.ingest_ms, 'ms', cmd, `${notes}; one JS array`);
}

// 3. The usage-store world (node web/bench/run.mjs N store).
const store = json('wasm-store.json');
if (store && !store.error) {
  const cmd = `node web/bench/run.mjs ${store.events} store`;
  const notes = `events=${store.events}; ${store.customers} customers; Chromium ${store.browser ?? '?'}`;
  row('wasm.store.json_parse', store.json_parse_ms, 'ms', cmd, notes);
  row('wasm.store.ingest_array', store.ingest_array_ms, 'ms', cmd, `${notes}; JSON.stringify alone ${store.json_stringify_ms} ms`);
  row('wasm.store.ingest_vs_parse', store.ingest_vs_parse, 'ratio', cmd, notes);
  row('wasm.store.ingest_text', store.ingest_text_ms, 'ms', cmd, notes);
  if (num(store.first_rating_ms)) row('wasm.first_rating', round(store.first_rating_ms / 1000, 3), 's', cmd, notes);
  row('wasm.store.rerate_after_edit_median', store.rerate_after_edit_ms_median, 'ms', cmd, `${notes}; nine edits; best ${store.rerate_after_edit_ms_min} ms`);
  row('wasm.store.model_chars', store.model_chars, 'characters', cmd, notes);
}

// 4. The JS package's .wasm ("tally_wasm_bg.wasm: N bytes raw, M bytes gzipped").
const pkg = read('pkg.txt');
const size = pkg && pkg.match(/(\d+) bytes raw, (\d+) bytes gzipped/);
if (size) {
  row('pkg.wasm_raw', Number(size[1]), 'bytes', 'bash scripts/bench.sh (package size)', 'tally_wasm_bg.wasm, profile wasm');
  row('pkg.wasm_gzip', Number(size[2]), 'bytes', 'bash scripts/bench.sh (package size)', 'gzip -9');
}

// 5. The app with a million events (node web/bench/app.mjs N).
const app = json('app.json');
if (app) {
  const cmd = `node web/bench/app.mjs ${process.env.EVENTS ?? 1000000}`;
  const s = (x) => (num(x) ? round(x / 1000, 2) : null);
  row('app.import', s(app.import_ms), 's', cmd, `${app.files} file(s); all saved to IndexedDB ${s(app.import_and_saved_ms)} s`);
  row('app.first_view', s(app.invoices_first_view_ms), 's', cmd, 'first view of one customer\'s invoices after the import');
  row('app.reload_to_invoices', s(app.reload_to_invoices_ms), 's', cmd, `same totals after reload: ${app.same_totals_after_reload}`);
  row('app.local_storage_chars', app.local_storage_chars, 'characters', cmd, '');
  const keys = Array.isArray(app.whatif_keystroke_ms) ? app.whatif_keystroke_ms.filter(num) : [];
  if (keys.length > 0) {
    const sorted = [...keys].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)];
    row('app.whatif_keystroke', `${sorted[0]}-${sorted[sorted.length - 1]}`, 'ms', cmd, `${keys.length} keystrokes; median ${median} ms`);
  }
}

// 6. The app's .wasm bytes (node web/bench/app-bytes.mjs).
const bytes = json('app-bytes.json');
if (bytes) {
  const cmd = 'node web/bench/app-bytes.mjs';
  row('app.first_wasm_raw', bytes.first_wasm?.raw, 'bytes', cmd, 'profile wasm-release, split');
  row('app.first_wasm_gzip', bytes.first_wasm?.gzipped, 'bytes', cmd, 'gzip -9');
  row('app.all_wasm_raw', bytes.all_wasm?.raw, 'bytes', cmd, `${bytes.all_wasm?.files} .wasm files`);
  row('app.all_wasm_gzip', bytes.all_wasm?.gzipped, 'bytes', cmd, 'gzip -9');
  for (const [page, f] of Object.entries(bytes.by_first_render ?? {})) {
    row(`app.page_first_render_gzip.${page}`, f?.gzipped, 'bytes', cmd, `${f?.files} .wasm files fetched; rendered ${f?.ms} ms after navigation`);
  }
}

if (rows.length === 0) {
  console.log('bench-record: no figure could be read; nothing appended');
} else {
  if (!existsSync(csv)) appendFileSync(csv, 'date,commit,machine,benchmark,figure,unit,command,notes\n');
  appendFileSync(csv, rows.join('\n') + '\n');
  console.log(`bench-record: ${rows.length} row(s) appended to ${csv}`);
}
