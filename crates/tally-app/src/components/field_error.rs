//! The core's refusal shown beside the field its `path` names.

use leptos::prelude::*;
use tally_core::Error;

/// Whether `path` is `field` or inside it (`commits[0]` holds `commits[0].amount`).
pub fn within(path: &str, field: &str) -> bool {
    path == field
        || (path.starts_with(field) && matches!(path.as_bytes().get(field.len()), Some(b'.') | Some(b'[')))
        || (field.is_empty() && path.is_empty())
}

/// Shows the error when its path falls under one of `paths`.
#[component]
pub fn FieldError(#[prop(into)] error: Signal<Option<Error>>, paths: &'static [&'static str]) -> impl IntoView {
    move || {
        error
            .get()
            .filter(|e| paths.iter().any(|p| within(&e.path, p)))
            .map(|e| {
                let text = if paths.contains(&e.path.as_str()) {
                    e.message.clone()
                } else {
                    e.to_string()
                };
                view! { <p class="field-error" aria-live="polite">{text}</p> }
            })
    }
}

/// Shows the error when no field of the form claims it (`all` lists every field's paths).
#[component]
pub fn FormError(#[prop(into)] error: Signal<Option<Error>>, all: &'static [&'static str]) -> impl IntoView {
    move || {
        error
            .get()
            .filter(|e| !all.iter().any(|p| within(&e.path, p)))
            .map(|e| view! { <p class="field-error" aria-live="polite">{e.to_string()}</p> })
    }
}

/// For rows built at run time (`commits[2]`): errors under one of `paths` but not under `exclude`
/// (those show beside their own field).
#[component]
pub fn RowError(
    #[prop(into)] error: Signal<Option<Error>>,
    paths: Vec<String>,
    #[prop(optional)] exclude: Vec<String>,
) -> impl IntoView {
    move || {
        error
            .get()
            .filter(|e| paths.iter().any(|p| within(&e.path, p)) && !exclude.iter().any(|p| within(&e.path, p)))
            .map(|e| view! { <p class="field-error" aria-live="polite">{e.to_string()}</p> })
    }
}
