// The joint ledgers (src/domain/joint.c): 四同步 pairs (stage order, the in-step
// derivation to the day), method-element checks (the period as the method says, evidence
// links checked: unknown collection, no such record, someone else's), GET
// /method-completion, joint-building projects (parties, activities, outcomes credited to
// every party), 红旗结对 pairings, the city's guidance of county branches (direction, who
// writes, who reads), and the authorisation matrix of every collection here × role × own
// and other scope, each write checked against the audit trail.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { req, login, listAll, uniq, Trash, get, auditCount, lastAudit, todayCN } from './lib.mjs';

const dayNo = (s) => Math.round(Date.parse(s + 'T00:00:00Z') / 86400000);

let admin, viewer, zlt, sec;
let cityBranch, cityBranch2, hlglBranch, zltBranch, keqBranch;
const trash = new Trash();

before(async () => {
  admin = await login('admin');
  viewer = await login('viewer');
  zlt = await login('zlt-admin');
  sec = await login('hlgl-sec');
  const procs = await listAll(admin, '/procuratorates');
  const branches = await listAll(admin, '/branches');
  const city = procs.find((p) => p.level === 1).id;
  const cityBranches = branches.filter((b) => b.procuratorate_id === city);
  [cityBranch, cityBranch2] = cityBranches;
  hlglBranch = branches.find((b) => b.id === sec.user.branch_id);
  zltBranch = branches.find((b) => b.procuratorate_id === zlt.user.procuratorate_id);
  keqBranch = branches.find((b) => procs.find((p) => p.id === b.procuratorate_id).name.includes('科尔沁区'));
  assert.ok(cityBranch2 && hlglBranch && zltBranch && keqBranch);
});
after(() => trash.empty(admin));

async function make(s, coll, body) {
  const r = await req(s, 'POST', `/${coll}`, body);
  assert.equal(r.status, 201, `${coll}: ${r.text}`);
  trash.add(coll, r.json.id);
  return r.json;
}

/** A refused write: status, code and field, and nothing written (no audit entry). */
async function refused(s, method, path, body, status, code, field) {
  const n = await auditCount(admin);
  const r = await req(s, method, path, body);
  if (r.status === 201) trash.add(path.split('/')[1], r.json.id);
  assert.equal(r.status, status, r.text);
  if (code) assert.equal(r.json.error.code, code, r.text);
  if (field) assert.equal(r.json.error.field, field, r.text);
  assert.ok(/\p{Script=Han}/u.test(r.json.error.message), 'a Chinese message');
  assert.equal(await auditCount(admin), n, 'a refused write adds no audit entry');
  return r;
}

const pair = (branch, extra = {}) => ({ branch_id: branch.id, year: 2025, business_title: '业务' + uniq(), party_title: '党建' + uniq(), ...extra });

