// Organisation life: activities, attendance of the expected attendees (member terms over
// time), the batch of a whole meeting, linked items, life rules and 三会一课 completeness
// counted by hand on a branch of the test's own.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { req, login, listAll, uniq, Trash, get, auditCount, lastAudit, todayCN } from './lib.mjs';

describe('organisation life', () => {
  let admin, viewer, zltAdmin, sec;
  const trash = new Trash();
  const f = {}; // fixtures

  const post = async (s, coll, body, status = 201) => {
    const r = await req(s, 'POST', `/${coll}`, body);
    assert.equal(r.status, status, `POST /${coll} ${JSON.stringify(body)}: ${r.text}`);
    if (r.status === 201) trash.add(coll, r.json.id);
    return r;
  };
  const activity = async (body) => (await post(admin, 'activities', { branch_id: f.branch.id, topic: '测试' + uniq(), ...body })).json;
  const attend = (activity_id, member, status = '出席', extra = {}) => req(admin, 'POST', '/attendance', { activity_id, member_id: member.id, status, ...extra });
  const completeness = async (s, branch, year) => {
    const r = await req(s, 'GET', `/life-completeness?branch_id=${branch}&year=${year}`);
    assert.equal(r.status, 200, r.text);
    return r.json;
  };

  before(async () => {
    admin = await login('admin');
    viewer = await login('viewer');
    zltAdmin = await login('zlt-admin');
    sec = await login('hlgl-sec');
    const procs = await listAll(admin, '/procuratorates');
    f.zlt = procs.find((p) => p.name.includes('扎鲁特旗'));
    f.other = (await listAll(admin, `/branches?procuratorate_id=${f.zlt.id}`))[0];
    // A branch of the test's own, with two party groups, so every count is known.
    f.branch = (await post(admin, 'branches', { procuratorate_id: f.zlt.id, name: '组织生活测试支部' + uniq(), kind: '党支部' })).json;
    f.g1 = (await post(admin, 'party-groups', { branch_id: f.branch.id, name: '第一党小组' + uniq() })).json;
    f.g2 = (await post(admin, 'party-groups', { branch_id: f.branch.id, name: '第二党小组' + uniq() })).json;
    const member = async (name, body) => (await post(admin, 'members', { name: name + uniq(), ...body })).json;
    f.a = await member('甲', { branch_id: f.branch.id, party_group_id: f.g1.id, joined_party: '2000-01-01' });
    f.b = await member('乙', { branch_id: f.branch.id, party_group_id: f.g2.id, joined_party: '2000-01-01' });
    f.c = await member('丙', { branch_id: f.branch.id, party_group_id: f.g1.id, joined_party: '2023-06-15' });
    f.d = await member('丁', { branch_id: f.other.id, joined_party: '2000-01-01' });
  });

  after(async () => {
    await trash.empty(admin);
  });

  test('a new member opens one term from 入党日期, audited', async () => {
    const terms = (await req(admin, 'GET', `/member-terms?member_id=${f.c.id}`)).json.items;
    assert.equal(terms.length, 1);
    assert.equal(terms[0].branch_id, f.branch.id);
    assert.equal(terms[0].party_group_id, f.g1.id);
    assert.equal(terms[0].from_date, '2023-06-15');
    assert.equal(terms[0].to_date, null);
    const a = await req(admin, 'GET', `/audit?entity=member-terms&entity_id=${terms[0].id}`);
    assert.equal(a.json.total, 1);
    assert.equal(a.json.items[0].action, 'create');
  });

  test('member-terms are read-only through the API', async () => {
    const t = (await req(admin, 'GET', `/member-terms?member_id=${f.a.id}`)).json.items[0];
    assert.equal((await req(admin, 'POST', '/member-terms', { member_id: f.a.id })).status, 403);
    assert.equal((await req(admin, 'PATCH', `/member-terms/${t.id}`, { version: t.version, from_date: '1990-01-01' })).status, 403);
    assert.equal((await req(admin, 'DELETE', `/member-terms/${t.id}?version=${t.version}`)).status, 403);
  });

  test('a meeting dated in the future is refused, nothing written', async () => {
    const before = await auditCount(admin);
    const r = await req(admin, 'POST', '/activities', { branch_id: f.branch.id, kind: '支委会', held_on: todayCN(1), topic: '明天的会' });
    assert.equal(r.status, 400, r.text);
    assert.equal(r.json.error.code, 'invalid_date');
    assert.equal(r.json.error.field, 'held_on');
    assert.match(r.json.error.message, /不能晚于今天/);
    assert.equal(await auditCount(admin), before);
  });

  test('学习 needs its dimension, 党小组会 its party group, which must be of the branch', async () => {
    let r = await req(admin, 'POST', '/activities', { branch_id: f.branch.id, kind: '学习', held_on: '2023-01-05', topic: '学习' });
    assert.equal(r.status, 400);
    assert.equal(r.json.error.field, 'study_dimension');
    r = await req(admin, 'POST', '/activities', { branch_id: f.branch.id, kind: '党小组会', held_on: '2023-01-05', topic: '小组会' });
    assert.equal(r.status, 400);
    assert.equal(r.json.error.field, 'party_group_id');
    const foreign = (await listAll(admin, `/party-groups?branch_id=${f.other.id}`))[0];
    r = await req(admin, 'POST', '/activities', { branch_id: f.branch.id, kind: '党小组会', party_group_id: foreign.id, held_on: '2023-01-05', topic: '小组会' });
    assert.equal(r.status, 422, r.text);
    assert.equal(r.json.error.code, 'inconsistent');
    assert.equal(r.json.error.field, 'party_group_id');
    r = await req(admin, 'POST', '/activities', { branch_id: f.branch.id, kind: '学习', held_on: '2023-01-05', topic: '学习', minutes: '字'.repeat(20001), study_dimension: '专业实训' });
    assert.equal(r.status, 400);
    assert.equal(r.json.error.code, 'too_long');
  });

  test('a transfer closes the old term on the transfer day and opens the next; never earlier than the term began', async () => {
    let cur = await get(admin, 'members', f.d.id);
    let r = await req(admin, 'PATCH', `/members/${f.d.id}`, { version: cur.version, branch_id: f.branch.id, party_group_id: f.g2.id, moved_on: '1999-12-31' });
    assert.equal(r.status, 422, r.text);
    assert.equal(r.json.error.field, 'moved_on');
    r = await req(admin, 'PATCH', `/members/${f.d.id}`, { version: cur.version, branch_id: f.branch.id, party_group_id: f.g2.id, moved_on: todayCN(2) });
    assert.equal(r.status, 400, r.text);
    assert.equal(r.json.error.field, 'moved_on');
    // The meeting at the old branch before the transfer.
    f.oldMeeting = (await post(admin, 'activities', { branch_id: f.other.id, kind: '支部党员大会', held_on: '2023-05-01', topic: '调动前的党员大会' })).json;
    const before = await auditCount(admin);
    r = await req(admin, 'PATCH', `/members/${f.d.id}`, { version: cur.version, branch_id: f.branch.id, party_group_id: f.g2.id, moved_on: '2023-07-01' });
    assert.equal(r.status, 200, r.text);
    assert.ok(!('moved_on' in r.json), 'moved_on is not stored in the member');
    assert.equal(await auditCount(admin), before + 3, 'the member, the closed term and the new term');
    const terms = (await req(admin, 'GET', `/member-terms?member_id=${f.d.id}&sort=from_date`)).json.items;
    assert.deepEqual(
      terms.map((t) => [t.branch_id, t.from_date, t.to_date]),
      [
        [f.other.id, '2000-01-01', '2023-07-01'],
        [f.branch.id, '2023-07-01', null],
      ],
    );
    const log = (await req(admin, 'GET', `/audit?entity=member-terms&entity_id=${terms[0].id}&sort=id`)).json.items;
    assert.deepEqual(log.map((e) => e.action).sort(), ['create', 'update'], 'the closed term: created, then closed');
    // a change that is not a transfer leaves the terms alone
    cur = await get(admin, 'members', f.d.id);
    r = await req(admin, 'PATCH', `/members/${f.d.id}`, { version: cur.version, position: '检察官助理' });
    assert.equal(r.status, 200);
    assert.equal((await req(admin, 'GET', `/member-terms?member_id=${f.d.id}`)).json.total, 2);
    // on=: the term covering a day
    const on = (await req(admin, 'GET', `/member-terms?member_id=${f.d.id}&on=2023-06-30`)).json.items;
    assert.deepEqual(on.map((t) => t.branch_id), [f.other.id]);
  });

  test('expected attendees: a member who joined later, or belonged elsewhere, is refused with a clear message', async () => {
    f.m1 = await activity({ kind: '支部党员大会', held_on: '2023-03-10' });
    assert.equal(f.m1.attendance.expected, 2, '甲 and 乙; 丙 joined later, 丁 was elsewhere');
    const before = await auditCount(admin);
    let r = await attend(f.m1.id, f.c);
    assert.equal(r.status, 422, r.text);
    assert.equal(r.json.error.code, 'inconsistent');
    assert.equal(r.json.error.field, 'member_id');
    assert.ok(r.json.error.message.includes(f.c.name) && r.json.error.message.includes('2023-03-10'), r.json.error.message);
    r = await attend(f.m1.id, f.d);
    assert.equal(r.status, 422, r.text);
    assert.ok(r.json.error.message.includes(f.other.name), r.json.error.message);
    assert.equal(await auditCount(admin), before, 'nothing written');
  });

  test('a transferred member keeps the past: valid at the old branch’s earlier meeting, not expected at the new branch’s', async () => {
    const r = await attend(f.oldMeeting.id, f.d, '缺席', { reason: '公差' });
    assert.equal(r.status, 201, r.text);
    trash.add('attendance', r.json.id);
    assert.equal(r.json.branch_id, f.other.id);
    const m = await get(admin, 'activities', f.oldMeeting.id);
    assert.equal(m.attendance.absent, 1);
    // the new branch's meeting after the transfer expects 丁 (and 丙)
    f.m3 = await activity({ kind: '支部党员大会', held_on: '2023-08-20' });
    assert.equal(f.m3.attendance.expected, 4);
    const ok = await attend(f.m3.id, f.d);
    assert.equal(ok.status, 201, ok.text);
    trash.add('attendance', ok.json.id);
  });

  test('attendance: reason required when absent, one row per member, figures on the activity', async () => {
    // nothing recorded yet: no rate (missing is not 0%)
    const fresh = await get(admin, 'activities', f.m1.id);
    assert.deepEqual(fresh.attendance, { expected: 2, present: 0, absent: 0, unrecorded: 2, rate: null });
    let r = await attend(f.m1.id, f.a, '缺席');
    assert.equal(r.status, 400);
    assert.equal(r.json.error.field, 'reason');
    r = await attend(f.m1.id, f.a);
    assert.equal(r.status, 201, r.text);
    trash.add('attendance', r.json.id);
    const last = await lastAudit(admin);
    assert.equal(last.entity, 'attendance');
    assert.equal(last.entity_id, r.json.id);
    r = await attend(f.m1.id, f.a, '缺席', { reason: '病假' });
    assert.equal(r.status, 409, r.text);
    assert.equal(r.json.error.code, 'duplicate');
    r = await attend(f.m1.id, f.b, '缺席', { reason: '病假' });
    assert.equal(r.status, 201);
    trash.add('attendance', r.json.id);
    const m = await get(admin, 'activities', f.m1.id);
    assert.deepEqual(m.attendance, { expected: 2, present: 1, absent: 1, unrecorded: 0, rate: 0.5 });
    // a present member has no reason
    const p = await req(admin, 'PATCH', `/attendance/${r.json.id}`, { version: r.json.version, status: '出席' });
    assert.equal(p.status, 200);
    assert.equal(p.json.reason, null);
    // moving the meeting to a day when 乙's attendance would not fit is refused
    const mm = await get(admin, 'activities', f.m1.id);
    const mv = await req(admin, 'PATCH', `/activities/${f.m1.id}`, { version: mm.version, held_on: '1999-01-01' });
    assert.equal(mv.status, 422, mv.text);
    assert.equal(mv.json.error.field, 'held_on');
  });

  test('GET /activities/:id/expected lists the expected attendees with their attendance', async () => {
    const r = await req(admin, 'GET', `/activities/${f.m1.id}/expected`);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json.items.map((x) => x.member_id).sort(), [f.a.id, f.b.id].sort());
    assert.ok(r.json.items.every((x) => x.attendance && x.attendance.status));
    assert.equal(r.json.activity.id, f.m1.id);
  });

  test('batch: a whole 党小组会 at once, all or nothing, each row audited', async () => {
    f.gm = await activity({ kind: '党小组会', party_group_id: f.g1.id, held_on: '2023-08-05' });
    assert.equal(f.gm.attendance.expected, 2, '甲 and 丙 are in 第一党小组');
    const before = await auditCount(admin);
    let r = await req(admin, 'POST', `/activities/${f.gm.id}/attendance`, {
      rows: [
        { member_id: f.a.id, status: '出席' },
        { member_id: f.b.id, status: '出席' },
      ],
    });
    assert.equal(r.status, 422, r.text);
    assert.match(r.json.error.message, /^第 2 行/);
    assert.equal(await auditCount(admin), before, 'nothing written');
    r = await req(admin, 'POST', `/activities/${f.gm.id}/attendance`, {
      rows: [
        { member_id: f.a.id, status: '出席' },
        { member_id: f.c.id, status: '缺席', reason: '公差', note: '外出办案' },
      ],
    });
    assert.equal(r.status, 200, r.text);
    for (const row of r.json.rows) trash.add('attendance', row.id);
    assert.equal(r.json.rows.length, 2);
    assert.deepEqual(r.json.activity.attendance, { expected: 2, present: 1, absent: 1, unrecorded: 0, rate: 0.5 });
    assert.equal(await auditCount(admin), before + 2);
    // again without versions: duplicates; with the version: an update
    r = await req(admin, 'POST', `/activities/${f.gm.id}/attendance`, { rows: [{ member_id: f.c.id, status: '出席' }] });
    assert.equal(r.status, 409);
    const row = (await req(admin, 'GET', `/attendance?activity_id=${f.gm.id}&member_id=${f.c.id}`)).json.items[0];
    r = await req(admin, 'POST', `/activities/${f.gm.id}/attendance`, { rows: [{ member_id: f.c.id, status: '出席', version: row.version }] });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.activity.attendance.present, 2);
    r = await req(admin, 'POST', `/activities/${f.gm.id}/attendance`, { rows: [] });
    assert.equal(r.status, 400);
    r = await req(viewer, 'POST', `/activities/${f.gm.id}/attendance`, { rows: [{ member_id: f.a.id, status: '出席' }] });
    assert.equal(r.status, 403);
  });

  test('completeness: the numbers counted by hand for 2023', async () => {
    // 支部党员大会 (quarterly): Q1 (03-10) and Q3 (08-20) held → Q2, Q4 missing.
    // 支委会 (monthly): January once, February twice → ten months missing.
    // 党小组会 (monthly, each of two groups): 第一党小组 in August → 23 missing.
    // 党课 (quarterly): none → 4 missing.
    f.c1 = await activity({ kind: '支委会', held_on: '2023-01-15' });
    f.c2 = await activity({ kind: '支委会', held_on: '2023-02-15' });
    f.c3 = await activity({ kind: '支委会', held_on: '2023-02-20' });
    await activity({ kind: '主题党日', held_on: '2023-02-20' });
    const c = await completeness(admin, f.branch.id, 2023);
    assert.deepEqual(c.summary['支部党员大会'], { held: 2, required: 4, missing: 2, due: 0 });
    assert.deepEqual(c.summary['支委会'], { held: 3, required: 12, missing: 10, due: 0 });
    assert.deepEqual(c.summary['党小组会'], { held: 1, required: 24, missing: 23, due: 0 });
    assert.deepEqual(c.summary['党课'], { held: 0, required: 4, missing: 4, due: 0 });
    assert.ok(!('主题党日' in c.summary), 'no rule for 主题党日');
    assert.equal(c.months.length, 12);
    const feb = c.months[1].cells.find((x) => x.kind === '支委会');
    assert.equal(feb.held, 2);
    assert.deepEqual(feb.activity_ids.sort(), [f.c2.id, f.c3.id].sort());
    assert.equal(feb.status, 'met');
    assert.equal(c.months[2].cells.find((x) => x.kind === '支委会').status, 'missing');
    const q2 = c.periods.find((p) => p.kind === '支部党员大会' && p.period === '2023-Q2');
    assert.equal(q2.missing, 1);
    assert.equal(q2.status, 'missing');
    const aug = c.periods.find((p) => p.kind === '党小组会' && p.period === '2023-08');
    assert.deepEqual(aug.groups.map((g) => [g.party_group_id, g.held]), [
      [f.g1.id, 1],
      [f.g2.id, 0],
    ]);
    assert.equal(aug.missing, 1);
  });

  test('completeness: the current period is due, not missing', async () => {
    const year = Number(todayCN().slice(0, 4));
    const month = Number(todayCN().slice(5, 7));
    const c = await completeness(admin, f.branch.id, year);
    const cell = c.months[month - 1].cells.find((x) => x.kind === '支委会');
    assert.equal(cell.status, 'due');
    assert.equal(cell.due, 1);
    assert.equal(c.summary['支委会'].due, 1);
    assert.equal(c.summary['支委会'].missing, month - 1);
    await activity({ kind: '支委会', held_on: todayCN() });
    const d = await completeness(admin, f.branch.id, year);
    assert.equal(d.months[month - 1].cells.find((x) => x.kind === '支委会').status, 'met');
    assert.equal(d.summary['支委会'].due, 0);
    const def = await req(admin, 'GET', `/life-completeness?branch_id=${f.branch.id}`);
    assert.equal(def.json.year, year, 'this year by default');
  });

  test('rules are data: a rule for the branch changes its completeness; administrators only', async () => {
    let r = await req(sec, 'POST', '/life-rules', { branch_id: f.branch.id, kind: '党课', period: '年', required_count: 1 });
    assert.equal(r.status, 403);
    r = await req(viewer, 'POST', '/life-rules', { kind: '党课', period: '年', required_count: 1 });
    assert.equal(r.status, 403);
    r = await req(zltAdmin, 'POST', '/life-rules', { kind: '党课', period: '年', required_count: 1 });
    assert.equal(r.status, 403, 'a rule for every procuratorate is the city’s');
    const rule = (await post(zltAdmin, 'life-rules', { branch_id: f.branch.id, kind: '党课', period: '年', required_count: 1 })).json;
    assert.equal(rule.procuratorate_id, f.zlt.id);
    let c = await completeness(admin, f.branch.id, 2023);
    assert.deepEqual(c.summary['党课'], { held: 0, required: 1, missing: 1, due: 0 });
    assert.equal(c.kinds.find((k) => k.kind === '党课').rule_id, rule.id);
    r = await req(zltAdmin, 'PATCH', `/life-rules/${rule.id}`, { version: rule.version, required_count: 0 });
    assert.equal(r.status, 200, r.text);
    c = await completeness(admin, f.branch.id, 2023);
    assert.deepEqual(c.summary['党课'], { held: 0, required: 0, missing: 0, due: 0 });
    assert.equal(c.months[0].cells.find((x) => x.kind === '党课').status, 'exempt');
    const lr = await lastAudit(admin);
    assert.equal(lr.entity, 'life-rules');
    // the other branches still follow the general rule
    const o = await completeness(admin, f.other.id, 2023);
    assert.equal(o.summary['党课'].required, 4);
    r = await req(zltAdmin, 'POST', '/life-rules', { branch_id: f.branch.id, level: 2, kind: '支委会', period: '月', required_count: 1 });
    assert.equal(r.status, 422);
  });

  test('permissions: a secretary writes their own branch only; the viewer reads; another procuratorate sees nothing', async () => {
    const own = sec.user.branch_id;
    let r = await req(sec, 'POST', '/activities', { branch_id: own, kind: '党课', held_on: '2024-03-01', topic: '书记讲党课' });
    assert.equal(r.status, 201, r.text);
    trash.add('activities', r.json.id);
    const secAct = r.json;
    r = await req(sec, 'POST', '/activities', { branch_id: f.branch.id, kind: '党课', held_on: '2024-03-01', topic: '别的支部' });
    assert.ok([403, 422].includes(r.status), r.text);
    r = await req(sec, 'POST', '/attendance', { activity_id: f.m1.id, member_id: f.a.id, status: '出席' });
    assert.ok([403, 422].includes(r.status), r.text);
    r = await req(viewer, 'GET', `/activities/${f.m1.id}`);
    assert.equal(r.status, 200);
    r = await req(viewer, 'POST', '/activities', { branch_id: f.branch.id, kind: '党课', held_on: '2024-03-01', topic: '领导' });
    assert.equal(r.status, 403);
    // zlt-admin: its own procuratorate's meetings, not 霍林郭勒's
    r = await req(zltAdmin, 'GET', `/activities/${secAct.id}`);
    assert.equal(r.status, 404);
    r = await req(zltAdmin, 'GET', `/activities?branch_id=${own}`);
    assert.equal(r.json.total, 0);
    r = await req(zltAdmin, 'GET', `/life-completeness?branch_id=${own}&year=2024`);
    assert.equal(r.status, 404);
    r = await req(zltAdmin, 'GET', `/activities/${secAct.id}/expected`);
    assert.equal(r.status, 404);
    r = await req(sec, 'GET', `/life-completeness?branch_id=${f.branch.id}&year=2023`);
    assert.equal(r.status, 404);
    r = await req(sec, 'GET', `/life-completeness?branch_id=${own}&year=2024`);
    assert.equal(r.status, 200);
    r = await req(null, 'GET', `/life-completeness?branch_id=${own}&year=2024`);
    assert.equal(r.status, 401);
  });

  test('completeness: bad queries are 400', async () => {
    for (const q of ['', 'branch_id=x', `branch_id=${f.branch.id}&year=1899`, `branch_id=${f.branch.id}&foo=1`, `branch_id=${f.branch.id}&year=20x3`]) {
      const r = await req(admin, 'GET', `/life-completeness?${q}`);
      assert.equal(r.status, 400, q + ' ' + r.text);
      assert.match(r.json.error.message, /[\u4e00-\u9fff]/);
    }
    const r = await req(admin, 'GET', '/life-completeness?branch_id=999999&year=2023');
    assert.equal(r.status, 404);
  });

  test('filters: branch, month, kind, year; bad month is 400', async () => {
    let r = await req(admin, 'GET', `/activities?branch_id=${f.branch.id}&month=2023-02&per_page=100`);
    assert.equal(r.status, 200);
    assert.equal(r.json.total, 3);
    r = await req(admin, 'GET', `/activities?branch_id=${f.branch.id}&month=2023-02&kind=${encodeURIComponent('支委会')}`);
    assert.equal(r.json.total, 2);
    r = await req(admin, 'GET', `/activities?branch_id=${f.branch.id}&year=2023`);
    assert.equal(r.json.total, 7, "m1, m3, the group meeting, three 支委会, the 主题党日");
    r = await req(admin, 'GET', '/activities?month=2023-13');
    assert.equal(r.status, 400);
    r = await req(admin, 'GET', '/activities?from=2023-05-01&to=2023-01-01');
    assert.equal(r.status, 400);
  });

  test('a meeting deleted takes its attendance with it, each deletion audited', async () => {
    const m = await activity({ kind: '支部党员大会', held_on: '2023-11-11' });
    const r = await req(admin, 'POST', `/activities/${m.id}/attendance`, {
      rows: [
        { member_id: f.a.id, status: '出席' },
        { member_id: f.b.id, status: '缺席', reason: '事假' },
      ],
    });
    assert.equal(r.status, 200, r.text);
    const before = await auditCount(admin);
    // not the viewer's, nor another branch's secretary's
    assert.equal((await req(viewer, 'DELETE', `/activities/${m.id}?version=${m.version}`)).status, 403);
    assert.equal((await req(sec, 'DELETE', `/activities/${m.id}?version=${m.version}`)).status, 404);
    assert.equal(await auditCount(admin), before);
    const d = await req(admin, 'DELETE', `/activities/${m.id}?version=${m.version}`);
    assert.equal(d.status, 204, d.text);
    assert.equal(await auditCount(admin), before + 3, 'two attendance rows and the meeting');
    for (const row of r.json.rows) {
      assert.equal((await req(admin, 'GET', `/attendance/${row.id}`)).status, 404);
      const a = (await req(admin, 'GET', `/audit?entity=attendance&entity_id=${row.id}&action=delete`)).json;
      assert.equal(a.total, 1);
    }
  });

  test('activity-items: only the allowed collections', async () => {
    const r = await req(admin, 'POST', '/activity-items', { activity_id: f.m1.id, item_coll: 'members', item_id: f.a.id });
    assert.equal(r.status, 400);
    assert.equal(r.json.error.field, 'item_coll');
  });
});
