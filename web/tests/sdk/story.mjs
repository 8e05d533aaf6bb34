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

/**
 * The rest of the calls an integration makes, on a second customer so the first one's figures stay
 * as worked above: aliases, name and custom fields; a preview; several rates at once; customer-level
 * commits and credits; a contract edit, a usage filter, a professional services invoice and a new end
 * date. Worked by hand: 8 hours of implementation at $200.00 (20,000 cents) an hour is 160,000 cents.
 * @param {Metronome} client
 * @param {{ api: string, card: string }} ids from `story`
 */
export async function storyContinued(client, ids) {
  const services = await client.v1.contracts.products.create({ name: 'Implementation', type: 'FIXED' });
  const beta = (await client.v1.customers.create({ name: 'Beta' })).data.id;
  await client.v1.customers.setIngestAliases({ customer_id: beta, ingest_aliases: ['beta', 'beta-eu'] });
  const renamed = await client.v1.customers.setName({ customer_id: beta, name: 'Beta GmbH' });
  await client.v1.customFields.setValues({ entity: 'customer', entity_id: beta, custom_fields: { tier: 'gold' } });
  await client.v1.contracts.rateCards.rates.addMany({
    rate_card_id: ids.card,
    rates: [{ product_id: ids.api, starting_at: '2026-01-01T00:00:00Z', entitled: true, rate_type: 'FLAT', price: 3 }],
  });
  const contract = await client.v1.contracts.create({
    customer_id: beta,
    rate_card_id: ids.card,
    starting_at: '2025-01-01T00:00:00Z',
    professional_services: [{ product_id: services.data.id, unit_price: 20000, quantity: 10, max_amount: 250000, description: 'Implementation' }],
  });
  const contractId = contract.data.id;
  const preview = await client.v1.customers.previewEvents({
    customer_id: beta,
    events: [{ event_type: 'api_call', timestamp: '2025-03-05T00:00:00Z', properties: { calls: 400 } }],
  });
  const v2 = await client.v2.contracts.retrieve({ customer_id: beta, contract_id: contractId });
  const serviceId = v2.data.professional_services?.[0]?.id ?? '';
  const servicesInvoice = await client.v1.contracts.scheduleProServicesInvoice({
    customer_id: beta,
    contract_id: contractId,
    issued_at: '2025-02-15T00:00:00Z',
    line_items: [{ professional_service_id: serviceId, quantity: 8 }],
  });
  await client.v2.contracts.edit({
    customer_id: beta,
    contract_id: contractId,
    add_overrides: [{ product_id: ids.api, starting_at: '2025-04-01T00:00:00Z', type: 'MULTIPLIER', multiplier: 0.9 }],
    update_contract_name: 'Beta 2025',
    update_net_payment_terms_days: 30,
  });
  await client.v1.contracts.setUsageFilter({
    customer_id: beta, contract_id: contractId, group_key: 'region', group_values: ['eu'], starting_at: '2025-05-01T00:00:00Z',
  });
  await client.v1.contracts.updateEndDate({ customer_id: beta, contract_id: contractId, ending_before: '2026-01-01T00:00:00Z' });
  const commit = await client.v1.customers.commits.create({
    customer_id: beta,
    type: 'PREPAID',
    priority: 1,
    product_id: ids.api,
    invoice_contract_id: contractId,
    access_schedule: { schedule_items: [{ amount: 5000, starting_at: '2025-03-01T00:00:00Z', ending_before: '2026-01-01T00:00:00Z' }] },
    invoice_schedule: { schedule_items: [{ amount: 5000, timestamp: '2025-03-01T00:00:00Z' }] },
  });
  const credit = await client.v1.customers.credits.create({
    customer_id: beta,
    priority: 2,
    product_id: ids.api,
    access_schedule: { schedule_items: [{ amount: 1000, starting_at: '2025-03-01T00:00:00Z', ending_before: '2026-01-01T00:00:00Z' }] },
  });
  const credits = (await client.v1.customers.credits.list({ customer_id: beta })).data;
  const after = await client.v2.contracts.retrieve({ customer_id: beta, contract_id: contractId });
  // What a team puts away: a trial's metric, product, card and customer, none of them in use.
  const trialMetric = await client.v1.billableMetrics.create({ name: 'Trial calls', event_type_filter: { in_values: ['trial'] }, aggregation_type: 'COUNT' });
  const trialProduct = await client.v1.contracts.products.create({ name: 'Trial', type: 'USAGE', billable_metric_id: trialMetric.data.id });
  const trialCard = await client.v1.contracts.rateCards.create({ name: 'Trial card' });
  const trialCustomer = await client.v1.customers.create({ name: 'Trial Co' });
  await client.v1.contracts.products.archive({ product_id: trialProduct.data.id });
  await client.v1.contracts.rateCards.archive({ id: trialCard.data.id });
  await client.v1.billableMetrics.archive({ id: trialMetric.data.id });
  await client.v1.customers.archive({ id: trialCustomer.data.id });
  const archived = {
    products: (await client.v1.contracts.products.list({ archive_filter: 'ARCHIVED' })).data.map((p) => p.current.name),
    customers: (await client.v1.customers.list({ only_archived: true })).data.map((c) => c.name),
    metrics: (await client.v1.billableMetrics.list()).data.map((m) => m.name),
  };
  return { beta, renamed, preview, servicesInvoice, commit, credit, credits, after, archived };
}
