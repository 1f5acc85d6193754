// Login throttling: nothing an attacker sends can empty it or race it, the guesser is held
// up and the owner is not, forwarded addresses are believed only from trusted proxies, and
// an administrator can lift a limit on a running server.
//
// These tests start servers of their own (fresh demo databases, free loopback ports) so
// that their failures count against nobody else, and send from distinct loopback
// addresses (127.0.0.2, 127.0.0.3 …) to play distinct clients.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { BIN, freePort, rand } from './lib.mjs';

const hasHan = (s) => /[\u4e00-\u9fff]/.test(s ?? '');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A fresh demo database and `ronghe serve` on it with "args"; resolves once it answers. */
async function startServer(dir, args = []) {
  const db = path.join(dir, `demo-${rand()}.db`);
  const password = `throttle-${rand(6)}-1`;
  const made = spawnSync(BIN, ['demo', '--db', db, '--password', password], { encoding: 'utf8' });
  assert.equal(made.status, 0, made.stderr);
  const port = await freePort();
  const child = spawn(BIN, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`, ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  child.stderr.on('data', (d) => (log += d));
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const srv = { db, password, port, child, log: () => log };
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) break;
    try {
      if ((await send(srv, 'GET', '/health')).status === 200) {
        srv.stop = async () => {
          child.kill('SIGTERM');
          const r = await exited;
          assert.equal(r.code, 0, `server did not stop cleanly: ${JSON.stringify(r)}\n${log}`);
        };
        return srv;
      }
    } catch {}
    await sleep(50);
  }
  child.kill('SIGKILL');
  throw new Error(`server with ${JSON.stringify(args)} did not start: ${log}`);
}

/** One request to "srv" from loopback address "from" (default 127.0.0.1). */
function send(srv, method, p, { body, from = '127.0.0.1', headers = {}, session } = {}) {
  return new Promise((resolve, reject) => {
    const h = { ...headers };
    const payload = body === undefined ? undefined : JSON.stringify(body);
    if (payload !== undefined) h['Content-Type'] = 'application/json';
    if (session) {
      h.Cookie = session.cookie;
      if (method !== 'GET' && session.csrf) h['X-CSRF-Token'] = session.csrf;
    }
    const r = http.request(
      { host: '127.0.0.1', port: srv.port, localAddress: from, method, path: '/api/v1' + p, headers: h, agent: false },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d) => (text += d));
        res.on('end', () => {
          let json = null;
          try {
            json = text ? JSON.parse(text) : null;
          } catch {}
          resolve({ status: res.statusCode, headers: res.headers, json, text });
        });
      },
    );
    r.on('error', reject);
    r.setTimeout(60000, () => r.destroy(new Error(`${method} ${p} timed out`)));
    if (payload !== undefined) r.write(payload);
    r.end();
  });
}

const attempt = (srv, username, password, from, headers) =>
  send(srv, 'POST', '/session', { body: { username, password }, from, headers });

async function signIn(srv, username, password = srv.password, from = '127.0.0.1') {
  const r = await attempt(srv, username, password, from);
  assert.equal(r.status, 200, `login ${username}: ${r.text}`);
  const cookie = (r.headers['set-cookie'] ?? []).map((c) => /^(ronghe_session=[^;]*)/.exec(c)?.[1]).find(Boolean);
  return { cookie, csrf: r.json.csrf_token };
}

async function newUser(srv, admin, role = 'viewer') {
  const username = `thr-${rand()}`;
  const password = `right-${rand(6)}-1`;
  const r = await send(srv, 'POST', '/users', {
    session: admin,
    body: { username, display_name: '限流测试', password, role, procuratorate_id: 1 },
  });
  assert.equal(r.status, 201, r.text);
  return { id: r.json.id, username, password };
}

/** The 429 every limit answers: code, Chinese message saying when, Retry-After. */
function assertThrottled(r, what) {
  assert.equal(r.status, 429, `${what}: ${r.status} ${r.text}`);
  assert.equal(r.json.error.code, 'throttled');
  assert.ok(hasHan(r.json.error.message), r.json.error.message);
  assert.match(r.json.error.message, /\d+ (秒|分钟)后再试/);
  assert.equal(r.json.error.field, null);
  assert.ok(Number.isInteger(r.json.error.retry_after) && r.json.error.retry_after >= 1, r.text);
  assert.equal(r.headers['retry-after'], String(r.json.error.retry_after));
  assert.equal(r.headers['set-cookie'], undefined, 'a throttled login sets no cookie');
}

// The slot function the server used before this module (FNV-1a, 4096 slots): the
// attacker's tool. Only the low 12 bits matter, so 32-bit arithmetic suffices.
const FNV_BASIS_LOW = Number(BigInt('1469598103934665603') & 0xffffffffn);
function oldSlot(key) {
  let h = FNV_BASIS_LOW;
  for (const b of Buffer.from(key)) h = Math.imul((h ^ b) >>> 0, 0x1b3) >>> 0;
  return h % 4096;
}
/** "n" usernames whose account key lands on slot "slot" of the old table. */
function collidingNames(slot, n) {
  const out = [];
  for (let i = 0; out.length < n && i < 10_000_000; i++) if (oldSlot(`u:c${i}`) === slot) out.push(`c${i}`);
  assert.equal(out.length, n);
  return out;
}

describe('login throttle', () => {
  let dir, srv, admin;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ronghe-throttle-'));
    srv = await startServer(dir);
    admin = await signIn(srv, 'admin');
  });
  after(async () => {
    await srv?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('crafted usernames that collide with a held-up account do not free it', async () => {
    const target = await newUser(srv, admin);
    const from = '127.0.0.2';
    // Hold the guesser's pair up for 4 s: 5 failures, then wait out 1 s and 2 s.
    let last;
    for (let i = 0; i < 12; i++) {
      last = await attempt(srv, target.username, `wrong-${i}`, from);
      if (last.status === 429) {
        const wait = Number(last.headers['retry-after']);
        if (!wait || wait >= 4) break;
        await sleep(wait * 1000 + 100);
      }
    }
    assert.notEqual(last.status, 200);
    // 16 failures with names aimed at the account's slot, from elsewhere, all at once.
    const names = collidingNames(oldSlot(`u:${target.username}`), 16);
    const crafted = await Promise.all(names.map((n) => attempt(srv, n, 'whatever-password', '127.0.0.3')));
    assert.ok(crafted.every((r) => r.status === 401 || r.status === 429), crafted.map((r) => r.status).join());
    const r = await attempt(srv, target.username, target.password, from);
    assertThrottled(r, 'the right password from the held-up address');
  });

  test('41 failures from one address with crafted names: 429 from the 21st on', async () => {
    const from = '127.0.0.4';
    // One ordinary failure puts the address's own entry in its slot; the 40 crafted names
    // that follow are aimed at that slot.
    const names = ['viewer', ...collidingNames(oldSlot(`a:${from}`), 40)];
    const statuses = [];
    for (const n of names) statuses.push((await attempt(srv, n, 'whatever-password', from)).status);
    assert.deepEqual(statuses.slice(0, 20), Array(20).fill(401), statuses.join());
    assert.deepEqual(statuses.slice(20), Array(21).fill(429), statuses.join());
    const r = await attempt(srv, names[1], 'whatever-password', from);
    assertThrottled(r, 'the address over its budget');
    assert.match(r.json.error.message, /此地址/);
    // Another address is not affected.
    assert.equal((await attempt(srv, names[1], 'whatever-password', '127.0.0.40')).status, 401);
  });

  test('40 concurrent wrong passwords for one account: at most 5 answers of 401, the rest 429', async () => {
    const u = await newUser(srv, admin);
    const all = await Promise.all(
      Array.from({ length: 40 }, (_, i) => attempt(srv, u.username, `wrong-${i}`, '127.0.0.5')),
    );
    const count = (s) => all.filter((r) => r.status === s).length;
    assert.ok(count(401) >= 1 && count(401) <= 5, `401: ${count(401)}, statuses ${all.map((r) => r.status).join()}`);
    assert.equal(count(429), 40 - count(401), all.map((r) => r.status).join());
    for (const r of all.filter((x) => x.status === 429)) assertThrottled(r, 'a raced attempt');
  });

  test('the owner logs in from another address while the guesser is held up', async () => {
    const u = await newUser(srv, admin);
    for (let i = 0; i < 5; i++) assert.equal((await attempt(srv, u.username, `wrong-${i}`, '127.0.0.6')).status, 401);
    const held = await attempt(srv, u.username, 'wrong-again', '127.0.0.6');
    assertThrottled(held, 'the sixth guess');
    assert.ok(held.json.error.retry_after <= 1, held.text);
    // The guesser cannot even try the right password; the owner, elsewhere, can.
    assertThrottled(await attempt(srv, u.username, u.password, '127.0.0.6'), 'the right password from the guesser');
    const owner = await attempt(srv, u.username, u.password, '127.0.0.7');
    assert.equal(owner.status, 200, owner.text);
  });

  test('failures are logged with the address, not audited; a success is audited', async () => {
    const auditTotal = async () => (await send(srv, 'GET', '/audit?per_page=1', { session: admin })).json.total;
    const before = await auditTotal();
    for (let i = 0; i < 3; i++) assert.equal((await attempt(srv, 'viewer', `wrong-${i}`, '127.0.0.12')).status, 401);
    assert.equal(await auditTotal(), before, 'failed logins are not audited');
    assert.match(srv.log(), /warn 登录失败：用户名「viewer」，地址 127\.0\.0\.12/);
    await signIn(srv, 'viewer', srv.password, '127.0.0.12');
    assert.equal(await auditTotal(), before + 1, 'a login is audited');
  });

  test('`ronghe user unlock` lifts a limit on the running server, audited', async () => {
    const u = await newUser(srv, admin);
    const from = '127.0.0.10';
    for (let i = 0; i < 5; i++) await attempt(srv, u.username, `wrong-${i}`, from);
    for (let i = 0; i < 15; i++) await attempt(srv, `nobody-${rand()}`, 'wrong', from);
    assertThrottled(await attempt(srv, u.username, u.password, from), 'before the unlock');
    const r = spawnSync(BIN, ['user', 'unlock', '--db', srv.db, '--username', u.username], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /已解除/);
    const ok = await attempt(srv, u.username, u.password, from);
    assert.equal(ok.status, 200, ok.text);
    // Only that account: the address stays held up for the others.
    assertThrottled(await attempt(srv, `nobody-${rand()}`, 'wrong', from), 'another account from that address');
    const audit = await send(srv, 'GET', `/audit?entity=users&entity_id=${u.id}&sort=-id`, { session: admin });
    const entry = audit.json.items.find((e) => e.action === 'unlock');
    assert.ok(entry, audit.text);
    assert.equal(entry.username, 'system');
    assert.equal(entry.after.username, u.username);
    // An unknown user: a clear error, nothing written.
    const bad = spawnSync(BIN, ['user', 'unlock', '--db', srv.db, '--username', 'no-such-user'], { encoding: 'utf8' });
    assert.equal(bad.status, 1);
    assert.ok(hasHan(bad.stderr), bad.stderr);
  });

  test('POST /users/N/unlock: city administrators only, audited', async () => {
    const u = await newUser(srv, admin);
    const from = '127.0.0.11';
    for (let i = 0; i < 5; i++) await attempt(srv, u.username, `wrong-${i}`, from);
    for (let i = 0; i < 15; i++) await attempt(srv, `nobody-${rand()}`, 'wrong', from);
    assertThrottled(await attempt(srv, u.username, u.password, from), 'before the unlock');
    for (const who of ['zlt-admin', 'viewer', 'hlgl-sec']) {
      const s = await signIn(srv, who);
      const r = await send(srv, 'POST', `/users/${u.id}/unlock`, { session: s });
      assert.equal(r.status, 403, `${who}: ${r.text}`);
      assert.equal((await send(srv, 'POST', '/users/99999999/unlock', { session: s })).status, 403, who);
    }
    assertThrottled(await attempt(srv, u.username, u.password, from), 'after refused unlocks');
    assert.equal((await send(srv, 'POST', '/users/99999999/unlock', { session: admin })).status, 404);
    assert.equal((await send(srv, 'GET', `/users/${u.id}/unlock`, { session: admin })).status, 405);
    const noCsrf = await send(srv, 'POST', `/users/${u.id}/unlock`, { session: { cookie: admin.cookie } });
    assert.equal(noCsrf.status, 403);
    const r = await send(srv, 'POST', `/users/${u.id}/unlock`, { session: admin });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.username, u.username);
    const ok = await attempt(srv, u.username, u.password, from);
    assert.equal(ok.status, 200, ok.text);
    const audit = await send(srv, 'GET', `/audit?entity=users&entity_id=${u.id}&sort=-id`, { session: admin });
    const entry = audit.json.items.find((e) => e.action === 'unlock');
    assert.ok(entry, audit.text);
    assert.equal(entry.username, 'admin');
  });
});

describe('trusted proxies', () => {
  let dir, srv, admin;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ronghe-proxy-'));
    srv = await startServer(dir, ['--trusted-proxy', '127.0.0.8', '--trusted-proxy', '10.0.0.0/8']);
    admin = await signIn(srv, 'admin');
  });
  after(async () => {
    await srv?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('X-Forwarded-For from an untrusted peer is ignored', async () => {
    const u = await newUser(srv, admin);
    for (let i = 0; i < 5; i++) {
      const r = await attempt(srv, u.username, `wrong-${i}`, '127.0.0.9', { 'X-Forwarded-For': `198.51.100.${i}` });
      assert.equal(r.status, 401);
    }
    const r = await attempt(srv, u.username, u.password, '127.0.0.9', { 'X-Forwarded-For': '198.51.100.99' });
    assertThrottled(r, 'a new forwarded address from an untrusted peer');
  });

  test('X-Forwarded-For from a trusted proxy is believed, from the right', async () => {
    const u = await newUser(srv, admin);
    const via = (xff) => ({ 'X-Forwarded-For': xff });
    for (let i = 0; i < 5; i++)
      assert.equal((await attempt(srv, u.username, `wrong-${i}`, '127.0.0.8', via('203.0.113.1'))).status, 401);
    assertThrottled(await attempt(srv, u.username, u.password, '127.0.0.8', via('203.0.113.1')), 'the guesser');
    // What the guesser writes itself stands left of what the proxy appends: not believed.
    assertThrottled(
      await attempt(srv, u.username, u.password, '127.0.0.8', via('198.51.100.77, 203.0.113.1')),
      'a spoofed hop',
    );
    // A trusted hop (10.0.0.0/8) is passed over.
    assertThrottled(await attempt(srv, u.username, u.password, '127.0.0.8', via('203.0.113.1, 10.1.2.3')), 'a chain');
    // Another client behind the same proxy logs in, and is recorded with its own address.
    const ok = await attempt(srv, u.username, u.password, '127.0.0.8', via('203.0.113.2'));
    assert.equal(ok.status, 200, ok.text);
    const audit = await send(srv, 'GET', '/audit?per_page=1&sort=-id', { session: admin });
    assert.equal(audit.json.items[0].action, 'login');
    assert.equal(audit.json.items[0].after.address, '203.0.113.2');
  });

  test('a bad --trusted-proxy is refused before serving', () => {
    for (const bad of ['10.0.0.0/33', 'proxy.example', '127.0.0.1,']) {
      const r = spawnSync(BIN, ['serve', '--db', srv.db, '--listen', '127.0.0.1:1', '--trusted-proxy', bad], {
        encoding: 'utf8',
        timeout: 10000,
      });
      assert.equal(r.status, 2, `${bad}: ${r.stdout}${r.stderr}`);
      assert.ok(hasHan(r.stderr), r.stderr);
    }
  });
});
