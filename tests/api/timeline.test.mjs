// GET /api/v1/timeline: a branch's, a member's and a case's events from both ledgers, in
// order. The entries are checked against the records they come from (read through the
// collections' own lists), the parameters against bad input, and the answer against the
// reader's scope: a county reader gets 404 for another procuratorate's member, and a
// branch's timeline read by them holds nothing of another procuratorate.
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { req, login, listAll } from './lib.mjs';

describe('timeline', () => {
  let admin, zlt, viewer, members, honours, branches;
  before(async () => {
    admin = await login('admin');
    zlt = await login('zlt-admin');
    viewer = await login('viewer');
    members = await listAll(admin, '/members');
    honours = await listAll(admin, '/honours');
    branches = await listAll(admin, '/branches');
  });

  test("a member's timeline holds the member's joining, full membership and honours, in date order", async () => {
    const holder = honours.find((h) => h.member_id);
    assert.ok(holder, 'the demo has a member honour');
    const m = members.find((x) => x.id === holder.member_id);
    const r = await req(admin, 'GET', `/timeline?member_id=${m.id}`);
    assert.equal(r.status, 200, r.text);
    const dates = r.json.items.map((i) => i.date);
    assert.deepEqual(dates, [...dates].sort(), 'ascending by date');
    const joined = r.json.items.find((i) => i.kind === '入党' && i.title === '入党');
    assert.equal(joined.date, m.joined_party);
    assert.equal(joined.coll, 'members');
    assert.equal(joined.id, m.id);
    const mine = honours.filter((h) => h.member_id === m.id);
    const shown = r.json.items.filter((i) => i.kind === '荣誉');
    assert.deepEqual(shown.map((i) => i.id).sort(), mine.map((h) => h.id).sort());
    for (const i of shown) {
      const h = mine.find((x) => x.id === i.id);
      assert.equal(i.date, `${h.year}-12-31`);
      assert.ok(i.title.includes(h.title), i.title);
    }
    assert.equal(r.json.total, r.json.items.length);
    const counts = Object.fromEntries(r.json.kinds.map((k) => [k.kind, k.count]));
    assert.equal(counts['荣誉'], mine.length);
  });

  test("a branch's timeline holds its honours (branch and member ones), not the members' joinings", async () => {
    const b = branches.find((x) => honours.some((h) => h.branch_id === x.id));
    const r = await req(admin, 'GET', `/timeline?branch_id=${b.id}&per_page=1000`);
    assert.equal(r.status, 200, r.text);
    const hs = honours.filter((h) => h.branch_id === b.id);
    assert.deepEqual(r.json.items.filter((i) => i.coll === 'honours').map((i) => i.id).sort(), hs.map((h) => h.id).sort());
    assert.ok(!r.json.items.some((i) => i.kind === '入党'));
  });

  test('period, kind, order and paging narrow and order the answer', async () => {
    const m = members.find((x) => x.joined_party && x.full_member_date);
    const all = (await req(admin, 'GET', `/timeline?member_id=${m.id}`)).json;
    const desc = (await req(admin, 'GET', `/timeline?member_id=${m.id}&order=desc`)).json;
    assert.deepEqual(desc.items.map((i) => i.date), all.items.map((i) => i.date).reverse());
    const one = await req(admin, 'GET', `/timeline?member_id=${m.id}&from=${m.joined_party}&to=${m.joined_party}`);
    assert.equal(one.status, 200);
    assert.deepEqual(one.json.items.map((i) => i.date), [m.joined_party]);
    const page2 = await req(admin, 'GET', `/timeline?member_id=${m.id}&per_page=1&page=2`);
    assert.equal(page2.json.items.length, 1);
    assert.deepEqual(page2.json.items[0], all.items[1]);
    assert.equal(page2.json.total, all.total);
    const honoursOnly = await req(admin, 'GET', `/timeline?member_id=${m.id}&kind=荣誉`);
    assert.equal(honoursOnly.status, 200);
    assert.ok(honoursOnly.json.items.every((i) => i.kind === '荣誉'));
    // the kinds are counted over the period whatever kind was chosen
    assert.deepEqual(honoursOnly.json.kinds, all.kinds);
  });

  test('bad parameters are 400 bad_query with the parameter named', async () => {
    const m = members[0];
    const cases = [
      ['', 'branch_id'],
      [`member_id=${m.id}&branch_id=1`, 'branch_id'],
      [`member_id=${m.id}&member_id=${m.id}`, 'member_id'],
      ['member_id=abc', 'member_id'],
      ['member_id=0', 'member_id'],
      ['member_id=99999999999999999999', 'member_id'],
      [`member_id=${m.id}&from=2025-02-30`, 'from'],
      [`member_id=${m.id}&to=2025-1-1`, 'to'],
      [`member_id=${m.id}&from=2025-02-01&to=2025-01-01`, 'from'],
      [`member_id=${m.id}&kind=没有这种`, 'kind'],
      [`member_id=${m.id}&order=up`, 'order'],
      [`member_id=${m.id}&per_page=0`, 'per_page'],
      [`member_id=${m.id}&per_page=1001`, 'per_page'],
      [`member_id=${m.id}&page=-1`, 'page'],
      [`member_id=${m.id}&sort=date`, 'sort'],
    ];
    for (const [q, field] of cases) {
      const r = await req(admin, 'GET', `/timeline?${q}`);
      assert.equal(r.status, 400, `${q}: ${r.text}`);
      assert.equal(r.json.error.code, 'bad_query', q);
      assert.equal(r.json.error.field, field, q);
      assert.match(r.json.error.message, /[\u4e00-\u9fff]/, q);
    }
  });

  test("scope: another procuratorate's member is 404 for a county administrator, their own is 200", async () => {
    const own = members.find((x) => x.procuratorate_id === zlt.user.procuratorate_id);
    const other = members.find((x) => x.procuratorate_id !== zlt.user.procuratorate_id);
    assert.equal((await req(zlt, 'GET', `/timeline?member_id=${own.id}`)).status, 200);
    const r = await req(zlt, 'GET', `/timeline?member_id=${other.id}`);
    assert.equal(r.status, 404, r.text);
    assert.equal(r.json.error.code, 'not_found');
    assert.equal((await req(zlt, 'GET', '/timeline?member_id=99999999')).status, 404, 'absent looks the same');
    assert.equal((await req(viewer, 'GET', `/timeline?member_id=${other.id}`)).status, 200, 'the leadership reads all');
    // a branch of another procuratorate may be read (branches are everyone's), but its
    // events of scoped collections are not the county reader's
    const otherBranch = branches.find((x) => x.procuratorate_id !== zlt.user.procuratorate_id);
    const rb = await req(zlt, 'GET', `/timeline?branch_id=${otherBranch.id}&per_page=1000`);
    assert.equal(rb.status, 200);
    for (const i of rb.json.items) {
      const rec = await req(zlt, 'GET', `/${i.coll}/${i.id}`);
      assert.equal(rec.status, 200, `${i.coll}/${i.id} is in the timeline, so it must be readable`);
    }
  });

  test('signed out is 401', async () => {
    const r = await req(null, 'GET', `/timeline?member_id=${members[0].id}`);
    assert.equal(r.status, 401);
  });
});
