//! Large JS strings into Rust text. wasm-bindgen copies a `&str` argument one UTF-16 unit at a time
//! in a JS loop while it is ASCII; for a 150 MB batch of events that loop took as long as reading the
//! events. The engine's own `TextEncoder.encodeInto` writes the whole string into wasm memory at once.

use js_sys::{JsString, Uint8Array};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = TextEncoder)]
    type Encoder;
    #[wasm_bindgen(constructor, js_class = "TextEncoder")]
    fn new() -> Encoder;
    #[wasm_bindgen(method, js_name = encodeInto)]
    fn encode_into(this: &Encoder, source: &JsString, dest: &Uint8Array) -> Progress;

    /// `encodeInto`'s answer: UTF-16 units read and bytes written.
    type Progress;
    #[wasm_bindgen(method, getter)]
    fn read(this: &Progress) -> f64;
    #[wasm_bindgen(method, getter)]
    fn written(this: &Progress) -> f64;
}

/// `s` as UTF-8, as wasm-bindgen's own conversion gives it (a lone surrogate becomes U+FFFD); an
/// error naming `param` when it is not a string.
pub fn utf8(s: &JsValue, param: &str) -> Result<String, JsValue> {
    let Some(s) = s.dyn_ref::<JsString>() else {
        return Err(crate::error::invalid_input(param, "expected a string".to_string()));
    };
    let encoder = Encoder::new();
    let mut out: Vec<u8> = Vec::new();
    let mut rest = s.clone();
    // ASCII needs a byte per unit, so one pass usually does it; a fuller buffer stops `encodeInto`
    // between characters, and the rest then gets the most it can need (three bytes per unit).
    let mut room = rest.length() as usize;
    loop {
        let left = rest.length();
        out.reserve(room);
        let spare = out.capacity() - out.len();
        // SAFETY: the view covers `out`'s spare capacity and is used only by the `encode_into` call
        // right after it, before anything can allocate (and so grow or move wasm memory).
        let view = unsafe { Uint8Array::view_mut_raw(out.as_mut_ptr().add(out.len()), spare) };
        let done = encoder.encode_into(&rest, &view);
        let (read, written) = (done.read() as u32, done.written() as usize);
        // SAFETY: `encodeInto` wrote `written` bytes (at most `spare`) into the spare capacity.
        unsafe { out.set_len(out.len() + written.min(spare)) };
        if read >= left {
            break;
        }
        rest = rest.slice(read, left);
        room = 3 * (left - read) as usize;
    }
    // SAFETY: the Encoding Standard's UTF-8 encoder, which `encodeInto` runs, writes only valid
    // UTF-8 (a lone surrogate becomes U+FFFD), and it stops only between characters. Checking it
    // again took 4 % of ingesting a batch of events.
    Ok(unsafe { String::from_utf8_unchecked(out) })
}
