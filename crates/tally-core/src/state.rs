//! Everything Tally knows: the catalog, customers, contracts and usage, as plain serializable data.
//! Calls change it (`api`), rating reads it (`rating`); nothing else holds state.

use crate::contract::Contract;
use crate::credit_type::CreditType;
use crate::customer::Customer;
use crate::customer_balance::{CustomerCommit, CustomerCredit};
use crate::metric::BillableMetric;
use crate::product::Product;
use crate::rate_card::RateCard;
use crate::usage::Usage;
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

/// Everything Tally knows; `export` writes it whole, tagged with its format version.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct State {
    /// Billable metrics by id: what usage events count toward.
    #[serde(default)]
    pub billable_metrics: IndexMap<String, BillableMetric>,
    /// Products by id: what rate cards price and invoices itemize.
    #[serde(default)]
    pub products: IndexMap<String, Product>,
    /// Rate cards by id: the prices contracts start from.
    #[serde(default)]
    pub rate_cards: IndexMap<String, RateCard>,
    /// Customers by id.
    #[serde(default)]
    pub customers: IndexMap<String, Customer>,
    /// Contracts by id, each belonging to one customer.
    #[serde(default)]
    pub contracts: IndexMap<String, Contract>,
    /// Commits and credits held by a customer rather than one contract.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub customer_commits: IndexMap<String, CustomerCommit>,
    /// Credits held by a customer rather than one contract, by id.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub customer_credits: IndexMap<String, CustomerCredit>,
    /// Custom pricing units (USD and the fiat currencies are built in: `all_credit_types`).
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub credit_types: IndexMap<String, CreditType>,
    /// Every ingested event (written as a list of events; held compactly, see `usage::store`).
    #[serde(default)]
    pub events: Usage,
    /// Counter behind the ids Tally makes, so the same calls always give the same ids.
    #[serde(default)]
    pub next_id: u64,
}

impl State {
    /// A fresh id in UUID form, deterministic: the n-th id Tally has made, skipping any id (or ingest
    /// alias) already in use, so a made id never lands on a record given that id earlier.
    pub fn make_id(&mut self) -> String {
        loop {
            self.next_id += 1;
            let id = format!("00000000-0000-4000-8000-{:012x}", self.next_id);
            if !self.id_in_use(&id) {
                return id;
            }
        }
    }

    /// Whether any record, term or customer key already answers to `id`.
    pub fn id_in_use(&self, id: &str) -> bool {
        self.billable_metrics.contains_key(id)
            || self.products.contains_key(id)
            || self.rate_cards.contains_key(id)
            || self.customer_for_key(id).is_some()
            || self.contracts.contains_key(id)
            || self.customer_commits.contains_key(id)
            || self.customer_credits.contains_key(id)
            || self.credit_types.contains_key(id)
            || self.contracts.values().any(|c| {
                c.commits.iter().any(|x| x.id == id)
                    || c.credits.iter().any(|x| x.id == id)
                    || c.recurring_commits
                        .iter()
                        .chain(&c.recurring_credits)
                        .any(|x| x.id == id)
                    || c.scheduled_charges.iter().any(|x| x.id == id)
                    || c.overrides.iter().any(|o| o.id() == Some(id))
            })
    }

    /// A copy without the events: the catalog, customers and contracts.
    pub fn model(&self) -> State {
        State {
            events: Default::default(),
            ..self.clone()
        }
    }

    /// Takes `id` if the body gave one, else makes one.
    pub fn take_id(&mut self, given: &str) -> String {
        if given.is_empty() {
            self.make_id()
        } else {
            given.to_string()
        }
    }

    /// The currency a contract's usage is invoiced in: its rate card's (USD cents without one).
    pub fn fiat_of(&self, c: &Contract) -> &str {
        c.rate_card_id
            .as_ref()
            .and_then(|id| self.rate_cards.get(id))
            .map_or(crate::credit_type::USD_CENTS_ID, |rc| rc.fiat())
    }

    /// The customer an event key (Tally id or ingest alias) belongs to now.
    pub fn customer_for_key(&self, key: &str) -> Option<&Customer> {
        self.customers.get(key).or_else(|| {
            self.customers
                .values()
                .find(|c| c.ingest_aliases.iter().any(|a| a == key))
        })
    }

    /// Every key a customer's events may carry: its id, then its ingest aliases, each once.
    pub fn customer_keys(&self, customer_id: &str) -> Vec<&str> {
        let mut keys: Vec<&str> = Vec::new();
        if let Some(c) = self.customers.get(customer_id) {
            for k in std::iter::once(&c.id).chain(&c.ingest_aliases) {
                if !keys.contains(&k.as_str()) {
                    keys.push(k);
                }
            }
        }
        keys
    }
}

/// The versioned export form of a state.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Serialize, Deserialize)]
struct Export {
    tally_state_version: u32,
    state: State,
}

/// The state as JSON text, tagged with its format version so a later Tally can read it.
pub fn export(state: &State) -> String {
    serde_json::to_string(&Export {
        tally_state_version: crate::STATE_FORMAT_VERSION,
        state: state.clone(),
    })
    .unwrap_or_default()
}

