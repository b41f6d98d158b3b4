/*
 * portguard web console: drills and exercises (ISPS B/18). The schedule (what is due and
 * overdue, with a banner per overdue kind), overdue corrective actions, a month calendar of
 * planned and conducted items, the record form with a participants picker, and the record
 * panel: conduct, muster of an evacuation drill with its timing, corrective actions.
 *
 * API (docs/API.md "Drills and exercises"): GET /api/v1/drills/schedule, GET/POST
 * /api/v1/drills, GET /api/v1/drills/{id}, POST .../conduct, .../actions,
 * .../actions/{aid}/close, .../muster, .../muster/close; GET /api/v1/people?q= and
 * /api/v1/zones for the pickers.
 */
'use strict';

(window.portguard = window.portguard || { modules: [] }).modules.push(function (h) {
  const { API, el, $, api, listOf, showAlert, clearFieldErrors, markField, problemText, timeEl } = h;
  const WRITERS = ['admin', 'pfso', 'trainer'];
  const STATUS_PILL = { ok: 'ok', due: 'warn', overdue: 'bad', planned: 'warn', conducted: 'ok', cancelled: 'off', open: 'warn', closed: 'ok' };
  const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

  function pill(text) {
    return el('span', { class: 'pill', 'data-state': STATUS_PILL[text] || 'off', text: text });
  }

  function words(s) {
    return String(s || '').replace(/_/g, ' ');
  }

  function pad(n) {
    return String(n).padStart(2, '0');
  }

  function pageDrills(view, alive) {
    const canWrite = WRITERS.includes((h.me() || {}).role);
    const errorEl = $(view, 'dr-error');
    const panel = $(view, 'dr-panel');
    const panelError = $(view, 'dr-panel-error');
    const now = new Date();
    let month = { y: now.getUTCFullYear(), m: now.getUTCMonth() };
    let picked = []; /* [{id, name}] participants of the new record */
    let current = null; /* the drill in the panel */
    let searchGen = 0;

    if (!canWrite) {
      $(view, 'dr-new-card').hidden = true;
      $(view, 'dr-action-form').hidden = true;
    }

    /* ---------- schedule ---------- */

    function banner(id, item) {
      const node = $(view, id);
      if (item && item.status === 'overdue') {
        const what = item.kind === 'drill' ? 'Drill overdue' : 'Exercise overdue';
        showAlert(node, what + ' by ' + item.days_overdue + ' day' + (item.days_overdue === 1 ? '' : 's') + ': ' + item.reason);
      } else {
        showAlert(node, '');
      }
    }

    function schedRow(item) {
      const next = item.next_planned;
      return el('tr', { 'data-kind': item.kind, 'data-status': item.status }, [
        el('th', { scope: 'row', text: item.kind }),
        el('td', {}, pill(item.status)),
        el('td', {}, item.last ? timeEl(item.last, true) : el('span', { text: 'none recorded' })),
        el('td', { text: item.due_date }),
        el('td', { text: item.reason }),
        el('td', { text: next ? next.title + ' (' + String(next.planned_at || '').slice(0, 10) + ')' : '' }),
      ]);
    }

    function ownerText(a) {
      return a.owner_name || a.owner_user || '';
    }

    async function loadSchedule() {
      const r = await api('GET', API + '/drills/schedule');
      if (!alive()) return;
      if (!r.ok) { showAlert(errorEl, 'Could not load the schedule: ' + problemText(r.problem)); return; }
      showAlert(errorEl, '');
      const s = r.data || {};
      banner('dr-banner-drill', s.drill);
      banner('dr-banner-exercise', s.exercise);
      $(view, 'dr-sched-tbody').replaceChildren(schedRow(s.drill || {}), schedRow(s.exercise || {}));
      const overdue = Array.isArray(s.actions_overdue) ? s.actions_overdue : [];
      $(view, 'dr-overdue-tbody').replaceChildren(...overdue.map((a) => el('tr', { 'data-id': a.id }, [
        el('td', { text: a.due_date + ' (' + a.days_overdue + ' d overdue)' }),
        el('td', { text: a.text }),
        el('td', { text: ownerText(a) }),
        el('td', {}, el('button', { type: 'button', class: 'btn btn-small', text: a.drill_title, 'aria-label': 'Open drill ' + a.drill_title, onclick: () => openDrill(a.drill_id) })),
      ])));
      $(view, 'dr-overdue-empty').hidden = overdue.length > 0;
    }

    /* ---------- calendar ---------- */

    async function loadMonth() {
      const first = month.y + '-' + pad(month.m + 1) + '-01';
      const lastDay = new Date(Date.UTC(month.y, month.m + 1, 0)).getUTCDate();
      const last = month.y + '-' + pad(month.m + 1) + '-' + pad(lastDay);
      $(view, 'dr-month').textContent = MONTHS[month.m] + ' ' + month.y;
      const r = await api('GET', API + '/drills?limit=500&from=' + first + '&to=' + last);
      if (!alive()) return;
      if (!r.ok) { showAlert(errorEl, 'Could not load the calendar: ' + problemText(r.problem)); return; }
      const items = listOf(r.data).items.slice().sort((a, b) => String(a.at).localeCompare(String(b.at)));
      $(view, 'dr-cal-tbody').replaceChildren(...items.map((d) => el('tr', { 'data-id': d.id, 'data-status': d.status, 'data-kind': d.kind }, [
        el('td', {}, timeEl(d.at, true)),
        el('td', { text: d.kind + (d.format ? ' (' + d.format + ')' : '') }),
        el('td', { text: words(d.type) }),
        el('td', { text: d.title }),
        el('td', {}, pill(d.status)),
        el('td', { class: 'num', text: String(d.actions_open || 0) + (d.actions_overdue ? ' (' + d.actions_overdue + ' overdue)' : '') }),
        el('td', {}, el('button', { type: 'button', class: 'btn btn-small', text: 'Open', 'aria-label': 'Open ' + d.title, onclick: () => openDrill(d.id) })),
      ])));
      $(view, 'dr-cal-empty').hidden = items.length > 0;
    }

    function shiftMonth(n) {
      const t = month.y * 12 + month.m + n;
      month = { y: Math.floor(t / 12), m: t % 12 };
      loadMonth();
    }

    /* ---------- the record form ---------- */

    function renderPicked() {
      $(view, 'dr-people').replaceChildren(...picked.map((p) => el('li', { class: 'chip', 'data-id': p.id }, [
        el('span', { text: p.name }),
        el('button', { type: 'button', class: 'chip-x', text: '\u00d7', 'aria-label': 'Remove ' + p.name, onclick: () => { picked = picked.filter((x) => x.id !== p.id); renderPicked(); } }),
      ])));
    }

    async function searchPeople() {
      const q = $(view, 'dr-people-q').value.trim();
      const g = ++searchGen;
      const hits = $(view, 'dr-people-hits');
      if (!q) { hits.replaceChildren(); return; }
      const r = await api('GET', API + '/people?limit=8&q=' + encodeURIComponent(q));
      if (!alive() || g !== searchGen) return;
      const items = r.ok ? listOf(r.data).items : [];
      hits.replaceChildren(...items.map((p) => {
        const name = (p.first_name || '') + ' ' + (p.last_name || '');
        return el('li', { class: 'chip' }, el('button', {
          type: 'button', class: 'btn btn-small', text: 'Add ' + name, onclick: () => {
            if (!picked.some((x) => x.id === p.id)) picked.push({ id: p.id, name: name });
            renderPicked();
            hits.replaceChildren();
            $(view, 'dr-people-q').value = '';
          },
        }));
      }));
    }

    async function loadZones() {
      const r = await api('GET', API + '/zones?limit=500');
      if (!alive() || !r.ok) return;
      const sel = $(view, 'dr-zone');
      for (const z of listOf(r.data).items) sel.append(el('option', { value: z.id, text: z.name }));
    }

    function observersOf(text) {
      return String(text || '').split(',').map((s) => s.trim()).filter((s) => s);
    }

    async function onCreate(ev) {
      ev.preventDefault();
      const form = ev.currentTarget;
      const fe = $(view, 'dr-form-error');
      clearFieldErrors(form);
      showAlert(fe, '');
      showAlert($(view, 'dr-form-ok'), '');
      const v = (name) => form.elements.namedItem(name).value;
      const status = v('status');
      const body = { kind: v('kind'), type: v('type'), title: v('title'), status: status };
      if (v('format')) body.format = v('format');
      for (const k of ['scenario', 'place', 'results', 'lessons']) if (v(k).trim()) body[k] = v(k);
      const when = v('when');
      if (when) {
        const t = new Date(when);
        if (Number.isNaN(t.getTime())) { showAlert(fe, 'The date and time is not valid.'); markField(form, 'when'); return; }
        body[status === 'conducted' ? 'conducted_at' : 'planned_at'] = t.toISOString();
      }
      if (v('zone_id')) body.zone_id = Number(v('zone_id'));
      if (picked.length) body.participants = picked.map((p) => p.id);
      const obs = observersOf(v('observers'));
      if (obs.length) body.observers = obs;
      const submit = $(view, 'dr-submit');
      submit.disabled = true;
      const r = await api('POST', API + '/drills', body);
      submit.disabled = false;
      if (!alive()) return;
      if (!r.ok) {
        const field = r.problem.field === 'planned_at' || r.problem.field === 'conducted_at' ? 'when' : r.problem.field;
        showAlert(fe, 'Not saved: ' + problemText(r.problem));
        fe.setAttribute('data-field', r.problem.field || '');
        markField(form, field);
        return;
      }
      showAlert($(view, 'dr-form-ok'), words(r.data.kind) + ' ' + r.data.id + ' saved as ' + r.data.status + '.');
      form.reset();
      picked = [];
      renderPicked();
      refreshAll();
      showDrill(r.data);
    }

    /* ---------- the record panel ---------- */

    function fact(dl, name, value) {
      if (value === null || value === undefined || value === '') return;
      dl.append(el('dt', { text: name }), el('dd', { 'data-fact': name }, typeof value === 'string' ? el('span', { text: value }) : value));
    }

    function musterText(m) {
      if (!m) return 'No muster started.';
      let t = 'Muster ' + m.muster_id + ' of ' + m.zone + ': ' + m.safe_count + ' of ' + m.total + ' safe, ' + m.missing_count + ' missing, ' + m.elapsed_s + ' s elapsed';
      if (m.closed_at) {
        t += '; closed. ' + (m.accounted_s === null || m.accounted_s === undefined ? 'Not everyone was accounted for.' : 'Everyone accounted for in ' + m.accounted_s + ' s.');
      } else {
        t += '; open.';
      }
      return t;
    }

    function actionRow(a) {
      let close = null;
      if (canWrite && a.status === 'open') {
        const input = el('input', { type: 'text', maxlength: '2000', 'aria-label': 'Closure of ' + a.text, placeholder: 'what was done' });
        close = el('span', { class: 'chip-row' }, [input, el('button', {
          type: 'button', class: 'btn btn-small', text: 'Close', 'aria-label': 'Close action ' + a.text,
          onclick: () => closeAction(a, input.value),
        })]);
      }
      return el('tr', { 'data-id': a.id, 'data-status': a.status, 'data-overdue': String(!!a.overdue) }, [
        el('td', { text: a.due_date + (a.overdue ? ' (overdue)' : '') }),
        el('td', { text: a.text }),
        el('td', { text: ownerText(a) }),
        el('td', {}, pill(a.status)),
        el('td', { text: a.status === 'closed' ? (a.closure || '') + ' \u2013 ' + (a.closed_by || '') + ' ' + String(a.closed_at || '').slice(0, 10) : '' }),
        el('td', {}, close),
      ]);
    }

    function showDrill(d) {
      current = d;
      panel.hidden = false;
      panel.setAttribute('data-id', d.id);
      panel.setAttribute('data-status', d.status);
      showAlert(panelError, '');
      $(view, 'dr-rec-title').textContent = words(d.kind) + ' ' + d.id + ': ' + d.title;
      const dl = $(view, 'dr-facts');
      dl.replaceChildren();
      fact(dl, 'Status', pill(d.status));
      fact(dl, 'Type', words(d.type) + (d.format ? ' (' + d.format + ')' : ''));
      fact(dl, 'Planned', d.planned_at ? timeEl(d.planned_at, true) : null);
      fact(dl, 'Conducted', d.conducted_at ? timeEl(d.conducted_at, true) : null);
      fact(dl, 'Place', d.place);
      fact(dl, 'Zone', d.zone);
      fact(dl, 'Scenario', d.scenario);
      fact(dl, 'Observers', Array.isArray(d.observers) ? d.observers.join(', ') : '');
      fact(dl, 'Results', d.results);
      fact(dl, 'Lessons learned', d.lessons);
      const people = Array.isArray(d.participants) ? d.participants : [];
      $(view, 'dr-rec-people').replaceChildren(...people.map((p) => el('li', { class: 'chip', 'data-id': p.id, text: p.name })));

      const box = $(view, 'dr-muster-box');
      box.hidden = d.type !== 'evacuation';
      $(view, 'dr-muster-text').textContent = musterText(d.muster);
      $(view, 'dr-muster-start').hidden = !canWrite || d.status !== 'planned' || !!d.muster_id;
      $(view, 'dr-muster-close').hidden = !canWrite || !d.muster || !!d.muster.closed_at;
      $(view, 'dr-conduct-form').hidden = !canWrite || d.status !== 'planned';

      const actions = Array.isArray(d.actions) ? d.actions : [];
      $(view, 'dr-actions-tbody').replaceChildren(...actions.map(actionRow));
      const owner = $(view, 'da-owner');
      const me = (h.me() || {}).username;
      owner.replaceChildren(...people.map((p) => el('option', { value: 'p:' + p.id, text: p.name })),
        me ? el('option', { value: 'u:' + me, text: me + ' (me)' }) : null);
      $(view, 'dr-action-form').hidden = !canWrite || d.status === 'cancelled';
    }

    async function openDrill(id) {
      const r = await api('GET', API + '/drills/' + encodeURIComponent(id));
      if (!alive()) return;
      if (!r.ok) { showAlert(errorEl, 'Could not open the drill: ' + problemText(r.problem)); return; }
      showDrill(r.data);
      panel.scrollIntoView({ block: 'start' });
    }

    function reloadDrill() {
      if (current) openDrill(current.id);
    }

    async function post(path, body, form) {
      const r = await api('POST', API + '/drills/' + current.id + path, body);
      if (!alive()) return null;
      if (!r.ok) {
        showAlert(panelError, problemText(r.problem));
        if (form) markField(form, r.problem.field);
        return null;
      }
      showAlert(panelError, '');
      return r;
    }

    async function closeAction(a, closure) {
      const body = closure.trim() ? { closure: closure.trim() } : {};
      if (await post('/actions/' + a.id + '/close', body)) { reloadDrill(); refreshAll(); }
    }

    async function onAction(ev) {
      ev.preventDefault();
      const form = ev.currentTarget;
      clearFieldErrors(form);
      const owner = form.elements.namedItem('owner_person_id').value;
      const body = { text: form.elements.namedItem('text').value, due_date: form.elements.namedItem('due_date').value };
      if (owner.startsWith('p:')) body.owner_person_id = Number(owner.slice(2));
      else if (owner.startsWith('u:')) body.owner_user = owner.slice(2);
      if (await post('/actions', body, form)) { form.reset(); reloadDrill(); refreshAll(); }
    }

    async function onConduct(ev) {
      ev.preventDefault();
      const form = ev.currentTarget;
      clearFieldErrors(form);
      const body = { results: form.elements.namedItem('results').value };
      const lessons = form.elements.namedItem('lessons').value;
      if (lessons.trim()) body.lessons = lessons;
      const r = await post('/conduct', body, form);
      if (r) { form.reset(); showDrill(r.data); refreshAll(); }
    }

    async function onMuster(close) {
      const body = close ? undefined : {};
      const r = await post(close ? '/muster/close' : '/muster', body);
      if (r) { showDrill(r.data); refreshAll(); }
    }

    function refreshAll() {
      loadSchedule();
      loadMonth();
    }

    $(view, 'dr-reload').addEventListener('click', refreshAll);
    $(view, 'dr-prev').addEventListener('click', () => shiftMonth(-1));
    $(view, 'dr-next').addEventListener('click', () => shiftMonth(1));
    $(view, 'dr-today').addEventListener('click', () => { month = { y: now.getUTCFullYear(), m: now.getUTCMonth() }; loadMonth(); });
    $(view, 'dr-form').addEventListener('submit', onCreate);
    $(view, 'dr-people-q').addEventListener('input', searchPeople);
    $(view, 'dr-panel-close').addEventListener('click', () => { panel.hidden = true; current = null; });
    $(view, 'dr-action-form').addEventListener('submit', onAction);
    $(view, 'dr-conduct-form').addEventListener('submit', onConduct);
    $(view, 'dr-muster-start').addEventListener('click', () => onMuster(false));
    $(view, 'dr-muster-close').addEventListener('click', () => onMuster(true));

    /* Other consoles' changes, the overdue check and muster progress arrive live. */
    h.subscribe('training', (item) => {
      const d = item && item.data;
      if (!d) return;
      refreshAll();
      if (current && (Number(d.id) === Number(current.id))) reloadDrill();
    });
    h.subscribe('muster', (item) => {
      const d = item && item.data;
      if (d && current && Number(d.muster_id) === Number(current.muster_id)) reloadDrill();
    });

    refreshAll();
    if (canWrite) loadZones();
  }

  return { pages: { drills: { tpl: 'tpl-page-drills', init: pageDrills, wide: true } } };
});
