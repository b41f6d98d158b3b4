// Browser test of the inspections console against the real daemon: an administrator imports
// a CSV manifest through the UI (a bad one first: the problem names line and field), finds the
// planted high-risk container at the top of the selection queue with its hits in words, opens
// it, starts an inspection, records a scan, adds a finding, ticks the checklist, uploads
// evidence and sees the chain of custody.
//
//   PORTGUARD_BIN=build/portguard OUTDIR=build/test-output node --test tests/browser/

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, test } from 'node:test';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { OUTDIR, escapeRe, launchBrowser, login, mainNav, newPage, startDaemon } from './lib.mjs';

const ADMIN_PASSWORD = 'Gantry-Crane-Twistlock-4417';
const T = { timeout: 60_000 };

/** ISO 6346: owner code + category + 6-digit serial -> the full number with its check digit. */
function iso6346(prefix) {
  const letters = {};
  let v = 10;
  for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZ') {
    if (v % 11 === 0) v += 1;
    letters[c] = v;
    v += 1;
  }
  let sum = 0;
  [...prefix].forEach((c, i) => { sum += (/\d/.test(c) ? Number(c) : letters[c]) * 2 ** i; });
  return prefix + String((sum % 11) % 10);
}

const PLANTED = iso6346('TGHU123456');
const CLEAN = [iso6346('MSCU765432'), iso6346('MAEU246810'), iso6346('CMAU135790')];
const HEADER = 'vessel_imo,vessel_name,voyage,container_number,size_type,shipper,consignee,notify_party,' +
  'goods_description,hs_code,declared_gross_kg,vgm_kg,port_of_loading,transshipment_ports,port_of_discharge,' +
  'seals,dangerous_goods';
const VESSEL = '9074729,NORDIC STAR,NS0412';

// The planted box: vague description that names nothing of its HS code, no seal, dangerous
// goods without a UN number, declared mass far from the VGM, and a first-time shipper and
// consignee. The clean ones: one regular shipper, described goods, a high-security seal.
const MANIFEST = [HEADER,
  `${VESSEL},${PLANTED},22G1,Shadow Trade Ltd,Nowhere Imports LLC,,general cargo,8471,9000,14000,CNSHA,,DEHAM,,:3`,
  ...CLEAN.map((n, i) => `${VESSEL},${n},22G1,Nordic Furniture AB,Hamburg Interiors GmbH,,wooden furniture tables,9403,12000,12000,SEGOT,,DEHAM,SL${i}77001:H,`),
].join('\r\n') + '\r\n';
const BAD = [HEADER,
  `${VESSEL},${CLEAN[0]},22G1,Nordic Furniture AB,Hamburg Interiors GmbH,,wooden furniture tables,94xx,12000,12000,SEGOT,,DEHAM,SL177001:H,`,
].join('\r\n') + '\r\n';
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
  '1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082', 'hex');

let daemon;
let browser;
let context;
let page;
let tmp;

before(async () => {
  daemon = await startDaemon({ adminPassword: ADMIN_PASSWORD, logName: 'daemon-inspect.log' });
  browser = await launchBrowser();
  ({ context, page } = await newPage(browser));
  await login(page, daemon.base, 'admin', ADMIN_PASSWORD);
  tmp = await mkdtemp(path.join(os.tmpdir(), 'portguard-inspect-'));
});

