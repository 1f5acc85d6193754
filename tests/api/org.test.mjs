// The organisation and the article's facts as the demo database presents them.
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { req, login, listAll } from './lib.mjs';

const COUNTIES = ['科尔沁区', '霍林郭勒市', '开鲁县', '科尔沁左翼中旗', '科尔沁左翼后旗', '库伦旗', '奈曼旗', '扎鲁特旗'];
const BRANDS = ['通心聚力', '检心向党 刑动先锋', '民益先枫', '霍检青锋', '精心益检', '萨日朗'];

describe('organisation and article facts', () => {
  let viewer, procs, brands;
  before(async () => {
    viewer = await login('viewer');
    procs = await listAll(viewer, '/procuratorates');
    brands = await listAll(viewer, '/brands');
  });

  test('/procuratorates: 9 in all, 1 city (level 1) and 8 counties (level 2)', async () => {
    const r = await req(viewer, 'GET', '/procuratorates');
    assert.equal(r.status, 200);
    assert.equal(r.json.total, 9);
    assert.equal(r.json.items.length, 9);
    const city = procs.filter((p) => p.level === 1);
    const counties = procs.filter((p) => p.level === 2);
    assert.equal(city.length, 1);
    assert.match(city[0].name, /通辽市/);
    assert.equal(city[0].parent_id, null);
    assert.equal(counties.length, 8);
    for (const c of counties) assert.equal(c.parent_id, city[0].id, `${c.name} is under the city`);
  });

  for (const county of COUNTIES) {
    test(`county procuratorate ${county} exists (level 2)`, () => {
      const found = procs.filter((p) => p.name.includes(county));
      assert.equal(found.length, 1, `${county}: ${found.map((p) => p.name)}`);
      assert.equal(found[0].level, 2);
    });
  }

  test('level filter: ?level=2 gives the 8 counties', async () => {
    const r = await req(viewer, 'GET', '/procuratorates?level=2');
    assert.equal(r.status, 200);
    assert.equal(r.json.total, 8);
    assert.ok(r.json.items.every((p) => p.level === 2));
  });

  test('/branches: 15 party organisations, each in an existing procuratorate', async () => {
    const r = await req(viewer, 'GET', '/branches');
    assert.equal(r.status, 200);
    assert.equal(r.json.total, 15);
    const ids = new Set(procs.map((p) => p.id));
    for (const b of r.json.items) {
      assert.ok(ids.has(b.procuratorate_id), b.name);
      assert.ok(['党总支', '党支部'].includes(b.kind), b.kind);
    }
    // every county has at least one branch
    for (const p of procs) assert.ok(r.json.items.some((b) => b.procuratorate_id === p.id), `${p.name} has a branch`);
  });

  test('/org-tree: the city at the root with the 8 counties as children, branches and departments nested', async () => {
    const r = await req(viewer, 'GET', '/org-tree');
    assert.equal(r.status, 200, r.text);
    const roots = r.json.items;
    assert.equal(roots.length, 1);
    const city = roots[0];
    assert.equal(city.level, 1);
    assert.match(city.name, /通辽市/);
    assert.equal(city.children.length, 8);
    for (const county of COUNTIES) assert.ok(city.children.some((c) => c.name.includes(county)), county);
    let nbranches = city.branches.length;
    for (const c of city.children) {
      assert.equal(c.level, 2);
      assert.ok(Array.isArray(c.departments));
      assert.ok(Array.isArray(c.branches) && c.branches.length >= 1, c.name);
      nbranches += c.branches.length;
      for (const b of c.branches) {
        assert.ok(Array.isArray(b.party_groups));
        assert.equal(typeof b.member_count, 'number');
      }
    }
    assert.equal(nbranches, 15);
  });

  test('/org-tree is readable by a county secretary too', async () => {
    const s = await login('hlgl-sec');
    const r = await req(s, 'GET', '/org-tree');
    assert.equal(r.status, 200);
    assert.equal(r.json.items[0].children.length, 8);
  });

  for (const name of BRANDS) {
    test(`article brand 「${name}」 exists, is not sample data`, () => {
      const found = brands.filter((b) => b.name === name);
      assert.equal(found.length, 1, `${name}: ${brands.map((b) => b.name)}`);
      assert.equal(found[0].sample, false);
    });
  }

  test('the article brands sit in the right procuratorates', () => {
    const where = { 民益先枫: '科尔沁区', 霍检青锋: '霍林郭勒市', 精心益检: '科尔沁左翼中旗', 萨日朗: '扎鲁特旗', 通心聚力: '通辽市' };
    for (const [brand, proc] of Object.entries(where)) {
      const b = brands.find((x) => x.name === brand);
      const p = procs.find((x) => x.id === b.procuratorate_id);
      assert.ok(p.name.includes(proc), `${brand} is in ${p.name}, expected ${proc}`);
    }
  });

  test('通心聚力 has 2 child brands (parent_id), in its own branch', async () => {
    const parent = brands.find((b) => b.name === '通心聚力');
    const r = await req(viewer, 'GET', `/brands?parent_id=${parent.id}`);
    assert.equal(r.status, 200);
    assert.equal(r.json.total, 2);
    for (const c of r.json.items) {
      assert.equal(c.parent_id, parent.id);
      assert.equal(c.branch_id, parent.branch_id);
    }
    assert.equal(brands.filter((b) => b.parent_id === parent.id).length, 2);
  });

  test('the 12309 method of 民益先枫 has elements counted 1, 2, 3, 0, 9', async () => {
    const b = brands.find((x) => x.name === '民益先枫');
    const r = await req(viewer, 'GET', `/methods?brand_id=${b.id}`);
    assert.equal(r.status, 200);
    const m = r.json.items.find((x) => x.name.includes('12309'));
    assert.ok(m, `no 12309 method in ${r.json.items.map((x) => x.name)}`);
    assert.equal(m.sample, false);
    assert.deepEqual(m.elements.map((e) => e.count), [1, 2, 3, 0, 9]);
    // the single record and the method-elements collection agree
    const one = await req(viewer, 'GET', `/methods/${m.id}`);
    assert.equal(one.status, 200);
    assert.deepEqual(one.json.elements.map((e) => e.count), [1, 2, 3, 0, 9]);
    const els = await req(viewer, 'GET', `/method-elements?method_id=${m.id}`);
    assert.equal(els.status, 200);
    assert.deepEqual(els.json.items.map((e) => e.count), [1, 2, 3, 0, 9]);
  });

  test('科尔沁区第三党支部: honours city 2024 and regional 2025', async () => {
    const branches = await listAll(viewer, '/branches');
    const b = branches.find((x) => x.name.includes('科尔沁区') && x.name.includes('第三党支部'));
    assert.ok(b, 'branch 科尔沁区…第三党支部');
    assert.equal(b.sample, false);
    const r = await req(viewer, 'GET', `/honours?branch_id=${b.id}&per_page=500`);
    assert.equal(r.status, 200);
    const own = r.json.items.filter((h) => h.member_id === null);
    assert.ok(own.some((h) => h.level === 'city' && h.year === 2024 && h.sample === false), JSON.stringify(own));
    assert.ok(own.some((h) => h.level === 'regional' && h.year === 2025 && h.sample === false), JSON.stringify(own));
  });

  test('sample flags: generated records are sample=true, article records sample=false', async () => {
    const myxf = brands.find((b) => b.name === '民益先枫');
    assert.equal(myxf.sample, false);
    // the two 通心聚力 sub-brands are generated
    const parent = brands.find((b) => b.name === '通心聚力');
    for (const c of brands.filter((b) => b.parent_id === parent.id)) assert.equal(c.sample, true, c.name);
    // every person of the demo is generated (records added later by other tests are not demo data)
    const demoTime = Date.parse(procs[0].created_at) + 60_000;
    const members = (await listAll(viewer, '/members')).filter((m) => Date.parse(m.created_at) < demoTime);
    assert.ok(members.length > 300, `demo members: ${members.length}`);
    const facts = members.filter((m) => m.sample !== true);
    assert.deepEqual(facts.map((m) => m.name), [], 'all demo members are sample');
    // the procuratorates are facts
    assert.ok(procs.every((p) => p.sample === false));
    // the sample filter works both ways
    const s1 = await req(viewer, 'GET', '/brands?sample=true');
    const s0 = await req(viewer, 'GET', '/brands?sample=false');
    assert.ok(s1.json.total > 0 && s0.json.total > 0, 'brands of both kinds');
    assert.ok(s1.json.items.every((b) => b.sample === true));
    assert.ok(s0.json.items.every((b) => b.sample === false));
    assert.ok(s0.json.items.some((b) => b.name === '民益先枫'));
    assert.equal(s1.json.total + s0.json.total, brands.length);
  });

  test('every record carries id, version, sample, created_at, updated_at', async () => {
    for (const c of ['procuratorates', 'departments', 'branches', 'party-groups', 'members', 'brands', 'methods', 'method-elements', 'honours']) {
      const items = await listAll(viewer, `/${c}`);
      assert.ok(items.length > 0, c);
      for (const it of items) {
        for (const k of ['id', 'version', 'sample', 'created_at', 'updated_at']) assert.ok(k in it, `${c} ${it.id}: ${k}`);
        assert.equal(typeof it.sample, 'boolean', `${c} ${it.id}: sample`);
      }
    }
  });
});
