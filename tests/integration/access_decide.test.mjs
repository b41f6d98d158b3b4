// Access decisions over HTTP against the real daemon: reasons, persistence before the
// reply, live events, occupancy, anti-passback reset, the security level, and a muster.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startDaemon, assertProblem, tempDir, removeTempDir } from './lib/daemon.mjs';

let d;
let adm; // admin bearer
let gate; // gate bearer
const ids = {};

const post = async (p, body, bearer = adm, want = 201) => {
  const r = await d.api('POST', p, { bearer, body });
  assert.equal(r.status, want, `${p}: ${r.text}`);
  return r.json;
};
const decide = async (reader_id, credential, extra = {}) => {
  const r = await d.api('POST', '/api/v1/access/decide', { bearer: gate, body: { reader_id, credential, ...extra } });
  assert.equal(r.status, 200, r.text);
  return r.json;
};

before(async () => {
  d = await startDaemon({ tokens: [{ name: 'adm', role: 'admin' }, { name: 'gate-1', role: 'gate' }, { name: 'op', role: 'operator' }] });
  adm = d.tokens.adm;
  gate = d.tokens['gate-1'];
  ids.port = (await post('/api/v1/zones', { name: 'Port', kind: 'public' })).id;
  ids.term = (await post('/api/v1/zones', { name: 'Terminal', kind: 'controlled', parent_id: ids.port, anti_passback: 'hard' })).id;
  ids.quay = (await post('/api/v1/zones', { name: 'Quay', kind: 'restricted', parent_id: ids.term, required_qualifications: ['security_awareness'] })).id;
  ids.muster = (await post('/api/v1/zones', { name: 'Muster A', kind: 'public', parent_id: ids.port })).id;
  ids.gate = (await post('/api/v1/readers', { name: 'Main gate', kind: 'turnstile', from_zone_id: ids.port, to_zone_id: ids.term })).id;
  ids.quayDoor = (await post('/api/v1/readers', { name: 'Quay door', kind: 'door', from_zone_id: ids.term, to_zone_id: ids.quay })).id;
  ids.musterReader = (await post('/api/v1/readers', { name: 'Muster A reader', kind: 'muster', from_zone_id: ids.term, to_zone_id: ids.muster })).id;
  ids.group = (await post('/api/v1/access-groups', { name: 'Staff', zone_ids: [ids.term, ids.quay, ids.muster] })).id;
  ids.ann = (await post('/api/v1/people', { kind: 'employee', first_name: 'Ann', last_name: 'Quay', employer: 'Stevedores' })).id;
  ids.bo = (await post('/api/v1/people', { kind: 'employee', first_name: 'Bo', last_name: 'Lost' })).id;
  await post(`/api/v1/people/${ids.ann}/credentials`, { uid: 'a1b2c3d4', pin: '2468' });
  ids.boCred = (await post(`/api/v1/people/${ids.bo}/credentials`, { uid: 'B0B0B0B0' })).id;
});

after(async () => { await d?.cleanup(); });

test('unknown reader and unknown credential are denials with a reason, never errors', async () => {
  const a = await decide(999999, 'A1B2C3D4');
  assert.equal(a.decision, 'deny');
  assert.equal(a.reason, 'unknown_reader');
  const b = await decide(ids.gate, 'FFFFFFFF');
  assert.equal(b.decision, 'deny');
  assert.equal(b.reason, 'unknown_credential');
  assert.equal(b.person, null);
  assert.equal(b.zone.id, ids.term);
});

test('malformed decide requests are 400 problems and store nothing', async () => {
  const before = await d.api('GET', '/api/v1/access/decisions?limit=1', { bearer: adm });
  assertProblem(await d.api('POST', '/api/v1/access/decide', { bearer: gate, body: { reader_id: 'one', credential: 'X' } }), 400, 'bad-field', { field: 'reader_id' });
  assertProblem(await d.api('POST', '/api/v1/access/decide', { bearer: gate, body: { reader_id: 1 } }), 400, 'bad-field', { field: 'credential' });
  assertProblem(await d.api('POST', '/api/v1/access/decide', { bearer: gate, body: { reader_id: 1, credential: 'X', direction: 'sideways' } }), 400, 'bad-field', { field: 'direction' });
  const after = await d.api('GET', '/api/v1/access/decisions?limit=1', { bearer: adm });
  assert.equal(after.json.items[0]?.id, before.json.items[0]?.id);
});

