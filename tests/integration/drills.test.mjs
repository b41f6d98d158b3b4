// Drills and exercises against the real daemon: a fresh store is overdue for both (one
// event each, not again after a restart); an old drill makes drills overdue again with the
// numbers; a planned drill conducted with participants and observers clears it; bad input
// is refused naming the field and changes nothing; corrective actions with owners, overdue
// on the schedule, closed once; an evacuation drill starts a real muster and keeps its
// timing, also when the muster is closed from the muster routes; roles; audit.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startDaemon, assertProblem, listAll } from './lib/daemon.mjs';

let d;
const tok = {};
const ROLES = ['admin', 'pfso', 'trainer', 'operator', 'auditor', 'authority', 'gate', 'inspector'];
const as = (role) => ({ bearer: tok[role] });
const post = (p, body, role = 'trainer') => d.api('POST', p, { ...as(role), body });
const get = (p, role = 'trainer') => d.api('GET', p, as(role));

const DAY = 86_400_000;
const iso = (ms) => new Date(ms).toISOString();
const dateOf = (ms) => iso(ms).slice(0, 10);
// the day n calendar months after `day` (YYYY-MM-DD), clamped at the month's end
function addMonths(day, n) {
  const [y, m, dd] = day.split('-').map(Number);
  const total = y * 12 + (m - 1) + n;
  const ny = Math.floor(total / 12);
  const nm = total - ny * 12;
  const last = new Date(Date.UTC(ny, nm + 1, 0)).getUTCDate();
  return `${ny}-${String(nm + 1).padStart(2, '0')}-${String(Math.min(dd, last)).padStart(2, '0')}`;
}
const daysBetween = (a, b) => Math.round((Date.parse(b) - Date.parse(a)) / DAY);

const people = [];

before(async () => {
  d = await startDaemon({ tokens: ROLES.map((r) => ({ name: `it-${r}`, role: r })) });
  for (const r of ROLES) tok[r] = d.tokens[`it-${r}`];
  for (const [first, last] of [['Ana', 'Silva'], ['Ben', 'Okafor'], ['Cora', 'Lind']]) {
    const r = await post('/api/v1/people', { kind: 'employee', first_name: first, last_name: last }, 'admin');
    assert.equal(r.status, 201, r.text);
    people.push(r.json.id);
  }
});

after(async () => { await d?.cleanup(); });

async function trainingEvents(pred, ms = 5000) {
  const es = await d.events('/api/v1/events?topics=training&recent=200', as('admin'));
  try {
    return await es.until(pred, ms);
  } finally {
    es.close();
  }
}

async function storedTrainingEvents() {
  // every stored training event: replay from the start, stop at a marker we cause
  const es = await d.events('/api/v1/events?topics=training,system&recent=500', as('admin'));
  const seen = [];
  try {
    for (;;) {
      let ev;
      try { ev = await es.next(700); } catch { break; }
      seen.push(ev);
    }
  } finally {
    es.close();
  }
  return seen.filter((e) => e.event === 'training').map((e) => e.json.data);
}

test('a fresh store is overdue for a drill and an exercise: one event each', async () => {
  const seen = await trainingEvents((e) => e.json?.data?.action === 'exercise_overdue');
  const drill = seen.map((e) => e.json.data).find((x) => x.action === 'drill_overdue');
  assert.ok(drill, 'a drill_overdue event');
  const today = dateOf(Date.now());
  assert.equal(drill.kind, 'drill');
  assert.equal(drill.last, null);
  assert.equal(drill.due, `${today}T23:59:59.999Z`);
  assert.equal(drill.days_overdue, 0);
  assert.match(drill.reason, /^no drill recorded since the schedule began on \d{4}-\d\d-\d\d \(due \d{4}-\d\d-\d\d\)$/);
  const s = await get('/api/v1/drills/schedule', 'operator');
  assert.equal(s.status, 200, s.text);
  assert.equal(s.json.drill.status, 'overdue');
  assert.equal(s.json.exercise.status, 'overdue');
  assert.equal(s.json.drill.last, null);
  assert.equal(s.json.actions_open, 0);
});

