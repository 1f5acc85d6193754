// Shared helpers for the black-box API tests (node --test tests/api/).
// The harness (tests/run-node.sh) sets RONGHE_URL, RONGHE_PASSWORD, RONGHE_DB, RONGHE_BIN.
import { randomBytes } from 'node:crypto';
import { spawn, spawnSync } from 'node:child_process';
import net from 'node:net';

export const BASE = process.env.RONGHE_URL ?? 'http://127.0.0.1:8080';
export const PASSWORD = process.env.RONGHE_PASSWORD;
export const DB = process.env.RONGHE_DB;
export const BIN = process.env.RONGHE_BIN;

/** A free TCP port on 127.0.0.1 (for a server a test starts itself). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** A short random suffix for unique names. */
export function rand(n = 4) {
  return randomBytes(n).toString('hex');
}

/** Unique ASCII-safe name with a prefix. */
export function uniq(prefix = 't') {
  return `${prefix}${rand()}`;
}

function url(path) {
  if (/^https?:/.test(path)) return path;
  if (path === '/' || path.startsWith('/api/')) return BASE + path;
  return BASE + '/api/v1' + (path.startsWith('/') ? path : '/' + path);
}

/**
 * One HTTP request. session: {cookie, csrf} or null (anonymous). path: '/members' means
 * /api/v1/members; '/', '/api/...' are used as given. body: object (sent as JSON), string
 * or Buffer (sent as is), or undefined. extraHeaders: a header with value null is removed.
 * Writes carry X-CSRF-Token from the session unless overridden.
 */
export async function req(session, method, path, body, extraHeaders = {}) {
  const headers = {};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (session?.cookie) headers['Cookie'] = session.cookie;
  if (session?.csrf && method !== 'GET' && method !== 'HEAD') headers['X-CSRF-Token'] = session.csrf;
  for (const [k, v] of Object.entries(extraHeaders)) {
    for (const h of Object.keys(headers)) if (h.toLowerCase() === k.toLowerCase()) delete headers[h];
    if (v !== null && v !== undefined) headers[k] = v;
  }
  let payload;
  if (body === undefined) payload = undefined;
  else if (typeof body === 'string' || Buffer.isBuffer(body)) payload = body;
  else payload = JSON.stringify(body);
  const res = await fetch(url(path), { method, headers, body: payload, redirect: 'manual' });
  const text = await res.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  return { status: res.status, json, headers: res.headers, text };
}

/** POST /session (on another server when "base" names one); returns the raw response
 * plus cookie/csrf when it worked. */
export async function loginRaw(username, password = PASSWORD, base = null, extraHeaders = {}) {
  const r = await req(null, 'POST', base ? base + '/api/v1/session' : '/session', { username, password }, extraHeaders);
  const set = r.headers.getSetCookie ? r.headers.getSetCookie() : [r.headers.get('set-cookie')].filter(Boolean);
  const m = set.map((c) => /^(ronghe_session=[^;]*)/.exec(c)).find(Boolean);
  return { ...r, setCookie: set, cookie: m ? m[1] : null, csrf: r.json?.csrf_token ?? null };
}

/** Log in (demo password by default); throws unless 200. Returns {cookie, csrf, user}. */
export async function login(username, password = PASSWORD, base = null, extraHeaders = {}) {
  const r = await loginRaw(username, password, base, extraHeaders);
  if (r.status !== 200 || !r.cookie || !r.csrf)
    throw new Error(`login ${username} failed: ${r.status} ${r.text}`);
  return { cookie: r.cookie, csrf: r.csrf, user: r.json.user, username };
}

/** Every item of a list, following pages (per_page 500). */
export async function listAll(session, path) {
  const sep = path.includes('?') ? '&' : '?';
  const items = [];
  for (let page = 1; ; page++) {
    const r = await req(session, 'GET', `${path}${sep}per_page=500&page=${page}`);
    if (r.status !== 200) throw new Error(`GET ${path}: ${r.status} ${r.text}`);
    items.push(...r.json.items);
    if (items.length >= r.json.total || r.json.items.length === 0) return items;
  }
}

/** GET a list and return its total. */
export async function total(session, path) {
  const sep = path.includes('?') ? '&' : '?';
  const r = await req(session, 'GET', `${path}${sep}per_page=1`);
  if (r.status !== 200) throw new Error(`GET ${path}: ${r.status} ${r.text}`);
  return r.json.total;
}

/** Job "id" once it has ended (done, failed or cancelled), polled every 50 ms; throws
 * after "ms". */
