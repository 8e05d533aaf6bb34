//! Importing a usage file of any size: a JSON array of events, NDJSON (one event per line) or CSV with
//! a header row, read a few MB at a time with a progress bar and a cancel button. The whole file is
//! read into a copy of the state and taken only at the end, so a bad event or a cancel leaves nothing.

use crate::store::{store, Store};
use leptos::prelude::*;
use serde_json::Value;
use tally_core::usage::{ArrayChunks, Format};
use tally_core::State;
use wasm_bindgen_futures::JsFuture;

const CHUNK: f64 = 4.0 * 1024.0 * 1024.0;

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Array,
    Lines,
    Csv,
}

/// Lets the browser paint and take clicks (the cancel button) between chunks.
async fn yield_now() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = window().set_timeout_with_callback(&resolve);
    });
    let _ = JsFuture::from(promise).await;
}

async fn read_bytes(file: &web_sys::File, a: f64, b: f64) -> Result<Vec<u8>, String> {
    let blob = file.slice_with_f64_and_f64(a, b).map_err(|e| format!("{e:?}"))?;
    let buf = JsFuture::from(blob.array_buffer())
        .await
        .map_err(|e| format!("{e:?}"))?;
    Ok(js_sys::Uint8Array::new(&buf).to_vec())
}

/// An error at `[i]...` of a chunk, told as the event's place in the file.
fn in_file(e: tally_core::Error, before: usize) -> String {
    let (index, rest) = e
        .path
        .strip_prefix('[')
        .and_then(|p| p.split_once(']'))
        .and_then(|(i, rest)| Some((i.parse::<usize>().ok()?, rest.trim_start_matches('.'))))
        .unwrap_or((0, ""));
    let field = if rest.is_empty() {
        String::new()
    } else {
        format!(" ({rest})")
    };
    format!("Event {} of the file{field}: {}", before + index + 1, e.message)
}

struct Reader {
    kind: Option<Kind>,
    array: ArrayChunks,
    carry: String,
    header: Option<String>,
    /// CSV: the lines of the file read so far.
    lines: usize,
    events: usize,
    added: usize,
    duplicates: usize,
}

impl Reader {
    fn take(&mut self, answer: Value) {
        self.added += answer["data"]["ingested"].as_u64().unwrap_or(0) as usize;
        self.duplicates += answer["data"]["duplicates"].as_u64().unwrap_or(0) as usize;
    }

    /// Reads `text` (whole lines only, unless `last`) into `scratch`.
    fn feed(&mut self, scratch: &mut State, text: &str, last: bool) -> Result<(), String> {
        let kind = match self.kind {
            Some(k) => k,
            None => {
                let first = text.trim_start().chars().next();
                let k = match first {
                    Some('[') => Kind::Array,
                    Some('{') => Kind::Lines,
                    Some(_) => Kind::Csv,
                    None => return Ok(()),
                };
                self.kind = Some(k);
                k
            }
        };
        let ndjson = match kind {
            Kind::Array => self.array.feed(text)?,
            Kind::Lines | Kind::Csv => {
                self.carry.push_str(text);
                let cut = if last {
                    self.carry.len()
                } else {
                    self.carry.rfind('\n').map_or(0, |i| i + 1)
                };
                let rest = self.carry.split_off(cut);
                std::mem::replace(&mut self.carry, rest)
            }
        };
        if ndjson.trim().is_empty() {
            return Ok(());
        }
        let before = self.events;
        let answer = if kind == Kind::Csv {
            // Line numbers as the file shows them: the chunk's own, after the lines of earlier chunks
            // (less the header line prepended to a later chunk).
            let (csv, offset) = match &self.header {
                Some(h) => (crate::csv::to_events(&format!("{h}\n{ndjson}"))?, self.lines - 1),
                None => {
                    self.header = ndjson.lines().find(|l| !l.trim().is_empty()).map(str::to_string);
                    (crate::csv::to_events(&ndjson)?, self.lines)
                }
            };
            self.lines += ndjson.matches('\n').count();
            let n = csv.body.as_array().map_or(0, Vec::len);
            self.events += n;
            let on_line = |e: tally_core::Error| {
                crate::csv::on_line(&e, &csv.lines, offset).unwrap_or_else(|| in_file(e, before))
            };
            let events = tally_core::error::parse(&csv.body).map_err(on_line)?;
            tally_core::api::ingest_events(scratch, events).map_err(on_line)?
        } else {
            self.events += ndjson.lines().filter(|l| !l.trim().is_empty()).count();
            tally_core::api::ingest_text(scratch, &ndjson, Format::Ndjson).map_err(|e| in_file(e, before))?
        };
        self.take(answer);
        Ok(())
    }
}

