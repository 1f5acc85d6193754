// Load generator for bench/conn and tests/api/conn.test.mjs: connections that hold the
// server without logging in (idle sockets, half-sent uploads), a signed-in client on
// another loopback address that times its pages, and the server's resident memory.
//
// Every socket goes to 127.0.0.0/8 only (checked), every pool is bounded in count, and
// everything stops when its stop() is called (the callers do so in finally blocks).
import http from 'node:http';
import net from 'node:net';
import { readdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

function loopback(addr) {
  if (!/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(addr)) throw new Error(`not a loopback address: ${addr}`);
  return addr;
}

/** VmRSS and VmHWM of process "pid", in kB (from /proc/PID/status). */
export function memoryKB(pid) {
  const s = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(s)?.[1] ?? NaN);
  return { rss: field('VmRSS'), hwm: field('VmHWM') };
}

/** True when "pid" runs an AddressSanitizer build (its memory figures mean nothing then). */
export function sanitized(pid) {
  try {
    return /libasan|libclang_rt\.asan/.test(readFileSync(`/proc/${pid}/maps`, 'utf8'));
  } catch {
    return false;
  }
}

export function percentile(values, p) {
  if (!values.length) return NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

export function median(values) {
  return percentile(values, 50);
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Parse one HTTP response from "buf"; null while it is incomplete. */
export function parseResponse(buf) {
  const end = buf.indexOf('\r\n\r\n');
  if (end < 0) return null;
  const lines = buf.subarray(0, end).toString('latin1').split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(lines[0])?.[1] ?? 0);
  const headers = {};
  for (const l of lines.slice(1)) {
    const i = l.indexOf(':');
    if (i > 0) headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
  }
  const len = Number(headers['content-length'] ?? 0);
  if (buf.length < end + 4 + len) return null;
  const text = buf.subarray(end + 4, end + 4 + len).toString('utf8');
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  return { status, headers, text, json };
}

/**
 * One request on a fresh connection from "from", written as "head" (the request line and
 * headers, without the blank line) and then "body" (Buffer or string, may be shorter
 * than what head declares). Resolves within "waitMs" with {status, headers, json, ms},
 * {status: 0, closed: true, ms} when the server closed without answering, or
 * {status: 0, timeout: true} when nothing came.
 */
export function rawRequest({ host = '127.0.0.1', port, from, head, body = '', waitMs = 3000 }) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const sock = net.connect({ host: loopback(host), port, localAddress: loopback(from) });
    let buf = Buffer.alloc(0);
    let done = false;
    const finish = (r) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      resolve({ ...r, ms: performance.now() - t0 });
    };
    const timer = setTimeout(() => finish({ status: 0, timeout: true }), waitMs);
    sock.on('connect', () => {
      sock.write(head.replace(/(\r\n)*$/, '') + '\r\n\r\n');
      if (body.length) sock.write(body);
    });
    sock.on('data', (d) => {
      if (buf.length < 1 << 20) buf = Buffer.concat([buf, d]);
      const r = parseResponse(buf);
      if (r) finish(r);
    });
    sock.on('error', () => {});
    sock.on('close', () => finish(parseResponse(buf) ?? { status: 0, closed: true }));
  });
}

/** The sockets and timers of a pool of connections; st.stop() ends it: no more
 * reconnecting, every socket closed. */
function pool(st) {
  const socks = new Set();
  const timers = new Set();
  const later = (fn, ms) => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };
  st.stop = async () => {
    st.stopped = true;
    for (const t of timers) clearTimeout(t);
    for (const s of socks) s.destroy();
    await sleep(50);
  };
  return { socks, later };
}

/**
 * "count" connections from "from" that never send a byte. The server closing one is
 * counted (closedByServer, and closedFast when it lived under 500 ms: refused at accept);
 * with "reconnectMs" it is opened again that long after, until stop().
 * Live figures: open, connects, closedByServer, closedFast, errors.
 */
