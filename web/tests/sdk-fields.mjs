// Lists, for every call of Metronome's API, the body fields its official TypeScript SDK
// (@metronome/sdk, pinned in package.json) declares, read from the SDK's own .d.ts files with the
// TypeScript compiler. Tally uses the list to tell a Metronome field it does not implement
// (`not_supported`) from a field no call defines (`unknown_field`).
//
//   node sdk-fields.mjs           writes crates/tally-core/src/api/metronome_fields.txt
//   node sdk-fields.mjs --print   prints it (the test compares the two)
//
// Every endpoint is listed (Tally answers one it does not serve `not_supported`, naming it); the body
// fields only for POST calls (their bodies are what Tally parses; GET calls take a query).
// Output: a line `METHOD /path` per call, then one indented line per field path, arrays written `[]`
// (`commits[].access_schedule.schedule_items[].amount`). Path parameters read `{id}`. A list the SDK
// pages ends its line with how: ` page:query` (CursorPage: limit and next_page in the query string, even
// on a POST), ` page:query-without-limit` (CursorPageWithoutLimit) or ` page:body` (BodyCursorPage:
// both in the JSON body); Tally's HTTP door reads the mark (api/metronome.rs `paging`).
//
// Imported (sdk-responses.mjs does), it writes nothing: it exports its walk of the SDK (`methods()`,
// the TypeScript `program` and `checker`) so the response side reads the same calls under the same keys.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const here = path.dirname(fileURLToPath(import.meta.url));
export const sdk = path.join(here, 'node_modules/@metronome/sdk');
const out = path.resolve(here, '../../crates/tally-core/src/api/metronome_fields.txt');

export function files(dir, ext) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return files(p, ext);
    return p.endsWith(ext) ? [p] : [];
  });
}

// Method name -> [HTTP method, path, page] from a resource's compiled .js: each method's body calls
// this._client.<verb>(path`...` or '...'). `page` is the pagination class a list call hands
// getAPIList (CursorPage, BodyCursorPage or CursorPageWithoutLimit), else null.
export function routes(js) {
  const found = new Map();
  const text = fs.readFileSync(js, 'utf8');
  const re = /^ {4}(\w+)\([^)]*\) \{\n([\s\S]*?)^ {4}\}/gm;
  for (const m of text.matchAll(re)) {
    const call = m[2].match(/this\._client\.(get|post|put|patch|delete|getAPIList)\(\s*(?:\(0, \w+\.path\)\s*|path)?[`'"]([^`'"]+)[`'"]\s*(?:,\s*\(?[\w.]+\)?\s*,\s*\{[\s\S]*?method:\s*'(\w+)')?/);
    if (!call) continue;
    const verb = (call[3] || (call[1] === 'getAPIList' ? 'get' : call[1])).toUpperCase();
    const page = call[1] === 'getAPIList' ? m[2].match(/\(pagination_1\.(\w+)\)/)?.[1] ?? null : null;
    found.set(m[1], [verb, call[2].replace(/\$\{[^}]+\}/g, '{id}'), page]);
  }
  return found;
}

export const dts = files(path.join(sdk, 'resources'), '.d.ts');
export const program = ts.createProgram(dts, { strict: true, noEmit: true });
export const checker = program.getTypeChecker();
export const version = JSON.parse(fs.readFileSync(path.join(sdk, 'package.json'), 'utf8')).version;

// Every field path of `type`, recursing into objects, arrays and unions of objects.
function fields(type, prefix, seen, acc) {
  if (seen.size > 12) return;
  const parts = type.isUnion() ? type.types : [type];
  for (const t of parts) {
    if (checker.isArrayType(t)) {
      fields(checker.getTypeArguments(t)[0], prefix + '[]', seen, acc);
      continue;
    }
    if (!(t.flags & ts.TypeFlags.Object) || seen.has(t)) continue;
    const props = checker.getPropertiesOfType(t);
    // A map type ({ [key: string]: string }) has no named fields of its own.
    if (props.length === 0) continue;
    seen.add(t);
    for (const p of props) {
      const at = prefix ? `${prefix}.${p.name}` : p.name;
      acc.add(at);
      const decl = p.valueDeclaration ?? p.declarations?.[0];
      if (decl) fields(checker.getNonNullableType(checker.getTypeOfSymbolAtLocation(p, decl)), at, seen, acc);
    }
    seen.delete(t);
  }
}

/**
 * Every SDK method that makes a call, in the SDK's file order: `{ call: 'POST /v1/contracts/list',
 * verb, route, page, method, file }`, `method` its MethodDeclaration in the .d.ts `file` (a SourceFile).
 * One place that pairs the .js (what goes on the wire) with the .d.ts (what the types say), so the
 * request fields here and the response types in sdk-responses.mjs cannot disagree about the calls.
 */
export function methods() {
  const found = [];
  for (const file of program.getSourceFiles().filter((f) => dts.includes(path.resolve(f.fileName)))) {
    const js = file.fileName.replace(/\.d\.ts$/, '.js');
    if (!fs.existsSync(js)) continue;
    const byName = routes(js);
    ts.forEachChild(file, (node) => {
      if (!ts.isClassDeclaration(node)) return;
      for (const m of node.members) {
        if (!ts.isMethodDeclaration(m) || !m.name || !byName.has(m.name.getText(file))) continue;
        const [verb, route, page] = byName.get(m.name.getText(file));
        found.push({ call: `${verb} ${route}`, verb, route, page, method: m, file });
      }
    });
  }
  return found;
}

/** Writes (or with --print prints) the field list; only when run as a script, never on import. */
function main() {
  const calls = new Map();
  const marks = { CursorPage: 'query', CursorPageWithoutLimit: 'query-without-limit', BodyCursorPage: 'body' };
  const paged = new Map();
  for (const { call, route, page, method: m, file } of methods()) {
    if (page) paged.set(call, ` page:${marks[page]}`);
    const body = m.parameters.find((p) => ['body', 'params'].includes(p.name.getText(file)));
    const acc = calls.get(call) ?? new Set();
    const found = new Set();
    if (body) fields(checker.getNonNullableType(checker.getTypeAtLocation(body)), '', new Set(), found);
    // The SDK wraps the ingest array as `usage`; on the wire the body is the array itself.
    const unwrap = route === '/v1/ingest' ? (f) => f.replace(/^usage/, '') : (f) => f;
    for (const f of found) if (unwrap(f)) acc.add(unwrap(f));
    calls.set(call, acc);
  }

  let text = `# Generated by web/tests/sdk-fields.mjs from @metronome/sdk ${version}: do not edit.\n`;
  for (const call of [...calls.keys()].sort()) {
    text += `${call}${paged.get(call) ?? ''}\n`;
    // A GET call takes a query, not a body: its line alone says Metronome has the endpoint.
    if (call.startsWith('POST ')) for (const f of [...calls.get(call)].sort()) text += `  ${f}\n`;
  }
  if (process.argv.includes('--print')) process.stdout.write(text);
  else fs.writeFileSync(out, text);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
