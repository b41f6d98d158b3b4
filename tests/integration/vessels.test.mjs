// The live AIS picture against the real daemon: a UDP input and a TCP input (the test runs
// the TCP server) fed with NMEA from a generator. Vessels appear with their static data;
// tracks are downsampled; anomalies come on SSE topic "ais" with their reasons, once per
// episode; bad lines are counted in /metrics by input and reason; the TCP input reconnects
// after its server restarts; expected arrivals (roles, validation, audit) keep an expected
// vessel's berth entry quiet.
//
//   PORTGUARD_BIN=build/portguard node --test tests/integration/vessels.test.mjs
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { assertProblem, freePort, initStore, removeTempDir, repoRoot, run, startDaemon, tempDir } from './lib/daemon.mjs';
import { position, staticData } from './lib/ais_nmea.mjs';

const T = { timeout: 30_000 };
let d;
let udpPort;
let tcpPort;
let tcpServer;
const tcpClients = new Set();
const udp = dgram.createSocket('udp4');

function startTcp() {
  return new Promise((resolve) => {
    tcpServer = net.createServer((sock) => {
      tcpClients.add(sock);
      sock.on('close', () => tcpClients.delete(sock));
      sock.on('error', () => {});
    });
    tcpServer.listen(tcpPort, '127.0.0.1', resolve);
  });
}

function stopTcp() {
  for (const s of tcpClients) s.destroy();
  return new Promise((resolve) => tcpServer.close(resolve));
}

const sendUdp = (lines) => new Promise((resolve, reject) =>
  udp.send(Buffer.from(lines.join('\r\n') + '\r\n'), udpPort, '127.0.0.1', (e) => (e ? reject(e) : resolve())));

function sendTcp(lines) {
  assert.ok(tcpClients.size > 0, 'the daemon is connected to the TCP server');
  for (const s of tcpClients) s.write(lines.join('\r\n') + '\r\n');
}

const admin = () => ({ bearer: d.tokens.adm });

async function metrics() {
  return (await d.api('GET', '/metrics')).text;
}

function metric(text, name, labels = '') {
  const re = new RegExp('^' + name.replace(/[_]/g, '_') + (labels ? '\\{' + labels.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + '\\}' : '') + ' (\\d+)$', 'm');
  const m = re.exec(text);
  return m ? Number(m[1]) : null;
}

