//! Tally for JavaScript. One `Engine` holds a Tally state; `call(path, body)` runs any call of the
//! billing API, the typed methods are shorthands for the common ones. Inputs are plain JS objects
//! (money as numbers or strings); outputs are plain objects with money as decimal strings and times
//! as RFC 3339 strings. Errors are thrown as `TallyError`s (`Error`s) carrying `code`, `path` and `detail`.

mod error;
mod text;

use error::{into_js, invalid_input};
use serde_json::Value;
use tally_core::{scenario, State, Timestamp};
use wasm_bindgen::prelude::*;

// The wire types, generated from the Rust types (tests/typescript.rs), shipped in the package's .d.ts.
#[wasm_bindgen(typescript_custom_section)]
const WIRE_TYPES: &'static str = include_str!("../types/tally.d.ts");

// `engine.fetch`, added to the class by js/glue-tail.js; declared here so TypeScript knows it.
#[wasm_bindgen(typescript_custom_section)]
const FETCH_TYPES: &'static str = r#"
/** What `Engine.handle` answers: an HTTP status, its headers and the JSON body as text. */
export interface HttpAnswer { status: number; headers: [string, string][]; body: string }
export interface Engine {
  /**
   * A `fetch` bound to this engine that answers Metronome's REST API as its SDK calls it:
   * `new Metronome({ bearerToken: 'local', baseURL: 'http://tally.local', fetch: engine.fetch })`.
   * Nothing leaves the page; the host in the URL is not read.
   */
  readonly fetch: (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
}
"#;

#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

/// A typed query's answer as the router would give it: `{"data": ...}`, numbers as strings.
fn typed<T: serde::Serialize>(data: T) -> JsValue {
    to_js(&serde_json::json!({ "data": data }))
}

/// JSON → JS, with every number as a string so no decimal passes through a float. Written as JSON
/// text and read by the browser's `JSON.parse` in one call: building the objects a property at a time
/// crosses into JS once per key and value, which for a year of invoices costs more than the rating.
fn to_js(v: &Value) -> JsValue {
    let mut text = String::new();
    write_json(&mut text, v);
    js_sys::JSON::parse(&text).unwrap_or(JsValue::NULL)
}

fn write_json(out: &mut String, v: &Value) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        // A JSON number's text is never in need of escaping.
        Value::Number(n) => {
            out.push('"');
            out.push_str(n.as_str());
            out.push('"');
        }
        Value::String(s) => out.push_str(&serde_json::to_string(s).unwrap_or_default()),
        Value::Array(a) => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json(out, x);
            }
            out.push(']');
        }
        Value::Object(m) => {
            out.push('{');
            for (i, (k, x)) in m.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&serde_json::to_string(k).unwrap_or_default());
                out.push(':');
                write_json(out, x);
            }
            out.push('}');
        }
    }
}

fn from_js(v: JsValue) -> Result<Value, JsValue> {
    if v.is_undefined() || v.is_null() {
        return Ok(Value::Null);
    }
    serde_wasm_bindgen::from_value(v).map_err(|e| invalid_input("the body is not JSON-like", e))
}

fn parse_time(s: &str) -> Result<Timestamp, JsValue> {
    Timestamp::parse(s).map_err(|m| into_js(tally_core::Error::new(tally_core::ErrorCode::InvalidBody, "now", m)))
}

#[wasm_bindgen]
pub struct Engine {
    state: State,
    now: Timestamp,
}

#[wasm_bindgen]
impl Engine {
    /// A new, empty engine. `now` (RFC 3339) is the clock: periods ended before it are FINALIZED.
    #[wasm_bindgen(constructor)]
    pub fn new(now: Option<String>) -> Result<Engine, JsValue> {
        let now = match now {
            Some(s) => parse_time(&s)?,
            None => parse_time(&String::from(js_sys::Date::new_0().to_iso_string()))?,
        };
        Ok(Engine {
            state: State::default(),
            now,
        })
    }

