//! The top bar: the pages, with the current one marked (`aria-current="page"`).

use crate::components::data_menu::DataMenu;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn Nav() -> impl IntoView {
    view! {
        <header class="topbar">
            <h1>"Tally"</h1>
            <nav aria-label="Pages">
                <A href="/customers">"Customers"</A>
                <A href="/catalog">"Catalog"</A>
                <A href="/contracts">"Contracts"</A>
                <A href="/usage">"Usage"</A>
                <A href="/invoices">"Invoices"</A>
            </nav>
            <DataMenu />
        </header>
    }
}