async fn import(s: Store, file: web_sys::File, cancel: RwSignal<bool>) -> Result<String, String> {
    let total = file.size();
    // A copy that shares the usage store until the first event is added to it.
    let mut scratch = s.state.get_untracked();
    let mut reader = Reader {
        kind: None,
        array: ArrayChunks::default(),
        carry: String::new(),
        header: None,
        lines: 0,
        events: 0,
        added: 0,
        duplicates: 0,
    };
    let mut bytes: Vec<u8> = Vec::new();
    let mut offset = 0.0;
    while offset < total {
        // Leaving the page does not stop an import (its signals are gone then, and read as "go on").
        if cancel.try_get_untracked().unwrap_or(false) {
            return Err("Import cancelled: nothing was imported.".into());
        }
        let end = (offset + CHUNK).min(total);
        bytes.extend(read_bytes(&file, offset, end).await?);
        offset = end;
        // A chunk may end inside a character: decode what is whole, keep the rest for the next.
        let valid = match std::str::from_utf8(&bytes) {
            Ok(t) => t.len(),
            Err(e) if e.error_len().is_none() => e.valid_up_to(),
            Err(e) => return Err(format!("The file is not UTF-8 text (byte {}).", e.valid_up_to())),
        };
        let rest = bytes.split_off(valid);
        let text = String::from_utf8(std::mem::replace(&mut bytes, rest)).unwrap_or_default();
        reader.feed(&mut scratch, &text, false)?;
        s.usage.update(|u| u.importing = Some((reader.events, offset, total)));
        yield_now().await;
    }
    if !bytes.is_empty() {
        return Err("The file ends inside a character: it is not UTF-8 text.".into());
    }
    reader.feed(&mut scratch, "", true)?;
    if reader.kind == Some(Kind::Array) && !reader.array.finished() {
        return Err("The file ends before its JSON array closes (`]`): nothing was imported.".into());
    }
    if cancel.try_get_untracked().unwrap_or(false) {
        return Err("Import cancelled: nothing was imported.".into());
    }
    s.state.set(scratch);
    Ok(format!(
        "Imported {} events from {} ({} duplicates skipped).",
        reader.added,
        file.name(),
        reader.duplicates
    ))
}

#[component]
pub fn UsageImport() -> impl IntoView {
    let s = store();
    let cancel = RwSignal::new(false);
    let message = RwSignal::new(None::<(bool, String)>);
    let start = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        input.set_value("");
        cancel.set(false);
        message.set(None);
        s.usage.update(|u| u.importing = Some((0, 0.0, file.size())));
        leptos::task::spawn_local(async move {
            let result = import(s, file, cancel).await;
            s.usage.update(|u| u.importing = None);
            let _ = message.try_set(Some(match result {
                Ok(m) => (true, m),
                Err(m) => (false, m),
            }));
        });
    };
    let progress = move || s.usage.get().importing;
    view! {
        <div class="import">
            <label for="usage-file">"Import a file of events (JSON array, NDJSON or CSV with a header row; any size)"</label>
            <input id="usage-file" type="file" accept=".json,.ndjson,.jsonl,.csv,application/json,text/csv"
                on:change=start prop:disabled=move || progress().is_some() />
            {move || progress().map(|(events, read, total)| view! {
                <div class="progress" role="status">
                    <progress max=total value=read aria-label="Import progress"></progress>
                    <span>{format!("{} events read ({:.0}%)", events, if total > 0.0 { read / total * 100.0 } else { 100.0 })}</span>
                    <button type="button" class="secondary" on:click=move |_| cancel.set(true)>"Cancel"</button>
                </div>
            })}
            {move || message.get().map(|(ok, m)| view! { <p class=if ok { "note ok" } else { "note bad" } role="status">{m}</p> })}
        </div>
    }
}
