// The audit log as people read it (GET /audit, GET /<coll>/<id>/history): filters by
// date range and operator, names instead of ids (never across scope), and the demo's
// entries attributed to the demo.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { req, login, uniq, rand, Trash, create, get, listAll, todayCN } from './lib.mjs';

const hasHan = (s) => /[\u4e00-\u9fff]/.test(s ?? '');

let admin, zlt, viewer;
const trash = new Trash();
before(async () => {
  admin = await login('admin');
  zlt = await login('zlt-admin');
  viewer = await login('viewer');
});
after(async () => {
  await trash.empty(admin);
});

describe('GET /audit filters', () => {
  test('from/to: today (Beijing) holds this test’s write; yesterday and tomorrow do not', async () => {
    const d = await create(admin, 'departments', { procuratorate_id: 1, name: '审计筛选' + rand(), kind: '业务' });
    trash.add('departments', d.id);
    const q = `/audit?entity=departments&entity_id=${d.id}`;
    const today = todayCN();
    assert.equal((await req(admin, 'GET', `${q}&from=${today}&to=${today}`)).json.total, 1);
    assert.equal((await req(admin, 'GET', `${q}&from=${today}`)).json.total, 1);
    assert.equal((await req(admin, 'GET', `${q}&to=${todayCN(-1)}`)).json.total, 0);
    assert.equal((await req(admin, 'GET', `${q}&from=${todayCN(1)}`)).json.total, 0);
    assert.equal((await req(admin, 'GET', `${q}&from=${todayCN(-30)}&to=${todayCN(1)}`)).json.total, 1);
  });

  test('the day boundary is Beijing midnight: every entry of a day lies in its UTC+8 day', async () => {
    const day = todayCN();
    const items = await listAll(admin, `/audit?from=${day}&to=${day}`);
    assert.ok(items.length > 0);
    for (const e of items) {
      const cn = new Date(Date.parse(e.ts) + 8 * 3600e3).toISOString().slice(0, 10);
      assert.equal(cn, day, e.ts);
    }
  });

  test('from/to that are not real dates: 400 bad_query in Chinese, on the parameter', async () => {
    for (const [k, v] of [['from', '2026-13-45'], ['to', '2026-02-30'], ['from', 'yesterday'], ['to', '2026-1-1'], ['from', '2026-01-01T00:00']]) {
      const r = await req(admin, 'GET', `/audit?${k}=${encodeURIComponent(v)}`);
      assert.equal(r.status, 400, `${k}=${v}: ${r.text}`);
      assert.equal(r.json.error.code, 'bad_query');
      assert.equal(r.json.error.field, k);
      assert.match(r.json.error.message, /日期/);
    }
  });

  test('a range whose start lies after its end: 400 bad_query on from, in either order of the parameters', async () => {
    for (const query of [`from=${todayCN(1)}&to=${todayCN(-1)}`, `to=${todayCN(-1)}&from=${todayCN(1)}`]) {
      const r = await req(admin, 'GET', `/audit?${query}`);
      assert.equal(r.status, 400, `${query}: ${r.text}`);
      assert.equal(r.json.error.code, 'bad_query');
      assert.equal(r.json.error.field, 'from');
      assert.match(r.json.error.message, /晚于结束日期/);
    }
    // one day (from = to) is a range
    assert.equal((await req(admin, 'GET', `/audit?from=${todayCN()}&to=${todayCN()}`)).status, 200);
  });

  test('actor: by username, by display name, and "demo" for the demo’s own entries', async () => {
    const byName = await req(admin, 'GET', '/audit?actor=admin&per_page=50');
    assert.equal(byName.status, 200, byName.text);
    assert.ok(byName.json.total > 0);
    assert.ok(byName.json.items.every((e) => e.username === 'admin'));
    const me = await get(admin, 'users', admin.user.id);
    const byDisplay = await req(admin, 'GET', `/audit?actor=${encodeURIComponent(me.display_name)}&per_page=1`);
    assert.equal(byDisplay.json.total, byName.json.total, 'the display name finds the same entries');
    const demo = await req(admin, 'GET', '/audit?actor=demo&per_page=50');
    assert.ok(demo.json.total > 100, 'the demo wrote its records');
    assert.ok(demo.json.items.every((e) => e.username === 'demo' && e.user_id === null));
    assert.equal((await req(admin, 'GET', '/audit?actor=nobody-' + rand())).json.total, 0);
    const long = await req(admin, 'GET', '/audit?actor=' + 'x'.repeat(65));
    assert.equal(long.status, 400, long.text);
  });

  test('a county administrator cannot find entries by the display name of a user outside their scope', async () => {
    const me = await get(admin, 'users', admin.user.id);
    // admin (city) writes in 扎鲁特旗's procuratorate: the entry is in zlt's scope, by username
    const d = await create(admin, 'departments', { procuratorate_id: zlt.user.procuratorate_id, name: '跨院' + rand(), kind: '业务' });
    trash.add('departments', d.id);
    const q = `/audit?entity=departments&entity_id=${d.id}`;
    assert.equal((await req(zlt, 'GET', `${q}&actor=admin`)).json.total, 1);
    assert.equal((await req(zlt, 'GET', `${q}&actor=${encodeURIComponent(me.display_name)}`)).json.total, 0);
  });
});

