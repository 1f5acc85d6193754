// The evaluation's results and hand values for every kind of subject (issue 9): the
// results paged as the collections' lists are (a bounded page, the total, the same order
// and ranks on every page, 400 bad_query past the largest page), results marked stale
// when a party group changes, and hand values (手工录入) for procuratorates, members and
// party groups — entered with evidence in the subject's scope, counted only once another
// administrator approved them, 待审核 until then.
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { login, req, uniq, lastAudit, jobEnd } from './lib.mjs';

async function runJob(session, scheme_id, period) {
  const r = await req(session, 'POST', '/jobs', { kind: 'eval', scheme_id, period });
  assert.equal(r.status, 202, r.text);
  const j = await jobEnd(session, r.json.id, 120000);
  assert.equal(j.status, 'done', JSON.stringify(j));
  return j;
}

/** every result of a query, page by page (per_page "n") */
async function allPages(session, query, n) {
  const items = [];
  let total = null;
  for (let page = 1; page < 1000; page++) {
    const r = await req(session, 'GET', `/eval/results?${query}&page=${page}&per_page=${n}`);
    assert.equal(r.status, 200, r.text);
    assert.ok(r.json.items.length <= n, 'a page is bounded');
    assert.equal(r.json.page, page);
    assert.equal(r.json.per_page, n);
    if (total === null) total = r.json.total;
    assert.equal(r.json.total, total, 'the same total on every page');
    items.push(...r.json.items);
    if (r.json.items.length < n) break;
  }
  assert.equal(items.length, total);
  return { items, total };
}

// a scheme whose hand-entered indicator applies to procuratorates, members and party
// groups (评议), another only to branches (支部评议)
const SCHEME = (name) => `[方案]
名称 = ${name}
融合指数 = 0.5 * 党建 + 0.5 * 业务

[维度 政治]
权重 = 50
分组 = 党建

[维度 业务]
权重 = 50
分组 = 业务

[指标 出勤]
适用 = 党支部、检察院、党员、党小组
维度 = 政治
权重 = 50
公式 = 党员出勤率
计分 = 线性(值, 60%, 100%)

[指标 评议]
适用 = 检察院、党员、党小组
维度 = 政治
权重 = 50
手工录入 = 是
计分 = 值

[指标 支部评议]
适用 = 党支部
维度 = 政治
权重 = 50
手工录入 = 是
计分 = 值

[指标 办结]
适用 = 党支部、检察院、党员、党小组
维度 = 业务
权重 = 100
公式 = 办结案件数
计分 = 目标(值, 20)
`;

