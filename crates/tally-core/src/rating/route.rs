//! Routing: which of a customer's contracts an event's usage belongs to.

use crate::contract::Contract;
use crate::metric::property_text;
use crate::time::Timestamp;
use crate::usage::Event;

/// How strongly `contract` claims an event at its time: a matching filter beats no filter, and of two
/// matching filters the more recently set one wins. `None`: not this contract's event.
fn claim(contract: &Contract, e: &Event) -> Option<(u8, Timestamp)> {
    if !contract.window().contains(e.timestamp) {
        return None;
    }
    match contract.filter_at(e.timestamp) {
        None => Some((0, contract.starting_at)),
        Some(f) => {
            let v = e.properties.get(&f.group_key).and_then(property_text)?;
            f.group_values
                .contains(&v)
                .then(|| (1, f.starting_at.unwrap_or(contract.starting_at)))
        }
    }
}

/// Which of a customer's contracts (index into `contracts`) an event's usage belongs to, if any.
pub(crate) fn claimant<'a>(contracts: impl Iterator<Item = &'a Contract>, e: &Event) -> Option<usize> {
    let mut best: Option<(usize, (u8, Timestamp))> = None;
    for (i, c) in contracts.enumerate() {
        if let Some(c) = claim(c, e) {
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

    #[test]
    fn a_matching_filter_beats_no_filter_and_dates_bound_every_contract() {
        let plain = contract("plain", "2025-01-01T00:00:00Z", None);
        let us = contract("us", "2025-01-01T00:00:00Z", Some(("US", "2025-02-01T00:00:00Z")));
        let both = [plain, us];
        // US usage from Feb 1 is the filtered contract's; before its filter starts, both claim it
        // equally and the first listed keeps it.
        assert_eq!(claimant(both.iter(), &event("2025-02-10T00:00:00Z", "US")), Some(1));
        assert_eq!(claimant(both.iter(), &event("2025-01-10T00:00:00Z", "US")), Some(0));
        // EU usage never passes the US filter.
        assert_eq!(claimant(both.iter(), &event("2025-02-10T00:00:00Z", "EU")), Some(0));
        // Outside every contract's dates: nobody's.
        assert_eq!(claimant(both.iter(), &event("2024-12-31T23:00:00Z", "US")), None);
        assert_eq!(claimant(both[1..].iter(), &event("2025-02-10T00:00:00Z", "EU")), None);
    }

    #[test]
    fn the_filter_set_most_recently_wins() {
        let early = contract("early", "2025-01-01T00:00:00Z", Some(("US", "2025-01-01T00:00:00Z")));
        let late = contract("late", "2025-01-01T00:00:00Z", Some(("US", "2025-03-01T00:00:00Z")));
        let both = [early, late];
        assert_eq!(claimant(both.iter(), &event("2025-02-10T00:00:00Z", "US")), Some(0));
        assert_eq!(claimant(both.iter(), &event("2025-03-10T00:00:00Z", "US")), Some(1));
    }
}
