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

export interface AccessItem {
  amount: Decimal;
  starting_at: Timestamp;
  ending_before: Timestamp;
}

export interface AccessSchedule {
  schedule_items?: AccessItem[];
  credit_type_id?: string | null;
}

/** `POST /v1/contract-pricing/rate-cards/addRates` */
export interface AddRates {
  rate_card_id: string;
  rates: Rate[];
}

export type Aggregation = "COUNT" | "SUM" | "MAX" | "UNIQUE" | "LATEST";

export type Allocation = "POOLED" | "INDIVIDUAL";

export type AmountDistribution = "EACH" | "DIVIDED" | "DIVIDED_ROUNDED";

/** Who holds a customer-level commit or credit: the fields its create body adds to a commit's. */
export interface BalanceHolder {
  customer_id: string;
  /** The contracts whose usage may draw on it; none: every contract of the customer. */
  applicable_contract_ids?: string[];
  /** The contract whose invoices bill it; required for a POSTPAID commit or a PREPAID one with an invoice schedule; never on a credit. */
  invoice_contract_id?: string | null;
}

export interface BalancesByType {
  PREPAID_COMMIT: string;
  CREDIT: string;
  POSTPAID_COMMIT: string;
}

export interface BillableMetric {
  id?: string;
  name: string;
  event_type_filter?: InValues | null;
  property_filters?: PropertyFilter[];
  aggregation_type: AnyCase<Aggregation>;
  aggregation_key?: string | null;
  group_keys?: string[][];
  custom_fields?: Record<string, string>;
}

/** `billing_cycle_config`: the grid the subscription's periods run on and where its charges are billed. */
export interface BillingCycleConfig {
  anchor_date?: Timestamp | null;
  invoice_placement?: AnyCase<InvoicePlacement> | null;
}

export type BillingFrequency = "MONTHLY" | "QUARTERLY" | "ANNUAL" | "WEEKLY";

export type CollectionSchedule = "ADVANCE" | "ARREARS";

/** Commits and credits share one shape; credits have no `type` and no invoice schedule. */
export interface Commit {
  id?: string;
  type?: AnyCase<CommitType> | null;
  name?: string | null;
  product_id: string;
  access_schedule: AccessSchedule;
  invoice_schedule?: Schedule | null;
  applicable_product_ids?: string[];
  applicable_product_tags?: string[];
  priority?: Decimal | null;
  rate_type?: AnyCase<CommitRateType> | null;
  description?: string | null;
  custom_fields?: Record<string, string>;
  /** Inert metadata (the NetSuite order this term comes from), kept and answered back. */
  netsuite_sales_order_id?: string | null;
  /** The share (0 to 1) of what is left unspent at a renewal that becomes a commit on the new contract (`transition` on the new contract's create body). */
  rollover_fraction?: Decimal | null;
}

export interface CommitDuration {
  value: number;
  unit?: AnyCase<DurationUnit> | null;
}

export type CommitRateType = "COMMIT_RATE" | "LIST_RATE";

export type CommitType = "PREPAID" | "POSTPAID";

export type Consolidation = "ALL";

/** `POST /v2/contracts/edit` */
export interface ContractEdit {
  customer_id: string;
  contract_id: string;
  add_overrides?: Override[];
  add_commits?: Commit[];
  add_credits?: Commit[];
  add_scheduled_charges?: ScheduledCharge[];
  add_recurring_commits?: RecurringCommit[];
  add_recurring_credits?: RecurringCommit[];
  add_discounts?: ScheduledCharge[];
  add_professional_services?: ProfessionalService[];
  add_subscriptions?: Subscription[];
  update_subscriptions?: SubscriptionUpdate[];
}

export type ConversionOperation = "MULTIPLY" | "DIVIDE";

/** Every create answers the id of what it made. */
export interface Created {
  id: string;
}

/** The credit type an invoice (or a line in another credit type) is counted in, as Metronome shows it. */
export interface CreditType {
  id: string;
  name: string;
}

export interface CreditTypeConversion {
  custom_credit_type_id: string;
  fiat_per_custom_credit: Decimal;
}

export interface Customer {
  id?: string;
  name: string;
  ingest_aliases?: string[];
  custom_fields?: Record<string, string>;
  external_id?: string | null;
}