describe('四同步: stages in order, in step derived to the day', () => {
  test('a stage before the one it follows is refused, on its field; so is a later stage without the earlier one', async () => {
    await refused(sec, 'POST', '/sync-pairs', pair(hlglBranch, { business_deploy_on: '2025-03-05' }), 422, 'stage_order', 'business_deploy_on');
    await refused(sec, 'POST', '/sync-pairs', pair(hlglBranch, { business_plan_on: '2025-03-05', business_deploy_on: '2025-03-04' }), 422, 'stage_order', 'business_deploy_on');
    await refused(sec, 'POST', '/sync-pairs', pair(hlglBranch, { party_plan_on: '2025-01-01', party_deploy_on: '2025-01-02', party_review_on: '2025-02-01' }), 422, 'stage_order', 'party_review_on');
    await refused(sec, 'POST', '/sync-pairs', pair(hlglBranch, { party_plan_on: '2025-01-01', party_deploy_on: '2025-01-09', party_implement_on: '2025-01-08' }), 422, 'stage_order', 'party_implement_on');
    await refused(sec, 'POST', '/sync-pairs', pair(hlglBranch, { business_plan_on: todayCN(1) }), 400, 'invalid_date', 'business_plan_on');
    // the same day is in order
    const p = await make(sec, 'sync-pairs', pair(hlglBranch, { business_plan_on: '2025-03-05', business_deploy_on: '2025-03-05' }));
    // an update that breaks the order changes nothing
    const cur = await get(admin, 'sync-pairs', p.id);
    await refused(sec, 'PATCH', `/sync-pairs/${p.id}`, { version: cur.version, business_plan_on: null }, 422, 'stage_order', 'business_deploy_on');
    assert.deepEqual(await get(admin, 'sync-pairs', p.id), cur);
  });

  test('each stage: 同步 within the tolerance (exactly), 滞后 one day past it, 待完成 counted from the side that did it', async () => {
    const today = todayCN();
    const p = await make(sec, 'sync-pairs', pair(hlglBranch, {
      business_plan_on: '2025-03-01', party_plan_on: '2025-03-08', // 7 days: the tolerance
      business_deploy_on: '2025-03-10', party_deploy_on: '2025-03-19', // 9 days: party behind
      party_implement_on: '2025-04-01', // business not yet
    }));
    assert.equal(p.tolerance_days, 7, 'the default tolerance');
    const [plan, deploy, impl, review] = p.stages;
    assert.deepEqual(plan, { stage: '同步谋划', business: '2025-03-01', party: '2025-03-08', status: '同步', behind: null, days: 7, in_step: true });
    assert.deepEqual(deploy, { stage: '同步部署', business: '2025-03-10', party: '2025-03-19', status: '滞后', behind: 'party', days: 9, in_step: false });
    assert.equal(impl.status, '待完成');
    assert.equal(impl.behind, 'business');
    assert.equal(impl.days, dayNo(today) - dayNo('2025-04-01'));
    assert.deepEqual(review, { stage: '同步检查', business: null, party: null, status: '未开始', behind: null, days: 0, in_step: true });
    assert.equal(p.in_step, false);
    assert.equal(p.behind_days, dayNo(today) - dayNo('2025-04-01'));

    // the business side catches up to the day of the tolerance: in step again
    const q = await req(sec, 'PATCH', `/sync-pairs/${p.id}`, { version: p.version, party_deploy_on: '2025-03-17', business_implement_on: '2025-04-08' });
    assert.equal(q.status, 200, q.text);
    assert.deepEqual(q.json.stages.map((s) => [s.status, s.days]), [['同步', 7], ['同步', 7], ['同步', 7], ['未开始', 0]]);
    assert.equal(q.json.in_step, true);
    // a tolerance of 0: only the same day is in step
    const z = await req(sec, 'PATCH', `/sync-pairs/${p.id}`, { version: q.json.version, tolerance_days: 0 });
    assert.deepEqual(z.json.stages.map((s) => s.status), ['滞后', '滞后', '滞后', '未开始']);
    assert.deepEqual(z.json.stages.map((s) => s.behind), ['party', 'party', 'business', null]);
    assert.equal(z.json.in_step, false);
  });

  test('?in_step=true|false lists exactly the pairs the derivation says; another value is refused', async () => {
    const a = await make(sec, 'sync-pairs', pair(hlglBranch, { business_plan_on: '2025-05-01', party_plan_on: '2025-05-01' }));
    const b = await make(sec, 'sync-pairs', pair(hlglBranch, { business_plan_on: '2025-05-01', party_plan_on: '2025-05-20' }));
    const c = await make(sec, 'sync-pairs', pair(hlglBranch, { business_plan_on: '2025-05-01' })); // party never: behind by months
    assert.deepEqual([a.in_step, b.in_step, c.in_step], [true, false, false]);
    const yes = await listAll(sec, `/sync-pairs?branch_id=${hlglBranch.id}&in_step=true`);
    const no = await listAll(sec, `/sync-pairs?branch_id=${hlglBranch.id}&in_step=false`);
    assert.ok(yes.some((x) => x.id === a.id) && !yes.some((x) => x.id === b.id || x.id === c.id));
    assert.ok(no.some((x) => x.id === b.id) && no.some((x) => x.id === c.id) && !no.some((x) => x.id === a.id));
    assert.ok(yes.every((x) => x.in_step) && no.every((x) => !x.in_step), 'the filter and the derived field agree');
    const all = await listAll(sec, `/sync-pairs?branch_id=${hlglBranch.id}`);
    assert.equal(yes.length + no.length, all.length);
    const bad = await req(sec, 'GET', '/sync-pairs?in_step=maybe');
    assert.equal(bad.status, 400);
    assert.equal(bad.json.error.code, 'bad_query');
  });

  test('the stages stand on the branch timeline, each side its own line', async () => {
    const p = await make(sec, 'sync-pairs', pair(hlglBranch, { business_plan_on: '2024-02-02', party_plan_on: '2024-02-03' }));
    const t = await req(sec, 'GET', `/timeline?branch_id=${hlglBranch.id}&kind=四同步&from=2024-02-02&to=2024-02-03`);
    assert.equal(t.status, 200, t.text);
    const mine = t.json.items.filter((i) => i.coll === 'sync-pairs' && i.id === p.id);
    assert.deepEqual(mine.map((i) => i.date), ['2024-02-02', '2024-02-03']);
    assert.ok(mine[0].title.includes(p.business_title) && mine[1].title.includes(p.party_title));
  });
});

