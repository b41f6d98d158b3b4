// Black-box harness for the portguard daemon: starts the real binary on a free
// loopback port with a fresh data directory and talks to it over HTTP.
//
//   const d = await startDaemon({ tokens: [{ name: 'it', role: 'admin' }] });
//   const s = await d.login('admin', d.adminPassword);
//   const r = await d.api('GET', '/api/v1/me', { cookie: s.cookie });
//   await d.cleanup();
//
// The binary is $PORTGUARD_BIN (relative to the working directory), default
// build/portguard under the repository root. Node 18+ only, no npm packages.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const bin = process.env.PORTGUARD_BIN
  ? path.resolve(process.cwd(), process.env.PORTGUARD_BIN)
  : path.join(repoRoot, 'build/portguard');

export const ADMIN_PASSWORD = 'admin-password-0123';
const READY_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 10_000;
const LOG_LIMIT = 64 * 1024;

// Everything we created, so that a crashed test still leaves nothing behind.
const liveProcs = new Set();
const tempDirs = new Set();
process.on('exit', () => {
  for (const p of liveProcs) {
    try { p.kill('SIGKILL'); } catch { /* already gone */ }
  }
  for (const d of tempDirs) {
    try { fs.rmSync(d, { recursive: true, force: true }); } catch { /* best effort */ }
  }
});

export function tempDir(prefix = 'portguard-it-') {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.add(d);
  return d;
}

export function removeTempDir(d) {
  fs.rmSync(d, { recursive: true, force: true });
  tempDirs.delete(d);
}

/** A port that was free a moment ago on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Writes a secret to a 0600 file in dir and returns its path. */
export function secretFile(dir, name, content) {
  const f = path.join(dir, name);
  fs.writeFileSync(f, content + '\n', { mode: 0o600 });
  return f;
}

/**
 * Runs the CLI: run(['audit', 'verify', '--data', dir]) -> {code, signal, stdout, stderr}.
 * Kills it after timeoutMs (then code is null and timedOut is true).
 */
export function run(args, { timeoutMs = 30_000, input, env } = {}) {
  return new Promise((resolve, reject) => {
    if (!fs.existsSync(bin)) {
      reject(new Error(`portguard binary not found at ${bin} (build it or set PORTGUARD_BIN)`));
      return;
    }
    const p = spawn(bin, args, {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    });
    liveProcs.add(p);
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    p.stdout.setEncoding('utf8').on('data', (c) => { stdout += c; });
    p.stderr.setEncoding('utf8').on('data', (c) => { stderr += c; });
    const timer = setTimeout(() => { timedOut = true; p.kill('SIGKILL'); }, timeoutMs);
    p.on('error', (e) => { clearTimeout(timer); liveProcs.delete(p); reject(e); });
    p.on('close', (code, signal) => {
      clearTimeout(timer);
      liveProcs.delete(p);
      resolve({ code, signal, stdout, stderr, timedOut });
    });
    p.stdin.on('error', () => { /* the CLI may not read stdin */ });
    p.stdin.end(input ?? '');
  });
}

/** run() that throws with the output unless the command exits 0. */
export async function runOk(args, opts) {
  const r = await run(args, opts);
  if (r.code !== 0) {
    throw new Error(`portguard ${args.join(' ')} exited ${r.code ?? r.signal}\n` +
      `stdout: ${r.stdout}\nstderr: ${r.stderr}`);
  }
  return r;
}

/**
 * Creates a store in a fresh (or given, empty) data dir: admin with adminPassword,
 * optional users [{name, role, password}] and tokens [{name, role}] made with the CLI.
 * Returns {dataDir, adminPassword, tokens: {name: token}}.
 */