test('no group, then a group: the grant is stored before the answer and streamed live', async () => {
  const s = await d.events('/api/v1/events?topics=access', { bearer: adm });
  try {
    const no = await decide(ids.gate, 'A1B2C3D4');
    assert.equal(no.reason, 'no_access_group');
    const r = await d.api('PUT', `/api/v1/people/${ids.ann}/groups/${ids.group}`, { bearer: adm, body: {} });
    assert.ok(r.status === 200 || r.status === 201 || r.status === 204, r.text);
    const yes = await decide(ids.gate, 'a1b2c3d4');
    assert.equal(yes.decision, 'grant', JSON.stringify(yes));
    assert.equal(yes.person.id, ids.ann);
    assert.equal(yes.person.name, 'Ann Quay');
    const log = await d.api('GET', '/api/v1/access/decisions?limit=5', { bearer: adm });
    assert.equal(log.json.items[0].id, yes.id, 'the grant is in the log when the answer arrives');
    assert.equal(log.json.items[0].reason, 'granted');
    assert.match(log.json.items[0].detail.detail, /Ann Quay enters Terminal/);
    const seen = await s.until((e) => e.json?.data?.action === 'decision' && e.json.data.id === yes.id);
    assert.equal(seen.at(-1).json.data.decision, 'grant');
  } finally { s.close(); }
});

test('occupancy follows grants; hard anti-passback refuses a second entry until a PFSO resets it', async () => {
  const occ = await d.api('GET', `/api/v1/occupancy?zone_id=${ids.term}`, { bearer: adm });
  assert.equal(occ.status, 200, occ.text);
  assert.ok(occ.json.items.some((i) => i.person_id === ids.ann), occ.text);
  assert.equal(occ.json.zones.find((z) => z.id === ids.term).count, 1);
  const again = await decide(ids.gate, 'A1B2C3D4');
  assert.equal(again.reason, 'anti_passback');
  const reset = await d.api('POST', '/api/v1/access/anti-passback/reset', { bearer: adm, body: { person_id: ids.ann } });
  assert.equal(reset.status, 200, reset.text);
  assertProblem(await d.api('POST', '/api/v1/access/anti-passback/reset', { bearer: gate, body: { person_id: ids.ann } }), 403, 'forbidden');
  const ok = await decide(ids.gate, 'A1B2C3D4');
  assert.equal(ok.decision, 'grant');
});

test('a qualification the zone requires, then the PIN at level 2', async () => {
  const q = await decide(ids.quayDoor, 'A1B2C3D4');
  assert.equal(q.reason, 'qualification_missing');
  const r = await d.api('PUT', `/api/v1/people/${ids.ann}/qualifications/security_awareness`, { bearer: adm, body: { expires: '2099-01-01T00:00:00Z' } });
  assert.ok(r.status < 300, r.text);
  const s = await d.events('/api/v1/events?topics=level', { bearer: adm });
  const lvl = await d.api('PUT', '/api/v1/security-level', { bearer: adm, body: { level: 2, reason: 'exercise', instructed_by: 'Port State' } });
  assert.equal(lvl.status, 200, lvl.text);
  const ev = (await s.until((e) => e.event === 'level')).at(-1).json.data;
  s.close();
  assert.deepEqual([ev.from, ev.to, ev.instructed_by], [1, 2, 'Port State']);
  try {
    assert.equal((await decide(ids.quayDoor, 'A1B2C3D4')).reason, 'pin_required');
    assert.equal((await decide(ids.quayDoor, 'A1B2C3D4', { pin: '1111' })).reason, 'pin_wrong');
    const g = await decide(ids.quayDoor, 'A1B2C3D4', { pin: '2468' });
    assert.equal(g.decision, 'grant');
    assert.equal(g.level, 2);
  } finally {
    await d.api('PUT', '/api/v1/security-level', { bearer: adm, body: { level: 1, reason: 'exercise over' } });
  }
  const out = await decide(ids.quayDoor, 'A1B2C3D4', { direction: 'out' });
  assert.equal(out.decision, 'grant');
  assert.equal(out.zone.id, ids.term);
});

