// Access administration over HTTP against the real daemon: zones (a tree), readers,
// access groups with schedules, people with credentials, groups and qualifications, the
// watchlist rule, every validation answer (status, type, field), audit and events, and
// the CSV import through the CLI.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startDaemon, assertProblem, listAll, tempDir, removeTempDir } from './lib/daemon.mjs';

let d;
const tok = {}; // role -> bearer token
const ids = {};

const as = (role) => ({ bearer: tok[role] });
const call = (method, p, body, role = 'admin') => d.api(method, p, { ...as(role), body });
const ok = async (method, p, body, want, role = 'admin') => {
  const r = await call(method, p, body, role);
  assert.equal(r.status, want, `${method} ${p} ${JSON.stringify(body)}: ${r.text}`);
  return r.json;
};
const created = (p, body, role) => ok('POST', p, body, 201, role);
const bad = async (method, p, body, status, field, role = 'admin') => {
  const slug = { 400: 'bad-field', 403: 'forbidden', 404: 'not-found', 409: 'conflict', 422: 'unprocessable' }[status];
  const r = await call(method, p, body, role);
  assertProblem(r, status, slug, field === undefined ? {} : { field });
  return r;
};

const square = (x, y, s = 0.01) => ({
  type: 'Polygon',
  coordinates: [[[x, y], [x + s, y], [x + s, y + s], [x, y + s], [x, y]]],
});
const future = () => new Date(Date.now() + 86_400_000).toISOString();

before(async () => {
  const roles = ['admin', 'pfso', 'gate', 'trainer', 'operator', 'auditor', 'device'];
  d = await startDaemon({ tokens: roles.map((r) => ({ name: `it-${r}`, role: r })) });
  for (const r of roles) tok[r] = d.tokens[`it-${r}`];
});

after(async () => { await d?.cleanup(); });

test('zones form a tree; GET shows every field and the occupancy', async () => {
  const port = await created('/api/v1/zones', { name: 'Port', kind: 'public' });
  assert.equal(port.parent_id, null);
  assert.equal(port.anti_passback, 'none');
  assert.deepEqual(port.required_qualifications, []);
  assert.equal(port.geometry, null);
  ids.port = port.id;
  const term = await created('/api/v1/zones', {
    name: 'Terminal', kind: 'controlled', parent_id: ids.port, capacity: 200, anti_passback: 'hard',
    required_qualifications: ['security_awareness', 'security_awareness', 'induction'],
    geometry: square(4.4, 51.9),
  }, 'pfso');
  ids.term = term.id;
  assert.deepEqual(term.required_qualifications, ['security_awareness', 'induction']);
  assert.deepEqual(term.geometry, square(4.4, 51.9));
  ids.quay = (await created('/api/v1/zones', { name: 'Quay', kind: 'restricted', parent_id: ids.term })).id;
  ids.hs = (await created('/api/v1/zones', { name: 'Control room', kind: 'high_security', parent_id: ids.quay })).id;

  const z = await ok('GET', `/api/v1/zones/${ids.term}`, undefined, 200, 'operator');
  for (const k of ['id', 'name', 'kind', 'parent_id', 'capacity', 'anti_passback', 'required_qualifications', 'geometry']) {
    assert.ok(k in z, `${k} in ${JSON.stringify(z)}`);
  }
  assert.equal(z.occupancy, 0);
  assert.equal(z.capacity, 200);

  const all = await listAll(d, '/api/v1/zones', as('auditor'), { limit: 1 });
  assert.deepEqual(all.items.map((x) => x.id), [ids.port, ids.term, ids.quay, ids.hs], 'by id, paged one at a time');

  const p = await ok('PATCH', `/api/v1/zones/${ids.term}`, { capacity: null, geometry: null, name: 'Terminal 1' }, 200);
  assert.equal(p.capacity, null);
  assert.equal(p.geometry, null);
  assert.equal(p.name, 'Terminal 1');
  assert.equal(p.anti_passback, 'hard', 'fields not in the PATCH stay');
});

