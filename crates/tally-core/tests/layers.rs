//! The core's modules in layers that only look down, read from the source's `crate::` paths: terms
//! know nothing of the model, the model nothing of rating, rating nothing of calls. A module may use
//! those of its own layer and below, and the whole graph has no circle. A new module must be placed
//! in a layer here (and in docs/architecture.md) before the test passes.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Lowest first. Each top-level module of `src/lib.rs` appears once.
const LAYERS: [(&str, &[&str]); 5] = [
    (
        "foundation",
        &["error", "case", "record", "time", "credit_type", "money", "calendar"],
    ),
    (
        "terms",
        &[
            "customer",
            "metric",
            "product",
            "subscription",
            "schedule",
            "services",
            "rate_card",
            "overrides",
            "pricing",
            "commit",
            "balance",
            "customer_balance",
            "threshold",
            "contract",
            "invoice",
        ],
    ),
    ("model", &["usage", "state"]),
    ("rating", &["drawdown", "rating", "explain"]),
    ("calls", &["wire", "api", "scenario", "diff", "http"]),
];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).expect("src is readable") {
        let p = e.expect("dir entry").path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") && !p.to_string_lossy().ends_with("_tests.rs") {
            out.push(p);
        }
    }
}

/// The code of a file without comments and without its `#[cfg(test)]` module (tests may reach anywhere).
fn code(path: &Path) -> String {
    let text = std::fs::read_to_string(path).expect("readable source");
    let text = text.split("#[cfg(test)]\nmod tests").next().unwrap_or_default();
    text.lines()
        .map(|l| l.split("//").next().unwrap_or_default())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The top-level module a source file belongs to (`rating/lines.rs` → `rating`).
fn owner(path: &Path) -> String {
    let rel = path.strip_prefix(src()).expect("under src");
    let first = rel.components().next().expect("a component");
    first.as_os_str().to_string_lossy().trim_end_matches(".rs").to_string()
}

/// `pub use a::b::Item;` in lib.rs: `Item` (or `b`) is module `a`'s.
fn reexports() -> BTreeMap<String, String> {
    let lib = std::fs::read_to_string(src().join("lib.rs")).expect("lib.rs");
    let mut out = BTreeMap::new();
    for line in lib.lines().filter_map(|l| l.strip_prefix("pub use ")) {
        let path = line.trim_end_matches(';');
        let Some((module, rest)) = path.split_once("::") else {
            continue;
        };
        let names = rest.rsplit("::").next().unwrap_or_default();
        for n in names.trim_matches(|c| c == '{' || c == '}').split(',') {
            out.insert(n.trim().to_string(), module.to_string());
        }
    }
    out
}

/// Every `crate::name` the code names, and the names inside `use crate::{a, b::c}`.
fn named_modules(code: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let ident = |s: &str| -> String { s.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect() };
    for (i, _) in code.match_indices("crate::") {
        let rest = &code[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let inner = group.split('}').next().unwrap_or_default();
            out.extend(inner.split(',').map(|p| ident(p.trim())).filter(|s| !s.is_empty()));
        } else {
            out.insert(ident(rest));
        }
    }
    out
}

fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let reexported = reexports();
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for f in files {
        let from = owner(&f);
        if from == "lib" {
            continue;
        }
        for name in named_modules(&code(&f)) {
            let to = reexported.get(&name).cloned().unwrap_or(name);
            if to != from {
                graph.entry(from.clone()).or_default().insert(to);
            }
        }
    }
    graph
}

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|(_, ms)| ms.contains(&module))
}

#[test]
fn every_module_has_a_layer() {
    let lib = std::fs::read_to_string(src().join("lib.rs")).expect("lib.rs");
    let modules: Vec<&str> = lib
        .lines()
        .filter_map(|l| l.strip_prefix("pub mod ").or_else(|| l.strip_prefix("mod ")))
        .map(|m| m.trim_end_matches(';'))
        .collect();
    assert!(modules.len() > 20, "lib.rs lists the modules: {modules:?}");
    let unplaced: Vec<&&str> = modules.iter().filter(|m| layer_of(m).is_none()).collect();
    assert!(unplaced.is_empty(), "place these modules in LAYERS: {unplaced:?}");
}

#[test]
fn modules_only_look_down() {
    let mut upward = Vec::new();
    for (from, tos) in graph() {
        let Some(own) = layer_of(&from) else { continue };
        for to in tos {
            if let Some(theirs) = layer_of(&to) {
                if theirs > own {
                    upward.push(format!("{from} ({}) uses {to} ({})", LAYERS[own].0, LAYERS[theirs].0));
                }
            }
        }
    }
    assert!(upward.is_empty(), "a layer reaches up:\n{}", upward.join("\n"));
}

#[test]
fn the_module_graph_has_no_circle() {
    let graph = graph();
    // Depth-first search; a module met again while still on the path closes a circle.
    fn visit<'g>(
        m: &'g str,
        graph: &'g BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<&'g str>,
        done: &mut BTreeSet<&'g str>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|p| *p == m) {
            let mut circle: Vec<String> = path[at..].iter().map(|s| s.to_string()).collect();
            circle.push(m.to_string());
            return Some(circle);
        }
        if !done.insert(m) {
            return None;
        }
        path.push(m);
        for to in graph.get(m).into_iter().flatten() {
            if let Some(c) = visit(to, graph, path, done) {
                return Some(c);
            }
        }
        path.pop();
        None
    }
    let mut done = BTreeSet::new();
    for m in graph.keys() {
        if let Some(circle) = visit(m, &graph, &mut Vec::new(), &mut done) {
            panic!("the modules form a circle: {}", circle.join(" → "));
        }
    }
}

/// The test can fail: a made-up source where a term reaches the state is caught.
#[test]
fn a_term_reaching_the_model_would_be_caught() {
    let names = named_modules("use crate::{money::Money, state::State};\nfn f(s: &crate::rating::X) {}");
    assert_eq!(
        names,
        ["money", "rating", "state"]
            .iter()
            .map(|s| s.to_string())
            .collect::<BTreeSet<_>>()
    );
    assert!(layer_of("state") > layer_of("commit"));
}

/// Files a reader can hold: no source file of the core (its tests aside) is over 450 lines. Split a
/// long one by job, not by line count.
#[test]
fn no_core_file_is_over_450_lines() {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let long: Vec<String> = files
        .iter()
        .filter_map(|f| {
            let n = std::fs::read_to_string(f).ok()?.lines().count();
            (n > 450).then(|| format!("{} ({n} lines)", f.display()))
        })
        .collect();
    assert!(files.len() > 40, "the sources are read");
    assert!(long.is_empty(), "split by job: {long:?}");
}
