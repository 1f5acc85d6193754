// Members' dates, identity numbers (身份证号, GB 11643-1999), 学历, 党员类别, 转正日期, 党龄,
// and the same-name-and-birth-date warning. Numbers here are made with correct check
// characters from region codes of Tongliao; none is a demo member's (15059x).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { req, login, uniq, Trash, get, total, todayCN, lastAudit } from './lib.mjs';

const ID_A = '150502199005051231'; // 1990-05-05, 17th digit 3: 男
const ID_B = '150526199211202441'; // 1992-11-20, 4: 女
const ID_C = '150581198808080889'; // 1988-08-08, 8: 女
const ID_X = '15052319910701103X'; // 1991-07-01, check character X, 男
const ID_SEC = '15058119870115135X'; // 1987-01-15, 男
const ID_DUP = '150524198001011578'; // 1980-01-01, 男

const masked = (n) => n.slice(0, 4) + '*'.repeat(n.length - 5) + n.slice(-1);

describe('member identity numbers and dates', () => {
  let admin, viewer, sec, zlt, secMe, zltMe, branch, zltBranch;
  const trash = new Trash();
  before(async () => {
    admin = await login('admin');
    viewer = await login('viewer');
    sec = await login('hlgl-sec');
    zlt = await login('zlt-admin');
    secMe = (await req(sec, 'GET', '/me')).json;
    zltMe = (await req(zlt, 'GET', '/me')).json;
    const branches = (await req(admin, 'GET', '/branches?per_page=500')).json.items;
    branch = branches.find((b) => b.procuratorate_id !== zltMe.procuratorate_id && b.id !== secMe.branch_id);
    zltBranch = branches.find((b) => b.procuratorate_id === zltMe.procuratorate_id);
    assert.ok(branch && zltBranch && secMe.branch_id);
  });
  after(async () => {
    await trash.empty(admin);
  });

  const post = async (s, body) => {
    const r = await req(s, 'POST', '/members', { name: '证' + uniq(), branch_id: branch.id, ...body });
    if (r.status === 201) trash.add('members', r.json.id);
    return r;
  };
  const refused = async (s, body, status, code, field) => {
    const before = await total(admin, '/members');
    const r = await post(s, body);
    assert.equal(r.status, status, r.text);
    assert.equal(r.json.error.code, code, r.text);
    if (field) assert.equal(r.json.error.field, field, r.text);
    assert.equal(await total(admin, '/members'), before, 'nothing was created');
    return r;
  };

  // ---- dates typed that are not real dates ---------------------------------------------

  for (const d of ['1990-13-45', '1990-02-30', '2023-02-29']) {
    for (const field of ['birth_date', 'joined_party']) {
      test(`${field} ${d} is refused (400 invalid_date), never changed into another day`, async () => {
        const r = await refused(admin, { [field]: d }, 400, 'invalid_date', field);
        assert.match(r.json.error.message, /不是有效日期/);
      });
    }
    test(`full_member_date ${d} is refused (400 invalid_date)`, async () => {
      await refused(admin, { joined_party: '2010-01-01', party_status: '正式党员', full_member_date: d }, 400, 'invalid_date', 'full_member_date');
    });
  }

  test('2024-02-29 (a leap day) is a real birth date and is stored as typed', async () => {
    const r = await post(admin, { birth_date: '2024-02-29' });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.birth_date, '2024-02-29');
    assert.equal((await get(admin, 'members', r.json.id)).birth_date, '2024-02-29');
  });

  test('a birth date after today is refused', async () => {
    await refused(admin, { birth_date: todayCN(1) }, 400, 'invalid_date', 'birth_date');
  });

  // ---- the identity number --------------------------------------------------------------

  test('birth date and gender are filled from the identity number when not given', async () => {
    const r = await post(admin, { id_number: ID_A });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.id_number, ID_A, 'an administrator sees it whole');
    assert.equal(r.json.birth_date, '1990-05-05');
    assert.equal(r.json.gender, '男');
    const g = await get(admin, 'members', r.json.id);
    assert.equal(g.id_number, ID_A);
    assert.equal(g.gender, '男');
  });

  test('a lowercase x is accepted and stored as X', async () => {
    const r = await post(admin, { id_number: ID_X.toLowerCase(), gender: '男', birth_date: '1991-07-01' });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.id_number, ID_X);
  });

  test('a birth date that disagrees with the number → 422 on birth_date', async () => {
    const r = await refused(admin, { id_number: ID_B, birth_date: '1992-11-21' }, 422, 'inconsistent', 'birth_date');
    assert.match(r.json.error.message, /出生日期与身份证号不一致/);
    assert.match(r.json.error.message, /1992-11-20/);
  });

  test('a gender that disagrees with the number → 422 on gender', async () => {
    const r = await refused(admin, { id_number: ID_B, gender: '男' }, 422, 'inconsistent', 'gender');
    assert.match(r.json.error.message, /性别与身份证号不一致/);
  });

  test('malformed numbers are refused on id_number with what is wrong', async () => {
    const cases = [
      [ID_B.slice(0, 17) + '0', /校验位/], // wrong check character
      ['150526921120244', /15 位/], // a first-generation number
      ['15052619921120244', /18 位/],
      ['15052619921120244Y', /17 位数字/],
      ['150526199213202441', /出生日期.*不是有效日期/], // month 13
      ['150526199002302441', /出生日期.*不是有效日期/], // 02-30
      ['150526209901012441', /晚于今天/],
      ['150526199211200001'.slice(0, 14) + '0000', /000/],
    ];
    for (const [n, msg] of cases) {
      const r = await refused(admin, { id_number: n }, 400, 'invalid_id_number', 'id_number');
      assert.match(r.json.error.message, msg, n);
    }
  });

  test('past 18 characters → 400 too_long; full-width or other characters → 400 invalid_id_number', async () => {
    await refused(admin, { id_number: ID_B + '1' }, 400, 'too_long', 'id_number');
    await refused(admin, { id_number: '１５０５２６１９９２１１２０２４４１' }, 400, 'invalid_id_number', 'id_number');
    await refused(admin, { id_number: '150526 1992112024' }, 400, 'invalid_id_number', 'id_number');
  });

  test('a second member with the same number → 409 duplicate on id_number', async () => {
    const a = await post(admin, { id_number: ID_C });
    assert.equal(a.status, 201, a.text);
    const r = await refused(admin, { id_number: ID_C, name: '另' + uniq() }, 409, 'duplicate', 'id_number');
    assert.match(r.json.error.message, /身份证号已登记/);
    // lowercase/uppercase are one number; and a change of another member to it is refused too
    const b = await post(admin, {});
    const p = await req(admin, 'PATCH', `/members/${b.json.id}`, { version: b.json.version, id_number: ID_C });
    assert.equal(p.status, 409, p.text);
    assert.equal(p.json.error.field, 'id_number');
  });

  test('viewers and secretaries see the number masked, in lists and records; administrators whole', async () => {
    const a = await post(admin, { id_number: ID_DUP, name: '掩' + uniq() });
    assert.equal(a.status, 201, a.text);
    const id = a.json.id;
    const v = await get(viewer, 'members', id);
    assert.equal(v.id_number, masked(ID_DUP));
    assert.equal(v.id_number, '1505*************8');
    // the list, written straight from the rows
    const lv = await req(viewer, 'GET', `/members?q=${encodeURIComponent(a.json.name)}`);
    assert.equal(lv.json.items.length, 1);
    assert.equal(lv.json.items[0].id_number, masked(ID_DUP));
    const la = await req(admin, 'GET', `/members?q=${encodeURIComponent(a.json.name)}`);
    assert.equal(la.json.items[0].id_number, ID_DUP);
    // a secretary of another procuratorate does not read it at all; hlgl-sec's own branch below
    const hl = (await req(sec, 'GET', `/members?branch_id=${secMe.branch_id}&per_page=500`)).json.items;
    const withId = hl.filter((m) => m.id_number);
    assert.ok(withId.length > 0, 'demo members carry numbers');
    for (const m of withId) assert.match(m.id_number, /^\d{4}\*{13}[\dX]$/, m.id_number);
    // the audit keeps the masked form only
    const e = (await req(admin, 'GET', `/audit?entity=members&entity_id=${id}&per_page=5`)).json.items;
    const text = JSON.stringify(e.length ? e : await lastAudit(admin));
    assert.ok(!text.includes(ID_DUP), 'the whole number is not in the audit');
  });

  test('/me says whether numbers come whole', async () => {
    assert.equal((await req(admin, 'GET', '/me')).json.sees_id_numbers, true);
    assert.equal((await req(viewer, 'GET', '/me')).json.sees_id_numbers, false);
    assert.equal(secMe.sees_id_numbers, false);
  });

  test('a secretary may record a number, sees it masked, and sending the masked form back changes nothing', async () => {
    const r = await req(sec, 'POST', '/members', { name: '书' + uniq(), branch_id: secMe.branch_id, id_number: ID_SEC });
    assert.equal(r.status, 201, r.text);
    trash.add('members', r.json.id);
    assert.equal(r.json.id_number, masked(ID_SEC));
    assert.equal(r.json.birth_date, '1987-01-15');
    const p = await req(sec, 'PATCH', `/members/${r.json.id}`, { version: r.json.version, id_number: r.json.id_number, position: '书记员' });
    assert.equal(p.status, 200, p.text);
    assert.equal((await get(admin, 'members', r.json.id)).id_number, ID_SEC, 'the stored number is unchanged');
    // a masked form that is not this member's is not a number
    const bad = await req(sec, 'PATCH', `/members/${r.json.id}`, { version: p.json.version, id_number: '1505*************1' });
    assert.equal(bad.status, 400, bad.text);
    assert.equal(bad.json.error.field, 'id_number');
  });

  test('?id_number= finds exactly that member, for administrators only', async () => {
    const a = await post(admin, { id_number: ID_B });
    assert.equal(a.status, 201, a.text);
    const r = await req(admin, 'GET', `/members?id_number=${ID_B}`);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json.items.map((m) => m.id), [a.json.id]);
    const x = await req(admin, 'GET', `/members?id_number=${ID_X.toLowerCase()}`);
    assert.equal(x.json.total, 1, 'lowercase x finds the X');
    const none = await req(admin, 'GET', '/members?id_number=150524198001011586'); // well formed, nobody's
    assert.equal(none.status, 200, none.text);
    assert.equal(none.json.total, 0);
    // only the exact number: a prefix is not a search
    const prefix = await req(admin, 'GET', `/members?id_number=${ID_B.slice(0, 10)}`);
    assert.equal(prefix.status, 400, prefix.text);
    for (const s of [viewer, sec]) {
      const f = await req(s, 'GET', `/members?id_number=${ID_B}`);
      assert.equal(f.status, 403, f.text);
      assert.equal(f.json.error.field, 'id_number');
    }
  });

  // ---- 学历, 党员类别, 转正日期, 党龄 -------------------------------------------------------

  test('学历 takes the statistics categories only', async () => {
    const ok = await post(admin, { education: '大学本科' });
    assert.equal(ok.status, 201, ok.text);
    assert.equal(ok.json.education, '大学本科');
    await refused(admin, { education: '本科' }, 400, 'invalid_value', 'education');
  });

  test('党员类别 and 转正日期 follow the probation rule', async () => {
    const y = Number(todayCN().slice(0, 4));
    const joined = `${y - 6}-03-10`;
    await refused(admin, { joined_party: joined, party_status: '正式党员' }, 400, 'required', 'full_member_date');
    await refused(admin, { joined_party: joined, party_status: '预备党员', full_member_date: `${y - 5}-03-10` }, 422, 'inconsistent', 'full_member_date');
    await refused(admin, { joined_party: joined, party_status: '正式党员', full_member_date: `${y - 5}-03-09` }, 422, 'inconsistent', 'full_member_date');
    await refused(admin, { joined_party: joined, party_status: '正式党员', full_member_date: `${y - 4}-03-11` }, 422, 'inconsistent', 'full_member_date');
    await refused(admin, { party_status: '正式党员', full_member_date: `${y - 4}-03-11` }, 400, 'required', 'joined_party');
    await refused(admin, { joined_party: todayCN(-400), party_status: '正式党员', full_member_date: todayCN(1) }, 400, 'invalid_date', 'full_member_date');
    await refused(admin, { party_status: '党员' }, 400, 'invalid_value', 'party_status');
    // a 转正日期 alone makes a full member
    const f = await post(admin, { joined_party: joined, full_member_date: `${y - 5}-03-10` });
    assert.equal(f.status, 201, f.text);
    assert.equal(f.json.party_status, '正式党员');
    const p = await post(admin, { joined_party: todayCN(-30), party_status: '预备党员' });
    assert.equal(p.status, 201, p.text);
    assert.equal(p.json.party_age, null, 'a probationary member has no 党龄');
  });

  test('党龄 counts whole years since 转正日期 (Beijing time), output only', async () => {
    const t = todayCN();
    const y = Number(t.slice(0, 4));
    const md = t.slice(4) === '-02-29' ? '-02-28' : t.slice(4);
    const full = `${y - 3}${md}`; // three years today
    const r = await post(admin, { joined_party: `${y - 4}${md}`, full_member_date: full, party_age: 99 });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.party_age, 3);
    const tomorrow = todayCN(1);
    const r2 = await post(admin, { joined_party: `${y - 5}${tomorrow.slice(4)}`.replace('-02-29', '-02-28'), full_member_date: `${y - 3}${tomorrow.slice(4)}`.replace('-02-29', '-02-28') });
    assert.equal(r2.status, 201, r2.text);
    assert.equal(r2.json.party_age, 2, 'the third year is not complete until tomorrow');
  });

  // ---- same name and birth date -----------------------------------------------------------

  test('a second member with the same name and birth date → 409 possible_duplicate naming the branch, until confirmed', async () => {
    const name = '重' + uniq();
    const a = await post(admin, { name, birth_date: '1979-04-04' });
    assert.equal(a.status, 201, a.text);
    const r = await refused(admin, { name, birth_date: '1979-04-04' }, 409, 'possible_duplicate', 'name');
    assert.ok(r.json.error.message.includes(branch.name), r.json.error.message);
    assert.match(r.json.error.message, /确认/);
    const ok = await post(admin, { name, birth_date: '1979-04-04', confirm_duplicate: true });
    assert.equal(ok.status, 201, ok.text);
    assert.ok(!('confirm_duplicate' in ok.json), 'the flag is not stored');
    // a different birth date is no warning; changing into the same is
    const c = await post(admin, { name, birth_date: '1979-04-05' });
    assert.equal(c.status, 201, c.text);
    const p = await req(admin, 'PATCH', `/members/${c.json.id}`, { version: c.json.version, birth_date: '1979-04-04' });
    assert.equal(p.status, 409, p.text);
    assert.equal(p.json.error.code, 'possible_duplicate');
    const p2 = await req(admin, 'PATCH', `/members/${c.json.id}`, { version: c.json.version, birth_date: '1979-04-04', confirm_duplicate: true });
    assert.equal(p2.status, 200, p2.text);
    // later edits of a confirmed member do not warn again
    const p3 = await req(admin, 'PATCH', `/members/${c.json.id}`, { version: p2.json.version, position: '检察官' });
    assert.equal(p3.status, 200, p3.text);
    const bad = await post(admin, { name, birth_date: '1979-04-04', confirm_duplicate: 'yes' });
    assert.equal(bad.status, 400, bad.text);
  });

  test('the warning does not name a branch the writer may not read', async () => {
    const name = '隔' + uniq();
    const a = await post(admin, { name, birth_date: '1981-06-06' });
    assert.equal(a.status, 201, a.text);
    const r = await req(zlt, 'POST', '/members', { name, birth_date: '1981-06-06', branch_id: zltBranch.id });
    if (r.status === 201) trash.add('members', r.json.id);
    assert.equal(r.status, 409, r.text);
    assert.equal(r.json.error.code, 'possible_duplicate');
    assert.ok(!r.json.error.message.includes(branch.name), r.json.error.message);
    assert.match(r.json.error.message, /其他检察院/);
    // and someone who may not write there hears nothing of it, nor of a number taken
    const s = await req(sec, 'POST', '/members', { name, birth_date: '1981-06-06', branch_id: branch.id });
    assert.equal(s.status, 403, s.text);
    const t = await req(sec, 'POST', '/members', { name: '他' + uniq(), branch_id: branch.id, id_number: ID_A });
    assert.equal(t.status, 403, t.text);
  });
});