test('a zone cannot become its own ancestor; parents must exist', async () => {
  await bad('PATCH', `/api/v1/zones/${ids.port}`, { parent_id: ids.hs }, 422, 'parent_id');
  await bad('PATCH', `/api/v1/zones/${ids.term}`, { parent_id: ids.term }, 422, 'parent_id');
  await bad('PATCH', `/api/v1/zones/${ids.quay}`, { parent_id: 987654 }, 422, 'parent_id');
  await bad('PATCH', `/api/v1/zones/${ids.quay}`, { parent_id: 0 }, 422, 'parent_id');
  await bad('POST', '/api/v1/zones', { name: 'Orphan', kind: 'public', parent_id: 987654 }, 422, 'parent_id');
  await bad('PATCH', '/api/v1/zones/987654', { capacity: 5 }, 404);
  const moved = await ok('PATCH', `/api/v1/zones/${ids.hs}`, { parent_id: ids.term }, 200);
  assert.equal(moved.parent_id, ids.term, 'moving within the tree is fine');
  const root = await ok('PATCH', `/api/v1/zones/${ids.hs}`, { parent_id: null }, 200);
  assert.equal(root.parent_id, null, 'null makes it a root');
  await ok('PATCH', `/api/v1/zones/${ids.hs}`, { parent_id: ids.quay }, 200);
});

test('zone fields are checked: 400 for shapes, 422 for values, 409 for names', async () => {
  const z = (extra) => ({ name: `Z${Math.random()}`, kind: 'public', ...extra });
  await bad('POST', '/api/v1/zones', { name: 'No kind' }, 400, 'kind');
  await bad('POST', '/api/v1/zones', z({ name: '' }), 400, 'name');
  await bad('POST', '/api/v1/zones', z({ name: '   ' }), 400, 'name');
  await bad('POST', '/api/v1/zones', z({ colour: 'red' }), 400, 'colour');
  await bad('POST', '/api/v1/zones', z({ kind: 'castle' }), 422, 'kind');
  await bad('POST', '/api/v1/zones', z({ anti_passback: 'maybe' }), 422, 'anti_passback');
  await bad('POST', '/api/v1/zones', z({ capacity: 0 }), 422, 'capacity');
  await bad('POST', '/api/v1/zones', z({ capacity: -3 }), 422, 'capacity');
  await bad('POST', '/api/v1/zones', z({ capacity: 'ten' }), 400, 'capacity');
  await bad('POST', '/api/v1/zones', z({ parent_id: 'Port' }), 400, 'parent_id');
  await bad('POST', '/api/v1/zones', z({ required_qualifications: 'induction' }), 400, 'required_qualifications');
  await bad('POST', '/api/v1/zones', z({ required_qualifications: ['Fire Safety'] }), 400, 'required_qualifications');
  await bad('POST', '/api/v1/zones', z({ required_qualifications: [7] }), 400, 'required_qualifications');
  await bad('POST', '/api/v1/zones', z({ required_qualifications: ['x'.repeat(65)] }), 400, 'required_qualifications');
  for (const geometry of [
    { type: 'Point', coordinates: [4.4, 51.9] },
    { type: 'Polygon', coordinates: [] },
    { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [0, 0]]] },
    { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 1]]] },
    { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 91], [0, 0]]] },
    { type: 'Polygon', coordinates: [[[0, 0], [-181, 0], [1, 1], [0, 0]]] },
    { type: 'Polygon', coordinates: [[[0, 0], [1, '0'], [1, 1], [0, 0]]] },
    { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]], properties: {} },
    { type: 'Feature', geometry: square(0, 0) },
    'POLYGON((0 0, 1 0, 1 1, 0 0))',
  ]) {
    await bad('POST', '/api/v1/zones', z({ geometry }), 400, 'geometry');
  }
  await bad('POST', '/api/v1/zones', { name: 'Port', kind: 'public' }, 409, 'name');
  await bad('PATCH', `/api/v1/zones/${ids.quay}`, { name: 'Port' }, 409, 'name');
  await bad('PATCH', `/api/v1/zones/${ids.quay}`, {}, 400);
  await bad('PATCH', `/api/v1/zones/${ids.quay}`, { kind: null }, 400, 'kind');
  const list = await listAll(d, '/api/v1/zones', as('admin'));
  assert.equal(list.items.length, 4, 'nothing was created by the refused requests');
});

test('roles: adm writes zones and readers, read roles read, devices do not', async () => {
  await bad('POST', '/api/v1/zones', { name: 'Gate-made', kind: 'public' }, 403, undefined, 'gate');
  await bad('POST', '/api/v1/readers', { name: 'R', kind: 'door', from_zone_id: ids.port, to_zone_id: ids.term }, 403, undefined, 'operator');
  await bad('POST', '/api/v1/access-groups', { name: 'G', zone_ids: [] }, 403, undefined, 'gate');
  await bad('GET', '/api/v1/zones', undefined, 403, undefined, 'device');
  await bad('GET', '/api/v1/people', undefined, 403, undefined, 'device');
  await bad('POST', '/api/v1/people', { kind: 'crew', first_name: 'A', last_name: 'B' }, 403, undefined, 'trainer');
  await bad('POST', '/api/v1/people', { kind: 'crew', first_name: 'A', last_name: 'B' }, 403, undefined, 'auditor');
  for (const role of ['operator', 'gate', 'trainer', 'auditor']) {
    await ok('GET', '/api/v1/zones', undefined, 200, role);
    await ok('GET', '/api/v1/readers', undefined, 200, role);
    await ok('GET', '/api/v1/access-groups', undefined, 200, role);
  }
});

