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
