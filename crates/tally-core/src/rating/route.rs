//! Routing: which of a customer's contracts an event's usage belongs to.

use crate::contract::Contract;
use crate::metric::Props;
use crate::product::Product;
use crate::state::State;
use crate::time::Timestamp;
use indexmap::IndexMap;

/// When a contract has a price for a product's line with given pricing group values (a list rate or
/// an override, entitled), as steps: from each instant on, whether it does. Routing asks it per row,
/// so it is worked out once per contract, product and pricing group values, at the instants where a
/// rate or an override starts or ends.
pub(crate) struct PriceTimeline(Vec<(Timestamp, bool)>);

impl PriceTimeline {
    pub(crate) fn new(state: &State, contract: &Contract, product: &Product, pgv: &IndexMap<String, String>) -> Self {
        let card = contract.rate_card_id.as_ref().and_then(|id| state.rate_cards.get(id));
        let mut cuts = vec![contract.starting_at];
        for r in card
            .iter()
            .flat_map(|rc| &rc.rates)
            .filter(|r| r.product_id == product.id)
        {
            cuts.push(r.starting_at);
            cuts.extend(r.ending_before);
        }
        for o in &contract.overrides {
            cuts.push(o.window.start);
            cuts.extend(o.window.end);
        }
        cuts.sort();
        cuts.dedup();
        let steps = cuts
            .into_iter()
            .map(|t| {
                let list = card.and_then(|rc| rc.rate_at(&product.id, pgv, t));
                let at = crate::pricing::LineAt { product, pgv, at: t };
                (
                    t,
                    contract
                        .pricing()
                        .effective_rate(at, list, None)
                        .ok()
                        .flatten()
                        .is_some(),
                )
            })
            .collect();
        PriceTimeline(steps)
    }

    pub(crate) fn at(&self, t: Timestamp) -> bool {
        let i = self.0.partition_point(|(s, _)| *s <= t);
        i > 0 && self.0[i - 1].1
    }
}

type Groups = Vec<(String, String)>;

/// How strongly `contract` claims usage at `at` with properties `e`: a matching filter beats no
/// filter, and of two matching filters the more recently set one wins. `None`: not this contract's.
fn claim(contract: &Contract, at: Timestamp, e: &impl Props) -> Option<(u8, Timestamp)> {
    if !contract.window().contains(at) {
        return None;
    }
    match contract.filter_at(at) {
        None => Some((0, contract.starting_at)),
        Some(f) => {
            let v = e.text(&f.group_key)?;
            f.group_values
                .iter()
                .any(|g| g == v)
                .then(|| (1, f.starting_at.unwrap_or(contract.starting_at)))
        }
    }
}

/// Routes a customer's usage to its contracts, by claim and by price (`claimant`), keeping each
/// contract's price timeline per product once worked out.
pub(crate) struct Router<'s> {
    state: &'s State,
    pub(crate) contracts: Vec<&'s Contract>,
    timelines: Timelines,
}

impl<'s> Router<'s> {
    pub(crate) fn new(state: &'s State, contracts: Vec<&'s Contract>) -> Self {
        Router {
            state,
            contracts,
            timelines: Default::default(),
        }
    }