test('readers join two existing zones', async () => {
  const r = await created('/api/v1/readers', { name: 'Main gate', kind: 'turnstile', from_zone_id: ids.port, to_zone_id: ids.term });
  ids.gate = r.id;
  assert.equal(r.from_zone_id, ids.port);
  assert.equal(r.to_zone_id, ids.term);
  await bad('POST', '/api/v1/readers', { name: 'Nowhere', kind: 'door', from_zone_id: ids.port, to_zone_id: 987654 }, 422, 'to_zone_id');
  await bad('POST', '/api/v1/readers', { name: 'Nowhere', kind: 'door', from_zone_id: 987654, to_zone_id: ids.port }, 422, 'from_zone_id');
  await bad('POST', '/api/v1/readers', { name: 'Hatch', kind: 'trapdoor', from_zone_id: ids.port, to_zone_id: ids.term }, 422, 'kind');
  await bad('POST', '/api/v1/readers', { name: 'Hatch', kind: 'door', from_zone_id: ids.port }, 400, 'to_zone_id');
  await bad('POST', '/api/v1/readers', { name: 'Main gate', kind: 'door', from_zone_id: ids.port, to_zone_id: ids.term }, 409, 'name');
  const p = await ok('PATCH', `/api/v1/readers/${ids.gate}`, { kind: 'vehicle_gate', to_zone_id: ids.quay }, 200);
  assert.equal(p.kind, 'vehicle_gate');
  assert.equal(p.to_zone_id, ids.quay);
  assert.equal(p.name, 'Main gate');
  await bad('PATCH', `/api/v1/readers/${ids.gate}`, { from_zone_id: 987654 }, 422, 'from_zone_id');
  await bad('PATCH', '/api/v1/readers/987654', { kind: 'door' }, 404);
  const list = await listAll(d, '/api/v1/readers', as('gate'));
  assert.deepEqual(list.items.map((x) => x.name), ['Main gate']);
});

test('access groups: zones, a weekly schedule, holidays and levels', async () => {
  const g = await created('/api/v1/access-groups', {
    name: 'Day staff', zone_ids: [ids.term, ids.quay, ids.term],
    schedule: { mon: [['06:00', '18:00']], sat: [['08:00', '12:00'], ['20:00', '24:00']] },
    holidays: ['2026-12-25', '2028-02-29'], levels: [2, 1],
  });
  ids.group = g.id;
  assert.deepEqual(g.zone_ids, [ids.term, ids.quay]);
  assert.deepEqual(g.schedule.sat, [['08:00', '12:00'], ['20:00', '24:00']]);
  assert.deepEqual(g.holidays, ['2026-12-25', '2028-02-29']);
  assert.deepEqual(g.levels, [1, 2]);
  const always = await created('/api/v1/access-groups', { name: 'Responders', zone_ids: [ids.port] });
  assert.equal(always.schedule, 'always');
  assert.deepEqual(always.levels, [1, 2, 3]);
  assert.deepEqual(always.holidays, []);
  ids.group2 = always.id;

  const base = { name: 'Bad', zone_ids: [ids.term] };
  await bad('POST', '/api/v1/access-groups', { name: 'No zones' }, 400, 'zone_ids');
  await bad('POST', '/api/v1/access-groups', { ...base, zone_ids: [ids.term, 987654] }, 422, 'zone_ids');
  await bad('POST', '/api/v1/access-groups', { ...base, zone_ids: ['Terminal'] }, 400, 'zone_ids');
  await bad('POST', '/api/v1/access-groups', { ...base, schedule: 'never' }, 400, 'schedule');
  await bad('POST', '/api/v1/access-groups', { ...base, schedule: { funday: [['06:00', '18:00']] } }, 400, 'schedule');
  await bad('POST', '/api/v1/access-groups', { ...base, schedule: { mon: [['6am', '6pm']] } }, 400, 'schedule');
  await bad('POST', '/api/v1/access-groups', { ...base, schedule: { mon: [['06:00', '25:00']] } }, 400, 'schedule');
  await bad('POST', '/api/v1/access-groups', { ...base, schedule: { mon: [['24:00', '24:00']] } }, 400, 'schedule');
  await bad('POST', '/api/v1/access-groups', { ...base, schedule: { mon: ['06:00', '18:00'] } }, 400, 'schedule');
  await bad('POST', '/api/v1/access-groups', { ...base, schedule: { mon: [['18:00', '06:00']] } }, 422, 'schedule');
  await bad('POST', '/api/v1/access-groups', { ...base, holidays: ['2026-02-30'] }, 400, 'holidays');
  await bad('POST', '/api/v1/access-groups', { ...base, holidays: ['25/12/2026'] }, 400, 'holidays');
  await bad('POST', '/api/v1/access-groups', { ...base, holidays: '2026-12-25' }, 400, 'holidays');
  await bad('POST', '/api/v1/access-groups', { ...base, levels: [] }, 422, 'levels');
  await bad('POST', '/api/v1/access-groups', { ...base, levels: [1, 4] }, 422, 'levels');
  await bad('POST', '/api/v1/access-groups', { ...base, levels: ['1'] }, 400, 'levels');
  await bad('POST', '/api/v1/access-groups', { ...base, name: 'Day staff' }, 409, 'name');

  const p = await ok('PATCH', `/api/v1/access-groups/${ids.group}`, { levels: [3], schedule: 'always', zone_ids: [ids.quay] }, 200);
  assert.deepEqual(p.levels, [3]);
  assert.equal(p.schedule, 'always');
  assert.deepEqual(p.zone_ids, [ids.quay]);
  assert.deepEqual(p.holidays, ['2026-12-25', '2028-02-29'], 'untouched fields stay');
  await bad('PATCH', '/api/v1/access-groups/987654', { levels: [1] }, 404);
  const list = await listAll(d, '/api/v1/access-groups', as('trainer'));
  assert.deepEqual(list.items.map((x) => x.name), ['Day staff', 'Responders']);
  assert.deepEqual(list.items[0].zone_ids, [ids.quay]);
});

