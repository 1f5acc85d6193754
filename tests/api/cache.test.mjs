// Answers to reads are cached while nothing is written. A cached answer must never
// outlive a change: not one made through the API, not one made by another process (the
// command line writes to the same database file while the server runs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { login, req, uniq } from './lib.mjs';

const bin = process.env.RONGHE_BIN;
const db = process.env.RONGHE_DB;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

test('a write through the API shows in the very next read of the same list', async () => {
  const admin = await login('admin');
  const before = await req(admin, 'GET', '/departments?per_page=500');
  const again = await req(admin, 'GET', '/departments?per_page=500'); // now from the cache
  assert.equal(again.json.total, before.json.total);
  const name = uniq('缓存部门');
  const c = await req(admin, 'POST', '/departments', { procuratorate_id: 1, name });
  assert.equal(c.status, 201, c.text);
  const after = await req(admin, 'GET', '/departments?per_page=500');
  assert.equal(after.json.total, before.json.total + 1);
  assert.ok(after.json.items.some((d) => d.name === name));
  await req(admin, 'DELETE', `/departments/${c.json.id}?version=${c.json.version}`);
  const gone = await req(admin, 'GET', '/departments?per_page=500');
  assert.equal(gone.json.total, before.json.total);
});

test('an account disabled from the command line while serving loses its session at once', async () => {
  const admin = await login('admin');
  const username = uniq('cli-off-');
  const password = 'cli-off-password-1';
  const u = await req(admin, 'POST', '/users', { username, display_name: '命令行停用', password, role: 'viewer', procuratorate_id: 1 });
  assert.equal(u.status, 201, u.text);
  const s = await login(username, password);
  assert.equal((await req(s, 'GET', '/branches')).status, 200);
  assert.equal((await req(s, 'GET', '/branches')).status, 200); // cached session and answer
  const r = spawnSync(bin, ['user', 'disable', '--db', db, '--username', username], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  await sleep(120); // another process's write is noticed within 50 ms
  const after = await req(s, 'GET', '/branches');
  assert.equal(after.status, 401, 'a disabled account must not read, cached or not');
});

test('a search for text that looks like more parameters is not mistaken for them', async () => {
  const admin = await login('admin');
  // first the real parameters, so that their answer is in the cache
  const real = await req(admin, 'GET', `/members?q=${encodeURIComponent('张')}&per_page=1`);
  assert.ok(real.json.total > 0);
  // then one parameter whose value spells the same thing: no member's name contains "&"
  const literal = await req(admin, 'GET', `/members?q=${encodeURIComponent('张&per_page=1')}`);
  assert.equal(literal.status, 200);
  assert.equal(literal.json.total, 0, 'answered from the cache entry of a different query');
});
