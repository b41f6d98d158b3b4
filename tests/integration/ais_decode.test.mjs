// portguard ais decode: NMEA AIS lines in, gpsd JSON lines out (gpsdecode as the oracle
// when it is installed), drops counted by reason, exit codes, large and odd input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { run, runOk, tempDir, removeTempDir } from './lib/daemon.mjs';

const POS = '!AIVDM,1,1,,B,177KQJ5000G?tO`K>RA1wUbN0TKH,0*5C';
const POS_JSON = '{"class":"AIS","device":"stdin","type":1,"repeat":0,"mmsi":477553000,' +
  '"scaled":true,"status":5,"status_text":"Moored","turn":0,"speed":0.0,"accuracy":false,' +
  '"lon":-122.345833,"lat":47.582833,"course":51.0,"heading":181,"second":15,"maneuver":0,' +
  '"raim":false,"radio":149208}';
// a type 5 in two sentences, and a base station report with a tag block
const T5 = [
  '!AIVDM,2,1,3,B,53mhgn02>fFp<Dhp000<Q<PU80l4p@P000000017?@?;<6l<0<0000000000,0*5C',
  '!AIVDM,2,2,3,B,00000000000,2*24',
];
const T4 = '\\s:rcv1,c:1700000000*6C\\!AIVDM,1,1,,A,402=ab1vbJKH4rEuF@GE7;o00000,0*63';

// "!" + body + "*hh" with the XOR checksum of body
const sentence = (body) => {
  let cs = 0;
  for (const ch of body) cs ^= ch.charCodeAt(0);
  return `!${body}*${cs.toString(16).toUpperCase().padStart(2, '0')}`;
};
const gpsdecode = fs.existsSync('/usr/bin/gpsdecode') ? '/usr/bin/gpsdecode' : null;
const stats = (stderr) => Object.fromEntries(stderr.trim().split('\n')
  .map((l) => l.split(' ')).map(([k, v]) => [k, Number(v)]));

test('a sentence on stdin gives gpsd JSON, CRLF-terminated as gpsdecode prints it', async () => {
  const r = await runOk(['ais', 'decode'], { input: POS + '\n' });
  assert.equal(r.stdout, POS_JSON + '\r\n');
  assert.equal(r.stderr, '');
});

test('output is byte-identical to gpsdecode -j and -u -j on the same input', async (t) => {
  if (!gpsdecode) { t.skip('gpsdecode not installed'); return; }
  const input = [POS, ...T5, T4, sentence(POS.slice(1, -3).replace('AIVDM', 'BSVDO'))].join('\n') + '\n';
  for (const [ours, theirs] of [[[], ['-j']], [['--raw'], ['-u', '-j']]]) {
    const r = await runOk(['ais', 'decode', ...ours], { input });
    const g = spawnSync(gpsdecode, theirs, { input, encoding: 'utf8' });
    assert.equal(g.status, 0, g.stderr);
    assert.equal(r.stdout.split('\r\n').length - 1, 4, r.stdout);
    assert.equal(r.stdout, g.stdout, `portguard ${ours.join(' ')} vs gpsdecode ${theirs.join(' ')}`);
  }
});

test('a FILE argument is read and named as the device; "-" is stdin', async () => {
  const dir = tempDir();
  try {
    const f = path.join(dir, 'feed.nmea');
    fs.writeFileSync(f, [POS, ...T5].join('\n') + '\n');
    const r = await runOk(['ais', 'decode', f]);
    const lines = r.stdout.trim().split('\r\n').map((l) => JSON.parse(l));
    assert.equal(lines.length, 2);
    assert.equal(lines[0].device, f);
    assert.equal(lines[1].type, 5);
    assert.equal(lines[1].shipname.length > 0, true, JSON.stringify(lines[1]));
    const s = await runOk(['ais', 'decode', '-'], { input: POS + '\n' });
    assert.equal(s.stdout, POS_JSON + '\r\n');
  } finally {
    removeTempDir(dir);
  }
});

test('bad lines are dropped and counted by reason; the good ones still print; exit 0', async () => {
  const input = [
    'hello',                                       // bad_format
    POS.replace('*5C', '*5D'),                     // bad_checksum
    POS,                                           // ok
    '!AIVDM,1,1,,B,177KQJ5000G?tO`K>RA1wUbN0TKX,0*4C', // illegal_character
    '!AIVDM,1,1,,B,177KQJ5000G?tO`K>RA1,0*35',     // truncated_payload
    T5[1],                                         // lost_fragment (no first part)
    T5[0],                                         // waits, then lost at the end
    '',                                            // blank: not a sentence
  ].join('\n') + '\n';
  const r = await run(['ais', 'decode', '--stats'], { input });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, POS_JSON + '\r\n');
  const s = stats(r.stderr);
  assert.deepEqual(
    [s.sentences, s.messages, s.dropped, s.bad_format, s.bad_checksum, s.illegal_character,
      s.truncated_payload, s.lost_fragment, s.unknown_type],
    [7, 1, 6, 1, 1, 1, 1, 2, 0], r.stderr);
});

test('--raw prints the unscaled integers', async () => {
  const r = await runOk(['ais', 'decode', '--raw'], { input: POS + '\n' });
  const j = JSON.parse(r.stdout);
  assert.equal(j.scaled, false);
  assert.equal(j.lon, -73407500);
  assert.equal(j.course, 510);
});

test('input across read buffers, CRLF, a last line without a newline, an overlong line', async () => {
  const n = 40000; // about 2 MB: lines cross the 1 MB reads
  const body = [];
  for (let i = 0; i < n; i++) body.push(i % 2 ? POS + '\r' : POS);
  const input = 'x'.repeat(10000) + '\n' + body.join('\n') + '\n' + T5.join('\r\n') + '\r\n' + POS;
  const r = await run(['ais', 'decode', '--stats'], { input, timeoutMs: 20000 });
  assert.equal(r.code, 0, r.stderr);
  const out = r.stdout.split('\r\n');
  assert.equal(out.length - 1, n + 2);
  assert.equal(out[0], POS_JSON);
  assert.equal(JSON.parse(out[n]).type, 5);
  const s = stats(r.stderr);
  assert.equal(s.bad_format, 1, r.stderr);
  assert.equal(s.messages, n + 2);
});

test('usage errors exit 2, a missing file exits 1, each naming what was wrong', async () => {
  const two = await run(['ais', 'decode', 'a.nmea', 'b.nmea']);
  assert.equal(two.code, 2);
  assert.match(two.stderr, /b\.nmea/);
  const flag = await run(['ais', 'decode', '--frobnicate']);
  assert.equal(flag.code, 2);
  assert.match(flag.stderr, /--frobnicate/);
  const missing = await run(['ais', 'decode', '/nonexistent/feed.nmea']);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /\/nonexistent\/feed\.nmea/);
  const help = await runOk(['ais', 'decode', '--help']);
  assert.match(help.stdout, /--raw/);
  assert.match(help.stdout, /--stats/);
});
