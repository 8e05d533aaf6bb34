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

/// The form control a message belongs to: the element before the message's anchor, or the first
/// control inside it (a picker wraps its select).
fn control_before(anchor: &web_sys::Element) -> Option<web_sys::Element> {
    let prev = anchor.previous_element_sibling()?;
    if matches!(prev.tag_name().as_str(), "INPUT" | "SELECT" | "TEXTAREA") {
        return Some(prev);
    }
    prev.query_selector("input, select, textarea").ok().flatten()
}

/// Shows the error when its path falls under one of `paths`, tied to the field before it: the field
/// gets `aria-invalid` and `aria-describedby` naming the message while the message shows, so a
/// screen reader reads the error with the field.
#[component]
pub fn FieldError(#[prop(into)] error: Signal<Option<Error>>, paths: &'static [&'static str]) -> impl IntoView {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let id = format!(
        "field-error-{}",
        NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    );
    let anchor = NodeRef::<leptos::html::Div>::new();
    let shown = move || error.get().filter(|e| paths.iter().any(|p| within(&e.path, p)));
    let message_id = id.clone();
    Effect::new(move |_| {
        let on = shown().is_some();
        let Some(control) = anchor.get().and_then(|a| control_before(&a)) else {
            return;
        };
        if on {
            let _ = control.set_attribute("aria-invalid", "true");
            let _ = control.set_attribute("aria-describedby", &message_id);
        } else {
            let _ = control.remove_attribute("aria-invalid");
            if control.get_attribute("aria-describedby").as_deref() == Some(message_id.as_str()) {
                let _ = control.remove_attribute("aria-describedby");
            }
        }
    });
    view! {
        <div class="field-msg" node_ref=anchor>
            {move || {
                shown().map(|e| {
                    let text = if paths.contains(&e.path.as_str()) {
                        in_words(&e)
                    } else {
                        with_field(&e)
                    };
                    view! { <p class="field-error" id=id.clone() aria-live="polite">{text}</p> }
                })
            }}
        </div>
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

/// The core's refusal shown whole, where no field claims it: the field it names, its message and its
/// code. A customer's invoices that cannot be rated show this, never an empty list.
#[component]
pub fn CoreError(error: Error, #[prop(optional)] lead: &'static str) -> impl IntoView {
    let code = crate::calls::wire_name(&error.code);
    view! {
        <p class="field-error core-error" role="alert" data-code=code.clone() data-path=error.path.clone()>
            {lead}{with_field(&error)}<span class="muted small">{format!(" ({code})")}</span>
        </p>
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
