// Browser tests of the web console against the real daemon.
//
//   PORTGUARD_BIN=build/portguard OUTDIR=build/test-output node --test tests/browser/
//
// One daemon (fresh data directory, free loopback port) serves all tests; each test uses
// its own browser context, so cookies and sessionStorage never leak between tests.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import path from 'node:path';
import { request as playwrightRequest } from 'playwright-core';
import {
  OUTDIR, assertNav, escapeRe, launchBrowser, login, loginForm, mainNav, newPage,
  startDaemon, ticker, tickerLive,
} from './lib.mjs';

const ADMIN_PASSWORD = 'Quay-Crane-Ledger-4417';
const AUDITOR = { username: 'auditor1', role: 'auditor', password: 'Tide-Table-Bollard-9032' };
const LOCKME = { username: 'dockhand', role: 'gate', password: 'Pilot-Ladder-Fender-6610' };
const T = { timeout: 60_000 };

let daemon;
let browser;
const contexts = [];

before(async () => {
  daemon = await startDaemon({ adminPassword: ADMIN_PASSWORD, users: [AUDITOR, LOCKME] });
  browser = await launchBrowser();
});

after(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  if (browser) await browser.close();
  if (daemon) await daemon.cleanup();
});

async function open() {
  const { context, page } = await newPage(browser);
  contexts.push(context);
  return page;
}

function assertNoProblems(page) {
  assert.deepEqual(page.problems, [], 'no uncaught errors or CSP violations in the page');
}

