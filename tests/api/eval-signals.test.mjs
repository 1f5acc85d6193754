// Formalism signals (形式化信号, issue 9) through the real server: the demo's run raised
// copied minutes, a late batch and a burst; each signal lists the records behind it; a
// reviewer marks it 已核实 (with a note) or 属实, audited, at the version seen (409 when
// stale); bad input is 400 with nothing changed; reading and reviewing are scoped (a
// county admin its procuratorate's, a secretary its branch's, a viewer reads only), and a
// county's own run raises the signals of its own branches.
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { login, req, uniq, jobEnd } from './lib.mjs';

const auditOf = async (admin, id) =>
  (await req(admin, 'GET', `/audit?entity=eval-signals&entity_id=${id}&sort=-id&per_page=5`)).json.items;

describe('formalism signals', () => {
  let admin, viewer, county, secretary;
  before(async () => {
    admin = await login('admin');
    viewer = await login('viewer');
    county = await login('zlt-admin');
    secretary = await login('hlgl-sec');
  });

  test('the demo raised copied minutes, perfect attendance, a late batch and a burst, each with its records', async () => {
    const r = await req(admin, 'GET', '/eval/signals?period=2025');
    assert.equal(r.status, 200, r.text);
    const kinds = new Set(r.json.items.map((s) => s.kind));
    for (const k of ['纪要雷同', '全勤异常', '补录', '突击']) assert.ok(kinds.has(k), k);
    assert.ok(r.json.counts['待审核'] >= 4, JSON.stringify(r.json.counts));
    for (const s of r.json.items) {
      assert.ok(s.records.length > 0, s.summary);
      for (const rec of s.records) {
        assert.ok(rec.collection && rec.id > 0 && typeof rec.title === 'string', JSON.stringify(rec));
        assert.match(rec.day, /^(\d{4}-\d{2}-\d{2})?$/);
      }
      assert.equal(s.period, '2025');
      assert.equal(s.sample, true, 'demo data');
      assert.ok(!('detail' in s), 'the list leaves the detail to GET one');
    }
    // 库伦旗: every member at every branch meeting of 2025 (demo/profile.h KUL)
    const perfect = r.json.items.filter((s) => s.kind === '全勤异常');
    assert.deepEqual(perfect.map((s) => s.branch), ['库伦旗人民检察院党支部']);
    const pd = (await req(admin, 'GET', `/eval/signals/${perfect[0].id}`)).json.detail;
    assert.ok(pd.streak >= 6 && pd.p < 0.05, JSON.stringify(pd));
    // a chance too small for four places reads as such, never as 0.0000
    assert.match(perfect[0].summary, Number(pd.p) < 0.00005 ? /概率 小于 0\.0001$/ : /概率 0\.\d{4}$/, perfect[0].summary);
    for (const s of r.json.items) assert.ok(!/概率 0\.0+(）|$)/.test(s.summary), s.summary);
    const months = pd.months.filter((m) => m.expected > 0);
    assert.ok(months.length >= 6 && months.every((m) => m.present === m.expected), JSON.stringify(pd.months));
    const late = r.json.items.find((s) => s.kind === '补录');
    assert.ok(late.records.every((x) => x.lag > 30), 'every record listed is late');
    // filters: kind, status, branch
    const copied = (await req(admin, 'GET', '/eval/signals?period=2025&kind=纪要雷同')).json;
    assert.ok(copied.items.length >= 2 && copied.items.every((s) => s.kind === '纪要雷同'));
    const one = copied.items[0];
    const byBranch = (await req(admin, 'GET', `/eval/signals?branch_id=${one.branch_id}`)).json;
    assert.ok(byBranch.items.every((s) => s.branch_id === one.branch_id));
    // one copied minutes: both texts, the passages found in both
    const g = await req(admin, 'GET', `/eval/signals/${one.id}`);
    assert.equal(g.status, 200, g.text);
    assert.equal(g.json.texts.length, 2);
    assert.ok(Number(g.json.detail.similarity) >= 0.8);
    assert.ok(g.json.detail.passages.length >= 1);
    const [a, b] = g.json.texts.map((t) => Array.from(t.text));
    for (const p of g.json.detail.passages) {
      const inA = a.slice(p.a_char, p.a_char + p.a_chars).join(''), inB = b.slice(p.b_char, p.b_char + p.b_chars).join('');
      assert.equal(inB, p.text);
      assert.equal(inA.replace(/[\s，。、；：（）“”]/g, ''), inB.replace(/[\s，。、；：（）“”]/g, ''));
    }
  });

  test('bad queries and bad reviews are 400 with a field, nothing changed', async () => {
    for (const q of ['period=2025-13', 'status=通过', 'kind=雷同', 'branch_id=x', 'per_page=1000', 'x=1', 'period=2025&period=2024'])
      assert.equal((await req(admin, 'GET', `/eval/signals?${q}`)).status, 400, q);
    assert.equal((await req(admin, 'GET', '/eval/signals/99999999')).status, 404);
    const s = (await req(admin, 'GET', '/eval/signals?period=2025&kind=突击&status=待审核')).json.items[0];
    assert.ok(s, 'a pending burst');
    const bad = [
      [{ note: '说明', version: s.version }, 'decision', 'required'],
      [{ decision: '通过', note: '说明', version: s.version }, 'decision', 'invalid_value'],
      [{ decision: '已核实', version: s.version }, 'note', 'required'],
      [{ decision: '已核实', note: '　 ', version: s.version }, 'note', 'required'],
      [{ decision: '属实', note: 3, version: s.version }, 'note', 'invalid_type'],
      [{ decision: '属实', note: '长'.repeat(501), version: s.version }, 'note', 'too_long'],
      [{ decision: '属实' }, 'version', 'required'],
      [{ decision: '属实', version: 'x' }, 'version', 'invalid_type'],
      [{ decision: '属实', version: s.version, status: '属实' }, 'status', 'unknown_field'],
    ];
    for (const [body, field, code] of bad) {
      const r = await req(admin, 'POST', `/eval/signals/${s.id}/review`, body);
      assert.equal(r.status, 400, JSON.stringify(body) + r.text);
      assert.equal(r.json.error.field, field, JSON.stringify(body));
      assert.equal(r.json.error.code, code, JSON.stringify(body));
      assert.match(r.json.error.message, /[\u4e00-\u9fff]/);
    }
    assert.equal((await req(admin, 'POST', `/eval/signals/${s.id}/review`, '[1]')).status, 400);
    const still = (await req(admin, 'GET', `/eval/signals/${s.id}`)).json;
    assert.equal(still.status, '待审核');
    assert.equal(still.version, s.version);
    assert.equal((await auditOf(admin, s.id)).length, 0, 'no audit entry');
  });

  test('a review: 属实 or 已核实 with a note, audited, at the version seen', async () => {
    const s = (await req(admin, 'GET', '/eval/signals?period=2025&kind=突击&status=待审核')).json.items[0];
    const r = await req(admin, 'POST', `/eval/signals/${s.id}/review`, { decision: '属实', note: '年底集中补录，已提醒', version: s.version });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.status, '属实');
    assert.equal(r.json.version, s.version + 1);
    assert.ok(r.json.reviewed_at);
    assert.equal(r.json.reviewed_by, admin.user.id);
    const a = (await auditOf(admin, s.id))[0];
    assert.equal(a.action, 'review');
    assert.equal(a.before.status, '待审核');
    assert.equal(a.after.status, '属实');
    assert.equal(a.after.note, '年底集中补录，已提醒');
    // the version seen before is stale now: 409, nothing changed
    const stale = await req(admin, 'POST', `/eval/signals/${s.id}/review`, { decision: '已核实', note: '改判', version: s.version });
    assert.equal(stale.status, 409, stale.text);
    assert.equal(stale.json.error.code, 'version_conflict');
    assert.equal((await req(admin, 'GET', `/eval/signals/${s.id}`)).json.status, '属实');
    // 已核实 with a note, at the current version
    const ok = await req(admin, 'POST', `/eval/signals/${s.id}/review`, { decision: '已核实', note: '核对原始记录，确为按时开展', version: s.version + 1 });
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.json.status, '已核实');
    assert.equal((await auditOf(admin, s.id)).length, 2);
    // the list counts it as reviewed
    const reviewed = (await req(admin, 'GET', '/eval/signals?period=2025&status=已核实')).json.items;
    assert.ok(reviewed.some((x) => x.id === s.id));
  });

  test('scope: viewer reads all and reviews nothing; a county its own; a secretary its branch', async () => {
    const all = (await req(admin, 'GET', '/eval/signals?per_page=200')).json;
    const seen = (await req(viewer, 'GET', '/eval/signals?per_page=200')).json;
    assert.equal(seen.total, all.total);
    const target = all.items.find((s) => s.status === '待审核');
    const vr = await req(viewer, 'POST', `/eval/signals/${target.id}/review`, { decision: '属实', version: target.version });
    assert.equal(vr.status, 403, vr.text);
    // the county reads only its procuratorate's: another's is 404 to read and to review
    const mine = (await req(county, 'GET', '/eval/signals?per_page=200')).json;
    assert.ok(mine.items.every((s) => s.procuratorate_id === county.user.procuratorate_id));
    const other = all.items.find((s) => s.procuratorate_id !== county.user.procuratorate_id && s.status === '待审核');
    assert.equal((await req(county, 'GET', `/eval/signals/${other.id}`)).status, 404);
    const cr = await req(county, 'POST', `/eval/signals/${other.id}/review`, { decision: '属实', version: other.version });
    assert.equal(cr.status, 404, cr.text);
    // the secretary reads only its branch's (the demo's self-copied minutes are there), reviews none
    const own = (await req(secretary, 'GET', '/eval/signals?per_page=200')).json;
    assert.ok(own.items.length >= 1, 'the 霍林郭勒 branch has a signal');
    assert.ok(own.items.every((s) => s.branch_id === secretary.user.branch_id));
    const notOwn = all.items.find((s) => s.branch_id !== secretary.user.branch_id);
    assert.equal((await req(secretary, 'GET', `/eval/signals/${notOwn.id}`)).status, 404);
    const sr = await req(secretary, 'POST', `/eval/signals/${own.items[0].id}/review`, { decision: '属实', version: own.items[0].version });
    assert.equal(sr.status, 403, sr.text);
    assert.equal((await req(secretary, 'GET', `/eval/signals/${own.items[0].id}`)).json.status, own.items[0].status);
    // a cross-procuratorate copy: the other meeting's text is not shown to a county reader
    const g = (await req(secretary, 'GET', `/eval/signals/${own.items[0].id}`)).json;
    for (const t of g.texts ?? []) assert.ok(t.text !== null || t.hidden);
  });

  test('a county’s run raises its own branch’s copied minutes, which its admin reviews', async () => {
    const branch = (await req(county, 'GET', `/branches?procuratorate_id=${county.user.procuratorate_id}`)).json.items[0];
    const text = `2025年6月${uniq().length % 20 + 1}日，支部召开党员大会。集中学习了党章第三章，围绕扎鲁特旗检察工作如何服务牧区群众展开讨论，` +
      '通报本季度办结审查起诉案件二十一件，其中党员主办十五件，并对下半年公益诉讼草原生态保护线索排查作出部署，' +
      '会议要求各党小组逐件过筛未结案件，确保按期办结。' + uniq();
    const a1 = await req(county, 'POST', '/activities', { branch_id: branch.id, kind: '支部党员大会', held_on: '2025-06-18', topic: '学习党章', minutes: text });
    assert.equal(a1.status, 201, a1.text);
    const a2 = await req(county, 'POST', '/activities', { branch_id: branch.id, kind: '支部党员大会', held_on: '2025-09-18', topic: '学习党章', minutes: text.replace('6月', '9月') });
    assert.equal(a2.status, 201, a2.text);
    const schemes = (await req(county, 'GET', '/eval-schemes?per_page=100')).json.items;
    const demo = schemes.find((s) => s.edition === 1 && s.used && s.name.startsWith('通辽'));
    const job = await req(county, 'POST', '/jobs', { kind: 'eval', scheme_id: demo.id, period: '2025' });
    assert.equal(job.status, 202, job.text);
    const done = await jobEnd(county, job.json.id);
    assert.equal(done.status, 'done', JSON.stringify(done));
    const sigs = (await req(county, 'GET', `/eval/signals?period=2025&kind=纪要雷同&branch_id=${branch.id}`)).json.items;
    const s = sigs.find((x) => x.records.some((r) => r.id === a2.json.id) && x.records.some((r) => r.id === a1.json.id));
    assert.ok(s, JSON.stringify(sigs));
    assert.equal(s.records[1].id, a2.json.id, 'the later meeting copied the earlier');
    const detect = (await req(admin, 'GET', '/audit?entity=eval-signals&action=detect&sort=-id&per_page=20')).json.items;
    assert.ok(detect.some((e) => e.after.period === '2025'), 'the detection is audited');
    const r = await req(county, 'POST', `/eval/signals/${s.id}/review`, { decision: '已核实', note: '两次会议议题相同，纪要沿用模板，已要求如实记录', version: s.version });
    assert.equal(r.status, 200, r.text);
    // the city's admin sees the county's decision
    assert.equal((await req(admin, 'GET', `/eval/signals/${s.id}`)).json.status, '已核实');
  });
});
