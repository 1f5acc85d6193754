// GET /api/v1/stats, the home page's figures: for each demo role, every count is what the
// lists the same user reads add up to (computed here from the rows, not from the server's
// SQL), and a county administrator's answer names no other procuratorate and does not move
// when another procuratorate changes.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { req, login, listAll, create, Trash, todayCN } from './lib.mjs';

/** Whole years from "date" (YYYY-MM-DD) to "today" (YYYY-MM-DD); null when no date. */
function yearsSince(date, today) {
  if (!date) return null;
  const [y, md] = [Number(date.slice(0, 4)), date.slice(5)];
  return Number(today.slice(0, 4)) - y - (today.slice(5) < md ? 1 : 0);
}

/** The bands the server uses, as [label, predicate on years]. 未填 last. */
const AGE = [
  ['35岁以下', (a) => a < 35],
  ['35–44岁', (a) => a >= 35 && a < 45],
  ['45–54岁', (a) => a >= 45 && a < 55],
  ['55岁及以上', (a) => a >= 55],
];
const PARTY = [
  ['5年以下', (y) => y < 5],
  ['5–9年', (y) => y >= 5 && y < 10],
  ['10–19年', (y) => y >= 10 && y < 20],
  ['20–29年', (y) => y >= 20 && y < 30],
  ['30年及以上', (y) => y >= 30],
];

function bands(defs, values, missing = '未填') {
  const out = defs.map(([label, p]) => ({ label, count: values.filter((v) => v !== null && p(v)).length }));
  out.push({ label: missing, count: values.filter((v) => v === null).length });
  return out;
}

/** Everything the answer should say, computed from the rows "session" may list. */
async function expected(session, stats) {
  const members = await listAll(session, '/members');
  const branches = await listAll(session, '/branches');
  const honours = await listAll(session, '/honours');
  const today = stats.as_of;
  const ids = new Set(stats.procuratorates.map((p) => p.id));
  const mine = (rows) => rows.filter((r) => ids.has(r.procuratorate_id));
  const per = stats.procuratorates.map((p) => {
    const m = members.filter((r) => r.procuratorate_id === p.id);
    return {
      id: p.id,
      branches: branches.filter((r) => r.procuratorate_id === p.id).length,
      members: m.length,
      quota_prosecutors: m.filter((r) => r.quota_prosecutor).length,
      youth: m.filter((r) => r.birth_date && yearsSince(r.birth_date, today) < 35).length,
      sample_members: m.filter((r) => r.sample).length,
      honours: honours.filter((r) => r.procuratorate_id === p.id).length,
    };
  });
  const ms = mine(members);
  const eth = new Map();
  for (const r of ms) {
    const e = (r.ethnicity ?? '').trim() || '未填';
    eth.set(e, (eth.get(e) ?? 0) + 1);
  }
  const hs = mine(honours);
  const years = [...new Set(hs.map((h) => h.year))].sort((a, b) => a - b);
  const levels = ['national', 'regional', 'city', 'county'].map((level) => ({
    level,
    counts: years.map((y) => hs.filter((h) => h.year === y && h.level === level).length),
  }));
  return {
    members,
    per,
    age: bands(AGE, ms.map((r) => yearsSince(r.birth_date, today))),
    party: bands(PARTY, ms.map((r) => r.party_age ?? null), '预备党员或未填'), // the list's own 党龄
    quota: [
      { label: '员额检察官', count: ms.filter((r) => r.quota_prosecutor).length },
      { label: '其他党员', count: ms.filter((r) => !r.quota_prosecutor).length },
    ],
    eth,
    honours: { years, levels },
  };
}

const ROLES = {
  admin: { scope_all: true },
  viewer: { scope_all: true },
  'zlt-admin': { scope_all: false },
  'hlgl-sec': { scope_all: false },
};

