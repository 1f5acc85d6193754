// Upgrading in place: databases made by earlier releases — at commit 8b3c632 (schema
// version 1, before any migration), 7c98c0a (version 4) and cfe8699 (version 5, the last
// before the ledgers); tests/fixtures/README.md says how each was made — are each opened by
// this binary's `serve`, which applies every migration it lacks. Afterwards every row of every table the old database
// had is still there and unchanged (compared column by column on the columns it had, so
// that a migration may add columns and rows but not lose or alter any), its audit chain
// verifies against its key and anchors, and its schema version is this binary's newest.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cli, startServer, login, req } from './lib.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const PASSWORD = 'Fixture-Pass-2026!'; // the fixtures' demo password (tests/fixtures/README.md)
const ORG = ['procuratorates', 'branches', 'departments', 'party_groups', 'members', 'brands', 'methods',
  'method_elements', 'honours', 'users', 'audit'];
/** Each fixture: its schema version, the tables that must have rows, its member with a
 * 4-byte name, and whether its audit chain was keyed when made (before 004 it was not:
 * verify then reports the old entries as such and passes). */
const FIXTURES = [
  { name: 'release-8b3c632', version: 1, tables: ORG, name4: '𠮷野龘', keyed: false },
  { name: 'release-7c98c0a', version: 4, tables: [...ORG, 'sessions', 'jobs', 'login_unlocks'], name4: '𠮷𡈼龘', keyed: true },
  { name: 'release-cfe8699', version: 5, tables: [...ORG, 'sessions', 'jobs', 'login_unlocks'], name4: '𠮷𡈼龘', keyed: true },
];

/** Rows "sql" answers on "db", through the sqlite3 shell (read-only). */
function rows(db, sql) {
  const r = spawnSync('sqlite3', ['-readonly', '-json', db, sql], { encoding: 'utf8' });
  assert.equal(r.status, 0, `sqlite3 ${sql}: ${r.stderr}`);
  return JSON.parse(r.stdout || '[]');
}
const ident = (n) => `"${n.replaceAll('"', '""')}"`;