test('people: enrol, visitor rules, essential zones', async () => {
  const ann = await created('/api/v1/people', {
    kind: 'employee', first_name: 'Ann', last_name: 'Quay', employer: 'Stevedores 100%',
    id_doc_type: 'passport', id_doc_number: 'P_123', essential_zone_ids: [ids.term, ids.quay],
  }, 'gate');
  ids.ann = ann.id;
  assert.equal(ann.name, 'Ann Quay');
  assert.equal(ann.watchlisted, false);
  assert.deepEqual(ann.essential_zone_ids, [ids.term, ids.quay]);
  ids.bo = (await created('/api/v1/people', { kind: 'contractor', first_name: 'Bo', last_name: 'Lost', employer: '' }, 'gate')).id;

  const visit = { kind: 'visitor', first_name: 'Vic', last_name: 'Tor', host_id: ids.ann, visitor_expires: future() };
  await bad('POST', '/api/v1/people', { ...visit, host_id: undefined }, 422, 'host_id', 'gate');
  await bad('POST', '/api/v1/people', { ...visit, visitor_expires: undefined }, 422, 'visitor_expires', 'gate');
  await bad('POST', '/api/v1/people', { ...visit, host_id: 987654 }, 422, 'host_id', 'gate');
  await bad('POST', '/api/v1/people', { ...visit, visitor_expires: '2020-01-01T00:00:00Z' }, 422, 'visitor_expires', 'gate');
  await bad('POST', '/api/v1/people', { ...visit, visitor_expires: 'tomorrow' }, 400, 'visitor_expires', 'gate');
  const vic = await created('/api/v1/people', visit, 'gate');
  ids.vic = vic.id;
  assert.equal(vic.host_id, ids.ann);
  assert.equal(Date.parse(vic.visitor_expires), Date.parse(visit.visitor_expires));
  await bad('POST', '/api/v1/people', { ...visit, first_name: 'Second', host_id: ids.vic }, 422, 'host_id', 'gate');
  await bad('POST', '/api/v1/people', { kind: 'crew', first_name: 'C', last_name: 'D', host_id: ids.ann }, 422, 'host_id', 'gate');
  await bad('PATCH', `/api/v1/people/${ids.ann}`, { kind: 'visitor', host_id: ids.bo, visitor_expires: future() }, 422, 'kind', 'gate');
  await bad('PATCH', `/api/v1/people/${ids.vic}`, { host_id: ids.vic }, 422, 'host_id', 'gate');

  await bad('POST', '/api/v1/people', { kind: 'pirate', first_name: 'A', last_name: 'B' }, 422, 'kind', 'gate');
  await bad('POST', '/api/v1/people', { kind: 'crew', first_name: '', last_name: 'B' }, 400, 'first_name', 'gate');
  await bad('POST', '/api/v1/people', { kind: 'crew', first_name: 'A' }, 400, 'last_name', 'gate');
  await bad('POST', '/api/v1/people', { kind: 'crew', first_name: 'A', last_name: 'B', essential_zone_ids: [987654] }, 422, 'essential_zone_ids', 'gate');
  await bad('POST', '/api/v1/people', { kind: 'crew', first_name: 'A', last_name: 'B', essential_zone_ids: 5 }, 400, 'essential_zone_ids', 'gate');
  await bad('PATCH', '/api/v1/people/987654', { first_name: 'X' }, 404, undefined, 'gate');

  const left = await ok('PATCH', `/api/v1/people/${ids.vic}`, { kind: 'contractor', employer: 'Hired' }, 200, 'gate');
  assert.equal(left.host_id, null, 'no longer a visitor: the host is cleared');
  assert.equal(left.visitor_expires, null);
  const trail = (await ok('GET', '/api/v1/audit?limit=1', undefined, 200, 'auditor')).items[0];
  assert.equal(trail.action, 'person.update');
  assert.deepEqual(trail.details, { kind: 'contractor', employer: 'Hired', host_id: null, visitor_expires: null },
    'the implicit clearing is audited');
  const back = await ok('PATCH', `/api/v1/people/${ids.vic}`, { kind: 'visitor', host_id: ids.bo, visitor_expires: future() }, 200, 'gate');
  assert.equal(back.host_id, ids.bo);
  const ess = await ok('PATCH', `/api/v1/people/${ids.ann}`, { essential_zone_ids: [ids.hs] }, 200, 'gate');
  assert.deepEqual(ess.essential_zone_ids, [ids.hs]);
});

