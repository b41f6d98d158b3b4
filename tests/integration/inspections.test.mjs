// Inspections against the real daemon: one taken up from a queued manifest line leaves the
// queue; transitions follow the table (409 naming from and to), outcomes wait for the
// checklist; findings, seal checks, evidence upload and byte-equal download with its
// SHA-256; the chain of custody shows every step; statistics count it; roles.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { startDaemon, assertProblem } from './lib/daemon.mjs';

let d;
const tok = {};
const as = (role) => ({ bearer: tok[role] });

const HEADER = 'vessel_imo,vessel_name,voyage,container_number,size_type,shipper,consignee,' +
  'notify_party,goods_description,hs_code,declared_gross_kg,vgm_kg,port_of_loading,' +
  'transshipment_ports,port_of_discharge,seals,dangerous_goods';
const V = '9321483,MSC Example,042W,';

// ISO 6346 check digit, written out independently of the daemon.
function checkDigit(ten) {
  let sum = 0;
  for (let i = 0; i < 10; i++) {
    const c = ten[i];
    let v;
    if (/[A-Z]/.test(c)) {
      v = 10;
      for (let k = 0; k < c.charCodeAt(0) - 65; k++) { v++; if (v % 11 === 0) v++; }
    } else v = Number(c);
    sum += v * 2 ** i;
  }
  return String(sum % 11 % 10);
}
const box = (ten) => ten + checkDigit(ten);

before(async () => {
  const roles = ['admin', 'pfso', 'inspector', 'operator', 'auditor', 'authority'];
  d = await startDaemon({ tokens: roles.map((r) => ({ name: `it-${r}`, role: r })) });
  for (const r of roles) tok[r] = d.tokens[`it-${r}`];
});

after(async () => { await d?.cleanup(); });

const post = (p, body, role = 'inspector') => d.api('POST', p, { ...as(role), body });

async function queuedLine() {
  const risky = box('RSKU700001');
  const csv = [HEADER,
    `${V}${risky},22G1,Shady Trading,New Buyer,,General cargo,870323,31200,24000,CNSHA,BRSSZ,NLRTM,,UN1203:8`,
  ].join('\n') + '\n';
  const r = await d.api('POST', '/api/v1/manifests', {
    ...as('inspector'), body: csv, headers: { 'Content-Type': 'text/csv' },
  });
  assert.equal(r.status, 201, r.text);
  const q = await d.api('GET', '/api/v1/inspections/queue?limit=500', as('inspector'));
  const line = q.json.items.find((l) => l.number === risky);
  assert.ok(line, 'the risky line is queued');
  return line;
}

