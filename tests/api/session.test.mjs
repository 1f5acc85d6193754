// Sessions: login, cookies, logout, throttling, CSRF and security headers.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { req, login, loginRaw, uniq, rand, Trash, create, lastAudit, cli, startServer, PASSWORD, BASE, BIN, DB } from './lib.mjs';

const hasHan = (s) => /[\u4e00-\u9fff]/.test(s ?? '');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/** A password the rule accepts (upper, lower, digit, other; no username in it). */
const strong = () => `Sess-${rand()}-pw9`;

// One administrator's session and one list of records to remove, for the whole file.
let admin;
const trash = new Trash();
before(async () => {
  admin = await login('admin');
});
after(async () => {
  await trash.empty(admin);
});

describe('session', () => {

  test('login as admin: 200, HttpOnly SameSite=Strict cookie, csrf_token and user.role', async () => {
    const r = await loginRaw('admin');
    assert.equal(r.status, 200, r.text);
    const cookie = r.setCookie.find((c) => c.startsWith('ronghe_session='));
    assert.ok(cookie, `no ronghe_session cookie in ${JSON.stringify(r.setCookie)}`);
    assert.match(cookie, /;\s*HttpOnly/i);
    assert.match(cookie, /;\s*SameSite=Strict/i);
    assert.match(cookie, /;\s*Path=\//i);
    assert.match(cookie, /^ronghe_session=[^;]{16,}/, 'the session token is not empty');
    assert.equal(typeof r.json.csrf_token, 'string');
    assert.ok(r.json.csrf_token.length >= 16);
    assert.equal(r.json.user.username, 'admin');
    assert.equal(r.json.user.role, 'admin');
    assert.equal(r.json.user.scope, 'all');
    assert.equal(r.json.user.can_write, true);
  });

  test('the session cookie opens /me with the same user and csrf token', async () => {
    const s = await login('zlt-admin');
    const r = await req(s, 'GET', '/me');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.username, 'zlt-admin');
    assert.equal(r.json.role, 'admin');
    assert.equal(r.json.scope, 'procuratorate');
    assert.match(r.json.procuratorate_name, /扎鲁特旗/);
    assert.equal(r.json.csrf_token, s.csrf);
  });

  test('/me tells each demo account its role and scope', async () => {
    const expect = {
      admin: { role: 'admin', scope: 'all', can_write: true },
      viewer: { role: 'viewer', scope: 'all', can_write: false },
      'zlt-admin': { role: 'admin', scope: 'procuratorate', can_write: true },
      'hlgl-sec': { role: 'secretary', scope: 'branch', can_write: true },
    };
    for (const [u, e] of Object.entries(expect)) {
      const s = await login(u);
      const r = await req(s, 'GET', '/me');
      assert.equal(r.status, 200);
      assert.equal(r.json.role, e.role, u);
      assert.equal(r.json.scope, e.scope, u);
      assert.equal(r.json.can_write, e.can_write, u);
    }
    const s = await login('hlgl-sec');
    const me = (await req(s, 'GET', '/me')).json;
    assert.match(me.branch_name, /霍林郭勒/);
  });

  test('wrong password → 401 bad_credentials with a Chinese message, no cookie', async () => {
    const r = await loginRaw('viewer', PASSWORD + 'x');
    assert.equal(r.status, 401, r.text);
    assert.equal(r.json.error.code, 'bad_credentials');
    assert.ok(hasHan(r.json.error.message), `message should be Chinese: ${r.json.error.message}`);
    assert.equal(r.cookie, null);
  });

  test('GET /me without a cookie → 401 unauthenticated', async () => {
    const r = await req(null, 'GET', '/me');
    assert.equal(r.status, 401);
    assert.equal(r.json.error.code, 'unauthenticated');
    assert.ok(hasHan(r.json.error.message));
  });

  test('GET /me with a made-up cookie → 401', async () => {
    const r = await req({ cookie: 'ronghe_session=' + 'a'.repeat(64) }, 'GET', '/me');
    assert.equal(r.status, 401);
  });

  test('logout → 204, then /me with the old cookie → 401', async () => {
    const s = await login('viewer');
    assert.equal((await req(s, 'GET', '/me')).status, 200);
    const out = await req(s, 'DELETE', '/session');
    assert.equal(out.status, 204, out.text);
    const r = await req(s, 'GET', '/me');
    assert.equal(r.status, 401);
    assert.equal(r.json.error.code, 'unauthenticated');
  });

  test('logout clears the cookie (Max-Age=0)', async () => {
    const s = await login('viewer');
    const out = await req(s, 'DELETE', '/session');
    assert.equal(out.status, 204);
    const set = out.headers.getSetCookie().find((c) => c.startsWith('ronghe_session='));
    assert.ok(set, 'a Set-Cookie that clears the session');
    assert.match(set, /^ronghe_session=;/);
    assert.match(set, /Max-Age=0/i);
  });

  test('GET /org-tree and lists without a cookie → 401', async () => {
    assert.equal((await req(null, 'GET', '/org-tree')).status, 401);
    assert.equal((await req(null, 'GET', '/brands')).status, 401);
  });

  test('a changed password works at once, the old one no longer; no password or hash is ever shown', async () => {
    const username = uniq('pw-');
    const first = strong();
    const u = await create(admin, 'users', { username, display_name: '改密测试', password: first, role: 'viewer', procuratorate_id: 1 });
    trash.add('users', u.id);
    assert.ok(!('password' in u) && !('password_hash' in u), JSON.stringify(u));
    const second = strong();
    const p = await req(admin, 'PATCH', `/users/${u.id}`, { version: u.version, password: second });
    assert.equal(p.status, 200, p.text);
    assert.ok(!JSON.stringify(p.json).includes('password'));
    assert.equal((await loginRaw(username, first)).status, 401);
    assert.equal((await loginRaw(username, second)).status, 200);
    const list = await req(admin, 'GET', `/users?per_page=500`);
    assert.ok(!/password|argon2/.test(list.text), 'user list shows no password or hash');
    const audit = await req(admin, 'GET', `/audit?entity=users&entity_id=${u.id}`);
    assert.ok(audit.json.items.length >= 2);
    assert.ok(!/password|argon2/.test(audit.text), 'audit entries show no password or hash');
    assert.ok(!audit.text.includes(first) && !audit.text.includes(second));
  });

  test('a disabled account cannot log in, and its open session stops working', async () => {
    const username = uniq('off-');
    const password = strong();
    const u = await create(admin, 'users', { username, display_name: '停用测试', password, role: 'viewer', procuratorate_id: 1 });
    trash.add('users', u.id);
    const s = await login(username, password);
    const p = await req(admin, 'PATCH', `/users/${u.id}`, { version: u.version, disabled: true });
    assert.equal(p.status, 200, p.text);
    assert.equal((await req(s, 'GET', '/me')).status, 401);
    const r = await loginRaw(username, password);
    assert.equal(r.status, 401);
  });

  test('logout of one session leaves the other sessions of the user working', async () => {
    const s1 = await login('viewer');
    const s2 = await login('viewer');
    assert.equal((await req(s1, 'DELETE', '/session')).status, 204);
    assert.equal((await req(s2, 'GET', '/me')).status, 200);
  });

  test('login throttling: after 5 failures the 6th attempt, even with the right password, → 429 throttled', async () => {
    const username = uniq('throttle-');
    const password = strong();
    const u = await create(admin, 'users', {
      username,
      display_name: '限流测试',
      password,
      role: 'viewer',
      procuratorate_id: 1,
    });
    trash.add('users', u.id);
    // The new account works.
    const ok = await loginRaw(username, password);
    assert.equal(ok.status, 200, ok.text);
    for (let i = 1; i <= 5; i++) {
      const r = await loginRaw(username, 'wrong-password-' + i);
      assert.equal(r.status, 401, `failure ${i}: ${r.text}`);
      assert.equal(r.json.error.code, 'bad_credentials');
    }
    const r = await loginRaw(username, password);
    assert.equal(r.status, 429, r.text);
    assert.equal(r.json.error.code, 'throttled');
    assert.ok(hasHan(r.json.error.message));
    assert.equal(r.cookie, null, 'a throttled login must not set a cookie');
    // Other accounts are not affected.
    assert.equal((await loginRaw('viewer')).status, 200);
  });

  test('write without X-CSRF-Token → 403 csrf, nothing created', async () => {
    const name = uniq('无令牌');
    const r = await req(admin, 'POST', '/departments', { procuratorate_id: 1, name }, { 'X-CSRF-Token': null });
    assert.equal(r.status, 403, r.text);
    assert.equal(r.json.error.code, 'csrf');
    const l = await req(admin, 'GET', `/departments?q=${encodeURIComponent(name)}`);
    assert.equal(l.json.total, 0);
  });

  test('write with a wrong X-CSRF-Token → 403 csrf', async () => {
    const r = await req(admin, 'POST', '/departments', { procuratorate_id: 1, name: uniq('错令牌') }, {
      'X-CSRF-Token': 'f'.repeat(32),
    });
    assert.equal(r.status, 403);
    assert.equal(r.json.error.code, 'csrf');
  });

  test("another session's CSRF token is refused", async () => {
    const other = await login('admin');
    const r = await req(admin, 'POST', '/departments', { procuratorate_id: 1, name: uniq('他令牌') }, {
      'X-CSRF-Token': other.csrf,
    });
    assert.equal(r.status, 403);
    assert.equal(r.json.error.code, 'csrf');
  });

  test('logout without X-CSRF-Token → 403 csrf and the session stays', async () => {
    const s = await login('viewer');
    const r = await req(s, 'DELETE', '/session', undefined, { 'X-CSRF-Token': null });
    assert.equal(r.status, 403);
    assert.equal(r.json.error.code, 'csrf');
    assert.equal((await req(s, 'GET', '/me')).status, 200);
  });

  const checkSecurityHeaders = (h, what) => {
    const csp = h.get('content-security-policy');
    assert.ok(csp, `${what}: Content-Security-Policy missing`);
    assert.match(csp, /frame-ancestors\s+('none'|'self')/, `${what}: CSP without frame-ancestors: ${csp}`);
    assert.equal(h.get('x-content-type-options'), 'nosniff', what);
  };

  test('security headers on API responses (success, error, login)', async () => {
    checkSecurityHeaders((await req(admin, 'GET', '/me')).headers, 'GET /me');
    checkSecurityHeaders((await req(null, 'GET', '/me')).headers, 'GET /me 401');
    checkSecurityHeaders((await req(null, 'GET', '/health')).headers, 'GET /health');
    checkSecurityHeaders((await loginRaw('viewer')).headers, 'POST /session');
    checkSecurityHeaders((await req(admin, 'GET', '/nonexistent')).headers, 'GET 404');
  });

  test('security headers on GET / (the web interface)', async () => {
    const res = await fetch(BASE + '/');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/html/);
    checkSecurityHeaders(res.headers, 'GET /');
  });

  test('API responses are JSON UTF-8 and not cached', async () => {
    const r = await req(admin, 'GET', '/me');
    assert.match(r.headers.get('content-type'), /application\/json/);
    assert.match(r.headers.get('content-type'), /utf-8/i);
    assert.match(r.headers.get('cache-control') ?? '', /no-store/);
  });

  test('GET /health needs no session', async () => {
    const r = await req(null, 'GET', '/health');
    assert.equal(r.status, 200);
    assert.deepEqual(r.json, { ok: true });
  });

  test('login with a non-JSON body → 400 bad_json; with missing password → 400', async () => {
    let r = await req(null, 'POST', '/session', 'username=admin');
    assert.equal(r.status, 400);
    assert.equal(r.json.error.code, 'bad_json');
    r = await req(null, 'POST', '/session', { username: 'admin' });
    assert.equal(r.status, 400);
  });
});