/** Which stored events to delete: those of a customer (by its id and ingest aliases as they are now), those in a time window, or those of a customer in a window. At least one must be given. */
export interface DeleteUsage {
  customer_id?: string | null;
  starting_at?: Timestamp | null;
  ending_before?: Timestamp | null;
}

export interface DiscountConfiguration {
  /** The share of a recharge's amount that is invoiced (0.9: the customer pays 90 % of it). */
  payment_fraction: Decimal;
}

export type DurationUnit = "PERIODS";

export type EntityKind = "CUSTOMER" | "CONTRACT";

/** What kind of refusal this is; stable strings that JS callers can switch on. */
export type ErrorCode = "invalid_body" | "invalid" | "not_found" | "conflict" | "unknown_call" | "out_of_range" | "unknown_field" | "not_supported";

export interface Event {
  transaction_id: string;
  customer_id: string;
  event_type: string;
  timestamp: Timestamp;
  properties?: Record<string, unknown>;
}

/** A line's figures worked out step by step, in the order rating works them out. */
export interface Explanation {
  steps: Step[];
}

export type Frequency = "MONTHLY" | "QUARTERLY" | "SEMI_ANNUAL" | "ANNUAL";

export interface FutureInvoiceBehavior {
  /** REMOVE drops the earlier contract's postpaid true-ups dated after the transition; AS_IS (the default) bills them. */
  trueup?: AnyCase<TrueupBehavior> | null;
}

export interface InValues {
  in_values?: string[] | null;
  not_in_values?: string[] | null;
}

export interface Ingested {
  ingested: string;
  /** Events whose `transaction_id` was already known: counted once, so skipped. */
  duplicates: string;
  /** Of the events added, how many bill nothing (yet), by reason; `GET /v1/usage/unmatched` lists them. Absent when every event is billed. */
  not_billed?: Record<string, string>;
}

export interface Invoice {
  id: string;
  customer_id: string;
  contract_id: string;
  type: InvoiceType;
  status: InvoiceStatus;
  start_timestamp?: Timestamp | null;
  end_timestamp?: Timestamp | null;
  issued_at: Timestamp;
  credit_type: CreditType;
  total: string;
  line_items: LineItem[];
  /** The contract's payment terms: the invoice is due this many days after `issued_at`. */
  net_payment_terms_days?: string | null;
}

export type InvoiceBehavior = "BILL_IMMEDIATELY" | "BILL_ON_NEXT_COLLECTION_DATE";

/** The invoice list's query as an object (the JS package's `invoices(customerId, options)`), the same keys as the query string. */
export interface InvoiceListOptions {
  starting_on?: Timestamp | null;
  ending_before?: Timestamp | null;
  /** USAGE, SCHEDULED or THRESHOLD. */
  type?: string | null;
  contract_id?: string | null;
  /** Each line carries its `explanation`: why it costs what it does. */
  explain?: boolean;
}

export type InvoicePlacement = "ON_SCHEDULED_INVOICE" | "ON_USAGE_INVOICE";

export type InvoiceStatus = "DRAFT" | "FINALIZED";

export type InvoiceType = "USAGE" | "SCHEDULED" | "THRESHOLD";

export interface LineItem {
  name: string;
  type: LineType;
  product_id: string;
  quantity: string;
  unit_price: string;
  total: string;
  starting_at: Timestamp;
  ending_before: Timestamp;
  pricing_group_values?: Record<string, string>;
  presentation_group_values?: Record<string, string>;
  tier?: TierInfo | null;
  commit_id?: string | null;
  /** Only on a line in another credit type than its invoice's (usage priced in a custom pricing unit, and what balances in that unit paid on it): not counted in the invoice total; a `conversion` line brings what is left of it into the invoice's currency. */
  credit_type?: CreditType | null;
  /** Why the line costs what it does: only when the list was asked with `explain=true`, so answers without it stay as they were. */
  explanation?: Explanation | null;
}

export type LineType = "usage" | "scheduled" | "commit_purchase" | "applied_commit_or_credit" | "postpaid_trueup" | "subscription" | "conversion" | "discount" | "composite" | "professional_service";

/** `POST /v1/contracts/customerCommits/list` and `.../customerCredits/list` */
export interface ListBalancesRequest {
  customer_id: string;
  commit_id?: string | null;
  credit_id?: string | null;
  /** Only balances with an access segment that holds this instant. */
  covering_date?: Timestamp | null;
  /** Only balances with access that ends after this instant. */
  starting_at?: Timestamp | null;
  /** Only balances with access that starts before this instant. */
  effective_before?: Timestamp | null;
  include_contract_commits?: boolean;
  include_contract_credits?: boolean;
  /** Adds each balance's amount left now (`balance`, cents) to the answer. */
  include_balance?: boolean;
}