test('the watchlist is for admin and pfso only', async () => {
  await bad('PATCH', `/api/v1/people/${ids.bo}`, { watchlisted: true, watchlist_reason: 'tailgating' }, 403, 'watchlisted', 'gate');
  await bad('PATCH', `/api/v1/people/${ids.bo}`, { watchlist_reason: 'x' }, 403, 'watchlist_reason', 'gate');
  await bad('POST', '/api/v1/people', { kind: 'crew', first_name: 'W', last_name: 'L', watchlisted: false }, 403, 'watchlisted', 'gate');
  const before = await ok('GET', `/api/v1/people/${ids.bo}`, undefined, 200, 'gate');
  assert.equal(before.watchlisted, false, 'the refused change left nothing');
  const w = await ok('PATCH', `/api/v1/people/${ids.bo}`, { watchlisted: true, watchlist_reason: 'tailgating' }, 200, 'pfso');
  assert.equal(w.watchlisted, true);
  assert.equal(w.watchlist_reason, 'tailgating');
  const u = await ok('PATCH', `/api/v1/people/${ids.bo}`, { watchlisted: false, watchlist_reason: null }, 200, 'admin');
  assert.equal(u.watchlisted, false);
  assert.equal(u.watchlist_reason, null);
});

test('credentials: UID upper-cased and unique, PIN hashed and never shown', async () => {
  const c = await created(`/api/v1/people/${ids.ann}/credentials`, { uid: 'a1b2c3d4', pin: '2468', valid_until: '2099-01-01T00:00:00Z' }, 'gate');
  ids.cred = c.id;
  assert.equal(c.uid, 'A1B2C3D4');
  assert.equal(c.has_pin, true);
  assert.equal(c.status, 'active');
  assert.equal(c.person_id, ids.ann);
  assert.equal(c.valid_until, '2099-01-01T00:00:00.000Z');
  const r = await call('GET', `/api/v1/people/${ids.ann}`, undefined, 'operator');
  assert.ok(!/pin_hash|2468|\$/.test(r.text), `no PIN or hash in ${r.text}`);
  ids.cred2 = (await created(`/api/v1/people/${ids.bo}/credentials`, { uid: '0BADCAFE' }, 'gate')).id;

  const p = `/api/v1/people/${ids.ann}/credentials`;
  await bad('POST', p, { uid: 'A1B2C3D4' }, 409, 'uid', 'gate');
  await bad('POST', p, { uid: 'a1b2c3d4' }, 409, 'uid', 'gate');
  await bad('POST', p, { uid: 'XYZ123' }, 400, 'uid', 'gate');
  await bad('POST', p, { uid: 'ABC' }, 400, 'uid', 'gate');
  await bad('POST', p, { uid: 'A'.repeat(33) }, 400, 'uid', 'gate');
  await bad('POST', p, { uid: 'C0FFEE00', pin: '12' }, 400, 'pin', 'gate');
  await bad('POST', p, { uid: 'C0FFEE00', pin: '12ab' }, 400, 'pin', 'gate');
  await bad('POST', p, { uid: 'C0FFEE00', valid_from: '2030-01-01T00:00:00Z', valid_until: '2029-01-01T00:00:00Z' }, 422, 'valid_until', 'gate');
  await bad('POST', p, { uid: 'C0FFEE00', valid_from: 'soon' }, 400, 'valid_from', 'gate');
  await bad('POST', '/api/v1/people/987654/credentials', { uid: 'C0FFEE00' }, 404, undefined, 'gate');
  await bad('POST', p, { uid: 'C0FFEE00' }, 403, undefined, 'operator');

  await bad('PATCH', `/api/v1/credentials/${ids.cred}`, { status: 'broken' }, 422, 'status', 'gate');
  await bad('PATCH', `/api/v1/credentials/${ids.cred}`, { valid_from: '2100-01-01T00:00:00Z' }, 422, 'valid_from', 'gate');
  await bad('PATCH', '/api/v1/credentials/987654', { status: 'lost' }, 404, undefined, 'gate');
  await bad('PATCH', `/api/v1/credentials/${ids.cred}`, { uid: 'FFFF' }, 400, 'uid', 'gate');
  const lost = await ok('PATCH', `/api/v1/credentials/${ids.cred2}`, { status: 'lost' }, 200, 'gate');
  assert.equal(lost.status, 'lost');
  const nopin = await ok('PATCH', `/api/v1/credentials/${ids.cred}`, { pin: null, valid_until: null }, 200, 'gate');
  assert.equal(nopin.has_pin, false);
  assert.equal(nopin.valid_until, null);
  const pin = await ok('PATCH', `/api/v1/credentials/${ids.cred}`, { pin: '13579' }, 200, 'gate');
  assert.equal(pin.has_pin, true);

  const audit = await ok('GET', '/api/v1/audit?limit=50', undefined, 200, 'auditor');
  const st = audit.items;
  const rec = st.find((a) => a.action === 'credential.update' && a.object.includes('0BADCAFE'));
  assert.ok(rec, `credential status change audited: ${JSON.stringify(st.slice(0, 5))}`);
  assert.deepEqual(rec.details.status, { from: 'active', to: 'lost' });
  assert.equal(rec.actor, 'token:it-gate');
  const pinRec = st.find((a) => a.action === 'credential.update' && a.details.pin === 'set');
  assert.ok(pinRec, 'a PIN change is audited as "set", never its value');
  assert.ok(!JSON.stringify(st).includes('13579'), 'no PIN in the audit trail');
});