let oldDrill;
test('a drill conducted four months ago makes drills overdue again, with the numbers', async () => {
  const when = Date.now() - 125 * DAY;
  const r = await post('/api/v1/drills', {
    kind: 'drill', type: 'intrusion', title: 'Fence breach', conducted_at: iso(when),
    results: 'Patrol on scene in 6 minutes', participants: [people[0]],
  });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.status, 'conducted');
  assert.equal(r.headers.get('location'), `/api/v1/drills/${r.json.id}`);
  oldDrill = r.json;
  const due = addMonths(dateOf(when), 3);
  const seen = await trainingEvents((e) => e.json?.data?.action === 'drill_overdue' && e.json.data.last !== null);
  const ev = seen.at(-1).json.data;
  assert.equal(ev.kind, 'drill');
  assert.equal(ev.last, iso(when));
  assert.equal(ev.due, `${due}T23:59:59.999Z`);
  assert.equal(ev.days_overdue, daysBetween(due, dateOf(Date.now())));
  assert.ok(ev.days_overdue > 0);
  assert.equal(ev.reason, `no drill recorded since ${dateOf(when)} (due ${due})`);
  const s = await get('/api/v1/drills/schedule');
  assert.equal(s.json.drill.status, 'overdue');
  assert.equal(s.json.drill.last_id, oldDrill.id);
});

let planned;
test('a planned drill conducted with participants and observers brings drills up to date', async () => {
  const r = await post('/api/v1/drills', {
    kind: 'drill', type: 'bomb_threat', title: 'Suspicious package at gate 2',
    scenario: 'A bag left at the pedestrian gate\nduring shift change',
    planned_at: iso(Date.now() + 2 * DAY), place: 'Gate 2',
  }, 'pfso');
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.status, 'planned');
  assert.equal(r.json.conducted_at, null);
  planned = r.json;
  let s = await get('/api/v1/drills/schedule');
  assert.equal(s.json.drill.next_planned.id, planned.id);

  const c = await post(`/api/v1/drills/${planned.id}/conduct`, {
    results: 'Area cordoned in 4 minutes', lessons: 'Radio check before the drill',
    participants: [people[1], people[2], people[1]], observers: ['Harbour police', 'pfso'],
  });
  assert.equal(c.status, 200, c.text);
  assert.equal(c.json.status, 'conducted');
  assert.ok(Math.abs(Date.parse(c.json.conducted_at) - Date.now()) < 60_000, 'conducted now');
  assert.deepEqual(c.json.participants.map((p) => p.id).sort(), [people[1], people[2]].sort());
  assert.deepEqual(c.json.observers, ['Harbour police', 'pfso']);
  assert.equal(c.json.results, 'Area cordoned in 4 minutes');

  s = await get('/api/v1/drills/schedule', 'authority');
  assert.equal(s.json.drill.status, 'ok');
  assert.equal(s.json.drill.last_id, planned.id);
  assert.equal(s.json.drill.due_date, addMonths(dateOf(Date.parse(c.json.conducted_at)), 3));
  assert.equal(s.json.exercise.status, 'overdue');

  const again = await post(`/api/v1/drills/${planned.id}/conduct`, { results: 'again' });
  assertProblem(again, 409, 'conflict', { field: 'status' });

  const list = await listAll(d, '/api/v1/drills?kind=drill&status=conducted', as('auditor'));
  assert.deepEqual(list.items.map((x) => x.id), [planned.id, oldDrill.id]);
  assert.equal(list.items[0].participant_count, 2);
  const month = await get(`/api/v1/drills?from=${dateOf(Date.now() - 130 * DAY)}&to=${dateOf(Date.now() - 120 * DAY)}`);
  assert.deepEqual(month.json.items.map((x) => x.id), [oldDrill.id]);
});

