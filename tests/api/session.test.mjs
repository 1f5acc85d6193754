// Sessions: login, cookies, logout, throttling, CSRF and security headers.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { req, login, loginRaw, uniq, Trash, create, PASSWORD, BASE } from './lib.mjs';

const hasHan = (s) => /[\u4e00-\u9fff]/.test(s ?? '');

describe('session', () => {
  let admin;
  const trash = new Trash();
  before(async () => {
    admin = await login('admin');
  });
  after(async () => {
    await trash.empty(admin);
  });

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
      viewer: { role: 'viewer', scope: 'all', can_write: false },
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
    const first = 'first-password-' + uniq();
    const u = await create(admin, 'users', { username, display_name: '改密测试', password: first, role: 'viewer', procuratorate_id: 1 });
    trash.add('users', u.id);
    assert.ok(!('password' in u) && !('password_hash' in u), JSON.stringify(u));
    const second = 'second-password-' + uniq();
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
    const password = 'disable-password-' + uniq();
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
    const password = 'right-password-' + uniq();
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
