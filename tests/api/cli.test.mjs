// The command line: help and usage errors, init, demo, serve, user, backup, audit verify.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BIN, DB, req, login, loginRaw, uniq, rand, Trash, auditCount, lastAudit, startServer, cli } from './lib.mjs';

const run = cli;
const sha = (f) => createHash('sha256').update(fs.readFileSync(f)).digest('hex');

async function loginAt(url, username, password) {
  const r = await fetch(url + '/api/v1/session', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username, password }) });
  const json = await r.json().catch(() => null);
  const cookie = (r.headers.getSetCookie?.() ?? []).map((c) => /^(ronghe_session=[^;]*)/.exec(c)?.[1]).find(Boolean);
  return { status: r.status, json, cookie };
}

describe('ronghe command line', () => {
  let tmp;
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ronghe-cli-'));
  });
  after(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  test('ronghe --help exits 0 and mentions serve', () => {
    const r = run(['--help']);
    assert.equal(r.code, 0, r.all);
    assert.match(r.out, /serve/);
    for (const cmd of ['init', 'demo', 'user', 'backup', 'audit']) assert.match(r.out, new RegExp(cmd));
  });

  test('ronghe serve --help exits 0 and explains --db', () => {
    const r = run(['serve', '--help']);
    assert.equal(r.code, 0, r.all);
    assert.match(r.out, /--db/);
  });

  test('ronghe with no command exits 2', () => {
    const r = run([]);
    assert.equal(r.code, 2, r.all);
  });

  test('ronghe bogus exits 2 and names the unknown command', () => {
    const r = run(['bogus']);
    assert.equal(r.code, 2, r.all);
    assert.match(r.err, /bogus/);
  });

  test('ronghe serve without --db exits 2 with a message', () => {
    const r = run(['serve'], '', 5000);
    assert.equal(r.signal, null, 'it must not start serving');
    assert.equal(r.code, 2, r.all);
    assert.match(r.err, /--db/);
  });

  test('ronghe serve with an unknown option exits 2', () => {
    const r = run(['serve', '--db', path.join(tmp, 'x.db'), '--frobnicate'], '', 5000);
    assert.equal(r.code, 2, r.all);
    assert.match(r.err, /frobnicate/);
  });

  test('ronghe serve --db of a missing file fails (non-zero) without creating it', () => {
    const f = path.join(tmp, 'missing.db');
    const r = run(['serve', '--db', f, '--listen', '127.0.0.1:0'], '', 5000);
    assert.equal(r.signal, null);
    assert.notEqual(r.code, 0, r.all);
    assert.ok(r.err.length > 0);
    assert.equal(fs.existsSync(f), false);
  });

  test('ronghe demo --db EXISTING (not a database) refuses and leaves the file unchanged', () => {
    const f = path.join(tmp, 'existing.txt');
    fs.writeFileSync(f, 'precious data\n');
    const r = run(['demo', '--db', f, '--password', 'demo-password-123']);
    assert.notEqual(r.code, 0, r.all);
    assert.ok(r.err.length > 0, 'explains why');
    assert.equal(fs.readFileSync(f, 'utf8'), 'precious data\n');
  });

  test('ronghe demo --db EXISTING (a database) refuses and leaves the file unchanged', () => {
    const f = path.join(tmp, 'existing.db');
    const b = run(['backup', '--db', DB, '--to', f]);
    assert.equal(b.code, 0, b.all);
    const before = sha(f);
    const r = run(['demo', '--db', f, '--password', 'demo-password-123']);
    assert.notEqual(r.code, 0, r.all);
    assert.equal(sha(f), before);
  });

  test('ronghe init with a too short password exits 2 and creates nothing', () => {
    const f = path.join(tmp, 'short.db');
    const r = run(['init', '--db', f], 'short\n');
    assert.equal(r.code, 2, r.all);
    assert.equal(fs.existsSync(f), false);
  });

  describe('init, a second server, user add / disable', () => {
    let newDb, srv;
    const adminPw = 'init-root-pw-' + rand() + '-1';
    before(async () => {
      newDb = path.join(tmp, 'new.db');
    });
    after(async () => {
      if (srv && srv.child.exitCode === null) srv.child.kill('SIGKILL');
    });

    test('ronghe init --db NEW (password on stdin) exits 0 and creates the file', () => {
      const r = run(['init', '--db', newDb], adminPw + '\n');
      assert.equal(r.code, 0, r.all);
      assert.ok(fs.existsSync(newDb));
      assert.ok(!r.out.includes(adminPw), 'a password given on stdin is not printed');
    });

    test('ronghe init --db EXISTING refuses (non-zero) and leaves the file unchanged', () => {
      const before = sha(newDb);
      const r = run(['init', '--db', newDb], 'another-password-123\n');
      assert.notEqual(r.code, 0, r.all);
      assert.equal(sha(newDb), before);
    });

    test('the new database serves; its admin logs in with the stdin password', async () => {
      srv = await startServer(newDb);
      const bad = await loginAt(srv.url, 'admin', adminPw + 'x');
      assert.equal(bad.status, 401);
      const ok = await loginAt(srv.url, 'admin', adminPw);
      assert.equal(ok.status, 200, JSON.stringify(ok.json));
      assert.equal(ok.json.user.role, 'admin');
      assert.equal(ok.json.user.scope, 'all');
      const procs = await fetch(srv.url + '/api/v1/procuratorates', { headers: { Cookie: ok.cookie } }).then((r) => r.json());
      assert.equal(procs.total, 1, 'an empty database with one city procuratorate');
      assert.equal(procs.items[0].level, 1);
      const members = await fetch(srv.url + '/api/v1/members', { headers: { Cookie: ok.cookie } }).then((r) => r.json());
      assert.equal(members.total, 0);
    });

    test('ronghe audit verify on the new database → 0', () => {
      const r = run(['audit', 'verify', '--db', newDb]);
      assert.equal(r.code, 0, r.all);
    });

    test('ronghe user add (password on stdin) → that user can log in', async () => {
      const pw = 'cli-user-pw-' + rand() + '-1';
      const r = run(['user', 'add', '--db', newDb, '--username', 'cli-viewer', '--role', 'viewer', '--procuratorate', '1', '--display-name', '命令行用户'], pw + '\n');
      assert.equal(r.code, 0, r.all);
      const ok = await loginAt(srv.url, 'cli-viewer', pw);
      assert.equal(ok.status, 200, JSON.stringify(ok.json));
      assert.equal(ok.json.user.role, 'viewer');
      assert.equal(ok.json.user.display_name, '命令行用户');
      const list = run(['user', 'list', '--db', newDb]);
      assert.equal(list.code, 0, list.all);
      assert.match(list.out, /cli-viewer/);
    });

    test('ronghe user add with a short password exits 2 and adds nobody', async () => {
      const r = run(['user', 'add', '--db', newDb, '--username', 'cli-short', '--role', 'viewer', '--procuratorate', '1'], 'short\n');
      assert.equal(r.code, 2, r.all);
      assert.doesNotMatch(run(['user', 'list', '--db', newDb]).out, /cli-short/);
    });

    test('ronghe user add without --role exits 2', () => {
      const r = run(['user', 'add', '--db', newDb, '--username', 'cli-norole', '--procuratorate', '1'], 'long-enough-pw-1\n');
      assert.equal(r.code, 2, r.all);
    });

    test('ronghe user disable → login fails and the open session stops working', async () => {
      const pw = 'cli-user2-pw-' + rand();
      assert.equal(run(['user', 'add', '--db', newDb, '--username', 'cli-gone', '--role', 'viewer', '--procuratorate', '1'], pw + '\n').code, 0);
      const s = await loginAt(srv.url, 'cli-gone', pw);
      assert.equal(s.status, 200);
      const r = run(['user', 'disable', '--db', newDb, '--username', 'cli-gone']);
      assert.equal(r.code, 0, r.all);
      const again = await loginAt(srv.url, 'cli-gone', pw);
      assert.equal(again.status, 401, JSON.stringify(again.json));
      const me = await fetch(srv.url + '/api/v1/me', { headers: { Cookie: s.cookie } });
      assert.equal(me.status, 401, 'a disabled account’s session is refused');
      assert.match(run(['user', 'list', '--db', newDb]).out, /cli-gone.*停用/);
    });

    test('ronghe user disable of an unknown user fails (non-zero)', () => {
      const r = run(['user', 'disable', '--db', newDb, '--username', 'nobody-' + rand()]);
      assert.notEqual(r.code, 0, r.all);
    });

    test('ronghe user passwd (stdin) → the new password works, the old does not', async () => {
      const pw = 'cli-user3-pw-' + rand();
      assert.equal(run(['user', 'add', '--db', newDb, '--username', 'cli-pw', '--role', 'viewer', '--procuratorate', '1'], pw + '\n').code, 0);
      const pw2 = 'cli-user3-new-' + rand();
      const r = run(['user', 'passwd', '--db', newDb, '--username', 'cli-pw'], pw2 + '\n');
      assert.equal(r.code, 0, r.all);
      assert.equal((await loginAt(srv.url, 'cli-pw', pw)).status, 401);
      assert.equal((await loginAt(srv.url, 'cli-pw', pw2)).status, 200);
    });

    test('the second server stops on SIGTERM with exit code 0', async () => {
      srv.child.kill('SIGTERM');
      const timeout = new Promise((r) => setTimeout(() => r({ code: 'timeout' }), 10000));
      const { code, signal } = await Promise.race([srv.exited, timeout]);
      assert.equal(signal ?? null, null, srv.log());
      assert.equal(code, 0, srv.log());
    });
  });

  describe('backup while serving, audit verify, tampering', () => {
    let admin, copy;
    const trash = new Trash();
    let marker, entryId, count;
    before(async () => {
      admin = await login('admin');
      copy = path.join(tmp, 'copy.db');
    });
    after(async () => {
      await trash.empty(admin);
    });

    test('ronghe backup --db RONGHE_DB --to COPY while the server runs → 0', async () => {
      marker = 'TAMPER' + rand(6);
      const d = await req(admin, 'POST', '/departments', { procuratorate_id: 1, name: '审计测试' + uniq(), duties: marker });
      assert.equal(d.status, 201, d.text);
      trash.add('departments', d.json.id);
      const last = await lastAudit(admin);
      assert.equal(last.entity_id, d.json.id);
      entryId = last.id;
      count = await auditCount(admin);
      const r = run(['backup', '--db', DB, '--to', copy]);
      assert.equal(r.code, 0, r.all);
      assert.ok(fs.statSync(copy).size > 0);
      // the server keeps serving
      assert.equal((await req(admin, 'GET', '/me')).status, 200);
    });

    test('ronghe backup --to an existing file refuses and leaves it unchanged', () => {
      const before = sha(copy);
      const r = run(['backup', '--db', DB, '--to', copy]);
      assert.notEqual(r.code, 0, r.all);
      assert.equal(sha(copy), before);
    });

    test('ronghe audit verify --db COPY → 0 and a summary with the number of entries', () => {
      const r = run(['audit', 'verify', '--db', copy]);
      assert.equal(r.code, 0, r.all);
      assert.ok(r.out.trim().length > 0, 'prints a summary');
      assert.match(r.out, new RegExp(`\\b${count}\\b`), `summary names ${count} entries: ${r.out}`);
    });

    test('one character changed in an audit entry → audit verify fails and names that entry', () => {
      const needle = Buffer.from(`"duties":"${marker}"`);
      let flipped = 0;
      for (const f of [copy, copy + '-wal']) {
        if (!fs.existsSync(f)) continue;
        const buf = fs.readFileSync(f);
        for (let at = buf.indexOf(needle); at >= 0; at = buf.indexOf(needle, at + 1)) {
          const i = at + needle.length - 2; // last character of the marker
          buf[i] = buf[i] === 0x61 ? 0x62 : 0x61; // same length, different letter
          flipped++;
        }
        fs.writeFileSync(f, buf);
      }
      assert.ok(flipped > 0, 'found the audit entry text in the copy');
      const r = run(['audit', 'verify', '--db', copy]);
      assert.notEqual(r.code, 0, r.all);
      assert.match(r.all, new RegExp(`\\b${entryId}\\b`), `names entry ${entryId}: ${r.all}`);
    });

    test('the served database still verifies', () => {
      const c2 = path.join(tmp, 'copy2.db');
      assert.equal(run(['backup', '--db', DB, '--to', c2]).code, 0);
      const r = run(['audit', 'verify', '--db', c2]);
      assert.equal(r.code, 0, r.all);
    });

    test('ronghe audit verify without --db exits 2; audit bogus exits 2', () => {
      assert.equal(run(['audit', 'verify']).code, 2);
      assert.equal(run(['audit', 'bogus']).code, 2);
    });
  });
});

test('user add takes the procuratorate and branch by name, and says so when a name is unknown', async () => {
  const username = 'cli-named-' + Date.now();
  const pw = 'cli-named-password-1';
  const r = spawnSync(process.env.RONGHE_BIN, ['user', 'add', '--db', process.env.RONGHE_DB, '--username', username,
    '--role', 'secretary', '--procuratorate', '霍林郭勒市人民检察院', '--branch', '霍林郭勒市人民检察院党支部'], { input: pw + '\n', encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  const s = await login(username, pw);
  assert.equal(s.user.branch_name, '霍林郭勒市人民检察院党支部');
  assert.equal(s.user.procuratorate_name, '霍林郭勒市人民检察院');
  const bad = spawnSync(process.env.RONGHE_BIN, ['user', 'add', '--db', process.env.RONGHE_DB, '--username', username + 'x',
    '--role', 'viewer', '--procuratorate', '不存在的检察院'], { input: pw + '\n', encoding: 'utf8' });
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /找不到“不存在的检察院”/);
});