describe('GET /stats matches the lists, for every demo role', () => {
  for (const [user, want] of Object.entries(ROLES)) {
    test(`${user}: counts per procuratorate and every chart agree with what ${user}'s lists return`, async () => {
      const s = await login(user);
      const r = await req(s, 'GET', '/stats');
      assert.equal(r.status, 200, r.text);
      const st = r.json;
      assert.equal(st.scope_all, want.scope_all);
      assert.equal(st.as_of, todayCN(), 'ages are computed for today in Beijing');
      const e = await expected(s, st);
      if (want.scope_all) {
        assert.equal(st.procuratorates.length, 9, 'the city sees all nine procuratorates');
      } else {
        // A county user: their own procuratorate and nobody else's.
        assert.deepEqual(st.procuratorates.map((p) => p.id), [s.user.procuratorate_id]);
        assert.ok(e.members.every((m) => m.procuratorate_id === s.user.procuratorate_id));
      }
      assert.equal(st.totals.members, e.members.length, 'the total is the member list the user reads');
      assert.ok(st.totals.members > 0, 'the demo has members in every scope');
      for (const want1 of e.per) {
        const got = st.procuratorates.find((p) => p.id === want1.id);
        for (const k of Object.keys(want1)) assert.equal(got[k], want1[k], `${got.name} ${k}`);
      }
      for (const k of ['branches', 'members', 'quota_prosecutors', 'youth', 'sample_members', 'honours'])
        assert.equal(st.totals[k], e.per.reduce((a, p) => a + p[k], 0), `totals.${k}`);
      assert.deepEqual(st.age_bands, e.age);
      assert.deepEqual(st.party_years, e.party);
      assert.deepEqual(st.quota_prosecutor, e.quota);
      // 民族: each shown count is the list's; what is not shown by name is in 其他.
      let named = 0;
      for (const { label, count } of st.ethnicity) {
        if (label === '其他') continue;
        assert.equal(count, e.eth.get(label) ?? 0, `民族 ${label}`);
        named += count;
      }
      const other = st.ethnicity.find((x) => x.label === '其他')?.count ?? 0;
      assert.equal(named + other, e.members.length);
      assert.deepEqual(st.honours.years, e.honours.years);
      assert.deepEqual(
        st.honours.levels.map(({ level, counts }) => ({ level, counts })),
        e.honours.levels,
      );
    });
  }

  test('the demo gives the charts something to draw (honours, several age bands and 民族)', async () => {
    const s = await login('viewer');
    const st = (await req(s, 'GET', '/stats')).json;
    assert.ok(st.honours.years.length >= 3, JSON.stringify(st.honours));
    assert.ok(st.age_bands.filter((b) => b.count > 0).length >= 3);
    assert.ok(st.ethnicity.filter((b) => b.count > 0).length >= 2);
  });
});

describe('GET /stats: scope, freshness and bad requests', () => {
  const trash = new Trash();
  let admin;
  before(async () => {
    admin = await login('admin');
  });
  after(() => trash.empty(admin));

  test("a member added in another procuratorate moves the city's counts at once and never the county's", async () => {
    const zlt = await login('zlt-admin');
    const zltBefore = (await req(zlt, 'GET', '/stats')).json;
    const cityBefore = (await req(admin, 'GET', '/stats')).json;
    // A branch outside 扎鲁特旗.
    const other = cityBefore.procuratorates.find((p) => p.id !== zlt.user.procuratorate_id && p.branches > 0);
    const branch = (await listAll(admin, `/branches?procuratorate_id=${other.id}`))[0];
    const m = await create(admin, 'members', { branch_id: branch.id, name: '统计测试', birth_date: '2000-01-02', ethnicity: '统计族' });
    trash.add('members', m.id);
    const cityAfter = (await req(admin, 'GET', '/stats')).json;
    assert.equal(cityAfter.totals.members, cityBefore.totals.members + 1, 'not a stale answer');
    assert.equal(cityAfter.procuratorates.find((p) => p.id === other.id).members, other.members + 1);
    assert.equal(cityAfter.ethnicity.find((x) => x.label === '统计族' || x.label === '其他')?.count >= 1, true);
    const zltAfter = (await req(zlt, 'GET', '/stats')).json;
    assert.deepEqual(zltAfter, zltBefore, "扎鲁特旗's answer does not change with another procuratorate's member");
    assert.ok(!JSON.stringify(zltAfter).includes(other.name), 'names no other procuratorate');
  });

  test('the answer is not cached by the browser or a proxy (it depends on the date)', async () => {
    const r = await req(admin, 'GET', '/stats');
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('cache-control'), 'no-store');
  });

  test('not signed in: 401; a write: 405; a query parameter: 400, each with a Chinese message', async () => {
    const anon = await req(null, 'GET', '/stats');
    assert.equal(anon.status, 401);
    assert.equal(anon.json.error.code, 'unauthenticated');
    for (const m of ['POST', 'DELETE']) {
      const w = await req(admin, m, '/stats');
      assert.equal(w.status, 405, m);
      assert.equal(w.json.error.code, 'method_not_allowed');
    }
    const q = await req(admin, 'GET', '/stats?procuratorate_id=1');
    assert.equal(q.status, 400);
    assert.equal(q.json.error.code, 'bad_query');
    assert.match(q.json.error.message, /[\u4e00-\u9fff]/);
  });
});
