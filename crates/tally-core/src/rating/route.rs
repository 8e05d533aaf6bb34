//! Routing: which of a customer's contracts an event's usage belongs to.

use crate::contract::Contract;
use crate::metric::Props;
use crate::time::Timestamp;

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

/// Which of a customer's contracts (index into `contracts`) usage at `at` belongs to, if any.
pub(crate) fn claimant<'a>(
    contracts: impl Iterator<Item = &'a Contract>,
    at: Timestamp,
    e: &impl Props,
) -> Option<usize> {
    let mut best: Option<(usize, (u8, Timestamp))> = None;
    for (i, c) in contracts.enumerate() {
        if let Some(c) = claim(c, at, e) {
            if best.is_none_or(|(_, b)| c > b) {
                best = Some((i, c));
            }
        }
    }
    best.map(|(i, _)| i)
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

    fn at<'a>(contracts: impl Iterator<Item = &'a Contract>, t: &str, region: &str) -> Option<usize> {
        let e = event(t, region);
        claimant(contracts, e.timestamp, &e)
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
