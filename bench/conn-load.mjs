// Load generator for bench/conn and tests/api/conn.test.mjs: connections that hold the
// server without logging in (idle sockets, half-sent uploads), a signed-in client on
// another loopback address that times its pages, and the server's resident memory.
//
// Every socket goes to 127.0.0.0/8 only (checked), every pool is bounded in count, and
// everything stops when its stop() is called (the callers do so in finally blocks).
import http from 'node:http';
import net from 'node:net';
import { readFileSync } from 'node:fs';

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

/**
 * "count" connections from "from" that never send a byte. The server closing one is
 * counted (closedByServer, and closedFast when it lived under 500 ms: refused at accept);
 * with "reconnectMs" it is opened again that long after, until stop().
 * Live figures: open, connects, closedByServer, closedFast, errors.
 */
export function idleConnections({ host = '127.0.0.1', port, from, count, reconnectMs = 0 }) {
  const socks = new Set();
  const st = { open: 0, connects: 0, closedByServer: 0, closedFast: 0, errors: 0, stopped: false };
  const timers = new Set();
  const later = (fn, ms) => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };
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
  st.stop = async () => {
    st.stopped = true;
    for (const t of timers) clearTimeout(t);
    for (const s of socks) s.destroy();
    await sleep(50);
  };
  return st;
}

/**
 * "count" uploads, spread round-robin over the addresses "from", each declaring
 * "declared" bytes to POST "path" and sending only "send" of them, then waiting.
 * held: sent all it meant to and has no answer; answered: status -> count (with
 * retryAfter counting answers that carried Retry-After); closedByServer: closed with no
 * answer. With "reconnectMs", a finished upload starts again that long after, until stop().
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
}) {
  const addrs = (Array.isArray(from) ? from : [from]).map(loopback);
  const chunk = Buffer.alloc(send, 'a');
  const socks = new Set();
  const timers = new Set();
  const st = { held: 0, started: 0, answered: {}, codes: {}, retryAfter: 0, closedByServer: 0, errors: 0, stopped: false };
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
          `Content-Length: ${declared}\r\n\r\n`,
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
      if (reconnectMs) {
        const t = setTimeout(() => {
          timers.delete(t);
          one(i);
        }, reconnectMs);
        timers.add(t);
      }
    });
  }
  for (let i = 0; i < count; i++) one(i);
  st.stop = async () => {
    st.stopped = true;
    for (const t of timers) clearTimeout(t);
    for (const s of socks) s.destroy();
    await sleep(50);
  };
  return st;
}

/**
 * A browser-like client on loopback address "from": one keep-alive connection, the
 * session cookie once logged in. request() resolves {status, json, text, ms}; a request
 * that takes over "timeoutMs" resolves with status 0.
 */
export function client({ host = '127.0.0.1', port, from, timeoutMs = 5000 }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1, localAddress: loopback(from) });
  const c = { cookie: null, csrf: null };
  c.request = (method, path, body) =>
    new Promise((resolve) => {
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

/** Sample VmRSS of "pid" every "everyMs" until stop(); peak in kB. */
export function rssSampler(pid, everyMs = 100) {
  const s = { peak: memoryKB(pid).rss };
  const t = setInterval(() => {
    try {
      s.peak = Math.max(s.peak, memoryKB(pid).rss);
    } catch {
      /* the server is gone: the caller notices */
    }
  }, everyMs);
  s.stop = () => clearInterval(t);
  return s;
}