describe('element checks: the period as the method says, evidence checked', () => {
  let monthly, quarterly, mEl, mEl2, qEl;
  before(async () => {
    const brand = await make(admin, 'brands', { branch_id: hlglBranch.id, name: '测试品牌' + uniq() });
    monthly = await make(admin, 'methods', { brand_id: brand.id, name: '月工作法' + uniq() });
    quarterly = await make(admin, 'methods', { brand_id: brand.id, name: '季工作法' + uniq(), period: 'quarter' });
    assert.equal(monthly.period, 'month', 'a method is monthly unless told');
    mEl = await make(admin, 'method-elements', { method_id: monthly.id, label: '要素甲' });
    mEl2 = await make(admin, 'method-elements', { method_id: monthly.id, label: '要素乙' });
    qEl = await make(admin, 'method-elements', { method_id: quarterly.id, label: '要素丙' });
  });

  test('a monthly method takes "2025-03", a quarterly one "2025-Q1"; the other form, a bad month, a period not begun are refused', async () => {
    const c = (element, period, extra = {}) => ({ element_id: element.id, branch_id: hlglBranch.id, period, ...extra });
    await refused(sec, 'POST', '/element-checks', c(mEl, '2025-Q1'), 400, 'invalid_period', 'period');
    await refused(sec, 'POST', '/element-checks', c(mEl, '2025-13'), 400, 'invalid_period', 'period');
    await refused(sec, 'POST', '/element-checks', c(mEl, '2025-3'), 400, 'invalid_period', 'period');
    await refused(sec, 'POST', '/element-checks', c(qEl, '2025-03'), 400, 'invalid_period', 'period');
    await refused(sec, 'POST', '/element-checks', c(qEl, '2025-Q5'), 400, 'invalid_period', 'period');
    await refused(sec, 'POST', '/element-checks', c(mEl, '2099-01'), 422, 'future_period', 'period');
    await refused(sec, 'POST', '/element-checks', c(mEl, '2025-03', { checked_on: '2025-02-28' }), 422, 'inconsistent', 'checked_on');
    const m = await make(sec, 'element-checks', c(mEl, '2025-03', { checked_on: '2025-03-01' }));
    assert.equal(m.method_id, monthly.id, 'the method is the element\'s');
    assert.equal(m.evidenced, false);
    assert.deepEqual(m.evidence, []);
    const q = await make(sec, 'element-checks', c(qEl, '2025-Q1'));
    assert.equal(q.method_period, 'quarter');
    await refused(sec, 'POST', '/element-checks', c(mEl, '2025-03'), 409, null, null); // once per element, branch and period
    // the method's period stays while checks of it exist
    const cur = await get(admin, 'methods', monthly.id);
    await refused(admin, 'PATCH', `/methods/${monthly.id}`, { version: cur.version, period: 'quarter' }, 422, 'inconsistent', 'period');
    assert.equal((await get(admin, 'methods', monthly.id)).period, 'month');
  });

  test('evidence: a collection that may not be linked, a record that does not exist, someone else\'s record are refused; a good link makes the check evidenced', async () => {
    const chk = await make(sec, 'element-checks', { element_id: mEl.id, branch_id: hlglBranch.id, period: '2025-04' });
    const own = await make(sec, 'sync-pairs', pair(hlglBranch, { business_plan_on: '2025-04-02', party_plan_on: '2025-04-03' }));
    await refused(sec, 'POST', '/element-evidence', { check_id: chk.id, item_coll: 'members', item_id: 1 }, 400, 'invalid_value', 'item_coll');
    await refused(sec, 'POST', '/element-evidence', { check_id: chk.id, item_coll: 'sync-pairs', item_id: 99999999 }, 422, 'invalid_reference', 'item_id');
    await refused(sec, 'POST', '/element-evidence', { check_id: chk.id, item_coll: 'sync-pairs', item_id: 0 }, 400, 'required', 'item_id');
    // another procuratorate's pair: not the secretary's to read, answered as absent
    const theirs = await make(zlt, 'sync-pairs', pair(zltBranch));
    await refused(sec, 'POST', '/element-evidence', { check_id: chk.id, item_coll: 'sync-pairs', item_id: theirs.id }, 422, 'invalid_reference', 'item_id');
    // the city administrator reads both, but a county's record proves nothing for another's check
    await refused(admin, 'POST', '/element-evidence', { check_id: chk.id, item_coll: 'sync-pairs', item_id: theirs.id }, 422, 'inconsistent', 'item_id');
    // a project anyone may read, led in another procuratorate: the same
    const proj = await make(zlt, 'projects', { branch_id: zltBranch.id, kind: '平台联建', title: '测试项目' + uniq(), started_on: '2025-01-01' });
    await refused(sec, 'POST', '/element-evidence', { check_id: chk.id, item_coll: 'projects', item_id: proj.id }, 422, 'inconsistent', 'item_id');

    const without = await listAll(sec, `/element-checks?branch_id=${hlglBranch.id}&evidenced=false`);
    assert.ok(without.some((x) => x.id === chk.id));
    const ev = await make(sec, 'element-evidence', { check_id: chk.id, item_coll: 'sync-pairs', item_id: own.id, note: '同步谋划会议' });
    assert.equal(ev.branch_id, hlglBranch.id, 'scope from the check');
    assert.equal(ev.item.title, `${own.business_title} ⇄ ${own.party_title}`);
    await refused(sec, 'POST', '/element-evidence', { check_id: chk.id, item_coll: 'sync-pairs', item_id: own.id }, 409, null, null);
    const now = await get(sec, 'element-checks', chk.id);
    assert.equal(now.evidenced, true);
    assert.deepEqual(now.evidence.map((e) => [e.item_coll, e.item_id, e.title, e.date]), [['sync-pairs', own.id, ev.item.title, '2025-04-02']]);
    const withEv = await listAll(sec, `/element-checks?branch_id=${hlglBranch.id}&evidenced=true`);
    assert.ok(withEv.some((x) => x.id === chk.id) && withEv.every((x) => x.evidenced));
    assert.ok(!(await listAll(sec, `/element-checks?branch_id=${hlglBranch.id}&evidenced=false`)).some((x) => x.id === chk.id));
    // a check with evidence is not deleted from under it
    const del = await req(sec, 'DELETE', `/element-checks/${chk.id}?version=${now.version}`);
    assert.equal(del.status, 409, del.text);
  });

  test('GET /method-completion: every element × every period of the year, with evidence or without', async () => {
    const c1 = await make(sec, 'element-checks', { element_id: mEl2.id, branch_id: hlglBranch.id, period: '2025-06', checked_on: '2025-06-30' });
    const sp = await make(sec, 'sync-pairs', pair(hlglBranch, { business_plan_on: '2025-06-02' }));
    await make(sec, 'element-evidence', { check_id: c1.id, item_coll: 'sync-pairs', item_id: sp.id });
    const r = await req(sec, 'GET', `/method-completion?branch_id=${hlglBranch.id}&method_id=${monthly.id}&year=2025`);
    assert.equal(r.status, 200, r.text);
    const g = r.json;
    assert.equal(g.method.period, 'month');
    assert.deepEqual(g.periods, Array.from({ length: 12 }, (_, i) => `2025-${String(i + 1).padStart(2, '0')}`));
    assert.deepEqual(g.elements.map((e) => e.label), ['要素甲', '要素乙']);
    const cell = (label, period) => g.elements.find((e) => e.label === label).cells.find((c) => c.period === period);
    assert.equal(cell('要素甲', '2025-03').state, 'unevidenced');
    assert.equal(cell('要素甲', '2025-04').state, 'evidenced');
    assert.equal(cell('要素乙', '2025-06').state, 'evidenced');
    assert.equal(cell('要素乙', '2025-06').check_id, c1.id);
    assert.equal(cell('要素乙', '2025-06').evidence, 1);
    assert.equal(cell('要素乙', '2025-05').state, 'missing');
    assert.deepEqual(g.totals, { due: 24, checked: 3, evidenced: 2, unevidenced: 1, missing: 21 });
    const q = await req(sec, 'GET', `/method-completion?branch_id=${hlglBranch.id}&method_id=${quarterly.id}&year=2025`);
    assert.deepEqual(q.json.periods, ['2025-Q1', '2025-Q2', '2025-Q3', '2025-Q4']);
    assert.equal(q.json.elements[0].cells[0].state, 'unevidenced');
    const future = await req(sec, 'GET', `/method-completion?branch_id=${hlglBranch.id}&method_id=${monthly.id}&year=2099`);
    assert.ok(future.json.elements.every((e) => e.cells.every((c) => c.state === 'future')));
    assert.equal(future.json.totals.due, 0);
    // bad parameters, and another procuratorate's branch for a county reader
    for (const [qs, field] of [['method_id=' + monthly.id, 'branch_id'], [`branch_id=${hlglBranch.id}`, 'method_id'], [`branch_id=${hlglBranch.id}&method_id=${monthly.id}&year=1999`, 'year'], [`branch_id=x&method_id=${monthly.id}`, 'branch_id'], [`branch_id=${hlglBranch.id}&method_id=${monthly.id}&nonesuch=1`, 'nonesuch']]) {
      const b = await req(sec, 'GET', `/method-completion?${qs}`);
      assert.equal(b.status, 400, `${qs}: ${b.text}`);
      assert.equal(b.json.error.field, field, qs);
    }
    assert.equal((await req(zlt, 'GET', `/method-completion?branch_id=${hlglBranch.id}&method_id=${monthly.id}`)).status, 404);
    assert.equal((await req(sec, 'GET', `/method-completion?branch_id=${hlglBranch.id}&method_id=99999999`)).status, 404);
    assert.equal((await req(viewer, 'GET', `/method-completion?branch_id=${hlglBranch.id}&method_id=${monthly.id}&year=2025`)).json.totals.checked, 3);
    assert.equal((await req(null, 'GET', `/method-completion?branch_id=${hlglBranch.id}&method_id=${monthly.id}`)).status, 401);
  });
});