test('bad input is refused naming the field and changes nothing', async () => {
  const before = (await listAll(d, '/api/v1/drills', as('admin'))).items.length;
  const base = { kind: 'drill', type: 'fire', title: 'Fire', planned_at: iso(Date.now() + DAY) };
  const cases = [
    [{ ...base, type: 'picnic' }, 422, 'unprocessable', 'type'],
    [{ ...base, kind: 'party' }, 422, 'unprocessable', 'kind'],
    [{ ...base, format: 'tabletop' }, 422, 'unprocessable', 'format'],
    [{ ...base, participants: [people[0], 999999] }, 422, 'unprocessable', 'participants[1]'],
    [{ ...base, participants: ['Ana'] }, 400, 'bad-field', 'participants[0]'],
    [{ ...base, observers: [''] }, 400, 'bad-field', 'observers[0]'],
    [{ ...base, planned_at: 'next tuesday' }, 400, 'bad-field', 'planned_at'],
    [{ ...base, planned_at: undefined }, 400, 'bad-field', 'planned_at'],
    [{ ...base, conducted_at: iso(Date.now() + 5 * DAY) }, 422, 'unprocessable', 'conducted_at'],
    [{ ...base, conducted_at: iso(Date.now() - DAY), ended_at: iso(Date.now() - 2 * DAY) }, 422, 'unprocessable', 'ended_at'],
    [{ ...base, title: '  ' }, 400, 'bad-field', 'title'],
    [{ ...base, title: 'a\u0007b' }, 400, 'bad-field', 'title'],
    [{ ...base, status: 'cancelled' }, 422, 'unprocessable', 'status'],
    [{ ...base, zone_id: 424242 }, 422, 'unprocessable', 'zone_id'],
    [{ ...base, colour: 'red' }, 400, 'bad-field', 'colour'],
  ];
  for (const [body, status, slug, field] of cases) {
    const r = await post('/api/v1/drills', body);
    assertProblem(r, status, slug, { field });
  }
  const bad = await d.api('GET', '/api/v1/drills?kind=party', as('admin'));
  assertProblem(bad, 400, 'bad-field', { field: 'kind' });
  const after = (await listAll(d, '/api/v1/drills', as('admin'))).items.length;
  assert.equal(after, before, 'nothing was written');
  assertProblem(await get('/api/v1/drills/999999'), 404, 'not-found');
});

test('a planned drill can be cancelled and changed, a conducted one not cancelled', async () => {
  const r = await post('/api/v1/drills', {
    kind: 'exercise', type: 'spill', format: 'live', title: 'Spill', planned_at: iso(Date.now() + 30 * DAY),
  });
  assert.equal(r.status, 201, r.text);
  const p = await d.api('PATCH', `/api/v1/drills/${r.json.id}`, { ...as('pfso'), body: { status: 'cancelled', place: 'Berth 2', format: 'tabletop' } });
  assert.equal(p.status, 200, p.text);
  assert.equal(p.json.status, 'cancelled');
  assert.equal(p.json.place, 'Berth 2');
  assert.equal(p.json.format, 'tabletop');
  const bad = await d.api('PATCH', `/api/v1/drills/${planned.id}`, { ...as('pfso'), body: { status: 'cancelled' } });
  assertProblem(bad, 409, 'conflict', { field: 'status' });
  const conduct = await post(`/api/v1/drills/${r.json.id}/conduct`, { results: 'x' });
  assertProblem(conduct, 409, 'conflict');
});

test('corrective actions: owner, due date, overdue on the schedule, closed once', async () => {
  const yesterday = dateOf(Date.now() - DAY);
  const a = await post(`/api/v1/drills/${oldDrill.id}/actions`, {
    text: 'Add a camera preset at the north fence', owner_person_id: people[0], due_date: yesterday,
  });
  assert.equal(a.status, 201, a.text);
  assert.equal(a.json.status, 'open');
  assert.equal(a.json.overdue, true);
  assert.equal(a.json.owner_name, 'Ana Silva');
  const b = await post(`/api/v1/drills/${oldDrill.id}/actions`, {
    text: 'Brief the patrol', owner_user: 'admin', due_date: dateOf(Date.now() + 10 * DAY),
  });
  assert.equal(b.status, 201, b.text);
  assert.equal(b.json.overdue, false);
  assertProblem(await post(`/api/v1/drills/${oldDrill.id}/actions`, { text: 'x', due_date: yesterday }), 400, 'bad-field', { field: 'owner_person_id' });
  assertProblem(await post(`/api/v1/drills/${oldDrill.id}/actions`, { text: 'x', due_date: yesterday, owner_user: 'nobody' }), 422, 'unprocessable', { field: 'owner_user' });
  assertProblem(await post(`/api/v1/drills/${oldDrill.id}/actions`, { text: 'x', due_date: '2026-02-30', owner_user: 'admin' }), 400, 'bad-field', { field: 'due_date' });

  let s = await get('/api/v1/drills/schedule', 'operator');
  assert.equal(s.json.actions_open, 2);
  assert.deepEqual(s.json.actions_overdue.map((x) => x.id), [a.json.id]);
  assert.equal(s.json.actions_overdue[0].days_overdue, 1);
  const open = await get('/api/v1/drills/actions?status=open&overdue=true');
  assert.deepEqual(open.json.items.map((x) => x.id), [a.json.id]);

  const c = await post(`/api/v1/drills/${oldDrill.id}/actions/${a.json.id}/close`, { closure: 'Preset 7 added' }, 'pfso');
  assert.equal(c.status, 200, c.text);
  assert.equal(c.json.status, 'closed');
  assert.equal(c.json.closed_by, 'token:it-pfso');
  assert.equal(c.json.closure, 'Preset 7 added');
  assertProblem(await post(`/api/v1/drills/${oldDrill.id}/actions/${a.json.id}/close`, {}), 409, 'conflict');
  assertProblem(await post(`/api/v1/drills/${planned.id}/actions/${b.json.id}/close`, {}), 404, 'not-found');
  s = await get('/api/v1/drills/schedule');
  assert.equal(s.json.actions_open, 1);
  assert.deepEqual(s.json.actions_overdue, []);
  const drill = await get(`/api/v1/drills/${oldDrill.id}`);
  assert.deepEqual(drill.json.actions.map((x) => [x.id, x.status]), [[a.json.id, 'closed'], [b.json.id, 'open']]);
});

