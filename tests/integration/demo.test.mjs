// `portguard demo`: the command a new user runs first. It must start on a throwaway data
// directory, print how to log in, and open on a port worth looking at: people and zones,
// and a cargo queue topped by the planted high-risk boxes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';

import { bin, freePort, tempDir } from './lib/daemon.mjs';

const T = { timeout: 60_000 };

function startDemo(dataDir, port) {
  const child = spawn(bin, ['demo', '--data', dataDir, '--listen', `127.0.0.1:${port}`],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr.on('data', (b) => { err += b; });
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`demo did not start:\n${out}\n${err}`)), 20_000);
    child.stdout.on('data', (b) => {
      out += b;
      const m = /admin login:\s+admin\s+password\s+(\S+)/.exec(out);
      if (m && /Stop it with Ctrl-C/.test(out)) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`demo exited ${code}:\n${out}\n${err}`));
    });
  });
  return { child, ready, log: () => err };
}

async function login(base, password) {
  const r = await fetch(`${base}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password }),
  });
  assert.equal(r.status, 200);
  return r.headers.get('set-cookie').split(';')[0];
}

test('the demo opens on seeded people and a cargo queue topped by the planted boxes', T, async () => {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const demo = startDemo(tempDir('portguard-demo-'), port);
  try {
    const password = await demo.ready;
    const cookie = await login(base, password);
    const get = async (p) => {
      const r = await fetch(base + p, { headers: { cookie } });
      assert.equal(r.status, 200, `${p}: ${r.status}`);
      return r.json();
    };

    const people = await get('/api/v1/people?limit=5');
    assert.equal(people.items.length, 5, 'the demo seeds people');

    const queue = await get('/api/v1/inspections/queue?limit=10');
    const top = queue.items[0];
    assert.equal(top.number, 'TGHU1234567', 'the planted box tops the queue');
    assert.equal(top.decision, 'physical');
    const indicators = top.hits.map((h) => h.indicator);
    for (const i of ['vague_description', 'seal_missing', 'dg_without_un', 'hs_mismatch']) {
      assert.ok(indicators.includes(i), `the planted box hits ${i}: ${indicators}`);
    }
    for (const h of top.hits) assert.match(h.explanation, /\w+ \w+/, 'each hit says why in words');

    const risk = queue.items.filter((i) => i.selected_by === 'risk').map((i) => i.number);
    for (const n of ['ZCSU6543219', 'TCLU4502200', 'GESU7770013']) {
      assert.ok(risk.includes(n), `${n} is selected by risk: ${risk}`);
    }
    const watched = queue.items.find((i) => i.number === 'ZCSU6543219');
    assert.ok(watched.hits.some((h) => h.indicator === 'watchlist'), 'the watchlisted consignee is hit');
    assert.ok(watched.hits.some((h) => h.indicator === 'check_digit'), 'the wrong check digit is hit');

    const manifests = await get('/api/v1/manifests');
    assert.equal(manifests.items.length, 2, 'two voyages of the demo liner service');
  } finally {
    const exited = demo.child.exitCode !== null || demo.child.signalCode !== null;
    const code = exited ? demo.child.exitCode : await new Promise((r) => {
      demo.child.on('exit', (c, sig) => r(c ?? sig));
      demo.child.kill('SIGTERM');
    });
    assert.ok(!exited, `the demo was still running at the end:\n${demo.log()}`);
    assert.equal(code, 0, `the demo stops cleanly on SIGTERM:\n${demo.log()}`);
  }
});