describe('joint building: parties, activities, outcomes credited to every party', () => {
  let proj;
  before(async () => {
    proj = await make(sec, 'projects', { branch_id: hlglBranch.id, kind: '检校联建', title: '检校共建' + uniq(), goals: '法治进校园', started_on: '2025-02-01', ends_on: '2027-12-31' });
  });

  test('a party is a branch or an outside unit with its kind, not both, not the lead, once', async () => {
    const P = (x) => ({ project_id: proj.id, ...x });
    await refused(sec, 'POST', '/project-parties', P({}), 400, 'required', 'party_branch_id');
    await refused(sec, 'POST', '/project-parties', P({ party_branch_id: keqBranch.id, unit_name: '某中学' }), 400, 'inconsistent', 'unit_name');
    await refused(sec, 'POST', '/project-parties', P({ party_branch_id: keqBranch.id, unit_kind: '学校' }), 400, 'inconsistent', 'unit_kind');
    await refused(sec, 'POST', '/project-parties', P({ unit_name: '某中学' }), 400, 'required', 'unit_kind');
    await refused(sec, 'POST', '/project-parties', P({ party_branch_id: hlglBranch.id }), 422, 'inconsistent', 'party_branch_id');
    await refused(sec, 'POST', '/projects', { branch_id: hlglBranch.id, kind: '检校联建', title: 'x', started_on: '2025-02-01', ends_on: '2025-01-31' }, 422, 'inconsistent', 'ends_on');
    await make(sec, 'project-parties', P({ party_branch_id: keqBranch.id, role: '共建支部' }));
    await make(sec, 'project-parties', P({ unit_name: '霍林郭勒市第一中学', unit_kind: '学校' }));
    await refused(sec, 'POST', '/project-parties', P({ unit_name: '霍林郭勒市第一中学', unit_kind: '学校' }), 409, 'duplicate', 'unit_name');
    await refused(sec, 'POST', '/project-parties', P({ party_branch_id: keqBranch.id }), 409, 'duplicate', 'party_branch_id');
    const p = await get(sec, 'projects', proj.id);
    assert.deepEqual(p.parties.map((x) => [x.kind, x.name]), [['lead', hlglBranch.name], ['branch', keqBranch.name], ['unit', '霍林郭勒市第一中学']]);
    // listed on each party branch's page, and not on others'
    assert.ok((await listAll(admin, `/projects?branch_id=${keqBranch.id}`)).some((x) => x.id === proj.id));
    assert.ok((await listAll(admin, `/projects?branch_id=${hlglBranch.id}`)).some((x) => x.id === proj.id));
    assert.ok(!(await listAll(admin, `/projects?branch_id=${zltBranch.id}`)).some((x) => x.id === proj.id));
  });

  test('an outcome is credited to the lead and every party, on each one\'s list and timeline', async () => {
    await refused(sec, 'POST', '/project-outcomes', { project_id: proj.id, title: '早于项目', achieved_on: '2025-01-31' }, 422, 'inconsistent', 'achieved_on');
    const o = await make(sec, 'project-outcomes', { project_id: proj.id, title: '法治副校长聘任' + uniq(), achieved_on: '2025-05-04', description: '聘任检察官为法治副校长' });
    assert.deepEqual(o.credited.map((x) => x.name), [hlglBranch.name, keqBranch.name, '霍林郭勒市第一中学']);
    assert.equal(o.branch_id, hlglBranch.id);
    for (const b of [hlglBranch, keqBranch]) {
      assert.ok((await listAll(admin, `/project-outcomes?credited_branch_id=${b.id}`)).some((x) => x.id === o.id), b.name);
      const t = await req(admin, 'GET', `/timeline?branch_id=${b.id}&kind=联建成果&from=2025-05-04&to=2025-05-04`);
      assert.ok(t.json.items.some((i) => i.coll === 'project-outcomes' && i.id === o.id), `${b.name}'s timeline`);
    }
    assert.ok(!(await listAll(admin, `/project-outcomes?credited_branch_id=${zltBranch.id}`)).some((x) => x.id === o.id));
    // a party added later is credited too: credit is derived, not copied
    const late = await make(sec, 'project-parties', { project_id: proj.id, unit_name: '霍林郭勒市教育局', unit_kind: '行政机关' });
    assert.equal((await get(sec, 'project-outcomes', o.id)).credited.length, 4);
    await req(sec, 'DELETE', `/project-parties/${late.id}?version=${late.version}`);
    assert.equal((await get(sec, 'project-outcomes', o.id)).credited.length, 3);
  });

  test('an activity is a ledger record of a party\'s procuratorate, linked once', async () => {
    const sp = await make(sec, 'sync-pairs', pair(hlglBranch, { business_plan_on: '2025-03-03' }));
    const a = await make(sec, 'project-activities', { project_id: proj.id, item_coll: 'sync-pairs', item_id: sp.id });
    assert.equal(a.item.date, '2025-03-03');
    assert.equal((await get(sec, 'projects', proj.id)).activity_count, 1);
    await refused(sec, 'POST', '/project-activities', { project_id: proj.id, item_coll: 'sync-pairs', item_id: sp.id }, 409, null, null);
    await refused(sec, 'POST', '/project-activities', { project_id: proj.id, item_coll: 'honours', item_id: 1 }, 400, 'invalid_value', 'item_coll');
    const zsp = await make(zlt, 'sync-pairs', pair(zltBranch));
    await refused(admin, 'POST', '/project-activities', { project_id: proj.id, item_coll: 'sync-pairs', item_id: zsp.id }, 422, 'inconsistent', 'item_id');
    await refused(sec, 'POST', '/project-activities', { project_id: proj.id, item_coll: 'sync-pairs', item_id: zsp.id }, 422, 'invalid_reference', 'item_id');
    // once 扎鲁特旗's branch is a party, its records count
    await make(admin, 'project-parties', { project_id: proj.id, party_branch_id: zltBranch.id });
    await make(admin, 'project-activities', { project_id: proj.id, item_coll: 'sync-pairs', item_id: zsp.id });
    // a reader who may not read the linked record sees that it is there, not what it is
    const seen = (await listAll(sec, `/project-activities?project_id=${proj.id}`)).find((x) => x.item_id === zsp.id);
    assert.equal(seen.item.hidden, true);
    assert.ok(!JSON.stringify(seen).includes(zsp.business_title));
  });
});

