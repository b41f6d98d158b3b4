// Bearer tokens: made by the API and by the CLI, used, listed without the secret, revoked.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startDaemon, assertProblem, listAll } from './lib/daemon.mjs';

let d;
let admin;

before(async () => {
  d = await startDaemon({ tokens: [{ name: 'cli-op', role: 'operator' }, { name: 'cli-admin', role: 'admin' }] });
  admin = await d.login('admin', d.adminPassword);
});

after(async () => { await d?.cleanup(); });

test('a token created with the CLI authenticates as a token of its role', async () => {
  const t = d.tokens['cli-op'];
  assert.ok(t.length >= 20, `token looks random enough: ${t}`);
  const me = await d.api('GET', '/api/v1/me', { bearer: t });
  assert.equal(me.status, 200, me.text);
  assert.equal(me.json.kind, 'token');
  assert.equal(me.json.role, 'operator');
  assertProblem(await d.api('GET', '/api/v1/users', { bearer: t }), 403, 'forbidden');
  const ad = await d.api('GET', '/api/v1/users', { bearer: d.tokens['cli-admin'] });
  assert.equal(ad.status, 200, ad.text);
});

test('admin creates a token (201, shown once), it works, DELETE revokes it (204), then 401', async () => {
  const c = await d.api('POST', '/api/v1/tokens', {
    cookie: admin.cookie, csrf: admin.csrf, body: { name: 'gate-reader-1', role: 'device' },
  });
  assert.equal(c.status, 201, c.text);
  for (const k of ['id', 'name', 'role', 'token']) assert.ok(k in c.json, `${k} in ${c.text}`);
  assert.equal(c.json.name, 'gate-reader-1');
  assert.equal(c.json.role, 'device');
  const { id, token } = c.json;
  assert.equal(typeof token, 'string');
  assert.ok(token.length >= 20, `token: ${token}`);

  const me = await d.api('GET', '/api/v1/me', { bearer: token });
  assert.equal(me.status, 200, me.text);
  assert.equal(me.json.kind, 'token');
  assert.equal(me.json.role, 'device');

  const list = await listAll(d, '/api/v1/tokens', { cookie: admin.cookie });
  const row = list.items.find((x) => String(x.id) === String(id));
  assert.ok(row, `token ${id} listed`);
  for (const k of ['id', 'name', 'role', 'created_at', 'revoked_at']) assert.ok(k in row, `${k} in ${JSON.stringify(row)}`);
  assert.equal(row.revoked_at, null);
  assert.ok(!JSON.stringify(list.items).includes(token), 'the list never shows a token secret');
  assert.ok(!JSON.stringify(list.items).includes(d.tokens['cli-op']), 'nor a CLI-made one');

  const del = await d.api('DELETE', `/api/v1/tokens/${encodeURIComponent(id)}`, { cookie: admin.cookie, csrf: admin.csrf });
  assert.equal(del.status, 204, del.text);

  assertProblem(await d.api('GET', '/api/v1/me', { bearer: token }), 401, 'unauthorized');

  const after = await listAll(d, '/api/v1/tokens', { cookie: admin.cookie });
  const revoked = after.items.find((x) => String(x.id) === String(id));
  assert.ok(revoked, 'a revoked token stays listed');
  assert.ok(Date.parse(revoked.revoked_at) > 0, `revoked_at set: ${JSON.stringify(revoked)}`);
});

test('a revoked CLI token stops working too', async () => {
  const bearer = d.tokens['cli-admin'];
  const c = await d.api('POST', '/api/v1/tokens', { bearer, body: { name: 'short-lived', role: 'admin' } });
  assert.equal(c.status, 201, c.text);
  const list = await listAll(d, '/api/v1/tokens', { bearer });
  const cliOp = list.items.find((x) => x.name === 'cli-op');
  assert.ok(cliOp, 'CLI-made token is listed');
  const del = await d.api('DELETE', `/api/v1/tokens/${encodeURIComponent(cliOp.id)}`, { bearer: c.json.token });
  assert.equal(del.status, 204, del.text);
  assertProblem(await d.api('GET', '/api/v1/me', { bearer: d.tokens['cli-op'] }), 401, 'unauthorized');
});

test('token creation validates: unknown role 422, missing name 400 bad-field, unknown id 404', async () => {
  const bearer = d.tokens['cli-admin'];
  assertProblem(await d.api('POST', '/api/v1/tokens', { bearer, body: { name: 'x', role: 'captain' } }), 422, 'unprocessable');
  assertProblem(await d.api('POST', '/api/v1/tokens', { bearer, body: { role: 'device' } }), 400, 'bad-field', { field: 'name' });
  assertProblem(await d.api('DELETE', '/api/v1/tokens/987654', { bearer }), 404, 'not-found');
});
