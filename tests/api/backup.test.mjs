// Backups under load, who sees and downloads them, generations, stale temporaries, and
// ronghe restore. The shared server answers the who-may questions; a server of this
// file's own (its own demo database, a few MB bigger) takes the writers, the kill -9 and
// the restore, so that stopping it harms nobody.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DB, cli, login, req, startServer } from './lib.mjs';

const run = (args) => cli(args, '', 60000);
const sha = (buf) => createHash('sha256').update(buf).digest('hex');
const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));
const generations = (db) =>
  fs.existsSync(db + '.backups') ? fs.readdirSync(db + '.backups').filter((n) => /^ronghe-.*\.db$/.test(n)).sort() : [];

/** Poll a job until it ends (on the server at "base", else the shared one); every answer is
 * kept, in order. */
async function watch(session, id, { timeoutMs = 60000, base = '' } = {}) {
  const seen = [];
  const t0 = Date.now();
  for (;;) {
    const r = await req(session, 'GET', `${base}/jobs/${id}`);
    assert.equal(r.status, 200, r.text);
    seen.push({ status: r.json.status, done: r.json.done, total: r.json.total });
    if (r.json.status === 'done' || r.json.status === 'failed') return { job: r.json, seen };
    if (Date.now() - t0 > timeoutMs) return { job: r.json, seen, timedOut: true };
    await sleep(15);
  }
}

/** done and done/total never go down across the answers. */
function assertMonotonic(seen) {
  for (let i = 1; i < seen.length; i++) {
    const a = seen[i - 1], b = seen[i];
    assert.ok(b.done >= a.done, `progress went back: ${JSON.stringify(a)} → ${JSON.stringify(b)}`);
    if (a.total > 0 && b.total > 0)
      assert.ok(b.done / b.total >= a.done / a.total, `percentage went back: ${JSON.stringify(a)} → ${JSON.stringify(b)}`);
  }
}

