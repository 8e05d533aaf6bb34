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

    pub struct CustomersPage;

    #[lazy_route]
    impl LazyRoute for CustomersPage {
        fn data() -> Self {
            CustomersPage
        }

        fn view(_this: Self) -> AnyView {
            crate::app::fetch_the_rest();
            view! { <super::customers::Customers /> }.into_any()
        }
    }

    pub struct CatalogPage;

    #[lazy_route]
    impl LazyRoute for CatalogPage {
        fn data() -> Self {
            CatalogPage
        }

        fn view(_this: Self) -> AnyView {
            crate::app::fetch_the_rest();
            view! { <super::catalog::Catalog /> }.into_any()
        }
    }

    pub struct ContractsPage;

    #[lazy_route]
    impl LazyRoute for ContractsPage {
        fn data() -> Self {
            ContractsPage
        }

        fn view(_this: Self) -> AnyView {
            crate::app::fetch_the_rest();
            view! { <super::contracts::Contracts /> }.into_any()
        }
    }

    pub struct UsagePage;

    #[lazy_route]
    impl LazyRoute for UsagePage {
        fn data() -> Self {
            UsagePage
        }

        fn view(_this: Self) -> AnyView {
            crate::app::fetch_the_rest();
            view! { <super::usage::Usage /> }.into_any()
        }
    }

    pub struct InvoicesPage;

    #[lazy_route]
    impl LazyRoute for InvoicesPage {
        fn data() -> Self {
            InvoicesPage
        }

        fn view(_this: Self) -> AnyView {
            crate::app::fetch_the_rest();
            view! { <super::invoices::Invoices /> }.into_any()
        }
    }
}
