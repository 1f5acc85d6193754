// The audit chain against someone who can rewrite the database file (docs/audit.md).
// Each attack runs on a database of its own, with the tool such a person would use: the
// sqlite3 shell, with the triggers dropped first. The attacker without the key can at
// best recompute the old unkeyed formula (sha256 over '|'-joined fields); the operator
// who holds the key can recompute everything, and only anchors kept elsewhere show it.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash, createHmac } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BIN, freePort } from './lib.mjs';

const FIXTURES = path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'fixtures');

const PW = 'audit-test-password-1';
const run = (args, input = '') => {
  const r = spawnSync(BIN, args, { input, encoding: 'utf8', timeout: 30000 });
  return { code: r.status, out: r.stdout ?? '', err: r.stderr ?? '', all: (r.stdout ?? '') + (r.stderr ?? '') };
};
const verify = (db, ...more) => run(['audit', 'verify', '--db', db, ...more]);

/** Run SQL through the sqlite3 shell; returns { code, out, err }. */
function sqlite(db, script, mode = []) {
  const r = spawnSync('sqlite3', [...mode, db], { input: script, encoding: 'utf8', maxBuffer: 1 << 30 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
function sql(db, script) {
  const r = sqlite(db, script);
  assert.equal(r.code, 0, `sqlite3: ${r.err}`);
  return r.out;
}
const rows = (db, q) => JSON.parse(sqlite(db, q, ['-json']).out || '[]');
const q = (s) => (s === null || s === undefined ? 'NULL' : `'${String(s).replaceAll("'", "''")}'`);
const hasFmt = (db) => rows(db, "SELECT name FROM pragma_table_info('audit') WHERE name = 'fmt'").length > 0;
const dropTriggers = (db) =>
  sql(db, 'DROP TRIGGER IF EXISTS audit_no_update; DROP TRIGGER IF EXISTS audit_no_delete; DROP TRIGGER IF EXISTS audit_head_no_delete;');
const auditRows = (db) => rows(db, 'SELECT * FROM audit ORDER BY id');
/** How many entries the audit holds (the demo's count grows with its ledgers). */
const auditSize = (db) => rows(db, 'SELECT count(*) AS n FROM audit')[0].n;
/** Change entry "e" in place: someone else is named as having done it. */
function forge(e) {
  assert.notEqual(e.username, 'forged');
  e.username = 'forged';
}

/** The old formula, which anyone can recompute. */
function legacyHash(prev, e) {
  const parts = [prev, e.id, e.ts, e.user_id ?? 0, e.username, e.action, e.entity, e.entity_id ?? 0, e.procuratorate_id ?? 0, e.before ?? '', e.after ?? ''];
  return createHash('sha256').update(parts.map((p) => `${p}|`).join('')).digest('hex');
}

/** Give "list" (rows in order) ids 1..n and the old formula's chain and head, as an attacker without the key would. */
function rewriteLegacy(db, list) {
  dropTriggers(db);
  let prev = '0'.repeat(64);
  const fmt = hasFmt(db);
  let script = 'BEGIN; DELETE FROM audit;\n';
  list.forEach((e, i) => {
    e = { ...e, id: i + 1 };
    const h = legacyHash(prev, e);
    script += `INSERT INTO audit(id, ts, user_id, username, action, entity, entity_id, procuratorate_id, before, after, prev_hash, hash${fmt ? ', fmt' : ''})
      VALUES (${e.id}, ${q(e.ts)}, ${e.user_id ?? 'NULL'}, ${q(e.username)}, ${q(e.action)}, ${q(e.entity)}, ${e.entity_id ?? 'NULL'}, ${e.procuratorate_id ?? 'NULL'}, ${q(e.before)}, ${q(e.after)}, ${q(prev)}, ${q(h)}${fmt ? ', 1' : ''});\n`;
    prev = h;
  });
  script += `INSERT OR REPLACE INTO meta(key, value) VALUES ('audit_head', ${q(`${list.length}:${prev}`)}); COMMIT;`;
  sql(db, script);
}

// ---- format 2, as the operator holding the key can compute it (audit.h)
function encode(e) {
  const parts = [Buffer.from('RHAU'), Buffer.from([2])];
  const num = (v) => {
    const b = Buffer.alloc(9);
    b[0] = 0x49; // 'I'
    b.writeBigInt64BE(BigInt(v ?? 0), 1);
    parts.push(b);
  };
  const text = (s) => {
    if (s === null || s === undefined) return parts.push(Buffer.from('N'));
    const t = Buffer.from(s, 'utf8');
    const h = Buffer.alloc(9);
    h[0] = 0x53; // 'S'
    h.writeBigUInt64BE(BigInt(t.length), 1);
    parts.push(h, t);
  };
  num(e.id); text(e.ts); num(e.user_id); text(e.username); text(e.action); text(e.entity);
  num(e.entity_id); num(e.procuratorate_id); text(e.before); text(e.after);
  return Buffer.concat(parts);
}
const hmac = (key, ...bufs) => bufs.reduce((h, b) => h.update(b), createHmac('sha256', key)).digest();
function headTag(key, count, mac) {
  const n = Buffer.alloc(8);
  n.writeBigUInt64BE(BigInt(count));
  return hmac(key, Buffer.from('ronghe-audit-head\0'), n, mac);
}
function anchorLine(key, count, macHex, time) {
  const text = `ronghe-audit-anchor 1 ${count} ${macHex} ${time}`;
  return `${text} ${hmac(key, Buffer.from(text)).toString('hex')}\n`;
}

/** With the key: rewrite the chain from "list" (ids 1..n), its head, and the local anchors file. */
function rewriteKeyed(db, list) {
  const key = fs.readFileSync(db + '.audit-key');
  dropTriggers(db);
  let prev = Buffer.alloc(32);
  let script = 'BEGIN; DELETE FROM audit;\n';
  list.forEach((e, i) => {
    e = { ...e, id: i + 1 };
    const mac = hmac(key, prev, encode(e));
    script += `INSERT INTO audit(id, ts, user_id, username, action, entity, entity_id, procuratorate_id, before, after, prev_hash, hash, fmt)
      VALUES (${e.id}, ${q(e.ts)}, ${e.user_id ?? 'NULL'}, ${q(e.username)}, ${q(e.action)}, ${q(e.entity)}, ${e.entity_id}, ${e.procuratorate_id}, ${q(e.before)}, ${q(e.after)}, ${q(prev.toString('hex'))}, ${q(mac.toString('hex'))}, 2);\n`;
    prev = mac;
  });
  const head = `v2:${list.length}:${prev.toString('hex')}:${headTag(key, list.length, prev).toString('hex')}`;
  script += `UPDATE meta SET value = ${q(head)} WHERE key = 'audit_head'; COMMIT;`;
  sql(db, script);
  fs.writeFileSync(db + '.audit-anchors', anchorLine(key, list.length, prev.toString('hex'), new Date().toISOString()));
}

describe('the audit chain survives a rewrite', () => {
  let tmp;
  let n = 0;
  /** A fresh demo database in its own file. Its audit's size is counted where a test
   * needs it (auditSize), not written down: the demo grows with the ledgers. */
  const demo = () => {
    const db = path.join(tmp, `d${++n}.db`);
    const r = run(['demo', '--db', db, '--password', PW]);
    assert.equal(r.code, 0, r.all);
    return db;
  };
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ronghe-audit-'));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  test('init and demo create a key file (32 bytes, 0600) and an anchors file beside the database, and a first entry', () => {
    const a = path.join(tmp, 'init.db');
    const r = run(['init', '--db', a], 'init-keeper-passwd-1\n');
    assert.equal(r.code, 0, r.all);
    for (const db of [a, demo()]) {
      const key = fs.statSync(db + '.audit-key');
      assert.equal(key.size, 32);
      assert.equal(key.mode & 0o777, 0o600);
      const anchors = fs.statSync(db + '.audit-anchors');
      assert.equal(anchors.mode & 0o777, 0o600);
      assert.match(fs.readFileSync(db + '.audit-anchors', 'utf8'), /^ronghe-audit-anchor 1 1 [0-9a-f]{64} \S+ [0-9a-f]{64}\n/);
      const first = rows(db, 'SELECT action, entity FROM audit WHERE id = 1')[0];
      assert.deepEqual(first, { action: 'audit_key', entity: 'audit' });
      const v = verify(db);
      assert.equal(v.code, 0, v.all);
      assert.match(v.out, /锚点 \d+ 个，全部相符/);
    }
    // a key or anchors file left by another database is not taken over
    fs.unlinkSync(a);
    const again = run(['init', '--db', a], 'init-keeper-passwd-1\n');
    assert.equal(again.code, 1, again.all);
    assert.match(again.err, /audit-key 已存在/);
    assert.equal(fs.existsSync(a), false);
  });

  test('the issue’s attack: DELETE FROM audit; DELETE FROM meta WHERE key=audit_head → 3', () => {
    const db = demo();
    dropTriggers(db);
    sql(db, "DELETE FROM audit; DELETE FROM meta WHERE key='audit_head';");
    const v = verify(db);
    assert.equal(v.code, 3, v.all);
    assert.match(v.out, /审计表为空/);
    // and with the local anchors gone too
    fs.unlinkSync(db + '.audit-anchors');
    assert.equal(verify(db).code, 3);
  });

  test('UPDATE and DELETE on audit are refused (triggers); the chain stays intact', () => {
    const db = demo();
    const size = auditSize(db);
    const u = sqlite(db, "UPDATE audit SET after = '{}' WHERE id = 3;");
    assert.notEqual(u.code, 0);
    assert.match(u.err, /审计记录不可修改/);
    const d = sqlite(db, 'DELETE FROM audit WHERE id > 100;');
    assert.notEqual(d.code, 0);
    assert.match(d.err, /审计记录不可删除/);
    assert.notEqual(sqlite(db, "DELETE FROM meta WHERE key = 'audit_head';").code, 0);
    assert.equal(auditSize(db), size);
    assert.equal(verify(db).code, 0);
  });

  test('an edit with every plain SHA-256 hash and the head recomputed is caught', () => {
    const db = demo();
    const list = auditRows(db);
    forge(list[9]);
    rewriteLegacy(db, list);
    const v = verify(db);
    assert.equal(v.code, 3, v.all);
  });

  test('… and when the key and local anchors are removed as well, the copies kept elsewhere catch it', () => {
    const db = demo();
    const keep = path.join(tmp, 'elsewhere-' + n);
    fs.mkdirSync(keep);
    fs.copyFileSync(db + '.audit-key', path.join(keep, 'key'));
    fs.copyFileSync(db + '.audit-anchors', path.join(keep, 'anchors'));
    const list = auditRows(db).slice(1); // the key's entry removed: it looks like an earlier build's database
    forge(list[5]);
    rewriteLegacy(db, list);
    fs.unlinkSync(db + '.audit-key');
    fs.unlinkSync(db + '.audit-anchors');
    // by itself it cannot be told from a database an earlier build wrote, and says so
    const alone = verify(db);
    assert.equal(alone.code, 0, alone.all);
    assert.match(alone.out, new RegExp(`旧格式（无密钥）条目 ${list.length} 条：只能发现简单修改，不能证明未被重写`));
    const v = verify(db, '--key', path.join(keep, 'key'), '--anchors', path.join(keep, 'anchors'));
    assert.equal(v.code, 3, v.all);
  });

  test('text moved across the before/after boundary is caught (same string under the old formula)', () => {
    const db = demo();
    assert.equal(run(['user', 'add', '--db', db, '--username', 'pipe', '--role', 'viewer', '--procuratorate', '1', '--display-name', '甲|乙'], PW + '\n').code, 0);
    assert.equal(run(['user', 'passwd', '--db', db, '--username', 'pipe'], 'another-password-2\n').code, 0);
    const e = rows(db, "SELECT * FROM audit WHERE action = 'update' ORDER BY id DESC LIMIT 1")[0];
    assert.ok(e.before.includes('|') && e.after.includes('|'), JSON.stringify(e));
    const cut = e.after.indexOf('|');
    const moved = { ...e, before: e.before + '|' + e.after.slice(0, cut), after: e.after.slice(cut + 1) };
    assert.equal(legacyHash(e.prev_hash, moved), legacyHash(e.prev_hash, e), 'the old formula cannot tell them apart');
    dropTriggers(db);
    sql(db, `UPDATE audit SET before = ${q(moved.before)}, after = ${q(moved.after)} WHERE id = ${e.id};`);
    const v = verify(db);
    assert.equal(v.code, 3, v.all);
    assert.match(v.out, new RegExp(`#${e.id}：`));
  });

  test('text with a NUL byte and more after it is caught (the MAC over the text before the NUL still holds)', () => {
    const db = demo();
    dropTriggers(db);
    sql(db, "UPDATE audit SET username = username || char(0) || 'forged' WHERE id = 10;");
    assert.equal(rows(db, 'SELECT length(CAST(username AS BLOB)) - length(username) AS extra FROM audit WHERE id = 10')[0].extra, 7);
    const v = verify(db);
    assert.equal(v.code, 3, v.all);
    assert.match(v.out, /第 10 条记录的文字含有 NUL 字节/);
  });

  test('a renumbered chain (an entry removed, the rest renumbered and rehashed) is caught', () => {
    const db = demo();
    const list = auditRows(db);
    list.splice(40, 1);
    rewriteLegacy(db, list);
    assert.equal(verify(db).code, 3);
  });

  test('a reordered chain is caught: two entries swapped as they are, or swapped and rehashed', () => {
    const db = demo();
    dropTriggers(db);
    const [a, b] = rows(db, 'SELECT * FROM audit WHERE id IN (50, 51) ORDER BY id');
    const set = (to, from) =>
      `UPDATE audit SET ts = ${q(from.ts)}, user_id = ${from.user_id ?? 'NULL'}, username = ${q(from.username)}, action = ${q(from.action)}, entity = ${q(from.entity)}, entity_id = ${from.entity_id}, procuratorate_id = ${from.procuratorate_id}, before = ${q(from.before)}, after = ${q(from.after)}, hash = ${q(from.hash)} WHERE id = ${to.id};`;
    sql(db, set(a, b) + set(b, a));
    const v = verify(db);
    assert.equal(v.code, 3, v.all);
    assert.match(v.out, /#50：/);
    const db2 = demo();
    const list = auditRows(db2);
    [list[49], list[50]] = [list[50], list[49]];
    rewriteLegacy(db2, list);
    assert.equal(verify(db2).code, 3);
  });

  test('writes without the key fail clearly and write nothing; verify cannot say "intact" either', () => {
    const db = demo();
    fs.renameSync(db + '.audit-key', db + '.moved');
    const before = rows(db, 'SELECT count(*) AS n FROM audit')[0].n;
    const add = run(['user', 'add', '--db', db, '--username', 'nokey', '--role', 'viewer', '--procuratorate', '1'], PW + '\n');
    assert.equal(add.code, 1, add.all);
    assert.match(add.err, /审计密钥文件 .* 缺失/);
    assert.equal(rows(db, 'SELECT count(*) AS n FROM audit')[0].n, before);
    assert.equal(fs.existsSync(db + '.audit-key'), false, 'no new key is made for a keyed chain');
    assert.equal(run(['user', 'list', '--db', db]).code, 0, 'reading needs no key');
    const serve = run(['serve', '--db', db, '--listen', '127.0.0.1:0']);
    assert.equal(serve.code, 1, serve.all);
    const v = verify(db);
    assert.equal(v.code, 1, v.all);
    assert.match(v.err, /缺少审计密钥文件/);
    assert.equal(verify(db, '--key', db + '.moved').code, 0);
  });

  test('truncation back to an earlier state is caught with --anchors kept elsewhere', () => {
    const db = demo();
    const size = auditSize(db);
    const old = path.join(tmp, `old-${n}.db`);
    assert.equal(run(['backup', '--db', db, '--to', old]).code, 0);
    for (const u of ['t1', 't2', 't3'])
      assert.equal(run(['user', 'add', '--db', db, '--username', u, '--role', 'viewer', '--procuratorate', '1'], PW + '\n').code, 0);
    const a = run(['audit', 'anchor', '--db', db]);
    assert.equal(a.code, 0, a.all);
    assert.match(a.out, new RegExp(`共 ${size + 3} 条`));
    const kept = path.join(tmp, `kept-${n}.anchors`);
    fs.copyFileSync(db + '.audit-anchors', kept);
    // the whole earlier file put back, with its own anchors: consistent in itself
    for (const f of [db + '-wal', db + '-shm']) fs.rmSync(f, { force: true });
    fs.copyFileSync(old, db);
    fs.copyFileSync(old + '.audit-anchors', db + '.audit-anchors');
    assert.equal(verify(db).code, 0, 'the local files alone cannot show it');
    const v = verify(db, '--anchors', kept);
    assert.equal(v.code, 3, v.all);
    assert.match(v.out, new RegExp(`链只有 ${size} 条.*记录了 ${size + 3} 条.*截断`));
    // with the local anchors left in place, the local anchors show it too, and no write is taken
    fs.copyFileSync(kept, db + '.audit-anchors');
    assert.equal(verify(db).code, 3);
    assert.equal(run(['user', 'add', '--db', db, '--username', 't4', '--role', 'viewer', '--procuratorate', '1'], PW + '\n').code, 1);
  });

  test('the operator holding the key can rewrite the chain and the local anchors; the anchors kept elsewhere catch it', () => {
    const db = demo();
    const kept = path.join(tmp, `kept-${n}.anchors`);
    fs.copyFileSync(db + '.audit-anchors', kept);
    const list = auditRows(db);
    forge(list[20]);
    rewriteKeyed(db, list);
    assert.equal(verify(db).code, 0, 'with the key, a rewrite of the database and the local anchors passes (docs/audit.md)');
    const v = verify(db, '--anchors', kept);
    assert.equal(v.code, 3, v.all);
    assert.match(v.out, /与锚点.*不符.*被重写/);
    // what the anchors do not catch: a change after the last anchor kept elsewhere
    const db2 = demo();
    const kept2 = path.join(tmp, `kept2-${n}.anchors`);
    fs.copyFileSync(db2 + '.audit-anchors', kept2);
    assert.equal(run(['user', 'add', '--db', db2, '--username', 'late', '--role', 'viewer', '--procuratorate', '1'], PW + '\n').code, 0);
    const list2 = auditRows(db2);
    forge(list2[list2.length - 1]);
    rewriteKeyed(db2, list2);
    assert.equal(verify(db2, '--anchors', kept2).code, 0, 'after the last anchor, the key holder is not caught');
  });

  test('a forged anchor line is caught', () => {
    const db = demo();
    fs.appendFileSync(db + '.audit-anchors', `ronghe-audit-anchor 1 3 ${'0'.repeat(64)} 2026-01-01T00:00:00.000Z ${'0'.repeat(64)}\n`);
    const v = verify(db);
    assert.equal(v.code, 3, v.all);
    assert.match(v.out, /锚点文件 .* 第 3 行的校验码不符/);
  });

  test('a database written by an earlier build: verified by the old formula, keyed on its first open, no old entry after', () => {
    const db = demo();
    // make it what the build before the key left: schema version 3 (004-audit-keyed not
    // applied), no fmt column, no triggers, no key or anchors (the sqlite3 shell has no zh
    // collation, so two indexes that use it go first: DROP COLUMN checks the whole schema)
    const legacy = auditRows(db).slice(1);
    const L = legacy.length;
    rewriteLegacy(db, legacy);
    // (and what 005-member-id-number added to members)
    sql(db, "DROP INDEX members_proc; DROP INDEX members_name; ALTER TABLE audit DROP COLUMN fmt; UPDATE meta SET value = '3' WHERE key = 'schema_version';" +
      ' DROP INDEX members_id_number; DROP INDEX members_name_birth;' +
      ' ALTER TABLE members DROP COLUMN id_number; ALTER TABLE members DROP COLUMN education;' +
      ' ALTER TABLE members DROP COLUMN party_status; ALTER TABLE members DROP COLUMN full_member_date;' +
      // (and the column 008 added to an existing table; the tables added since go below)
      ' ALTER TABLE methods DROP COLUMN period;');
    // the tables later migrations add (those a database of schema 4 lacks) go too
    const v4 = new Set(rows(path.join(FIXTURES, 'release-7c98c0a.db'), "SELECT name FROM sqlite_master WHERE type = 'table'").map((t) => t.name));
    const later = rows(db, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").map((t) => t.name).filter((t) => !v4.has(t));
    // and the triggers they put on the tables it had (016's on honours), which name them
    const v4t = new Set(rows(path.join(FIXTURES, 'release-7c98c0a.db'), "SELECT name FROM sqlite_master WHERE type = 'trigger'").map((t) => t.name));
    const laterT = rows(db, "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name NOT LIKE 'timeline\\_%' ESCAPE '\\'").map((t) => t.name).filter((t) => !v4t.has(t) && !t.startsWith('audit_'));
    if (laterT.length) sql(db, laterT.map((t) => `DROP TRIGGER IF EXISTS ${t};`).join(' '));
    if (later.length) sql(db, later.map((t) => `DROP TABLE ${t};`).join(' '));
    fs.unlinkSync(db + '.audit-key');
    fs.unlinkSync(db + '.audit-anchors');
    const v0 = verify(db);
    assert.equal(v0.code, 0, v0.all);
    assert.match(v0.out, new RegExp(`共 ${L} 条记录`));
    assert.match(v0.out, new RegExp(`旧格式（无密钥）条目 ${L} 条`));
    assert.equal(fs.existsSync(db + '.audit-key'), false, 'verify makes no key');
    // the first open for writing: the key, a first keyed entry, an anchor
    const a = run(['audit', 'anchor', '--db', db]);
    assert.equal(a.code, 0, a.all);
    assert.equal(fs.statSync(db + '.audit-key').mode & 0o777, 0o600);
    const k = rows(db, `SELECT action, after, fmt FROM audit WHERE id = ${L + 1}`)[0];
    assert.equal(k.action, 'audit_key');
    assert.equal(k.fmt, 2);
    assert.match(k.after, new RegExp(`"legacy_entries":${L}`));
    const v1 = verify(db);
    assert.equal(v1.code, 0, v1.all);
    assert.match(v1.out, new RegExp(`共 ${L + 1} 条记录`));
    assert.match(v1.out, /用密钥认证的记录 1 条/);
    assert.match(v1.out, new RegExp(`旧格式（无密钥）条目 ${L} 条`));
    // an old-format entry after the first keyed one, with a correct old hash, is refused
    dropTriggers(db);
    const last = rows(db, `SELECT * FROM audit WHERE id = ${L + 1}`)[0];
    const forged = { ...last, id: L + 2, action: 'create', entity: 'users', after: '{"username":"ghost"}', prev_hash: last.hash };
    const h = legacyHash(last.hash, forged);
    sql(db, `INSERT INTO audit(id, ts, user_id, username, action, entity, entity_id, procuratorate_id, before, after, prev_hash, hash, fmt)
      VALUES (${L + 2}, ${q(forged.ts)}, NULL, 'system', 'create', 'users', 0, 0, NULL, ${q(forged.after)}, ${q(last.hash)}, ${q(h)}, 1);
      UPDATE meta SET value = ${q(`${L + 2}:${h}`)} WHERE key = 'audit_head';`);
    const v2 = verify(db);
    assert.equal(v2.code, 3, v2.all);
    assert.match(v2.out, new RegExp(`#${L + 2}：.*旧格式`));
  });

  test('the server anchors the head when it stops', async () => {
    const db = demo();
    const size = auditSize(db);
    const lines = () => fs.readFileSync(db + '.audit-anchors', 'utf8').trim().split('\n');
    const before = lines().length;
    const port = await freePort();
    const child = spawn(BIN, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`], { stdio: 'ignore' });
    const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
    const base = `http://127.0.0.1:${port}/api/v1`;
    let ok = false;
    for (let i = 0; i < 100 && !ok; i++) {
      ok = await fetch(base + '/health').then((r) => r.ok, () => false);
      if (!ok) await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok(ok, 'server started');
    for (let i = 0; i < 3; i++) {
      const r = await fetch(base + '/session', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: PW }) });
      assert.equal(r.status, 200);
    }
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
    const count = rows(db, 'SELECT max(id) AS n FROM audit')[0].n;
    assert.ok(count > size, `logins were audited (${count})`);
    assert.ok(lines().length > before);
    assert.match(lines().at(-1), new RegExp(`^ronghe-audit-anchor 1 ${count} `));
    assert.equal(verify(db).code, 0);
  });
});