/// The state without its events, in the export format: the model (catalog, customers, contracts),
/// small enough for localStorage however much usage there is. The app keeps events in IndexedDB.
pub fn export_model(state: &State) -> String {
    export(&state.model())
}

/// References in a state that point at nothing (a state edited by hand, or merged from two saves):
/// each said as a sentence naming both ends. Calls never make one; an import may carry one, and it
/// loads (nothing is dropped) with these said.
pub fn dangling(state: &State) -> Vec<String> {
    let mut out = Vec::new();
    for p in state.products.values() {
        if let Some(m) = p
            .billable_metric_id
            .as_ref()
            .filter(|m| !state.billable_metrics.contains_key(*m))
        {
            out.push(format!(
                "product “{}” is fed by billable metric “{m}”, which does not exist",
                p.name
            ));
        }
    }
    for rc in state.rate_cards.values() {
        for r in rc.rates.iter().filter(|r| !state.products.contains_key(&r.product_id)) {
            out.push(format!(
                "rate card “{}” prices product “{}”, which does not exist",
                rc.name, r.product_id
            ));
        }
    }
    for c in state.contracts.values() {
        let name = c.name.clone().unwrap_or_else(|| c.id.clone());
        if !state.customers.contains_key(&c.customer_id) {
            out.push(format!(
                "contract “{name}” belongs to customer “{}”, which does not exist",
                c.customer_id
            ));
        }
        if let Some(rc) = c.rate_card_id.as_ref().filter(|rc| !state.rate_cards.contains_key(*rc)) {
            out.push(format!("contract “{name}” uses rate card “{rc}”, which does not exist"));
        }
        for (path, id) in c.named_products() {
            if !state.products.contains_key(&id) {
                out.push(format!(
                    "contract “{name}” names product “{id}” ({path}), which does not exist"
                ));
            }
        }
    }
    out
}

/// Reads an export; refuses text that is not one, or one from a newer Tally.
pub fn import(text: &str) -> crate::Result<State> {
    let de = &mut serde_json::Deserializer::from_str(text);
    let e: Export = crate::error::tracked(de)?;
    if e.tally_state_version > crate::STATE_FORMAT_VERSION {
        return Err(crate::Error::invalid(
            "tally_state_version",
            format!(
                "this export is format {}, newer than this Tally reads ({})",
                e.tally_state_version,
                crate::STATE_FORMAT_VERSION
            ),
        ));
    }
    Ok(e.state)
}

/// Credit types by id: the built-in ones and the state's custom pricing units.
impl State {
    /// Every credit type the state knows: USD (cents), the fiat currencies, then its custom units.
    pub fn all_credit_types(&self) -> Vec<CreditType> {
        let mut out = crate::credit_type::built_in();
        out.extend(self.credit_types.values().cloned());
        out
    }

    /// The credit type `id` names, or an error at `path`.
    pub fn credit_type(&self, id: &str, path: &str) -> crate::error::Result<CreditType> {
        self.all_credit_types().into_iter().find(|c| c.id == id).ok_or_else(|| {
            crate::error::Error::invalid(
                path,
                format!("no credit type with id `{id}`: see GET /v1/credit-types/list"),
            )
        })
    }

    /// The credit type `id` names, for display: unknown ids (never stored: bodies are checked) show as is.
    pub fn credit_type_named(&self, id: &str) -> CreditType {
        self.credit_type(id, "").unwrap_or_else(|_| CreditType {
            id: id.to_string(),
            name: id.to_string(),
            is_currency: false,
        })
    }

    /// Refuses a body that names a credit type the state does not know.
    pub fn check_credit_types(&self, body: &serde_json::Value) -> crate::error::Result<()> {
        for (path, id) in crate::credit_type::named_in(body) {
            self.credit_type(&id, &path)?;
        }
        Ok(())
    }
}

/// What the hourly aggregates must keep of each event for this state to rate it.
impl State {
    /// Every property the state's metrics, usage products and usage filters read.
    pub fn usage_layout(&self) -> crate::usage::Layout {
        let mut dims = Vec::new();
        let mut measures = Vec::new();
        let mut distinct = Vec::new();
        for m in self.billable_metrics.values() {
            dims.extend(m.property_filters.iter().map(|f| f.name.clone()));
            if let Some(k) = &m.aggregation_key {
                measures.push(k.clone());
                if m.aggregation_type == crate::metric::Aggregation::Unique {
                    distinct.push(k.clone());
                }
            }
        }
        for p in self
            .products
            .values()
            .filter(|p| p.kind == crate::product::ProductType::Usage)
        {
            dims.extend(p.pricing_group_key.iter().cloned());
            dims.extend(p.presentation_group_key.iter().cloned());
        }
        for c in self.contracts.values() {
            dims.extend(c.usage_filter_history.iter().map(|f| f.group_key.clone()));
            dims.extend(c.usage_filter.iter().map(|f| f.group_key.clone()));
        }
        crate::usage::Layout::new(dims, measures, distinct)
    }
}
