// What Metronome's official TypeScript SDK (@metronome/sdk, pinned in package.json) declares each call
// answers, as JSON Schemas a conformance test can check Tally's HTTP answers against at run time.
//
// The calls are the ones sdk-fields.mjs walks (same keys: `POST /v1/contracts/list`, path parameters
// `{id}`): its `methods()` pairs each resource's .js (verb, path, pagination class) with the method's
// declaration in the .d.ts, whose return type says what comes back: `APIPromise<CustomerRetrieveResponse>`,
// or for a list the SDK pages `PagePromise<CustomerDetailsCursorPage, CustomerDetail>` (a page of items).
//
// Schemas come from ts-json-schema-generator, run on the SDK's .d.ts with no tsconfig, over the program
// sdk-fields.mjs has already built (so the SDK is parsed once). No cache file: measured on the dev box
// (node 20), importing this module (TypeScript, the program over the SDK, the generator, ajv) takes
// ~2 s, generating all 116 schemas ~0.5 s (the largest, POST /v2/contracts/edit, ~45 ms) and
// ajv-compiling all of them ~1.4 s: far under the ~20 s that would make a cache file, and its
// staleness when the SDK pin moves, worth having.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { Ajv } from 'ajv';
import { createParser, createFormatter, SchemaGenerator, DEFAULT_CONFIG } from 'ts-json-schema-generator';
import { methods, program, checker } from './sdk-fields.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));

/** The declaration a type reference in the .d.ts names, through imports (`Shared.Commit` -> shared.d.ts). */
function declaration(ref) {
  let symbol = checker.getSymbolAtLocation(ref.typeName);
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
  return symbol?.declarations?.[0];
}

let table;
/**
 * Endpoint key -> `{ type, file, page, item }`: `type` the declared return type as the .d.ts writes it
 * (`CustomerRetrieveResponse`; for a paged list the page alias, `CustomerDetailsCursorPage`), `page` the
 * SDK's pagination class or null, `item` a page's item type (its declared name: `Commit` for
 * `Shared.Commit`) or null, `file` the .d.ts (relative to web/tests) declaring the type the body is
 * checked against (the item's for a page). `void` calls (the SDK ignores their body) and the PDF download
 * (`Response`) have `file: null`. Not exported as the map itself, so a caller cannot edit the shared table.
 */
export function responses() {
  if (!table) {
    table = new Map();
    for (const { call, page, method, file } of methods()) {
      // APIPromise<T> or PagePromise<Page, Item>: the last argument is what a caller gets (per item).
      const args = method.type?.typeArguments ?? [];
      const last = args.at(-1);
      const decl = last && ts.isTypeReferenceNode(last) ? declaration(last) : undefined;
      // `Response` is the DOM/fetch class (a raw download), not a JSON shape of the SDK's.
      const json = decl && decl.getSourceFile().fileName.includes('/@metronome/sdk/');
      table.set(call, {
        type: args[0]?.getText(file) ?? null,
        file: json ? path.relative(here, decl.getSourceFile().fileName) : null,
        page,
        item: page && json ? decl.name.text : null,
        decl: json ? decl : null,
      });
    }
  }
  return Object.fromEntries([...table].map(([k, { decl, ...info }]) => [k, info]));
}

let generator;
const schemas = new Map();
/**
 * The JSON Schema (draft-07) of `endpointKey`'s answer body; sync, each one generated once (see the
 * timing at the top for why there is no file cache). `additionalProperties: true` makes the generator
 * leave objects open: Tally adds fields (explanations) the SDK does not declare, and a client ignores
 * them; `addedFields` lists them instead. A page is `{ data: Item[], next_page: string | null }`: the SDK
 * declares `next_page: string`, but Metronome sends null on the last page (and the SDK reads
 * `body.next_page || ''`, so null works). A call the SDK reads no JSON from accepts anything.
 */
export function schemaFor(endpointKey) {
  if (schemas.has(endpointKey)) return schemas.get(endpointKey);
  responses();
  const info = table.get(endpointKey);
  if (!info) throw new Error(`the SDK has no call ${endpointKey}`);
  let schema = {};
  if (info.decl) {
    if (!generator) {
      // expose 'export': named exported types become `definitions` (with their namespaced names,
      // `CustomerDetail.CustomerConfig`) rather than being inlined at every use; jsDoc 'none' because the
      // SDK's comments carry no schema tags (no @format, @minimum) and descriptions only bloat the schema.
      const config = { ...DEFAULT_CONFIG, expose: 'export', topRef: false, jsDoc: 'none', skipTypeCheck: true, additionalProperties: true };
      generator = new SchemaGenerator(program, createParser(program, config), createFormatter(config), config);
    }
    // From the declaration node itself, not by name: names repeat across files (v1 and v2 both have a
    // ContractRetrieveResponse), and the generator's lookup by name would take the first it meets.
    const { $schema, definitions, ...root } = generator.createSchemaFromNodes([info.decl]);
    schema = info.page
      ? {
          type: 'object',
          properties: { data: { type: 'array', items: root }, next_page: { type: ['string', 'null'] } },
          required: ['data', 'next_page'],
          definitions,
        }
      : { ...root, definitions };
    schema.$schema = $schema;
  }
  schemas.set(endpointKey, schema);
  return schema;
}

