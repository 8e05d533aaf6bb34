#!/usr/bin/env bash
# Builds the JS package of Tally into pkg/: pkg/web (ES module for browsers, with the package's one
# .wasm) and pkg/node (Node.js: CommonJS glue that reads ../web's .wasm, and an ES module entry), with
# one package.json, README.md and LICENSE. docs/js-package.md says why it is laid out so. Uses
# the wasm-bindgen CLI that matches Cargo.lock (scripts/tools.sh), and node (the ES module entry's
# export list).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
# The `wasm` profile: fat LTO, one codegen unit (Cargo.toml); native `release` builds go without.
cargo build -q -p tally-wasm --profile wasm --target wasm32-unknown-unknown
wasm="${CARGO_TARGET_DIR:-target}/wasm32-unknown-unknown/wasm/tally_wasm.wasm"
rm -rf pkg && mkdir -p pkg
wasm-bindgen --target web --out-dir pkg/web "$wasm"
wasm-bindgen --target nodejs --out-dir pkg/node "$wasm"
# The package's README is docs/js.md: written for a package user, with no link that needs this repository.
# The LICENSE is the repository's. Each is copied when present; the package tests say if one is missing.
for pair in docs/js.md:README.md LICENSE:LICENSE; do
  if [ -f "${pair%%:*}" ]; then cp "${pair%%:*}" "pkg/${pair##*:}"
  else echo "build-pkg.sh: warning: ${pair%%:*} is missing, so pkg/ has no ${pair##*:}" >&2; fi
done

# One .wasm in the package: both builds' are the same bytes (checked), and the Node glue reads the web
# build's instead of its own copy.
cmp -s pkg/web/tally_wasm_bg.wasm pkg/node/tally_wasm_bg.wasm ||
  { echo "build-pkg.sh: the web and Node builds' .wasm differ; the Node glue cannot share the web one" >&2; exit 1; }
node_glue=pkg/node/tally_wasm.js
if [ "$(grep -cF '`${__dirname}/tally_wasm_bg.wasm`' "$node_glue")" != 1 ]; then
  echo "build-pkg.sh: $node_glue no longer reads \`\${__dirname}/tally_wasm_bg.wasm\` (a new wasm-bindgen?): update this script" >&2
  exit 1
fi
sed -i 's|`${__dirname}/tally_wasm_bg.wasm`|`${__dirname}/../web/tally_wasm_bg.wasm`|' "$node_glue"
grep -qF '`${__dirname}/../web/tally_wasm_bg.wasm`' "$node_glue"
rm pkg/node/tally_wasm_bg.wasm pkg/node/tally_wasm_bg.wasm.d.ts

# TallyError (the class every refused call throws) and the guard that refuses a freed Engine plainly:
# the same code appended to both glues, then each build's export of the class.
glue_tail=crates/tally-wasm/js/glue-tail.js
{ cat "$glue_tail"; echo 'export { TallyError };'; } >> pkg/web/tally_wasm.js
{ cat "$glue_tail"; cat <<'JS'; } >> "$node_glue"
exports.TallyError = TallyError;
// Node loads the .wasm when this file is required, so `init` has nothing to do; it is here so that code
// written for the browser (`import init, { Engine } from 'tally-billing'; await init();`) runs unchanged
// in Node, also when compiled to CommonJS (TypeScript, Babel), which reads `.default` of an `__esModule`.
exports.default = function init() { return Promise.resolve(); };
Object.defineProperty(exports, '__esModule', { value: true });
JS
init_doc='/** Node compiles and instantiates the .wasm when the package is loaded: `init()` does nothing and resolves at once, so code written for the browser (`await init()`) runs unchanged. */
export default function init(module_or_path?: unknown): Promise<void>;'
printf '\n%s\n' "$init_doc" >> pkg/node/tally_wasm.d.ts

# Node's ES module entry: the CommonJS build's exports (one instance for `import` and `require`, so
# `instanceof TallyError` holds across both) and its no-op default `init`.
names=$(node -e 'console.log(Object.keys(require(process.argv[1])).filter((k) => k !== "default").join(", "))' "$PWD/$node_glue")
cat > pkg/node/index.mjs <<JS
// Node's ES module entry of tally-billing (written by scripts/build-pkg.sh): the CommonJS build, so that
// \`import\` and \`require\` share one instance, and its default \`init\`, which does nothing in Node.
import { createRequire } from 'node:module';

const tally = createRequire(import.meta.url)('./tally_wasm.js');
export const { $names } = tally;
export default tally.default;
JS
cat > pkg/node/index.d.mts <<TS
export * from './tally_wasm.js';
$init_doc
TS

version=$(awk -F'"' '/^version = /{print $2; exit}' Cargo.toml)
repository=$(awk -F'"' '/^repository = /{print $2; exit}' crates/tally-wasm/Cargo.toml)
[ -n "$repository" ] || { echo "build-pkg.sh: crates/tally-wasm/Cargo.toml has no repository" >&2; exit 1; }
cat > pkg/package.json <<JSON
{
  "name": "tally-billing",
  "version": "$version",
  "description": "Tally: a usage-based billing rating engine (Metronome's contract model) compiled to WebAssembly",
  "license": "MIT",
  "repository": { "type": "git", "url": "$repository" },
  "keywords": ["billing", "usage-based billing", "rating", "metering", "invoicing", "pricing", "metronome", "webassembly", "wasm"],
  "engines": { "node": ">=18" },
  "sideEffects": false,
  "main": "./node/tally_wasm.js",
  "types": "./node/tally_wasm.d.ts",
  "exports": {
    ".": {
      "node": {
        "import": { "types": "./node/index.d.mts", "default": "./node/index.mjs" },
        "default": { "types": "./node/tally_wasm.d.ts", "default": "./node/tally_wasm.js" }
      },
      "default": { "types": "./web/tally_wasm.d.ts", "default": "./web/tally_wasm.js" }
    },
    "./tally_wasm_bg.wasm": "./web/tally_wasm_bg.wasm",
    "./package.json": "./package.json"
  },
  "files": ["web/", "node/", "README.md", "LICENSE"]
}
JSON
