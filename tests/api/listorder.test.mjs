// Lists read in the order of the organisation: grouped by procuratorate (the city first,
// then the counties in their own order), each group in its own order. Pages of 50 come
// from the server's order, so it is the server's that matters.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { req, login, listAll } from './lib.mjs';

let admin, procRank;
before(async () => {
  admin = await login('admin');
  const procs = await listAll(admin, '/procuratorates?sort=id');
  const ordered = [...procs].sort((a, b) => a.level - b.level || a.sort - b.sort || a.id - b.id);
  procRank = new Map(ordered.map((p, i) => [p.id, i]));
});

/** Asserts "items" come grouped by procuratorate in rank order, "within" ordering each group. */
function assertGrouped(items, within, what) {
  assert.ok(items.length > 1, what + ': not enough rows to tell');
  for (let i = 1; i < items.length; i++) {
    const a = items[i - 1], b = items[i];
    const ra = procRank.get(a.procuratorate_id), rb = procRank.get(b.procuratorate_id);
    assert.ok(ra <= rb, `${what}: ${a.name ?? a.title ?? a.username} (${a.procuratorate_id}) before ${b.name ?? b.title ?? b.username} (${b.procuratorate_id})`);
    if (ra === rb) assert.ok(within(a, b) <= 0, `${what}: within a procuratorate, ${JSON.stringify(a)} before ${JSON.stringify(b)}`);
  }
}

const bySort = (a, b) => a.sort - b.sort || a.id - b.id;

for (const coll of ['departments', 'branches', 'party-groups', 'brands', 'methods']) {
  test(`${coll}: the default order groups by procuratorate, then the rows' own sort`, async () => {
    const r = await req(admin, 'GET', `/${coll}?per_page=500`);
    assert.equal(r.status, 200, r.text);
    assertGrouped(r.json.items, bySort, coll);
  });
}

test('honours: by procuratorate, the newest year first within each', async () => {
  const items = await listAll(admin, '/honours');
  assertGrouped(items, (a, b) => b.year - a.year || a.id - b.id, 'honours');
});

test('users: by procuratorate, then username', async () => {
  const items = await listAll(admin, '/users');
  const seen = new Set(items.map((u) => u.procuratorate_id));
  assert.ok(seen.size > 1);
  for (let i = 1; i < items.length; i++) assert.ok(procRank.get(items[i - 1].procuratorate_id) <= procRank.get(items[i].procuratorate_id));
});

test('no two 办公室 of different procuratorates… the first page of departments is not nine 办公室 in a row', async () => {
  const r = await req(admin, 'GET', '/departments?per_page=9');
  const names = r.json.items.map((d) => d.name);
  assert.ok(names.filter((n) => n === '办公室').length <= 1, names.join('、'));
  assert.ok(r.json.items.every((d) => d.procuratorate_id === r.json.items[0].procuratorate_id), 'the first page is the city’s');
});

test('an explicit ?sort= is the client’s order, not grouped', async () => {
  const items = (await req(admin, 'GET', '/departments?sort=name&per_page=500')).json.items;
  const office = items.filter((d) => d.name === '办公室');
  assert.ok(office.length > 1);
  const i = items.findIndex((d) => d.name === '办公室');
  assert.deepEqual(items.slice(i, i + office.length).map((d) => d.name), office.map(() => '办公室'), 'sorted by name, the 办公室 stand together');
});