export function idleConnections({ host = '127.0.0.1', port, from, count, reconnectMs = 0 }) {
  const st = { open: 0, connects: 0, closedByServer: 0, closedFast: 0, errors: 0, stopped: false };
  const { socks, later } = pool(st);
  function one() {
    if (st.stopped) return;
    const sock = net.connect({ host: loopback(host), port, localAddress: loopback(from) });
    socks.add(sock);
    let t0 = 0;
    let connected = false;
    sock.on('connect', () => {
      connected = true;
      t0 = performance.now();
      st.connects++;
      st.open++;
    });
    sock.on('data', () => {}); // nothing is expected; keep the stream flowing
    sock.on('error', () => {
      if (!connected) st.errors++;
    });
    sock.on('close', () => {
      socks.delete(sock);
      if (connected) st.open--;
      if (st.stopped) return;
      if (connected) {
        st.closedByServer++;
        if (performance.now() - t0 < 500) st.closedFast++;
      }
      if (reconnectMs) later(one, reconnectMs);
    });
  }
  for (let i = 0; i < count; i++) one();
  return st;
}

/**
 * "count" uploads, spread round-robin over the addresses "from", each declaring
 * "declared" bytes to POST "path" and sending only "send" of them, then waiting.
 * held: sent all it meant to and has no answer; answered: status -> count (with
 * retryAfter counting answers that carried Retry-After); closedByServer: closed with no
 * answer. "headers": more header lines for each; "chunked": sent chunked (one chunk of
 * "send" bytes) instead of with a length. With "reconnectMs", a finished upload starts again that long after, until stop().
 * codes: error code -> count, from the JSON answers.
 */
export function halfUploads({
  host = '127.0.0.1',
  port,
  from,
  count,
  path = '/api/v1/members',
  declared = 1 << 20,
  send = declared / 2,
  reconnectMs = 0,
  headers = '',
  chunked = false,
}) {
  const addrs = (Array.isArray(from) ? from : [from]).map(loopback);
  const data = Buffer.alloc(send, 'a');
  // chunked: the part sent as one chunk, the body left unfinished (no last chunk)
  const chunk = chunked ? Buffer.concat([Buffer.from(`${send.toString(16)}\r\n`), data, Buffer.from('\r\n')]) : data;
  const length = chunked ? 'Transfer-Encoding: chunked' : `Content-Length: ${declared}`;
  const st = { held: 0, started: 0, answered: {}, codes: {}, retryAfter: 0, closedByServer: 0, errors: 0, stopped: false };
  const { socks, later } = pool(st);
  function one(i) {
    if (st.stopped) return;
    const sock = net.connect({ host: loopback(host), port, localAddress: addrs[i % addrs.length] });
    socks.add(sock);
    let buf = Buffer.alloc(0);
    let held = false;
    let answered = false;
    let connected = false;
    const unhold = () => {
      if (held) st.held--;
      held = false;
    };
    sock.on('connect', () => {
      connected = true;
      st.started++;
      sock.write(
        `POST ${path} HTTP/1.1\r\nHost: ${host}:${port}\r\nContent-Type: application/json\r\n` +
          `${length}\r\n${headers.replace(/(\r\n)*$/, '')}${headers ? '\r\n' : ''}\r\n`,
      );
      sock.write(chunk, () => {
        if (!answered && !sock.destroyed) {
          held = true;
          st.held++;
        }
      });
    });
    sock.on('data', (d) => {
      if (buf.length < 65536) buf = Buffer.concat([buf, d]);
      const r = answered ? null : parseResponse(buf);
      if (r) {
        answered = true;
        unhold();
        st.answered[r.status] = (st.answered[r.status] ?? 0) + 1;
        const code = r.json?.error?.code;
        if (code) st.codes[code] = (st.codes[code] ?? 0) + 1;
        if (r.headers['retry-after']) st.retryAfter++;
        sock.destroy();
      }
    });
    sock.on('error', () => {
      if (!connected) st.errors++;
    });
    sock.on('close', () => {
      socks.delete(sock);
      unhold();
      if (st.stopped) return;
      if (connected && !answered) st.closedByServer++;
      if (reconnectMs) later(() => one(i), reconnectMs);
    });
  }
  for (let i = 0; i < count; i++) one(i);
  return st;
}

/**
 * A browser-like client on loopback address "from": a keep-alive connection, replaced by
 * a new one every "freshEvery" requests (0: never), and the session cookie once logged
 * in. request() resolves {status, json, text, ms, reused}; a request that takes over
 * "timeoutMs" resolves with status 0.
 */
