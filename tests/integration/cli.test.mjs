// The command line: help, usage errors, init and user/token commands.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { run, runOk, tempDir, removeTempDir, secretFile, startDaemon } from './lib/daemon.mjs';

const lines = (s) => s.split('\n').filter((l) => l.trim() !== '');

test('--help lists the commands and exits 0', async () => {
  const r = await run(['--help']);
  assert.equal(r.code, 0, r.stderr);
  for (const c of ['init', 'serve', 'user', 'token', 'audit']) {
    assert.match(r.stdout, new RegExp(`\\b${c}\\b`), `--help mentions ${c}:\n${r.stdout}`);
  }
});

test('each command has --help', async () => {
  for (const c of ['init', 'serve', 'user add', 'token create', 'audit verify']) {
    const r = await run([...c.split(' '), '--help'], { timeoutMs: 5000 });
    assert.equal(r.code, 0, `${c} --help: ${r.stdout}${r.stderr}`);
    assert.ok(r.stdout.includes('--') || r.stdout.length > 20, `${c} --help says something: ${r.stdout}`);
  }
  const s = await run(['serve', '--help'], { timeoutMs: 5000 });
  assert.match(s.stdout, /--listen/);
  assert.match(s.stdout, /--data/);
});

test('an unknown command exits 2 with one line on stderr naming it', async () => {
  const r = await run(['frobnicate']);
  assert.equal(r.code, 2);
  assert.equal(lines(r.stderr).length, 1, `one line: ${JSON.stringify(r.stderr)}`);
  assert.match(r.stderr, /frobnicate/);
});

test('an unknown flag exits 2 with one line on stderr naming it', async () => {
  for (const args of [['serve', '--frobnicate'], ['init', '--colour', 'blue'], ['audit', 'verify', '--bogus']]) {
    const r = await run(args, { timeoutMs: 5000 });
    assert.equal(r.timedOut, false, `${args.join(' ')} did not hang`);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(lines(r.stderr).length, 1, `one line: ${JSON.stringify(r.stderr)}`);
    assert.match(r.stderr, new RegExp(args.find((a) => a.startsWith('--'))), r.stderr);
  }
});

test('init refuses an admin password under 12 characters and creates no usable store', async () => {
  const dir = tempDir();
  try {
    const data = path.join(dir, 'data');
    fs.mkdirSync(data);
    const pw = secretFile(dir, 'pw', 'short-pw');
    const r = await run(['init', '--data', data, '--admin-password-file', pw]);
    assert.notEqual(r.code, 0, 'weak password refused');
    assert.ok(r.stderr.length > 0, 'says why');
    assert.match(r.stderr, /password/i);
    // A later init with a good password succeeds on the same path.
    const good = secretFile(dir, 'pw2', 'long-enough-password');
    await runOk(['init', '--data', data, '--admin-password-file', good]);
    assert.ok(fs.existsSync(path.join(data, 'portguard.db')));
  } finally {
    removeTempDir(dir);
  }
});

test('init refuses to overwrite an existing store', async () => {
  const dir = tempDir();
  try {
    const data = path.join(dir, 'data');
    fs.mkdirSync(data);
    const pw = secretFile(dir, 'pw', 'first-password-123');
    await runOk(['init', '--data', data, '--admin-password-file', pw]);
    const pw2 = secretFile(dir, 'pw2', 'second-password-456');
    const r = await run(['init', '--data', data, '--admin-password-file', pw2]);
    assert.notEqual(r.code, 0, 'second init refused');
    // The first password still works.
    const d = await startDaemon({ dataDir: data, init: false });
    try {
      await d.login('admin', 'first-password-123');
    } finally {
      await d.stop();
    }
  } finally {
    removeTempDir(dir);
  }
});

test('user add and token create: the user logs in, the token authenticates', async () => {
  const d = await startDaemon({
    users: [{ name: 'cli-gate', role: 'gate', password: 'cli-gate-password' }],
    tokens: [{ name: 'cli-auditor', role: 'auditor' }],
  });
  try {
    const s = await d.login('cli-gate', 'cli-gate-password');
    const me = await d.api('GET', '/api/v1/me', { cookie: s.cookie });
    assert.equal(me.json.role, 'gate');
    const t = await d.api('GET', '/api/v1/me', { bearer: d.tokens['cli-auditor'] });
    assert.equal(t.status, 200, t.text);
    assert.equal(t.json.role, 'auditor');
    assert.equal(t.json.kind, 'token');
    const a = await d.api('GET', '/api/v1/audit', { bearer: d.tokens['cli-auditor'] });
    assert.equal(a.status, 200);
  } finally {
    await d.cleanup();
  }
});

test('user add refuses an unknown role', async () => {
  const dir = tempDir();
  try {
    const data = path.join(dir, 'data');
    fs.mkdirSync(data);
    await runOk(['init', '--data', data, '--admin-password-file', secretFile(dir, 'pw', 'first-password-123')]);
    const r = await run(['user', 'add', 'zed', '--role', 'captain', '--password-file',
      secretFile(dir, 'zpw', 'zed-password-1234'), '--data', data]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /role|captain/i);
  } finally {
    removeTempDir(dir);
  }
});