export async function initStore({ dataDir, adminPassword = ADMIN_PASSWORD, users = [], tokens = [] } = {}) {
  const work = tempDir('portguard-it-secrets-');
  dataDir = dataDir ?? tempDir('portguard-it-data-');
  try {
    const pw = secretFile(work, 'admin.pw', adminPassword);
    await runOk(['init', '--data', dataDir, '--admin-password-file', pw]);
    for (const u of users) {
      const f = secretFile(work, `${u.name}.pw`, u.password);
      await runOk(['user', 'add', u.name, '--role', u.role, '--password-file', f, '--data', dataDir]);
    }
    const made = {};
    for (const t of tokens) {
      const r = await runOk(['token', 'create', '--name', t.name, '--role', t.role, '--data', dataDir]);
      const lines = r.stdout.split('\n').filter((l) => l.trim() !== '');
      assert.equal(lines.length, 1, `token create prints the token alone on one line, got: ${JSON.stringify(r.stdout)}`);
      made[t.name] = lines[0].trim();
    }
    return { dataDir, adminPassword, tokens: made };
  } finally {
    removeTempDir(work);
  }
}

function appendLog(buf, chunk) {
  buf.text += chunk;
  if (buf.text.length > LOG_LIMIT) buf.text = buf.text.slice(-LOG_LIMIT);
}

async function spawnServe(dataDir, extraArgs = []) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const log = { text: '' };
  const proc = spawn(bin, ['serve', '--data', dataDir, '--listen', `127.0.0.1:${port}`, ...extraArgs], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  liveProcs.add(proc);
  const exited = new Promise((resolve) => {
    proc.on('exit', (code, signal) => {
      liveProcs.delete(proc);
      resolve({ code, signal, at: Date.now() });
    });
  });
  proc.on('error', (e) => appendLog(log, `spawn error: ${e.message}\n`));
  for (const s of [proc.stdout, proc.stderr]) {
    s.setEncoding('utf8').on('data', (c) => {
      appendLog(log, c);
      if (process.env.PORTGUARD_IT_VERBOSE) process.stderr.write(c);
    });
  }
  let exit = null;
  exited.then((e) => { exit = e; });
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (exit) return { ok: false, exit, log, port };
    try {
      const r = await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(1000) });
      await r.arrayBuffer();
      if (r.status === 200) return { ok: true, proc, exited, port, base, log };
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 50));
  }
  proc.kill('SIGKILL');
  await exited;
  return { ok: false, exit: { timeout: true }, log, port };
}

/**
 * Starts `portguard serve` on a free loopback port. Without dataDir a fresh store is
 * initialised first (options as for initStore). Resolves once GET /readyz is 200.
 * opts.config: INI text given to serve as --config (written to a file next to the store).
 */
export async function startDaemon(opts = {}) {
  let store;
  if (opts.dataDir && opts.init === false) {
    store = { dataDir: opts.dataDir, adminPassword: opts.adminPassword ?? ADMIN_PASSWORD, tokens: {} };
  } else {
    store = await initStore(opts);
  }
  const extraArgs = [];
  if (opts.config !== undefined) {
    const cfgDir = tempDir('portguard-it-config-');
    const f = path.join(cfgDir, 'portguard.ini');
    fs.writeFileSync(f, opts.config);
    extraArgs.push('--config', f);
  }
  // The free port can be taken between probing and binding; try a few.
  let s;
  for (let attempt = 0; attempt < 3; attempt++) {
    s = await spawnServe(store.dataDir, extraArgs);
    if (s.ok) break;
    if (s.exit.timeout) break;
  }
  if (!s.ok) {
    throw new Error(`portguard serve did not become ready (${JSON.stringify(s.exit)})\n${s.log.text}`);
  }
  return new Daemon(store, s);
}

export class Daemon {
  constructor(store, s) {
    this.dataDir = store.dataDir;
    this.adminPassword = store.adminPassword;
    this.tokens = store.tokens;
    this.proc = s.proc;
    this.exited = s.exited;
    this.port = s.port;
    this.base = s.base;
    this._log = s.log;
    this.lastExit = null;
  }

  get log() { return this._log.text; }

  run(args, opts) { return run(args, opts); }

