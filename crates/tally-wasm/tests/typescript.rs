//! Generates the package's TypeScript declarations (types/tally.d.ts) from the Rust wire types'
//! JSON Schemas (schemars), and fails when the committed file is out of date. To regenerate:
//! `TALLY_BLESS=1 cargo test -p tally-wasm --test typescript`.
#![cfg(not(target_arch = "wasm32"))]

use schemars::generate::SchemaSettings;
use schemars::JsonSchema;
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt::Write;
use tally_core::api::requests;
use tally_core::{commit, customer, invoice, metric, product, rate_card, usage, wire};

#[derive(Clone, Copy, PartialEq, Debug)]
enum Mode {
    /// What JS passes in: money as numbers or decimal strings, enums in any case.
    Input,
    /// What JS gets back: every number (money, counts) as a string, enums in upper case.
    Output,
}

thread_local! {
    /// Enums that accept any letter case on input (tally-core's `api_enum!` marks them `x-any-case`).
    static ANY_CASE: std::cell::RefCell<std::collections::HashSet<String>> = Default::default();
}

#[derive(Default)]
struct Decls {
    /// name → (declaration, mode it was generated in)
    items: BTreeMap<String, (String, Mode)>,
}

fn doc(schema: &Value, indent: &str) -> String {
    match schema.get("description").and_then(Value::as_str) {
        Some(d) => format!("{indent}/** {} */\n", d.replace("*/", "* /").replace('\n', " ")),
        None => String::new(),
    }
}

impl Decls {
    fn add_root<T: JsonSchema>(&mut self, mode: Mode) {
        let settings = match mode {
            Mode::Input => SchemaSettings::draft2020_12().for_deserialize(),
            Mode::Output => SchemaSettings::draft2020_12().for_serialize(),
        };
        let root = settings.into_generator().into_root_schema_for::<T>();
        let root = root.as_value().clone();
        if let Some(defs) = root.get("$defs").and_then(Value::as_object) {
            ANY_CASE.with(|e| {
                e.borrow_mut().extend(
                    defs.iter()
                        .filter(|(_, s)| s.get("x-any-case").is_some())
                        .map(|(n, _)| n.clone()),
                )
            });
            for (name, schema) in defs {
                self.declare(name, schema, mode);
            }
        }
        let name = T::schema_name().to_string();
        self.declare(&name, &root, mode);
    }

    fn declare(&mut self, name: &str, schema: &Value, mode: Mode) {
        if schema.get("x-tally").is_some() {
            return; // declared once in the prelude
        }
        let is_enum = schema.get("enum").is_some();
        let body = if is_enum {
            format!(
                "{}export type {name} = {};\n",
                doc(schema, ""),
                ts(schema, Mode::Output)
            )
        } else if schema.get("properties").is_some() {
            format!(
                "{}export interface {name} {}\n",
                doc(schema, ""),
                object(schema, mode, "")
            )
        } else {
            format!("{}export type {name} = {};\n", doc(schema, ""), ts(schema, mode))
        };
        if let Some((existing, m)) = self.items.get(name) {
            assert!(
                existing == &body || is_enum,
                "{name} is used both as {m:?} and {mode:?} with different shapes"
            );
            return;
        }
        self.items.insert(name.to_string(), (body, mode));
    }
}

fn object(schema: &Value, mode: Mode, indent: &str) -> String {
    let required: Vec<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let mut out = String::from("{\n");
    for (field, s) in schema["properties"].as_object().into_iter().flatten() {
        let inner = format!("{indent}  ");
        out += &doc(s, &inner);
        let opt = if required.contains(&field.as_str()) { "" } else { "?" };
        let _ = writeln!(out, "{inner}{field}{opt}: {};", ts_at(s, mode, &inner));
    }
    out + indent + "}"
}

fn ts(schema: &Value, mode: Mode) -> String {
    ts_at(schema, mode, "")
}

fn ts_at(schema: &Value, mode: Mode, indent: &str) -> String {
    match schema {
        Value::Bool(_) => return "unknown".into(),
        Value::Object(m) if m.is_empty() || m.keys().all(|k| k == "description") => return "unknown".into(),
        _ => {}
    }
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        let name = r.rsplit('/').next().unwrap_or(r).to_string();
        let any_case = ANY_CASE.with(|e| e.borrow().contains(&name));
        return if mode == Mode::Input && any_case {
            format!("AnyCase<{name}>")
        } else {
            name
        };
    }
    if schema.get("x-tally").and_then(Value::as_str) == Some("Timestamp") {
        return "Timestamp".into();
    }
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        let union = values.iter().map(|v| v.to_string()).collect::<Vec<_>>().join(" | ");
        return if mode == Mode::Input && schema.get("x-any-case").is_some() {
            format!("AnyCase<{union}>")
        } else {
            union
        };
    }
    if let Some(c) = schema.get("const") {
        return c.to_string();
    }
    for key in ["anyOf", "oneOf", "allOf"] {
        if let Some(list) = schema.get(key).and_then(Value::as_array) {
            let sep = if key == "allOf" { " & " } else { " | " };
            return list
                .iter()
                .map(|s| ts_at(s, mode, indent))
                .collect::<Vec<_>>()
                .join(sep);
        }
    }
    let types: Vec<&str> = match schema.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
        _ => return "unknown".into(),
    };
    // rust_decimal's schema: a string or a number.
    let decimal = types.contains(&"string") && types.contains(&"number");
    let mut parts: Vec<String> = Vec::new();
    if decimal {
        parts.push(if mode == Mode::Input {
            "Decimal".into()
        } else {
            "string".into()
        });
    }
    for t in types {
        let part = match t {
            "string" | "number" if decimal => continue,
            "string" => "string".to_string(),
            "integer" | "number" => if mode == Mode::Input { "number" } else { "string" }.to_string(),
            "boolean" => "boolean".to_string(),
            "null" => "null".to_string(),
            "array" => {
                let item = schema
                    .get("items")
                    .map(|i| ts_at(i, mode, indent))
                    .unwrap_or_else(|| "unknown".into());
                if item.contains(' ') {
                    format!("({item})[]")
                } else {
                    format!("{item}[]")
                }
            }
            "object" if schema.get("properties").is_some() => object(schema, mode, indent),
            "object" => match schema.get("additionalProperties") {
                Some(v @ Value::Object(_)) => format!("Record<string, {}>", ts_at(v, mode, indent)),
                _ => "Record<string, unknown>".to_string(),
            },
            other => panic!("unhandled JSON Schema type {other}"),
        };
        parts.push(part);
    }
    parts.join(" | ")
}

