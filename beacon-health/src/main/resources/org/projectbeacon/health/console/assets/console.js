// The Beacon operator console. Every value is rendered with textContent (never as HTML), the admin
// token lives in sessionStorage only and travels as an Authorization header, actions are POSTs.
'use strict';

(function () {
  const TOKEN_KEY = 'beacon.adminToken';
  const ACTOR_KEY = 'beacon.actor';
  // Breakers every second, so a change shows within 2 s even when a poll is slow; the report every 2 s.
  const BREAKER_POLL_MS = 1000;
  const POLL_MS = 2000;
  const SVG_NS = 'http://www.w3.org/2000/svg';
  const state = { samples: [], lastSampleAt: null, health: null, scrapes: [], config: { runbook_url: '' },
    selectedLetter: null, busy: false, filter: {} };

  const $ = (id) => document.getElementById(id);

  function el(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  function token() { return sessionStorage.getItem(TOKEN_KEY) || ''; }

  // After a 401 the page stops polling the admin reads until a token is typed again, so a wrong
  // token costs one refused call per panel, not a stream of them in the audit trail.
  function canRead() { return token() !== '' && !state.tokenRefused; }

  function showMessage(text, info) {
    const box = $('message');
    box.textContent = text;
    box.className = info ? 'info' : '';
    box.hidden = !text;
  }

  function showAudit(line) {
    if (!line) return;
    $('audit-line').textContent = line;
    $('audit-last').hidden = false;
  }

  async function getJson(path, admin) {
    const headers = { Accept: 'application/json' };
    if (admin) headers.Authorization = 'Bearer ' + token();
    const response = await fetch(path, { headers, cache: 'no-store', credentials: 'omit' });
    if (admin && response.status === 401) state.tokenRefused = true;
    const body = await response.json().catch(() => ({}));
    return { status: response.status, body };
  }

  // Every action: POST, the bearer token, the actor; its audit line comes back in X-Beacon-Audit.
  async function act(path, body) {
    if (!token()) {
      showMessage('Type the admin token first: actions need it.');
      return null;
    }
    const headers = { Authorization: 'Bearer ' + token(), 'Content-Type': 'application/json' };
    const actor = sessionStorage.getItem(ACTOR_KEY);
    if (actor) headers['X-Beacon-Actor'] = actor;
    let response;
    try {
      response = await fetch(path, { method: 'POST', headers, body: body === undefined ? '' : JSON.stringify(body),
        cache: 'no-store', credentials: 'omit' });
    } catch (e) {
      showMessage('The runner did not answer: ' + e.message);
      return null;
    }
    showAudit(response.headers.get('X-Beacon-Audit'));
    const json = await response.json().catch(() => ({}));
    if (response.status === 401) {
      state.tokenRefused = true;
      updateTokenState();
      showMessage('The admin token was refused (401 unauthorized): nothing was changed. Check the token and type it again.');
      return null;
    }
    if (response.status === 403) {
      showMessage('The admin API is disabled on this runner (403): nothing was changed.');
      return null;
    }
    if (response.status >= 400) {
      showMessage('Refused (' + response.status + '): ' + (json.error || 'no detail'));
      return null;
    }
    refreshAudit();
    return json;
  }

  // ---- breakers ----

  function rate(value, buffered) {
    if (value === null || value === undefined) return 'not enough calls';
    return value.toFixed(1) + ' %';
  }

  function ago(sinceIso, nowIso) {
    const seconds = Math.max(0, Math.round((Date.parse(nowIso) - Date.parse(sinceIso)) / 1000));
    if (seconds < 60) return seconds + ' s';
    if (seconds < 3600) return Math.floor(seconds / 60) + ' min ' + (seconds % 60) + ' s';
    return Math.floor(seconds / 3600) + ' h ' + Math.floor((seconds % 3600) / 60) + ' min';
  }

  function actionButton(label, onClick, danger) {
    const button = el('button', label, danger ? 'admin danger' : 'admin');
    button.type = 'button';
    button.addEventListener('click', onClick);
    return button;
  }

  async function breakerAction(name, operation) {
    const suffix = operation === 'force-open' ? '?duration=' + encodeURIComponent($('force-duration').value) : '';
    const result = await act('/api/v1/admin/circuit-breakers/' + encodeURIComponent(name) + '/' + operation + suffix);
    if (result) {
      showMessage(name + ': ' + operation + ' done, now ' + result.state, true);
      await refreshBreakers();
    }
  }

  function renderBreakers(json) {
    const body = $('breakers').tBodies[0];
    const rows = json.circuit_breakers.map((b) => {
      const row = el('tr');
      row.dataset.breaker = b.name;
      row.appendChild(el('td', b.name));
      const stateCell = el('td');
      stateCell.appendChild(el('span', b.state, 'state ' + b.state));
      if (b.forced_open_until) stateCell.appendChild(el('div', 'until ' + b.forced_open_until, 'muted'));
      row.appendChild(stateCell);
      row.appendChild(el('td', rate(b.failure_rate, b.buffered_calls)));
      row.appendChild(el('td', rate(b.slow_call_rate, b.buffered_calls)));
      row.appendChild(el('td', b.buffered_calls + ' (' + b.failed_calls + ' failed, ' + b.slow_calls + ' slow, '
        + b.not_permitted_calls + ' rejected)'));
      row.appendChild(el('td', ago(b.since, json.at)));
      const region = b.region_fallback;
      row.appendChild(el('td', region ? region.dependency + ' ' + region.region + (region.in_use ? ' (in use)' : '') : '—'));
      const actions = el('td');
      actions.appendChild(actionButton('Reset', () => breakerAction(b.name, 'reset')));
      actions.appendChild(actionButton('Force open', () => breakerAction(b.name, 'force-open'), true));
      actions.appendChild(actionButton('Disable', () => breakerAction(b.name, 'disable'), true));
      row.appendChild(actions);
      return row;
    });
    body.replaceChildren(...rows);
  }

  async function refreshBreakers() {
    const { status, body } = await getJson('/health/breakers', false);
    if (status === 200) renderBreakers(body);
  }

  // ---- health, history and charts ----

  async function refreshHealth() {
    const { body } = await getJson('/health/ready', false);
    state.health = body;
    const overall = $('overall');
    overall.textContent = body.status || 'UNKNOWN';
    overall.className = 'badge ' + (body.status || '');
    $('updated').textContent = 'updated ' + new Date().toLocaleTimeString();
  }

  async function refreshHistory() {
    const since = state.lastSampleAt ? '?since=' + encodeURIComponent(state.lastSampleAt) : '';
    const { status, body } = await getJson('/health/history' + since, false);
    if (status !== 200) return;
    state.windowSeconds = body.window_seconds;
    state.samples = state.samples.concat(body.samples);
    if (state.samples.length) state.lastSampleAt = state.samples[state.samples.length - 1].at;
    const oldest = Date.now() - body.window_seconds * 1000;
    state.samples = state.samples.filter((s) => Date.parse(s.at) >= oldest);
    drawCharts();
  }

  function figure(serviceName, field) {
    return state.samples.map((s) => {
      const service = s.services[serviceName];
      const value = service ? service[field] : undefined;
      return { t: Date.parse(s.at), v: typeof value === 'number' ? value : null };
    });
  }

  function svg(tag, attributes, text) {
    const node = document.createElementNS(SVG_NS, tag);
    Object.entries(attributes).forEach(([k, v]) => node.setAttribute(k, String(v)));
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function span(ms) {
    const minutes = ms / 60000;
    return '-' + (minutes >= 2 ? Math.round(minutes) + ' min' : Math.round(ms / 1000) + ' s');
  }

  // A line chart in plain SVG: no chart library, nothing fetched.
  function drawChart(id, series, threshold) {
    const chart = $(id);
    const width = 480, height = 160, left = 44, right = 8, top = 8, bottom = 20;
    const now = Date.now();
    // The whole window once it is full; until then the span since the first sample, so a runner that
    // started a minute ago does not draw its history as a sliver at the right edge.
    const first = state.samples.length ? Date.parse(state.samples[0].at) : now;
    const from = Math.max(now - (state.windowSeconds || 1800) * 1000, Math.min(first, now - 60000));
    const values = series.flatMap((s) => s.points.map((p) => p.v)).filter((v) => v !== null);
    if (threshold !== null && threshold !== undefined) values.push(threshold);
    const max = Math.max(1, ...values) * 1.1;
    const x = (t) => left + ((t - from) / (now - from)) * (width - left - right);
    const y = (v) => top + (1 - v / max) * (height - top - bottom);
    const nodes = [
      svg('line', { x1: left, y1: top, x2: left, y2: height - bottom, class: 'axis' }),
      svg('line', { x1: left, y1: height - bottom, x2: width - right, y2: height - bottom, class: 'axis' }),
      svg('text', { x: left - 4, y: top + 8, 'text-anchor': 'end', class: 'label' }, String(Math.round(max))),
      svg('text', { x: left - 4, y: height - bottom, 'text-anchor': 'end', class: 'label' }, '0'),
      svg('text', { x: left, y: height - 4, class: 'label' }, span(now - from)),
      svg('text', { x: width - right, y: height - 4, 'text-anchor': 'end', class: 'label' }, 'now'),
    ];
    if (threshold !== null && threshold !== undefined) {
      nodes.push(svg('line', { x1: left, y1: y(threshold), x2: width - right, y2: y(threshold), class: 'threshold' }));
      nodes.push(svg('text', { x: width - right, y: y(threshold) - 3, 'text-anchor': 'end', class: 'label' },
        'stuck ' + threshold));
    }
    series.forEach((s, i) => {
      const points = s.points.filter((p) => p.v !== null && p.t >= from).map((p) => x(p.t).toFixed(1) + ',' + y(p.v).toFixed(1));
      if (points.length) nodes.push(svg('polyline', { points: points.join(' '), class: 'series-' + i }));
      const last = s.points.length ? s.points[s.points.length - 1].v : null;
      nodes.push(svg('text', { x: left + 6 + i * 150, y: top + 10, class: 'label' }, s.name + ': ' + (last === null ? '—' : last)));
    });
    chart.replaceChildren(...nodes);
  }

  function lastFigure(serviceName, field) {
    for (let i = state.samples.length - 1; i >= 0; i--) {
      const service = state.samples[i].services[serviceName];
      if (service && typeof service[field] === 'number') return service[field];
    }
    return null;
  }

  function drawCharts() {
    drawChart('chart-unpublished', [{ name: 'unpublished', points: figure('outbox', 'unpublished_count') }], null);
    drawChart('chart-age', [{ name: 'oldest age s', points: figure('outbox', 'oldest_unpublished_age_seconds') }],
      lastFigure('outbox', 'stuck_threshold_age_seconds'));
    drawChart('chart-consumer', [{ name: 'lag', points: figure('consumer', 'lag') },
      { name: 'pending', points: figure('consumer', 'pending') }], null);
  }

  // ---- alerts (approximated from the same figures the Prometheus rules read) ----

  function parseMetrics(text) {
    const samples = [];
    text.split('\n').forEach((line) => {
      if (!line || line.startsWith('#')) return;
      const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([^}]*)\})?\s+(\S+)/.exec(line);
      if (!m) return;
      const labels = {};
      (m[3] || '').replace(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g, (_, k, v) => { labels[k] = v; return ''; });
      samples.push({ name: m[1], labels, value: parseFloat(m[4]) });
    });
    return samples;
  }

  function sum(scrape, name, where) {
    return scrape.samples.filter((s) => s.name === name && Object.entries(where || {}).every(([k, v]) => s.labels[k] === v))
      .reduce((a, s) => a + s.value, 0);
  }

  // The increase over the page's scrapes within the window (at most 5 min, at least two scrapes).
  function increase(name, where, windowMs) {
    const newest = state.scrapes[state.scrapes.length - 1];
    const oldest = state.scrapes.find((s) => s.at >= newest.at - windowMs) || newest;
    return sum(newest, name, where) - sum(oldest, name, where);
  }

  function p95Seconds() {
    const newest = state.scrapes[state.scrapes.length - 1];
    const oldest = state.scrapes.find((s) => s.at >= newest.at - 300000) || newest;
    const buckets = {};
    newest.samples.filter((s) => s.name === 'http_request_duration_seconds_bucket').forEach((s) => {
      buckets[s.labels.le] = (buckets[s.labels.le] || 0) + s.value;
    });
    oldest.samples.filter((s) => s.name === 'http_request_duration_seconds_bucket').forEach((s) => {
      buckets[s.labels.le] = (buckets[s.labels.le] || 0) - s.value;
    });
    const les = Object.keys(buckets).sort((a, b) => parseFloat(a) - parseFloat(b));
    const total = buckets['+Inf'] || 0;
    if (total <= 0) return null;
    const le = les.find((l) => buckets[l] >= 0.95 * total);
    return le === '+Inf' ? Infinity : parseFloat(le);
  }

  function service(name) {
    return state.health && state.health.services ? state.health.services.find((s) => s.name === name) : undefined;
  }

  const ALERTS = [
    { name: 'RunnerDown', anchor: 'runner-down', holds: () => state.unreachable === true },
    { name: 'HighJobFailureRate', anchor: 'high-job-failure-rate', holds: () => {
      const all = increase('jobs_processed_total', {}, 300000);
      return all > 0 && increase('jobs_processed_total', { outcome: 'failure' }, 300000) / all > 0.10;
    } },
    { name: 'JobsStuckInQueue', anchor: 'jobs-stuck-in-queue', holds: () => {
      const outbox = service('outbox');
      const d = outbox ? outbox.details : {};
      return d.unpublished_count > 10 && d.oldest_unpublished_age_seconds > 300;
    } },
    { name: 'JobsNotProcessed', anchor: 'jobs-not-processed', holds: () => {
      // Jobs enqueued over the last 5 minutes and none processed (the rule also waits out start-up).
      const newest = state.scrapes[state.scrapes.length - 1];
      const oldest = state.scrapes.find((s) => s.at >= newest.at - 300000) || newest;
      return newest.at - oldest.at >= 60000 && increase('jobs_enqueued_total', {}, 300000) > 0
        && increase('jobs_processed_total', {}, 300000) === 0;
    } },
    { name: 'HighHTTPLatency', anchor: 'high-http-latency', holds: () => {
      const p95 = p95Seconds();
      return p95 !== null && p95 > 2;
    } },
    { name: 'LowNegotiationSuccessRate', anchor: 'low-negotiation-success-rate', holds: () => {
      const all = increase('negotiation_probes_total', {}, 300000);
      return all > 0 && increase('negotiation_probes_total', { outcome: 'success' }, 300000) / all < 0.7;
    } },
    { name: 'StreamConsumerStalled', anchor: 'stream-consumer-stalled', holds: () => {
      const consumer = service('consumer');
      return !!consumer && consumer.details.last_read_age_seconds > 30;
    } },
    { name: 'JobsRunningPastTheirLease', anchor: 'jobs-running-past-their-lease', holds: () => {
      const newest = state.scrapes[state.scrapes.length - 1];
      return newest.samples.some((s) => s.name === 'outbox_ledger_expired_leases' && s.value > 0);
    } },
  ];

  async function refreshAlerts() {
    try {
      const response = await fetch('/metrics', { cache: 'no-store', credentials: 'omit' });
      if (response.ok) {
        state.unreachable = false;
        state.scrapes.push({ at: Date.now(), samples: parseMetrics(await response.text()) });
        state.scrapes = state.scrapes.filter((s) => s.at >= Date.now() - 600000);
      }
    } catch (e) {
      state.unreachable = true;
    }
    if (!state.scrapes.length) return;
    const items = ALERTS.map((alert) => {
      let holds;
      try { holds = alert.holds(); } catch (e) { holds = false; }
      const item = el('li', null, holds ? 'firing' : 'ok');
      item.dataset.alert = alert.name;
      item.appendChild(el('span', holds ? 'FIRING ' : 'ok '));
      const link = el('a', alert.name);
      link.href = state.config.runbook_url + '#' + alert.anchor;
      link.rel = 'noopener noreferrer';
      link.target = '_blank';
      item.appendChild(link);
      return item;
    });
    $('alerts').replaceChildren(...items);
  }

  // ---- dead letters ----

  function currentFilter() {
    const filter = {};
    const stream = $('filter-stream').value.trim();
    const errorClass = $('filter-error-class').value.trim();
    if (stream) filter.stream = stream;
    if (errorClass) filter.error_class = errorClass;
    return filter;
  }

  function query(filter) {
    const params = new URLSearchParams(filter);
    const text = params.toString();
    return text ? '&' + text : '';
  }

  async function refreshDeadLetters() {
    if (!canRead()) {
      $('dlq-locked').hidden = false;
      return;
    }
    const patterns = await getJson('/api/v1/admin/dlq/patterns', true);
    if (patterns.status === 401) {
      $('dlq-locked').hidden = false;
      $('dlq-locked').textContent = 'The admin token was refused (401): dead letters stay hidden.';
      return;
    }
    $('dlq-locked').hidden = true;
    if (patterns.status === 200) {
      $('patterns').tBodies[0].replaceChildren(...patterns.body.patterns.map((p) => {
        const row = el('tr');
        row.appendChild(el('td', p.count));
        row.appendChild(el('td', p.error_class));
        row.appendChild(el('td', p.pattern, 'error'));
        row.appendChild(el('td', p.last_seen));
        return row;
      }));
    }
    const list = await getJson('/api/v1/admin/dlq?size=50' + query(state.filter), true);
    if (list.status !== 200) return;
    $('dlq-total').textContent = list.body.total + ' dead letter(s) match' + describe(state.filter);
    $('letters').tBodies[0].replaceChildren(...list.body.items.map((d) => {
      const row = el('tr', null, 'letter' + (state.selectedLetter === d.id ? ' selected' : ''));
      row.dataset.id = d.id;
      row.appendChild(el('td', d.dead_lettered_at));
      row.appendChild(el('td', d.stream));
      row.appendChild(el('td', d.key));
      row.appendChild(el('td', d.attempts));
      row.appendChild(el('td', d.error_class));
      row.appendChild(el('td', d.error_message, 'error'));
      row.addEventListener('click', () => showLetter(d));
      return row;
    }));
  }

  function showLetter(d) {
    state.selectedLetter = d.id;
    $('detail-id').textContent = d.id;
    const fields = ['stream', 'key', 'attempts', 'error_class', 'error_message', 'error_pattern', 'created_at',
      'dead_lettered_at', 'content_type', 'payload_size', 'payload'];
    const nodes = [];
    fields.forEach((f) => {
      nodes.push(el('dt', f));
      nodes.push(el('dd', d[f] === undefined || d[f] === null ? '—' : d[f]));
    });
    nodes.push(el('dt', 'headers'));
    nodes.push(el('dd', JSON.stringify(d.headers)));
    $('detail-fields').replaceChildren(...nodes);
    $('detail-history').textContent = (d.history || []).join('\n');
    $('letter-detail').hidden = false;
  }

  function describe(filter) {
    const parts = Object.entries(filter).map(([k, v]) => k + '=' + v);
    return parts.length ? ' (' + parts.join(', ') + ')' : ' (no filter)';
  }

  let pending = null;

  async function prepare(kind) {
    const filter = currentFilter();
    state.filter = filter;
    if (kind === 'purge' && Object.keys(filter).length === 0) {
      showMessage('Purge needs a filter (stream or error class): the whole queue is never purged at once.');
      return;
    }
    const preview = await act('/api/v1/admin/dlq/preview', { filter });
    if (!preview) return;
    pending = { kind, filter, matches: preview.matches };
    $('confirm-text').textContent = (kind === 'requeue' ? 'Requeue ' : 'Purge ') + preview.matches
      + ' dead letter(s) matching' + describe(filter) + '?';
    $('confirm').dataset.matches = String(preview.matches);
    $('confirm').hidden = false;
  }

  // A bulk requeue goes in batches of ids, so the page can show its progress as it runs.
  async function requeueInBatches(filter, expected) {
    const box = $('progress-box');
    const bar = $('progress');
    bar.max = Math.max(1, expected);
    bar.value = 0;
    box.hidden = false;
    let done = 0;
    let batches = 0;
    while (done < expected && batches < 1000) {
      const page = await getJson('/api/v1/admin/dlq?size=100' + query(filter), true);
      if (page.status !== 200 || page.body.items.length === 0) break;
      const ids = page.body.items.slice(0, expected - done).map((d) => d.id);
      const result = await act('/api/v1/admin/dlq/requeue', { ids });
      if (!result) break;
      done += result.requeued;
      batches++;
      bar.value = done;
      $('progress-text').textContent = 'requeued ' + done + ' of ' + expected;
      if (result.requeued === 0) break;
    }
    $('progress-text').textContent = 'requeue finished: ' + done + ' of ' + expected + ' requeued';
    return done;
  }

  async function confirmPending() {
    const job = pending;
    pending = null;
    $('confirm').hidden = true;
    if (!job) return;
    if (job.kind === 'requeue') {
      const done = await requeueInBatches(job.filter, job.matches);
      showMessage('Requeued ' + done + ' dead letter(s)', true);
    } else {
      const result = await act('/api/v1/admin/dlq/purge', { filter: job.filter });
      if (result) showMessage('Purged ' + result.purged + ' dead letter(s)', true);
    }
    await refreshDeadLetters();
  }

  // ---- publisher and audit ----

  async function refreshPublisher() {
    if (!canRead()) return;
    const { status, body } = await getJson('/api/v1/admin/outbox/publisher', true);
    if (status !== 200) return;
    $('publisher').textContent = 'Publisher ' + (body.running ? 'running' : 'stopped') + ', backlog ' + body.backlog
      + ', breaker ' + body.breaker_state + ', last publish ' + (body.last_successful_publish || 'never')
      + (body.last_error ? ', last error ' + body.last_error : '');
  }

  async function refreshAudit() {
    if (!canRead()) return;
    const { status, body } = await getJson('/api/v1/admin/audit?limit=20', true);
    if (status !== 200) return;
    $('audit').replaceChildren(...body.entries.map((e) => el('li', e.line)));
  }

  // ---- wiring ----

  function updateTokenState() {
    $('token-state').textContent = !token() ? 'no token: read-only'
      : state.tokenRefused ? 'token refused: type it again' : 'token set for this tab';
  }

  async function tick(work) {
    try { await work(); } catch (e) { state.unreachable = true; $('updated').textContent = 'runner unreachable'; }
  }

  async function start() {
    $('actor').value = sessionStorage.getItem(ACTOR_KEY) || '';
    updateTokenState();
    $('token-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const value = $('token').value.trim();
      if (value) sessionStorage.setItem(TOKEN_KEY, value); else sessionStorage.removeItem(TOKEN_KEY);
      const actor = $('actor').value.trim();
      if (/^[A-Za-z0-9._@-]{1,64}$/.test(actor)) sessionStorage.setItem(ACTOR_KEY, actor); else sessionStorage.removeItem(ACTOR_KEY);
      $('token').value = '';
      state.tokenRefused = false;
      showMessage('');
      updateTokenState();
      tick(refreshDeadLetters);
      tick(refreshPublisher);
      tick(refreshAudit);
    });
    $('token-forget').addEventListener('click', () => {
      sessionStorage.removeItem(TOKEN_KEY);
      updateTokenState();
    });
    $('dlq-filter').addEventListener('submit', (event) => {
      event.preventDefault();
      state.filter = currentFilter();
      tick(refreshDeadLetters);
    });
    $('dlq-requeue').addEventListener('click', () => tick(() => prepare('requeue')));
    $('dlq-purge').addEventListener('click', () => tick(() => prepare('purge')));
    $('confirm-yes').addEventListener('click', () => tick(confirmPending));
    $('confirm-no').addEventListener('click', () => { pending = null; $('confirm').hidden = true; });
    $('publisher-restart').addEventListener('click', () => tick(async () => {
      const result = await act('/api/v1/admin/outbox/publisher/restart');
      if (result) showMessage('Publisher restarted: ' + (result.running ? 'running' : 'not running'), true);
    }));
    const config = await getJson('config.json', false);
    if (config.status === 200) state.config = config.body;
    const fast = () => tick(refreshHealth);
    const slow = () => Promise.all([tick(refreshHistory), tick(refreshDeadLetters), tick(refreshPublisher), tick(refreshAudit)]);
    await Promise.all([tick(refreshBreakers), fast(), slow(), tick(refreshAlerts)]);
    setInterval(() => tick(refreshBreakers), BREAKER_POLL_MS);
    setInterval(fast, POLL_MS);
    setInterval(slow, 5000);
    setInterval(() => tick(refreshAlerts), 10000);
  }

  document.addEventListener('DOMContentLoaded', start);
}());
