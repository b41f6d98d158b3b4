// Training over HTTP against the real daemon: the shipped courses, matrix and banks; roles;
// bad input refused with the field named; quizzes that never leak answers, scored on the
// server with attempt limits; completion issuing the qualification that access decisions
// check; classroom sessions; certificates and /verify; compliance (JSON, CSV, PDF) and
// expiry reminders as events.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startDaemon, assertProblem, repoRoot } from './lib/daemon.mjs';

let d;
let adm;
const ids = {};
const PW = 'Trainee-Password-42x';

// The right option texts per question text, from the shipped banks.
const BANK = new Map();
const BANK_FILES = fs.readdirSync(path.join(repoRoot, 'etc/training'));
for (const f of BANK_FILES) {
  const pack = JSON.parse(fs.readFileSync(path.join(repoRoot, 'etc/training', f), 'utf8'));
  for (const q of pack.questions || []) {
    const opts = q.options || ['True', 'False'];
    BANK.set(q.text, new Set(q.correct.map((i) => opts[i])));
  }
}
const answersFor = (attempt, right) => attempt.questions.map((q) => {
  const good = BANK.get(q.text);
  return right ? q.options.map((o, k) => (good.has(o) ? k : -1)).filter((k) => k >= 0)
    : [q.options.findIndex((o) => !good.has(o))];
});

const call = (method, p, body, auth = { bearer: adm }) => d.api(method, p, { ...auth, body });
const ok = async (method, p, body, want, auth) => {
  const r = await call(method, p, body, auth);
  assert.equal(r.status, want, `${method} ${p}: ${r.text}`);
  return r.json;
};
const decide = async () => (await ok('POST', '/api/v1/access/decide', { reader_id: ids.door, credential: 'C0FFEE01' }, 200, { bearer: d.tokens.gate })).reason;
const ms = (months, days = 0) => { const t = new Date(); t.setUTCMonth(t.getUTCMonth() - months); return new Date(t.getTime() + days * 86400000).toISOString(); };

before(async () => {
  d = await startDaemon({
    users: [{ name: 'bo', role: 'operator', password: PW }],
    tokens: [{ name: 'adm', role: 'admin' }, { name: 'gate', role: 'gate' }, { name: 'aud', role: 'auditor' },
      { name: 'trainer', role: 'trainer' }, { name: 'op', role: 'operator' }],
  });
  adm = d.tokens.adm;
  const port = (await ok('POST', '/api/v1/zones', { name: 'Port', kind: 'public' }, 201)).id;
  ids.zone = (await ok('POST', '/api/v1/zones', { name: 'Berth 9', kind: 'restricted', parent_id: port, required_qualifications: ['security_awareness'] }, 201)).id;
  ids.door = (await ok('POST', '/api/v1/readers', { name: 'Berth 9 gate', kind: 'turnstile', from_zone_id: port, to_zone_id: ids.zone }, 201)).id;
  const g = (await ok('POST', '/api/v1/access-groups', { name: 'Berth crew', zone_ids: [ids.zone] }, 201)).id;
  ids.bo = (await ok('POST', '/api/v1/people', { kind: 'employee', first_name: 'Bo', last_name: 'Berth' }, 201)).id;
  ids.cy = (await ok('POST', '/api/v1/people', { kind: 'contractor', first_name: 'Cy', last_name: 'Crane' }, 201)).id;
  ids.vi = (await ok('POST', '/api/v1/people', { kind: 'visitor', first_name: 'Vi', last_name: 'Sitor', host_id: ids.bo, visitor_expires: '2099-01-01T00:00:00Z' }, 201)).id;
  await ok('POST', `/api/v1/people/${ids.bo}/credentials`, { uid: 'C0FFEE01' }, 201);
  const r = await call('PUT', `/api/v1/people/${ids.bo}/groups/${g}`, {});
  assert.ok(r.status < 300, r.text);
  const users = await ok('GET', '/api/v1/users?limit=500', undefined, 200);
  ids.boUser = users.items.find((u) => u.username === 'bo').id;
  ids.pg325 = (await ok('GET', '/api/v1/training/courses', undefined, 200)).items.find((c) => c.code === 'PG-325').id;
});

after(async () => {
  if (!d) return;
  // a clean exit after certificates and reports were made (under the sanitizers: no leak)
  const code = await d.stop();
  const log = d.log;
  await d.cleanup();
  assert.equal(code, 0, log.slice(-3000));
});

