// kill -9 at any moment loses nothing committed: writes acknowledged before the kill are
// all there after a restart, and the audit chain still verifies.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';

const bin = process.env.RONGHE_BIN;
const password = process.env.RONGHE_PASSWORD;

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
  });
}

async function start(db) {
  const port = await freePort();
  const proc = spawn(bin, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`], { stdio: 'ignore' });
  proc.exited = new Promise((r) => proc.once('exit', (code, signal) => r({ code, signal })));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try { if ((await fetch(`${url}/api/v1/health`)).ok) break; } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 50));
  }
  const r = await fetch(`${url}/api/v1/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'admin', password }) });
  assert.equal(r.status, 200);
  const cookie = r.headers.get('set-cookie').split(';')[0];
  const { csrf_token } = await r.json();
  return { proc, url, cookie, csrf: csrf_token };
}

test('kill -9 during a stream of writes loses no acknowledged write', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ronghe-crash-'));
  try {
    const db = join(dir, 'crash.db');
    assert.equal(spawnSync(bin, ['demo', '--db', db, '--password', password]).status, 0);
    const s = await start(db);
    const branches = await (await fetch(`${s.url}/api/v1/branches?per_page=1`, { headers: { cookie: s.cookie } })).json();
    const branchId = branches.items[0].id;
    const acked = [];
    let stop = false;
    // Four writers in parallel; the server is killed while they run.
    const writers = [0, 1, 2, 3].map(async (w) => {
      for (let i = 0; !stop && i < 2000; i++) {
        const name = `崩溃测试${w}-${i}`;
        try {
          const r = await fetch(`${s.url}/api/v1/members`, {
            method: 'POST',
            headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, 'content-type': 'application/json' },
            body: JSON.stringify({ name, branch_id: branchId }),
          });
          if (r.status === 201) acked.push(name);
        } catch { return; }
      }
    });
    // Kill at an arbitrary moment once writes are flowing.
    for (let i = 0; i < 200 && acked.length < 20; i++) await new Promise((r) => setTimeout(r, 25));
    await new Promise((r) => setTimeout(r, 100 + Math.random() * 400));
    s.proc.kill('SIGKILL');
    stop = true;
    await Promise.all(writers);
    await s.proc.exited;
    assert.ok(acked.length > 10, `only ${acked.length} writes before the kill`);

    const v = spawnSync(bin, ['audit', 'verify', '--db', db], { encoding: 'utf8' });
    assert.equal(v.status, 0, v.stdout + v.stderr);

    const s2 = await start(db);
    try {
      const found = new Set();
      for (let page = 1; page < 100; page++) {
        const r = await fetch(`${s2.url}/api/v1/members?q=${encodeURIComponent('崩溃测试')}&per_page=500&page=${page}`, { headers: { cookie: s2.cookie } });
        const { items } = await r.json();
        items.forEach((m) => found.add(m.name));
        if (items.length < 500) break;
      }
      const lost = acked.filter((n) => !found.has(n));
      assert.deepEqual(lost, [], `${lost.length} acknowledged writes lost`);
    } finally {
      s2.proc.kill('SIGTERM');
      assert.deepEqual(await s2.proc.exited, { code: 0, signal: null });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
