// Browser test of the drills console against the real daemon: a trainer on a fresh store
// sees both overdue banners; records a conducted evacuation drill with two participants
// picked by search and an observer, and the drill banner goes (the exercise one stays); adds
// a corrective action that is overdue and sees it on the schedule, then closes it; plans an
// evacuation drill, starts its muster and closes it, and sees the timing; the calendar shows
// both.
//
//   PORTGUARD_BIN=build/portguard OUTDIR=build/test-output node --test tests/browser/drills.test.mjs

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import path from 'node:path';
import { OUTDIR, launchBrowser, login, mainNav, newPage, startDaemon } from './lib.mjs';

const ADMIN_PASSWORD = 'Mooring-Line-Capstan-2290';
const TRAINER = { username: 'coach', role: 'trainer', password: 'Lifebuoy-Muster-Station-5518' };
const T = { timeout: 60_000 };

let daemon;
let browser;
let context;
let page;
let zoneId;

const pad = (n) => String(n).padStart(2, '0');
// datetime-local and date inputs take the browser's local time, which is this machine's
function localInput(ms) {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
const utcDate = (ms) => new Date(ms).toISOString().slice(0, 10);

async function adminApi(method, p, body) {
  const res = await fetch(daemon.base + p, {
    method,
    headers: { Authorization: `Bearer ${daemon.tokens.setup}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

before(async () => {
  daemon = await startDaemon({
    adminPassword: ADMIN_PASSWORD, users: [TRAINER], tokens: [{ name: 'setup', role: 'admin' }],
    logName: 'daemon-drills.log',
  });
  for (const [first, last] of [['Ana', 'Silva'], ['Ben', 'Okafor'], ['Cora', 'Lind']]) {
    const r = await adminApi('POST', '/api/v1/people', { kind: 'employee', first_name: first, last_name: last });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  }
  const z = await adminApi('POST', '/api/v1/zones', { name: 'Passenger terminal', kind: 'controlled' });
  assert.equal(z.status, 201, JSON.stringify(z.body));
  zoneId = z.body.id;
  browser = await launchBrowser();
  ({ context, page } = await newPage(browser));
  await login(page, daemon.base, TRAINER.username, TRAINER.password);
});

after(async () => {
  if (context) await context.close().catch(() => {});
  if (browser) await browser.close();
  if (daemon) await daemon.cleanup();
});

function assertNoProblems(p) {
  assert.deepEqual(p.problems, [], 'no uncaught errors or CSP violations in the page');
}

async function pick(name) {
  await page.getByLabel('Participants (search people)').fill(name.split(' ')[0]);
  await page.getByRole('button', { name: `Add ${name}` }).click();
  await page.locator('#dr-people li.chip').filter({ hasText: name }).waitFor();
}

test('a conducted drill with participants clears the drill banner; an overdue action is closed', T, async () => {
  await mainNav(page).locator('a[data-page="drills"]').click();
  await page.getByRole('heading', { level: 1, name: 'Drills & exercises' }).waitFor();
  const drillBanner = page.locator('#dr-banner-drill');
  const exBanner = page.locator('#dr-banner-exercise');
  await drillBanner.filter({ hasText: /^Drill overdue by \d+ days?: no drill recorded since the schedule began/ }).waitFor();
  await exBanner.filter({ hasText: /^Exercise overdue/ }).waitFor();
  await page.locator('#dr-sched-tbody tr[data-kind="drill"][data-status="overdue"]').waitFor();

  const when = Date.now() - 2 * 3600_000;
  await page.getByLabel('Kind').selectOption('drill');
  await page.getByLabel('Type').selectOption('evacuation');
  await page.getByLabel('Record as').selectOption('conducted');
  await page.getByLabel('Title').fill('Terminal evacuation at shift change');
  await page.getByLabel('Scenario').fill('Fire alarm in the passenger terminal');
  await page.getByLabel('Date and time').fill(localInput(when));
  await page.getByLabel('Place').fill('Passenger terminal');
  await pick('Ana Silva');
  await pick('Ben Okafor');
  await page.getByLabel('Observers (comma-separated names or users)').fill('Harbour police, pfso');
  await page.getByLabel('Results', { exact: true }).fill('Building clear in 6 minutes');
  await page.getByLabel('Lessons learned', { exact: true }).fill('Open the second exit earlier');
  await page.getByRole('button', { name: 'Save drill' }).click();

  const panel = page.locator('#dr-panel');
  await page.locator('#dr-panel[data-status="conducted"]').waitFor();
  await drillBanner.waitFor({ state: 'hidden' });
  assert.equal(await exBanner.isVisible(), true, 'the exercise is still overdue');
  await page.locator('#dr-sched-tbody tr[data-kind="drill"][data-status="ok"]').waitFor();
  assert.deepEqual((await panel.locator('#dr-rec-people li').allTextContents()).sort(), ['Ana Silva', 'Ben Okafor']);
  assert.equal((await panel.locator('dd[data-fact="Observers"]').textContent()).trim(), 'Harbour police, pfso');
  const id = await panel.getAttribute('data-id');
  const stored = await adminApi('GET', `/api/v1/drills/${id}`);
  assert.equal(stored.body.status, 'conducted');
  assert.equal(Date.parse(stored.body.conducted_at), Math.floor(when / 60_000) * 60_000);
  assert.equal(stored.body.participants.length, 2);

  // a corrective action owned by a participant, due yesterday: overdue on the schedule
  await page.getByLabel('Corrective action').fill('Mark the second exit on the floor plan');
  await page.getByLabel('Owner').selectOption({ label: 'Ana Silva' });
  await page.getByLabel('Action due date').fill(utcDate(Date.now() - 86_400_000));
  await page.getByRole('button', { name: 'Add action' }).click();
  const row = page.locator('#dr-actions-tbody tr[data-status="open"][data-overdue="true"]');
  await row.filter({ hasText: 'Mark the second exit on the floor plan' }).waitFor();
  await page.locator('#dr-overdue-tbody tr').filter({ hasText: 'Mark the second exit on the floor plan' }).waitFor();
  assert.match(await page.locator('#dr-overdue-tbody tr').first().textContent(), /Ana Silva/);

  await page.getByLabel('Closure of Mark the second exit on the floor plan').fill('Floor plan reprinted');
  await page.getByRole('button', { name: 'Close action Mark the second exit on the floor plan' }).click();
  await page.locator('#dr-actions-tbody tr[data-status="closed"]').filter({ hasText: 'Floor plan reprinted' }).waitFor();
  await page.locator('#dr-overdue-empty').waitFor();
  assert.equal(await page.locator('#dr-overdue-tbody tr').count(), 0);
  const s = await adminApi('GET', '/api/v1/drills/schedule');
  assert.equal(s.body.actions_open, 0);
  assertNoProblems(page);
});

test('a planned evacuation drill musters from its record and shows the timing', T, async () => {
  await page.getByLabel('Type').selectOption('evacuation');
  await page.getByLabel('Record as').selectOption('planned');
  await page.getByLabel('Title').fill('Terminal muster drill');
  await page.getByLabel('Date and time').fill(localInput(Date.now() + 600_000));
  await page.getByLabel('Zone to muster (evacuation)').selectOption(String(zoneId));
  await page.getByRole('button', { name: 'Save drill' }).click();
  const panel = page.locator('#dr-panel');
  await panel.locator('#dr-rec-title').filter({ hasText: 'Terminal muster drill' }).waitFor();
  await page.locator('#dr-panel[data-status="planned"]').waitFor();

  await page.getByRole('button', { name: 'Start muster' }).click();
  await page.locator('#dr-muster-text').filter({ hasText: /^Muster \d+ of Passenger terminal: 0 of 0 safe, 0 missing, \d+ s elapsed; open\.$/ }).waitFor();
  await page.getByRole('button', { name: 'Close muster' }).click();
  await page.locator('#dr-muster-text').filter({ hasText: /closed\. Everyone accounted for in \d+ s\.$/ }).waitFor();
  assert.equal(await page.getByRole('button', { name: 'Start muster' }).isHidden(), true);

  await page.getByLabel('Conduct results').fill('Terminal empty in 4 minutes');
  await page.getByRole('button', { name: 'Record as conducted' }).click();
  await page.locator('#dr-panel[data-status="conducted"]').waitFor();
  const id = await panel.getAttribute('data-id');
  const d = await adminApi('GET', `/api/v1/drills/${id}`);
  assert.equal(d.body.muster.total, 0);
  assert.ok(d.body.muster.closed_at);

  // both records are on this month's calendar (the planned one conducted when mustered)
  await page.getByRole('button', { name: 'This month' }).click();
  await page.locator(`#dr-cal-tbody tr[data-id="${id}"][data-status="conducted"]`).waitFor();
  assert.equal(await page.locator('#dr-cal-tbody tr').count(), 2);
  await page.setViewportSize({ width: 1280, height: 2600 });
  await page.screenshot({ path: path.join(OUTDIR, 'drills.png'), animations: 'disabled' });
  assertNoProblems(page);
});
