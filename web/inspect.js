/*
 * portguard web console: inspections. The selection queue of risk targeting, manifest
 * import, the container panel (every risk hit explained) and the inspection form (state,
 * checklist, findings, seal checks, evidence, chain of custody).
 *
 * API (docs/API.md "Manifests and risk targeting", "Inspections"):
 *   POST /api/v1/manifests, GET /api/v1/inspections/queue, GET /api/v1/containers/{number},
 *   POST /api/v1/inspections, GET /api/v1/inspections/{id}, POST .../state, .../findings,
 *   .../seals, .../evidence (raw bytes, ?filename=), .../checklist/{n}, GET .../history.
 */
'use strict';

(window.portguard = window.portguard || { modules: [] }).modules.push(function (h) {
  const { API, el, $, api, listOf, showAlert, clearFieldErrors, markField, problemText, timeEl, summarize } = h;
  const TOP_HITS = 3;

  /* docs/API.md: States. */
  const TRANSITIONS = {
    selected: ['scanning', 'examining'],
    scanning: ['scanned'],
    scanned: ['examining', 'cleared'],
    examining: ['cleared', 'held', 'seized'],
    held: ['cleared', 'seized'],
    cleared: [],
    seized: [],
  };
  const DECISION_TEXT = { release: 'release', document_check: 'document check', scan: 'scan', physical: 'physical' };

  function decisionBadge(decision) {
    const d = typeof decision === 'string' ? decision : 'release';
    return el('span', { class: 'decision-badge', 'data-decision': d, text: DECISION_TEXT[d] || d });
  }

  function hitsOf(line) {
    const hits = Array.isArray(line.hits) ? line.hits.slice() : [];
    hits.sort((a, b) => (Number(b.weight) || 0) - (Number(a.weight) || 0));
    return hits;
  }

  function hitText(hit) {
    return String(hit.explanation || hit.rule || hit.indicator || '') + ' (+' + (Number(hit.weight) || 0) + ')';
  }

  function pageInspect(view, alive) {
    const errorEl = $(view, 'iq-error');
    const tbody = $(view, 'iq-tbody');
    const more = $(view, 'iq-more');
    const ctPanel = $(view, 'ct-panel');
    const insPanel = $(view, 'ins-panel');
    const insError = $(view, 'ins-error');
    const canWrite = ['admin', 'pfso', 'inspector'].includes((h.me() || {}).role);
    let next = null;
    let current = null; /* the open inspection */
    let qgen = 0;

    if (!canWrite) $(view, 'mf-card').hidden = true;

    /* ---------- queue ---------- */

    function queueRow(line) {
      const hits = hitsOf(line);
      const top = el('ul', { class: 'hit-words' }, hits.slice(0, TOP_HITS).map((x) => el('li', { text: hitText(x) })));
      if (hits.length > TOP_HITS) top.append(el('li', { class: 'muted', text: '+' + (hits.length - TOP_HITS) + ' more' }));
      const number = String(line.number || '');
      const actions = el('div', { class: 'cell-row' }, [
        el('button', { type: 'button', class: 'btn btn-small', text: 'Open', 'aria-label': 'Open ' + number, onclick: () => openContainer(number) }),
        canWrite ? el('button', {
          type: 'button', class: 'btn btn-small btn-primary', text: 'Start inspection',
          'aria-label': 'Start inspection of ' + number, onclick: (ev) => startInspection(line, ev.currentTarget),
        }) : null,
      ]);
      return el('tr', { 'data-id': line.id, 'data-number': number, 'data-decision': line.decision }, [
        el('td', { class: 'num score', text: String(line.score) }),
        el('td', { class: 'mono', text: number }),
        el('td', {}, decisionBadge(line.decision)),
        el('td', { text: line.selected_by || '' }),
        el('td', { class: 'hits' }, top),
        el('td', {}, actions),
      ]);
    }

    async function loadQueue(reset) {
      const g = ++qgen;
      let url = API + '/inspections/queue?limit=' + h.PAGE_LIMIT;
      if (!reset && next) url += '&after=' + encodeURIComponent(next);
      const r = await api('GET', url);
      if (!alive() || g !== qgen) return;
      if (!r.ok) { showAlert(errorEl, 'Could not load the queue: ' + problemText(r.problem)); return; }
      showAlert(errorEl, '');
      const { items, next: n } = listOf(r.data);
      if (reset) tbody.replaceChildren();
      for (const line of items) tbody.append(queueRow(line));
      next = n;
      more.hidden = !next;
      $(view, 'iq-empty').hidden = tbody.children.length > 0;
    }

    /* ---------- manifest import ---------- */

    async function onImport(ev) {
      ev.preventDefault();
      const form = ev.currentTarget;
      const mfError = $(view, 'mf-error');
      const mfResult = $(view, 'mf-result');
      clearFieldErrors(form);
      showAlert(mfError, '');
      showAlert(mfResult, '');
      const input = $(view, 'mf-file');
      const file = input.files && input.files[0];
      if (!file) { showAlert(mfError, 'Choose a manifest file.'); markField(form, 'file'); return; }
      const text = await file.text();
      if (!alive()) return;
      const json = /\.json$/i.test(file.name) || /^\s*\{/.test(text);
      const submit = $(view, 'mf-submit');
      submit.disabled = true;
      const r = await api('POST', API + '/manifests', text, { contentType: json ? 'application/json' : 'text/csv' });
      submit.disabled = false;
      if (!alive()) return;
      if (!r.ok) {
        let msg = 'Manifest not imported: ' + problemText(r.problem);
        if (r.problem.field) msg += ' [field: ' + r.problem.field + ']';
        showAlert(mfError, msg);
        mfError.setAttribute('data-field', r.problem.field || '');
        return;
      }
      const d = r.data || {};
      const dec = d.decisions || {};
      showAlert(mfResult, 'Manifest ' + d.id + ' imported: ' + d.lines + ' lines (release ' + (dec.release || 0) +
        ', document check ' + (dec.document_check || 0) + ', scan ' + (dec.scan || 0) + ', physical ' +
        (dec.physical || 0) + '), ' + (d.random_selected || 0) + ' selected at random, ' + (d.queued || 0) + ' queued.');
      form.reset();
      loadQueue(true);
    }

    /* ---------- container panel ---------- */

    function drawText(dr) {
      if (!dr || typeof dr !== 'object') return 'no draw recorded';
      return 'value ' + dr.value + ' / bound ' + dr.bound + ' (rate ' + (dr.rate_percent !== undefined ? dr.rate_percent + ' %' : dr.rate_ppm + ' ppm') +
        '): ' + (dr.selected ? 'selected' : 'not selected');
    }

    function lineBlock(line) {
      const hits = hitsOf(line);
      return el('article', { class: 'ct-line', 'data-id': line.id }, [
        el('h3', { text: (line.vessel_name || '') + ' ' + (line.voyage || '') + ' \u2013 manifest ' + line.manifest_id + ', line ' + line.line }),
        el('dl', { class: 'ct-facts' }, [
          el('dt', { text: 'Score' }), el('dd', { class: 'ct-score', text: String(line.score) }),
          el('dt', { text: 'Decision' }), el('dd', {}, decisionBadge(line.decision)),
          el('dt', { text: 'Selected by' }), el('dd', { text: line.selected_by || 'not selected' }),
          el('dt', { text: 'Random draw' }), el('dd', { class: 'ct-draw', text: drawText(line.random_draw) }),
          el('dt', { text: 'Goods' }), el('dd', { text: String(line.goods_description || '') + ' (HS ' + (line.hs_code || '') + ')' }),
          el('dt', { text: 'Shipper / consignee' }), el('dd', { text: String(line.shipper || '') + ' / ' + String(line.consignee || '') }),
        ]),
        hits.length ? el('table', { class: 'data ct-hits' }, [
          el('caption', { class: 'sr-only', text: 'Risk hits' }),
          el('thead', {}, el('tr', {}, [el('th', { scope: 'col', text: 'Rule' }), el('th', { scope: 'col', class: 'num', text: 'Weight' }), el('th', { scope: 'col', text: 'Explanation' }), el('th', { scope: 'col', text: 'Values' })])),
          el('tbody', {}, hits.map((x) => el('tr', { 'data-rule': x.rule }, [
            el('td', { text: String(x.rule || x.indicator || '') }),
            el('td', { class: 'num', text: '+' + (Number(x.weight) || 0) }),
            el('td', { text: String(x.explanation || '') }),
            el('td', { class: 'muted', text: summarize(x.values, 200) }),
          ]))),
        ]) : el('p', { class: 'muted', text: 'No risk rule hit.' }),
      ]);
    }

    async function openContainer(number) {
      ctPanel.hidden = false;
      $(view, 'ct-number').textContent = number;
      const lines = $(view, 'ct-lines');
      lines.replaceChildren(el('p', { class: 'muted', text: 'Loading\u2026' }));
      const r = await api('GET', API + '/containers/' + encodeURIComponent(number));
      if (!alive() || $(view, 'ct-number').textContent !== number) return;
      if (!r.ok) { lines.replaceChildren(); showAlert($(view, 'ct-error'), 'Could not load the container: ' + problemText(r.problem)); return; }
      showAlert($(view, 'ct-error'), '');
      const d = r.data || {};
      const nodes = (Array.isArray(d.lines) ? d.lines : []).map(lineBlock);
      if (d.watchlist) nodes.unshift(el('p', { class: 'alert alert-error', text: 'On the watchlist: ' + summarize(d.watchlist, 200) }));
      lines.replaceChildren(...nodes);
      ctPanel.scrollIntoView({ block: 'nearest' });
    }

    /* ---------- inspections ---------- */

    async function startInspection(line, button) {
      button.disabled = true;
      const r = await api('POST', API + '/inspections', { kind: 'container', manifest_container_id: line.id });
      if (!alive()) return;
      button.disabled = false;
      if (!r.ok) { showAlert(errorEl, 'Could not start the inspection: ' + problemText(r.problem)); return; }
      showAlert(errorEl, '');
      showInspection(r.data);
      loadQueue(true);
    }

    function fail(prefix, r, form) {
      showAlert(insError, prefix + problemText(r.problem));
      if (form && r.problem.field) markField(form, r.problem.field);
    }

    async function reloadInspection() {
      if (!current) return;
      const id = current.id;
      const r = await api('GET', API + '/inspections/' + encodeURIComponent(id));
      if (!alive() || !current || current.id !== id) return;
      if (r.ok) showInspection(r.data);
    }

    function renderTransitions(ins) {
      const box = $(view, 'ins-transitions');
      const nexts = TRANSITIONS[ins.state] || [];
      box.replaceChildren(...nexts.map((to) => el('button', {
        type: 'button', class: 'btn' + (to === 'seized' ? ' btn-danger' : ''), text: 'To ' + to, 'data-to': to,
        disabled: !canWrite, onclick: () => changeState(to),
      })));
      if (!nexts.length) box.append(el('span', { class: 'muted', text: 'Final state: no more changes.' }));
    }

    async function changeState(to) {
      const form = $(view, 'ins-state-form');
      clearFieldErrors(form);
      showAlert(insError, '');
      const body = { state: to };
      const scan = $(view, 'ins-scan').value;
      const verdict = $(view, 'ins-verdict').value.trim();
      if (to === 'scanned') body.scan_result = scan;
      if (['cleared', 'held', 'seized'].includes(to)) body.verdict = verdict;
      const r = await api('POST', API + '/inspections/' + current.id + '/state', body);
      if (!alive()) return;
      if (!r.ok) { fail('Could not change the state: ', r, form); return; }
      showInspection(r.data);
    }

    function renderChecklist(ins) {
      const list = $(view, 'ins-checklist');
      const items = Array.isArray(ins.checklist) ? ins.checklist : [];
      list.replaceChildren(...items.map((c) => el('li', { 'data-code': c.code, 'data-done': c.done ? 'true' : 'false', class: c.done ? 'done' : '' }, [
        el('span', { class: 'check-mark', 'aria-hidden': 'true', text: c.done ? '\u2611' : '\u2610' }),
        el('span', { class: 'check-text', text: String(c.text || c.code) + (c.required ? '' : ' (optional)') }),
        c.done
          ? el('span', { class: 'muted', text: ' done by ' + (c.done_by || '') + ' ' + h.fmtTime(c.done_at, true) })
          : el('button', {
            type: 'button', class: 'btn btn-small', text: 'Tick', 'aria-label': 'Tick ' + String(c.text || c.code),
            disabled: !canWrite, onclick: (ev) => tick(c.n, ev.currentTarget),
          }),
      ])));
      if (!items.length) list.append(el('li', { class: 'muted', text: 'No checklist.' }));
    }

    async function tick(n, button) {
      button.disabled = true;
      const r = await api('POST', API + '/inspections/' + current.id + '/checklist/' + n, { done: true });
      if (!alive()) return;
      if (!r.ok) { button.disabled = false; fail('Could not tick the item: ', r); return; }
      showAlert(insError, '');
      reloadInspection();
    }

    function renderFindings(ins) {
      const list = $(view, 'ins-findings');
      const items = Array.isArray(ins.findings) ? ins.findings : [];
      list.replaceChildren(...items.map((f) => el('li', { 'data-id': f.id, 'data-category': f.category }, [
        el('strong', { text: String(f.category) }), ': ' + String(f.description || ''),
        f.quantity ? ' (' + String(f.quantity) + ')' : '',
        el('span', { class: 'muted', text: ' \u2013 ' + String(f.recorded_by || '') + ' ' + h.fmtTime(f.recorded_at, true) }),
      ])));
      if (!items.length) list.append(el('li', { class: 'muted', text: 'No findings.' }));
    }

    function renderSeals(ins) {
      const list = $(view, 'ins-seals');
      const items = Array.isArray(ins.seals) ? ins.seals : [];
      list.replaceChildren(...items.map((s) => el('li', { 'data-id': s.id, 'data-result': s.result }, [
        el('span', { class: 'mono', text: String(s.seal_number) }), ': ' + String(s.result),
        s.new_number ? ' \u2192 ' + String(s.new_number) : '',
        el('span', { class: 'muted', text: ' \u2013 ' + String(s.checked_by || '') + ' ' + h.fmtTime(s.checked_at, true) }),
      ])));
      if (!items.length) list.append(el('li', { class: 'muted', text: 'No seal checks.' }));
    }

    function renderEvidence(items) {
      const list = $(view, 'ins-evidence');
      list.replaceChildren(...items.map((e) => el('li', { 'data-id': e.id }, [
        el('a', { href: API + '/inspections/' + current.id + '/evidence/' + e.id, download: String(e.filename || ''), text: String(e.filename) }),
        ' (' + String(e.content_type) + ', ' + e.size + ' bytes) SHA-256 ',
        el('code', { class: 'sha256', text: String(e.sha256) }),
      ])));
      if (!items.length) list.append(el('li', { class: 'muted', text: 'No evidence.' }));
    }

    async function loadHistory() {
      const id = current.id;
      const r = await api('GET', API + '/inspections/' + id + '/history');
      if (!alive() || !current || current.id !== id) return;
      const tb = $(view, 'ins-history');
      if (!r.ok) { fail('Could not load the history: ', r); return; }
      const items = r.data && Array.isArray(r.data.items) ? r.data.items : [];
      tb.replaceChildren(...items.map((a) => el('tr', { 'data-action': a.action }, [
        el('td', { class: 'num', text: String(a.seq) }),
        el('td', {}, timeEl(a.at, true)),
        el('td', { text: h.scalar(a.actor) }),
        el('td', { text: String(a.action) }),
        el('td', { text: summarize(a.details, 160) }),
        el('td', { class: 'mono hash', title: String(a.hash || ''), text: String(a.hash || '').slice(0, 12) }),
      ])));
    }

    function showInspection(ins) {
      current = ins;
      insPanel.hidden = false;
      $(view, 'ins-title').textContent = 'Inspection ' + ins.id + ': ' + (ins.subject || '');
      const st = $(view, 'ins-state');
      st.textContent = ins.state;
      st.setAttribute('data-state', ins.state);
      insPanel.setAttribute('data-id', ins.id);
      insPanel.setAttribute('data-state', ins.state);
      const facts = [['Kind', ins.kind], ['Reason', ins.reason], ['Scan result', ins.scan_result || '\u2013'],
        ['Verdict', ins.verdict || '\u2013'], ['Level', ins.level], ['Created', (ins.created_by || '') + ' ' + h.fmtTime(ins.created_at, true)]];
      $(view, 'ins-facts').replaceChildren(...facts.flatMap(([k, v]) => [el('dt', { text: k }), el('dd', { 'data-fact': k, text: String(v === null || v === undefined ? '' : v) })]));
      renderTransitions(ins);
      renderChecklist(ins);
      renderFindings(ins);
      renderSeals(ins);
      renderEvidence(Array.isArray(ins.evidence) ? ins.evidence : []);
      for (const f of ['ins-finding-form', 'ins-seal-form', 'ins-ev-form']) {
        for (const c of $(view, f).elements) c.disabled = !canWrite || ins.state === 'cleared' || ins.state === 'seized';
      }
      loadHistory();
    }

    async function onFinding(ev) {
      ev.preventDefault();
      const form = ev.currentTarget;
      clearFieldErrors(form);
      const body = { category: form.elements.namedItem('category').value, description: form.elements.namedItem('description').value.trim() };
      const q = form.elements.namedItem('quantity').value.trim();
      if (q) body.quantity = q;
      const r = await api('POST', API + '/inspections/' + current.id + '/findings', body);
      if (!alive()) return;
      if (!r.ok) { fail('Could not add the finding: ', r, form); return; }
      showAlert(insError, '');
      form.reset();
      reloadInspection();
    }

    async function onSeal(ev) {
      ev.preventDefault();
      const form = ev.currentTarget;
      clearFieldErrors(form);
      const body = { seal_number: form.elements.namedItem('seal_number').value.trim(), result: form.elements.namedItem('result').value };
      const nn = form.elements.namedItem('new_number').value.trim();
      if (body.result === 'replaced' || nn) body.new_number = nn;
      const r = await api('POST', API + '/inspections/' + current.id + '/seals', body);
      if (!alive()) return;
      if (!r.ok) { fail('Could not add the seal check: ', r, form); return; }
      showAlert(insError, '');
      form.reset();
      reloadInspection();
    }

    async function onEvidence(ev) {
      ev.preventDefault();
      const form = ev.currentTarget;
      clearFieldErrors(form);
      const input = $(view, 'ev-file');
      const file = input.files && input.files[0];
      if (!file) { showAlert(insError, 'Choose an evidence file.'); markField(form, 'file'); return; }
      const type = ['image/jpeg', 'image/png', 'application/pdf'].includes(file.type) ? file.type : 'application/octet-stream';
      const bytes = await file.arrayBuffer();
      if (!alive()) return;
      const r = await api('POST', API + '/inspections/' + current.id + '/evidence?filename=' + encodeURIComponent(file.name), bytes, { contentType: type });
      if (!alive()) return;
      if (!r.ok) { fail('Could not upload the evidence: ', r, form); return; }
      showAlert(insError, '');
      form.reset();
      reloadInspection();
    }

    $(view, 'mf-form').addEventListener('submit', onImport);
    $(view, 'iq-reload').addEventListener('click', () => loadQueue(true));
    more.addEventListener('click', () => loadQueue(false));
    $(view, 'ct-close').addEventListener('click', () => { ctPanel.hidden = true; $(view, 'ct-number').textContent = ''; });
    $(view, 'ins-finding-form').addEventListener('submit', onFinding);
    $(view, 'ins-seal-form').addEventListener('submit', onSeal);
    $(view, 'ins-ev-form').addEventListener('submit', onEvidence);
    $(view, 'ins-state-form').addEventListener('submit', (ev) => ev.preventDefault());

    /* Other consoles' imports and changes arrive on topic `inspect`. */
    h.subscribe('inspect', (item) => {
      const d = item && item.data;
      if (!d) return;
      if (d.action === 'manifest.import') loadQueue(true);
      else if (current && Number(d.id) === Number(current.id)) reloadInspection();
    });

    const canRead = canWrite || ['auditor', 'authority'].includes((h.me() || {}).role);
    if (canRead) loadQueue(true);
    else { $(view, 'iq-empty').hidden = false; $(view, 'iq-empty').textContent = 'The queue is for inspectors.'; }
  }

  return { pages: { inspections: { tpl: 'tpl-page-inspect', init: pageInspect, wide: true } } };
});