// strict: false: the schemas are the generator's, not written for ajv's strict mode (all 116 compile
// under it today, but a keyword a later SDK type makes the generator emit must not break the check);
// allErrors so one check reports every mismatch in a body at once.
const ajv = new Ajv({ strict: false, allErrors: true });
const validators = new Map();

/** An ajv validate function for `endpointKey`'s answer body (compiled once). */
export function validator(endpointKey) {
  if (!validators.has(endpointKey)) validators.set(endpointKey, ajv.compile(schemaFor(endpointKey)));
  return validators.get(endpointKey);
}

/**
 * What is wrong with `body` as `endpointKey`'s answer, one readable line per mismatch
 * (`/data/0/id must be string`, `/ must have required property 'name'`); [] when it matches.
 */
export function problems(endpointKey, body) {
  const validate = validator(endpointKey);
  if (validate(body)) return [];
  return validate.errors.map((e) => {
    const extra = e.params?.allowedValues ? ` (${e.params.allowedValues.map((v) => JSON.stringify(v)).join(', ')})` : '';
    return `${e.instancePath || '/'} ${e.message}${extra}`;
  });
}

/** `schema` with its $ref followed (the generator only writes local `#/definitions/...` ones). */
function resolve(schema, root) {
  while (schema?.$ref) schema = root.definitions[schema.$ref.replace('#/definitions/', '')];
  return schema;
}

/**
 * The branch of `schema` that describes `value`: for a union (anyOf) the one declaring most of its keys
 * whose tags agree (the SDK's unions are mostly tagged, `type: 'PREPAID_COMMIT_ROLLOVER'` as a const).
 */
function branch(schema, value, root) {
  schema = resolve(schema, root);
  const options = schema?.anyOf ?? schema?.oneOf;
  if (!options) return schema;
  const admits = (s, v) => (s?.const === undefined || s.const === v) && (!s?.enum || s.enum.includes(v));
  const fit = (s) => {
    s = branch(s, value, root);
    if (Array.isArray(value)) return s?.type === 'array' || s?.items ? 1 : -1;
    if (!value || typeof value !== 'object') return 0;
    if (!s?.properties) return -1;
    const keys = Object.keys(value).filter((k) => k in s.properties);
    return keys.every((k) => admits(resolve(s.properties[k], root), value[k])) ? keys.length : -1;
  };
  return branch(options.reduce((best, s) => (fit(s) > fit(best) ? s : best)), value, root);
}

/**
 * Paths of the fields in `body` that `endpointKey`'s SDK type does not declare: what Tally adds (the
 * schema allows them, so `problems` is silent about them). Arrays read `[]` and each path is listed once
 * (`data[].explanation`), like sdk-fields.mjs writes request fields. The value under an added field is
 * not walked: its path alone says what was added. A map (`custom_fields: { [key: string]: string }`)
 * declares every key, and so does `unknown`; a call the SDK reads no JSON from (`void`) declares all.
 */
export function addedFields(endpointKey, body) {
  const root = schemaFor(endpointKey);
  const found = new Set();
  const walk = (schema, value, at) => {
    schema = branch(schema, value, root);
    // `{}` is the SDK's `unknown` (Invoice.billable_status): it declares whatever is under it.
    if (!schema || Object.keys(schema).length === 0 || value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      for (const v of value) walk(schema.items, v, `${at}[]`);
      return;
    }
    // allOf (an intersection, `A & B`): a key is declared if any part declares it.
    const parts = [schema, ...(schema.allOf ?? []).map((s) => branch(s, value, root))];
    for (const [key, v] of Object.entries(value)) {
      const sub = at ? `${at}.${key}` : key;
      const declared = parts.find((p) => p?.properties && key in p.properties);
      if (declared) walk(declared.properties[key], v, sub);
      else if (!parts.some((p) => p?.additionalProperties && typeof p.additionalProperties === 'object')) found.add(sub);
    }
  };
  walk(root, body, '');
  return [...found].sort();
}
