//! Every failure reaches JS as an `Error` with `code`, `message` and `path` (the offending field).

use js_sys::{Error as JsError, Reflect};
use wasm_bindgen::JsValue;

pub fn into_js(e: tally_core::Error) -> JsValue {
    let err = JsError::new(&e.to_string());
    let code = serde_json::to_value(e.code)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    let _ = Reflect::set(&err, &"code".into(), &code.into());
    let _ = Reflect::set(&err, &"path".into(), &e.path.into());
    let _ = Reflect::set(&err, &"detail".into(), &e.message.into());
    err.into()
}

pub fn invalid_input(what: &str, detail: impl std::fmt::Display) -> JsValue {
    into_js(tally_core::Error::new(
        tally_core::ErrorCode::InvalidBody,
        "",
        format!("{what}: {detail}"),
    ))
}