describe('红旗结对 pairings', () => {
  test('the leading and the helped branch differ; a secretary records progress but no pairing; progress after the start', async () => {
    await refused(admin, 'POST', '/pairings', { leading_branch_id: hlglBranch.id, branch_id: hlglBranch.id, goals: '同一个', started_on: '2025-01-01' }, 422, 'same_branch', 'branch_id');
    await refused(sec, 'POST', '/pairings', { leading_branch_id: cityBranch.id, branch_id: hlglBranch.id, goals: '结对', started_on: '2025-01-01' }, 403, 'forbidden', null);
    await refused(admin, 'POST', '/pairings', { leading_branch_id: 99999999, branch_id: hlglBranch.id, goals: '结对', started_on: '2025-01-01' }, 422, 'invalid_reference', 'leading_branch_id');
    const p = await make(admin, 'pairings', { leading_branch_id: cityBranch.id, branch_id: hlglBranch.id, goals: '规范化建设', started_on: '2025-01-10' });
    assert.equal(p.procuratorate_id, sec.user.procuratorate_id, 'the helped branch\'s scope');
    await refused(sec, 'POST', '/pairing-progress', { pairing_id: p.id, noted_on: '2025-01-09', note: '早', status: '按计划' }, 422, 'inconsistent', 'noted_on');
    await refused(sec, 'POST', '/pairing-progress', { pairing_id: p.id, noted_on: '2025-03-01', note: '评分', status: '按计划', score: 101 }, 400, 'invalid_value', 'score');
    await make(sec, 'pairing-progress', { pairing_id: p.id, noted_on: '2025-03-01', note: '完成支部阵地建设', status: '按计划', score: 80 });
    await make(sec, 'pairing-progress', { pairing_id: p.id, noted_on: '2025-06-01', note: '三会一课规范', status: '已达成', score: 92 });
    const now = await get(viewer, 'pairings', p.id);
    assert.deepEqual([now.latest_status, now.latest_score], ['已达成', 92]);
    for (const b of [cityBranch, hlglBranch]) assert.ok((await listAll(zlt, `/pairings?branch_id=${b.id}`)).some((x) => x.id === p.id), 'both sides list it');
    assert.ok(!(await listAll(admin, `/pairings?branch_id=${zltBranch.id}`)).some((x) => x.id === p.id));
  });
});

