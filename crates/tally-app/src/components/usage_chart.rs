//! A usage line's metered quantity by day over its span, or by hour over one day, as a small bar chart:
//! the core's `line_windows` (the rows rating reads, routed and aggregated as rating does). No billing
//! logic here: this only draws what the core answers.

use crate::components::money::quantity_short;
use crate::store::store;
use leptos::prelude::*;
use tally_core::invoice::LineItem;
use tally_core::rating::breakdown::{line_windows, LineWindows, Window};
use tally_core::Timestamp;

/// `2025-01-20` for a day, `13:00` for an hour.
fn label(w: &Window, hourly: bool) -> String {
    let s = w.starting_at.to_string();
    if hourly {
        s.get(11..16).unwrap_or_default().to_string()
    } else {
        s.get(..10).unwrap_or_default().to_string()
    }
}

#[component]
pub fn UsageChart(customer_id: String, contract_id: String, line: LineItem) -> impl IntoView {
    let s = store();
    let (start, end) = (line.starting_at, line.ending_before);
    let LineItem {
        product_id: product,
        pricing_group_values: pricing,
        presentation_group_values: presentation,
        ..
    } = line;
    // None: the days of the line's span; Some(day): that day's hours.
    let day = RwSignal::new(None::<Timestamp>);
    let windows = move || {
        let (from, to, hours) = match day.get() {
            None => (start, end, 24),
            Some(d) => (d, Timestamp(d.0 + chrono::TimeDelta::days(1)).min(end), 1),
        };
        s.state.with(|st| {
            line_windows(
                st,
                &LineWindows {
                    customer_id: &customer_id,
                    contract_id: &contract_id,
                    product_id: &product,
                    pricing_group_values: &pricing,
                    presentation_group_values: &presentation,
                    starting_at: from,
                    ending_before: to,
                    hours,
                },
            )
        })
    };
    let windows = Memo::new(move |_| windows());
    view! {
        <figure class="usage-chart">
            {move || {
                let list = windows.get();
                let hourly = day.get().is_some();
                let max = list.iter().map(|w| w.metered).max().unwrap_or_default();
                let n = list.len().max(1);
                let caption = match day.get() {
                    None => "Metered by day".to_string(),
                    Some(d) => format!("Metered by hour on {}", &d.to_string()[..10]),
                };
                let summary = list
                    .iter()
                    .filter(|w| !w.metered.is_zero())
                    .map(|w| format!("{}: {}", label(w, hourly), quantity_short(w.metered)))
                    .collect::<Vec<_>>();
                let aria = if summary.is_empty() {
                    format!("{caption}: nothing metered")
                } else {
                    format!("{caption}: {}", summary.join(", "))
                };
                let busy: Vec<Window> = list.iter().filter(|w| !w.metered.is_zero()).cloned().collect();
                view! {
                    <figcaption class="small muted">{caption}</figcaption>
                    <svg class="bars" viewBox=format!("0 0 {} 40", n * 10) preserveAspectRatio="none" role="img" aria-label=aria>
                        {list.into_iter().enumerate().map(|(i, w)| {
                            let h = if max.is_zero() { 0.0 } else {
                                (w.metered / max).to_string().parse::<f64>().unwrap_or(0.0) * 38.0
                            };
                            let title = format!("{}: {}", label(&w, hourly), quantity_short(w.metered));
                            let at = w.starting_at;
                            view! {
                                <rect x=(i * 10 + 1).to_string() y=format!("{:.2}", 40.0 - h) width="8" height=format!("{h:.2}")
                                    class:zero=w.metered.is_zero()
                                    on:click=move |_| if !hourly { day.set(Some(at)) }>
                                    <title>{title}</title>
                                </rect>
                            }
                        }).collect_view()}
                    </svg>
                    {if hourly {
                        view! { <button type="button" class="link" on:click=move |_| day.set(None)>"Back to days"</button> }.into_any()
                    } else if busy.is_empty() {
                        ().into_any()
                    } else {
                        view! {
                            <label class="small">"Hours of "
                                <select on:change=move |ev| day.set(Timestamp::parse(&event_target_value(&ev)).ok())>
                                    <option value="">"— a day —"</option>
                                    {busy.iter().map(|w| view! { <option value=w.starting_at.to_string()>{label(w, false)}</option> }).collect_view()}
                                </select>
                            </label>
                        }.into_any()
                    }}
                }
            }}
        </figure>
    }
    .into_any()
}
