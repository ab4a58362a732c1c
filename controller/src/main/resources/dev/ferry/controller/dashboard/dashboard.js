// Ferry's dashboard: one page fed by the API's watch WebSocket. Plain modern JavaScript, no
// packages. Every value from the API reaches the page as text (textContent), never as HTML.
// The token lives in this tab's sessionStorage; it travels in an Authorization header (fetch)
// or as a WebSocket subprotocol (browsers cannot set headers on a WebSocket), never in a URL.
'use strict';

(() => {
  const TOKEN_KEY = 'ferry.token';
  const KINDS = { Node: 'nodes', StatefulApp: 'statefulapps', Dataset: 'datasets', Migration: 'migrations', Event: 'events' };
  const STEPS = ['Quiesce', 'FinalSync', 'Switch', 'Start'];
  const FINISHED = ['Succeeded', 'RolledBack', 'Failed'];
  const MAX_EVENTS = 100;
  // The server sends a heartbeat every few seconds: this much silence means the link is dead.
  const SILENCE_MS = 45000;

  const state = { objects: emptyObjects(), resourceVersion: 0, socket: null, opened: false, backoff: 1000,
    retry: null, lastFrame: 0, signedOut: true, moveChoice: {}, moveMessage: {} };

  function emptyObjects() {
    const objects = {};
    Object.keys(KINDS).forEach(k => { objects[k] = new Map(); });
    return objects;
  }

  const $ = id => document.getElementById(id);

  /** An element with attributes and children (strings become text nodes). */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => {
      if (v === undefined || v === null || v === false) return;
      if (k === 'class') node.className = v;
      else if (k === 'text') node.textContent = v;
      else node.setAttribute(k, v === true ? '' : String(v));
    });
    children.flat().forEach(c => {
      if (c === undefined || c === null || c === false) return;
      node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    });
    return node;
  }

  // ---- formatting ---------------------------------------------------------------------------

  function bytes(n) {
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
    let value = Number(n) || 0;
    let unit = 0;
    while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit++; }
    return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
  }

  function seconds(ms) {
    if (!(ms >= 0)) return '';
    if (ms < 1000) return `${Math.round(ms)} ms`;
    const s = ms / 1000;
    if (s < 60) return `${s.toFixed(1)} s`;
    const whole = Math.round(s);
    return whole < 3600 ? `${Math.floor(whole / 60)} min ${whole % 60} s` : `${Math.floor(whole / 3600)} h ${Math.floor(whole % 3600 / 60)} min`;
  }

  function time(iso) {
    if (!iso) return '';
    const d = new Date(iso);
    return isNaN(d) ? '' : d.toLocaleTimeString();
  }

  function ago(iso) {
    const d = Date.parse(iso || '');
    return isNaN(d) ? 'never' : `${seconds(Math.max(0, Date.now() - d))} ago`;
  }

  /** A condition's status as a symbol and its word: never colour alone. */
  function mark(status) {
    return status === 'True' ? '✓ True' : status === 'False' ? '✗ False' : '? Unknown';
  }

  function phaseLabel(phase) {
    switch (phase) {
      case 'Succeeded': return '✓ Succeeded';
      case 'RolledBack': return '↩ RolledBack';
      case 'Failed': return '✗ Failed';
      default: return `▶ ${phase || 'Pending'}`;
    }
  }

  function condition(obj, type) {
    return ((obj.status || {}).conditions || []).find(c => c.type === type);
  }

  function conditionList(conditions) {
    if (!conditions || conditions.length === 0) return el('p', { class: 'empty', text: 'no conditions yet' });
    return el('ul', { class: 'plain conditions' }, conditions.map(c => el('li', {},
      el('span', { class: `state ${c.status === 'True' ? 'good' : c.status === 'False' ? 'bad' : ''}`, text: `${mark(c.status)}` }),
      ` ${c.type}`, c.reason ? ` (${c.reason})` : '', c.message ? `: ${c.message}` : '')));
  }

  function dl(pairs) {
    return el('dl', {}, pairs.filter(p => p[1] !== undefined && p[1] !== null && p[1] !== '')
      .flatMap(([k, v]) => [el('dt', { text: k }), el('dd', {}, v)]));
  }

  // ---- rendering ----------------------------------------------------------------------------

  let renderQueued = false;
  function render() {
    if (renderQueued) return;
    renderQueued = true;
    requestAnimationFrame(() => {
      renderQueued = false;
      renderNow();
    });
  }

  function sorted(kind, by) {
    return [...state.objects[kind].values()].sort(by || ((a, b) => a.metadata.name.localeCompare(b.metadata.name)));
  }

  /**
   * Keeps one card per item in {@code container}, built again only when what it shows changed,
   * so a half-made choice (the move target) and the focus survive the updates of other cards.
   */
  function renderCards(container, items, emptyText, signature, build) {
    const wanted = new Map(items.map(item => [item.metadata.name, item]));
    [...container.children].forEach(child => {
      if (!child.dataset.name || !wanted.has(child.dataset.name)) child.remove();
    });
    if (items.length === 0) {
      container.replaceChildren(el('p', { class: 'empty', text: emptyText }));
      return;
    }
    items.forEach((item, index) => {
      const name = item.metadata.name;
      const sig = signature(item);
      let card = [...container.children].find(c => c.dataset.name === name);
      if (!card || card.dataset.sig !== sig) {
        const fresh = build(item);
        fresh.dataset.name = name;
        fresh.dataset.sig = sig;
        if (card) card.replaceWith(fresh); else container.append(fresh);
        card = fresh;
      }
      if (container.children[index] !== card) container.insertBefore(card, container.children[index] || null);
    });
  }

  function renderNow() {
    const nodes = sorted('Node');
    const nodeNames = nodes.map(n => n.metadata.name);
    renderCards($('nodes'), nodes, 'no nodes', n => JSON.stringify([n, Math.floor(Date.now() / 10000)]), nodeCard);
    renderCards($('apps'), sorted('StatefulApp'), 'no stateful apps',
      a => JSON.stringify([a, nodeNames, state.moveMessage[a.metadata.name] || '']), a => appCard(a, nodeNames));
    renderCards($('datasets'), sorted('Dataset'), 'no datasets', d => JSON.stringify(d), datasetCard);
    const migrations = sorted('Migration', (a, b) => (b.metadata.creationTimestamp || '').localeCompare(a.metadata.creationTimestamp || '')
      || a.metadata.name.localeCompare(b.metadata.name));
    renderCards($('migrations'), migrations, 'no migrations',
      // A migration under way shows times that grow: its card is built again every second.
      m => JSON.stringify([m, FINISHED.includes((m.status || {}).phase) ? 0 : Math.floor(Date.now() / 1000)]), migrationCard);
    renderEvents();
  }

  function nodeCard(node) {
    const spec = node.spec || {};
    const status = node.status || {};
    const ready = condition(node, 'Ready');
    const size = status.poolSizeBytes || 0;
    const used = Math.max(0, size - (status.poolFreeBytes || 0));
    const attributes = Object.entries(spec.attributes || {}).map(([k, v]) => `${k}=${v}`).join(', ');
    const usage = size > 0
      ? [el('meter', { min: 0, max: size, value: used, 'aria-label': `pool ${spec.pool} usage` }),
        el('span', { text: `${bytes(used)} used of ${bytes(size)} (${Math.round(used * 100 / size)}%), ${bytes(status.poolFreeBytes || 0)} free` })]
      : 'not reported yet';
    return el('article', { class: 'card node' },
      // A Node lives under its agent's etcd lease: one that is listed has a live agent.
      el('h3', {}, node.metadata.name, ' ', el('span', { class: `state ${!ready || ready.status === 'True' ? 'good' : 'bad'}`,
        text: ready ? (ready.status === 'True' ? '✓ Ready' : '✗ Not ready') : '✓ Up (agent registered)' })),
      dl([['hostname', spec.hostname], ['address', spec.address], ['attributes', attributes || 'none'],
        ['pool', spec.pool], ['pool usage', usage], ['agent', spec.agentVersion], ['heartbeat', ago(status.lastHeartbeat)]]),
      ready && ready.status !== 'True' ? conditionList([ready]) : null);
  }

  function appCard(app, nodeNames) {
    const name = app.metadata.name;
    const status = app.status || {};
    const spec = app.spec || {};
    const marathon = status.marathon;
    const dataset = (spec.dataset || {}).name;
    const task = marathon
      ? `${marathon.appId}: ${marathon.tasksRunning || 0} running, ${marathon.tasksHealthy || 0} healthy`
        + (marathon.version ? ` (version ${marathon.version})` : '')
      : 'no Marathon app yet';
    const card = el('article', { class: 'card app' },
      el('h3', {}, name, ' ', el('span', { class: 'state phase', text: `${status.phase || 'Pending'}` })),
      dl([['node', status.node || 'not placed yet'], ['dataset', dataset || 'none'], ['Marathon task', task]]),
      conditionList(status.conditions));
    if (dataset) card.append(moveForm(name, status.node, nodeNames));
    return card;
  }

  function moveForm(app, current, nodeNames) {
    const targets = nodeNames.filter(n => n !== current);
    const id = `move-${app}`;
    const select = el('select', { id, name: 'to' }, targets.map(n => el('option', { value: n, text: n })));
    if (targets.includes(state.moveChoice[app])) select.value = state.moveChoice[app];
    select.addEventListener('change', () => { state.moveChoice[app] = select.value; });
    const button = el('button', { type: 'submit', class: 'move-button', disabled: targets.length === 0 || !current }, 'Move');
    const form = el('form', { class: 'move', method: 'post' },
      el('label', { for: id, text: 'Move to' }), select, button,
      el('p', { class: 'move-message', role: 'alert', text: state.moveMessage[app] || '' }));
    form.addEventListener('submit', event => {
      event.preventDefault();
      button.disabled = true;
      move(app, select.value);
    });
    return form;
  }

  function datasetCard(dataset) {
    const spec = dataset.spec || {};
    const copies = Object.entries((dataset.status || {}).copies || {}).sort(([a], [b]) => a.localeCompare(b));
    return el('article', { class: 'card dataset' },
      el('h3', { text: dataset.metadata.name }),
      dl([['primary', spec.primary || 'not placed yet'], ['size', spec.size], ['moving in', spec.migration]]),
      copies.length === 0 ? el('p', { class: 'empty', text: 'no copies yet' })
        : el('ul', { class: 'plain copies' }, copies.map(([node, copy]) => {
          const snapshots = copy.snapshots || [];
          const newest = snapshots[snapshots.length - 1];
          return el('li', {}, el('strong', { text: node }), node === spec.primary ? ' (primary)' : '',
            `: ${bytes(copy.usedBytes)} used, ${copy.mounted ? 'mounted' : 'not mounted'}, ${copy.readonly ? 'read-only' : 'writable'}; `,
            newest ? `newest snapshot ${newest.name} at ${time(newest.created)} (${snapshots.length} in all)` : 'no snapshots');
        })),
      conditionList((dataset.status || {}).conditions));
  }

  function migrationCard(m) {
    const spec = m.spec || {};
    const status = m.status || {};
    const phase = status.phase || 'Pending';
    const finished = FINISHED.includes(phase);
    const card = el('article', { class: 'card migration' },
      el('h3', {}, m.metadata.name, ' ', el('span', { class: `state phase ${phase === 'Succeeded' ? 'good' : finished ? 'bad' : ''}`,
        text: phaseLabel(phase) })),
      dl([['app', spec.statefulApp], ['move', `${spec.from || '?'} → ${spec.to}`], ['strategy', spec.strategy],
        ['started', time(status.startTime)], ['sent', `${bytes(status.bytesTransferred || 0)} in ${(status.rounds || []).length} round(s)`]]),
      timeline(status, phase));
    if (!finished) card.append(progress(m));
    if (status.downtime) card.append(el('p', { class: 'downtime', text: `Downtime: ${status.downtime}` }));
    if (status.message) card.append(el('p', { class: 'message', text: status.message }));
    return card;
  }

  /** The rounds, then Quiesce, FinalSync, Switch and Start, each with how long it took (or takes). */
  function timeline(status, phase) {
    const times = status.phaseTimes || {};
    const finished = FINISHED.includes(phase);
    const entered = Object.entries(times).map(([p, t]) => [p, Date.parse(t)]).filter(([, t]) => !isNaN(t))
      .sort((a, b) => a[1] - b[1]);
    const endOf = p => {
      const i = entered.findIndex(([q]) => q === p);
      if (i < 0) return NaN;
      if (i + 1 < entered.length) return entered[i + 1][1];
      return finished ? Date.parse(status.completionTime || '') : Date.now();
    };
    const items = (status.rounds || []).map(r => el('li', { class: 'done' },
      `✓ done · round ${r.number}${r.number === 0 ? ' (full copy)' : ''} · ${bytes(r.bytes)}${r.duration ? ` in ${r.duration}` : ''}`));
    const transfer = status.transfer;
    if (transfer && !finished && transfer.state !== 'Succeeded') {
      items.push(el('li', { class: 'now' }, `▶ now · round ${transfer.round} · ${transfer.state}${transfer.bytes ? ` · ${bytes(transfer.bytes)}` : ''}`));
    }
    STEPS.forEach(step => {
      const start = times[step] ? Date.parse(times[step]) : NaN;
      if (isNaN(start)) {
        items.push(el('li', { class: 'todo' }, finished ? `– skipped · ${step}` : `○ to come · ${step}`));
      } else if (!finished && step === phase) {
        items.push(el('li', { class: 'now' }, `▶ now · ${step} · ${seconds(Date.now() - start)} so far`));
      } else {
        items.push(el('li', { class: 'done' }, `✓ done · ${step} · ${seconds(endOf(step) - start)}`));
      }
    });
    items.push(finished
      ? el('li', { class: 'done end' }, `${phaseLabel(phase)} · at ${time(status.completionTime || times[phase])}`)
      : el('li', { class: 'todo' }, '○ to come · the end'));
    return el('ol', { class: 'timeline', 'aria-label': 'phase timeline' }, items);
  }

  /** Bytes sent (finished rounds plus the round under way) against the source copy's size, the rate and the time left. */
  function progress(m) {
    const status = m.status || {};
    const transfer = status.transfer || {};
    const running = transfer.state === 'Running';
    const sent = (status.bytesTransferred || 0) + (running ? transfer.bytes || 0 : 0);
    const dataset = state.objects.Dataset.get((m.spec || {}).dataset || '');
    const copy = dataset && ((dataset.status || {}).copies || {})[(m.spec || {}).from];
    const total = copy ? copy.usedBytes || 0 : 0;
    const started = Date.parse(status.startTime || '');
    const elapsed = isNaN(started) ? 0 : (Date.now() - started) / 1000;
    const rate = running && transfer.bytesPerSecond > 0 ? transfer.bytesPerSecond : elapsed > 0 ? sent / elapsed : 0;
    const parts = [`${bytes(sent)} sent`];
    let bar;
    if (total > 0) {
      const percent = Math.min(100, Math.floor(sent * 100 / total));
      parts.unshift(`${percent}%`);
      parts[1] += ` of ${bytes(total)}`;
      bar = el('progress', { max: total, value: Math.min(sent, total), 'aria-label': 'bytes sent' });
      if (rate > 0 && total > sent) parts.push(`ETA ${seconds((total - sent) / rate * 1000)}`);
    } else {
      bar = el('progress', { 'aria-label': 'bytes sent' });
    }
    parts.splice(total > 0 ? 2 : 1, 0, `${bytes(rate)}/s`);
    return el('div', { class: 'progress' }, bar, el('p', { class: 'progress-text', text: parts.join(' · ') }));
  }

  function renderEvents() {
    const events = sorted('Event', (a, b) => ((b.spec || {}).lastTimestamp || '').localeCompare((a.spec || {}).lastTimestamp || '')
      || (b.metadata.resourceVersion || 0) - (a.metadata.resourceVersion || 0)).slice(0, MAX_EVENTS);
    const list = $('events');
    if (events.length === 0) {
      list.replaceChildren(el('li', { class: 'empty', text: 'no events' }));
      return;
    }
    list.replaceChildren(...events.map(e => {
      const s = e.spec || {};
      const involved = s.involvedObject || {};
      return el('li', {}, el('time', { datetime: s.lastTimestamp, text: time(s.lastTimestamp) }), ' ',
        el('span', { class: `state ${s.type === 'Warning' ? 'bad' : ''}`, text: s.type === 'Warning' ? '⚠ Warning' : 'ℹ Normal' }),
        ` ${s.reason} ${(involved.kind || '').toLowerCase()}/${involved.name || ''}: ${s.message || ''}`,
        s.count > 1 ? ` (×${s.count})` : '', s.source ? ` — ${s.source}` : '');
    }));
  }

  // ---- the API ------------------------------------------------------------------------------

  function token() {
    return sessionStorage.getItem(TOKEN_KEY) || '';
  }

  async function api(method, path, body) {
    const headers = { Authorization: `Bearer ${token()}` };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store', credentials: 'omit', referrerPolicy: 'no-referrer' });
    let answer = {};
    try { answer = await response.json(); } catch (e) { answer = {}; }
    return { status: response.status, body: answer };
  }

  /** Creates the Migration {@code ferryctl migrate APP --to NODE} creates. */
  async function move(app, to) {
    const current = state.objects.StatefulApp.get(app);
    const from = ((current || {}).status || {}).node || '';
    const dataset = (((current || {}).spec || {}).dataset || {}).name || '';
    const stamp = (Math.floor(Date.now() / 1000).toString(36) + (36 + Math.floor(Math.random() * 36 * 35)).toString(36).slice(0, 2)).toLowerCase();
    const base = app.length + 1 + stamp.length > 63 ? app.slice(0, 62 - stamp.length) : app;
    const name = `${base.replace(/-+$/, '')}-${stamp}`;
    const manifest = { apiVersion: 'ferry/v1', kind: 'Migration', metadata: { name },
      spec: { statefulApp: app, from, to, strategy: 'PreCopy', dataset } };
    setMoveMessage(app, `asking to move ${app} from ${from} to ${to}…`);
    try {
      const answer = await api('PUT', `/apis/ferry/v1/migrations/${encodeURIComponent(name)}`, manifest);
      if (answer.status === 200 || answer.status === 201) {
        setMoveMessage(app, `migration/${name} created: ${app} moves from ${from} to ${to}`);
      } else {
        setMoveMessage(app, `refused (${answer.status}): ${answer.body.message || answer.body.reason || 'no reason given'}`);
        if (answer.status === 401) signOut('the token is no longer valid: sign in again');
      }
    } catch (e) {
      setMoveMessage(app, `the controller did not answer: ${e.message}`);
    }
  }

  function setMoveMessage(app, text) {
    state.moveMessage[app] = text;
    render();
  }

  function notice(text) {
    const n = $('notice');
    n.textContent = text || '';
    n.hidden = !text;
  }

  function connection(text) {
    $('connection').textContent = text;
  }

  // ---- the watch ----------------------------------------------------------------------------

  /** The token as a WebSocket subprotocol value: base64url without padding, so any token fits. */
  function tokenProtocol(t) {
    const raw = String.fromCharCode(...new TextEncoder().encode(t));
    return `ferry.bearer.${btoa(raw).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}`;
  }

  function connect() {
    state.retry = null;
    if (state.signedOut) return;
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const url = `${scheme}//${location.host}/apis/ferry/v1/watch?kind=${Object.values(KINDS).join(',')}`
      + `&resourceVersion=${state.resourceVersion}`;
    connection(state.resourceVersion > 0 ? `resuming the watch from resourceVersion ${state.resourceVersion}…` : 'connecting…');
    let socket;
    try {
      socket = new WebSocket(url, ['ferry.v1', tokenProtocol(token())]);
    } catch (e) {
      connection(`cannot open the watch: ${e.message}`);
      return;
    }
    state.socket = socket;
    state.opened = false;
    const listing = state.resourceVersion === 0;
    socket.onopen = () => {
      // A watch from version 0 lists everything first (ADDED frames): start from nothing.
      if (listing) state.objects = emptyObjects();
      state.opened = true;
      state.backoff = 1000;
      state.lastFrame = Date.now();
      connection('● live: updates as they happen');
    };
    socket.onmessage = message => {
      state.lastFrame = Date.now();
      let frame;
      try { frame = JSON.parse(message.data); } catch (e) { return; }
      onFrame(frame);
    };
    socket.onclose = event => onClose(socket, event);
  }

  function onFrame(frame) {
    switch (frame.type) {
      case 'ADDED':
      case 'MODIFIED':
      case 'DELETED': {
        const obj = frame.object || {};
        const objects = state.objects[obj.kind];
        if (objects && obj.metadata) {
          if (frame.type === 'DELETED') objects.delete(obj.metadata.name); else objects.set(obj.metadata.name, obj);
        }
        state.resourceVersion = Math.max(state.resourceVersion, frame.resourceVersion || 0);
        render();
        break;
      }
      case 'SYNCED':
        state.resourceVersion = Math.max(state.resourceVersion, frame.resourceVersion || 0);
        render();
        break;
      case 'ERROR':
        if (frame.code === 410) {
          // The history after our version is gone: list everything again.
          state.resourceVersion = 0;
        } else if (frame.code === 401) {
          signOut(`signed out: ${frame.message}`);
        } else {
          notice(`the watch ended: ${frame.message}`);
        }
        break;
      default:
        break;
    }
  }

  async function onClose(socket, event) {
    if (state.socket !== socket) return;
    state.socket = null;
    if (state.signedOut) return;
    if (event.code === 4401) {
      signOut('signed out: the token was revoked');
      return;
    }
    if (event.code === 4410) state.resourceVersion = 0;
    if (!state.opened) {
      // Refused before it opened: the browser does not say why, so ask whether the token is still good.
      try {
        const check = await api('GET', '/version');
        if (check.status === 401 || check.status === 403) {
          signOut(`signed out: ${check.body.message || 'the token is not valid'}`);
          return;
        }
      } catch (e) {
        // the controller is away: keep trying
      }
    }
    const wait = state.backoff;
    state.backoff = Math.min(15000, state.backoff * 2);
    connection(`✗ disconnected: reconnecting in ${Math.round(wait / 1000)} s`
      + (state.resourceVersion > 0 ? ` (resuming from resourceVersion ${state.resourceVersion})` : ' (listing again)'));
    state.retry = setTimeout(connect, wait);
  }

  // A connection that went silent (no heartbeat) is closed, and onClose reconnects.
  setInterval(() => {
    if (state.socket && state.opened && Date.now() - state.lastFrame > SILENCE_MS) state.socket.close(4000, 'no heartbeat');
    if (!state.signedOut && [...state.objects.Migration.values()].some(m => !FINISHED.includes((m.status || {}).phase))) render();
  }, 1000);

  // ---- signing in and out -------------------------------------------------------------------

  async function signIn(candidate) {
    $('sign-in-error').textContent = '';
    sessionStorage.setItem(TOKEN_KEY, candidate);
    let check;
    try {
      check = await api('GET', '/version');
    } catch (e) {
      sessionStorage.removeItem(TOKEN_KEY);
      $('sign-in-error').textContent = `the controller did not answer: ${e.message}`;
      return;
    }
    if (check.status !== 200) {
      sessionStorage.removeItem(TOKEN_KEY);
      $('sign-in-error').textContent = `not signed in (${check.status}): ${check.body.message || 'the token was refused'}`;
      return;
    }
    start(check.body.version);
  }

  function start(version) {
    state.signedOut = false;
    state.resourceVersion = 0;
    state.objects = emptyObjects();
    $('sign-in').hidden = true;
    $('board').hidden = false;
    $('sign-out').hidden = false;
    notice('');
    if (version) document.title = `Ferry dashboard (${version})`;
    renderNow();
    connect();
  }

  function signOut(why) {
    state.signedOut = true;
    sessionStorage.removeItem(TOKEN_KEY);
    if (state.retry) clearTimeout(state.retry);
    if (state.socket) state.socket.close(1000, 'signed out');
    state.socket = null;
    state.objects = emptyObjects();
    state.moveMessage = {};
    $('board').hidden = true;
    $('sign-out').hidden = true;
    $('sign-in').hidden = false;
    $('token').value = '';
    $('sign-in-error').textContent = why || '';
    connection('signed out');
  }

  document.addEventListener('DOMContentLoaded', () => {
    $('sign-in').addEventListener('submit', event => {
      event.preventDefault();
      const candidate = $('token').value.trim();
      $('token').value = '';
      if (candidate) signIn(candidate);
    });
    $('sign-out').addEventListener('click', () => signOut(''));
    if (token()) start(''); else signOut('');
  });
})();