/** `POST /v1/contracts/list` */
export interface ListContractsRequest {
  customer_id: string;
}

export interface MultiplierTier {
  size?: Decimal | null;
  multiplier: Decimal;
}

export interface NetBalance {
  at: Timestamp;
  /** What prepaid commits and credits have left at `at` (postpaid commits are promises, not balance). */
  balance: string;
  by_type: BalancesByType;
  credit_type: CreditType;
}

/** `POST /v1/contracts/customerBalances/getNetBalance`; `at` (or `effective_before`) defaults to now. */
export interface NetBalanceRequest {
  customer_id: string;
  at?: Timestamp | null;
  effective_before?: Timestamp | null;
  contract_id?: string | null;
  /** The credit type whose balances are counted (USD cents when absent). */
  credit_type_id?: string | null;
}

/** `POST /v1/contracts/create`: a contract as the customer signs it. `id` is Tally's own (Metronome makes every id): given, it names the contract, so scenario files can refer to it; absent, Tally makes one. */
export interface NewContract {
  id?: string | null;
  customer_id: string;
  name?: string | null;
  starting_at: Timestamp;
  ending_before?: Timestamp | null;
  rate_card_id?: string | null;
  rate_card_alias?: string | null;
  commits?: Commit[];
  credits?: Commit[];
  recurring_commits?: RecurringCommit[];
  recurring_credits?: RecurringCommit[];
  scheduled_charges?: ScheduledCharge[];
  usage_statement_schedule?: UsageStatementSchedule | null;
  overrides?: Override[];
  /** Negative charges on a schedule (the shape of a scheduled charge): a discount line on each date. */
  discounts?: ScheduledCharge[];
  /** Work sold up to `max_amount`, invoiced as it is done (`scheduleProServicesInvoice`). */
  professional_services?: ProfessionalService[];
  /** Seats and other SUBSCRIPTION products, billed per period. */
  subscriptions?: Subscription[];
  /** Only events whose `group_key` property is one of `group_values` count on the contract. */
  usage_filter?: UsageFilter | null;
  scheduled_charges_on_usage_invoices?: AnyCase<Consolidation> | null;
  multiplier_override_prioritization?: AnyCase<Prioritization> | null;
  custom_fields?: Record<string, string>;
  /** Inert metadata (other systems' ids and configurations), kept and answered back unchanged. */
  netsuite_sales_order_id?: string | null;
  salesforce_opportunity_id?: string | null;
  billing_provider_configuration?: unknown;
  revenue_system_configuration?: unknown;
  total_contract_value?: Decimal | null;
  /** Payment terms: each invoice of the contract is due this many days after it is issued. */
  net_payment_terms_days?: number | null;
  transition?: Transition | null;
  prepaid_balance_threshold_configuration?: PrepaidBalanceThreshold | null;
  spend_threshold_configuration?: SpendThreshold | null;
}

/** `POST /v1/credit-types/create` (Tally's own): a custom pricing unit. */
export interface NewCreditType {
  id?: string;
  name: string;
}

export interface Override {
  id?: string | null;
  starting_at: Timestamp;
  ending_before?: Timestamp | null;
  entitled?: boolean | null;
  type?: AnyCase<OverrideType> | null;
  multiplier?: Decimal | null;
  overwrite_rate?: OverwriteRate | null;
  tiers?: MultiplierTier[] | null;
  priority?: Decimal | null;
  product_id?: string | null;
  applicable_product_tags?: string[];
  override_specifiers?: Specifier[];
}

export type OverrideType = "OVERWRITE" | "MULTIPLIER" | "TIERED";

export interface OverwriteRate {
  rate_type: AnyCase<RateType>;
  price?: Decimal | null;
  tiers?: Tier[] | null;
}

export type PaymentGate = "NONE" | "STRIPE" | "EXTERNAL";

export interface PaymentGateConfig {
  payment_gate_type: AnyCase<PaymentGate>;
}

export interface PrepaidBalanceThreshold {
  commit: ThresholdCommit;
  is_enabled?: boolean;
  threshold_amount: Decimal;
  recharge_to_amount: Decimal;
  payment_gate_config?: PaymentGateConfig | null;
  discount_configuration?: DiscountConfiguration | null;
}