test('an inspection of a queued line goes through scan, examination, finding, seal, evidence and seizure', async () => {
  const line = await queuedLine();

  const c = await post('/api/v1/inspections', { kind: 'container', manifest_container_id: line.id });
  assert.equal(c.status, 201, c.text);
  const id = c.json.id;
  assert.equal(c.headers.get('location'), `/api/v1/inspections/${id}`);
  assert.equal(c.json.subject, line.number);
  assert.equal(c.json.reason, 'risk', 'the reason comes from the line');
  assert.equal(c.json.state, 'selected');
  assert.equal(c.json.level, 1);
  assert.equal(c.json.created_by, 'token:it-inspector');
  const codes = c.json.checklist.map((i) => i.code);
  assert.deepEqual(codes, ['documents_match', 'seal_check', 'scan']);
  assert.ok(c.json.checklist.every((i) => i.done === false && i.required === true));

  const q = await d.api('GET', '/api/v1/inspections/queue?limit=500', as('inspector'));
  assert.ok(!q.json.items.some((l) => l.id === line.id), 'the line left the queue');
  assertProblem(await post('/api/v1/inspections', { kind: 'container', manifest_container_id: line.id }),
    409, 'conflict', { field: 'manifest_container_id' });

  const bad = await post(`/api/v1/inspections/${id}/state`, { state: 'cleared', verdict: 'ok' });
  assertProblem(bad, 409, 'conflict', { field: 'state' });
  assert.match(bad.json.detail, /cannot go from selected to cleared/);

  let s = await post(`/api/v1/inspections/${id}/state`, { state: 'scanning' });
  assert.equal(s.status, 200, s.text);
  assertProblem(await post(`/api/v1/inspections/${id}/state`, { state: 'scanned' }), 422, 'unprocessable',
    { field: 'scan_result' });
  s = await post(`/api/v1/inspections/${id}/state`, { state: 'scanned', scan_result: 'anomaly' });
  assert.equal(s.json.scan_result, 'anomaly');
  s = await post(`/api/v1/inspections/${id}/state`, { state: 'examining' });
  assert.equal(s.json.state, 'examining');

  const f = await post(`/api/v1/inspections/${id}/findings`,
    { category: 'narcotics', description: 'Packages in the door frame', quantity: '12 kg' });
  assert.equal(f.status, 201, f.text);
  assert.equal(f.json.category, 'narcotics');
  assertProblem(await post(`/api/v1/inspections/${id}/findings`, { category: 'gold', description: 'x' }),
    400, 'bad-field', { field: 'category' });

  const seal = await post(`/api/v1/inspections/${id}/seals`,
    { seal_number: 'BS1', result: 'replaced', new_number: 'PG000123' });
  assert.equal(seal.status, 201, seal.text);
  assert.equal(seal.json.new_number, 'PG000123');
  assertProblem(await post(`/api/v1/inspections/${id}/seals`, { seal_number: 'BS2', result: 'replaced' }),
    422, 'unprocessable', { field: 'new_number' });

  const bytes = crypto.randomBytes(3000);
  bytes[0] = 0x89; // a PNG-ish start, the bytes are kept as sent
  const sha = crypto.createHash('sha256').update(bytes).digest('hex');
  const up = await d.api('POST', `/api/v1/inspections/${id}/evidence?filename=scan-1.png`, {
    ...as('inspector'), body: bytes, headers: { 'Content-Type': 'image/png' },
  });
  assert.equal(up.status, 201, up.text);
  assert.equal(up.json.sha256, sha);
  assert.equal(up.json.size, 3000);
  assert.equal(up.json.content_type, 'image/png');
  assert.equal(up.headers.get('location'), `/api/v1/inspections/${id}/evidence/${up.json.id}`);
  assertProblem(await d.api('POST', `/api/v1/inspections/${id}/evidence?filename=x.txt`, {
    ...as('inspector'), body: 'hello', headers: { 'Content-Type': 'text/plain' },
  }), 415, 'unsupported-media-type');
  assertProblem(await d.api('POST', `/api/v1/inspections/${id}/evidence?filename=../x`, {
    ...as('inspector'), body: bytes, headers: { 'Content-Type': 'image/png' },
  }), 400, 'bad-field', { field: 'filename' });

  const list = await d.api('GET', `/api/v1/inspections/${id}/evidence`, as('auditor'));
  assert.equal(list.status, 200, list.text);
  assert.equal(list.json.items.length, 1);
  assert.equal(list.json.items[0].data, undefined, 'a list holds no bytes');
  const res = await fetch(`${d.base}/api/v1/inspections/${id}/evidence/${up.json.id}`,
    { headers: { Authorization: `Bearer ${tok.authority}` } });
  assert.equal(res.status, 200);
  const got = Buffer.from(await res.arrayBuffer());
  assert.ok(got.equals(bytes), 'the download is byte-equal');
  assert.equal(res.headers.get('content-type'), 'image/png');
  assert.equal(res.headers.get('x-content-sha256'), sha);
  assert.equal(res.headers.get('etag'), `"${sha}"`);
  assertProblem(await d.api('GET', `/api/v1/inspections/${id}/evidence/999`, as('auditor')), 404, 'not-found');

  const held = await post(`/api/v1/inspections/${id}/state`, { state: 'seized', verdict: 'narcotics found' });
  assertProblem(held, 409, 'conflict', { field: 'checklist' });
  assert.match(held.json.detail, /1 documents_match, 2 seal_check, 3 scan/);
  for (const n of [1, 2, 3]) {
    const t = await post(`/api/v1/inspections/${id}/checklist/${n}`, { note: n === 2 ? 'BS1 replaced' : undefined });
    assert.equal(t.status, 200, t.text);
    assert.equal(t.json.done, true);
    assert.equal(t.json.done_by, 'token:it-inspector');
  }
  assertProblem(await post(`/api/v1/inspections/${id}/checklist/9`, {}), 404, 'not-found');
  s = await post(`/api/v1/inspections/${id}/state`, { state: 'seized', verdict: 'narcotics found' }, 'pfso');
  assert.equal(s.status, 200, s.text);
  assert.equal(s.json.state, 'seized');
  assert.equal(s.json.verdict, 'narcotics found');
  assert.equal(s.json.updated_by, 'token:it-pfso');
  assert.equal(s.json.findings.length, 1);
  assert.equal(s.json.seals.length, 1);
  assert.equal(s.json.evidence.length, 1);
  assertProblem(await post(`/api/v1/inspections/${id}/findings`, { category: 'other', description: 'late' }),
    409, 'conflict');

  const g = await d.api('GET', `/api/v1/inspections/${id}`, as('authority'));
  assert.equal(g.status, 200, g.text);
  assert.equal(g.json.manifest_container_id, line.id);

  const h = await d.api('GET', `/api/v1/inspections/${id}/history`, as('auditor'));
  assert.equal(h.status, 200, h.text);
  const actions = h.json.items.map((r) => r.action);
  assert.deepEqual(actions, [
    'inspection.create', 'inspection.state', 'inspection.state', 'inspection.state',
    'inspection.finding', 'inspection.seal', 'inspection.evidence',
    'inspection.checklist', 'inspection.checklist', 'inspection.checklist', 'inspection.state',
  ]);
  const seqs = h.json.items.map((r) => r.seq);
  assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b), 'oldest first');
  assert.deepEqual(h.json.items.filter((r) => r.action === 'inspection.state').map((r) => r.details.to),
    ['scanning', 'scanned', 'examining', 'seized']);
  assert.equal(h.json.items[6].details.sha256, sha);
  assert.equal(h.json.items[0].details.manifest_container_id, line.id);
  assert.equal(h.json.items[10].actor, 'token:it-pfso');

  const st = await d.api('GET', '/api/v1/inspections/statistics', as('auditor'));
  assert.equal(st.status, 200, st.text);
  assert.ok(st.json.selections.by_reason.risk >= 1);
  assert.ok(st.json.outcomes.seized >= 1);
  assert.ok(st.json.hit_rate.closed >= 1 && st.json.hit_rate.with_finding >= 1);
  const risk = st.json.hit_rate_by_reason.find((r) => r.reason === 'risk');
  assert.ok(risk.with_finding >= 1 && risk.hit_rate > 0);
  const indicators = [...new Set(line.hits.map((x) => x.indicator))];
  assert.ok(indicators.length >= 2, JSON.stringify(line.hits));
  for (const name of indicators) {
    const ind = st.json.hit_rate_by_indicator.find((r) => r.indicator === name);
    assert.ok(ind && ind.closed >= 1 && ind.with_finding >= 1, `${name}: ${JSON.stringify(st.json)}`);
  }
  assert.ok(st.json.selections.manifest_lines.risk >= 1);
});

