//! The core's refusal shown beside the field its `path` names.

use leptos::prelude::*;
use tally_core::Error;

/// Whether `path` is `field` or inside it (`commits[0]` holds `commits[0].amount`).
pub fn within(path: &str, field: &str) -> bool {
    path == field
        || (path.starts_with(field) && matches!(path.as_bytes().get(field.len()), Some(b'.') | Some(b'[')))
        || (field.is_empty() && path.is_empty())
}

/// A date field's name as a billing person says it, from the last segment of a core path.
fn date_field(path: &str) -> &'static str {
    let last = path.rsplit(['.', ']']).next().unwrap_or(path);
    match last {
        "starting_at" => "Start date",
        "ending_before" => "End date",
        "timestamp" => "Date",
        "at" | "covering_date" => "Date",
        _ => "This date",
    }
}

/// The core's message in words a billing person uses where it speaks of formats: an empty date is
/// required, a date that cannot be read asks for one like 2025-01-31.
pub fn in_words(e: &Error) -> String {
    if e.message.starts_with("`` is not an RFC 3339 timestamp") {
        return format!("{} is required", date_field(&e.path));
    }
    if e.message.contains("is not an RFC 3339 timestamp") {
        return format!("{} is not a date: write it like 2025-01-31", date_field(&e.path));
    }
    e.message.clone()
}

/// The message with the field it names, for errors shown away from their field.
fn with_field(e: &Error) -> String {
    let words = in_words(e);
    if words == e.message {
        e.to_string()
    } else {
        words
    }
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
                    in_words(&e)
                } else {
                    with_field(&e)
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
            .map(|e| view! { <p class="field-error" aria-live="polite">{with_field(&e)}</p> })
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
            .map(|e| view! { <p class="field-error" aria-live="polite">{with_field(&e)}</p> })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tally_core::ErrorCode;

    #[test]
    fn date_errors_read_as_a_billing_person_says_them() {
        let e = |path: &str, message: &str| Error::new(ErrorCode::InvalidBody, path, message);
        assert_eq!(
            in_words(&e(
                "starting_at",
                "`` is not an RFC 3339 timestamp (premature end of input)"
            )),
            "Start date is required"
        );
        assert_eq!(
            in_words(&e(
                "commits[0].access_schedule.schedule_items[0].ending_before",
                "`31/01` is not an RFC 3339 timestamp (x)"
            )),
            "End date is not a date: write it like 2025-01-31"
        );
        assert_eq!(
            in_words(&e("name", "a customer needs a name")),
            "a customer needs a name"
        );
    }
}
