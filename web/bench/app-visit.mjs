// What the app's first-render benchmarks share: a browser context that has stored the example (so
// each page after it is a return visit), and a visit timed from navigation start to the moment the
// page's own content is in the DOM.

/// A first visit in `context`, left once the example is saved: later pages in it are return visits.
export async function storeExample(context, base) {
  const page = await context.newPage();
  await page.goto(base + '/');
  await page.locator('tr.customer-row').first().waitFor();
  await page.waitForFunction(() => localStorage.getItem('tally.state.v2')?.includes('WidgetsExpress'));
  await page.close();
}

/// Opens `url` in a new page of `context` with the cache off (and the network `conditions` given, as
/// CDP's `Network.emulateNetworkConditions` takes them), waits for `selector`, and returns the page
/// and the milliseconds from navigation start until `selector` first matched.
export async function timedVisit(context, url, selector, conditions) {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  if (conditions) await cdp.send('Network.emulateNetworkConditions', { offline: false, ...conditions });
  await page.addInitScript((sel) => new MutationObserver((_, obs) => {
    if (document.querySelector(sel)) { window.__renderedAt = performance.now(); obs.disconnect(); }
  }).observe(document, { childList: true, subtree: true }), selector);
  await page.goto(url);
  await page.locator(selector).first().waitFor({ timeout: 120_000 });
  return { page, ms: await page.evaluate(() => window.__renderedAt) };
}
