// No request stops the server (issue 5): limits a client can reach are 4xx answers with a
// Chinese message, never an assertion; long four-byte text never breaks an answer; expensive
// work comes after the authorisation check; what one may not see looks like what does not exist.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { req, login, loginRaw, get, create, Trash, uniq, PASSWORD } from './lib.mjs';

const admin = await login('admin');
const trash = new Trash();
after(() => trash.empty(admin));

async function healthy() {
  const r = await req(null, 'GET', '/health');
  assert.equal(r.status, 200, 'the server stopped answering');
}

const collections = ['procuratorates', 'departments', 'branches', 'party-groups', 'brands', 'users', 'members'];

test('a parameter repeated up to the limit is a 400, never an abort', async () => {
  for (const coll of collections) {
    for (const [key, value] of [['q', 'a'], ['sort', 'id'], ['page', '1'], ['per_page', '5']]) {
      for (const n of [2, 14, 21, 32]) {
        const qs = Array.from({ length: n }, () => `${key}=${value}`).join('&');
        const r = await req(admin, 'GET', `/${coll}?${qs}`);
        assert.equal(r.status, 400, `${coll} ${key}×${n}: ${r.status} ${r.text}`);
        assert.equal(r.json.error.code, 'duplicate_param');
        assert.match(r.json.error.message, /重复/);
      }
    }
  }
  await healthy();
});

test('more parameters than the limit (32) is a 400 too_many_params; 32 distinct ones are answered', async () => {
  const many = Array.from({ length: 40 }, (_, i) => `x${i}=1`).join('&');
  const r = await req(admin, 'GET', `/members?${many}`);
  assert.equal(r.status, 400, r.text);
  assert.equal(r.json.error.code, 'too_many_params');
  // Past the limit even the cached path must not answer with a truncated query.
  const base = Array.from({ length: 32 }, (_, i) => `p${i}=`).join('&');
  const a = await req(admin, 'GET', `/members?${base}`);
  assert.equal(a.status, 200, a.text);
  const b = await req(admin, 'GET', `/members?${base}&page=2`);
  assert.equal(b.status, 400, b.text);
  await healthy();
});

test('a parameter name or value that is not UTF-8 is a 400 with a well-formed message', async () => {
  for (const path of ['/members?%FF%FE=1', '/members?q=%FF%FE', '/members?sort=%E4%B8', '/branches?%E4%B8%AD=%F0%A0%80']) {
    const r = await req(admin, 'GET', path);
    assert.equal(r.status, 400, `${path}: ${r.status} ${r.text}`);
    assert.ok(r.json?.error?.message, `${path}: no JSON error: ${r.text}`);
  }
  await healthy();
});

test('a display name of 40 four-byte characters: the user logs in, /me answers, again after a restart of the session', async () => {
  const username = uniq('u4b');
  const display = '𠀀'.repeat(40);
  const pw = `Ab1-${uniq('pw')}xyz`;
  const u = await create(admin, 'users', { username, display_name: display, password: pw, role: 'viewer', procuratorate_id: admin.user.procuratorate_id });
  trash.add('users', u.id);
  assert.equal(u.display_name, display);
  for (let i = 0; i < 2; i++) {
    const s = await login(username, pw);
    assert.equal(s.user.display_name, display);
    const me = await req(s, 'GET', '/me');
    assert.equal(me.status, 200, me.text);
    assert.equal(me.json.display_name, display);
  }
  await healthy();
});

test('a branch renamed to its limit in four-byte characters: its secretary still logs in', async () => {
  const sec = await login('hlgl-sec');
  const branch = await get(admin, 'branches', sec.user.branch_id);
  const long = '𠀀'.repeat(60);
  const p = await req(admin, 'PATCH', `/branches/${branch.id}`, { version: branch.version, name: long });
  assert.equal(p.status, 200, p.text);
  try {
    const again = await login('hlgl-sec');
    assert.equal(again.user.branch_name, long);
    const me = await req(again, 'GET', '/me');
    assert.equal(me.status, 200, me.text);
    assert.equal(me.json.branch_name, long);
    const tree = await req(again, 'GET', '/org-tree');
    assert.equal(tree.status, 200);
  } finally {
    const cur = await get(admin, 'branches', branch.id);
    const r = await req(admin, 'PATCH', `/branches/${branch.id}`, { version: cur.version, name: branch.name });
    assert.equal(r.status, 200, r.text);
  }
  await healthy();
});

test('an error message quoting long input is cut inside no character', async () => {
  const v = '😀'.repeat(300);
  const r = await req(admin, 'POST', '/honours', { title: 'x', level: v, year: 2020, branch_id: 1 });
  assert.equal(r.status, 400, r.text);
  assert.match(r.json.error.message, /级别/);
  const k = await req(admin, 'POST', '/members', { ['😀'.repeat(100)]: 1 });
  assert.equal(k.status, 400, k.text);
  assert.equal(k.json.error.code, 'unknown_field');
  await healthy();
});

