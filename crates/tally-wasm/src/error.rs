//! Every failure reaches JS as a `TallyError` (an `Error`) with `code`, `message`, `path` (the
//! offending field) and `detail` (the message without the path).
//!
//! The class is defined in JS (`js/glue-tail.js`), which scripts/build-pkg.sh appends to the
//! generated glue of both builds and exports from the package. wasm-bindgen writes an import of a
//! global as the bare name, so in that glue `TallyError` is the class of the glue's own scope. Where
//! the glue has no such class (wasm-bindgen-test's runner), the error is a plain `Error` with the
//! same fields.

use js_sys::{Array, Error as JsError, Function, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsValue;

#[wasm_bindgen(typescript_custom_section)]
const TALLY_ERROR: &'static str = r#"
/**
 * What every refused call throws: an `Error` whose `code` says what kind of refusal it is,
 * `path` names the offending field and `detail` says what is wrong with it (`message` is
 * `path: detail`, or `detail` alone when `path` is empty). `code` is `"freed"` for a call on an
 * Engine after its `free()`.
 */
export class TallyError extends Error {
  constructor(message: string, code: ErrorCode | "freed", path?: string, detail?: string);
  name: "TallyError";
  code: ErrorCode | "freed";
  /** The offending field, e.g. `commits[0].access_schedule.schedule_items[1].amount`; empty for the body itself. */
  path: string;
  /** What is wrong, without the path. */
  detail: string;
}
"#;

#[wasm_bindgen]
extern "C" {
    /// The glue's `TallyError` class, when it has one.
    #[wasm_bindgen(thread_local_v2, js_name = TallyError)]
    static TALLY_ERROR_CLASS: Option<Function>;
}

pub fn into_js(e: tally_core::Error) -> JsValue {
    let code: JsValue = serde_json::to_value(e.code)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
        .into();
    let text = e.to_string();
    let message = JsValue::from_str(&text);
    let path: JsValue = e.path.into();
    let detail: JsValue = e.message.into();
    if let Some(class) = TALLY_ERROR_CLASS.with(Option::clone) {
        if let Ok(err) = Reflect::construct(&class, &Array::of4(&message, &code, &path, &detail)) {
            return err;
        }
    }
    let err: JsValue = JsError::new(&text).into();
    for (key, value) in [("code", code), ("path", path), ("detail", detail)] {
        let _ = Reflect::set(&err, &key.into(), &value);
    }
    err
}

pub fn invalid_input(what: &str, detail: impl std::fmt::Display) -> JsValue {
    into_js(tally_core::Error::new(
        tally_core::ErrorCode::InvalidBody,
        "",
        format!("{what}: {detail}"),
    ))
}