export function client({ host = '127.0.0.1', port, from, timeoutMs = 5000, freshEvery = 0 }) {
  const newAgent = () => new http.Agent({ keepAlive: true, maxSockets: 1, localAddress: loopback(from) });
  let agent = newAgent();
  let sent = 0;
  const c = { cookie: null, csrf: null };
  c.request = (method, path, body) =>
    new Promise((resolve) => {
      if (freshEvery && sent && sent % freshEvery === 0) {
        agent.destroy();
        agent = newAgent();
      }
      sent++;
      const t0 = performance.now();
      const headers = {};
      if (c.cookie) headers.Cookie = c.cookie;
      if (c.csrf && method !== 'GET') headers['X-CSRF-Token'] = c.csrf;
      let payload;
      if (body !== undefined) {
        payload = Buffer.from(JSON.stringify(body));
        headers['Content-Type'] = 'application/json';
        headers['Content-Length'] = payload.length;
      }
      const rq = http.request(
        { host: loopback(host), port, method, path, headers, agent, localAddress: loopback(from), timeout: timeoutMs },
        (res) => {
          const parts = [];
          res.on('data', (d) => parts.push(d));
          res.on('end', () => {
            const text = Buffer.concat(parts).toString('utf8');
            let json = null;
            try {
              json = text ? JSON.parse(text) : null;
            } catch {
              json = null;
            }
            resolve({ status: res.statusCode, headers: res.headers, json, text, ms: performance.now() - t0, reused: rq.reusedSocket });
          });
          res.on('error', () => resolve({ status: 0, ms: performance.now() - t0 }));
        },
      );
      rq.on('timeout', () => rq.destroy(new Error('timeout')));
      rq.on('error', () => resolve({ status: 0, ms: performance.now() - t0 }));
      if (payload) rq.write(payload);
      rq.end();
    });
  c.login = async (username, password) => {
    const r = await c.request('POST', '/api/v1/session', { username, password });
    const set = [r.headers?.['set-cookie'] ?? []].flat();
    const m = set.map((s) => /^(ronghe_session=[^;]*)/.exec(s)).find(Boolean);
    if (r.status !== 200 || !m) throw new Error(`login ${username} from ${from}: ${r.status} ${r.text}`);
    c.cookie = m[1];
    c.csrf = r.json.csrf_token;
    return r;
  };
  c.close = () => agent.destroy();
  return c;
}

/**
 * The signed-in client's pages, one after the other, for "ms" milliseconds (or "n"
 * requests): latencies of the 200s and the failures (status → count).
 */
export async function timePages(c, { paths, ms = 0, n = 0 }) {
  const lat = [];
  const failures = {};
  const t0 = performance.now();
  for (let i = 0; n ? i < n : performance.now() - t0 < ms; i++) {
    const r = await c.request('GET', paths[i % paths.length]);
    if (r.status === 200) lat.push(r.ms);
    else failures[r.status] = (failures[r.status] ?? 0) + 1;
  }
  return { lat, failures, requests: lat.length + Object.values(failures).reduce((a, b) => a + b, 0) };
}

/** Sample VmRSS and the open files of "pid" every "everyMs" until stop(): peaks (kB, count). */
export function rssSampler(pid, everyMs = 100) {
  const files = () => readdirSync(`/proc/${pid}/fd`).length;
  const s = { peak: memoryKB(pid).rss, filesPeak: files() };
  const t = setInterval(() => {
    try {
      s.peak = Math.max(s.peak, memoryKB(pid).rss);
      s.filesPeak = Math.max(s.filesPeak, files());
    } catch {
      /* the server is gone: the caller notices */
    }
  }, everyMs);
  s.stop = () => clearInterval(t);
  return s;
}

// ---------------------------------------------------------------- bench/conn's rounds
// Run by bench/conn (which starts the server): node bench/conn-load.mjs, configured by
// the environment it sets. Prints every round to stderr and writes the markdown summary
// to CONN_OUT.

async function healthProbe(port, from, everyMs) {
  const st = { ok: 0, failed: 0, stopped: false };
  st.done = (async () => {
    while (!st.stopped) {
      const r = await rawRequest({ port, from, head: 'GET /api/v1/health HTTP/1.1\r\nHost: x', waitMs: 2000 });
      if (r.status === 200) st.ok++;
      else st.failed++;
      await sleep(everyMs);
    }
  })();
  st.stop = async () => {
    st.stopped = true;
    await st.done;
  };
  return st;
}