describe('evaluation: every kind of subject', () => {
  let admin, county, secretary, city;
  before(async () => {
    admin = await login('admin');
    county = await login('zlt-admin');
    secretary = await login('hlgl-sec');
    city = admin.user.procuratorate_id;
  });

  test('results are paged for every kind: bounded pages, the total, the ranking’s order, 400 past 500', async () => {
    for (const kind of ['member', 'party_group', 'branch', 'procuratorate']) {
      const first = await req(admin, 'GET', `/eval/results?period=2025&kind=${kind}`);
      assert.equal(first.status, 200, first.text);
      assert.equal(first.json.page, 1);
      assert.equal(first.json.per_page, 50, 'fifty unless asked, as the lists');
      assert.ok(first.json.items.length <= 50);
      const whole = await req(admin, 'GET', `/eval/results?period=2025&kind=${kind}&per_page=500`);
      assert.ok(whole.json.total <= 500, 'the demo fits one page of 500');
      assert.equal(whole.json.items.length, whole.json.total);
      assert.equal(first.json.total, whole.json.total);
      assert.deepEqual(first.json.items, whole.json.items.slice(0, 50), 'the first page is the ranking’s head');
      // page by page: the same rows, ranks and order as in one page
      const paged = await allPages(admin, `period=2025&kind=${kind}`, 7);
      assert.deepEqual(paged.items, whole.json.items);
      const ranks = paged.items.map((i) => i.rank_city ?? Infinity);
      assert.deepEqual(ranks, [...ranks].sort((a, b) => a - b), `${kind}: in the city's ranking order`);
    }
    const members = (await req(admin, 'GET', '/eval/results?period=2025&kind=member&per_page=500')).json;
    assert.ok(members.total > 50, 'more members than a default page');
    // the ranking within each procuratorate, paged the same
    const byProc = await allPages(admin, 'period=2025&kind=member&sort=rank_proc', 25);
    assert.equal(byProc.total, members.total);
    const key = (i) => [i.procuratorate_id, i.rank_proc ?? Infinity, i.subject_id];
    const sorted = [...byProc.items].sort((a, b) => {
      const x = key(a), y = key(b);
      return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
    });
    assert.deepEqual(byProc.items, sorted, 'by procuratorate, then its rank');
    // a branch's members, and a county's: the total is theirs
    const branch = secretary.user.branch_id;
    const own = await allPages(admin, `period=2025&kind=member&branch_id=${branch}`, 2);
    assert.equal(own.total, members.items.filter((i) => i.branch_id === branch).length);
    const theirs = await allPages(county, 'period=2025&kind=member', 10);
    assert.equal(theirs.total, members.items.filter((i) => i.procuratorate_id === county.user.procuratorate_id).length);
    assert.ok(theirs.items.every((i) => i.procuratorate_id === county.user.procuratorate_id));
    // past the end: an empty page with the total
    const past = await req(admin, 'GET', '/eval/results?period=2025&kind=member&page=1000&per_page=500');
    assert.equal(past.status, 200);
    assert.deepEqual(past.json.items, []);
    assert.equal(past.json.total, members.total);
    // too large a page, and other bad paging: 400 bad_query naming the parameter, in Chinese
    const big = await req(admin, 'GET', '/eval/results?period=2025&kind=member&per_page=501');
    assert.equal(big.status, 400, big.text);
    assert.equal(big.json.error.code, 'bad_query');
    assert.equal(big.json.error.field, 'per_page');
    assert.equal(big.json.error.message, '查询参数 per_page 无效：应为 1 到 500 之间的整数');
    for (const [q, field] of [['per_page=0', 'per_page'], ['per_page=x', 'per_page'], ['page=0', 'page'], ['page=1000001', 'page'],
      ['page=1&page=2', 'page'], ['sort=total', 'sort'], ['sort=-rank_city', 'sort']]) {
      const bad = await req(admin, 'GET', `/eval/results?period=2025&kind=member&${q}`);
      assert.equal(bad.status, 400, `${q}: ${bad.text}`);
      assert.equal(bad.json.error.code, 'bad_query', q);
      assert.equal(bad.json.error.field, field, q);
      assert.match(bad.json.error.message, /[\u4e00-\u9fff]/, 'a Chinese message');
    }
    // explanations and honours take no paging
    assert.equal((await req(admin, 'GET', `/eval/explain?period=2025&branch_id=${branch}&page=1`)).status, 400);
    const honours = await req(admin, 'GET', '/eval/honours?period=2025&per_page=10');
    assert.equal(honours.status, 400, honours.text);
    assert.equal(honours.json.error.code, 'bad_query');
  });

  test('a change of a party group marks the results that used it stale: its branch’s, its members’, its own, its procuratorate’s', async () => {
    // fresh to begin with (other tests may have written since the demo's runs)
    for (const kind of ['party_group', 'branch']) {
      const r = (await req(admin, 'GET', `/eval/results?period=2025&kind=${kind}&per_page=1`)).json;
      await runJob(admin, r.run.scheme.id, '2025');
    }
    const groups = (await req(admin, 'GET', '/eval/results?period=2025&kind=party_group&per_page=500')).json.items;
    assert.ok(groups.length >= 2 && groups.every((g) => !g.stale), 'fresh after a run');
    const g = groups[0];
    const other = groups.find((x) => x.procuratorate_id !== g.procuratorate_id);
    assert.ok(other, 'a group of another procuratorate');
    const rec = (await req(admin, 'GET', `/party-groups/${g.subject_id}`)).json;
    const ch = await req(admin, 'PATCH', `/party-groups/${g.subject_id}`, { version: rec.version, leader_name: uniq('组长') });
    assert.equal(ch.status, 200, ch.text);
    const now = (await req(admin, 'GET', '/eval/results?period=2025&kind=party_group&per_page=500')).json.items;
    assert.equal(now.find((x) => x.subject_id === g.subject_id).stale, true, 'the group’s own result');
    assert.ok(now.filter((x) => x.branch_id === g.branch_id).every((x) => x.stale), 'its branch’s groups');
    assert.equal(now.find((x) => x.subject_id === other.subject_id).stale, false, 'another procuratorate’s stay fresh');
    const members = (await req(admin, 'GET', `/eval/results?period=2025&kind=member&branch_id=${g.branch_id}&per_page=500`)).json;
    assert.ok(members.total >= 1 && members.items.every((m) => m.stale), 'its branch’s members');
    const e = await req(admin, 'GET', `/eval/explain?party_group_id=${g.subject_id}&period=2025`);
    assert.equal(e.json.stale, true);
    // the branches' and procuratorates' results of the default scheme: its branch and procuratorate
    const branches = (await req(admin, 'GET', '/eval/results?period=2025&per_page=500')).json.items;
    const b = branches.find((x) => x.subject_id === g.branch_id);
    assert.equal(b.stale, true, 'its branch');
    const procs = (await req(admin, 'GET', '/eval/results?period=2025&kind=procuratorate&per_page=500')).json.items;
    assert.equal(procs.find((x) => x.subject_id === g.procuratorate_id).stale, true, 'its procuratorate');
    // a group made (三会一课 counts per group) and one deleted mark their branch's results too
    const fresh = branches.find((x) => !x.stale && x.procuratorate_id === other.procuratorate_id);
    assert.ok(fresh, 'a branch still fresh');
    const made = await req(admin, 'POST', '/party-groups', { branch_id: fresh.subject_id, name: uniq('新党小组') });
    assert.equal(made.status, 201, made.text);
    const after = (await req(admin, 'GET', '/eval/results?period=2025&per_page=500')).json.items;
    assert.equal(after.find((x) => x.subject_id === fresh.subject_id).stale, true, 'a new group in it');
    const gone = await req(admin, 'DELETE', `/party-groups/${made.json.id}?version=${made.json.version}`);
    assert.equal(gone.status, 204, gone.text);
  });

  test('hand values for procuratorates, members and party groups: evidence, scope, counted once approved', async () => {
    const name = uniq('对象方案');
    const s = await req(admin, 'POST', '/eval-schemes', { procuratorate_id: city, name, text: SCHEME(name) });
    assert.equal(s.status, 201, s.text);
    const scheme = s.json.id;
    const period = '2024-Q3';
    const zlt = county.user.procuratorate_id;
    const mine = (await req(county, 'GET', '/members?per_page=500')).json.items;
    const member = mine[0];
    const group = (await req(county, 'GET', `/party-groups?procuratorate_id=${zlt}&per_page=500`)).json.items[0];
    assert.ok(member && group, 'a member and a party group of the county');
    const foreign = (await req(admin, 'GET', '/members?per_page=500')).json.items.find((m) => m.procuratorate_id !== zlt && m.branch_id !== secretary.user.branch_id);
    const base = { scheme_id: scheme, indicator: '评议', period, value: '88', evidence_note: '2024 年第三季度评议会记录' };

    // what is refused: no subject, an indicator that does not apply, no evidence, a bad kind
    for (const [body, status, code, field] of [
      [{ ...base, subject_kind: 'member' }, 400, 'required', 'subject_id'],
      [{ ...base, subject_kind: 'member', subject_id: member.id, indicator: '支部评议' }, 422, 'not_applicable', 'subject_kind'],
      [{ ...base, branch_id: member.branch_id }, 422, 'not_applicable', 'subject_kind'],
      [{ ...base, subject_kind: 'member', subject_id: member.id, evidence_note: null }, 400, 'required', 'evidence_note'],
      [{ ...base, subject_kind: 'person', subject_id: member.id }, 400, 'invalid_value', 'subject_kind'],
      [{ ...base, subject_kind: 'member', subject_id: 987654321 }, 422, 'invalid_reference', 'subject_id'],
      [{ ...base, subject_kind: 'member', subject_id: -1 }, 422, 'invalid_reference', 'subject_id'],
      [{ ...base, subject_kind: 'party_group', subject_id: 0 }, 400, 'required', 'subject_id'],
      [{ ...base, subject_kind: 'member', subject_id: '3' }, 400, 'invalid_type', 'subject_id'],
      [{ ...base, subject_kind: 'branch', branch_id: member.branch_id, subject_id: member.branch_id + 1, indicator: '支部评议' }, 400, 'inconsistent', 'subject_id'],
    ]) {
      const r = await req(county, 'POST', '/eval-manual-values', body);
      assert.equal(r.status, status, `${JSON.stringify(body)}: ${r.text}`);
      assert.equal(r.json.error.code, code, r.text);
      assert.equal(r.json.error.field, field, r.text);
      assert.match(r.json.error.message, /[\u4e00-\u9fff]/);
    }
    const na = await req(county, 'POST', '/eval-manual-values', { ...base, subject_kind: 'member', subject_id: member.id, indicator: '支部评议' });
    assert.equal(na.json.error.message, '指标“支部评议”不适用于党员（适用：党支部）');

    // scope: a county administrator enters values only for its own procuratorate's subjects
    const r1 = await req(county, 'POST', '/eval-manual-values', { ...base, subject_kind: 'member', subject_id: foreign.id });
    assert.equal(r1.status, 422, r1.text); // another procuratorate's member is not there for it
    assert.equal(r1.json.error.code, 'invalid_reference');
    const r2 = await req(county, 'POST', '/eval-manual-values', { ...base, subject_kind: 'procuratorate', subject_id: city });
    assert.equal(r2.status, 403, r2.text);
    assert.equal(r2.json.error.code, 'forbidden');
    const foreignGroup = (await req(admin, 'GET', '/party-groups?per_page=500')).json.items.find((x) => x.procuratorate_id !== zlt);
    const r3 = await req(county, 'POST', '/eval-manual-values', { ...base, subject_kind: 'party_group', subject_id: foreignGroup.id });
    assert.equal(r3.status, 403, r3.text);
    // a secretary: the own branch's members, never a procuratorate
    const ownMember = (await req(admin, 'GET', `/members?branch_id=${secretary.user.branch_id}&per_page=1`)).json.items[0];
    const r4 = await req(secretary, 'POST', '/eval-manual-values', { ...base, subject_kind: 'procuratorate', subject_id: ownMember.procuratorate_id });
    assert.equal(r4.status, 403, r4.text);
    const bySecretary = await req(secretary, 'POST', '/eval-manual-values', { ...base, subject_kind: 'member', subject_id: ownMember.id, value: '70' });
    assert.equal(bySecretary.status, 201, bySecretary.text);

    // entered: 待审核, the scope derived from the subject
    const made = {};
    for (const [kind, id, value] of [['member', member.id, '88'], ['party_group', group.id, '77.5'], ['procuratorate', zlt, '66']]) {
      const r = await req(county, 'POST', '/eval-manual-values', { ...base, subject_kind: kind, subject_id: id, value });
      assert.equal(r.status, 201, r.text);
      assert.equal(r.json.status, '待审核');
      assert.equal(r.json.subject_kind, kind);
      assert.equal(r.json.subject_id, id);
      assert.equal(r.json.procuratorate_id, zlt);
      made[kind] = r.json;
    }
    assert.equal(made.member.branch_id, member.branch_id);
    assert.equal(made.party_group.branch_id, group.branch_id);
    assert.equal(made.procuratorate.branch_id, null, 'a procuratorate’s value is in no branch');
    const a = await lastAudit(county);
    assert.equal(a.action, 'create');
    assert.equal(a.entity, 'eval-manual-values');
    const dup = await req(county, 'POST', '/eval-manual-values', { ...base, subject_kind: 'member', subject_id: member.id });
    assert.equal(dup.status, 409, dup.text);
    const listed = (await req(county, 'GET', `/eval-manual-values?subject_kind=member&scheme_id=${scheme}`)).json;
    assert.ok(listed.items.some((v) => v.id === made.member.id));

    // not approved: 待审核 in the run, not counted
    const explain = async (key, id) => {
      const e = await req(admin, 'GET', `/eval/explain?${key}=${id}&period=${period}&scheme_id=${scheme}`);
      assert.equal(e.status, 200, e.text);
      return e.json.indicators.find((i) => i.name === '评议');
    };
    await runJob(admin, scheme, period);
    for (const [key, id] of [['member_id', member.id], ['party_group_id', group.id], ['procuratorate_id', zlt]]) {
      const ind = await explain(key, id);
      assert.equal(ind.pending, true, `${key}: 待审核`);
      assert.equal(ind.value, null, `${key}: not counted`);
    }
    const pendingRow = (await req(admin, 'GET', `/eval/results?period=${period}&scheme_id=${scheme}&kind=member&branch_id=${member.branch_id}&per_page=500`)).json.items.find((i) => i.subject_id === member.id);
    assert.equal(pendingRow.pending, 1);

    // approval: another administrator of the scope, never the one who entered it
    const self = await req(county, 'POST', `/eval-manual-values/${made.member.id}/approve`);
    assert.equal(self.status, 403, self.text);
    assert.equal(self.json.error.code, 'same_person');
    assert.equal((await req(secretary, 'POST', `/eval-manual-values/${bySecretary.json.id}/approve`)).status, 403, 'a secretary approves nothing');
    assert.equal((await req(secretary, 'POST', `/eval-manual-values/${made.member.id}/approve`)).status, 404, 'nor reads another procuratorate’s');
    const outside = await req(county, 'POST', `/eval-manual-values/${bySecretary.json.id}/approve`);
    assert.equal(outside.status, 404, 'another procuratorate’s value is not there for the county');
    for (const kind of ['member', 'party_group', 'procuratorate']) {
      const ok = await req(admin, 'POST', `/eval-manual-values/${made[kind].id}/approve`);
      assert.equal(ok.status, 200, ok.text);
      assert.equal(ok.json.status, '已通过');
    }
    assert.equal((await lastAudit(admin)).action, 'approve');
    assert.equal((await req(county, 'POST', `/eval-manual-values/${bySecretary.json.id}/reject`)).status, 404);
    const rejected = await req(admin, 'POST', `/eval-manual-values/${bySecretary.json.id}/reject`);
    assert.equal(rejected.status, 200, rejected.text);

    // approved: counted in the next run, at the value entered
    await runJob(admin, scheme, period);
    for (const [key, id, value] of [['member_id', member.id, '88.0000'], ['party_group_id', group.id, '77.5000'], ['procuratorate_id', zlt, '66.0000']]) {
      const ind = await explain(key, id);
      assert.equal(ind.pending, false, key);
      assert.equal(ind.value, value, key);
      assert.equal(ind.score, value.slice(0, -2), key);
    }
    const rejectedInd = await explain('member_id', ownMember.id);
    assert.equal(rejectedInd.pending, true, 'a rejected value does not count');
    const countedRow = (await req(admin, 'GET', `/eval/results?period=${period}&scheme_id=${scheme}&kind=member&branch_id=${member.branch_id}&per_page=500`)).json.items.find((i) => i.subject_id === member.id);
    assert.equal(countedRow.pending, 0);

    // changed: waits for approval again, and the results that used it are stale
    const rec = (await req(county, 'GET', `/eval-manual-values/${made.member.id}`)).json;
    const ch = await req(county, 'PATCH', `/eval-manual-values/${made.member.id}`, { version: rec.version, value: '90' });
    assert.equal(ch.status, 200, ch.text);
    assert.equal(ch.json.status, '待审核');
    assert.equal(ch.json.approved_by, null);
    const staleRow = (await req(admin, 'GET', `/eval/results?period=${period}&scheme_id=${scheme}&kind=member&branch_id=${member.branch_id}&per_page=500`)).json.items.find((i) => i.subject_id === member.id);
    assert.equal(staleRow.stale, true);
    // moved to another subject of its scope: still the county's, 待审核
    const rec2 = (await req(county, 'GET', `/eval-manual-values/${made.party_group.id}`)).json;
    const moved = await req(county, 'PATCH', `/eval-manual-values/${made.party_group.id}`, { version: rec2.version, subject_kind: 'member', subject_id: mine[1].id });
    assert.equal(moved.status, 200, moved.text);
    assert.equal(moved.json.branch_id, mine[1].branch_id);
    assert.equal(moved.json.status, '待审核');
    // a branch's value as before: named by branch_id alone
    const br = await req(county, 'POST', '/eval-manual-values', { ...base, indicator: '支部评议', branch_id: member.branch_id });
    assert.equal(br.status, 201, br.text);
    assert.equal(br.json.subject_kind, 'branch');
    assert.equal(br.json.subject_id, member.branch_id);
  });
});
