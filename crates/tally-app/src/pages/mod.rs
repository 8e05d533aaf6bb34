//! One module a page; each page reads the store and changes it only through core calls.

pub mod catalog;
pub mod contract_balances;
pub mod contract_edit;
pub mod contract_end;
pub mod contract_filter;
pub mod contract_form;
pub mod contract_renewal;
pub mod contract_seats;
pub mod contracts;
pub mod customer_balances;
pub mod customers;
pub mod invoices;
pub mod usage;

/// The pages as routes loaded when first visited: each is its own .wasm chunk (with what only it
/// uses), so the first download is the shell (scripts/build-app-wasm.sh does the split).
pub mod lazy {
    use leptos::prelude::*;
    use leptos_router::{lazy_route, LazyRoute};

    pub struct CatalogPage;

    #[lazy_route]
    impl LazyRoute for CatalogPage {
        fn data() -> Self {
            CatalogPage
        }

        fn view(_this: Self) -> AnyView {
            view! { <super::catalog::Catalog /> }.into_any()
        }
    }
}