test('group membership and qualifications: PUT, GET shows them, DELETE', async () => {
  await bad('PUT', `/api/v1/people/${ids.ann}/groups/987654`, {}, 404, undefined, 'gate');
  await bad('PUT', `/api/v1/people/987654/groups/${ids.group}`, {}, 404, undefined, 'gate');
  await bad('PUT', `/api/v1/people/${ids.ann}/groups/${ids.group}`, { until: '2020-01-01T00:00:00Z' }, 422, 'until', 'gate');
  await bad('PUT', `/api/v1/people/${ids.ann}/groups/${ids.group}`, { until: 'later' }, 400, 'until', 'gate');
  await bad('PUT', `/api/v1/people/${ids.ann}/groups/${ids.group}`, {}, 403, undefined, 'trainer');
  const m = await ok('PUT', `/api/v1/people/${ids.ann}/groups/${ids.group}`, { until: '2099-06-30T00:00:00Z' }, 200, 'gate');
  assert.equal(m.name, 'Day staff');
  assert.equal(m.until, '2099-06-30T00:00:00.000Z');
  await ok('PUT', `/api/v1/people/${ids.ann}/groups/${ids.group}`, {}, 200, 'gate'); // again: open-ended now
  await ok('PUT', `/api/v1/people/${ids.ann}/groups/${ids.group2}`, {}, 200, 'gate');

  await bad('PUT', `/api/v1/people/${ids.ann}/qualifications/Fire%20Safety`, {}, 400, 'name', 'trainer');
  await bad('PUT', `/api/v1/people/${ids.ann}/qualifications/induction`, {}, 403, undefined, 'gate');
  await bad('PUT', `/api/v1/people/987654/qualifications/induction`, {}, 404, undefined, 'trainer');
  await bad('PUT', `/api/v1/people/${ids.ann}/qualifications/induction`, { expires: 'never' }, 400, 'expires', 'trainer');
  const q = await ok('PUT', `/api/v1/people/${ids.ann}/qualifications/security_awareness`, { expires: '2099-01-01T00:00:00Z' }, 200, 'trainer');
  assert.equal(q.issued_by, 'token:it-trainer');
  assert.equal(q.expires, '2099-01-01T00:00:00.000Z');
  await ok('PUT', `/api/v1/people/${ids.ann}/qualifications/induction`, {}, 200, 'pfso');

  const p = await ok('GET', `/api/v1/people/${ids.ann}`, undefined, 200, 'auditor');
  assert.deepEqual(p.credentials.map((c) => [c.uid, c.has_pin]), [['A1B2C3D4', true]]);
  assert.deepEqual(p.groups.map((g) => [g.id, g.name, g.until]), [[ids.group, 'Day staff', null], [ids.group2, 'Responders', null]]);
  assert.deepEqual(p.qualifications.map((x) => [x.name, x.expires]), [['induction', null], ['security_awareness', '2099-01-01T00:00:00.000Z']]);
  assert.deepEqual(p.essential_zone_ids, [ids.hs]);
  assert.equal(p.location, null, 'never passed a reader');

  assert.equal((await call('DELETE', `/api/v1/people/${ids.ann}/groups/${ids.group2}`, undefined, 'gate')).status, 204);
  await bad('DELETE', `/api/v1/people/${ids.ann}/groups/${ids.group2}`, undefined, 404, undefined, 'gate');
  assert.equal((await call('DELETE', `/api/v1/people/${ids.ann}/qualifications/induction`, undefined, 'trainer')).status, 204);
  await bad('DELETE', `/api/v1/people/${ids.ann}/qualifications/induction`, undefined, 404, undefined, 'trainer');
  const after2 = await ok('GET', `/api/v1/people/${ids.ann}`, undefined, 200, 'gate');
  assert.deepEqual(after2.groups.map((g) => g.id), [ids.group]);
  assert.deepEqual(after2.qualifications.map((x) => x.name), ['security_awareness']);
});

