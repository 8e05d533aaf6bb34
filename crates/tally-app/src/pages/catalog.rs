//! Catalog: billable metrics, products with tags, rate cards with their rates and windows.

use crate::components::field_error::{FieldError, FormError};
use crate::components::money::{day, hint, money_in, price_in, unit};
use crate::components::pickers::{metrics, products, rate_cards, Picker};
use crate::forms::catalog::{fields::*, ADD_RATE, CREATE_METRIC, CREATE_PRODUCT, CREATE_RATE_CARD};
use crate::forms::{MetricDraft, ProductDraft, RateCardDraft, RateDraft};
use crate::store::{live_error, store};
use leptos::prelude::*;
use rust_decimal::Decimal;
use tally_core::metric::Aggregation;
use tally_core::rate_card::{Rate, RateCard, RateType};

#[component]
pub fn Catalog() -> impl IntoView {
    view! {
        <div class="grid2">
            <Metrics />
            <Products />
        </div>
        <RateCards />
    }
}

#[component]
fn Metrics() -> impl IntoView {
    let s = store();
    let name = RwSignal::new(String::new());
    let event_type = RwSignal::new(String::new());
    let aggregation = RwSignal::new("SUM".to_string());
    let key = RwSignal::new(String::new());
    let groups = RwSignal::new(String::new());
    let touched = RwSignal::new(false);
    let body = move || {
        MetricDraft {
            name: name.get(),
            events: event_type.get(),
            aggregation: aggregation.get(),
            key: key.get(),
            groups: groups.get(),
        }
        .to_body()
    };
    let error = live_error(touched, move || vec![(CREATE_METRIC.to_string(), body())]);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        touched.set(true);
        if s.apply_one(CREATE_METRIC, &body()).is_ok() {
            for f in [name, event_type, key, groups] {
                f.set(String::new());
            }
            touched.set(false);
        }
    };
    // Each metric as the text its row shows: name, event types, aggregation, group keys.
    let rows = Memo::new(move |_| {
        s.metrics.with(|all| {
            all.values()
                .map(|m| {
                    let events = m.event_type_filter.as_ref().and_then(|f| f.in_values.as_ref());
                    [
                        m.name.clone(),
                        events.map(|v| v.join(", ")).unwrap_or_default(),
                        format!(
                            "{} {}",
                            m.aggregation_type.as_str(),
                            m.aggregation_key.as_deref().unwrap_or_default()
                        ),
                        serde_json::to_string(&m.group_keys).unwrap_or_default(),
                    ]
                })
                .collect::<Vec<_>>()
        })
    });
    view! {
        <section class="card">
            <h2>"Billable metrics"</h2>
            <table>
                <thead><tr><th scope="col">"Name"</th><th scope="col">"Events"</th><th scope="col">"Aggregation"</th><th scope="col">"Group keys"</th></tr></thead>
                <tbody><For each=move || rows.get() key=|m| m.clone() let:([name, events, aggregation, groups])>
                    <tr class="metric-row"><td>{name}</td><td>{events}</td><td>{aggregation}</td><td>{groups}</td></tr>
                </For></tbody>
            </table>
            <details>
                <summary>"New billable metric"</summary>
                <form class="form" on:submit=submit on:input=move |_| touched.set(true)>
                    <label for="metric-name">"Metric name"</label>
                    <input id="metric-name" bind:value=name autocomplete="off" />
                    <FieldError error paths=&[NAME] />
                    <label for="metric-events">"Event types (comma separated)"</label>
                    <input id="metric-events" bind:value=event_type autocomplete="off" />
                    <FieldError error paths=&[EVENT_TYPE_FILTER] />
                    <label for="metric-agg">"Aggregation"</label>
                    <select id="metric-agg" on:change=move |ev| aggregation.set(event_target_value(&ev))>
                        {Aggregation::ALL.iter().map(|&a| view! { <option value=a prop:selected=move || aggregation.get() == a>{a}</option> }).collect_view()}
                    </select>
                    <FieldError error paths=&[AGGREGATION_TYPE] />
                    <label for="metric-key">"Aggregation key (property)"</label>
                    <input id="metric-key" bind:value=key autocomplete="off" />
                    <FieldError error paths=&[AGGREGATION_KEY] />
                    <label for="metric-groups">"Group keys (comma separated)"</label>
                    <input id="metric-groups" bind:value=groups autocomplete="off" />
                    <FieldError error paths=&[GROUP_KEYS] />
                    <FormError error all=MetricDraft::ALL />
                    <button type="submit">"Create metric"</button>
                </form>
            </details>
        </section>
    }
}

