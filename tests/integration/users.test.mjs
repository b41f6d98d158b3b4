// User administration: create, conflicts and validation, paging, role change, disable.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startDaemon, assertProblem, listAll } from './lib/daemon.mjs';

let d;
let auth;
const PW = 'user-password-2468';

before(async () => {
  d = await startDaemon({ tokens: [{ name: 'it-admin', role: 'admin' }] });
  auth = { bearer: d.tokens['it-admin'] };
});

after(async () => { await d?.cleanup(); });

const create = (body) => d.api('POST', '/api/v1/users', { ...auth, body });

test('create answers 201 with the user and never the password', async () => {
  const r = await create({ username: 'alice', role: 'gate', password: PW });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.username, 'alice');
  assert.equal(r.json.role, 'gate');
  assert.equal(r.json.disabled, false);
  assert.ok(r.json.id !== undefined && r.json.id !== null);
  assert.ok(Date.parse(r.json.created_at) > 0, `created_at: ${r.json.created_at}`);
  assert.ok(!r.text.includes(PW), 'the password is not echoed');
  assert.ok(!Object.keys(r.json).some((k) => /pass|hash/i.test(k)), `no password fields: ${r.text}`);

  const s = await d.login('alice', PW);
  const me = await d.api('GET', '/api/v1/me', { cookie: s.cookie });
  assert.equal(me.json.role, 'gate');
  assert.equal(String(me.json.id), String(r.json.id));
});

test('duplicate username is 409 conflict', async () => {
  assert.equal((await create({ username: 'bob', role: 'operator', password: PW })).status, 201);
  assertProblem(await create({ username: 'bob', role: 'auditor', password: PW }), 409, 'conflict');
});

test('unknown role and weak password are 422 unprocessable', async () => {
  assertProblem(await create({ username: 'carol', role: 'captain', password: PW }), 422, 'unprocessable');
  assertProblem(await create({ username: 'carol', role: 'operator', password: 'short' }), 422, 'unprocessable');
  const list = await listAll(d, '/api/v1/users', auth);
  assert.ok(!list.items.some((u) => u.username === 'carol'), 'nothing was created');
});

test('missing, mistyped or unknown fields are 400 bad-field naming the field', async () => {
  assertProblem(await create({ username: 'dave', role: 'operator' }), 400, 'bad-field', { field: 'password' });
  assertProblem(await create({ role: 'operator', password: PW }), 400, 'bad-field', { field: 'username' });
  assertProblem(await create({ username: 42, role: 'operator', password: PW }), 400, 'bad-field', { field: 'username' });
  assertProblem(await create({ username: 'dave', role: 'operator', password: PW, shoe_size: 44 }), 400, 'bad-field',
    { field: 'shoe_size' });
  assertProblem(await create({ username: 'x'.repeat(10_000), role: 'operator', password: PW }), 400, 'bad-field',
    { field: 'username' });
});

test('list with limit=1 follows next through every user exactly once', async () => {
  for (const n of ['page1', 'page2', 'page3']) {
    assert.equal((await create({ username: n, role: 'trainer', password: PW })).status, 201);
  }
  const all = await listAll(d, '/api/v1/users', auth, { limit: 500 });
  const paged = await listAll(d, '/api/v1/users', auth, { limit: 1 });
  assert.ok(paged.pages.every((p) => p.length <= 1), 'no page exceeds the limit');
  const names = paged.items.map((u) => u.username);
  assert.equal(new Set(names).size, names.length, `no duplicates: ${names}`);
  assert.deepEqual([...names].sort(), all.items.map((u) => u.username).sort());
  for (const n of ['admin', 'alice', 'bob', 'page1', 'page2', 'page3']) assert.ok(names.includes(n), `${n} in ${names}`);
  assert.ok(paged.pages.length >= names.length, 'paged one at a time');
  for (const u of all.items) {
    for (const k of ['id', 'username', 'role', 'disabled', 'created_at']) assert.ok(k in u, `${k} in ${JSON.stringify(u)}`);
  }
});

test('list rejects a bad limit or cursor with 400 bad-field', async () => {
  assertProblem(await d.api('GET', '/api/v1/users?limit=0', auth), 400, 'bad-field');
  assertProblem(await d.api('GET', '/api/v1/users?limit=501', auth), 400, 'bad-field');
  assertProblem(await d.api('GET', '/api/v1/users?limit=abc', auth), 400, 'bad-field');
  const def = await d.api('GET', '/api/v1/users', auth);
  assert.equal(def.status, 200);
  const max = await d.api('GET', '/api/v1/users?limit=500', auth);
  assert.equal(max.status, 200);
});

test('PATCH changes the role; the user sees it on /me', async () => {
  const c = await create({ username: 'erin', role: 'operator', password: PW });
  assert.equal(c.status, 201);
  const p = await d.api('PATCH', `/api/v1/users/${c.json.id}`, { ...auth, body: { role: 'pfso' } });
  assert.equal(p.status, 200, p.text);
  assert.equal(p.json.role, 'pfso');
  assert.equal(p.json.username, 'erin');
  const s = await d.login('erin', PW);
  assert.equal((await d.api('GET', '/api/v1/me', { cookie: s.cookie })).json.role, 'pfso');
  const list = await listAll(d, '/api/v1/users', auth);
  assert.equal(list.items.find((u) => u.username === 'erin').role, 'pfso');
  assertProblem(await d.api('PATCH', `/api/v1/users/${c.json.id}`, { ...auth, body: { role: 'captain' } }),
    422, 'unprocessable');
  assertProblem(await d.api('PATCH', `/api/v1/users/${c.json.id}`, { ...auth, body: { disabled: 'yes' } }),
    400, 'bad-field', { field: 'disabled' });
});

test('PATCH disabled=true stops the user logging in; re-enabling lets them back', async () => {
  const c = await create({ username: 'frank', role: 'inspector', password: PW });
  assert.equal(c.status, 201);
  await d.login('frank', PW);
  const p = await d.api('PATCH', `/api/v1/users/${c.json.id}`, { ...auth, body: { disabled: true } });
  assert.equal(p.status, 200, p.text);
  assert.equal(p.json.disabled, true);
  const r = await d.api('POST', '/api/v1/session', { body: { username: 'frank', password: PW } });
  assert.ok(r.status === 401 || r.status === 403, `disabled user cannot log in: ${r.status} ${r.text}`);
  assert.equal(r.headers.get('content-type')?.split(';')[0], 'application/problem+json');

  const e = await d.api('PATCH', `/api/v1/users/${c.json.id}`, { ...auth, body: { disabled: false } });
  assert.equal(e.status, 200, e.text);
  await d.login('frank', PW);
});

test('PATCH an unknown user is 404 not-found', async () => {
  assertProblem(await d.api('PATCH', '/api/v1/users/987654', { ...auth, body: { role: 'operator' } }), 404, 'not-found');
});
