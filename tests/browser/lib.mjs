// Helpers for the console's browser tests: run the real daemon on a free loopback port with
// a fresh data directory, and drive Debian's chromium through playwright-core.
//
// Environment:
//   PORTGUARD_BIN  path to the portguard binary (default build/portguard)
//   OUTDIR         where screenshots and the daemon log go (default build/test-output)
//   CHROMIUM       browser executable (default /usr/bin/chromium)

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

export const BIN = path.resolve(process.env.PORTGUARD_BIN || 'build/portguard');
export const OUTDIR = path.resolve(process.env.OUTDIR || 'build/test-output');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

const READY_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 10_000;
const CLI_TIMEOUT_MS = 60_000;

/** A loopback port that was free a moment ago: bind port 0, read it, close. */
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

/** Runs `BIN args...` to completion; resolves {stdout, stderr}, rejects (with its output)
 * unless it exits 0. */
export function runCliCapture(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), CLI_TIMEOUT_MS);
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve({ stdout, stderr });
      else reject(new Error(`portguard ${args.join(' ')} exited ${code ?? signal}:\n${stdout}${stderr}`));
    });
  });
}

/** Runs `BIN args...` to completion; resolves its output, rejects (with it) unless it exits 0. */
export async function runCli(args) {
  const { stdout, stderr } = await runCliCapture(args);
  return stdout + stderr;
}

/**
 * Creates a fresh data directory with `admin` (role admin), the given extra users and API
 * tokens, starts `portguard serve` on a free loopback port and waits until GET /readyz
 * answers 200.
 * users: [{username, role, password}]; tokens: [{name, role}] made with `portguard token
 * create` (the token is what it prints on stdout).
 * logName: the daemon's log file in OUTDIR (test files run in parallel: one each).
 * Returns {base, port, dir, data, tokens: {name: token}, proc, stop(), cleanup()} where
 * stop() sends SIGTERM and resolves {code, signal} when the daemon has exited.
 */
export async function startDaemon({ adminPassword, users = [], tokens = [], logName = 'daemon.log' }) {
  await mkdir(OUTDIR, { recursive: true });
  const dir = await mkdtemp(path.join(os.tmpdir(), 'portguard-browser-'));
  const data = path.join(dir, 'data');
  await mkdir(data, { mode: 0o700 });

  const adminFile = path.join(dir, 'admin.pw');
  await writeFile(adminFile, adminPassword, { mode: 0o600 });
  await runCli(['init', '--data', data, '--admin-password-file', adminFile]);
  for (const u of users) {
    const file = path.join(dir, `${u.username}.pw`);
    await writeFile(file, u.password, { mode: 0o600 });
    await runCli(['user', 'add', u.username, '--role', u.role, '--password-file', file, '--data', data]);
  }
  const tokenValues = {};
  for (const t of tokens) {
    const { stdout } = await runCliCapture(['token', 'create', '--name', t.name, '--role', t.role, '--data', data]);
    const value = stdout.trim().split('\n').pop().trim();
    assert.ok(value, `portguard token create printed no token for ${t.name}`);
    tokenValues[t.name] = value;
  }

  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const log = createWriteStream(path.join(OUTDIR, logName));
  const proc = spawn(BIN, ['serve', '--data', data, '--listen', `127.0.0.1:${port}`], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  proc.stdout.pipe(log);
  proc.stderr.pipe(log);
  const exited = new Promise((resolve) => {
    proc.on('exit', (code, signal) => resolve({ code, signal }));
  });
  let exitInfo = null;
  exited.then((info) => { exitInfo = info; });

  const deadline = Date.now() + READY_TIMEOUT_MS;
  let last = 'no answer';
  for (;;) {
    if (exitInfo) {
      throw new Error(`portguard serve exited early (${exitInfo.code ?? exitInfo.signal}); see ${path.join(OUTDIR, logName)}`);
    }
    try {
      const res = await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(1000) });
      last = `HTTP ${res.status}`;
      await res.arrayBuffer();
      if (res.status === 200) break;
    } catch (e) {
      last = e.cause?.code || e.message;
    }
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`portguard serve not ready within ${READY_TIMEOUT_MS} ms (last: ${last})`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }

  async function stop() {
    if (!exitInfo) proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), STOP_TIMEOUT_MS);
    const info = await exited;
    clearTimeout(timer);
    log.end();
    return info;
  }

  async function cleanup() {
    if (!exitInfo) {
      proc.kill('SIGKILL');
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
  }

  return { base, port, dir, data, tokens: tokenValues, proc, stop, cleanup };
}

export function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

/**
 * A fresh browser context (own cookies and sessionStorage) at 1280x800 with one page.
 * page.problems collects uncaught page errors and Content-Security-Policy violations.
 */
export async function newPage(browser) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  page.problems = [];
  page.on('pageerror', (err) => page.problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && /Content Security Policy/i.test(msg.text())) {
      page.problems.push(`CSP: ${msg.text()}`);
    }
  });
  return { context, page };
}

/** The login form's parts. */
export function loginForm(page) {
  return {
    heading: page.getByRole('heading', { name: 'Sign in' }),
    username: page.getByLabel('Username', { exact: true }),
    password: page.getByLabel('Password', { exact: true }),
    submit: page.getByRole('button', { name: 'Sign in' }),
    error: page.locator('#login-error'),
  };
}

/** Signs in through the login page; resolves when the frame shows the user name. */
export async function login(page, base, username, password) {
  await page.goto(`${base}/`);
  const f = loginForm(page);
  await f.username.fill(username);
  await f.password.fill(password);
  await f.submit.click();
  await page.locator('#whoami-name').filter({ hasText: new RegExp(`^${escapeRe(username)}$`) }).waitFor();
}

export function mainNav(page) {
  return page.getByRole('navigation', { name: 'Main' });
}

/** Waits for the navigation, then returns its links in order as {id, title}. */
export async function navItems(page) {
  const links = mainNav(page).getByRole('link');
  await links.first().waitFor();
  return links.evaluateAll((as) => as.map((a) => ({
    id: a.getAttribute('data-page'),
    title: a.textContent.trim(),
  })));
}

/** Asserts the nav holds exactly these pages: [[id, title regexp], ...]. */
export async function assertNav(page, expected) {
  const items = await navItems(page);
  assert.deepEqual(items.map((i) => i.id), expected.map(([id]) => id), 'nav page ids');
  items.forEach((item, i) => assert.match(item.title, expected[i][1], `title of ${item.id}`));
}

export function ticker(page) {
  return page.getByRole('region', { name: 'Live events' });
}

/** Resolves when the live ticker's EventSource is open. */
export async function tickerLive(page) {
  await page.locator('#ticker-state[data-state="live"]').waitFor();
}

export function escapeRe(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
