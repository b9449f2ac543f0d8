/*
 * Lotse counsellor desk: plain JavaScript, no dependencies, same origin as the gateway.
 *
 * Every text from a person, a counsellor or a case summary is rendered with textContent.
 * POSTs carry the session's CSRF token (from GET /desk/api/me) in the X-CSRF-Token header.
 *
 *   GET  /desk/api/me                              {username, offices: [{id, name, city}], languages, csrf_token}
 *   GET  /desk/api/cases?office=&language=&status= {cases: [{id, language, status, claimed_by, created_at, profession, ...}]}
 *   GET  /desk/api/cases/<id>                      {case: {..., summary: {..., transcript: [{direction, text, at}]}}}
 *   POST /desk/api/cases/<id>/claim | /close       {case}
 *   GET  /desk/api/cases/<id>/messages?after=<id>  {messages: [{id, direction, text, created_at}], status}
 *   POST /desk/api/cases/<id>/messages {text}      {message}
 */
'use strict';
(() => {
  const $ = (id) => document.getElementById(id);
  const QUEUE_EVERY_MS = 5000;
  const MESSAGES_EVERY_MS = 2000;
  const WHO = { in: 'Person', bot: 'Lotse', counsellor: 'Beratung' };
  const STATUS = { open: 'offen', claimed: 'übernommen', closed: 'geschlossen' };
  const REASON = { request: 'Person hat nach einem Menschen gefragt', fallback: 'Lotse hat zweimal nicht verstanden', needs_person: 'Fall braucht eine Beratung' };

  // Why a reply to a messenger is stored but not sent yet (it goes out when the person writes again).
  const WAITING = {
    outside_window: 'Gespeichert, aber noch nicht zugestellt: Der Messenger erlaubt so lange nach der letzten Nachricht der Person keine Antwort. Sie geht raus, sobald die Person wieder schreibt.',
    failed: 'Gespeichert, aber noch nicht zugestellt: Der Messenger hat die Nachricht nicht angenommen. Sie geht raus, sobald die Person wieder schreibt.',
  };
  let csrf = '';
  let me = null;
  let current = null; // the case shown
  let after = 0; // newest message id shown
  let polling = false;

  async function api(path, options) {
    const init = Object.assign({ credentials: 'same-origin', headers: { Accept: 'application/json' } }, options || {});
    if (init.method === 'POST') {
      init.headers = Object.assign({}, init.headers, { 'X-CSRF-Token': csrf, 'Content-Type': 'application/json' });
    }
    const response = await fetch(path, init);
    if (response.status === 401) {
      location.assign('/desk/login');
      throw new Error('Nicht angemeldet.');
    }
    const data = await response.json().catch(() => ({}));
    if (!response.ok) {
      const error = new Error(typeof data.error === 'string' ? data.error : 'Fehler ' + response.status);
      error.status = response.status;
      throw error;
    }
    return data;
  }

  function el(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  function notice(text) { $('notice').textContent = text || ''; }

  function time(iso) {
    if (!iso) return '';
    const date = new Date(iso);
    return isNaN(date) ? String(iso) : date.toLocaleString('de-DE', { dateStyle: 'short', timeStyle: 'short' });
  }

  // --- queue ---------------------------------------------------------------------------------
  async function loadQueue() {
    const query = new URLSearchParams({ status: $('status').value });
    if ($('office').value) query.set('office', $('office').value);
    if ($('language').value) query.set('language', $('language').value);
    let data;
    try { data = await api('/desk/api/cases?' + query.toString()); } catch (e) { return; }
    const items = (Array.isArray(data.cases) ? data.cases : []).map((item) => {
      const li = el('li');
      const button = el('button', null, 'case-item' + (current && current.id === item.id ? ' current' : ''));
      button.type = 'button';
      button.append(
        el('strong', '#' + item.id),
        el('span', ' · ' + item.language + ' · ' + (item.profession || 'Beruf unbekannt')),
        el('span', ' · ' + (STATUS[item.status] || item.status) + (item.claimed_by ? ' (' + item.claimed_by + ')' : '')),
        el('span', ' · ' + time(item.created_at), 'when'),
      );
      button.addEventListener('click', () => openCase(item.id));
      li.append(button);
      return li;
    });
    $('cases').replaceChildren(...items);
    $('empty').hidden = items.length > 0;
  }

  // --- one case ------------------------------------------------------------------------------
  function summaryRows(caseData) {
    const s = caseData.summary || {};
    const profession = s.profession || {};
    const place = s.place || {};
    const authority = s.authority || {};
    const office = s.office || {};
    return [
      ['Grund', REASON[s.reason] || s.reason],
      ['Sprache', caseData.language],
      ['Kanal', caseData.channel],
      ['Referenzberuf', profession.reference],
      ['Reglementiert', profession.reference ? (profession.regulated ? 'ja' : 'nein') : null],
      ['Ort', [place.postcode, place.name].filter(Boolean).join(' ')],
      ['Bundesland', place.federal_state],
      ['Im Ausland', s.abroad ? 'ja (' + s.abroad + ')' : null],
      ['Anerkennungsstelle', [authority.name, authority.url].filter(Boolean).join(' – ')],
      ['Beratungsstelle', [office.name, office.city].filter(Boolean).join(', ')],
      ['Außerhalb der Sprechzeiten eröffnet', s.outside_office_hours ? 'ja' : 'nein'],
      ['Eröffnet', time(caseData.created_at)],
    ].filter(([, value]) => value !== null && value !== undefined && value !== '');
  }

  function showCase(caseData) {
    current = caseData;
    $('case').hidden = false;
    $('case-title').textContent = 'Fall #' + caseData.id;
    const mine = caseData.claimed_by === (me && me.username);
    $('case-status').textContent = 'Status: ' + (STATUS[caseData.status] || caseData.status) +
      (caseData.claimed_by ? ' (von ' + caseData.claimed_by + ')' : '');
    $('claim').hidden = caseData.status !== 'open';
    $('close').hidden = caseData.status === 'closed' || (caseData.status === 'claimed' && !mine);
    const canReply = caseData.status === 'claimed' && mine;
    $('reply').disabled = !canReply;
    $('send').disabled = !canReply;
    $('reply').placeholder = canReply ? '' : 'Übernehmen Sie den Fall, um zu antworten.';
  }

  function renderSummary(caseData) {
    const rows = [];
    for (const [term, value] of summaryRows(caseData)) rows.push(el('dt', term), el('dd', value));
    $('summary').replaceChildren(...rows);
    const transcript = Array.isArray(caseData.summary && caseData.summary.transcript) ? caseData.summary.transcript : [];
    $('transcript').replaceChildren(...transcript.map((line) => {
      const li = el('li', null, 'line ' + (line.direction === 'in' ? 'person' : 'bot'));
      li.append(el('span', (WHO[line.direction] || line.direction) + ': ', 'who'), el('span', line.text));
      return li;
    }));
  }

  function addMessages(messages) {
    const log = $('messages');
    for (const message of messages) {
      if (!message || typeof message.id !== 'number' || message.id <= after) continue;
      after = message.id;
      const item = el('div', null, 'msg ' + (message.direction === 'in' ? 'person' : message.direction));
      item.append(el('span', (WHO[message.direction] || message.direction) + ' · ' + time(message.created_at), 'meta'));
      item.append(el('p', message.text));
      log.append(item);
      log.scrollTop = log.scrollHeight;
    }
  }

  async function openCase(id) {
    let data;
    try { data = await api('/desk/api/cases/' + encodeURIComponent(id)); } catch (e) { notice(e.message); return; }
    after = 0;
    $('messages').replaceChildren();
    notice('');
    showCase(data.case);
    renderSummary(data.case);
    await pollMessages();
    loadQueue();
  }

  async function pollMessages() {
    if (!current || polling) return;
    polling = true;
    const id = current.id;
    try {
      const data = await api('/desk/api/cases/' + id + '/messages?after=' + after);
      if (current && current.id === id) {
        addMessages(Array.isArray(data.messages) ? data.messages : []);
        if (data.status && data.status !== current.status) {
          const fresh = await api('/desk/api/cases/' + id);
          showCase(fresh.case);
        }
      }
    } catch (e) {
      // A case disappears only when it is deleted (the person asked for it, or the retention period ended).
      if (e.status === 404 && current && current.id === id) {
        current = null;
        $('case').hidden = true;
        notice('Fall #' + id + ' gibt es nicht mehr: er wurde gelöscht (z. B. auf Wunsch der Person).');
        loadQueue();
      }
      // other errors are shown on the next action
    } finally { polling = false; }
  }

  async function post(path, body) {
    try {
      const data = await api(path, { method: 'POST', body: JSON.stringify(body || {}) });
      notice('');
      return data;
    } catch (e) {
      notice(e.message);
      return null;
    }
  }

  $('claim').addEventListener('click', async () => {
    const data = await post('/desk/api/cases/' + current.id + '/claim');
    if (data) { showCase(data.case); loadQueue(); $('reply').focus(); }
  });
  $('close').addEventListener('click', async () => {
    if (!window.confirm('Fall schließen? Die Person spricht danach wieder mit Lotse.')) return;
    const data = await post('/desk/api/cases/' + current.id + '/close');
    if (data) { showCase(data.case); loadQueue(); pollMessages(); }
  });
  $('composer').addEventListener('submit', async (event) => {
    event.preventDefault();
    const text = $('reply').value.trim();
    if (!text || !current) return;
    $('send').disabled = true;
    const data = await post('/desk/api/cases/' + current.id + '/messages', { text });
    $('send').disabled = false;
    if (data) {
      $('reply').value = '';
      if (data.waiting) notice(WAITING[data.waiting] || WAITING.failed);
      pollMessages();
    }
  });
  $('reply').addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) $('composer').requestSubmit();
  });
  $('logout').addEventListener('click', async () => {
    await post('/desk/logout');
    location.assign('/desk/login');
  });
  for (const id of ['office', 'language', 'status']) $(id).addEventListener('change', loadQueue);

  // --- start ---------------------------------------------------------------------------------
  async function start() {
    try { me = await api('/desk/api/me'); } catch (e) { return; }
    csrf = me.csrf_token;
    $('who').textContent = me.username;
    for (const office of me.offices || []) {
      $('office').append(new Option(office.name + (office.city ? ', ' + office.city : ''), office.id));
    }
    try {
      const texts = await (await fetch('/api/texts', { headers: { Accept: 'application/json' } })).json();
      for (const language of texts.languages || []) {
        $('language').append(new Option(language.name + ' (' + language.code + ')', language.code));
      }
    } catch (e) { /* the filter keeps "all languages" */ }
    await loadQueue();
    setInterval(loadQueue, QUEUE_EVERY_MS);
    setInterval(pollMessages, MESSAGES_EVERY_MS);
  }
  start();
})();
