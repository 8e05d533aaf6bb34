// Tally's wire types. Generated from the Rust types by crates/tally-wasm/tests/typescript.rs:
// do not edit by hand.

/** RFC 3339, UTC in outputs: `2025-01-01T00:00:00Z`. */
export type Timestamp = string;
/** Money and quantities going in: cents of the credit type, as a number or a decimal string. */
export type Decimal = number | string;
/** Enum values are accepted in any letter case and returned in upper case. */
export type AnyCase<T extends string> = T | Lowercase<T>;
/** Every answer of the billing API. */
export interface Data<T> {
  data: T;
}

/** One segment of an access schedule: `amount` usable on usage in `[starting_at, ending_before)`. */
export interface AccessItem {
  /** What the segment can pay, in the schedule's credit type (USD cents by default); not negative. */
  amount: Decimal;
  /** The first instant whose usage it can pay for (inclusive, RFC 3339). */
  starting_at: Timestamp;
  /** When it expires (exclusive): usage from then on is not covered by it. */
  ending_before: Timestamp;
}

/** How much of a commit or credit can be used, and when. */
export interface AccessSchedule {
  /** Its segments, each an amount with its own window; at least one. */
  schedule_items?: AccessItem[];
  /** The credit type of the amounts (USD cents when absent): the balance pays only lines priced in it. */
  credit_type_id?: string | null;
}

/** `POST /v1/contract-pricing/rate-cards/addRates` */
export interface AddRates {
  /** The rate card the rates are added to. */
  rate_card_id: string;
  /** The rates to add, in order, as `addRate` would; all are added or none. */
  rates: Rate[];
}

export type Aggregation = "COUNT" | "SUM" | "MAX" | "UNIQUE" | "LATEST";

export type Allocation = "POOLED" | "INDIVIDUAL";

export type AmountDistribution = "EACH" | "DIVIDED" | "DIVIDED_ROUNDED";

/** Who holds a customer-level commit or credit: the fields its create body adds to a commit's. */
export interface BalanceHolder {
  /** The customer who holds the commit or credit. */
  customer_id: string;
  /** A key no other commit (or credit) of a customer was created with: a second create naming it is refused (409) and changes nothing. */
  uniqueness_key?: string | null;
  /** The contracts whose usage may draw on it; none: every contract of the customer. */
  applicable_contract_ids?: string[];
  /** The contract whose invoices bill it; required for a POSTPAID commit or a PREPAID one with an invoice schedule; never on a credit. */
  invoice_contract_id?: string | null;
}

/** What is left at `at` by kind of balance, in the asked credit type (e.g. USD cents). */
export interface BalancesByType {
  /** What prepaid commits have left. */
  PREPAID_COMMIT: string;
  /** What credits have left. */
  CREDIT: string;
  /** What postpaid commits have yet to be spent (a promise, not counted in `balance`). */
  POSTPAID_COMMIT: string;
}

/** `billing_cycle_config`: the grid the subscription's periods run on and where its charges are billed. */
export interface BillingCycleConfig {
  /** An instant on the grid its periods run on; absent: the contract's usage statement grid. */
  anchor_date?: Timestamp | null;
  /** ON_USAGE_INVOICE (default): charges go on the usage invoice closing on their date; ON_SCHEDULED_INVOICE: each on an invoice of its own. */
  invoice_placement?: AnyCase<InvoicePlacement> | null;
}

export type BillingFrequency = "MONTHLY" | "QUARTERLY" | "ANNUAL" | "WEEKLY";

export type CollectionSchedule = "ADVANCE" | "ARREARS";

/** Commits and credits share one shape; credits have no `type` and no invoice schedule. */
export interface Commit {
  /** Given by Tally when the body has none; covered and applied invoice lines carry it as `commit_id`. */
  id?: string;
  /** PREPAID (bought up front, or complimentary) or POSTPAID (trued up at its invoice date). Required on a commit; a credit has none. */
  type?: AnyCase<CommitType> | null;
  /** The name on its invoice lines; absent: "Commit" or "Credit". */
  name?: string | null;
  /** The product it is sold as; its purchase, true-up and applied lines carry it. */
  product_id: string;
  /** What it can pay, and when. */
  access_schedule: AccessSchedule;
  /** How it is billed: a PREPAID commit's purchase dates (absent: complimentary), a POSTPAID commit's one true-up date for its whole access amount. Refused on a credit. */
  invoice_schedule?: Schedule | null;
  /** The products whose usage it may pay for; with no ids and no tags, every product. */
  applicable_product_ids?: string[];
  /** Products carrying one of these tags may draw on it too. */
  applicable_product_tags?: string[];
  /** Draw-down order: lower draws first (after the rollover and prepaid-before-postpaid rules); absent: after those with one. */
  priority?: Decimal | null;
  /** Accepted as Metronome's; Tally prices draw-down at the rate itself either way (a rate's `commit_rate` is refused). */
  rate_type?: AnyCase<CommitRateType> | null;
  /** An internal note (Metronome does not show it to end customers), kept and answered back. */
  description?: string | null;
  /** Your key-value metadata, kept and answered back. */
  custom_fields?: Record<string, string>;
  /** Inert metadata (the NetSuite order this term comes from), kept and answered back. */
  netsuite_sales_order_id?: string | null;
  /** The share (0 to 1) of what is left unspent at a renewal that becomes a commit on the new contract (`transition` on the new contract's create body). */
  rollover_fraction?: Decimal | null;
}

/** How long each balance of a recurring commit or credit stays usable. */
export interface CommitDuration {
  /** Number of periods from the balance's start (at least 1), never past the contract's end. */
  value: number;
  /** Only PERIODS (the default): periods of the recurrence frequency. */
  unit?: AnyCase<DurationUnit> | null;
}

export type CommitRateType = "COMMIT_RATE" | "LIST_RATE";

export type CommitType = "PREPAID" | "POSTPAID";

export type Consolidation = "ALL";

/** `POST /v2/contracts/edit` */
export interface ContractEdit {
  /** The customer whose contract is edited. */
  customer_id: string;
  /** The contract to edit; the edit applies whole or not at all. */
  contract_id: string;
  /** Overrides added to the contract. */
  add_overrides?: Override[];
  /** Commits added to the contract. */
  add_commits?: Commit[];
  /** Credits added to the contract. */
  add_credits?: Commit[];
  /** Scheduled charges added to the contract. */
  add_scheduled_charges?: ScheduledCharge[];
  /** Recurring commits added to the contract. */
  add_recurring_commits?: RecurringCommit[];
  /** Recurring credits added to the contract. */
  add_recurring_credits?: RecurringCommit[];
  /** Discounts added to the contract. */
  add_discounts?: ScheduledCharge[];
  /** Professional services added to the contract. */
  add_professional_services?: ProfessionalService[];
  /** Subscriptions added to the contract. */
  add_subscriptions?: Subscription[];
  /** Quantity changes to the contract's existing subscriptions, each naming its `subscription_id`. */
  update_subscriptions?: SubscriptionUpdate[];
  /** The contract's new name; not blank. */
  update_contract_name?: string | null;
  /** New payment terms: each of the contract's invoices is due this many days after it is issued. */
  update_net_payment_terms_days?: number | null;
  /** A new end (exclusive), after the contract's start: terms past it are cut, as `POST /v1/contracts/updateEndDate` cuts them. */
  update_contract_end_date?: Timestamp | null;
}

