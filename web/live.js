/*
 * portguard web console: the live screens of access control: the decision log, occupancy
 * and muster. All three follow the daemon's event stream (topics `access` and `muster`)
 * through app.js's subscriptions. Uses the helpers access.js shares as h.ax.
 *
 * API (docs/API.md): GET /api/v1/access/decisions, GET /api/v1/occupancy,
 *   GET/POST /api/v1/musters, GET /api/v1/musters/{id}, POST /api/v1/musters/{id}/safe,
 *   POST /api/v1/musters/{id}/close, GET /api/v1/musters/{id}/report.csv.
 */
'use strict';

(window.portguard = window.portguard || { modules: [] }).modules.push(function (h) {
  const { API, el, $, api, listOf, showAlert, clearFieldErrors, problemText, timeEl } = h;
  const DECISIONS_MAX = 500;
  const REFRESH_DELAY_MS = 250;

  /* The live-state pill of a page, following the event stream. */
  function followLive(node) {
    const show = (s) => {
      node.setAttribute('data-state', s);
      node.textContent = { live: 'live', connecting: 'connecting\u2026', reconnecting: 'reconnecting\u2026', offline: 'offline' }[s] || s;
    };
    show(h.liveState() === 'live' ? 'live' : (h.liveState() === 'offline' ? 'connecting' : h.liveState()));
    h.subscribe(':live', () => show('live'));
    h.subscribe(':state', (s) => show(s));
  }

  /* Calls fn at most once per delay, after the last request (trailing). */
  function debounced(fn, delay, timers) {
    let t = null;
    return () => {
      if (t) { window.clearTimeout(t); timers.delete(t); }
      t = window.setTimeout(() => { timers.delete(t); t = null; fn(); }, delay);
      timers.add(t);
    };
  }

  function nameOf(v, fallback) {
    if (v === null || v === undefined || v === '') return fallback || '';
    if (typeof v === 'object') return String(v.name || h.ax.personName(v) || (v.id !== undefined ? '#' + v.id : fallback || ''));
    return String(v);
  }

  function duration(ms) {
    if (!Number.isFinite(ms) || ms < 0) ms = 0;
    const s = Math.floor(ms / 1000);
    const d = Math.floor(s / 86400);
    const hh = Math.floor((s % 86400) / 3600);
    const mm = Math.floor((s % 3600) / 60);
    if (d) return d + 'd ' + hh + 'h';
    if (hh) return hh + 'h ' + String(mm).padStart(2, '0') + 'm';
    return mm + 'm';
  }

  function clock(secs) {
    secs = Math.max(0, Math.floor(secs));
    const hh = Math.floor(secs / 3600);
    const mm = Math.floor((secs % 3600) / 60);
    const ss = secs % 60;
    const two = (n) => String(n).padStart(2, '0');
    return (hh ? hh + ':' : '') + two(mm) + ':' + two(ss);
  }

  /* ---------- page: live decision log ---------- */

  function pageDecisions(view, alive) {
    const ax = h.ax;
    const tbody = $(view, 'dec-tbody');
    const older = $(view, 'dec-older');
    const errorEl = $(view, 'dec-error');
    const rows = new Map(); /* decision id -> tr */
    let filter = '';
    let next = null;
    let gen = 0;

    function matches(d) {
      return !filter || d.decision === filter;
    }

    function decisionRow(d, fresh) {
      const deny = d.decision !== 'grant';
      const reason = String(d.reason || (deny ? '' : 'granted'));
      const person = d.person ? nameOf(d.person) : null;
      /* the engine's own words: a string in events, inside the stored detail in the list */
      const words = typeof d.detail === 'string' ? d.detail : (d.detail && typeof d.detail.detail === 'string' ? d.detail.detail : '');
      const held = d.held === true || !!(d.detail && typeof d.detail === 'object' && d.detail.held === true);
      const reader = d.reader ? nameOf(d.reader) : (d.reader_id !== undefined && d.reader_id !== null ? 'reader ' + d.reader_id : '\u2013');
      const tr = el('tr', {
        'data-id': String(d.id),
        'data-decision': deny ? 'deny' : 'grant',
        'data-reason': reason,
        class: (deny ? 'row-deny' : 'row-grant') + (fresh ? ' row-new' : ''),
      }, [
        el('td', { class: 'nowrap mono' }, timeEl(d.at, true)),
        el('td', null, el('span', { class: 'verdict verdict-' + (deny ? 'deny' : 'grant'), text: deny ? 'deny' : 'grant' })),
        el('td', { class: 'reason-cell', title: words || null }, [
          el('code', { class: 'reason-code', text: reason }),
          held ? el('span', { class: 'tag tag-held', text: 'held' }) : null,
          deny || reason !== 'granted' ? el('span', { class: 'reason-text', text: ax.reasonText(reason) }) : null,
        ]),
        el('td', { class: person ? 'strong' : 'dim', text: person || 'unknown' }),
        el('td', { class: 'mono', text: String(d.credential || '') }),
        el('td', { text: reader }),
        el('td', { text: d.zone ? nameOf(d.zone) : '\u2013' }),
        el('td', { class: 'num' }, d.level ? ax.levelChip(d.level) : null),
      ]);
      return tr;
    }

    function place(d, fresh) {
      if (d === null || typeof d !== 'object' || d.id === undefined || d.id === null) return;
      const key = String(d.id);
      if (rows.has(key)) return;
      const tr = decisionRow(d, fresh);
      rows.set(key, tr);
      /* newest (highest id) first */
      const n = Number(d.id);
      let before = null;
      for (const other of tbody.rows) {
        if (Number(other.getAttribute('data-id')) < n) { before = other; break; }
      }
      tbody.insertBefore(tr, before);
      if (tbody.rows.length > DECISIONS_MAX) {
        while (tbody.rows.length > DECISIONS_MAX) {
          const last = tbody.lastElementChild;
          rows.delete(last.getAttribute('data-id'));
          last.remove();
        }
        /* the list cursor is the id of the last row shown: "Older" goes on from there */
        next = tbody.lastElementChild.getAttribute('data-id');
        older.hidden = false;
      }
      stats();
    }

    function stats() {
      let g = 0;
      let dn = 0;
      for (const tr of tbody.rows) if (tr.getAttribute('data-decision') === 'grant') g++; else dn++;
      $(view, 'dec-empty').hidden = tbody.rows.length > 0;
      $(view, 'dec-stats').textContent = tbody.rows.length
        ? tbody.rows.length + ' shown: ' + g + (g === 1 ? ' grant, ' : ' grants, ') + dn + (dn === 1 ? ' deny.' : ' denies.')
        : '';
    }

    async function load(reset) {
      const my = ++gen;
      let url = API + '/access/decisions?limit=' + h.PAGE_LIMIT;
      if (filter) url += '&decision=' + encodeURIComponent(filter);
      if (!reset && next) url += '&after=' + encodeURIComponent(next);
      /* Cleared before asking: decisions arriving live meanwhile stay, the answer fills in
       * the rest (place() skips what is already shown). */
      if (reset) { tbody.replaceChildren(); rows.clear(); }
      older.disabled = true;
      const r = await api('GET', url);
      if (!alive() || my !== gen) return;
      older.disabled = false;
      if (!r.ok) {
        showAlert(errorEl, 'Could not load decisions: ' + problemText(r.problem));
        return;
      }
      showAlert(errorEl, '');
      const page = listOf(r.data);
      for (const d of page.items) place(d, false);
      next = page.next;
      older.hidden = !next;
      stats();
    }

    for (const radio of view.querySelectorAll('input[name="dec-filter"]')) {
      radio.addEventListener('change', () => {
        if (!radio.checked) return;
        filter = radio.value;
        next = null;
        load(true);
      });
    }
    older.addEventListener('click', () => load(false));
    h.subscribe('access', (item) => {
      const d = item.data;
      if (!d || d.action !== 'decision' || !matches(d)) return;
      place(Object.assign({ at: item.at }, d), true);
    });
    followLive($(view, 'dec-live'));
    load(true);
  }

  /* ---------- page: occupancy ---------- */

  function pageOccupancy(view, alive) {
    const ax = h.ax;
    const bars = $(view, 'occ-bars');
    const tbody = $(view, 'occ-tbody');
    const zoneSel = $(view, 'occ-zone');
    const errorEl = $(view, 'occ-error');
    const timers = new Set();
    let readersById = new Map();
    let items = [];
    let gen = 0;

    function barState(count, cap) {
      if (!cap) return 'none';
      const f = count / cap;
      return f >= 1 ? 'full' : f >= 0.8 ? 'high' : 'ok';
    }

    function renderBars(zones) {
      bars.replaceChildren();
      for (const z of zones) {
        const count = Number(z.count) || 0;
        const cap = Number(z.capacity) || 0;
        const fill = el('span', { class: 'bar-fill' });
        fill.style.width = (cap ? Math.min(100, (count / cap) * 100) : (count ? 100 : 0)) + '%';
        const pick = el('button', { type: 'button', class: 'occ-zone-button', 'aria-label': 'Show who is inside ' + z.name }, [
          el('span', { class: 'occ-name', text: String(z.name) }),
          el('span', { class: 'occ-count' }, [el('strong', { text: String(count) }), cap ? ' / ' + cap : ' inside']),
        ]);
        pick.addEventListener('click', () => { zoneSel.value = String(z.id); load(); });
        bars.append(el('li', {
          class: 'occ-row', 'data-id': String(z.id), 'data-state': barState(count, cap), 'data-count': String(count),
          'aria-current': zoneSel.value === String(z.id) ? 'true' : null,
        }, [pick, el('span', { class: 'bar' + (cap ? '' : ' bar-uncapped'), 'aria-hidden': 'true' }, fill),
          el('span', { class: 'occ-cap dim', text: cap ? Math.round((count / cap) * 100) + '%' : 'no limit' })]));
      }
      $(view, 'occ-bars-empty').hidden = zones.length > 0;
    }

    function renderItems() {
      tbody.replaceChildren();
      const now = Date.now();
      for (const it of items) {
        const since = it.since ? Date.parse(it.since) : NaN;
        const rid = it.reader_id !== undefined && it.reader_id !== null ? String(it.reader_id) : null;
        const reader = it.reader ? nameOf(it.reader) : (rid ? (readersById.has(rid) ? readersById.get(rid).name : 'reader ' + rid) : '\u2013');
        const pid = it.person_id !== undefined ? it.person_id : (it.person && typeof it.person === 'object' ? it.person.id : '');
        tbody.append(el('tr', { 'data-person': String(pid) }, [
          el('th', { scope: 'row', class: 'strong', text: nameOf(it.person, 'unknown') }),
          el('td', { text: nameOf(it.zone, '\u2013') }),
          el('td', { class: 'nowrap' }, it.since ? timeEl(it.since, true) : '\u2013'),
          el('td', { class: 'nowrap', text: Number.isNaN(since) ? '\u2013' : duration(now - since) }),
          el('td', { text: reader }),
        ]));
      }
      $(view, 'occ-empty').hidden = items.length > 0;
    }

    async function load() {
      const my = ++gen;
      const zid = zoneSel.value;
      const reqs = [api('GET', API + '/occupancy')];
      if (zid) reqs.push(api('GET', API + '/occupancy?zone_id=' + encodeURIComponent(zid)));
      const [all, one] = await Promise.all(reqs);
      if (!alive() || my !== gen) return;
      const r = one || all;
      if (!all.ok || !r.ok) {
        showAlert(errorEl, 'Could not load occupancy: ' + problemText((all.ok ? r : all).problem));
        return;
      }
      showAlert(errorEl, '');
      const zones = all.data && Array.isArray(all.data.zones) ? all.data.zones : [];
      items = r.data && Array.isArray(r.data.items) ? r.data.items : [];
      renderBars(zones);
      /* the zone filter lists every zone of the answer */
      const keep = zoneSel.value;
      if (zoneSel.options.length - 1 !== zones.length) {
        zoneSel.replaceChildren(el('option', { value: '', text: 'all zones' }),
          ...zones.map((z) => el('option', { value: String(z.id), text: String(z.name) })));
        zoneSel.value = keep;
      }
      renderItems();
      $(view, 'occ-updated').textContent = 'updated ' + h.fmtTime(new Date().toISOString(), false) + ' UTC';
    }

    zoneSel.addEventListener('change', load);
    const refresh = debounced(load, REFRESH_DELAY_MS, timers);
    h.subscribe('access', (item) => {
      const d = item.data;
      if (d && d.action === 'decision' && d.decision === 'grant') refresh();
      else if (d && d.action && d.action !== 'decision') refresh(); /* resets, musters */
    });
    followLive($(view, 'occ-live'));
    h.fetchAll('/readers').then((rr) => {
      if (!alive()) return;
      readersById = new Map(rr.items.map((x) => [String(x.id), x]));
      renderItems();
    });
    const tick = window.setInterval(renderItems, 30000);
    load();
    return () => {
      window.clearInterval(tick);
      for (const t of timers) window.clearTimeout(t);
    };
  }

  /* ---------- page: muster ---------- */

  function pageMuster(view, alive) {
    const ax = h.ax;
    const errorEl = $(view, 'muster-error');
    const okEl = $(view, 'muster-ok');
    const home = $(view, 'muster-home');
    const screen = $(view, 'muster-screen');
    const form = $(view, 'muster-form');
    const listBody = $(view, 'musters-tbody');
    const timers = new Set();
    let current = null;      /* GET /musters/{id} */
    let fetchedAt = 0;       /* performance.now() when `current` arrived */
    let shownId = null;
    let gen = 0;
    let zonesById = new Map();
    let next = null;

    const say = h.notifier(okEl, errorEl);

    function setHash(id) {
      const want = id === null ? '#/muster' : '#/muster/' + encodeURIComponent(id);
      if (location.hash !== want) history.replaceState(null, '', want);
    }

    function zoneLabel(m) {
      if (m.zone && typeof m.zone === 'object') return nameOf(m.zone);
      const zid = m.zone_id !== undefined ? m.zone_id : m.zone;
      return ax.zoneName(zonesById, zid);
    }

    function counts(m) {
      const safe = Array.isArray(m.safe) ? m.safe.length : Number(m.safe_count) || 0;
      const missing = Array.isArray(m.missing) ? m.missing.length : Number(m.missing_count) || 0;
      const total = m.total !== undefined && m.total !== null ? Number(m.total) : safe + missing;
      return { safe, missing, total };
    }

    /* ---- the list and the start form ---- */

    function musterRow(m) {
      const open = el('button', { type: 'button', class: 'btn btn-small', text: m.closed_at ? 'Report' : 'Open', 'aria-label': 'Open muster ' + m.id });
      open.addEventListener('click', () => show(m.id));
      return el('tr', { 'data-id': String(m.id), class: m.closed_at ? '' : 'row-open' }, [
        el('td', { class: 'num mono', text: String(m.id) }),
        el('th', { scope: 'row', class: 'strong', text: zoneLabel(m) }),
        el('td', null, m.drill ? ax.pill('drill', 'warn') : ax.pill('real', 'bad')),
        el('td', { class: 'nowrap' }, timeEl(m.started_at, true)),
        el('td', { class: 'nowrap' }, m.closed_at ? timeEl(m.closed_at, true) : ax.pill('in progress', 'bad', 'pill-live')),
        el('td', { class: 'num' }, open),
      ]);
    }

    async function loadList(reset) {
      const r = await api('GET', h.listUrl('/musters', reset ? null : next));
      if (!alive()) return null;
      if (!r.ok) { say('', 'Could not load musters: ' + problemText(r.problem)); return null; }
      const page = listOf(r.data);
      if (reset) listBody.replaceChildren();
      for (const m of page.items) listBody.append(musterRow(m));
      next = page.next;
      $(view, 'musters-older').hidden = !next;
      $(view, 'musters-empty').hidden = listBody.rows.length > 0;
      return page.items;
    }

    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      clearFieldErrors(form);
      say('', '');
      const zid = form.elements.namedItem('zone_id').value;
      if (!zid) return ax.localProblem(form, errorEl, 'Choose the zone to muster.', 'zone_id');
      const drill = $(view, 'muster-drill').checked;
      const submit = $(view, 'muster-start');
      submit.disabled = true;
      const r = await api('POST', API + '/musters', { zone_id: Number(zid), drill: drill });
      submit.disabled = false;
      if (!alive()) return;
      if (!r.ok) return ax.formProblem(form, errorEl, 'Could not start the muster: ', r.problem);
      say((drill ? 'Muster drill' : 'Muster') + ' started for ' + ax.zoneName(zonesById, zid) + '.', '');
      if (r.data && r.data.id !== undefined) show(r.data.id);
      loadList(true);
    });
    $(view, 'musters-refresh').addEventListener('click', () => loadList(true));
    $(view, 'musters-older').addEventListener('click', () => loadList(false));
    $(view, 'muster-drill').addEventListener('change', () => {
      const drill = $(view, 'muster-drill').checked;
      $(view, 'muster-start').textContent = drill ? 'Start muster drill' : 'Start muster (real)';
      $(view, 'muster-start').classList.toggle('btn-alarm', !drill);
    });
    $(view, 'muster-start').textContent = 'Start muster drill';

    /* ---- the live screen ---- */

    function elapsedSecs() {
      const m = current;
      if (!m) return 0;
      if (typeof m.elapsed_s === 'number') {
        return m.closed_at ? m.elapsed_s : m.elapsed_s + (performance.now() - fetchedAt) / 1000;
      }
      const start = Date.parse(m.started_at);
      const end = m.closed_at ? Date.parse(m.closed_at) : Date.now();
      return Number.isNaN(start) ? 0 : (end - start) / 1000;
    }

    function tick() {
      if (current) $(view, 'muster-elapsed').textContent = clock(elapsedSecs());
    }

    function renderScreen() {
      const m = current;
      const c = counts(m);
      const closed = !!m.closed_at;
      screen.setAttribute('data-drill', m.drill ? 'true' : 'false');
      screen.setAttribute('data-closed', closed ? 'true' : 'false');
      $(view, 'muster-title').textContent = (m.drill ? 'Muster drill' : 'MUSTER') + ' \u2013 ' + zoneLabel(m);
      const sub = $(view, 'muster-sub');
      sub.replaceChildren('No. ' + m.id + ' \u00b7 started ', timeEl(m.started_at, true), ' UTC',
        closed ? ' \u00b7 closed ' : '', closed ? timeEl(m.closed_at, true) : '', closed ? ' UTC' : ' \u00b7 in progress');
      $(view, 'muster-safe-n').textContent = String(c.safe);
      $(view, 'muster-missing-n').textContent = String(c.missing);
      $(view, 'muster-total-n').textContent = String(c.total);
      $(view, 'muster-progress').style.width = (c.total ? (c.safe / c.total) * 100 : 100) + '%';
      tick();

      const mtb = $(view, 'muster-missing-tbody');
      mtb.replaceChildren();
      for (const x of Array.isArray(m.missing) ? m.missing : []) {
        const pid = ax.idOf(x.person !== undefined ? x.person : x.person_id);
        const pname = nameOf(x.person, 'person ' + pid);
        let action = null;
        if (!closed) {
          action = el('button', { type: 'button', class: 'btn btn-small btn-safe', text: 'Mark safe', 'aria-label': 'Mark ' + pname + ' safe' });
          action.addEventListener('click', async () => {
            action.disabled = true;
            say('', '');
            const r = await api('POST', API + '/musters/' + encodeURIComponent(m.id) + '/safe', { person_id: Number(pid) });
            if (!alive()) return;
            action.disabled = false;
            if (!r.ok) { say('', 'Could not mark ' + pname + ' safe: ' + problemText(r.problem)); return; }
            say(pname + ' marked safe.', '');
            refreshCurrent();
          });
        }
        mtb.append(el('tr', { 'data-person': String(pid) }, [
          el('th', { scope: 'row', class: 'strong', text: pname }),
          el('td', { text: x.last_reader ? nameOf(x.last_reader) : '\u2013' }),
          el('td', { class: 'nowrap' }, x.last_seen ? timeEl(x.last_seen, true) : '\u2013'),
          el('td', { class: 'num' }, action),
        ]));
      }
      $(view, 'muster-missing-empty').hidden = mtb.rows.length > 0;

      const sl = $(view, 'muster-safe-list');
      sl.replaceChildren();
      for (const s of Array.isArray(m.safe) ? m.safe : []) {
        const who = s && typeof s === 'object' && (s.person !== undefined) ? s.person : s;
        const at = s && typeof s === 'object' ? (s.safe_at || s.at || null) : null;
        const by = s && typeof s === 'object' ? (s.safe_by || s.by || null) : null;
        sl.append(el('li', null, [
          el('span', { class: 'item-main' }, [el('span', { class: 'strong', text: nameOf(who, 'someone') }),
            by ? el('span', { class: 'dim', text: ' by ' + nameOf(by) }) : null]),
          at ? el('span', { class: 'dim nowrap' }, timeEl(at, false)) : null,
        ]));
      }
      $(view, 'muster-safe-empty').hidden = sl.children.length > 0;

      $(view, 'muster-close').hidden = closed;
      $(view, 'muster-close-title').textContent = closed ? 'Report' : 'Close and report';
      const csv = $(view, 'muster-csv');
      csv.setAttribute('href', API + '/musters/' + encodeURIComponent(m.id) + '/report.csv');
      csv.setAttribute('download', 'muster-' + m.id + '.csv');
    }

    function renderReport(rep) {
      const kv = $(view, 'muster-report-kv');
      kv.replaceChildren();
      if (!rep || typeof rep !== 'object') { $(view, 'muster-report').hidden = true; return; }
      const c = counts(rep);
      const add = (k, v) => kv.append(el('dt', { text: k }), el('dd', null, v));
      add('Zone', zoneLabel(rep));
      add('Kind', rep.drill ? 'drill' : 'real muster');
      if (rep.started_at) add('Started (UTC)', timeEl(rep.started_at, true));
      if (rep.closed_at) add('Closed (UTC)', timeEl(rep.closed_at, true));
      if (typeof rep.elapsed_s === 'number') add('Duration', clock(rep.elapsed_s));
      add('Accounted for', c.safe + ' of ' + c.total);
      const missing = Array.isArray(rep.missing) ? rep.missing : [];
      add('Still missing', missing.length ? missing.map((x) => nameOf(x.person, 'person')).join(', ') : 'nobody');
      $(view, 'muster-report').hidden = false;
    }

    async function show(id) {
      const my = ++gen;
      const r = await api('GET', API + '/musters/' + encodeURIComponent(id));
      if (!alive() || my !== gen) return;
      if (!r.ok) { say('', 'Could not load muster ' + id + ': ' + problemText(r.problem)); return; }
      current = r.data;
      fetchedAt = performance.now();
      if (shownId !== String(current.id)) $(view, 'muster-report').hidden = true;
      shownId = String(current.id);
      setHash(current.id);
      home.hidden = true;
      screen.hidden = false;
      renderScreen();
    }

    function refreshCurrent() {
      if (current) show(current.id);
    }

    function showHome() {
      gen++;
      current = null;
      shownId = null;
      setHash(null);
      screen.hidden = true;
      home.hidden = false;
      say('', '');
      loadList(true);
    }

    $(view, 'muster-back').addEventListener('click', showHome);
    const closeBtn = ax.confirmButton('Close muster', 'Confirm: close and report', 'btn-danger', async () => {
      if (!current) return;
      say('', '');
      const id = current.id;
      const r = await api('POST', API + '/musters/' + encodeURIComponent(id) + '/close', {});
      if (!alive()) return;
      if (!r.ok) { say('', 'Could not close the muster: ' + problemText(r.problem)); return; }
      say('Muster ' + id + ' closed.', '');
      await show(id);
      renderReport(Object.assign({}, current || {}, r.data || {}));
    });
    closeBtn.id = 'muster-close';
    closeBtn.classList.remove('btn-small');
    $(view, 'muster-close').replaceWith(closeBtn);

    const refresh = debounced(() => { refreshCurrent(); if (!current) loadList(true); }, REFRESH_DELAY_MS, timers);
    h.subscribe('muster', refresh);
    const ticker = window.setInterval(tick, 1000);

    (async () => {
      const zr = await h.fetchAll('/zones');
      if (!alive()) return;
      zonesById = new Map(zr.items.map((z) => [String(z.id), z]));
      ax.fillZoneSelect(form.elements.namedItem('zone_id'), zr.items, { none: 'choose a zone' });
      const items = await loadList(true);
      if (!alive()) return;
      const m = /^#\/muster\/(\d+)/.exec(location.hash || '');
      if (m) show(m[1]);
      else if (items) {
        const open = items.find((x) => !x.closed_at);
        if (open) show(open.id);
      }
    })();

    return () => {
      window.clearInterval(ticker);
      for (const t of timers) window.clearTimeout(t);
    };
  }

  return {
    pages: {
      decisions: { tpl: 'tpl-page-decisions', init: pageDecisions, wide: true },
      occupancy: { tpl: 'tpl-page-occupancy', init: pageOccupancy },
      muster: { tpl: 'tpl-page-muster', init: pageMuster, wide: true },
    },
  };
});
