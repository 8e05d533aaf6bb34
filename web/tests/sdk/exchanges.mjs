// Records what passes through a `fetch`: each request's endpoint (as the SDK's list names it, with
// `{id}` for path parameters), its status and its body, so a test can check every answer against the
// SDK's declared response type.

import { responses } from '../sdk-responses.mjs';

const endpoints = Object.keys(responses()).map((key) => {
  const [verb, route] = key.split(' ');
  const parts = route.split('/');
  return { key, verb, parts };
});

/** The SDK's name for `method` on `pathname`: `GET /v1/customers/{id}`; `null` for a call Metronome lacks. */
export function endpointOf(method, pathname) {
  const parts = pathname.replace(/\/+$/, '').split('/');
  // A literal segment beats `{id}`: `/v1/customers/archive` is not a customer named "archive".
  const score = (e) => e.parts.filter((p) => !p.startsWith('{')).length;
  const hits = endpoints.filter(
    (e) => e.verb === method && e.parts.length === parts.length && e.parts.every((p, i) => p.startsWith('{') || p === parts[i]),
  );
  hits.sort((a, b) => score(b) - score(a));
  return hits[0]?.key ?? null;
}

/**
 * A `fetch` that calls `inner` and keeps each exchange in `log`.
 * @param {(input: Request) => Promise<Response>} inner
 */
export function recording(inner) {
  /** @type {{ endpoint: string | null, method: string, url: string, status: number, body: unknown }[]} */
  const log = [];
  /** @param {string | URL | Request} input @param {RequestInit} [init] */
  const fetch = async (input, init) => {
    const request = new Request(input, init);
    const response = await inner(request);
    const text = await response.clone().text();
    let body = text;
    try { body = JSON.parse(text); } catch { /* kept as text: the check names it */ }
    const url = new URL(request.url);
    log.push({ endpoint: endpointOf(request.method, url.pathname), method: request.method, url: url.pathname + url.search, status: response.status, body });
    return response;
  };
  return { fetch, log };
}
