// Users as people use them: an account that has signed in is disabled, never deleted;
// everyone changes their own password (POST /me/password), throttled like logins.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { req, login, loginRaw, uniq, rand, Trash, create, get, lastAudit, cli, startServer } from './lib.mjs';

const hasHan = (s) => /[\u4e00-\u9fff]/.test(s ?? '');
const strong = () => `Usr-${rand()}-pw9`;

let admin;
const trash = new Trash();
before(async () => {
  admin = await login('admin');
});
after(async () => {
  await trash.empty(admin);
});

async function newUser(role = 'viewer', extra = {}) {
  const password = strong();
  const username = uniq('usr-');
  const u = await create(admin, 'users', { username, display_name: '用户测试' + rand(2), password, role, procuratorate_id: 1, ...extra });
  trash.add('users', u.id);
  return { ...u, password };
}

describe('a user who has signed in is disabled, not deleted', () => {
  test('DELETE of a user who never signed in: 204, audited', async () => {
    const u = await newUser();
    const r = await req(admin, 'DELETE', `/users/${u.id}?version=${u.version}`);
    assert.equal(r.status, 204, r.text);
    assert.equal((await req(admin, 'GET', `/users/${u.id}`)).status, 404);
    const a = await lastAudit(admin);
    assert.deepEqual([a.action, a.entity, a.entity_id], ['delete', 'users', u.id]);
  });

  test('DELETE of a user who has signed in: 409 in Chinese saying to disable; nothing changes', async () => {
    const u = await newUser();
    await login(u.username, u.password);
    const before = await lastAudit(admin);
    const r = await req(admin, 'DELETE', `/users/${u.id}?version=${u.version}`);
    assert.equal(r.status, 409, r.text);
    assert.equal(r.json.error.code, 'user_has_signed_in');
    assert.ok(hasHan(r.json.error.message) && r.json.error.message.includes('停用'), r.json.error.message);
    assert.equal((await get(admin, 'users', u.id)).version, u.version);
    assert.equal((await lastAudit(admin)).id, before.id, 'a refused delete writes no audit entry');
  });

  test('…also when the sessions are gone: the audit’s login entry is enough', async () => {
    const u = await newUser();
    const s = await login(u.username, u.password);
    assert.equal((await req(s, 'DELETE', '/session')).status, 204);
    const r = await req(admin, 'DELETE', `/users/${u.id}?version=${u.version}`);
    assert.equal(r.status, 409, r.text);
    assert.equal(r.json.error.code, 'user_has_signed_in');
  });

  test('such a user is disabled with PATCH disabled and enabled again', async () => {
    const u = await newUser();
    await login(u.username, u.password);
    let r = await req(admin, 'PATCH', `/users/${u.id}`, { version: u.version, disabled: true });
    assert.equal(r.status, 200, r.text);
    assert.equal((await loginRaw(u.username, u.password)).status, 401, 'a disabled user cannot sign in');
    r = await req(admin, 'PATCH', `/users/${u.id}`, { version: r.json.version, disabled: false });
    assert.equal(r.status, 200, r.text);
    assert.equal((await loginRaw(u.username, u.password)).status, 200);
  });
});