test('the shipped courses, matrix and question banks are loaded', async () => {
  const courses = (await ok('GET', '/api/v1/training/courses', undefined, 200, { bearer: d.tokens.op })).items;
  assert.equal(courses.length, 8);
  const topics = new Set(courses.map((c) => c.topic));
  assert.equal(topics.size, 8, 'one course per area');
  for (const c of courses) assert.ok(c.bank_size >= 15, `${c.code}: bank of ${c.bank_size}`);
  const m = (await ok('GET', '/api/v1/training/requirements', undefined, 200)).items;
  const rows = m.map((x) => `${x.course} ${x.applies_to} ${x.value}`).sort();
  assert.deepEqual(rows, ['PG-321 role pfso', 'PG-324-AC role gate_officer', 'PG-324-CI role inspection_officer', 'PG-325 all_staff ']);
  const qs = await ok('GET', '/api/v1/training/questions?topic=cyber_security&limit=100', undefined, 200, { bearer: d.tokens.trainer });
  assert.equal(qs.items.length, 16);
  assert.ok(qs.items.every((q) => q.explanation.length > 20 && q.correct.length >= 1));
  const withdrawn = await ok('PATCH', `/api/v1/training/questions/${qs.items[0].id}`, { active: false }, 200, { bearer: d.tokens.trainer });
  assert.equal(withdrawn.active, false);
  const cy = (await ok('GET', '/api/v1/training/courses', undefined, 200)).items.find((x) => x.topic === 'cyber_security');
  assert.equal(cy.bank_size, 15, 'a withdrawn question is not drawn');
  await ok('PATCH', `/api/v1/training/questions/${qs.items[0].id}`, { active: true }, 200, { bearer: d.tokens.trainer });
  const c = await ok('GET', `/api/v1/training/courses/${ids.pg325}`, undefined, 200);
  assert.match(c.content, /^# Security awareness/);
});

test('roles: trainers manage courses, the PFSO the matrix; auditors read compliance; others are refused', async () => {
  assertProblem(await call('POST', '/api/v1/training/courses', {}, { bearer: d.tokens.gate }), 403, 'forbidden');
  assertProblem(await call('PUT', '/api/v1/training/requirements', { items: [] }, { bearer: d.tokens.trainer }), 403, 'forbidden');
  assertProblem(await call('GET', '/api/v1/training/compliance', undefined, { bearer: d.tokens.op }), 403, 'forbidden');
  assertProblem(await call('GET', '/api/v1/training/questions', undefined, { bearer: d.tokens.op }), 403, 'forbidden');
  await ok('GET', '/api/v1/training/compliance', undefined, 200, { bearer: d.tokens.aud });
  assertProblem(await call('GET', `/api/v1/training/people/${ids.bo}/record`, undefined, { bearer: d.tokens.op }), 403, 'forbidden');
});

test('bad courses and questions are refused naming the field, and nothing is stored', async () => {
  const base = { code: 'T-1', title: 'Test', topic: 'security_awareness', qualification: 'test_q', content: '# x', duration_minutes: 10, validity_months: 12 };
  assertProblem(await call('POST', '/api/v1/training/courses', { ...base, topic: 'knitting' }, { bearer: d.tokens.trainer }), 400, 'bad-field', { field: 'topic' });
  assertProblem(await call('POST', '/api/v1/training/courses', { ...base, pass_mark: 101, quiz_questions: 5, time_limit_minutes: 5 }, { bearer: d.tokens.trainer }), 400, 'bad-field', { field: 'pass_mark' });
  assertProblem(await call('POST', '/api/v1/training/courses', { ...base, qualification: 'Bad Name' }), 400, 'bad-field', { field: 'qualification' });
  assertProblem(await call('POST', '/api/v1/training/courses', { ...base, code: 'PG-325' }), 409, 'conflict', { field: 'code' });
  const q = { ref: 'x-1', topic: 'cyber_security', kind: 'single', text: 'Which?', options: ['a', 'b'], correct: [0, 1], explanation: 'Because.' };
  assertProblem(await call('POST', '/api/v1/training/questions', q), 400, 'bad-field', { field: 'correct' });
  assertProblem(await call('POST', '/api/v1/training/questions', { ...q, correct: [2] }), 400, 'bad-field', { field: 'correct' });
  assertProblem(await call('POST', '/api/v1/training/questions', { ...q, kind: 'true_false', correct: [0] }), 400, 'bad-field', { field: 'options' });
  assertProblem(await call('POST', '/api/v1/training/questions', { ...q, ref: 'sa-01', correct: [0] }), 409, 'conflict', { field: 'ref' });
  assertProblem(await call('PUT', '/api/v1/training/requirements', { items: [{ course_id: 1, applies_to: 'kind', value: 'alien' }] }), 400, 'bad-field', { field: 'items[0]' });
  const courses = (await ok('GET', '/api/v1/training/courses', undefined, 200)).items;
  assert.equal(courses.length, 8);
  assert.equal((await ok('GET', '/api/v1/training/requirements', undefined, 200)).items.length, 4, 'the matrix is unchanged');
});

test('a course is changed and withdrawn; its code does not change', async () => {
  const c = await ok('POST', '/api/v1/training/courses', {
    code: 'T-EDIT', title: 'Draft', topic: 'cyber_security', qualification: 'edit_q', content: '# Draft',
    duration_minutes: 30, validity_months: 12, quiz_questions: 5, pass_mark: 60, time_limit_minutes: 10,
  }, 201, { bearer: d.tokens.trainer });
  const e = await ok('PATCH', `/api/v1/training/courses/${c.id}`, { title: 'Phishing basics', pass_mark: 70 }, 200, { bearer: d.tokens.trainer });
  assert.deepEqual([e.title, e.pass_mark, e.quiz_questions, e.time_limit_s, e.content], ['Phishing basics', 70, 5, 600, '# Draft']);
  assertProblem(await call('PATCH', `/api/v1/training/courses/${c.id}`, { code: 'T-OTHER' }), 400, 'bad-field', { field: 'code' });
  assertProblem(await call('PATCH', `/api/v1/training/courses/${c.id}`, { validity_months: -1 }), 400, 'bad-field', { field: 'validity_months' });
  const w = await ok('PATCH', `/api/v1/training/courses/${c.id}`, { active: false }, 200);
  assert.equal(w.active, false);
  assertProblem(await call('POST', `/api/v1/training/courses/${c.id}/attempts`, { person_id: ids.bo }), 409, 'conflict');
});

test('a quiz never shows its answers; wrong answers fail; the limit is enforced; enrolling again reopens it', async () => {
  const course = await ok('POST', '/api/v1/training/courses', {
    code: 'T-LIM', title: 'One try', topic: 'maritime_safety', qualification: 'one_try', content: 'Read *this*.',
    duration_minutes: 5, validity_months: 6, quiz_questions: 4, pass_mark: 75, max_attempts: 1, time_limit_minutes: 10,
  }, 201, { bearer: d.tokens.trainer });
  const s0 = await d.login('bo', PW);
  const bo = { cookie: s0.cookie, csrf: s0.csrf };
  // bo is not linked to a person yet
  assertProblem(await call('POST', `/api/v1/training/courses/${course.id}/attempts`, {}, bo), 400, 'bad-field', { field: 'person_id' });
  assertProblem(await call('POST', `/api/v1/training/courses/${course.id}/attempts`, { person_id: ids.bo }, bo), 403, 'forbidden');
  await ok('PUT', `/api/v1/training/users/${ids.boUser}/person`, { person_id: ids.bo }, 200, { bearer: d.tokens.trainer });
  const s = await d.login('bo', PW);
  const auth = { cookie: s.cookie, csrf: s.csrf };
  const a = await ok('POST', `/api/v1/training/courses/${course.id}/attempts`, {}, 201, auth);
  assert.equal(a.questions.length, 4);
  assert.equal(a.attempt_no, 1);
  for (const q of a.questions) assert.deepEqual(Object.keys(q).sort(), ['kind', 'n', 'options', 'text'], 'no answers, no explanations');
  assert.deepEqual(Object.keys(a).filter((k) => /correct|explan|perm|answer/.test(k)), []);
  // not someone else's record
  assertProblem(await call('POST', `/api/v1/training/courses/${course.id}/attempts`, { person_id: ids.cy }, auth), 403, 'forbidden');
  // resuming gives the same open attempt
  const again = await ok('POST', `/api/v1/training/courses/${course.id}/attempts`, {}, 200, auth);
  assert.equal(again.id, a.id);
  assert.equal(again.resumed, true);
  assertProblem(await call('POST', `/api/v1/training/attempts/${a.id}/submit`, { answers: [[0]] }, auth), 400, 'bad-field', { field: 'answers' });
  assertProblem(await call('POST', `/api/v1/training/attempts/${a.id}/submit`, { answers: [[0], [9], [0], [0]] }, auth), 400, 'bad-field', { field: 'answers[1]' });
  const res = await ok('POST', `/api/v1/training/attempts/${a.id}/submit`, { answers: answersFor(a, false) }, 200, auth);
  assert.equal(res.passed, false);
  assert.equal(res.score, 0);
  assert.equal(res.attempts_left, 0);
  assert.ok(res.questions.every((q) => q.explanation && q.correct.length >= 1 && q.right === false));
  assertProblem(await call('POST', `/api/v1/training/attempts/${a.id}/submit`, { answers: answersFor(a, true) }, auth), 409, 'conflict');
  assertProblem(await call('POST', `/api/v1/training/courses/${course.id}/attempts`, {}, auth), 409, 'conflict');
  await ok('POST', '/api/v1/training/enrolments', { person_id: ids.bo, course_id: course.id }, 201, { bearer: d.tokens.trainer });
  const b = await ok('POST', `/api/v1/training/courses/${course.id}/attempts`, {}, 201, auth);
  const pass = await ok('POST', `/api/v1/training/attempts/${b.id}/submit`, { answers: answersFor(b, true) }, 200, auth);
  assert.equal(pass.passed, true);
  assert.equal(pass.score, 100);
  assert.ok(pass.certificate.code);
});

test('passing the awareness quiz issues the qualification: the badge is granted, the certificate verifies', async () => {
  assert.equal(await decide(), 'qualification_missing');
  const s = await d.login('bo', PW);
  const auth = { cookie: s.cookie, csrf: s.csrf };
  const ev = await d.events('/api/v1/events?topics=training', { bearer: adm });
  try {
    const a = await ok('POST', `/api/v1/training/courses/${ids.pg325}/attempts`, {}, 201, auth);
    assert.equal(a.questions.length, 10);
    assert.equal(new Set(a.questions.map((q) => q.text)).size, 10, 'ten different questions');
    const res = await ok('POST', `/api/v1/training/attempts/${a.id}/submit`, { answers: answersFor(a, true) }, 200, auth);
    assert.equal(res.passed, true);
    const done = await ev.until((e) => e.json?.data?.action === 'training.complete' && e.json.data.person_id === ids.bo && e.json.data.course === 'PG-325');
    assert.equal(done.at(-1).json.data.qualification, 'security_awareness');
    assert.equal(await decide(), 'granted');
    const person = await ok('GET', `/api/v1/people/${ids.bo}`, undefined, 200);
    const q = person.qualifications.find((x) => x.name === 'security_awareness');
    assert.equal(q.issued_by, 'training PG-325');
    assert.equal(q.expires.slice(0, 10), res.certificate.expires_at.slice(0, 10));
    assert.ok(Date.parse(q.expires) > Date.now() + 700 * 86400000, 'valid for 24 months');
    const v = await fetch(`${d.base}/verify/${res.certificate.code.replaceAll('-', ' ').toLowerCase()}`);
    assert.equal(v.status, 200);
    const vj = await v.json();
    assert.deepEqual([vj.genuine, vj.current, vj.holder, vj.course.code], [true, true, 'Bo Berth', 'PG-325']);
    assertProblem(await d.api('GET', '/verify/not-a-code'), 400, 'bad-field', { field: 'code' });
    const fake = await d.api('GET', '/verify/ZZZZ-ZZZZ-ZZZZ-ZZZZ');
    assert.equal(fake.status, 200);
    assert.deepEqual(fake.json, { genuine: false, current: false, status: 'unknown', code: 'ZZZZ-ZZZZ-ZZZZ-ZZZZ' });
    const pdf = await fetch(`${d.base}/api/v1/training/certificates/${res.certificate.id}/pdf`, { headers: { cookie: s.cookie } });
    assert.equal(pdf.status, 200);
    assert.equal(pdf.headers.get('content-type'), 'application/pdf');
    assert.equal(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString(), '%PDF-');
    // the audit trail has the completion and the qualification in order
    const audit = await ok('GET', '/api/v1/audit?limit=20', undefined, 200);
    const actions = audit.items.map((x) => x.action);
    assert.ok(actions.indexOf('training.qualification.issue') < actions.indexOf('training.complete'), actions.join(','));
  } finally { ev.close(); }
});

test('a classroom session records date, duration, description, attendees and can complete a course', async () => {
  const pg324 = (await ok('GET', '/api/v1/training/courses', undefined, 200)).items.find((c) => c.code === 'PG-324-AC');
  assertProblem(await call('POST', '/api/v1/training/sessions', { held_at: 'yesterday', duration_minutes: 60, description: 'x', attendees: [ids.cy] }), 400, 'bad-field', { field: 'held_at' });
  assertProblem(await call('POST', '/api/v1/training/sessions', { held_at: ms(0), duration_minutes: 60, description: 'x', attendees: [999999] }), 422, 'unprocessable', { field: 'attendees[0]' });
  const s = await ok('POST', '/api/v1/training/sessions', {
    course_id: pg324.id, held_at: ms(0, -1), duration_minutes: 240, description: 'Gate procedures and ID checks',
    attendees: [ids.cy], completes_course: true, location: 'Training room 2',
  }, 201, { bearer: d.tokens.trainer });
  assert.deepEqual(s.attendees, [{ person_id: ids.cy, name: 'Cy Crane', completed: true }]);
  const rec = await ok('GET', `/api/v1/training/people/${ids.cy}/record`, undefined, 200, { bearer: d.tokens.aud });
  assert.equal(rec.sessions[0].description, 'Gate procedures and ID checks');
  assert.equal(rec.completions[0].course, 'PG-324-AC');
  assert.equal(rec.completions[0].session_id, s.id);
});

test('compliance: current, expiring and overdue per person, role and zone; CSV and PDF; reminders once', async () => {
  await ok('PUT', `/api/v1/training/people/${ids.cy}/roles`, { roles: ['gate_officer'] }, 200);
  // Cy's awareness: done 24 months less 10 days ago (expiring), an older cycle expired long ago
  await ok('POST', '/api/v1/training/sessions', { course_id: ids.pg325, held_at: ms(24, 10), duration_minutes: 90, description: 'Awareness', attendees: [ids.cy], completes_course: true }, 201);
  const c = await ok('GET', '/api/v1/training/compliance', undefined, 200, { bearer: d.tokens.aud });
  const row = (id, code) => c.items.find((p) => p.person_id === id)?.courses.find((x) => x.code === code);
  assert.equal(row(ids.bo, 'PG-325').status, 'current');
  assert.equal(row(ids.cy, 'PG-325').status, 'expiring');
  assert.equal(row(ids.cy, 'PG-324-AC').status, 'current');
  assert.match(row(ids.cy, 'PG-324-AC').required_by, /role gate_officer/);
  assert.match(row(ids.bo, 'PG-325').required_by, /all staff; zone Berth 9/);
  assert.equal(c.items.find((p) => p.person_id === ids.vi), undefined, 'visitors are not staff');
  assert.equal(c.summary.people, 2);
  assert.deepEqual(c.summary.by_role, [{ role: 'gate_officer', current: 1, expiring: 1, overdue: 0 }]);
  assert.deepEqual(c.summary.by_zone, [{ zone: 'Berth 9', current: 1, expiring: 0, overdue: 0 }]);
  const byRole = await ok('GET', '/api/v1/training/compliance?role=gate_officer', undefined, 200);
  assert.deepEqual(byRole.items.map((p) => p.person_id), [ids.cy]);
  const byZone = await ok('GET', `/api/v1/training/compliance?zone_id=${ids.zone}`, undefined, 200);
  assert.deepEqual(byZone.items.map((p) => p.person_id), [ids.bo]);
  const expiring = await ok('GET', '/api/v1/training/compliance?status=expiring', undefined, 200);
  assert.deepEqual(expiring.items.map((p) => [p.person_id, p.courses.map((x) => x.code)]), [[ids.cy, ['PG-325']]]);
  assertProblem(await call('GET', '/api/v1/training/compliance?status=late'), 400, 'bad-field', { field: 'status' });
  const page1 = await ok('GET', '/api/v1/training/compliance?limit=1', undefined, 200);
  assert.equal(page1.items.length, 1);
  const page2 = await ok('GET', `/api/v1/training/compliance?limit=1&after=${page1.next}`, undefined, 200);
  assert.equal(page2.summary, null);
  assert.notEqual(page2.items[0].person_id, page1.items[0].person_id);

  const csv = await fetch(`${d.base}/api/v1/training/compliance.csv`, { headers: { authorization: `Bearer ${adm}` } });
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get('content-type'), /^text\/csv/);
  const lines = (await csv.text()).trim().split('\r\n');
  assert.match(lines[0], /^person_id,first_name,last_name,kind,employer,roles,course,/);
  assert.ok(lines.some((l) => /^\d+,Cy,Crane,contractor,,gate_officer,PG-325,.*,expiring,/.test(l)), lines.join('\n'));
  const pdf = await fetch(`${d.base}/api/v1/training/compliance.pdf`, { headers: { authorization: `Bearer ${adm}` } });
  assert.equal(pdf.status, 200);
  assert.equal(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString(), '%PDF-');

  const ev = await d.events('/api/v1/events?topics=training', { bearer: adm });
  try {
    const sent = await ok('POST', '/api/v1/training/reminders/run', undefined, 200);
    assert.ok(sent.sent >= 1, JSON.stringify(sent));
    const got = await ev.until((e) => e.json?.data?.action === 'expiring' && e.json.data.person_id === ids.cy);
    assert.equal(got.at(-1).json.data.course, 'PG-325');
    assert.equal((await ok('POST', '/api/v1/training/reminders/run', undefined, 200)).sent, 0, 'once per person, course and threshold');
  } finally { ev.close(); }
});

