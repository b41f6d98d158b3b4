/*
 * portguard web console: sensors and cameras. The sensor registry with each sensor's live
 * state (topic `sensors`: events, offline, online, registry changes), add and edit forms,
 * a sensor's recent events, and the cameras with the zones they cover (call-up filter).
 *
 * API (docs/API.md "Sensors and cameras"): GET/POST /api/v1/sensors, GET/PATCH/DELETE
 * /api/v1/sensors/{id}, GET /api/v1/sensors/{id}/events, GET /api/v1/sensor-kinds,
 * GET/POST /api/v1/cameras (?zone=), PATCH/DELETE /api/v1/cameras/{id}.
 */
'use strict';

(window.portguard = window.portguard || { modules: [] }).modules.push(function (h) {
  const { API, el, $, api, listOf, showAlert, clearFieldErrors, markField, problemText, timeEl } = h;
  const HISTORY = 15;
  const STATE_PILL = { alarm: 'bad', tamper: 'bad', fault: 'warn', normal: 'ok' };

  function statePill(state) {
    if (!state) return el('span', { class: 'pill', 'data-state': 'off', text: 'none yet' });
    return el('span', { class: 'pill sn-state', 'data-state': STATE_PILL[state] || 'off', text: state });
  }

  function onlinePill(online) {
    if (online === null || online === undefined) return el('span', { class: 'muted', text: 'not supervised' });
    return el('span', { class: 'pill sn-online', 'data-state': online ? 'ok' : 'bad', text: online ? 'online' : 'offline' });
  }

  function num(v) {
    return typeof v === 'number' ? String(Math.round(v * 100) / 100) : '';
  }

  /* A number input's value as a number, or null when empty. */
  function numberOf(input) {
    const v = input.value.trim();
    return v === '' ? null : Number(v);
  }

  function eventText(d) {
    if (!d) return '';
    if (d.action === 'event') {
      return d.state + (d.value !== null && d.value !== undefined ? ' (' + num(d.value) + (d.unit ? ' ' + d.unit : '') + ')' : '') +
        (d.reason ? ': ' + d.reason : '') + ' via ' + d.source;
    }
    if (d.action === 'offline' || d.action === 'online') return d.action + ': ' + (d.reason || '');
    return String(d.action || '');
  }

  function pageSensors(view, alive) {
    const role = (h.me() || {}).role;
    const canWrite = role === 'admin' || role === 'pfso';
    const errorEl = $(view, 'sn-error');
    const okEl = $(view, 'sn-ok');
    const tbody = $(view, 'sn-tbody');
    const form = $(view, 'sn-form');
    const formCard = $(view, 'sn-form-card');
    const camBody = $(view, 'cam-tbody');
    const camForm = $(view, 'cam-form');
    const camCard = $(view, 'cam-form-card');
    let zones = [];
    const kindUnit = {}; /* a measured kind's default unit */
    let editing = null; /* sensor id being edited, or 0 for a new one */
    let camEditing = null;
    let camGen = 0;

    if (!canWrite) {
      $(view, 'sn-new').hidden = true;
      $(view, 'cam-new').hidden = true;
    }

    function zoneName(id) {
      const z = zones.find((x) => x.id === id);
      return z ? z.name : (id ? 'zone ' + id : '');
    }

    function options(select, items, label, empty) {
      select.replaceChildren(...(empty ? [el('option', { value: '', text: empty })] : []),
        ...items.map((x) => el('option', { value: String(x.value), text: label(x) })));
    }

    /* ---------- sensors ---------- */

    function sensorRow(s) {
      return el('tr', { 'data-id': s.id, 'data-name': s.name }, [
        el('td', {}, [el('strong', { text: s.name }), el('div', { class: 'muted', text: String(s.kind).replace(/_/g, ' ') + (s.location ? ', ' + s.location : '') })]),
        el('td', { text: s.zone || '' }),
        el('td', { class: 'sn-state-cell' }, statePill(s.state)),
        el('td', { class: 'num sn-value', text: num(s.value) + (s.value !== null && (s.unit || kindUnit[s.kind]) ? ' ' + (s.unit || kindUnit[s.kind]) : '') }),
        el('td', { class: 'sn-online-cell' }, onlinePill(s.online)),
        el('td', { class: 'sn-seen' }, s.last_seen ? timeEl(s.last_seen, false) : el('span', { class: 'muted', text: 'never' })),
        el('td', {}, el('button', {
          type: 'button', class: 'btn btn-small', text: canWrite ? 'Edit' : 'Events',
          'aria-label': (canWrite ? 'Edit ' : 'Events of ') + s.name, onclick: () => openSensor(s.id),
        })),
      ]);
    }

    async function loadSensors() {
      const items = [];
      let after = null;
      for (let i = 0; i < 20; i++) {
        const r = await api('GET', API + '/sensors?limit=500' + (after ? '&after=' + encodeURIComponent(after) : ''));
        if (!alive()) return;
        if (!r.ok) { showAlert(errorEl, 'Could not load the sensors: ' + problemText(r.problem)); return; }
        const page = listOf(r.data);
        items.push(...page.items);
        if (!page.next) break;
        after = page.next;
      }
      showAlert(errorEl, '');
      tbody.replaceChildren(...items.map(sensorRow));
      $(view, 'sn-empty').hidden = items.length > 0;
    }

    async function refreshSensor(id) {
      const r = await api('GET', API + '/sensors/' + id);
      if (!alive() || !r.ok) return;
      const row = tbody.querySelector('tr[data-id="' + id + '"]');
      const fresh = sensorRow(r.data);
      if (row) row.replaceWith(fresh); else tbody.append(fresh);
      $(view, 'sn-empty').hidden = true;
    }

    async function loadHistory(id) {
      const list = $(view, 'sn-history');
      const r = await api('GET', API + '/sensors/' + id + '/events?limit=500');
      if (!alive() || editing !== id) return;
      if (!r.ok) { list.replaceChildren(); return; }
      const items = listOf(r.data).items.slice(-HISTORY).reverse();
      list.replaceChildren(...items.map((e) => el('li', { 'data-action': e.data && e.data.action }, [
        timeEl(e.at, true), ' ', el('span', { text: eventText(e.data) }),
      ])));
    }

    function fillForm(s) {
      form.reset();
      clearFieldErrors(form);
      showAlert($(view, 'sn-form-error'), '');
      const set = (name, v) => { form.elements.namedItem(name).value = v === null || v === undefined ? '' : String(v); };
      set('name', s.name);
      set('kind', s.kind || 'fence_intrusion');
      set('zone_id', s.zone_id);
      set('location', s.location);
      set('lat', s.lat);
      set('lon', s.lon);
      set('heartbeat_s', s.heartbeat_s);
      set('reader_id', s.reader_id);
      set('unit', s.unit);
      set('threshold_high', s.threshold_high);
      set('threshold_low', s.threshold_low);
      for (const c of form.elements) c.disabled = !canWrite && c.tagName !== 'BUTTON';
      $(view, 'sn-save').hidden = !canWrite;
    }

    async function openSensor(id) {
      const r = await api('GET', API + '/sensors/' + id);
      if (!alive()) return;
      if (!r.ok) { showAlert(errorEl, 'Could not load the sensor: ' + problemText(r.problem)); return; }
      editing = id;
      fillForm(r.data);
      $(view, 'sn-form-title').textContent = 'Sensor ' + r.data.name;
      $(view, 'sn-delete').hidden = !canWrite;
      formCard.hidden = false;
      loadHistory(id);
    }

    function newSensor() {
      editing = 0;
      fillForm({});
      $(view, 'sn-form-title').textContent = 'New sensor';
      $(view, 'sn-delete').hidden = true;
      $(view, 'sn-history').replaceChildren();
      formCard.hidden = false;
      form.elements.namedItem('name').focus();
    }

    async function saveSensor(ev) {
      ev.preventDefault();
      clearFieldErrors(form);
      const f = form.elements;
      const body = {
        name: f.namedItem('name').value.trim(),
        kind: f.namedItem('kind').value,
        zone_id: f.namedItem('zone_id').value ? Number(f.namedItem('zone_id').value) : null,
        location: f.namedItem('location').value.trim() || null,
        lat: numberOf(f.namedItem('lat')),
        lon: numberOf(f.namedItem('lon')),
        heartbeat_s: numberOf(f.namedItem('heartbeat_s')),
        reader_id: f.namedItem('reader_id').value ? Number(f.namedItem('reader_id').value) : null,
        unit: f.namedItem('unit').value.trim() || null,
        threshold_high: numberOf(f.namedItem('threshold_high')),
        threshold_low: numberOf(f.namedItem('threshold_low')),
      };
      const r = editing ? await api('PATCH', API + '/sensors/' + editing, body) : await api('POST', API + '/sensors', body);
      if (!alive()) return;
      if (!r.ok) {
        showAlert($(view, 'sn-form-error'), 'Not saved: ' + problemText(r.problem));
        markField(form, r.problem.field);
        return;
      }
      showAlert(okEl, 'Sensor ' + r.data.name + ' saved.');
      formCard.hidden = true;
      editing = null;
      refreshSensor(r.data.id);
    }

    async function deleteSensor() {
      if (!editing) return;
      const id = editing;
      const r = await api('DELETE', API + '/sensors/' + id);
      if (!alive()) return;
      if (!r.ok) { showAlert($(view, 'sn-form-error'), 'Not deleted: ' + problemText(r.problem)); return; }
      formCard.hidden = true;
      editing = null;
      const row = tbody.querySelector('tr[data-id="' + id + '"]');
      if (row) row.remove();
      showAlert(okEl, 'Sensor deleted.');
    }

    /* ---------- cameras ---------- */

    function cameraRow(c) {
      const link = (u) => (u ? el('span', { class: 'mono', text: u }) : el('span', { class: 'muted', text: '\u2013' }));
      return el('tr', { 'data-id': c.id, 'data-name': c.name }, [
        el('td', {}, [el('strong', { text: c.name }), c.location ? el('div', { class: 'muted', text: c.location }) : null]),
        el('td', { class: 'cam-zones', text: (Array.isArray(c.zones) ? c.zones : []).map(zoneName).join(', ') }),
        el('td', {}, link(c.stream_url)),
        el('td', {}, link(c.snapshot_url)),
        el('td', {}, canWrite ? el('button', { type: 'button', class: 'btn btn-small', text: 'Edit', 'aria-label': 'Edit ' + c.name, onclick: () => openCamera(c) }) : null),
      ]);
    }

    async function loadCameras() {
      const g = ++camGen;
      const zone = $(view, 'cam-zone-filter').value;
      const r = await api('GET', API + '/cameras?limit=500' + (zone ? '&zone=' + encodeURIComponent(zone) : ''));
      if (!alive() || g !== camGen) return;
      if (!r.ok) { showAlert(errorEl, 'Could not load the cameras: ' + problemText(r.problem)); return; }
      const items = listOf(r.data).items;
      camBody.replaceChildren(...items.map(cameraRow));
      $(view, 'cam-empty').hidden = items.length > 0;
    }

    function openCamera(c) {
      camEditing = c ? c.id : 0;
      camForm.reset();
      clearFieldErrors(camForm);
      showAlert($(view, 'cam-form-error'), '');
      const f = camForm.elements;
      f.namedItem('name').value = c ? c.name : '';
      f.namedItem('stream_url').value = c ? c.stream_url : '';
      f.namedItem('snapshot_url').value = c && c.snapshot_url ? c.snapshot_url : '';
      f.namedItem('location').value = c && c.location ? c.location : '';
      f.namedItem('lat').value = c && typeof c.lat === 'number' ? String(c.lat) : '';
      f.namedItem('lon').value = c && typeof c.lon === 'number' ? String(c.lon) : '';
      const covered = new Set(c && Array.isArray(c.zones) ? c.zones.map(String) : []);
      for (const o of f.namedItem('zones').options) o.selected = covered.has(o.value);
      $(view, 'cam-form-title').textContent = c ? 'Camera ' + c.name : 'New camera';
      $(view, 'cam-delete').hidden = !c;
      camCard.hidden = false;
      f.namedItem('name').focus();
    }

    async function saveCamera(ev) {
      ev.preventDefault();
      clearFieldErrors(camForm);
      const f = camForm.elements;
      const body = {
        name: f.namedItem('name').value.trim(),
        stream_url: f.namedItem('stream_url').value.trim(),
        snapshot_url: f.namedItem('snapshot_url').value.trim() || null,
        location: f.namedItem('location').value.trim() || null,
        lat: numberOf(f.namedItem('lat')),
        lon: numberOf(f.namedItem('lon')),
        zones: Array.from(f.namedItem('zones').selectedOptions).map((o) => Number(o.value)),
      };
      const r = camEditing ? await api('PATCH', API + '/cameras/' + camEditing, body) : await api('POST', API + '/cameras', body);
      if (!alive()) return;
      if (!r.ok) {
        showAlert($(view, 'cam-form-error'), 'Not saved: ' + problemText(r.problem));
        markField(camForm, r.problem.field);
        return;
      }
      showAlert(okEl, 'Camera ' + r.data.name + ' saved.');
      camCard.hidden = true;
      loadCameras();
    }

    async function deleteCamera() {
      if (!camEditing) return;
      const r = await api('DELETE', API + '/cameras/' + camEditing);
      if (!alive()) return;
      if (!r.ok) { showAlert($(view, 'cam-form-error'), 'Not deleted: ' + problemText(r.problem)); return; }
      camCard.hidden = true;
      showAlert(okEl, 'Camera deleted.');
      loadCameras();
    }

    /* ---------- start ---------- */

    async function start() {
      const [k, z, rd] = await Promise.all([
        api('GET', API + '/sensor-kinds'),
        api('GET', API + '/zones?limit=500'),
        api('GET', API + '/readers?limit=500'),
      ]);
      if (!alive()) return;
      const kinds = k.ok ? listOf(k.data).items : [];
      for (const x of kinds) if (x.unit) kindUnit[x.kind] = x.unit;
      zones = z.ok ? listOf(z.data).items : [];
      const readers = rd.ok ? listOf(rd.data).items : [];
      options($(view, 'sn-kind'), kinds.map((x) => ({ value: x.kind, words: x.words })), (x) => x.words);
      options($(view, 'sn-zone'), zones.map((x) => ({ value: x.id, name: x.name })), (x) => x.name, 'no zone');
      options($(view, 'sn-reader'), readers.map((x) => ({ value: x.id, name: x.name })), (x) => x.name, 'none');
      options($(view, 'cam-zones'), zones.map((x) => ({ value: x.id, name: x.name })), (x) => x.name);
      options($(view, 'cam-zone-filter'), zones.map((x) => ({ value: x.id, name: x.name })), (x) => 'covering ' + x.name, 'all cameras');
      await loadSensors();
      loadCameras();
    }

    $(view, 'sn-new').addEventListener('click', newSensor);
    $(view, 'sn-reload').addEventListener('click', loadSensors);
    $(view, 'sn-cancel').addEventListener('click', () => { formCard.hidden = true; editing = null; });
    $(view, 'sn-delete').addEventListener('click', deleteSensor);
    form.addEventListener('submit', saveSensor);
    $(view, 'cam-new').addEventListener('click', () => openCamera(null));
    $(view, 'cam-cancel').addEventListener('click', () => { camCard.hidden = true; });
    $(view, 'cam-delete').addEventListener('click', deleteCamera);
    $(view, 'cam-zone-filter').addEventListener('change', loadCameras);
    camForm.addEventListener('submit', saveCamera);

    /* Live: a sensor's message, offline or online changes its row (coalesced per sensor
     * so that a burst of messages costs one read each); registry changes reload. */
    const pending = new Set();
    let timer = null;
    h.subscribe('sensors', (item) => {
      const d = item && item.data;
      if (!d) return;
      if (d.action === 'event' || d.action === 'offline' || d.action === 'online') {
        pending.add(Number(d.sensor_id));
        if (!timer) {
          timer = window.setTimeout(() => {
            timer = null;
            for (const id of pending) {
              refreshSensor(id);
              if (editing === id) loadHistory(id);
            }
            pending.clear();
          }, 250);
        }
      } else if (/^sensor\./.test(d.action)) {
        loadSensors();
      } else if (/^camera\./.test(d.action)) {
        loadCameras();
      }
    });

    start();
    return () => { if (timer) window.clearTimeout(timer); };
  }

  return { pages: { sensors: { tpl: 'tpl-page-sensors', init: pageSensors, wide: true } } };
});
