// Console sessions: cookie, CSRF, logout and login lockout.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startDaemon, assertProblem, listAll, setCookies } from './lib/daemon.mjs';

const OTHER_PW = 'other-password-4567';
const LOCK_PW = 'lockme-password-8910';
let d;
let adminBearer;

before(async () => {
  d = await startDaemon({
    tokens: [{ name: 'it-admin', role: 'admin' }],
    users: [
      { name: 'lockme', role: 'operator', password: LOCK_PW },
      { name: 'other', role: 'operator', password: OTHER_PW },
    ],
  });
  adminBearer = { bearer: d.tokens['it-admin'] };
});

after(async () => { await d?.cleanup(); });

test('login answers the user and a CSRF token and sets an HttpOnly SameSite=Strict cookie', async () => {
  const r = await d.api('POST', '/api/v1/session', { body: { username: 'admin', password: d.adminPassword } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.user.username, 'admin');
  assert.equal(r.json.user.role, 'admin');
  assert.ok(r.json.user.id !== undefined && r.json.user.id !== null, 'user.id present');
  assert.equal(typeof r.json.csrf_token, 'string');
  assert.ok(r.json.csrf_token.length >= 16, `csrf token long enough: ${r.json.csrf_token}`);
  assert.ok(Date.parse(r.json.expires_at) > Date.now(), `expires_at in the future: ${r.json.expires_at}`);
  assert.match(r.json.expires_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/, 'RFC 3339 UTC');

  const c = setCookies(r.headers).find((x) => x.startsWith('pg_session='));
  assert.ok(c, `pg_session cookie set: ${setCookies(r.headers)}`);
  assert.match(c, /^pg_session=[^;\s]{16,}/, 'session id is not trivially short');
  assert.match(c, /;\s*HttpOnly\b/i);
  assert.match(c, /;\s*SameSite=Strict\b/i);
  assert.match(c, /;\s*Path=\/(;|$)/i);
  assert.ok(!c.includes(d.adminPassword), 'cookie does not carry the password');
});

test('wrong password is 401 unauthorized and sets no session cookie', async () => {
  const r = await d.api('POST', '/api/v1/session', { body: { username: 'admin', password: 'not-the-password' } });
  assertProblem(r, 401, 'unauthorized');
  assert.equal(setCookies(r.headers).filter((x) => /^pg_session=[^;]+/.test(x) && !/max-age=0/i.test(x)).length, 0);
  const unknown = await d.api('POST', '/api/v1/session', { body: { username: 'nobody-here', password: 'whatever-password' } });
  assertProblem(unknown, 401, 'unauthorized');
});

test('/me works with the session cookie and logout (204) ends the session', async () => {
  const s = await d.login('admin', d.adminPassword);
  const me = await d.api('GET', '/api/v1/me', { cookie: s.cookie });
  assert.equal(me.status, 200, me.text);
  assert.equal(me.json.username, 'admin');
  assert.equal(me.json.role, 'admin');
  assert.equal(me.json.kind, 'user');

  const noCsrf = await d.api('DELETE', '/api/v1/session', { cookie: s.cookie });
  assertProblem(noCsrf, 403, 'csrf');
  assert.equal((await d.api('GET', '/api/v1/me', { cookie: s.cookie })).status, 200,
    'a refused logout leaves the session alive');

  const out = await d.api('DELETE', '/api/v1/session', { cookie: s.cookie, csrf: s.csrf });
  assert.equal(out.status, 204, out.text);
  assert.equal(out.text, '', '204 has no body');

  const after = await d.api('GET', '/api/v1/me', { cookie: s.cookie });
  assertProblem(after, 401, 'unauthorized');
});

test('logout ends only its own session', async () => {
  const a = await d.login('admin', d.adminPassword);
  const b = await d.login('admin', d.adminPassword);
  assert.notEqual(a.cookie, b.cookie, 'each login gets its own session');
  const out = await d.api('DELETE', '/api/v1/session', { cookie: a.cookie, csrf: a.csrf });
  assert.equal(out.status, 204, out.text);
  assert.equal((await d.api('GET', '/api/v1/me', { cookie: a.cookie })).status, 401);
  assert.equal((await d.api('GET', '/api/v1/me', { cookie: b.cookie })).status, 200);
});

test('a forged session cookie is 401', async () => {
  const r = await d.api('GET', '/api/v1/me', { cookie: 'pg_session=0123456789abcdef0123456789abcdef' });
  assertProblem(r, 401, 'unauthorized');
});

test('CSRF: cookie POST without or with a wrong X-CSRF-Token is 403 csrf and changes nothing', async () => {
  const s = await d.login('admin', d.adminPassword);
  const other = await d.login('admin', d.adminPassword);
  const body = (name) => ({ username: name, role: 'operator', password: 'csrf-password-1234' });

  assertProblem(await d.api('POST', '/api/v1/users', { cookie: s.cookie, body: body('csrf1') }), 403, 'csrf');
  assertProblem(await d.api('POST', '/api/v1/users', { cookie: s.cookie, csrf: 'wrong-token', body: body('csrf2') }),
    403, 'csrf');
  assertProblem(await d.api('POST', '/api/v1/users', { cookie: s.cookie, csrf: other.csrf, body: body('csrf3') }),
    403, 'csrf', {});

  const { items } = await listAll(d, '/api/v1/users', adminBearer);
  const names = items.map((u) => u.username);
  for (const n of ['csrf1', 'csrf2', 'csrf3']) assert.ok(!names.includes(n), `${n} must not have been created`);

  const ok = await d.api('POST', '/api/v1/users', { cookie: s.cookie, csrf: s.csrf, body: body('csrf4') });
  assert.equal(ok.status, 201, ok.text);
  assert.equal(ok.json.username, 'csrf4');
});

test('CSRF: cookie PATCH and DELETE without X-CSRF-Token are 403 csrf too', async () => {
  const s = await d.login('admin', d.adminPassword);
  const u = await d.api('POST', '/api/v1/users', {
    ...adminBearer, body: { username: 'csrf6', role: 'operator', password: 'csrf-password-1234' },
  });
  assert.equal(u.status, 201, u.text);
  const t = await d.api('POST', '/api/v1/tokens', { ...adminBearer, body: { name: 'csrf-t', role: 'device' } });
  assert.equal(t.status, 201, t.text);

  assertProblem(await d.api('PATCH', `/api/v1/users/${u.json.id}`, { cookie: s.cookie, body: { role: 'admin' } }),
    403, 'csrf');
  assertProblem(await d.api('DELETE', `/api/v1/tokens/${t.json.id}`, { cookie: s.cookie }), 403, 'csrf');
  const list = await listAll(d, '/api/v1/users', adminBearer);
  assert.equal(list.items.find((x) => x.username === 'csrf6').role, 'operator', 'the refused PATCH changed nothing');
  assert.equal((await d.api('GET', '/api/v1/me', { bearer: t.json.token })).status, 200, 'the refused DELETE revoked nothing');

  const ok = await d.api('PATCH', `/api/v1/users/${u.json.id}`, { cookie: s.cookie, csrf: s.csrf, body: { role: 'gate' } });
  assert.equal(ok.status, 200, ok.text);
});

test('CSRF: a bearer token needs no X-CSRF-Token', async () => {
  const r = await d.api('POST', '/api/v1/users', {
    ...adminBearer, body: { username: 'csrf5', role: 'operator', password: 'csrf-password-1234' },
  });
  assert.equal(r.status, 201, r.text);
});

test('lockout: 5 wrong passwords lock the account (429 locked with Retry-After), others unaffected, audited', async () => {
  for (let i = 1; i <= 5; i++) {
    const r = await d.api('POST', '/api/v1/session', { body: { username: 'lockme', password: `wrong-password-${i}` } });
    assertProblem(r, 401, 'unauthorized');
  }
  const locked = await d.api('POST', '/api/v1/session', { body: { username: 'lockme', password: LOCK_PW } });
  assertProblem(locked, 429, 'locked');
  assert.equal(setCookies(locked.headers).filter((x) => /^pg_session=[^;]+/.test(x)).length, 0,
    'a locked login sets no session');
  const ra = locked.headers.get('retry-after');
  assert.match(ra ?? '', /^\d+$/, `Retry-After is seconds: ${ra}`);
  assert.ok(Number(ra) > 0 && Number(ra) <= 15 * 60, `Retry-After within 15 minutes: ${ra}`);

  // Still locked on the next attempt, right password or not.
  assertProblem(await d.api('POST', '/api/v1/session', { body: { username: 'lockme', password: LOCK_PW } }),
    429, 'locked');

  // Another user is not affected.
  const o = await d.login('other', OTHER_PW);
  const me = await d.api('GET', '/api/v1/me', { cookie: o.cookie });
  assert.equal(me.status, 200);
  assert.equal(me.json.username, 'other');

  // The lockout is in the audit list.
  const { items } = await listAll(d, '/api/v1/audit', adminBearer);
  const hit = items.find((a) => /lock/i.test(a.action) &&
    JSON.stringify([a.object, a.details, a.actor]).includes('lockme'));
  assert.ok(hit, `an audit record of the lockout of lockme; actions seen: ${[...new Set(items.map((a) => a.action))]}`);
});

test('four wrong passwords do not lock; a success then works', async () => {
  for (let i = 1; i <= 4; i++) {
    const r = await d.api('POST', '/api/v1/session', { body: { username: 'other', password: `wrong-password-${i}` } });
    assertProblem(r, 401, 'unauthorized');
  }
  const s = await d.login('other', OTHER_PW);
  assert.ok(s.cookie);
});