#[component]
fn Products() -> impl IntoView {
    let s = store();
    let name = RwSignal::new(String::new());
    let kind = RwSignal::new("USAGE".to_string());
    let metric = RwSignal::new(String::new());
    let tags = RwSignal::new(String::new());
    let composite_tags = RwSignal::new(String::new());
    let touched = RwSignal::new(false);
    let body = move || {
        ProductDraft {
            name: name.get(),
            kind: kind.get(),
            metric: metric.get(),
            tags: tags.get(),
            composite_tags: composite_tags.get(),
        }
        .to_body()
    };
    let error = live_error(touched, move || vec![(CREATE_PRODUCT.to_string(), body())]);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        touched.set(true);
        if s.apply_one(CREATE_PRODUCT, &body()).is_ok() {
            for f in [name, metric, tags, composite_tags] {
                f.set(String::new());
            }
            touched.set(false);
        }
    };
    // Each product as its row shows it: name, type, tags.
    let rows = Memo::new(move |_| {
        s.products.with(|all| {
            all.values()
                .map(|p| (p.name.clone(), p.kind.as_str(), p.tags.clone()))
                .collect::<Vec<_>>()
        })
    });
    view! {
        <section class="card">
            <h2>"Products"</h2>
            <table>
                <thead><tr><th scope="col">"Name"</th><th scope="col">"Type"</th><th scope="col">"Tags"</th></tr></thead>
                <tbody><For each=move || rows.get() key=|p| p.clone() let:((name, kind, tags))>
                    <tr class="product-row"><td>{name}</td><td>{kind}</td>
                    <td>{tags.into_iter().map(|t| view! { <span class="tag">{t}</span> }).collect_view()}</td></tr>
                </For></tbody>
            </table>
            <details>
                <summary>"New product"</summary>
                <form class="form" on:submit=submit on:input=move |_| touched.set(true)>
                    <label for="product-name">"Product name"</label>
                    <input id="product-name" bind:value=name autocomplete="off" />
                    <FieldError error paths=&[NAME] />
                    <label for="product-type">"Type"</label>
                    <select id="product-type" on:change=move |ev| { kind.set(event_target_value(&ev)); touched.set(true) }>
                        {["USAGE", "FIXED", "COMPOSITE", "SUBSCRIPTION"].map(|a| view! { <option value=a prop:selected=move || kind.get() == a>{a}</option> })}
                    </select>
                    <FieldError error paths=&[TYPE] />
                    <Picker label="Billable metric (usage products)" id="product-metric" value=metric items=metrics() placeholder="— none —" />
                    <FieldError error paths=&[BILLABLE_METRIC_ID] />
                    <label for="product-tags">"Tags (comma separated)"</label>
                    <input id="product-tags" bind:value=tags autocomplete="off" />
                    <FieldError error paths=&[TAGS] />
                    <Show when=move || kind.get() == "COMPOSITE">
                        <label for="product-composite-tags">"Charges a percentage of spend on products tagged (comma separated)"</label>
                        <input id="product-composite-tags" bind:value=composite_tags autocomplete="off" />
                    </Show>
                    <FieldError error paths=&[COMPOSITE_PRODUCT_IDS, COMPOSITE_TAGS] />
                    <FormError error all=ProductDraft::ALL />
                    <button type="submit">"Create product"</button>
                </form>
            </details>
        </section>
    }
}

/// A rate card as the catalog shows it: its name, aliases and each rate as
/// [product, from, until, rate, entitled].
#[derive(Clone, PartialEq, Eq, Hash)]
struct CardView {
    /// Two cards may read the same: the id keeps their keys apart.
    id: String,
    name: String,
    aliases: String,
    rates: Vec<[String; 5]>,
}