  /**
   * HTTP request. body: object (sent as JSON) or string/Buffer (sent as is).
   * Resolves {status, headers, json, text}; json is null when the body is not JSON.
   */
  async api(method, p, { body, cookie, csrf, bearer, headers = {}, timeoutMs = 15_000 } = {}) {
    const h = { ...headers };
    let payload;
    if (body !== undefined) {
      if (typeof body === 'string' || Buffer.isBuffer(body)) {
        payload = body;
      } else {
        payload = JSON.stringify(body);
      }
      if (!Object.keys(h).some((k) => k.toLowerCase() === 'content-type')) {
        h['Content-Type'] = 'application/json';
      }
    }
    if (cookie) h.Cookie = cookie;
    if (csrf) h['X-CSRF-Token'] = csrf;
    if (bearer) h.Authorization = `Bearer ${bearer}`;
    const res = await fetch(this.base + p, {
      method, headers: h, body: payload, redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    let json = null;
    try { json = JSON.parse(text); } catch { /* not JSON */ }
    return { status: res.status, headers: res.headers, json, text };
  }

  /** Logs in; resolves {cookie, csrf, setCookie, res}. Throws unless 200. */
  async login(username, password) {
    const res = await fetch(`${this.base}/api/v1/session`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username, password }),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${text}`);
    const setCookie = setCookies(res.headers).find((c) => /^pg_session=/.test(c));
    if (!setCookie) throw new Error(`login ${username}: no pg_session cookie in ${JSON.stringify(setCookies(res.headers))}`);
    const json = JSON.parse(text);
    return { cookie: setCookie.split(';')[0].trim(), csrf: json.csrf_token, setCookie, json };
  }

  /** Opens an SSE stream; see EventStream. */
  async events(p, { cookie, bearer, headers = {} } = {}) {
    const h = { Accept: 'text/event-stream', ...headers };
    if (cookie) h.Cookie = cookie;
    if (bearer) h.Authorization = `Bearer ${bearer}`;
    const ac = new AbortController();
    // The response head must come promptly, before any event.
    const timer = setTimeout(() => ac.abort(new Error(`no response head for ${p} within 5 s`)), 5000);
    try {
      const res = await fetch(this.base + p, { headers: h, signal: ac.signal });
      return new EventStream(res, ac);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Sends SIGTERM, resolves with the exit code (null if killed by a signal). */
  async stop({ signal = 'SIGTERM', timeoutMs = STOP_TIMEOUT_MS } = {}) {
    const sentAt = Date.now();
    if (liveProcs.has(this.proc)) this.proc.kill(signal);
    let timer;
    const timeout = new Promise((r) => { timer = setTimeout(() => r(null), timeoutMs); });
    let e = await Promise.race([this.exited, timeout]);
    clearTimeout(timer);
    let killed = false;
    if (!e) {
      killed = true;
      this.proc.kill('SIGKILL');
      e = await this.exited;
    }
    this.lastExit = { code: killed ? null : e.code, signal: e.signal, ms: e.at - sentAt, killed };
    return this.lastExit.code;
  }

  /** Stops the daemon if still running and removes its data dir. */
  async cleanup({ keepData = false } = {}) {
    if (liveProcs.has(this.proc)) await this.stop();
    if (!keepData) removeTempDir(this.dataDir);
  }
}

export function setCookies(headers) {
  if (typeof headers.getSetCookie === 'function') return headers.getSetCookie();
  const v = headers.get('set-cookie');
  return v ? v.split(/,(?=\s*[A-Za-z0-9_-]+=)/) : [];
}

/**
 * A Server-Sent Events reader. next(ms) resolves with the next event
 * {id, event, data, json} or rejects after ms; comments are collected in `comments`.
 */
export class EventStream {
  constructor(res, ac) {
    this.res = res;
    this.status = res.status;
    this.headers = res.headers;
    this.comments = [];
    this._ac = ac;
    this._queue = [];
    this._waiters = [];
    this._buf = '';
    this._cur = { data: [] };
    this._ended = false;
    if (res.ok && res.body) this._pump(); else this._ended = true;
  }

  async _pump() {
    const dec = new TextDecoder();
    try {
      for await (const chunk of this.res.body) {
        this._buf += dec.decode(chunk, { stream: true });
        let i;
        while ((i = this._buf.search(/\r\n|\r|\n/)) >= 0) {
          const line = this._buf.slice(0, i);
          const nl = this._buf[i] === '\r' && this._buf[i + 1] === '\n' ? 2 : 1;
          this._buf = this._buf.slice(i + nl);
          this._line(line);
        }
      }
    } catch { /* aborted or reset */ }
    this._ended = true;
    for (const w of this._waiters.splice(0)) w.reject(new Error('event stream ended'));
  }

  _line(line) {
    if (line === '') {
      const c = this._cur;
      this._cur = { data: [] };
      if (c.data.length === 0 && c.id === undefined && c.event === undefined) return;
      const ev = { id: c.id, event: c.event ?? 'message', data: c.data.join('\n') };
      try { ev.json = JSON.parse(ev.data); } catch { ev.json = null; }
      const w = this._waiters.shift();
      if (w) w.resolve(ev); else this._queue.push(ev);
      return;
    }
    if (line.startsWith(':')) { this.comments.push(line); return; }
    const k = line.indexOf(':');
    const field = k < 0 ? line : line.slice(0, k);
    let value = k < 0 ? '' : line.slice(k + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this._cur.data.push(value);
    else if (field === 'id') this._cur.id = value;
    else if (field === 'event') this._cur.event = value;
  }

  next(ms = 5000) {
    if (this._queue.length) return Promise.resolve(this._queue.shift());
    if (this._ended) return Promise.reject(new Error('event stream ended'));
    return new Promise((resolve, reject) => {
      const w = {};
      const timer = setTimeout(() => {
        this._waiters.splice(this._waiters.indexOf(w), 1);
        reject(new Error(`no event within ${ms} ms`));
      }, ms);
      w.resolve = (v) => { clearTimeout(timer); resolve(v); };
      w.reject = (e) => { clearTimeout(timer); reject(e); };
      this._waiters.push(w);
    });
  }

  /** Reads events until pred(ev) is true; resolves with all events read, the match last. */
  async until(pred, ms = 5000) {
    const deadline = Date.now() + ms;
    const seen = [];
    for (;;) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching event within ${ms} ms; saw ${JSON.stringify(seen)}`);
      let ev;
      try { ev = await this.next(left); } catch (e) {
        throw new Error(`${e.message}; saw ${JSON.stringify(seen)}`);
      }
      seen.push(ev);
      if (pred(ev)) return seen;
    }
  }

  close() { this._ac.abort(); }
}