test('admin logs in and sees the frame with all pages', T, async () => {
  const page = await open();
  await login(page, daemon.base, 'admin', ADMIN_PASSWORD);

  await assertNav(page, [
    ['overview', /^Overview$/], ['level', /Security level/i], ['people', /People/i], ['zones', /Zones/i],
    ['groups', /Access groups/i], ['decisions', /Decision/i], ['occupancy', /Occupancy/i],
    ['muster', /Muster/i], ['control-room', /Control room/], ['inspections', /Inspections/], ['drills', /Drills/], ['sensors', /Sensors/],
    ['waterside', /Waterside/], ['training', /^Training$/], ['training-results', /Training results/], ['compliance', /Training compliance/],
    ['users', /Users/], ['tokens', /Tokens/i], ['audit', /Audit/i]]);
  assert.equal((await page.locator('#whoami-name').textContent()).trim(), 'admin');
  assert.equal((await page.locator('#whoami-role').textContent()).trim(), 'admin');
  await page.getByRole('heading', { name: 'Overview', level: 1 }).waitFor();
  assert.match(page.url(), /#\/overview$/);
  await page.getByRole('button', { name: 'Log out' }).waitFor();

  // The overview shows real things: health from /healthz and the live ticker.
  await page.locator('#ov-health[data-state="ok"]').waitFor();
  assert.equal((await page.locator('#ov-health').textContent()).trim(), 'ok');
  await tickerLive(page);

  await page.screenshot({ path: path.join(OUTDIR, 'console-frame.png') });

  // A reload keeps the session (cookie) and the CSRF token (sessionStorage).
  await page.reload();
  await mainNav(page).getByRole('link', { name: 'Users' }).click();
  await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
  await page.getByRole('row').filter({ hasText: /^admin/ }).first().waitFor();
  assertNoProblems(page);
});

test('a wrong password shows an error and stays on the login page', T, async () => {
  const page = await open();
  await page.goto(`${daemon.base}/`);
  const f = loginForm(page);
  await f.username.fill('admin');
  await f.password.fill('not-the-password');
  await f.submit.click();

  await f.error.filter({ hasText: 'Wrong username or password.' }).waitFor();
  assert.equal(await f.heading.isVisible(), true, 'still on the login page');
  assert.equal(await page.locator('#frame').count(), 0, 'no frame');
  assert.equal(await f.password.inputValue(), '', 'the password field is cleared');
  assert.equal((await page.request.get(`${daemon.base}/api/v1/me`)).status(), 401);
  assertNoProblems(page);
});

test('admin creates a user: it is listed and the live ticker reports it', T, async () => {
  const page = await open();
  await login(page, daemon.base, 'admin', ADMIN_PASSWORD);
  await tickerLive(page);
  await mainNav(page).getByRole('link', { name: 'Users' }).click();
  await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();

  const name = 'berthop7';
  await page.getByLabel('Username', { exact: true }).fill(name);
  await page.getByLabel('Role', { exact: true }).selectOption('operator');
  await page.getByLabel('Password', { exact: true }).fill('Mooring-Line-Winch-5521');
  await page.getByRole('button', { name: 'Create user' }).click();

  await page.getByRole('status').filter({ hasText: `User ${name} created` }).waitFor();
  const users = page.getByRole('table', { name: 'Users' });
  await users.getByRole('row').filter({ hasText: name }).waitFor();

  // The event about it arrives over SSE in the ticker docked beside the page.
  await ticker(page).getByRole('listitem')
    .filter({ hasText: /users/i }).filter({ hasText: new RegExp(escapeRe(name)) }).first().waitFor();

  // The server really has it: after a reload the list comes fresh from GET /users.
  await page.reload();
  await page.getByRole('table', { name: 'Users' }).getByRole('row')
    .filter({ hasText: name }).filter({ hasText: /active/i }).waitFor();
  assert.equal(await page.getByLabel(`Role of ${name}`).inputValue(), 'operator');

  // After the reload the CSRF token still works: a duplicate reaches the handler and is
  // refused with 409, whose problem+json detail is shown and whose field is marked.
  await page.getByLabel('Username', { exact: true }).fill(name);
  await page.getByLabel('Password', { exact: true }).fill('Mooring-Line-Winch-5521');
  await page.getByRole('button', { name: 'Create user' }).click();
  await page.locator('#users-error')
    .filter({ hasText: new RegExp(`^Could not create user: .*${escapeRe(name)}.*already exists`) }).waitFor();
  assert.equal(await page.getByLabel('Username', { exact: true }).getAttribute('aria-invalid'), 'true');
  assertNoProblems(page);
});

test('auditor sees the read-only pages and Audit, and the audit log shows the logins', T, async () => {
  const page = await open();
  await login(page, daemon.base, AUDITOR.username, AUDITOR.password);

  // docs/API.md: auditors read access control (no occupancy or muster) and the audit trail.
  await assertNav(page, [
    ['overview', /^Overview$/], ['level', /Security level/i], ['people', /People/i], ['zones', /Zones/i],
    ['groups', /Access groups/i], ['decisions', /Decision/i], ['control-room', /Control room/],
    ['inspections', /Inspections/], ['drills', /Drills/], ['sensors', /Sensors/], ['waterside', /Waterside/], ['training', /^Training$/],
    ['training-results', /Training results/], ['compliance', /Training compliance/], ['audit', /Audit/i]]);
  assert.equal((await page.locator('#whoami-role').textContent()).trim(), 'auditor');

  // A page the role may not use falls back to the first allowed page.
  await page.goto(`${daemon.base}/#/users`);
  await page.getByRole('heading', { name: 'Overview', level: 1 }).waitFor();
  assert.match(page.url(), /#\/overview$/);

  await mainNav(page).getByRole('link', { name: /Audit/i }).click();
  await page.getByRole('heading', { name: /Audit/i, level: 1 }).waitFor();
  const rows = page.getByRole('table', { name: 'Audit records' }).getByRole('row');
  // Successful logins (not failed, locked or refused ones) of this auditor and of the admin.
  const logins = rows.filter({ hasText: /login/i }).filter({ hasNotText: /fail|lock|refus/i });
  await logins.filter({ hasText: AUDITOR.username }).first().waitFor();
  await logins.filter({ hasText: 'admin' }).first().waitFor();
  assertNoProblems(page);
});

test('logout returns to the login page and a reload stays logged out', T, async () => {
  const page = await open();
  await login(page, daemon.base, 'admin', ADMIN_PASSWORD);
  const cookies = await page.context().cookies(daemon.base);
  const session = cookies.find((c) => c.name === 'pg_session');
  assert.ok(session, 'pg_session cookie set');
  assert.equal(session.httpOnly, true);
  assert.equal(session.sameSite, 'Strict');

  await page.getByRole('button', { name: 'Log out' }).click();
  const f = loginForm(page);
  await f.heading.waitFor();
  await page.getByText('You have been logged out.').waitFor();
  assert.equal(await page.locator('#frame').count(), 0);
  assert.equal(await page.evaluate(() => sessionStorage.length), 0, 'CSRF token forgotten');

  await page.reload();
  await f.heading.waitFor();
  await f.username.waitFor();
  assert.equal(await page.locator('#frame').count(), 0);

  // The old cookie is dead on the server, not only dropped by the browser.
  const stale = await playwrightRequest.newContext({
    extraHTTPHeaders: { Cookie: `pg_session=${session.value}` },
  });
  try {
    assert.equal((await stale.get(`${daemon.base}/api/v1/me`)).status(), 401);
  } finally {
    await stale.dispose();
  }
  assertNoProblems(page);
});

test('a locked account is told how many minutes to wait', T, async () => {
  const page = await open();
  // Five failed logins through the API lock the account for 15 minutes (docs/API.md).
  for (let i = 0; i < 5; i++) {
    const res = await page.request.post(`${daemon.base}/api/v1/session`, {
      data: { username: LOCKME.username, password: 'wrong-password' },
    });
    assert.equal(res.status(), 401);
  }
  await page.goto(`${daemon.base}/`);
  const f = loginForm(page);
  await f.username.fill(LOCKME.username);
  await f.password.fill(LOCKME.password); // locked even with the right password
  await f.submit.click();
  await f.error.filter({ hasText: /locked.*Try again in 15 minutes\./ }).waitFor();
  assert.equal(await page.locator('#frame').count(), 0, 'no frame');
  assertNoProblems(page);
});

test('the daemon exits 0 on SIGTERM', T, async () => {
  for (const c of contexts.splice(0)) await c.close();
  const { code, signal } = await daemon.stop();
  assert.equal(signal, null, 'exited by itself, not killed');
  assert.equal(code, 0);
});
