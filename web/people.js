/*
 * portguard web console: people and credentials.
 *
 * A searchable list on the left; on the right either the enrolment form or one person's
 * detail: credentials, access groups, qualifications, essential zones, watchlist and where
 * the person is now. Uses the helpers access.js shares as h.ax.
 *
 * API (docs/API.md): GET/POST /api/v1/people, GET/PATCH /api/v1/people/{id},
 *   POST /api/v1/people/{id}/credentials, PATCH /api/v1/credentials/{id},
 *   PUT/DELETE /api/v1/people/{id}/groups/{group_id},
 *   PUT/DELETE /api/v1/people/{id}/qualifications/{name}, GET /api/v1/access-groups, /zones.
 */
'use strict';

(window.portguard = window.portguard || { modules: [] }).modules.push(function (h) {
  const { API, el, $, api, listOf, showAlert, clearFieldErrors, problemText, timeEl, fmtTime } = h;
  const SEARCH_DELAY_MS = 250;

  const CRED_STATE = { active: 'ok', suspended: 'warn', lost: 'bad', stolen: 'bad', revoked: 'off' };

  function pagePeople(view, alive) {
    const ax = h.ax;
    const tbody = $(view, 'people-tbody');
    const more = $(view, 'people-more');
    const listError = $(view, 'people-error');
    const panel = $(view, 'people-panel');
    const searchForm = $(view, 'people-search');
    const canEnrol = ax.hasRole(ax.ROLES_GATE);
    const timers = new Set();
    let next = null;
    let listGen = 0;
    let selected = null;       /* the person shown, as GET /people/{id} answered */
    let detailGen = 0;
    let zones = [];
    let zonesById = new Map();
    let groups = [];
    let groupsById = new Map();

    function later(fn, ms) {
      const t = window.setTimeout(() => { timers.delete(t); fn(); }, ms);
      timers.add(t);
      return t;
    }

    /* ---- the list ---- */

    function personRow(p) {
      const name = ax.personName(p);
      const open = el('button', { type: 'button', class: 'link-button', text: name, 'aria-label': 'Open ' + name });
      open.addEventListener('click', () => openPerson(p.id, true));
      const isSel = selected && String(selected.id) === String(p.id);
      return el('tr', { 'data-id': String(p.id), class: isSel ? 'row-selected' : '', 'aria-selected': isSel ? 'true' : 'false' }, [
        el('th', { scope: 'row' }, [open, p.watchlisted ? el('span', { class: 'flag-watch', title: 'On the watchlist' }, [
          el('span', { 'aria-hidden': 'true', text: '\u2691' }), el('span', { class: 'sr-only', text: 'on the watchlist' })]) : null]),
        el('td', null, ax.kindPill(p.kind)),
        el('td', { class: 'dim-cell', text: p.employer || '' }),
      ]);
    }

    function markSelectedRow() {
      for (const tr of tbody.rows) {
        const on = !!selected && tr.getAttribute('data-id') === String(selected.id);
        tr.classList.toggle('row-selected', on);
        tr.setAttribute('aria-selected', on ? 'true' : 'false');
      }
    }

    async function loadList(reset) {
      const gen = ++listGen;
      const f = searchForm.elements;
      let url = API + '/people?limit=' + h.PAGE_LIMIT;
      const q = f.namedItem('q').value.trim();
      const kind = f.namedItem('kind').value;
      if (q) url += '&q=' + encodeURIComponent(q);
      if (kind) url += '&kind=' + encodeURIComponent(kind);
      if (!reset && next) url += '&after=' + encodeURIComponent(next);
      more.disabled = true;
      const r = await api('GET', url);
      if (!alive() || gen !== listGen) return;
      more.disabled = false;
      if (!r.ok) {
        showAlert(listError, 'Could not load people: ' + problemText(r.problem));
        return;
      }
      showAlert(listError, '');
      const page = listOf(r.data);
      if (reset) tbody.replaceChildren();
      for (const p of page.items) tbody.append(personRow(p));
      next = page.next;
      more.hidden = !next;
      $(view, 'people-empty').hidden = tbody.rows.length > 0;
    }

    let searchTimer = null;
    searchForm.addEventListener('input', (ev) => {
      if (ev.target.name !== 'q') return;
      if (searchTimer) { window.clearTimeout(searchTimer); timers.delete(searchTimer); }
      searchTimer = later(() => loadList(true), SEARCH_DELAY_MS);
    });
    searchForm.addEventListener('change', (ev) => { if (ev.target.name === 'kind') loadList(true); });
    searchForm.addEventListener('submit', (ev) => { ev.preventDefault(); loadList(true); });
    more.addEventListener('click', () => loadList(false));

    /* ---- reference data: zones and groups ---- */

    async function loadRefs() {
      const [zr, gr] = await Promise.all([h.fetchAll('/zones'), h.fetchAll('/access-groups')]);
      zones = zr.items;
      zonesById = new Map(zones.map((z) => [String(z.id), z]));
      groups = gr.items;
      groupsById = new Map(groups.map((g) => [String(g.id), g]));
    }

    /* ---- enrolment ---- */

    function showEnrol() {
      selected = null;
      detailGen++;
      markSelectedRow();
      setHash(null);
      const card = h.clone('tpl-person-enrol');
      panel.replaceChildren(card);
      const form = $(card, 'enrol-form');
      const errorEl = $(card, 'enrol-error');
      const visitorBox = $(card, 'enrol-visitor');
      const hostQ = $(card, 'enrol-host-q');
      const results = $(card, 'enrol-host-results');
      const chosen = $(card, 'enrol-host-chosen');
      let hostId = null;
      let hostGen = 0;
      let hostTimer = null;

      const syncKind = () => { visitorBox.hidden = form.elements.namedItem('kind').value !== 'visitor'; };
      form.elements.namedItem('kind').addEventListener('change', syncKind);
      syncKind();

      function chooseHost(p) {
        hostId = p ? p.id : null;
        chosen.textContent = p ? 'Host: ' + ax.personName(p) + (p.employer ? ' (' + p.employer + ')' : '') : 'No host chosen.';
        chosen.classList.toggle('picked', !!p);
        results.hidden = true;
        results.replaceChildren();
        if (p) hostQ.value = '';
      }

      async function searchHosts() {
        const gen = ++hostGen;
        const q = hostQ.value.trim();
        if (!q) { results.hidden = true; results.replaceChildren(); return; }
        const r = await api('GET', API + '/people?limit=8&q=' + encodeURIComponent(q));
        if (!alive() || gen !== hostGen) return;
        results.replaceChildren();
        const items = r.ok ? listOf(r.data).items.filter((p) => p.kind !== 'visitor') : [];
        for (const p of items) {
          const b = el('button', { type: 'button', class: 'picker-item' }, [
            el('span', { class: 'strong', text: ax.personName(p) }), ' ',
            el('span', { class: 'dim', text: [p.kind, p.employer].filter(Boolean).join(' \u00b7 ') }),
          ]);
          b.addEventListener('click', () => { chooseHost(p); hostQ.focus(); });
          results.append(el('li', null, b));
        }
        if (!items.length) results.append(el('li', { class: 'picker-none', text: r.ok ? 'No one matches.' : 'Search failed: ' + problemText(r.problem) }));
        results.hidden = false;
      }
      hostQ.addEventListener('input', () => {
        if (hostTimer) { window.clearTimeout(hostTimer); timers.delete(hostTimer); }
        hostTimer = later(searchHosts, SEARCH_DELAY_MS);
      });
      hostQ.addEventListener('keydown', (ev) => {
        if (ev.key === 'Escape') { results.hidden = true; }
        if (ev.key === 'ArrowDown') {
          const first = results.querySelector('button');
          if (first) { ev.preventDefault(); first.focus(); }
        }
      });

      $(card, 'enrol-cancel').addEventListener('click', () => showPlaceholder());

      form.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        clearFieldErrors(form);
        showAlert(errorEl, '');
        const f = form.elements;
        const body = {
          kind: f.namedItem('kind').value,
          first_name: f.namedItem('first_name').value.trim(),
          last_name: f.namedItem('last_name').value.trim(),
        };
        if (!body.first_name) return ax.localProblem(form, errorEl, 'Enter the first name.', 'first_name');
        if (!body.last_name) return ax.localProblem(form, errorEl, 'Enter the last name.', 'last_name');
        for (const k of ['employer', 'id_doc_type', 'id_doc_number']) {
          const v = f.namedItem(k).value.trim();
          if (v) body[k] = v;
        }
        if (body.id_doc_number && !body.id_doc_type) {
          return ax.localProblem(form, errorEl, 'Choose the kind of ID document.', 'id_doc_type');
        }
        if (body.kind === 'visitor') {
          if (hostId === null) return ax.localProblem(form, errorEl, 'A visitor needs a host: search and pick the person visited.', 'host_id');
          const end = ax.localInputToIso(f.namedItem('visitor_expires').value);
          if (!end) return ax.localProblem(form, errorEl, 'A visitor needs the end of the visit.', 'visitor_expires');
          body.host_id = Number(hostId);
          body.visitor_expires = end;
        }
        const submit = $(card, 'enrol-submit');
        submit.disabled = true;
        const r = await api('POST', API + '/people', body);
        submit.disabled = false;
        if (!alive()) return;
        if (!r.ok) return ax.formProblem(form, errorEl, 'Could not enrol: ', r.problem);
        const id = r.data && r.data.id;
        await loadList(true);
        if (id !== undefined && id !== null) {
          await openPerson(id, true);
          showAlert($(panel, 'person-ok'), ax.personName(body) + ' enrolled.');
        } else {
          showPlaceholder();
        }
      });
      form.elements.namedItem('first_name').focus();
    }

    function showPlaceholder() {
      selected = null;
      detailGen++;
      markSelectedRow();
      setHash(null);
      panel.replaceChildren(el('section', { class: 'card panel-placeholder' },
        el('p', { text: 'Select a person to see their credentials, access groups, qualifications and whereabouts.' })));
    }

    function setHash(id) {
      const want = id === null ? '#/people' : '#/people/' + encodeURIComponent(id);
      if (location.hash !== want) history.replaceState(null, '', want);
    }

    /* ---- the detail panel ---- */

    async function openPerson(id, focus) {
      const gen = ++detailGen;
      const [r] = await Promise.all([api('GET', API + '/people/' + encodeURIComponent(id)), groups.length || zones.length ? null : loadRefs()]);
      if (!alive() || gen !== detailGen) return;
      if (!r.ok) {
        panel.replaceChildren(el('section', { class: 'card' }, el('div', { class: 'alert alert-error', role: 'alert', text: 'Could not load the person: ' + problemText(r.problem) })));
        return;
      }
      selected = r.data;
      setHash(selected.id);
      markSelectedRow();
      renderDetail(focus);
    }

    async function reloadPerson(okText) {
      if (!selected) return;
      const id = selected.id;
      const gen = ++detailGen;
      const r = await api('GET', API + '/people/' + encodeURIComponent(id));
      if (!alive() || gen !== detailGen) return;
      if (!r.ok) { showAlert($(panel, 'person-error'), 'Could not reload: ' + problemText(r.problem)); return; }
      selected = r.data;
      renderDetail(false);
      if (okText) showAlert($(panel, 'person-ok'), okText);
      /* the list row follows (watchlist flag, names) */
      for (const tr of tbody.rows) if (tr.getAttribute('data-id') === String(id)) tr.replaceWith(personRow(selected));
    }

    function fact(dl, label, value) {
      dl.append(el('dt', { text: label }), el('dd', null, value));
    }

    function locationOf(p) {
      const loc = p.location;
      if (!loc) return null;
      const zid = loc.zone ? ax.idOf(loc.zone) : ax.idOf(loc.zone_id);
      const zname = loc.zone && loc.zone.name ? loc.zone.name : (zid ? ax.zoneName(zonesById, zid) : null);
      if (!zname) return null;
      return { zone: zname, since: loc.since || loc.since_at || null, reader: loc.reader || loc.reader_id || null };
    }

    function renderDetail(focus) {
      const p = selected;
      const wrap = el('div', { class: 'person-detail', 'data-id': String(p.id) });
      /* the template holds several top-level sections */
      const tpl = document.getElementById('tpl-person-detail');
      wrap.append(tpl.content.cloneNode(true));
      panel.replaceChildren(wrap);
      const errorEl = $(wrap, 'person-error');
      const okEl = $(wrap, 'person-ok');
      const say = h.notifier(okEl, errorEl);
      const name = ax.personName(p);

      $(wrap, 'person-name').textContent = name;
      $(wrap, 'person-sub').textContent = [String(p.kind || ''), p.employer || null, 'no. ' + p.id].filter(Boolean).join(' \u00b7 ');
      const flags = $(wrap, 'person-flags');
      flags.append(ax.kindPill(p.kind));
      if (p.watchlisted) flags.append(ax.pill('watchlist', 'bad'));
      const visitorEnd = p.visitor_expires || null;
      if (p.kind === 'visitor' && visitorEnd && Date.parse(visitorEnd) < Date.now()) flags.append(ax.pill('visit ended', 'bad'));

      const facts = $(wrap, 'person-facts');
      const loc = locationOf(p);
      fact(facts, 'Now in', loc
        ? el('span', null, [el('span', { class: 'strong loc-zone', text: loc.zone }), loc.since ? [' since ', timeEl(loc.since, true), ' UTC'] : null].flat())
        : el('span', { class: 'dim', text: 'not inside any zone' }));
      if (p.id_doc_type || p.id_doc_number) {
        fact(facts, 'ID document', el('span', null, [String(p.id_doc_type || 'document').replace(/_/g, ' '), ' ', el('span', { class: 'mono', text: p.id_doc_number || '' })]));
      }
      if (p.kind === 'visitor') {
        const host = p.host ? ax.personName(p.host) : (p.host_id ? 'person no. ' + p.host_id : '\u2013');
        const hostEl = el('span', { text: host });
        if (p.host_id && !p.host) {
          api('GET', API + '/people/' + encodeURIComponent(p.host_id)).then((hr) => {
            if (hr.ok && hr.data) hostEl.textContent = ax.personName(hr.data);
          });
        }
        fact(facts, 'Host', hostEl);
        fact(facts, 'Visit ends', visitorEnd ? el('span', null, [timeEl(visitorEnd, true), ' UTC']) : '\u2013');
      }
      if (p.created_at) fact(facts, 'Enrolled', el('span', null, [timeEl(p.created_at, true), ' UTC']));

      renderCredentials(wrap, p, say);
      renderGroupsOf(wrap, p, say);
      renderQuals(wrap, p, say);
      renderEssential(wrap, p, say);
      renderWatch(wrap, p, say);
      if (focus) {
        const heading = $(wrap, 'person-name');
        heading.setAttribute('tabindex', '-1');
        heading.focus({ preventScroll: true });
      }
    }

    /* credentials */
    function renderCredentials(wrap, p, say) {
      const tb = $(wrap, 'cred-tbody');
      const creds = Array.isArray(p.credentials) ? p.credentials : [];
      const canEdit = ax.hasRole(ax.ROLES_GATE);
      for (const c of creds) {
        const status = String(c.status || 'active');
        const uidText = String(c.uid || '');
        const actions = el('div', { class: 'cell-row wrap' });
        const setStatus = async (to, text) => {
          say('', '');
          const r = await api('PATCH', API + '/credentials/' + encodeURIComponent(c.id), { status: to });
          if (!alive()) return;
          if (!r.ok) { say('', 'Could not change card ' + uidText + ': ' + problemText(r.problem)); return; }
          reloadPerson('Card ' + uidText + ' ' + text + '.');
        };
        const btn = (label, to, text, cls) => {
          const b = el('button', { type: 'button', class: 'btn btn-small ' + (cls || ''), text: label, 'aria-label': label + ' card ' + uidText });
          b.addEventListener('click', () => setStatus(to, text));
          return b;
        };
        if (canEdit) {
          if (status === 'active') {
            actions.append(btn('Suspend', 'suspended', 'suspended'), btn('Report lost', 'lost', 'reported lost', 'btn-warn'),
              btn('Report stolen', 'stolen', 'reported stolen', 'btn-warn'));
          } else if (status !== 'revoked') {
            actions.append(btn('Reactivate', 'active', 'reactivated'));
          }
          if (status !== 'revoked') {
            actions.append(ax.confirmButton('Revoke', 'Confirm revoke', 'btn-danger', () => setStatus('revoked', 'revoked'), 'card ' + uidText));
          }
        }
        const validity = [];
        if (c.valid_from) validity.push('from ', timeEl(c.valid_from, true));
        if (c.valid_until) validity.push(validity.length ? ' ' : '', 'until ', timeEl(c.valid_until, true));
        tb.append(el('tr', { 'data-id': String(c.id), 'data-status': status, class: status === 'revoked' ? 'row-disabled' : '' }, [
          el('th', { scope: 'row', class: 'mono strong', text: uidText }),
          el('td', null, ax.pill(status, CRED_STATE[status] || '')),
          el('td', { text: c.has_pin ? 'set' : '\u2013' }),
          el('td', { class: 'small' }, validity.length ? validity : el('span', { class: 'dim', text: 'open-ended' })),
          el('td', null, actions),
        ]));
      }
      $(wrap, 'cred-empty').hidden = creds.length > 0;
      const form = $(wrap, 'cred-form');
      $(wrap, 'cred-table').classList.toggle('no-actions', !canEdit);
      if (!canEdit) return;
      form.hidden = false;
      form.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        clearFieldErrors(form);
        say('', '');
        const f = form.elements;
        const uidv = f.namedItem('uid').value.trim().replace(/[\s:-]/g, '');
        if (!/^[0-9A-Fa-f]{4,32}$/.test(uidv)) {
          return ax.localProblem(form, errorOf(wrap), 'The card UID is 4 to 32 hex digits (0-9, A-F).', 'uid');
        }
        const body = { uid: uidv.toUpperCase() };
        const pin = f.namedItem('pin').value;
        if (pin) {
          if (!/^\d{4,8}$/.test(pin)) return ax.localProblem(form, errorOf(wrap), 'The PIN is 4 to 8 digits.', 'pin');
          body.pin = pin;
        }
        const from = ax.localInputToIso(f.namedItem('valid_from').value);
        const until = ax.localInputToIso(f.namedItem('valid_until').value);
        if (from) body.valid_from = from;
        if (until) body.valid_until = until;
        if (from && until && until <= from) return ax.localProblem(form, errorOf(wrap), 'The validity ends before it starts.', 'valid_until');
        const r = await api('POST', API + '/people/' + encodeURIComponent(p.id) + '/credentials', body);
        if (!alive()) return;
        if (!r.ok) return ax.formProblem(form, errorOf(wrap), 'Could not add the credential: ', r.problem);
        reloadPerson('Card ' + body.uid + ' added.');
      });
    }

    function errorOf(wrap) {
      return $(wrap, 'person-error');
    }

    /* access groups of the person */
    function renderGroupsOf(wrap, p, say) {
      const tb = $(wrap, 'pgroups-tbody');
      const mine = Array.isArray(p.groups) ? p.groups : [];
      const canEdit = ax.hasRole(ax.ROLES_GATE);
      const have = new Set();
      for (const g of mine) {
        const gid = ax.idOf(g.id !== undefined ? g.id : g.group_id);
        have.add(gid);
        const gname = g.name || (groupsById.get(gid) || {}).name || 'group ' + gid;
        const until = g.until || null;
        const ended = until && Date.parse(until) < Date.now();
        let action = null;
        if (canEdit) {
          action = ax.confirmButton('Remove', 'Confirm remove', 'btn-danger', async () => {
            say('', '');
            const r = await api('DELETE', API + '/people/' + encodeURIComponent(p.id) + '/groups/' + encodeURIComponent(gid));
            if (!alive()) return;
            if (!r.ok) { say('', 'Could not remove ' + gname + ': ' + problemText(r.problem)); return; }
            reloadPerson('Removed from ' + gname + '.');
          }, 'group ' + gname);
        }
        tb.append(el('tr', { 'data-id': String(gid), class: ended ? 'row-disabled' : '' }, [
          el('th', { scope: 'row', class: 'strong', text: String(gname) }),
          el('td', null, until ? [timeEl(until, true), ended ? ' ' : null, ended ? ax.pill('ended', 'bad') : null] : el('span', { class: 'dim', text: 'open-ended' })),
          el('td', null, action),
        ]));
      }
      $(wrap, 'pgroups-empty').hidden = mine.length > 0;
      const form = $(wrap, 'pgroup-form');
      $(wrap, 'pgroups-table').classList.toggle('no-actions', !canEdit);
      if (!canEdit) return;
      const sel = form.elements.namedItem('group_id');
      sel.replaceChildren(el('option', { value: '', text: 'choose a group' }));
      for (const g of groups) {
        if (have.has(String(g.id))) continue;
        sel.append(el('option', { value: String(g.id), text: String(g.name) }));
      }
      form.hidden = false;
      form.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        clearFieldErrors(form);
        say('', '');
        const gid = sel.value;
        if (!gid) return ax.localProblem(form, errorOf(wrap), groups.length ? 'Choose the access group to assign.' : 'There are no access groups yet: create one under Access groups.', 'group_id');
        const body = {};
        const until = ax.localInputToIso(form.elements.namedItem('until').value);
        if (until) body.until = until;
        const r = await api('PUT', API + '/people/' + encodeURIComponent(p.id) + '/groups/' + encodeURIComponent(gid), body);
        if (!alive()) return;
        if (!r.ok) return ax.formProblem(form, errorOf(wrap), 'Could not assign the group: ', r.problem);
        reloadPerson('Assigned to ' + ((groupsById.get(gid) || {}).name || 'the group') + '.');
      });
    }

    /* qualifications */
    function renderQuals(wrap, p, say) {
      const list = $(wrap, 'quals-list');
      const quals = Array.isArray(p.qualifications) ? p.qualifications : [];
      const canEdit = ax.hasRole(ax.ROLES_QUALS);
      for (const q of quals) {
        const qname = String(q.name || '');
        const expired = q.expires && Date.parse(q.expires) < Date.now();
        let rm = null;
        if (canEdit) {
          rm = ax.confirmButton('Remove', 'Confirm', 'btn-danger', async () => {
            say('', '');
            const r = await api('DELETE', API + '/people/' + encodeURIComponent(p.id) + '/qualifications/' + encodeURIComponent(qname));
            if (!alive()) return;
            if (!r.ok) { say('', 'Could not remove ' + qname + ': ' + problemText(r.problem)); return; }
            reloadPerson('Qualification ' + qname + ' removed.');
          }, 'qualification ' + qname);
        }
        list.append(el('li', { class: expired ? 'expired' : '' }, [
          el('span', { class: 'item-main' }, [el('span', { class: 'mono strong', text: qname }), ' ',
            q.expires ? el('span', { class: expired ? 'bad-text' : 'dim', text: (expired ? 'expired ' : 'until ') + fmtTime(q.expires, true).slice(0, 10) })
              : el('span', { class: 'dim', text: 'no expiry' })]),
          rm,
        ]));
      }
      $(wrap, 'quals-empty').hidden = quals.length > 0;
      const form = $(wrap, 'qual-form');
      if (!canEdit) return;
      form.hidden = false;
      form.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        clearFieldErrors(form);
        say('', '');
        const qname = form.elements.namedItem('name').value.trim();
        if (!qname) return ax.localProblem(form, errorOf(wrap), 'Enter the qualification name.', 'name');
        const body = {};
        const exp = ax.dateInputToIso(form.elements.namedItem('expires').value);
        if (exp) body.expires = exp;
        const r = await api('PUT', API + '/people/' + encodeURIComponent(p.id) + '/qualifications/' + encodeURIComponent(qname), body);
        if (!alive()) return;
        if (!r.ok) return ax.formProblem(form, errorOf(wrap), 'Could not record the qualification: ', r.problem);
        reloadPerson('Qualification ' + qname + ' recorded.');
      });
    }

    /* essential zones (admitted at level 3) */
    function renderEssential(wrap, p, say) {
      const list = $(wrap, 'ess-list');
      const ids = (Array.isArray(p.essential_zone_ids) ? p.essential_zone_ids : []).map(String);
      const canEdit = ax.hasRole(ax.ROLES_GATE);
      const save = async (newIds, text) => {
        say('', '');
        const r = await api('PATCH', API + '/people/' + encodeURIComponent(p.id), { essential_zone_ids: newIds.map(Number) });
        if (!alive()) return false;
        if (!r.ok) { ax.formProblem($(wrap, 'ess-form'), errorOf(wrap), 'Could not change essential zones: ', r.problem); return false; }
        reloadPerson(text);
        return true;
      };
      for (const id of ids) {
        const zn = ax.zoneName(zonesById, id);
        let rm = null;
        if (canEdit) {
          rm = el('button', { type: 'button', class: 'chip-x', 'aria-label': 'Remove essential zone ' + zn, text: '\u00d7' });
          rm.addEventListener('click', () => save(ids.filter((x) => x !== id), zn + ' removed from essential zones.'));
        }
        list.append(el('li', { class: 'chip' }, [el('span', { text: zn }), rm]));
      }
      $(wrap, 'ess-empty').hidden = ids.length > 0;
      const form = $(wrap, 'ess-form');
      if (!canEdit) return;
      const sel = form.elements.namedItem('essential_zone_ids');
      ax.fillZoneSelect(sel, zones.filter((z) => ids.indexOf(String(z.id)) < 0), { none: 'choose a zone' });
      form.hidden = false;
      form.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        clearFieldErrors(form);
        if (!sel.value) return ax.localProblem(form, errorOf(wrap), 'Choose the zone.', 'essential_zone_ids');
        save(ids.concat([sel.value]), ax.zoneName(zonesById, sel.value) + ' added to essential zones.');
      });
    }

    /* watchlist */
    function renderWatch(wrap, p, say) {
      const form = $(wrap, 'watch-form');
      const flag = $(wrap, 'watch-flag');
      const reason = $(wrap, 'watch-reason');
      flag.checked = !!p.watchlisted;
      reason.value = p.watchlist_reason || '';
      $(wrap, 'watch-card').classList.toggle('watch-on', !!p.watchlisted);
      if (!ax.hasRole(ax.ROLES_ADM)) {
        flag.disabled = true;
        reason.readOnly = true;
        $(wrap, 'watch-save').hidden = true;
        return;
      }
      form.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        clearFieldErrors(form);
        say('', '');
        const body = { watchlisted: flag.checked, watchlist_reason: reason.value.trim() };
        if (body.watchlisted && !body.watchlist_reason) {
          return ax.localProblem(form, errorOf(wrap), 'Give the reason for the watchlist entry.', 'watchlist_reason');
        }
        if (!body.watchlist_reason) delete body.watchlist_reason;
        const r = await api('PATCH', API + '/people/' + encodeURIComponent(p.id), body);
        if (!alive()) return;
        if (!r.ok) return ax.formProblem(form, errorOf(wrap), 'Could not change the watchlist: ', r.problem);
        reloadPerson(body.watchlisted ? 'On the watchlist: every reader now denies.' : 'Removed from the watchlist.');
      });
    }

    /* Where the person is follows their decisions: refresh the shown person on theirs. */
    let locTimer = null;
    h.subscribe('access', (item) => {
      const d = item.data;
      if (!selected || !d || d.action !== 'decision' || !d.person) return;
      if (String(ax.idOf(d.person)) !== String(selected.id)) return;
      if (locTimer) return;
      locTimer = later(() => { locTimer = null; reloadPerson(''); }, 300);
    });

    if (canEnrol) {
      const b = $(view, 'person-enrol-open');
      b.hidden = false;
      b.addEventListener('click', showEnrol);
    }
    const m = /^#\/people\/(\d+)/.exec(location.hash || '');
    loadRefs().then(() => {
      if (!alive()) return;
      if (m) openPerson(m[1], false);
    });
    loadList(true);
    return () => { for (const t of timers) window.clearTimeout(t); };
  }

  return {
    pages: {
      people: { tpl: 'tpl-page-people', init: pagePeople, wide: true },
    },
  };
});