test('people search: q over names, employer and document, wildcards literal; kind filter', async () => {
  const find = async (q) => (await ok('GET', `/api/v1/people?${q}`, undefined, 200, 'operator')).items.map((p) => p.id).sort();
  assert.deepEqual(await find('q=quay'), [ids.ann]);
  assert.deepEqual(await find('q=ann%20q'), [ids.ann], 'first and last name together');
  assert.deepEqual(await find('q=stevedores'), [ids.ann]);
  assert.deepEqual(await find('q=100%25'), [ids.ann], 'a literal %');
  assert.deepEqual(await find('q=%25'), [ids.ann], '% matches only a %, not everything');
  assert.deepEqual(await find('q=P_1'), [ids.ann], 'document number, _ literal');
  assert.deepEqual(await find('q=P%5F%5F'), [], '_ is not a wildcard');
  assert.deepEqual(await find('kind=visitor'), [ids.vic]);
  assert.deepEqual(await find('kind=contractor&q=lost'), [ids.bo]);
  assert.deepEqual(await find('q=nobody-by-that-name'), []);
  await bad('GET', '/api/v1/people?kind=pirate', undefined, 400, 'kind', 'operator');
  await bad('GET', `/api/v1/people?q=${'x'.repeat(101)}`, undefined, 400, 'q', 'operator');
  const paged = await listAll(d, '/api/v1/people', as('gate'), { limit: 1 });
  assert.deepEqual(paged.items.map((p) => p.id), [ids.ann, ids.bo, ids.vic]);
  const item = paged.items[0];
  assert.equal(item.name, 'Ann Quay');
  assert.ok(!('credentials' in item), 'list items are the person only');
});