export type ConversionOperation = "MULTIPLY" | "DIVIDE";

/** Every create answers the id of what it made. */
export interface Created {
  /** The new record's id: the one the body gave, or one Tally made. */
  id: string;
}

/** The credit type an invoice (or a line in another credit type) is counted in, as Metronome shows it. */
export interface CreditType {
  /** The credit type's id (USD cents: `2714e483-4ff1-48e4-9e25-ac732e8f24f2`). */
  id: string;
  /** The credit type's name, e.g. `USD (cents)`. */
  name: string;
}

/** The price of one unit of a custom pricing unit in the card's currency, for rates priced in that unit. */
export interface CreditTypeConversion {
  /** The custom pricing unit converted (not a fiat currency); at most one conversion each per card. */
  custom_credit_type_id: string;
  /** What one unit costs in the card's currency's unit (e.g. 2 = 2 cents on a USD card); above 0. */
  fiat_per_custom_credit: Decimal;
}

/** Which stored events to delete: those of a customer (by its id and ingest aliases as they are now), those in a time window, or those of a customer in a window. At least one must be given. */
export interface DeleteUsage {
  /** The customer whose events go (by its id and its ingest aliases as they are now). */
  customer_id?: string | null;
  /** Events at or after this instant. */
  starting_at?: Timestamp | null;
  /** Events before this instant. */
  ending_before?: Timestamp | null;
}

/** `discount_configuration`: a discount on threshold charges. */
export interface DiscountConfiguration {
  /** The share of a recharge's amount that is invoiced (0.9: the customer pays 90 % of it). */
  payment_fraction: Decimal;
}

export type DurationUnit = "PERIODS";

export type EntityKind = "CUSTOMER" | "CONTRACT";

/** What kind of refusal this is; stable strings that JS callers can switch on. */
export type ErrorCode = "invalid_body" | "invalid" | "not_found" | "conflict" | "unknown_call" | "out_of_range" | "unknown_field" | "not_supported";

/** A usage event as `POST /v1/ingest` takes it. */
export interface Event {
  /** Unique per event: an event whose id is stored already is a duplicate and counts once. */
  transaction_id: string;
  /** The customer's Tally id or one of its ingest aliases; which customer that is is decided when rating. */
  customer_id: string;
  /** What happened (`api_call`, `tokens`); metrics select events by it. */
  event_type: string;
  /** When it happened (RFC 3339, stored in UTC). */
  timestamp: Timestamp;
  /** What metrics filter on, group by and aggregate; absent: none. */
  properties?: Record<string, unknown>;
}

/** A line's figures worked out step by step, in the order rating works them out. */
export interface Explanation {
  /** The steps, in order. */
  steps: Step[];
}

export type Frequency = "MONTHLY" | "QUARTERLY" | "SEMI_ANNUAL" | "ANNUAL";

/** `transition.future_invoice_behavior`: the earlier contract's invoices after the transition. */
export interface FutureInvoiceBehavior {
  /** REMOVE drops the earlier contract's postpaid true-ups dated after the transition; AS_IS (the default) bills them. */
  trueup?: AnyCase<TrueupBehavior> | null;
}

/** Which event types a metric counts: one of `in_values` (when given) and none of `not_in_values`. */
export interface InValues {
  /** The event types that count; absent: any type not excluded. */
  in_values?: string[] | null;
  /** The event types that never count; absent: none excluded. */
  not_in_values?: string[] | null;
}

/** What `POST /v1/ingest` answers: how the batch's events were taken. */
export interface Ingested {
  /** How many events were stored. */
  ingested: string;
  /** Events whose `transaction_id` was already known: counted once, so skipped. */
  duplicates: string;
  /** Of the events added, how many bill nothing (yet), by reason; `GET /v1/usage/unmatched` lists them. Absent when every event is billed. */
  not_billed?: Record<string, string>;
}

/** An invoice of one contract, as Tally rates it now. */
export interface Invoice {
  /** The invoice's id, stable across ratings: the contract id, the kind and the issue date. */
  id: string;
  /** The customer invoiced. */
  customer_id: string;
  /** The contract the invoice bills. */
  contract_id: string;
  /** USAGE, SCHEDULED or THRESHOLD. */
  type: InvoiceType;
  /** DRAFT while its period (or date) is still open at the rating time, FINALIZED after. */
  status: InvoiceStatus;
  /** A USAGE invoice's service period start (inclusive); omitted on other invoices. */
  start_timestamp?: Timestamp | null;
  /** A USAGE invoice's service period end (exclusive); omitted on other invoices. */
  end_timestamp?: Timestamp | null;
  /** The invoice's date: a USAGE invoice's period end, another invoice's billing date. */
  issued_at: Timestamp;
  /** The credit type the invoice is counted in: the contract's currency, or an item's own credit type. */
  credit_type: CreditType;
  /** The sum of the lines in the invoice's credit type (lines in another credit type are left out), e.g. in USD cents. */
  total: string;
  /** The invoice's lines. */
  line_items: LineItem[];
  /** The contract's payment terms: the invoice is due this many days after `issued_at`. */
  net_payment_terms_days?: string | null;
}

export type InvoiceBehavior = "BILL_IMMEDIATELY" | "BILL_ON_NEXT_COLLECTION_DATE";

/** The invoice list's query as an object (the JS package's `invoices(customerId, options)`), the same keys as the query string. */
export interface InvoiceListOptions {
  /** Only invoices whose period starts at or after this (a dated invoice's date). */
  starting_on?: Timestamp | null;
  /** Only invoices whose period ends at or before this; absent: through each contract's current usage period. */
  ending_before?: Timestamp | null;
  /** USAGE, SCHEDULED or THRESHOLD. */
  type?: string | null;
  /** Only this contract's invoices; absent: every contract of the customer. */
  contract_id?: string | null;
  /** Each line carries its `explanation`: why it costs what it does. */
  explain?: boolean;
}

export type InvoicePlacement = "ON_SCHEDULED_INVOICE" | "ON_USAGE_INVOICE";

/** Whether an invoice's figures can still change. */
export type InvoiceStatus = "DRAFT" | "FINALIZED";

/** Which kind of invoice this is, as `type` on the invoice. */
export type InvoiceType = "USAGE" | "SCHEDULED" | "THRESHOLD";