    /// The contract (index into `contracts`) usage at `at` with properties `e`, feeding `products`,
    /// belongs to.
    pub(crate) fn route(&mut self, at: Timestamp, e: &impl Props, products: &[&'s Product]) -> Option<usize> {
        let Router {
            state,
            contracts,
            timelines,
        } = self;
        claimant(contracts.iter().copied(), at, e, |i| {
            prices(state, (i, contracts[i]), timelines, at, e, products)
        })
    }

    /// Whether contract `i` has a price at `at` for the line of one of `products` that usage with
    /// properties `e` falls in.
    pub(crate) fn prices(&mut self, i: usize, at: Timestamp, e: &impl Props, products: &[&'s Product]) -> bool {
        prices(self.state, (i, self.contracts[i]), &mut self.timelines, at, e, products)
    }
}

/// Per contract index and product (by address: no text hashed per event), the price timeline of each
/// set of pricing group values seen (most products have none, so one entry).
type Timelines = rustc_hash::FxHashMap<(usize, *const Product), Vec<(Groups, PriceTimeline)>>;

/// Whether contract `i` has a price at `at` for one of `products`, its timelines kept in `timelines`.
/// Asked per event by the not-billed count, so it allocates only for values not seen before.
fn prices(
    state: &State,
    (i, contract): (usize, &Contract),
    timelines: &mut Timelines,
    at: Timestamp,
    e: &impl Props,
    products: &[&Product],
) -> bool {
    products.iter().any(|p| {
        let values = || p.pricing_group_key.iter().filter_map(|k| e.text(k).map(|v| (k, v)));
        let lines = timelines.entry((i, std::ptr::from_ref::<Product>(p))).or_default();
        let seen = lines.iter().position(|(g, _)| {
            g.len() == values().count() && g.iter().zip(values()).all(|(a, b)| a.0 == *b.0 && a.1 == b.1)
        });
        let k = seen.unwrap_or_else(|| {
            let pgv: Groups = values().map(|(k, v)| (k.clone(), v.to_string())).collect();
            let timeline = PriceTimeline::new(state, contract, p, &pgv.iter().cloned().collect());
            lines.push((pgv, timeline));
            lines.len() - 1
        });
        lines[k].1.at(at)
    })
}

/// Which of a customer's contracts (index into `contracts`) usage at `at` belongs to, if any: among
/// those that claim it, the strongest claim that `prices` (a contract has a price for a product the
/// usage feeds), the first listed breaking ties; when none prices it, the strongest claim (where it
/// then bills nothing, and is listed as such). `prices` is asked only when two or more claim it.
pub(crate) fn claimant<'a>(
    contracts: impl Iterator<Item = &'a Contract> + Clone,
    at: Timestamp,
    e: &impl Props,
    mut prices: impl FnMut(usize) -> bool,
) -> Option<usize> {
    // Most usage has one claimant: found without a list (the not-billed count asks per event).
    let claims = contracts
        .enumerate()
        .filter_map(|(i, c)| claim(c, at, e).map(|k| (i, k)));
    let mut best: Option<(usize, (u8, Timestamp))> = None;
    let mut several = false;
    for (i, k) in claims.clone() {
        several |= best.is_some();
        if best.is_none_or(|(_, b)| k > b) {
            best = Some((i, k));
        }
    }
    if !several {
        return best.map(|b| b.0);
    }
    let mut all: Vec<(usize, (u8, Timestamp))> = claims.collect();
    // Strongest first; the sort is stable, so the first listed wins a tie.
    all.sort_by_key(|c| std::cmp::Reverse(c.1));
    all.iter().find(|(i, _)| prices(*i)).or(all.first()).map(|c| c.0)
}

/// Two contracts of one customer that, with no usage filter, can both price a product at once: their
/// usage of it goes to the earlier contract (`claimant`), which may not be what was meant. Accepted,
/// never refused, and reported (`GET /v1/usage/ambiguities`, the app's Usage page).
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, serde::Serialize)]
pub struct Ambiguity {
    /// The customer whose usage is in question.
    pub customer_id: String,
    /// The usage product both contracts price.
    pub product_id: String,
    /// The contract that takes the usage, then the one that could have.
    pub contract_ids: [String; 2],
    /// The first instant both price the product with no filter in force.
    pub starting_at: Timestamp,
    /// The ambiguity in a sentence, for the Usage page.
    pub message: String,
}

/// Every routing ambiguity of the state, by customer, then product, then contract pair.
pub fn ambiguities(state: &State) -> Vec<Ambiguity> {
    let none = IndexMap::new();
    let usage: Vec<&Product> = state
        .products
        .values()
        .filter(|p| p.kind == crate::product::ProductType::Usage)
        .collect();
    let mut out = Vec::new();
    for customer in state.customers.keys() {
        let mine: Vec<&Contract> = state
            .contracts
            .values()
            .filter(|c| &c.customer_id == customer)
            .collect();
        for p in &usage {
            let timelines: Vec<PriceTimeline> = mine.iter().map(|c| PriceTimeline::new(state, c, p, &none)).collect();
            for a in 0..mine.len() {
                for b in a + 1..mine.len() {
                    if let Some(t) = both_unfiltered_and_priced(mine[a], mine[b], &timelines[a], &timelines[b]) {
                        out.push(Ambiguity {
                            customer_id: customer.clone(),
                            product_id: p.id.clone(),
                            contract_ids: [mine[a].id.clone(), mine[b].id.clone()],
                            starting_at: t,
                            message: format!(
                                "contracts `{}` and `{}` both price `{}` from {t} with no usage filter: its usage goes to `{}`, the earlier",
                                mine[a].id, mine[b].id, p.name, mine[a].id
                            ),
                        });
                    }
                }
            }
        }
    }
    out
}