/** Every table of "db" (sqlite_sequence included) with its columns. */
function tables(db) {
  const names = rows(db, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").map((r) => r.name);
  return names.map((name) => ({ name, columns: rows(db, `SELECT name FROM pragma_table_info(${`'${name}'`})`).map((r) => r.name) }));
}

/** The newest schema version this tree has: the highest NNN of src/store/migrations/NNN-*.sql. */
function newestVersion() {
  const dir = path.join(here, '../../src/store/migrations');
  return Math.max(1, ...fs.readdirSync(dir).map((f) => /^(\d{3})-.*\.sql$/.exec(f)).filter(Boolean).map((m) => Number(m[1])));
}

for (const fx of FIXTURES) describe(`a database made by ${fx.name} (schema ${fx.version}) upgrades in place`, () => {
  const FIXTURE = path.join(here, `../fixtures/${fx.name}.db`);
  let dir, db, old;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ronghe-upgrade-'));
    db = path.join(dir, 'old.db');
    for (const suffix of fx.keyed ? ['', '.audit-key', '.audit-anchors'] : ['']) {
      fs.copyFileSync(FIXTURE + suffix, db + suffix);
      fs.chmodSync(db + suffix, 0o600); // git keeps 0644; the key must be the owner's alone
    }
    // What the old database holds, read before the new binary touches it.
    old = tables(db).map((t) => ({ ...t, rows: rows(db, `SELECT ${t.columns.map(ident).join(', ')} FROM ${ident(t.name)}`) }));
    assert.equal(rows(db, "SELECT value FROM meta WHERE key = 'schema_version'")[0].value, String(fx.version));
    // The first start of the new binary upgrades it; nothing is requested of it.
    const srv = await startServer(db);
    const exit = await srv.stop();
    assert.equal(exit.code, 0, srv.log());
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('the fixture is what it claims to be: every table has rows, 4-byte names, a keyed chain', () => {
    const by = Object.fromEntries(old.map((t) => [t.name, t.rows]));
    for (const t of fx.tables) assert.ok(by[t]?.length > 0, `table ${t} of the fixture has rows`);
    assert.ok(by.members.some((m) => [...m.name].some((ch) => Buffer.byteLength(ch) === 4)), 'a member with a 4-byte character in the name');
    assert.ok(by.audit.length > 700, 'a demo-sized audit chain');
    if (fx.keyed) assert.ok(by.audit.every((e) => e.fmt === 2), 'a keyed audit chain');
  });

  test('the schema version is the newest this binary has', () => {
    assert.equal(rows(db, "SELECT value FROM meta WHERE key = 'schema_version'")[0].value, String(newestVersion()));
  });

  test('every row of every table of the old database is there, unchanged', () => {
    const now = new Map(tables(db).map((t) => [t.name, t.columns]));
    for (const t of old) {
      assert.ok(now.has(t.name), `table ${t.name} is still there`);
      for (const c of t.columns) assert.ok(now.get(t.name).includes(c), `column ${t.name}.${c} is still there`);
      const have = new Map();
      for (const r of rows(db, `SELECT ${t.columns.map(ident).join(', ')} FROM ${ident(t.name)}`)) {
        const k = JSON.stringify(r);
        have.set(k, (have.get(k) ?? 0) + 1);
      }
      let missing = 0;
      for (const r of t.rows) {
        if (t.name === 'meta' && r.key === 'schema_version') continue; // the one value an upgrade changes
        // an unkeyed chain gets its first keyed entry on the first start: the head moves on
        if (!fx.keyed && t.name === 'meta' && r.key === 'audit_head') continue;
        if (!fx.keyed && t.name === 'sqlite_sequence' && r.name === 'audit') continue;
        const k = JSON.stringify(r);
        if (have.get(k)) have.set(k, have.get(k) - 1);
        else if (missing++ === 0) assert.fail(`${t.name}: a row is lost or changed: ${k.slice(0, 400)}`);
      }
      assert.equal(missing, 0, `${t.name}: ${missing} of ${t.rows.length} rows lost or changed`);
    }
  });

  test('ronghe audit verify passes on the upgraded database, anchors included', () => {
    const r = cli(['audit', 'verify', '--db', db]);
    assert.equal(r.code, 0, r.all);
    assert.match(r.out, /审计链完整：共 \d+ 条记录/);
    assert.match(r.out, /锚点 \d+ 个，全部相符/); // an unkeyed one is anchored on its first start
    if (!fx.keyed) assert.match(r.out, /旧格式（无密钥）条目 \d+ 条/);
  });

  test('the upgraded database passes the integrity check (ronghe backup checks its copy)', () => {
    const r = cli(['backup', '--db', db, '--to', path.join(dir, 'copy.db')]);
    assert.equal(r.code, 0, r.all);
    assert.match(r.out, /完整性检查通过/);
  });

  test("the branch timelines are filled on the first open: each branch's honours are on its timeline (migration 015)", async () => {
    const srv = await startServer(db);
    try {
      const admin = await login('admin', PASSWORD, srv.url);
      const honours = old.find((t) => t.name === 'honours').rows.filter((h) => h.branch_id && h.year);
      assert.ok(honours.length > 0, 'the fixture has branch honours');
      for (const b of new Set(honours.map((h) => h.branch_id))) {
        const r = await req(admin, 'GET', `${srv.url}/api/v1/timeline?branch_id=${b}&per_page=1000`);
        assert.equal(r.status, 200, r.text);
        const shown = r.json.items.filter((i) => i.coll === 'honours');
        assert.deepEqual(shown.map((i) => i.id).sort((x, y) => x - y), honours.filter((h) => h.branch_id === b).map((h) => h.id).sort((x, y) => x - y));
        assert.ok(shown.every((i) => i.date.endsWith('-12-31') && i.title), JSON.stringify(shown[0]));
        assert.equal(r.json.kinds.find((k) => k.kind === '荣誉')?.count, shown.length);
      }
    } finally {
      await srv.stop();
    }
  });

  test('the upgraded database serves: a login, and the member with a 4-byte name reads back', async () => {
    const srv = await startServer(db);
    try {
      const admin = await login('admin', PASSWORD, srv.url);
      const m = old.find((t) => t.name === 'members').rows.find((x) => x.name === fx.name4);
      assert.ok(m, `the fixture has ${fx.name4}`);
      const r = await req(admin, 'GET', `${srv.url}/api/v1/members/${m.id}`);
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.name, fx.name4);
      assert.equal(r.json.name_mn, m.name_mn);
      assert.equal(r.json.position, m.position);
    } finally {
      await srv.stop();
    }
  });
});
