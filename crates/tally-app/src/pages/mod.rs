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
    use super::{catalog::Catalog, contracts::Contracts, customers::Customers, invoices::Invoices, usage::Usage};
    use leptos::prelude::*;
    use leptos_router::{lazy_route, LazyRoute};

    /// `$route`, a lazy route showing the component `$page` (and, the first time, fetching the rest).
    macro_rules! lazy_page {
        ($route:ident, $page:ident) => {
            pub struct $route;

            #[lazy_route]
            impl LazyRoute for $route {
                fn data() -> Self {
                    $route
                }

                fn view(_this: Self) -> AnyView {
                    crate::app::fetch_the_rest();
                    view! { <$page /> }.into_any()
                }
            }
        };
    }

    lazy_page!(CustomersPage, Customers);
    lazy_page!(CatalogPage, Catalog);
    lazy_page!(ContractsPage, Contracts);
    lazy_page!(UsagePage, Usage);
    lazy_page!(InvoicesPage, Invoices);
}
