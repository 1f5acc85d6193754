// Members: search, filters, paging, sorting, query validation, and the write cycle with
// optimistic locking and history.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { req, login, listAll, uniq, Trash, get, todayCN } from './lib.mjs';

const q = (s) => encodeURIComponent(s);

describe('members', () => {
  let admin, all;
  const trash = new Trash();
  before(async () => {
    admin = await login('admin');
    all = await listAll(admin, '/members');
  });
  after(async () => {
    await trash.empty(admin);
  });

  test('the demo has members with the documented fields', () => {
    assert.ok(all.length > 100, `members: ${all.length}`);
    for (const k of ['id', 'name', 'branch_id', 'procuratorate_id', 'branch_name', 'procuratorate_name', 'age', 'version', 'quota_prosecutor', 'languages'])
      assert.ok(k in all[0], k);
    assert.ok(!('name_key' in all[0]), 'the search key is not shown');
  });

  test('search by a two-character name finds that member', async () => {
    const m = all.find((x) => [...x.name].length === 2);
    assert.ok(m, 'a member with a two-character name');
    const r = await req(admin, 'GET', `/members?q=${q(m.name)}&per_page=500`);
    assert.equal(r.status, 200);
    assert.ok(r.json.items.some((x) => x.id === m.id), `${m.name} (${m.id}) not found`);
    for (const x of r.json.items) assert.ok(x.name.includes(m.name) || (x.name_mn ?? '').includes(m.name), x.name);
    assert.equal(r.json.total, all.filter((x) => x.name.includes(m.name)).length);
  });

  test("search by pinyin 'zhang' finds every 张", async () => {
    const zhangs = all.filter((x) => x.name.startsWith('张'));
    assert.ok(zhangs.length > 0, 'the demo has members surnamed 张');
    const r = await req(admin, 'GET', '/members?q=zhang&per_page=500');
    assert.equal(r.status, 200);
    const ids = new Set(r.json.items.map((x) => x.id));
    for (const z of zhangs) assert.ok(ids.has(z.id), `${z.name} not found by 'zhang'`);
  });

  test('search by pinyin is case-insensitive (ZHANG)', async () => {
    const a = await req(admin, 'GET', '/members?q=zhang&per_page=500');
    const b = await req(admin, 'GET', '/members?q=ZHANG&per_page=500');
    assert.equal(b.status, 200);
    assert.equal(b.json.total, a.json.total);
  });

  test('search by full pinyin and by pinyin initials finds the member', async () => {
    const known = { 张峰: ['zhangfeng', 'zf'], 李娜: ['lina', 'ln'], 王刚: ['wanggang', 'wg'], 王明: ['wangming', 'wm'], 李波: ['libo', 'lb'], 张伟: ['zhangwei', 'zw'] };
    const m = all.find((x) => x.name in known);
    assert.ok(m, 'one of the known names is in the demo');
    for (const key of known[m.name]) {
      const r = await req(admin, 'GET', `/members?q=${key}&per_page=500`);
      assert.equal(r.status, 200);
      assert.ok(r.json.items.some((x) => x.id === m.id), `${m.name} not found by '${key}'`);
    }
  });

  test('search for a name nobody has → empty list', async () => {
    const r = await req(admin, 'GET', `/members?q=${q('不存在的名字' + uniq())}`);
    assert.equal(r.status, 200);
    assert.equal(r.json.total, 0);
    assert.deepEqual(r.json.items, []);
  });

  test('filter procuratorate_id', async () => {
    const pid = all.find((x) => x.procuratorate_name.includes('扎鲁特旗')).procuratorate_id;
    const r = await req(admin, 'GET', `/members?procuratorate_id=${pid}&per_page=500`);
    assert.equal(r.status, 200);
    assert.ok(r.json.items.length > 0);
    assert.ok(r.json.items.every((x) => x.procuratorate_id === pid));
    assert.equal(r.json.total, all.filter((x) => x.procuratorate_id === pid).length);
  });

  test('filter branch_id', async () => {
    const bid = all[all.length - 1].branch_id;
    const r = await req(admin, 'GET', `/members?branch_id=${bid}&per_page=500`);
    assert.equal(r.status, 200);
    assert.ok(r.json.items.length > 0);
    assert.ok(r.json.items.every((x) => x.branch_id === bid));
    assert.equal(r.json.total, all.filter((x) => x.branch_id === bid).length);
  });

  test('filter quota_prosecutor=true (and false)', async () => {
    const t = await req(admin, 'GET', '/members?quota_prosecutor=true&per_page=500');
    assert.equal(t.status, 200);
    assert.ok(t.json.total > 0);
    assert.ok(t.json.items.every((x) => x.quota_prosecutor === true));
    assert.equal(t.json.total, all.filter((x) => x.quota_prosecutor === true).length);
    const f = await req(admin, 'GET', '/members?quota_prosecutor=false&per_page=500');
    assert.ok(f.json.total > 0);
    assert.ok(f.json.items.every((x) => x.quota_prosecutor === false));
    assert.equal(t.json.total + f.json.total, all.length);
  });

  test('filter youth=true: everyone returned is under 35 by birth_date', async () => {
    const today = todayCN();
    const cutoff = `${Number(today.slice(0, 4)) - 35}${today.slice(4)}`; // born after this day: under 35
    const r = await req(admin, 'GET', '/members?youth=true&per_page=500');
    assert.equal(r.status, 200);
    assert.ok(r.json.total > 0, 'the demo has young members');
    for (const x of r.json.items) {
      assert.ok(x.birth_date && x.birth_date > cutoff, `${x.name} born ${x.birth_date} is not under 35`);
      assert.ok(x.age < 35, `${x.name} age ${x.age}`);
    }
    const expected = all.filter((x) => x.birth_date && x.birth_date > cutoff).length;
    assert.equal(r.json.total, expected);
    const old = await req(admin, 'GET', '/members?youth=false&per_page=500');
    assert.ok(old.json.total > 0, 'the demo has members of 35 and over');
    assert.ok(old.json.items.every((x) => x.birth_date <= cutoff));
    assert.equal(old.json.total, all.filter((x) => !(x.birth_date && x.birth_date > cutoff)).length);
  });

  test('filter languages=zh+mn (URL-encoded +)', async () => {
    const r = await req(admin, 'GET', `/members?languages=${q('zh+mn')}&per_page=500`);
    assert.equal(r.status, 200, r.text);
    assert.ok(r.json.total > 0);
    assert.ok(r.json.items.every((x) => x.languages === 'zh+mn'));
    assert.equal(r.json.total, all.filter((x) => x.languages === 'zh+mn').length);
  });

  test('filters combine (AND)', async () => {
    const pid = all[0].procuratorate_id;
    const r = await req(admin, 'GET', `/members?procuratorate_id=${pid}&quota_prosecutor=true&per_page=500`);
    assert.equal(r.json.total, all.filter((x) => x.procuratorate_id === pid && x.quota_prosecutor).length);
  });

  test('paging: page/per_page/total consistent, pages disjoint and complete', async () => {
    const per = 40;
    const first = await req(admin, 'GET', `/members?per_page=${per}&page=1`);
    assert.equal(first.status, 200);
    assert.equal(first.json.page, 1);
    assert.equal(first.json.per_page, per);
    assert.equal(first.json.total, all.length);
    assert.equal(first.json.items.length, per);
    const pages = Math.ceil(all.length / per);
    const seen = new Set();
    for (let p = 1; p <= pages; p++) {
      const r = await req(admin, 'GET', `/members?per_page=${per}&page=${p}`);
      assert.equal(r.json.page, p);
      assert.equal(r.json.total, all.length);
      assert.equal(r.json.items.length, p < pages ? per : all.length - per * (pages - 1));
      for (const x of r.json.items) {
        assert.ok(!seen.has(x.id), `member ${x.id} on two pages`);
        seen.add(x.id);
      }
    }
    assert.equal(seen.size, all.length);
    const beyond = await req(admin, 'GET', `/members?per_page=${per}&page=${pages + 1}`);
    assert.equal(beyond.status, 200);
    assert.deepEqual(beyond.json.items, []);
    assert.equal(beyond.json.total, all.length);
  });

  test('default paging is page 1 of 50', async () => {
    const r = await req(admin, 'GET', '/members');
    assert.equal(r.json.page, 1);
    assert.equal(r.json.per_page, 50);
    assert.equal(r.json.items.length, Math.min(50, all.length));
  });

  test('sort=name is pinyin order (as a Chinese reader expects); sort=-name is its reverse', async () => {
    const asc = await listAll(admin, '/members?sort=name');
    const desc = await listAll(admin, '/members?sort=-name');
    assert.equal(desc.length, asc.length);
    assert.deepEqual(desc.map((x) => x.name), asc.map((x) => x.name).reverse());
    const zh = new Intl.Collator('zh');
    const names = asc.map((x) => x.name);
    for (let i = 1; i < names.length; i++) assert.ok(zh.compare(names[i - 1], names[i]) <= 0, `${names[i - 1]} before ${names[i]}`);
    // Pinyin order, not code-point order: 安 (an) comes before 白 (bai) although U+5B89 > U+767D.
    assert.ok(zh.compare('安', '白') < 0);
  });

  for (const [label, query] of [
    ['per_page=0', 'per_page=0'],
    ['per_page=501', 'per_page=501'],
    ['per_page=-1', 'per_page=-1'],
    ['page=x', 'page=x'],
    ['page=0', 'page=0'],
    ['unknown parameter', 'colour=red'],
    ['sort by a non-sortable field', 'sort=position'],
    ['youth=maybe', 'youth=maybe'],
    ['quota_prosecutor=yes', 'quota_prosecutor=yes'],
    ['branch_id=abc', 'branch_id=abc'],
    ['languages=fr', 'languages=fr'],
  ]) {
    test(`bad query ${label} → 400 bad_query`, async () => {
      const r = await req(admin, 'GET', `/members?${query}`);
      assert.equal(r.status, 400, r.text);
      assert.equal(r.json.error.code, 'bad_query');
    });
  }

  test('create → 201 version 1, procuratorate derived from the branch; PATCH; stale PATCH → 409; history; DELETE', async () => {
    const branches = await listAll(admin, '/branches');
    const branch = branches.find((b) => b.name.includes('扎鲁特旗'));
    const name = '测试' + uniq();
    const c = await req(admin, 'POST', '/members', { name, branch_id: branch.id, position: '检察官' });
    assert.equal(c.status, 201, c.text);
    const m = c.json;
    trash.add('members', m.id);
    assert.equal(m.version, 1);
    assert.equal(m.name, name);
    assert.equal(m.branch_id, branch.id);
    assert.equal(m.procuratorate_id, branch.procuratorate_id, 'procuratorate_id derived from the branch');
    assert.equal(m.sample, false);
    assert.equal(m.quota_prosecutor, false, 'default');
    assert.equal(m.languages, 'zh', 'default');
    assert.ok(m.created_at && m.updated_at);
    // it is found by search
    const s = await req(admin, 'GET', `/members?q=${q(name)}`);
    assert.equal(s.json.total, 1);

    const u = await req(admin, 'PATCH', `/members/${m.id}`, { version: 1, position: '副检察长' });
    assert.equal(u.status, 200, u.text);
    assert.equal(u.json.version, 2);
    assert.equal(u.json.position, '副检察长');
    assert.equal(u.json.name, name, 'fields not sent are kept');
    assert.equal(u.json.created_at, m.created_at, 'created_at is kept');
    assert.ok(u.json.updated_at >= m.updated_at, 'updated_at moves on');

    const stale = await req(admin, 'PATCH', `/members/${m.id}`, { version: 1, position: '书记员' });
    assert.equal(stale.status, 409, stale.text);
    assert.equal(stale.json.error.code, 'version_conflict');
    const now = await get(admin, 'members', m.id);
    assert.equal(now.version, 2);
    assert.equal(now.position, '副检察长', 'a stale PATCH changes nothing');

    const h = await req(admin, 'GET', `/members/${m.id}/history`);
    assert.equal(h.status, 200, h.text);
    // (Only the entries from this record's creation on: see the id-reuse test below.)
    const created = h.json.items.find((e) => e.action === 'create' && e.after?.name === name);
    assert.ok(created, 'history has the create');
    const mine = h.json.items.filter((e) => e.id >= created.id);
    const updated = mine.find((e) => e.action === 'update');
    assert.ok(updated, 'history has the update');
    assert.equal(mine.length, 2, 'the refused PATCH left no entry');
    assert.equal(created.entity, 'members');
    assert.equal(created.entity_id, m.id);
    assert.equal(created.username, 'admin');
    assert.equal(created.before, null);
    assert.equal(created.after.name, name);
    assert.equal(updated.before.position, '检察官');
    assert.equal(updated.after.position, '副检察长');
    assert.equal(updated.before.version, 1);
    assert.equal(updated.after.version, 2);

    const staleDel = await req(admin, 'DELETE', `/members/${m.id}?version=1`);
    assert.equal(staleDel.status, 409);
    assert.equal(staleDel.json.error.code, 'version_conflict');
    assert.equal((await req(admin, 'GET', `/members/${m.id}`)).status, 200);

    const d = await req(admin, 'DELETE', `/members/${m.id}?version=2`);
    assert.equal(d.status, 204, d.text);
    const gone = await req(admin, 'GET', `/members/${m.id}`);
    assert.equal(gone.status, 404);
    assert.equal(gone.json.error.code, 'not_found');
    const again = await req(admin, 'DELETE', `/members/${m.id}?version=2`);
    assert.equal(again.status, 404);
  });

  // A deleted record's id must not be handed to the next new record: its history would
  // show the old record's entries, and a client still holding the old record (id, version 1)
  // could overwrite the new one.
  test('history of a new member shows only its own entries, even right after another member was deleted', async () => {
    const bid = all[0].branch_id;
    const a = (await req(admin, 'POST', '/members', { name: '甲' + uniq(), branch_id: bid })).json;
    assert.equal((await req(admin, 'DELETE', `/members/${a.id}?version=1`)).status, 204);
    const bName = '乙' + uniq();
    const b = (await req(admin, 'POST', '/members', { name: bName, branch_id: bid })).json;
    trash.add('members', b.id);
    const h = await req(admin, 'GET', `/members/${b.id}/history`);
    assert.equal(h.status, 200);
    assert.deepEqual(
      h.json.items.map((e) => [e.action, (e.after ?? e.before)?.name]),
      [['create', bName]],
      `history of member ${b.id} (the deleted one was ${a.id})`,
    );
  });

  test('PATCH of a deleted member (id, version 1) → 404, never changes another record', async () => {
    const bid = all[0].branch_id;
    const a = (await req(admin, 'POST', '/members', { name: '丙' + uniq(), branch_id: bid, position: '原职务' })).json;
    assert.equal((await req(admin, 'DELETE', `/members/${a.id}?version=1`)).status, 204);
    const b = (await req(admin, 'POST', '/members', { name: '丁' + uniq(), branch_id: bid, position: '新职务' })).json;
    trash.add('members', b.id);
    // A client that still shows the deleted member saves its form.
    const r = await req(admin, 'PATCH', `/members/${a.id}`, { version: 1, position: '改过的职务' });
    assert.equal(r.status, 404, `PATCH of deleted member ${a.id} answered ${r.status}; new member is ${b.id}`);
    assert.equal((await get(admin, 'members', b.id)).position, '新职务');
  });

  test('age is the completed years: a member whose birthday is today is exactly N', async () => {
    const today = todayCN();
    const y = Number(today.slice(0, 4));
    const md = today.slice(4) === '-02-29' ? '-02-28' : today.slice(4);
    const bid = all[0].branch_id;
    const wrong = [];
    for (let n = 18; n <= 60; n++) {
      const birth = `${y - n}${md}`;
      const r = await req(admin, 'POST', '/members', { name: '寿' + uniq(), branch_id: bid, birth_date: birth });
      assert.equal(r.status, 201, r.text);
      trash.add('members', r.json.id);
      const expected = n; // born on today's month and day (28 Feb on a 29 Feb), n years ago
      if (r.json.age !== expected) wrong.push(`born ${birth}: age ${r.json.age}, expected ${expected}`);
    }
    assert.deepEqual(wrong, [], `today is ${today}`);
  });

  test('age and youth agree: youth=true exactly for age < 35 (also for a 35th birthday today)', async () => {
    const today = todayCN();
    const md = today.slice(4) === '-02-29' ? '-02-28' : today.slice(4);
    const birth = `${Number(today.slice(0, 4)) - 35}${md}`;
    const m = (await req(admin, 'POST', '/members', { name: '卅五' + uniq(), branch_id: all[0].branch_id, birth_date: birth })).json;
    trash.add('members', m.id);
    const young = new Set((await listAll(admin, '/members?youth=true')).map((m) => m.id));
    const now = await listAll(admin, '/members');
    const disagree = now.filter((m) => m.birth_date && young.has(m.id) !== m.age < 35).map((m) => `${m.name} ${m.birth_date} age ${m.age}`);
    assert.ok(!young.has(m.id), 'born 35 years ago today: not youth');
    assert.deepEqual(disagree, []);
  });

  test('create with name only (no branch) → 400 required branch_id', async () => {
    const r = await req(admin, 'POST', '/members', { name: '测试' + uniq() });
    assert.equal(r.status, 400);
    assert.equal(r.json.error.code, 'required');
    assert.equal(r.json.error.field, 'branch_id');
  });

  test('create without a name → 400 required name', async () => {
    const r = await req(admin, 'POST', '/members', { branch_id: all[0].branch_id });
    assert.equal(r.status, 400);
    assert.equal(r.json.error.code, 'required');
    assert.equal(r.json.error.field, 'name');
  });

  test('PATCH without version → 400', async () => {
    const r = await req(admin, 'PATCH', `/members/${all[0].id}`, { position: 'x' });
    assert.equal(r.status, 400);
    assert.equal(r.json.error.field, 'version');
  });

  test('moving a member to another branch re-derives procuratorate_id', async () => {
    const branches = await listAll(admin, '/branches');
    const [b1, b2] = [branches.find((b) => b.name.includes('扎鲁特旗')), branches.find((b) => b.name.includes('霍林郭勒'))];
    const m = (await req(admin, 'POST', '/members', { name: '调动' + uniq(), branch_id: b1.id })).json;
    trash.add('members', m.id);
    const u = await req(admin, 'PATCH', `/members/${m.id}`, { version: m.version, branch_id: b2.id });
    assert.equal(u.status, 200, u.text);
    assert.equal(u.json.procuratorate_id, b2.procuratorate_id);
  });

  test('GET a member id that does not exist → 404; a non-numeric id → 404', async () => {
    assert.equal((await req(admin, 'GET', '/members/99999999')).status, 404);
    assert.equal((await req(admin, 'GET', '/members/abc')).status, 404);
  });
});