// ------------------------------------------------------------------ sessions that end

/** An account of its own for a test (removed, or disabled, afterwards). */
async function account(admin, trash, extra = {}) {
  const username = uniq('se-');
  const password = strong();
  const u = await create(admin, 'users', { username, display_name: '会话测试', password, role: 'viewer', procuratorate_id: 1, ...extra });
  trash.add('users', u.id);
  return { u, username, password };
}

/** Use session "s" twice over, so that it is known in memory and its reads are cached
 * (the next ones are answered without the database). */
async function warm(s) {
  for (let i = 0; i < 2; i++) {
    assert.equal((await req(s, 'GET', '/me')).status, 200);
    assert.equal((await req(s, 'GET', '/procuratorates?per_page=5')).status, 200);
  }
}

/** Session "s" no longer opens anything: neither a fresh read nor a cached one. */
async function dead(s, what) {
  for (const p of ['/me', '/procuratorates?per_page=5']) {
    const r = await req(s, 'GET', p);
    assert.equal(r.status, 401, `${what}: GET ${p} still answers ${r.status}`);
  }
}

describe('sessions end when what they were opened on changes', () => {

  test('a password change through the API ends every session of the user, cached ones too', async () => {
    const { u, username, password } = await account(admin, trash);
    const s1 = await login(username, password);
    const s2 = await login(username, password);
    await warm(s1);
    await warm(s2);
    const next = strong();
    const p = await req(admin, 'PATCH', `/users/${u.id}`, { version: u.version, password: next });
    assert.equal(p.status, 200, p.text);
    await dead(s1, 'after a password change');
    await dead(s2, 'after a password change');
    assert.equal((await loginRaw(username, next)).status, 200);
    assert.equal((await req(admin, 'GET', '/me')).status, 200, "the administrator's own session goes on");
  });

  test('ronghe user passwd and user disable in another process end the sessions while serving', async () => {
    const a = await account(admin, trash);
    const s = await login(a.username, a.password);
    await warm(s);
    const next = strong();
    const r = cli(['user', 'passwd', '--db', DB, '--username', a.username], next + '\n');
    assert.equal(r.code, 0, r.all);
    await sleep(120); // the server notices another process's commit within 50 ms
    await dead(s, 'after ronghe user passwd');
    const again = await login(a.username, next);
    await warm(again);
    assert.equal(cli(['user', 'disable', '--db', DB, '--username', a.username]).code, 0);
    await sleep(120);
    await dead(again, 'after ronghe user disable');
  });

  test('disabling ends the sessions, and enabling again brings none of them back', async () => {
    const { u, username, password } = await account(admin, trash);
    const s = await login(username, password);
    await warm(s);
    const off = await req(admin, 'PATCH', `/users/${u.id}`, { version: u.version, disabled: true });
    assert.equal(off.status, 200, off.text);
    const on = await req(admin, 'PATCH', `/users/${u.id}`, { version: off.json.version, disabled: false });
    assert.equal(on.status, 200, on.text);
    await dead(s, 'after disable and enable');
    assert.equal((await loginRaw(username, password)).status, 200, 'the account itself works again');
  });

  test('a change of role, procuratorate or branch ends the sessions; a new name does not', async () => {
    const { u, username, password } = await account(admin, trash);
    const county = (await req(admin, 'GET', '/procuratorates?level=2&per_page=1')).json.items[0].id;
    const branches = (await req(admin, 'GET', `/branches?procuratorate_id=${county}&per_page=2`)).json.items;
    assert.equal(branches.length, 2, 'a county with two branches');
    let version = u.version;
    const change = async (what, body) => {
      const s = await login(username, password);
      await warm(s);
      const p = await req(admin, 'PATCH', `/users/${u.id}`, { version, ...body });
      assert.equal(p.status, 200, `${what}: ${p.text}`);
      version = p.json.version;
      return s;
    };
    await dead(await change('role', { role: 'admin' }), 'after a role change');
    await dead(await change('procuratorate', { procuratorate_id: county }), 'after a procuratorate change');
    await dead(await change('secretary of a branch', { role: 'secretary', branch_id: branches[0].id }), 'after a role and branch change');
    await dead(await change('branch', { branch_id: branches[1].id }), 'after a branch change');
    const kept = await change('display name', { display_name: '改名不影响会话' });
    assert.equal((await req(kept, 'GET', '/me')).status, 200, 'a change of name ends no session');
  });
});