describe('POST /me/password', () => {
  test('a viewer changes their own password: 204; the old one no longer signs in, the new one does', async () => {
    const u = await newUser('viewer');
    const s = await login(u.username, u.password);
    const fresh = strong();
    const r = await req(s, 'POST', '/me/password', { current: u.password, new: fresh });
    assert.equal(r.status, 204, r.text);
    assert.equal((await loginRaw(u.username, u.password)).status, 401);
    assert.equal((await loginRaw(u.username, fresh)).status, 200);
    const a = await lastAudit(admin);
    assert.deepEqual([a.action, a.entity, a.entity_id, a.username], ['login', 'session', u.id, u.username]);
    const hist = await req(admin, 'GET', `/users/${u.id}/history`);
    assert.ok(hist.json.items.some((e) => e.action === 'password' && e.user_id === u.id), JSON.stringify(hist.json.items));
    assert.ok(!JSON.stringify(hist.json).includes(fresh), 'the password is never in the audit');
  });

  test('the change keeps this session and ends the user’s others', async () => {
    const u = await newUser('viewer');
    const here = await login(u.username, u.password);
    const there = await login(u.username, u.password);
    const r = await req(here, 'POST', '/me/password', { current: u.password, new: strong() });
    assert.equal(r.status, 204, r.text);
    assert.equal((await req(here, 'GET', '/me')).status, 200, 'the session that changed it goes on');
    assert.equal((await req(here, 'GET', '/sessions')).json.total, 1);
    assert.equal((await req(there, 'GET', '/me')).status, 401, 'the other session ended');
    // and the one kept still writes (its CSRF token is the same)
    const again = await req(here, 'DELETE', '/sessions?others=1');
    assert.equal(again.status, 200, again.text);
  });

  test('a wrong current password: 400 wrong_password on "current"; nothing changes', async () => {
    const u = await newUser();
    const s = await login(u.username, u.password);
    const r = await req(s, 'POST', '/me/password', { current: u.password + 'x', new: strong() });
    assert.equal(r.status, 400, r.text);
    assert.equal(r.json.error.code, 'wrong_password');
    assert.equal(r.json.error.field, 'current');
    assert.ok(hasHan(r.json.error.message));
    assert.equal((await loginRaw(u.username, u.password)).status, 200);
  });

  test('a new password the rule refuses: 400 with the rule’s message on "new"', async () => {
    const u = await newUser();
    const s = await login(u.username, u.password);
    for (const [bad, code] of [['short1A!', 'weak_password'], ['aaaaaaaaaaaa', 'weak_password'], [`X1-${u.username}-y`, 'weak_password'], [u.password, 'same_password'], ['x'.repeat(65), 'too_long']]) {
      const r = await req(s, 'POST', '/me/password', { current: u.password, new: bad });
      assert.equal(r.status, 400, `${bad}: ${r.text}`);
      assert.equal(r.json.error.code, code, bad);
      assert.equal(r.json.error.field, 'new', bad);
      assert.ok(hasHan(r.json.error.message), r.json.error.message);
    }
    assert.equal((await loginRaw(u.username, u.password)).status, 200, 'still the old password');
  });

  test('malformed bodies: 400 in Chinese', async () => {
    const u = await newUser();
    const s = await login(u.username, u.password);
    for (const body of [{}, { current: u.password }, { current: 1, new: 'x' }, { current: u.password, new: strong(), extra: 1 }, { current: '', new: strong() }]) {
      const r = await req(s, 'POST', '/me/password', body);
      assert.equal(r.status, 400, `${JSON.stringify(body)}: ${r.text}`);
      assert.ok(hasHan(r.json.error.message));
    }
    assert.equal((await req(s, 'POST', '/me/password', 'not json')).status, 400);
    assert.equal((await req(s, 'GET', '/me/password')).status, 405);
    assert.equal((await req(s, 'PATCH', '/me/password', {})).status, 405);
    // a NUL inside the new password would cut it short: the JSON is refused, the old password stays
    const cut = await req(s, 'POST', '/me/password', { current: u.password, new: strong() + '\u0000tail' });
    assert.equal(cut.status, 400, cut.text);
    assert.equal(cut.json.error.code, 'bad_json');
    assert.equal((await loginRaw(u.username, u.password)).status, 200, 'still the old password');
  });

  test('needs a session and the CSRF token', async () => {
    assert.equal((await req(null, 'POST', '/me/password', { current: 'a', new: 'b' })).status, 401);
    const u = await newUser();
    const s = await login(u.username, u.password);
    const r = await req({ cookie: s.cookie }, 'POST', '/me/password', { current: u.password, new: strong() });
    assert.equal(r.status, 403, r.text);
    assert.equal(r.json.error.code, 'csrf');
  });
});

describe('wrong current passwords are throttled like logins', () => {
  let dir, srv;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ronghe-users-'));
    const db = path.join(dir, 'demo.db');
    const pw = `Users-${rand(6)}-1`;
    const made = cli(['demo', '--db', db, '--password', pw]);
    assert.equal(made.code, 0, made.all);
    srv = await startServer(db);
    srv.pw = pw;
  });
  after(async () => {
    await srv?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('five wrong tries pass as 400, the sixth is 429 with Retry-After, and login is held up too', async () => {
    const s = await login('viewer', srv.pw, srv.url);
    const url = srv.url + '/api/v1/me/password';
    const statuses = [];
    let last;
    for (let i = 0; i < 6; i++) {
      last = await req(s, 'POST', url, { current: `wrong-${i}`, new: strong() });
      statuses.push(last.status);
    }
    assert.deepEqual(statuses, [400, 400, 400, 400, 400, 429], statuses.join());
    assert.equal(last.json.error.code, 'throttled');
    assert.ok(Number(last.headers.get('retry-after')) >= 1);
    // the same account from the same address: the login page counts the same failures
    const l = await loginRaw('viewer', srv.pw, srv.url);
    assert.equal(l.status, 429, l.text);
  });
});