test('a refused user creation is refused before its password is looked at (authorisation first)', async () => {
  const sec = await login('hlgl-sec');
  // A bad password would be 400 if it were checked first; the secretary may not create users at all.
  const r = await req(sec, 'POST', '/users', { username: uniq('x'), display_name: 'x', password: 'short', role: 'viewer', procuratorate_id: sec.user.procuratorate_id });
  assert.equal(r.status, 403, r.text);
  // A county administrator changing another procuratorate's user: not found, whatever the password.
  const zlt = await login('zlt-admin');
  const r2 = await req(zlt, 'PATCH', `/users/${admin.user.id}`, { version: 1, password: 'short' });
  assert.equal(r2.status, 404, r2.text);
});

test('refused password writes in a loop do not hold up anyone else', async () => {
  const sec = await login('hlgl-sec');
  let stop = false;
  const statuses = new Map();
  const loops = Array.from({ length: 6 }, async () => {
    while (!stop) {
      const r = await req(sec, 'POST', '/users', { username: uniq('y'), display_name: 'y', password: `Zz9-${uniq()}long`, role: 'viewer', procuratorate_id: sec.user.procuratorate_id });
      statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
    }
  });
  const logins = [];
  for (let i = 0; i < 8; i++) logins.push((await loginRaw('viewer')).status);
  stop = true;
  await Promise.all(loops);
  assert.deepEqual([...new Set(logins)], [200], `logins answered ${logins}`);
  assert.deepEqual([...statuses.keys()], [403], `refused writes answered ${[...statuses.entries()]}`);
});

test("another procuratorate's record history is closed to a secretary, and to a county admin", async () => {
  const sec = await login('hlgl-sec');
  const zlt = await login('zlt-admin');
  const branches = (await req(admin, 'GET', '/branches?per_page=100')).json.items;
  const other = branches.find((b) => b.procuratorate_id !== sec.user.procuratorate_id && b.procuratorate_id !== zlt.user.procuratorate_id);
  const own = branches.find((b) => b.procuratorate_id === zlt.user.procuratorate_id);
  assert.equal((await req(admin, 'GET', `/branches/${other.id}/history`)).status, 200);
  for (const [who, id] of [[sec, other.id], [sec, sec.user.branch_id], [zlt, other.id]]) {
    const r = await req(who, 'GET', `/branches/${id}/history`);
    assert.equal(r.status, 404, `${who.username} branch ${id}: ${r.status}`);
    assert.equal(r.json.error.code, 'not_found');
  }
  const mine = await req(zlt, 'GET', `/branches/${own.id}/history`);
  assert.equal(mine.status, 200, mine.text);
  assert.ok(mine.json.items.length > 0, 'the branch has a history (its creation)');
  assert.ok(mine.json.items.every((e) => e.procuratorate_id === zlt.user.procuratorate_id));
});

test('an honour for an out-of-scope member looks exactly like one for a member that does not exist', async () => {
  const zlt = await login('zlt-admin');
  const members = (await req(admin, 'GET', '/members?per_page=500')).json.items;
  const foreign = members.find((m) => m.procuratorate_id !== zlt.user.procuratorate_id);
  const body = (member_id) => ({ member_id, title: '测试荣誉', level: 'city', year: 2024 });
  const a = await req(zlt, 'POST', '/honours', body(foreign.id));
  const b = await req(zlt, 'POST', '/honours', body(999999999));
  assert.equal(a.status, 422, a.text);
  assert.equal(a.status, b.status);
  assert.equal(a.json.error.code, b.json.error.code);
  assert.equal(a.json.error.field, b.json.error.field);
  assert.equal(a.json.error.message.replace(/\d+/g, 'N'), b.json.error.message.replace(/\d+/g, 'N'));
});

test('a county administrator cannot tell which usernames exist elsewhere', async () => {
  const zlt = await login('zlt-admin');
  const proc = zlt.user.procuratorate_id;
  const others = (await req(admin, 'GET', '/procuratorates?per_page=100')).json.items.filter((p) => p.id !== proc);
  // Creating in another procuratorate: the same refusal whether the name is taken or free.
  const taken = await req(zlt, 'POST', '/users', { username: 'admin', display_name: 'x', password: `Qq7-${uniq()}long`, role: 'viewer', procuratorate_id: others[0].id });
  const free = await req(zlt, 'POST', '/users', { username: uniq('free'), display_name: 'x', password: `Qq7-${uniq()}long`, role: 'viewer', procuratorate_id: others[0].id });
  assert.equal(taken.status, free.status, `${taken.text} vs ${free.text}`);
  assert.equal(taken.json.error.code, free.json.error.code);
  // Renaming one's own user to a name that exists: refused, without saying where it lives.
  const mine = await create(zlt, 'users', { username: uniq('zu'), display_name: 'x', password: `Qq7-${uniq()}long`, role: 'viewer', procuratorate_id: proc });
  trash.add('users', mine.id);
  const r = await req(zlt, 'PATCH', `/users/${mine.id}`, { version: mine.version, username: 'admin' });
  assert.equal(r.status, 409, r.text);
  assert.doesNotMatch(r.json.error.message, /通辽市|市院/);
  void PASSWORD;
});
