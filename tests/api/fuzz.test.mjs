// Random and malformed bodies against every collection's create and update: the server
// must answer each with a clear 4xx error (never a 5xx, never a crash), and a refused
// write must leave no audit entry behind. Deterministic: the same bodies every run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { login, req, auditCount as allAudit, total } from './lib.mjs';

// A member's terms (partylife.c) are written and audited with the member: counted apart.
const auditCount = async (admin) => (await allAudit(admin)) - (await total(admin, '/audit?entity=member-terms'));

const COLLECTIONS = ['procuratorates', 'departments', 'branches', 'party-groups', 'members', 'brands', 'methods', 'method-elements', 'honours', 'users', 'jobs',
  'activities', 'attendance', 'activity-items', 'life-rules'];
const FIELDS = ['name', 'name_mn', 'branch_id', 'procuratorate_id', 'department_id', 'party_group_id', 'birth_date', 'joined_party',
  'gender', 'languages', 'quota_prosecutor', 'level', 'year', 'title', 'kind', 'role', 'password', 'username', 'version', 'sort',
  'parent_id', 'brand_id', 'method_id', 'label', 'count', 'sample', 'display_name', 'short_name', '__proto__', 'id', '',
  'activity_id', 'member_id', 'status', 'reason', 'held_on', 'topic', 'study_dimension', 'minutes', 'period', 'required_count',
  'item_coll', 'item_id', 'moved_on'];

let seed = 20261130;
const rnd = (n) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
const pick = (a) => a[rnd(a.length)];

function value(depth = 0) {
  switch (rnd(depth > 1 ? 8 : 11)) {
    case 0: return null;
    case 1: return rnd(2) === 0;
    case 2: return rnd(2000000) - 1000000;
    case 3: return 2 ** 62 * (rnd(2) ? 1 : -1);
    case 4: return 1.5;
    case 5: return pick(['', '张伟', '2023-02-30', '1990-01-01', '2999-01-01', 'zh+mn', '党支部', 'admin', 'ᠰᠠᠷᠠᠨᠠ', 'a\u0000b', '\u0007', 'x'.repeat(3000), '\ud800']);
    case 6: return String.fromCharCode(...Array.from({ length: rnd(20) }, () => rnd(0x3000)));
    case 7: return rnd(500) + 1;
    case 8: return [value(depth + 1), value(depth + 1)];
    case 9: return { a: value(depth + 1) };
    default: return 'x';
  }
}

function body() {
  const kind = rnd(10);
  if (kind === 0) return pick(['{', '[]', 'null', '"str"', '{"a":1,"a":2}', '{"name":"x",}', '\u0000', '{"name":"\\ud800"}', '1e999999']);
  const o = {};
  for (let i = rnd(6); i >= 0; i--) o[pick(FIELDS)] = value();
  return JSON.stringify(o);
}

test('2 000 random bodies: every answer a clear 4xx, nothing half-written', async () => {
  const admin = await login('admin');
  const auditBefore = await auditCount(admin);
  let created = 0;
  const seen = new Map();
  for (let i = 0; i < 2000; i++) {
    const coll = pick(COLLECTIONS);
    const update = rnd(3) === 0;
    const path = update ? `/${coll}/${rnd(30) + 1}` : `/${coll}`;
    const r = await fetch(process.env.RONGHE_URL + '/api/v1' + path, {
      method: update ? 'PATCH' : 'POST',
      headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf, 'content-type': 'application/json' },
      body: body(),
    });
    const text = await r.text();
    assert.ok(r.status < 500, `${update ? 'PATCH' : 'POST'} ${path} → ${r.status} ${text}`);
    if (r.status >= 400) {
      const j = JSON.parse(text);
      assert.ok(j.error && j.error.code && /[\u4e00-\u9fff]/.test(j.error.message), text);
    } else {
      created++; // a random body that happens to be valid is a legitimate write
    }
    seen.set(r.status, (seen.get(r.status) || 0) + 1);
  }
  // every successful write has exactly one audit entry; refused ones none
  assert.equal(await auditCount(admin) - auditBefore, created, `statuses: ${JSON.stringify([...seen])}`);
  assert.equal((await fetch(process.env.RONGHE_URL + '/api/v1/health')).status, 200);
});

test('1 500 random list queries and paths: 200, 400, 404 or 405 — never a 5xx', async () => {
  const admin = await login('admin');
  const KEYS = ['page', 'per_page', 'sort', 'q', 'youth', 'branch_id', 'procuratorate_id', 'level', 'gender', 'languages',
    'quota_prosecutor', 'sample', 'kind', 'status', 'year', 'entity', 'version', '', 'x', 'sort[]', '%00'];
  const VALS = ['', '0', '1', '-1', 'abc', '9999999999999999999999', '-name', 'name', 'id', '-id', 'true', 'false', '张',
    'zh+mn', '%', '_', "'", '"', '\\', '\u0000', 'ᠰᠠ', 'x'.repeat(300), 'national', '2024', '-sort', 'age'];
  const PATHS = [...COLLECTIONS.map((c) => `/${c}`), '/org-tree', '/me', '/members/1', '/members/1/history',
    '/members/0', '/members/-1', '/members/99999999999999999999', '/members/abc', '/members/1/x', '/members//1', '/nope', '/'];
  for (let i = 0; i < 1500; i++) {
    const params = Array.from({ length: rnd(4) }, () => `${encodeURIComponent(pick(KEYS))}=${encodeURIComponent(pick(VALS))}`);
    const url = process.env.RONGHE_URL + '/api/v1' + pick(PATHS) + (params.length ? '?' + params.join('&') : '');
    const r = await fetch(url, { headers: { cookie: admin.cookie } });
    const text = await r.text();
    assert.ok([200, 400, 404, 405].includes(r.status), `GET ${url} → ${r.status} ${text.slice(0, 300)}`);
    if (r.status !== 200) assert.ok(JSON.parse(text).error.code, text);
  }
});
