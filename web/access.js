/*
 * portguard web console: security level, zones and readers, access groups.
 *
 * Registers pages for app.js (see the comment at its top) and the helpers the other access
 * control pages share (people.js, live.js) as `h.ax`. Same rules as app.js: server data
 * reaches the page only as text, never as markup.
 *
 * API (docs/API.md, "Security level and access control"):
 *   GET/PUT /api/v1/security-level, GET /api/v1/security-level/history,
 *   GET/POST/PATCH /api/v1/zones, /api/v1/readers, /api/v1/access-groups.
 */
'use strict';

(window.portguard = window.portguard || { modules: [] }).modules.push(function (h) {
  const { API, el, $, api, listOf, fetchAll, showAlert, clearFieldErrors, markField, problemText, timeEl } = h;

  /* Who may change what (the daemon decides; the console only hides what would fail). */
  const ROLES_ADM = ['admin', 'pfso'];
  const ROLES_LEVEL = ['admin', 'pfso', 'authority'];
  const ROLES_GATE = ['admin', 'pfso', 'gate'];
  const ROLES_QUALS = ['admin', 'pfso', 'trainer'];
  const ROLES_OPS = ['admin', 'pfso', 'operator', 'gate'];

  function hasRole(roles) {
    const me = h.me();
    return !!(me && roles.indexOf(me.role) >= 0);
  }

  /* The 21 stable decision reason codes of docs/API.md, each as a sentence for the operator. */
  const REASONS = {
    granted: 'Access granted: every check passed.',
    unknown_reader: 'The reader is not configured in portguard.',
    unknown_credential: 'The card is not registered to anyone.',
    credential_suspended: 'The credential is suspended.',
    credential_lost: 'The credential was reported lost or stolen: possible misuse, check the holder.',
    credential_revoked: 'The credential has been revoked.',
    not_yet_valid: 'The credential is not valid yet (its validity starts later).',
    expired: 'The credential or the group membership has expired.',
    pin_required: 'A PIN is required at this reader and none was entered.',
    pin_wrong: 'The PIN entered is wrong.',
    no_access_group: 'The person is in no access group that covers this zone.',
    outside_schedule: 'The person\u2019s access groups do not allow entry at this time or on this day.',
    level_restricted: 'Entry is not allowed at the current security level.',
    qualification_missing: 'The zone requires a qualification the person does not have.',
    qualification_expired: 'A qualification the zone requires has expired.',
    anti_passback: 'Anti-passback: the person is not recorded on this side of the reader.',
    escort_required: 'A visitor needs an escort: waiting for the host or an escort at the reader.',
    two_person_required: 'Two-person rule: a second authorised person must present at this reader.',
    zone_full: 'The zone is at its capacity.',
    watchlisted: 'The person is on the watchlist: call the PFSO.',
    visitor_expired: 'The visit has ended: the visitor\u2019s access has expired.',
  };

  function reasonText(code) {
    return Object.prototype.hasOwnProperty.call(REASONS, code) ? REASONS[code] : 'Unknown reason code.';
  }

  const DAYS = [['mon', 'Monday'], ['tue', 'Tuesday'], ['wed', 'Wednesday'], ['thu', 'Thursday'],
    ['fri', 'Friday'], ['sat', 'Saturday'], ['sun', 'Sunday']];

  /* ---------- shared helpers ---------- */

  function idOf(v) {
    if (v === null || v === undefined || v === '') return null;
    if (typeof v === 'object') return idOf(v.id);
    return String(v);
  }

  /* Zones in tree order: [{zone, depth}], children after their parent, siblings by name.
   * Zones whose parent is missing (or in a cycle) are shown as roots. */
  function zoneTree(zones) {
    const byId = new Map(zones.map((z) => [String(z.id), z]));
    const kids = new Map();
    const roots = [];
    for (const z of zones) {
      const p = idOf(z.parent_id);
      if (p && byId.has(p) && p !== String(z.id)) {
        if (!kids.has(p)) kids.set(p, []);
        kids.get(p).push(z);
      } else {
        roots.push(z);
      }
    }
    const byName = (a, b) => String(a.name).localeCompare(String(b.name));
    const out = [];
    const seen = new Set();
    const walk = (z, depth) => {
      const id = String(z.id);
      if (seen.has(id)) return;
      seen.add(id);
      out.push({ zone: z, depth: depth });
      for (const k of (kids.get(id) || []).sort(byName)) walk(k, depth + 1);
    };
    for (const r of roots.sort(byName)) walk(r, 0);
    for (const z of zones) if (!seen.has(String(z.id))) walk(z, 0);
    return out;
  }

  /* The ids of a zone and every zone below it. */
  function zoneSubtree(zones, id) {
    const out = new Set([String(id)]);
    let grew = true;
    while (grew) {
      grew = false;
      for (const z of zones) {
        const p = idOf(z.parent_id);
        if (p && out.has(p) && !out.has(String(z.id))) { out.add(String(z.id)); grew = true; }
      }
    }
    return out;
  }

  /* Fills a select with zones in tree order, indented. opts: {none, exclude:Set, selected} */
  function fillZoneSelect(select, zones, opts) {
    opts = opts || {};
    select.replaceChildren();
    if (opts.none !== undefined) select.append(el('option', { value: '', text: opts.none }));
    for (const { zone, depth } of zoneTree(zones)) {
      if (opts.exclude && opts.exclude.has(String(zone.id))) continue;
      select.append(el('option', {
        value: String(zone.id),
        text: '\u00a0\u00a0\u00a0'.repeat(depth) + (depth ? '\u2514 ' : '') + zone.name,
      }));
    }
    select.value = opts.selected !== undefined && opts.selected !== null ? String(opts.selected) : '';
    if (select.selectedIndex < 0 && select.options.length) select.selectedIndex = 0;
  }

  function zoneName(zonesById, id) {
    const z = zonesById.get(String(id));
    return z ? String(z.name) : (id === null || id === undefined ? '\u2013' : 'zone ' + id);
  }

  function personName(p) {
    if (!p) return '';
    if (typeof p === 'string') return p;
    if (p.name) return String(p.name);
    return [p.first_name, p.last_name].filter(Boolean).join(' ') || (p.id !== undefined ? 'person ' + p.id : '');
  }

  /* <input type="datetime-local"> holds "YYYY-MM-DDTHH:MM" which the console reads as UTC. */
  function localInputToIso(v) {
    if (!v) return null;
    const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(:\d{2})?$/.exec(v);
    return m ? m[1] + 'T' + m[2] + (m[3] || ':00') + 'Z' : null;
  }

  function isoToLocalInput(iso) {
    if (!iso) return '';
    const d = new Date(iso);
    return Number.isNaN(d.getTime()) ? '' : d.toISOString().slice(0, 16);
  }

  /* <input type="date"> to the end of that day, UTC. */
  function dateInputToIso(v) {
    return /^\d{4}-\d{2}-\d{2}$/.test(v || '') ? v + 'T23:59:59Z' : null;
  }

  function pill(text, stateName, extra) {
    return el('span', { class: 'pill' + (extra ? ' ' + extra : ''), 'data-state': stateName || '', text: text });
  }

  function levelChip(n) {
    return el('span', { class: 'lvl-chip', 'data-level': String(n), text: String(n), title: 'Security level ' + n });
  }

  function kindPill(kind) {
    return el('span', { class: 'kind kind-' + String(kind || '').replace(/[^a-z_]/g, ''), text: String(kind || '').replace(/_/g, ' ') });
  }

  /* A button that asks once more before doing something hard to undo. */
  function confirmButton(label, confirmLabel, cls, onConfirm, ariaName) {
    const btn = el('button', { type: 'button', class: 'btn btn-small ' + (cls || ''), text: label });
    if (ariaName) btn.setAttribute('aria-label', label + ' ' + ariaName);
    let armed = null;
    const disarm = () => {
      if (armed) window.clearTimeout(armed);
      armed = null;
      btn.textContent = label;
      if (ariaName) btn.setAttribute('aria-label', label + ' ' + ariaName);
      btn.classList.remove('armed');
    };
    btn.addEventListener('click', async () => {
      if (!armed) {
        btn.textContent = confirmLabel;
        if (ariaName) btn.setAttribute('aria-label', confirmLabel + ' ' + ariaName);
        btn.classList.add('armed');
        armed = window.setTimeout(disarm, 5000);
        return;
      }
      disarm();
      btn.disabled = true;
      try { await onConfirm(); } finally { btn.disabled = false; }
    });
    btn.addEventListener('blur', () => { if (armed) disarm(); });
    return btn;
  }

  /* Shows a failed request on a form: the problem's detail, and its field marked. */
  function formProblem(form, alertEl, prefix, problem) {
    showAlert(alertEl, prefix + problemText(problem));
    if (form) markField(form, problem.field);
  }

  function localProblem(form, alertEl, text, field) {
    showAlert(alertEl, text);
    if (form) markField(form, field);
  }

  /* "HH:MM" inputs; "00:00" as an end is midnight at the end of the day ("24:00"). */
  function scheduleSummary(schedule) {
    if (schedule === 'always' || schedule === null || schedule === undefined) return 'always';
    if (typeof schedule !== 'object') return String(schedule);
    const parts = [];
    let prev = null;
    let run = [];
    const flush = () => {
      if (!run.length) return;
      const names = run.length > 2 ? run[0] + '\u2013' + run[run.length - 1] : run.join(', ');
      parts.push(names + ' ' + prev);
      run = [];
    };
    for (const [d] of DAYS) {
      const spans = Array.isArray(schedule[d]) ? schedule[d] : [];
      const text = spans.map((s) => Array.isArray(s) ? s[0] + '\u2013' + s[1] : String(s)).join(', ');
      const short = d.charAt(0).toUpperCase() + d.slice(1);
      if (!text) { flush(); prev = null; continue; }
      if (text !== prev) { flush(); prev = text; }
      run.push(short);
    }
    flush();
    return parts.length ? parts.join('; ') : 'never (no hours)';
  }

  function levelsOf(v) {
    if (Array.isArray(v)) return v.map(Number).filter((n) => n >= 1 && n <= 3);
    if (typeof v === 'number') return [1, 2, 3].filter((n) => v & (1 << (n - 1)));
    return [1, 2, 3];
  }

  h.ax = {
    ROLES_ADM, ROLES_LEVEL, ROLES_GATE, ROLES_QUALS, ROLES_OPS, REASONS, DAYS,
    hasRole, reasonText, idOf, zoneTree, zoneSubtree, fillZoneSelect, zoneName,
    personName, localInputToIso, isoToLocalInput, dateInputToIso, pill, levelChip, kindPill,
    confirmButton, formProblem, localProblem, scheduleSummary, levelsOf,
  };

  /* ---------- page: security level ---------- */

  function pageLevel(view, alive) {
    const errorEl = $(view, 'level-error');
    const okEl = $(view, 'level-ok');
    const form = $(view, 'level-form');
    const tbody = $(view, 'level-history-tbody');
    const older = $(view, 'level-history-older');
    const empty = $(view, 'level-history-empty');
    let next = null;
    let loading = false;

    function renderCurrent(lv) {
      const n = lv && [1, 2, 3].indexOf(Number(lv.level)) >= 0 ? Number(lv.level) : null;
      $(view, 'level-current').setAttribute('data-level', n ? String(n) : '');
      $(view, 'level-big-value').textContent = n ? String(n) : '\u2013';
      $(view, 'level-name').textContent = n ? 'Security level ' + n + ': ' + h.LEVEL_NAMES[n] : 'Security level unknown';
      $(view, 'level-reason').textContent = lv && lv.reason ? lv.reason : '';
      $(view, 'level-instructed').textContent = lv && lv.instructed_by ? lv.instructed_by : '\u2013';
      $(view, 'level-setby').textContent = lv && lv.set_by ? lv.set_by : '\u2013';
      $(view, 'level-setat').replaceChildren(lv && lv.set_at ? timeEl(lv.set_at, true) : '\u2013');
    }

    function historyRow(r) {
      const n = Number(r.level);
      return el('tr', { 'data-level': String(n) }, [
        el('td', null, el('span', { class: 'lvl-tag', 'data-level': String(n), text: 'Level ' + n })),
        el('td', { text: r.reason || '' }),
        el('td', { text: r.instructed_by || '\u2013' }),
        el('td', { text: r.set_by || '' }),
        el('td', { class: 'nowrap' }, timeEl(r.set_at, true)),
      ]);
    }

    async function loadHistory(reset) {
      if (loading) return;
      loading = true;
      older.disabled = true;
      const r = await api('GET', h.listUrl('/security-level/history', reset ? null : next));
      loading = false;
      older.disabled = false;
      if (!alive()) return;
      if (!r.ok) {
        showAlert(errorEl, 'Could not load the level history: ' + problemText(r.problem));
        return;
      }
      const page = listOf(r.data);
      if (reset) tbody.replaceChildren();
      for (const row of page.items) tbody.append(historyRow(row));
      next = page.next;
      older.hidden = !next;
      empty.hidden = tbody.rows.length > 0;
    }

    if (hasRole(ROLES_LEVEL)) {
      $(view, 'level-change-card').hidden = false;
      form.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        clearFieldErrors(form);
        showAlert(errorEl, '');
        showAlert(okEl, '');
        const chosen = form.querySelector('input[name="level"]:checked');
        const reason = form.elements.namedItem('reason').value.trim();
        const instructed = form.elements.namedItem('instructed_by').value.trim();
        if (!chosen) return localProblem(form, errorEl, 'Choose the new security level.', 'level');
        if (!reason) return localProblem(form, errorEl, 'Give the reason for the change.', 'reason');
        const body = { level: Number(chosen.value), reason: reason };
        if (instructed) body.instructed_by = instructed;
        const submit = $(view, 'level-submit');
        submit.disabled = true;
        const r = await api('PUT', API + '/security-level', body);
        submit.disabled = false;
        if (!alive()) return;
        if (!r.ok) return formProblem(form, errorEl, 'Could not set the level: ', r.problem);
        form.reset();
        showAlert(okEl, 'Security level ' + body.level + ' (' + h.LEVEL_NAMES[body.level] + ') recorded.');
        if (r.data && r.data.level !== undefined) renderCurrent(r.data);
        h.refreshLevel();
        loadHistory(true);
      });
    }

    renderCurrent(h.level());
    h.subscribe(':level', (lv) => renderCurrent(lv));
    h.subscribe('level', () => loadHistory(true));
    older.addEventListener('click', () => loadHistory(false));
    $(view, 'level-history-refresh').addEventListener('click', () => loadHistory(true));
    h.refreshLevel();
    loadHistory(true);
  }

  /* ---------- page: zones and readers ---------- */

  function pageZones(view, alive) {
    const errorEl = $(view, 'zones-error');
    const okEl = $(view, 'zones-ok');
    const ztbody = $(view, 'zones-tbody');
    const rtbody = $(view, 'readers-tbody');
    const zform = $(view, 'zone-form');
    const rform = $(view, 'reader-form');
    const canEdit = hasRole(ROLES_ADM);
    let zones = [];
    let zonesById = new Map();
    let readers = [];
    let editingZone = null;
    let editingReader = null;

    const say = h.notifier(okEl, errorEl);

    function renderZones() {
      ztbody.replaceChildren();
      for (const { zone: z, depth } of zoneTree(zones)) {
        const quals = Array.isArray(z.required_qualifications) ? z.required_qualifications : [];
        const name = el('div', { class: 'tree-name', 'data-depth': String(depth) }, [
          depth ? el('span', { class: 'tree-guide', 'aria-hidden': 'true', text: '\u2514' }) : null,
          el('span', { class: 'strong', text: String(z.name) }),
        ]);
        name.style.paddingLeft = (depth * 1.4) + 'rem';
        let action = null;
        if (canEdit) {
          action = el('button', { type: 'button', class: 'btn btn-small', text: 'Edit', 'aria-label': 'Edit zone ' + z.name });
          action.addEventListener('click', () => editZone(z));
        }
        ztbody.append(el('tr', {
          'data-id': String(z.id), 'data-depth': String(depth), 'aria-level': String(depth + 1),
          class: editingZone && String(editingZone.id) === String(z.id) ? 'row-editing' : '',
        }, [
          el('th', { scope: 'row', class: 'tree-cell' }, name),
          el('td', null, kindPill(z.kind)),
          el('td', { class: 'num', text: z.capacity ? String(z.capacity) : '\u2013' }),
          el('td', null, z.anti_passback && z.anti_passback !== 'none'
            ? pill(z.anti_passback, z.anti_passback === 'hard' ? 'bad' : 'warn') : el('span', { class: 'dim', text: 'none' })),
          el('td', null, quals.length ? el('span', { class: 'chip-row' }, quals.map((q) => el('span', { class: 'chip', text: String(q) })))
            : el('span', { class: 'dim', text: '\u2013' })),
          el('td', { class: 'num' }, action),
        ]));
      }
      $(view, 'zones-empty').hidden = zones.length > 0;
      const keepParent = zform.elements.namedItem('parent_id').value;
      fillZoneSelect(zform.elements.namedItem('parent_id'), zones, {
        none: '\u2013 none (top-level zone) \u2013',
        exclude: editingZone ? zoneSubtree(zones, editingZone.id) : null,
        selected: editingZone ? idOf(editingZone.parent_id) : keepParent,
      });
      for (const name of ['from_zone_id', 'to_zone_id']) {
        const sel = rform.elements.namedItem(name);
        const keep = sel.value;
        fillZoneSelect(sel, zones, { none: 'choose a zone', selected: keep });
      }
    }

    function renderReaders() {
      rtbody.replaceChildren();
      for (const r of readers) {
        let action = null;
        if (canEdit) {
          action = el('button', { type: 'button', class: 'btn btn-small', text: 'Edit', 'aria-label': 'Edit reader ' + r.name });
          action.addEventListener('click', () => editReader(r));
        }
        rtbody.append(el('tr', { 'data-id': String(r.id) }, [
          el('th', { scope: 'row', class: 'strong', text: String(r.name) }),
          el('td', { text: String(r.kind || '').replace(/_/g, ' ') }),
          el('td', null, el('span', { class: 'passage' }, [
            el('span', { text: zoneName(zonesById, r.from_zone_id) }),
            el('span', { class: 'arrow', 'aria-label': 'to', text: ' \u2192 ' }),
            el('span', { class: 'strong', text: zoneName(zonesById, r.to_zone_id) }),
          ])),
          el('td', { class: 'num mono', text: String(r.id) }),
          el('td', { class: 'num' }, action),
        ]));
      }
      $(view, 'readers-empty').hidden = readers.length > 0;
    }

    async function load() {
      const [zr, rr] = await Promise.all([fetchAll('/zones'), fetchAll('/readers')]);
      if (!alive()) return;
      if (!zr.ok) say('', 'Could not load zones: ' + problemText(zr.problem));
      else if (!rr.ok) say('', 'Could not load readers: ' + problemText(rr.problem));
      zones = zr.items;
      zonesById = new Map(zones.map((z) => [String(z.id), z]));
      readers = rr.items;
      renderZones();
      renderReaders();
    }

    /* zone form */
    function zoneMode(z) {
      editingZone = z;
      clearFieldErrors(zform);
      $(view, 'zone-form-title').textContent = z ? 'Edit zone ' + z.name : 'New zone';
      $(view, 'zone-submit').textContent = z ? 'Save zone' : 'Create zone';
      $(view, 'zone-cancel').hidden = !z;
      zform.reset();
      if (z) {
        zform.elements.namedItem('name').value = z.name || '';
        zform.elements.namedItem('kind').value = z.kind || 'controlled';
        zform.elements.namedItem('anti_passback').value = z.anti_passback || 'none';
        zform.elements.namedItem('capacity').value = z.capacity ? String(z.capacity) : '';
        zform.elements.namedItem('required_qualifications').value =
          Array.isArray(z.required_qualifications) ? z.required_qualifications.join(', ') : '';
        zform.elements.namedItem('geometry').value = z.geometry ? JSON.stringify(z.geometry) : '';
      }
      renderZones();
    }

    function editZone(z) {
      zoneMode(z);
      say('', '');
      zform.elements.namedItem('name').focus();
    }

    zform.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      clearFieldErrors(zform);
      say('', '');
      const f = zform.elements;
      const body = {
        name: f.namedItem('name').value.trim(),
        kind: f.namedItem('kind').value,
        anti_passback: f.namedItem('anti_passback').value,
      };
      if (!body.name) return localProblem(zform, errorEl, 'Give the zone a name.', 'name');
      const parent = f.namedItem('parent_id').value;
      const capText = f.namedItem('capacity').value.trim();
      if (capText && !/^[1-9]\d*$/.test(capText)) {
        return localProblem(zform, errorEl, 'Capacity is a whole number of people, at least 1.', 'capacity');
      }
      const quals = f.namedItem('required_qualifications').value.split(',').map((q) => q.trim()).filter(Boolean);
      const geoText = f.namedItem('geometry').value.trim();
      let geometry = null;
      if (geoText) {
        try { geometry = JSON.parse(geoText); } catch (e) {
          return localProblem(zform, errorEl, 'Geometry is not valid JSON: ' + e.message, 'geometry');
        }
      }
      const z = editingZone;
      if (z) {
        /* PATCH only what changed. */
        const patch = {};
        for (const k of ['name', 'kind', 'anti_passback']) if (body[k] !== (z[k] || (k === 'anti_passback' ? 'none' : ''))) patch[k] = body[k];
        if ((parent || null) !== idOf(z.parent_id)) patch.parent_id = parent ? Number(parent) : null;
        const cap = capText ? Number(capText) : null;
        if (cap !== (z.capacity || null)) patch.capacity = cap;
        const oldQ = Array.isArray(z.required_qualifications) ? z.required_qualifications : [];
        if (JSON.stringify(quals) !== JSON.stringify(oldQ)) patch.required_qualifications = quals;
        if (JSON.stringify(geometry) !== JSON.stringify(z.geometry || null)) patch.geometry = geometry;
        if (!Object.keys(patch).length) { zoneMode(null); return; }
        const r = await api('PATCH', API + '/zones/' + encodeURIComponent(z.id), patch);
        if (!alive()) return;
        if (!r.ok) return formProblem(zform, errorEl, 'Could not save zone ' + z.name + ': ', r.problem);
        say('Zone ' + body.name + ' saved.', '');
      } else {
        if (parent) body.parent_id = Number(parent);
        if (capText) body.capacity = Number(capText);
        if (quals.length) body.required_qualifications = quals;
        if (geometry) body.geometry = geometry;
        const submit = $(view, 'zone-submit');
        submit.disabled = true;
        const r = await api('POST', API + '/zones', body);
        submit.disabled = false;
        if (!alive()) return;
        if (!r.ok) return formProblem(zform, errorEl, 'Could not create zone: ', r.problem);
        say('Zone ' + body.name + ' created.', '');
      }
      editingZone = null;
      zoneMode(null);
      await load();
    });
    $(view, 'zone-cancel').addEventListener('click', () => { zoneMode(null); say('', ''); });

    /* reader form */
    function readerMode(r) {
      editingReader = r;
      clearFieldErrors(rform);
      $(view, 'reader-form-title').textContent = r ? 'Edit reader ' + r.name : 'New reader';
      $(view, 'reader-submit').textContent = r ? 'Save reader' : 'Create reader';
      $(view, 'reader-cancel').hidden = !r;
      rform.reset();
      renderZones();
      if (r) {
        rform.elements.namedItem('name').value = r.name || '';
        rform.elements.namedItem('kind').value = r.kind || 'door';
        rform.elements.namedItem('from_zone_id').value = idOf(r.from_zone_id) || '';
        rform.elements.namedItem('to_zone_id').value = idOf(r.to_zone_id) || '';
      } else {
        rform.elements.namedItem('from_zone_id').value = '';
        rform.elements.namedItem('to_zone_id').value = '';
      }
    }

    function editReader(r) {
      readerMode(r);
      say('', '');
      rform.elements.namedItem('name').focus();
    }

    rform.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      clearFieldErrors(rform);
      say('', '');
      const f = rform.elements;
      const body = {
        name: f.namedItem('name').value.trim(),
        kind: f.namedItem('kind').value,
        from_zone_id: f.namedItem('from_zone_id').value,
        to_zone_id: f.namedItem('to_zone_id').value,
      };
      if (!body.name) return localProblem(rform, errorEl, 'Give the reader a name.', 'name');
      if (!body.from_zone_id) return localProblem(rform, errorEl, 'Choose the zone the reader leads from.', 'from_zone_id');
      if (!body.to_zone_id) return localProblem(rform, errorEl, 'Choose the zone the reader leads into.', 'to_zone_id');
      body.from_zone_id = Number(body.from_zone_id);
      body.to_zone_id = Number(body.to_zone_id);
      const rd = editingReader;
      let r;
      if (rd) {
        const patch = {};
        for (const k of Object.keys(body)) if (String(body[k]) !== String(idOf(rd[k]) || rd[k] || '')) patch[k] = body[k];
        if (!Object.keys(patch).length) { readerMode(null); return; }
        r = await api('PATCH', API + '/readers/' + encodeURIComponent(rd.id), patch);
      } else {
        r = await api('POST', API + '/readers', body);
      }
      if (!alive()) return;
      if (!r.ok) return formProblem(rform, errorEl, rd ? 'Could not save reader ' + rd.name + ': ' : 'Could not create reader: ', r.problem);
      say('Reader ' + body.name + (rd ? ' saved.' : ' created.'), '');
      readerMode(null);
      await load();
    });
    $(view, 'reader-cancel').addEventListener('click', () => { readerMode(null); say('', ''); });

    if (canEdit) {
      $(view, 'zone-form-card').hidden = false;
      $(view, 'reader-form-card').hidden = false;
    } else {
      for (const s of view.querySelectorAll('.split')) s.classList.add('split-single');
    }
    $(view, 'zone-cancel').hidden = true;
    $(view, 'reader-cancel').hidden = true;
    $(view, 'zones-refresh').addEventListener('click', () => { say('', ''); load(); });
    load();
  }

  /* ---------- page: access groups ---------- */

  function pageGroups(view, alive) {
    const errorEl = $(view, 'groups-error');
    const okEl = $(view, 'groups-ok');
    const tbody = $(view, 'groups-tbody');
    const form = $(view, 'group-form');
    const week = $(view, 'group-week');
    const holidayList = $(view, 'group-holiday-list');
    const canEdit = hasRole(ROLES_ADM);
    let zones = [];
    let zonesById = new Map();
    let groups = [];
    let editing = null;
    let holidays = [];

    const say = h.notifier(okEl, errorEl);

    function groupZoneIds(g) {
      if (Array.isArray(g.zone_ids)) return g.zone_ids.map(String);
      if (Array.isArray(g.zones)) return g.zones.map((z) => idOf(z)).filter(Boolean);
      return [];
    }

    function renderGroups() {
      tbody.replaceChildren();
      for (const g of groups) {
        const zids = groupZoneIds(g);
        const hol = Array.isArray(g.holidays) ? g.holidays : [];
        let action = null;
        if (canEdit) {
          action = el('button', { type: 'button', class: 'btn btn-small', text: 'Edit', 'aria-label': 'Edit group ' + g.name });
          action.addEventListener('click', () => editGroup(g));
        }
        tbody.append(el('tr', { 'data-id': String(g.id), class: editing && String(editing.id) === String(g.id) ? 'row-editing' : '' }, [
          el('th', { scope: 'row', class: 'strong', text: String(g.name) }),
          el('td', null, zids.length ? el('span', { class: 'chip-row' }, zids.map((id) => el('span', { class: 'chip', text: zoneName(zonesById, id) })))
            : el('span', { class: 'dim', text: 'no zones' })),
          el('td', null, [
            el('span', { text: scheduleSummary(g.schedule) }),
            hol.length ? el('span', { class: 'dim block', text: hol.length + (hol.length === 1 ? ' holiday' : ' holidays') + ' closed' }) : null,
          ]),
          el('td', null, el('span', { class: 'chip-row' }, levelsOf(g.levels).map(levelChip))),
          el('td', { class: 'num' }, action),
        ]));
      }
      $(view, 'groups-empty').hidden = groups.length > 0;
    }

    function renderZoneChecks(selected) {
      const list = $(view, 'group-zone-list');
      list.replaceChildren();
      for (const { zone, depth } of zoneTree(zones)) {
        const id = h.uid('gz');
        const box = el('input', { type: 'checkbox', id: id, name: 'zone_ids', value: String(zone.id), checked: selected.has(String(zone.id)) });
        const row = el('div', { class: 'check-row' }, [box, el('label', { for: id, class: 'check-label' }, [
          String(zone.name), ' ', el('span', { class: 'dim', text: String(zone.kind || '').replace(/_/g, ' ') })])]);
        row.style.paddingLeft = (depth * 1.2) + 'rem';
        list.append(row);
      }
      if (!zones.length) list.append(el('p', { class: 'hint', text: 'No zones yet: create them under Zones first.' }));
    }

    /* weekly editor */
    function spanRow(day, span) {
      const a = el('input', { type: 'time', class: 'time-input', step: '60', 'aria-label': day[1] + ' from', value: span ? span[0] : '06:00' });
      const b = el('input', { type: 'time', class: 'time-input', step: '60', 'aria-label': day[1] + ' until', value: span ? (span[1] === '24:00' ? '00:00' : span[1]) : '18:00' });
      const rm = el('button', { type: 'button', class: 'btn btn-small btn-icon', 'aria-label': 'Remove these ' + day[1] + ' hours', title: 'Remove', text: '\u00d7' });
      const row = el('span', { class: 'span-row' }, [a, el('span', { class: 'dash', text: '\u2013' }), b, rm]);
      rm.addEventListener('click', () => { row.remove(); syncDay(day[0]); });
      return row;
    }

    function syncDay(d) {
      const row = week.querySelector('[data-day="' + d + '"]');
      const none = row.querySelector('.no-hours');
      none.hidden = row.querySelectorAll('.span-row').length > 0;
    }

    function renderWeek(schedule) {
      week.replaceChildren();
      for (const day of DAYS) {
        const spans = schedule && typeof schedule === 'object' && Array.isArray(schedule[day[0]]) ? schedule[day[0]] : [];
        const list = el('span', { class: 'spans' }, el('span', { class: 'no-hours dim', text: 'no access' }));
        for (const s of spans) if (Array.isArray(s)) list.append(spanRow(day, s));
        const add = el('button', { type: 'button', class: 'btn btn-small', text: '+ hours', 'aria-label': 'Add hours on ' + day[1] });
        add.addEventListener('click', () => { list.append(spanRow(day, null)); syncDay(day[0]); });
        week.append(el('div', { class: 'day-row', 'data-day': day[0] }, [
          el('span', { class: 'day-name', text: day[1] }),
          list,
          add,
        ]));
        syncDay(day[0]);
      }
    }

    function readWeek() {
      const out = {};
      for (const day of DAYS) {
        const spans = [];
        for (const row of week.querySelectorAll('[data-day="' + day[0] + '"] .span-row')) {
          const [a, b] = row.querySelectorAll('input');
          if (!/^\d{2}:\d{2}/.test(a.value) || !/^\d{2}:\d{2}/.test(b.value)) {
            return { error: 'Enter both times of every ' + day[1] + ' span.', input: a.value ? b : a };
          }
          const from = a.value.slice(0, 5);
          const to = b.value.slice(0, 5) === '00:00' ? '24:00' : b.value.slice(0, 5);
          if (to <= from) return { error: day[1] + ': ' + from + '\u2013' + to + ' ends before it starts.', input: b };
          spans.push([from, to]);
        }
        spans.sort((x, y) => x[0].localeCompare(y[0]));
        if (spans.length) out[day[0]] = spans;
      }
      return { schedule: out };
    }

    function scheduleMode() {
      const weekly = form.querySelector('input[name="schedule_mode"]:checked').value === 'weekly';
      week.hidden = !weekly;
      $(view, 'group-week-tools').hidden = !weekly;
    }

    function renderHolidays() {
      holidayList.replaceChildren();
      for (const d of holidays) {
        const rm = el('button', { type: 'button', class: 'chip-x', 'aria-label': 'Remove holiday ' + d, text: '\u00d7' });
        rm.addEventListener('click', () => { holidays = holidays.filter((x) => x !== d); renderHolidays(); });
        holidayList.append(el('li', { class: 'chip' }, [el('span', { class: 'mono', text: d }), rm]));
      }
    }

    function groupMode(g) {
      editing = g;
      clearFieldErrors(form);
      form.reset();
      $(view, 'group-form-title').textContent = g ? 'Edit group ' + g.name : 'New access group';
      $(view, 'group-submit').textContent = g ? 'Save group' : 'Create group';
      $(view, 'group-cancel').hidden = !g;
      const sel = new Set(g ? groupZoneIds(g) : []);
      renderZoneChecks(sel);
      const weekly = !!(g && g.schedule && typeof g.schedule === 'object');
      form.querySelector('input[name="schedule_mode"][value="' + (weekly ? 'weekly' : 'always') + '"]').checked = true;
      renderWeek(weekly ? g.schedule : { mon: [['06:00', '18:00']], tue: [['06:00', '18:00']], wed: [['06:00', '18:00']], thu: [['06:00', '18:00']], fri: [['06:00', '18:00']] });
      scheduleMode();
      holidays = g && Array.isArray(g.holidays) ? g.holidays.map(String) : [];
      renderHolidays();
      const lv = levelsOf(g ? g.levels : [1, 2, 3]);
      for (const box of form.querySelectorAll('input[name="levels"]')) box.checked = lv.indexOf(Number(box.value)) >= 0;
      if (g) form.elements.namedItem('name').value = g.name || '';
      renderGroups();
    }

    function editGroup(g) {
      groupMode(g);
      say('', '');
      form.elements.namedItem('name').focus();
    }

    async function load() {
      const [zr, gr] = await Promise.all([fetchAll('/zones'), fetchAll('/access-groups')]);
      if (!alive()) return;
      if (!zr.ok) say('', 'Could not load zones: ' + problemText(zr.problem));
      else if (!gr.ok) say('', 'Could not load access groups: ' + problemText(gr.problem));
      zones = zr.items;
      zonesById = new Map(zones.map((z) => [String(z.id), z]));
      groups = gr.items;
      if (editing) {
        const fresh = groups.find((g) => String(g.id) === String(editing.id));
        editing = fresh || null;
      }
      renderGroups();
      if (!editing) {
        const keep = new Set(Array.from(form.querySelectorAll('input[name="zone_ids"]:checked')).map((b) => b.value));
        renderZoneChecks(keep);
      }
    }

    form.addEventListener('change', (ev) => { if (ev.target.name === 'schedule_mode') scheduleMode(); });
    $(view, 'group-copy-mon').addEventListener('click', () => {
      const mon = Array.from(week.querySelectorAll('[data-day="mon"] .span-row')).map((row) => {
        const [a, b] = row.querySelectorAll('input');
        return [a.value, b.value];
      });
      for (const day of DAYS.slice(1, 5)) {
        const list = week.querySelector('[data-day="' + day[0] + '"] .spans');
        for (const row of list.querySelectorAll('.span-row')) row.remove();
        list.append(...mon.map((s) => spanRow(day, s)));
        syncDay(day[0]);
      }
    });
    $(view, 'group-holiday-add').addEventListener('click', () => {
      const input = $(view, 'group-holiday-date');
      if (!/^\d{4}-\d{2}-\d{2}$/.test(input.value)) {
        localProblem(form, errorEl, 'Pick a date to add as a holiday.', 'holidays');
        return;
      }
      if (holidays.indexOf(input.value) < 0) holidays.push(input.value);
      holidays.sort();
      input.value = '';
      renderHolidays();
    });

    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      clearFieldErrors(form);
      say('', '');
      const name = form.elements.namedItem('name').value.trim();
      if (!name) return localProblem(form, errorEl, 'Give the group a name.', 'name');
      const zoneIds = Array.from(form.querySelectorAll('input[name="zone_ids"]:checked')).map((b) => Number(b.value));
      if (!zoneIds.length) return localProblem(form, errorEl, 'Tick at least one zone the group opens.', 'zone_ids');
      const levels = Array.from(form.querySelectorAll('input[name="levels"]:checked')).map((b) => Number(b.value));
      if (!levels.length) return localProblem(form, errorEl, 'Tick at least one security level the group is valid at.', 'levels');
      let schedule = 'always';
      if (form.querySelector('input[name="schedule_mode"]:checked').value === 'weekly') {
        const w = readWeek();
        if (w.error) {
          localProblem(form, errorEl, w.error, 'schedule');
          if (w.input) { w.input.setAttribute('aria-invalid', 'true'); w.input.focus(); }
          return;
        }
        schedule = w.schedule;
      }
      const body = { name: name, zone_ids: zoneIds, schedule: schedule, holidays: holidays.slice(), levels: levels };
      const g = editing;
      const submit = $(view, 'group-submit');
      submit.disabled = true;
      const r = g ? await api('PATCH', API + '/access-groups/' + encodeURIComponent(g.id), body)
        : await api('POST', API + '/access-groups', body);
      submit.disabled = false;
      if (!alive()) return;
      if (!r.ok) return formProblem(form, errorEl, g ? 'Could not save group ' + g.name + ': ' : 'Could not create group: ', r.problem);
      say('Access group ' + name + (g ? ' saved.' : ' created.'), '');
      editing = null;
      await load();
      groupMode(null);
    });
    $(view, 'group-cancel').addEventListener('click', () => { groupMode(null); say('', ''); });
    $(view, 'groups-refresh').addEventListener('click', () => { say('', ''); load(); });

    if (canEdit) $(view, 'group-form-card').hidden = false;
    else view.querySelector('.split').classList.add('split-single');
    groupMode(null);
    load();
  }

  return {
    pages: {
      level: { tpl: 'tpl-page-level', init: pageLevel },
      zones: { tpl: 'tpl-page-zones', init: pageZones, wide: true },
      groups: { tpl: 'tpl-page-groups', init: pageGroups, wide: true },
    },
  };
});