const PRELUDE: &str = "\
// Tally's wire types. Generated from the Rust types by crates/tally-wasm/tests/typescript.rs:
// do not edit by hand.

/** RFC 3339, UTC in outputs: `2025-01-01T00:00:00Z`. */
export type Timestamp = string;
/** Money and quantities going in: cents of the credit type, as a number or a decimal string. */
export type Decimal = number | string;
/** Enum values are accepted in any letter case and returned in upper case. */
export type AnyCase<T extends string> = T | Lowercase<T>;
/** Every answer of the billing API. */
export interface Data<T> {
  data: T;
}
";

fn generate() -> String {
    let mut d = Decls::default();
    d.add_root::<metric::NewBillableMetric>(Mode::Input);
    d.add_root::<product::NewProduct>(Mode::Input);
    d.add_root::<rate_card::NewRateCard>(Mode::Input);
    d.add_root::<rate_card::Rate>(Mode::Input);
    d.add_root::<customer::NewCustomer>(Mode::Input);
    d.add_root::<customer::SetIngestAliases>(Mode::Input);
    d.add_root::<requests::NewContract>(Mode::Input);
    d.add_root::<requests::ContractEdit>(Mode::Input);
    d.add_root::<requests::SetUsageFilter>(Mode::Input);
    d.add_root::<requests::UpdateEndDate>(Mode::Input);
    d.add_root::<commit::Commit>(Mode::Input);
    d.add_root::<usage::Event>(Mode::Input);
    d.add_root::<wire::PreviewEventsRequest>(Mode::Input);
    d.add_root::<wire::RateScheduleRequest>(Mode::Input);
    d.add_root::<wire::NetBalanceRequest>(Mode::Input);
    d.add_root::<wire::InvoiceListOptions>(Mode::Input);
    d.add_root::<wire::ListContractsRequest>(Mode::Input);
    d.add_root::<wire::BalanceHolder>(Mode::Input);
    d.add_root::<wire::ListBalancesRequest>(Mode::Input);
    d.add_root::<wire::UpdateName>(Mode::Input);
    d.add_root::<wire::SetCustomFields>(Mode::Input);
    d.add_root::<wire::AddRates>(Mode::Input);
    d.add_root::<tally_core::credit_type::NewCreditType>(Mode::Input);
    d.add_root::<tally_core::api::DeleteUsage>(Mode::Input);
    d.add_root::<invoice::Invoice>(Mode::Output);
    d.add_root::<wire::RateScheduleRow>(Mode::Output);
    d.add_root::<wire::NetBalance>(Mode::Output);
    d.add_root::<wire::Created>(Mode::Output);
    d.add_root::<tally_core::credit_type::CreditType>(Mode::Output);
    d.add_root::<wire::Ingested>(Mode::Output);
    d.add_root::<tally_core::unbilled::Unbilled>(Mode::Output);
    // What a refused call's `TallyError` carries as `code` (declared in src/error.rs).
    d.add_root::<tally_core::ErrorCode>(Mode::Output);
    let mut out = PRELUDE.to_string();
    for (body, _) in d.items.values() {
        out.push('\n');
        out += body;
    }
    out
}

#[test]
fn typescript_declarations_are_up_to_date() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("types/tally.d.ts");
    let fresh = generate();
    if std::env::var_os("TALLY_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &fresh).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == fresh,
        "{} is out of date with the Rust types; regenerate with TALLY_BLESS=1 cargo test -p tally-wasm --test typescript",
        path.display()
    );
}

#[test]
fn declarations_cover_every_call_body() {
    let ts = generate();
    for name in [
        "interface NewContract ",
        "interface ContractEdit ",
        "interface Invoice ",
        "interface LineItem ",
        "type CommitType ",
    ] {
        assert!(ts.contains(name), "missing {name}");
    }
    // Outputs carry money as strings; inputs take numbers or strings.
    let invoice = &ts[ts.find("interface Invoice ").unwrap()..];
    assert!(invoice[..invoice.find('}').unwrap()].contains("total: string;"));
    assert!(ts.contains("amount: Decimal;"));
    assert!(ts.contains("type?: AnyCase<CommitType> | null;"));
}