describe('entries read as people read them', () => {
  test('the demo’s entries: actor_name 示例数据（系统生成）, not a person', async () => {
    const r = await req(admin, 'GET', '/audit?actor=demo&per_page=5');
    for (const e of r.json.items) assert.equal(e.actor_name, '示例数据（系统生成）');
  });

  test('a person’s entries carry their display name', async () => {
    const me = await get(admin, 'users', admin.user.id);
    const r = await req(admin, 'GET', '/audit?actor=admin&per_page=5');
    for (const e of r.json.items) assert.equal(e.actor_name, me.display_name);
  });

  test('references carry names: 支部 15 → its name', async () => {
    const branches = await listAll(admin, '/branches');
    const b = branches.find((x) => x.name.includes('科尔沁区人民检察院第三党支部'));
    const m = await create(admin, 'members', { branch_id: b.id, name: '审计名' + rand(2) });
    trash.add('members', m.id);
    const r = await req(admin, 'GET', `/audit?entity=members&entity_id=${m.id}`);
    const e = r.json.items[0];
    assert.equal(e.names.branch_id[String(b.id)], b.name);
    assert.equal(e.names.procuratorate_id[String(b.procuratorate_id)], '科尔沁区人民检察院');
    // the same in the record's history
    const h = await req(admin, 'GET', `/members/${m.id}/history`);
    assert.equal(h.json.items[0].names.branch_id[String(b.id)], b.name);
  });

  test('a name the reader may not see is not given: a county administrator reads the city operator as a username', async () => {
    // users are read by administrators of their own procuratorate only: 扎鲁特旗's
    // administrator may not know what the city's administrator is called
    const me = await get(admin, 'users', admin.user.id);
    assert.notEqual(me.display_name, 'admin');
    const d = await create(admin, 'departments', { procuratorate_id: zlt.user.procuratorate_id, name: '跨院名' + rand(), kind: '业务' });
    trash.add('departments', d.id);
    const q = `/audit?entity=departments&entity_id=${d.id}`;
    const theirs = (await req(zlt, 'GET', q)).json.items[0];
    assert.equal(theirs.actor_name, 'admin');
    assert.ok(!JSON.stringify(theirs).includes(me.display_name));
    assert.equal((await req(admin, 'GET', q)).json.items[0].actor_name, me.display_name);
    // and a reference to a row outside the reader's scope stays a bare id: a user of
    // 扎鲁特旗 whose entry zlt reads, named by the city's own user list, is not resolved
    const u = await create(admin, 'users', { username: uniq('aud-'), display_name: '县院用户' + rand(2), password: `Aud-${rand()}-pw9`, role: 'viewer', procuratorate_id: zlt.user.procuratorate_id });
    trash.add('users', u.id);
    const hist = await req(zlt, 'GET', `/users/${u.id}/history`);
    assert.equal(hist.status, 200, hist.text);
    assert.equal(hist.json.items[0].actor_name, 'admin');
  });

  test('a viewer (leadership) reads the audit with names too', async () => {
    const r = await req(viewer, 'GET', '/audit?entity=members&per_page=3');
    assert.equal(r.status, 200, r.text);
    assert.ok(r.json.items.every((e) => typeof e.names === 'object' && typeof e.actor_name === 'string'));
  });
});
