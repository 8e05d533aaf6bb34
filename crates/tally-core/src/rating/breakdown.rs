//! A usage line's metered quantity window by window (each day of its span, or each hour of a day): the
//! rows rating reads, routed to the contract and aggregated by the metric exactly as rating does, only
//! bucketed by window. Metronome offers this only through an API with range limits.

use super::aggregate::Agg;
use super::lines::Plan;
use super::{Feed, Router};
use crate::product::ProductType;
use crate::state::State;
use crate::time::Timestamp;
use crate::usage::rows::customer_rows;
use crate::usage::store::nanos;
use indexmap::IndexMap;
use rust_decimal::Decimal;
use serde::Serialize;

/// Which line, and the span and width of the windows.
#[derive(Debug, Clone)]
pub struct LineWindows<'a> {
    /// The customer whose line it is.
    pub customer_id: &'a str,
    /// The contract the line is on.
    pub contract_id: &'a str,
    /// The usage product the line bills.
    pub product_id: &'a str,
    /// The pricing group values that cut the line (empty when the product has none).
    pub pricing_group_values: &'a IndexMap<String, String>,
    /// The presentation group values that cut the line.
    pub presentation_group_values: &'a IndexMap<String, String>,
    /// The start of the line's service period.
    pub starting_at: Timestamp,
    /// The end of the line's service period (exclusive).
    pub ending_before: Timestamp,
    /// Window width in hours: 24 for days, 1 for hours.
    pub hours: i64,
}

/// One window and what the line's metric metered in it (before conversion and rounding). For SUM and
/// COUNT the windows add up to the line's metered figure; MAX, UNIQUE and LATEST are per window.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Window {
    /// Where the window starts.
    pub starting_at: Timestamp,
    /// Where the window ends (exclusive).
    pub ending_before: Timestamp,
    /// The line's quantity metered in the window, before any quantity conversion or rounding.
    #[serde(serialize_with = "crate::money::as_number")]
    pub metered: Decimal,
}

/// Most windows one answer holds: a year of days.
pub const MAX_WINDOWS: i64 = 366;

/// The line's windows from `starting_at`, each `hours` wide, the last cut at `ending_before`. Empty when
/// the line, its contract or its product is unknown, or the span holds more than `MAX_WINDOWS`.
pub fn line_windows(state: &State, q: &LineWindows) -> Vec<Window> {
    let step = q.hours.max(1) * 3600;
    let span = q.ending_before.0.timestamp() - q.starting_at.0.timestamp();
    if span <= 0 || span / step >= MAX_WINDOWS {
        return Vec::new();
    }
    let Some(feed) = state
        .products
        .get(q.product_id)
        .filter(|p| p.kind == ProductType::Usage)
        .and_then(|p| {
            Some(Feed {
                product: p,
                metric: state.billable_metrics.get(p.billable_metric_id.as_ref()?)?,
            })
        })
    else {
        return Vec::new();
    };
    let contracts: Vec<_> = state
        .contracts
        .values()
        .filter(|c| c.customer_id == q.customer_id)
        .collect();
    let Some(own) = contracts.iter().position(|c| c.id == q.contract_id) else {
        return Vec::new();
    };
    // Rows never straddle an instant where routing may change (the contracts' own cuts) nor a window.
    let mut edges = vec![q.starting_at];
    while let Some(&last) = edges.last() {
        let next = Timestamp(last.0 + chrono::TimeDelta::seconds(step)).min(q.ending_before);
        edges.push(next);
        if next >= q.ending_before {
            break;
        }
    }
    let mut cuts: Vec<i64> = edges.iter().copied().map(nanos).collect();
    for c in &contracts {
        let plan = Plan::new(state, c, &[], q.ending_before, &[]);
        cuts.extend(plan.cuts().into_iter().map(nanos));
    }
    cuts.sort_unstable();
    cuts.dedup();
    let layout = state.usage_layout();
    let hourly = state.events.hourly(&layout);
    let rows = customer_rows(
        &state.events,
        Some(&*hourly),
        &state.customer_keys(q.customer_id),
        None,
        &cuts,
    );
    let wanted = |keys: &[String], want: &IndexMap<String, String>, r: &crate::usage::rows::UsageRow| {
        keys.iter()
            .filter_map(|k| crate::metric::Props::text(r, k).map(|v| (k, v)))
            .eq(want.iter().map(|(k, v)| (k, v.as_str())))
    };
    let mut aggs: Vec<Agg> = vec![Agg::Empty; edges.len() - 1];
    // The row goes where rating sends it: routing weighs every product the row feeds.
    let all = super::feeds(state);
    let mut router = Router::new(state, contracts.clone());
    for r in &rows {
        if r.at < q.starting_at || r.at >= q.ending_before || !feed.metric.matches_event_type(r.event_type) {
            continue;
        }
        let fed: Vec<&crate::product::Product> = all
            .iter()
            .filter(|f| f.metric.matches_event_type(r.event_type) && f.metric.matches_properties(r))
            .map(|f| f.product)
            .collect();
        if router.route(r.at, r, &fed) != Some(own)
            || !feed.metric.matches_properties(r)
            || !wanted(&feed.product.pricing_group_key, q.pricing_group_values, r)
            || !wanted(&feed.product.presentation_group_key, q.presentation_group_values, r)
        {
            continue;
        }
        let i = edges.partition_point(|e| *e <= r.at) - 1;
        aggs[i].merge(Agg::of(
            r,
            feed.metric.aggregation_type,
            feed.metric.aggregation_key.as_deref(),
        ));
    }
    edges
        .windows(2)
        .zip(aggs)
        .map(|(w, a)| Window {
            starting_at: w[0],
            ending_before: w[1],
            metered: a.value(),
        })
        .collect()
}
