// What the browser tests and the wasm benchmark share: a static server on loopback and Debian's
// headless Chromium, launched by playwright-core with the flags this closed network needs.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';

const types = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css', '.json': 'application/json' };

/// Serves `dir` on 127.0.0.1 (a free port). With `spaFallback`, unknown paths get index.html, as
/// Trunk's own server does for the app's routes; otherwise they are 404. With `gzip`, every file is
/// sent gzipped (compressed once), as a web server would.
export async function serveStatic(dir, { spaFallback = false, gzip = false } = {}) {
  const gzipped = new Map();
  const server = createServer(async (req, res) => {
    let file = join(dir, normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^\/+/, ''));
    let body;
    try {
      body = await readFile(file);
    } catch {
      if (!spaFallback) { res.writeHead(404); res.end(); return; }
      file = join(dir, 'index.html');
      body = await readFile(file);
    }
    const type = types[extname(file)] ?? 'application/octet-stream';
    if (!gzip) {
      res.writeHead(200, { 'content-type': type });
      res.end(body);
      return;
    }
    if (!gzipped.has(file)) gzipped.set(file, gzipSync(body, { level: 9 }));
    res.writeHead(200, { 'content-type': type, 'content-encoding': 'gzip' });
    res.end(gzipped.get(file));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { server, base: `http://127.0.0.1:${server.address().port}` };
}

export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
