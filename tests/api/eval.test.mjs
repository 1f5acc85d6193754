// The evaluation (issue 9) through the real server: schemes checked as one types and
// versioned (a used scheme is frozen: 409), a run as a background job, the ranking and
// one branch's explanation (every number a decimal string that recomputes), the measures
// and the records behind them, data scope and roles, the audit entry of a run, and the
// same numbers from a second run of the same data.
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { login, req, uniq, lastAudit, cli, DB, BASE, BIN, jobEnd } from './lib.mjs';
import ExcelJS from 'exceljs';
import { writeFileSync, mkdtempSync, existsSync, copyFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';

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
维度 = 政治
权重 = 100
公式 = 党员出勤率
计分 = 线性(值, 60%, 100%)

[指标 办结]
维度 = 业务
权重 = 100
公式 = 办结案件数
计分 = 目标(值, 20)
`;

async function runJob(session, scheme_id, period) {
  const r = await req(session, 'POST', '/jobs', { kind: 'eval', scheme_id, period });
  assert.equal(r.status, 202, r.text);
  return jobEnd(session, r.json.id);
}

/** a decimal string with "places" digits after the point */
const decimal = (s, places) => assert.match(s, new RegExp(`^-?\\d+\\.\\d{${places}}$`), String(s));
const round = (x, p) => Math.round((x + Number.EPSILON) * 10 ** p) / 10 ** p;

describe('evaluation', () => {
  let admin, viewer, county, secretary, city;
  before(async () => {
    admin = await login('admin');
    viewer = await login('viewer');
    county = await login('zlt-admin');
    secretary = await login('hlgl-sec');
    city = admin.user.procuratorate_id;
  });

  test('the demo has a scheme, a run of 2025, and 15 ranked branches', async () => {
    const r = await req(viewer, 'GET', '/eval/results?period=2025');
    assert.equal(r.status, 200, r.text);
    assert.ok(r.json.run, 'a run of 2025');
    assert.equal(r.json.items.length, 15);
    const ranks = r.json.items.map((i) => i.rank_city);
    assert.deepEqual(ranks, [...ranks].sort((a, b) => a - b), 'in rank order');
    assert.equal(ranks[0], 1);
    for (let i = 1; i < r.json.items.length; i++)
      assert.ok(r.json.items[i - 1].total >= r.json.items[i].total, 'totals descend with rank');
    const procs = await req(viewer, 'GET', '/eval/results?period=2025&kind=procuratorate');
    assert.equal(procs.json.items.length, 9);
    // 2024 was run first: 2025's ranks move
    assert.ok(r.json.items.some((i) => ['上升', '下降', '持平'].includes(i.movement)), 'movement since 2024');
  });

  test('an explanation recomputes: indicators → dimensions → total, each a decimal string', async () => {
    const list = (await req(viewer, 'GET', '/eval/results?period=2025')).json.items;
    const top = list[0];
    const e = await req(viewer, 'GET', `/eval/explain?branch_id=${top.subject_id}&period=2025`);
    assert.equal(e.status, 200, e.text);
    const x = e.json;
    assert.equal(x.subject.name, top.name);
    decimal(x.total, 2);
    assert.equal(Number(x.total), top.total, 'the ranking shows the explanation’s total');
    // the total is Σ contribution of the dimensions
    const sum = x.dimensions.reduce((s, d) => s + Number(d.contribution), 0);
    assert.ok(Math.abs(sum - Number(x.total)) < 0.01, `Σ dimensions ${sum} = total ${x.total}`);
    for (const d of x.dimensions) {
      const ind = x.indicators.filter((i) => i.dimension === d.name && !i.missing && !i.pending);
      const s = ind.reduce((a, i) => a + Number(i.contribution), 0);
      if (d.score !== null) assert.ok(Math.abs(s - Number(d.score)) < 0.01, `${d.name}: Σ indicators ${s} = ${d.score}`);
    }
    for (const i of x.indicators.filter((i) => i.formula)) {
      assert.ok(i.formula_values.length > 0 && i.rule_values.length > 0, i.name);
      for (const m of i.inputs) {
        if (m.value === null) continue;
        decimal(m.value, 4);
        if (m.den !== null && Number(m.den) > 0)
          assert.equal(Number(m.value).toFixed(4), (Number(m.num) / Number(m.den)).toFixed(4), `${m.measure} = num/den`);
      }
    }
    for (const i of x.indicators.filter((i) => i.manual)) assert.ok(i.pending || i.value !== null, `${i.name}: approved (a value) or 待审核`);
    assert.equal(x.resonance.months.length, 12);
    assert.equal(x.resonance.party.length, 12);
    if (!x.resonance.missing) assert.ok(Number(x.resonance.lo) <= Number(x.resonance.rho) && Number(x.resonance.rho) <= Number(x.resonance.hi));
    // each series is the sum of its parts, month by month (what a calculator would add)
    for (const [side, series] of [['党建', x.resonance.party], ['业务', x.resonance.business]]) {
      const parts = x.resonance.parts.filter((p) => p.side === side);
      assert.ok(parts.length >= 1, side);
      series.forEach((v, k) => assert.equal(Number(v), parts.reduce((a, p) => a + Number(p.values[k]), 0), `${side} ${x.resonance.months[k]}`));
    }
    assert.equal(x.ranks.city, 1);
    assert.ok(Array.isArray(x.honours) && x.honours.length > 0);
    // the records behind an input
    const input = x.indicators.find((i) => i.inputs?.length)?.inputs[0];
    const recs = await req(viewer, 'GET', `/eval/records?branch_id=${top.subject_id}&period=2025&measure=${encodeURIComponent(input.measure)}`);
    assert.equal(recs.status, 200, recs.text);
    assert.ok(Array.isArray(recs.json.items));
  });

  test('schemes: checked as one types, versioned by name, frozen once used', async () => {
    const bad = await req(admin, 'POST', '/eval/check', { text: SCHEME('检查').replace('公式 = 党员出勤率', '公式 = 党员出勤律') });
    assert.equal(bad.status, 200);
    assert.equal(bad.json.ok, false);
    assert.equal(bad.json.errors[0].line, 16);
    assert.match(bad.json.errors[0].message, /^第 16 行第 6 列：未知指标 "党员出勤律"，是否指 "党员出勤率"？/);
    const good = await req(viewer, 'POST', '/eval/check', { text: SCHEME('检查') });
    assert.equal(good.json.ok, true, good.text);
    assert.equal((await req(admin, 'POST', '/eval/check', { text: 1 })).status, 400);
    assert.equal((await req(admin, 'POST', '/eval/check', '{"text":')).status, 400);

    const name = uniq('方案');
    const r1 = await req(admin, 'POST', '/eval-schemes', { procuratorate_id: city, name, text: SCHEME(name) });
    assert.equal(r1.status, 201, r1.text);
    assert.equal(r1.json.edition, 1);
    assert.equal(r1.json.used, false);
    const r2 = await req(admin, 'POST', '/eval-schemes', { procuratorate_id: city, name, text: SCHEME(name) });
    assert.equal(r2.json.edition, 2, 'the same name: the next edition');
    const broken = await req(admin, 'POST', '/eval-schemes', { procuratorate_id: city, name, text: '[方案]\n名称 = x\n[指标 a]\n' });
    assert.equal(broken.status, 400);
    assert.equal(broken.json.error.code, 'bad_scheme');
    assert.equal((await req(viewer, 'POST', '/eval-schemes', { procuratorate_id: city, name, text: SCHEME(name) })).status, 403);
    assert.equal((await req(secretary, 'POST', '/eval-schemes', { procuratorate_id: city, name, text: SCHEME(name) })).status, 403);

    // unused: may be edited; once a run used it: 409, and it may not be deleted
    const edit = await req(admin, 'PATCH', `/eval-schemes/${r1.json.id}`, { version: r1.json.version, note: '改' });
    assert.equal(edit.status, 200, edit.text);
    const job = await runJob(admin, r1.json.id, '2025-Q2');
    assert.equal(job.status, 'done', JSON.stringify(job));
    const used = (await req(admin, 'GET', `/eval-schemes/${r1.json.id}`)).json;
    assert.equal(used.used, true);
    const frozen = await req(admin, 'PATCH', `/eval-schemes/${r1.json.id}`, { version: used.version, text: SCHEME(name) + '\n# 改\n' });
    assert.equal(frozen.status, 409, frozen.text);
    assert.equal(frozen.json.error.code, 'scheme_used');
    const del = await req(admin, 'DELETE', `/eval-schemes/${r1.json.id}?version=${used.version}`);
    assert.equal(del.status, 409, del.text);
    // the run is audited (its signals are audited after it: tests/api/eval-signals)
    const a = (await req(admin, 'GET', '/audit?entity=eval-runs&per_page=1&sort=-id')).json.items[0];
    assert.equal(a.entity, 'eval-runs');
    assert.equal(a.action, 'run');
  });

  test('a run: by administrators only, refused periods, the same numbers twice', async () => {
    const schemes = (await req(admin, 'GET', '/eval-schemes?per_page=100')).json.items;
    const demo = schemes.find((s) => s.edition === 1 && s.used && s.name.startsWith('通辽'));
    assert.ok(demo, 'the demo scheme');
    assert.equal((await req(viewer, 'POST', '/jobs', { kind: 'eval', scheme_id: demo.id, period: '2025' })).status, 403);
    assert.equal((await req(secretary, 'POST', '/jobs', { kind: 'eval', scheme_id: demo.id, period: '2025' })).status, 403);
    for (const period of ['2025-13', '2025-Q5', '25', '2025-1', '1999', '2025-Q1x', ''])
      assert.equal((await req(admin, 'POST', '/jobs', { kind: 'eval', scheme_id: demo.id, period })).status, 400, period);
    assert.equal((await req(admin, 'POST', '/jobs', { kind: 'eval', scheme_id: 0, period: '2025' })).status, 400);
    // a scheme that is not there: refused when asked, not queued to fail later
    const jobsBefore = (await req(admin, 'GET', '/jobs?kind=eval&per_page=1')).json.total;
    assert.equal(typeof jobsBefore, 'number');
    const gone = await req(admin, 'POST', '/jobs', { kind: 'eval', scheme_id: 987654, period: '2025' });
    assert.equal(gone.status, 422, gone.text);
    assert.equal(gone.json.error.code, 'invalid_reference');
    assert.equal(gone.json.error.field, 'scheme_id');
    assert.match(gone.json.error.message, /考评方案不存在/);
    assert.equal((await req(admin, 'GET', '/jobs?kind=eval&per_page=1')).json.total, jobsBefore, 'no job queued');
    assert.equal((await req(admin, 'POST', '/jobs', { kind: 'eval', scheme_id: demo.id, period: '2025', x: 1 })).status, 400);

    // two runs of the same data (other tests may have written since the demo's run)
    assert.equal((await runJob(admin, demo.id, '2025')).status, 'done');
    const before = (await req(admin, 'GET', '/eval/results?period=2025')).json;
    const one = await req(admin, 'GET', `/eval/explain?branch_id=${before.items[3].subject_id}&period=2025`);
    const job = await runJob(admin, demo.id, '2025');
    assert.equal(job.status, 'done', JSON.stringify(job));
    assert.equal(job.result.ranking.length, 15);
    const after = (await req(admin, 'GET', '/eval/results?period=2025')).json;
    assert.ok(after.run.id > before.run.id);
    const strip = (items) => items.map(({ stale, ...rest }) => rest);
    assert.deepEqual(strip(after.items), strip(before.items), 'the same data and scheme: the same results');
    const two = await req(admin, 'GET', `/eval/explain?branch_id=${before.items[3].subject_id}&period=2025`);
    const drop = ({ run, stale, ...rest }) => rest;
    assert.deepEqual(drop(two.json), drop(one.json), 'the same explanation, number for number');
  });

  test('a change of a ledger record marks the results that used it stale until the next run', async () => {
    const res = (await req(admin, 'GET', '/eval/results?period=2025')).json.items;
    assert.ok(res.every((i) => !i.stale));
    const target = res.find((i) => i.name.includes('科尔沁区') && i.name.includes('第二'));
    const other = res.find((i) => i.procuratorate_id !== target.procuratorate_id);
    const a = await req(admin, 'POST', '/activities', { branch_id: target.subject_id, kind: '主题党日', held_on: '2025-06-18', topic: uniq('过期测试') });
    assert.equal(a.status, 201, a.text);
    const now = (await req(admin, 'GET', '/eval/results?period=2025')).json.items;
    assert.equal(now.find((i) => i.subject_id === target.subject_id).stale, true);
    assert.equal(now.find((i) => i.subject_id === other.subject_id).stale, false, 'another procuratorate’s results stay');
    const procs = (await req(admin, 'GET', '/eval/results?period=2025&kind=procuratorate')).json.items;
    assert.equal(procs.find((i) => i.subject_id === target.procuratorate_id).stale, true, 'and its procuratorate’s');
    const e = await req(admin, 'GET', `/eval/explain?branch_id=${target.subject_id}&period=2025`);
    assert.equal(e.json.stale, true);
    const scheme = (await req(admin, 'GET', '/eval/results?period=2025')).json.run.scheme.id;
    assert.equal((await runJob(admin, scheme, '2025')).status, 'done');
    const fresh = (await req(admin, 'GET', '/eval/results?period=2025')).json.items;
    assert.ok(fresh.every((i) => !i.stale), 'recomputed: fresh again');
  });

  test('a hand value counts only once a second person approved it, with evidence', async () => {
    const scheme = (await req(admin, 'GET', '/eval/results?period=2025')).json.run.scheme;
    const branch = secretary.user.branch_id;
    assert.ok(branch, 'the secretary’s branch');
    const body = { branch_id: branch, scheme_id: scheme.id, indicator: '述职评议', period: '2025-Q2', value: '92.5', evidence_note: '2025 年第二季度述职评议会记录' };
    for (const [change, code, status] of [[{ value: '101' }, 'invalid_value', 400], [{ value: '9x' }, 'invalid_value', 400],
      [{ evidence_note: null }, 'required', 400], [{ indicator: '三会一课完成率' }, 'not_manual', 422],
      [{ indicator: '没有' }, 'invalid_reference', 422], [{ period: '2025-13' }, 'bad_period', 400]]) {
      const r = await req(secretary, 'POST', '/eval-manual-values', { ...body, ...change });
      assert.equal(r.status, status, `${JSON.stringify(change)}: ${r.text}`);
      assert.equal(r.json.error.code, code);
    }
    const made = await req(secretary, 'POST', '/eval-manual-values', body);
    assert.equal(made.status, 201, made.text);
    assert.equal(made.json.status, '待审核');
    const pending = async () => (await req(admin, 'GET', `/eval/explain?branch_id=${branch}&period=2025-Q2`)).json.indicators.find((i) => i.name === '述职评议');
    await runJob(admin, scheme.id, '2025-Q2');
    assert.equal((await pending()).pending, true, 'not approved: 待审核, not counted');
    // the one who entered it, or a secretary, may not approve it; another administrator may
    assert.equal((await req(secretary, 'POST', `/eval-manual-values/${made.json.id}/approve`)).status, 403);
    const own = await req(admin, 'POST', '/eval-manual-values', { ...body, period: '2025-Q4' });
    assert.equal(own.status, 201, own.text);
    const self = await req(admin, 'POST', `/eval-manual-values/${own.json.id}/approve`);
    assert.equal(self.status, 403, self.text);
    assert.equal(self.json.error.code, 'same_person');
    const ok = await req(admin, 'POST', `/eval-manual-values/${made.json.id}/approve`);
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.json.status, '已通过');
    assert.equal((await req(admin, 'POST', `/eval-manual-values/${made.json.id}/approve`)).status, 409, 'once');
    const a = await lastAudit(admin);
    assert.equal(a.action, 'approve');
    await runJob(admin, scheme.id, '2025-Q2');
    const counted = await pending();
    assert.equal(counted.pending, false);
    assert.equal(counted.value, '92.5000');
    // approved, it counts: the one who entered it may not take it out alone
    const approved = (await req(secretary, 'GET', `/eval-manual-values/${made.json.id}`)).json;
    const del = await req(secretary, 'DELETE', `/eval-manual-values/${made.json.id}?version=${approved.version}`);
    assert.equal(del.status, 403, del.text);
    assert.equal((await req(secretary, 'GET', `/eval-manual-values/${made.json.id}`)).status, 200, 'still there');
    // changed: waits for approval again
    const rec = (await req(secretary, 'GET', `/eval-manual-values/${made.json.id}`)).json;
    const ch = await req(secretary, 'PATCH', `/eval-manual-values/${made.json.id}`, { version: rec.version, value: '80' });
    assert.equal(ch.status, 200, ch.text);
    assert.equal(ch.json.status, '待审核');
    assert.equal(ch.json.approved_by, null);
    // the admin's own value, approved by a second administrator: its enterer may not delete
    // it, the second administrator may
    const approver = uniq('eval-approver-');
    const other = await req(admin, 'POST', '/users', { username: approver, display_name: '第二审核人', password: 'Approve-Eval-2025!', role: 'admin', procuratorate_id: admin.user.procuratorate_id });
    assert.equal(other.status, 201, other.text);
    const second = await login(approver, 'Approve-Eval-2025!');
    assert.equal((await req(second, 'POST', `/eval-manual-values/${own.json.id}/approve`)).status, 200);
    const ownNow = (await req(admin, 'GET', `/eval-manual-values/${own.json.id}`)).json;
    const selfDel = await req(admin, 'DELETE', `/eval-manual-values/${own.json.id}?version=${ownNow.version}`);
    assert.equal(selfDel.status, 403, selfDel.text);
    assert.equal(selfDel.json.error.code, 'same_person');
    assert.match(selfDel.json.error.message, /录入人以外/);
    const otherDel = await req(second, 'DELETE', `/eval-manual-values/${own.json.id}?version=${ownNow.version}`);
    assert.ok(otherDel.status === 200 || otherDel.status === 204, otherDel.text);
    assert.equal((await lastAudit(admin)).action, 'delete');
    // waiting again after the change: whoever entered it withdraws it
    const withdrawn = await req(secretary, 'DELETE', `/eval-manual-values/${made.json.id}?version=${ch.json.version}`);
    assert.ok(withdrawn.status === 200 || withdrawn.status === 204, withdrawn.text);
  });

  test('scope: a county reads its own procuratorate’s results, not another’s', async () => {
    const mine = (await req(county, 'GET', '/eval/results?period=2025')).json.items;
    assert.ok(mine.length >= 1);
    assert.ok(mine.every((i) => i.procuratorate_id === county.user.procuratorate_id));
    const all = (await req(admin, 'GET', '/eval/results?period=2025')).json.items;
    const other = all.find((i) => i.procuratorate_id !== county.user.procuratorate_id);
    assert.equal((await req(county, 'GET', `/eval/explain?branch_id=${other.subject_id}&period=2025`)).status, 404);
    assert.equal((await req(county, 'GET', `/eval/values?branch_id=${other.subject_id}&period=2025`)).status, 404);
    assert.equal((await req(county, 'GET', `/eval/values?branch_id=${mine[0].subject_id}&period=2025`)).status, 200);
    assert.equal((await req(null, 'GET', '/eval/results?period=2025')).status, 401);
    // a county administrator's run computes its own branches; the city's ranking stays whole
    const scheme = (await req(admin, 'GET', '/eval/results?period=2025')).json.run.scheme.id;
    const job = await runJob(county, scheme, '2025');
    assert.equal(job.status, 'done', JSON.stringify(job));
    assert.ok(job.result.ranking.length >= 1 && job.result.ranking.length < 15);
    assert.equal((await req(admin, 'GET', '/eval/results?period=2025')).json.items.length, 15, 'the city still sees its whole ranking');
    const theirs = await req(county, 'GET', '/eval/results?period=2025');
    assert.equal(theirs.json.run.id, job.result.run_id, 'the county reads its own newest run');
  });

  test('results export to XLSX: the ranking and every indicator, scoped, audited', async () => {
    const get = async (s, q) => {
      const r = await fetch(`${BASE}/api/v1/eval/results/export?${q}`, { headers: s ? { Cookie: s.cookie } : {} });
      return { status: r.status, headers: r.headers, body: Buffer.from(await r.arrayBuffer()) };
    };
    const sheets = async (buf) => {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(buf);
      return wb.worksheets.map((ws) => {
        const rows = [];
        ws.eachRow({ includeEmpty: false }, (row) => rows.push(row.values.slice(1)));
        return { name: ws.name, rows };
      });
    };
    const list = (await req(viewer, 'GET', '/eval/results?period=2025&kind=branch')).json.items;
    const r = await get(viewer, 'period=2025&kind=branch');
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /spreadsheetml/);
    assert.match(r.headers.get('content-disposition'), /filename\*=UTF-8''/);
    const [ranking, indicators] = await sheets(r.body);
    assert.equal(ranking.name, '考评结果');
    assert.deepEqual(ranking.rows[0].slice(0, 6), ['全市名次', '同级名次', '本院名次', '类别', '名称', '总分']);
    assert.equal(ranking.rows.length, list.length + 1);
    for (let i = 0; i < list.length; i++) {
      assert.equal(ranking.rows[i + 1][4], list[i].name);
      assert.equal(ranking.rows[i + 1][0], list[i].rank_city);
      assert.equal(Number(ranking.rows[i + 1][5]).toFixed(2), Number(list[i].total).toFixed(2));
    }
    assert.equal(indicators.name, '指标得分');
    const top = (await req(viewer, 'GET', `/eval/explain?branch_id=${list[0].subject_id}&period=2025`)).json;
    const mine = indicators.rows.filter((row) => row[1] === list[0].name);
    assert.equal(mine.length, top.indicators.length);
    for (const ind of top.indicators) {
      const row = mine.find((x) => x[3] === ind.name);
      assert.ok(row, ind.name);
      if (ind.score !== null) assert.equal(Number(row[6]).toFixed(2), ind.score);
      if (ind.pending) assert.equal(row[7], '待审核');
      else if (ind.missing) assert.equal(row[7], '缺项');
    }
    const a = await lastAudit(admin);
    assert.equal(a.action, 'export');
    assert.equal(a.entity, 'eval-results');
    // a county administrator's file holds its own procuratorate alone
    const theirs = await sheets((await get(county, 'period=2025&kind=branch')).body);
    const names = new Set(list.filter((i) => i.procuratorate_id === county.user.procuratorate_id).map((i) => i.name));
    assert.ok(theirs[0].rows.length >= 2);
    assert.ok(theirs[0].rows.slice(1).every((row) => names.has(row[4])), 'only its own branches');
    assert.equal((await get(null, 'period=2025')).status, 401);
    assert.equal((await get(viewer, 'period=2019')).status, 404);
    assert.equal((await get(viewer, 'period=20x5')).status, 400);
    // members' results are records of people: exported as members are, by administrators only
    const auditedBefore = (await req(admin, 'GET', '/audit?entity=eval-results&per_page=1')).json.total;
    const mv = await get(viewer, 'period=2025&kind=member');
    assert.equal(mv.status, 403, 'the leadership reads members’ results but does not take them away');
    assert.match(JSON.parse(mv.body.toString()).error.message, /导出/);
    assert.equal((await req(admin, 'GET', '/audit?entity=eval-results&per_page=1')).json.total, auditedBefore, 'a refused export is not audited');
    assert.equal((await get(viewer, 'period=2025&kind=party_group')).status, 200);
    assert.equal((await get(admin, 'period=2025&kind=member')).status, 200);
  });

  test('members and party groups: ranked within the city and their procuratorate, each explained, scoped', async () => {
    const branch = secretary.user.branch_id;
    const r = await req(viewer, 'GET', `/eval/results?period=2025&kind=member&branch_id=${branch}`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.run.scheme.name, '党员和党小组考评方案', 'the newest run that has members');
    const items = r.json.items;
    assert.ok(items.length >= 3, 'the branch’s members');
    const names = new Set((await req(admin, 'GET', `/members?branch_id=${branch}&per_page=200`)).json.items.map((m) => m.name));
    assert.ok(items.every((i) => i.subject_kind === 'member' && names.has(i.name)), 'its own members only');
    assert.ok(items.every((i) => i.rank_city >= 1 && i.rank_proc >= 1));
    assert.ok(items.every((i) => i.branch_id === branch), 'each item names its branch');
    const one = items[0];
    const e = await req(viewer, 'GET', `/eval/explain?member_id=${one.subject_id}&period=2025`);
    assert.equal(e.status, 200, e.text);
    assert.equal(e.json.subject.kind, 'member');
    assert.equal(e.json.subject.name, one.name);
    assert.equal(Number(e.json.total).toFixed(2), one.total.toFixed(2));
    const att = e.json.indicators.find((i) => i.name === '党员出勤率');
    assert.ok(att && att.inputs[0].measure === '党员出勤率');
    // the member's own attendance: the denominator is their rows of the year, the numerator those 出席
    const mine = (await req(admin, 'GET', `/attendance?member_id=${one.subject_id}&per_page=500`)).json.items;
    const acts = new Map((await req(admin, 'GET', `/activities?branch_id=${branch}&per_page=500`)).json.items.map((a) => [a.id, a]));
    const ofYear = mine.filter((a) => acts.get(a.activity_id)?.held_on?.startsWith('2025'));
    assert.equal(Number(att.inputs[0].den ?? 0), ofYear.length);
    assert.equal(Number(att.inputs[0].num), ofYear.filter((a) => a.status === '出席').length);
    // a measure with no meaning for a member is 缺项, never 0
    const groups = await req(viewer, 'GET', '/eval/results?period=2025&kind=party_group');
    assert.equal(groups.status, 200);
    assert.ok(groups.json.items.length >= 10);
    const g = groups.json.items[0];
    const ge = await req(viewer, 'GET', `/eval/explain?party_group_id=${g.subject_id}&period=2025`);
    assert.equal(ge.status, 200, ge.text);
    assert.equal(ge.json.subject.kind, 'party_group');
    // the branches' page still reads the default scheme's run
    assert.equal((await req(viewer, 'GET', '/eval/results?period=2025')).json.run.scheme.name, '通辽市检察机关党建与业务融合考评方案');
    // scope: a county reads its own members, not another procuratorate's
    const all = (await req(admin, 'GET', '/eval/results?period=2025&kind=member')).json.items;
    const theirs = (await req(county, 'GET', '/eval/results?period=2025&kind=member')).json.items;
    assert.ok(theirs.length >= 1 && theirs.length < all.length);
    assert.ok(theirs.every((i) => i.procuratorate_id === county.user.procuratorate_id));
    const foreign = all.find((i) => i.procuratorate_id !== county.user.procuratorate_id);
    assert.equal((await req(county, 'GET', `/eval/explain?member_id=${foreign.subject_id}&period=2025`)).status, 404);
    for (const q of ['kind=person', 'member_id=x', 'member_id=1&branch_id=1', 'party_group_id=0']) {
      const bad = await req(viewer, 'GET', `/eval/${q.startsWith('kind') ? 'results' : 'explain'}?period=2025&${q}`);
      assert.equal(bad.status, 400, `${q}: ${bad.text}`);
    }
  });

  test('honours as proposals: each branch with the rule met or missed, condition by condition, scoped', async () => {
    const r = await req(viewer, 'GET', '/eval/honours?period=2025');
    assert.equal(r.status, 200, r.text);
    const byName = Object.fromEntries(r.json.items.map((h) => [h.name, h]));
    const model = byName['模范支部'];
    assert.ok(model, 'the default scheme’s 模范支部');
    assert.equal(model.candidates.length, 15);
    assert.equal(model.eligible, model.candidates.filter((c) => c.met).length);
    // those who meet it first; each condition's verdict agrees with the whole
    let seenMiss = false;
    for (const c of model.candidates) {
      if (!c.met) seenMiss = true;
      else assert.ok(!seenMiss, 'met before missed');
      assert.equal(c.conditions.length, 4);
      assert.equal(c.met, c.conditions.every((k) => k.met), c.name);
      const e = (await req(viewer, 'GET', `/eval/explain?branch_id=${c.subject_id}&period=2025`)).json;
      assert.deepEqual(e.honours.find((h) => h.name === '模范支部').conditions, c.conditions);
    }
    assert.equal(model.candidates[0].name, '科尔沁区人民检察院第三党支部');
    // a county sees its own branches only
    const theirs = (await req(county, 'GET', '/eval/honours?period=2025')).json.items[0].candidates;
    assert.ok(theirs.length >= 1 && theirs.every((c) => c.procuratorate_id === county.user.procuratorate_id));
    assert.equal((await req(viewer, 'GET', '/eval/honours?period=2025&kind=member')).status, 400);
    assert.equal((await req(null, 'GET', '/eval/honours?period=2025')).status, 401);
    assert.deepEqual((await req(viewer, 'GET', '/eval/honours?period=2019')).json.items, []);
  });

  test('bad queries are 400 with a field; measures are listed with their definitions', async () => {
    const m = await req(viewer, 'GET', '/eval/measures');
    assert.equal(m.status, 200);
    assert.ok(m.json.items.length >= 16);
    assert.ok(m.json.items.every((i) => i.definition.length > 10));
    const bad = [
      '/eval/values?branch_id=1', '/eval/values?period=2025', '/eval/values?branch_id=x&period=2025',
      '/eval/values?branch_id=1&branch_id=2&period=2025', '/eval/values?branch_id=1&period=2025&y=1',
      '/eval/records?branch_id=1&period=2025&measure=没有', '/eval/results', '/eval/results?period=2025&kind=x',
      '/eval/explain?period=2025', '/eval/explain?branch_id=1&procuratorate_id=1&period=2025', '/eval/measures?x=1',
    ];
    for (const p of bad) {
      const r = await req(admin, 'GET', p);
      assert.equal(r.status, 400, `${p}: ${r.text}`);
      assert.ok(r.json.error.message.length > 0);
    }
    assert.equal((await req(admin, 'GET', '/eval/explain?branch_id=999999&period=2025')).status, 404);
    // a period with no run: an empty ranking, not an error
    const none = await req(admin, 'GET', '/eval/results?period=2019');
    assert.equal(none.status, 200);
    assert.equal(none.json.run, null);
  });

  test('the command line: eval check exits 1 with the messages, run prints the ranking, explain prints JSON', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ronghe-eval-'));
    const good = path.join(dir, 'good.scheme'), bad = path.join(dir, 'bad.scheme');
    writeFileSync(good, SCHEME('命令行'));
    writeFileSync(bad, SCHEME('命令行').replace('目标(值, 20)', '目标(值, 20'));
    let r = cli(['eval', 'check', good]);
    assert.equal(r.code, 0, r.all);
    assert.match(r.out, /方案有效（2 个维度，2 个指标）/);
    r = cli(['eval', 'check', bad]);
    assert.equal(r.code, 1, r.all);
    assert.match(r.err, /第 \d+ 行第 \d+ 列：/);
    r = cli(['eval', 'check', path.join(dir, 'none')]);
    assert.equal(r.code, 1);
    r = cli(['eval', 'explain', '--db', DB, '--branch', '5', '--period', '2025']);
    assert.equal(r.code, 0, r.all);
    const x = JSON.parse(r.out);
    assert.equal(x.subject.id, 5);
    decimal(x.total, 2);
    const member = (await req(admin, 'GET', '/eval/results?period=2025&kind=member')).json.items[0];
    r = cli(['eval', 'explain', '--db', DB, '--branch', String(member.subject_id), '--member', '--period', '2025']);
    assert.equal(r.code, 0, r.all);
    assert.deepEqual(JSON.parse(r.out).subject, { kind: 'member', id: member.subject_id, name: member.name });
    r = cli(['eval', 'explain', '--db', DB, '--branch', '1', '--member', '--procuratorate', '--period', '2025']);
    assert.equal(r.code, 2);
    assert.match(r.err, /只能用一个/);
    r = cli(['eval', 'run', '--db', DB, '--period', '2025-13']);
    assert.equal(r.code, 1);
    assert.match(r.err, /考评期间/);
    r = cli(['eval', '--help']);
    assert.equal(r.code, 0);
    assert.match(r.out, /ronghe eval check SCHEME-FILE/);
  });

  test('eval run draws its progress bar on a terminal only: run from a log (a pipe) it writes the ranking and no bar', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ronghe-eval-bar-'));
    const copy = path.join(dir, 'copy.db');
    let r = cli(['backup', '--db', DB, '--to', copy]);
    assert.equal(r.code, 0, r.all);
    for (const f of ['.audit-key', '.audit-anchors']) if (existsSync(DB + f)) copyFileSync(DB + f, copy + f);
    r = cli(['eval', 'run', '--db', copy, '--period', '2025'], '', 60000);
    assert.equal(r.code, 0, r.all);
    assert.match(r.out, /^名次\t总分\t融合指数/);
    assert.equal(r.err, '', 'nothing but the ranking: no bar, no stray line');
    // under a pseudo-terminal (script(1)) the bar is drawn, and ends at 100% 已完成
    const t = spawnSync('script', ['-qec', `'${BIN}' eval run --db '${copy}' --period 2025`, '/dev/null'], { encoding: 'utf8', timeout: 60000 });
    assert.equal(t.status, 0, t.stdout + t.stderr);
    assert.match(t.stdout, /\[#{25}\] 100% 已完成/);
    assert.match(t.stdout, /名次\t总分/);
  });
});