/** Asserts r is an RFC 9457 problem with this status and slug (and field, if given). */
export function assertProblem(r, status, slug, { field } = {}) {
  const what = `${status} ${slug}; got ${r.status} ${r.text.slice(0, 300)}`;
  assert.equal(r.status, status, `status: want ${what}`);
  assert.match(r.headers.get('content-type') ?? '', /^application\/problem\+json\b/,
    `content-type of ${what}`);
  assert.ok(r.json && typeof r.json === 'object', `problem body is JSON: ${what}`);
  assert.equal(r.json.type, `urn:portguard:problem:${slug}`, `type: want ${what}`);
  assert.equal(r.json.status, status, `problem status field: ${what}`);
  assert.equal(typeof r.json.title, 'string', `problem title: ${what}`);
  assert.ok(r.json.title.length > 0, `problem title not empty: ${what}`);
  assert.equal(typeof r.json.detail, 'string', `problem detail: ${what}`);
  if (field !== undefined) assert.equal(r.json.field, field, `problem field: ${what}`);
}

/** Fetches every page of a list with limit=N, following next. */
export async function listAll(d, p, auth, { limit = 500 } = {}) {
  const items = [];
  const pages = [];
  let after = null;
  for (let i = 0; i < 10_000; i++) {
    const sep = p.includes('?') ? '&' : '?';
    const q = `${p}${sep}limit=${limit}` + (after === null ? '' : `&after=${encodeURIComponent(after)}`);
    const r = await d.api('GET', q, auth);
    assert.equal(r.status, 200, `GET ${q}: ${r.text}`);
    assert.ok(Array.isArray(r.json.items), `items array in ${r.text}`);
    assert.ok('next' in r.json, `next in ${r.text}`);
    pages.push(r.json.items);
    items.push(...r.json.items);
    if (r.json.next === null) return { items, pages };
    assert.equal(typeof r.json.next, 'string', `next is a string or null: ${r.text}`);
    after = r.json.next;
  }
  throw new Error(`list ${p} did not end`);
}

let seq = 0;
/** A username unique within this process. */
export function uniqueName(prefix = 'u') {
  seq += 1;
  return `${prefix}${process.pid}x${seq}`;
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
