//! Everything Tally knows: the catalog, customers, contracts and usage, as plain serializable data.
//! Calls change it (`api`), rating reads it (`rating`); nothing else holds state.

use crate::contract::Contract;
use crate::customer::Customer;
use crate::metric::BillableMetric;
use crate::product::Product;
use crate::rate_card::RateCard;
use crate::usage::Event;
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct State {
    #[serde(default)]
    pub billable_metrics: IndexMap<String, BillableMetric>,
    #[serde(default)]
    pub products: IndexMap<String, Product>,
    #[serde(default)]
    pub rate_cards: IndexMap<String, RateCard>,
    #[serde(default)]
    pub customers: IndexMap<String, Customer>,
    #[serde(default)]
    pub contracts: IndexMap<String, Contract>,
    #[serde(default)]
    pub events: Vec<Event>,
    /// Counter behind the ids Tally makes, so the same calls always give the same ids.
    #[serde(default)]
    pub next_id: u64,
    #[serde(skip)]
    seen_transactions: HashSet<String>,
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

    /// Takes `id` if the body gave one, else makes one.
    pub fn take_id(&mut self, given: &str) -> String {
        if given.is_empty() {
            self.make_id()
        } else {
            given.to_string()
        }
    }

    pub fn is_known_transaction(&mut self, id: &str) -> bool {
        if self.seen_transactions.len() != self.events.len() {
            self.seen_transactions = self.events.iter().map(|e| e.transaction_id.clone()).collect();
        }
        self.seen_transactions.contains(id)
    }

    pub fn push_event(&mut self, e: Event) {
        self.is_known_transaction("");
        self.seen_transactions.insert(e.transaction_id.clone());
        self.events.push(e);
    }

    /// The customer an event key (Tally id or ingest alias) belongs to now.
    pub fn customer_for_key(&self, key: &str) -> Option<&Customer> {
        self.customers.get(key).or_else(|| {
            self.customers
                .values()
                .find(|c| c.ingest_aliases.iter().any(|a| a == key))
        })
    }

    pub fn customer_keys(&self, customer_id: &str) -> HashSet<&str> {
        let mut keys = HashSet::new();
        if let Some(c) = self.customers.get(customer_id) {
            keys.insert(c.id.as_str());
            keys.extend(c.ingest_aliases.iter().map(String::as_str));
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

/// Reads an export; refuses text that is not one, or one from a newer Tally.
pub fn import(text: &str) -> crate::Result<State> {
    let de = &mut serde_json::Deserializer::from_str(text);
    let e: Export = serde_path_to_error::deserialize(de)
        .map_err(|e| crate::error::at_path(e.path().to_string().trim_start_matches('.'), e.into_inner().to_string()))?;
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