async function until(fn, what, ms = 10_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function vessel(mmsi) {
  const r = await d.api('GET', `/api/v1/vessels/${mmsi}`, admin());
  return r.status === 200 ? r.json : null;
}

before(async () => {
  udpPort = await freePort();
  tcpPort = await freePort();
  await startTcp();
  d = await startDaemon({
    tokens: [{ name: 'adm', role: 'admin' }, { name: 'aud', role: 'auditor' }, { name: 'gate', role: 'gate' },
      { name: 'op', role: 'operator' }],
    config: `[ais]\nlayout = ${path.join(repoRoot, 'etc/port-layout.geojson')}\n` +
      `inputs = udp://127.0.0.1:${udpPort},tcp://127.0.0.1:${tcpPort}\nwatch_mmsi = 244999999\n`,
  });
  await until(() => tcpClients.size > 0, 'the TCP input to connect');
});

after(async () => {
  udp.close();
  await stopTcp().catch(() => {});
  if (d) await d.cleanup();
});

test('vessels appear from the UDP and the TCP input with their static data', T, async () => {
  await sendUdp([position({ mmsi: 244100003, lat: 51.975, lon: 4.052, sog: 5, cog: 180, heading: 181 }),
    ...staticData({ mmsi: 244100003, name: 'MAAS TRADER', callsign: 'PDMT', imo: 9300003, destination: 'ROTTERDAM' })]);
  sendTcp([position({ mmsi: 211200004, lat: 51.972, lon: 4.0755, sog: 4, cog: 190 })]);
  const a = await until(async () => { const v = await vessel(244100003); return v && v.name ? v : null; }, 'MAAS TRADER');
  assert.equal(a.name, 'MAAS TRADER');
  assert.equal(a.imo, 9300003);
  assert.equal(a.callsign, 'PDMT');
  assert.equal(a.destination, 'ROTTERDAM');
  assert.equal(a.class, 'A');
  assert.ok(Math.abs(a.lat - 51.975) < 1e-5 && Math.abs(a.lon - 4.052) < 1e-5);
  assert.equal(a.sog, 5);
  assert.equal(a.heading, 181);
  assert.deepEqual(a.zones, ['Harbour basin']);
  const b = await until(() => vessel(211200004), 'the TCP vessel');
  assert.equal(b.cog, 190);
  const list = await d.api('GET', '/api/v1/vessels?limit=500', admin());
  assert.equal(list.status, 200);
  assert.ok(list.json.items.some((v) => v.mmsi === 244100003) && list.json.items.some((v) => v.mmsi === 211200004));
  // roles: the auditor reads, the gate officer does not
  assert.equal((await d.api('GET', '/api/v1/vessels', { bearer: d.tokens.aud })).status, 200);
  assertProblem(await d.api('GET', '/api/v1/vessels', { bearer: d.tokens.gate }), 403, 'forbidden');
  assertProblem(await d.api('GET', '/api/v1/vessels/244000001', admin()), 404, 'not-found');
  assertProblem(await d.api('GET', '/api/v1/vessels/abc', admin()), 404, 'not-found');
  const lay = await d.api('GET', '/api/v1/waterside/layout', admin());
  assert.equal(lay.status, 200);
  assert.equal(lay.json.features.length, 7);
});

test('a track is downsampled: 50 m or 30 s or 10 degrees between kept points', T, async () => {
  const lines = [];
  for (let i = 0; i < 40; i++) lines.push(position({ mmsi: 244100020, lat: 51.97 + i * 0.000045, lon: 4.03, sog: 5, cog: 0 }));
  await sendUdp(lines); // 40 reports, 5 m apart: about 195 m
  await until(async () => { const v = await vessel(244100020); return v && v.messages === 40; }, 'all 40 reports');
  const tr = await until(async () => {
    const r = await d.api('GET', '/api/v1/vessels/244100020/track?limit=500', admin());
    return r.status === 200 && r.json.items.length >= 4 ? r.json : null;
  }, 'the track points');
  assert.equal(tr.mmsi, 244100020);
  assert.ok(tr.items.length >= 4 && tr.items.length <= 5, `kept ${tr.items.length} of 40`);
  for (let i = 1; i < tr.items.length; i++) {
    const dy = (tr.items[i].lat - tr.items[i - 1].lat) * 111200;
    assert.ok(dy >= 49, `points ${dy} m apart`);
  }
});

test('anomalies come on topic ais with their reasons, once per episode', T, async () => {
  const es = await d.events('/api/v1/events?topics=ais', admin());
  try {
    // into the LNG jetty's restricted waters, twice inside: one zone_entry
    await sendUdp([position({ mmsi: 244100005, lat: 51.969, lon: 4.076, sog: 5, cog: 130 })]);
    await sendUdp([position({ mmsi: 244100005, lat: 51.966, lon: 4.082, sog: 5, cog: 130 }),
      position({ mmsi: 244100005, lat: 51.9659, lon: 4.0821, sog: 5, cog: 130 })]);
    // 18 kn in the 6 kn basin; MID 200; a watchlisted MMSI
    await sendUdp([position({ mmsi: 244100013, lat: 51.975, lon: 4.03, sog: 18, cog: 90 }),
      position({ mmsi: 200123456, lat: 51.98, lon: 4.03, sog: 3, cog: 90 }),
      position({ mmsi: 244999999, lat: 51.98, lon: 4.035, sog: 3, cog: 90 })]);
    const got = {};
    await until(async () => {
      let ev;
      try { ev = await es.next(200); } catch { ev = null; }
      if (ev && ev.json && ev.json.data.action === 'anomaly') {
        const a = ev.json.data;
        (got[a.kind + '/' + a.mmsi] ||= []).push(a);
      }
      return got['zone_entry/244100005'] && got['speeding/244100013'] && got['identity/200123456'] && got['identity/244999999'];
    }, 'the four anomalies');
    const z = got['zone_entry/244100005'][0];
    assert.equal(z.zone, 'LNG jetty restricted waters');
    assert.match(z.reason, /entered restricted waters "LNG jetty restricted waters" at 5\.0 kn and is not on the expected arrivals/);
    assert.ok(typeof z.lat === 'number' && typeof z.at === 'string');
    const s = got['speeding/244100013'][0];
    assert.equal(s.limit_kn, 6);
    assert.equal(s.speed_kn, 18);
    assert.match(s.reason, /18\.0 kn in "Harbour basin" where the limit is 6 kn/);
    assert.equal(got['identity/200123456'][0].check, 'mmsi');
    assert.match(got['identity/200123456'][0].reason, /MID 200/);
    assert.equal(got['identity/244999999'][0].check, 'watchlist');
    // more reports inside the same episodes raise nothing new
    await sendUdp([position({ mmsi: 244100005, lat: 51.9658, lon: 4.0822, sog: 5, cog: 130 }),
      position({ mmsi: 244100013, lat: 51.975, lon: 4.031, sog: 18, cog: 90 }),
      position({ mmsi: 244100021, lat: 51.97, lon: 4.04, sog: 3, cog: 90 }),
      position({ mmsi: 244100021, lat: 52.2, lon: 4.04, sog: 3, cog: 90 })]); // a teleport
    const rest = await es.until((ev) => ev.json && ev.json.data.kind === 'spoofing', 10_000);
    const extra = rest.filter((ev) => ev.json && ev.json.data.action === 'anomaly' && ev.json.data.kind !== 'spoofing');
    assert.deepEqual(extra.map((ev) => ev.json.data.kind), []);
    const sp = rest[rest.length - 1].json.data;
    assert.equal(sp.check, 'teleport');
    assert.ok(sp.implied_kn > 60);
    const m = await metrics();
    assert.ok(metric(m, 'portguard_ais_anomalies_total', 'kind="zone_entry"') >= 1);
  } finally {
    es.close();
  }
});

test('bad lines are counted in /metrics by input and reason', T, async () => {
  const input = `udp://127.0.0.1:${udpPort}`;
  const before = await metrics();
  const bc = metric(before, 'portguard_ais_input_dropped_total', `input="${input}",reason="bad_checksum"`);
  const bf = metric(before, 'portguard_ais_input_dropped_total', `input="${input}",reason="bad_format"`);
  const good = position({ mmsi: 244100030, lat: 51.97, lon: 4.04 });
  await sendUdp([good.slice(0, -2) + '00', 'hello, not NMEA', '!AIVDM,1,1,,A,13`jc`hP0m*']);
  await until(async () => {
    const m = await metrics();
    return metric(m, 'portguard_ais_input_dropped_total', `input="${input}",reason="bad_checksum"`) >= bc + 1 &&
      metric(m, 'portguard_ais_input_dropped_total', `input="${input}",reason="bad_format"`) >= bf + 2;
  }, 'the drops to be counted');
  const m = await metrics();
  assert.ok(metric(m, 'portguard_ais_input_lines_total', `input="${input}"`) > 0);
  assert.ok(metric(m, 'portguard_ais_input_messages_total', `input="tcp://127.0.0.1:${tcpPort}"`) >= 1);
  assert.equal(await vessel(244100030), null);
});

test('the TCP input reconnects after its server restarts', T, async () => {
  const input = `tcp://127.0.0.1:${tcpPort}`;
  const c0 = metric(await metrics(), 'portguard_ais_input_connects_total', `input="${input}"`);
  await stopTcp();
  await until(async () => metric(await metrics(), 'portguard_ais_input_connected', `input="${input}"`) === 0, 'the input to notice');
  await startTcp();
  await until(async () => metric(await metrics(), 'portguard_ais_input_connects_total', `input="${input}"`) === c0 + 1, 'a reconnect', 15_000);
  await until(() => tcpClients.size > 0, 'the connection');
  sendTcp([position({ mmsi: 244100040, lat: 51.97, lon: 4.06, sog: 2 })]);
  await until(() => vessel(244100040), 'a vessel over the new connection');
});

test('expected arrivals: roles, validation, audit, and a quiet berth entry', T, async () => {
  assertProblem(await d.api('POST', '/api/v1/arrivals', { bearer: d.tokens.aud, body: { berth: 'Quay 1', mmsi: 244100050 } }), 403, 'forbidden');
  assertProblem(await d.api('POST', '/api/v1/arrivals', { ...admin(), body: { berth: 'Quay 9', mmsi: 244100050 } }), 422, 'unprocessable', { field: 'berth' });
  assertProblem(await d.api('POST', '/api/v1/arrivals', { ...admin(), body: { berth: 'Quay 1' } }), 422, 'unprocessable', { field: 'mmsi' });
  assertProblem(await d.api('POST', '/api/v1/arrivals', { ...admin(), body: { berth: 'Quay 1', mmsi: 244100050, from: 'tomorrow' } }), 400, 'bad-field', { field: 'from' });
  assertProblem(await d.api('POST', '/api/v1/arrivals', { ...admin(), body: { berth: 'Quay 1', mmsi: 'x' } }), 400, 'bad-field');
  const now = Date.now();
  const r = await d.api('POST', '/api/v1/arrivals', { bearer: d.tokens.op, body: {
    berth: 'Quay 1', mmsi: 244100050, name: 'EXPECTED ONE', from: new Date(now - 3600e3).toISOString(),
    until: new Date(now + 3600e3).toISOString(), note: 'pilot on board' } });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.berth, 'Quay 1');
  assert.equal(r.json.created_by, 'token:op');
  const list = await d.api('GET', '/api/v1/arrivals', { bearer: d.tokens.aud });
  assert.ok(list.json.items.some((a) => a.id === r.json.id));
  const audit = await d.api('GET', '/api/v1/audit?limit=50', admin());
  assert.ok(JSON.stringify(audit.json).includes('ais.arrival.add'));
  await until(async () => metric(await metrics(), 'portguard_ais_arrivals') === 1, 'the engine to hold the arrival');
  const es = await d.events('/api/v1/events?topics=ais', admin());
  try {
    // both sail into Quay 1's berth security zone; only the unexpected one is raised
    await sendUdp([position({ mmsi: 244100050, lat: 51.966, lon: 4.05, sog: 3, cog: 180 }),
      position({ mmsi: 244100051, lat: 51.966, lon: 4.055, sog: 3, cog: 180 })]);
    await sendUdp([position({ mmsi: 244100050, lat: 51.962, lon: 4.05, sog: 3, cog: 180 }),
      position({ mmsi: 244100051, lat: 51.962, lon: 4.055, sog: 3, cog: 180 })]);
    const evs = await es.until((ev) => ev.json && ev.json.data.kind === 'zone_entry' && ev.json.data.mmsi === 244100051, 10_000);
    assert.ok(!evs.some((ev) => ev.json && ev.json.data.kind === 'zone_entry' && ev.json.data.mmsi === 244100050));
    assert.equal(evs[evs.length - 1].json.data.zone, 'Quay 1 berth security zone');
  } finally {
    es.close();
  }
  assert.equal((await d.api('DELETE', `/api/v1/arrivals/${r.json.id}`, admin())).status, 204);
  assertProblem(await d.api('DELETE', `/api/v1/arrivals/${r.json.id}`, admin()), 404, 'not-found');
  await until(async () => metric(await metrics(), 'portguard_ais_arrivals') === 0, 'the engine to drop the arrival');
});

