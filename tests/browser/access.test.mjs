// Browser test of the access control console against the real daemon: an administrator
// builds zones, a reader and an access group and enrols a person with a card through the UI;
// a gate device (API token) asks for decisions; the live decision log, the person's groups,
// occupancy and the security level badge are checked in the browser.
//
//   PORTGUARD_BIN=build/portguard OUTDIR=build/test-output node --test tests/browser/
//
// The tests run in order and build on each other (one daemon, one data directory).

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import path from 'node:path';
import {
  OUTDIR, escapeRe, launchBrowser, login, mainNav, newPage, startDaemon, tickerLive,
} from './lib.mjs';

const ADMIN_PASSWORD = 'Reefer-Plug-Lashing-7305';
const T = { timeout: 60_000 };

const TERMINAL = 'Terminal A';
const QUAY = 'Quay 3 restricted area';
const READER = 'Quay 3 turnstile';
const GROUP = 'Quay 3 crew';
const FIRST = 'Maria';
const LAST = 'Keller';
const PERSON = `${FIRST} ${LAST}`;
const EMPLOYER = 'Nordhafen Stevedoring';
const CARD_TYPED = '04a1b2c3d4';
const CARD = '04A1B2C3D4';

let daemon;
let browser;
let page;              // the administrator's console, used by every test in turn
let gate;              // bearer token of role gate, made with `portguard token create`
const ids = {};        // zone, reader, group and person ids as the daemon reports them
const contexts = [];

before(async () => {
  daemon = await startDaemon({
    adminPassword: ADMIN_PASSWORD,
    tokens: [{ name: 'gate', role: 'gate' }],
    logName: 'daemon-access.log',
  });
  gate = daemon.tokens.gate;
  browser = await launchBrowser();
  page = await open();
  await login(page, daemon.base, 'admin', ADMIN_PASSWORD);
});

after(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  if (browser) await browser.close();
  if (daemon) await daemon.cleanup();
});

async function open() {
  const { context, page: p } = await newPage(browser);
  contexts.push(context);
  return p;
}