test('an expired qualification closes the zone again with qualification_expired', async () => {
  // a person whose only awareness course lapsed a month ago
  const p = (await ok('POST', '/api/v1/people', { kind: 'employee', first_name: 'Ed', last_name: 'Expired' }, 201)).id;
  await ok('POST', `/api/v1/people/${p}/credentials`, { uid: 'EDEDEDED' }, 201);
  const groups = await ok('GET', '/api/v1/access-groups', undefined, 200);
  const r = await call('PUT', `/api/v1/people/${p}/groups/${groups.items[0].id}`, {});
  assert.ok(r.status < 300, r.text);
  await ok('POST', '/api/v1/training/sessions', { course_id: ids.pg325, held_at: ms(25), duration_minutes: 90, description: 'Awareness', attendees: [p], completes_course: true }, 201);
  const dec = await ok('POST', '/api/v1/access/decide', { reader_id: ids.door, credential: 'EDEDEDED' }, 200, { bearer: d.tokens.gate });
  assert.equal(dec.reason, 'qualification_expired');
  const c = await ok('GET', `/api/v1/training/compliance?status=overdue`, undefined, 200);
  assert.ok(c.items.some((x) => x.person_id === p));
  const sent = await ok('POST', '/api/v1/training/reminders/run', undefined, 200);
  assert.equal(sent.sent, 1, 'one expired reminder');
});

