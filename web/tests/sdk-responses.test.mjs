// sdk-responses.mjs reads what the pinned @metronome/sdk declares each call answers; a conformance
// test checks Tally's answers with it, so it must find the right types and judge bodies rightly. The
// bodies here are written from the SDK's .d.ts (CustomerDetail in customers.d.ts, Credit in shared.d.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { responses, schemaFor, problems, addedFields } from './sdk-responses.mjs';

// A CustomerDetail with its eight required fields (archived_at and current_billable_status are optional).
const customer = {
  id: 'a1b2c3d4-0000-4000-8000-000000000001',
  created_at: '2025-01-01T00:00:00Z',
  custom_fields: { region: 'eu' },
  customer_config: { salesforce_account_id: null },
  external_id: 'acme',
  ingest_aliases: ['acme'],
  name: 'Acme',
  updated_at: '2025-01-01T00:00:00Z',
};

test('responses() knows each call by the key sdk-fields.mjs uses, paged or not', () => {
  const all = responses();
  assert.equal(Object.keys(all).length, 116);
  assert.deepEqual(all['GET /v1/customers'], {
    type: 'CustomerDetailsCursorPage',
    file: 'node_modules/@metronome/sdk/resources/v1/customers/customers.d.ts',
    page: 'CursorPage',
    item: 'CustomerDetail',
  });
  // A list the SDK does not page: the whole body is the declared type.
  assert.equal(all['POST /v1/contracts/list'].page, null);
  assert.equal(all['POST /v1/contracts/list'].type, 'ContractListResponse');
  // The other two page kinds, and an item type from shared.d.ts.
  assert.equal(all['POST /v1/contracts/customerCredits/list'].page, 'BodyCursorPage');
  assert.equal(all['POST /v1/contracts/customerCredits/list'].item, 'Credit');
  assert.match(all['POST /v1/contracts/customerCredits/list'].file, /resources\/shared\.d\.ts$/);
  assert.equal(all['POST /v1/customFields/listKeys'].page, 'CursorPageWithoutLimit');
  // v1 and v2 both declare a ContractRetrieveResponse: each call keeps its own file.
  assert.match(all['POST /v1/contracts/get'].file, /\/v1\/contracts\/contracts\.d\.ts$/);
  assert.match(all['POST /v2/contracts/get'].file, /\/v2\/contracts\.d\.ts$/);
  // The SDK reads no body from a void call.
  assert.equal(all['POST /v1/ingest'].type, 'void');
  assert.equal(all['POST /v1/ingest'].file, null);
});

test('a page is { data: Item[], next_page: string | null }', () => {
  const schema = schemaFor('GET /v1/customers');
  assert.deepEqual(schema.required, ['data', 'next_page']);
  assert.deepEqual(schema.properties.next_page.type, ['string', 'null']);
  assert.deepEqual(problems('GET /v1/customers', { data: [customer], next_page: null }), []);
  assert.deepEqual(problems('GET /v1/customers', { data: [], next_page: 'cursor-2' }), []);
  assert.deepEqual(problems('GET /v1/customers', { data: [customer] }), ["/ must have required property 'next_page'"]);
});

test('problems() names the field a body gets wrong', () => {
  const page = (c) => ({ data: [c], next_page: null });
  assert.deepEqual(problems('GET /v1/customers', page({ ...customer, id: 5 })), ['/data/0/id must be string']);
  const { name, ...nameless } = customer;
  assert.deepEqual(problems('GET /v1/customers', page(nameless)), ["/data/0 must have required property 'name'"]);
  // An enum outside its values says which ones it takes.
  const status = { ...customer, current_billable_status: { value: 'maybe' } };
  assert.deepEqual(problems('GET /v1/customers', page(status)), [
    '/data/0/current_billable_status/value must be equal to one of the allowed values ("billable", "unbillable")',
  ]);
  // Not paged: ContractListResponse is { data: Contract[] }.
  assert.deepEqual(problems('POST /v1/contracts/list', { data: [] }), []);
  assert.deepEqual(problems('POST /v1/contracts/list', {}), ["/ must have required property 'data'"]);
});

test('fields Tally adds pass problems() and addedFields() lists them', () => {
  const body = { data: [{ ...customer, explanation: { steps: [] }, customer_config: { salesforce_account_id: null, source: 'tally' } }], next_page: null };
  assert.deepEqual(problems('GET /v1/customers', body), []);
  // custom_fields is a map: any key is declared. The added object is listed once, not walked.
  assert.deepEqual(addedFields('GET /v1/customers', body), ['data[].customer_config.source', 'data[].explanation']);
  assert.deepEqual(addedFields('GET /v1/customers', { data: [customer], next_page: null }), []);
});

test("addedFields() takes `unknown` and a map's values as declared", () => {
  // An Invoice (invoices.d.ts) with its seven required fields; billable_status is `unknown` and
  // custom_fields `{ [key: string]: unknown }`, so nothing under them is an addition.
  const invoice = {
    id: 'inv1',
    credit_type: { id: 'usd', name: 'USD (cents)' },
    customer_id: 'c1',
    line_items: [],
    status: 'FINALIZED',
    total: 0,
    type: 'USAGE',
    billable_status: { state: 'billable' },
    custom_fields: { po: { number: 7 } },
  };
  assert.deepEqual(problems('GET /v1/customers/{id}/invoices/{id}', { data: invoice }), []);
  assert.deepEqual(addedFields('GET /v1/customers/{id}/invoices/{id}', { data: invoice }), []);
  assert.deepEqual(problems('GET /v1/customers/{id}/invoices/{id}', { data: { ...invoice, total: '0' } }), ['/data/total must be number']);
});

test('addedFields() reads a tagged union by its tag', () => {
  // A credit's ledger entry is one of eight shapes told apart by `type`; CREDIT_MANUAL has a reason and
  // no contract_id (CREDIT_CANCELED has contract_id and no reason).
  const manual = { amount: 10, reason: 'goodwill', timestamp: '2025-01-02T00:00:00Z', type: 'CREDIT_MANUAL', contract_id: 'k1' };
  const credit = { id: 'cr1', product: { id: 'p1', name: 'Credits' }, type: 'CREDIT', ledger: [manual] };
  const body = { data: [credit], next_page: null };
  assert.deepEqual(problems('POST /v1/contracts/customerCredits/list', body), []);
  assert.deepEqual(addedFields('POST /v1/contracts/customerCredits/list', body), ['data[].ledger[].contract_id']);
});
