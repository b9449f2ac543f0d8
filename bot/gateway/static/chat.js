/*
 * Lotse chat page: plain JavaScript, no dependencies, same origin as the aiohttp gateway.
 *
 * API contract
 *   GET  /api/texts?language=xx
 *     200 {language, dir: "ltr"|"rtl", texts: {ui_title, ui_placeholder, ui_send, ui_language},
 *          languages: [{code, name}]}                   (an unknown language gives the default, de)
 *   POST /api/messages  {conversation_id: 8-64 of [A-Za-z0-9_-], text, language?: shown language}
 *     200 {conversation_id, language, dir, messages: [{text, buttons: [{title, payload}]}]}
 *     4xx/5xx {error: "<human-readable, in the conversation language>"}
 *     (with "deleted": true after "delete my data": the page then forgets the transcript and the id)
 *   GET  /api/messages/poll?conversation_id=..&after=<message id>      (every 3 s while the page is open)
 *     200 {messages: [{id, text}], handoff: "open"|"claimed"|null}     counsellor replies, shown as
 *          "msg bot counsellor" bubbles (textContent only)
 *   A quick reply is posted as its payload; the page shows its title as the user's bubble.
 *   On an error the message appears as a notice ("msg notice"), the user's bubble is taken back and
 *   the typed text stays in the input, so pressing send again retries (e.g. after a 503).
 *
 * Browser state (localStorage): lotse.conversation_id, lotse.language, lotse.transcript
 * (the shown messages, [{who: "user"|"bot", text, buttons?, counsellor?}]; notices are not kept)
 * and lotse.after (the newest counsellor message shown).
 * An empty transcript on load sends a hidden "/greet", so the bot greets with language buttons.
 */