/** The API as the gate device sees it (bearer token, no cookie, no CSRF). */
async function asGate(method, urlPath, body) {
  const res = await fetch(daemon.base + urlPath, {
    method,
    headers: Object.assign({ Authorization: `Bearer ${gate}`, Accept: 'application/json' },
      body === undefined ? {} : { 'Content-Type': 'application/json' }),
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

async function listAll(urlPath) {
  const r = await asGate('GET', `${urlPath}?limit=500`);
  assert.equal(r.status, 200, `GET ${urlPath}: ${JSON.stringify(r.body)}`);
  return r.body.items;
}

async function goTo(p, id, heading) {
  await mainNav(p).locator(`a[data-page="${id}"]`).click();
  await p.getByRole('heading', { level: 1, name: heading }).waitFor();
}

/** Selects the option whose text contains `text` (zone options are indented by depth). */
async function selectByText(select, text) {
  const value = await select.locator('option', { hasText: text }).first().getAttribute('value');
  assert.ok(value, `an option with "${text}"`);
  await select.selectOption(value);
}

function assertNoProblems(p) {
  assert.deepEqual(p.problems, [], 'no uncaught errors or CSP violations in the page');
}

test('admin sees the access control pages and the level badge', T, async () => {
  const pages = await mainNav(page).getByRole('link').evaluateAll((as) => as.map((a) => a.getAttribute('data-page')));
  for (const id of ['level', 'people', 'zones', 'groups', 'decisions', 'occupancy', 'muster']) {
    assert.ok(pages.includes(id), `nav has ${id} (${pages.join(', ')})`);
  }
  // A fresh facility starts at security level 1 (docs/API.md; migration 0002).
  const badge = page.locator('#level-badge');
  await page.locator('#level-badge[data-level="1"]').waitFor();
  assert.match(await badge.getAttribute('aria-label'), /^Security level 1\b/);
  assertNoProblems(page);
});

test('admin builds a zone tree and a reader in the UI', T, async () => {
  await goTo(page, 'zones', /Zones/);
  const zform = page.locator('#zone-form');
  const zones = page.getByRole('table', { name: 'Zones' });

  await zform.getByLabel('Name').fill(TERMINAL);
  await zform.getByLabel('Kind').selectOption('controlled');
  await page.getByRole('button', { name: 'Create zone' }).click();
  await zones.getByRole('row').filter({ hasText: TERMINAL }).waitFor();

  await zform.getByLabel('Name').fill(QUAY);
  await zform.getByLabel('Kind').selectOption('restricted');
  await selectByText(zform.getByLabel('Inside zone'), TERMINAL);
  await zform.getByLabel('Capacity').fill('12');
  await zform.getByLabel('Anti-passback').selectOption('hard');
  await page.getByRole('button', { name: 'Create zone' }).click();

  // The tree shows the restricted zone one level below the terminal.
  const quayRow = zones.locator('tr[data-depth="1"]').filter({ hasText: QUAY });
  await quayRow.waitFor();
  await zones.locator('tr[data-depth="0"]').filter({ hasText: TERMINAL }).waitFor();
  const cells = (await quayRow.locator('th, td').allTextContents()).map((t) => t.trim());
  assert.deepEqual(cells.slice(1, 4), ['restricted', '12', 'hard'], 'kind, capacity, anti-passback');

  // The daemon has what the form said.
  const stored = await listAll('/api/v1/zones');
  const terminal = stored.find((z) => z.name === TERMINAL);
  const quay = stored.find((z) => z.name === QUAY);
  assert.ok(terminal && quay, 'both zones stored');
  assert.equal(terminal.parent_id, null);
  assert.equal(quay.parent_id, terminal.id);
  assert.equal(quay.kind, 'restricted');
  assert.equal(quay.capacity, 12);
  assert.equal(quay.anti_passback, 'hard');
  ids.terminal = terminal.id;
  ids.quay = quay.id;

  // A duplicate name is refused by the daemon: its problem detail is shown, the field marked.
  await zform.getByLabel('Name').fill(TERMINAL);
  await page.getByRole('button', { name: 'Create zone' }).click();
  await page.locator('#zones-error').filter({ hasText: /^Could not create zone: .*already exists/ }).waitFor();
  assert.equal(await zform.getByLabel('Name').getAttribute('aria-invalid'), 'true');
  await zform.getByLabel('Name').fill('');

  const rform = page.locator('#reader-form');
  await rform.getByLabel('Name').fill(READER);
  await rform.getByLabel('Kind').selectOption('turnstile');
  await selectByText(rform.getByLabel('From zone'), TERMINAL);
  await selectByText(rform.getByLabel('To zone'), QUAY);
  await page.getByRole('button', { name: 'Create reader' }).click();
  await page.locator('#zones-ok').filter({ hasText: `Reader ${READER} created.` }).waitFor();
  const readerRow = page.getByRole('table', { name: 'Readers' }).getByRole('row').filter({ hasText: READER });
  await readerRow.filter({ hasText: new RegExp(`${escapeRe(TERMINAL)}\\s*\u2192\\s*${escapeRe(QUAY)}`) }).waitFor();

  const reader = (await listAll('/api/v1/readers')).find((r) => r.name === READER);
  assert.ok(reader, 'reader stored');
  assert.equal(reader.kind, 'turnstile');
  assert.equal(reader.from_zone_id, ids.terminal);
  assert.equal(reader.to_zone_id, ids.quay);
  ids.reader = reader.id;
  assertNoProblems(page);
});

test('admin creates an access group for the restricted zone', T, async () => {
  await goTo(page, 'groups', /Access groups/);
  const form = page.locator('#group-form');
  await form.getByLabel('Name').fill(GROUP);
  await form.getByRole('checkbox', { name: new RegExp(escapeRe(QUAY)) }).check();
  await form.getByRole('radio', { name: 'Always' }).check();
  await page.getByRole('button', { name: 'Create group' }).click();

  const row = page.getByRole('table', { name: 'Access groups' }).getByRole('row').filter({ hasText: GROUP });
  await row.waitFor();
  assert.match(await row.textContent(), new RegExp(escapeRe(QUAY)));
  assert.match(await row.textContent(), /always/);

  const group = (await listAll('/api/v1/access-groups')).find((g) => g.name === GROUP);
  assert.ok(group, 'group stored');
  assert.deepEqual(group.zone_ids, [ids.quay]);
  assert.equal(group.schedule, 'always');
  assert.deepEqual(group.levels, [1, 2, 3]);
  ids.group = group.id;
  assertNoProblems(page);
});

test('admin enrols a person and gives them a card', T, async () => {
  await goTo(page, 'people', /People/);
  await page.getByRole('button', { name: 'Enrol person' }).click();
  const form = page.locator('#enrol-form');
  await form.getByLabel('Kind').selectOption('employee');
  await form.getByLabel('First name').fill(FIRST);
  await form.getByLabel('Last name').fill(LAST);
  await form.getByLabel('Employer').fill(EMPLOYER);
  await form.getByLabel('ID document').selectOption('passport');
  await form.getByLabel('Document number').fill('C4RT91357');
  await page.getByRole('button', { name: 'Enrol', exact: true }).click();

  await page.locator('#person-name').filter({ hasText: new RegExp(`^${PERSON}$`) }).waitFor();
  await page.getByRole('table', { name: 'People' }).getByRole('row').filter({ hasText: PERSON }).waitFor();

  // The card UID is typed in lower case; the daemon stores it upper-cased.
  await page.locator('#cred-form').getByLabel('Card UID').fill(CARD_TYPED);
  await page.getByRole('button', { name: 'Add credential' }).click();
  const card = page.getByRole('table', { name: 'Credentials' }).getByRole('row').filter({ hasText: CARD });
  await card.waitFor();
  assert.match(await card.textContent(), /active/i);
  await page.getByRole('table', { name: 'Access groups of this person' }).waitFor();
  await page.locator('#pgroups-empty').filter({ hasText: 'In no access group' }).waitFor();

  const people = await listAll('/api/v1/people');
  const person = people.find((p) => p.first_name === FIRST && p.last_name === LAST);
  assert.ok(person, 'person stored');
  assert.equal(person.kind, 'employee');
  assert.equal(person.employer, EMPLOYER);
  ids.person = person.id;
  assertNoProblems(page);
});

/** Counts the console's GET /access/decisions requests, to tell live pushes from reloads. */
function countDecisionLoads(p) {
  const counter = { n: 0 };
  p.on('request', (req) => {
    if (req.method() === 'GET' && new URL(req.url()).pathname === '/api/v1/access/decisions') counter.n += 1;
  });
  return counter;
}

const loads = { counter: null };

test('a card without an access group is denied, and the denial arrives in the live log', T, async () => {
  loads.counter = loads.counter || countDecisionLoads(page);
  await goTo(page, 'decisions', /Decision/);
  await page.locator('#dec-live[data-state="live"]').waitFor();
  await page.locator('#dec-empty').waitFor(); // no decision yet
  const before = loads.counter.n;
  assert.ok(before >= 1, 'the page loaded the log once');

  const r = await asGate('POST', '/api/v1/access/decide', { reader_id: ids.reader, credential: CARD });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.decision, 'deny');
  assert.equal(r.body.reason, 'no_access_group');
  assert.equal(r.body.person && r.body.person.id, ids.person);

  const row = page.locator(`#dec-tbody tr[data-id="${r.body.id}"]`);
  await row.waitFor();
  assert.equal(await row.getAttribute('data-decision'), 'deny');
  assert.match(await row.getAttribute('class'), /row-deny/);
  assert.equal((await row.locator('.verdict').textContent()).trim(), 'deny');
  assert.equal((await row.locator('.reason-code').textContent()).trim(), 'no_access_group');
  assert.equal((await row.locator('.reason-text').textContent()).trim(),
    'The person is in no access group that covers this zone.');
  assert.match(await row.textContent(), new RegExp(escapeRe(PERSON)));
  assert.match(await row.textContent(), new RegExp(escapeRe(READER)));
  assert.match(await row.textContent(), new RegExp(CARD));
  assert.equal(loads.counter.n, before, 'the row came over the event stream, not by reloading the list');

  // Filtering to grants hides it; the list is then the daemon's ?decision=grant answer.
  await page.getByRole('radio', { name: 'Grants' }).check();
  await page.locator('#dec-empty').waitFor();
  assert.equal(await row.count(), 0);
  await page.getByRole('radio', { name: 'All' }).check();
  await row.waitFor();
  assertNoProblems(page);
});

test('with the group assigned the card is granted: live log, person and occupancy show it', T, async () => {
  await goTo(page, 'people', /People/);
  await page.getByLabel('Search').fill(LAST);
  const people = page.getByRole('table', { name: 'People' });
  await people.getByRole('button', { name: `Open ${PERSON}` }).click();
  await page.locator('#person-name').filter({ hasText: PERSON }).waitFor();

  const gform = page.locator('#pgroup-form');
  await gform.getByLabel('Group').selectOption({ label: GROUP });
  await page.getByRole('button', { name: 'Assign group' }).click();
  await page.getByRole('table', { name: 'Access groups of this person' }).getByRole('row')
    .filter({ hasText: GROUP }).waitFor();
  const stored = await asGate('GET', `/api/v1/people/${ids.person}`);
  assert.equal(stored.status, 200);
  assert.deepEqual(stored.body.groups.map((g) => g.id), [ids.group]);

  await goTo(page, 'decisions', /Decision/);
  await page.locator('#dec-live[data-state="live"]').waitFor();
  await page.locator('#dec-tbody tr[data-decision="deny"]').first().waitFor();
  const before = loads.counter.n;
  const r = await asGate('POST', '/api/v1/access/decide', { reader_id: ids.reader, credential: CARD });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.decision, 'grant');
  assert.equal(r.body.reason, 'granted');
  assert.equal(r.body.zone && r.body.zone.id, ids.quay);

  const row = page.locator(`#dec-tbody tr[data-id="${r.body.id}"]`);
  await row.waitFor();
  assert.equal(await row.getAttribute('data-decision'), 'grant');
  assert.equal((await row.locator('.verdict').textContent()).trim(), 'grant');
  assert.match(await row.textContent(), new RegExp(escapeRe(QUAY)));
  assert.equal(loads.counter.n, before, 'the grant came over the event stream');
  // Newest first: the grant is above the earlier denial.
  const order = await page.locator('#dec-tbody tr').evaluateAll((rows) => rows.map((tr) => tr.getAttribute('data-decision')));
  assert.deepEqual(order, ['grant', 'deny']);
  await page.locator('#dec-stats').filter({ hasText: '2 shown: 1 grant, 1 deny.' }).waitFor();
  await page.screenshot({ path: path.join(OUTDIR, 'access-log.png'), animations: 'disabled' });

  // The person's panel says where they are now.
  await goTo(page, 'people', /People/);
  await page.getByRole('table', { name: 'People' }).getByRole('button', { name: `Open ${PERSON}` }).click();
  await page.locator('#person-facts .loc-zone').filter({ hasText: QUAY }).waitFor();
  await page.screenshot({ path: path.join(OUTDIR, 'access-person.png'), animations: 'disabled' });

  // Occupancy: the restricted zone counts the person, who is listed inside it.
  await goTo(page, 'occupancy', /Occupancy/);
  const bar = page.locator(`#occ-bars li[data-id="${ids.quay}"]`);
  await page.locator(`#occ-bars li[data-id="${ids.quay}"][data-count="1"]`).waitFor();
  assert.match(await bar.textContent(), /1\s*\/\s*12/);
  await page.locator(`#occ-bars li[data-id="${ids.terminal}"][data-count="0"]`).waitFor();
  const inside = page.getByRole('table', { name: 'People inside' }).getByRole('row').filter({ hasText: PERSON });
  await inside.waitFor();
  assert.match(await inside.textContent(), new RegExp(escapeRe(QUAY)));
  assert.match(await inside.textContent(), new RegExp(escapeRe(READER)));

  // Passing the reader "out" returns the person to the terminal: the open page follows by itself.
  const out = await asGate('POST', '/api/v1/access/decide', { reader_id: ids.reader, credential: CARD, direction: 'out' });
  assert.equal(out.status, 200, JSON.stringify(out.body));
  assert.equal(out.body.decision, 'grant');
  assert.equal(out.body.zone && out.body.zone.id, ids.terminal);
  await page.locator(`#occ-bars li[data-id="${ids.terminal}"][data-count="1"]`).waitFor();
  await page.locator(`#occ-bars li[data-id="${ids.quay}"][data-count="0"]`).waitFor();
  await inside.filter({ hasText: TERMINAL }).waitFor();
  assertNoProblems(page);
});

test('a muster drill of the terminal finds the person missing until marked safe', T, async () => {
  await goTo(page, 'muster', /Muster/);
  await selectByText(page.locator('#muster-form').getByLabel(/^Zone/), TERMINAL);
  assert.equal(await page.locator('#muster-drill').isChecked(), true, 'drill is the default');
  await page.getByRole('button', { name: 'Start muster drill' }).click();

  // The person is in the terminal (back out of the restricted zone): part of the muster.
  await page.locator('#muster-screen[data-drill="true"]').waitFor();
  await page.locator('#muster-title').filter({ hasText: `Muster drill \u2013 ${TERMINAL}` }).waitFor();
  await page.locator('#muster-total-n').filter({ hasText: /^1$/ }).waitFor();
  assert.equal((await page.locator('#muster-missing-n').textContent()).trim(), '1');
  assert.equal((await page.locator('#muster-safe-n').textContent()).trim(), '0');
  const missing = page.getByRole('table', { name: 'Missing people' }).getByRole('row').filter({ hasText: PERSON });
  await missing.waitFor();
  assert.match(await missing.textContent(), new RegExp(escapeRe(READER)), 'last reader');
  // The clock runs: it shows mm:ss and moves on by itself.
  const first = (await page.locator('#muster-elapsed').textContent()).trim();
  assert.match(first, /^\d{2}:\d{2}$/);
  await page.waitForFunction((t) => document.getElementById('muster-elapsed').textContent.trim() !== t, first);

  await page.getByRole('button', { name: `Mark ${PERSON} safe` }).click();
  await page.locator('#muster-safe-n').filter({ hasText: /^1$/ }).waitFor();
  assert.equal((await page.locator('#muster-missing-n').textContent()).trim(), '0');
  await page.locator('#muster-missing-empty').filter({ hasText: 'Everyone is accounted for.' }).waitFor();
  await page.locator('#muster-safe-list li').filter({ hasText: PERSON }).waitFor();

  // Closing asks for confirmation, then shows the report; the CSV is the daemon's report.
  await page.getByRole('button', { name: 'Close muster' }).click();
  await page.getByRole('button', { name: /Confirm: close and report/ }).click();
  await page.locator('#muster-screen[data-closed="true"]').waitFor();
  await page.locator('#muster-report').filter({ hasText: /Accounted for\s*1 of 1/ }).waitFor();
  const href = await page.getByRole('link', { name: 'Report (CSV)' }).getAttribute('href');
  assert.match(href, /^\/api\/v1\/musters\/\d+\/report\.csv$/);
  const csv = await page.request.get(daemon.base + href);
  assert.equal(csv.status(), 200);
  assert.match(csv.headers()['content-type'], /csv/);
  assert.match(await csv.text(), new RegExp(escapeRe(LAST)));
  assertNoProblems(page);
});

test('setting level 2 in the UI changes the header badge, also on another open console', T, async () => {
  // A second console, idle on another page: its badge can only change through the event stream.
  const watcher = await open();
  await login(watcher, daemon.base, 'admin', ADMIN_PASSWORD);
  await tickerLive(watcher);
  await watcher.locator('#level-badge[data-level="1"]').waitFor();

  await goTo(page, 'level', /Security level/);
  await page.locator('#level-current[data-level="1"]').waitFor();
  const form = page.locator('#level-form');
  await form.getByRole('radio', { name: /Heightened/ }).check();
  await form.getByLabel('Reason').fill('Heightened threat assessment for the port area');
  await form.getByLabel('Instructed by').fill('Harbour Master');
  await page.getByRole('button', { name: 'Set level' }).click();

  await page.locator('#level-badge[data-level="2"]').waitFor();
  assert.equal((await page.locator('#level-badge-value').textContent()).trim(), '2');
  assert.match(await page.locator('#level-badge').getAttribute('aria-label'), /^Security level 2, Heightened$/);
  await page.locator('#level-current[data-level="2"]').waitFor();
  await page.locator('#level-reason').filter({ hasText: 'Heightened threat assessment for the port area' }).waitFor();
  const newest = page.getByRole('table', { name: 'Security level history' }).locator('tbody tr').first();
  await newest.filter({ hasText: 'Harbour Master' }).waitFor();
  assert.equal(await newest.getAttribute('data-level'), '2');

  await watcher.locator('#level-badge[data-level="2"]').waitFor();

  const lv = await asGate('GET', '/api/v1/security-level');
  assert.equal(lv.status, 200);
  assert.equal(lv.body.level, 2);
  assert.equal(lv.body.instructed_by, 'Harbour Master');
  assertNoProblems(page);
  assertNoProblems(watcher);
});

test('the daemon exits 0 on SIGTERM', T, async () => {
  for (const c of contexts.splice(0)) await c.close();
  const { code, signal } = await daemon.stop();
  assert.equal(signal, null, 'exited by itself, not killed');
  assert.equal(code, 0);
});
