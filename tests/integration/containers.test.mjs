// ISO 6346 container numbers: `portguard container check NUMBER...` (lines and exit codes)
// and POST /api/v1/containers/validate (results, and 400 for every malformed body).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { run, startDaemon, assertProblem } from './lib/daemon.mjs';

const lines = (s) => s.split('\n').filter((l) => l !== '');

// input -> what the CLI prints and the route answers. Check digits worked by hand in
// tests/unit/test_inspect_container.c.
const CASES = [
  { input: 'CSQU3054383', number: 'CSQU3054383', valid: true },
  { input: 'csqu 305438-3', number: 'CSQU3054383', valid: true },
  { input: 'TCNU7200794', number: 'TCNU7200794', valid: true },
  { input: 'GYOU4047990', number: 'GYOU4047990', valid: true },
  { input: 'MSCU1234565', number: 'MSCU1234565', valid: false, error: 'check digit is 5, expected 6', expected: 6 },
  { input: 'CSQU3054384', number: 'CSQU3054384', valid: false, error: 'check digit is 4, expected 3', expected: 3 },
  { input: 'C5QU3054383', number: 'C5QU3054383', valid: false, error: "owner code must be 3 letters (got 'C5Q')" },
  { input: 'CSQX3054383', number: 'CSQX3054383', valid: false, error: "category must be U, J or Z (got 'X')" },
  { input: 'CSQU30A4383', number: 'CSQU30A4383', valid: false, error: "serial must be 6 digits (got '30A438')" },
  { input: 'CSQU305438', number: 'CSQU305438', valid: false, error: 'too short: 10 characters, check digit missing (expected 3)', expected: 3 },
  { input: 'CSQU30543', number: 'CSQU30543', valid: false, error: 'too short: 9 characters, expected 11' },
  { input: 'CSQU30543833', number: 'CSQU30543833', valid: false, error: 'too long: 12 characters, expected 11', expected: 3 },
  { input: 'CSQU#054383', number: 'CSQU#054383', valid: false, error: "'#' at position 5 is not a letter or digit" },
];

const cliLine = (c) => `${c.number} ${c.valid ? 'valid' : `invalid: ${c.error}`}`;

// ---- the command line ----------------------------------------------------------------------

test('container check: valid numbers print "NUMBER valid", normalised, in order; exit 0', async () => {
  const valid = CASES.filter((c) => c.valid);
  const r = await run(['container', 'check', ...valid.map((c) => c.input)]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.deepEqual(lines(r.stdout), valid.map(cliLine));
  assert.equal(r.stderr, '');
});

test('container check: each invalid number says which part is wrong; exit 1 if any is', async () => {
  const r = await run(['container', 'check', ...CASES.map((c) => c.input)]);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.deepEqual(lines(r.stdout), CASES.map(cliLine));
  for (const c of CASES.filter((x) => !x.valid)) {
    const one = await run(['container', 'check', c.input]);
    assert.equal(one.code, 1, `${c.input}: ${one.stdout}`);
    assert.equal(one.stdout, `${cliLine(c)}\n`);
  }
});

test('container check: no number is a usage error (exit 2); --help exits 0', async () => {
  const r = await run(['container', 'check']);
  assert.equal(r.code, 2);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /missing NUMBER/);
  const h = await run(['container', 'check', '--help']);
  assert.equal(h.code, 0);
  assert.match(h.stdout, /portguard container check NUMBER\.\.\./);
  const f = await run(['container', 'check', 'CSQU3054383', '--bogus']);
  assert.equal(f.code, 2);
  assert.match(f.stderr, /--bogus/);
  const g = await run(['container']);
  assert.equal(g.code, 2);
  assert.match(g.stderr, /container check/);
});

test('a command of one positional still refuses a second (many positionals are per command)', async () => {
  const r = await run(['import', 'people', 'a.csv', 'b.csv', '--data', '/nonexistent']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /unexpected argument 'b\.csv'/);
  const u = await run(['user', 'add', 'one', 'two']);
  assert.equal(u.code, 2);
  assert.match(u.stderr, /unexpected argument 'two'/);
});

