#!/usr/bin/env bash
# The app's Rust step, run by Trunk as a post-build hook (Trunk.toml) in place of its own: the app's pages,
# the example and the scenario export are split into .wasm chunks loaded when first needed (Leptos'
# `#[lazy_route]` / `#[lazy]`), and Trunk cannot split (trunk-rs/trunk#1022). The order is the one
# cargo-leptos uses: link with relocations kept, split, then wasm-bindgen on the main module.
# Always the `wasm-release` profile: a lazy function only runs through the split, and the split is
# only tried here on the build the app ships.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
out="${TRUNK_STAGING_DIR:?run through trunk build or trunk serve}"
target="${CARGO_TARGET_DIR:-$PWD/target}"
# Relocations tell the splitter which function and data each piece of code refers to.
RUSTFLAGS="${RUSTFLAGS:-} -C link-arg=--emit-relocs" \
  cargo build -p tally-app --bin tally-app --target wasm32-unknown-unknown --profile wasm-release
wasm="$target/wasm32-unknown-unknown/wasm-release/tally-app.wasm"
split="$target/wasm-split/tally-app"
rm -rf "$split" && mkdir -p "$split"
wasm-split-cli --target web --out-name tally-app "$wasm" "$split"
# Everything goes into a folder named after the build's content, so a browser never mixes a cached
# chunk of one build with the main module of another (the files' own names are fixed).
hash=$(sha256sum "$wasm" | cut -c1-16)
app="$out/app-$hash"
mkdir -p "$app"
# The main module through wasm-bindgen (the loader's exports kept); the chunks and their loader
# (__wasm_split.js, which imports the main module's JS as ./tally-app.js) go beside it unchanged.
wasm-bindgen --target web --keep-lld-exports --no-typescript --out-name tally-app --out-dir "$app" \
  "$split/tally-app.wasm"
find "$split" -maxdepth 1 -type f ! -name tally-app.wasm -exec cp {} "$app/" \;
# A chunk that fails to load (the network gone, a dropped connection) is tried again, once the browser
# is online and after a growing pause, instead of answering failure to the Rust side, whose loader
# panics on it and so would stop the app. The loader is generated: the build fails if its shape changed.
loader="$app/__wasm_split.js"
grep -q "await callee();" "$loader"
perl -pi -e 's/await callee\(\);/await retried(callee);/' "$loader"
cat >> "$loader" <<'JS'
// Added by scripts/build-app-wasm.sh: a failed load is tried again rather than reported.
async function retried(load) {
    for (let pause = 1000; ; pause = Math.min(2 * pause, 30000)) {
        try {
            return await load();
        } catch (e) {
            console.warn("Tally: a part of the app could not be loaded; trying again", e);
            await new Promise((again) => navigator.onLine
                ? setTimeout(again, pause)
                : addEventListener("online", again, { once: true }));
        }
    }
}
JS
# The page (already written by Trunk: this hook runs after it) loads them from that folder.
sed -i "s|\"/tally-app|\"/app-$hash/tally-app|g" "$out/index.html"
grep -q "/app-$hash/tally-app.js" "$out/index.html"
