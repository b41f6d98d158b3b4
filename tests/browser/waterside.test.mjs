// Browser test of the Waterside page against the real daemon fed over its UDP AIS input:
// an operator sees the layout's zones and the vessels on the map, the vessels move as new
// reports arrive, a speeder's anomaly appears in the list and on the map, and a click on a
// vessel shows its details and its track. Screenshot to OUTDIR.
//
//   PORTGUARD_BIN=build/portguard OUTDIR=build/test-output node --test tests/browser/waterside.test.mjs
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { OUTDIR, launchBrowser, login, mainNav, newPage } from './lib.mjs';
import { freePort, repoRoot, startDaemon } from '../integration/lib/daemon.mjs';
import { position, staticData } from '../integration/lib/ais_nmea.mjs';

const T = { timeout: 60_000 };
const OPERATOR_PASSWORD = 'Quay-Bollard-Fender-7712';
const udp = dgram.createSocket('udp4');
let d;
let udpPort;
let browser;
let context;
let page;
let step = 0;
let feeder;

const send = (lines) => new Promise((resolve, reject) =>
  udp.send(Buffer.from(lines.join('\r\n') + '\r\n'), udpPort, '127.0.0.1', (e) => (e ? reject(e) : resolve())));

/* Three vessels sailing east through the basin at 5 kn (a report a second, about 2.6 m) and
 * one moored ship. */
function tick() {
  step += 1;
  const lines = [];
  const fleet = [[244100101, 51.972], [244100102, 51.976], [244100103, 51.98]];
  for (const [mmsi, lat] of fleet) {
    lines.push(position({ mmsi, lat, lon: 4.03 + step * 0.0000375, sog: 5, cog: 90, heading: 90 }));
  }
  lines.push(position({ mmsi: 244100001, lat: 51.9612, lon: 4.045, sog: 0, cog: 90, heading: 90, status: 5 }));
  return send(lines);
}

before(async () => {
  await mkdir(OUTDIR, { recursive: true });
  udpPort = await freePort();
  d = await startDaemon({
    users: [{ name: 'op1', role: 'operator', password: OPERATOR_PASSWORD }],
    config: `[ais]\nlayout = ${path.join(repoRoot, 'etc/port-layout.geojson')}\ninputs = udp://127.0.0.1:${udpPort}\n`,
  });
  await send([
    ...staticData({ mmsi: 244100101, name: 'ALPHA TRADER' }), ...staticData({ mmsi: 244100102, name: 'BRAVO SPIRIT' }),
    ...staticData({ mmsi: 244100103, name: 'CHARLIE STAR' }), ...staticData({ mmsi: 244100001, name: 'NORDIC STAR' }),
  ]);
  await tick();
  feeder = setInterval(() => { tick().catch(() => {}); }, 1000);
  browser = await launchBrowser();
  ({ context, page } = await newPage(browser));
  await login(page, d.base, 'op1', OPERATOR_PASSWORD);
});

after(async () => {
  clearInterval(feeder);
  udp.close();
  if (context) await context.close().catch(() => {});
  if (browser) await browser.close();
  if (d) await d.cleanup();
});

test('the waterside map shows the zones and moving vessels, an anomaly appears, a click shows the track', T, async () => {
  await mainNav(page).getByRole('link', { name: 'Waterside' }).click();
  await page.getByRole('heading', { name: 'Waterside', level: 1 }).waitFor();
  // the layout's polygons are drawn (7 features) and the vessels are on the map
  await page.locator('#ws-map path.leaflet-interactive').nth(6).waitFor();
  const alpha = page.locator('#ws-map .ws-ship[data-mmsi="244100101"]');
  await alpha.waitFor();
  await page.locator('#ws-map .ws-ship[data-mmsi="244100001"][data-moored="true"]').waitFor();
  assert.equal(await alpha.locator('.ws-name').textContent(), 'ALPHA TRADER');
  assert.match(await alpha.locator('.ws-arrow').getAttribute('style'), /rotate\(90deg\)/);
  await page.locator('#ws-tbody tr[data-mmsi="244100102"]').waitFor();

  // the vessels move: the marker's longitude grows with the next position events
  const lon0 = Number(await alpha.getAttribute('data-lon'));
  await page.waitForFunction(([sel, lon]) => {
    const n = document.querySelector(sel);
    return n && Number(n.getAttribute('data-lon')) > lon;
  }, ['#ws-map .ws-ship[data-mmsi="244100101"]', lon0], { timeout: 15_000 });
  const box0 = await alpha.boundingBox();
  await page.waitForFunction(([sel, lon]) => Number(document.querySelector(sel).getAttribute('data-lon')) > lon + 0.00005,
    ['#ws-map .ws-ship[data-mmsi="244100101"]', lon0], { timeout: 15_000 });
  const box1 = await alpha.boundingBox();
  assert.ok(box1.x >= box0.x, 'the marker moved east on the screen');

  // a speeder in the 6 kn basin: the anomaly comes live into the list and onto the map
  await send([position({ mmsi: 244100113, lat: 51.97, lon: 4.06, sog: 18, cog: 270 }),
    ...staticData({ mmsi: 244100113, name: 'FAST EDDIE' })]);
  const item = page.locator('#ws-anomalies .ws-anomaly[data-kind="speeding"][data-mmsi="244100113"]');
  await item.waitFor({ timeout: 15_000 });
  assert.match(await item.locator('.ws-reason').textContent(), /18\.0 kn in "Harbour basin" where the limit is 6 kn/);
  await page.locator('#ws-map path.ws-anomaly-marker').first().waitFor();
  await page.locator('#ws-map .ws-ship[data-mmsi="244100113"][data-anomaly="true"]').waitFor();

  // a click on a vessel: its details and its downsampled track
  await alpha.locator('.ws-arrow').click();
  await page.locator('#ws-detail-title').filter({ hasText: 'ALPHA TRADER' }).waitFor();
  assert.match(await page.locator('#ws-facts').textContent(), /244100101/);
  await page.locator('#ws-map path.ws-track').waitFor({ state: 'attached', timeout: 15_000 });
  await page.locator('#ws-map path.ws-track-point').first().waitFor({ state: 'attached' });

  await page.screenshot({ path: path.join(OUTDIR, 'waterside.png'), fullPage: true });
  assert.deepEqual(page.problems, []);
});
