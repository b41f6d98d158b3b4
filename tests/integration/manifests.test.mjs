// Manifests and risk targeting against the real daemon: CSV and JSON imports (all or
// nothing, errors naming line / path and field), containers by score, the container page,
// the inspection queue, the watchlist (roles, conflicts, audit, events), weighbridge
// re-scoring, the rules in effect, and the CLI import.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startDaemon, assertProblem, listAll, tempDir, removeTempDir } from './lib/daemon.mjs';

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

const csv = (lines) => [HEADER, ...lines].join('\n') + '\n';
const postCsv = (body, role = 'inspector') =>
  d.api('POST', '/api/v1/manifests', { ...as(role), body, headers: { 'Content-Type': 'text/csv' } });

before(async () => {
  const roles = ['admin', 'pfso', 'inspector', 'operator', 'device', 'auditor'];
  d = await startDaemon({ tokens: roles.map((r) => ({ name: `it-${r}`, role: r })) });
  for (const r of roles) tok[r] = d.tokens[`it-${r}`];
});

after(async () => { await d?.cleanup(); });

test('a CSV manifest imports; its containers come highest score first, paged', async () => {
  const clean = box('CLNU000001');
  const risky = box('RSKU000001');
  const r = await postCsv(csv([
    `${V}${clean},22G1,Acme Exports,Known Importer,,Frozen fish,030389,18000,18100,CNSHA,,NLRTM,BS1:H,`,
    `${V}${risky},22G1,Shady Trading,New Buyer,,General cargo,870323,31200,24000,CNSHA,BRSSZ,NLRTM,,UN1203:8`,
    `${V}${box('MIDU000001')},22G1,Acme Exports,Known Importer,,Parts,848790,18000,,CNSHA,,NLRTM,BS2:I,`,
  ]));
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.lines, 3);
  assert.equal(r.json.level, 1);
  assert.match(r.headers.get('location'), /^\/api\/v1\/manifests\/\d+$/);
  const id = r.json.id;
  assert.equal(r.json.decisions.physical, 1, r.text);

  const m = await d.api('GET', `/api/v1/manifests/${id}`, as('auditor'));
  assert.equal(m.status, 200, m.text);
  assert.equal(m.json.vessel_imo, '9321483');
  assert.equal(m.json.containers.length, 3);
  const scores = m.json.containers.map((c) => c.score);
  assert.deepEqual(scores, [...scores].sort((a, b) => b - a), 'highest score first');
  const top = m.json.containers[0];
  assert.equal(top.number, risky);
  assert.equal(top.decision, 'physical');
  assert.equal(top.selected_by, 'risk');
  assert.equal(top.queued, true);
  assert.ok(top.hits.length >= 5, JSON.stringify(top.hits));
  const mass = top.hits.find((h) => h.rule === 'mass_limits');
  assert.equal(mass.explanation, 'declared 31,200 kg exceeds the 30,480 kg maximum gross mass for 22G1');
  assert.equal(mass.values.declared_kg, 31200);
  assert.equal(top.hits.reduce((s, h) => s + h.weight, 0), top.score);
  assert.deepEqual(top.dangerous_goods, [{ un_number: 'UN1203', imdg_class: '8' }]);
  assert.deepEqual(top.transshipment_ports, ['BRSSZ']);
  for (const k of ['value', 'bound', 'rate_ppm', 'selected']) assert.ok(k in top.random_draw, k);

  // paging by score: one at a time gives the same order
  const seen = [];
  let after = null;
  for (let i = 0; i < 5; i++) {
    const q = `/api/v1/manifests/${id}?limit=1` + (after ? `&after=${after}` : '');
    const p = await d.api('GET', q, as('auditor'));
    assert.equal(p.status, 200, p.text);
    seen.push(...p.json.containers.map((c) => c.number));
    if (p.json.next === null) break;
    after = p.json.next;
  }
  assert.deepEqual(seen, m.json.containers.map((c) => c.number));
  assertProblem(await d.api('GET', `/api/v1/manifests/${id}?after=x`, as('auditor')), 400, 'bad-field', { field: 'after' });
  assertProblem(await d.api('GET', '/api/v1/manifests/999999', as('auditor')), 404, 'not-found');

  const list = await listAll(d, '/api/v1/manifests', as('auditor'));
  assert.ok(list.items.some((x) => x.id === id && x.summary.lines === 3));
});

test('a bad CSV line is named by line and field, and nothing is imported', async () => {
  const before = (await listAll(d, '/api/v1/manifests', as('auditor'))).items.length;
  const r = await postCsv(csv([
    `${V}${box('BADU000001')},22G1,A,B,,Fish,030389,18000,,CNSHA,,NLRTM,,`,
    `${V}${box('BADU000002')},22G1,A,B,,Fish,03x389,18000,,CNSHA,,NLRTM,,`,
  ]));
  assertProblem(r, 400, 'bad-field', { field: 'hs_code' });
  assert.match(r.json.detail, /^line 3, field hs_code: '03x389' is not an HS code/);
  const after = (await listAll(d, '/api/v1/manifests', as('auditor'))).items.length;
  assert.equal(after, before);
  assertProblem(await d.api('GET', `/api/v1/containers/${box('BADU000001')}`, as('auditor')), 404, 'not-found');
});

