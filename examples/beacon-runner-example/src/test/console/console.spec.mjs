// Browser acceptance tests of the operator console (issue #14), in Debian's chromium driven by
// playwright-core. ConsoleBrowserIT starts the example runner on PostgreSQL + Redis, makes a poison
// job's dead letter and an XSS dead letter, then runs this with:
//   CONSOLE_URL      the runner's base URL, such as http://127.0.0.1:18311
//   CONSOLE_TOKEN    the admin token
//   POISON_JOB_ID    the job whose dead letter the page must requeue until it completes
//   POISON_ERROR     the error class of that dead letter (the requeue filter)
//   POISON_COUNT     how many dead letters have that class (what the preview must say)
//   XSS_TEXT         the error message of the XSS dead letter
//   BREAKER          the breaker to force open and reset
//   SCREENSHOTS      where to write one PNG per state
// Exit status 0 when every scenario passed; each failure is printed with the scenario's name.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(name + ' is not set');
  return value;
};
const BASE = env('CONSOLE_URL');
const TOKEN = env('CONSOLE_TOKEN');
const POISON_JOB_ID = env('POISON_JOB_ID');
const POISON_ERROR = env('POISON_ERROR');
const POISON_COUNT = Number(env('POISON_COUNT'));
const XSS_TEXT = env('XSS_TEXT');
const BREAKER = env('BREAKER');
const SCREENSHOTS = env('SCREENSHOTS');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
mkdirSync(SCREENSHOTS, { recursive: true });

const api = async (method, path, admin) => {
  const headers = admin ? { Authorization: 'Bearer ' + TOKEN, 'X-Beacon-Actor': 'console-test-api' } : {};
  const response = await fetch(BASE + path, { method, headers });
  return { status: response.status, body: await response.json().catch(() => null) };
};
const breakerState = async () => (await api('GET', '/health/breakers', false)).body.circuit_breakers
  .find((b) => b.name === BREAKER).state;
const row = (page) => page.locator(`#breakers tbody tr[data-breaker="${BREAKER}"]`);

const results = [];
async function scenario(name, body) {
  const started = Date.now();
  try {
    await body();
    results.push({ name, ok: true, ms: Date.now() - started });
    console.log(`PASS ${name} (${Date.now() - started} ms)`);
  } catch (e) {
    results.push({ name, ok: false });
    console.log(`FAIL ${name}: ${e.stack || e}`);
  }
}

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
const page = await context.newPage();
const consoleErrors = [];
const dialogs = [];
page.on('console', (message) => { if (message.type() === 'error') consoleErrors.push(message.text()); });
page.on('pageerror', (error) => consoleErrors.push('page error: ' + error.message));
page.on('dialog', async (dialog) => { dialogs.push(dialog.message()); await dialog.dismiss(); });
// Nothing may leave the runner's origin: no CDN, no font, no beacon.
const foreign = [];
page.on('request', (request) => { if (!request.url().startsWith(BASE)) foreign.push(request.url()); });
const shot = (name) => page.screenshot({ path: join(SCREENSHOTS, name + '.png'), fullPage: true });