test('an inspection without a line: kinds, the level checklist, list filters, statistics', async () => {
  const before = (await d.api('GET', '/api/v1/inspections/statistics', as('pfso'))).json;
  const c = await post('/api/v1/inspections', { kind: 'vehicle', subject: 'AB-123-CD', reason: 'random' });
  assert.equal(c.status, 201, c.text);
  assert.ok(!c.json.checklist.some((i) => i.code === 'underside'), 'level 1 vehicle search');
  const id = c.json.id;
  assertProblem(await post('/api/v1/inspections', { kind: 'container', subject: 'ABCU1234567', reason: 'random' }),
    400, 'bad-field', { field: 'subject' });
  assertProblem(await post('/api/v1/inspections', { kind: 'car', subject: 'x', reason: 'random' }),
    400, 'bad-field', { field: 'kind' });

  await post(`/api/v1/inspections/${id}/state`, { state: 'examining' });
  for (const i of c.json.checklist) await post(`/api/v1/inspections/${id}/checklist/${i.n}`, {});
  const s = await post(`/api/v1/inspections/${id}/state`, { state: 'cleared', verdict: 'nothing found' });
  assert.equal(s.status, 200, s.text);

  const l = await d.api('GET', '/api/v1/inspections?state=cleared&kind=vehicle', as('auditor'));
  assert.equal(l.status, 200, l.text);
  assert.ok(l.json.items.some((i) => i.id === id));
  assert.ok(l.json.items.every((i) => i.state === 'cleared' && i.kind === 'vehicle'));
  assertProblem(await d.api('GET', '/api/v1/inspections?state=lost', as('auditor')), 400, 'bad-field', { field: 'state' });

  const after = (await d.api('GET', '/api/v1/inspections/statistics', as('pfso'))).json;
  assert.equal(after.selections.by_reason.random, before.selections.by_reason.random + 1);
  assert.equal(after.outcomes.cleared, before.outcomes.cleared + 1);
  assert.equal(after.hit_rate.closed, before.hit_rate.closed + 1);
  assert.equal(after.hit_rate.with_finding, before.hit_rate.with_finding);
});

test('roles: inspectors, PFSOs and admins write; auditors and the authority read; others get 403', async () => {
  const c = await post('/api/v1/inspections', { kind: 'person', subject: 'Visitor 17', reason: 'level' }, 'admin');
  assert.equal(c.status, 201, c.text);
  const id = c.json.id;
  for (const role of ['auditor', 'authority', 'operator']) {
    assertProblem(await post('/api/v1/inspections', { kind: 'person', subject: 'x', reason: 'level' }, role), 403, 'forbidden');
    assertProblem(await post(`/api/v1/inspections/${id}/state`, { state: 'examining' }, role), 403, 'forbidden');
    assertProblem(await d.api('POST', `/api/v1/inspections/${id}/evidence?filename=a.pdf`, {
      ...as(role), body: Buffer.from('%PDF-1.4'), headers: { 'Content-Type': 'application/pdf' },
    }), 403, 'forbidden');
  }
  for (const p of ['', `/${id}`, `/${id}/history`, `/${id}/evidence`, '/statistics'])
    assertProblem(await d.api('GET', `/api/v1/inspections${p}`, as('operator')), 403, 'forbidden');
  for (const role of ['auditor', 'authority'])
    assert.equal((await d.api('GET', `/api/v1/inspections/${id}`, as(role))).status, 200);
  assertProblem(await d.api('GET', '/api/v1/inspections/99999', as('auditor')), 404, 'not-found');
});
