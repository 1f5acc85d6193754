// Cases, their teams (一案一专班) and their 三必评 reviews (src/domain/cases.c): the stage
// order per type, no stage in the future, case numbers unique within a procuratorate, the
// interpreter rule, the team's party composition derived (and never taken from a body),
// one 主办检察官, team members from a procuratorate one may not touch, the typical-case
// write-up, review scores and who reviewed, permissions and the audit entries.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { req, login, listAll, uniq, rand, Trash, get, create, lastAudit, auditCount, todayCN } from './lib.mjs';

describe('cases', () => {
  let admin, zltAdmin, viewer, sec;
  let city, zlt, hlgl, cityBranch, zltBranch, hlglBranch;
  const trash = new Trash();
  const m = {}; // members made for the tests

  const newCase = (proc, extra = {}) => ({ procuratorate_id: proc, case_no: '测试案号' + uniq(), title: '测试案件' + rand(2), type: '审查起诉', received_on: '2025-03-01', ...extra });
  async function makeCase(session, proc, extra = {}) {
    const c = await create(session, 'cases', newCase(proc, extra));
    trash.add('cases', c.id);
    return c;
  }
  async function addTeam(session, body) {
    const r = await create(session, 'case-members', body);
    trash.add('case-members', r.id);
    return r;
  }
  async function patch(session, coll, id, body) {
    const cur = await get(admin, coll, id);
    return req(session, 'PATCH', `/${coll}/${id}`, { version: cur.version, ...body });
  }
  function refused(r, status, code, field) {
    assert.equal(r.status, status, r.text);
    assert.equal(r.json.error.code, code, r.text);
    if (field !== undefined) assert.equal(r.json.error.field, field, r.text);
    assert.ok(/\p{Script=Han}/u.test(r.json.error.message), r.text);
  }

  before(async () => {
    admin = await login('admin');
    zltAdmin = await login('zlt-admin');
    viewer = await login('viewer');
    sec = await login('hlgl-sec');
    const procs = await listAll(admin, '/procuratorates');
    const branches = await listAll(admin, '/branches');
    city = procs.find((p) => p.level === 1).id;
    zlt = procs.find((p) => p.name.includes('扎鲁特旗')).id;
    hlgl = sec.user.procuratorate_id;
    hlglBranch = sec.user.branch_id;
    cityBranch = branches.find((b) => b.procuratorate_id === city).id;
    zltBranch = branches.find((b) => b.procuratorate_id === zlt).id;
    for (const [k, branch, quota] of [
      ['cityQuota', cityBranch, true],
      ['cityPlain', cityBranch, false],
      ['zltQuota', zltBranch, true],
      ['zltPlain', zltBranch, false],
      ['hlgl', hlglBranch, true],
    ]) {
      m[k] = await create(admin, 'members', { branch_id: branch, name: '案' + rand(2), quota_prosecutor: quota });
      trash.add('members', m[k].id);
    }
  });
  after(() => trash.empty(admin));

  describe('stages', () => {
    test('a stage dated before the one before it is refused on that field, and nothing changes', async () => {
      const before = await auditCount(admin);
      const r = await req(admin, 'POST', '/cases', newCase(city, { decided_on: '2025-02-01' }));
      refused(r, 422, 'inconsistent', 'decided_on');
      assert.match(r.json.error.message, /审查终结.*不能早于.*受理/);
      // a skipped stage is fine, the order is checked against the last one dated
      const r2 = await req(admin, 'POST', '/cases', newCase(city, { decided_on: '2025-04-01', judged_on: '2025-03-15' }));
      refused(r2, 422, 'inconsistent', 'judged_on');
      assert.equal(await auditCount(admin), before, 'refused writes leave no audit entry');
      const ok = await makeCase(admin, city, { decided_on: '2025-04-01', closed_on: '2025-04-01' });
      assert.equal(ok.stage, '办结');
      assert.deepEqual(ok.stages.map((s) => [s.field, s.label, s.date]), [
        ['received_on', '受理', '2025-03-01'],
        ['decided_on', '审查终结', '2025-04-01'],
        ['filed_on', '提起公诉', null],
        ['judged_on', '法院判决', null],
        ['closed_on', '办结', '2025-04-01'],
      ]);
      // on update, against the stored dates
      const u = await patch(admin, 'cases', ok.id, { received_on: '2025-04-02' });
      refused(u, 422, 'inconsistent', 'decided_on');
      assert.equal((await get(admin, 'cases', ok.id)).received_on, '2025-03-01');
    });

    test('a stage the type does not have is refused; each type has its own labels', async () => {
      const r = await req(admin, 'POST', '/cases', newCase(city, { type: '审查逮捕', filed_on: '2025-03-05' }));
      refused(r, 422, 'inconsistent', 'filed_on');
      const arrest = await makeCase(admin, city, { type: '审查逮捕', decided_on: '2025-03-05' });
      assert.deepEqual(arrest.stages.map((s) => s.label), ['受理', '作出逮捕决定', '办结']);
      assert.equal(arrest.stage, '审查决定');
      const civil = await makeCase(admin, city, { type: '民事检察监督' });
      assert.equal(civil.stages[2].label, '提出抗诉或再审检察建议');
      // changing the type keeps the rule: a 审查起诉 case with 起诉 dated may not become 审查逮捕
      const c = await makeCase(admin, city, { filed_on: '2025-03-20' });
      refused(await patch(admin, 'cases', c.id, { type: '审查逮捕' }), 422, 'inconsistent', 'filed_on');
    });

    test('no stage lies in the future', async () => {
      for (const f of ['received_on', 'decided_on', 'closed_on']) {
        const r = await req(admin, 'POST', '/cases', newCase(city, { [f]: todayCN(1) }));
        assert.equal(r.status, 400, `${f}: ${r.text}`);
        assert.equal(r.json.error.field, f);
      }
      const today = await makeCase(admin, city, { received_on: todayCN(), closed_on: todayCN() });
      assert.equal(today.closed_on, todayCN());
    });

    test('?stage= filters by the current stage; an unknown stage is 400', async () => {
      const c = await makeCase(admin, city, { decided_on: '2025-03-10', filed_on: '2025-03-12' });
      const list = await listAll(admin, `/cases?stage=${encodeURIComponent('起诉')}&procuratorate_id=${city}`);
      assert.ok(list.some((x) => x.id === c.id));
      assert.ok(list.every((x) => x.stage === '起诉'));
      const closed = await listAll(admin, `/cases?stage=${encodeURIComponent('办结')}&procuratorate_id=${city}`);
      assert.ok(!closed.some((x) => x.id === c.id));
      refused(await req(admin, 'GET', '/cases?stage=nonesuch'), 400, 'bad_query', 'stage');
    });
  });

  describe('case numbers', () => {
    test('unique within a procuratorate (409 naming case_no), the same number taken in another', async () => {
      const no = '（2025）' + uniq() + '号';
      await makeCase(admin, city, { case_no: no });
      const before = await auditCount(admin);
      refused(await req(admin, 'POST', '/cases', newCase(city, { case_no: no })), 409, 'duplicate', 'case_no');
      assert.equal(await auditCount(admin), before);
      const other = await makeCase(admin, zlt, { case_no: no });
      assert.equal(other.case_no, no);
      // and on update: renumbering onto another case's number
      const third = await makeCase(admin, city);
      refused(await patch(admin, 'cases', third.id, { case_no: no }), 409, 'duplicate', 'case_no');
    });

    test('a county administrator does not learn of another procuratorate\'s numbers', async () => {
      const no = '外院' + uniq();
      await makeCase(admin, hlgl, { case_no: no });
      const r = await req(zltAdmin, 'POST', '/cases', newCase(hlgl, { case_no: no }));
      refused(r, 403, 'forbidden');
    });
  });

  describe('language and interpreter', () => {
    test('an interpreter is required when the party does not use the handling language', async () => {
      for (const [language, party] of [
        ['汉语', '蒙古语'],
        ['蒙古语', '汉语'],
        ['双语', '其他'],
      ]) {
        const r = await req(admin, 'POST', '/cases', newCase(zlt, { language, party_language: party }));
        refused(r, 400, 'required', 'interpreter');
        const ok = await makeCase(admin, zlt, { language, party_language: party, interpreter: '乌云（翻译）' });
        assert.equal(ok.interpreter, '乌云（翻译）');
      }
      for (const [language, party] of [
        ['双语', '蒙古语'],
        ['蒙古语', '蒙古语'],
        ['汉语', '双语'],
        ['汉语', null],
      ]) {
        const ok = await makeCase(admin, zlt, { language, party_language: party });
        assert.equal(ok.language, language);
      }
      // the default language is 汉语
      assert.equal((await makeCase(admin, zlt)).language, '汉语');
    });
  });

  describe('quality and typical cases', () => {
    test('a grade needs the case closed', async () => {
      refused(await req(admin, 'POST', '/cases', newCase(city, { grade: '优质' })), 422, 'inconsistent', 'grade');
      const c = await makeCase(admin, city, { closed_on: '2025-05-01', grade: '优质' });
      assert.equal(c.grade, '优质');
      const list = await listAll(admin, `/cases?grade=${encodeURIComponent('优质')}&procuratorate_id=${city}`);
      assert.ok(list.some((x) => x.id === c.id) && list.every((x) => x.grade === '优质'));
    });

    test('the typical-case flag needs the write-up and the selecting level', async () => {
      refused(await req(admin, 'POST', '/cases', newCase(city, { typical: true, typical_level: '市院' })), 400, 'required', 'typical_writeup');
      refused(await req(admin, 'POST', '/cases', newCase(city, { typical: true, typical_writeup: '办案经过与意义' })), 400, 'required', 'typical_level');
      const c = await makeCase(admin, city, { typical: true, typical_level: '自治区院', typical_writeup: '办案经过与意义' });
      assert.equal(c.typical, true);
      const plain = await makeCase(admin, city);
      assert.equal(plain.typical, false);
      refused(await patch(admin, 'cases', plain.id, { typical: true }), 400, 'required', 'typical_level');
      const typical = await listAll(admin, `/cases?typical=true&procuratorate_id=${city}`);
      assert.ok(typical.some((x) => x.id === c.id) && !typical.some((x) => x.id === plain.id));
      const meta = (await req(admin, 'GET', '/_meta')).json.collections.find((x) => x.name === 'cases');
      assert.deepEqual(meta.fields.find((f) => f.name === 'typical_writeup').required_if, { field: 'typical', value: true });
    });
  });

  describe('the team and its derived composition', () => {
    test('composition is counted from the team and follows every change', async () => {
      const c = await makeCase(admin, city);
      assert.deepEqual([c.team_size, c.party_member_count, c.quota_prosecutor_count, c.led_by_party_member], [0, 0, 0, null]);
      const lead = await addTeam(admin, { case_id: c.id, member_id: m.cityQuota.id, role: '主办检察官' });
      assert.equal(lead.is_party_member, 1);
      assert.equal(lead.kind, '党员');
      let now = await get(admin, 'cases', c.id);
      assert.deepEqual([now.team_size, now.party_member_count, now.quota_prosecutor_count, now.led_by_party_member, now.lead_name], [1, 1, 1, true, m.cityQuota.name]);
      assert.equal(now.lead_branch_id, cityBranch);
      await addTeam(admin, { case_id: c.id, member_id: m.cityPlain.id, role: '检察官助理' });
      const staff = await addTeam(admin, { case_id: c.id, person_name: '非党员' + rand(2), person_quota: true, role: '检察官助理' });
      assert.equal(staff.kind, '非党员');
      await addTeam(admin, { case_id: c.id, unit_name: '扎鲁特旗林业和草原局', role: '其他' });
      now = await get(admin, 'cases', c.id);
      assert.deepEqual([now.team_size, now.party_member_count, now.quota_prosecutor_count, now.unit_count], [4, 2, 2, 1]);
      // the lead handed to the staff member who is not a party member: no longer led by one
      assert.equal((await patch(admin, 'case-members', lead.id, { role: '检察官助理' })).status, 200);
      assert.equal((await patch(admin, 'case-members', staff.id, { role: '主办检察官' })).status, 200);
      now = await get(admin, 'cases', c.id);
      assert.equal(now.led_by_party_member, false);
      assert.equal(now.lead_branch_id, null);
      const notLed = await listAll(admin, `/cases?led_by_party_member=false&procuratorate_id=${city}`);
      assert.ok(notLed.some((x) => x.id === c.id));
      assert.ok(!(await listAll(admin, `/cases?led_by_party_member=true&procuratorate_id=${city}`)).some((x) => x.id === c.id));
      // a member's quota status is the member's: changing it changes the count
      assert.equal((await patch(admin, 'members', m.cityPlain.id, { quota_prosecutor: true })).status, 200);
      assert.equal((await get(admin, 'cases', c.id)).quota_prosecutor_count, 3);
      assert.equal((await patch(admin, 'members', m.cityPlain.id, { quota_prosecutor: false })).status, 200);
      // removing a team member
      const cur = await get(admin, 'case-members', staff.id);
      assert.equal((await req(admin, 'DELETE', `/case-members/${staff.id}?version=${cur.version}`)).status, 204);
      now = await get(admin, 'cases', c.id);
      assert.deepEqual([now.team_size, now.quota_prosecutor_count, now.led_by_party_member], [3, 1, null]);
      // filters by team: a member on it, a branch with a member on it
      assert.ok((await listAll(admin, `/cases?member_id=${m.cityQuota.id}`)).some((x) => x.id === c.id));
      assert.ok((await listAll(admin, `/cases?branch_id=${cityBranch}&procuratorate_id=${city}`)).some((x) => x.id === c.id));
      assert.ok(!(await listAll(admin, `/cases?branch_id=${zltBranch}`)).some((x) => x.id === c.id));
    });

    test('composition is never taken from a body', async () => {
      const c = await makeCase(admin, city, { party_member_count: 9, led_by_party_member: true, team_size: 5 });
      assert.deepEqual([c.team_size, c.party_member_count, c.led_by_party_member], [0, 0, null]);
      const u = await patch(admin, 'cases', c.id, { quota_prosecutor_count: 3, title: '改名' + rand(2) });
      assert.equal(u.status, 200, u.text);
      assert.equal(u.json.quota_prosecutor_count, 0);
      const a = await lastAudit(admin);
      assert.equal(a.entity, 'cases');
      assert.ok(!('quota_prosecutor_count' in (a.after ?? {})), 'the audit keeps stored columns only');
    });

    test('exactly one of a member, a person and a unit', async () => {
      const c = await makeCase(admin, city);
      refused(await req(admin, 'POST', '/case-members', { case_id: c.id, role: '书记员' }), 400, 'required', 'member_id');
      refused(await req(admin, 'POST', '/case-members', { case_id: c.id, role: '书记员', member_id: m.cityPlain.id, person_name: '某人' }), 422, 'inconsistent', 'person_name');
      refused(await req(admin, 'POST', '/case-members', { case_id: c.id, role: '书记员', person_name: '某人', unit_name: '某局' }), 422, 'inconsistent', 'unit_name');
      refused(await req(admin, 'POST', '/case-members', { case_id: c.id, role: '书记员', member_id: m.cityPlain.id, person_quota: true }), 422, 'inconsistent', 'person_quota');
      refused(await req(admin, 'POST', '/case-members', { case_id: c.id, role: '主办检察官', unit_name: '某局' }), 422, 'inconsistent', 'role');
      await addTeam(admin, { case_id: c.id, member_id: m.cityPlain.id, role: '书记员' });
      refused(await req(admin, 'POST', '/case-members', { case_id: c.id, role: '检察官助理', member_id: m.cityPlain.id }), 409, 'duplicate', 'member_id');
    });

    test('at most one 主办检察官 per case', async () => {
      const c = await makeCase(admin, city);
      await addTeam(admin, { case_id: c.id, member_id: m.cityQuota.id, role: '主办检察官' });
      const before = await auditCount(admin);
      const r = await req(admin, 'POST', '/case-members', { case_id: c.id, person_name: '另一人', role: '主办检察官' });
      refused(r, 409, 'duplicate', 'role');
      assert.ok(r.json.error.message.includes(m.cityQuota.name));
      const other = await addTeam(admin, { case_id: c.id, person_name: '另一人', role: '检察官助理' });
      refused(await patch(admin, 'case-members', other.id, { role: '主办检察官' }), 409, 'duplicate', 'role');
      assert.equal(await auditCount(admin), before + 1);
    });

    test('a team member from another procuratorate: the city administrator may, a county administrator may not', async () => {
      const c = await makeCase(admin, city);
      const cross = await addTeam(admin, { case_id: c.id, member_id: m.zltQuota.id, role: '检察官助理' });
      assert.equal(cross.member_procuratorate_name.includes('扎鲁特'), true);
      const own = await makeCase(zltAdmin, zlt);
      trash.add('cases', own.id);
      const before = await auditCount(admin);
      const r = await req(zltAdmin, 'POST', '/case-members', { case_id: own.id, member_id: m.hlgl.id, role: '检察官助理' });
      assert.ok([403, 422].includes(r.status), r.text);
      assert.equal(r.json.error.field, 'member_id');
      assert.equal(await auditCount(admin), before);
      // its own members it may
      const ok = await req(zltAdmin, 'POST', '/case-members', { case_id: own.id, member_id: m.zltPlain.id, role: '检察官助理' });
      assert.equal(ok.status, 201, ok.text);
      trash.add('case-members', ok.json.id);
      // nor may it put anyone on another procuratorate's case
      refused(await req(zltAdmin, 'POST', '/case-members', { case_id: c.id, person_name: '某人', role: '书记员' }), 422, 'invalid_reference', 'case_id');
    });

    test('a case with a team does not move to another procuratorate', async () => {
      const c = await makeCase(admin, city);
      await addTeam(admin, { case_id: c.id, member_id: m.cityPlain.id, role: '书记员' });
      refused(await patch(admin, 'cases', c.id, { procuratorate_id: zlt }), 409, 'has_dependents');
    });
  });

  describe('三必评', () => {
    test('one review per aspect; scores 0..100; the reviewer is who wrote it', async () => {
      const c = await makeCase(admin, hlgl, { closed_on: '2025-06-01' });
      await addTeam(admin, { case_id: c.id, member_id: m.hlgl.id, role: '主办检察官' });
      for (const score of [-1, 101, 50.5, '80']) {
        const r = await req(admin, 'POST', '/case-reviews', { case_id: c.id, aspect: '政治考量', score });
        assert.equal(r.status, 400, `${score}: ${r.text}`);
        assert.equal(r.json.error.field, 'score');
      }
      const r = await create(admin, 'case-reviews', { case_id: c.id, aspect: '政治考量', score: 100, comment: '政治效果好', reviewer_name: '冒名', reviewer_id: 1 });
      trash.add('case-reviews', r.id);
      assert.equal(r.reviewer_name, admin.user.display_name);
      assert.equal(r.reviewer_id, admin.user.id);
      assert.equal(r.reviewed_on, todayCN(), 'today when not given');
      assert.equal(r.branch_id, hlglBranch, "by default the lead prosecutor's branch");
      refused(await req(admin, 'POST', '/case-reviews', { case_id: c.id, aspect: '政治考量', score: 90 }), 409, 'duplicate', 'aspect');
      refused(await req(admin, 'POST', '/case-reviews', { case_id: c.id, aspect: '社会影响', score: 90, reviewed_on: '2025-02-01' }), 422, 'inconsistent', 'reviewed_on');
      const zero = await create(admin, 'case-reviews', { case_id: c.id, aspect: '社会影响', score: 0 });
      trash.add('case-reviews', zero.id);
      // the branch secretary re-scores: audited, and the reviewer becomes the secretary
      const before = await auditCount(admin);
      const u = await patch(sec, 'case-reviews', r.id, { score: 95, comment: '复评' });
      assert.equal(u.status, 200, u.text);
      assert.equal(u.json.reviewer_name, sec.user.display_name);
      assert.equal(await auditCount(admin), before + 1);
      const a = await lastAudit(admin);
      assert.deepEqual([a.action, a.entity, a.entity_id, a.username, a.before.score, a.after.score], ['update', 'case-reviews', r.id, 'hlgl-sec', 100, 95]);
      const now = await get(admin, 'cases', c.id);
      assert.deepEqual([now.review_count, now.review_total], [2, 95]);
    });

    test("a secretary reviews for the secretary's own branch only", async () => {
      const c = await makeCase(admin, hlgl);
      const own = await req(sec, 'POST', '/case-reviews', { case_id: c.id, branch_id: hlglBranch, aspect: '群众满意', score: 88 });
      assert.equal(own.status, 201, own.text);
      trash.add('case-reviews', own.json.id);
      // without a branch (no lead to take it from) the review is the administrators'
      refused(await req(sec, 'POST', '/case-reviews', { case_id: c.id, aspect: '社会影响', score: 80 }), 403, 'forbidden');
      // another procuratorate's case: not even found
      const elsewhere = await makeCase(admin, zlt);
      refused(await req(sec, 'POST', '/case-reviews', { case_id: elsewhere.id, branch_id: hlglBranch, aspect: '社会影响', score: 80 }), 422, 'invalid_reference', 'case_id');
      // a branch of another procuratorate for this case
      refused(await req(admin, 'POST', '/case-reviews', { case_id: c.id, branch_id: zltBranch, aspect: '社会影响', score: 80 }), 422, 'inconsistent', 'branch_id');
    });
  });

  describe('timelines', () => {
    test("a case's stages and reviews on its timeline, on its members' and their branches'", async () => {
      const c = await makeCase(admin, zlt, { decided_on: '2025-03-10', closed_on: '2025-04-20', grade: '优质' });
      await addTeam(admin, { case_id: c.id, member_id: m.zltQuota.id, role: '主办检察官' });
      const rv = await create(admin, 'case-reviews', { case_id: c.id, aspect: '群众满意', score: 92, reviewed_on: '2025-04-25' });
      trash.add('case-reviews', rv.id);
      const t = await req(admin, 'GET', `/timeline?case_id=${c.id}`);
      assert.equal(t.status, 200, t.text);
      assert.deepEqual(t.json.items.map((i) => [i.date, i.kind]), [
        ['2025-03-01', '案件受理'],
        ['2025-03-10', '案件审查决定'],
        ['2025-04-20', '案件办结'],
        ['2025-04-25', '三必评'],
      ]);
      assert.ok(t.json.items[2].title.includes('优质'));
      const mt = await req(admin, 'GET', `/timeline?member_id=${m.zltQuota.id}`);
      assert.ok(mt.json.items.some((i) => i.coll === 'cases' && i.id === c.id && i.kind === '案件办结'));
      const bt = await req(admin, 'GET', `/timeline?branch_id=${zltBranch}&from=2025-03-01&to=2025-04-30`);
      assert.ok(bt.json.items.some((i) => i.coll === 'cases' && i.id === c.id));
      // another procuratorate's case is not on a county administrator's timeline
      const other = await makeCase(admin, hlgl);
      const hidden = await req(zltAdmin, 'GET', `/timeline?case_id=${other.id}`);
      assert.ok(hidden.status === 404 || hidden.json.items.length === 0, hidden.text);
    });
  });

  describe('permissions', () => {
    test('the viewer reads and writes nothing; a secretary reads its procuratorate\'s cases and writes none', async () => {
      const c = await makeCase(admin, hlgl);
      assert.equal((await req(viewer, 'GET', `/cases/${c.id}`)).status, 200);
      refused(await req(viewer, 'POST', '/cases', newCase(city)), 403, 'forbidden');
      refused(await patch(viewer, 'cases', c.id, { title: '改' }), 403, 'forbidden');
      assert.equal((await req(sec, 'GET', `/cases/${c.id}`)).status, 200);
      refused(await req(sec, 'POST', '/cases', newCase(hlgl)), 403, 'forbidden');
      refused(await req(sec, 'POST', '/case-members', { case_id: c.id, person_name: '某人', role: '书记员' }), 403, 'forbidden');
      const meta = Object.fromEntries((await req(sec, 'GET', '/_meta')).json.collections.map((x) => [x.name, x.may]));
      assert.deepEqual([meta.cases.create, meta['case-members'].create, meta['case-reviews'].create], [false, false, true]);
    });

    test('a county administrator: its own procuratorate\'s cases only', async () => {
      const mine = await makeCase(zltAdmin, zlt);
      const theirs = await makeCase(admin, hlgl);
      const list = await listAll(zltAdmin, '/cases');
      assert.ok(list.length > 0 && list.every((x) => x.procuratorate_id === zlt));
      assert.equal((await req(zltAdmin, 'GET', `/cases/${theirs.id}`)).status, 404);
      refused(await req(zltAdmin, 'POST', '/cases', newCase(hlgl)), 403, 'forbidden');
      assert.equal((await patch(zltAdmin, 'cases', mine.id, { title: '本院改名' })).status, 200);
      assert.equal((await patch(zltAdmin, 'cases', theirs.id, { title: '他院改名' })).status, 404);
    });

    test('every write is audited: create, update and delete of a case', async () => {
      const before = await auditCount(admin);
      const c = await create(admin, 'cases', newCase(city));
      let a = await lastAudit(admin);
      assert.deepEqual([a.action, a.entity, a.entity_id, a.username], ['create', 'cases', c.id, 'admin']);
      const u = await patch(admin, 'cases', c.id, { closed_on: '2025-04-01', grade: '合格' });
      assert.equal(u.status, 200, u.text);
      a = await lastAudit(admin);
      assert.deepEqual([a.action, a.before.grade, a.after.grade], ['update', null, '合格']);
      assert.equal((await req(admin, 'DELETE', `/cases/${c.id}?version=${u.json.version}`)).status, 204);
      a = await lastAudit(admin);
      assert.deepEqual([a.action, a.entity_id], ['delete', c.id]);
      assert.equal(await auditCount(admin), before + 3);
    });

    test('a case with a team is not deleted under it', async () => {
      const c = await makeCase(admin, city);
      await addTeam(admin, { case_id: c.id, person_name: '某人', role: '书记员' });
      const cur = await get(admin, 'cases', c.id);
      refused(await req(admin, 'DELETE', `/cases/${c.id}?version=${cur.version}`), 409, 'in_use');
    });
  });
});