describe('以机关带系统强基层: guidance from a city branch to a county branch', () => {
  const G = (from, to, extra = {}) => ({ from_branch_id: from.id, branch_id: to.id, kind: '走访', held_on: '2025-04-15', summary: '走访调研支部建设', ...extra });

  test('only from the city to a county; only city administrators write it', async () => {
    await refused(admin, 'POST', '/guidance', G(zltBranch, hlglBranch), 422, 'direction', 'from_branch_id');
    await refused(admin, 'POST', '/guidance', G(cityBranch, cityBranch2), 422, 'direction', 'branch_id');
    await refused(admin, 'POST', '/guidance', G(hlglBranch, cityBranch), 422, 'direction', 'from_branch_id');
    await refused(admin, 'POST', '/guidance', G(cityBranch, hlglBranch, { kind: '表扬' }), 400, 'invalid_value', 'kind');
    await refused(zlt, 'POST', '/guidance', G(cityBranch, zltBranch), 403, 'forbidden', null);
    await refused(sec, 'POST', '/guidance', G(cityBranch, hlglBranch), 403, 'forbidden', null);
    const g = await make(admin, 'guidance', G(cityBranch, hlglBranch, { kind: '培训' }));
    assert.equal(g.procuratorate_id, sec.user.procuratorate_id);
    assert.equal(g.from_branch_name, cityBranch.name);
  });

  test('on both branches\' pages: ?branch_id= matches either side; a county reads its own only', async () => {
    const g = await make(admin, 'guidance', G(cityBranch, hlglBranch, { kind: '评审/检查', held_on: '2025-07-01' }));
    const gz = await make(admin, 'guidance', G(cityBranch, zltBranch));
    const fromCity = await listAll(admin, `/guidance?branch_id=${cityBranch.id}`);
    assert.ok(fromCity.some((x) => x.id === g.id) && fromCity.some((x) => x.id === gz.id));
    assert.ok((await listAll(admin, `/guidance?branch_id=${hlglBranch.id}`)).some((x) => x.id === g.id));
    assert.ok(!(await listAll(admin, `/guidance?branch_id=${hlglBranch.id}`)).some((x) => x.id === gz.id));
    const secSees = await listAll(sec, `/guidance?branch_id=${cityBranch.id}`);
    assert.ok(secSees.some((x) => x.id === g.id) && !secSees.some((x) => x.id === gz.id), 'the city branch\'s guidance, of the reader\'s own county only');
    assert.equal((await req(sec, 'GET', `/guidance/${gz.id}`)).status, 404);
    assert.equal((await req(zlt, 'GET', `/guidance/${gz.id}`)).status, 200);
    for (const b of [cityBranch, hlglBranch]) {
      const t = await req(admin, 'GET', `/timeline?branch_id=${b.id}&kind=指导基层&from=2025-07-01&to=2025-07-01`);
      assert.ok(t.json.items.some((i) => i.coll === 'guidance' && i.id === g.id), `${b.name}'s timeline`);
    }
    assert.equal((await req(admin, 'GET', '/guidance?branch_id=x')).status, 400);
  });
});