    #[wasm_bindgen(js_name = setNow)]
    pub fn set_now(&mut self, now: &str) -> Result<(), JsValue> {
        self.now = parse_time(now)?;
        Ok(())
    }

    /// Any call of the billing API: `call("POST /v1/customers", {...})`.
    #[wasm_bindgen(unchecked_return_type = "Data<any>")]
    pub fn call(
        &mut self,
        path: &str,
        #[wasm_bindgen(unchecked_optional_param_type = "unknown")] body: JsValue,
    ) -> Result<JsValue, JsValue> {
        let body = from_js(body)?;
        tally_core::call(&mut self.state, path, &body, self.now)
            .map(|v| to_js(&v))
            .map_err(into_js)
    }

    #[wasm_bindgen(js_name = createCustomer, unchecked_return_type = "Data<Created>")]
    pub fn create_customer(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "NewCustomer")] body: JsValue,
    ) -> Result<JsValue, JsValue> {
        self.call("POST /v1/customers", body)
    }

    /// A custom pricing unit (AI tokens, credits) that rates, commits and credits can be priced in.
    #[wasm_bindgen(js_name = createCreditType, unchecked_return_type = "Data<Created>")]
    pub fn create_credit_type(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "NewCreditType")] body: JsValue,
    ) -> Result<JsValue, JsValue> {
        self.call("POST /v1/credit-types/create", body)
    }

    /// USD (cents), the other currencies (whole units) and the custom pricing units.
    #[wasm_bindgen(js_name = listCreditTypes, unchecked_return_type = "Data<PricingUnit[]>")]
    pub fn list_credit_types(&self) -> JsValue {
        typed(self.state.all_credit_types())
    }

    #[wasm_bindgen(js_name = createContract, unchecked_return_type = "Data<Created>")]
    pub fn create_contract(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "NewContract")] body: JsValue,
    ) -> Result<JsValue, JsValue> {
        self.call("POST /v1/contracts/create", body)
    }

    /// A commit held by the customer (`POST /v1/customers/commits/create`): every contract of the
    /// customer draws on it, or those in `applicable_contract_ids`.
    #[wasm_bindgen(js_name = createCustomerCommit, unchecked_return_type = "Data<Created>")]
    pub fn create_customer_commit(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Commit & BalanceHolder")] body: JsValue,
    ) -> Result<JsValue, JsValue> {
        self.call("POST /v1/customers/commits/create", body)
    }

    /// A credit held by the customer (`POST /v1/customers/credits/create`).
    #[wasm_bindgen(js_name = createCustomerCredit, unchecked_return_type = "Data<Created>")]
    pub fn create_customer_credit(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Commit & BalanceHolder")] body: JsValue,
    ) -> Result<JsValue, JsValue> {
        self.call("POST /v1/customers/credits/create", body)
    }

    /// The customer's commits (`POST /v1/contracts/customerCommits/list`), or credits with `credits`.
    #[wasm_bindgen(
        js_name = listCustomerBalances,
        unchecked_return_type = "Data<Array<Commit & { product: { id: string; name: string | null }; contract?: { id: string }; invoice_contract?: { id: string }; balance?: string }>>"
    )]
    pub fn list_customer_balances(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ListBalancesRequest")] body: JsValue,
        credits: Option<bool>,
    ) -> Result<JsValue, JsValue> {
        let path = if credits.unwrap_or(false) {
            "POST /v1/contracts/customerCredits/list"
        } else {
            "POST /v1/contracts/customerCommits/list"
        };
        let body = from_js(body)?;
        tally_core::api::read(&self.state, path, &body, self.now)
            .map(|v| to_js(&v))
            .map_err(into_js)
    }

    #[wasm_bindgen(js_name = editContract, unchecked_return_type = "Data<Created>")]
    pub fn edit_contract(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "ContractEdit")] body: JsValue,
    ) -> Result<JsValue, JsValue> {
        self.call("POST /v2/contracts/edit", body)
    }

    #[wasm_bindgen(js_name = setUsageFilter, unchecked_return_type = "Data<Created>")]
    pub fn set_usage_filter(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "SetUsageFilter")] body: JsValue,
    ) -> Result<JsValue, JsValue> {
        self.call("POST /v1/contracts/setUsageFilter", body)
    }

    /// `POST /v1/ingest`. The array goes through one `JSON.stringify` and is read straight into the
    /// compact usage store, which is several times faster than converting a million JS objects one
    /// property at a time.
    #[wasm_bindgen(unchecked_return_type = "Data<Ingested>")]
    pub fn ingest(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Event[]")] events: JsValue,
    ) -> Result<JsValue, JsValue> {
        let text =
            js_sys::JSON::stringify(&events).map_err(|e| invalid_input("the events are not JSON", format!("{e:?}")))?;
        self.ingest_text(text.into(), Some("json".into()))
    }

    /// `POST /v1/ingest` from text: a JSON array of events (`format` "json") or one event per line
    /// ("ndjson"); without `format`, text that starts with `[` is an array.
    #[wasm_bindgen(js_name = ingestText, unchecked_return_type = "Data<Ingested>")]
    pub fn ingest_text(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "\"json\" | \"ndjson\"")] format: Option<String>,
    ) -> Result<JsValue, JsValue> {
        let text = &text::utf8(&text, "text")?;
        let format = match format.as_deref() {
            Some("json") => tally_core::usage::Format::Json,
            Some("ndjson") => tally_core::usage::Format::Ndjson,
            None if text.trim_start().starts_with('[') => tally_core::usage::Format::Json,
            None => tally_core::usage::Format::Ndjson,
            Some(other) => {
                return Err(invalid_input(
                    "format",
                    format!("`{other}` is not a format Tally reads (json or ndjson)"),
                ))
            }
        };
        tally_core::api::ingest_text(&mut self.state, text, format)
            .map(|v| to_js(&v))
            .map_err(into_js)
    }

    /// Deletes stored events of a customer, in a time window, or both; answers `{deleted}`.
    #[wasm_bindgen(js_name = deleteUsage, unchecked_return_type = "Data<{ deleted: string }>")]
    pub fn delete_usage(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "DeleteUsage")] body: JsValue,
    ) -> Result<JsValue, JsValue> {
        self.call("POST /v1/usage/delete", body)
    }

    /// How many events are stored.
    #[wasm_bindgen(js_name = eventCount)]
    pub fn event_count(&self) -> usize {
        self.state.events.len()
    }

    /// A customer's invoices; `query` is the list call's query string (`ending_before=...&type=USAGE`)
    /// or the same keys as an object (`{ending_before, type, explain: true}`).
    #[wasm_bindgen(unchecked_return_type = "Data<Invoice[]>")]
    pub fn invoices(
        &self,
        customer_id: &str,
        #[wasm_bindgen(unchecked_optional_param_type = "string | InvoiceListOptions | null")] query: JsValue,
    ) -> Result<JsValue, JsValue> {
        use tally_core::api::queries::{invoices, InvoiceQuery};
        // Typed, not routed: the customer id is never read as part of a path.
        let q = match query.as_string() {
            Some(text) => InvoiceQuery::parse(text.trim_start_matches('?')).map_err(into_js)?,
            None if query.is_undefined() || query.is_null() => InvoiceQuery::default(),
            None => {
                let o: tally_core::wire::InvoiceListOptions =
                    tally_core::error::parse(&from_js(query)?).map_err(into_js)?;
                InvoiceQuery::try_from(o).map_err(into_js)?
            }
        };
        Ok(typed(
            invoices(&self.state, customer_id, &q, self.now).map_err(into_js)?,
        ))
    }

    /// Stored events that bill nothing, each with its reason (`no_customer`, `no_metric`,
    /// `not_a_number`, `no_contract`) and a sentence saying it.
    #[wasm_bindgen(unchecked_return_type = "Data<Unbilled[]>")]
    pub fn unbilled(&self) -> JsValue {
        typed(tally_core::unbilled::unbilled(&self.state))
    }

    /// Several rates on one card, all or none; a later rate for a product whose rate is open-ended
    /// schedules a price change.
    #[wasm_bindgen(js_name = addRates, unchecked_return_type = "Data<Created>")]
    pub fn add_rates(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "AddRates")] body: JsValue,
    ) -> Result<JsValue, JsValue> {
        self.call("POST /v1/contract-pricing/rate-cards/addRates", body)
    }

    #[wasm_bindgen(js_name = netBalance, unchecked_return_type = "Data<NetBalance>")]
    pub fn net_balance(
        &self,
        #[wasm_bindgen(unchecked_param_type = "NetBalanceRequest")] body: JsValue,
    ) -> Result<JsValue, JsValue> {
        let req = tally_core::error::parse(&from_js(body)?).map_err(into_js)?;
        Ok(typed(
            tally_core::api::queries::net_balance(&self.state, &req, self.now).map_err(into_js)?,
        ))
    }

    #[wasm_bindgen(js_name = previewEvents, unchecked_return_type = "Data<Invoice[]>")]
    pub fn preview_events(
        &self,
        customer_id: &str,
        #[wasm_bindgen(unchecked_param_type = "PreviewEventsRequest")] body: JsValue,
    ) -> Result<JsValue, JsValue> {
        let req = tally_core::error::parse(&from_js(body)?).map_err(into_js)?;
        let drafts = tally_core::api::queries::preview_events(&self.state, customer_id, req, self.now);
        Ok(typed(drafts.map_err(into_js)?))
    }

    /// One HTTP request as Metronome's SDK sends it, answered as Metronome's API answers it:
    /// `{status, headers, body}` with the body as JSON text. `engine.fetch` (a `fetch` for the SDK)
    /// is built on it; both go through the same door as `tally serve`.
    #[wasm_bindgen(unchecked_return_type = "HttpAnswer")]
    pub fn handle(&mut self, method: &str, url: &str, body: &[u8]) -> JsValue {
        let req = tally_core::http::Request {
            method,
            target: url,
            body,
        };
        let r = tally_core::http::respond(&mut self.state, &mut self.now, req);
        let headers: Vec<Value> = r
            .headers()
            .into_iter()
            .map(|(k, v)| serde_json::json!([k, v]))
            .collect();
        let answer = serde_json::json!({ "status": r.status, "headers": headers, "body": r.body });
        // Through JSON.parse as elsewhere; here the status stays a number (the body is text).
        js_sys::JSON::parse(&answer.to_string()).unwrap_or(JsValue::NULL)
    }

    /// The whole state as versioned JSON text.
    #[wasm_bindgen(js_name = exportState)]
    pub fn export_state(&self) -> String {
        tally_core::state::export(&self.state)
    }

    /// The state without its events (catalog, customers, contracts): what fits in localStorage
    /// however much usage there is. The events go elsewhere (`exportState`, or your own store).
    #[wasm_bindgen(js_name = exportModel)]
    pub fn export_model(&self) -> String {
        tally_core::state::export_model(&self.state)
    }

    /// Replaces the state with an export; on error the current state is kept.
    #[wasm_bindgen(js_name = importState)]
    pub fn import_state(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] json: JsValue,
    ) -> Result<(), JsValue> {
        self.state = tally_core::state::import(&text::utf8(&json, "json")?).map_err(into_js)?;
        Ok(())
    }
}

/// Runs a scenario file's text; answers exactly what `tally run` prints.
#[wasm_bindgen(js_name = runScenario)]
pub fn run_scenario(json: &str) -> Result<String, JsValue> {
    scenario::run(json).map_err(into_js)
}