test('the CLI loads a pack (all or nothing) and prints the compliance CSV', async () => {
  const dir = fs.mkdtempSync(path.join(repoRoot, 'build', 'training-cli-'));
  try {
    const good = path.join(dir, 'good.json');
    fs.writeFileSync(good, JSON.stringify({
      format: 'portguard-training/1', topic: 'cyber_security',
      questions: [{ ref: 'cli-1', kind: 'true_false', text: 'A found USB stick is safe to plug in.', correct: [1], explanation: 'It may carry malware.' }],
    }));
    const bad = path.join(dir, 'bad.json');
    fs.writeFileSync(bad, JSON.stringify({
      format: 'portguard-training/1', topic: 'cyber_security',
      questions: [{ ref: 'cli-2', kind: 'single', text: 'Q?', options: ['a', 'b'], correct: [0], explanation: 'E' },
        { ref: 'cli-3', kind: 'single', text: 'Q?', options: ['a'], correct: [0], explanation: 'E' }],
    }));
    const r = await d.run(['training', 'import', good, '--data', d.dataDir]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /1 questions.*1 rows new/);
    const b = await d.run(['training', 'import', bad, '--data', d.dataDir]);
    assert.equal(b.code, 1);
    assert.match(b.stderr, /questions\[1\]\.options: .*nothing was imported/);
    const qs = await ok('GET', '/api/v1/training/questions?topic=cyber_security&limit=500', undefined, 200);
    const refs = qs.items.map((q) => q.ref);
    assert.ok(refs.includes('cli-1') && !refs.includes('cli-2'), refs.join(','));
    const c = await d.run(['training', 'compliance', '--status', 'overdue', '--data', d.dataDir]);
    assert.equal(c.code, 0, c.stderr);
    const lines = c.stdout.trim().split('\r\n');
    assert.match(lines[0], /^person_id,/);
    assert.ok(lines.slice(1).every((l) => l.includes(',overdue,')), c.stdout);
  } finally { fs.rmSync(dir, { recursive: true, force: true }); }
});

