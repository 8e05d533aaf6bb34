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

/// The field paths a message belongs under, as the core names them (`commits[0].amount`): literals, or
/// paths built from the body's field names (`forms::first`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Paths(std::sync::Arc<[String]>);

impl Paths {
    /// Whether `path` is one of these paths or inside one.
    fn holds(&self, path: &str) -> bool {
        self.0.iter().any(|p| within(path, p))
    }

    /// Whether `path` is exactly one of these paths.
    fn names(&self, path: &str) -> bool {
        self.0.iter().any(|p| p == path)
    }
}

impl<const N: usize> From<&[&str; N]> for Paths {
    fn from(paths: &[&str; N]) -> Self {
        Paths(paths.iter().map(|p| p.to_string()).collect())
    }
}

impl From<&[&str]> for Paths {
    fn from(paths: &[&str]) -> Self {
        Paths(paths.iter().map(|p| p.to_string()).collect())
    }
}

impl From<Vec<String>> for Paths {
    fn from(paths: Vec<String>) -> Self {
        Paths(paths.into())
    }
}

impl<const N: usize> From<[String; N]> for Paths {
    fn from(paths: [String; N]) -> Self {
        Paths(paths.into_iter().collect())
    }
}

/// Shows the error when its path falls under one of `paths`, tied to the field before it: the field
/// gets `aria-invalid` and `aria-describedby` naming the message while the message shows, so a
/// screen reader reads the error with the field.
#[component]
pub fn FieldError(#[prop(into)] error: Signal<Option<Error>>, #[prop(into)] paths: Paths) -> impl IntoView {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let id = format!(
        "field-error-{}",
        NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    );
    let anchor = NodeRef::<leptos::html::Div>::new();
    let claimed = paths.clone();
    let shown = Signal::derive(move || error.get().filter(|e| claimed.holds(&e.path)));
    let message_id = id.clone();
    Effect::new(move |_| {
        let on = shown.with(Option::is_some);
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
                shown.get().map(|e| {
                    let text = if paths.names(&e.path) {
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
pub fn FormError(#[prop(into)] error: Signal<Option<Error>>, #[prop(into)] all: Paths) -> impl IntoView {
    move || {
        error
            .get()
            .filter(|e| !all.holds(&e.path))
            .map(|e| view! { <p class="field-error" aria-live="polite">{with_field(&e)}</p> })
    }
}

/// For rows built at run time (`commits[2]`): errors under one of `paths` but not under `exclude`
/// (those show beside their own field).
#[component]
pub fn RowError(
    #[prop(into)] error: Signal<Option<Error>>,
    #[prop(into)] paths: Paths,
    #[prop(optional, into)] exclude: Paths,
) -> impl IntoView {
    move || {
        error
            .get()
            .filter(|e| paths.holds(&e.path) && !exclude.holds(&e.path))
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
