// Health, readiness and Prometheus metrics.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startDaemon } from './lib/daemon.mjs';

let d;
let bearer;
before(async () => {
  d = await startDaemon({ tokens: [{ name: 'it-admin', role: 'admin' }] });
  bearer = d.tokens['it-admin'];
});
after(async () => { await d?.cleanup(); });

// Parses Prometheus text exposition into [{name, labels, value}].
function parseMetrics(text) {
  const out = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)(\s+\d+)?$/.exec(line);
    assert.ok(m, `valid exposition line: ${JSON.stringify(line)}`);
    const labels = {};
    if (m[3]) {
      for (const l of m[3].matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]] = l[2];
    }
    out.push({ name: m[1], labels, value: Number(m[4]) });
  }
  return out;
}

async function metrics() {
  const r = await d.api('GET', '/metrics');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type') ?? '', /^text\/plain\b/);
  return { text: r.text, samples: parseMetrics(r.text) };
}

const sum = (samples, name, pred = () => true) =>
  samples.filter((s) => s.name === name && pred(s.labels)).reduce((a, s) => a + s.value, 0);

// The route label is the pattern, with or without the method in front ("GET /healthz").
const routeOf = (l) => l.route;
const statusOf = (l) => l.status;
const isRoute = (l, method, pattern) => l.route === pattern || l.route === `${method} ${pattern}`;

test('/healthz is 200 {"status":"ok"}', async () => {
  const r = await d.api('GET', '/healthz');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type') ?? '', /^application\/json\b/);
  assert.deepEqual(r.json, { status: 'ok' });
});

test('/readyz is 200 {"status":"ready"}', async () => {
  const r = await d.api('GET', '/readyz');
  assert.equal(r.status, 200);
  assert.deepEqual(r.json, { status: 'ready' });
});

test('/metrics counts requests by route and status', async () => {
  const before = (await metrics()).samples;
  const healthz200 = (l) => isRoute(l, 'GET', '/healthz') && statusOf(l) === '200';
  const me401 = (l) => isRoute(l, 'GET', '/api/v1/me') && statusOf(l) === '401';
  for (let i = 0; i < 3; i++) assert.equal((await d.api('GET', '/healthz')).status, 200);
  for (let i = 0; i < 2; i++) assert.equal((await d.api('GET', '/api/v1/me')).status, 401);
  const { text, samples } = await metrics();

  assert.match(text, /^# TYPE portguard_http_requests_total counter$/m);
  const reqs = samples.filter((s) => s.name === 'portguard_http_requests_total');
  assert.ok(reqs.length > 0, 'portguard_http_requests_total has samples');
  for (const s of reqs) {
    assert.equal(typeof routeOf(s.labels), 'string', `a route label: ${JSON.stringify(s.labels)}`);
    assert.match(statusOf(s.labels) ?? '', /^[1-5]\d\d$/, `a status label: ${JSON.stringify(s.labels)}`);
  }
  assert.equal(sum(samples, 'portguard_http_requests_total', healthz200) -
    sum(before, 'portguard_http_requests_total', healthz200), 3, 'three more GET /healthz 200');
  assert.equal(sum(samples, 'portguard_http_requests_total', me401) -
    sum(before, 'portguard_http_requests_total', me401), 2, 'two more GET /api/v1/me 401');
});

test('/metrics labels routes by their pattern, not the concrete path', async () => {
  const r = await d.api('PATCH', '/api/v1/users/987654', { bearer, body: { role: 'operator' } });
  assert.equal(r.status, 404);
  const { samples } = await metrics();
  const routes = new Set(samples.filter((s) => s.name === 'portguard_http_requests_total').map((s) => routeOf(s.labels)));
  assert.ok(![...routes].some((x) => x.includes('987654')), `no concrete id in route labels: ${[...routes]}`);
});

test('/metrics counts store commits and events', async () => {
  const before = (await metrics()).samples;
  const c = await d.api('POST', '/api/v1/users', {
    bearer, body: { username: 'metrics-user', role: 'operator', password: 'metrics-password-1' },
  });
  assert.equal(c.status, 201, c.text);
  const { text, samples } = await metrics();
  assert.match(text, /^# TYPE portguard_store_commits_total counter$/m);
  assert.match(text, /^# TYPE portguard_events_total counter$/m);
  const commits = sum(samples, 'portguard_store_commits_total') - sum(before, 'portguard_store_commits_total');
  assert.ok(commits >= 1, `a user creation commits to the store (+${commits})`);
  const events = sum(samples, 'portguard_events_total') - sum(before, 'portguard_events_total');
  assert.ok(events >= 1, `a user creation publishes an event (+${events})`);
});
