// The dashboard in a real headless Chromium (Debian's, driven by playwright-core) against a real
// `credo serve` on a loopback port: every view loads without a console error and says what the
// API says, an unknown client and a malformed number are told beside the field, axe-core finds
// no WCAG 2.1 A/AA violation at 100% and 200% zoom, every control is reached with Tab and works
// from the keyboard with a visible focus, and a service with a token file asks for a token once
// per browser session. Screenshots of each view at both zooms go to WORK_DIR/screenshots.
// usage: node dashboard_test.mjs CREDO_BINARY WORK_DIR   (ctest runs it: tests/CMakeLists.txt)
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { prepareStore, startServe, writeTokenFile } from './serve_fixture.mjs';

const [credo, workDir] = process.argv.slice(2);
if (!credo || !workDir) {
  console.error('usage: node dashboard_test.mjs CREDO_BINARY WORK_DIR');
  process.exit(2);
}
const kChromium = process.env.CREDO_CHROMIUM || '/usr/bin/chromium';
const kAxeScript = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const kViews = ['score', 'why', 'info'];
const kToken = 'dashboard-test-token-0123456789abcdef';
// 100%: a 1280x800 window; 200%: the same window at twice the zoom (half the CSS pixels).
const kZooms = { 100: { viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 },
                 200: { viewport: { width: 640, height: 400 }, deviceScaleFactor: 2 } };

let fixture, serve, browser;
const screenshots = join(workDir, 'screenshots');

before(async () => {
  if (!existsSync(kChromium))
    throw new Error(`no Chromium at ${kChromium}: run scripts/install-deps.sh (Debian's chromium), or set CREDO_CHROMIUM`);
  fixture = prepareStore(credo, join(workDir, 'fixture'));
  serve = await startServe(credo, fixture.store);
  browser = await chromium.launch({ executablePath: kChromium, args: ['--no-sandbox'] });
  mkdirSync(screenshots, { recursive: true });
});

after(async () => {
  await browser?.close();
  await serve?.stop();
});

// A page whose console errors, failed requests and uncaught exceptions are collected.
async function openPage(zoom = 100, options = {}) {
  const context = await browser.newContext({ ...kZooms[zoom], bypassCSP: options.bypassCSP ?? false });
  const page = await context.newPage();
  page.problems = [];
  page.on('console', (message) => { if (message.type() === 'error') page.problems.push(message.text()); });
  page.on('pageerror', (error) => page.problems.push(error.message));
  return page;
}

// Opens a client's view and waits until it is shown (or an error is).
async function showView(page, base, id, view) {
  await page.goto(`${base}/?client=${id}&view=${view}`);
  await page.waitForFunction(() => /shown\.$/.test(document.getElementById('status').textContent) ||
                                   !document.getElementById('client-error').hidden ||
                                   document.getElementById('token') !== null, null, { timeout: 15000 });
}

async function api(path) {
  const response = await fetch(`${serve.url}${path}`);
  assert.equal(response.status, 200, path);
  return response.json();
}

const percentText = (p) => `${(p * 100).toFixed(1)}%`;

test('each view loads without a console error, titled with the client and the view', async () => {
  const id = fixture.ids[0];
  for (const zoom of [100, 200]) {
    const page = await openPage(zoom);
    for (const view of kViews) {
      await showView(page, serve.url, id, view);
      const label = { score: 'score', why: 'why', info: 'client information' }[view];
      assert.equal(await page.title(), `Client ${id} - ${label} - credo`);
      assert.equal(await page.locator('h1').count(), 1);
      assert.equal(await page.locator('h1').textContent(), `Client ${id}: ${label}`);
      assert.equal(await page.locator(`nav a[aria-current="page"]`).textContent(),
                   { score: 'Score', why: 'Why', info: 'Client information' }[view]);
      await page.screenshot({ path: join(screenshots, `${view}-${zoom}.png`), fullPage: true });
    }
    assert.deepEqual(page.problems, []);
    await page.context().close();
  }
});