// ---------------------------------------------------------------- the matrix

const OPS = ['list', 'read', 'create', 'update', 'delete'];
const ALL = [200, 200, 201, 200, 204];
const RO = [200, 200, 403, 403, 403];
const ANON = [401, 401, 401, 401, 401];
const HIDDEN = [200, 404, 403, 404, 404];
const same = (row) => ({ own: row, other: row });
const ERROR_CODE = { 401: 'unauthenticated', 403: 'forbidden', 404: 'not_found', 422: 'invalid_reference' };

// The policy families (joint.c): READ_SCOPED + WRITE_BRANCH, READ_SIGNED_IN + WRITE_BRANCH,
// pairings READ_SIGNED_IN + WRITE_ADMIN, guidance READ_SCOPED + WRITE_CITY_ADMIN.
const SCOPED = ['sync-pairs', 'element-checks', 'element-evidence'];
const OPEN = ['projects', 'project-parties', 'project-activities', 'project-outcomes', 'pairing-progress'];
const COLLS = [...SCOPED, ...OPEN.slice(0, 4), 'pairings', 'pairing-progress', 'guidance']; // parents first
const expect = (role, coll) => {
  if (role === 'anonymous') return same(ANON);
  if (role === 'admin') return same(ALL);
  if (role === 'viewer') return same(RO);
  if (coll === 'guidance') return { own: RO, other: HIDDEN };
  if (coll === 'pairings') return role === 'zlt-admin' ? { own: ALL, other: RO } : same(RO);
  // A link into another procuratorate names a record the county account may not read (its
  // check; the linked pair): refused as absent (422 invalid_reference) before the scope
  // check could say 403, so nothing tells it the record is there.
  if (coll === 'element-evidence') return { own: ALL, other: [200, 404, 422, 404, 404] };
  if (coll === 'project-activities') return { own: ALL, other: [200, 200, 422, 403, 403] };
  return { own: ALL, other: SCOPED.includes(coll) ? HIDDEN : RO };
};
// own / other scope per role; guidance lives in county scopes only, so the city's
// accounts take 霍林郭勒 as their "own" there.
const ROLE = {
  anonymous: { user: null, own: 'city', other: 'zlt' },
  admin: { user: 'admin', own: 'city', other: 'zlt' },
  viewer: { user: 'viewer', own: 'city', other: 'zlt' },
  'zlt-admin': { user: 'zlt-admin', own: 'zlt', other: 'hlgl' },
  'hlgl-sec': { user: 'hlgl-sec', own: 'hlgl', other: 'zlt' },
};
const scopeFor = (role, kind, coll) => (coll === 'guidance' && ROLE[role][kind] === 'city' ? 'hlgl' : ROLE[role][kind]);