/** One line of an invoice. */
export interface LineItem {
  /** The line's label: the product's name, or the commit's, credit's or charge's. */
  name: string;
  /** What the line bills. */
  type: LineType;
  /** The product the line bills (for an applied commit or credit line, the balance's product). */
  product_id: string;
  /** Units billed, after the product's conversion and rounding; 1 for a one-off amount. */
  quantity: string;
  /** Price per unit in the line's credit type (e.g. USD cents), after overrides; negative on lines that take money off. */
  unit_price: string;
  /** The line's amount in its credit type (e.g. USD cents), quantity × unit price rounded by the credit type's rule. */
  total: string;
  /** Start of what the line bills (inclusive); for an item billed on a date, that date. */
  starting_at: Timestamp;
  /** End of what the line bills (exclusive); for an item billed on a date, that same date. */
  ending_before: Timestamp;
  /** The line's values of the product's `pricing_group_key` properties; omitted when none. */
  pricing_group_values?: Record<string, string>;
  /** The line's values of the product's `presentation_group_key` properties; omitted when none. */
  presentation_group_values?: Record<string, string>;
  /** On a tiered usage line: the band its units fall in. */
  tier?: TierInfo | null;
  /** The commit or credit that paid this part of the usage, or that the line buys, applies or trues up. */
  commit_id?: string | null;
  /** Only on a line in another credit type than its invoice's (usage priced in a custom pricing unit, and what balances in that unit paid on it): not counted in the invoice total; a `conversion` line brings what is left of it into the invoice's currency. */
  credit_type?: CreditType | null;
  /** Why the line costs what it does: only when the list was asked with `explain=true`, so answers without it stay as they were. */
  explanation?: Explanation | null;
}

/** What a line bills, as `type` on the line. */
export type LineType = "usage" | "subscription" | "scheduled" | "commit_purchase" | "applied_commit_or_credit" | "postpaid_trueup" | "conversion" | "discount" | "composite" | "professional_service";

/** `POST /v1/contracts/customerCommits/list` and `.../customerCredits/list` */
export interface ListBalancesRequest {
  /** The customer whose commits or credits are listed. */
  customer_id: string;
  /** Only this commit (`customerCommits/list`); absent: all. */
  commit_id?: string | null;
  /** Only this credit (`customerCredits/list`); absent: all. */
  credit_id?: string | null;
  /** Only balances with an access segment that holds this instant. */
  covering_date?: Timestamp | null;
  /** Only balances with access that ends after this instant. */
  starting_at?: Timestamp | null;
  /** Only balances with access that starts before this instant. */
  effective_before?: Timestamp | null;
  /** Also list the commits of the customer's contracts; default false: customer-level commits only. */
  include_contract_commits?: boolean;
  /** Also list the credits of the customer's contracts; default false: customer-level credits only. */
  include_contract_credits?: boolean;
  /** Adds each balance's amount left now (`balance`, cents) to the answer. */
  include_balance?: boolean;
}

/** `POST /v1/contracts/list` */
export interface ListContractsRequest {
  /** The customer whose contracts are listed. */
  customer_id: string;
}

/** One band of a TIERED override: a multiplier for the units that fall in it. */
export interface MultiplierTier {
  /** Units in the band, counted per line from the period's start; absent on the last band, which takes the rest. */
  size?: Decimal | null;
  /** Factor on the list price for those units (0.8: 20% off); not negative. */
  multiplier: Decimal;
}

/** What `getNetBalance` answers: a customer's balance left at an instant. */
export interface NetBalance {
  /** The instant the balances were counted at. */
  at: Timestamp;
  /** What prepaid commits and credits have left at `at` (postpaid commits are promises, not balance). */
  balance: string;
  /** The balance left, by kind of balance. */
  by_type: BalancesByType;
  /** The credit type counted (USD cents unless the request named another). */
  credit_type: CreditType;
}

/** `POST /v1/contracts/customerBalances/getNetBalance`; `at` (or `effective_before`) defaults to now. */
export interface NetBalanceRequest {
  /** The customer whose balances are counted. */
  customer_id: string;
  /** The instant the balances are counted at; absent: `effective_before`, else now. */
  at?: Timestamp | null;
  /** Metronome's other name for `at`, used when `at` is absent. */
  effective_before?: Timestamp | null;
  /** Only the balances this contract's usage may draw on (its own and the customer's that reach it); absent: all. */
  contract_id?: string | null;
  /** The credit type whose balances are counted (USD cents when absent). */
  credit_type_id?: string | null;
}

/** The body of `POST /v1/billable-metrics/create`: a `BillableMetric`, its id optional. */
export interface NewBillableMetric {
  /** The id to give it; absent: Tally makes one. */
  id?: string | null;
  /** The metric's display name; must not be blank. */
  name: string;
  /** Which `event_type`s count; absent: every event type. */
  event_type_filter?: InValues | null;
  /** Rules on event properties an event must all pass to count; empty: no rule. */
  property_filters?: PropertyFilter[];
  /** How matching events become a quantity: COUNT them, or the SUM, MAX, number of UNIQUE values, or LATEST value of `aggregation_key`. */
  aggregation_type: AnyCase<Aggregation>;
  /** The event property SUM, MAX, UNIQUE and LATEST read; required for every aggregation but COUNT. */
  aggregation_key?: string | null;
  /** Sets of event properties usage can be grouped by (Metronome's field); kept, while invoice lines split by the product's group keys. */
  group_keys?: string[][];
  /** Free-form key/value metadata; kept and answered back, not used in rating. */
  custom_fields?: Record<string, string>;
}

/** The body of `POST /v1/contracts/create`: a `Contract`, its id optional. */
export interface NewContract {
  /** The id to give it; absent: Tally makes one. */
  id?: string | null;
  /** The customer it bills. */
  customer_id: string;
  /** A display name; nothing is billed by it. */
  name?: string | null;
  /** When the contract starts (inclusive, RFC 3339); periods and usage count from here. */
  starting_at: Timestamp;
  /** When it ends (exclusive); absent: open-ended, invoiced as far as an invoice list reaches. */
  ending_before?: Timestamp | null;
  /** The rate card that lists its prices; its usage invoices are in the card's currency (USD cents without a card). */
  rate_card_id?: string | null;
  /** The alias the card was chosen by at creation (the card holding it at `starting_at`), kept as given; `rate_card_id` holds the card it chose. */
  rate_card_alias?: string | null;
  /** Its prepaid and postpaid commits. */
  commits?: Commit[];
  /** Its credits: granted, never billed, drawn before paid commits of equal priority. */
  credits?: Commit[];
  /** Commits granted anew each period. */
  recurring_commits?: RecurringCommit[];
  /** Credits granted anew each period (the shape of a recurring commit; never billed). */
  recurring_credits?: RecurringCommit[];
  /** Charges billed on their schedule's dates, never drawn on by commits or credits. */
  scheduled_charges?: ScheduledCharge[];
  /** When its usage invoices close; absent: monthly, on the first of the month. */
  usage_statement_schedule?: UsageStatementSchedule | null;
  /** Changes to its list prices and entitlements; one applies per line (`crate::overrides`). */
  overrides?: Override[];
  /** Negative charges on a schedule (the shape of a scheduled charge): a discount line on each date. */
  discounts?: ScheduledCharge[];
  /** Work sold up to `max_amount`, invoiced as it is done (`scheduleProServicesInvoice`). */
  professional_services?: ProfessionalService[];
  /** Seats and other SUBSCRIPTION products, billed per period (`crate::subscription`). */
  subscriptions?: Subscription[];
  /** The filter given at creation; rating reads `usage_filter_history`, which holds it and every later one. */
  usage_filter?: UsageFilter | null;
  /** ALL: a scheduled item (charge, purchase, true-up) dated at a usage invoice's end goes on that invoice; absent: each on a SCHEDULED invoice of its own. */
  scheduled_charges_on_usage_invoices?: AnyCase<Consolidation> | null;
  /** Which MULTIPLIER or TIERED override applies: LOWEST_MULTIPLIER (default) the one that costs the line least, EXPLICIT the lowest `priority`. */
  multiplier_override_prioritization?: AnyCase<Prioritization> | null;
  /** Your key-value metadata, kept and answered back. */
  custom_fields?: Record<string, string>;
  /** Inert metadata (the NetSuite order this contract comes from), kept and answered back. */
  netsuite_sales_order_id?: string | null;
  /** Inert metadata (the Salesforce opportunity this contract comes from), kept and answered back. */
  salesforce_opportunity_id?: string | null;
  /** Inert metadata (the billing provider Metronome would deliver invoices to), kept as given. */
  billing_provider_configuration?: unknown;
  /** Inert metadata (the revenue-recognition system Metronome would feed), kept as given. */
  revenue_system_configuration?: unknown;
  /** Inert metadata (the contract's value as sold), kept and answered back; nothing is billed by it. */
  total_contract_value?: Decimal | null;
  /** A key no other contract was created with: a second create naming it is refused (409, `conflict`) and changes nothing, so a client may retry a create safely. Kept and answered back. */
  uniqueness_key?: string | null;
  /** Payment terms: each invoice of the contract is due this many days after it is issued. */
  net_payment_terms_days?: number | null;
  /** The earlier contract this one renews or supersedes, and what becomes of its true-ups. */
  transition?: Transition | null;
  /** Auto-recharge: a prepaid commit is granted and billed when the prepaid balance falls to a threshold. */
  prepaid_balance_threshold_configuration?: PrepaidBalanceThreshold | null;
  /** Outstanding usage spend is billed early, on a THRESHOLD invoice, each time it reaches a threshold. */
  spend_threshold_configuration?: SpendThreshold | null;
}

