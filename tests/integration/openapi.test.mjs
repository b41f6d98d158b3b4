// The OpenAPI document lists every route of docs/API.md with its methods.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startDaemon, repoRoot } from './lib/daemon.mjs';

let d;
before(async () => { d = await startDaemon(); });
after(async () => { await d?.cleanup(); });

// Rows of the route table: | METHOD | /path | roles | body | answer |
function documentedRoutes() {
  const md = fs.readFileSync(path.join(repoRoot, 'docs/API.md'), 'utf8');
  const routes = [];
  for (const line of md.split('\n')) {
    const m = /^\|\s*(GET|POST|PUT|PATCH|DELETE)\s*\|\s*(\/[^\s|]*)\s*\|/.exec(line);
    if (m) routes.push({ method: m[1].toLowerCase(), path: m[2].split('?')[0] });
  }
  return routes;
}

test('docs/API.md route table parses (guards this test itself)', () => {
  const r = documentedRoutes();
  assert.ok(r.length >= 15, `found ${r.length} routes`);
  assert.ok(r.some((x) => x.method === 'patch' && x.path === '/api/v1/users/{id}'));
});

test('GET /api/v1/openapi.json is OpenAPI 3.1 and lists every documented route and method', async () => {
  const r = await d.api('GET', '/api/v1/openapi.json');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type') ?? '', /^application\/json\b/);
  const spec = r.json;
  assert.ok(spec, 'body is JSON');
  assert.match(spec.openapi, /^3\.1\.\d+$/);
  assert.equal(typeof spec.info?.title, 'string');
  assert.equal(typeof spec.info?.version, 'string');
  assert.ok(spec.paths && typeof spec.paths === 'object');

  // Paths may be absolute or relative to a server URL such as /api/v1.
  const prefixes = ['', ...(spec.servers ?? []).map((s) => s.url).filter((u) => u && u.startsWith('/'))];
  const lookup = (p) => {
    for (const pre of prefixes) {
      if (pre === '' && spec.paths[p]) return spec.paths[p];
      if (pre !== '' && p.startsWith(pre) && spec.paths[p.slice(pre.replace(/\/$/, '').length)]) {
        return spec.paths[p.slice(pre.replace(/\/$/, '').length)];
      }
    }
    return undefined;
  };

  const missing = [];
  for (const { method, path: p } of documentedRoutes()) {
    const item = lookup(p);
    if (!item || !item[method]) missing.push(`${method.toUpperCase()} ${p}`);
  }
  assert.deepEqual(missing, [], `routes missing from openapi.json; it has ${JSON.stringify(Object.keys(spec.paths))}`);

  const patch = lookup('/api/v1/users/{id}').patch;
  const params = [...(patch.parameters ?? []), ...(lookup('/api/v1/users/{id}').parameters ?? [])];
  assert.ok(params.some((x) => x.name === 'id' && x.in === 'path'), 'the {id} path parameter is described');
});

test('every documented route is dispatched by the daemon (never 404 or 405 for its own method)', async () => {
  for (const { method, path: p } of documentedRoutes()) {
    if (p === '/api/v1/events') continue; // a stream; covered by events.test.mjs
    const concrete = p.replace(/\{[^}]+\}/g, '987654');
    const r = await d.api(method.toUpperCase(), concrete, method === 'post' || method === 'patch' ? { body: {} } : {});
    assert.notEqual(r.status, 405, `${method.toUpperCase()} ${p}: ${r.text}`);
    // Without credentials a protected route is 401 before it looks up the object.
    assert.notEqual(r.status, 404, `${method.toUpperCase()} ${p}: ${r.text}`);
  }
});