'use strict';
(() => {
  const $ = (id) => document.getElementById(id);
  const html = document.documentElement;
  const log = $('log'), input = $('message'), sendButton = $('send'), picker = $('language');
  const KEY = { id: 'lotse.conversation_id', lang: 'lotse.language', transcript: 'lotse.transcript', after: 'lotse.after' };
  const POLL_EVERY_MS = 3000;
  const ID_RE = /^[A-Za-z0-9_-]{8,64}$/;
  const RTL = ['ar', 'fa', 'ps', 'ckb'];
  const MAX_ENTRIES = 300;
  const OFFLINE = {
    de: 'Der Server ist nicht erreichbar. Bitte senden Sie die Nachricht später noch einmal.',
    en: 'The server cannot be reached. Please send your message again later.',
    uk: 'Сервер недоступний. Будь ласка, надішліть повідомлення ще раз пізніше.',
    ar: 'لا يمكن الوصول إلى الخادم. يرجى إرسال رسالتك مرة أخرى لاحقًا.',
  };

  const store = {
    get(key) { try { return localStorage.getItem(key); } catch (e) { return null; } },
    set(key, value) { try { localStorage.setItem(key, value); } catch (e) { /* storage off or full */ } },
  };

  // --- conversation id and transcript ------------------------------------------------------
  function newConversationId() {
    const bytes = crypto.getRandomValues(new Uint8Array(24)); // 32 base64url characters
    return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }
  let conversationId = store.get(KEY.id);
  if (!ID_RE.test(conversationId || '')) store.set(KEY.id, (conversationId = newConversationId()));

  function loadTranscript() {
    try {
      const entries = JSON.parse(store.get(KEY.transcript) || '[]');
      return Array.isArray(entries)
        ? entries.filter((e) => e && (e.who === 'user' || e.who === 'bot') && typeof e.text === 'string')
        : [];
    } catch (e) { return []; }
  }
  let transcript = loadTranscript();
  function remember(entry) {
    transcript = transcript.concat(entry).slice(-MAX_ENTRIES);
    store.set(KEY.transcript, JSON.stringify(transcript));
  }

  // --- language and UI texts ---------------------------------------------------------------
  function initialLanguage() {
    const saved = store.get(KEY.lang);
    if (saved && /^[a-z]{2,3}$/.test(saved)) return saved;
    const browser = (navigator.language || '').slice(0, 2).toLowerCase();
    return Array.from(picker.options, (o) => o.value).includes(browser) ? browser : 'de';
  }
  let lang = initialLanguage();

  function setPageLanguage(code, dir) {
    lang = code;
    html.lang = code;
    html.dir = dir === 'rtl' || dir === 'ltr' ? dir : (RTL.includes(code) ? 'rtl' : 'ltr');
    picker.value = code;
    store.set(KEY.lang, code);
  }

  let textsRequest = 0; // only the newest /api/texts answer is applied
  async function loadTexts(code, dir) {
    const request = ++textsRequest;
    setPageLanguage(code, dir);
    try {
      const response = await fetch('/api/texts?language=' + encodeURIComponent(code), { headers: { Accept: 'application/json' } });
      if (!response.ok) return;
      const data = await response.json();
      if (request !== textsRequest) return;
      if (Array.isArray(data.languages) && data.languages.length) {
        picker.replaceChildren(...data.languages.map((l) => Object.assign(new Option(l.name, l.code), { lang: l.code })));
      }
      setPageLanguage(data.language || code, data.dir);
      const t = data.texts || {};
      if (t.ui_title) document.title = $('title').textContent = t.ui_title;
      if (t.ui_placeholder) input.placeholder = $('message-label').textContent = t.ui_placeholder;
      if (t.ui_send) sendButton.textContent = t.ui_send;
      if (t.ui_language) $('language-label').textContent = t.ui_language;
    } catch (e) { /* keep the texts shown so far */ }
  }

  // --- rendering (textContent only; links are built as elements) ---------------------------
  function appendLinkified(parent, text) {
    let last = 0;
    for (const match of text.matchAll(/https?:\/\/[^\s<>"]+/gi)) {
      const raw = match[0].replace(/[.,;:!?')\]}»،]+$/, '');
      let url = null;
      try { url = new URL(raw); } catch (e) { /* not a URL: stays text */ }
      if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) continue;
      const link = Object.assign(document.createElement('a'), { href: url.href, target: '_blank', rel: 'noopener' });
      link.textContent = raw;
      parent.append(text.slice(last, match.index), link);
      last = match.index + raw.length;
    }
    parent.append(text.slice(last));
  }

  function addBubble(who, text, counsellor) {
    const bubble = document.createElement('div');
    bubble.className = 'msg ' + who + (counsellor ? ' counsellor' : '');
    if (who === 'bot' && !counsellor) appendLinkified(bubble, text); else bubble.textContent = text;
    log.append(bubble);
    return bubble;
  }

  function addQuickReplies(buttons) {
    if (!buttons || !buttons.length) return;
    const group = document.createElement('div');
    group.className = 'quick-replies';
    group.setAttribute('role', 'group');
    for (const { title, payload } of buttons) {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'quick-reply';
      button.textContent = title;
      button.addEventListener('click', () => submit(payload, title, false));
      group.append(button);
    }
    log.append(group);
  }

  /** Disables the offered quick replies and returns them (to enable again after an error). */
  function disableQuickReplies() {
    const offered = Array.from(log.querySelectorAll('.quick-reply:not(:disabled)'));
    offered.forEach((b) => { b.disabled = true; });
    return offered;
  }

  function render(entry) {
    if (entry.who === 'user') { disableQuickReplies(); return addBubble('user', entry.text); }
    if (entry.text) addBubble('bot', entry.text, entry.counsellor === true);
    addQuickReplies(entry.buttons);
    return null;
  }

  const scrollDown = () => { log.scrollTop = log.scrollHeight; };

  // --- sending -----------------------------------------------------------------------------
  let busy = false;
  function setBusy(on) {
    busy = on;
    sendButton.disabled = on;
    $('typing').hidden = !on;
    log.setAttribute('aria-busy', String(on));
  }

  // A message lost to a network drop (or an unavailable Lotse) is sent again by itself: when the
  // browser is back online, and every 5 s. Sending anything else successfully drops it.
  let pending = null;
  function resendPending() {
    if (!pending || busy) return;
    const again = pending;
    pending = null;
    submit(again.text, again.shown, again.fromInput);
  }
  window.addEventListener('online', resendPending);
  setInterval(resendPending, 5000);

  /** Posts `text`; `shown` is the user's bubble (null: none), `fromInput` clears the box on success. */
  async function submit(text, shown, fromInput) {
    if (busy || !text) return;
    setBusy(true);
    const offered = shown === null ? [] : disableQuickReplies();
    const bubble = shown === null ? null : render({ who: 'user', text: shown });
    scrollDown();
    let error = null;
    let retry = false;
    try {
      const response = await fetch('/api/messages', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ conversation_id: conversationId, text, language: lang }),
      });
      const data = await response.json().catch(() => null);
      if (!response.ok || !data || !Array.isArray(data.messages)) {
        error = (data && typeof data.error === 'string' && data.error) || OFFLINE[lang] || OFFLINE.de;
        retry = response.status === 503;
      } else {
        pending = null;
        showAnswer(data, shown);
        if (fromInput && input.value.trim() === text) { input.value = ''; autosize(); }
      }
    } catch (e) {
      error = OFFLINE[lang] || OFFLINE.de;
      retry = true;
    }
    if (error) {
      if (bubble) bubble.remove();
      offered.forEach((b) => { b.disabled = false; });
      addBubble('notice', error);
      if (retry) pending = { text, shown, fromInput };
    }
    setBusy(false);
    scrollDown();
    const focused = document.activeElement; // a pressed quick reply is now disabled: move focus on
    if (shown !== null && (!focused || focused === document.body || focused.disabled)) {
      (log.querySelector('.quick-reply:not(:disabled)') || input).focus({ preventScroll: true });
    }
  }

  function showAnswer(data, shown) {
    const keep = data.deleted !== true; // after "delete my data" nothing of it is kept in the browser
    if (shown !== null && keep) remember({ who: 'user', text: shown });
    for (const message of data.messages) {
      const buttons = (Array.isArray(message && message.buttons) ? message.buttons : [])
        .filter((b) => b && typeof b.payload === 'string' && b.payload)
        .map((b) => ({ title: String(b.title || b.payload), payload: b.payload }));
      const entry = { who: 'bot', text: String((message && message.text) || '') };
      if (buttons.length) entry.buttons = buttons;
      if (keep) remember(entry);
      render(entry);
    }
    if (!keep) {
      transcript = [];
      store.set(KEY.transcript, '[]');
      store.set(KEY.id, (conversationId = newConversationId()));
      store.set(KEY.after, String((after = 0)));
      return;
    }
    if (ID_RE.test(data.conversation_id || '') && data.conversation_id !== conversationId) {
      store.set(KEY.id, (conversationId = data.conversation_id));
    }
    if (typeof data.language === 'string' && data.language) {
      if (data.language !== lang) loadTexts(data.language, data.dir); else setPageLanguage(lang, data.dir);
    }
  }

  // --- counsellor replies (human handoff) --------------------------------------------------
  let after = Number(store.get(KEY.after)) || 0;
  let polling = false;
  async function poll() {
    if (polling) return;
    polling = true;
    const id = conversationId;
    try {
      const query = '?conversation_id=' + encodeURIComponent(id) + '&after=' + after;
      const response = await fetch('/api/messages/poll' + query, { headers: { Accept: 'application/json' } });
      const data = response.ok ? await response.json() : null;
      const messages = data && Array.isArray(data.messages) && id === conversationId ? data.messages : [];
      for (const message of messages) {
        if (!message || typeof message.id !== 'number' || message.id <= after || typeof message.text !== 'string') continue;
        store.set(KEY.after, String((after = message.id)));
        const entry = { who: 'bot', text: message.text, counsellor: true };
        remember(entry);
        render(entry);
        scrollDown();
      }
    } catch (e) { /* offline for now: try again at the next tick */ }
    polling = false;
  }

  // --- wiring ------------------------------------------------------------------------------
  function autosize() {
    input.style.height = 'auto';
    input.style.height = input.scrollHeight + input.offsetHeight - input.clientHeight + 'px';
  }
  function sendInput() { submit(input.value.trim(), input.value.trim(), true); }

  $('composer').addEventListener('submit', (event) => { event.preventDefault(); sendInput(); });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) { event.preventDefault(); sendInput(); }
  });
  input.addEventListener('input', autosize);
  picker.addEventListener('change', () => loadTexts(picker.value));

  loadTexts(lang);
  transcript.forEach(render);
  scrollDown();
  if (!transcript.length) submit('/greet', null, false);
  setInterval(poll, POLL_EVERY_MS);
})();
