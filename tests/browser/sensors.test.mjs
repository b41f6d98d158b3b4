// Browser test of the sensors console against the real daemon: an administrator adds a
// sensor through the form (a bad name first: the field is marked), a device posts an event
// over HTTP and the row's state changes live (topic `sensors`), the sensor's recent events
// show it, and a camera added through the form is called up by its zone.
//
//   PORTGUARD_BIN=build/portguard OUTDIR=build/test-output node --test tests/browser/

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import path from 'node:path';
import { OUTDIR, launchBrowser, login, mainNav, newPage, startDaemon, tickerLive } from './lib.mjs';

const ADMIN_PASSWORD = 'Fence-Sensor-Tide-Gauge-88';
const T = { timeout: 60_000 };

let daemon;
let browser;
let context;
let page;
const ids = {};

async function call(method, p, body, token) {
  const res = await fetch(daemon.base + p, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null };
}

before(async () => {
  daemon = await startDaemon({
    adminPassword: ADMIN_PASSWORD, logName: 'daemon-sensors.log',
    tokens: [{ name: 'adm', role: 'admin' }, { name: 'dev', role: 'device' }],
  });
  const adm = daemon.tokens.adm;
  ids.quay = (await call('POST', '/api/v1/zones', { name: 'Quay 7', kind: 'restricted' }, adm)).json.id;
  ids.yard = (await call('POST', '/api/v1/zones', { name: 'Yard 2', kind: 'restricted' }, adm)).json.id;
  const pre = await call('POST', '/api/v1/sensors', { name: 'fence-pre', kind: 'fence_intrusion', zone_id: ids.yard, heartbeat_s: 60 }, adm);
  assert.equal(pre.status, 201);
  browser = await launchBrowser();
  ({ context, page } = await newPage(browser));
  await login(page, daemon.base, 'admin', ADMIN_PASSWORD);
});

after(async () => {
  if (context) await context.close().catch(() => {});
  if (browser) await browser.close();
  if (daemon) await daemon.cleanup();
});

test('a sensor is added through the form; a device event changes its row live', T, async () => {
  await tickerLive(page); // the event stream is open (the wide page hides the ticker)
  await mainNav(page).locator('a[data-page="sensors"]').click();
  await page.getByRole('heading', { level: 1, name: 'Sensors & cameras' }).waitFor();
  await page.locator('#sn-tbody tr[data-name="fence-pre"]').waitFor();

  await page.getByRole('button', { name: 'Add sensor' }).click();
  const form = page.locator('#sn-form');
  await page.getByLabel('Name (the MQTT topic level)').fill('12345');
  await page.getByLabel('Kind', { exact: true }).selectOption('water_level');
  await page.getByRole('button', { name: 'Save sensor' }).click();
  await page.locator('#sn-form-error').filter({ hasText: /name/ }).waitFor();
  assert.equal(await form.locator('[name="name"]').getAttribute('aria-invalid'), 'true');

  await page.getByLabel('Name (the MQTT topic level)').fill('tide-q7');
  await page.getByLabel('Zone', { exact: true }).selectOption({ label: 'Quay 7' });
  await page.getByLabel('Location', { exact: true }).first().fill('quay 7 tide gauge');
  await page.getByLabel('Heartbeat every (s)').fill('30');
  await page.getByLabel('Alarm above').fill('1.5');
  await page.getByRole('button', { name: 'Save sensor' }).click();
  const row = page.locator('#sn-tbody tr[data-name="tide-q7"]');
  await row.waitFor();
  assert.match(await row.textContent(), /Quay 7/);
  assert.match(await row.locator('.sn-online').textContent(), /online/);
  const list = await call('GET', '/api/v1/sensors?kind=water_level', undefined, daemon.tokens.adm);
  const s = list.json.items.find((x) => x.name === 'tide-q7');
  assert.equal(s.threshold_high, 1.5);
  assert.equal(s.zone_id, ids.quay);
  ids.tide = s.id;

  // a device reports: the row follows without a reload
  const ev = await call('POST', '/api/v1/sensors/tide-q7/events', { value: 1.83 }, daemon.tokens.dev);
  assert.equal(ev.status, 201);
  await row.locator('.sn-state[data-state="bad"]').filter({ hasText: 'alarm' }).waitFor();
  assert.match(await row.locator('.sn-value').textContent(), /1\.83 m/);

  await page.getByRole('button', { name: 'Edit tide-q7' }).click();
  const hist = page.locator('#sn-history li[data-action="event"]').first();
  await hist.waitFor();
  assert.match(await hist.textContent(), /water level 1\.83 m above the threshold 1\.50 m/);
  assert.deepEqual(page.problems, []);
});

test('a camera added through the form is called up by its zone', T, async () => {
  await page.getByRole('button', { name: 'Add camera' }).click();
  await page.getByLabel('Name', { exact: true }).last().fill('Quay 7 PTZ');
  await page.getByLabel('Stream URL').fill('rtsp://cameras.test/quay7');
  await page.getByLabel('Zones covered').selectOption([{ label: 'Quay 7' }]);
  await page.getByRole('button', { name: 'Save camera' }).click();
  await page.locator('#cam-tbody tr[data-name="Quay 7 PTZ"]').waitFor();
  const other = await call('POST', '/api/v1/cameras', { name: 'Yard cam', zones: [ids.yard], stream_url: 'rtsp://cameras.test/yard' }, daemon.tokens.adm);
  assert.equal(other.status, 201);
  await page.locator('#cam-tbody tr[data-name="Yard cam"]').waitFor(); // live: camera.created

  await page.getByLabel('Cameras covering zone').selectOption({ label: 'covering Quay 7' });
  await page.locator('#cam-tbody tr[data-name="Yard cam"]').waitFor({ state: 'detached' });
  assert.deepEqual(await page.locator('#cam-tbody tr').evaluateAll((rs) => rs.map((r) => r.getAttribute('data-name'))), ['Quay 7 PTZ']);
  assert.match(await page.locator('#cam-tbody tr[data-name="Quay 7 PTZ"] .cam-zones').textContent(), /Quay 7/);

  await page.setViewportSize({ width: 1280, height: 1800 });
  await page.screenshot({ path: path.join(OUTDIR, 'sensors.png'), animations: 'disabled' });
  assert.deepEqual(page.problems, []);
});