describe('idle timeout, lifetime and the Secure cookie (a server of its own)', () => {
  let tmp, db;
  const rootPw = strong();
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ronghe-sess-'));
    db = path.join(tmp, 'own.db');
    const r = cli(['init', '--db', db], rootPw + '\n');
    assert.equal(r.code, 0, r.all);
  });
  after(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  test('a session ends after RONGHE_SESSION_IDLE_S without a request, and not while it is used', async () => {
    const srv = await startServer(db, { env: { RONGHE_SESSION_IDLE_S: '4' } });
    try {
      const s = await login('admin', rootPw, srv.url);
      const me = srv.url + '/api/v1/me';
      for (let i = 0; i < 12; i++) { // 6 s of use, longer than the idle time
        assert.equal((await req(s, 'GET', me)).status, 200, `request ${i} while in use`);
        await sleep(500);
      }
      await sleep(5500);
      const r = await req(s, 'GET', me);
      assert.equal(r.status, 401, r.text);
      assert.equal(r.json.error.code, 'session_expired');
      assert.ok(hasHan(r.json.error.message));
      assert.equal((await req(s, 'GET', srv.url + '/api/v1/procuratorates')).status, 401);
    } finally {
      await srv.stop();
    }
  });

  test('a session ends RONGHE_SESSION_LIFETIME_S after login even while used; the cookie says so', async () => {
    const srv = await startServer(db, { env: { RONGHE_SESSION_LIFETIME_S: '3' } });
    try {
      const started = Date.now();
      const r = await loginRaw('admin', rootPw, srv.url);
      assert.equal(r.status, 200, r.text);
      assert.match(r.setCookie.find((c) => c.startsWith('ronghe_session=')), /Max-Age=3(;|$)/);
      const s = { cookie: r.cookie, csrf: r.csrf };
      const me = srv.url + '/api/v1/me';
      while (Date.now() - started < 1500) {
        assert.equal((await req(s, 'GET', me)).status, 200);
        await sleep(300);
      }
      await sleep(3600 - (Date.now() - started));
      const after = await req(s, 'GET', me);
      assert.equal(after.status, 401, after.text);
      assert.equal(after.json.error.code, 'session_expired');
    } finally {
      await srv.stop();
    }
  });

  test('a bad RONGHE_SESSION_IDLE_S stops serve with exit 2 and a message', () => {
    const r = spawnSync(BIN, ['serve', '--db', db, '--listen', '127.0.0.1:0'], {
      env: { ...process.env, RONGHE_SESSION_IDLE_S: '0' }, encoding: 'utf8', timeout: 5000,
    });
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /RONGHE_SESSION_IDLE_S/);
  });

  test('serve --secure-cookie makes the session cookie Secure (login and logout); without it, not', async () => {
    const srv = await startServer(db, { args: ['--secure-cookie'] });
    try {
      const r = await loginRaw('admin', rootPw, srv.url);
      assert.equal(r.status, 200, r.text);
      assert.match(r.setCookie.find((c) => c.startsWith('ronghe_session=')), /;\s*Secure(;|$)/);
      const out = await req({ cookie: r.cookie, csrf: r.csrf }, 'DELETE', srv.url + '/api/v1/session');
      assert.equal(out.status, 204);
      assert.match(out.headers.getSetCookie().find((c) => c.startsWith('ronghe_session=')), /;\s*Secure(;|$)/);
    } finally {
      await srv.stop();
    }
    const plain = await loginRaw('viewer');
    assert.doesNotMatch(plain.setCookie.find((c) => c.startsWith('ronghe_session=')), /Secure/);
  });

  test('X-Forwarded-Proto: https makes the cookie Secure only when a trusted proxy sends it', async () => {
    const proto = { 'X-Forwarded-Proto': 'https' };
    const login = (url) => req(null, 'POST', url + '/api/v1/session', { username: 'admin', password: rootPw }, proto);
    const trusted = await startServer(db, { args: ['--trusted-proxy', '127.0.0.1'] });
    try {
      const r = await login(trusted.url);
      assert.equal(r.status, 200, r.text);
      assert.match(r.headers.getSetCookie().find((c) => c.startsWith('ronghe_session=')), /;\s*Secure(;|$)/);
      const http = await req(null, 'POST', trusted.url + '/api/v1/session', { username: 'admin', password: rootPw }, { 'X-Forwarded-Proto': 'http' });
      assert.doesNotMatch(http.headers.getSetCookie().find((c) => c.startsWith('ronghe_session=')), /Secure/);
    } finally {
      await trusted.stop();
    }
    const untrusted = await startServer(db);
    try {
      const r = await login(untrusted.url);
      assert.equal(r.status, 200, r.text);
      assert.doesNotMatch(r.headers.getSetCookie().find((c) => c.startsWith('ronghe_session=')), /Secure/);
    } finally {
      await untrusted.stop();
    }
  });
});

