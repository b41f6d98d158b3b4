/*
 * portguard web console.
 *
 * Plain JavaScript, no build step, no third-party code. Served by the daemon from the same
 * origin under a strict Content-Security-Policy (default-src 'self'): no inline scripts or
 * styles, no eval. Everything the server sends is untrusted: it reaches the page only as
 * text (textContent, attribute values), never as markup.
 *
 * It talks only to the HTTP API in docs/API.md:
 *   POST/DELETE /api/v1/session, GET /api/v1/me, /api/v1/users, /api/v1/tokens,
 *   /api/v1/audit, SSE /api/v1/events, and the public /healthz and /readyz;
 *   GET /api/v1/security-level for the level badge in the header.
 *
 * Further pages live in their own files (access.js, people.js, live.js), loaded before this
 * one. Each pushes a function onto window.portguard.modules; it is called here with the
 * shared helpers (see `helpers` below) and returns {pages: {id: {tpl, init, wide}}}.
 */
'use strict';

(function () {
  const API = '/api/v1';
  const STORE_KEY = 'portguard.session';
  const PAGE_LIMIT = 50;
  const TICKER_MAX = 200;
  const HEALTH_EVERY_MS = 15000;
  const SSE_RETRY_MS = 5000;
  const REVOKE_CONFIRM_MS = 5000;

  /* Roles from docs/API.md. "device" is for machine clients (tokens), not for people. */
  const USER_ROLES = ['admin', 'pfso', 'operator', 'gate', 'inspector', 'trainer', 'auditor', 'authority'];
  const TOKEN_ROLES = ['device'].concat(USER_ROLES);

  /* SSE sends "event: <topic>", so each topic needs its own listener. These are the
   * foundation topics plus the ones the design names for later modules. */
  const TOPICS = ['auth', 'users', 'system', 'level', 'access', 'muster', 'ais', 'geo', 'sensors',
    'alarms', 'inspect', 'training', 'incidents', 'share'];

  /* ISPS security levels, as shown in the header badge and on the level page. */
  const LEVEL_NAMES = { 1: 'Normal', 2: 'Heightened', 3: 'Exceptional' };

  /* Data fields shown first in one-line summaries (ticker, audit details). */
  const SUMMARY_KEYS = ['action', 'username', 'user', 'name', 'token', 'role', 'disabled',
    'by', 'actor', 'reason', 'message', 'status', 'minutes', 'seconds'];

  const state = {
    session: null,      /* {csrf, expires_at, user} from POST /session, kept in sessionStorage */
    me: null,           /* GET /api/v1/me */
    pageGen: 0,         /* bumped on every page change; stale async work checks it */
    pageCleanup: null,
    es: null,
    esRetryTimer: null,
    lastEventId: null,
    events: [],
    seen: new Set(),
    ticker: null,       /* the one ticker element, moved between dock and overview */
    tickerState: 'offline',
    idCounter: 0,
    subs: [],           /* [{topic, fn, page}] live event listeners; page ones end with the page */
    level: null,        /* GET /api/v1/security-level */
    levelGen: 0,
  };

  const app = document.getElementById('app');

  /* ---------- small helpers ---------- */

  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    if (attrs) {
      for (const [key, value] of Object.entries(attrs)) {
        if (value === undefined || value === null || value === false) continue;
        if (key === 'class') node.className = value;
        else if (key === 'text') node.textContent = value;
        else if (key.startsWith('on') && typeof value === 'function') node.addEventListener(key.slice(2), value);
        else node.setAttribute(key, value === true ? '' : String(value));
      }
    }
    if (children) {
      for (const child of [].concat(children)) {
        if (child === null || child === undefined || child === false) continue;
        node.append(typeof child === 'string' ? document.createTextNode(child) : child);
      }
    }
    return node;
  }

  function uid(prefix) {
    state.idCounter += 1;
    return prefix + '-' + state.idCounter;
  }

  function clone(templateId) {
    const tpl = document.getElementById(templateId);
    return tpl.content.firstElementChild.cloneNode(true);
  }

  function $(root, id) {
    return root.querySelector('#' + id);
  }

  function truncate(s, max) {
    s = String(s);
    return s.length > max ? s.slice(0, max - 1) + '\u2026' : s;
  }

  /* RFC 3339 to "YYYY-MM-DD HH:MM:SS" (UTC) or "HH:MM:SS". Unparsable values show as given. */
  function fmtTime(iso, withDate) {
    if (iso === null || iso === undefined || iso === '') return '';
    const d = new Date(iso);
    if (Number.isNaN(d.getTime())) return String(iso);
    const s = d.toISOString();
    return withDate ? s.slice(0, 10) + ' ' + s.slice(11, 19) : s.slice(11, 19);
  }

  function timeEl(iso, withDate) {
    const t = el('time', { text: fmtTime(iso, withDate) });
    if (typeof iso === 'string') {
      t.setAttribute('datetime', iso);
      t.title = iso;
    }
    return t;
  }

  function scalar(v) {
    if (v === null || v === undefined) return '';
    if (typeof v === 'object' && !Array.isArray(v)) {
      /* A nested object (e.g. the user of a users event) is named by its best label. */
      for (const k of ['username', 'name', 'id']) {
        if (typeof v[k] === 'string' || typeof v[k] === 'number') return String(v[k]);
      }
    }
    if (typeof v === 'object') {
      try { return JSON.stringify(v); } catch (e) { return '[object]'; }
    }
    return String(v);
  }

  /* One line of "key=value" pairs for an object, preferred keys first. */
  function summarize(v, max) {
    if (v === null || v === undefined) return '';
    if (typeof v !== 'object') return truncate(String(v), max);
    if (Array.isArray(v)) return truncate(v.map(scalar).join(', '), max);
    /* Nested objects without a label of their own (e.g. "details") are flattened one level. */
    const pairs = [];
    for (const [k, val] of Object.entries(v)) {
      if (val && typeof val === 'object' && !Array.isArray(val) &&
          !['username', 'name', 'id'].some((l) => typeof val[l] === 'string' || typeof val[l] === 'number')) {
        for (const [k2, v2] of Object.entries(val)) pairs.push([k2, scalar(v2)]);
      } else {
        pairs.push([k, scalar(val)]);
      }
    }
    const rank = (k) => { const i = SUMMARY_KEYS.indexOf(k); return i < 0 ? 999 : i; };
    pairs.sort((a, b) => rank(a[0]) - rank(b[0]));
    return truncate(pairs.map(([k, s]) => k + '=' + s).join(' \u00b7 '), max);
  }

  function fullJson(v) {
    try { return JSON.stringify(v, null, 2); } catch (e) { return ''; }
  }

  /* ---------- session storage ---------- */

  function loadSession() {
    try {
      const raw = window.sessionStorage.getItem(STORE_KEY);
      if (!raw) return null;
      const s = JSON.parse(raw);
      return s && typeof s.csrf === 'string' && s.csrf ? s : null;
    } catch (e) {
      return null;
    }
  }

  function saveSession(s) {
    state.session = s;
    try { window.sessionStorage.setItem(STORE_KEY, JSON.stringify(s)); } catch (e) { /* private mode */ }
  }

  function clearSession() {
    state.session = null;
    try { window.sessionStorage.removeItem(STORE_KEY); } catch (e) { /* ignore */ }
  }

  /* ---------- HTTP ---------- */

  function problemOf(status, data, statusText) {
    if (data && typeof data === 'object' && (data.detail || data.title)) {
      return {
        type: typeof data.type === 'string' ? data.type : '',
        title: typeof data.title === 'string' ? data.title : '',
        detail: typeof data.detail === 'string' ? data.detail : '',
        field: typeof data.field === 'string' ? data.field : '',
        status: status,
      };
    }
    return {
      type: '', title: statusText || 'Request failed', field: '', status: status,
      detail: status ? 'The daemon answered HTTP ' + status + (statusText ? ' ' + statusText : '') + '.' : 'The daemon could not be reached.',
    };
  }

  function problemText(p) {
    let text = p.detail || p.title || 'Request failed.';
    if (p.type === 'urn:portguard:problem:csrf') {
      text += ' (This tab\u2019s security token does not match the session: log out and sign in again.)';
    }
    return text;
  }

  /*
   * api(method, path, body, opts) -> {ok, status, data, headers, problem}
   * Never throws. Adds X-CSRF-Token on state-changing requests. A 401 ends the console
   * session (back to the login page) unless opts.quiet401 is set. The body is sent as
   * JSON, or as it is (text, bytes) with opts.contentType (manifests, evidence files).
   */
  async function api(method, path, body, opts) {
    opts = opts || {};
    const headers = { Accept: 'application/json' };
    const init = { method: method, headers: headers, credentials: 'same-origin', cache: 'no-store' };
    if (body !== undefined && opts.contentType) {
      headers['Content-Type'] = opts.contentType;
      init.body = body;
    } else if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    if (method !== 'GET' && method !== 'HEAD' && state.session && state.session.csrf) {
      headers['X-CSRF-Token'] = state.session.csrf;
    }
    let res;
    try {
      res = await fetch(path, init);
    } catch (e) {
      return { ok: false, status: 0, data: null, headers: new Headers(), problem: problemOf(0, null, '') };
    }
    let data = null;
    if (res.status !== 204) {
      try {
        const text = await res.text();
        if (text) data = JSON.parse(text);
      } catch (e) {
        data = null;
      }
    }
    const result = { ok: res.ok, status: res.status, data: data, headers: res.headers, problem: null };
    if (!res.ok) {
      result.problem = problemOf(res.status, data, res.statusText);
      if (res.status === 401 && !opts.quiet401 && state.me) {
        sessionEnded('Your session has ended. Please sign in again.');
      }
    }
    return result;
  }

  function listUrl(path, after) {
    let url = API + path + '?limit=' + PAGE_LIMIT;
    if (after) url += '&after=' + encodeURIComponent(after);
    return url;
  }

  function listOf(data) {
    const items = data && Array.isArray(data.items) ? data.items : [];
    const next = data && typeof data.next === 'string' && data.next ? data.next : null;
    return { items: items, next: next };
  }

  /* Every item of a list route (the path may carry a query), following `next`: at most 20
   * pages of 500, fewer once `max` items are in if max is given.
   * -> {ok, items, problem, r}; items holds what came before a failure, r is the failed answer. */
  async function fetchAll(path, max) {
    const items = [];
    let after = null;
    for (let i = 0; i < 20; i++) {
      const sep = path.includes('?') ? '&' : '?';
      const r = await api('GET', API + path + sep + 'limit=500' + (after ? '&after=' + encodeURIComponent(after) : ''));
      if (!r.ok) return { ok: false, items: items, problem: r.problem, r: r };
      const page = listOf(r.data);
      items.push(...page.items);
      if (!page.next || (max && items.length >= max)) break;
      after = page.next;
    }
    return { ok: true, items: items, problem: null };
  }

  /* ---------- alerts and form errors ---------- */

  function showAlert(node, text) {
    if (!node) return;
    node.textContent = text;
    node.hidden = !text;
  }

  /* A page's say(ok, err): shows the one message, clears the other (empty hides). */
  function notifier(okEl, errorEl) {
    return (ok, err) => {
      showAlert(okEl, ok || '');
      showAlert(errorEl, err || '');
    };
  }

  function clearFieldErrors(form) {
    for (const input of form.querySelectorAll('[aria-invalid="true"]')) input.removeAttribute('aria-invalid');
    for (const box of form.querySelectorAll('.field-invalid')) box.classList.remove('field-invalid');
  }

  /* Marks the form control named by a problem's `field`: an input or select of that name, or
   * a group of controls (fieldset or element with data-field="name"). Nested names such as
   * "schedule.mon" fall back to their first part. */
  function markField(form, field) {
    if (!field || !form || !form.elements) return;
    const names = [field];
    const m = /^([A-Za-z0-9_]+)[.[]/.exec(field);
    if (m) names.push(m[1]);
    for (const name of names) {
      let target = form.elements.namedItem(name);
      if (target && !target.setAttribute && target.length) target = target[0].closest('fieldset') || target[0];
      if (!target || !target.setAttribute) {
        target = form.querySelector('[data-field="' + (window.CSS && CSS.escape ? CSS.escape(name) : name) + '"]');
      }
      if (!target) continue;
      target.setAttribute('aria-invalid', 'true');
      const box = target.closest('.field') || (target.matches('fieldset, [data-field]') ? target : null);
      if (box) box.classList.add('field-invalid');
      const focusable = target.matches('input, select, textarea, button') ? target
        : target.querySelector('input, select, textarea, button');
      if (focusable) focusable.focus();
      return;
    }
  }

  /* ---------- boot ---------- */

  async function boot() {
    state.session = loadSession();
    window.addEventListener('hashchange', () => onRoute(true));
    const r = await api('GET', API + '/me', undefined, { quiet401: true });
    if (r.ok && r.data) {
      const s = state.session;
      if (s && s.user && s.user.username === r.data.username) {
        state.me = r.data;
        showFrame();
      } else {
        /* A session cookie exists but this tab has no matching CSRF token. */
        clearSession();
        showLogin('Sign in to continue in this tab.');
      }
    } else if (r.status === 401) {
      clearSession();
      showLogin('');
    } else {
      showLogin('');
      showAlert($(app, 'login-error'), 'Cannot reach the daemon: ' + problemText(r.problem));
    }
  }

  /* ---------- login ---------- */

  function showLogin(notice) {
    stopEvents();
    leavePage();
    state.me = null;
    const view = clone('tpl-login');
    app.replaceChildren(view);
    document.title = 'Sign in \u2013 portguard';
    const noticeEl = $(view, 'login-notice');
    noticeEl.textContent = notice || '';
    noticeEl.hidden = !notice;
    $(view, 'login-form').addEventListener('submit', onLoginSubmit);
    $(view, 'login-username').focus();
  }

  function retryAfterSeconds(headers) {
    const v = headers.get('Retry-After');
    if (!v) return null;
    if (/^\d+$/.test(v.trim())) return parseInt(v.trim(), 10);
    const t = Date.parse(v);
    return Number.isNaN(t) ? null : Math.max(0, Math.round((t - Date.now()) / 1000));
  }

  async function onLoginSubmit(ev) {
    ev.preventDefault();
    const form = ev.currentTarget;
    const user = form.elements.namedItem('username');
    const pass = form.elements.namedItem('password');
    const errorEl = $(form, 'login-error');
    const submit = $(form, 'login-submit');
    clearFieldErrors(form);
    showAlert(errorEl, '');
    const username = user.value.trim();
    if (!username || !pass.value) {
      showAlert(errorEl, 'Enter your username and password.');
      markField(form, username ? 'password' : 'username');
      return;
    }
    submit.disabled = true;
    submit.textContent = 'Signing in\u2026';
    clearSession();
    const r = await api('POST', API + '/session', { username: username, password: pass.value }, { quiet401: true });
    submit.disabled = false;
    submit.textContent = 'Sign in';
    if (r.ok && r.data && typeof r.data.csrf_token === 'string') {
      saveSession({ csrf: r.data.csrf_token, expires_at: r.data.expires_at || null, user: r.data.user || { username: username } });
      const me = await api('GET', API + '/me', undefined, { quiet401: true });
      if (me.ok && me.data) {
        state.me = me.data;
        saveSession(Object.assign({}, state.session, { user: { id: me.data.id, username: me.data.username, role: me.data.role } }));
        showFrame();
        return;
      }
      clearSession();
      showAlert(errorEl, 'Signed in, but the console could not load your profile: ' + problemText(me.problem));
      return;
    }
    let msg;
    if (r.status === 429) {
      const secs = retryAfterSeconds(r.headers);
      if (secs !== null) {
        const minutes = Math.max(1, Math.ceil(secs / 60));
        msg = 'Account locked after too many failed sign-ins. Try again in ' + minutes +
          (minutes === 1 ? ' minute.' : ' minutes.');
      } else {
        msg = 'Account locked after too many failed sign-ins. ' + (r.problem.detail || 'Try again later.');
      }
    } else if (r.status === 401) {
      msg = 'Wrong username or password.';
    } else {
      msg = 'Sign-in failed: ' + problemText(r.problem);
    }
    showAlert(errorEl, msg);
    pass.value = '';
    pass.setAttribute('aria-invalid', 'true');
    pass.focus();
  }

  /* ---------- frame ---------- */

  function showFrame() {
    const me = state.me;
    const frame = clone('tpl-frame');
    app.replaceChildren(frame);
    $(frame, 'whoami-name').textContent = me.username || '';
    $(frame, 'whoami-role').textContent = me.role || '';
    state.subs = [];
    state.level = null;
    renderLevelBadge();
    subscribe('level', onLevelEvent, true);
    refreshLevel();
    $(frame, 'logout-button').addEventListener('click', logout);
    $(frame, 'skip-link').addEventListener('click', () => $(frame, 'main').focus());

    const list = $(frame, 'nav-list');
    for (const item of Array.isArray(me.nav) ? me.nav : []) {
      if (!item || typeof item.id !== 'string') continue;
      const a = el('a', { href: '#/' + encodeURIComponent(item.id), 'data-page': item.id, text: item.title || item.id });
      list.append(el('li', null, a));
    }

    state.events = [];
    state.seen = new Set();
    state.lastEventId = null;
    state.ticker = clone('tpl-ticker');
    $(frame, 'ticker-dock').append(state.ticker);
    startEvents();
    onRoute();
  }

  /* ---------- security level badge (header of every page) ---------- */

  function levelNumber(v) {
    const n = Number(v);
    return n === 1 || n === 2 || n === 3 ? n : null;
  }

  function renderLevelBadge() {
    const badge = document.getElementById('level-badge');
    if (!badge) return;
    const lv = state.level ? levelNumber(state.level.level) : null;
    badge.setAttribute('data-level', lv ? String(lv) : '');
    $(badge, 'level-badge-value').textContent = lv ? String(lv) : '\u2013';
    $(badge, 'level-badge-name').textContent = lv ? LEVEL_NAMES[lv] : 'unknown';
    badge.setAttribute('aria-label', lv ? 'Security level ' + lv + ', ' + LEVEL_NAMES[lv] : 'Security level unknown');
    let title = lv ? 'ISPS security level ' + lv + ' (' + LEVEL_NAMES[lv] + ')' : 'Security level not known';
    if (state.level && state.level.reason) title += '\n' + state.level.reason;
    if (state.level && state.level.set_at) title += '\nset ' + fmtTime(state.level.set_at, true) + ' UTC';
    badge.title = title;
    const navHasLevel = state.me && Array.isArray(state.me.nav) && state.me.nav.some((n) => n && n.id === 'level');
    if (navHasLevel) badge.setAttribute('href', '#/level');
    else badge.removeAttribute('href');
  }

  async function refreshLevel() {
    const gen = ++state.levelGen;
    const r = await api('GET', API + '/security-level');
    if (gen !== state.levelGen || !state.me) return state.level;
    if (r.ok && r.data && typeof r.data === 'object') {
      state.level = r.data;
      renderLevelBadge();
      publish(':level', state.level);
    }
    return state.level;
  }

  function onLevelEvent(item) {
    const d = item && item.data;
    /* The event carries the new level ("to"): show it at once, then read the full record. */
    if (d && levelNumber(d.to)) {
      state.level = Object.assign({}, state.level || {}, { level: levelNumber(d.to), reason: d.reason || '' });
      renderLevelBadge();
    }
    refreshLevel();
  }

  /* ---------- live event subscriptions ---------- */

  /* fn(item) for each live event of the topic ({id, topic, at, data}); page listeners end
   * when the page is left. Returns a function that ends the subscription. */
  function subscribe(topic, fn, global) {
    const sub = { topic: topic, fn: fn, page: !global };
    state.subs.push(sub);
    return () => { state.subs = state.subs.filter((s) => s !== sub); };
  }

  function publish(topic, item) {
    for (const s of state.subs.slice()) {
      if (s.topic !== topic) continue;
      try { s.fn(item); } catch (e) { window.setTimeout(() => { throw e; }); }
    }
  }

  function frameAlert(text) {
    const main = document.getElementById('main');
    if (!main) return;
    let node = document.getElementById('frame-alert');
    if (!node) {
      node = el('div', { id: 'frame-alert', class: 'alert alert-error', role: 'alert' });
      main.prepend(node);
    }
    showAlert(node, text);
  }

  async function logout() {
    const btn = document.getElementById('logout-button');
    if (btn) btn.disabled = true;
    const r = await api('DELETE', API + '/session', undefined, { quiet401: true });
    if (r.ok || r.status === 401) {
      clearSession();
      history.replaceState(null, '', location.pathname + location.search);
      showLogin('You have been logged out.');
      return;
    }
    if (btn) btn.disabled = false;
    frameAlert('Logout failed: ' + problemText(r.problem));
  }

  function sessionEnded(notice) {
    clearSession();
    showLogin(notice);
  }

  /* ---------- routing ---------- */

  function routeId() {
    const m = /^#\/([^/?]+)/.exec(location.hash || '');
    if (!m) return null;
    try { return decodeURIComponent(m[1]); } catch (e) { return null; }
  }

  function onRoute(moveFocus) {
    if (!state.me) return; /* login page: keep the hash for after sign-in */
    const nav = (Array.isArray(state.me.nav) ? state.me.nav : []).filter((n) => n && typeof n.id === 'string');
    let id = routeId();
    if (!nav.some((n) => n.id === id)) {
      id = nav.length ? nav[0].id : null;
      history.replaceState(null, '', id ? '#/' + encodeURIComponent(id) : location.pathname + location.search);
    }
    const item = nav.find((n) => n.id === id);
    renderPage(id, item ? (item.title || item.id) : 'Console');
    /* After a navigation, keyboard and screen reader users continue in the new page. */
    const main = document.getElementById('main');
    if (moveFocus === true && main) main.focus({ preventScroll: true });
  }

  function leavePage() {
    state.pageGen += 1;
    state.subs = state.subs.filter((s) => !s.page);
    if (state.pageCleanup) {
      try { state.pageCleanup(); } catch (e) { /* ignore */ }
    }
    state.pageCleanup = null;
  }

  const PAGES = {
    overview: { tpl: 'tpl-page-overview', init: pageOverview },
    users: { tpl: 'tpl-page-users', init: pageUsers },
    tokens: { tpl: 'tpl-page-tokens', init: pageTokens },
    audit: { tpl: 'tpl-page-audit', init: pageAudit },
  };

  /* Shared with the page modules (access.js, people.js, live.js). */
  const helpers = {
    API: API,
    PAGE_LIMIT: PAGE_LIMIT,
    LEVEL_NAMES: LEVEL_NAMES,
    el: el,
    uid: uid,
    clone: clone,
    $: $,
    truncate: truncate,
    fmtTime: fmtTime,
    timeEl: timeEl,
    scalar: scalar,
    summarize: summarize,
    fullJson: fullJson,
    api: api,
    listUrl: listUrl,
    listOf: listOf,
    fetchAll: fetchAll,
    showAlert: showAlert,
    notifier: notifier,
    clearFieldErrors: clearFieldErrors,
    markField: markField,
    problemText: problemText,
    subscribe: subscribe,
    refreshLevel: refreshLevel,
    me: () => state.me,
    level: () => state.level,
    liveState: () => state.tickerState,
    hasPage: (id) => !!(state.me && Array.isArray(state.me.nav) && state.me.nav.some((n) => n && n.id === id)),
  };
  const moduleList = (window.portguard && Array.isArray(window.portguard.modules)) ? window.portguard.modules : [];
  for (const mod of moduleList) {
    try {
      const m = mod(helpers);
      if (m && m.pages) Object.assign(PAGES, m.pages);
    } catch (e) {
      window.setTimeout(() => { throw e; });
    }
  }

  function renderPage(id, title) {
    leavePage();
    const gen = state.pageGen;
    const alive = () => gen === state.pageGen && state.me !== null;
    const main = document.getElementById('main');
    const frame = document.getElementById('frame');
    if (!main || !frame) return;

    for (const a of frame.querySelectorAll('#nav-list a')) {
      if (a.getAttribute('data-page') === id) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    }
    document.title = title + ' \u2013 portguard';

    const page = id ? PAGES[id] : null;
    let view;
    if (page) {
      view = clone(page.tpl);
    } else {
      view = clone('tpl-page-unknown');
      $(view, 'unknown-title').textContent = id ? title : 'No pages';
    }
    /* The server names its pages (nav title); the template's heading is the fallback. */
    const heading = view.querySelector('.page-title');
    if (page && heading && title) heading.textContent = title;
    main.replaceChildren(view);

    /* The ticker is one element: big on the overview, docked at the side elsewhere. Wide
     * pages (dense tables, live screens of their own) take the dock's room: the ticker
     * keeps receiving while it is out of the document. */
    const dock = document.getElementById('ticker-dock');
    const slot = $(view, 'overview-ticker-slot');
    if (page && page.wide) {
      state.ticker.remove();
      state.ticker.classList.remove('ticker-large');
      dock.hidden = true;
      frame.classList.add('no-dock');
    } else if (slot) {
      slot.append(state.ticker);
      state.ticker.classList.add('ticker-large');
      dock.hidden = true;
      frame.classList.add('no-dock');
    } else {
      dock.append(state.ticker);
      state.ticker.classList.remove('ticker-large');
      dock.hidden = false;
      frame.classList.remove('no-dock');
    }

    if (page) {
      const cleanup = page.init(view, alive);
      state.pageCleanup = typeof cleanup === 'function' ? cleanup : null;
    }
  }

  /* ---------- live events (SSE) ---------- */

  function setTickerState(s) {
    state.tickerState = s;
    const node = state.ticker && state.ticker.querySelector('#ticker-state');
    if (!node) return;
    node.setAttribute('data-state', s);
    node.textContent = { live: 'live', connecting: 'connecting\u2026', reconnecting: 'reconnecting\u2026', offline: 'offline' }[s] || s;
  }

  function startEvents() {
    stopEvents();
    let url = API + '/events';
    /* resume after the last event seen; on a fresh start, show the latest 50 stored ones */
    if (state.lastEventId !== null) url += '?last_event_id=' + encodeURIComponent(state.lastEventId);
    else url += '?recent=50';
    let es;
    try {
      es = new EventSource(url);
    } catch (e) {
      setTickerState('offline');
      return;
    }
    state.es = es;
    setTickerState('connecting');
    es.onopen = () => {
      if (state.es !== es) return;
      setTickerState('live');
      publish(':live', null);
    };
    const onEvent = (ev) => { if (state.es === es) receiveEvent(ev); };
    es.onmessage = onEvent;
    for (const topic of TOPICS) es.addEventListener(topic, onEvent);
    es.onerror = () => {
      if (state.es !== es) return;
      if (es.readyState !== EventSource.CLOSED) {
        setTickerState('reconnecting');
        publish(':state', 'reconnecting');
        return;
      }
      /* The browser gave up (e.g. non-200 answer): find out whether the session is gone. */
      es.close();
      state.es = null;
      setTickerState('offline');
      publish(':state', 'offline');
      api('GET', API + '/me').then((r) => {
        if (r.ok && state.me && !state.es) {
          state.esRetryTimer = window.setTimeout(startEvents, SSE_RETRY_MS);
        }
      });
    };
  }

  function stopEvents() {
    if (state.esRetryTimer) {
      window.clearTimeout(state.esRetryTimer);
      state.esRetryTimer = null;
    }
    if (state.es) {
      state.es.close();
      state.es = null;
    }
    state.tickerState = 'offline';
  }

  function receiveEvent(ev) {
    let msg;
    try {
      msg = JSON.parse(ev.data);
    } catch (e) {
      msg = { topic: ev.type, data: ev.data };
    }
    if (!msg || typeof msg !== 'object') msg = { topic: ev.type, data: msg };
    const id = msg.id !== undefined && msg.id !== null ? String(msg.id) : (ev.lastEventId || '');
    if (id) {
      if (state.seen.has(id)) return;
      state.seen.add(id);
      const n = Number(id);
      if (Number.isFinite(n) && (state.lastEventId === null || n > state.lastEventId)) state.lastEventId = n;
    }
    const item = {
      id: id,
      topic: typeof msg.topic === 'string' ? msg.topic : (ev.type === 'message' ? '' : ev.type),
      at: msg.at,
      data: msg.data,
    };
    state.events.unshift(item);
    if (state.events.length > TICKER_MAX) {
      const dropped = state.events.pop();
      if (dropped.id) state.seen.delete(dropped.id);
    }
    renderTickerItem(item);
    if (item.topic) publish(item.topic, item);
  }

  function renderTickerItem(item) {
    const list = state.ticker && state.ticker.querySelector('#ticker-list');
    if (!list) return;
    const li = el('li', { class: 'ticker-item', 'data-topic': item.topic }, [
      timeEl(item.at, false),
      el('span', { class: 'topic topic-' + (/^[a-z0-9-]+$/.test(item.topic) ? item.topic : 'other'), text: item.topic || 'event' }),
      el('span', { class: 'summary', text: summarize(item.data, 160) }),
    ]);
    li.title = (item.at || '') + '\n' + fullJson(item.data);
    list.prepend(li);
    while (list.children.length > TICKER_MAX) list.lastElementChild.remove();
    const empty = state.ticker.querySelector('#ticker-empty');
    if (empty) empty.hidden = true;
  }

  /* ---------- page: overview ---------- */

  async function probe(path) {
    try {
      const res = await fetch(path, { cache: 'no-store', credentials: 'same-origin', headers: { Accept: 'application/json' } });
      let body = null;
      try { body = await res.json(); } catch (e) { body = null; }
      const status = body && typeof body.status === 'string' ? body.status : 'HTTP ' + res.status;
      return { ok: res.ok, text: status };
    } catch (e) {
      return { ok: false, text: 'unreachable' };
    }
  }

  function pageOverview(view, alive) {
    const me = state.me;
    $(view, 'ov-welcome').textContent = 'Welcome, ' + (me.username || '') + '. Live events from the daemon appear below as they happen.';
    $(view, 'ov-username').textContent = me.username || '';
    $(view, 'ov-role').textContent = me.role || '';
    $(view, 'ov-kind').textContent = me.kind === 'token' ? 'API token' : 'user (console session)';
    const expires = state.session && state.session.expires_at;
    const exp = $(view, 'ov-expires');
    if (expires) exp.append(timeEl(expires, true), ' UTC');
    else exp.textContent = '\u2013';

    async function check() {
      const results = await Promise.all([probe('/healthz'), probe('/readyz')]);
      if (!alive()) return;
      const pills = [$(view, 'ov-health'), $(view, 'ov-ready')];
      results.forEach((r, i) => {
        pills[i].textContent = r.text;
        pills[i].setAttribute('data-state', r.ok ? 'ok' : 'bad');
      });
      const checked = $(view, 'ov-checked');
      checked.replaceChildren(timeEl(new Date().toISOString(), false), ' UTC');
    }
    check();
    const timer = window.setInterval(check, HEALTH_EVERY_MS);
    return () => window.clearInterval(timer);
  }

  /* ---------- page: users ---------- */

  function fillRoleSelect(select, roles, selected) {
    select.replaceChildren();
    for (const r of roles) select.append(el('option', { value: r, text: r, selected: r === selected }));
    if (selected && roles.indexOf(selected) < 0) {
      select.append(el('option', { value: selected, text: selected, selected: true }));
    }
  }

  function pageUsers(view, alive) {
    const tbody = $(view, 'users-tbody');
    const more = $(view, 'users-more');
    const empty = $(view, 'users-empty');
    const errorEl = $(view, 'users-error');
    const okEl = $(view, 'users-ok');
    const form = $(view, 'user-create-form');
    let next = null;
    let loading = false;

    fillRoleSelect($(view, 'new-user-role'), USER_ROLES, 'operator');

    const notify = notifier(okEl, errorEl);

    function userRow(u) {
      const name = String(u.username);
      const roleId = uid('user-role');
      const select = el('select', { id: roleId, class: 'compact' });
      fillRoleSelect(select, USER_ROLES, u.role);
      const save = el('button', { type: 'button', class: 'btn btn-small', text: 'Save role', disabled: true });
      select.addEventListener('change', () => { save.disabled = select.value === u.role; });
      save.addEventListener('click', () => patchUser(u, { role: select.value }, 'Role of ' + name + ' changed to ' + select.value + '.'));
      const toggle = el('button', {
        type: 'button',
        class: 'btn btn-small' + (u.disabled ? '' : ' btn-danger'),
        text: u.disabled ? 'Enable' : 'Disable',
        'aria-label': (u.disabled ? 'Enable ' : 'Disable ') + name,
      });
      toggle.addEventListener('click', () => patchUser(u, { disabled: !u.disabled }, name + (u.disabled ? ' enabled.' : ' disabled.')));
      const isMe = state.me && state.me.kind !== 'token' && String(u.id) === String(state.me.id);
      if (isMe && !u.disabled) {
        toggle.disabled = true;
        toggle.title = 'You cannot disable your own account.';
      }
      const tr = el('tr', { 'data-id': String(u.id), class: u.disabled ? 'row-disabled' : '' }, [
        el('td', { class: 'strong' }, [name, isMe ? el('span', { class: 'tag', text: 'you' }) : null]),
        el('td', null, el('div', { class: 'cell-row' }, [
          el('label', { for: roleId, class: 'sr-only', text: 'Role of ' + name }), select, save])),
        el('td', null, el('span', { class: 'pill', 'data-state': u.disabled ? 'bad' : 'ok', text: u.disabled ? 'disabled' : 'active' })),
        el('td', null, timeEl(u.created_at, true)),
        el('td', null, toggle),
      ]);
      return tr;
    }

    function findRow(id) {
      for (const tr of tbody.rows) if (tr.getAttribute('data-id') === String(id)) return tr;
      return null;
    }

    function upsert(u, prepend) {
      const tr = userRow(u);
      const old = findRow(u.id);
      if (old) old.replaceWith(tr);
      else if (prepend) tbody.prepend(tr);
      else tbody.append(tr);
      empty.hidden = tbody.rows.length > 0;
      return tr;
    }

    async function patchUser(u, change, okText) {
      notify('', '');
      const r = await api('PATCH', API + '/users/' + encodeURIComponent(u.id), change);
      if (!alive()) return;
      if (!r.ok) {
        notify('', 'Could not change ' + u.username + ': ' + problemText(r.problem));
        return;
      }
      upsert(r.data && r.data.id !== undefined ? r.data : Object.assign({}, u, change), false);
      notify(okText, '');
    }

    async function load(reset) {
      if (loading) return;
      loading = true;
      more.disabled = true;
      const r = await api('GET', listUrl('/users', reset ? null : next));
      loading = false;
      more.disabled = false;
      if (!alive()) return;
      if (!r.ok) {
        notify('', 'Could not load users: ' + problemText(r.problem));
        return;
      }
      const page = listOf(r.data);
      if (reset) tbody.replaceChildren();
      for (const u of page.items) upsert(u, false);
      next = page.next;
      more.hidden = !next;
      empty.hidden = tbody.rows.length > 0;
    }

    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      clearFieldErrors(form);
      notify('', '');
      const body = {
        username: form.elements.namedItem('username').value.trim(),
        role: form.elements.namedItem('role').value,
        password: form.elements.namedItem('password').value,
      };
      if (!body.username || !body.password) {
        notify('', 'Enter a username and a password.');
        markField(form, body.username ? 'password' : 'username');
        return;
      }
      const submit = form.querySelector('button[type="submit"]');
      submit.disabled = true;
      const r = await api('POST', API + '/users', body);
      submit.disabled = false;
      if (!alive()) return;
      if (!r.ok) {
        notify('', 'Could not create user: ' + problemText(r.problem));
        markField(form, r.problem.field);
        return;
      }
      const created = r.data && r.data.id !== undefined ? r.data : null;
      if (created) {
        const tr = upsert(created, true);
        tr.classList.add('row-new');
      } else {
        load(true);
      }
      form.elements.namedItem('username').value = '';
      form.elements.namedItem('password').value = '';
      notify('User ' + body.username + ' created with role ' + body.role + '.', '');
      form.elements.namedItem('username').focus();
    });
    more.addEventListener('click', () => load(false));
    $(view, 'users-refresh').addEventListener('click', () => { notify('', ''); load(true); });
    load(true);
  }

  /* ---------- page: tokens ---------- */

  function pageTokens(view, alive) {
    const tbody = $(view, 'tokens-tbody');
    const more = $(view, 'tokens-more');
    const empty = $(view, 'tokens-empty');
    const errorEl = $(view, 'tokens-error');
    const form = $(view, 'token-create-form');
    const once = $(view, 'token-once');
    const onceValue = $(view, 'token-once-value');
    const copyHint = $(view, 'token-copy-hint');
    let next = null;
    let loading = false;
    const timers = new Set();

    fillRoleSelect($(view, 'new-token-role'), TOKEN_ROLES, 'device');

    function tokenRow(t) {
      const name = String(t.name);
      const revoked = t.revoked_at !== null && t.revoked_at !== undefined && t.revoked_at !== '';
      let action = null;
      if (!revoked) {
        action = el('button', { type: 'button', class: 'btn btn-small btn-danger', text: 'Revoke', 'aria-label': 'Revoke ' + name });
        let armed = null;
        const disarm = () => {
          if (armed) { window.clearTimeout(armed); timers.delete(armed); }
          armed = null;
          action.textContent = 'Revoke';
          action.setAttribute('aria-label', 'Revoke ' + name);
          action.classList.remove('armed');
        };
        action.addEventListener('click', async () => {
          if (!armed) {
            action.textContent = 'Confirm revoke';
            action.setAttribute('aria-label', 'Confirm revoke of ' + name);
            action.classList.add('armed');
            armed = window.setTimeout(disarm, REVOKE_CONFIRM_MS);
            timers.add(armed);
            return;
          }
          disarm();
          action.disabled = true;
          showAlert(errorEl, '');
          const r = await api('DELETE', API + '/tokens/' + encodeURIComponent(t.id));
          if (!alive()) return;
          action.disabled = false;
          if (!r.ok) {
            showAlert(errorEl, 'Could not revoke ' + name + ': ' + problemText(r.problem));
            return;
          }
          load(true);
        });
        action.addEventListener('blur', () => { if (armed) disarm(); });
      }
      return el('tr', { 'data-id': String(t.id), class: revoked ? 'row-disabled' : '' }, [
        el('td', { class: 'strong' }, name),
        el('td', null, String(t.role || '')),
        el('td', null, timeEl(t.created_at, true)),
        el('td', null, revoked
          ? [el('span', { class: 'pill', 'data-state': 'bad', text: 'revoked' }), ' ', timeEl(t.revoked_at, true)]
          : el('span', { class: 'pill', 'data-state': 'ok', text: 'active' })),
        el('td', null, action),
      ]);
    }

    async function load(reset) {
      if (loading) return;
      loading = true;
      more.disabled = true;
      const r = await api('GET', listUrl('/tokens', reset ? null : next));
      loading = false;
      more.disabled = false;
      if (!alive()) return;
      if (!r.ok) {
        showAlert(errorEl, 'Could not load tokens: ' + problemText(r.problem));
        return;
      }
      const page = listOf(r.data);
      if (reset) tbody.replaceChildren();
      for (const t of page.items) tbody.append(tokenRow(t));
      next = page.next;
      more.hidden = !next;
      empty.hidden = tbody.rows.length > 0;
    }

    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      clearFieldErrors(form);
      showAlert(errorEl, '');
      const body = { name: form.elements.namedItem('name').value.trim(), role: form.elements.namedItem('role').value };
      if (!body.name) {
        showAlert(errorEl, 'Enter a name for the token.');
        markField(form, 'name');
        return;
      }
      const submit = form.querySelector('button[type="submit"]');
      submit.disabled = true;
      const r = await api('POST', API + '/tokens', body);
      submit.disabled = false;
      if (!alive()) return;
      if (!r.ok) {
        showAlert(errorEl, 'Could not create token: ' + problemText(r.problem));
        markField(form, r.problem.field);
        return;
      }
      form.elements.namedItem('name').value = '';
      $(view, 'token-once-name').textContent = (r.data && r.data.name) || body.name;
      onceValue.value = (r.data && typeof r.data.token === 'string') ? r.data.token : '';
      copyHint.textContent = 'Select the field and press Ctrl+C, or use Copy.';
      once.hidden = false;
      onceValue.focus();
      onceValue.select();
      load(true);
    });

    $(view, 'token-copy').addEventListener('click', async () => {
      onceValue.focus();
      onceValue.select();
      try {
        await navigator.clipboard.writeText(onceValue.value);
        copyHint.textContent = 'Copied to the clipboard.';
      } catch (e) {
        copyHint.textContent = 'The browser did not allow copying: the token is selected, press Ctrl+C.';
      }
    });
    $(view, 'token-once-dismiss').addEventListener('click', () => {
      onceValue.value = '';
      once.hidden = true;
    });
    more.addEventListener('click', () => load(false));
    $(view, 'tokens-refresh').addEventListener('click', () => { showAlert(errorEl, ''); load(true); });
    load(true);
    return () => {
      for (const t of timers) window.clearTimeout(t);
      onceValue.value = '';
    };
  }

  /* ---------- page: audit ---------- */

  function pageAudit(view, alive) {
    const tbody = $(view, 'audit-tbody');
    const older = $(view, 'audit-older');
    const empty = $(view, 'audit-empty');
    const errorEl = $(view, 'audit-error');
    let next = null;
    let loading = false;

    function auditRow(a) {
      const details = el('td', { class: 'details', text: summarize(a.details, 240) });
      if (a.details && typeof a.details === 'object') details.title = fullJson(a.details);
      return el('tr', { 'data-seq': String(a.seq) }, [
        el('td', { class: 'num mono', text: scalar(a.seq) }),
        el('td', { class: 'nowrap' }, timeEl(a.at, true)),
        el('td', { text: scalar(a.actor) }),
        el('td', { class: 'mono', text: scalar(a.action) }),
        el('td', { text: scalar(a.object) }),
        details,
      ]);
    }

    async function load(reset) {
      if (loading) return;
      loading = true;
      older.disabled = true;
      const r = await api('GET', listUrl('/audit', reset ? null : next));
      loading = false;
      older.disabled = false;
      if (!alive()) return;
      if (!r.ok) {
        showAlert(errorEl, 'Could not load the audit log: ' + problemText(r.problem));
        return;
      }
      showAlert(errorEl, '');
      const page = listOf(r.data);
      if (reset) tbody.replaceChildren();
      for (const a of page.items) tbody.append(auditRow(a));
      next = page.next;
      older.hidden = !next;
      empty.hidden = tbody.rows.length > 0;
    }

    older.addEventListener('click', () => load(false));
    $(view, 'audit-refresh').addEventListener('click', () => load(true));
    load(true);
  }

  /* ---------- start ---------- */

  window.addEventListener('pagehide', stopEvents);
  window.addEventListener('pageshow', (ev) => {
    if (ev.persisted && state.me && !state.es) startEvents();
  });
  boot();
})();