async function personInside() {
  const out = await post('/api/v1/zones', { name: 'Quay', kind: 'public' }, 'admin');
  const zone = await post('/api/v1/zones', { name: 'Terminal', kind: 'controlled' }, 'admin');
  assert.equal(zone.status, 201, zone.text);
  const reader = await post('/api/v1/readers', { name: 'Terminal door', kind: 'door', from_zone_id: out.json.id, to_zone_id: zone.json.id }, 'admin');
  assert.equal(reader.status, 201, reader.text);
  const group = await post('/api/v1/access-groups', { name: 'Terminal staff', zone_ids: [zone.json.id], schedule: 'always' }, 'admin');
  assert.equal(group.status, 201, group.text);
  const cred = await post(`/api/v1/people/${people[0]}/credentials`, { uid: 'A1B2C3D4' }, 'admin');
  assert.equal(cred.status, 201, cred.text);
  const m = await d.api('PUT', `/api/v1/people/${people[0]}/groups/${group.json.id}`, { ...as('admin'), body: {} });
  assert.ok(m.status < 300, m.text);
  const dec = await post('/api/v1/access/decide', { reader_id: reader.json.id, credential: 'A1B2C3D4' }, 'admin');
  assert.equal(dec.json.decision, 'grant', dec.text);
  return zone.json.id;
}

test('an evacuation drill starts a real muster and keeps its timing', async () => {
  const zoneId = await personInside();
  const r = await post('/api/v1/drills', {
    kind: 'drill', type: 'evacuation', title: 'Terminal evacuation', planned_at: iso(Date.now()), zone_id: zoneId,
  });
  assert.equal(r.status, 201, r.text);
  const fire = await post('/api/v1/drills', { kind: 'drill', type: 'fire', title: 'F', planned_at: iso(Date.now()) });
  assertProblem(await post(`/api/v1/drills/${fire.json.id}/muster`, { zone_id: zoneId }), 409, 'conflict', { field: 'type' });

  const m = await post(`/api/v1/drills/${r.json.id}/muster`, {});
  assert.equal(m.status, 201, m.text);
  assert.ok(m.json.muster_id > 0);
  assert.equal(m.json.muster.total, 1);
  assert.equal(m.json.muster.missing_count, 1);
  assert.equal(m.json.muster.closed_at, null);
  assert.ok(m.json.conducted_at, 'the drill took place when the muster started');
  assertProblem(await post(`/api/v1/drills/${r.json.id}/muster`, {}), 409, 'conflict');
  const mu = await get(`/api/v1/musters/${m.json.muster_id}`, 'operator');
  assert.equal(mu.status, 200, mu.text);
  assert.equal(mu.json.drill, true);

  const safe = await post(`/api/v1/musters/${m.json.muster_id}/safe`, { person_id: people[0] }, 'operator');
  assert.equal(safe.status, 200, safe.text);
  const closed = await post(`/api/v1/drills/${r.json.id}/muster/close`, undefined);
  assert.equal(closed.status, 200, closed.text);
  const t = closed.json.muster;
  assert.equal(t.total, 1);
  assert.equal(t.safe_count, 1);
  assert.equal(t.missing_count, 0);
  assert.ok(typeof t.accounted_s === 'number' && t.accounted_s >= 0 && t.accounted_s <= t.elapsed_s + 1, JSON.stringify(t));
  assert.ok(t.closed_at && t.all_accounted_at, JSON.stringify(t));
  const c = await post(`/api/v1/drills/${r.json.id}/conduct`, { results: 'Everyone accounted for' });
  assert.equal(c.status, 200, c.text);
  assert.equal(c.json.conducted_at, m.json.conducted_at, 'conducted at the muster start');
  assert.deepEqual(c.json.muster, t, 'the timing is kept');
});