// ------------------------------------------------------------------ one's own sessions

describe('one’s own sessions: GET /sessions, DELETE /sessions/{id}, DELETE /sessions?others=1', () => {
  let a, s1, s2, s3, other;
  before(async () => {
    a = await account(admin, trash);
    s1 = await login(a.username, a.password, null, { 'User-Agent': 'ronghe-test/1 UA-one' });
    s2 = await login(a.username, a.password, null, { 'User-Agent': 'ronghe-test/1 UA-two' });
    s3 = await login(a.username, a.password, null, { 'User-Agent': 'ronghe-test/1 UA-three' });
    other = await login('viewer');
  });

  test('the list holds one’s own sessions only, marks the current one and shows no token', async () => {
    const r = await req(s1, 'GET', '/sessions');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.total, 3);
    assert.equal(r.json.items.length, 3);
    const current = r.json.items.filter((i) => i.current);
    assert.equal(current.length, 1);
    assert.match(current[0].user_agent, /UA-one/);
    assert.deepEqual(r.json.items.map((i) => i.user_agent.replace(/.* /, '')).sort(), ['UA-one', 'UA-three', 'UA-two']);
    for (const i of r.json.items) {
      assert.equal(typeof i.id, 'number');
      for (const k of ['created_at', 'last_seen_at', 'expires_at', 'idle_expires_at']) assert.match(i[k], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/, k);
      assert.equal(i.address, '127.0.0.1');
      assert.deepEqual(Object.keys(i).sort(), ['address', 'created_at', 'current', 'expires_at', 'id', 'idle_expires_at', 'last_seen_at', 'user_agent']);
    }
    for (const s of [s1, s2, s3]) {
      assert.ok(!r.text.includes(s.cookie.split('=')[1]), 'no session token in the list');
      assert.ok(!r.text.includes(s.csrf), 'no CSRF token in the list');
    }
    const mine = new Set(r.json.items.map((i) => i.id));
    const theirs = await req(other, 'GET', '/sessions');
    assert.equal(theirs.status, 200);
    assert.ok(theirs.json.items.some((i) => i.current), 'the other user sees their own session');
    assert.ok(theirs.json.items.every((i) => !mine.has(i.id)), 'another user sees none of them');
    assert.ok(theirs.json.items.every((i) => !/UA-/.test(i.user_agent ?? '')));
    assert.equal((await req(null, 'GET', '/sessions')).status, 401);
  });

  test('DELETE /sessions/{id} ends one of one’s own (audited); another user’s id is not found', async () => {
    const list = (await req(s1, 'GET', '/sessions')).json.items;
    const two = list.find((i) => /UA-two/.test(i.user_agent));
    const r = await req(s1, 'DELETE', `/sessions/${two.id}`);
    assert.equal(r.status, 204, r.text);
    await dead(s2, 'the session ended from the list');
    assert.equal((await req(s1, 'GET', '/me')).status, 200);
    assert.equal((await req(s3, 'GET', '/me')).status, 200);
    const audit = await lastAudit(admin);
    assert.equal(audit.action, 'session_end');
    assert.equal(audit.username, a.username);
    assert.equal(audit.after.session_id, two.id);

    const theirs = (await req(other, 'GET', '/sessions')).json.items[0];
    const refused = await req(s1, 'DELETE', `/sessions/${theirs.id}`);
    assert.equal(refused.status, 404, refused.text);
    assert.equal(refused.json.error.code, 'not_found');
    assert.equal((await req(other, 'GET', '/me')).status, 200, 'the other user’s session goes on');
    assert.equal((await req(s1, 'DELETE', `/sessions/${two.id}`)).status, 404, 'an ended one is gone');
    assert.equal((await req(s1, 'DELETE', '/sessions/abc')).status, 404);
    const noCsrf = await req(s1, 'DELETE', `/sessions/${theirs.id}`, undefined, { 'X-CSRF-Token': null });
    assert.equal(noCsrf.status, 403);
  });

  test('DELETE /sessions?others=1 ends every session but the current one (audited)', async () => {
    const s4 = await login(a.username, a.password);
    assert.equal((await req(s1, 'DELETE', '/sessions')).status, 400, 'others=1 must be said');
    assert.equal((await req(s1, 'DELETE', '/sessions?others=1', undefined, { 'X-CSRF-Token': null })).status, 403);
    const r = await req(s1, 'DELETE', '/sessions?others=1');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.ended, 2);
    await dead(s3, 'after 退出其他会话');
    await dead(s4, 'after 退出其他会话');
    const left = await req(s1, 'GET', '/sessions');
    assert.equal(left.json.total, 1);
    assert.equal(left.json.items[0].current, true);
    const audit = await lastAudit(admin);
    assert.equal(audit.action, 'session_end_others');
    assert.equal(audit.username, a.username);
    assert.equal(audit.after.ended, 2);
    assert.equal((await req(other, 'GET', '/me')).status, 200, 'nobody else’s sessions end');
  });
});

