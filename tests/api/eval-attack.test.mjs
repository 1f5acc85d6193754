// Hostile input to the evaluation's endpoints: each test is a case that once broke
// (a lost audit entry, evidence of blank space, a doubled word in a message).
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { login, req, uniq, jobEnd } from './lib.mjs';

const octet = { 'Content-Type': 'application/octet-stream' };

/** Poll job "id" until it is over. */
// an indicator name of 100 four-byte characters (CJK Extension B): the longest an
// eval-manual-values row takes, 400 bytes
const LONG = '\u{20000}'.repeat(100);

// one dimension: the hand-entered indicator beside one computed from the ledgers
const SCHEME = (name) => `[方案]
名称 = ${name}
[维度 政治]
权重 = 100
分组 = 党建
[指标 出勤]
适用 = 党支部、党员
维度 = 政治
权重 = 40
公式 = 党员出勤率
计分 = 线性(值, 60%, 100%)
[指标 ${LONG}]
适用 = 党支部、党员
维度 = 政治
权重 = 60
手工录入 = 是
计分 = 值
`;

describe('evaluation under attack', () => {
  let admin, county, scheme, members;
  before(async () => {
    admin = await login('admin');
    county = await login('zlt-admin');
    const name = uniq('攻击方案');
    const s = await req(admin, 'POST', '/eval-schemes', { procuratorate_id: admin.user.procuratorate_id, name, text: SCHEME(name) });
    assert.equal(s.status, 201, s.text);
    scheme = s.json.id;
    members = (await req(county, 'GET', '/members?per_page=10')).json.items;
    assert.ok(members.length >= 3);
  });

  const value = (member, extra = {}) => ({
    scheme_id: scheme, indicator: LONG, period: '2025', value: '88.5', evidence_note: '述职评议记录',
    subject_kind: 'member', subject_id: member.id, ...extra,
  });

  test('approving a value whose indicator has a 400-byte name audits what was approved', async () => {
    const made = await req(admin, 'POST', '/eval-manual-values', value(members[0]));
    assert.equal(made.status, 201, made.text);
    assert.equal(made.json.indicator, LONG);
    const ok = await req(county, 'POST', `/eval-manual-values/${made.json.id}/approve`);
    assert.equal(ok.status, 200, ok.text);
    const audit = (await req(admin, 'GET', `/audit?entity=eval-manual-values&entity_id=${made.json.id}&sort=-id&per_page=1`)).json.items[0];
    assert.equal(audit.action, 'approve');
    assert.ok(audit.after, 'the entry says what was approved');
    assert.equal(audit.after.status, '已通过');
    assert.equal(audit.after.indicator, LONG);
    assert.equal(audit.after.value, '88.5');
    // decided already: a plain message (no doubled word), 409, nothing changed
    const again = await req(county, 'POST', `/eval-manual-values/${made.json.id}/reject`);
    assert.equal(again.status, 409, again.text);
    assert.equal(again.json.error.code, 'not_pending');
    assert.equal(again.json.error.message, '该分值已审核（已通过），不能再审核');
    assert.equal((await req(admin, 'GET', `/eval-manual-values/${made.json.id}`)).json.status, '已通过');
  });

  test('a refusal quoting a 400-byte indicator name still says why: the name clipped, the reason whole', async () => {
    const before = (await req(admin, 'GET', `/eval-manual-values?scheme_id=${scheme}&per_page=1`)).json.total;
    const procs = (await req(admin, 'GET', '/procuratorates?per_page=1')).json.items;
    const r = await req(admin, 'POST', '/eval-manual-values', value(members[1], { subject_kind: 'procuratorate', subject_id: procs[0].id }));
    assert.equal(r.status, 422, r.text);
    assert.equal(r.json.error.code, 'not_applicable');
    assert.equal(r.json.error.message, `指标“${'\u{20000}'.repeat(20)}…”不适用于检察院（适用：党支部、党员）`);
    const missing = await req(admin, 'POST', '/eval-manual-values', value(members[1], { indicator: '\u{20001}'.repeat(100) }));
    assert.equal(missing.status, 422, missing.text);
    assert.match(missing.json.error.message, /中没有指标“\u{20001}{20}…”$/u);
    assert.equal((await req(admin, 'GET', `/eval-manual-values?scheme_id=${scheme}&per_page=1`)).json.total, before);
  });

  test('evidence of white space only is no evidence: 400 required, nothing written', async () => {
    const before = (await req(admin, 'GET', `/eval-manual-values?scheme_id=${scheme}&per_page=1`)).json.total;
    for (const note of ['   ', '\u3000\u3000', ' \t\n', '\u00a0']) {
      const r = await req(admin, 'POST', '/eval-manual-values', value(members[1], { evidence_note: note }));
      assert.equal(r.status, 400, `${JSON.stringify(note)}: ${r.text}`);
      assert.equal(r.json.error.code, 'required');
      assert.equal(r.json.error.field, 'evidence_note');
      assert.match(r.json.error.message, /佐证/);
    }
    assert.equal((await req(admin, 'GET', `/eval-manual-values?scheme_id=${scheme}&per_page=1`)).json.total, before);
    // and a change to blank evidence is refused the same
    const made = await req(admin, 'POST', '/eval-manual-values', value(members[2]));
    assert.equal(made.status, 201, made.text);
    const blank = await req(admin, 'PATCH', `/eval-manual-values/${made.json.id}`, { version: made.json.version, evidence_note: '\u3000' });
    assert.equal(blank.status, 400, blank.text);
    assert.equal(blank.json.error.code, 'required');
    assert.equal((await req(admin, 'GET', `/eval-manual-values/${made.json.id}`)).json.evidence_note, '述职评议记录');
  });

  test('a running import cancelled writes nothing, a second cancel is 409 job_finished (not audited), and the file imports again whole', async () => {
    // hand values of the first 20 members for every year, quarter and month of 2030–2099 (none entered by the tests above)
    const periods = [];
    for (let y = 2030; y < 2100; y++) {
      periods.push(String(y));
      for (let q = 1; q <= 4; q++) periods.push(`${y}-Q${q}`);
      for (let m = 1; m <= 12; m++) periods.push(`${y}-${String(m).padStart(2, '0')}`);
    }
    const who = (await req(admin, 'GET', `/members?procuratorate_id=${county.user.procuratorate_id}&per_page=20`)).json.items;
    const lines = ['评价对象类型,评价对象,考评方案,指标,期间,分值,佐证说明'];
    for (const m of who.slice(0, 13)) for (const p of periods) lines.push(`member,${m.id},${scheme},${LONG},${p},60,说明`);
    const file = lines.join('\r\n') + '\r\n';
    const count = async () => (await req(admin, 'GET', `/eval-manual-values?scheme_id=${scheme}&per_page=1`)).json.total;
    const before = await count();
    const up = await req(county, 'POST', '/jobs/upload?kind=import&collection=eval-manual-values', file, octet);
    assert.equal(up.status, 202, up.text);
    const id = up.json.id;
    for (;;) {
      const j = (await req(county, 'GET', `/jobs/${id}`)).json;
      assert.equal(j.status === 'done', false, 'cancelled while it ran');
      if (j.status === 'running' && j.done > 0) break;
      await new Promise((ok) => setTimeout(ok, 10));
    }
    const stop = await req(county, 'POST', `/jobs/${id}/cancel`);
    assert.equal(stop.status, 200, stop.text);
    assert.equal((await jobEnd(county, id, 120000)).status, 'cancelled');
    assert.equal(await count(), before, 'nothing written');
    const cancels = async () => (await req(admin, 'GET', `/audit?entity=jobs&entity_id=${id}&action=cancel&per_page=1`)).json.total;
    const audited = await cancels();
    const again = await req(county, 'POST', `/jobs/${id}/cancel`);
    assert.equal(again.status, 409, again.text);
    assert.equal(again.json.error.code, 'job_finished');
    assert.equal(await cancels(), audited, 'a refused cancel is not audited');
    const second = await req(county, 'POST', '/jobs/upload?kind=import&collection=eval-manual-values', file, octet);
    assert.equal(second.status, 202, second.text);
    const done = await jobEnd(county, second.json.id, 120000);
    assert.equal(done.status, 'done', JSON.stringify(done));
    assert.equal(done.result.written, lines.length - 1, JSON.stringify(done.result).slice(0, 600));
    assert.equal(await count(), before + lines.length - 1);
  });

  test('a review note of 500 four-byte characters, sent as JSON \\u escapes (12 bytes each), is taken; 501 are 400 too_long', async () => {
    const signal = (await req(admin, 'GET', '/eval/signals?period=2025&kind=全勤异常&status=待审核&per_page=1')).json.items[0];
    // 全勤异常: the signal no other file reviews (eval-signals.test.mjs reviews the burst and the copied minutes)
    assert.ok(signal, 'the demo raises signals');
    const escaped = (o) => JSON.stringify(o).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    const json = { 'Content-Type': 'application/json' };
    const long = await req(admin, 'POST', `/eval/signals/${signal.id}/review`, escaped({ decision: '已核实', note: '😀'.repeat(501), version: signal.version }), json);
    assert.equal(long.status, 400, long.text);
    assert.equal(long.json.error.code, 'too_long');
    const body = escaped({ decision: '已核实', note: '😀'.repeat(500), version: signal.version });
    assert.ok(body.length > 6000, 'past the 4 KiB of a login');
    const ok = await req(admin, 'POST', `/eval/signals/${signal.id}/review`, body, json);
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.json.note, '😀'.repeat(500));
    assert.equal(ok.json.status, '已核实');
  });

  test('honours take no paging: the refusal names the parameter given', async () => {
    for (const [q, field] of [['sort=rank_city', 'sort'], ['per_page=10', 'per_page'], ['page=2', 'page'], ['sort=rank_proc&page=1', 'sort']]) {
      const r = await req(admin, 'GET', `/eval/honours?period=2025&${q}`);
      assert.equal(r.status, 400, `${q}: ${r.text}`);
      assert.equal(r.json.error.code, 'bad_query');
      assert.equal(r.json.error.field, field, q);
      assert.equal(r.json.error.message, `荣誉评定列出范围内的全部党组织，不分页也不另行排序（查询参数 ${field} 不适用）`);
    }
  });

  test('an approval names the version the approver saw: a value changed since is 409 version_conflict and stays 待审核', async () => {
    const made = await req(admin, 'POST', '/eval-manual-values', value(members[3], { value: '50' }));
    assert.equal(made.status, 201, made.text);
    const seen = made.json.version;
    // changed after the approver opened it
    const changed = await req(admin, 'PATCH', `/eval-manual-values/${made.json.id}`, { version: seen, value: '100' });
    assert.equal(changed.status, 200, changed.text);
    for (const action of ['approve', 'reject']) {
      const stale = await req(county, 'POST', `/eval-manual-values/${made.json.id}/${action}`, { version: seen });
      assert.equal(stale.status, 409, stale.text);
      assert.equal(stale.json.error.code, 'version_conflict');
      assert.match(stale.json.error.message, /请刷新后再审核/);
    }
    const now = (await req(admin, 'GET', `/eval-manual-values/${made.json.id}`)).json;
    assert.equal(now.status, '待审核');
    assert.equal(now.value, '100');
    for (const [body, code] of [[{ version: '1' }, 'invalid_type'], [{ version: 0 }, 'invalid_type'], [{ status: '已通过' }, 'unknown_field']]) {
      const bad = await req(county, 'POST', `/eval-manual-values/${made.json.id}/approve`, body);
      assert.equal(bad.status, 400, bad.text);
      assert.equal(bad.json.error.code, code);
    }
    const ok = await req(county, 'POST', `/eval-manual-values/${made.json.id}/approve`, { version: now.version });
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.json.status, '已通过');
    // without a body, as before: the value as it stands
    const other = await req(admin, 'POST', '/eval-manual-values', value(members[4]));
    assert.equal((await req(county, 'POST', `/eval-manual-values/${other.json.id}/reject`)).status, 200);
  });
});