describe('authorisation matrix of the joint collections', () => {
  const sessions = {};
  const scopes = {};
  const fx = {};
  const mtrash = new Trash();
  let element;
  let seq = 0;
  const period = () => `${2001 + Math.floor(seq / 12)}-${String((seq++ % 12) + 1).padStart(2, '0')}`;
  const freshPair = async (s) => (await req(admin, 'POST', '/sync-pairs', pair(scopes[s].b))).json;

  // Bodies of one record in scope s (async: a link needs a record of its own to name).
  const bodies = {
    'sync-pairs': async (s) => pair(scopes[s].b),
    'element-checks': async (s) => ({ element_id: element.id, branch_id: scopes[s].b.id, period: period() }),
    'element-evidence': async (s) => {
      const p = await freshPair(s);
      mtrash.add('sync-pairs', p.id);
      return { check_id: fx[s]['element-checks'].id, item_coll: 'sync-pairs', item_id: p.id };
    },
    projects: async (s) => ({ branch_id: scopes[s].b.id, kind: '支部联建', title: '矩阵项目' + uniq(), started_on: '2025-01-01' }),
    'project-parties': async (s) => ({ project_id: fx[s].projects.id, unit_name: '矩阵单位' + uniq(), unit_kind: '社区' }),
    'project-activities': async (s) => {
      const p = await freshPair(s);
      mtrash.add('sync-pairs', p.id);
      return { project_id: fx[s].projects.id, item_coll: 'sync-pairs', item_id: p.id };
    },
    'project-outcomes': async (s) => ({ project_id: fx[s].projects.id, title: '矩阵成果' + uniq(), achieved_on: '2025-02-01' }),
    pairings: async (s) => ({ leading_branch_id: s === 'city' ? cityBranch2.id : cityBranch.id, branch_id: scopes[s].b.id, goals: '矩阵结对', started_on: '2025-01-01' }),
    'pairing-progress': async (s) => ({ pairing_id: fx[s].pairings.id, noted_on: '2025-02-01', note: '矩阵进展', status: '按计划' }),
    guidance: async (s) => ({ from_branch_id: cityBranch.id, branch_id: scopes[s].b.id, kind: '走访', held_on: '2025-02-01', summary: '矩阵指导' }),
  };
  const changes = { 'sync-pairs': 'note', 'element-checks': 'note', 'element-evidence': 'note', projects: 'goals', 'project-parties': 'role', 'project-activities': 'note', 'project-outcomes': 'description', pairings: 'goals', 'pairing-progress': 'note', guidance: 'summary' };
  const parent = { 'element-evidence': 'check_id=element-checks', 'project-parties': 'project_id=projects', 'project-activities': 'project_id=projects', 'project-outcomes': 'project_id=projects', 'pairing-progress': 'pairing_id=pairings' };
  const listQuery = (coll, s) => {
    if (!parent[coll]) return `branch_id=${scopes[s].b.id}&per_page=500`;
    const [k, c] = parent[coll].split('=');
    return `${k}=${fx[s][c].id}&per_page=500`;
  };

  before(async () => {
    for (const [role, r] of Object.entries(ROLE)) sessions[role] = r.user ? await login(r.user) : null;
    scopes.city = { b: cityBranch };
    scopes.zlt = { b: zltBranch };
    scopes.hlgl = { b: hlglBranch };
    const brand = await req(admin, 'POST', '/brands', { branch_id: cityBranch.id, name: '矩阵品牌' + uniq() });
    mtrash.add('brands', brand.json.id);
    const m = await req(admin, 'POST', '/methods', { brand_id: brand.json.id, name: '矩阵工作法' });
    mtrash.add('methods', m.json.id);
    const e = await req(admin, 'POST', '/method-elements', { method_id: m.json.id, label: '矩阵要素' });
    mtrash.add('method-elements', (element = e.json).id);
    for (const s of Object.keys(scopes)) {
      fx[s] = {};
      for (const c of COLLS) {
        if (c === 'guidance' && s === 'city') continue;
        const r = await req(admin, 'POST', `/${c}`, await bodies[c](s));
        assert.equal(r.status, 201, `fixture ${c} in ${s}: ${r.text}`);
        fx[s][c] = r.json;
        mtrash.add(c, r.json.id);
      }
    }
  });
  after(() => mtrash.empty(admin));

  function check(r, status) {
    assert.equal(r.status, status, r.text.slice(0, 300));
    if (ERROR_CODE[status]) assert.equal(r.json?.error?.code, ERROR_CODE[status], r.text.slice(0, 300));
  }
  async function audited(before, ok, action, coll, id, role) {
    const now = await auditCount(admin);
    if (!ok) return assert.equal(now, before, 'a refused write adds no audit entry');
    assert.equal(now, before + 1, 'a successful write adds exactly one audit entry');
    const last = await lastAudit(admin);
    assert.deepEqual([last.action, last.entity, last.entity_id, last.username], [action, coll, id, ROLE[role].user]);
  }

  for (const coll of COLLS) {
    for (const role of Object.keys(ROLE)) {
      for (const kind of ['own', 'other']) {
        const [eList, eRead, eCreate, eUpdate, eDelete] = expect(role, coll)[kind];
        const name = (op, st) => `${coll} × ${role} × ${kind} × ${op} → ${st}`;
        const S = () => scopeFor(role, kind, coll);
        test(name('list', eList), async () => {
          const r = await req(sessions[role], 'GET', `/${coll}?${listQuery(coll, S())}`);
          check(r, eList);
          if (r.status === 200) assert.equal(r.json.items.some((x) => x.id === fx[S()][coll].id), eRead === 200);
        });
        test(name('read', eRead), async () => {
          const r = await req(sessions[role], 'GET', `/${coll}/${fx[S()][coll].id}`);
          check(r, eRead);
        });
        test(name('create', eCreate), async () => {
          const body = await bodies[coll](S());
          const n = await auditCount(admin);
          const r = await req(sessions[role], 'POST', `/${coll}`, body);
          if (r.status === 201) mtrash.add(coll, r.json.id);
          check(r, eCreate);
          await audited(n, r.status === 201, 'create', coll, r.json?.id, role);
        });
        test(name('update', eUpdate), async () => {
          const f = fx[S()][coll];
          const cur = await get(admin, coll, f.id);
          const body = { version: cur.version, [changes[coll]]: '改' + uniq() };
          const n = await auditCount(admin);
          const r = await req(sessions[role], 'PATCH', `/${coll}/${f.id}`, body);
          check(r, eUpdate);
          await audited(n, r.status === 200, 'update', coll, f.id, role);
          const now = await get(admin, coll, f.id);
          if (r.status === 200) assert.equal(now[changes[coll]], body[changes[coll]]);
          else assert.deepEqual(now, cur, 'a refused update changes nothing');
        });
        test(name('delete', eDelete), async () => {
          const c = await req(admin, 'POST', `/${coll}`, await bodies[coll](S()));
          assert.equal(c.status, 201, c.text);
          mtrash.add(coll, c.json.id);
          const n = await auditCount(admin);
          const r = await req(sessions[role], 'DELETE', `/${coll}/${c.json.id}?version=${c.json.version}`);
          check(r, eDelete);
          await audited(n, r.status === 204, 'delete', coll, c.json.id, role);
          assert.equal((await req(admin, 'GET', `/${coll}/${c.json.id}`)).status, r.status === 204 ? 404 : 200);
        });
      }
    }
  }
});