/** `POST /v1/credit-types/create` (Tally's own): a custom pricing unit. */
export interface NewCreditType {
  /** The id to give the new pricing unit; absent or empty: Tally generates one. */
  id?: string;
  /** The pricing unit's display name (e.g. `AI credits`); must be non-blank and unused by any credit type. */
  name: string;
}

/** The body of `POST /v1/customers`: a `Customer`, its id optional. */
export interface NewCustomer {
  /** The id to give it; absent: Tally makes one. */
  id?: string | null;
  /** The customer's display name; must not be blank. */
  name: string;
  /** Other ids usage events may name this customer by (e.g. an email); each unused by any other customer's id or alias. */
  ingest_aliases?: string[];
  /** Free-form key/value metadata; Tally keeps it and answers it back but does not rate on it. */
  custom_fields?: Record<string, string>;
  /** Metronome's deprecated alias field (use `ingest_aliases`); kept and answered back, not matched against events. */
  external_id?: string | null;
}

/** The body of `POST /v1/contract-pricing/products/create`: a `Product`, its id optional. */
export interface NewProduct {
  /** The id to give it; absent: Tally makes one. */
  id?: string | null;
  /** The product's display name, shown on its invoice lines; must not be blank. */
  name: string;
  /** USAGE (billed from a billable metric), FIXED (for commits, credits and scheduled charges), COMPOSITE (a percentage of other products' spend) or SUBSCRIPTION (billed per seat by a subscription). */
  type: AnyCase<ProductType>;
  /** The metric whose quantity a USAGE product bills; required for USAGE. */
  billable_metric_id?: string | null;
  /** Labels commits, credits, overrides and composite products can name to select this product. */
  tags?: string[];
  /** USAGE only: event properties whose values are priced apart (rates can match them by `pricing_group_values`), each value its own invoice line. */
  pricing_group_key?: string[];
  /** USAGE only: event properties whose values split the product's invoice lines, without changing the price. */
  presentation_group_key?: string[];
  /** USAGE only: converts the metric's quantity into the priced unit; absent: billed as measured. */
  quantity_conversion?: QuantityConversion | null;
  /** USAGE only: rounds the quantity after any conversion; absent: not rounded. */
  quantity_rounding?: QuantityRounding | null;
  /** Free-form key/value metadata; kept and answered back, not used in rating. */
  custom_fields?: Record<string, string>;
  /** A COMPOSITE product: the products whose spend it charges a percentage of, by id or by tag. */
  composite_product_ids?: string[];
  /** A COMPOSITE product: the tags whose products' spend it charges a percentage of. */
  composite_tags?: string[];
  /** A COMPOSITE product: leave out usage priced at zero (it adds no spend either way). */
  exclude_free_usage?: boolean | null;
}

/** The body of `POST /v1/contract-pricing/rate-cards/create`: a `RateCard`, its id optional. */
export interface NewRateCard {
  /** The id to give it; absent: Tally makes one. */
  id?: string | null;
  /** The rate card's display name; must not be blank. */
  name: string;
  /** Free-text description; kept, not used in rating. */
  description?: string | null;
  /** Names contracts can use instead of the id (`rate_card_alias`), each over its window; a contract's alias is matched at its start. */
  aliases?: RateCardAlias[];
  /** The card's rates; on create each is added in order, as `addRate` would. */
  rates?: Rate[];
  /** The fiat currency the card bills in (USD cents when absent). */
  fiat_credit_type_id?: string | null;
  /** What one unit of each custom pricing unit its rates use costs in the card's currency. */
  credit_type_conversions?: CreditTypeConversion[];
}

/** An override of a contract's list prices or entitlements, as the API writes it (`overrides[]`, `add_overrides`). */
export interface Override {
  /** Given by Tally when the body has none. */
  id?: string | null;
  /** When it comes into force (inclusive). */
  starting_at: Timestamp;
  /** When it stops (exclusive); absent: open-ended. */
  ending_before?: Timestamp | null;
  /** true turns the products it targets on, false off, while in force (the last added in force decides); may stand alone, without a `type`. */
  entitled?: boolean | null;
  /** OVERWRITE replaces the price and beats the others; MULTIPLIER and TIERED scale the list price. Absent only when the override just sets `entitled`. */
  type?: AnyCase<OverrideType> | null;
  /** For MULTIPLIER: the factor on the list price in force (0.9: 10% off); not negative. */
  multiplier?: Decimal | null;
  /** For OVERWRITE: the price that replaces the list price. */
  overwrite_rate?: OverwriteRate | null;
  /** For TIERED: a multiplier per band of the period's units. */
  tiers?: MultiplierTier[] | null;
  /** Under EXPLICIT prioritization the MULTIPLIER or TIERED override with the lowest applies; absent: after those with one. */
  priority?: Decimal | null;
  /** The product whose price it overrides. */
  product_id?: string | null;
  /** Or every product carrying one of these tags (an OVERWRITE must name a product as well). */
  applicable_product_tags?: string[];
  /** Or the lines these match; a specifier with `commit_ids` makes the override commit-specific. */
  override_specifiers?: Specifier[];
}

export type OverrideType = "OVERWRITE" | "MULTIPLIER" | "TIERED";

/** `overwrite_rate`: the price an OVERWRITE override puts in place of the list price, checked like a rate card's rate. */
export interface OverwriteRate {
  /** How the price reads: FLAT, TIERED, PERCENTAGE, TIERED_PERCENTAGE or SUBSCRIPTION. */
  rate_type: AnyCase<RateType>;
  /** The unit price (FLAT, SUBSCRIPTION) in the line's credit type, or a fraction (PERCENTAGE). */
  price?: Decimal | null;
  /** The bands, for TIERED and TIERED_PERCENTAGE. */
  tiers?: Tier[] | null;
}

