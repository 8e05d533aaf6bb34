//! Selects over what the state holds (customers, products, rate cards, metrics), labelled.

use crate::store::store;
use leptos::prelude::*;

/// A labelled select bound to `value`; `items` re-reads the state.
#[component]
pub fn Picker(
    #[prop(into)] label: String,
    #[prop(into)] id: String,
    value: RwSignal<String>,
    #[prop(into)] items: Signal<Vec<(String, String)>>,
    #[prop(default = "— choose —")] placeholder: &'static str,
) -> impl IntoView {
    view! {
        <label for=id.clone()>{label}</label>
        <select id=id on:change=move |ev| value.set(event_target_value(&ev))>
            <option value="" prop:selected=move || value.get().is_empty()>{placeholder}</option>
            // Keyed by id and name: a change elsewhere in the model leaves the options as they are.
            <For each=move || items.get() key=|item| item.clone() let:((key, name))>
                {
                    let k = key.clone();
                    view! { <option value=key prop:selected=move || value.get() == k>{name}</option> }
                }
            </For>
        </select>
    }
}

pub fn customers() -> Signal<Vec<(String, String)>> {
    let s = store();
    Signal::from(Memo::new(move |_| {
        s.customers
            .with(|all| all.values().map(|c| (c.id.clone(), c.name.clone())).collect())
    }))
}

/// Products, all or only USAGE (`Some(false)`) or only the others (`Some(true)`: FIXED and the like).
pub fn products(fixed: Option<bool>) -> Signal<Vec<(String, String)>> {
    let s = store();
    Signal::from(Memo::new(move |_| {
        s.products.with(|all| {
            all.values()
                .filter(|p| {
                    let usage = p.kind == tally_core::product::ProductType::Usage;
                    fixed.is_none_or(|f| f != usage)
                })
                .map(|p| (p.id.clone(), p.name.clone()))
                .collect()
        })
    }))
}

/// The SUBSCRIPTION products (what a contract's seats are sold as), by name.
pub fn subscription_products() -> Signal<Vec<(String, String)>> {
    let s = store();
    Signal::from(Memo::new(move |_| {
        s.products.with(|all| {
            all.values()
                .filter(|p| p.kind == tally_core::product::ProductType::Subscription)
                .map(|p| (p.id.clone(), p.name.clone()))
                .collect()
        })
    }))
}

/// The contracts of the customer `customer` names, by name (their id when unnamed).
pub fn contracts_of(customer: RwSignal<String>) -> Signal<Vec<(String, String)>> {
    let s = store();
    Signal::from(Memo::new(move |_| {
        let c = customer.get();
        s.contracts.with(|all| {
            all.values()
                .filter(|k| k.customer_id == c)
                .map(|k| (k.id.clone(), k.name.clone().unwrap_or_else(|| k.id.clone())))
                .collect()
        })
    }))
}

pub fn rate_cards() -> Signal<Vec<(String, String)>> {
    let s = store();
    Signal::from(Memo::new(move |_| {
        s.rate_cards
            .with(|all| all.values().map(|r| (r.id.clone(), r.name.clone())).collect())
    }))
}

pub fn metrics() -> Signal<Vec<(String, String)>> {
    let s = store();
    Signal::from(Memo::new(move |_| {
        s.metrics
            .with(|all| all.values().map(|m| (m.id.clone(), m.name.clone())).collect())
    }))
}

/// The chosen customer, kept in the URL (`?customer=`) so a reload keeps it; defaults to the first.
pub fn customer_from_query() -> RwSignal<String> {
    use leptos_router::hooks::{use_location, use_navigate, use_query_map};
    use leptos_router::NavigateOptions;
    let s = store();
    let query = use_query_map();
    let initial = query
        .with_untracked(|q| q.get("customer"))
        .filter(|c| !c.is_empty())
        .or_else(|| s.state.with_untracked(|st| st.customers.keys().next().cloned()))
        .unwrap_or_default();
    let chosen = RwSignal::new(initial);
    let navigate = use_navigate();
    let path = use_location().pathname;
    // Only a choice made on the page goes into the URL, replacing the page's own entry. On the first
    // run the page's entry may not be in the history yet (a link was just followed): replacing then
    // would overwrite the page before it, and Back would skip it.
    Effect::new(move |first: Option<()>| {
        let c = chosen.get();
        if first.is_none() {
            return;
        }
        let url = if c.is_empty() {
            path.get_untracked()
        } else {
            format!("{}?customer={c}", path.get_untracked())
        };
        navigate(
            &url,
            NavigateOptions {
                replace: true,
                scroll: false,
                ..Default::default()
            },
        );
    });
    chosen
}