async function scenario(env, c, { name, from, idle: nIdle, uploads: nUploads }) {
  const { port, pid } = env;
  const rssBefore = memoryKB(pid).rss;
  const idle = [];
  const ups = [];
  const perIdle = Math.ceil(nIdle / from.length);
  from.forEach((addr, i) => {
    const count = Math.min(perIdle, nIdle - i * perIdle);
    if (count > 0) idle.push(idleConnections({ port, from: addr, count, reconnectMs: env.reconnectMs }));
  });
  if (nUploads) ups.push(halfUploads({ port, from, count: nUploads, reconnectMs: env.reconnectMs }));
  const health = await healthProbe(port, '127.0.0.3', 200);
  const sampler = rssSampler(pid, 100);
  try {
    await sleep(env.settleMs);
    const t = await timePages(c, { paths: env.paths, ms: env.durationMs });
    const sum = (list, k) => list.reduce((a, s) => a + s[k], 0);
    const answered = {};
    for (const u of ups) for (const [k, v] of Object.entries(u.answered)) answered[k] = (answered[k] ?? 0) + v;
    return {
      name,
      requests: t.requests,
      p50: percentile(t.lat, 50),
      p99: percentile(t.lat, 99),
      max: Math.max(...t.lat),
      failures: t.failures,
      healthOk: health.ok,
      healthFailed: health.failed,
      idleOpen: sum(idle, 'open'),
      idleConnects: sum(idle, 'connects'),
      idleClosedFast: sum(idle, 'closedFast'),
      uploadsHeld: sum(ups, 'held'),
      uploadsClosed: sum(ups, 'closedByServer'),
      uploadsStarted: sum(ups, 'started'),
      uploadsAnswered: answered,
      rssBefore,
      rssPeak: sampler.peak,
      filesPeak: sampler.filesPeak,
    };
  } finally {
    sampler.stop();
    await health.stop();
    for (const p of [...idle, ...ups]) await p.stop();
  }
}

async function main() {
  const env = {
    port: Number(new URL(process.env.CONN_URL).port),
    pid: Number(process.env.CONN_PID),
    rounds: Number(process.env.CONN_ROUNDS ?? 5),
    durationMs: Number(process.env.CONN_DURATION ?? 10) * 1000,
    settleMs: 2000,
    idle: Number(process.env.CONN_IDLE ?? 1000),
    uploads: Number(process.env.CONN_UPLOADS ?? 400),
    crowd: Number(process.env.CONN_CROWD ?? 4500),
    reconnectMs: 1000,
    paths: ['/api/v1/branches?per_page=20', '/api/v1/me'],
  };
  const c = client({ port: env.port, from: '127.0.0.2', freshEvery: 20 });
  await c.login('admin', process.env.CONN_PASSWORD);
  const hundred = (net) => Array.from({ length: 100 }, (_, i) => `${net}.${i + 1}`);
  const scenarios = [
    { name: 'one', from: ['127.0.0.1'], idle: env.idle, uploads: env.uploads },
    { name: 'spread', from: hundred('127.0.1'), idle: env.idle, uploads: env.uploads },
    { name: 'crowd', from: hundred('127.0.2'), idle: env.crowd, uploads: 0 },
  ];
  const rows = [];
  const mb = (kb) => (kb / 1024).toFixed(0);
  const show = (r) =>
    `round ${r.round} ${r.name.padEnd(8)} client p50 ${r.p50.toFixed(2)} ms p99 ${r.p99.toFixed(2)} ms max ${r.max.toFixed(1)} ms ` +
    `(${r.requests} requests, failures ${JSON.stringify(r.failures)}); health ${r.healthOk} ok ${r.healthFailed} failed; ` +
    `idle connected ${r.idleOpen} as the client sees it (${r.idleConnects} connects, ${r.idleClosedFast} refused at once), server's open files at most ${r.filesPeak}; ` +
    `uploads held ${r.uploadsHeld} of ${r.uploadsStarted} started, answers ${JSON.stringify(r.uploadsAnswered)}, ${r.uploadsClosed} closed unanswered; ` +
    `RSS ${mb(r.rssBefore)} → peak ${mb(r.rssPeak)} → after ${mb(r.rssAfter)} MB`;
  try {
    for (let round = 1; round <= env.rounds; round++) {
      const base = await timePages(c, { paths: env.paths, ms: 3000 });
      const baseRow = { round, name: 'baseline', p50: percentile(base.lat, 50), p99: percentile(base.lat, 99) };
      process.stderr.write(`[bench] round ${round} baseline client p50 ${baseRow.p50.toFixed(2)} ms p99 ${baseRow.p99.toFixed(2)} ms (${base.requests} requests)\n`);
      rows.push(baseRow);
      for (const sc of scenarios) {
        const r = await scenario(env, c, sc);
        await sleep(2000);
        r.rssAfter = memoryKB(env.pid).rss;
        r.round = round;
        rows.push(r);
        process.stderr.write(`[bench] ${show(r)}\n`);
      }
    }
  } finally {
    c.close();
  }
  writeFileSync(process.env.CONN_OUT, summary(env, rows, show));
}