export type PaymentGate = "NONE" | "STRIPE" | "EXTERNAL";

/** `payment_gate_config`: whether a threshold charge waits for payment. */
export interface PaymentGateConfig {
  /** Only NONE: Tally bills threshold charges without a payment gate. */
  payment_gate_type: AnyCase<PaymentGate>;
}

/** `prepaid_balance_threshold_configuration`: a contract's auto-recharge (see the module docs). */
export interface PrepaidBalanceThreshold {
  /** The commit each recharge grants. */
  commit: ThresholdCommit;
  /** false: kept, but nothing is recharged; true when absent. */
  is_enabled?: boolean;
  /** Recharge when the prepaid balance is at this or below, in the contract's currency (USD: cents); at least 500. */
  threshold_amount: Decimal;
  /** The balance a recharge brings it back to; at least `threshold_amount` + 1000. */
  recharge_to_amount: Decimal;
  /** Only `NONE` is accepted: Tally has no payment to wait for. */
  payment_gate_config?: PaymentGateConfig | null;
  /** The share of each recharge the customer pays; absent: all of it. */
  discount_configuration?: DiscountConfiguration | null;
}

/** An event for `previewEvents`: the customer is the one in the path unless given. */
export interface PreviewEvent {
  /** Deduplicates as ingest does: an id repeated in the preview, or already stored (MERGE), counts once; absent: the event stands alone. */
  transaction_id?: string | null;
  /** The customer id or ingest alias the event names; absent: the customer in the path. */
  customer_id?: string | null;
  /** The event's type, which metrics' `event_type_filter` match. */
  event_type: string;
  /** When the usage happened. */
  timestamp: Timestamp;
  /** The event's properties, which metrics filter and aggregate on and products group by. */
  properties?: Record<string, unknown>;
}

/** `POST /v1/customers/{id}/previewEvents`: `mode` is `replace` (default) or `merge`. */
export interface PreviewEventsRequest {
  /** The events to preview with; none is stored. */
  events: PreviewEvent[];
  /** REPLACE (the default): these events in place of the stored ones; MERGE: these added to them. */
  mode?: AnyCase<PreviewMode> | null;
}

export type PreviewMode = "REPLACE" | "MERGE";

/** One band of a tiered price, as a rate schedule shows it. */
export interface PriceTier {
  /** How many units the band covers; omitted on the last band, which covers everything above. */
  size?: string | null;
  /** The band's price per unit in the rate's credit type (e.g. USD cents). */
  price: string;
}

/** A price as a rate schedule shows it. */
export interface PriceView {
  /** FLAT for a single unit price, TIERED for bands. */
  rate_type: RateType;
  /** A FLAT price: the unit price in the rate's credit type (e.g. USD cents). */
  price?: string | null;
  /** A TIERED price: its bands, every one sized but the last. */
  tiers?: PriceTier[] | null;
}

/** A credit type as `GET /v1/credit-types/list` shows it (Metronome's SDKs call it a pricing unit). */
export interface PricingUnit {
  /** Its id: Metronome's `2714e483-…` for USD (cents), the ISO code (`EUR`) for another currency, any unique id for a custom pricing unit. */
  id: string;
  /** The display name (e.g. `USD (cents)`, `EUR`, `AI credits`); unique among credit types. */
  name: string;
  /** True for a fiat currency (USD cents or one of `CURRENCIES`), false (omitted) for a custom pricing unit. */
  is_currency?: boolean;
}

export type Prioritization = "LOWEST_MULTIPLIER" | "EXPLICIT";

export type ProductType = "USAGE" | "FIXED" | "COMPOSITE" | "SUBSCRIPTION";

/** A professional-services term (`professional_services[]`): work sold up to `max_amount`, billed by `scheduleProServicesInvoice` as it is done. */
export interface ProfessionalService {
  /** Given by Tally when the body has none; invoice lines name the term by it. */
  id?: string;
  /** The product it is sold as; names its lines when `description` is absent. */
  product_id: string;
  /** The default unit price of its lines, in the contract's currency (USD: cents); not negative. */
  unit_price: Decimal;
  /** The default quantity of its lines; not negative. */
  quantity: Decimal;
  /** The most its lines may bill in all (fractions of a cent dropped): a line that would pass it bills what is left. */
  max_amount: Decimal;
  /** The name of its invoice lines; absent: the product's name. */
  description?: string | null;
  /** Your key-value metadata, kept and answered back. */
  custom_fields?: Record<string, string>;
  /** Inert metadata (the NetSuite order this term comes from), kept and answered back. */
  netsuite_sales_order_id?: string | null;
}

/** A rule on one event property; an event counts toward the metric only if it passes every rule. */
export interface PropertyFilter {
  /** The event property the rule reads. */
  name: string;
  /** true: the event must have the property; false: it must not; absent: either. */
  exists?: boolean | null;
  /** The property must have one of these values (compared as text); absent: any value. */
  in_values?: string[] | null;
  /** The property must not have one of these values (compared as text); an event without it passes. */
  not_in_values?: string[] | null;
}

export type Proration = "NONE" | "FIRST" | "LAST" | "FIRST_AND_LAST";

/** `proration.rounding`: how a prorated charge is rounded, in the credit type's unit (cents): 0 places to the cent, -2 to the dollar. */
export interface ProrationRounding {
  /** Places to round to in the credit type's unit, -10 to 10 (USD: 0 to the cent, -2 to the dollar). */
  decimal_places: number;
  /** HALF_UP (half away from zero), FLOOR or CEILING. */
  rounding_method: AnyCase<RoundingMethod>;
}

/** Converts the metric's quantity into the unit the product is priced in (e.g. MB sent, priced per GB: DIVIDE by 1000). */
export interface QuantityConversion {
  /** What the quantity is multiplied or divided by; must be greater than 0. */
  conversion_factor: Decimal;
  /** Whether the quantity is multiplied or divided by `conversion_factor`. */
  operation: AnyCase<ConversionOperation>;
  /** A label for the conversion (e.g. `MB to GB`); kept, not used in rating. */
  name?: string | null;
}

export type QuantityMode = "QUANTITY_ONLY" | "SEAT_BASED";

/** Rounds the product's quantity (after any conversion) before it is priced. */
export interface QuantityRounding {
  /** ROUND_UP (away from zero), ROUND_DOWN (toward zero) or ROUND_HALF_UP (halves away from zero). */
  rounding_method: AnyCase<RoundingMethod>;
  /** Decimal places the quantity keeps (0 to 20); 0 rounds to a whole number. */
  decimal_places: number;
}

/** From `starting_at` on, the subscription's quantity is `quantity`. */
export interface QuantityStep {
  /** When the quantity takes effect (inclusive). */
  starting_at: Timestamp;
  /** The count in force from then: a whole number, at least 0. */
  quantity: Decimal;
}

