// Public-interest litigation matters, patrols and outreach (src/domain/pil.c): stage
// order, dates in the future, the 2-month reply deadline (end-of-month clamp) and its
// filters, a lead made from a patrol's finding (both links, audit, all or nothing),
// members of another procuratorate, coordinate and audience-size bounds, permissions.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { req, login, listAll, uniq, Trash, get, auditCount, lastAudit, todayCN } from './lib.mjs';

/** "date" (YYYY-MM-DD) plus "n" days. */
function addDays(date, n) {
  const d = new Date(date + 'T00:00:00Z');
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** The reply deadline as the rule states it: two months on, clamped to the month's end. */
function plusTwoMonths(date) {
  let [y, m, d] = date.split('-').map(Number);
  m += 2;
  if (m > 12) {
    m -= 12;
    y += 1;
  }
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return `${y}-${String(m).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

const daysBetween = (a, b) => Math.round((Date.parse(b) - Date.parse(a)) / 86400000);

function expectError(r, status, code, field) {
  assert.equal(r.status, status, r.text);
  assert.equal(r.json.error.code, code, r.text);
  if (field !== undefined) assert.equal(r.json.error.field, field, r.text);
  assert.match(r.json.error.message, /\p{Script=Han}/u, 'a Chinese message');
}

describe('public-interest matters, patrols and outreach', () => {
  let admin, viewer, zlt, sec;
  const trash = new Trash();
  let kzz, kzzBranch, kzzMembers, zltProc, zltBranch, zltMember, hlglBranch, hlglMember;
  const today = todayCN();

  const matter = (extra = {}) => ({ procuratorate_id: kzz, title: '测试线索' + uniq(), source: '举报', field: '草原', clue_on: '2024-03-01', ...extra });
  const patrol = (extra = {}) => ({ branch_id: kzzBranch, patrolled_on: '2024-06-10', kind: '党员突击队巡查', place: '测试地点' + uniq(), member_ids: [kzzMembers[0].id], problem_found: true, findings: '发现非法开垦草原', ...extra });
  const outreach = (extra = {}) => ({ branch_id: zltBranch, held_on: '2025-03-15', kind: '线下', form: '流动', place: '嘎查活动室', topic: '草原保护法宣讲' + uniq(), audience: '牧民', audience_size: 80, language: '双语', member_ids: [zltMember.id], ...extra });
  async function make(coll, body, session = admin) {
    const r = await req(session, 'POST', `/${coll}`, body);
    assert.equal(r.status, 201, `${coll}: ${r.text}`);
    trash.add(coll, r.json.id);
    return r.json;
  }

  before(async () => {
    admin = await login('admin');
    viewer = await login('viewer');
    zlt = await login('zlt-admin');
    sec = await login('hlgl-sec');
    const procs = await listAll(admin, '/procuratorates');
    kzz = procs.find((p) => p.name.includes('科尔沁左翼中旗')).id;
    zltProc = procs.find((p) => p.name.includes('扎鲁特旗')).id;
    const branches = await listAll(admin, '/branches');
    kzzBranch = branches.find((b) => b.procuratorate_id === kzz).id;
    zltBranch = branches.find((b) => b.procuratorate_id === zltProc).id;
    hlglBranch = sec.user.branch_id;
    kzzMembers = (await req(admin, 'GET', `/members?procuratorate_id=${kzz}&per_page=5`)).json.items;
    zltMember = (await req(admin, 'GET', `/members?procuratorate_id=${zltProc}&per_page=1`)).json.items[0];
    hlglMember = (await req(admin, 'GET', `/members?branch_id=${hlglBranch}&per_page=1`)).json.items[0];
    assert.ok(kzzMembers.length >= 3 && zltMember && hlglMember);
  });
  after(async () => trash.empty(admin));

  describe('stages', () => {
    test('each stage needs the one before it and cannot precede it (422 stage_order)', async () => {
      const cases = [
        [{ filed_on: '2024-02-28' }, 'filed_on'], // before the clue
        [{ recommended_on: '2024-03-10', organ: '林草局' }, 'recommended_on'], // not filed
        [{ filed_on: '2024-03-05', recommended_on: '2024-03-04', organ: '林草局' }, 'recommended_on'],
        [{ filed_on: '2024-03-05', rectified_on: '2024-04-01' }, 'rectified_on'], // no recommendation
        [{ filed_on: '2024-03-05', recommended_on: '2024-03-10', organ: '林草局', sued_on: '2024-03-09' }, 'sued_on'],
        [{ filed_on: '2024-03-05', recommended_on: '2024-03-10', organ: '林草局', rectified_on: '2024-04-01', sued_on: '2024-06-01' }, 'sued_on'],
        [{ filed_on: '2024-03-05', recommended_on: '2024-03-10', organ: '林草局', revisited_on: '2024-06-01' }, 'revisited_on'],
        [{ filed_on: '2024-03-05', recommended_on: '2024-03-10', organ: '林草局', rectified_on: '2024-05-01', revisited_on: '2024-04-30' }, 'revisited_on'],
        [{ filed_on: '2024-03-05', recommended_on: '2024-03-10', organ: '林草局', reply_on: '2024-03-09' }, 'reply_on'],
        [{ reply_on: '2024-03-09' }, 'reply_on'],
      ];
      const n = await auditCount(admin);
      for (const [extra, field] of cases) {
        const r = await req(admin, 'POST', '/pil-matters', matter(extra));
        if (r.status === 201) trash.add('pil-matters', r.json.id);
        expectError(r, 422, 'stage_order', field);
      }
      assert.equal(await auditCount(admin), n, 'nothing was written');
    });

    test('a recommendation names the organ it is addressed to', async () => {
      expectError(await req(admin, 'POST', '/pil-matters', matter({ filed_on: '2024-03-05', recommended_on: '2024-03-10' })), 400, 'required', 'organ');
    });

    test('the stage is the latest with a date, and ?stage= lists by it', async () => {
      const m = await make('pil-matters', matter({ filed_on: '2024-03-05', recommended_on: '2024-03-10', organ: '林草局', reply_on: '2024-04-01', rectified_on: '2024-05-01', revisited_on: '2024-08-01' }));
      assert.equal(m.stage, '回访');
      const sued = await make('pil-matters', matter({ filed_on: '2024-03-05', recommended_on: '2024-03-10', organ: '林草局', sued_on: '2024-06-01' }));
      assert.equal(sued.stage, '起诉');
      const clue = await make('pil-matters', matter());
      assert.equal(clue.stage, '线索');
      const list = await listAll(admin, `/pil-matters?procuratorate_id=${kzz}&stage=${encodeURIComponent('起诉')}`);
      assert.ok(list.some((x) => x.id === sued.id));
      assert.ok(list.every((x) => x.stage === '起诉'));
      expectError(await req(admin, 'GET', '/pil-matters?stage=nonsense'), 400, 'bad_query', 'stage');
    });

    test('a change that breaks the order is refused and changes nothing', async () => {
      const m = await make('pil-matters', matter({ filed_on: '2024-03-05' }));
      expectError(await req(admin, 'PATCH', `/pil-matters/${m.id}`, { version: m.version, clue_on: '2024-03-06' }), 422, 'stage_order', 'filed_on');
      const now = await get(admin, 'pil-matters', m.id);
      assert.equal(now.version, m.version);
      assert.equal(now.clue_on, '2024-03-01');
    });

    test('no stage date lies after today', async () => {
      const tomorrow = todayCN(1);
      expectError(await req(admin, 'POST', '/pil-matters', matter({ clue_on: tomorrow })), 400, 'invalid_date', 'clue_on');
      expectError(await req(admin, 'POST', '/pil-matters', matter({ clue_on: today, filed_on: tomorrow })), 400, 'invalid_date', 'filed_on');
      expectError(await req(admin, 'POST', '/patrols', patrol({ patrolled_on: tomorrow })), 400, 'invalid_date', 'patrolled_on');
      expectError(await req(admin, 'POST', '/outreach', outreach({ held_on: tomorrow })), 400, 'invalid_date', 'held_on');
      // Today itself is allowed.
      await make('pil-matters', matter({ clue_on: today, filed_on: today }));
    });

    test('reply_due is derived: a value sent is ignored', async () => {
      const m = await make('pil-matters', matter({ reply_due: '2024-05-01' }));
      assert.equal(m.reply_due, null);
      const r = await req(admin, 'PATCH', `/pil-matters/${m.id}`, { version: m.version, filed_on: '2024-03-02', recommended_on: '2024-03-03', organ: '林草局', reply_due: '2030-01-01' });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.reply_due, '2024-05-03');
    });
  });

  describe('the reply deadline', () => {
    test('two months after the recommendation, the last day of a shorter month', async () => {
      const dates = { '2024-12-31': '2025-02-28', '2023-12-31': '2024-02-29', '2024-07-31': '2024-09-30', '2024-08-31': '2024-10-31', '2024-11-30': '2025-01-30', '2024-03-15': '2024-05-15' };
      for (const [rec, due] of Object.entries(dates)) {
        assert.equal(plusTwoMonths(rec), due, 'the test’s own rule');
        const m = await make('pil-matters', matter({ clue_on: '2023-12-01', filed_on: '2023-12-02', recommended_on: rec, organ: '草原站' }));
        assert.equal(m.reply_due, due, rec);
      }
    });

    test('moving or removing the recommendation moves the deadline', async () => {
      const m = await make('pil-matters', matter({ clue_on: '2024-01-02', filed_on: '2024-01-03', recommended_on: '2024-01-31', organ: '草原站' }));
      assert.equal(m.reply_due, '2024-03-31');
      let r = await req(admin, 'PATCH', `/pil-matters/${m.id}`, { version: m.version, recommended_on: '2024-04-30' });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.reply_due, '2024-06-30');
      r = await req(admin, 'PATCH', `/pil-matters/${m.id}`, { version: r.json.version, recommended_on: null });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.reply_due, null);
      assert.equal(r.json.due_state, null);
    });

    test('overdue, soon and replied: the state, the days left and ?due=', async () => {
      // Due in the past, no reply: overdue.
      const old = await make('pil-matters', matter({ clue_on: '2024-01-02', filed_on: '2024-01-03', recommended_on: '2024-01-10', organ: '自然资源局' }));
      assert.equal(old.due_state, '逾期');
      assert.ok(old.days_left < 0);
      // Recommended 55 days ago: due in a few days.
      const rec = addDays(today, -55);
      const due = plusTwoMonths(rec);
      const soon = await make('pil-matters', matter({ clue_on: addDays(rec, -2), filed_on: addDays(rec, -1), recommended_on: rec, organ: '自然资源局' }));
      assert.equal(soon.reply_due, due);
      assert.equal(soon.days_left, daysBetween(today, due));
      assert.equal(soon.due_state, daysBetween(today, due) <= 15 ? '即将到期' : '期限内');
      // Replied late.
      const late = await make('pil-matters', matter({ clue_on: '2024-01-02', filed_on: '2024-01-03', recommended_on: '2024-01-10', organ: '自然资源局', reply_on: '2024-03-11' }));
      assert.equal(late.due_state, '逾期回复');
      assert.equal(late.days_left, null);
      const onTime = await make('pil-matters', matter({ clue_on: '2024-01-02', filed_on: '2024-01-03', recommended_on: '2024-01-10', organ: '自然资源局', reply_on: '2024-03-10' }));
      assert.equal(onTime.due_state, '按期回复');

      const ids = async (due) => (await listAll(admin, `/pil-matters?procuratorate_id=${kzz}&due=${due}`)).map((x) => x.id);
      const overdue = await ids('overdue');
      assert.ok(overdue.includes(old.id) && !overdue.includes(soon.id) && !overdue.includes(late.id));
      const soonList = await ids('soon');
      assert.equal(soonList.includes(soon.id), daysBetween(today, due) <= 15);
      assert.ok(!soonList.includes(old.id));
      assert.ok((await ids('pending')).includes(soon.id));
      const replied = await ids('replied');
      assert.ok(replied.includes(late.id) && replied.includes(onTime.id) && !replied.includes(old.id));
      expectError(await req(admin, 'GET', '/pil-matters?due=later'), 400, 'bad_query', 'due');
      // The reply recorded: no longer overdue.
      const r = await req(admin, 'PATCH', `/pil-matters/${old.id}`, { version: old.version, reply_on: '2024-02-01' });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.due_state, '按期回复');
      assert.ok(!(await ids('overdue')).includes(old.id));
    });

    test('a 检察+行政 collaboration names its organs', async () => {
      expectError(await req(admin, 'POST', '/pil-matters', matter({ collaboration: '检察+行政' })), 400, 'required', 'partners');
      const m = await make('pil-matters', matter({ field: '文物和文化遗产', collaboration: '检察+行政', mechanism: '检察+行政文物司法保护协作机制', partners: '科左中旗文物局、公安局' }));
      assert.equal(m.collaboration, '检察+行政');
    });
  });

  describe('patrols', () => {
    test('members must be of the patrol’s procuratorate, each once', async () => {
      expectError(await req(admin, 'POST', '/patrols', patrol({ member_ids: [kzzMembers[0].id, zltMember.id] })), 422, 'inconsistent', 'member_ids');
      expectError(await req(admin, 'POST', '/patrols', patrol({ member_ids: [kzzMembers[0].id, kzzMembers[0].id] })), 400, 'invalid_value', 'member_ids');
      expectError(await req(admin, 'POST', '/patrols', patrol({ member_ids: [] })), 400, 'required', 'member_ids');
      expectError(await req(admin, 'POST', '/patrols', patrol({ member_ids: ['1'] })), 400, 'invalid_type', 'member_ids');
      expectError(await req(admin, 'POST', '/patrols', patrol({ member_ids: 5 })), 400, 'invalid_type', 'member_ids');
      expectError(await req(admin, 'POST', '/patrols', patrol({ member_ids: [99999999] })), 422, 'invalid_reference', 'member_ids');
      const { member_ids, ...none } = patrol();
      expectError(await req(admin, 'POST', '/patrols', none), 400, 'required', 'member_ids');
      // A county administrator cannot name (or learn of) another procuratorate's member.
      const r = await req(zlt, 'POST', '/patrols', patrol({ branch_id: zltBranch, member_ids: [kzzMembers[0].id] }));
      expectError(r, 422, 'invalid_reference', 'member_ids');
      assert.ok(!r.json.error.message.includes(kzzMembers[0].name));
      // An update is held to the same rule.
      const p = await make('patrols', patrol());
      expectError(await req(admin, 'PATCH', `/patrols/${p.id}`, { version: p.version, member_ids: [hlglMember.id] }), 422, 'inconsistent', 'member_ids');
    });

    test('the members are listed by name, and ?member_id= finds the patrols a member went on', async () => {
      const p = await make('patrols', patrol({ member_ids: [kzzMembers[1].id, kzzMembers[2].id] }));
      assert.deepEqual(p.members.map((m) => m.id), [kzzMembers[1].id, kzzMembers[2].id]);
      assert.equal(p.members[0].name, kzzMembers[1].name);
      let list = await listAll(admin, `/patrols?member_id=${kzzMembers[2].id}`);
      assert.ok(list.some((x) => x.id === p.id));
      const r = await req(admin, 'PATCH', `/patrols/${p.id}`, { version: p.version, member_ids: [kzzMembers[1].id] });
      assert.equal(r.status, 200, r.text);
      list = await listAll(admin, `/patrols?member_id=${kzzMembers[2].id}`);
      assert.ok(!list.some((x) => x.id === p.id), 'the link follows the change');
      expectError(await req(admin, 'GET', '/patrols?member_id=abc'), 400, 'bad_query', 'member_id');
    });

    test('a member who went on a patrol cannot be deleted', async () => {
      const m = await make('members', { branch_id: kzzBranch, name: '巡查' + uniq().slice(0, 4) });
      const p = await make('patrols', patrol({ member_ids: [m.id] }));
      const r = await req(admin, 'DELETE', `/members/${m.id}?version=${m.version}`);
      assert.equal(r.status, 409, r.text);
      assert.ok(await get(admin, 'patrols', p.id));
    });

    test('coordinates: decimal degrees within bounds, both or neither', async () => {
      const p = await make('patrols', patrol({ lat: '44.1273', lng: '122.3251' }));
      assert.equal(p.lat, '44.1273');
      await make('patrols', patrol({ lat: '-90', lng: '180' }));
      for (const [lat, lng, field] of [
        ['90.5', '122', 'lat'],
        ['-91', '122', 'lat'],
        ['44', '180.0001', 'lng'],
        ['44', '-181', 'lng'],
        ['44.12345678', '122', 'lat'],
        ['44,1', '122', 'lat'],
        ['1e1', '122', 'lat'],
        ['', '122', 'lat'],
        ['.5', '122', 'lat'],
      ]) {
        const r = await req(admin, 'POST', '/patrols', patrol({ lat, lng }));
        if (r.status === 201) trash.add('patrols', r.json.id);
        assert.ok([400].includes(r.status), `${lat},${lng}: ${r.text}`);
        assert.equal(r.json.error.field, field, `${lat},${lng}: ${r.text}`);
      }
      expectError(await req(admin, 'POST', '/patrols', patrol({ lat: 44.1, lng: 122.3 })), 400, 'invalid_type', 'lat');
    });

    test('a joint patrol names the officials who went; a task-force patrol none', async () => {
      expectError(await req(admin, 'POST', '/patrols', patrol({ kind: '党员+行政长官联合巡查' })), 400, 'required', 'officials');
      expectError(await req(admin, 'POST', '/patrols', patrol({ officials: [{ name: '王局长' }] })), 422, 'inconsistent', 'officials');
      expectError(await req(admin, 'POST', '/patrols', patrol({ kind: '党员+行政长官联合巡查', officials: [{ title: '局长' }] })), 400, 'required', 'officials');
      expectError(await req(admin, 'POST', '/patrols', patrol({ kind: '党员+行政长官联合巡查', officials: [{ name: '王', rank: 1 }] })), 400, 'unknown_field', 'officials');
      expectError(await req(admin, 'POST', '/patrols', patrol({ kind: '党员+行政长官联合巡查', officials: { name: '王' } })), 400, 'invalid_type', 'officials');
      expectError(await req(admin, 'POST', '/patrols', patrol({ kind: '党员+行政长官联合巡查', officials: [{ name: '王'.repeat(31) }] })), 400, 'too_long', 'officials');
      const p = await make('patrols', patrol({ kind: '党员+行政长官联合巡查', officials: [{ name: '王某', title: '局长', organ: '科左中旗林草局' }] }));
      assert.deepEqual(p.officials, [{ name: '王某', title: '局长', organ: '科左中旗林草局' }]);
    });

    test('?month= lists one month', async () => {
      const p = await make('patrols', patrol({ patrolled_on: '2024-02-29' }));
      const list = await listAll(admin, `/patrols?branch_id=${kzzBranch}&month=2024-02`);
      assert.ok(list.some((x) => x.id === p.id));
      assert.ok(list.every((x) => x.patrolled_on.startsWith('2024-02')));
      assert.ok(!(await listAll(admin, `/patrols?branch_id=${kzzBranch}&month=2024-03`)).some((x) => x.id === p.id));
      for (const bad of ['2024-13', '2024-2', '202402', 'x']) expectError(await req(admin, 'GET', `/patrols?month=${bad}`), 400, 'bad_query', 'month');
    });
  });

  describe('a lead from a patrol', () => {
    test('one step: the matter names the patrol, the patrol answers its matters, both audited', async () => {
      const p = await make('patrols', patrol({ kind: '党员+行政长官联合巡查', officials: [{ name: '王某', title: '局长', organ: '科左中旗文物局' }, { name: '李某', title: '副旗长', organ: '科左中旗人民政府' }], findings: '古城遗址保护范围内有取土痕迹' }));
      const n = await auditCount(admin);
      const r = await req(admin, 'POST', `/patrols/${p.id}/lead`, { field: '文物和文化遗产' });
      assert.equal(r.status, 201, r.text);
      const m = r.json;
      trash.add('pil-matters', m.id);
      assert.equal(m.patrol_id, p.id);
      assert.equal(m.source, '巡查');
      assert.equal(m.clue_on, p.patrolled_on);
      assert.equal(m.field, '文物和文化遗产');
      assert.equal(m.procuratorate_id, kzz);
      assert.equal(m.branch_id, kzzBranch);
      assert.equal(m.summary, '古城遗址保护范围内有取土痕迹');
      assert.equal(m.collaboration, '党员+行政长官');
      assert.equal(m.partners, '科左中旗文物局、科左中旗人民政府');
      assert.equal(m.patrol_place, p.place);
      const back = await get(admin, 'patrols', p.id);
      assert.equal(back.matter_count, 1);
      assert.deepEqual(back.matters.map((x) => x.id), [m.id]);
      assert.deepEqual((await listAll(admin, `/pil-matters?patrol_id=${p.id}`)).map((x) => x.id), [m.id]);
      // Two entries: the matter created, the lead on the patrol.
      assert.equal(await auditCount(admin), n + 2);
      const entries = (await req(admin, 'GET', '/audit?per_page=2&sort=-id')).json.items;
      assert.deepEqual(entries.map((e) => [e.action, e.entity, e.entity_id]), [['lead', 'patrols', p.id], ['create', 'pil-matters', m.id]]);
      assert.equal(entries[0].after.pil_matter_id, m.id);
      const hist = await req(admin, 'GET', `/patrols/${p.id}/history`);
      assert.ok(hist.json.items.some((e) => e.action === 'lead'));
      // The patrol cannot be deleted while its matter names it.
      assert.equal((await req(admin, 'DELETE', `/patrols/${p.id}?version=${back.version}`)).status, 409);
    });

    test('a second lead from the same patrol is refused unless asked for', async () => {
      const p = await make('patrols', patrol());
      const first = await req(admin, 'POST', `/patrols/${p.id}/lead`, { field: '草原', title: '非法开垦草原' });
      assert.equal(first.status, 201, first.text);
      trash.add('pil-matters', first.json.id);
      assert.equal(first.json.title, '非法开垦草原');
      const n = await auditCount(admin);
      const again = await req(admin, 'POST', `/patrols/${p.id}/lead`, { field: '草原' });
      expectError(again, 409, 'lead_exists', 'again');
      assert.ok(again.json.error.message.includes('非法开垦草原'));
      assert.equal(await auditCount(admin), n);
      const second = await req(admin, 'POST', `/patrols/${p.id}/lead`, { field: '生态环境和资源保护', title: '另一问题', again: true });
      assert.equal(second.status, 201, second.text);
      trash.add('pil-matters', second.json.id);
      assert.equal((await get(admin, 'patrols', p.id)).matter_count, 2);
    });

    test('all or nothing: a refused lead writes neither record nor audit entry', async () => {
      const p = await make('patrols', patrol());
      const n = await auditCount(admin);
      expectError(await req(admin, 'POST', `/patrols/${p.id}/lead`, {}), 400, 'required', 'field');
      expectError(await req(admin, 'POST', `/patrols/${p.id}/lead`, { field: '天空' }), 400, 'invalid_value', 'field');
      expectError(await req(admin, 'POST', `/patrols/${p.id}/lead`, { field: '草原', title: 'x'.repeat(101) }), 400, 'too_long', 'title');
      expectError(await req(admin, 'POST', `/patrols/${p.id}/lead`, { field: '草原', patrol_id: 1 }), 400, 'unknown_field', 'patrol_id');
      expectError(await req(admin, 'POST', `/patrols/${p.id}/lead`, { field: '草原', again: 'yes' }), 400, 'invalid_type', 'again');
      expectError(await req(admin, 'POST', `/patrols/${p.id}/lead`, '[1]'), 400, 'bad_json');
      assert.equal(await auditCount(admin), n);
      assert.equal((await get(admin, 'patrols', p.id)).matter_count, 0);
      assert.equal((await listAll(admin, `/pil-matters?patrol_id=${p.id}`)).length, 0);
    });

    test('a patrol that found nothing raises no lead; an unknown patrol is 404', async () => {
      const p = await make('patrols', patrol({ problem_found: false, findings: '未发现问题' }));
      expectError(await req(admin, 'POST', `/patrols/${p.id}/lead`, { field: '草原' }), 422, 'no_finding');
      expectError(await req(admin, 'POST', '/patrols/99999999/lead', { field: '草原' }), 404, 'not_found');
      assert.equal((await req(admin, 'GET', `/patrols/${p.id}/lead`)).status, 405);
    });

    test('who may: the patrol’s writers; others 403, another procuratorate 404', async () => {
      const p = await make('patrols', patrol());
      expectError(await req(viewer, 'POST', `/patrols/${p.id}/lead`, { field: '草原' }), 403, 'forbidden');
      expectError(await req(zlt, 'POST', `/patrols/${p.id}/lead`, { field: '草原' }), 404, 'not_found');
      expectError(await req(sec, 'POST', `/patrols/${p.id}/lead`, { field: '草原' }), 404, 'not_found');
      expectError(await req(null, 'POST', `/patrols/${p.id}/lead`, { field: '草原' }), 401, 'unauthenticated');
      // A branch secretary makes a lead from their own branch's patrol.
      const own = await make('patrols', patrol({ branch_id: hlglBranch, member_ids: [hlglMember.id] }), sec);
      const r = await req(sec, 'POST', `/patrols/${own.id}/lead`, { field: '食品药品安全' });
      assert.equal(r.status, 201, r.text);
      trash.add('pil-matters', r.json.id);
      assert.equal(r.json.branch_id, hlglBranch);
      assert.equal((await lastAudit(admin)).username, 'hlgl-sec');
    });

    test('a matter names a patrol of its own procuratorate, as source 巡查, not found before it', async () => {
      const p = await make('patrols', patrol());
      expectError(await req(admin, 'POST', '/pil-matters', matter({ source: '巡查', patrol_id: p.id, clue_on: '2024-06-09' })), 422, 'stage_order', 'clue_on');
      expectError(await req(admin, 'POST', '/pil-matters', matter({ source: '举报', patrol_id: p.id, clue_on: '2024-06-10' })), 422, 'inconsistent', 'source');
      expectError(await req(admin, 'POST', '/pil-matters', matter({ procuratorate_id: zltProc, source: '巡查', patrol_id: p.id, clue_on: '2024-06-10' })), 422, 'inconsistent', 'patrol_id');
      const m = await make('pil-matters', matter({ source: '巡查', patrol_id: p.id, clue_on: '2024-06-12' }));
      assert.equal(m.branch_id, kzzBranch, 'the patrol’s branch');
      // The patrol cannot then move after its matter's clue.
      const cur = await get(admin, 'patrols', p.id);
      expectError(await req(admin, 'PATCH', `/patrols/${p.id}`, { version: cur.version, patrolled_on: '2024-06-13' }), 422, 'stage_order', 'patrolled_on');
    });
  });

  describe('timelines', () => {
    test('a patrol is on its branch’s and its members’ timelines, a matter’s stages on its branch’s', async () => {
      const p = await make('patrols', patrol({ patrolled_on: '2024-07-02', member_ids: [kzzMembers[2].id] }));
      const lead = await req(admin, 'POST', `/patrols/${p.id}/lead`, { field: '草原' });
      assert.equal(lead.status, 201, lead.text);
      trash.add('pil-matters', lead.json.id);
      const m = lead.json;
      const r = await req(admin, 'PATCH', `/pil-matters/${m.id}`, { version: m.version, filed_on: '2024-07-05', recommended_on: '2024-07-10', organ: '科左中旗林草局' });
      assert.equal(r.status, 200, r.text);
      const tl = async (q) => {
        const x = await req(admin, 'GET', `/timeline?${q}&from=2024-07-01&to=2024-07-31&per_page=1000`);
        assert.equal(x.status, 200, x.text);
        return x.json.items;
      };
      const member = await tl(`member_id=${kzzMembers[2].id}&kind=${encodeURIComponent('巡查')}`);
      assert.ok(member.some((e) => e.coll === 'patrols' && e.id === p.id && e.date === '2024-07-02'));
      const branch = await tl(`branch_id=${kzzBranch}&kind=${encodeURIComponent('公益诉讼')}`);
      const mine = branch.filter((e) => e.coll === 'pil-matters' && e.id === m.id);
      assert.deepEqual(mine.map((e) => e.date), ['2024-07-02', '2024-07-05', '2024-07-10']);
      assert.ok(mine[2].title.includes('科左中旗林草局'));
      assert.equal((await tl(`member_id=${kzzMembers[1].id}&kind=${encodeURIComponent('巡查')}`)).some((e) => e.id === p.id), false);
    });
  });

  describe('outreach', () => {
    test('audience size within bounds', async () => {
      for (const size of [0, -5, 1000001]) expectError(await req(admin, 'POST', '/outreach', outreach({ audience_size: size })), 400, 'invalid_value', 'audience_size');
      expectError(await req(admin, 'POST', '/outreach', outreach({ audience_size: 12.5 })), 400, 'invalid_type', 'audience_size');
      expectError(await req(admin, 'POST', '/outreach', outreach({ audience_size: '80' })), 400, 'invalid_type', 'audience_size');
      await make('outreach', outreach({ audience_size: 1 }));
      await make('outreach', outreach({ kind: '线上', form: null, place: '“萨日朗”微信公众号', audience_size: 1000000 }));
    });

    test('offline is at a fixed point or mobile; online is neither', async () => {
      expectError(await req(admin, 'POST', '/outreach', outreach({ form: null })), 400, 'required', 'form');
      expectError(await req(admin, 'POST', '/outreach', outreach({ kind: '线上', form: '流动' })), 422, 'inconsistent', 'form');
      expectError(await req(admin, 'POST', '/outreach', outreach({ language: '英语' })), 400, 'invalid_value', 'language');
      expectError(await req(admin, 'POST', '/outreach', outreach({ audience: '游客' })), 400, 'invalid_value', 'audience');
      const o = await make('outreach', outreach());
      assert.equal(o.programme, '普法宣传', 'the default programme');
      assert.equal(o.members[0].id, zltMember.id);
    });

    test('members from another procuratorate are refused', async () => {
      expectError(await req(admin, 'POST', '/outreach', outreach({ member_ids: [zltMember.id, kzzMembers[0].id] })), 422, 'inconsistent', 'member_ids');
      expectError(await req(zlt, 'POST', '/outreach', outreach({ member_ids: [kzzMembers[0].id] })), 422, 'invalid_reference', 'member_ids');
      const o = await make('outreach', outreach(), zlt);
      assert.ok((await listAll(zlt, `/outreach?member_id=${zltMember.id}&month=2025-03`)).some((x) => x.id === o.id));
    });
  });

  describe('permissions', () => {
    test('the leadership reads and writes nothing', async () => {
      expectError(await req(viewer, 'POST', '/pil-matters', matter()), 403, 'forbidden');
      expectError(await req(viewer, 'POST', '/patrols', patrol()), 403, 'forbidden');
      expectError(await req(viewer, 'POST', '/outreach', outreach()), 403, 'forbidden');
      assert.equal((await req(viewer, 'GET', '/pil-matters?per_page=1')).status, 200);
    });

    test('a county sees only its own, and writes only its own', async () => {
      const p = await make('patrols', patrol());
      const m = await make('pil-matters', matter());
      assert.equal((await req(zlt, 'GET', `/patrols/${p.id}`)).status, 404);
      assert.equal((await req(zlt, 'GET', `/pil-matters/${m.id}`)).status, 404);
      for (const c of ['patrols', 'pil-matters', 'outreach']) {
        const all = await listAll(zlt, `/${c}`);
        assert.ok(all.every((x) => x.procuratorate_id === zltProc), c);
      }
      expectError(await req(zlt, 'POST', '/pil-matters', matter()), 403, 'forbidden');
      expectError(await req(zlt, 'PATCH', `/pil-matters/${m.id}`, { version: m.version, title: '改' }), 404, 'not_found');
    });

    test('a secretary writes the matters and records of their own branch only', async () => {
      const hlgl = sec.user.procuratorate_id;
      expectError(await req(sec, 'POST', '/pil-matters', matter({ procuratorate_id: hlgl })), 403, 'forbidden');
      const m = await make('pil-matters', matter({ procuratorate_id: hlgl, branch_id: hlglBranch }), sec);
      assert.equal(m.branch_id, hlglBranch);
      // Another branch's record is refused before anything about it is checked or told.
      expectError(await req(sec, 'POST', '/patrols', patrol({ branch_id: kzzBranch })), 403, 'forbidden');
      expectError(await req(sec, 'POST', '/outreach', outreach({ branch_id: zltBranch, member_ids: [hlglMember.id] })), 403, 'forbidden');
      expectError(await req(zlt, 'POST', '/patrols', patrol({ member_ids: [99999999] })), 403, 'forbidden');
    });
  });
});