/* An NMEA 4.10 tag block with the time c: (seconds) in front of a sentence. */
function tagged(sec, line) {
  const body = `c:${sec}`;
  let c = 0;
  for (const ch of body) c ^= ch.charCodeAt(0);
  return `\\${body}*${c.toString(16).toUpperCase().padStart(2, '0')}\\${line}`;
}

test('a file replay input feeds the engine, paced by its tag block times', T, async () => {
  const dir = tempDir('portguard-it-ais-file-');
  const file = path.join(dir, 'replay.nmea');
  const t0 = 1_790_000_000;
  const lines = [];
  for (let i = 0; i < 11; i++) lines.push(tagged(t0 + i, position({ mmsi: 244100060, lat: 51.97 + i * 0.0005, lon: 4.05, sog: 10, cog: 0 })));
  lines.push('garbage');
  fs.writeFileSync(file, lines.join('\r\n') + '\r\n');
  const f = await startDaemon({
    tokens: [{ name: 'adm', role: 'admin' }],
    config: `[ais]\nlayout = ${path.join(repoRoot, 'etc/port-layout.geojson')}\ninputs = file://${file}?speed=20\n`,
  });
  try {
    const input = `file://${file}?speed=20`;
    const v = await until(async () => {
      const r = await f.api('GET', '/api/v1/vessels/244100060', { bearer: f.tokens.adm });
      return r.status === 200 && r.json.messages === 11 ? r.json : null;
    }, 'the replayed vessel');
    assert.ok(Math.abs(v.lat - 51.975) < 1e-5);
    const m = (await f.api('GET', '/metrics')).text;
    assert.equal(metric(m, 'portguard_ais_input_messages_total', `input="${input}"`), 11);
    assert.equal(metric(m, 'portguard_ais_input_dropped_total', `input="${input}",reason="bad_format"`), 1);
    // 10 s of tag time at 20 x: the first and the last report are at least 0.5 s apart
    const paced = Date.parse(v.last_seen) - Date.parse(v.first_seen);
    assert.ok(paced >= 450, `replayed over ${paced} ms`);
    await until(() => /replayed to its end \(12 lines\)/.test(f.log), 'the end of the replay');
  } finally {
    await f.cleanup();
    removeTempDir(dir);
  }
});