after(async () => {
  if (context) await context.close().catch(() => {});
  if (browser) await browser.close();
  if (daemon) await daemon.cleanup();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

function assertNoProblems(p) {
  assert.deepEqual(p.problems, [], 'no uncaught errors or CSP violations in the page');
}

async function apiGet(urlPath) {
  const res = await page.request.get(daemon.base + urlPath);
  return { status: res.status(), body: await res.json() };
}

test('the planted box tops the queue after a UI import; a bad manifest names line and field', T, async () => {
  await mainNav(page).locator('a[data-page="inspections"]').click();
  await page.getByRole('heading', { level: 1, name: 'Inspections' }).waitFor();
  await page.locator('#iq-empty').waitFor();

  const bad = path.join(tmp, 'bad.csv');
  await writeFile(bad, BAD);
  await page.getByLabel('Manifest file (CSV or JSON)').setInputFiles(bad);
  await page.getByRole('button', { name: 'Import manifest' }).click();
  const err = page.locator('#mf-error');
  await err.filter({ hasText: /line 2/ }).waitFor();
  assert.match(await err.textContent(), /hs_code/);
  assert.equal(await err.getAttribute('data-field'), 'hs_code');

  const good = path.join(tmp, 'manifest.csv');
  await writeFile(good, MANIFEST);
  await page.getByLabel('Manifest file (CSV or JSON)').setInputFiles(good);
  await page.getByRole('button', { name: 'Import manifest' }).click();
  await page.locator('#mf-result').filter({ hasText: /imported: 4 lines/ }).waitFor();
  assert.equal(await err.isHidden(), true);

  const first = page.locator('#iq-tbody tr').first();
  await first.filter({ hasText: PLANTED }).waitFor();
  assert.equal(await first.getAttribute('data-number'), PLANTED);
  assert.equal(await first.getAttribute('data-decision'), 'physical');
  assert.equal((await first.locator('.decision-badge').textContent()).trim(), 'physical');

  // The hits in words are the daemon's explanations, heaviest first.
  const q = await apiGet('/api/v1/inspections/queue');
  assert.equal(q.status, 200);
  const line = q.body.items[0];
  assert.equal(line.number, PLANTED);
  const rules = line.hits.map((x) => x.rule);
  for (const r of ['vague_description', 'seal_missing', 'dg_without_un', 'mass_vgm', 'hs_mismatch']) {
    assert.ok(rules.includes(r), `hit ${r} (${rules.join(', ')})`);
  }
  const top = line.hits.slice().sort((a, b) => b.weight - a.weight)[0];
  assert.match(await first.locator('.hits').textContent(), new RegExp(escapeRe(top.explanation)));
  assert.equal(await first.locator('.hits li').count(), 4, 'three hits and "+N more"');
  assert.equal((await first.locator('.score').textContent()).trim(), String(line.score));
  for (const n of CLEAN) {
    const r = await apiGet(`/api/v1/containers/${n}`);
    assert.ok(r.body.lines[0].score < line.score, 'clean boxes score lower');
  }
  assertNoProblems(page);
});

test('the container panel explains every hit; an inspection is started, scanned and recorded', T, async () => {
  await page.getByRole('button', { name: `Open ${PLANTED}`, exact: true }).click();
  const panel = page.locator('#ct-panel');
  await panel.locator('.ct-hits').waitFor();
  const c = await apiGet(`/api/v1/containers/${PLANTED}`);
  const line = c.body.lines[0];
  assert.equal(await panel.locator('.ct-hits tbody tr').count(), line.hits.length);
  for (const x of line.hits) {
    assert.match(await panel.locator(`.ct-hits tr[data-rule="${x.rule}"]`).textContent(), new RegExp(escapeRe(x.explanation)));
  }
  assert.equal((await panel.locator('.ct-score').textContent()).trim(), String(line.score));
  assert.match(await panel.locator('.ct-draw').textContent(), /value \d+ \/ bound \d+/);

  await page.getByRole('button', { name: `Start inspection of ${PLANTED}` }).click();
  const ins = page.locator('#ins-panel');
  await page.locator('#ins-panel[data-state="selected"]').waitFor();
  assert.match(await page.locator('#ins-title').textContent(), new RegExp(PLANTED));
  // Taken up: the line leaves the queue.
  await page.locator(`#iq-tbody tr[data-number="${PLANTED}"]`).waitFor({ state: 'detached' });

  await ins.getByRole('button', { name: 'To scanning' }).click();
  await page.locator('#ins-panel[data-state="scanning"]').waitFor();
  await page.getByLabel('Scan result').selectOption('anomaly');
  await ins.getByRole('button', { name: 'To scanned' }).click();
  await page.locator('#ins-panel[data-state="scanned"]').waitFor();
  assert.equal((await ins.locator('dd[data-fact="Scan result"]').textContent()).trim(), 'anomaly');

  await page.getByLabel('Category').selectOption('narcotics');
  await page.getByLabel('Finding description').fill('Packages of white powder behind false wall');
  await page.getByLabel('Quantity').fill('12 kg');
  await page.getByRole('button', { name: 'Add finding' }).click();
  await page.locator('#ins-findings li[data-category="narcotics"]')
    .filter({ hasText: 'Packages of white powder behind false wall' }).waitFor();

  const open = ins.locator('#ins-checklist li[data-done="false"]');
  const total = await ins.locator('#ins-checklist li[data-code]').count();
  assert.ok(total >= 3, 'the container checklist');
  for (let done = 1; done <= total; done++) {
    await open.first().getByRole('button', { name: /^Tick / }).click();
    await ins.locator('#ins-checklist li[data-done="true"]').nth(done - 1).waitFor();
  }
  assert.equal(await open.count(), 0);

  await page.getByLabel('Evidence file').setInputFiles({ name: 'scan-anomaly.png', mimeType: 'image/png', buffer: PNG });
  await page.getByRole('button', { name: 'Upload evidence' }).click();
  const sha = createHash('sha256').update(PNG).digest('hex');
  await page.locator('#ins-evidence .sha256').filter({ hasText: sha }).waitFor();

  const hist = page.locator('#ins-history');
  for (const a of ['inspection.create', 'inspection.state', 'inspection.finding', 'inspection.checklist', 'inspection.evidence']) {
    await hist.locator(`tr[data-action="${a}"]`).first().waitFor();
  }
  const id = await ins.getAttribute('data-id');
  const stored = await apiGet(`/api/v1/inspections/${id}`);
  assert.equal(stored.body.state, 'scanned');
  assert.equal(stored.body.scan_result, 'anomaly');
  assert.equal(stored.body.findings.length, 1);
  assert.ok(stored.body.checklist.every((x) => x.done));
  assert.equal(stored.body.evidence[0].sha256, sha);
  // The console scrolls inside its main area: a tall viewport shows the whole page.
  await page.setViewportSize({ width: 1280, height: 2600 });
  await page.screenshot({ path: path.join(OUTDIR, 'inspect.png'), animations: 'disabled' });
  assertNoProblems(page);
});