test('at 320 CSS pixels wide every view reflows without scrolling sideways (WCAG 1.4.10)', async () => {
  const page = await openPage(100);
  await page.setViewportSize({ width: 320, height: 640 });
  for (const view of kViews) {
    await showView(page, serve.url, fixture.ids[0], view);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.equal(overflow, 0, `${view} is ${overflow} px wider than the window`);
    await page.screenshot({ path: join(screenshots, `${view}-320px.png`), fullPage: true });
  }
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('the probability, decision and threshold shown are the API\'s, for several clients', async (t) => {
  const page = await openPage();
  for (const id of fixture.ids.slice(0, 6)) {
    const score = await api(`/api/v1/clients/${id}/score`);
    const started = Date.now();
    await showView(page, serve.url, id, 'score');
    t.diagnostic(`client ${id}: from navigation to the score shown in ${Date.now() - started} ms`);
    assert.equal(await page.locator('[data-fact="probability"]').textContent(), percentText(score.probability), id);
    assert.equal(await page.locator('[data-fact="threshold"]').textContent(), percentText(score.threshold), id);
    assert.equal(await page.locator('[data-decision]').getAttribute('data-decision'), score.decision, id);
    assert.match(await page.locator('.decision').textContent(), new RegExp(score.decision));
    const side = score.probability < score.threshold ? 'below' : 'above';
    assert.equal(await page.locator('[data-fact="distance"]').textContent(),
                 `${Math.abs(score.distance_to_threshold * 100).toFixed(1)} points ${side}`, id);
    assert.match(await page.locator('.read-aloud').textContent(),
                 new RegExp(`so the application is ${score.decision === 'REFUSED' ? 'refused' : 'accepted'}\\.`));
    // The gauge's text alternative says the same.
    assert.match(await page.locator('.chart-summary').first().textContent(), new RegExp(percentText(score.probability)));
  }
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('the why view shows each main reason with its description, value and effect, and the global importance', async () => {
  const id = fixture.ids[1];
  const explanation = await api(`/api/v1/clients/${id}/explanation?top=5`);
  const importance = await api('/api/v1/importance?top=10');
  const page = await openPage();
  await showView(page, serve.url, id, 'why');
  const rows = page.locator('.waterfall-row');
  const reasons = explanation.reasons_toward_refusal.length + explanation.reasons_toward_acceptance.length;
  assert.equal(await rows.count(), reasons + 3, 'base, reasons, the rest, the client');
  for (const reason of [...explanation.reasons_toward_refusal, ...explanation.reasons_toward_acceptance]) {
    const row = page.locator('.waterfall-row', { hasText: reason.description }).first();
    assert.match(await row.textContent(), new RegExp(`value: ${reason.value_in_words.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    assert.match(await row.textContent(), reason.contribution_probability >= 0 ? /raises the risk/ : /lowers the risk/);
  }
  assert.match(await rows.last().textContent(), new RegExp(percentText(explanation.probability).replace('.', '\\.')));
  assert.equal(await page.locator('.bars-row').count(), importance.features.length);
  // Every chart has its data as a table.
  assert.equal(await page.locator('figure.chart').count(), await page.locator('figure.chart details table').count());
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('typing a client number offers the known clients starting with those digits', async () => {
  const page = await openPage();
  await page.goto(`${serve.url}/`);
  const prefix = fixture.ids[0].slice(0, 4);
  const answer = await api(`/api/v1/clients?prefix=${prefix}&limit=10`);
  assert.ok(answer.clients.length > 1, 'the fixture has several clients to suggest');
  await page.locator('#client').pressSequentially(prefix, { delay: 30 });
  await page.waitForFunction((count) => document.querySelectorAll('#client-suggestions option').length === count,
                             answer.clients.length);
  const offered = await page.evaluate(() => [...document.querySelectorAll('#client-suggestions option')].map((o) => o.value));
  assert.deepEqual(offered, answer.clients.map(String));
  await page.locator('#client').fill('12a');
  await page.locator('#client').dispatchEvent('input');
  assert.equal(await page.locator('#client-suggestions option').count(), 0, 'nothing offered for a malformed number');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('an unknown client and a malformed number are told beside the field', async () => {
  const page = await openPage();
  await page.goto(`${serve.url}/?client=999&view=score`);
  await page.locator('#client-error').waitFor({ state: 'visible' });
  assert.match(await page.locator('#client-error').textContent(), /No client 999 is known/);
  assert.equal(await page.locator('#client').getAttribute('aria-invalid'), 'true');
  assert.equal(await page.title(), 'Client 999 not found - credo');
  await page.fill('#client', 'abc');
  await page.press('#client', 'Enter');
  assert.match(await page.locator('#client-error').textContent(), /whole number/);
  assert.equal(new URL(page.url()).searchParams.get('client'), '999', 'a malformed number is not sent');
  // The browser reports the API's 404 as a failed resource; nothing else may fail.
  assert.deepEqual(page.problems.filter((p) => !/404 \(Not Found\)/.test(p)), []);
  await page.context().close();
});

test('axe-core finds no violation on any view at 100% and 200% zoom', async () => {
  for (const zoom of [100, 200]) {
    const page = await openPage(zoom, { bypassCSP: true });  // axe is injected into the page
    for (const target of [...kViews.map((view) => ({ id: fixture.ids[0], view })), { id: '999', view: 'score' }]) {
      await showView(page, serve.url, target.id, target.view);
      await page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
      await page.addScriptTag({ path: kAxeScript });
      const result = await page.evaluate(() => window.axe.run(document, {
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } }));
      const violations = result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target).join(' ')})`);
      assert.deepEqual(violations, [], `${target.view} of ${target.id} at ${zoom}%`);
    }
    await page.context().close();
  }
});

test('keyboard only: every control is reached with Tab, with a visible focus, and works', async () => {
  const page = await openPage();
  const id = fixture.ids[0];
  await showView(page, serve.url, id, 'why');
  const controls = await page.evaluate(() =>
    [...document.querySelectorAll('a[href], button, input:not([type="hidden"]), summary')].length);
  const reached = new Set();
  for (let i = 0; i < controls + 3; ++i) {
    await page.keyboard.press('Tab');
    const focus = await page.evaluate(() => {
      const e = document.activeElement;
      const style = getComputedStyle(e);
      return { key: `${e.tagName} ${e.textContent.trim().slice(0, 40)} ${e.id}`,
               visible: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2 };
    });
    if (focus.key.startsWith('BODY')) continue;
    assert.ok(focus.visible, `focus visible on ${focus.key}`);
    reached.add(focus.key);
  }
  assert.equal(reached.size, controls, [...reached].join(' | '));
  // Space opens a chart's data table; Enter follows a view link; Enter in the field finds a client.
  const summary = page.locator('summary').first();
  await summary.focus();
  await page.keyboard.press(' ');
  assert.equal(await page.locator('details').first().getAttribute('open'), '');
  await page.locator('nav a', { hasText: 'Score' }).focus();
  await page.keyboard.press('Enter');
  await page.waitForURL(/view=score/);
  await page.locator('#client').focus();
  await page.keyboard.press('Control+A');
  await page.keyboard.type(fixture.ids[2]);
  await page.keyboard.press('Enter');
  await page.waitForURL(new RegExp(`client=${fixture.ids[2]}`));
  await page.waitForFunction(() => /shown\.$/.test(document.getElementById('status').textContent));
  assert.equal(await page.locator('h1').textContent(), `Client ${fixture.ids[2]}: score`);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('with a token file, the page asks for a token once and keeps it for the browser session', async () => {
  const guarded = await startServe(credo, fixture.store, ['--token-file', writeTokenFile(workDir, kToken)]);
  try {
    const page = await openPage();
    const id = fixture.ids[0];
    await showView(page, guarded.url, id, 'score');
    assert.equal(await page.locator('h1').textContent(), 'Access token needed');
    assert.match(await page.locator('#token-error').textContent(), /needs an access token/);
    await page.fill('#token', 'not-the-token-but-long-enough-0123456789');
    await page.press('#token', 'Enter');
    await page.waitForLoadState('load');
    await showView(page, guarded.url, id, 'score');
    assert.equal(await page.locator('h1').textContent(), 'Access token needed', 'a wrong token is refused');
    await page.fill('#token', kToken);
    await page.press('#token', 'Enter');
    await page.waitForLoadState('load');
    await showView(page, guarded.url, id, 'score');
    assert.equal(await page.locator('h1').textContent(), `Client ${id}: score`);
    await showView(page, guarded.url, id, 'why');
    assert.equal(await page.locator('h1').textContent(), `Client ${id}: why`, 'asked once');
    assert.equal(await page.evaluate(() => sessionStorage.getItem('credo.token')), kToken);
    assert.equal(await page.evaluate(() => localStorage.length), 0, 'nothing kept beyond the session');
    // The API's refusals (401) are failed resources to the browser; nothing else may fail.
    assert.deepEqual(page.problems.filter((p) => !/401 \(Unauthorized\)/.test(p)), []);
    await page.context().close();
  } finally {
    await guarded.stop();
  }
});