/// The first instant both contracts are in force with no usage filter and both price the product.
fn both_unfiltered_and_priced(a: &Contract, b: &Contract, pa: &PriceTimeline, pb: &PriceTimeline) -> Option<Timestamp> {
    let mut instants: Vec<Timestamp> = [a.starting_at, b.starting_at]
        .into_iter()
        .chain(pa.0.iter().map(|s| s.0))
        .chain(pb.0.iter().map(|s| s.0))
        .collect();
    instants.extend(
        a.usage_filter_history
            .iter()
            .chain(&b.usage_filter_history)
            .filter_map(|f| f.starting_at),
    );
    instants.sort();
    instants.dedup();
    instants.into_iter().find(|&t| {
        a.window().contains(t)
            && b.window().contains(t)
            && a.filter_at(t).is_none()
            && b.filter_at(t).is_none()
            && pa.at(t)
            && pb.at(t)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::usage::Event;
    use serde_json::json;

    fn contract(id: &str, start: &str, filter: Option<(&str, &str)>) -> Contract {
        let mut body =
            json!({"id": id, "customer_id": "c", "starting_at": start, "ending_before": "2026-01-01T00:00:00Z"});
        if let Some((region, from)) = filter {
            body["usage_filter_history"] =
                json!([{"group_key": "region", "group_values": [region], "starting_at": from}]);
        }
        serde_json::from_value(body).unwrap()
    }

    fn event(at: &str, region: &str) -> Event {
        serde_json::from_value(json!({"transaction_id": "t", "customer_id": "c", "event_type": "e",
            "timestamp": at, "properties": {"region": region}}))
        .unwrap()
    }

    fn at<'a>(contracts: impl Iterator<Item = &'a Contract> + Clone, t: &str, region: &str) -> Option<usize> {
        let e = event(t, region);
        claimant(contracts, e.timestamp, &e, |_| true)
    }

    #[test]
    fn a_matching_filter_beats_no_filter_and_dates_bound_every_contract() {
        let plain = contract("plain", "2025-01-01T00:00:00Z", None);
        let us = contract("us", "2025-01-01T00:00:00Z", Some(("US", "2025-02-01T00:00:00Z")));
        let both = [plain, us];
        // US usage from Feb 1 is the filtered contract's; before its filter starts, both claim it
        // equally and the first listed keeps it.
        assert_eq!(at(both.iter(), "2025-02-10T00:00:00Z", "US"), Some(1));
        assert_eq!(at(both.iter(), "2025-01-10T00:00:00Z", "US"), Some(0));
        // EU usage never passes the US filter.
        assert_eq!(at(both.iter(), "2025-02-10T00:00:00Z", "EU"), Some(0));
        // Outside every contract's dates: nobody's.
        assert_eq!(at(both.iter(), "2024-12-31T23:00:00Z", "US"), None);
        assert_eq!(at(both[1..].iter(), "2025-02-10T00:00:00Z", "EU"), None);
    }

    #[test]
    fn the_filter_set_most_recently_wins() {
        let early = contract("early", "2025-01-01T00:00:00Z", Some(("US", "2025-01-01T00:00:00Z")));
        let late = contract("late", "2025-01-01T00:00:00Z", Some(("US", "2025-03-01T00:00:00Z")));
        let both = [early, late];
        assert_eq!(at(both.iter(), "2025-02-10T00:00:00Z", "US"), Some(0));
        assert_eq!(at(both.iter(), "2025-03-10T00:00:00Z", "US"), Some(1));
    }
}