test('every change is audited and published on topic access (field names, not values)', async () => {
  const s = await d.events('/api/v1/events?topics=access', as('admin'));
  try {
    const z = await created('/api/v1/zones', { name: 'Evented', kind: 'public', capacity: 3 });
    const seen = await s.until((e) => e.json?.data?.action === 'zone.create' && e.json.data.id === z.id);
    const ev = seen.at(-1).json.data;
    assert.equal(ev.name, 'Evented');
    assert.equal(ev.by, 'token:it-admin');
    assert.deepEqual([...ev.fields].sort(), ['capacity', 'kind', 'name']);
    await ok('PATCH', `/api/v1/people/${ids.bo}`, { watchlisted: true, watchlist_reason: 'secret reason' }, 200);
    const w = await s.until((e) => e.json?.data?.action === 'person.update' && e.json.data.id === ids.bo);
    assert.ok(!JSON.stringify(w.at(-1).json).includes('secret reason'), 'the event stream does not carry the reason');
  } finally { s.close(); }
  const audit = await ok('GET', '/api/v1/audit?limit=100', undefined, 200, 'admin');
  const actions = new Set(audit.items.map((a) => a.action));
  for (const a of ['zone.create', 'zone.update', 'reader.create', 'reader.update', 'group.create', 'group.update',
    'person.create', 'person.update', 'credential.create', 'credential.update', 'person.group.set',
    'person.group.remove', 'person.qualification.set', 'person.qualification.remove']) {
    assert.ok(actions.has(a), `${a} audited: ${[...actions]}`);
  }
  const zc = audit.items.find((a) => a.action === 'zone.create' && a.object === 'Evented');
  assert.deepEqual(zc.details, { name: 'Evented', kind: 'public', capacity: 3 });
});

test('import people from CSV with the CLI: all rows, or none and the line at fault', async () => {
  const dir = tempDir();
  try {
    const good = path.join(dir, 'people.csv');
    fs.writeFileSync(good, [
      'kind,first_name,last_name,employer,id_doc_type,id_doc_number,credential_uid,group',
      'employee,Imp,One,"Quay, Ltd",passport,IMP1,ab12cd34,Day staff',
      'crew,Imp,"Two ""Deck""",,,,,',
      'driver,Imp,Three,Hauliers,,,EE00FF11,Responders',
      '',
    ].join('\r\n'));
    const r = await d.run(['import', 'people', good, '--data', d.dataDir]);
    assert.equal(r.code, 0, `${r.stdout}${r.stderr}`);
    assert.match(r.stdout, /imported 3 people/);
    const found = (await ok('GET', '/api/v1/people?q=imp&limit=500', undefined, 200, 'gate')).items;
    assert.deepEqual(found.map((p) => p.last_name).sort(), ['One', 'Three', 'Two "Deck"']);
    const one = found.find((p) => p.last_name === 'One');
    assert.equal(one.employer, 'Quay, Ltd');
    const full = await ok('GET', `/api/v1/people/${one.id}`, undefined, 200, 'gate');
    assert.deepEqual(full.credentials.map((c) => [c.uid, c.status, c.has_pin]), [['AB12CD34', 'active', false]]);
    assert.deepEqual(full.groups.map((g) => g.name), ['Day staff']);
    const audit = await ok('GET', '/api/v1/audit?limit=10', undefined, 200, 'auditor');
    const imp = audit.items.find((a) => a.action === 'people.import');
    assert.ok(imp, 'the import is audited');
    assert.equal(imp.details.count, 3);
    assert.match(imp.actor, /^cli:/);

    const before = (await listAll(d, '/api/v1/people', as('gate'))).items.length;
    const badFile = path.join(dir, 'bad.csv');
    fs.writeFileSync(badFile, [
      'kind,first_name,last_name,employer,id_doc_type,id_doc_number,credential_uid,group',
      'employee,Ok,Row,,,,,',
      'astronaut,Bad,Row,,,,,',
      '',
    ].join('\n'));
    const b = await d.run(['import', 'people', badFile, '--data', d.dataDir]);
    assert.equal(b.code, 1, `${b.stdout}${b.stderr}`);
    assert.match(b.stderr, /line 3, column kind/);
    const dup = path.join(dir, 'dup.csv');
    fs.writeFileSync(dup, 'kind,first_name,last_name,employer,id_doc_type,id_doc_number,credential_uid,group\n' +
      'employee,Dup,Uid,,,,A1B2C3D4,\n');
    const u = await d.run(['import', 'people', dup, '--data', d.dataDir]);
    assert.equal(u.code, 1);
    assert.match(u.stderr, /line 2, column credential_uid/);
    const hdr = path.join(dir, 'hdr.csv');
    fs.writeFileSync(hdr, 'first_name,last_name,kind\nAnn,Quay,employee\n');
    const h = await d.run(['import', 'people', hdr, '--data', d.dataDir]);
    assert.equal(h.code, 1);
    assert.match(h.stderr, /line 1: the header must be exactly/);
    const afterCount = (await listAll(d, '/api/v1/people', as('gate'))).items.length;
    assert.equal(afterCount, before, 'the refused files imported nobody');
  } finally {
    removeTempDir(dir);
  }
});