/** An event for `previewEvents`: the customer is the one in the path unless given. */
export interface PreviewEvent {
  transaction_id?: string | null;
  customer_id?: string | null;
  event_type: string;
  timestamp: Timestamp;
  properties?: Record<string, unknown>;
}

/** `POST /v1/customers/{id}/previewEvents`: `mode` is `replace` (default) or `merge`. */
export interface PreviewEventsRequest {
  events: PreviewEvent[];
  mode?: AnyCase<PreviewMode> | null;
}

export type PreviewMode = "REPLACE" | "MERGE";

export interface PriceTier {
  size?: string | null;
  price: string;
}

/** A price as a rate schedule shows it. */
export interface PriceView {
  rate_type: RateType;
  price?: string | null;
  tiers?: PriceTier[] | null;
}

/** A credit type as `GET /v1/credit-types/list` shows it (Metronome's SDKs call it a pricing unit). */
export interface PricingUnit {
  id: string;
  name: string;
  is_currency?: boolean;
}

export type Prioritization = "LOWEST_MULTIPLIER" | "EXPLICIT";

export interface Product {
  id?: string;
  name: string;
  type: AnyCase<ProductType>;
  billable_metric_id?: string | null;
  tags?: string[];
  pricing_group_key?: string[];
  presentation_group_key?: string[];
  quantity_conversion?: QuantityConversion | null;
  quantity_rounding?: QuantityRounding | null;
  custom_fields?: Record<string, string>;
  /** A COMPOSITE product: the products whose spend it charges a percentage of, by id or by tag. */
  composite_product_ids?: string[];
  composite_tags?: string[];
  /** A COMPOSITE product: leave out usage priced at zero (it adds no spend either way). */
  exclude_free_usage?: boolean | null;
}

export type ProductType = "USAGE" | "FIXED" | "COMPOSITE" | "SUBSCRIPTION";

export interface ProfessionalService {
  id?: string;
  product_id: string;
  unit_price: Decimal;
  quantity: Decimal;
  max_amount: Decimal;
  description?: string | null;
  custom_fields?: Record<string, string>;
  /** Inert metadata (the NetSuite order this term comes from), kept and answered back. */
  netsuite_sales_order_id?: string | null;
}

export interface PropertyFilter {
  name: string;
  exists?: boolean | null;
  in_values?: string[] | null;
  not_in_values?: string[] | null;
}

export type Proration = "NONE" | "FIRST" | "LAST" | "FIRST_AND_LAST";

/** `proration.rounding`: how a prorated charge is rounded, in the credit type's unit (cents): 0 places to the cent, -2 to the dollar. */
export interface ProrationRounding {
  decimal_places: number;
  rounding_method: AnyCase<RoundingMethod>;
}

export interface QuantityConversion {
  conversion_factor: Decimal;
  operation: AnyCase<ConversionOperation>;
  name?: string | null;
}

export type QuantityMode = "QUANTITY_ONLY" | "SEAT_BASED";

export interface QuantityRounding {
  rounding_method: AnyCase<RoundingMethod>;
  decimal_places: number;
}

/** From `starting_at` on, the subscription's quantity is `quantity`. */
export interface QuantityStep {
  starting_at: Timestamp;
  quantity: Decimal;
}

/** `update_subscriptions[].quantity_updates[]`: a new quantity, or a change to the one in force. */
export interface QuantityUpdate {
  starting_at: Timestamp;
  quantity?: Decimal | null;
  quantity_delta?: Decimal | null;
}

export interface Rate {
  rate_card_id?: string | null;
  product_id: string;
  starting_at: Timestamp;
  ending_before?: Timestamp | null;
  entitled?: boolean;
  rate_type: AnyCase<RateType>;
  price?: Decimal | null;
  tiers?: Tier[] | null;
  pricing_group_values?: Record<string, string>;
  commit_rate?: unknown;
  credit_type_id?: string | null;
  /** A SUBSCRIPTION rate: the period its price is for (a subscription names the same). */
  billing_frequency?: AnyCase<BillingFrequency> | null;
  /** A SUBSCRIPTION rate: whether a partial period is prorated (a subscription's own `proration` wins). */
  is_prorated?: boolean | null;
  /** A PERCENTAGE or TIERED_PERCENTAGE rate: the least a full period's charge is (prorated by time in a partial period), in the credit type's unit. */
  minimum?: Decimal | null;
}