test('a drill muster closed from the muster routes still gets its timing', async () => {
  const zone = await post('/api/v1/zones', { name: 'Warehouse', kind: 'controlled' }, 'admin');
  const r = await post('/api/v1/drills', { kind: 'drill', type: 'evacuation', title: 'Warehouse evacuation', planned_at: iso(Date.now()) });
  const m = await post(`/api/v1/drills/${r.json.id}/muster`, { zone_id: zone.json.id }, 'pfso');
  assert.equal(m.status, 201, m.text);
  const close = await post(`/api/v1/musters/${m.json.muster_id}/close`, undefined, 'operator');
  assert.equal(close.status, 200, close.text);
  await trainingEvents((e) => e.json?.data?.action === 'drill.muster.timing' && e.json.data.id === r.json.id);
  const g = await get(`/api/v1/drills/${r.json.id}`);
  assert.equal(g.json.muster.total, 0);
  assert.equal(g.json.muster.accounted_s, 0);
  assert.equal(g.json.muster.closed_at, close.json.closed_at);
});

test('a change of more than 25% of the security personnel makes a drill due within a week', async () => {
  const today = dateOf(Date.now());
  const r = await post('/api/v1/drills/personnel-changes', { date: today, percent: 40, note: 'New contractor' }, 'pfso');
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.percent, 40);
  const s = await get('/api/v1/drills/schedule');
  // the evacuation drills above were conducted today, on the day of the change: settled
  assert.equal(s.json.drill.by_personnel_change, false);
  assertProblem(await post('/api/v1/drills/personnel-changes', { date: today, percent: 140 }, 'pfso'), 422, 'unprocessable', { field: 'percent' });
});

test('roles: operator, auditor and authority read; gate and inspector do not; only writers write', async () => {
  for (const role of ['operator', 'auditor', 'authority', 'admin', 'pfso', 'trainer']) {
    assert.equal((await get('/api/v1/drills', role)).status, 200, role);
  }
  for (const role of ['gate', 'inspector']) {
    assert.equal((await get('/api/v1/drills/schedule', role)).status, 403, role);
  }
  const body = { kind: 'drill', type: 'cyber', title: 'Cyber', planned_at: iso(Date.now() + DAY) };
  for (const role of ['operator', 'auditor', 'authority']) {
    assert.equal((await post('/api/v1/drills', body, role)).status, 403, role);
  }
  assert.equal((await post('/api/v1/drills', body, 'admin')).status, 201);
});

test('every change is audited', async () => {
  const items = (await listAll(d, '/api/v1/audit', as('auditor'))).items;
  const actions = new Set(items.filter((x) => /^drill/.test(x.object ?? '')).map((x) => x.action));
  for (const a of ['drill.create', 'drill.update', 'drill.conduct', 'drill.action.add', 'drill.action.close', 'drill.muster.start', 'drill.muster.timing', 'drill.personnel_change']) {
    assert.ok(actions.has(a), `audit has ${a}: ${[...actions]}`);
  }
});

test('after a restart no overdue item is published again', async () => {
  const before = (await storedTrainingEvents()).filter((e) => /_overdue$/.test(e.action));
  assert.ok(before.length >= 3, JSON.stringify(before));
  assert.equal(await d.stop(), 0);
  d = await startDaemon({ dataDir: d.dataDir, init: false });
  // a marker: an exercise two years ago is a new overdue item; once its event is there,
  // the start-up check has run over the old items too
  const r = await post('/api/v1/drills', {
    kind: 'exercise', type: 'cyber', format: 'tabletop', title: 'Old exercise', conducted_at: iso(Date.now() - 730 * DAY), results: 'ok',
  });
  assert.equal(r.status, 201, r.text);
  await trainingEvents((e) => e.json?.data?.action === 'exercise_overdue' && e.json.data.last === r.json.conducted_at);
  const after = (await storedTrainingEvents()).filter((e) => /_overdue$/.test(e.action));
  assert.equal(after.length, before.length + 1, 'only the marker is new');
});
