/*
 * portguard web console: training. The course list and course player (Markdown rendered
 * by a small renderer that only creates elements and text nodes), quiz taking, the
 * caller's own training record with certificates, the trainer's results view (attempts,
 * sessions, the requirements matrix) and the compliance dashboard.
 *
 * API (docs/API.md "Training"): /api/v1/training/courses, /courses/{id},
 * /courses/{id}/attempts, /attempts/{id}/submit, /me, /attempts, /sessions,
 * /requirements, /compliance (.csv, .pdf), /reminders/run, /certificates/{id}/pdf and the
 * public /verify/{code}.
 */
'use strict';

(window.portguard = window.portguard || { modules: [] }).modules.push(function (h) {
  const { API, el, $, api, listOf, showAlert, clearFieldErrors, markField, problemText, timeEl } = h;
  const STAFF = ['admin', 'pfso', 'trainer'];
  const AREAS = {
    security_awareness: 'Security awareness',
    security_emergency_procedures: 'Security and emergency procedures',
    cargo_inspection: 'Cargo inspection',
    maritime_safety: 'Maritime safety',
    crisis_incident_management: 'Crisis and incident management',
    cyber_security: 'Cyber security',
    legislation_regulation: 'Legislation and regulation',
    collaboration_coordination: 'Collaboration and coordination',
  };

  function role() { return (h.me() || {}).role; }
  function isStaff() { return STAFF.includes(role()); }
  function date(iso) { return typeof iso === 'string' ? iso.slice(0, 10) : ''; }

  /* A failed request shown in errorEl: the problem's detail, and its field marked on form. */
  function failOn(errorEl) {
    return function (prefix, r, form) {
      showAlert(errorEl, prefix + problemText(r.problem));
      if (form && r.problem && r.problem.field) markField(form, r.problem.field);
    };
  }

  function statusPill(status) {
    return el('span', { class: 'pill tr-status', 'data-status': status, text: status });
  }

  /* ---------- Markdown to DOM: headings, paragraphs, lists, quotes, tables, code ----------
   * Inline: **bold**, *emphasis*, `code`. Everything else is text. No HTML is parsed. */

  function inline(text) {
    const out = [];
    const re = /(\*\*([^*]+)\*\*|\*([^*]+)\*|`([^`]+)`)/g;
    let last = 0;
    let m;
    while ((m = re.exec(text)) !== null) {
      if (m.index > last) out.push(document.createTextNode(text.slice(last, m.index)));
      if (m[2] !== undefined) out.push(el('strong', { text: m[2] }));
      else if (m[3] !== undefined) out.push(el('em', { text: m[3] }));
      else out.push(el('code', { text: m[4] }));
      last = re.lastIndex;
    }
    if (last < text.length) out.push(document.createTextNode(text.slice(last)));
    return out;
  }

  function markdown(src) {
    const frag = document.createDocumentFragment();
    const lines = String(src || '').replace(/\r\n?/g, '\n').split('\n');
    let i = 0;
    while (i < lines.length) {
      const line = lines[i];
      if (!line.trim()) { i++; continue; }
      let m = /^(#{1,4})\s+(.*)$/.exec(line);
      if (m) {
        /* course headings sit below the card's h2 */
        frag.append(el('h' + Math.min(6, m[1].length + 2), {}, inline(m[2])));
        i++;
        continue;
      }
      if (/^\s*[-*]\s+/.test(line) || /^\s*\d+[.)]\s+/.test(line)) {
        const ordered = /^\s*\d/.test(line);
        const list = el(ordered ? 'ol' : 'ul');
        while (i < lines.length && (ordered ? /^\s*\d+[.)]\s+/ : /^\s*[-*]\s+/).test(lines[i])) {
          list.append(el('li', {}, inline(lines[i].replace(/^\s*(?:[-*]|\d+[.)])\s+/, ''))));
          i++;
        }
        frag.append(list);
        continue;
      }
      if (/^>\s?/.test(line)) {
        const parts = [];
        while (i < lines.length && /^>\s?/.test(lines[i])) parts.push(lines[i++].replace(/^>\s?/, ''));
        frag.append(el('blockquote', {}, el('p', {}, inline(parts.join(' ')))));
        continue;
      }
      if (/^\|.*\|\s*$/.test(line)) {
        const rows = [];
        while (i < lines.length && /^\|.*\|\s*$/.test(lines[i])) rows.push(lines[i++]);
        const cells = (r) => r.trim().slice(1, -1).split('|').map((c) => c.trim());
        const table = el('table', { class: 'data' });
        const body = el('tbody');
        rows.forEach((r, k) => {
          if (k === 1 && /^[\s|:-]+$/.test(r)) return;
          const tr = el('tr', {}, cells(r).map((c) => el(k === 0 ? 'th' : 'td', k === 0 ? { scope: 'col' } : {}, inline(c))));
          if (k === 0) table.append(el('thead', {}, tr)); else body.append(tr);
        });
        table.append(body);
        frag.append(el('div', { class: 'table-wrap' }, table));
        continue;
      }
      const para = [];
      while (i < lines.length && lines[i].trim() && !/^(#{1,4}\s|\s*[-*]\s|\s*\d+[.)]\s|>|\|)/.test(lines[i])) para.push(lines[i++].trim());
      if (!para.length) para.push(lines[i++].trim());
      frag.append(el('p', {}, inline(para.join(' '))));
    }
    return frag;
  }

  /* ---------- the Training page ---------- */

  function pageTraining(view, alive) {
    const errorEl = $(view, 'tr-error');
    const player = $(view, 'tr-player');
    const quiz = $(view, 'tr-quiz');
    const result = $(view, 'tr-result');
    let me = null;
    let course = null;
    let attempt = null;
    let clock = null;

    const fail = failOn(errorEl);

    function stopClock() {
      if (clock) window.clearInterval(clock);
      clock = null;
    }

    async function loadMe() {
      const r = await api('GET', API + '/training/me');
      if (!alive()) return;
      if (!r.ok) { fail('Could not load your record: ', r); return; }
      me = r.data;
      const rec = me.record;
      $(view, 'tr-for-field').hidden = !me.staff;
      $(view, 'tr-me-none').hidden = !!rec;
      $(view, 'tr-me-body').hidden = !rec;
      if (!rec) { $(view, 'tr-me-card').hidden = me.staff; return; }
      $(view, 'tr-me-name').textContent = rec.person.name;
      $(view, 'tr-me-roles').textContent = [rec.person.kind].concat(rec.person.roles || []).join(', ');
      $(view, 'tr-me-required').replaceChildren(...(rec.required.length ? rec.required.map((q) => el('tr', { 'data-code': q.code, 'data-status': q.status }, [
        el('td', {}, [el('span', { class: 'mono', text: q.code }), ' ', q.title]),
        el('td', { text: q.required_by }),
        el('td', {}, statusPill(q.status)),
        el('td', { text: q.expires_at ? date(q.expires_at) : (q.completed_at ? 'does not expire' : '') }),
      ])) : [el('tr', {}, el('td', { colspan: '4', class: 'dim', text: 'No course is required of you.' }))]));
      $(view, 'tr-me-certs').replaceChildren(...(rec.completions.length ? rec.completions.map((c) => el('li', { 'data-code': c.course }, [
        el('span', { class: 'mono', text: c.course }), ' ', c.title, ' \u2013 ', date(c.completed_at),
        c.expires_at ? ' to ' + date(c.expires_at) : '', ' \u00b7 code ',
        el('span', { class: 'mono', text: c.verification_code }), ' ',
        el('a', { href: API + '/training/certificates/' + c.id + '/pdf', download: 'certificate-' + c.id + '.pdf', text: 'PDF' }),
      ])) : [el('li', { class: 'dim', text: 'No certificates yet.' })]));
    }

    async function loadCourses() {
      const r = await api('GET', API + '/training/courses?limit=500');
      if (!alive()) return;
      if (!r.ok) { fail('Could not load the courses: ', r); return; }
      const { items } = listOf(r.data);
      $(view, 'tr-courses').replaceChildren(...items.filter((c) => c.active).map((c) => el('tr', { 'data-id': c.id, 'data-code': c.code }, [
        el('td', { class: 'mono', text: c.code }),
        el('td', { text: c.title }),
        el('td', { text: AREAS[c.topic] || c.topic }),
        el('td', { class: 'num', text: String(c.duration_minutes) }),
        el('td', { text: c.validity_months ? c.validity_months + ' months' : 'no expiry' }),
        el('td', { text: c.quiz_questions ? c.quiz_questions + ' questions, pass ' + c.pass_mark + ' %' : 'classroom' }),
        el('td', {}, el('button', { type: 'button', class: 'btn btn-small', text: 'Open', 'aria-label': 'Open ' + c.code, onclick: () => openCourse(c.id) })),
      ])));
    }

    async function openCourse(id) {
      const r = await api('GET', API + '/training/courses/' + id);
      if (!alive()) return;
      if (!r.ok) { fail('Could not open the course: ', r); return; }
      course = r.data;
      showAlert(errorEl, '');
      $(view, 'tr-player-title').textContent = course.code + ' ' + course.title;
      $(view, 'tr-player-facts').textContent = (AREAS[course.topic] || course.topic) + ' \u00b7 ' + course.duration_minutes +
        ' minutes \u00b7 grants ' + course.qualification + (course.validity_months ? ' for ' + course.validity_months + ' months' : '');
      $(view, 'tr-content').replaceChildren(markdown(course.content));
      $(view, 'tr-start').hidden = !course.quiz_questions;
      player.hidden = false;
      quiz.hidden = true;
      result.hidden = true;
      player.scrollIntoView({ block: 'start' });
    }

    function renderQuiz(a) {
      attempt = a;
      $(view, 'tr-quiz-title').textContent = 'Quiz: ' + a.course_code;
      $(view, 'tr-quiz-facts').textContent = 'Attempt ' + a.attempt_no + (a.max_attempts ? ' of ' + a.max_attempts : '') +
        ' \u00b7 ' + a.total + ' questions \u00b7 pass mark ' + a.pass_mark + ' %' + (a.resumed ? ' \u00b7 resumed' : '');
      $(view, 'tr-questions').replaceChildren(...a.questions.map((q) => {
        const multi = q.kind === 'multiple';
        const name = 'q' + q.n;
        return el('li', { class: 'tr-q', 'data-n': q.n }, el('fieldset', {}, [
          el('legend', { text: q.text + (multi ? ' (select all that apply)' : '') }),
          ...q.options.map((o, k) => el('label', { class: 'check-label tr-option' }, [
            el('input', { type: multi ? 'checkbox' : 'radio', name: name, value: String(k) }), ' ', o,
          ])),
        ]));
      }));
      stopClock();
      const deadline = Date.parse(a.deadline);
      const tick = () => {
        const s = Math.max(0, Math.round((deadline - Date.now()) / 1000));
        $(view, 'tr-clock').textContent = Math.floor(s / 60) + ':' + String(s % 60).padStart(2, '0') + ' left';
        if (s === 0) {
          /* time is up: hand in what is answered (the server refuses nothing that arrives
           * within its grace period, and records a late attempt as expired) */
          stopClock();
          if (!quiz.hidden) $(view, 'tr-quiz-form').requestSubmit();
        }
      };
      tick();
      clock = window.setInterval(() => { if (alive()) tick(); else stopClock(); }, 1000);
      player.hidden = true;
      result.hidden = true;
      quiz.hidden = false;
      quiz.scrollIntoView({ block: 'start' });
    }

    async function startQuiz() {
      const body = {};
      const forPerson = $(view, 'tr-for').value.trim();
      if (forPerson) body.person_id = Number(forPerson);
      const r = await api('POST', API + '/training/courses/' + course.id + '/attempts', body);
      if (!alive()) return;
      if (!r.ok) { fail('Could not start the quiz: ', r); return; }
      showAlert(errorEl, '');
      renderQuiz(r.data);
    }

    async function onSubmit(ev) {
      ev.preventDefault();
      const form = ev.currentTarget;
      clearFieldErrors(form);
      const answers = attempt.questions.map((q) =>
        Array.from(form.querySelectorAll('input[name="q' + q.n + '"]:checked')).map((i) => Number(i.value)));
      const btn = $(view, 'tr-submit');
      btn.disabled = true;
      const r = await api('POST', API + '/training/attempts/' + attempt.id + '/submit', { answers: answers });
      btn.disabled = false;
      if (!alive()) return;
      if (!r.ok) { fail('Could not submit: ', r, form); return; }
      stopClock();
      showAlert(errorEl, '');
      renderResult(r.data);
      loadMe();
    }

    function renderResult(res) {
      quiz.hidden = true;
      result.hidden = false;
      result.setAttribute('data-passed', res.passed ? 'true' : 'false');
      const verdict = $(view, 'tr-verdict');
      verdict.textContent = (res.passed ? 'Passed' : 'Not passed') + ': ' + res.correct + ' of ' + res.total +
        ' right, ' + res.score + ' % (pass mark ' + res.pass_mark + ' %)' +
        (res.status === 'expired' ? ' \u2013 the time limit had passed' : '') +
        (!res.passed && res.attempts_left !== null ? ' \u00b7 attempts left: ' + res.attempts_left : '');
      verdict.className = 'tr-verdict ' + (res.passed ? 'verdict verdict-grant' : 'verdict verdict-deny');
      const cert = res.certificate;
      $(view, 'tr-cert').hidden = !cert;
      if (cert) {
        $(view, 'tr-cert-code').textContent = cert.code;
        $(view, 'tr-cert-expires').textContent = cert.expires_at ? date(cert.expires_at) : 'no expiry';
        $(view, 'tr-cert-pdf').setAttribute('href', API + '/training/certificates/' + cert.id + '/pdf');
        $(view, 'tr-cert-pdf').setAttribute('download', 'certificate-' + cert.id + '.pdf');
        $(view, 'tr-cert-verify').setAttribute('href', '/verify/' + encodeURIComponent(cert.code));
      }
      $(view, 'tr-again').hidden = res.passed || res.attempts_left === 0;
      $(view, 'tr-review').replaceChildren(...res.questions.map((q) => el('li', { class: 'tr-q', 'data-right': q.right ? 'true' : 'false' }, [
        el('p', {}, [el('strong', { text: q.right ? '\u2713 ' : '\u2717 ' }), q.text]),
        el('ul', {}, q.options.map((o, k) => el('li', {
          class: (q.correct.includes(k) ? 'tr-right' : '') + (q.chosen.includes(k) ? ' tr-chosen' : ''),
        }, [o, q.correct.includes(k) ? ' (right)' : '', q.chosen.includes(k) ? ' \u2013 your answer' : '']))),
        el('p', { class: 'hint', text: q.explanation }),
      ])));
      result.scrollIntoView({ block: 'start' });
    }

    $(view, 'tr-player-close').addEventListener('click', () => { player.hidden = true; });
    $(view, 'tr-start').addEventListener('click', startQuiz);
    $(view, 'tr-quiz-form').addEventListener('submit', onSubmit);
    $(view, 'tr-again').addEventListener('click', () => { if (course) startQuiz(); });
    h.subscribe('training', (item) => {
      const d = item && item.data;
      if (d && me && me.record && Number(d.person_id) === Number(me.record.person.id)) loadMe();
    });
    loadMe();
    loadCourses();
    return stopClock;
  }

  /* ---------- the trainer's results page ---------- */

  function pageResults(view, alive) {
    const errorEl = $(view, 'trr-error');
    const staff = isStaff();
    const canMatrix = ['admin', 'pfso'].includes(role());
    let next = null;
    let matrix = [];
    let courses = [];

    const fail = failOn(errorEl);

    async function loadAttempts(reset) {
      const url = API + '/training/attempts?limit=50' + (!reset && next ? '&after=' + encodeURIComponent(next) : '');
      const r = await api('GET', url);
      if (!alive()) return;
      if (!r.ok) { fail('Could not load the attempts: ', r); return; }
      const { items, next: n } = listOf(r.data);
      next = n;
      $(view, 'trr-more').hidden = !n;
      const rows = items.map((a) => el('tr', { 'data-id': a.id, 'data-status': a.status }, [
        el('td', { class: 'num', text: String(a.id) }),
        el('td', { text: a.person }),
        el('td', { class: 'mono', text: a.course }),
        el('td', { text: a.status }),
        el('td', { class: 'num', text: a.score === null ? '' : a.score + ' %' }),
        el('td', {}, a.passed === null || a.passed === undefined ? '' : statusPill(a.passed ? 'passed' : 'failed')),
        el('td', {}, a.submitted_at ? timeEl(a.submitted_at, true) : ''),
        el('td', { text: a.taken_by }),
      ]));
      if (reset) {
        $(view, 'trr-attempts').replaceChildren(...rows);
        $(view, 'trr-stats').replaceChildren(...(r.data.by_course || []).map((s) => el('tr', {}, [
          el('td', { class: 'mono', text: s.course }),
          el('td', { class: 'num', text: String(s.attempts) }),
          el('td', { class: 'num', text: String(s.passed || 0) }),
          el('td', { class: 'num', text: s.mean_score === null ? '' : s.mean_score + ' %' }),
          el('td', { class: 'num', text: String(s.people) }),
        ])));
      } else {
        $(view, 'trr-attempts').append(...rows);
      }
    }

    async function loadSessions() {
      const r = await api('GET', API + '/training/sessions?limit=50');
      if (!alive() || !r.ok) return;
      $(view, 'trr-sessions').replaceChildren(...listOf(r.data).items.map((s) => el('tr', {}, [
        el('td', {}, timeEl(s.held_at, true)),
        el('td', { class: 'mono', text: s.course || '' }),
        el('td', { class: 'num', text: String(s.duration_minutes) }),
        el('td', { text: s.description }),
        el('td', { text: (s.attendees || []).map((a) => a.name).join(', ') }),
        el('td', { text: s.trainer }),
      ])));
    }

    async function loadMatrix() {
      const [cr, mr] = await Promise.all([api('GET', API + '/training/courses?limit=500'), api('GET', API + '/training/requirements')]);
      if (!alive()) return;
      if (!cr.ok || !mr.ok) { fail('Could not load the matrix: ', cr.ok ? mr : cr); return; }
      courses = listOf(cr.data).items;
      matrix = mr.data.items || [];
      const opts = () => courses.map((c) => el('option', { value: String(c.id), text: c.code + ' ' + c.title }));
      $(view, 'trr-s-course').replaceChildren(el('option', { value: '', text: '(none)' }), ...opts());
      $(view, 'trr-m-course').replaceChildren(...opts());
      $(view, 'trr-matrix').replaceChildren(...matrix.map((m, k) => el('tr', {}, [
        el('td', {}, [el('span', { class: 'mono', text: m.course }), ' ', m.title]),
        el('td', { class: 'mono', text: m.qualification }),
        el('td', { text: m.applies_to === 'all_staff' ? 'all staff' : m.applies_to + ' ' + m.value }),
        el('td', {}, canMatrix ? el('button', { type: 'button', class: 'btn btn-small', text: 'Remove', onclick: () => saveMatrix(matrix.filter((_, j) => j !== k)) }) : ''),
      ])));
      $(view, 'trr-matrix-form').hidden = !canMatrix;
    }

    async function saveMatrix(rows, form) {
      const body = { items: rows.map((m) => ({ course_id: Number(m.course_id), applies_to: m.applies_to, value: m.value || '' })) };
      const r = await api('PUT', API + '/training/requirements', body);
      if (!alive()) return;
      if (!r.ok) { fail('Could not save the matrix: ', r, form); return; }
      showAlert(errorEl, '');
      loadMatrix();
    }

    $(view, 'trr-matrix-form').addEventListener('submit', (ev) => {
      ev.preventDefault();
      const f = ev.currentTarget;
      clearFieldErrors(f);
      saveMatrix(matrix.concat([{ course_id: f.elements.namedItem('course_id').value, applies_to: f.elements.namedItem('applies_to').value, value: f.elements.namedItem('value').value.trim() }]), f);
    });

    $(view, 'trr-sess-form').addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const f = ev.currentTarget;
      clearFieldErrors(f);
      const at = f.elements.namedItem('held_at').value;
      const body = {
        held_at: at ? at + (at.length === 16 ? ':00Z' : 'Z') : '',
        duration_minutes: Number(f.elements.namedItem('duration_minutes').value),
        description: f.elements.namedItem('description').value.trim(),
        attendees: f.elements.namedItem('attendees').value.split(',').map((s) => s.trim()).filter(Boolean).map(Number),
        completes_course: f.elements.namedItem('completes_course').checked,
      };
      const cid = f.elements.namedItem('course_id').value;
      if (cid) body.course_id = Number(cid);
      const r = await api('POST', API + '/training/sessions', body);
      if (!alive()) return;
      if (!r.ok) { fail('Could not record the session: ', r, f); return; }
      showAlert(errorEl, '');
      showAlert($(view, 'trr-sess-ok'), 'Session ' + r.data.id + ' recorded.');
      f.reset();
      loadSessions();
    });

    $(view, 'trr-reload').addEventListener('click', () => loadAttempts(true));
    $(view, 'trr-more').addEventListener('click', () => loadAttempts(false));
    $(view, 'trr-sess-card').querySelector('form').hidden = !staff;
    h.subscribe('training', (item) => {
      const d = item && item.data;
      if (d && typeof d.action === 'string' && d.action.startsWith('training.attempt')) loadAttempts(true);
    });
    loadAttempts(true);
    loadSessions();
    loadMatrix();
  }

  /* ---------- the compliance dashboard ---------- */

  function pageCompliance(view, alive) {
    const errorEl = $(view, 'tc-error');
    const form = $(view, 'tc-form');
    const fail = failOn(errorEl);
    let next = null;
    let query = '';

    function params() {
      const p = new URLSearchParams();
      for (const n of ['role', 'kind', 'zone_id', 'status']) {
        const v = form.elements.namedItem(n).value.trim();
        if (v) p.set(n, v);
      }
      return p;
    }

    async function load(reset) {
      if (reset) {
        query = params().toString();
        $(view, 'tc-csv').setAttribute('href', API + '/training/compliance.csv' + (query ? '?' + query : ''));
        $(view, 'tc-pdf').setAttribute('href', API + '/training/compliance.pdf' + (query ? '?' + query : ''));
      }
      let url = API + '/training/compliance?limit=100' + (query ? '&' + query : '');
      if (!reset && next) url += '&after=' + encodeURIComponent(next);
      const r = await api('GET', url);
      if (!alive()) return;
      if (!r.ok) { fail('Could not load compliance: ', r, form); return; }
      showAlert(errorEl, '');
      next = r.data.next;
      $(view, 'tc-more').hidden = !next;
      const s = r.data.summary;
      if (s) {
        $(view, 'tc-totals').replaceChildren(
          el('span', { class: 'counter', 'data-status': 'people' }, [el('span', { class: 'counter-n', text: String(s.people) }), ' people']),
          el('span', { class: 'counter', 'data-status': 'current' }, [el('span', { class: 'counter-n', text: String(s.current) }), ' current']),
          el('span', { class: 'counter', 'data-status': 'expiring' }, [el('span', { class: 'counter-n', text: String(s.expiring) }), ' expiring']),
          el('span', { class: 'counter', 'data-status': 'overdue' }, [el('span', { class: 'counter-n', text: String(s.overdue) }), ' overdue']));
        $(view, 'tc-by-course').replaceChildren(...s.by_course.map((c) => el('tr', { 'data-code': c.code }, [
          el('td', { class: 'mono', text: c.code }), el('td', { text: c.title }),
          el('td', { class: 'num', text: String(c.current) }), el('td', { class: 'num', text: String(c.expiring) }),
          el('td', { class: 'num', text: String(c.overdue) }),
        ])));
        const counts = (key) => (x) => el('tr', { 'data-key': x[key] }, [
          el('td', { text: x[key] }), el('td', { class: 'num', text: String(x.current) }),
          el('td', { class: 'num', text: String(x.expiring) }), el('td', { class: 'num', text: String(x.overdue) }),
        ]);
        $(view, 'tc-by-role').replaceChildren(...(s.by_role || []).map(counts('role')));
        $(view, 'tc-by-zone').replaceChildren(...(s.by_zone || []).map(counts('zone')));
      }
      const rows = [];
      for (const p of r.data.items) {
        p.courses.forEach((c, k) => rows.push(el('tr', { 'data-person': p.person_id, 'data-status': c.status }, [
          k === 0 ? el('td', { rowspan: String(p.courses.length), text: p.name + ' (' + p.person_id + ')' }) : null,
          k === 0 ? el('td', { rowspan: String(p.courses.length), text: [p.kind].concat(p.roles).join(', ') }) : null,
          el('td', {}, [el('span', { class: 'mono', text: c.code }), ' ', c.title]),
          el('td', { text: c.required_by }),
          el('td', {}, statusPill(c.status)),
          el('td', { text: c.expires_at ? date(c.expires_at) : (c.completed_at ? 'no expiry' : 'never completed') }),
        ])));
      }
      if (reset) $(view, 'tc-people').replaceChildren(...rows); else $(view, 'tc-people').append(...rows);
      $(view, 'tc-empty').hidden = !(reset && rows.length === 0);
    }

    form.addEventListener('submit', (ev) => { ev.preventDefault(); clearFieldErrors(form); load(true); });
    $(view, 'tc-more').addEventListener('click', () => load(false));
    const remind = $(view, 'tc-remind');
    remind.hidden = !isStaff();
    remind.addEventListener('click', async () => {
      const r = await api('POST', API + '/training/reminders/run');
      if (!alive()) return;
      if (!r.ok) { fail('Could not send reminders: ', r); return; }
      showAlert($(view, 'tc-ok'), r.data.sent + ' reminder' + (r.data.sent === 1 ? '' : 's') + ' sent.');
    });
    load(true);
  }

  return {
    pages: {
      training: { tpl: 'tpl-page-training', init: pageTraining },
      'training-results': { tpl: 'tpl-page-training-results', init: pageResults, wide: true },
      compliance: { tpl: 'tpl-page-compliance', init: pageCompliance, wide: true },
    },
  };
});