export interface RateCard {
  id?: string;
  name: string;
  description?: string | null;
  aliases?: RateCardAlias[];
  rates?: Rate[];
  /** The fiat currency the card bills in (USD cents when absent). */
  fiat_credit_type_id?: string | null;
  /** What one unit of each custom pricing unit its rates use costs in the card's currency. */
  credit_type_conversions?: CreditTypeConversion[];
}

export interface RateCardAlias {
  name: string;
  starting_at?: Timestamp | null;
  ending_before?: Timestamp | null;
}

/** `POST /v1/contracts/getContractRateSchedule`; `at` defaults to now. */
export interface RateScheduleRequest {
  customer_id: string;
  contract_id: string;
  at?: Timestamp | null;
}

export interface RateScheduleRow {
  product_id: string;
  product_name: string;
  product_tags: string[];
  /** Whether the product is billed on this contract at that time. */
  entitled: boolean;
  list_rate: PriceView | null;
  /** Present when an override changes the list price. */
  override_rate?: PriceView | null;
  pricing_group_values?: Record<string, string>;
  starting_at?: Timestamp | null;
  ending_before?: Timestamp | null;
}

export type RateType = "FLAT" | "TIERED" | "PERCENTAGE" | "TIERED_PERCENTAGE" | "SUBSCRIPTION";

/** Why an event bills nothing. */
export type Reason = "no_customer" | "no_metric" | "not_a_number" | "no_contract" | "no_price";

export interface RecurringCommit {
  id?: string;
  product_id: string;
  name?: string | null;
  access_amount: UnitAmount;
  invoice_amount?: UnitAmount | null;
  commit_duration?: CommitDuration | null;
  recurrence_frequency?: AnyCase<Frequency> | null;
  proration?: AnyCase<Proration> | null;
  priority?: Decimal | null;
  rollover_fraction?: Decimal | null;
  starting_at: Timestamp;
  ending_before?: Timestamp | null;
  applicable_product_ids?: string[];
  applicable_product_tags?: string[];
  description?: string | null;
  /** A balance granted per seat of a subscription of the same contract, pooled. */
  subscription_config?: SubscriptionConfig | null;
  /** Inert metadata (the NetSuite order this term comes from), kept and answered back. */
  netsuite_sales_order_id?: string | null;
}

export interface RecurringSchedule {
  starting_at: Timestamp;
  /** None: the charge recurs for the contract's life. */
  ending_before?: Timestamp | null;
  frequency: AnyCase<Frequency>;
  amount?: Decimal | null;
  unit_price?: Decimal | null;
  quantity?: Decimal | null;
  amount_distribution?: AnyCase<AmountDistribution> | null;
}

export type RoundingMethod = "ROUND_UP" | "ROUND_DOWN" | "ROUND_HALF_UP";

/** The body of a schedule: `schedule_items` or `recurring_schedule` (both may be given; their occurrences add up). */
export interface Schedule {
  schedule_items?: ScheduleItem[];
  recurring_schedule?: RecurringSchedule | null;
  credit_type_id?: string | null;
}

/** One dated amount of a schedule: `amount`, or `unit_price` × `quantity`. */
export interface ScheduleItem {
  timestamp: Timestamp;
  amount?: Decimal | null;
  unit_price?: Decimal | null;
  quantity?: Decimal | null;
}

export interface ScheduledCharge {
  id?: string;
  product_id: string;
  name?: string | null;
  schedule: Schedule;
  description?: string | null;
  custom_fields?: Record<string, string>;
  /** Inert metadata (the NetSuite order this term comes from), kept and answered back. */
  netsuite_sales_order_id?: string | null;
}

/** `POST /v1/customFields/setValues`: `entity` is `customer` or `contract`. */
export interface SetCustomFields {
  entity: AnyCase<EntityKind>;
  entity_id: string;
  custom_fields: Record<string, string>;
}

export interface SetIngestAliases {
  ingest_aliases: string[];
}

/** `POST /v1/contracts/setUsageFilter` */
export interface SetUsageFilter {
  customer_id: string;
  contract_id: string;
  group_key: string;
  group_values: string[];
  starting_at: Timestamp;
}

export interface Specifier {
  product_id?: string | null;
  product_tags?: string[];
  pricing_group_values?: Record<string, string>;
  presentation_group_values?: Record<string, string>;
  commit_ids?: string[];
}