function summary(env, rows, show) {
  const of = (name) => rows.filter((r) => r.name === name);
  const med = (list, k) => median(list.map((r) => r[k]));
  const range = (list, k) => {
    const v = list.map((r) => r[k]).filter(Number.isFinite);
    return v.length ? `${Math.min(...v).toFixed(1)}–${Math.max(...v).toFixed(1)}` : '–';
  };
  const mb = (kb) => (kb / 1024).toFixed(0);
  const ms = (x) => (Number.isFinite(x) ? `${x.toFixed(2)} ms` : '–');
  const lines = [];
  const base = of('baseline');
  lines.push(`Result (${env.rounds} rounds; medians, with the range over rounds):`, '');
  lines.push('| while | client p50 | client p99 (range) | aim p99 ≤ 50 ms | client failures | health answered | server RSS peak (range) | aim ≤ 256 MB | RSS after they left | server\'s open files, peak |');
  lines.push('|---|---:|---:|:--:|---:|---:|---:|:--:|---:|---:|');
  lines.push(`| nothing (baseline) | ${ms(med(base, 'p50'))} | ${ms(med(base, 'p99'))} (${range(base, 'p99')}) | | | | | | | |`);
  for (const [name, label] of [
    ['one', `127.0.0.1 holds ${env.idle} idle connections and ${env.uploads} half-sent 1 MiB uploads`],
    ['spread', `the same from 100 addresses (127.0.1.1–100)`],
    ['crowd', `${env.crowd} idle connections from 100 addresses (127.0.2.1–100), more than the server takes`],
  ]) {
    const l = of(name);
    const p99 = med(l, 'p99');
    const peak = med(l, 'rssPeak');
    const fails = l.reduce((a, r) => a + Object.values(r.failures).reduce((x, y) => x + y, 0), 0);
    const reqs = l.reduce((a, r) => a + r.requests, 0);
    const hok = l.reduce((a, r) => a + r.healthOk, 0);
    const hall = hok + l.reduce((a, r) => a + r.healthFailed, 0);
    lines.push(
      `| ${label} | ${ms(med(l, 'p50'))} | ${ms(p99)} (${range(l, 'p99')}) | ${p99 <= 50 && !fails ? 'met' : '**missed**'} | ` +
        `${fails} of ${reqs} | ${hok} of ${hall} | ${mb(peak)} MB (${mb(Math.min(...l.map((r) => r.rssPeak)))}–${mb(Math.max(...l.map((r) => r.rssPeak)))}) | ` +
        `${Math.max(peak, med(l, 'rssAfter')) <= 256 * 1024 ? 'met' : '**missed**'} | ${mb(med(l, 'rssAfter'))} MB | ${med(l, 'filesPeak')} |`,
    );
  }
  lines.push(
    '',
    'Client failures count the pages that were not 200 within 5 s (the p99 aim counts as met only',
    'with none); "health answered" the probes on new connections from 127.0.0.3. The server\'s open',
    'files (/proc/PID/fd) are its connections, the sockets it drains after an early refusal and about',
    '30 of its own. In the rounds below, "connected as the client sees it" includes connections still',
    'in the kernel\'s accept queue; "refused at once" are those the server closed within 500 ms of',
    'accepting.',
  );
  lines.push('', '<details><summary>Every round</summary>', '', '```');
  for (const r of rows)
    lines.push(r.name === 'baseline' ? `round ${r.round} baseline client p50 ${r.p50.toFixed(2)} ms p99 ${r.p99.toFixed(2)} ms` : show(r));
  lines.push('```', '', '</details>', '');
  return lines.join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
