// A small AIS encoder for the tests: message types 1 (Class A position) and 5 (static and
// voyage data) as !AIVDM sentences with their checksums (ITU-R M.1371, NMEA 0183).
class Bits {
  constructor() { this.bits = []; }
  u(v, n) { for (let i = n - 1; i >= 0; i--) this.bits.push(Math.floor(v / 2 ** i) % 2); }
  s(v, n) { this.u(v < 0 ? 2 ** n + v : v, n); }
  t(str, n) {
    const chars = '@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_ !"#$%&\'()*+,-./0123456789:;<=>?';
    const s = (str || '').toUpperCase().padEnd(n, '@').slice(0, n);
    for (const c of s) { const k = chars.indexOf(c); this.u(k < 0 ? 0 : k, 6); }
  }
}

function checksum(body) {
  let c = 0;
  for (const ch of body) c ^= ch.charCodeAt(0);
  return c.toString(16).toUpperCase().padStart(2, '0');
}

function armour(bits) {
  const fill = (6 - (bits.length % 6)) % 6;
  const b = bits.concat(new Array(fill).fill(0));
  let out = '';
  for (let i = 0; i < b.length; i += 6) {
    let v = 0;
    for (let k = 0; k < 6; k++) v = v * 2 + b[i + k];
    out += String.fromCharCode(v < 40 ? v + 48 : v + 56);
  }
  return { payload: out, fill };
}

let seq = 0;
function sentences(bits, channel = 'A') {
  const { payload, fill } = armour(bits);
  const parts = [];
  for (let i = 0; i < payload.length; i += 60) parts.push(payload.slice(i, i + 60));
  const id = parts.length > 1 ? String((seq++) % 10) : '';
  return parts.map((p, i) => {
    const body = `AIVDM,${parts.length},${i + 1},${id},${channel},${p},${i === parts.length - 1 ? fill : 0}`;
    return `!${body}*${checksum(body)}`;
  });
}

/** A type 1 position report: {mmsi, lat, lon, sog (kn), cog (deg), heading, status}. */
export function position({ mmsi, lat, lon, sog = 0, cog = 0, heading = 511, status = 0 }) {
  const b = new Bits();
  b.u(1, 6); b.u(0, 2); b.u(mmsi, 30); b.u(status, 4); b.s(-128, 8);
  b.u(Math.round(sog * 10), 10); b.u(1, 1);
  b.s(Math.round(lon * 600000), 28); b.s(Math.round(lat * 600000), 27);
  b.u(Math.round(cog * 10) % 3600, 12); b.u(heading, 9); b.u(new Date().getUTCSeconds(), 6);
  b.u(0, 2); b.u(0, 3); b.u(0, 1); b.u(0, 19);
  return sentences(b.bits)[0];
}

/** A type 5 static and voyage report: {mmsi, name, callsign, imo, shiptype, destination}. */
export function staticData({ mmsi, name, callsign = '', imo = 0, shiptype = 70, destination = '' }) {
  const b = new Bits();
  b.u(5, 6); b.u(0, 2); b.u(mmsi, 30); b.u(2, 2); b.u(imo, 30); b.t(callsign, 7); b.t(name, 20);
  b.u(shiptype, 8); b.u(50, 9); b.u(50, 9); b.u(8, 6); b.u(8, 6); b.u(1, 4);
  b.u(11, 4); b.u(27, 5); b.u(18, 5); b.u(0, 6); b.u(60, 8); b.t(destination, 20); b.u(0, 1); b.u(0, 1);
  return sentences(b.bits);
}