/** Spend threshold billing: each time a contract's outstanding usage spend in a usage period (what its usage invoice would bill for usage, after commits and credits) reaches `threshold_amount`, that spend is invoiced at once on a THRESHOLD invoice, and the period's usage invoice shows it as paid, so outstanding spend returns to zero and nothing is billed twice. */
export interface SpendThreshold {
  commit: ThresholdCommit;
  is_enabled?: boolean;
  threshold_amount: Decimal;
  payment_gate_config?: PaymentGateConfig | null;
  discount_configuration?: DiscountConfiguration | null;
}

export type StatementDay = "FIRST_OF_MONTH" | "CONTRACT_START" | "CUSTOM_DATE";

/** One step: a sentence for a reader, and the ids and figures it names, for a program. */
export interface Step {
  kind: StepKind;
  text: string;
  rate_card_id?: string | null;
  override_id?: string | null;
  commit_id?: string | null;
  /** A split's instant. */
  at?: Timestamp | null;
  balance_before?: string | null;
  /** What the balance has left after this line: an applied line's "balance left". */
  balance_after?: string | null;
}

export type StepKind = "quantity" | "list_price" | "override" | "tier" | "split" | "drawdown" | "rounding" | "source";

export interface Subscription {
  /** Given by Tally when the body has none. */
  id?: string;
  subscription_rate: SubscriptionRate;
  collection_schedule: AnyCase<CollectionSchedule>;
  initial_quantity?: Decimal | null;
  proration?: SubscriptionProration;
  starting_at?: Timestamp | null;
  ending_before?: Timestamp | null;
  quantity_management_mode?: AnyCase<QuantityMode> | null;
  name?: string | null;
  description?: string | null;
  custom_fields?: Record<string, string>;
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
  subscription_id: string;
  allocation: AnyCase<Allocation>;
}

export interface SubscriptionProration {
  is_prorated?: boolean | null;
  invoice_behavior?: AnyCase<InvoiceBehavior> | null;
  rounding?: ProrationRounding | null;
}

export interface SubscriptionRate {
  product_id: string;
  billing_frequency: AnyCase<BillingFrequency>;
}

export interface SubscriptionUpdate {
  subscription_id: string;
  quantity_updates?: QuantityUpdate[];
}

/** The commit each recharge grants: what it is sold as and what it pays for. */
export interface ThresholdCommit {
  product_id: string;
  name?: string | null;
  description?: string | null;
  applicable_product_ids?: string[];
  applicable_product_tags?: string[];
  priority?: Decimal | null;
}

export interface Tier {
  size?: Decimal | null;
  price: Decimal;
}

export interface TierInfo {
  level: string;
  starting_at: string;
  size?: string | null;
}

/** How a contract follows an earlier one of the customer: a RENEWAL starts where it ended, a SUPERSEDE ends it at the new start. Either way the earlier contract's prepaid commits with a `rollover_fraction` carry that share of what they have left into the new contract. */
export interface Transition {
  from_contract_id: string;
  type: AnyCase<TransitionType>;
  future_invoice_behavior?: FutureInvoiceBehavior | null;
}

export type TransitionType = "SUPERSEDE" | "RENEWAL";

export type TrueupBehavior = "REMOVE" | "AS_IS";

export interface Unbilled {
  transaction_id: string;
  customer_id: string;
  event_type: string;
  timestamp: Timestamp;
  properties: Record<string, unknown>;
  reason: Reason;
  message: string;
}

export interface UnitAmount {
  unit_price: Decimal;
  quantity?: Decimal | null;
  credit_type_id?: string | null;
}

/** `POST /v1/contracts/updateEndDate` */
export interface UpdateEndDate {
  customer_id: string;
  contract_id: string;
  ending_before?: Timestamp | null;
}

/** `POST /v1/customers/{id}/updateName` */
export interface UpdateName {
  name: string;
}

/** Only events whose `group_key` property is one of `group_values` count on the contract, from `starting_at` (absent: from the contract's start) until the next filter takes over. */
export interface UsageFilter {
  group_key: string;
  group_values: string[];
  starting_at?: Timestamp | null;
}

export interface UsageStatementSchedule {
  frequency: AnyCase<Frequency>;
  day?: AnyCase<StatementDay> | null;
  billing_anchor_date?: Timestamp | null;
}