/** `update_subscriptions[].quantity_updates[]`: a new quantity, or a change to the one in force. */
export interface QuantityUpdate {
  /** When it takes effect: on the hour, inside the subscription. */
  starting_at: Timestamp;
  /** The new count, a whole number; give this or `quantity_delta`. */
  quantity?: Decimal | null;
  /** A whole change (negative to remove) to the count in force just before `starting_at`. */
  quantity_delta?: Decimal | null;
}

/** One price of a product on a rate card over a window; also the body of `addRate`, which names `rate_card_id`. */
export interface Rate {
  /** `addRate` only: the rate card to add the rate to; not kept on the stored rate. */
  rate_card_id?: string | null;
  /** The product this rate prices. */
  product_id: string;
  /** When the rate takes effect (inclusive). */
  starting_at: Timestamp;
  /** When the rate stops (exclusive); none: open-ended, until a later rate of the same product and pricing group values starts. */
  ending_before?: Timestamp | null;
  /** Whether contracts on the card may bill the product at all (overrides can change it); default true. */
  entitled?: boolean;
  /** FLAT (a price per unit), TIERED (per-unit prices by band), PERCENTAGE or TIERED_PERCENTAGE (a COMPOSITE product's share of spend) or SUBSCRIPTION (a price per seat per billing period). */
  rate_type: AnyCase<RateType>;
  /** The unit price in the rate's credit type (e.g. USD cents), needed by FLAT and SUBSCRIPTION; for PERCENTAGE a fraction from 0 to 1 (0.1 is 10 %). */
  price?: Decimal | null;
  /** The bands of a TIERED or TIERED_PERCENTAGE rate, every one sized but the last. */
  tiers?: Tier[] | null;
  /** The rate applies only to usage with these values of the product's `pricing_group_key` properties; empty: any. The rate matching the most values wins. */
  pricing_group_values?: Record<string, string>;
  /** Metronome's separate price for drawing down commits; not supported yet, so absent or null (draw-down uses the rate itself). */
  commit_rate?: unknown;
  /** What the price is in: the card's currency (the default) or a custom pricing unit the card converts (`credit_type_conversions`). */
  credit_type_id?: string | null;
  /** A SUBSCRIPTION rate: the period its price is for (a subscription names the same). */
  billing_frequency?: AnyCase<BillingFrequency> | null;
  /** A SUBSCRIPTION rate: whether a partial period is prorated (a subscription's own `proration` wins). */
  is_prorated?: boolean | null;
  /** A PERCENTAGE or TIERED_PERCENTAGE rate: the least a full period's charge is (prorated by time in a partial period), in the credit type's unit. */
  minimum?: Decimal | null;
}

/** A name a contract can give (`rate_card_alias`) instead of the card's id, over a window. */
export interface RateCardAlias {
  /** The alias contracts name. */
  name: string;
  /** From when the alias names this card (inclusive); absent: from the beginning. */
  starting_at?: Timestamp | null;
  /** Until when the alias names this card (exclusive); absent: open-ended. */
  ending_before?: Timestamp | null;
}

/** `POST /v1/contracts/getContractRateSchedule`; `at` defaults to now. */
export interface RateScheduleRequest {
  /** The customer whose contract it is. */
  customer_id: string;
  /** The contract whose rates are listed. */
  contract_id: string;
  /** The instant the rates are read at; absent: now. */
  at?: Timestamp | null;
}

/** One USAGE product's price on a contract at the asked instant (one row per set of pricing group values the card prices). */
export interface RateScheduleRow {
  /** The rate card the list rate comes from; none for a contract without one. */
  rate_card_id?: string | null;
  /** The product priced. */
  product_id: string;
  /** The product's name. */
  product_name: string;
  /** The product's tags. */
  product_tags: string[];
  /** Whether the product is billed on this contract at that time. */
  entitled: boolean;
  /** The rate card's price; null when the card has none (an override alone prices the product). */
  list_rate: PriceView | null;
  /** Present when an override changes the list price. */
  override_rate?: PriceView | null;
  /** The pricing group values this row's price is for; omitted: any usage of the product. */
  pricing_group_values?: Record<string, string>;
  /** When the list rate took effect; omitted without a list rate. */
  starting_at?: Timestamp | null;
  /** When the list rate ends (exclusive); omitted when it is open-ended or there is none. */
  ending_before?: Timestamp | null;
}

export type RateType = "FLAT" | "TIERED" | "PERCENTAGE" | "TIERED_PERCENTAGE" | "SUBSCRIPTION";

/** Why an event bills nothing. */
export type Reason = "no_customer" | "no_metric" | "not_a_number" | "no_contract" | "no_price";

/** A commit or credit granted anew each period (`recurring_commits[]`, `recurring_credits[]`), on the contract's statement grid; a partial first or last period is prorated. */
export interface RecurringCommit {
  /** Given by Tally when the body has none; each period's balance carries it as `commit_id`. */
  id?: string;
  /** The product it is sold as; its purchase and applied lines carry it. */
  product_id: string;
  /** The name on its lines; absent: "Recurring commit" or "Recurring credit". */
  name?: string | null;
  /** What each full period's balance holds (per seat with `subscription_config`). */
  access_amount: UnitAmount;
  /** What a recurring commit bills at each period's start, prorated like access; absent or zero: complimentary. Never billed for a recurring credit. */
  invoice_amount?: UnitAmount | null;
  /** How many periods each balance stays usable; absent: one. */
  commit_duration?: CommitDuration | null;
  /** Period length; absent: the contract's usage statement frequency. */
  recurrence_frequency?: AnyCase<Frequency> | null;
  /** Which partial periods are prorated: FIRST_AND_LAST when absent; NONE grants them in full. */
  proration?: AnyCase<Proration> | null;
  /** Draw-down order of each balance, as on a commit: lower first; absent: after those with one. */
  priority?: Decimal | null;
  /** The share (0 to 1) of what a period's balance has left at its end that carries into the next period's; absent: the rest expires. */
  rollover_fraction?: Decimal | null;
  /** When the first period's balance starts (inclusive). */
  starting_at: Timestamp;
  /** No balance is granted from here on (exclusive); absent: until the contract ends. */
  ending_before?: Timestamp | null;
  /** The products whose usage it may pay for; with no ids and no tags, every product. */
  applicable_product_ids?: string[];
  /** Products carrying one of these tags may draw on it too. */
  applicable_product_tags?: string[];
  /** An internal note, kept and answered back. */
  description?: string | null;
  /** A balance granted per seat of a subscription of the same contract, pooled. */
  subscription_config?: SubscriptionConfig | null;
  /** Inert metadata (the NetSuite order this term comes from), kept and answered back. */
  netsuite_sales_order_id?: string | null;
}

/** `recurring_schedule`: an amount billed every `frequency` from `starting_at`. */
export interface RecurringSchedule {
  /** The first date billed (inclusive); later ones follow every `frequency`. */
  starting_at: Timestamp;
  /** None: the charge recurs for the contract's life. */
  ending_before?: Timestamp | null;
  /** The time between dates billed. */
  frequency: AnyCase<Frequency>;
  /** The amount, in the schedule's credit type (USD cents by default); or give `unit_price`. */
  amount?: Decimal | null;
  /** The price per unit; with it `amount` is not read, and `quantity` defaults to 1. */
  unit_price?: Decimal | null;
  /** Units at `unit_price`; 1 when absent. */
  quantity?: Decimal | null;
  /** EACH (default) bills the amount every time; DIVIDED and DIVIDED_ROUNDED split it over the dates (only with an `ending_before`: an open-ended schedule bills EACH). */
  amount_distribution?: AnyCase<AmountDistribution> | null;
}