// ------------------------------------------------------------------ login CSRF, cross-site writes

describe('login CSRF and cross-site writes', () => {
  const departments = async (name) => (await req(admin, 'GET', `/departments?q=${encodeURIComponent(name)}`)).json.total;

  test('a login that is not application/json (what another site’s form can post) → 415, no cookie', async () => {
    for (const type of ['text/plain', 'text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonx']) {
      const r = await loginRaw('admin', PASSWORD, null, { 'Content-Type': type });
      assert.equal(r.status, 415, `${type}: ${r.text}`);
      assert.equal(r.json.error.code, 'unsupported_media_type');
      assert.ok(hasHan(r.json.error.message));
      assert.equal(r.cookie, null, `${type}: no cookie`);
    }
    assert.equal((await loginRaw('admin', PASSWORD, null, { 'Content-Type': 'application/json; charset=utf-8' })).status, 200);
    assert.equal((await loginRaw('admin', PASSWORD, null, { 'Content-Type': 'Application/JSON' })).status, 200);
  });

  test('a write or a login with another site’s Origin → 403 cross_origin, nothing written', async () => {
    for (const origin of ['https://evil.example', 'null', `${BASE}.evil.example`, BASE.replace(/:\d+$/, ':1')]) {
      const name = uniq('跨站');
      const r = await req(admin, 'POST', '/departments', { procuratorate_id: 1, name }, { Origin: origin });
      assert.equal(r.status, 403, `${origin}: ${r.text}`);
      assert.equal(r.json.error.code, 'cross_origin');
      assert.ok(hasHan(r.json.error.message));
      assert.equal(await departments(name), 0);
      const l = await loginRaw('admin', PASSWORD, null, { Origin: origin });
      assert.equal(l.status, 403, `login from ${origin}`);
      assert.equal(l.cookie, null);
    }
    const out = await req(admin, 'DELETE', '/session', undefined, { Origin: 'https://evil.example' });
    assert.equal(out.status, 403, 'not even a logout');
    assert.equal((await req(admin, 'GET', '/me')).status, 200);
  });

  test('Sec-Fetch-Site: cross-site → 403 cross_origin', async () => {
    const name = uniq('跨站');
    const r = await req(admin, 'POST', '/departments', { procuratorate_id: 1, name }, { 'Sec-Fetch-Site': 'cross-site' });
    assert.equal(r.status, 403, r.text);
    assert.equal(r.json.error.code, 'cross_origin');
    assert.equal(await departments(name), 0);
    const l = await loginRaw('admin', PASSWORD, null, { 'Sec-Fetch-Site': 'cross-site' });
    assert.equal(l.status, 403);
    assert.equal(l.cookie, null);
  });

  test('same-origin writes and reads with any Origin still work', async () => {
    const name = uniq('同源');
    const r = await req(admin, 'POST', '/departments', { procuratorate_id: 1, name }, { Origin: BASE, 'Sec-Fetch-Site': 'same-origin' });
    assert.equal(r.status, 201, r.text);
    const d = await req(admin, 'DELETE', `/departments/${r.json.id}?version=${r.json.version}`, undefined, { Origin: BASE.toUpperCase() });
    assert.equal(d.status, 204, d.text);
    assert.equal((await loginRaw('viewer', PASSWORD, null, { Origin: BASE, 'Sec-Fetch-Site': 'same-origin' })).status, 200);
    assert.equal((await req(admin, 'GET', '/me', undefined, { Origin: 'https://evil.example' })).status, 200, 'a read is not a write');
  });
});

