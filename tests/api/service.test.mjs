// 12309 public service: deadlines in working days (the holidays table), replies and
// satisfaction, the overdue lists, the rates, and the public progress page.
// Expected dates are worked out by hand from the State Council's notices (see the
// migration 010-service-12309.sql) and written here as constants.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { req, login, listAll, uniq, Trash, get, total, todayCN, lastAudit, auditCount, DB, startServer, BASE } from './lib.mjs';

/** A JSON POST to the public progress route of "base" (no session, no CSRF token). */
async function lookup(body, base = BASE, headers = {}) {
  const r = await fetch(`${base}/api/v1/public/progress`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await r.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {}
  return { status: r.status, json, text, headers: r.headers };
}

/** Working days by the calendar the server serves, computed here independently. */
function calendar(holidays) {
  const marks = new Map(holidays.map((h) => [h.date, h.kind]));
  const iso = (d) => d.toISOString().slice(0, 10);
  const working = (s) => {
    if (marks.has(s)) return marks.get(s) === '班';
    const w = new Date(s + 'T00:00:00Z').getUTCDay();
    return w !== 0 && w !== 6;
  };
  return {
    addWorkingDays(from, n) {
      const d = new Date(from + 'T00:00:00Z');
      for (let c = 0; c < n; ) {
        d.setUTCDate(d.getUTCDate() + 1);
        if (working(iso(d))) c++;
      }
      return iso(d);
    },
    addDays(from, n) {
      const d = new Date(from + 'T00:00:00Z');
      d.setUTCDate(d.getUTCDate() + n);
      return iso(d);
    },
  };
}

describe('12309 service', () => {
  let admin, viewer, sec, zlt, secMe, zltMe, branch, zltBranch, secBranch;
  const trash = new Trash();
  before(async () => {
    admin = await login('admin');
    viewer = await login('viewer');
    sec = await login('hlgl-sec');
    zlt = await login('zlt-admin');
    secMe = sec.user;
    zltMe = zlt.user;
    const branches = await listAll(admin, '/branches');
    zltBranch = branches.find((b) => b.procuratorate_id === zltMe.procuratorate_id);
    secBranch = branches.find((b) => b.id === secMe.branch_id);
    branch = branches.find((b) => b.procuratorate_id !== zltMe.procuratorate_id && b.procuratorate_id !== secMe.procuratorate_id);
    assert.ok(branch && zltBranch && secBranch);
  });
  after(async () => {
    await trash.empty(admin);
  });

  const newRequest = async (s, body) => {
    const r = await req(s, 'POST', '/requests', { branch_id: branch.id, channel: '来信', kind: '控告', requester_name: '张三丰', summary: '反映某案件办理进度', ...body });
    if (r.status === 201) trash.add('requests', r.json.id);
    return r;
  };
  const reply = async (s, requestId, kind, date, content = '已告知受理情况') => {
    // not trashed: a request is deleted with its replies
    return req(s, 'POST', '/request-replies', { request_id: requestId, kind, date, content });
  };

  // ---- deadlines ----------------------------------------------------------------------

  test('received 2025-09-30: the 7th working day skips 国庆节、中秋节 (10-01..08) and counts Saturday 10-11 → 2025-10-16', async () => {
    const r = await newRequest(admin, { received_on: '2025-09-30' });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.procedural_due, '2025-10-16');
    assert.equal(r.json.procedural_due_note, '2025-09-30 收到，顺延国庆节、中秋节假期 10-01至10-08，10-11（星期六）调休上班，第7个工作日为 2025-10-16');
    assert.equal(r.json.result_due, '2025-12-30');
    assert.equal(r.json.result_due_note, '2025-09-30 收到，3个月后为 2025-12-30');
    assert.equal(r.json.status, '待答复');
    assert.equal(r.json.next_due, '2025-10-16');
    assert.equal(r.json.next_followup_due, null);
    assert.match(r.json.number, /^12309-2025-\d{4}$/);
    assert.match(r.json.receipt_code, /^[2-9A-HJKMNP-Z]{8}$/);
    assert.equal(r.json.receipt_hash, undefined, 'the hash is never answered');
    const again = await get(admin, 'requests', r.json.id);
    assert.equal(again.receipt_code, undefined, 'the code is shown once, on creation');
  });

  test('received Friday 2026-09-18: Sunday 09-20 is worked (调休), 中秋节 09-25..27 skipped → 2026-09-29', async () => {
    const r = await newRequest(admin, { received_on: '2026-09-18' });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.procedural_due, '2026-09-29');
    assert.match(r.json.procedural_due_note, /09-20（星期日）调休上班/);
    assert.match(r.json.procedural_due_note, /顺延中秋节假期 09-25至09-27/);
  });

  test('received Wednesday 2026-02-25: Saturday 02-28 is a 调休 working day → 2026-03-05', async () => {
    const r = await newRequest(admin, { received_on: '2026-02-25' });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.procedural_due, '2026-03-05');
    assert.match(r.json.procedural_due_note, /02-28（星期六）调休上班/);
  });

  test('three months ending on a holiday move to the next working day: 2025-07-01 → 2025-10-09', async () => {
    const r = await newRequest(admin, { received_on: '2025-07-01' });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.procedural_due, '2025-07-10');
    assert.equal(r.json.result_due, '2025-10-09');
    assert.equal(r.json.result_due_note, '2025-07-01 收到，3个月后为 2025-10-01，落在国庆节、中秋节假期，顺延至 2025-10-09');
  });

  test('months clamp to the end of a shorter month: 2025-11-30 → 2026-02-28 (a 调休 Saturday: worked)', async () => {
    const r = await newRequest(admin, { received_on: '2025-11-30' });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.result_due, '2026-02-28');
    assert.equal(r.json.result_due_note, '2025-11-30 收到，3个月后为 2026-02-28（2月无30日，取月末）');
  });

  test('a date outside the calendar is computed by weekends alone, and says so', async () => {
    const r = await newRequest(admin, { received_on: '2023-12-29' });
    assert.equal(r.status, 201, r.text);
    // 12-30, 12-31 weekend; 2024-01-01 元旦 (in the calendar); 01-02..05, 08..10
    assert.equal(r.json.procedural_due, '2024-01-10');
    assert.match(r.json.procedural_due_note, /2023年不在节假日表内/);
  });

  test('derived columns cannot be typed: procedural_due in a body is ignored, a future received_on refused', async () => {
    const r = await newRequest(admin, { received_on: '2025-09-30', procedural_due: '2030-01-01', status: '已办结' });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.procedural_due, '2025-10-16');
    assert.equal(r.json.status, '待答复');
    const f = await newRequest(admin, { received_on: todayCN(2) });
    assert.equal(f.status, 400, f.text);
    assert.equal(f.json.error.field, 'received_on');
  });

  // ---- the calendar drives the deadlines ----------------------------------------------

  describe('editing the holidays recomputes the deadlines (stored, recomputed in the same transaction)', () => {
    let request, extra, sat;
    before(async () => {
      request = (await newRequest(admin, { received_on: '2025-09-30' })).json;
      sat = (await listAll(admin, '/holidays?kind=班')).find((h) => h.date === '2025-10-11');
      assert.ok(sat, 'the seeded 调休 Saturday 2025-10-11');
    });
    after(async () => {
      if (extra) await req(admin, 'DELETE', `/holidays/${extra.id}?version=${extra.version}`);
      const cur = await get(admin, 'holidays', sat.id);
      if (cur.kind !== '班') await req(admin, 'PATCH', `/holidays/${sat.id}`, { version: cur.version, kind: '班', name: sat.name });
    });

    test('a holiday added on 2025-10-10 moves the due date to 2025-10-17; deleting it moves it back', async () => {
      const h = await req(admin, 'POST', '/holidays', { date: '2025-10-10', kind: '休', name: '测试加休' });
      assert.equal(h.status, 201, h.text);
      extra = h.json;
      const moved = await get(admin, 'requests', request.id);
      assert.equal(moved.procedural_due, '2025-10-17');
      assert.match(moved.procedural_due_note, /测试加休/);
      assert.equal(moved.version, request.version, 'a derived change is not an edit of the request');
      const d = await req(admin, 'DELETE', `/holidays/${extra.id}?version=${extra.version}`);
      assert.equal(d.status, 204, d.text);
      extra = null;
      assert.equal((await get(admin, 'requests', request.id)).procedural_due, '2025-10-16');
    });

    test('the 调休 Saturday made a rest day: 2025-10-17; and back: 2025-10-16', async () => {
      const p = await req(admin, 'PATCH', `/holidays/${sat.id}`, { version: sat.version, kind: '休', name: '测试改休' });
      assert.equal(p.status, 200, p.text);
      assert.equal((await get(admin, 'requests', request.id)).procedural_due, '2025-10-17');
      const back = await req(admin, 'PATCH', `/holidays/${sat.id}`, { version: p.json.version, kind: '班', name: sat.name });
      assert.equal(back.status, 200, back.text);
      assert.equal((await get(admin, 'requests', request.id)).procedural_due, '2025-10-16');
    });

    test('班 on a weekday → 422 inconsistent; a date taken twice → 409; nothing changes', async () => {
      const before = await total(admin, '/holidays');
      const w = await req(admin, 'POST', '/holidays', { date: '2025-10-15', kind: '班', name: '测试' });
      assert.equal(w.status, 422, w.text);
      assert.equal(w.json.error.field, 'kind');
      const dup = await req(admin, 'POST', '/holidays', { date: '2025-10-01', kind: '休', name: '重复' });
      assert.equal(dup.status, 409, dup.text);
      assert.equal(dup.json.error.field, 'date');
      assert.equal(await total(admin, '/holidays'), before);
      assert.equal((await get(admin, 'requests', request.id)).procedural_due, '2025-10-16');
    });

    test('only the city administrators edit the calendar; everyone signed in reads it', async () => {
      for (const s of [zlt, sec, viewer]) {
        const r = await req(s, 'POST', '/holidays', { date: '2025-10-10', kind: '休', name: '测试' });
        assert.equal(r.status, 403, r.text);
        const l = await req(s, 'GET', '/holidays?per_page=200');
        assert.equal(l.status, 200);
        assert.ok(l.json.total >= 100, 'the seeded 2024–2026 calendar');
      }
      assert.equal((await req(null, 'GET', '/holidays')).status, 401);
      assert.equal((await get(admin, 'requests', request.id)).procedural_due, '2025-10-16');
    });

    test('the seeded calendar holds each year of the notices', async () => {
      const all = await listAll(admin, '/holidays');
      const at = (d) => all.find((h) => h.date === d);
      assert.equal(at('2024-02-18').kind, '班');
      assert.equal(at('2024-02-10').name, '春节');
      assert.equal(at('2025-01-28').name, '春节'); // 除夕 is a holiday from 2025
      assert.equal(at('2025-04-27').kind, '班');
      assert.equal(at('2026-02-23').name, '春节');
      assert.equal(at('2026-01-04').kind, '班');
      assert.equal(at('2026-10-10').kind, '班');
      assert.equal(at('2026-10-08'), undefined);
    });
  });

  // ---- replies and satisfaction -------------------------------------------------------

  describe('replies, satisfaction and closing', () => {
    let r0;
    before(async () => {
      r0 = (await newRequest(admin, { received_on: '2025-09-30' })).json;
    });

    test('satisfaction without a reply → 422 no_reply, nothing changes', async () => {
      const p = await req(admin, 'PATCH', `/requests/${r0.id}`, { version: r0.version, satisfaction: '满意' });
      assert.equal(p.status, 422, p.text);
      assert.equal(p.json.error.code, 'no_reply');
      assert.equal(p.json.error.field, 'satisfaction');
      assert.match(p.json.error.message, /尚未答复/);
      assert.equal((await get(admin, 'requests', r0.id)).satisfaction, null);
      const c = await newRequest(admin, { received_on: '2025-09-30', satisfaction: '不满意' });
      assert.equal(c.status, 422, c.text);
    });

    test('closing without a reply → 422; a 回访 before any reply → 422; a reply before receipt → 422', async () => {
      const p = await req(admin, 'PATCH', `/requests/${r0.id}`, { version: r0.version, closed_on: '2025-10-20' });
      assert.equal(p.status, 422, p.text);
      assert.equal(p.json.error.field, 'closed_on');
      const v = await reply(admin, r0.id, '回访', '2025-10-10');
      assert.equal(v.status, 422, v.text);
      assert.equal(v.json.error.field, 'kind');
      const e = await reply(admin, r0.id, '程序性答复', '2025-09-29');
      assert.equal(e.status, 422, e.text);
      assert.equal(e.json.error.field, 'date');
      assert.equal(await total(admin, `/request-replies?request_id=${r0.id}`), 0);
    });

    test('a 程序性答复 fills replied_on and the status; then a 办理结果 starts the monthly follow-up', async () => {
      const a = await reply(admin, r0.id, '程序性答复', '2025-10-14');
      assert.equal(a.status, 201, a.text);
      let cur = await get(admin, 'requests', r0.id);
      assert.equal(cur.replied_on, '2025-10-14');
      assert.equal(cur.status, '办理中');
      assert.equal(cur.next_due, '2025-12-30', 'the result is what is due next');
      const b = await reply(admin, r0.id, '办理结果', '2025-12-10', '已审查，依法答复');
      assert.equal(b.status, 201, b.text);
      cur = await get(admin, 'requests', r0.id);
      assert.equal(cur.result_on, '2025-12-10');
      assert.equal(cur.next_followup_due, '2026-01-12'); // 2026-01-10 is a Saturday
      assert.match(cur.next_followup_note, /2025-12-10 最近一次答复或回访，1个月后为 2026-01-10，落在星期六，顺延至 2026-01-12/);
      assert.equal(cur.next_due, '2026-01-12');
    });

    test('then satisfaction is accepted, closing stops the follow-up, and a reply after closing is refused', async () => {
      let cur = await get(admin, 'requests', r0.id);
      const s = await req(admin, 'PATCH', `/requests/${r0.id}`, { version: cur.version, satisfaction: '基本满意', closed_on: '2025-12-20' });
      assert.equal(s.status, 200, s.text);
      assert.equal(s.json.satisfaction, '基本满意');
      assert.equal(s.json.status, '已办结');
      assert.equal(s.json.next_due, null);
      assert.equal(s.json.next_followup_due, null);
      const late = await reply(admin, r0.id, '办理进展', '2025-12-22');
      assert.equal(late.status, 422, late.text);
      const visit = await reply(admin, r0.id, '回访', '2025-12-28', '回访了解满意度');
      assert.equal(visit.status, 201, visit.text);
      cur = await get(admin, 'requests', r0.id);
      const early = await req(admin, 'PATCH', `/requests/${r0.id}`, { version: cur.version, closed_on: '2025-12-01' });
      assert.equal(early.status, 422, early.text, 'closing before the result is refused');
    });

    test('deleting the only reply of a reviewed request → 422; the reply stays', async () => {
      const r1 = (await newRequest(admin, { received_on: '2025-09-30' })).json;
      const a = await reply(admin, r1.id, '程序性答复', '2025-10-09');
      assert.equal(a.status, 201, a.text);
      const cur = await get(admin, 'requests', r1.id);
      assert.equal((await req(admin, 'PATCH', `/requests/${r1.id}`, { version: cur.version, satisfaction: '不满意' })).status, 200);
      const d = await req(admin, 'DELETE', `/request-replies/${a.json.id}?version=${a.json.version}`);
      assert.equal(d.status, 422, d.text);
      assert.equal((await get(admin, 'request-replies', a.json.id)).id, a.json.id);
      assert.equal((await get(admin, 'requests', r1.id)).replied_on, '2025-10-09');
    });

    test('a reply cannot move to another request → 422', async () => {
      const r2 = (await newRequest(admin, { received_on: '2025-09-30' })).json;
      const a = await reply(admin, r2.id, '程序性答复', '2025-10-09');
      const m = await req(admin, 'PATCH', `/request-replies/${a.json.id}`, { version: a.json.version, request_id: r0.id });
      assert.equal(m.status, 422, m.text);
      assert.equal(m.json.error.field, 'request_id');
    });

    test('a number is unique within a procuratorate (409 on number), free in another', async () => {
      const n = 'T-' + uniq();
      assert.equal((await newRequest(admin, { received_on: '2025-09-30', number: n })).status, 201);
      const dup = await newRequest(admin, { received_on: '2025-09-30', number: n });
      assert.equal(dup.status, 409, dup.text);
      assert.equal(dup.json.error.field, 'number');
      const other = await newRequest(admin, { received_on: '2025-09-30', number: n, branch_id: zltBranch.id });
      assert.equal(other.status, 201, other.text);
    });
  });

  // ---- lists by deadline state --------------------------------------------------------

  describe('overdue and due-soon lists, per procuratorate', () => {
    let cal, overdue, soon, later, replied;
    before(async () => {
      cal = calendar(await listAll(admin, '/holidays'));
      const today = todayCN();
      // received so that the 7th working day is within the next 3 days
      let from = today;
      while (!(cal.addWorkingDays(from, 7) >= today && cal.addWorkingDays(from, 7) <= cal.addDays(today, 3))) from = cal.addDays(from, -1);
      overdue = (await newRequest(zlt, { branch_id: zltBranch.id, received_on: cal.addDays(today, -40) })).json;
      soon = (await newRequest(zlt, { branch_id: zltBranch.id, received_on: from })).json;
      later = (await newRequest(zlt, { branch_id: zltBranch.id, received_on: today })).json;
      replied = (await newRequest(zlt, { branch_id: zltBranch.id, received_on: cal.addDays(today, -40) })).json;
      assert.equal((await reply(zlt, replied.id, '程序性答复', cal.addDays(today, -38))).status, 201);
    });

    const ids = async (s, q) => (await listAll(s, `/requests?${q}`)).map((r) => r.id);

    test('?due=overdue holds the unanswered request past its 7 working days, not the answered one', async () => {
      const got = await ids(zlt, 'due=overdue');
      assert.ok(got.includes(overdue.id));
      assert.ok(!got.includes(replied.id), 'answered, its result not yet due');
      assert.ok(!got.includes(soon.id) && !got.includes(later.id));
      const cur = await get(zlt, 'requests', overdue.id);
      assert.equal(cur.procedural_due, cal.addWorkingDays(overdue.received_on, 7));
      assert.ok(cur.procedural_due < todayCN());
    });

    test('?due=soon holds the request due within 3 days; ?due=ontime the rest', async () => {
      const s = await ids(zlt, 'due=soon');
      assert.ok(s.includes(soon.id), JSON.stringify(soon));
      assert.ok(!s.includes(overdue.id) && !s.includes(later.id));
      const o = await ids(zlt, 'due=ontime');
      assert.ok(o.includes(later.id) && o.includes(replied.id));
      assert.ok(!o.includes(overdue.id) && !o.includes(soon.id));
    });

    test('per procuratorate: another county sees none of them; the city filters by procuratorate_id', async () => {
      assert.ok(!(await ids(sec, 'due=overdue')).includes(overdue.id));
      const city = await ids(admin, `due=overdue&procuratorate_id=${zltMe.procuratorate_id}`);
      assert.ok(city.includes(overdue.id));
      const all = await listAll(admin, `/requests?due=overdue&procuratorate_id=${zltMe.procuratorate_id}`);
      assert.ok(all.every((r) => r.procuratorate_id === zltMe.procuratorate_id && r.next_due < todayCN()));
    });

    test('a bad ?due= → 400 bad_query', async () => {
      const r = await req(zlt, 'GET', '/requests?due=yesterday');
      assert.equal(r.status, 400);
      assert.equal(r.json.error.code, 'bad_query');
    });

    test('GET /requests/N/deadlines: the countdown in working days, with the explanation', async () => {
      const r = await req(zlt, 'GET', `/requests/${soon.id}/deadlines`);
      assert.equal(r.status, 200, r.text);
      const p = r.json.deadlines.find((d) => d.key === 'procedural');
      assert.equal(p.state, 'soon');
      assert.equal(p.due, cal.addWorkingDays(soon.received_on, 7));
      assert.ok(p.working_days_left >= 0 && p.working_days_left <= 3);
      assert.match(p.note, /收到/);
      const o = (await req(zlt, 'GET', `/requests/${overdue.id}/deadlines`)).json.deadlines.find((d) => d.key === 'procedural');
      assert.equal(o.state, 'overdue');
      assert.ok(o.working_days_left < 0);
      assert.equal((await req(sec, 'GET', `/requests/${soon.id}/deadlines`)).status, 404, 'another county: not found');
    });
  });

  // ---- rates --------------------------------------------------------------------------

  describe('rates as the procuratorates report them, against counts by hand', () => {
    // In 2023, before the demo's two years: only these requests are counted.
    const P = () => `/request-rates?procuratorate_id=${zltMe.procuratorate_id}&from=2023-03-01&to=2023-03-31`;
    before(async () => {
      const mk = async (received) => (await newRequest(zlt, { branch_id: zltBranch.id, received_on: received })).json;
      // 2023 is outside the calendar: weekends only. 2023-03-01 (Wed) + 7 working days = 03-10.
      const a = await mk('2023-03-01'); // replied in time, result in time, 满意
      assert.equal(a.procedural_due, '2023-03-10');
      await reply(zlt, a.id, '程序性答复', '2023-03-08');
      await reply(zlt, a.id, '办理结果', '2023-05-10');
      let cur = await get(zlt, 'requests', a.id);
      await req(zlt, 'PATCH', `/requests/${a.id}`, { version: cur.version, satisfaction: '满意' });
      const b = await mk('2023-03-01'); // replied late (03-13 > 03-10), result late, 不满意
      await reply(zlt, b.id, '程序性答复', '2023-03-13');
      await reply(zlt, b.id, '办理结果', '2023-06-20');
      cur = await get(zlt, 'requests', b.id);
      await req(zlt, 'PATCH', `/requests/${b.id}`, { version: cur.version, satisfaction: '不满意' });
      const c = await mk('2023-03-15'); // never answered: overdue on both
      const d = await mk('2023-03-20'); // replied in time, no result (overdue), 基本满意
      await reply(zlt, d.id, '程序性答复', '2023-03-21');
      cur = await get(zlt, 'requests', d.id);
      await req(zlt, 'PATCH', `/requests/${d.id}`, { version: cur.version, satisfaction: '基本满意' });
      assert.ok(c.id);
    });

    test('received 4; replied in time 2 of 4 due (1 late, 1 overdue); result in time 1 of 4; bad reviews 1 of 3', async () => {
      const r = await req(zlt, 'GET', P());
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.items.length, 1);
      const x = r.json.items[0];
      assert.equal(x.procuratorate_id, zltMe.procuratorate_id);
      assert.equal(x.received, 4);
      assert.deepEqual({ ...x.procedural, explain: undefined }, { due: 4, in_time: 2, late: 1, overdue: 1, rate: 0.5, explain: undefined });
      assert.deepEqual({ ...x.result, explain: undefined }, { due: 4, in_time: 1, late: 1, overdue: 2, rate: 0.25, explain: undefined });
      assert.deepEqual({ ...x.reviews, explain: undefined }, { reviewed: 3, satisfied: 1, basic: 1, bad: 1, bad_share: 0.3333, explain: undefined });
      assert.deepEqual(r.json.total.reviews.bad, 1);
    });

    test('a period without requests has no rate (null), never 0', async () => {
      const r = await req(zlt, 'GET', `/request-rates?procuratorate_id=${zltMe.procuratorate_id}&from=2022-01-01&to=2022-12-31`);
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.items[0].received, 0);
      assert.equal(r.json.items[0].procedural.rate, null);
      assert.equal(r.json.items[0].reviews.bad_share, null);
    });

    test('a county sees only its own; another county → 403; bad parameters → 400', async () => {
      const own = await req(zlt, 'GET', '/request-rates?from=2023-03-01&to=2023-03-31');
      assert.deepEqual(own.json.items.map((i) => i.procuratorate_id), [zltMe.procuratorate_id]);
      assert.equal((await req(sec, 'GET', P())).status, 403);
      assert.equal((await req(zlt, 'GET', '/request-rates?from=2023-04-01&to=2023-03-01')).status, 400);
      assert.equal((await req(zlt, 'GET', '/request-rates?from=yesterday')).status, 400);
      assert.equal((await req(zlt, 'GET', '/request-rates?branch=1')).status, 400);
      assert.equal((await req(null, 'GET', P())).status, 401);
      const city = await req(viewer, 'GET', '/request-rates?from=2023-03-01&to=2023-03-31');
      assert.equal(city.status, 200);
      assert.equal(city.json.items.length, 9, 'the city reads all nine procuratorates');
      assert.equal(city.json.total.received, 4);
    });
  });

  // ---- personal data and the audit ----------------------------------------------------

  test("the requester's name is whole for administrators, masked for secretaries and leadership", async () => {
    const r = await newRequest(sec, { branch_id: secBranch.id, received_on: '2025-09-30', requester_name: '包金花' });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.requester_name, '包**');
    assert.equal((await get(admin, 'requests', r.json.id)).requester_name, '包金花');
    assert.equal((await get(viewer, 'requests', r.json.id)).requester_name, '包**');
    // the masked name sent back is no change
    const p = await req(sec, 'PATCH', `/requests/${r.json.id}`, { ...r.json, summary: '补充材料' });
    assert.equal(p.status, 200, p.text);
    assert.equal((await get(admin, 'requests', r.json.id)).requester_name, '包金花');
  });

  test('every write is audited: the create without the code or its hash; a new receipt code as "receipt"', async () => {
    const before = await auditCount(admin);
    const r = await newRequest(admin, { received_on: '2025-09-30' });
    let last = await lastAudit(admin);
    assert.equal(last.entity, 'requests');
    assert.equal(last.action, 'create');
    assert.equal(last.entity_id, r.json.id);
    const text = JSON.stringify(last);
    assert.ok(!text.includes(r.json.receipt_code) && !text.includes('receipt_hash') && !text.includes('v1$'));
    const c = await req(admin, 'POST', `/requests/${r.json.id}/receipt`);
    assert.equal(c.status, 200, c.text);
    assert.notEqual(c.json.receipt_code, r.json.receipt_code);
    last = await lastAudit(admin);
    assert.equal(last.action, 'receipt');
    assert.equal(last.entity_id, r.json.id);
    assert.equal(await auditCount(admin), before + 2);
    // the old code no longer opens it, the new one does
    assert.equal((await lookup({ number: r.json.number, code: c.json.receipt_code })).status, 200);
    assert.equal((await req(viewer, 'POST', `/requests/${r.json.id}/receipt`)).status, 403);
    assert.equal((await req(sec, 'POST', `/requests/${r.json.id}/receipt`)).status, 404);
    assert.equal(await auditCount(admin), before + 2, 'refused: no entry');
  });

  test('a request deleted goes with its replies, each deletion audited; the branch timeline showed both', async () => {
    const r = (await newRequest(admin, { received_on: '2025-09-30' })).json;
    const a = await reply(admin, r.id, '程序性答复', '2025-10-09');
    assert.equal(a.status, 201, a.text);
    const tl = await req(admin, 'GET', `/timeline?branch_id=${branch.id}&from=2025-09-30&to=2025-10-09&per_page=500`);
    assert.equal(tl.status, 200, tl.text);
    const titles = JSON.stringify(tl.json);
    assert.ok(titles.includes(r.number), 'the receipt and the reply are on the branch timeline');
    assert.ok(!titles.includes('张三丰'), "never the requester's name");
    const before = await auditCount(admin);
    const cur = await get(admin, 'requests', r.id);
    const d = await req(admin, 'DELETE', `/requests/${r.id}?version=${cur.version}`);
    assert.equal(d.status, 204, d.text);
    assert.equal((await req(admin, 'GET', `/request-replies/${a.json.id}`)).status, 404);
    assert.equal(await auditCount(admin), before + 2);
    const entries = (await req(admin, 'GET', '/audit?per_page=2&sort=-id')).json.items;
    assert.deepEqual(entries.map((e) => [e.action, e.entity]).sort(), [['delete', 'request-replies'], ['delete', 'requests']]);
  });

  // ---- the public progress page -------------------------------------------------------

  describe('public progress lookup', () => {
    let mine, other;
    before(async () => {
      mine = (await newRequest(admin, { received_on: '2025-09-30', requester_name: '王秘密', summary: '不应公开的摘要内容' })).json;
      await reply(admin, mine.id, '程序性答复', '2025-10-14', '承办人李检察官电话答复');
      other = (await newRequest(admin, { received_on: '2025-10-20' })).json;
    });

    test('the right number and code: the stages and dates, nothing else', async () => {
      const r = await lookup({ number: mine.number, code: mine.receipt_code.toLowerCase().replace(/(....)/, '$1-') });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.number, mine.number);
      assert.equal(r.json.status, '办理中');
      assert.deepEqual(r.json.stages.map((s) => s.stage), ['受理', '程序性答复', '办理过程或结果答复', '办结']);
      assert.equal(r.json.stages[1].date, '2025-10-14');
      assert.equal(r.json.stages[1].due, '2025-10-16');
      assert.deepEqual(r.json.events, [{ stage: '程序性答复', date: '2025-10-14' }]);
      for (const secret of ['王秘密', '不应公开', '李检察官', branch.name, 'branch', 'requester', 'summary', 'content', 'id"']) assert.ok(!r.text.includes(secret), `no ${secret} in ${r.text}`);
      assert.equal(r.headers.get('cache-control'), 'no-store');
    });

    test('no body, no JSON, missing fields → 400/415; a GET → 401', async () => {
      assert.equal((await lookup({ number: mine.number })).status, 400);
      assert.equal((await lookup('not json')).status, 400);
      const f = await fetch(`${BASE}/api/v1/public/progress`, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: '{}' });
      assert.equal(f.status, 415);
      const g = await fetch(`${BASE}/api/v1/public/progress`);
      assert.equal(g.status, 401, 'another method is no public route: it needs a session');
    });

    describe('misses and throttling (a server of its own: its own throttle)', () => {
      let srv;
      before(async () => {
        srv = await startServer(DB);
      });
      after(async () => {
        await srv.stop();
      });

      test("a wrong code, an unknown number and someone else's number get the same answer", async () => {
        const wrong = await lookup({ number: mine.number, code: 'ZZZZZZZZ' }, srv.url);
        const unknown = await lookup({ number: '12309-1999-' + uniq(), code: mine.receipt_code }, srv.url);
        const others = await lookup({ number: other.number, code: mine.receipt_code }, srv.url);
        for (const r of [wrong, unknown, others]) {
          assert.equal(r.status, 404, r.text);
          assert.equal(r.json.error.code, 'no_match');
          assert.equal(r.json.error.message, wrong.json.error.message);
          assert.ok(!r.text.includes('不应公开'));
        }
      });

      test('after 5 misses from one address for one number → 429 with Retry-After, even with the right code', async () => {
        const n = { number: mine.number, code: 'YYYYYYYY' };
        let r;
        for (let i = 0; i < 6 && (r = await lookup(n, srv.url)).status === 404; i++);
        assert.equal(r.status, 429, r.text);
        assert.equal(r.json.error.code, 'throttled');
        assert.match(r.json.error.message, /查询过于频繁，请 \d+ 秒后再试/);
        assert.ok(Number(r.headers.get('retry-after')) >= 1);
        const right = await lookup({ number: mine.number, code: mine.receipt_code }, srv.url);
        assert.equal(right.status, 429, 'the throttle is decided before the code is looked at');
      });

      test('across numbers, one address is limited too (20 misses)', async () => {
        let r;
        for (let i = 0; i < 30; i++) {
          r = await lookup({ number: 'X-' + uniq(), code: 'WWWWWWWW' }, srv.url);
          if (r.status === 429) break;
        }
        assert.equal(r.status, 429, r.text);
      });

      test('another address is not held up (through a trusted proxy)', async () => {
        const p = await startServer(DB, { args: ['--trusted-proxy', '127.0.0.1'] });
        try {
          for (let i = 0; i < 5; i++) await lookup({ number: mine.number, code: 'VVVVVVVV' }, p.url, { 'X-Forwarded-For': '198.51.100.7' });
          assert.equal((await lookup({ number: mine.number, code: 'VVVVVVVV' }, p.url, { 'X-Forwarded-For': '198.51.100.7' })).status, 429);
          const ok = await lookup({ number: mine.number, code: mine.receipt_code }, p.url, { 'X-Forwarded-For': '198.51.100.8' });
          assert.equal(ok.status, 200, ok.text);
        } finally {
          await p.stop();
        }
      });
    });
  });
});