test('a lost credential presented is refused and raises an alarm event', async () => {
  const r = await d.api('PATCH', `/api/v1/credentials/${ids.boCred}`, { bearer: adm, body: { status: 'lost' } });
  assert.equal(r.status, 200, r.text);
  const s = await d.events('/api/v1/events?topics=access', { bearer: adm });
  try {
    const x = await decide(ids.gate, 'B0B0B0B0');
    assert.equal(x.reason, 'credential_lost');
    const seen = await s.until((e) => e.json?.data?.action === 'alarm');
    assert.equal(seen.at(-1).json.data.kind, 'credential_lost_presented');
    assert.equal(seen.at(-1).json.data.person_id, ids.bo);
  } finally { s.close(); }
});

test('a muster lists who is inside, a muster reader marks them safe, the report closes it', async () => {
  const m = await post('/api/v1/musters', { zone_id: ids.port, drill: true }, d.tokens.op);
  assert.equal(m.drill, true);
  assert.equal(m.total, 1);
  assert.equal(m.missing[0].person_id, ids.ann);
  assert.equal(m.missing[0].last_reader, 'Quay door');
  assertProblem(await d.api('POST', '/api/v1/musters', { bearer: adm, body: { zone_id: ids.port } }), 409, 'conflict');
  const g = await decide(ids.musterReader, 'A1B2C3D4');
  assert.equal(g.decision, 'grant', JSON.stringify(g));
  const now = await d.api('GET', `/api/v1/musters/${m.id}`, { bearer: d.tokens.op });
  assert.equal(now.json.safe_count, 1);
  assert.equal(now.json.missing_count, 0);
  assert.equal(now.json.safe[0].safe_by, `reader:${ids.musterReader}`);
  const closed = await post(`/api/v1/musters/${m.id}/close`, {}, d.tokens.op, 200);
  assert.ok(closed.closed_at);
  assertProblem(await d.api('POST', `/api/v1/musters/${m.id}/safe`, { bearer: adm, body: { person_id: ids.ann } }), 409, 'conflict');
  const csv = await d.api('GET', `/api/v1/musters/${m.id}/report.csv`, { bearer: adm });
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get('content-type'), /^text\/csv/);
  const lines = csv.text.trim().split(/\r\n/);
  assert.equal(lines.length, 2, csv.text);
  assert.match(lines[1], /Ann Quay,employee,Stevedores,safe,/);
});

test('the decision log filters and pages', async () => {
  const denies = await d.api('GET', '/api/v1/access/decisions?decision=deny&limit=2', { bearer: d.tokens.op });
  assert.equal(denies.status, 200);
  assert.equal(denies.json.items.length, 2);
  assert.ok(denies.json.items.every((i) => i.decision === 'deny'));
  const next = await d.api('GET', `/api/v1/access/decisions?decision=deny&limit=2&after=${denies.json.next}`, { bearer: d.tokens.op });
  assert.ok(next.json.items.every((i) => i.id < denies.json.items[1].id));
  assertProblem(await d.api('GET', '/api/v1/access/decisions?decision=maybe', { bearer: adm }), 400, 'bad-field', { field: 'decision' });
  assertProblem(await d.api('GET', '/api/v1/access/decisions', { bearer: 'pgt_' + '0'.repeat(64) }), 401, 'unauthorized');
});

test('people imported with the CLI into the running daemon\'s store decide at once', async () => {
  const dir = tempDir();
  try {
    const file = path.join(dir, 'people.csv');
    fs.writeFileSync(file, 'kind,first_name,last_name,employer,id_doc_type,id_doc_number,credential_uid,group\n'
      + 'contractor,Imre,Ported,Dockside,passport,P123,C0FFEE01,Staff\n');
    const r = await d.run(['import', 'people', file, '--data', d.dataDir]);
    assert.equal(r.code, 0, r.stderr);
    const g = await decide(ids.gate, 'C0FFEE01');
    assert.equal(g.decision, 'grant', JSON.stringify(g));
    assert.equal(g.person.name, 'Imre Ported');
  } finally { removeTempDir(dir); }
});