impl CardView {
    fn new(st: &tally_core::State, card: &RateCard) -> CardView {
        let aliases = card
            .aliases
            .iter()
            .map(|a| a.name.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        let rates = card
            .rates
            .iter()
            .map(|r| {
                [
                    st.products
                        .get(&r.product_id)
                        .map_or_else(|| r.product_id.clone(), |p| p.name.clone()),
                    day(r.starting_at),
                    r.ending_before.map(day).unwrap_or_else(|| "—".into()),
                    rate_text(st, card, r),
                    (if r.entitled { "yes" } else { "no" }).to_string(),
                ]
            })
            .collect();
        CardView {
            id: card.id.clone(),
            name: card.name.clone(),
            aliases,
            rates,
        }
    }
}

/// A rate's price as the card lists it: "flat $1.00", "subscription $10.00 a seat monthly", "20 % of
/// spend, at least $5.00", "tiered [...]".
fn rate_text(st: &tally_core::State, card: &RateCard, r: &Rate) -> String {
    // A rate is in its own credit type, else the card's currency (USD cents).
    let unit = unit(st, r.credit_type_id.as_deref().or(card.fiat_credit_type_id.as_deref()));
    let price = || r.price.map_or_else(|| "—".to_string(), |p| price_in(p, unit.as_ref()));
    match r.rate_type {
        RateType::Tiered => format!("tiered {}", serde_json::to_string(&r.tiers).unwrap_or_default()),
        RateType::Percentage => {
            let pct = r.price.unwrap_or_default() * Decimal::ONE_HUNDRED;
            let min = r
                .minimum
                .map(|m| format!(", at least {}", money_in(m, unit.as_ref())))
                .unwrap_or_default();
            format!("{} % of spend{min}", pct.normalize())
        }
        RateType::Subscription => format!(
            "subscription {} a seat{}",
            price(),
            r.billing_frequency
                .map(|f| format!(" {}", f.as_str().to_lowercase()))
                .unwrap_or_default()
        ),
        t => format!("{} {}", t.as_str().to_lowercase(), price()),
    }
}

#[component]
fn RateCards() -> impl IntoView {
    let s = store();
    // Each card as the text it shows (product and unit names looked up), keyed by that text.
    let cards = Memo::new(move |_| {
        s.state
            .with(|st| st.rate_cards.values().map(|c| CardView::new(st, c)).collect::<Vec<_>>())
    });
    view! {
        <section class="card">
            <h2>"Rate cards"</h2>
            <For each=move || cards.get() key=|c| c.clone() let:c>
                <div class="rate-card">
                    <h3>{c.name} {(!c.aliases.is_empty()).then(|| view! { <span class="muted small">" alias " {c.aliases}</span> })}</h3>
                    <table>
                        <thead><tr><th scope="col">"Product"</th><th scope="col">"From"</th><th scope="col">"Until"</th><th scope="col">"Rate"</th><th scope="col">"Entitled"</th></tr></thead>
                        <tbody>{c.rates.into_iter().map(|[product, from, until, price, entitled]| view! { <tr>
                            <td>{product}</td>
                            <td>{from}</td>
                            <td>{until}</td>
                            <td>{price}</td>
                            <td>{entitled}</td>
                        </tr> }).collect_view()}</tbody>
                    </table>
                </div>
            </For>
            <div class="grid2">
                <NewRateCard />
                <AddRate />
            </div>
        </section>
    }
}

#[component]
fn NewRateCard() -> impl IntoView {
    let s = store();
    let name = RwSignal::new(String::new());
    let alias = RwSignal::new(String::new());
    let touched = RwSignal::new(false);
    let body = move || {
        RateCardDraft {
            name: name.get(),
            alias: alias.get(),
        }
        .to_body()
    };
    let error = live_error(touched, move || vec![(CREATE_RATE_CARD.to_string(), body())]);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        touched.set(true);
        if s.apply_one(CREATE_RATE_CARD, &body()).is_ok() {
            name.set(String::new());
            alias.set(String::new());
            touched.set(false);
        }
    };
    view! {
        <form class="form" on:submit=submit on:input=move |_| touched.set(true)>
            <h3>"New rate card"</h3>
            <label for="card-name">"Rate card name"</label>
            <input id="card-name" bind:value=name autocomplete="off" />
            <FieldError error paths=&[NAME] />
            <label for="card-alias">"Alias (optional)"</label>
            <input id="card-alias" bind:value=alias autocomplete="off" />
            <FieldError error paths=&[ALIASES] />
            <FormError error all=RateCardDraft::ALL />
            <button type="submit">"Create rate card"</button>
        </form>
    }
}

