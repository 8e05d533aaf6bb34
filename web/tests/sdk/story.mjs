// @ts-check
// A billing integration's everyday flow, written against Metronome's official SDK as a team would
// write it: a metric, products, a rate card, a customer, a contract with a prepaid commit, usage,
// then the invoices and the reads around them. `tsc --strict --checkJs` checks it against the SDK's
// own declarations (sdk-conformance.test.mjs), so every field read here is one the SDK declares.
//
// The figures, worked by hand: API calls at 2.5 cents each; a $100.00 (10,000 cents) prepaid commit
// for 2025, invoiced on 2025-01-01. January: 2,000 calls = 5,000 cents, all drawn from the commit
// (total 0). February: 3,000 calls = 7,500 cents; 5,000 left in the commit, so 2,500 is billed.
// Left in the commit after February: 10,000 − 5,000 − 5,000 = 0.

/** @typedef {import('@metronome/sdk').default} Metronome */

/**
 * Runs the story on `client` and answers what a test checks.
 * @param {Metronome} client
 */
export async function story(client) {
  const metric = await client.v1.billableMetrics.create({
    name: 'API calls',
    event_type_filter: { in_values: ['api_call'] },
    aggregation_type: 'SUM',
    aggregation_key: 'calls',
  });
  const api = await client.v1.contracts.products.create({
    name: 'API',
    type: 'USAGE',
    billable_metric_id: metric.data.id,
  });
  const prepaid = await client.v1.contracts.products.create({ name: 'Prepaid commit', type: 'FIXED' });
  const card = await client.v1.contracts.rateCards.create({ name: 'Standard' });
  const rate = await client.v1.contracts.rateCards.rates.add({
    rate_card_id: card.data.id,
    product_id: api.data.id,
    starting_at: '2025-01-01T00:00:00Z',
    entitled: true,
    rate_type: 'FLAT',
    price: 2.5,
  });
  const customer = await client.v1.customers.create({ name: 'Acme', ingest_aliases: ['acme'] });
  const customerId = customer.data.id;
  const contract = await client.v1.contracts.create({
    customer_id: customerId,
    rate_card_id: card.data.id,
    starting_at: '2025-01-01T00:00:00Z',
    commits: [
      {
        type: 'PREPAID',
        name: '2025 prepaid',
        product_id: prepaid.data.id,
        access_schedule: {
          schedule_items: [{ amount: 10000, starting_at: '2025-01-01T00:00:00Z', ending_before: '2026-01-01T00:00:00Z' }],
        },
        invoice_schedule: { schedule_items: [{ amount: 10000, timestamp: '2025-01-01T00:00:00Z' }] },
      },
    ],
  });
  const contractId = contract.data.id;
  await client.v1.usage.ingest({
    usage: [
      { transaction_id: 'jan-1', customer_id: 'acme', event_type: 'api_call', timestamp: '2025-01-15T10:00:00Z', properties: { calls: 2000 } },
      { transaction_id: 'feb-1', customer_id: 'acme', event_type: 'api_call', timestamp: '2025-02-10T10:00:00Z', properties: { calls: 3000 } },
    ],
  });

  // Every invoice through March 1st, page by page (two to a page), as an integration reads them.
  /** @type {import('@metronome/sdk').default.V1.Customers.Invoice[]} */
  const invoices = [];
  for await (const invoice of client.v1.customers.invoices.list({
    customer_id: customerId,
    ending_before: '2025-03-01T00:00:00Z',
    limit: 2,
  })) {
    invoices.push(invoice);
  }
  const february = invoices.find((i) => i.type === 'USAGE' && i.start_timestamp === '2025-02-01T00:00:00Z');
  const one = february && (await client.v1.customers.invoices.retrieve({ customer_id: customerId, invoice_id: february.id }));

  const reads = {
    customer: await client.v1.customers.retrieve({ customer_id: customerId }),
    customers: (await client.v1.customers.list()).data,
    metric: await client.v1.billableMetrics.retrieve({ billable_metric_id: metric.data.id }),
    metrics: (await client.v1.billableMetrics.list()).data,
    product: await client.v1.contracts.products.retrieve({ id: api.data.id }),
    products: (await client.v1.contracts.products.list()).data,
    card: await client.v1.contracts.rateCards.retrieve({ id: card.data.id }),
    cards: (await client.v1.contracts.rateCards.list()).data,
    rates: (await client.v1.contracts.rateCards.rates.list({ rate_card_id: card.data.id, at: '2025-02-01T00:00:00Z' })).data,
    schedule: await client.v1.contracts.rateCards.retrieveRateSchedule({ rate_card_id: card.data.id, starting_at: '2025-01-01T00:00:00Z' }),
    contractV1: await client.v1.contracts.retrieve({ customer_id: customerId, contract_id: contractId }),
    contractsV1: await client.v1.contracts.list({ customer_id: customerId }),
    contractV2: await client.v2.contracts.retrieve({ customer_id: customerId, contract_id: contractId }),
    contractsV2: await client.v2.contracts.list({ customer_id: customerId }),
    contractRates: await client.v1.contracts.retrieveRateSchedule({ customer_id: customerId, contract_id: contractId, at: '2025-02-01T00:00:00Z' }),
    balance: await client.v1.contracts.getNetBalance({ customer_id: customerId }),
    commits: (await client.v1.customers.commits.list({ customer_id: customerId, include_balance: true })).data,
    creditTypes: (await client.v1.pricingUnits.list()).data,
    fieldKeys: (await client.v1.customFields.listKeys()).data,
  };
  return { ids: { metric: metric.data.id, api: api.data.id, card: card.data.id, customerId, contractId }, rate, customer, invoices, one, reads };
}