try {
  await scenario('page loads with no console errors, strict headers, only same-origin requests', async () => {
    const response = await page.goto(BASE + '/console/', { waitUntil: 'load' });
    assert.equal(response.status(), 200);
    const headers = response.headers();
    assert.match(headers['content-security-policy'], /script-src 'self'/);
    assert.doesNotMatch(headers['content-security-policy'], /unsafe/);
    assert.equal(headers['x-frame-options'], 'DENY');
    assert.equal(headers['x-content-type-options'], 'nosniff');
    await row(page).waitFor({ timeout: 10000 });
    await page.locator('#alerts li').first().waitFor({ timeout: 15000 });
    assert.equal(await page.locator('#alerts li').count(), 8);
    const link = await page.locator('#alerts li[data-alert="JobsStuckInQueue"] a').getAttribute('href');
    assert.match(link, /runbook\.md#jobs-stuck-in-queue$/);
    await page.locator('#chart-unpublished polyline').waitFor({ state: 'attached', timeout: 15000 });
    await shot('01-loaded');
    assert.deepEqual(consoleErrors, []);
    assert.deepEqual(foreign, []);
  });

  await scenario('a breaker forced open through the API shows OPEN within 2 s', async () => {
    const forced = await api('POST', `/api/v1/admin/circuit-breakers/${BREAKER}/force-open?duration=PT5M`, true);
    assert.equal(forced.status, 200);
    const started = Date.now();
    await row(page).locator('.state', { hasText: 'OPEN' }).waitFor({ timeout: 2000 });
    console.log(`  OPEN shown ${Date.now() - started} ms after the API call`);
    await shot('02-forced-open');
  });

  await scenario('a wrong token shows a clear error and changes nothing', async () => {
    await page.fill('#token', 'not-the-admin-token');
    await page.click('#token-use');
    await row(page).getByRole('button', { name: 'Reset' }).click();
    await page.locator('#message', { hasText: 'refused (401' }).waitFor({ timeout: 5000 });
    assert.match(await page.textContent('#message'), /nothing was changed/);
    assert.match(await breakerState(), /OPEN/);
    // Two polls later the page still shows it open.
    await page.waitForTimeout(2500);
    assert.match(await row(page).locator('.state').textContent(), /OPEN/);
    // After the 401 the page stops polling the admin reads until a token is typed again.
    assert.match(await page.textContent('#token-state'), /token refused/);
    await shot('03-wrong-token');
  });

  await scenario('reset with the token typed into the page closes the breaker and shows its audit line', async () => {
    await page.fill('#token', TOKEN);
    await page.fill('#actor', 'oncall-alice');
    await page.click('#token-use');
    const stored = await page.evaluate(() => ({ session: sessionStorage.getItem('beacon.adminToken'),
      local: localStorage.length, cookie: document.cookie, url: location.href }));
    assert.equal(stored.session, TOKEN);
    assert.equal(stored.local, 0);
    assert.equal(stored.cookie, '');
    assert.ok(!stored.url.includes(TOKEN));
    await row(page).getByRole('button', { name: 'Reset' }).click();
    await row(page).locator('.state', { hasText: /^CLOSED$/ }).waitFor({ timeout: 2000 });
    assert.equal(await breakerState(), 'CLOSED');
    const audit = await page.textContent('#audit-line');
    assert.match(audit, /action="POST circuit-breakers\/\{name\}\/reset"/);
    assert.match(audit, /actor=oncall-alice/);
    assert.match(audit, /status=200/);
    assert.ok(!audit.includes(TOKEN));
    await page.locator('#audit li', { hasText: 'actor=anonymous' }).first().waitFor({ timeout: 6000 });
    await shot('04-reset');
  });

  await scenario('the poison job\'s dead letter appears, the preview count is right, requeue from the page completes the job', async () => {
    await page.locator('#letters tbody tr', { hasText: POISON_ERROR }).first().waitFor({ timeout: 10000 });
    await page.fill('#filter-error-class', POISON_ERROR);
    await page.click('#dlq-filter button[type="submit"]');
    await page.click('#dlq-requeue');
    await page.locator('#confirm').waitFor({ state: 'visible', timeout: 5000 });
    assert.equal(Number(await page.getAttribute('#confirm', 'data-matches')), POISON_COUNT);
    assert.match(await page.textContent('#confirm-text'), new RegExp('^Requeue ' + POISON_COUNT + ' dead letter'));
    await shot('05-requeue-preview');
    await page.click('#confirm-yes');
    await page.locator('#progress-text', { hasText: `requeue finished: ${POISON_COUNT} of ${POISON_COUNT}` })
      .waitFor({ timeout: 15000 });
    const deadline = Date.now() + 60000;
    let status;
    while (Date.now() < deadline) {
      status = (await api('GET', '/api/v1/jobs/' + POISON_JOB_ID, false)).body.status;
      if (status === 'COMPLETED') break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    assert.equal(status, 'COMPLETED');
    await page.fill('#filter-error-class', '');
    await page.click('#dlq-filter button[type="submit"]');
    await shot('06-requeued');
  });

  await scenario('the XSS letter renders as text', async () => {
    const cell = page.locator('#letters tbody td.error', { hasText: XSS_TEXT }).first();
    await cell.waitFor({ timeout: 10000 });
    assert.equal(await cell.textContent(), XSS_TEXT);
    assert.equal(await page.locator('#letters img, #patterns img, #letter-detail img').count(), 0);
    await cell.click();
    await page.locator('#letter-detail').waitFor({ state: 'visible' });
    assert.ok((await page.textContent('#detail-fields')).includes(XSS_TEXT));
    await page.waitForTimeout(500);
    assert.deepEqual(dialogs, []);
    await shot('07-xss-as-text');
  });

  await scenario('the backlog chart draws the history: a paused publisher\'s unpublished jobs climb', async () => {
    const fault = async (paused) => {
      const response = await fetch(BASE + '/api/v1/admin/faults', { method: 'POST',
        headers: { Authorization: 'Bearer ' + TOKEN, 'Content-Type': 'application/json' },
        body: JSON.stringify({ target: 'publisher', paused }) });
      assert.equal(response.status, 201);
    };
    await fault(true);
    try {
      for (let i = 0; i < 15; i++) {
        const response = await fetch(BASE + '/api/v1/jobs', { method: 'POST', headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ type: 'render', payload: { backlog: i } }) });
        assert.equal(response.status, 202);
      }
      // The monitor, the health check and the history each take their own interval to see it.
      await page.locator('#chart-unpublished text', { hasText: /unpublished: 15/ }).waitFor({ timeout: 30000 });
      await page.locator('#publisher', { hasText: 'stopped' }).waitFor({ timeout: 10000 });
      await shot('08-backlog');
    } finally {
      await fault(false);
    }
  });

  await scenario('no console error in the whole session', async () => {
    // The 401 of the wrong token is the one expected failed request; nothing else may have logged an error.
    const unexpected = consoleErrors.filter((e) => !/status of 401/.test(e));
    assert.deepEqual(unexpected, []);
    assert.deepEqual(foreign, []);
  });
} finally {
  await browser.close();
}

const failed = results.filter((r) => !r.ok);
console.log(`${results.length - failed.length} of ${results.length} console scenarios passed`);
process.exit(failed.length === 0 ? 0 : 1);
