// Server-Sent Events: live delivery by topic and resumption from the store.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startDaemon, assertProblem } from './lib/daemon.mjs';

let d;
let bearer;
const PW = 'events-password-1357';

before(async () => {
  d = await startDaemon({ tokens: [{ name: 'it-admin', role: 'admin' }] });
  bearer = d.tokens['it-admin'];
});

after(async () => { await d?.cleanup(); });

const createUser = async (name) => {
  const r = await d.api('POST', '/api/v1/users', { bearer, body: { username: name, role: 'operator', password: PW } });
  assert.equal(r.status, 201, r.text);
  return r.json;
};

function checkEvent(ev, topic) {
  assert.match(ev.id ?? '', /^\d+$/, `event has a numeric id: ${JSON.stringify(ev)}`);
  assert.equal(ev.event, topic);
  assert.ok(ev.json, `data is JSON: ${ev.data}`);
  assert.equal(String(ev.json.id), ev.id, 'data.id matches the id: line');
  assert.equal(ev.json.topic, topic);
  assert.match(ev.json.at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
  assert.ok('data' in ev.json, 'the payload is under data');
}

test('events without credentials are 401', async () => {
  assertProblem(await d.api('GET', '/api/v1/events?topics=users'), 401, 'unauthorized');
});

test('a bearer subscriber to users receives a user creation within 5 s, and no other topic', async () => {
  const s = await d.events('/api/v1/events?topics=users', { bearer });
  try {
    assert.equal(s.status, 200);
    assert.match(s.headers.get('content-type') ?? '', /^text\/event-stream\b/);
    // Something on another topic first: a failed login is an auth event.
    await d.api('POST', '/api/v1/session', { body: { username: 'admin', password: 'wrong-password-x' } });
    const u = await createUser('sse-one');
    const seen = await s.until((ev) => ev.event === 'users', 5000);
    const ev = seen[seen.length - 1];
    checkEvent(ev, 'users');
    for (const e of seen) assert.equal(e.event, 'users', `only the subscribed topic: ${JSON.stringify(e)}`);
    assert.ok(JSON.stringify(ev.json.data).includes('sse-one') || JSON.stringify(ev.json.data).includes(String(u.id)),
      `the event names the new user: ${ev.data}`);
  } finally {
    s.close();
  }
});

test('a cookie subscriber without topics receives auth and users events', async () => {
  const sess = await d.login('admin', d.adminPassword);
  const s = await d.events('/api/v1/events', { cookie: sess.cookie });
  try {
    assert.equal(s.status, 200);
    await d.api('POST', '/api/v1/session', { body: { username: 'admin', password: 'wrong-password-y' } });
    await createUser('sse-two');
    const topics = new Set();
    await s.until((ev) => { topics.add(ev.event); return topics.has('auth') && topics.has('users'); }, 5000);
    assert.ok(topics.has('auth') && topics.has('users'));
  } finally {
    s.close();
  }
});

test('Last-Event-ID replays the stored events after it, also after a restart', async () => {
  // Three user events seen live.
  const s = await d.events('/api/v1/events?topics=users', { bearer });
  const live = [];
  try {
    for (const n of ['sse-r1', 'sse-r2', 'sse-r3']) {
      await createUser(n);
      live.push(await s.next(5000)); // the only users event this causes

    }
  } finally {
    s.close();
  }
  assert.ok(live.length >= 3, `saw ${live.length} events`);
  const ids = live.map((e) => Number(e.id));
  for (let i = 1; i < ids.length; i++) assert.ok(ids[i] > ids[i - 1], `ids increase: ${ids}`);
  const first = live[0];
  const rest = live.slice(1);

  const resume = async (how) => {
    const opts = { bearer };
    let p = '/api/v1/events?topics=users';
    if (how === 'header') opts.headers = { 'Last-Event-ID': first.id };
    else p += `&last_event_id=${first.id}`;
    const r = await d.events(p, opts);
    try {
      assert.equal(r.status, 200);
      const got = [];
      for (let i = 0; i < rest.length; i++) got.push(await r.next(5000));
      return got;
    } finally {
      r.close();
    }
  };
  const expect = rest.map((e) => ({ id: e.id, event: e.event, json: e.json }));
  const strip = (evs) => evs.map((e) => ({ id: e.id, event: e.event, json: e.json }));

  assert.deepEqual(strip(await resume('header')), expect, 'Last-Event-ID header replays exactly the later events');
  assert.deepEqual(strip(await resume('query')), expect, '?last_event_id replays exactly the later events');

  // The replay comes from the store: it survives a restart.
  const code = await d.stop();
  assert.equal(code, 0, `clean stop: ${JSON.stringify(d.lastExit)}`);
  const dataDir = d.dataDir;
  d = await startDaemon({ dataDir, init: false });
  assert.deepEqual(strip(await resume('header')), expect, 'replay after restart');

  // After the replay the stream goes live.
  const r = await d.events('/api/v1/events?topics=users', { bearer, headers: { 'Last-Event-ID': live[live.length - 1].id } });
  try {
    const u = await createUser('sse-r4');
    const ev = await r.next(5000);
    checkEvent(ev, 'users');
    assert.ok(Number(ev.id) > Number(live[live.length - 1].id));
    const data = JSON.stringify(ev.json.data);
    assert.ok(data.includes('sse-r4') || data.includes(String(u.id)), `the live event is the new user: ${ev.data}`);
  } finally {
    r.close();
  }
});

test('the system topic holds the daemon start, replayable from the store', async () => {
  const r = await d.events('/api/v1/events?topics=system&last_event_id=0', { bearer });
  try {
    assert.equal(r.status, 200);
    const ev = await r.next(5000);
    checkEvent(ev, 'system');
  } finally {
    r.close();
  }
});

test('an idle stream gets a ": keepalive" comment within 15 s', { timeout: 25_000 }, async () => {
  const r = await d.events('/api/v1/events?topics=system', { bearer });
  try {
    assert.equal(r.status, 200);
    const deadline = Date.now() + 17_000;
    while (Date.now() < deadline && !r.comments.some((c) => /^:\s*keepalive/.test(c))) {
      await new Promise((res) => setTimeout(res, 250));
    }
    assert.ok(r.comments.some((c) => /^:\s*keepalive/.test(c)), `comments seen: ${JSON.stringify(r.comments)}`);
  } finally {
    r.close();
  }
});
