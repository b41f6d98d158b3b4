// RFC 9457 problem answers for malformed requests.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startDaemon, assertProblem, listAll } from './lib/daemon.mjs';

let d;
let auth;
let bearer;

before(async () => {
  d = await startDaemon({ tokens: [{ name: 'it-admin', role: 'admin' }] });
  bearer = d.tokens['it-admin'];
  auth = { bearer };
});

after(async () => { await d?.cleanup(); });

// A request over a raw socket, as a careful client sends a large body: with
// `Expect: 100-continue` it waits for the go-ahead (or a final answer, or 1 s), then
// writes the body in paced pieces and stops as soon as an answer arrives, so that a
// daemon answering early and closing is not mistaken for one that never answered.
// Resolves {status, headers, text, json, writeError}.
function rawRequest(method, p, headers, body) {
  return new Promise((resolve, reject) => {
    const sock = net.connect(d.port, '127.0.0.1');
    let raw = Buffer.alloc(0);
    let writeError = null;
    let wake = () => {};
    // Drops interim 1xx answers; true once a final answer has started to arrive.
    const finalStarted = () => {
      for (;;) {
        const t = raw.toString('latin1');
        const m = /^HTTP\/1\.1 1\d\d[^\r]*\r\n(?:[^\r]+\r\n)*\r\n/.exec(t);
        if (!m) return raw.length > 0 && !/^HTTP\/1\.1 1/.test(t.slice(0, 10));
        raw = raw.subarray(m[0].length);
        continueSeen = true;
      }
    };
    let continueSeen = false;
    sock.on('data', (c) => { raw = Buffer.concat([raw, c]); wake(); });
    sock.on('error', (e) => { writeError = e.code ?? e.message; wake(); });
    const timer = setTimeout(() => sock.destroy(), 15_000);
    sock.on('close', () => {
      clearTimeout(timer);
      finalStarted();
      const t = raw.toString('latin1');
      const headEnd = t.indexOf('\r\n\r\n');
      if (headEnd < 0) {
        reject(new Error(`the daemon closed the connection without an HTTP answer (socket error: ${writeError}); got ${JSON.stringify(t.slice(0, 200))}`));
        return;
      }
      const [statusLine, ...lines] = t.slice(0, headEnd).split('\r\n');
      const h = new Headers();
      for (const l of lines) { const k = l.indexOf(':'); h.append(l.slice(0, k).trim(), l.slice(k + 1).trim()); }
      let rest = raw.subarray(Buffer.byteLength(t.slice(0, headEnd + 4), 'latin1'));
      if (/chunked/i.test(h.get('transfer-encoding') ?? '')) {
        const parts = [];
        for (let u = rest.toString('latin1'); ;) {
          const nl = u.indexOf('\r\n');
          const n = parseInt(u.slice(0, nl), 16);
          if (!(n > 0)) break;
          parts.push(u.slice(nl + 2, nl + 2 + n));
          u = u.slice(nl + 2 + n + 2);
        }
        rest = Buffer.from(parts.join(''), 'latin1');
      } else if (h.get('content-length') !== null) {
        rest = rest.subarray(0, Number(h.get('content-length')));
      }
      const text = rest.toString('utf8');
      let json = null;
      try { json = JSON.parse(text); } catch { /* not JSON */ }
      resolve({ status: Number(statusLine.split(' ')[1]), headers: h, text, json, writeError });
    });
    const stop = () => finalStarted() || writeError || sock.destroyed;
    const chunked = /chunked/i.test(headers['Transfer-Encoding'] ?? '');
    const buf = Buffer.from(body);
    (async () => {
      sock.write(`${method} ${p} HTTP/1.1\r\nHost: 127.0.0.1:${d.port}\r\nConnection: close\r\n` +
        'Expect: 100-continue\r\n' +
        Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('') + '\r\n');
      await new Promise((r) => { wake = r; setTimeout(r, 1000); });
      wake = () => {};
      for (let off = 0; off < buf.length; off += 64 * 1024) {
        if (stop()) return;
        const piece = buf.subarray(off, off + 64 * 1024);
        let ok;
        if (chunked) {
          sock.write(`${piece.length.toString(16)}\r\n`);
          sock.write(piece);
          ok = sock.write('\r\n');
        } else {
          ok = sock.write(piece);
        }
        if (!ok) await new Promise((r) => sock.once('drain', r));
        await new Promise((r) => setTimeout(r, 2));
      }
      if (chunked && !stop()) sock.write('0\r\n\r\n');
    })();
  });
}

const HUGE = JSON.stringify({ username: 'huge', role: 'operator', password: 'p'.repeat(1024 * 1024 + 16) });

