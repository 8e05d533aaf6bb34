// Compiles under `--moduleResolution node10 --module commonjs` (TypeScript without exports maps, and
// tools that resolve as it does): the types come from package.json's `types`. The compiled CommonJS
// runs too: `import init` reads the Node build's `default`.
import init, { Engine, TallyError, type Invoice } from 'tally-billing';

async function main(): Promise<void> {
  await init();
  const engine = new Engine('2025-02-15T00:00:00Z');
  engine.createCustomer({ id: 'c', name: 'C' });
  const invoices: Invoice[] = engine.invoices('c').data;
  try {
    engine.createContract({ customer_id: 'nobody', starting_at: '2025-01-01T00:00:00Z' });
  } catch (e) {
    if (e instanceof TallyError) console.log(invoices.length, e.code, e.path);
  }
}

void main();
