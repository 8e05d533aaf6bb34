// Compiles under `tsc --strict` against the package's declarations: what a TypeScript user writes.
import init, { Engine, TallyError, type NewContract, type ErrorCode, type Invoice } from 'tally-billing';

// The same code runs in the browser (where init() loads the .wasm) and in Node (where it does nothing).
await init();

const engine = new Engine('2025-03-01T00:00:00Z');
engine.createCustomer({ id: 'c', name: 'WidgetsExpress', ingest_aliases: ['team@widgetsexpress.com'] });
const contract: NewContract = {
  customer_id: 'c',
  starting_at: '2025-01-01T00:00:00Z',
  commits: [{ type: 'prepaid', product_id: 'p', access_schedule: { schedule_items: [{ amount: 1000000, starting_at: '2025-01-01T00:00:00Z', ending_before: '2026-01-01T00:00:00Z' }] } }],
  usage_statement_schedule: { frequency: 'MONTHLY', day: 'contract_start' },
};
const id: string = engine.createContract(contract).data.id;
const invoices: Invoice[] = engine.invoices('c', 'ending_before=2025-02-01T00:00:00Z').data;
const total: string = invoices[0]?.total ?? '0';
const lineTypes: string[] = invoices.flatMap((i) => i.line_items.map((l) => l.type));
console.log(id, total, lineTypes);
engine.createCustomerCommit({ customer_id: 'c', type: 'PREPAID', product_id: 'p', invoice_contract_id: id,
  access_schedule: { schedule_items: [{ amount: 5000, starting_at: '2025-01-01T00:00:00Z', ending_before: '2026-01-01T00:00:00Z' }] },
  invoice_schedule: { schedule_items: [{ timestamp: '2025-01-01T00:00:00Z', amount: 5000 }] } });
const left: string | undefined = engine.listCustomerBalances({ customer_id: 'c', include_balance: true }).data[0]?.balance;
console.log(left);
// Arguments the docs call optional may be left out.
const now = new Engine();
now.call('GET /v1/customers/c');
now.ingestText('[]');
const all: Invoice[] = now.invoices('c').data;
// A refused call throws a TallyError: code, path, detail and message, typed.
try {
  engine.createContract({ customer_id: 'nobody', starting_at: '2025-01-01T00:00:00Z' });
} catch (e) {
  if (e instanceof TallyError) {
    const code: ErrorCode | 'freed' = e.code;
    const fields: string[] = [e.path, e.detail, e.message, e.name];
    console.log(code, fields, all);
  }
}
// engine.fetch is a `fetch`: Metronome's SDK (or any client taking one) can use it as is.
const bound: typeof fetch = engine.fetch;
const answered: Response = await bound('/v1/customers');
const handled: { status: number; headers: [string, string][]; body: string } = engine.handle('GET', '/v1/customers', new Uint8Array());
console.log(answered.status, handled.status);
