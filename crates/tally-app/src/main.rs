//! Tally's single-page app. Components hold no billing logic: every change is a call into
//! tally-core, and everything the user sees is the core's answer.

mod app;
mod calls;
mod components;
mod csv;
mod forms;
mod pages;
mod persist;
mod storage;
mod store;
mod usage_db;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
