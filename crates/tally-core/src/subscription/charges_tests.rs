//! The charges of a subscription worked by hand: a late start prorated (or not), and increases within a
//! period billed only over the peak already billed.

use super::*;
use crate::subscription::{QuantityUpdate, Subscription};

fn sub(schedule: &str, prorated: Option<bool>, steps: &[(Timestamp, i64)]) -> Subscription {
    let mut s: Subscription = serde_json::from_value(serde_json::json!({
        "subscription_rate": {"product_id": "seats", "billing_frequency": "MONTHLY"},
        "collection_schedule": schedule, "initial_quantity": steps[0].1,
        "starting_at": steps[0].0.to_string(), "proration": {"is_prorated": prorated}
    }))
    .unwrap();
    s.validate("", Timestamp::ymd(2025, 1, 1)).unwrap();
    let updates: Vec<QuantityUpdate> = steps[1..]
        .iter()
        .map(|(t, q)| QuantityUpdate {
            starting_at: *t,
            quantity: Some(Decimal::from(*q)),
            quantity_delta: None,
        })
        .collect();
    s.update(&updates, "", Timestamp::ymd(2025, 1, 1), None).unwrap();
    s
}

fn short(c: &[Charge]) -> Vec<(String, String, String)> {
    c.iter()
        .map(|c| {
            (
                c.date.to_string()[..10].to_string(),
                c.quantity.to_string(),
                c.fraction.round_dp(4).to_string(),
            )
        })
        .collect()
}

#[test]
fn a_late_start_is_prorated_unless_proration_is_off() {
    let jan16 = Timestamp::ymd(2025, 1, 16);
    let end = (Timestamp::ymd(2025, 1, 1), Some(Timestamp::ymd(2025, 3, 1)));
    let on = charges(
        &sub("ADVANCE", None, &[(jan16, 3)]),
        Timestamp::ymd(2025, 1, 1),
        end,
        end.1.unwrap(),
        None,
    )
    .unwrap();
    // 16 of January's 31 days: 0.5161…
    assert_eq!(
        short(&on),
        vec![
            ("2025-01-16".into(), "3".into(), "0.5161".into()),
            ("2025-02-01".into(), "3".into(), "1".into())
        ]
    );
    let off = charges(
        &sub("ADVANCE", Some(false), &[(jan16, 3)]),
        Timestamp::ymd(2025, 1, 1),
        end,
        end.1.unwrap(),
        Some(true),
    )
    .unwrap();
    assert_eq!(
        off[0].fraction,
        Decimal::ONE,
        "the subscription's is_prorated wins over the rate's"
    );
}

#[test]
fn within_a_period_only_what_exceeds_the_peak_already_billed_is_charged() {
    let t = |d: u32| Timestamp::ymd(2025, 1, d);
    // 10 from Jan 1, 20 on the 6th, 5 on the 11th, 25 on the 21st: the 21st bills 5 more, not 20.
    let s = sub("ARREARS", None, &[(t(1), 10), (t(6), 20), (t(11), 5), (t(21), 25)]);
    let end = (t(1), Some(Timestamp::ymd(2025, 2, 1)));
    let c = charges(&s, t(1), end, end.1.unwrap(), None).unwrap();
    assert_eq!(
        short(&c),
        vec![
            ("2025-02-01".into(), "10".into(), "1".into()),
            ("2025-02-01".into(), "10".into(), "0.8387".into()),
            ("2025-02-01".into(), "5".into(), "0.3548".into())
        ]
    );
}
