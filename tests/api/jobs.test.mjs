// Background jobs: a backup runs on the worker, never in the request; progress and the
// result are visible; only a city administrator may start one; the copy is a whole,
// verifiable database.
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { login, req } from './lib.mjs';

const bin = process.env.RONGHE_BIN;

describe('background jobs', () => {
  let admin, viewer, zlt, sec;
  before(async () => {
    admin = await login('admin');
    viewer = await login('viewer');
    zlt = await login('zlt-admin');
    sec = await login('hlgl-sec');
  });

  test('an administrator queues a backup (202), it runs to done with progress, and the copy verifies', async () => {
    const r = await req(admin, 'POST', '/jobs', { kind: 'backup' });
    assert.equal(r.status, 202, r.text);
    assert.equal(r.json.kind, 'backup');
    assert.ok(['queued', 'running', 'done'].includes(r.json.status));
    let job;
    for (let i = 0; i < 100; i++) {
      job = (await req(admin, 'GET', `/jobs/${r.json.id}`)).json;
      if (job.status === 'done' || job.status === 'failed') break;
      await new Promise((ok) => setTimeout(ok, 100));
    }
    assert.equal(job.status, 'done', job.message);
    assert.ok(job.total > 0 && job.done === job.total, `progress ${job.done}/${job.total}`);
    assert.ok(existsSync(job.result.file), job.result.file);
    const v = spawnSync(bin, ['audit', 'verify', '--db', job.result.file], { encoding: 'utf8' });
    assert.equal(v.status, 0, v.stdout + v.stderr);
    // Queuing it was audited.
    const a = await req(admin, 'GET', `/audit?entity=jobs&entity_id=${job.id}`);
    assert.equal(a.json.total, 1);
    assert.equal(a.json.items[0].action, 'create');
  });

  test('only a city administrator may start one: viewer, county admin, secretary → 403', async () => {
    for (const s of [viewer, zlt, sec]) {
      const r = await req(s, 'POST', '/jobs', { kind: 'backup' });
      assert.equal(r.status, 403, `${s.user.username}: ${r.text}`);
      assert.equal(r.json.error.code, 'forbidden');
    }
  });

  test('viewer reads jobs; a secretary only its own; a county admin sees only its own procuratorate’s', async () => {
    // Only city administrators start jobs, so a county's job is written the way a later
    // kind of job (one a county may start) would leave it: a row of that procuratorate.
    const ins = spawnSync('sqlite3', [process.env.RONGHE_DB], {
      encoding: 'utf8',
      input: `.timeout 5000
INSERT INTO jobs(procuratorate_id, kind, status, message, created_by_name, created_at, updated_at)
  VALUES (${zlt.user.procuratorate_id}, 'backup', 'failed', '测试：县院的任务', 'jobs.test', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');
SELECT last_insert_rowid();`,
    });
    assert.equal(ins.status, 0, ins.stderr);
    const countyJob = Number(ins.stdout.trim());
    const city = await req(admin, 'POST', '/jobs', { kind: 'backup' });
    assert.equal(city.status, 202, city.text);
    await new Promise((ok) => setTimeout(ok, 100)); // another process's write is seen within 50 ms
    const v = await req(viewer, 'GET', '/jobs?per_page=100');
    assert.equal(v.status, 200);
    const seen = new Set(v.json.items.map((j) => j.id));
    assert.ok(seen.has(countyJob) && seen.has(city.json.id), 'the city’s viewer sees both procuratorates’ jobs');
    // A secretary starts exports of its own (issue 8): it reads those, and no one else's.
    const s = await req(sec, 'GET', '/jobs?per_page=100');
    assert.equal(s.status, 200, s.text);
    assert.ok(s.json.items.every((j) => j.created_by === sec.user.id), JSON.stringify(s.json.items));
    assert.equal((await req(sec, 'GET', `/jobs/${countyJob}`)).status, 404);
    assert.equal((await req(sec, 'GET', `/jobs/${city.json.id}`)).status, 404);
    const z = await req(zlt, 'GET', '/jobs?per_page=100');
    assert.equal(z.status, 200);
    assert.ok(z.json.items.some((j) => j.id === countyJob), 'the county administrator sees its own job');
    assert.ok(z.json.items.every((j) => j.procuratorate_id === zlt.user.procuratorate_id), JSON.stringify(z.json.items));
    assert.equal((await req(zlt, 'GET', `/jobs/${city.json.id}`)).status, 404, 'and not the city’s');
  });

  test('bad submissions: unknown kind, missing kind, unknown field → 400; jobs cannot be edited', async () => {
    assert.equal((await req(admin, 'POST', '/jobs', { kind: 'format-disk' })).json.error.code, 'invalid_value');
    assert.equal((await req(admin, 'POST', '/jobs', {})).json.error.code, 'required');
    assert.equal((await req(admin, 'POST', '/jobs', { kind: 'backup', to: '/etc/passwd' })).json.error.code, 'unknown_field');
    const list = (await req(admin, 'GET', '/jobs')).json.items;
    const p = await req(admin, 'PATCH', `/jobs/${list[0].id}`, { version: list[0].version, status: 'done' });
    assert.equal(p.status, 403);
  });

  // A job that stays queued: a second backup, submitted while the first runs (the worker
  // runs one job at a time; a backup of the test database takes a few hundred ms).
  async function queuedBehindAnother() {
    const first = await req(admin, 'POST', '/jobs', { kind: 'backup' });
    const second = await req(admin, 'POST', '/jobs', { kind: 'backup' });
    assert.equal(second.status, 202, second.text);
    return { first: first.json.id, id: second.json.id };
  }

  async function settle(id) {
    for (let i = 0; i < 100; i++) {
      const j = (await req(admin, 'GET', `/jobs/${id}`)).json;
      if (!['queued', 'running'].includes(j.status)) return j;
      await new Promise((ok) => setTimeout(ok, 100));
    }
    assert.fail(`job ${id} did not finish`);
  }

  test('a queued job is cancelled by its submitter: it ends cancelled, never runs, and the cancel is audited', async () => {
    const { first, id } = await queuedBehindAnother();
    const r = await req(admin, 'POST', `/jobs/${id}/cancel`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.status, 'cancelled');
    assert.equal(r.json.message, '已取消');
    await settle(first);
    await new Promise((ok) => setTimeout(ok, 200));
    const after = (await req(admin, 'GET', `/jobs/${id}`)).json;
    assert.equal(after.status, 'cancelled', 'the worker left it alone');
    assert.equal(after.started_at, null);
    const a = await req(admin, 'GET', `/audit?entity=jobs&entity_id=${id}`);
    assert.ok(a.json.items.some((e) => e.action === 'cancel'), JSON.stringify(a.json.items));
    // Once over, a job cannot be cancelled again: 409.
    const again = await req(admin, 'POST', `/jobs/${id}/cancel`);
    assert.equal(again.status, 409, again.text);
    assert.equal(again.json.error.code, 'job_finished');
    const done = await req(admin, 'POST', `/jobs/${first}/cancel`);
    assert.equal(done.status, 409, done.text);
  });

  test('only its submitter (or who may start such jobs there) cancels a job; others get 403 or 404', async () => {
    const { first, id } = await queuedBehindAnother();
    assert.equal((await req(viewer, 'POST', `/jobs/${id}/cancel`)).status, 403, 'the viewer reads it, may not stop it');
    assert.equal((await req(zlt, 'POST', `/jobs/${id}/cancel`)).status, 404, 'another procuratorate’s job');
    assert.equal((await req(sec, 'POST', `/jobs/${id}/cancel`)).status, 404, 'not the secretary’s');
    assert.equal((await req(admin, 'POST', `/jobs/${id}/cancel`)).status, 200);
    await settle(first);
  });

  test('POST /jobs/upload takes a file only for kinds that take one, only as octet-stream', async () => {
    const octet = { 'Content-Type': 'application/octet-stream' };
    const noFile = await req(admin, 'POST', '/jobs/upload?kind=backup', Buffer.from('a,b\n'), octet);
    assert.equal(noFile.status, 400, noFile.text);
    assert.equal(noFile.json.error.code, 'invalid_value');
    const unknown = await req(admin, 'POST', '/jobs/upload?kind=format-disk', Buffer.from('a,b\n'), octet);
    assert.equal(unknown.status, 400, unknown.text);
    const json = await req(admin, 'POST', '/jobs/upload?kind=backup', { a: 1 });
    assert.equal(json.status, 415, json.text);
    const twice = await req(admin, 'POST', '/jobs/upload?kind=backup&kind=backup', Buffer.from('x'), octet);
    assert.equal(twice.status, 400, twice.text);
    assert.equal((await req(null, 'POST', '/jobs/upload?kind=backup', Buffer.from('x'), octet)).status, 401);
  });
});