// ---- POST /api/v1/containers/validate --------------------------------------------------------

let d;
let tok;
before(async () => {
  d = await startDaemon({ tokens: [{ name: 'it-device', role: 'device' }, { name: 'it-auditor', role: 'auditor' }] });
  tok = d.tokens;
});
after(async () => { await d?.cleanup(); });

const validate = (body, bearer = tok['it-auditor']) =>
  d.api('POST', '/api/v1/containers/validate', { bearer, body });

test('validate answers one result per number, in order, as the CLI says it', async () => {
  const r = await validate({ numbers: CASES.map((c) => c.input) });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(Object.keys(r.json), ['results']);
  assert.equal(r.json.results.length, CASES.length);
  CASES.forEach((c, i) => {
    const want = { input: c.input, number: c.number, valid: c.valid };
    if (!c.valid) want.error = c.error;
    if (c.expected !== undefined) want.expected_check_digit = c.expected;
    assert.deepEqual(r.json.results[i], want, `result ${i} for ${c.input}`);
  });
});

test('validate is open to any authenticated principal, not to anonymous callers', async () => {
  const dev = await validate({ numbers: ['CSQU3054383'] }, tok['it-device']);
  assert.equal(dev.status, 200, dev.text);
  assert.equal(dev.json.results[0].valid, true);
  const anon = await d.api('POST', '/api/v1/containers/validate', { body: { numbers: ['CSQU3054383'] } });
  assertProblem(anon, 401, 'unauthorized');
});

test('validate takes 1000 numbers of up to 64 bytes', async () => {
  const numbers = Array.from({ length: 1000 }, (_, i) => (i % 2 ? 'CSQU3054383' : 'CSQU3054384'));
  numbers[999] = 'X'.repeat(64);
  const r = await validate({ numbers });
  assert.equal(r.status, 200, r.text.slice(0, 300));
  assert.equal(r.json.results.length, 1000);
  assert.equal(r.json.results[1].valid, true);
  assert.equal(r.json.results[0].expected_check_digit, 3);
  assert.equal(r.json.results[999].number, 'X'.repeat(64), 'the whole normalised input');
  assert.match(r.json.results[999].error, /category must be U, J or Z \(got 'X'\)/);
});

test('validate refuses malformed bodies with 400 bad-field naming the field', async () => {
  const bad = [
    [{}, 'numbers'],
    [{ numbers: 'CSQU3054383' }, 'numbers'],
    [{ numbers: [] }, 'numbers'],
    [{ numbers: Array(1001).fill('CSQU3054383') }, 'numbers'],
    [{ numbers: ['CSQU3054383', 42] }, 'numbers'],
    [{ numbers: [null] }, 'numbers'],
    [{ numbers: [['CSQU3054383']] }, 'numbers'],
    [{ numbers: ['X'.repeat(65)] }, 'numbers'],
    [{ numbers: ['CSQU3054383'], extra: 1 }, 'extra'],
  ];
  for (const [body, field] of bad) {
    const r = await validate(body);
    assertProblem(r, 400, 'bad-field', { field });
  }
  const which = await validate({ numbers: ['CSQU3054383', 'CSQU3054383', 7] });
  assert.match(which.json.detail, /numbers\[2\]/, 'says which entry');
  const big = await validate({ numbers: ['é'.repeat(33)] }); // 66 bytes, 33 characters
  assertProblem(big, 400, 'bad-field', { field: 'numbers' });
  const notJson = await validate('{"numbers": [');
  assertProblem(notJson, 400, 'bad-json');
  // a NUL inside a string never reaches the handler: the JSON parser refuses it
  const nul = await validate({ numbers: ['CSQU\u00003054383'] });
  assert.equal(nul.status, 400, nul.text);
});

test('the daemon stops cleanly after all that (under the sanitizers: no leak, no report)', async () => {
  assert.equal(await d.stop(), 0, `clean stop: ${JSON.stringify(d.lastExit)}\n${d.log.slice(-2000)}`);
});
