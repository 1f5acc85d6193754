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

// Finer invalidation: an answer is dropped when a table it read changes, not on any write.
test('a login, a logout and a write elsewhere keep the member list cached; a member written drops it', async () => {
  const admin = await login('admin');
  const list = '/members?per_page=5&sort=id';
  const first = await req(admin, 'GET', list);
  assert.equal(first.status, 200);
  const kept = await req(admin, 'GET', list);
  assert.equal(kept.headers.get('x-cache'), 'hit', 'repeated read answered from the cache');
  const other = await login('viewer'); // writes sessions and audit
  await req(other, 'DELETE', '/session'); // and again
  const branch = (await req(admin, 'GET', '/branches?per_page=1')).json.items[0];
  const h = await req(admin, 'POST', '/honours', { branch_id: branch.id, title: uniq('缓存荣誉'), level: 'city', year: 2024 });
  assert.equal(h.status, 201, h.text);
  await sleep(120); // past STORE_EXTERNAL_MS: our own commits are not taken for another process's
  const after = await req(admin, 'GET', list);
  assert.equal(after.headers.get('x-cache'), 'hit', 'a login, a logout or an honour must not drop the member list');
  assert.equal(after.text, first.text);
  const honours = await req(admin, 'GET', '/honours?per_page=500');
  assert.ok(honours.json.items.some((x) => x.id === h.json.id), 'the honours list shows the new one');
  // a member written: the list is read anew and shows it
  const m = first.json.items[0];
  const p = await req(admin, 'PATCH', `/members/${m.id}`, { version: m.version, position: uniq('职') });
  assert.equal(p.status, 200, p.text);
  const fresh = await req(admin, 'GET', list);
  assert.equal(fresh.headers.get('x-cache'), 'miss');
  assert.equal(fresh.json.items[0].position, p.json.position);
  await req(admin, 'DELETE', `/honours/${h.json.id}?version=${h.json.version}`);
});