export async function jobEnd(session, id, ms = 60000) {
  const end = Date.now() + ms;
  for (;;) {
    const j = (await req(session, 'GET', `/jobs/${id}`)).json;
    if (['done', 'failed', 'cancelled'].includes(j.status)) return j;
    if (Date.now() > end) throw new Error(`job ${id} still ${j.status}`);
    await new Promise((ok) => setTimeout(ok, 50));
  }
}

/** Number of audit entries (as a city administrator). */
export async function auditCount(admin) {
  return total(admin, '/audit');
}

/** The newest audit entry. */
export async function lastAudit(admin) {
  const r = await req(admin, 'GET', '/audit?per_page=1&sort=-id');
  if (r.status !== 200) throw new Error(`GET /audit: ${r.status} ${r.text}`);
  return r.json.items[0];
}

/** Create as given session; throws unless 201. */
export async function create(session, coll, body) {
  const r = await req(session, 'POST', `/${coll}`, body);
  if (r.status !== 201) throw new Error(`POST /${coll} ${JSON.stringify(body)}: ${r.status} ${r.text}`);
  return r.json;
}

/** GET one record; throws unless 200. */
export async function get(session, coll, id) {
  const r = await req(session, 'GET', `/${coll}/${id}`);
  if (r.status !== 200) throw new Error(`GET /${coll}/${id}: ${r.status} ${r.text}`);
  return r.json;
}

/** DELETE with the record's current version (the server requires one); 404 if it is gone. */
async function deleteCurrent(session, coll, id) {
  const cur = await req(session, 'GET', `/${coll}/${id}`);
  if (cur.status !== 200) return cur;
  return req(session, 'DELETE', `/${coll}/${id}?version=${cur.json.version}`);
}

/** Delete a record as "session" whatever its version; 404 is fine. Returns the status. */
export async function remove(session, coll, id) {
  const r = await deleteCurrent(session, coll, id);
  if (![204, 404].includes(r.status)) throw new Error(`DELETE /${coll}/${id}: ${r.status} ${r.text}`);
  return r.status;
}

/**
 * Records created by a test file, removed (newest first) in after().
 * Usage: const trash = new Trash(); trash.add('members', id); after(() => trash.empty(admin));
 */
export class Trash {
  constructor() {
    this.items = [];
  }
  add(coll, id) {
    this.items.push([coll, id]);
    return id;
  }
  async empty(session) {
    const errors = [];
    while (this.items.length) {
      const [coll, id] = this.items.pop();
      try {
        const r = await deleteCurrent(session, coll, id);
        if (r.status === 409 && coll === 'users') {
          // An account that has signed in is referenced by its sessions: disable it instead.
          const u = await get(session, 'users', id);
          const p = await req(session, 'PATCH', `/users/${id}`, { version: u.version, disabled: true });
          if (p.status !== 200) throw new Error(`disable user ${id}: ${p.status} ${p.text}`);
        } else if (![204, 404].includes(r.status)) throw new Error(`DELETE /${coll}/${id}: ${r.status} ${r.text}`);
      } catch (e) {
        errors.push(e.message);
      }
    }
    if (errors.length) throw new Error('cleanup failed:\n' + errors.join('\n'));
  }
}

/** Today in China (UTC+8) as YYYY-MM-DD, the server's notion of "today". */
export function todayCN(offsetDays = 0) {
  const d = new Date(Date.now() + 8 * 3600 * 1000 + offsetDays * 86400 * 1000);
  return d.toISOString().slice(0, 10);
}

/** Run the ronghe binary with "args", "input" on standard input. */
export function cli(args, input = '', timeout = 20000) {
  const r = spawnSync(BIN, args, { input, encoding: 'utf8', timeout });
  return { code: r.status, signal: r.signal, out: r.stdout ?? '', err: r.stderr ?? '', all: (r.stdout ?? '') + (r.stderr ?? '') };
}

/**
 * Start another `ronghe serve --db DB` on a free port, with extra "args" and environment
 * "env"; resolves when /api/v1/health answers. Returns {child, url, exited, log(), stop()}:
 * stop() ends it with SIGTERM and resolves with its exit.
 */
export async function startServer(db, { args = [], env = {} } = {}) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(BIN, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let log = '';
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const stop = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    return exited;
  };
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) break;
    try {
      const r = await fetch(url + '/api/v1/health');
      if (r.ok) return { child, url, exited, log: () => log, stop };
    } catch {}
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`second server did not start: ${log}`);
}