// ------------------------------------------------------------------ the password rule

describe('the password rule: one for setting, the same maximum at login', () => {
  let victim;
  before(async () => {
    victim = await account(admin, trash);
  });

  const weak = (username) => [
    ['Ab1!xyz', /至少 10 个字符/],
    ['aaaaaaaaaa', /同一个字符/],
    ['          ', /空格|空白/],
    ['\u3000'.repeat(10), /空格|空白/],
    [`${username}#2024`, /用户名/],
    [`X!${username.toUpperCase()}9`, /用户名/],
    ['P@ssw0rd123', /常见/],
    ['QWERTY123456', /常见/],
    ['1qaz2wsx3edc', /常见/],
    ['abcdefghijk', /至少三类/],
    ['abcdefgh12', /至少三类/],
    ['中文密码中文密码中文', /至少三类/],
    ['Tab\tPass1234', /控制字符/],
    ['中'.repeat(100), /64/],
  ];

  test('every kind of weak password is refused with its own Chinese message, on create and on update', async () => {
    const username = uniq('weak-');
    for (const [pw, msg] of weak(username)) {
      const r = await req(admin, 'POST', '/users', { username, display_name: '弱密码', password: pw, role: 'viewer', procuratorate_id: 1 });
      assert.equal(r.status, 400, `${JSON.stringify(pw)}: ${r.text}`);
      assert.equal(r.json.error.field, 'password', pw);
      assert.match(r.json.error.message, msg, pw);
    }
    assert.equal((await req(admin, 'GET', `/users?username=${username}`)).json.total, 0, 'nobody was created');
    const cur = (await req(admin, 'GET', `/users/${victim.u.id}`)).json;
    for (const [pw, msg] of weak(victim.username)) {
      const r = await req(admin, 'PATCH', `/users/${victim.u.id}`, { version: cur.version, password: pw });
      assert.equal(r.status, 400, `${JSON.stringify(pw)}: ${r.text}`);
      assert.match(r.json.error.message, msg, pw);
    }
    assert.equal((await loginRaw(victim.username, victim.password)).status, 200, 'the password stayed');
  });

  test('the command line applies the same rule (init, user add, user passwd, demo --password)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ronghe-pw-'));
    try {
      for (const [args, pw, msg] of [
        [['init', '--db', path.join(dir, 'a.db')], 'aaaaaaaaaa', /同一个字符/],
        [['init', '--db', path.join(dir, 'b.db'), '--username', 'chief'], 'Chief-2024-x', /用户名/],
        [['user', 'add', '--db', DB, '--username', 'cli-weak', '--role', 'viewer', '--procuratorate', '1'], 'password123', /常见/],
        [['user', 'passwd', '--db', DB, '--username', victim.username], 'abcdefghijk', /至少三类/],
        [['user', 'passwd', '--db', DB, '--username', victim.username], '中'.repeat(100), /64/],
      ]) {
        const r = cli(args, pw + '\n');
        assert.equal(r.code, 2, `${args.join(' ')} ← ${pw}: ${r.all}`);
        assert.match(r.err, msg, r.all);
      }
      assert.deepEqual(fs.readdirSync(dir), [], 'init created nothing');
      const d = cli(['demo', '--db', path.join(dir, 'demo.db'), '--password', 'Viewer-2024-x']);
      assert.equal(d.code, 2, d.all);
      assert.match(d.err, /用户名/);
      assert.equal(fs.existsSync(path.join(dir, 'demo.db')), false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('ronghe demo --password-file writes a generated password that meets the rule, readable only by its owner', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ronghe-pwf-'));
    try {
      const f = path.join(dir, 'demo.db.password');
      const r = cli(['demo', '--db', path.join(dir, 'demo.db'), '--password-file', f], '', 60000);
      assert.equal(r.code, 0, r.all);
      const pw = fs.readFileSync(f, 'utf8').replace(/\n$/, '');
      assert.ok(!r.out.includes(pw), 'the password is written to the file, not printed');
      assert.equal(fs.statSync(f).mode & 0o777, 0o600);
      assert.match(pw, /^[A-Za-z0-9]{16}$/);
      assert.ok(/[A-Z]/.test(pw) && /[a-z]/.test(pw) && /[0-9]/.test(pw), pw);
      for (const u of ['admin', 'viewer', 'zlt-admin', 'hlgl-sec']) assert.ok(!pw.toLowerCase().includes(u));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the longest password allowed (64 characters, Chinese too) can be set and used; one longer neither', async () => {
    const longest = '中'.repeat(60) + 'Ab1!';
    let cur = (await req(admin, 'GET', `/users/${victim.u.id}`)).json;
    const p = await req(admin, 'PATCH', `/users/${victim.u.id}`, { version: cur.version, password: longest });
    assert.equal(p.status, 200, p.text);
    assert.equal((await loginRaw(victim.username, longest)).status, 200, 'a password that could be set logs in');
    const tooLong = '中'.repeat(61) + 'Ab1!';
    const r = await req(admin, 'PATCH', `/users/${victim.u.id}`, { version: p.json.version, password: tooLong });
    assert.equal(r.status, 400, r.text);
    assert.equal(r.json.error.code, 'too_long');
    const l = await loginRaw(victim.username, '中'.repeat(100));
    assert.equal(l.status, 401);
    assert.equal(l.json.error.code, 'bad_credentials');
    victim.password = longest;
  });
});
