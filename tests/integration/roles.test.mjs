// Authentication (401) versus authorisation (403), and the per-role console nav.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startDaemon, assertProblem, listAll } from './lib/daemon.mjs';

const PW = { operator: 'operator-password-1', auditor: 'auditor-password-1' };
let d;
let op; // operator session
let au; // auditor session

before(async () => {
  d = await startDaemon({
    users: [
      { name: 'op1', role: 'operator', password: PW.operator },
      { name: 'au1', role: 'auditor', password: PW.auditor },
    ],
  });
  op = await d.login('op1', PW.operator);
  au = await d.login('au1', PW.auditor);
});

after(async () => { await d?.cleanup(); });

test('no credentials: 401 unauthorized on every non-public route', async () => {
  for (const [m, p] of [
    ['GET', '/api/v1/me'], ['GET', '/api/v1/users'], ['GET', '/api/v1/tokens'],
    ['GET', '/api/v1/audit'], ['GET', '/api/v1/events'], ['DELETE', '/api/v1/session'],
  ]) {
    const r = await d.api(m, p, { headers: { Accept: 'application/json' } });
    assertProblem(r, 401, 'unauthorized');
  }
  const post = await d.api('POST', '/api/v1/users', { body: { username: 'x1', role: 'operator', password: 'long-enough-pass' } });
  assertProblem(post, 401, 'unauthorized');
});

test('an invalid bearer token is 401', async () => {
  const r = await d.api('GET', '/api/v1/me', { bearer: 'pgt_not_a_real_token_0123456789' });
  assertProblem(r, 401, 'unauthorized');
});

test('operator may not list users, tokens or audit: 403 forbidden', async () => {
  assertProblem(await d.api('GET', '/api/v1/users', { cookie: op.cookie }), 403, 'forbidden');
  assertProblem(await d.api('GET', '/api/v1/tokens', { cookie: op.cookie }), 403, 'forbidden');
  assertProblem(await d.api('GET', '/api/v1/audit', { cookie: op.cookie }), 403, 'forbidden');
});

test('auditor may not create users (403 forbidden, not csrf) but may read the audit list', async () => {
  const r = await d.api('POST', '/api/v1/users', {
    cookie: au.cookie, csrf: au.csrf,
    body: { username: 'made-by-auditor', role: 'admin', password: 'long-enough-pass' },
  });
  assertProblem(r, 403, 'forbidden');

  const a = await d.api('GET', '/api/v1/audit', { cookie: au.cookie });
  assert.equal(a.status, 200, a.text);
  assert.ok(Array.isArray(a.json.items));
  assert.ok(a.json.items.length > 0, 'logins and user creation left audit records');
  for (const it of a.json.items) {
    for (const k of ['seq', 'at', 'actor', 'action', 'object', 'details']) assert.ok(k in it, `${k} in ${JSON.stringify(it)}`);
  }
  const seqs = a.json.items.map((x) => Number(x.seq));
  for (let i = 1; i < seqs.length; i++) assert.ok(seqs[i] < seqs[i - 1], `newest first: ${seqs}`);

  // The refused attempt created nothing.
  const admin = await d.login('admin', d.adminPassword);
  const users = await d.api('GET', '/api/v1/users?limit=500', { cookie: admin.cookie });
  assert.equal(users.status, 200);
  assert.ok(!users.json.items.some((u) => u.username === 'made-by-auditor'));
});

test('/me nav follows the role: admin sees users, tokens, audit; auditor audit only; operator neither', async () => {
  const admin = await d.login('admin', d.adminPassword);
  const nav = async (s) => {
    const r = await d.api('GET', '/api/v1/me', { cookie: s.cookie });
    assert.equal(r.status, 200, r.text);
    for (const n of r.json.nav) {
      for (const k of ['id', 'title', 'path']) assert.equal(typeof n[k], 'string', `${k} in ${JSON.stringify(n)}`);
    }
    return r.json.nav.map((n) => n.id);
  };
  const a = await nav(admin);
  const foundation = a.filter((x) => ['overview', 'users', 'tokens', 'audit'].includes(x));
  assert.deepEqual(foundation, ['overview', 'users', 'tokens', 'audit'], `admin nav in order: ${a}`);

  const u = await nav(au);
  assert.ok(u.includes('overview') && u.includes('audit'), `auditor nav: ${u}`);
  assert.ok(!u.includes('users') && !u.includes('tokens'), `auditor nav: ${u}`);

  const o = await nav(op);
  assert.ok(o.includes('overview'), `operator nav: ${o}`);
  assert.ok(!o.includes('users') && !o.includes('tokens') && !o.includes('audit'), `operator nav: ${o}`);
});

test('the audit list pages newest first through every record', async () => {
  const all = await listAll(d, '/api/v1/audit', { cookie: au.cookie }, { limit: 500 });
  const paged = await listAll(d, '/api/v1/audit', { cookie: au.cookie }, { limit: 2 });
  assert.ok(paged.pages.every((p) => p.length <= 2));
  const seqs = paged.items.map((x) => Number(x.seq));
  for (let i = 1; i < seqs.length; i++) assert.ok(seqs[i] < seqs[i - 1], `newest first across pages: ${seqs}`);
  // Reading the list may itself be audited, so the paged walk can only have grown at the top.
  const allSeqs = all.items.map((x) => Number(x.seq));
  assert.deepEqual(seqs.filter((s) => s <= allSeqs[0]), allSeqs);
});
