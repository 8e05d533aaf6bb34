
// ---- Appended by scripts/build-pkg.sh (crates/tally-wasm/js/glue-tail.js) to the glue of both builds:
// pkg/web/tally_wasm.js (an ES module) and pkg/node/tally_wasm.js (CommonJS). It is valid as either,
// so it neither imports nor exports; the script adds the export line each build needs.

/**
 * What a refused call throws. The Rust side (src/error.rs) constructs it: wasm-bindgen writes its
 * import of the global `TallyError` as the bare name, which in this file is this class.
 */
class TallyError extends Error {
  constructor(message, code, path = '', detail = message) {
    super(message);
    this.code = code;
    this.path = path;
    this.detail = detail;
  }
}
Object.defineProperty(TallyError.prototype, 'name', { value: 'TallyError', writable: true, configurable: true });

// After `free()` the wasm side of an Engine is gone, and wasm-bindgen's glue passes a null pointer,
// which Rust refuses with "null pointer passed to rust". Every method, `free()` itself included, first
// checks the engine was not freed and says so plainly.
{
  const freedMessage = 'this Engine was freed; create a new one';
  const freed = new WeakSet();
  const proto = Engine.prototype;
  const free = proto.free;
  const guard = (name, method) => ({
    [name](...args) {
      if (freed.has(this)) throw new TallyError(freedMessage, 'freed', '', freedMessage);
      return method.apply(this, args);
    },
  })[name];
  for (const key of Reflect.ownKeys(proto)) {
    const method = Object.getOwnPropertyDescriptor(proto, key).value;
    // wasm-bindgen's own helpers (`__destroy_into_raw`) are left as they are; `free` is below.
    if (key === 'constructor' || typeof method !== 'function' || method === free) continue;
    if (typeof key === 'string' && key.startsWith('__')) continue;
    proto[key] = guard(key, method);
  }
  proto.free = guard('free', function () {
    free.call(this);
    freed.add(this);
  });
  if (typeof Symbol.dispose === 'symbol') proto[Symbol.dispose] = proto.free;
}

// `engine.fetch`: a WHATWG `fetch` bound to its engine (so `fetch: engine.fetch` works detached), which
// answers Metronome's REST calls through `handle`, the same door as `tally serve`. Made once per engine,
// on first use. Only the path and query of the URL are read: the host names nothing here.
Object.defineProperty(Engine.prototype, 'fetch', {
  configurable: true,
  get() {
    const engine = this;
    const fetch = async (input, init = undefined) => {
      // A bare path has no origin to parse against outside a page; any will do, it is not read.
      if (typeof input === 'string' && input.startsWith('/')) input = `http://tally.local${input}`;
      const request = new Request(input, init);
      if (request.signal && request.signal.aborted) throw request.signal.reason;
      const body = new Uint8Array(await request.arrayBuffer());
      const answer = engine.handle(request.method, request.url, body);
      return new Response(answer.body, { status: answer.status, headers: answer.headers });
    };
    Object.defineProperty(this, 'fetch', { value: fetch, configurable: true });
    return fetch;
  },
});
