// Alarms against the real daemon: the manual alarm workflow with roles, the state machine
// (409s), required steps, assignment and the audit; the queue's filters and paging; the
// live topic "alarms"; a sensor event posted over HTTP raising an alarm with its cameras
// and folding repeats; a forced door from a door contact; and kill -9 right after sensor
// events are committed: every alarm is there after the restart, once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startDaemon, assertProblem, listAll } from './lib/daemon.mjs';

let d;
const tok = {};
const as = (role) => ({ bearer: tok[role] });
const call = (method, p, body, role = 'operator') => d.api(method, p, { ...as(role), body });
const ok = async (method, p, body, want, role = 'operator') => {
  const r = await call(method, p, body, role);
  assert.equal(r.status, want, `${method} ${p} ${JSON.stringify(body)}: ${r.text}`);
  return r.json;
};

async function waitFor(what, fn, ms = 10_000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const v = await fn();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const alarmsOf = async (daemon, bearer, q = '') =>
  (await listAll(daemon, `/api/v1/alarms${q}`, { bearer })).items;

before(async () => {
  const roles = ['admin', 'pfso', 'operator', 'auditor', 'authority', 'gate', 'device'];
  d = await startDaemon({
    tokens: roles.map((r) => ({ name: `it-${r}`, role: r })),
    users: [{ name: 'guard1', role: 'operator', password: 'guard-password-0123' }],
  });
  for (const r of roles) tok[r] = d.tokens[`it-${r}`];
});

after(async () => {
  await d?.cleanup();
});

test('manual alarm: raise, acknowledge, tick the required steps, assign, resolve; 409s; roles; audit; live', async () => {
  const sse = await d.events('/api/v1/events?topics=alarms', as('auditor'));
  const a = await ok('POST', '/api/v1/alarms', { reason: 'suspicious bag at gate 3', priority: 2, lat: 51.95, lon: 4.05 }, 201);
  assert.equal(a.kind, 'manual');
  assert.equal(a.state, 'new');
  assert.equal(a.priority, 2);
  assert.equal(a.source, 'manual');
  assert.equal(a.raised_by, 'token:it-operator');
  assert.ok(a.steps.length >= 2 && a.steps.every((s) => s.done === false));
  assert.ok(Array.isArray(a.cameras) && Array.isArray(a.history));
  await sse.until((ev) => ev.json?.data?.action === 'raised' && ev.json.data.alarm.id === a.id);

  // roles: auditor and authority read, gate and device neither read nor act
  await ok('GET', `/api/v1/alarms/${a.id}`, undefined, 200, 'auditor');
  await ok('GET', '/api/v1/alarms', undefined, 200, 'authority');
  assertProblem(await call('POST', `/api/v1/alarms/${a.id}/ack`, undefined, 'auditor'), 403, 'forbidden');
  assertProblem(await call('GET', '/api/v1/alarms', undefined, 'gate'), 403, 'forbidden');
  assertProblem(await call('POST', '/api/v1/alarms', { reason: 'x' }, 'device'), 403, 'forbidden');

  // the state machine
  assertProblem(await call('POST', `/api/v1/alarms/${a.id}/resolve`, { outcome: 'genuine' }), 409, 'alarm-state');
  assertProblem(await call('POST', `/api/v1/alarms/${a.id}/steps/1`, { done: true }), 409, 'alarm-state');
  const acked = await ok('POST', `/api/v1/alarms/${a.id}/ack`, undefined, 200);
  assert.equal(acked.state, 'acknowledged');
  assert.equal(acked.acknowledged_by, 'token:it-operator');
  assert.equal(acked.escalation_due, null);
  assertProblem(await call('POST', `/api/v1/alarms/${a.id}/ack`), 409, 'alarm-state');
  await sse.until((ev) => ev.json?.data?.action === 'acknowledged');

  // required steps first: the 409 names them
  const r = await call('POST', `/api/v1/alarms/${a.id}/resolve`, { outcome: 'genuine' }, 'pfso');
  assertProblem(r, 409, 'steps-required', { field: 'steps' });
  for (const s of a.steps.filter((x) => x.required)) assert.ok(r.json.detail.includes(s.text), r.json.detail);
  assertProblem(await call('POST', `/api/v1/alarms/${a.id}/resolve`, { outcome: 'splendid' }), 422, 'unprocessable');
  assertProblem(await call('POST', `/api/v1/alarms/${a.id}/steps/1`, { done: 'yes' }), 400, 'bad-field', { field: 'done' });
  assertProblem(await call('POST', `/api/v1/alarms/${a.id}/steps/9`, { done: true }), 404, 'not-found');
  let cur;
  for (const s of a.steps) {
    cur = await ok('POST', `/api/v1/alarms/${a.id}/steps/${s.n}`, { done: true, note: `step ${s.n} done` }, 200);
  }
  assert.equal(cur.state, 'in_progress');
  assert.ok(cur.steps.every((s) => s.done && s.done_by === 'token:it-operator'));
  assertProblem(await call('POST', `/api/v1/alarms/${a.id}/assign`, { user: 'nobody' }), 422, 'unprocessable', { field: 'user' });
  cur = await ok('POST', `/api/v1/alarms/${a.id}/assign`, { user: 'guard1' }, 200);
  assert.equal(cur.assigned_to, 'guard1');
  cur = await ok('POST', `/api/v1/alarms/${a.id}/resolve`, { outcome: 'false_alarm', notes: 'owner found' }, 200, 'pfso');
  assert.equal(cur.state, 'resolved');
  assert.equal(cur.outcome, 'false_alarm');
  assert.equal(cur.resolved_by, 'token:it-pfso');
  assert.deepEqual(cur.history.map((h) => h.action),
    ['raised', 'acknowledged', ...a.steps.map(() => 'step'), 'assigned', 'resolved']);
  assertProblem(await call('POST', `/api/v1/alarms/${a.id}/ack`), 409, 'alarm-state');
  await sse.until((ev) => ev.json?.data?.action === 'resolved' && ev.json.data.alarm.outcome === 'false_alarm');
  sse.close();

  // every action audited with who
  const audit = (await listAll(d, '/api/v1/audit', as('admin'))).items.filter((x) => x.object === `alarm ${a.id}`);
  const actions = audit.map((x) => x.action);
  for (const want of ['alarm.raise', 'alarm.acknowledge', 'alarm.step', 'alarm.assign', 'alarm.resolve']) {
    assert.ok(actions.includes(want), `${want} in ${actions}`);
  }
  assert.equal(audit.find((x) => x.action === 'alarm.resolve').actor, 'token:it-pfso');
});

test('manual alarm: bad input changes nothing', async () => {
  const before = (await alarmsOf(d, tok.operator)).length;
  assertProblem(await call('POST', '/api/v1/alarms', {}), 400, 'bad-field', { field: 'reason' });
  assertProblem(await call('POST', '/api/v1/alarms', { reason: 'x', priority: 9 }), 400, 'bad-field', { field: 'priority' });
  assertProblem(await call('POST', '/api/v1/alarms', { reason: 'x', lat: 95, lon: 4 }), 400, 'bad-field');
  assertProblem(await call('POST', '/api/v1/alarms', { reason: 'x', lat: 51 }), 400, 'bad-field');
  assertProblem(await call('POST', '/api/v1/alarms', { reason: 'x', kind: 'unicorn' }), 422, 'unprocessable', { field: 'kind' });
  assertProblem(await call('POST', '/api/v1/alarms', { reason: 'x', zone_id: 99999 }), 422, 'unprocessable', { field: 'zone_id' });
  assertProblem(await call('POST', '/api/v1/alarms', { reason: 'x', colour: 'red' }), 400, 'bad-field', { field: 'colour' });
  assert.equal((await alarmsOf(d, tok.operator)).length, before);
  assertProblem(await call('GET', '/api/v1/alarms/999999'), 404, 'not-found');
  assertProblem(await call('GET', '/api/v1/alarms?state=closed'), 400, 'bad-field', { field: 'state' });
  assertProblem(await call('GET', '/api/v1/alarms?priority=0'), 400, 'bad-field', { field: 'priority' });
  assertProblem(await call('GET', '/api/v1/alarms?after=x'), 400, 'bad-field', { field: 'after' });
});

test('the queue: highest priority first, then oldest; filters by state and priority; pages', async () => {
  const made = [];
  for (const p of [4, 1, 3, 1, 5]) made.push(await ok('POST', '/api/v1/alarms', { reason: `queue ${p}`, priority: p }, 201));
  const open = await alarmsOf(d, tok.operator, '?state=open');
  const mine = open.filter((x) => made.some((m) => m.id === x.id));
  assert.deepEqual(mine.map((x) => x.priority), [1, 1, 3, 4, 5]);
  assert.ok(mine[0].id < mine[1].id, 'same priority: oldest first');
  for (let i = 1; i < open.length; i++) {
    assert.ok(open[i - 1].priority < open[i].priority ||
      (open[i - 1].priority === open[i].priority && open[i - 1].id < open[i].id));
  }
  const p1 = await alarmsOf(d, tok.operator, '?priority=1');
  assert.ok(p1.length >= 2 && p1.every((x) => x.priority === 1));
  const page = await ok('GET', '/api/v1/alarms?state=new&limit=2', undefined, 200);
  assert.equal(page.items.length, 2);
  assert.match(page.next, /^\d\.\d+$/);
  const page2 = await ok('GET', `/api/v1/alarms?state=new&limit=2&after=${page.next}`, undefined, 200);
  assert.ok(page2.items.every((x) => !page.items.some((y) => y.id === x.id)));
  const resolved = await alarmsOf(d, tok.operator, '?state=resolved');
  assert.ok(resolved.every((x) => x.state === 'resolved'));
  const kinds = await ok('GET', '/api/v1/alarm-kinds', undefined, 200, 'auditor');
  assert.ok(kinds.kinds.some((k) => k.kind === 'fence_intrusion' && k.steps.some((s) => s.required)));
  assert.equal(kinds.rules.denials, 3);
});

async function site(prefix) {
  const zone = await ok('POST', '/api/v1/zones', { name: `${prefix} quay`, kind: 'restricted' }, 201, 'admin');
  const yard = await ok('POST', '/api/v1/zones', { name: `${prefix} yard`, kind: 'controlled' }, 201, 'admin');
  const reader = await ok('POST', '/api/v1/readers', { name: `${prefix} door`, kind: 'door', from_zone_id: yard.id, to_zone_id: zone.id }, 201, 'admin');
  const cam = await ok('POST', '/api/v1/cameras', { name: `${prefix}-cam`, stream_url: 'rtsp://10.0.0.5/quay', snapshot_url: 'http://10.0.0.5/snap.jpg', zones: [zone.id], lat: 51.95, lon: 4.05 }, 201, 'admin');
  const far = await ok('POST', '/api/v1/cameras', { name: `${prefix}-far`, stream_url: 'rtsp://10.0.0.6/x', zones: [yard.id], lat: 52.5, lon: 5 }, 201, 'admin');
  return { zone, yard, reader, cam, far };
}

const sensorEvent = (daemon, ref, body, bearer) => daemon.api('POST', `/api/v1/sensors/${ref}/events`, { bearer, body });

test('a sensor event over HTTP raises an alarm with its cameras; repeats fold; normal is recorded', async () => {
  const s = await site('S1');
  const sensor = await ok('POST', '/api/v1/sensors', { name: 'fence-a1', kind: 'fence_intrusion', zone_id: s.zone.id, lat: 51.9501, lon: 4.0501 }, 201, 'admin');
  const sse = await d.events('/api/v1/events?topics=alarms', as('operator'));
  const t0 = Date.now();
  const r = await sensorEvent(d, sensor.name, { state: 'alarm' }, tok.device);
  assert.equal(r.status, 201, r.text);
  const seen = await sse.until((ev) => ev.json?.data?.alarm?.source_key === `sensor:${sensor.id}`);
  const ms = Date.now() - t0;
  const raised = seen.at(-1).json.data;
  assert.equal(raised.action, 'raised');
  assert.equal(raised.alarm.kind, 'fence_intrusion');
  assert.equal(raised.alarm.zone, 'S1 quay');
  assert.equal(raised.alarm.source, 'sensor');
  assert.equal(raised.alarm.source_name, 'fence-a1');
  assert.equal(raised.alarm.event_id, r.json.event_id);
  console.log(`# sensor event -> alarm on SSE: ${ms} ms`);
  const detail = await ok('GET', `/api/v1/alarms/${raised.alarm.id}`, undefined, 200);
  assert.deepEqual(detail.cameras.map((c) => c.name), ['S1-cam'], 'the camera covering the zone, not the far one');
  assert.equal(detail.cameras[0].why, 'zone');
  assert.equal(detail.cameras[0].stream_url, 'rtsp://10.0.0.5/quay');
  assert.ok(detail.cameras[0].distance_m < 50, JSON.stringify(detail.cameras[0]));

  assert.equal((await sensorEvent(d, sensor.name, { state: 'alarm' }, tok.device)).status, 201);
  await sse.until((ev) => ev.json?.data?.action === 'repeated' && ev.json.data.alarm.id === raised.alarm.id);
  assert.equal((await sensorEvent(d, sensor.name, { state: 'normal' }, tok.device)).status, 201);
  const back = await sse.until((ev) => ev.json?.data?.action === 'source_normal' && ev.json.data.alarm.id === raised.alarm.id);
  assert.equal(back.at(-1).json.data.alarm.state, 'new', 'a return to normal does not resolve');
  sse.close();
  const after = await ok('GET', `/api/v1/alarms/${raised.alarm.id}`, undefined, 200);
  assert.equal(after.count, 2);
  assert.equal(after.source_state, 'normal');
  assert.deepEqual(after.history.map((h) => h.action), ['raised', 'repeated', 'source_normal']);
  const mine = (await alarmsOf(d, tok.operator)).filter((x) => x.source_key === `sensor:${sensor.id}`);
  assert.equal(mine.length, 1, 'one alarm, not three');
  const m = (await d.api('GET', '/metrics')).text;
  assert.ok(Number(/^portguard_alarm_events_evaluated_total (\d+)$/m.exec(m)?.[1]) >= 3, m);
  assert.ok(Number(/^portguard_alarm_cursor (\d+)$/m.exec(m)?.[1]) >= r.json.event_id);
  assert.match(m, /^portguard_alarm_errors_total 0$/m);
});

test('a door contact that opens with no grant at its reader is a forced door', async () => {
  const s = await site('S2');
  const door = await ok('POST', '/api/v1/sensors', { name: 'door-a2', kind: 'door_contact', zone_id: s.zone.id, reader_id: s.reader.id }, 201, 'admin');
  assert.equal((await sensorEvent(d, door.name, { state: 'alarm' }, tok.device)).status, 201);
  const a = await waitFor('the door_forced alarm', async () =>
    (await alarmsOf(d, tok.operator, '?state=open')).find((x) => x.kind === 'door_forced' && x.source_key === `sensor:${door.id}`));
  assert.match(a.reason, /no access granted at reader/);
  assert.equal(a.zone_id, s.zone.id);
});

test('the daemon stops cleanly with the alarm engine running (exit 0: no leak under the sanitizers)', async () => {
  assert.equal(await d.stop(), 0, `clean stop: ${JSON.stringify(d.lastExit)}\n${d.log.slice(-2000)}`);
});

test('kill -9 right after sensor events are committed: every alarm is there after the restart, once', async () => {
  const x = await startDaemon({ tokens: [{ name: 'dev', role: 'device' }, { name: 'adm', role: 'admin' }, { name: 'op', role: 'operator' }] });
  const N = 12;
  try {
    const names = [];
    for (let i = 0; i < N; i++) {
      const r = await x.api('POST', '/api/v1/sensors', { bearer: x.tokens.adm, body: { name: `k9-${i}`, kind: 'pir' } });
      assert.equal(r.status, 201, r.text);
      names.push(r.json);
    }
    const answers = await Promise.all(names.map((s) => sensorEvent(x, s.name, { state: 'alarm' }, x.tokens.dev)));
    assert.ok(answers.every((r) => r.status === 201));
    await x.stop({ signal: 'SIGKILL' });
    const y = await startDaemon({ dataDir: x.dataDir, init: false });
    try {
      const tokR = await y.run(['token', 'create', '--name', 'op2', '--role', 'operator', '--data', y.dataDir]);
      const bearer = tokR.stdout.trim();
      const all = await waitFor(`${N} alarms`, async () => {
        const items = (await listAll(y, '/api/v1/alarms', { bearer })).items.filter((a) => a.kind === 'pir');
        return items.length >= N ? items : null;
      });
      assert.equal(all.length, N, 'one alarm per sensor');
      assert.ok(all.every((a) => a.count === 1), `evaluated once each: ${all.map((a) => a.count)}`);
      assert.deepEqual(new Set(all.map((a) => a.source_name)), new Set(names.map((s) => s.name)));
    } finally {
      await y.cleanup();
    }
  } finally {
    await x.cleanup();
  }
});

test('[alarms] kinds names a file: its escalation time runs in the live daemon; a bad file stops serve with the line', async () => {
  const fs = await import('node:fs');
  const os = await import('node:os');
  const path = await import('node:path');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portguard-it-kinds-'));
  try {
    const kinds = path.join(dir, 'alarms.ini');
    fs.writeFileSync(kinds, '[kind manual]\nescalate_s = 1\n\n[kind crane_overload]\nlabel = Crane overload\npriority = 2\nrequired = Stop the crane\n');
    const x = await startDaemon({ tokens: [{ name: 'op', role: 'operator' }], config: `[alarms]\nkinds = ${kinds}\n` });
    try {
      const as2 = { bearer: x.tokens.op };
      const k = await x.api('GET', '/api/v1/alarm-kinds', as2);
      assert.ok(k.json.kinds.some((c) => c.kind === 'crane_overload' && c.label === 'Crane overload'));
      const sse = await x.events('/api/v1/events?topics=alarms', as2);
      const r = await x.api('POST', '/api/v1/alarms', { ...as2, body: { reason: 'escalate me', priority: 2 } });
      assert.equal(r.status, 201, r.text);
      const t0 = Date.now();
      const seen = await sse.until((ev) => ev.json?.data?.action === 'escalated' && ev.json.data.alarm.id === r.json.id, 6000);
      const esc = seen.at(-1).json.data.alarm;
      assert.ok(Date.now() - t0 < 3000, `escalated after ${Date.now() - t0} ms`);
      assert.equal(esc.priority, 1);
      assert.equal(esc.escalations, 1);
      assert.equal(esc.state, 'new');
      const ack = await x.api('POST', `/api/v1/alarms/${r.json.id}/ack`, as2);
      assert.equal(ack.json.escalation_due, null);
      const hist = (await x.api('GET', `/api/v1/alarms/${r.json.id}`, as2)).json.history;
      assert.deepEqual(hist[1].detail, { step: 1, from: 2, to: 1, unacknowledged_s: 1 });
      sse.close();
    } finally {
      await x.cleanup();
    }
    fs.writeFileSync(kinds, '[kind manual]\npriority = 9\n');
    await assert.rejects(startDaemon({ config: `[alarms]\nkinds = ${kinds}\n` }),
      (e) => /line 2: \[kind manual\]: priority: '9' is not a whole number from 1 to 5/.test(e.message));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a sensor event committed while no engine ran (the crash window, made certain) is evaluated at the next start', async () => {
  const { spawnSync } = await import('node:child_process');
  const path = await import('node:path');
  const x = await startDaemon({ tokens: [{ name: 'op', role: 'operator' }] });
  try {
    assert.equal(await x.stop(), 0);
    // what a killed daemon leaves: the event committed, the cursor before it
    const data = JSON.stringify({ action: 'event', sensor_id: 4242, sensor: 'gap-pir', kind: 'pir', zone_id: null, reader_id: null, lat: null, lon: null, state: 'alarm', previous: null, value: null, unit: null, reason: null, at: '2026-11-27T10:00:00.000Z', received: '2026-11-27T10:00:00.000Z', source: 'http' });
    const r = spawnSync('sqlite3', ['-batch', path.join(x.dataDir, 'portguard.db'),
      `INSERT INTO events(topic, at, data) VALUES ('sensors', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), '${data}'); SELECT max(id) FROM events; SELECT event_id FROM alarm_cursor;`], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const [eventId, cursor] = r.stdout.trim().split('\n').map(Number);
    assert.ok(cursor < eventId, `the cursor ${cursor} is before the event ${eventId}`);
    const y = await startDaemon({ dataDir: x.dataDir, init: false });
    try {
      const bearer = x.tokens.op;
      const a = await waitFor('the alarm of the event', async () =>
        (await listAll(y, '/api/v1/alarms', { bearer })).items.find((i) => i.source_key === 'sensor:4242'));
      assert.equal(a.kind, 'pir');
      assert.equal(a.event_id, eventId);
      assert.equal(a.count, 1);
      assert.equal(await y.stop(), 0);
    } finally {
      await y.cleanup({ keepData: true });
    }
  } finally {
    await x.cleanup();
  }
});

test('portguard alarm kinds prints the table of etc/alarms.ini; a bad --file exits 1 naming the line', async () => {
  const fs = await import('node:fs');
  const path = await import('node:path');
  const { run, repoRoot, tempDir, removeTempDir } = await import('./lib/daemon.mjs');
  const r = await run(['alarm', 'kinds']);
  assert.equal(r.code, 0, r.stderr);
  const shipped = fs.readFileSync(path.join(repoRoot, 'etc/alarms.ini'), 'utf8');
  assert.equal(r.stdout, shipped.slice(shipped.indexOf('\n[rules]\n') + 1));
  const dir = tempDir('portguard-it-kinds-');
  try {
    const f = path.join(dir, 'k.ini');
    fs.writeFileSync(f, '[kind pir]\nlabel = Motion\n');
    const ok = await run(['alarm', 'kinds', '--file', f]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /\[kind pir\]\nlabel = Motion\npriority = 3\n/);
    fs.writeFileSync(f, '[kind pir]\n\nescalate_s = soon\n');
    const bad = await run(['alarm', 'kinds', '--file', f]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /alarm kinds .*k\.ini: line 3: \[kind pir\]: escalate_s: 'soon' is not a whole number from 0 to 86400/);
    assert.equal(bad.stdout, '');
  } finally {
    removeTempDir(dir);
  }
});
