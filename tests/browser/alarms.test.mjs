// Browser test of the control room against the real daemon and a real mosquitto: an
// operator has the control room open; a fence intrusion published with mosquitto_pub
// appears in the live queue (on top, priority 2) and on the map; the operator opens it,
// sees the camera covering its zone, acknowledges it, is told which required steps are
// missing when resolving too early, ticks the steps and resolves it. A manual alarm raised
// from the page joins the queue in priority order.
//
//   PORTGUARD_BIN=build/portguard OUTDIR=build/test-output node --test tests/browser/alarms.test.mjs
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { OUTDIR, launchBrowser, login, mainNav, newPage } from './lib.mjs';
import { startDaemon } from '../integration/lib/daemon.mjs';
import { startMosquitto } from '../integration/lib/mosquitto.mjs';

const T = { timeout: 60_000 };
const OPERATOR_PASSWORD = 'Bollard-Mooring-Line-2291';

let d;
let broker;
let browser;
let context;
let page;
let fence;
let zone;

const call = async (method, p, body) => {
  const r = await d.api(method, p, { bearer: d.tokens.adm, body });
  assert.ok(r.status < 300, `${method} ${p}: ${r.status} ${r.text}`);
  return r.json;
};

before(async () => {
  await mkdir(OUTDIR, { recursive: true });
  broker = await startMosquitto();
  d = await startDaemon({
    tokens: [{ name: 'adm', role: 'admin' }],
    users: [{ name: 'op1', role: 'operator', password: OPERATOR_PASSWORD }],
    config: `[mqtt]\nenabled = 1\nhost = 127.0.0.1\nport = ${broker.port}\nclient_id = portguard-bt-alarms\nkeepalive = 5\n`,
  });
  const deadline = Date.now() + 10_000;
  while (!/portguard_mqtt_connected 1/.test((await d.api('GET', '/metrics')).text)) {
    assert.ok(Date.now() < deadline, 'the daemon connects to mosquitto');
    await new Promise((r) => setTimeout(r, 50));
  }
  zone = await call('POST', '/api/v1/zones', {
    name: 'North quay', kind: 'restricted',
    geometry: { type: 'Polygon', coordinates: [[[4.040, 51.950], [4.060, 51.950], [4.060, 51.958], [4.040, 51.958], [4.040, 51.950]]] },
  });
  fence = await call('POST', '/api/v1/sensors', { name: 'fence-n7', kind: 'fence_intrusion', zone_id: zone.id, lat: 51.954, lon: 4.05, location: 'north fence, post 7' });
  await call('POST', '/api/v1/cameras', { name: 'cam-north-1', stream_url: 'rtsp://10.1.0.11/north', snapshot_url: 'http://10.1.0.11/snap.jpg', zones: [zone.id], lat: 51.955, lon: 4.049 });
  browser = await launchBrowser();
  ({ context, page } = await newPage(browser));
  await login(page, d.base, 'op1', OPERATOR_PASSWORD);
});

after(async () => {
  if (context) await context.close().catch(() => {});
  if (browser) await browser.close();
  await d?.cleanup();
  await broker?.cleanup();
});

test('an intrusion published over MQTT appears live; acknowledge, tick the steps, resolve', T, async () => {
  await mainNav(page).locator('a[data-page="control-room"]').click();
  await page.getByRole('heading', { level: 1, name: 'Control room' }).waitFor();
  await page.locator('#cr-empty').waitFor();
  await page.locator('#cr-map .leaflet-interactive').first().waitFor(); // the zone's polygon

  const t0 = Date.now();
  await broker.publishOne(`portguard/sensors/${fence.name}/event`, '{"state":"alarm"}');
  const row = page.locator('#cr-tbody tr[data-kind="fence_intrusion"]');
  await row.waitFor();
  console.log(`# mosquitto_pub -> row in the queue: ${Date.now() - t0} ms`);
  assert.equal(await row.getAttribute('data-state'), 'new');
  assert.equal(await row.getAttribute('data-priority'), '2');
  assert.match(await row.textContent(), /North quay/);

  // a manual alarm of priority 1 goes above it
  await page.getByRole('button', { name: 'Raise alarm' }).click();
  await page.getByLabel('What is happening').fill('unattended bag at the terminal entrance');
  await page.getByLabel('Priority').selectOption('1');
  await page.getByRole('button', { name: 'Raise', exact: true }).click();
  await page.locator('#cr-tbody tr').nth(1).filter({ hasText: 'Perimeter fence intrusion' }).waitFor();
  assert.equal(await page.locator('#cr-tbody tr').first().getAttribute('data-priority'), '1');

  // the intrusion: its procedure, its camera, acknowledge
  await row.click();
  await page.locator('#cr-detail-title').filter({ hasText: 'Perimeter fence intrusion' }).waitFor();
  const cams = page.locator('#cr-cameras');
  await cams.filter({ hasText: 'cam-north-1' }).waitFor();
  assert.equal(await cams.getByRole('link', { name: 'stream' }).getAttribute('href'), 'rtsp://10.1.0.11/north');
  assert.equal(await page.locator('#cr-step-1').isDisabled(), true, 'steps wait for the acknowledgement');
  await page.getByRole('button', { name: 'Acknowledge' }).click();
  await page.locator('#cr-state[data-state="acknowledged"]').waitFor();
  await row.filter({ has: page.locator('td', { hasText: 'acknowledged' }) }).waitFor();
  assert.ok(await page.locator('#cr-map path.leaflet-interactive[fill="#d3540b"]').count() >= 1, 'the alarm on the map');
  await page.screenshot({ path: path.join(OUTDIR, 'alarms-acknowledged.png') });

  // resolving too early names the missing steps
  await page.getByRole('button', { name: 'Resolve' }).click();
  const err = page.locator('#cr-act-error');
  await err.filter({ hasText: /required steps not done/ }).waitFor();
  assert.match(await err.textContent(), /Dispatch a patrol/);

  const steps = page.locator('#cr-steps li');
  const n = await steps.count();
  for (let i = 0; i < n; i++) {
    const li = steps.nth(i);
    if (!(await li.locator('.req').count())) continue;
    await li.locator('input[type="checkbox"]').check();
    await page.locator(`#cr-steps li:nth-child(${i + 1})[data-done="true"]`).waitFor();
  }
  await page.locator('#cr-state[data-state="in_progress"]').waitFor();
  await page.getByLabel('Outcome').selectOption('genuine');
  await page.getByLabel('Notes').fill('patrol found a cut in the fence');
  await page.getByRole('button', { name: 'Resolve' }).click();
  await page.locator('#cr-state[data-state="resolved"]').waitFor();
  assert.equal(await err.isHidden(), true);
  await page.locator('#cr-tbody tr[data-kind="fence_intrusion"]').waitFor({ state: 'detached' }); // the open queue
  const hist = await page.locator('#cr-history').textContent();
  for (const w of ['raised', 'acknowledged', 'ticked step 1', 'resolved: genuine']) assert.ok(hist.includes(w), `${w} in ${hist}`);
  await page.screenshot({ path: path.join(OUTDIR, 'alarms-control-room.png'), fullPage: true });

  const a = (await call('GET', '/api/v1/alarms?state=resolved')).items.find((x) => x.kind === 'fence_intrusion');
  assert.equal(a.resolved_by, 'op1');
  assert.equal(a.outcome, 'genuine');
  assert.deepEqual(page.problems, [], 'no uncaught errors or CSP violations in the page');
});