test('the matrix, a new question, records, attempts, sessions and user links answer as documented', async () => {
  // the PFSO's matrix: add a requirement for crew, then put the defaults back
  const before = (await ok('GET', '/api/v1/training/requirements', undefined, 200)).items;
  const rows = before.map((r) => ({ course_id: r.course_id, applies_to: r.applies_to, value: r.value }));
  const cyber = (await ok('GET', '/api/v1/training/courses', undefined, 200)).items.find((c) => c.code === 'PG-CY');
  const m = await ok('PUT', '/api/v1/training/requirements', { items: [...rows, { course_id: cyber.id, applies_to: 'kind', value: 'crew' }] }, 200);
  assert.equal(m.items.length, before.length + 1);
  assert.ok(m.items.some((r) => r.course === 'PG-CY' && r.applies_to === 'kind' && r.value === 'crew'));
  assertProblem(await call('PUT', '/api/v1/training/requirements', { items: [{ course_id: 999999, applies_to: 'all_staff' }] }), 422, 'unprocessable', { field: 'items[0]' });
  assert.equal((await ok('PUT', '/api/v1/training/requirements', { items: rows }, 200)).items.length, before.length);

  // a trainer adds a question; it joins the bank
  const q = await ok('POST', '/api/v1/training/questions', {
    ref: 'cy-local-1', topic: 'cyber_security', kind: 'multiple', text: 'Which of these are signs of phishing? (Select all that apply.)',
    options: ['Urgent payment requests', 'A look-alike sender address', 'A message you expected from a known colleague'],
    correct: [0, 1], explanation: 'Urgency and spoofed senders are classic signs.',
  }, 201, { bearer: d.tokens.trainer });
  assert.deepEqual([q.ref, q.kind, q.correct], ['cy-local-1', 'multiple', [0, 1]]);

  // the caller's own record, an attempt by id, the attempts list and the sessions list
  const s = await d.login('bo', PW);
  const me = await ok('GET', '/api/v1/training/me', undefined, 200, { cookie: s.cookie });
  assert.equal(me.record.person.id, ids.bo);
  assert.ok(me.record.completions.some((c) => c.course === 'PG-325'));
  const att = me.record.attempts[0];
  const one = await ok('GET', `/api/v1/training/attempts/${att.id}`, undefined, 200, { cookie: s.cookie });
  assert.equal(one.person, 'Bo Berth');
  assert.equal(one.questions, undefined);
  assertProblem(await call('GET', '/api/v1/training/attempts', undefined, { cookie: s.cookie }), 403, 'forbidden');
  const list = await ok('GET', `/api/v1/training/attempts?person_id=${ids.bo}`, undefined, 200, { bearer: d.tokens.aud });
  assert.ok(list.items.length >= 3 && list.items.every((a) => a.person_id === ids.bo));
  assert.ok(list.by_course.some((b) => b.course === 'PG-325' && b.passed >= 1));
  const sessions = await ok('GET', '/api/v1/training/sessions', undefined, 200, { bearer: d.tokens.aud });
  assert.ok(sessions.items.some((x) => x.description === 'Gate procedures and ID checks' && x.attendees[0].name === 'Cy Crane'));

  // unlinking: the user then has no record of their own
  await ok('DELETE', `/api/v1/training/users/${ids.boUser}/person`, undefined, 204);
  assertProblem(await call('DELETE', `/api/v1/training/users/${ids.boUser}/person`), 404, 'not-found');
  const me2 = await ok('GET', '/api/v1/training/me', undefined, 200, { cookie: s.cookie });
  assert.equal(me2.record, null);
  assertProblem(await call('GET', `/api/v1/training/attempts/${att.id}`, undefined, { cookie: s.cookie }), 403, 'forbidden');
});