export type RoundingMethod = "ROUND_UP" | "ROUND_DOWN" | "ROUND_HALF_UP";

/** The body of a schedule: `schedule_items` or `recurring_schedule` (both may be given; their occurrences add up). */
export interface Schedule {
  /** One-off dated amounts. */
  schedule_items?: ScheduleItem[];
  /** An amount repeated on a cadence; its dates add to the items'. */
  recurring_schedule?: RecurringSchedule | null;
  /** The currency it is invoiced in (not a custom pricing unit); USD cents when absent. */
  credit_type_id?: string | null;
}

/** One dated amount of a schedule: `amount`, or `unit_price` × `quantity`. */
export interface ScheduleItem {
  /** When it is billed (RFC 3339): its invoice's date. */
  timestamp: Timestamp;
  /** The total, in the schedule's credit type (USD cents by default); or give `unit_price`. */
  amount?: Decimal | null;
  /** The price per unit; with it `amount` is not read, and `quantity` defaults to 1. */
  unit_price?: Decimal | null;
  /** Units at `unit_price`; 1 when absent. */
  quantity?: Decimal | null;
}

/** A charge billed on fixed dates (`scheduled_charges[]`); `discounts[]` take the same shape and bill its amounts negated. */
export interface ScheduledCharge {
  /** Given by Tally when the body has none. */
  id?: string;
  /** The product it is sold as; its lines carry it, and take its name when `name` is absent. */
  product_id: string;
  /** The name of its invoice lines; absent: the product's name. */
  name?: string | null;
  /** The dates and amounts it bills, in a fiat currency; each date is a SCHEDULED invoice of its own unless the contract consolidates it onto a usage invoice. */
  schedule: Schedule;
  /** An internal note, kept and answered back. */
  description?: string | null;
  /** Your key-value metadata, kept and answered back. */
  custom_fields?: Record<string, string>;
  /** Inert metadata (the NetSuite order this term comes from), kept and answered back. */
  netsuite_sales_order_id?: string | null;
}

/** `POST /v1/customFields/setValues`: `entity` is `customer` or `contract`. */
export interface SetCustomFields {
  /** What `entity_id` names: a CUSTOMER or a CONTRACT. */
  entity: AnyCase<EntityKind>;
  /** The id of the customer or contract whose fields are set. */
  entity_id: string;
  /** Values merged into the entity's custom fields; an empty value removes its key. */
  custom_fields: Record<string, string>;
}

/** The body of `POST /v1/customers/{id}/setIngestAliases`. */
export interface SetIngestAliases {
  /** The customer's aliases from now on: replaces the whole list (empty removes all). */
  ingest_aliases: string[];
}

/** `POST /v1/contracts/setUsageFilter` */
export interface SetUsageFilter {
  /** The customer whose contract it is. */
  customer_id: string;
  /** The contract whose usage is filtered. */
  contract_id: string;
  /** The event property that decides which events count. */
  group_key: string;
  /** The values of `group_key` whose events count on the contract; at least one. */
  group_values: string[];
  /** When the filter takes effect (inclusive); it replaces any filter set for the same instant and holds until the next one. */
  starting_at: Timestamp;
}

/** One entry of `override_specifiers`: the lines it matches, every given condition holding. */
export interface Specifier {
  /** Only this product. */
  product_id?: string | null;
  /** Only products carrying all of these tags (Metronome: "products with all the specified tags"). */
  product_tags?: string[];
  /** Only lines with these pricing group values. */
  pricing_group_values?: Record<string, string>;
  /** Kept and answered back; Tally does not narrow the override by them yet. */
  presentation_group_values?: Record<string, string>;
  /** Commit-specific: the override prices only the usage these commits or credits pay for. */
  commit_ids?: string[];
}

/** Spend threshold billing: each time a contract's outstanding usage spend in a usage period (what its usage invoice would bill for usage, after commits and credits) reaches `threshold_amount`, that spend is invoiced at once on a THRESHOLD invoice, and the period's usage invoice shows it as paid, so outstanding spend returns to zero and nothing is billed twice. */
export interface SpendThreshold {
  /** What the charges are sold as: its product and line name; no applicable products or tags. */
  commit: ThresholdCommit;
  /** false: kept, but nothing is billed early; true when absent. */
  is_enabled?: boolean;
  /** The outstanding usage spend in a period that triggers a charge, in the contract's currency (USD: cents); above 0. */
  threshold_amount: Decimal;
  /** Only `NONE` is accepted: Tally has no payment to wait for. */
  payment_gate_config?: PaymentGateConfig | null;
  /** The share of each charge the customer pays; absent: all of it. */
  discount_configuration?: DiscountConfiguration | null;
}

export type StatementDay = "FIRST_OF_MONTH" | "CONTRACT_START" | "CUSTOM_DATE";

/** One step: a sentence for a reader, and the ids and figures it names, for a program. */
export interface Step {
  /** Which step this is. */
  kind: StepKind;
  /** The step in a sentence for a reader. */
  text: string;
  /** The rate card the list price comes from (a `list_price` step). */
  rate_card_id?: string | null;
  /** The override the step names (an `override` step). */
  override_id?: string | null;
  /** The commit or credit that paid (a `drawdown` step). */
  commit_id?: string | null;
  /** A split's instant. */
  at?: Timestamp | null;
  /** What the balance had left before this line (a `drawdown` step). */
  balance_before?: string | null;
  /** What the balance has left after this line: an applied line's "balance left". */
  balance_after?: string | null;
}

/** Which step of working out a line this is. */
export type StepKind = "quantity" | "list_price" | "override" | "tier" | "split" | "drawdown" | "rounding" | "source";

/** A SUBSCRIPTION product (seats) on a contract, billed price × quantity each period (`subscriptions[]`, `add_subscriptions`). */
export interface Subscription {
  /** Given by Tally when the body has none. */
  id?: string;
  /** The product and the billing frequency whose rate prices it. */
  subscription_rate: SubscriptionRate;
  /** ADVANCE bills a period at its start; ARREARS at its end. */
  collection_schedule: AnyCase<CollectionSchedule>;
  /** The count from its start: a whole number, at least 0; required. */
  initial_quantity?: Decimal | null;
  /** How partial periods and increases are billed; absent: each part's default. */
  proration?: SubscriptionProration;
  /** When it starts (inclusive), not before the contract; absent: the contract's start. */
  starting_at?: Timestamp | null;
  /** When it ends (exclusive); absent or later than the contract's end: the contract's end. */
  ending_before?: Timestamp | null;
  /** QUANTITY_ONLY (the default): the count is given directly. SEAT_BASED (named seats) is refused. */
  quantity_management_mode?: AnyCase<QuantityMode> | null;
  /** The name of its invoice lines; absent: the product's name. */
  name?: string | null;
  /** An internal note, kept and answered back. */
  description?: string | null;
  /** Your key-value metadata, kept and answered back. */
  custom_fields?: Record<string, string>;
  /** Its own period grid and invoice placement; absent: the contract's grid, on usage invoices. */
  billing_cycle_config?: BillingCycleConfig | null;
  /** How recurring commits and credits of the same body name this subscription before it has an id. */
  temporary_id?: string | null;
  /** Named seats (SEAT_BASED), refused: kept only to say so at its path. */
  seat_config?: unknown;
  /** The quantity over time: the initial quantity from the start, then each scheduled change, in time order (`update_subscriptions`). Filled by Tally; shown by the contract list. */
  quantity_schedule?: QuantityStep[];
  /** Every quantity update as entered, in the order entered: the schedule is worked out from them (a `quantity_delta` changes whatever count is in force just before it, however entered). */
  quantity_updates?: QuantityUpdate[];
}

