// The audit hash chain: `portguard audit verify` passes untouched and names the first
// bad record after a hand edit, a deletion or a reordering. Each case on a fresh store.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { startDaemon, run, removeTempDir } from './lib/daemon.mjs';

const DROP = 'DROP TRIGGER IF EXISTS audit_no_update; DROP TRIGGER IF EXISTS audit_no_delete;';

function sql(dataDir, stmt) {
  const r = spawnSync('sqlite3', ['-batch', path.join(dataDir, 'portguard.db'), stmt], { encoding: 'utf8' });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function sqlOk(dataDir, stmt) {
  const r = sql(dataDir, stmt);
  assert.equal(r.code, 0, `sqlite3 ${stmt}: ${r.stderr}`);
  return r.stdout;
}

const seqs = (dataDir) => sqlOk(dataDir, 'SELECT seq FROM audit ORDER BY seq;').split('\n').filter(Boolean).map(Number);

// A store with some audited activity, daemon stopped. Returns its data dir.
async function storeWithActivity() {
  const d = await startDaemon();
  const s = await d.login('admin', d.adminPassword);
  for (const n of ['aud1', 'aud2', 'aud3']) {
    const r = await d.api('POST', '/api/v1/users', {
      cookie: s.cookie, csrf: s.csrf, body: { username: n, role: 'operator', password: 'audit-password-12' },
    });
    assert.equal(r.status, 201, r.text);
  }
  await d.api('POST', '/api/v1/session', { body: { username: 'aud1', password: 'wrong-password-zz' } });
  const t = await d.api('POST', '/api/v1/tokens', { cookie: s.cookie, csrf: s.csrf, body: { name: 'aud-t', role: 'device' } });
  assert.equal(t.status, 201, t.text);
  assert.equal((await d.api('DELETE', '/api/v1/session', { cookie: s.cookie, csrf: s.csrf })).status, 204);
  assert.equal(await d.stop(), 0, `clean stop: ${JSON.stringify(d.lastExit)}`);
  const all = seqs(d.dataDir);
  assert.ok(all.length >= 6, `the activity left audit records: ${all}`);
  return d.dataDir;
}

const verify = (dataDir) => run(['audit', 'verify', '--data', dataDir]);

function assertBrokenAt(r, seq) {
  const out = r.stdout + r.stderr;
  assert.equal(r.code, 1, `audit verify exits 1 on a broken chain: ${out}`);
  assert.match(out, /broken/i, out);
  assert.match(out, new RegExp(`record ${seq}\\b`), `names record ${seq}: ${out}`);
  assert.doesNotMatch(out, /chain ok/i);
}

test('audit verify passes an untouched chain and counts its records', async () => {
  const dir = await storeWithActivity();
  try {
    const r = await verify(dir);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const m = /audit chain ok: (\d+) records/.exec(r.stdout);
    assert.ok(m, `stdout: ${r.stdout}`);
    assert.equal(Number(m[1]), seqs(dir).length);
    // seq is dense from the first record on.
    const s = seqs(dir);
    assert.deepEqual(s, s.map((_, i) => s[0] + i));
  } finally {
    removeTempDir(dir);
  }
});

test('the audit table refuses UPDATE and DELETE while its triggers are in place', async () => {
  const dir = await storeWithActivity();
  try {
    const mid = seqs(dir)[2];
    const before = sqlOk(dir, `SELECT details FROM audit WHERE seq = ${mid};`);
    assert.notEqual(sql(dir, `UPDATE audit SET details = '{"x":1}' WHERE seq = ${mid};`).code, 0, 'UPDATE refused');
    assert.notEqual(sql(dir, `DELETE FROM audit WHERE seq = ${mid};`).code, 0, 'DELETE refused');
    assert.equal(sqlOk(dir, `SELECT details FROM audit WHERE seq = ${mid};`), before);
    assert.equal((await verify(dir)).code, 0);
  } finally {
    removeTempDir(dir);
  }
});

test('editing one row\'s details by hand: verify exits 1 naming that record', async () => {
  const dir = await storeWithActivity();
  try {
    const s = seqs(dir);
    const mid = s[Math.floor(s.length / 2)];
    sqlOk(dir, `${DROP} UPDATE audit SET details = '{"tampered":true}' WHERE seq = ${mid};`);
    assertBrokenAt(await verify(dir), mid);
  } finally {
    removeTempDir(dir);
  }
});

test('editing the newest row: verify exits 1 naming it', async () => {
  const dir = await storeWithActivity();
  try {
    const last = seqs(dir).at(-1);
    sqlOk(dir, `${DROP} UPDATE audit SET actor = 'someone-else' WHERE seq = ${last};`);
    assertBrokenAt(await verify(dir), last);
  } finally {
    removeTempDir(dir);
  }
});

test('deleting a middle row: verify exits 1 naming the missing record', async () => {
  const dir = await storeWithActivity();
  try {
    const s = seqs(dir);
    const mid = s[Math.floor(s.length / 2)];
    sqlOk(dir, `${DROP} DELETE FROM audit WHERE seq = ${mid};`);
    assertBrokenAt(await verify(dir), mid);
  } finally {
    removeTempDir(dir);
  }
});

test('swapping two rows: verify exits 1 naming the first of them', async () => {
  const dir = await storeWithActivity();
  try {
    const s = seqs(dir);
    const a = s[Math.floor(s.length / 2) - 1];
    const b = a + 1;
    const cols = ['at', 'actor', 'action', 'object', 'details', 'prev_hash', 'hash'];
    const set = (dst, src) => cols.map((c) => `${c} = (SELECT ${c} FROM t WHERE seq = ${src})`).join(', ') +
      ` WHERE seq = ${dst}`;
    const hashB = sqlOk(dir, `SELECT hash FROM audit WHERE seq = ${b};`);
    sqlOk(dir, `${DROP} CREATE TEMP TABLE t AS SELECT * FROM audit WHERE seq IN (${a}, ${b});
      UPDATE audit SET ${set(a, b)}; UPDATE audit SET ${set(b, a)};`);
    assert.equal(sqlOk(dir, `SELECT hash FROM audit WHERE seq = ${a};`), hashB, 'rows were swapped');
    assertBrokenAt(await verify(dir), a);
  } finally {
    removeTempDir(dir);
  }
});
