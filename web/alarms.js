/*
 * portguard web console: the control room. The live alarm queue (topic "alarms"), highest
 * priority first, then oldest; an alarm's procedure, cameras and history with the
 * operator's actions (acknowledge, assign, tick steps, resolve); manual alarms; and the
 * site map (web/map.js) with zones, sensors, cameras and the open alarms.
 *
 * API (docs/API.md "Alarms"): GET/POST /api/v1/alarms, GET /api/v1/alarms/{id},
 * POST .../ack, .../assign, .../steps/{n}, .../resolve; GET /api/v1/alarm-kinds;
 * GET /api/v1/zones, /api/v1/sensors, /api/v1/cameras for the map.
 */
'use strict';

(window.portguard = window.portguard || { modules: [] }).modules.push(function (h) {
  const { API, el, $, api, listOf, showAlert, clearFieldErrors, markField, problemText, timeEl } = h;
  const STATE_TEXT = { new: 'new', acknowledged: 'acknowledged', in_progress: 'in progress', resolved: 'resolved' };
  const PRIO_COLOUR = { 1: '#b3261e', 2: '#d3540b', 3: '#9a6b00', 4: '#4a5a6a', 5: '#7a8a99' };
  const MAX_ROWS = 500;
  const RENDER_MS = 100; /* live events are drawn at most this often */

  /* every item of a list route, at most MAX_ROWS (app.js) */
  const fetchAll = (path) => h.fetchAll(path, MAX_ROWS);

  const byQueue = (a, b) => (a.priority - b.priority) || (a.id - b.id);

  function matches(a, filter) {
    if (!filter) return true;
    if (filter === 'open') return a.state !== 'resolved';
    return a.state === filter;
  }

  function pageControlRoom(view, alive) {
    const role = (h.me() || {}).role;
    const canAct = ['admin', 'pfso', 'operator'].includes(role);
    const errorEl = $(view, 'cr-error');
    const tbody = $(view, 'cr-tbody');
    const filterEl = $(view, 'cr-filter');
    const alarms = new Map(); /* id -> row, as the filter shows them */
    const openAlarms = new Map(); /* id -> row, every open alarm (the map) */
    let zones = [];
    let selected = null;
    let detail = null;
    let detailGen = 0;
    let renderTimer = null;
    let detailDue = false;
    const map = window.portguard.map ? window.portguard.map.create($(view, 'cr-map')) : null;

    if (!canAct) {
      for (const id of ['cr-raise-open', 'cr-ack', 'cr-assign', 'cr-assign-user', 'cr-resolve']) $(view, id).hidden = true;
    }

    /* ---------- the queue ---------- */

    function row(a) {
      const where = a.zone || a.source_name || '';
      const tr = el('tr', {
        'data-id': a.id, 'data-state': a.state, 'data-kind': a.kind, 'data-priority': a.priority,
        'aria-selected': selected === a.id ? 'true' : 'false', tabindex: '0',
        onclick: () => select(a.id),
        onkeydown: (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); select(a.id); } },
      }, [
        el('td', null, el('span', { class: 'prio prio-' + a.priority, text: String(a.priority), title: 'priority ' + a.priority })),
        el('td', null, [el('span', { text: a.label || a.kind }), a.escalations ? el('span', { class: 'state-badge', text: 'escalated', title: a.escalations + ' escalation(s)' }) : null]),
        el('td', { text: where }),
        el('td', null, el('span', { class: 'state-badge', text: STATE_TEXT[a.state] || a.state })),
        el('td', null, timeEl(a.raised_at, false)),
        el('td', { class: 'num', text: String(a.count) }),
      ]);
      return tr;
    }

    function renderQueue() {
      const rows = [...alarms.values()].sort(byQueue);
      tbody.replaceChildren(...rows.map(row));
      $(view, 'cr-empty').hidden = rows.length > 0;
      const open = [...openAlarms.values()];
      $(view, 'cr-count').textContent = '(' + open.length + ' open, ' + open.filter((a) => a.state === 'new').length + ' new)';
      renderAlarmPoints();
    }

    async function loadQueue() {
      const f = filterEl.value;
      const [shown, open] = await Promise.all([
        fetchAll('/alarms' + (f ? '?state=' + encodeURIComponent(f) : '')),
        f === 'open' ? null : fetchAll('/alarms?state=open'),
      ]);
      if (!alive()) return;
      if (!shown.ok) { showAlert(errorEl, problemText(shown.r.problem)); return; }
      showAlert(errorEl, '');
      alarms.clear();
      for (const a of shown.items) alarms.set(a.id, a);
      openAlarms.clear();
      for (const a of (open ? open.items : shown.items)) if (a.state !== 'resolved') openAlarms.set(a.id, a);
      renderQueue();
    }

    function onAlarmEvent(item) {
      const d = item && item.data;
      const a = d && d.alarm;
      if (!a || typeof a.id !== 'number') return;
      if (matches(a, filterEl.value)) alarms.set(a.id, a);
      else alarms.delete(a.id);
      if (a.state !== 'resolved') openAlarms.set(a.id, a);
      else openAlarms.delete(a.id);
      /* a burst of repeats (a sensor chattering) costs one render and one read */
      if (selected === a.id) detailDue = true;
      if (!renderTimer) {
        renderTimer = window.setTimeout(() => {
          renderTimer = null;
          if (!alive()) return;
          renderQueue();
          if (detailDue && selected !== null) loadDetail(selected);
          detailDue = false;
        }, RENDER_MS);
      }
    }

    /* ---------- the map ---------- */

    function renderAlarmPoints() {
      if (!map) return;
      const pts = [];
      for (const a of openAlarms.values()) {
        let ll = typeof a.lat === 'number' && typeof a.lon === 'number' ? [a.lat, a.lon] : null;
        if (!ll && a.zone_id) ll = map.zoneCentre(zones.find((z) => z.id === a.zone_id));
        if (!ll) continue;
        pts.push({
          id: a.id, lat: ll[0], lon: ll[1], radius: a.id === selected ? 11 : 8,
          color: PRIO_COLOUR[a.priority] || '#b3261e', fillOpacity: a.state === 'new' ? 0.9 : 0.4,
          label: 'P' + a.priority + ' ' + (a.label || a.kind) + (a.source_name ? ': ' + a.source_name : ''),
          onClick: () => select(a.id),
        });
      }
      map.setPoints('alarms', pts);
    }

    async function loadMap() {
      if (!map) return;
      const [zr, sr, cr] = await Promise.all([fetchAll('/zones'), fetchAll('/sensors'), fetchAll('/cameras')]);
      if (!alive()) return;
      zones = zr.ok ? zr.items : [];
      map.setZones(zones);
      if (sr.ok) {
        map.setPoints('sensors', sr.items.map((s) => ({
          id: s.id, lat: s.lat, lon: s.lon, radius: 4, color: s.state === 'alarm' ? '#b3261e' : '#1d5ea8',
          label: s.name + ' (' + s.kind + (s.state ? ', ' + s.state : '') + ')',
        })));
      }
      if (cr.ok) {
        map.setPoints('cameras', cr.items.map((c) => ({ id: c.id, lat: c.lat, lon: c.lon, radius: 4, color: '#1e7a34', label: 'camera ' + c.name })));
      }
      renderAlarmPoints();
      map.fit();
      map.leaflet.invalidateSize();
    }

    /* ---------- one alarm ---------- */

    function fact(dt, dd) {
      return [el('dt', { text: dt }), el('dd', null, dd)];
    }

    function renderDetail(a) {
      detail = a;
      $(view, 'cr-detail-empty').hidden = true;
      $(view, 'cr-detail-body').hidden = false;
      $(view, 'cr-detail-title').textContent = 'Alarm ' + a.id + ': ' + (a.label || a.kind);
      $(view, 'cr-reason').textContent = a.reason || '';
      const facts = [
        ...fact('Priority', el('span', { class: 'prio prio-' + a.priority, text: String(a.priority) })),
        ...fact('State', el('span', { class: 'state-badge', id: 'cr-state', 'data-state': a.state, text: STATE_TEXT[a.state] || a.state })),
        ...fact('Source', a.source + (a.source_name ? ': ' + a.source_name : '') + (a.source_state === 'normal' ? ' (back to normal)' : '')),
        ...fact('Zone', a.zone || '\u2014'),
        ...fact('Raised', [timeEl(a.raised_at, true), ' by ' + a.raised_by]),
        ...fact('Repeats', String(a.count) + (a.count > 1 ? ', last ' : ''), null),
      ];
      if (a.count > 1) facts[facts.length - 1].append(timeEl(a.last_at, true));
      if (a.acknowledged_by) facts.push(...fact('Acknowledged', [timeEl(a.acknowledged_at, true), ' by ' + a.acknowledged_by]));
      if (a.assigned_to) facts.push(...fact('Assigned to', a.assigned_to));
      if (a.escalation_due) facts.push(...fact('Escalates', timeEl(a.escalation_due, true)));
      if (a.escalations) facts.push(...fact('Escalated', a.escalations + ' time(s)'));
      if (a.outcome) facts.push(...fact('Outcome', a.outcome.replace('_', ' ') + (a.notes ? ': ' + a.notes : '')));
      $(view, 'cr-facts').replaceChildren(...facts);

      const working = a.state === 'acknowledged' || a.state === 'in_progress';
      $(view, 'cr-ack').disabled = a.state !== 'new';
      $(view, 'cr-assign').disabled = !working;
      $(view, 'cr-resolve-btn').disabled = !working;
      $(view, 'cr-resolve').hidden = !canAct || a.state === 'resolved';

      $(view, 'cr-steps').replaceChildren(...(a.steps || []).map((s) => {
        const id = 'cr-step-' + s.n;
        const box = el('input', {
          type: 'checkbox', id: id, 'data-n': s.n, checked: s.done,
          disabled: !canAct || !working,
          onchange: (e) => act('steps/' + s.n, { done: e.target.checked }),
        });
        return el('li', { 'data-done': s.done ? 'true' : 'false' }, [
          box, ' ', el('label', { for: id, text: s.text }),
          s.required ? el('span', { class: 'req', text: 'required' }) : null,
          s.done ? el('span', { class: 'by', text: '\u2713 ' + (s.done_by || '') }) : null,
        ]);
      }));

      const cams = a.cameras || [];
      $(view, 'cr-cameras').replaceChildren(...(cams.length ? cams.map((c) => el('li', null, [
        el('strong', { text: c.name }), ' ',
        /^(rtsps?|https?):\/\//.test(c.stream_url || '') ? el('a', { href: c.stream_url, rel: 'noopener', target: '_blank', text: 'stream' }) : null,
        c.snapshot_url && /^https?:\/\//.test(c.snapshot_url) ? [' \u00b7 ', el('a', { href: c.snapshot_url, rel: 'noopener', target: '_blank', text: 'snapshot' })] : null,
        el('span', { class: 'by', text: c.why === 'zone' ? 'covers the zone' : (c.distance_m !== null && c.distance_m !== undefined ? c.distance_m + ' m away' : 'nearby') }),
      ].flat())) : [el('li', { text: 'No camera covers this place.' })]));

      $(view, 'cr-history').replaceChildren(...(a.history || []).map((x) => {
        const d = x.detail || {};
        let what = x.action.replace('_', ' ');
        if (x.action === 'step') what = (d.done ? 'ticked step ' : 'unticked step ') + d.n + (d.note ? ': ' + d.note : '');
        else if (x.action === 'escalated') what = 'escalated: priority ' + d.from + ' \u2192 ' + d.to;
        else if (x.action === 'assigned') what = 'assigned to ' + d.user;
        else if (x.action === 'resolved') what = 'resolved: ' + String(d.outcome || '').replace('_', ' ') + (d.notes ? ' (' + d.notes + ')' : '');
        else if (x.action === 'repeated' || x.action === 'source_normal' || x.action === 'raised') what += d.reason ? ': ' + d.reason : '';
        return el('li', null, [timeEl(x.at, false), ' ', el('span', { text: what }), el('span', { class: 'by', text: x.actor })]);
      }));
    }

    async function loadDetail(id) {
      const gen = ++detailGen;
      const r = await api('GET', API + '/alarms/' + encodeURIComponent(id));
      if (!alive() || gen !== detailGen || selected !== id) return;
      if (!r.ok) { showAlert($(view, 'cr-act-error'), problemText(r.problem)); return; }
      renderDetail(r.data);
    }

    function select(id) {
      selected = id;
      showAlert($(view, 'cr-act-error'), '');
      for (const tr of tbody.querySelectorAll('tr')) tr.setAttribute('aria-selected', Number(tr.getAttribute('data-id')) === id ? 'true' : 'false');
      renderAlarmPoints();
      loadDetail(id);
    }

    async function act(what, body) {
      if (!detail) return;
      const id = detail.id;
      const r = await api('POST', API + '/alarms/' + encodeURIComponent(id) + '/' + what, body);
      if (!alive() || selected !== id) return;
      if (!r.ok) {
        showAlert($(view, 'cr-act-error'), problemText(r.problem));
        loadDetail(id);
        return;
      }
      showAlert($(view, 'cr-act-error'), '');
      renderDetail(r.data);
    }

    $(view, 'cr-ack').addEventListener('click', () => act('ack'));
    $(view, 'cr-assign').addEventListener('click', () => {
      const user = $(view, 'cr-assign-user').value.trim();
      if (!user) { showAlert($(view, 'cr-act-error'), 'Give the username to assign the alarm to.'); return; }
      act('assign', { user: user });
    });
    $(view, 'cr-resolve').addEventListener('submit', (e) => {
      e.preventDefault();
      const body = { outcome: $(view, 'cr-outcome').value };
      const notes = $(view, 'cr-notes').value.trim();
      if (notes) body.notes = notes;
      act('resolve', body);
    });

    /* ---------- manual alarms ---------- */

    const raiseForm = $(view, 'cr-raise');
    async function openRaise() {
      raiseForm.hidden = false;
      $(view, 'cr-raise-reason').focus();
      const kindSel = $(view, 'cr-raise-kind');
      if (kindSel.options.length === 0) {
        const kr = await api('GET', API + '/alarm-kinds');
        if (!alive()) return;
        const kinds = kr.ok && kr.data && Array.isArray(kr.data.kinds) ? kr.data.kinds : [{ kind: 'manual', label: 'Manual alarm' }];
        kindSel.replaceChildren(...kinds.map((k) => el('option', { value: k.kind, text: k.label, selected: k.kind === 'manual' })));
        $(view, 'cr-raise-zone').replaceChildren(el('option', { value: '', text: '\u2014' }), ...zones.map((z) => el('option', { value: z.id, text: z.name })));
      }
    }
    $(view, 'cr-raise-open').addEventListener('click', openRaise);
    $(view, 'cr-raise-cancel').addEventListener('click', () => { raiseForm.hidden = true; });
    raiseForm.addEventListener('submit', async (e) => {
      e.preventDefault();
      clearFieldErrors(raiseForm);
      const body = { reason: $(view, 'cr-raise-reason').value.trim(), kind: $(view, 'cr-raise-kind').value || 'manual' };
      const p = $(view, 'cr-raise-priority').value;
      if (p) body.priority = Number(p);
      const z = $(view, 'cr-raise-zone').value;
      if (z) body.zone_id = Number(z);
      const r = await api('POST', API + '/alarms', body);
      if (!alive()) return;
      if (!r.ok) {
        showAlert($(view, 'cr-raise-error'), problemText(r.problem));
        markField(raiseForm, r.problem && r.problem.field);
        return;
      }
      showAlert($(view, 'cr-raise-error'), '');
      raiseForm.hidden = true;
      raiseForm.reset();
      if (matches(r.data, filterEl.value)) alarms.set(r.data.id, r.data);
      openAlarms.set(r.data.id, r.data);
      renderQueue();
      select(r.data.id);
    });

    filterEl.addEventListener('change', loadQueue);
    h.subscribe('alarms', onAlarmEvent);
    /* after a reconnect, events may have been missed: read the queue again */
    h.subscribe(':live', () => loadQueue());
    h.subscribe('sensors', (item) => {
      const d = item && item.data;
      if (d && /^(sensor|camera)\./.test(d.action || '')) loadMap();
    });

    loadQueue();
    loadMap();
    return () => {
      if (renderTimer) window.clearTimeout(renderTimer);
      if (map) map.destroy();
    };
  }

  return { pages: { 'control-room': { tpl: 'tpl-page-control-room', init: pageControlRoom, wide: true } } };
});