describe('backup jobs on the shared server: who sees the path, who downloads', () => {
  let admin, viewer, zlt, sec, job;
  before(async () => {
    [admin, viewer, zlt, sec] = await Promise.all(['admin', 'viewer', 'zlt-admin', 'hlgl-sec'].map((u) => login(u)));
    const r = await req(admin, 'POST', '/jobs', { kind: 'backup' });
    assert.equal(r.status, 202, r.text);
    const w = await watch(admin, r.json.id);
    assert.equal(w.job.status, 'done', w.job.message);
    job = w.job;
  });

  test('the city administrator sees where the file is; it verified (integrity, audit chain)', () => {
    assert.equal(typeof job.result.file, 'string');
    assert.ok(fs.existsSync(job.result.file), job.result.file);
    assert.equal(path.basename(job.result.file), job.result.name);
    assert.equal(job.result.downloadable, true);
    assert.ok(job.result.audit_entries > 0);
    assert.equal(job.done, job.total);
    // one file, nothing half-written beside it
    const dir = path.dirname(job.result.file);
    assert.deepEqual(fs.readdirSync(dir).filter((n) => /\.tmp|-journal|-wal|-shm/.test(n)), []);
  });

  test('a viewer reads the job but no server path in it, nor in the list', async () => {
    const dir = path.dirname(DB);
    const one = await req(viewer, 'GET', `/jobs/${job.id}`);
    assert.equal(one.status, 200);
    assert.equal(one.json.result.file, undefined);
    assert.equal(one.json.result.downloadable, undefined);
    assert.equal(one.json.result.name, job.result.name);
    assert.ok(!one.text.includes(dir), 'no server directory in ' + one.text);
    const list = await req(viewer, 'GET', '/jobs?kind=backup&per_page=100');
    assert.equal(list.status, 200);
    assert.ok(list.json.items.some((j) => j.id === job.id));
    assert.ok(!list.text.includes(dir) && !list.text.includes('"file"'), 'no server path in the list');
  });

  test('the city administrator downloads it: the same bytes, an attachment, audited', async () => {
    const r = await fetch(`${process.env.RONGHE_URL}/api/v1/jobs/${job.id}/download`, { headers: { Cookie: admin.cookie } });
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-disposition'), new RegExp(`^attachment; filename="${job.result.name}"$`));
    assert.equal(r.headers.get('cache-control'), 'no-store');
    const body = Buffer.from(await r.arrayBuffer());
    assert.equal(body.length, job.result.bytes);
    assert.equal(body.subarray(0, 16).toString('latin1'), 'SQLite format 3\0');
    assert.equal(sha(body), sha(fs.readFileSync(job.result.file)));
    const a = await req(admin, 'GET', `/audit?entity=jobs&entity_id=${job.id}&action=download&sort=-id`);
    assert.equal(a.status, 200, a.text);
    assert.ok(a.json.items.length >= 1, 'the download is in the audit');
    assert.equal(a.json.items[0].username, 'admin');
    assert.equal(a.json.items[0].after.file, job.result.name);
  });

  test('nobody else downloads: viewer and county admin 404, secretary 404 (its own jobs only), anonymous 401; no such job 404', async () => {
    const url = `${process.env.RONGHE_URL}/api/v1/jobs/${job.id}/download`;
    for (const [s, status] of [[viewer, 404], [zlt, 404], [sec, 404], [null, 401]]) {
      const r = await fetch(url, { headers: s ? { Cookie: s.cookie } : {} });
      assert.equal(r.status, status, `${s?.username ?? 'anonymous'}: ${r.status}`);
      const j = await r.json();
      assert.match(j.error.message, /[\u4e00-\u9fff]/);
      assert.equal(r.headers.get('content-disposition'), null);
    }
    assert.equal((await req(admin, 'GET', '/jobs/999999/download')).status, 404);
    assert.equal((await req(admin, 'POST', `/jobs/${job.id}/download`, {})).status, 405);
    assert.equal((await req(admin, 'GET', `/jobs/${job.id}/other`)).status, 404);
  });

  test('seven generations are kept (the default): the oldest goes, and its job says it cannot be downloaded', async () => {
    const ids = [job.id];
    while (generations(DB).length < 7 || ids.length < 2) {
      const r = await req(admin, 'POST', '/jobs', { kind: 'backup' });
      assert.equal(r.status, 202, r.text);
      assert.equal((await watch(admin, r.json.id)).job.status, 'done');
      ids.push(r.json.id);
    }
    const before = generations(DB);
    const r = await req(admin, 'POST', '/jobs', { kind: 'backup' });
    const w = await watch(admin, r.json.id);
    assert.equal(w.job.status, 'done');
    assert.equal(w.job.result.removed, 1);
    const now = generations(DB);
    assert.equal(now.length, 7);
    assert.ok(now.includes(w.job.result.name));
    const gone = before.filter((n) => !now.includes(n));
    assert.equal(gone.length, 1);
    const oldest = (await req(admin, 'GET', `/jobs?kind=backup&status=done&per_page=100`)).json.items.find(
      (j) => j.result.name === gone[0]
    );
    assert.ok(oldest, 'the job of the pruned generation');
    assert.equal(oldest.result.downloadable, false);
    const d = await req(admin, 'GET', `/jobs/${oldest.id}/download`);
    assert.equal(d.status, 404);
    assert.match(d.json.error.message, /已不存在/);
  });
});

// ------------------------------------------------------------------ a server of our own