test('a JSON manifest imports; a bad one names the path', async () => {
  const c = (number, hs) => ({
    number, size_type: '42G1', shipper: 'Json Shipper', consignee: 'Json Consignee',
    goods_description: 'Coffee beans', hs_code: hs, declared_gross_kg: 20000, vgm_kg: 20100,
    port_of_loading: 'BRSSZ', port_of_discharge: 'DEHAM', seals: [{ number: 'J1', class: 'H' }],
  });
  const vessel = { imo: 'IMO 9321483', name: 'MSC Example', voyage: '043E' };
  const ok = await d.api('POST', '/api/v1/manifests', { ...as('pfso'), body: { vessel, containers: [c(box('JSNU000001'), '090111')] } });
  assert.equal(ok.status, 201, ok.text);
  const bad = await d.api('POST', '/api/v1/manifests', {
    ...as('pfso'), body: { vessel, containers: [c(box('JSNU000002'), '090111'), c(box('JSNU000003'), 'coffee')] },
  });
  assertProblem(bad, 400, 'bad-field', { field: 'containers[1].hs_code' });
  assertProblem(await d.api('POST', '/api/v1/manifests', { ...as('pfso'), body: '{"vessel": ', headers: { 'Content-Type': 'application/json' } }),
    400, 'bad-field');
  assertProblem(await d.api('POST', '/api/v1/manifests', { ...as('pfso'), body: 'x', headers: { 'Content-Type': 'text/plain' } }),
    415, 'unsupported-media-type');
  assertProblem(await postCsv(csv([]), 'operator'), 403, 'forbidden');
});

test('the container page shows every line with its hits; the queue is by score', async () => {
  const r = await d.api('GET', `/api/v1/containers/${box('RSKU000001').toLowerCase()}`, as('operator'));
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.lines.length, 1);
  assert.equal(r.json.lines[0].vessel_name, 'MSC Example');
  assert.ok(r.json.lines[0].hits.every((h) => typeof h.explanation === 'string' && h.explanation.length > 10));
  assert.equal(r.json.watchlist, null);
  assertProblem(await d.api('GET', '/api/v1/containers/NOTANUMBER', as('operator')), 404, 'not-found');

  const q = await listAll(d, '/api/v1/inspections/queue', as('inspector'), { limit: 1 });
  assert.ok(q.items.length >= 1);
  assert.ok(q.items.every((x) => x.queued === true && x.selected_by !== null));
  const s = q.items.map((x) => x.score);
  assert.deepEqual(s, [...s].sort((a, b) => b - a));
  assertProblem(await d.api('GET', '/api/v1/inspections/queue', as('operator')), 403, 'forbidden');
  // the auditor reads the same queue, with the draws that selected lines at random
  const a = await listAll(d, '/api/v1/inspections/queue', as('auditor'), { limit: 1 });
  assert.deepEqual(a.items.map((x) => x.id), q.items.map((x) => x.id));
  assert.ok(a.items.every((x) => typeof x.random_draw.value === 'number'));
});

test('the watchlist: adm lists, the next import hits it, changes are audited and published', async () => {
  const ev = await d.events('/api/v1/events?topics=inspect', as('admin'));
  try {
    assertProblem(await d.api('POST', '/api/v1/watchlist', { ...as('inspector'), body: { kind: 'party', value: 'X', reason: 'y' } }), 403, 'forbidden');
    assertProblem(await d.api('POST', '/api/v1/watchlist', { ...as('pfso'), body: { kind: 'ship', value: 'X', reason: 'y' } }), 400, 'bad-field', { field: 'kind' });
    assertProblem(await d.api('POST', '/api/v1/watchlist', { ...as('pfso'), body: { kind: 'vessel', value: '9321484', reason: 'y' } }), 400, 'bad-field', { field: 'value' });
    const w = await d.api('POST', '/api/v1/watchlist', { ...as('pfso'), body: { kind: 'party', value: '  shadow   holdings ', reason: 'seizure 2025' } });
    assert.equal(w.status, 201, w.text);
    assert.equal(w.json.value, 'SHADOW HOLDINGS');
    assertProblem(await d.api('POST', '/api/v1/watchlist', { ...as('admin'), body: { kind: 'party', value: 'Shadow Holdings', reason: 'again' } }), 409, 'conflict');
    await ev.until((e) => e.json?.data?.action === 'watchlist.add');

    const r = await postCsv(csv([`${V}${box('WCHU000001')},22G1,Known Co,Shadow Holdings,,Frozen fish,030389,18000,,CNSHA,,NLRTM,B:H,`]));
    assert.equal(r.status, 201, r.text);
    const got = await ev.until((e) => e.json?.data?.action === 'manifest.import');
    assert.equal(got.at(-1).json.data.id, r.json.id);
    const c = await d.api('GET', `/api/v1/containers/${box('WCHU000001')}`, as('auditor'));
    const hit = c.json.lines[0].hits.find((h) => h.rule === 'watchlist_party');
    assert.equal(hit.explanation, 'consignee "Shadow Holdings" is on the watchlist: seizure 2025');
    assert.equal(c.json.lines[0].decision, 'scan', 'watchlist + first consignee and shipper');
    // an operator sees that the watchlist was hit, not why (intelligence)
    const o = await d.api('GET', `/api/v1/containers/${box('WCHU000001')}`, as('operator'));
    const ohit = o.json.lines[0].hits.find((h) => h.rule === 'watchlist_party');
    assert.equal(ohit.weight, hit.weight);
    assert.doesNotMatch(ohit.explanation, /seizure 2025/);
    assert.doesNotMatch(JSON.stringify(o.json), /seizure 2025/);
    const om = await d.api('GET', `/api/v1/manifests/${r.json.id}`, as('operator'));
    assert.doesNotMatch(JSON.stringify(om.json), /seizure 2025/);

    const list = await listAll(d, '/api/v1/watchlist', as('inspector'));
    assert.ok(list.items.some((x) => x.id === w.json.id));
    assert.equal((await d.api('DELETE', `/api/v1/watchlist/${w.json.id}`, as('admin'))).status, 204);
    assertProblem(await d.api('DELETE', `/api/v1/watchlist/${w.json.id}`, as('admin')), 404, 'not-found');
    await ev.until((e) => e.json?.data?.action === 'watchlist.remove');
    const audit = await listAll(d, '/api/v1/audit', as('admin'));
    for (const a of ['watchlist.add', 'watchlist.remove', 'manifest.import']) {
      assert.ok(audit.items.some((x) => x.action === a), a);
    }
  } finally {
    ev.close();
  }
});

