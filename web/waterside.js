/*
 * portguard web console: the waterside. The live AIS picture on a Leaflet map without tiles
 * (the waterside layout's zones and the access zones are the base picture): vessels as
 * markers turned to their heading (or course) with their name, a vessel's downsampled track
 * on click, anomaly markers and the anomaly list, updated live from the event stream
 * (topics "vessels" and "ais", its own EventSource so the positions do not flood the ticker);
 * and a vessel table.
 *
 * API (docs/API.md "Waterside (AIS)"): GET /api/v1/waterside/layout, GET /api/v1/vessels,
 * GET /api/v1/vessels/{mmsi}, GET /api/v1/vessels/{mmsi}/track; GET /api/v1/zones.
 */
'use strict';

(window.portguard = window.portguard || { modules: [] }).modules.push(function (h) {
  const { API, el, $, api, listOf, showAlert, problemText, timeEl } = h;
  const KIND_COLOUR = { port_area: '#1d5ea8', berth: '#1e7a34', restricted: '#b3261e', anchorage: '#9a6b00', channel: '#5b3fa0', land: '#8a7a5a' };
  const STATUS = ['under way using engine', 'at anchor', 'not under command', 'restricted manoeuvrability',
    'constrained by draught', 'moored', 'aground', 'fishing', 'under way sailing', '', '', '', '', '', 'AIS-SART', ''];
  const KIND_TEXT = { zone_entry: 'zone entry', approach: 'approach', dark: 'dark', loitering: 'loitering', rendezvous: 'rendezvous', spoofing: 'spoofing', identity: 'identity', speeding: 'speeding' };
  const MAX_ANOMALIES = 200;

  const textNode = (s) => window.portguard.map.textNode(s); /* map.js: tooltip text as a DOM node */

  const fetchAll = h.fetchAll; /* every item of a list route, at most max (app.js) */

  function pageWaterside(view, alive) {
    const L = window.L;
    const errorEl = $(view, 'ws-error');
    const vessels = new Map(); /* mmsi -> {v, marker, node, arrow} */
    const flagged = new Set(); /* mmsi with an anomaly */
    let selected = null;
    let es = null;
    const pgmap = window.portguard.map && L ? window.portguard.map.create($(view, 'ws-map')) : null;
    const map = pgmap ? pgmap.leaflet : null;
    const layer = (name) => pgmap.layer(name);

    /* ---------- base picture ---------- */

    async function loadLayout() {
      const r = await api('GET', API + '/waterside/layout');
      if (!alive() || !map) return;
      if (!r.ok) { showAlert(errorEl, problemText(r.problem)); return; }
      const g = layer('layout');
      g.clearLayers();
      for (const f of (r.data && Array.isArray(r.data.features)) ? r.data.features : []) {
        const p = (f && f.properties) || {};
        try {
          const colour = KIND_COLOUR[p.kind] || '#4a5a6a';
          L.geoJSON(f.geometry, { style: { color: colour, weight: p.kind === 'port_area' ? 1 : 2, fillOpacity: p.kind === 'land' ? 0.25 : 0.08, dashArray: p.kind === 'channel' ? '6 4' : null } })
            .bindTooltip(textNode((p.name || '') + ' (' + String(p.kind || '').replace('_', ' ') + (p.speed_limit_kn ? ', ' + p.speed_limit_kn + ' kn' : '') + ')'), { sticky: true })
            .addTo(g);
        } catch (e) { /* a geometry Leaflet cannot draw is left out */ }
      }
      g.bringToBack();
      pgmap.fit();
      /* the access zones on land, if this role may read them */
      const z = await api('GET', API + '/zones?limit=500', undefined, { quiet401: true });
      if (!alive() || !z.ok) return;
      pgmap.setZones(listOf(z.data).items);
    }

    /* ---------- vessels ---------- */

    function label(v) { return v.name || ('MMSI ' + v.mmsi); }
    function turn(v) {
      if (typeof v.heading === 'number' && v.heading >= 0 && v.heading < 360) return v.heading;
      if (typeof v.cog === 'number' && v.cog >= 0) return v.cog;
      return 0;
    }
    function moored(v) { return v.status === 5 || (typeof v.sog === 'number' && v.sog < 0.3); }

    function place(v) {
      if (!map || typeof v.lat !== 'number' || typeof v.lon !== 'number') return;
      let e = vessels.get(v.mmsi);
      if (!e) {
        const arrow = el('span', { class: 'ws-arrow' });
        const name = el('span', { class: 'ws-name' });
        const node = el('div', { class: 'ws-ship', 'data-mmsi': String(v.mmsi) }, [arrow, name]);
        const marker = L.marker([v.lat, v.lon], { icon: L.divIcon({ html: node, className: '', iconSize: [16, 16], iconAnchor: [8, 8] }), keyboard: false });
        marker.on('click', () => select(v.mmsi));
        marker.addTo(layer('vessels'));
        e = { v: v, marker: marker, node: node, arrow: arrow, name: name };
        vessels.set(v.mmsi, e);
      }
      e.v = Object.assign(e.v, v);
      e.marker.setLatLng([v.lat, v.lon]);
      e.arrow.style.transform = 'rotate(' + turn(e.v) + 'deg)';
      e.name.textContent = label(e.v);
      e.node.setAttribute('data-moored', moored(e.v) ? 'true' : 'false');
      e.node.setAttribute('data-anomaly', flagged.has(v.mmsi) ? 'true' : 'false');
      e.node.setAttribute('data-selected', selected === v.mmsi ? 'true' : 'false');
      e.node.setAttribute('data-lat', String(v.lat));
      e.node.setAttribute('data-lon', String(v.lon));
    }

    function fmt(n, d) { return typeof n === 'number' ? n.toFixed(d) : ''; }

    let tableTimer = null;
    function renderTable() {
      if (tableTimer) return;
      tableTimer = window.setTimeout(() => {
        tableTimer = null;
        if (!alive()) return;
        const rows = [...vessels.values()].map((e) => e.v).sort((a, b) => label(a).localeCompare(label(b)));
        $(view, 'ws-tbody').replaceChildren(...rows.map((v) => el('tr', {
          'data-mmsi': String(v.mmsi), tabindex: '0', 'aria-selected': selected === v.mmsi ? 'true' : 'false',
          onclick: () => select(v.mmsi),
          onkeydown: (ev) => { if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); select(v.mmsi); } },
        }, [
          el('td', { text: label(v) }), el('td', { text: String(v.mmsi) }),
          el('td', { class: 'num', text: fmt(v.sog, 1) }), el('td', { class: 'num', text: fmt(v.cog, 0) }),
          el('td', { text: STATUS[v.status] || '' }),
          el('td', { text: Array.isArray(v.zones) ? v.zones.join(', ') : '' }),
        ])));
        $(view, 'ws-empty').hidden = rows.length > 0;
        $(view, 'ws-count').textContent = '(' + rows.length + ' vessels)';
      }, 250);
    }

    async function loadVessels() {
      const r = await fetchAll('/vessels', 5000);
      if (!alive()) return;
      if (!r.ok) { showAlert(errorEl, problemText(r.r.problem)); return; }
      for (const v of r.items) place(v);
      renderTable();
    }

    /* ---------- one vessel and its track ---------- */

    async function select(mmsi) {
      selected = mmsi;
      for (const e of vessels.values()) e.node.setAttribute('data-selected', e.v.mmsi === mmsi ? 'true' : 'false');
      renderTable();
      const [vr, tr] = await Promise.all([
        api('GET', API + '/vessels/' + mmsi),
        api('GET', API + '/vessels/' + mmsi + '/track?limit=500'),
      ]);
      if (!alive() || selected !== mmsi) return;
      const facts = $(view, 'ws-facts');
      if (!vr.ok) { showAlert(errorEl, problemText(vr.problem)); return; }
      const v = vr.data;
      const dims = (v.to_bow || 0) + (v.to_stern || 0);
      const rows = [
        ['Name', v.name || ''], ['MMSI', String(v.mmsi)], ['IMO', v.imo ? String(v.imo) : ''],
        ['Call sign', v.callsign || ''], ['Class', v.class || ''], ['Ship type', v.shiptype ? String(v.shiptype) : ''],
        ['Length x beam', dims ? dims + ' m x ' + ((v.to_port || 0) + (v.to_starboard || 0)) + ' m' : ''],
        ['Destination', v.destination || ''], ['ETA', v.eta || ''], ['Status', STATUS[v.status] || ''],
        ['Speed / course', fmt(v.sog, 1) + ' kn / ' + fmt(v.cog, 0) + '\u00b0'], ['Heading', v.heading === null ? '' : String(v.heading)],
        ['Position', fmt(v.lat, 5) + ' N ' + fmt(v.lon, 5) + ' E'], ['Zones', Array.isArray(v.zones) ? v.zones.join(', ') : ''],
        ['Last seen', v.last_seen || ''], ['Messages', String(v.messages)],
      ];
      facts.replaceChildren(...rows.flatMap(([k, val]) => [el('dt', { text: k }), el('dd', { text: val })]));
      facts.hidden = false;
      $(view, 'ws-detail-empty').hidden = true;
      $(view, 'ws-detail-title').textContent = v.name || ('MMSI ' + v.mmsi);
      if (!map) return;
      const g = layer('track');
      g.clearLayers();
      const pts = tr.ok ? listOf(tr.data).items.filter((p) => typeof p.lat === 'number').map((p) => [p.lat, p.lon]) : [];
      for (const p of pts) L.circleMarker(p, { radius: 2, color: '#d3540b', weight: 1, fillOpacity: 1, className: 'ws-track-point' }).addTo(g);
      /* the kept points, then where it is now */
      if (typeof v.lat === 'number') pts.push([v.lat, v.lon]);
      if (pts.length > 1) L.polyline(pts, { color: '#d3540b', weight: 3, opacity: 0.8, className: 'ws-track' }).addTo(g);
    }

    /* ---------- anomalies ---------- */

    function addAnomaly(item) {
      const d = item && item.data;
      if (!d || d.action !== 'anomaly') return;
      flagged.add(d.mmsi);
      const e = vessels.get(d.mmsi);
      if (e) e.node.setAttribute('data-anomaly', 'true');
      const text = KIND_TEXT[d.kind] || d.kind;
      const who = d.name || ('MMSI ' + d.mmsi);
      const list = $(view, 'ws-anomalies');
      const li = el('li', { class: 'ws-anomaly', 'data-kind': d.kind, 'data-mmsi': String(d.mmsi), tabindex: '0',
        onclick: () => { if (map && typeof d.lat === 'number') map.panTo([d.lat, d.lon]); if (vessels.has(d.mmsi)) select(d.mmsi); } }, [
        el('span', { class: 'ws-kind', text: text + (d.check ? ' (' + d.check + ')' : '') }),
        el('span', { text: who + (d.zone ? ' \u2013 ' + d.zone : '') }),
        el('span', { class: 'ws-when' }, timeEl(d.at || item.at, false)),
        el('span', { class: 'ws-reason', text: d.reason || '' }),
      ]);
      list.prepend(li);
      while (list.children.length > MAX_ANOMALIES) list.lastElementChild.remove();
      $(view, 'ws-anomalies-empty').hidden = true;
      if (map && typeof d.lat === 'number' && typeof d.lon === 'number') {
        L.circleMarker([d.lat, d.lon], { radius: 9, color: '#b3261e', weight: 2, fill: false, className: 'ws-anomaly-marker' })
          .bindTooltip(textNode(text + ': ' + who + ' \u2013 ' + (d.reason || '')))
          .addTo(layer('anomalies'));
      }
    }

    /* ---------- live ---------- */

    function onVessels(item) {
      const d = item && item.data;
      if (!d || !Array.isArray(d.vessels)) return;
      for (const v of d.vessels) if (v && typeof v.mmsi === 'number') place(v);
      renderTable();
    }

    function parse(ev) {
      try { return JSON.parse(ev.data); } catch (e) { return null; }
    }

    function startLive() {
      if (es) es.close();
      es = new EventSource(API + '/events?topics=vessels,ais&recent=100');
      es.addEventListener('vessels', (ev) => { if (alive()) onVessels(parse(ev)); });
      es.addEventListener('ais', (ev) => { if (alive()) addAnomaly(parse(ev)); });
      es.onmessage = (ev) => {
        const m = parse(ev);
        if (!alive() || !m) return;
        if (m.topic === 'vessels') onVessels(m);
        else if (m.topic === 'ais') addAnomaly(m);
      };
    }

    loadLayout();
    loadVessels().then(() => { if (alive()) startLive(); });
    return () => {
      if (es) es.close();
      if (tableTimer) window.clearTimeout(tableTimer);
      if (pgmap) pgmap.destroy();
    };
  }

  return { pages: { waterside: { tpl: 'tpl-page-waterside', init: pageWaterside, wide: true } } };
});