describe('backup under writers, a killed server, and restore (a server of this file’s own)', () => {
  const PW = 'Backup-test-pw-1';
  let tmp, db, srv, admin, api;
  const KEEP = ['--backup-keep', '3'];
  // on our own server: its URL, then the path as req() takes it
  const own = (p) => api + p;
  async function start() {
    srv = await startServer(db, { args: KEEP });
    api = srv.url + '/api/v1';
    admin = await login('admin', PW, srv.url);
  }

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ronghe-backup-'));
    db = path.join(tmp, 'own.db');
    const d = run(['demo', '--db', db, '--password', PW]);
    assert.equal(d.code, 0, d.all);
    // What a backup killed half-way left behind: these must be gone once a server starts.
    fs.mkdirSync(db + '.backups', { mode: 0o700 });
    fs.writeFileSync(path.join(db + '.backups', 'ronghe-20260101-000000-99.db.tmp'), 'half a copy');
    fs.writeFileSync(path.join(db + '.backups', 'ronghe-20260101-000000-99.db.tmp-journal'), 'its journal');
    await start();
    // A few MB more (work methods with long summaries), so that a copy takes several steps.
    const brand = (await req(admin, 'GET', own('/brands?per_page=1'))).json.items[0];
    const summary = '融合党建与检察业务的工作方法说明。'.repeat(110).slice(0, 2000);
    for (let i = 0; i < 240; i += 8)
      await Promise.all(
        Array.from({ length: 8 }, (_, k) =>
          req(admin, 'POST', own('/methods'), { brand_id: brand.id, name: `备份测试工作法${i + k}`, summary }).then((r) => {
            assert.equal(r.status, 201, r.text);
          })
        )
      );
  });

  after(async () => {
    if (srv && srv.child.exitCode === null) {
      srv.child.kill('SIGKILL');
      await srv.exited;
    }
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  test('a server start removes what a killed backup left in the backups directory', () => {
    assert.deepEqual(fs.readdirSync(db + '.backups'), []);
  });

  test('a backup finishes while four writers commit; its progress never goes back; the copy verifies', async () => {
    const members = (await req(admin, 'GET', own('/members?per_page=4'))).json.items;
    assert.equal(members.length, 4);
    let stop = false, commits = 0, errors = [];
    const writers = members.map(async (m) => {
      let version = m.version;
      for (let n = 0; !stop; n++) {
        const r = await req(admin, 'PATCH', own(`/members/${m.id}`), { version, position: `备份期间写入${n}` });
        if (r.status === 200) {
          version = r.json.version;
          commits++;
        } else errors.push(r.status + ' ' + r.text);
      }
    });
    while (commits < 8) await sleep(5); // the writers are going
    const r = await req(admin, 'POST', own('/jobs'), { kind: 'backup' });
    assert.equal(r.status, 202, r.text);
    const atStart = commits;
    const w = await watch(admin, r.json.id, { base: api, timeoutMs: 60000 });
    const during = commits - atStart;
    stop = true;
    await Promise.all(writers);
    assert.deepEqual(errors, []);
    assert.ok(!w.timedOut, `the backup did not finish in 60 s under writers: ${JSON.stringify(w.seen.slice(-3))}`);
    assert.equal(w.job.status, 'done', w.job.message);
    assert.ok(during > 0, 'writers committed while the backup ran');
    assertMonotonic(w.seen);
    assert.ok(w.job.total > 1024, `several steps' worth of pages: ${w.job.total}`);
    assert.equal(w.job.done, w.job.total);
    // The copy checks out through restore's own verification, into a scratch file.
    const v = run(['restore', '--db', path.join(tmp, 'scratch.db'), '--from', w.job.result.file]);
    assert.equal(v.code, 0, v.all);
    assert.match(v.out, /完整性检查通过/);
    assert.match(v.out, /审计链 \d+ 条记录完好/);
  });

  test('kill -9 during a backup: no file under a final name that is not whole, and the next start cleans up', async () => {
    const r = await req(admin, 'POST', own('/jobs'), { kind: 'backup' });
    assert.equal(r.status, 202);
    for (let i = 0; i < 400; i++) {
      const j = await req(admin, 'GET', own(`/jobs/${r.json.id}`));
      if (j.json.status !== 'queued') break;
      await sleep(2);
    }
    srv.child.kill('SIGKILL');
    await srv.exited;
    // Every file under a final name is a whole, verified copy.
    for (const name of generations(db)) {
      const v = run(['restore', '--db', path.join(tmp, 'scratch-' + name), '--from', path.join(db + '.backups', name)]);
      assert.equal(v.code, 0, `${name}: ${v.all}`);
    }
    await start();
    // only generations, each with its audit key and anchors
    const names = fs.readdirSync(db + '.backups');
    assert.deepEqual(names.filter((n) => !/^ronghe-.*\.db(\.audit-key|\.audit-anchors)?$/.test(n)), []);
    for (const n of names.filter((x) => /\.audit-(key|anchors)$/.test(x)))
      assert.ok(names.includes(n.replace(/\.audit-(key|anchors)$/, '')), `${n} belongs to a generation`);
    const j = (await req(admin, 'GET', own(`/jobs/${r.json.id}`))).json;
    assert.ok(['done', 'failed'].includes(j.status), j.status);
    if (j.status === 'failed') assert.match(j.message, /中断/);
  });

  test('--backup-keep 3 keeps three; ronghe backup --keep 1 while serving keeps one', async () => {
    for (let i = 0; i < 4; i++) {
      const r = await req(admin, 'POST', own('/jobs'), { kind: 'backup' });
      assert.equal((await watch(admin, r.json.id, { base: api })).job.status, 'done');
    }
    assert.equal(generations(db).length, 3);
    const c = run(['backup', '--db', db, '--keep', '1']);
    assert.equal(c.code, 0, c.all);
    assert.match(c.out, /已校验：完整性检查通过，审计链 \d+ 条记录完好/);
    assert.equal(generations(db).length, 1);
    assert.match(generations(db)[0], /-cli\d+\.db$/);
    for (const bad of [['--keep', '0'], ['--keep', 'x'], ['--keep', '1001'], ['--to', path.join(tmp, 'x.db'), '--keep', '2']])
      assert.equal(run(['backup', '--db', db, ...bad]).code, 2, bad.join(' '));
    assert.equal(run(['serve', '--db', db, '--backup-keep', '0']).code, 2);
  });

  test('restore refuses while the server runs, and works once it is stopped', async () => {
    const from = path.join(db + '.backups', generations(db)[0]);
    // Something written after the backup, which the restore takes back.
    const brand = (await req(admin, 'GET', own('/brands?per_page=1'))).json.items[0];
    const late = await req(admin, 'POST', own('/methods'), { brand_id: brand.id, name: '恢复后应消失的工作法' });
    assert.equal(late.status, 201, late.text);

    const refused = run(['restore', '--db', db, '--from', from]);
    assert.equal(refused.code, 1, refused.all);
    assert.match(refused.err, /正在使用中.*请先停止服务/);
    assert.deepEqual(fs.readdirSync(tmp).filter((n) => /before-restore|restore\.tmp/.test(n)), []);
    assert.equal((await req(admin, 'GET', own(`/methods/${late.json.id}`))).status, 200, 'the server is untouched');

    // wrong arguments: 2
    assert.equal(run(['restore', '--db', db]).code, 2);
    assert.equal(run(['restore', '--from', from]).code, 2);
    assert.equal(run(['restore', '--db', db, '--from', from, '--to', 'x']).code, 2);

    const { code } = await srv.stop();
    assert.equal(code, 0, srv.log());
    // A bad backup is refused and changes nothing.
    const junk = path.join(tmp, 'junk.db');
    fs.writeFileSync(junk, 'not a database, but a plain text file of some length ....................');
    const before = fs.statSync(db);
    const bad = run(['restore', '--db', db, '--from', junk]);
    assert.equal(bad.code, 1, bad.all);
    assert.match(bad.err, /不是可用的备份/);
    assert.equal(fs.statSync(db).ino, before.ino);

    const ok = run(['restore', '--db', db, '--from', from]);
    assert.equal(ok.code, 0, ok.all);
    assert.match(ok.out, /已校验备份/);
    const kept = /原数据库已改名保留为 (\S+?)(（|，)/.exec(ok.out)?.[1];
    assert.ok(kept && fs.existsSync(kept), ok.out);
    assert.match(path.basename(kept), /^own\.db\.before-restore-\d{8}-\d{6}/);
    for (const s of ['-wal', '-shm']) assert.equal(fs.existsSync(db + s), false, db + s);

    await start();
    assert.equal((await req(admin, 'GET', own(`/methods/${late.json.id}`))).status, 404, 'written after the backup: gone');
    // The restored chain verifies against the anchors that came with the backup, and its
    // last entry is the restore itself.
    const v = run(['audit', 'verify', '--db', db]);
    assert.equal(v.code, 0, v.all);
    const last = (await req(admin, 'GET', own('/audit?action=restore&sort=-id'))).json.items[0];
    assert.equal(last.action, 'restore');
    assert.equal(last.entity, 'database');
    assert.equal(last.after.from, path.basename(from));
    assert.equal(last.before.kept, path.basename(kept));
    // The replaced database is kept whole, with its own key and anchors beside it.
    for (const s of ['.audit-key', '.audit-anchors']) assert.ok(fs.existsSync(kept + s), kept + s);
    const k = run(['audit', 'verify', '--db', kept]);
    assert.equal(k.code, 0, k.all);
  });
});