test('a body over 1 MiB (Content-Length) is 413 body-too-large and creates nothing', async () => {
  const r = await rawRequest('POST', '/api/v1/users', {
    'Content-Type': 'application/json', Authorization: `Bearer ${bearer}`, 'Content-Length': Buffer.byteLength(HUGE),
  }, HUGE);
  assertProblem(r, 413, 'body-too-large');
  const list = await listAll(d, '/api/v1/users', { bearer });
  assert.ok(!list.items.some((u) => u.username === 'huge'));
  assert.equal((await d.api('GET', '/healthz')).status, 200, 'the daemon still serves');
});

test('a chunked body over 1 MiB (no Content-Length) is 413 body-too-large too', async () => {
  const r = await rawRequest('POST', '/api/v1/users', {
    'Content-Type': 'application/json', Authorization: `Bearer ${bearer}`, 'Transfer-Encoding': 'chunked',
  }, HUGE);
  assertProblem(r, 413, 'body-too-large');
  const list = await listAll(d, '/api/v1/users', { bearer });
  assert.ok(!list.items.some((u) => u.username === 'huge'));
  assert.equal((await d.api('GET', '/healthz')).status, 200, 'the daemon still serves');
});

test('a small chunked body is read like any other', async () => {
  const body = JSON.stringify({ username: 'chunky', role: 'operator', password: 'chunky-password-1' });
  const r = await rawRequest('POST', '/api/v1/users', {
    'Content-Type': 'application/json', Authorization: `Bearer ${bearer}`, 'Transfer-Encoding': 'chunked',
  }, body);
  assert.equal(r.status, 201, r.text);
});

test('a body just under 1 MiB is not refused for size', async () => {
  const pad = 1024 * 1024 - 200;
  const body = JSON.stringify({ username: 'almost', role: 'operator', password: 'p'.repeat(pad) });
  assert.ok(Buffer.byteLength(body) < 1024 * 1024);
  const r = await d.api('POST', '/api/v1/users', { ...auth, body });
  assert.notEqual(r.status, 413, r.text);
  assert.ok(r.status < 500, `no server error: ${r.status} ${r.text}`);
});

test('malformed JSON is 400 bad-json naming line and column', async () => {
  const r = await d.api('POST', '/api/v1/users', { ...auth, body: '{"username": "x",\n "role": }' });
  assertProblem(r, 400, 'bad-json');
  assert.match(r.json.detail, /line/i);
  assert.match(r.json.detail, /col/i);
  assert.match(r.json.detail, /\b2\b/, `the error is on line 2: ${r.json.detail}`);
  assertProblem(await d.api('POST', '/api/v1/users', { ...auth, body: '' }), 400, 'bad-json');
  assertProblem(await d.api('POST', '/api/v1/users', { ...auth, body: '{"a":1} trailing' }), 400, 'bad-json');
});

test('a body that is JSON but not an object is 400', async () => {
  const r = await d.api('POST', '/api/v1/users', { ...auth, body: '[1,2,3]' });
  assert.equal(r.status, 400, r.text);
  assert.match(r.json.type, /^urn:portguard:problem:bad-(json|field)$/);
});

test('a body that is not application/json is 415 unsupported-media-type', async () => {
  const body = JSON.stringify({ username: 'typed', role: 'operator', password: 'long-enough-pass' });
  for (const ct of ['text/plain', 'application/x-www-form-urlencoded', 'application/jsonx']) {
    const r = await d.api('POST', '/api/v1/users', { ...auth, body, headers: { 'Content-Type': ct } });
    assertProblem(r, 415, 'unsupported-media-type');
  }
  const ok = await d.api('POST', '/api/v1/users', {
    ...auth, body, headers: { 'Content-Type': 'application/json; charset=utf-8' },
  });
  assert.equal(ok.status, 201, `charset parameter is fine: ${ok.text}`);
});

test('an unknown route is 404 not-found', async () => {
  assertProblem(await d.api('GET', '/api/v1/no-such-thing', auth), 404, 'not-found');
  assertProblem(await d.api('GET', '/nope'), 404, 'not-found');
  assertProblem(await d.api('GET', '/api/v1/users/1/extra', auth), 404, 'not-found');
});

test('a known path with a wrong method is 405 method-not-allowed with Allow', async () => {
  const cases = [
    ['DELETE', '/api/v1/users', ['GET', 'POST']],
    ['PUT', '/healthz', ['GET']],
    ['GET', '/api/v1/session', ['POST', 'DELETE']],
    ['GET', '/api/v1/tokens/1', ['DELETE']],
  ];
  for (const [m, p, allowed] of cases) {
    const r = await d.api(m, p, auth);
    assertProblem(r, 405, 'method-not-allowed');
    const allow = (r.headers.get('allow') ?? '').split(',').map((x) => x.trim()).filter(Boolean);
    for (const a of allowed) assert.ok(allow.includes(a), `Allow for ${p} has ${a}: ${allow}`);
    assert.ok(!allow.includes(m), `Allow for ${p} does not list ${m}: ${allow}`);
  }
});