/** `subscription_config`: the subscription whose seats the balance is granted for, and how. */
export interface SubscriptionConfig {
  /** The contract's subscription, by id or by the `temporary_id` it has in the same body. */
  subscription_id: string;
  /** Only POOLED (one balance for all seats) is supported; INDIVIDUAL is refused. */
  allocation: AnyCase<Allocation>;
}

/** `proration`: how partial periods and mid-period increases are billed. */
export interface SubscriptionProration {
  /** false bills a partial period or an increase in full; absent: the rate's `is_prorated`, else true. */
  is_prorated?: boolean | null;
  /** When an increase is billed: BILL_ON_NEXT_COLLECTION_DATE (default), or BILL_IMMEDIATELY (ADVANCE only) on an invoice of its own at the change. */
  invoice_behavior?: AnyCase<InvoiceBehavior> | null;
  /** How a prorated charge is rounded before the line rule; absent: only the line rule. */
  rounding?: ProrationRounding | null;
}

/** Which rate prices the subscription: the card's SUBSCRIPTION rate for this product and frequency. */
export interface SubscriptionRate {
  /** A SUBSCRIPTION product that the contract's rate card prices. */
  product_id: string;
  /** The period length; the card must sell the product at it (WEEKLY is refused). */
  billing_frequency: AnyCase<BillingFrequency>;
}

/** `update_subscriptions[]` on `POST /v2/contracts/edit`: quantity changes to one subscription. */
export interface SubscriptionUpdate {
  /** The contract's subscription to change. */
  subscription_id: string;
  /** The changes, applied all or none; a count that would fall below 0 refuses them. */
  quantity_updates?: QuantityUpdate[];
}

/** The commit each recharge grants: what it is sold as and what it pays for. */
export interface ThresholdCommit {
  /** The product it is sold as (not a USAGE product); names the line when `name` is absent. */
  product_id: string;
  /** The name of its invoice line; absent: the product's name. */
  name?: string | null;
  /** An internal note, kept and answered back. */
  description?: string | null;
  /** The products whose usage a recharge may pay for; with no ids and no tags, every product. Refused on a spend threshold. */
  applicable_product_ids?: string[];
  /** Products carrying one of these tags may draw on it too. Refused on a spend threshold. */
  applicable_product_tags?: string[];
  /** Draw-down order of each recharge (lower first); absent: none, so after balances with one (Metronome would take 100). */
  priority?: Decimal | null;
}

/** One band of a TIERED or TIERED_PERCENTAGE rate: the next `size` units of the period, at `price` each. */
export interface Tier {
  /** How many units the band covers; must be above 0, and absent on the last band, which covers everything above. */
  size?: Decimal | null;
  /** The band's price per unit in the rate's credit type (e.g. USD cents); for TIERED_PERCENTAGE a fraction from 0 to 1. */
  price: Decimal;
}

/** The tier band a tiered usage line's units fall in. */
export interface TierInfo {
  /** The band's position among the rate's tiers, from 1. */
  level: string;
  /** The unit of the period at which the band begins (0 for the first band). */
  starting_at: string;
  /** How many units the band holds; omitted for the last band, which is unbounded. */
  size?: string | null;
}

/** How a contract follows an earlier one of the customer: a RENEWAL starts where it ended, a SUPERSEDE ends it at the new start. Either way the earlier contract's prepaid commits with a `rollover_fraction` carry that share of what they have left into the new contract. */
export interface Transition {
  /** The customer's earlier contract that this one renews or supersedes (each only once). */
  from_contract_id: string;
  /** RENEWAL: this contract starts where the earlier one ends; SUPERSEDE: the earlier one ends at this one's start. */
  type: AnyCase<TransitionType>;
  /** What becomes of the earlier contract's postpaid true-ups due after the transition. */
  future_invoice_behavior?: FutureInvoiceBehavior | null;
}

export type TransitionType = "SUPERSEDE" | "RENEWAL";

export type TrueupBehavior = "REMOVE" | "AS_IS";

/** A stored event that bills nothing, and why. */
export interface Unbilled {
  /** Unique per event: an event whose id is stored already is a duplicate and counts once. */
  transaction_id: string;
  /** The customer's Tally id or one of its ingest aliases; which customer that is is decided when rating. */
  customer_id: string;
  /** What happened (`api_call`, `tokens`); metrics select events by it. */
  event_type: string;
  /** When it happened (RFC 3339, stored in UTC). */
  timestamp: Timestamp;
  /** What metrics filter on, group by and aggregate; absent: none. */
  properties: Record<string, unknown>;
  /** Why it bills nothing. */
  reason: Reason;
  /** The reason in a sentence, naming what would make the event bill. */
  message: string;
}

/** An amount as `unit_price` × `quantity`: a recurring commit's access or invoice amount per period. */
export interface UnitAmount {
  /** Price per unit, in the credit type's unit (USD cents by default). */
  unit_price: Decimal;
  /** Units; 1 when absent. */
  quantity?: Decimal | null;
  /** USD cents when absent; an invoice amount must be in a fiat currency. */
  credit_type_id?: string | null;
}

/** `POST /v1/contracts/updateEndDate` */
export interface UpdateEndDate {
  /** The customer whose contract it is. */
  customer_id: string;
  /** The contract whose end moves. */
  contract_id: string;
  /** The new end (exclusive), after the contract's start; terms past it are cut. Absent: open-ended. */
  ending_before?: Timestamp | null;
}

/** `POST /v1/customers/{id}/updateName` */
export interface UpdateName {
  /** The customer's new name; must not be blank. */
  name: string;
}

/** Only events whose `group_key` property is one of `group_values` count on the contract, from `starting_at` (absent: from the contract's start) until the next filter takes over. */
export interface UsageFilter {
  /** The event property that decides which events count. */
  group_key: string;
  /** The values of `group_key` whose events count on the contract; at least one. */
  group_values: string[];
  /** When the filter takes effect (inclusive); absent: the contract's start. */
  starting_at?: Timestamp | null;
}

/** `usage_statement_schedule`: when a contract's usage invoices close. */
export interface UsageStatementSchedule {
  /** The length of a usage period. */
  frequency: AnyCase<Frequency>;
  /** Where periods turn: FIRST_OF_MONTH (default), CONTRACT_START, or CUSTOM_DATE (on `billing_anchor_date`'s grid). */
  day?: AnyCase<StatementDay> | null;
  /** For CUSTOM_DATE (required then, unread otherwise): an instant periods are counted from; a contract starting between two of its dates gets a short first period. */
  billing_anchor_date?: Timestamp | null;
}