test('a weighbridge reading re-scores the newest line of the container', async () => {
  const n = box('CLNU000001');
  assertProblem(await d.api('POST', '/api/v1/weighbridge', { ...as('operator'), body: { container: n, kg: 1 } }), 403, 'forbidden');
  assertProblem(await d.api('POST', '/api/v1/weighbridge', { ...as('device'), body: { container: 'CLNU0000010', kg: 20000 } }), 400, 'bad-field', { field: 'container' });
  const r = await d.api('POST', '/api/v1/weighbridge', { ...as('device'), body: { container: n, kg: 26000 } });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.kg, 26000);
  const hit = r.json.line.hits.find((h) => h.rule === 'mass_weighbridge');
  assert.match(hit.explanation, /^declared 18,000 kg differs from the weighbridge reading 26,000 kg by 30.7% \(tolerance 5%\)$/);
  const c = await d.api('GET', `/api/v1/containers/${n}`, as('auditor'));
  assert.equal(c.json.weighings[0].kg, 26000);
  assert.equal(c.json.lines[0].score, r.json.line.score);
});

test('the rules in effect are the default table', async () => {
  const r = await d.api('GET', '/api/v1/risk-rules', as('auditor'));
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.levels.length, 3);
  assert.ok(r.json.rules.some((x) => x.name === 'watchlist_party' && x.weight === 35));
});

test('portguard import manifest: all or nothing, the bad line named', async () => {
  const dir = tempDir('portguard-it-manifest-');
  try {
    const good = path.join(dir, 'good.csv');
    fs.writeFileSync(good, csv([`${V}${box('CLIU000001')},45R1,Cli Co,Cli Buyer,,Frozen fish,030389,20000,,CNSHA,,NLRTM,C1:H,`]));
    const ok = await d.run(['import', 'manifest', good, '--data', d.dataDir]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /^imported manifest \d+ from .*good\.csv: 1 container lines at security level 1/);
    const bad = path.join(dir, 'bad.csv');
    fs.writeFileSync(bad, csv([
      `${V}${box('CLIU000002')},45R1,Cli Co,Cli Buyer,,Frozen fish,030389,20000,,CNSHA,,NLRTM,C1:H,`,
      `${V}${box('CLIU000003')},45R1,Cli Co,Cli Buyer,,Frozen fish,030389,20000,,CNSHA,,NLRTM,C1:Q,`,
    ]));
    const no = await d.run(['import', 'manifest', bad, '--data', d.dataDir]);
    assert.equal(no.code, 1);
    assert.match(no.stderr, /line 3, field seals: seal 1: class 'Q' is not I, S or H.*nothing was imported/);
    const rules = path.join(dir, 'rules.ini');
    fs.writeFileSync(rules, '[rule x]\nweight = 1\n');
    const r = await d.run(['import', 'manifest', good, '--data', d.dataDir, '--rules', rules]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /line 2: \[rule x\]: indicator must be the first key/);
    const c = await d.api('GET', `/api/v1/containers/${box('CLIU000001')}`, as('auditor'));
    assert.equal(c.status, 200, c.text);
    assertProblem(await d.api('GET', `/api/v1/containers/${box('CLIU000002')}`, as('auditor')), 404, 'not-found');
  } finally {
    removeTempDir(dir);
  }
});