#[component]
fn AddRate() -> impl IntoView {
    let s = store();
    let card = RwSignal::new(String::new());
    let product = RwSignal::new(String::new());
    let from = RwSignal::new(String::new());
    let until = RwSignal::new(String::new());
    let price = RwSignal::new(String::new());
    let tiered = RwSignal::new(String::new());
    let rate_kind = RwSignal::new("FLAT".to_string());
    let frequency = RwSignal::new("MONTHLY".to_string());
    let minimum = RwSignal::new(String::new());
    let entitled = RwSignal::new(true);
    let touched = RwSignal::new(false);
    let body = move || {
        RateDraft {
            card: card.get(),
            product: product.get(),
            from: from.get(),
            until: until.get(),
            kind: rate_kind.get(),
            price: price.get(),
            tiers: tiered.get(),
            frequency: frequency.get(),
            minimum: minimum.get(),
            entitled: entitled.get(),
        }
        .to_body()
    };
    let error = live_error(touched, move || vec![(ADD_RATE.to_string(), body())]);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        touched.set(true);
        if s.apply_one(ADD_RATE, &body()).is_ok() {
            price.set(String::new());
            tiered.set(String::new());
            touched.set(false);
        }
    };
    view! {
        <form class="form" on:submit=submit on:input=move |_| touched.set(true) on:change=move |_| touched.set(true)>
            <h3>"Add a rate"</h3>
            <Picker label="Rate card" id="rate-card" value=card items=rate_cards() />
            <FieldError error paths=&[RATE_CARD_ID] />
            <Picker label="Product" id="rate-product" value=product items=products(None) />
            <FieldError error paths=&[PRODUCT_ID] />
            <label for="rate-from">"Starting at"</label>
            <input id="rate-from" type="date" bind:value=from />
            <FieldError error paths=&[STARTING_AT] />
            <label for="rate-until">"Ending before (optional)"</label>
            <input id="rate-until" type="date" bind:value=until />
            <FieldError error paths=&[ENDING_BEFORE] />
            <label for="rate-kind">"Rate type"</label>
            <select id="rate-kind" on:change=move |ev| rate_kind.set(event_target_value(&ev))>
                <option value="FLAT">"flat price per unit"</option>
                <option value="SUBSCRIPTION">"subscription (a price per seat per period)"</option>
                <option value="PERCENTAGE">"percentage of spend (COMPOSITE products)"</option>
            </select>
            <Show when=move || rate_kind.get() == "SUBSCRIPTION">
                <label for="rate-frequency">"Billing frequency"</label>
                <select id="rate-frequency" on:change=move |ev| frequency.set(event_target_value(&ev))>
                    <option value="MONTHLY">"monthly"</option>
                    <option value="QUARTERLY">"quarterly"</option>
                    <option value="ANNUAL">"annual"</option>
                </select>
            </Show>
            <label for="rate-price">{move || match rate_kind.get().as_str() {
                "PERCENTAGE" => "Percentage as a fraction (0.1 is 10 %)",
                "SUBSCRIPTION" => "Price per seat per period (cents)",
                _ => "Flat price (cents per unit)",
            }} <span class="muted">{move || if rate_kind.get() == "PERCENTAGE" { String::new() } else { hint(&price.get()) }}</span></label>
            <input id="rate-price" inputmode="decimal" bind:value=price autocomplete="off" />
            <FieldError error paths=&[PRICE] />
            <Show when=move || rate_kind.get() == "PERCENTAGE">
                <label for="rate-minimum">"Minimum per period (cents, optional)"</label>
                <input id="rate-minimum" inputmode="decimal" bind:value=minimum autocomplete="off" />
            </Show>
            <FieldError error paths=&[MINIMUM] />
            <label for="rate-tiers">"Or tiered prices (one tier per line: units, then cents per unit; the last tier: cents only)"</label>
            <textarea id="rate-tiers" rows="3" placeholder="1000 10\n5" bind:value=tiered></textarea>
            <FieldError error paths=&[TIERS] />
            <label class="check"><input type="checkbox" bind:checked=entitled />" Entitled"</label>
            <FormError error all=RateDraft::ALL />
            <button type="submit">"Add rate"</button>
        </form>
    }
}