test('a bad layout or input stops the daemon with an error naming what is wrong', T, async () => {
  const store = await initStore({});
  const dir = tempDir('portguard-it-ais-bad-');
  try {
    const layout = path.join(dir, 'layout.geojson');
    fs.writeFileSync(layout, JSON.stringify({ type: 'FeatureCollection', features: [
      { type: 'Feature', properties: { name: 'Quay 1', kind: 'berth' }, geometry: { type: 'Polygon', coordinates: [[[4, 52], [4.1, 52], [4.1, 52.1], [4, 52]]] } },
      { type: 'Feature', properties: { name: 'Pier 2', kind: 'dock' }, geometry: { type: 'Polygon', coordinates: [[[4, 52], [4.1, 52], [4.1, 52.1], [4, 52]]] } },
    ] }));
    const cases = [
      [`[ais]\nlayout = ${layout}\n`, /features\[1\] \("Pier 2"\): properties\.kind: 'dock' is not one of/],
      ['[ais]\ninputs = ftp://example.org:21\n', /input 'ftp:\/\/example\.org:21': not tcp:\/\/HOST:PORT/],
      ['[ais]\ninputs = tcp://127.0.0.1\n', /input 'tcp:\/\/127\.0\.0\.1': expected tcp:\/\/HOST:PORT/],
      ['[ais]\nwatch_mmsi = 12x\n', /ais\.watch_mmsi: '12x' is not an MMSI/],
      ['[ais]\napproach_level = 4\n', /ais\.approach_level/],
    ];
    for (const [ini, re] of cases) {
      const cfg = path.join(dir, 'bad.ini');
      fs.writeFileSync(cfg, ini);
      const port = await freePort();
      const r = await run(['serve', '--data', store.dataDir, '--config', cfg, '--listen', `127.0.0.1:${port}`], { timeoutMs: 10_000 });
      assert.equal(r.code, 1, `${ini}: exit ${r.code}\n${r.stderr}`);
      assert.match(r.stderr, re);
    }
  } finally {
    removeTempDir(dir);
    removeTempDir(store.dataDir);
  }
});
