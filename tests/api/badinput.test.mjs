// Malformed and invalid input: each is refused with the documented status and code, and
// nothing changes (no record, no audit entry).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { req, login, listAll, uniq, Trash, get, total, auditCount, todayCN } from './lib.mjs';

describe('bad input', () => {
  let admin, branch, otherDept, ownDept, victim;
  const trash = new Trash();
  let counts;
  const snapshot = async () => ({
    members: await total(admin, '/members'),
    departments: await total(admin, '/departments'),
    audit: await auditCount(admin),
  });

  before(async () => {
    admin = await login('admin');
    const branches = await listAll(admin, '/branches');
    branch = branches.find((b) => b.name.includes('扎鲁特旗'));
    const depts = await listAll(admin, '/departments');
    ownDept = depts.find((d) => d.procuratorate_id === branch.procuratorate_id);
    otherDept = depts.find((d) => d.procuratorate_id !== branch.procuratorate_id);
    victim = (await req(admin, 'POST', '/members', { name: '受试' + uniq(), branch_id: branch.id, birth_date: '1985-03-03' })).json;
    trash.add('members', victim.id);
  });
  after(async () => {
    await trash.empty(admin);
  });

  /** Send a write, expect it refused with status/code (and field), and nothing changed. */
  async function refused(method, path, body, status, code, field, headers) {
    const before = await snapshot();
    const victimBefore = await get(admin, 'members', victim.id);
    const r = await req(admin, method, path, body, headers);
    assert.equal(r.status, status, `${method} ${path}: ${r.text.slice(0, 300)}`);
    assert.ok(r.json?.error, `error body: ${r.text.slice(0, 200)}`);
    if (code) assert.equal(r.json.error.code, code);
    if (field !== undefined) assert.equal(r.json.error.field, field);
    assert.match(r.json.error.message, /[\u4e00-\u9fff]/, 'message in Chinese');
    assert.deepEqual(await snapshot(), before, 'nothing was created and nothing audited');
    assert.deepEqual(await get(admin, 'members', victim.id), victimBefore, 'the existing record is unchanged');
    return r;
  }
  const member = (extra = {}) => ({ name: '测试' + uniq(), branch_id: branch.id, ...extra });

  test('malformed JSON → 400 bad_json', async () => {
    await refused('POST', '/members', '{"name": "张三", "branch_id": ', 400, 'bad_json');
  });
  test('malformed JSON on PATCH → 400 bad_json', async () => {
    await refused('PATCH', `/members/${victim.id}`, '{"version": 1, "position": }', 400, 'bad_json');
  });
  test('empty body → 400 bad_json', async () => {
    await refused('POST', '/members', '', 400, 'bad_json');
  });
  test('JSON array body → 400', async () => {
    await refused('POST', '/members', JSON.stringify([member()]), 400);
  });
  test('JSON string body → 400', async () => {
    await refused('POST', '/members', '"张三"', 400);
  });
  test('duplicate keys in the JSON object → 400 bad_json', async () => {
    await refused('POST', '/members', `{"name":"甲${uniq()}","name":"乙","branch_id":${branch.id}}`, 400, 'bad_json');
  });
  test('invalid UTF-8 in the body → 400', async () => {
    const body = Buffer.concat([Buffer.from(`{"branch_id":${branch.id},"name":"`), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]);
    await refused('POST', '/members', body, 400);
  });
  test('name: 123 → 400 invalid_type (field name)', async () => {
    await refused('POST', '/members', member({ name: 123 }), 400, 'invalid_type', 'name');
  });
  test('quota_prosecutor: "yes" → 400 invalid_type', async () => {
    await refused('POST', '/members', member({ quota_prosecutor: 'yes' }), 400, 'invalid_type', 'quota_prosecutor');
  });
  test('branch_id as a string "1" → 400 invalid_type', async () => {
    await refused('POST', '/members', member({ branch_id: String(branch.id) }), 400, 'invalid_type', 'branch_id');
  });
  test('branch_id 1.5 → 400 invalid_type', async () => {
    await refused('POST', '/members', member({ branch_id: 1.5 }), 400, 'invalid_type', 'branch_id');
  });
  test('name as an object → 400 invalid_type', async () => {
    await refused('POST', '/members', member({ name: { zh: '张三' } }), 400, 'invalid_type', 'name');
  });
  test('PATCH with a wrong type → 400 invalid_type, record unchanged', async () => {
    await refused('PATCH', `/members/${victim.id}`, { version: victim.version, quota_prosecutor: 1 }, 400, 'invalid_type', 'quota_prosecutor');
  });
  test('version as a string → 400', async () => {
    await refused('PATCH', `/members/${victim.id}`, { version: String(victim.version), position: 'x' }, 400, null, 'version');
  });
  test('unknown field → 400 unknown_field naming the field', async () => {
    const r = await refused('POST', '/members', member({ nickname: '小张' }), 400, 'unknown_field', 'nickname');
    assert.match(r.json.error.message, /nickname/);
  });
  test('unknown field on PATCH → 400 unknown_field', async () => {
    await refused('PATCH', `/members/${victim.id}`, { version: victim.version, hobby: '读书' }, 400, 'unknown_field', 'hobby');
  });
  for (const d of ['2023-02-30', '2023-13-01', 'yesterday', '2023-2-3', '2023/02/03', '20230203', '2023-00-10', '2023-04-31', '2100-01-01']) {
    test(`birth_date ${JSON.stringify(d)} → 400 invalid_date`, async () => {
      await refused('POST', '/members', member({ birth_date: d }), 400, 'invalid_date', 'birth_date');
    });
  }
  test('birth_date tomorrow (a future date) → 400 invalid_date', async () => {
    await refused('POST', '/members', member({ birth_date: todayCN(1) }), 400, 'invalid_date', 'birth_date');
  });
  test('joined_party in the future on PATCH → 400 invalid_date', async () => {
    await refused('PATCH', `/members/${victim.id}`, { version: victim.version, joined_party: todayCN(2) }, 400, 'invalid_date', 'joined_party');
  });
  for (const d of ['2000-02-29', '2024-02-29']) {
    test(`${d} (a leap day: divisible by ${d.startsWith('2000') ? 400 : 4}) is a valid date`, async () => {
      const r = await req(admin, 'POST', '/members', member({ birth_date: d }));
      assert.equal(r.status, 201, r.text);
      trash.add('members', r.json.id);
      assert.equal(r.json.birth_date, d);
    });
  }
  for (const d of ['2023-02-29', '1900-02-29']) {
    test(`${d} (not a leap year${d.startsWith('1900') ? ': a century not divisible by 400' : ''}) → 400 invalid_date`, async () => {
      await refused('POST', '/members', member({ birth_date: d }), 400, 'invalid_date', 'birth_date');
    });
  }
  test('joined_party before the 18th birthday → 422', async () => {
    await refused('POST', '/members', member({ birth_date: '1990-05-10', joined_party: '2008-05-09' }), 422, null, 'joined_party');
  });
  test('joined_party before the 18th birthday on PATCH (birth_date already stored) → 422', async () => {
    await refused('PATCH', `/members/${victim.id}`, { version: victim.version, joined_party: '2002-01-01' }, 422, null, 'joined_party');
  });
  test('joined_party on the 18th birthday is accepted', async () => {
    const r = await req(admin, 'POST', '/members', member({ birth_date: '1990-05-10', joined_party: '2008-05-10' }));
    assert.equal(r.status, 201, r.text);
    trash.add('members', r.json.id);
  });
  test('branch_id that does not exist → 422 invalid_reference', async () => {
    await refused('POST', '/members', member({ branch_id: 987654 }), 422, 'invalid_reference', 'branch_id');
  });
  test('department_id that does not exist → 422 invalid_reference', async () => {
    await refused('POST', '/members', member({ department_id: 987654 }), 422, 'invalid_reference', 'department_id');
  });
  for (const id of [0, -1, -3, -9007199254740991]) {
    test(`branch_id ${id} (0 / negative) → 422 invalid_reference`, async () => {
      await refused('POST', '/members', member({ branch_id: id }), 422, 'invalid_reference', 'branch_id');
    });
  }
  test('department from another procuratorate → 422 inconsistent', async () => {
    await refused('POST', '/members', member({ department_id: otherDept.id }), 422, 'inconsistent', 'department_id');
  });
  test('department from another procuratorate on PATCH → 422 inconsistent', async () => {
    await refused('PATCH', `/members/${victim.id}`, { version: victim.version, department_id: otherDept.id }, 422, 'inconsistent', 'department_id');
  });
  test('department of the same procuratorate is accepted', async () => {
    const r = await req(admin, 'POST', '/members', member({ department_id: ownDept.id }));
    assert.equal(r.status, 201, r.text);
    trash.add('members', r.json.id);
    assert.equal(r.json.department_name, ownDept.name);
  });
  test('party group of another branch → 422 inconsistent', async () => {
    const groups = await listAll(admin, '/party-groups');
    const g = groups.find((x) => x.branch_id !== branch.id);
    await refused('POST', '/members', member({ party_group_id: g.id }), 422, 'inconsistent', 'party_group_id');
  });
  test('body over 1 MiB → 413 too_large', async () => {
    await refused('POST', '/members', member({ position: 'x'.repeat(1100 * 1024) }), 413, 'too_large');
  });
  test('PATCH body over 1 MiB → 413 too_large', async () => {
    await refused('PATCH', `/members/${victim.id}`, { version: victim.version, position: '长'.repeat(400 * 1024) }, 413, 'too_large');
  });
  test('duplicate department name in the same procuratorate → 409 duplicate, on the field name', async () => {
    await refused('POST', '/departments', { procuratorate_id: ownDept.procuratorate_id, name: ownDept.name }, 409, 'duplicate', 'name');
  });
  test('the same department name in another procuratorate is fine', async () => {
    const r = await req(admin, 'POST', '/departments', { procuratorate_id: otherDept.procuratorate_id === 1 ? 2 : 1, name: ownDept.name + uniq() });
    assert.equal(r.status, 201, r.text);
    trash.add('departments', r.json.id);
    const again = await req(admin, 'POST', '/departments', { procuratorate_id: ownDept.procuratorate_id, name: r.json.name });
    assert.equal(again.status, 201, again.text);
    trash.add('departments', again.json.id);
  });
  test('renaming a department to an existing name → 409 duplicate, on the field name', async () => {
    const depts = await listAll(admin, `/departments?procuratorate_id=${ownDept.procuratorate_id}`);
    const other = depts.find((d) => d.id !== ownDept.id);
    await refused('PATCH', `/departments/${other.id}`, { version: other.version, name: ownDept.name }, 409, 'duplicate', 'name');
  });
  test('a username that is taken → 409 duplicate, on the field username', async () => {
    const u = (await req(admin, 'GET', '/users?per_page=1')).json.items[0];
    const body = { username: u.username, display_name: '重名', password: 'Dup-user-' + uniq() + '-9', role: 'viewer', procuratorate_id: u.procuratorate_id };
    await refused('POST', '/users', body, 409, 'duplicate', 'username');
  });
  test('a string with NUL (\\u0000) → 400', async () => {
    await refused('POST', '/members', `{"name":"张\\u0000三","branch_id":${branch.id}}`, 400);
  });
  test('a string with a control character (\\u0001) → 400', async () => {
    await refused('POST', '/members', member({ name: '张\u0001三' }), 400, null, 'name');
  });
  test('a string with ESC (\\u001b) in a PATCH → 400', async () => {
    await refused('PATCH', `/members/${victim.id}`, { version: victim.version, position: 'a\u001b[31m' }, 400, null, 'position');
  });
  test('a string with DEL (\\u007f) → 400', async () => {
    await refused('POST', '/members', member({ position: 'a\u007fb' }), 400, null, 'position');
  });
  test('name over 30 characters → 400 too_long', async () => {
    await refused('POST', '/members', member({ name: '张'.repeat(31) }), 400, 'too_long', 'name');
  });
  test('name of exactly 30 characters is accepted (counted in characters, not bytes)', async () => {
    const suffix = uniq();
    const name = '张'.repeat(30 - suffix.length) + suffix;
    assert.equal([...name].length, 30);
    const r = await req(admin, 'POST', '/members', { name, branch_id: branch.id });
    assert.equal(r.status, 201, r.text);
    trash.add('members', r.json.id);
  });
  test('empty required name → 400 required', async () => {
    await refused('POST', '/members', member({ name: '' }), 400, 'required', 'name');
  });
  test('null for a required field on PATCH → 400 required', async () => {
    await refused('PATCH', `/members/${victim.id}`, { version: victim.version, name: null }, 400, 'required', 'name');
  });
  test('gender not 男/女 → 400 invalid_value', async () => {
    await refused('POST', '/members', member({ gender: 'M' }), 400, 'invalid_value', 'gender');
  });
  test('languages not zh|mn|zh+mn → 400 invalid_value', async () => {
    await refused('POST', '/members', member({ languages: 'en' }), 400, 'invalid_value', 'languages');
  });
  test('honour year 1800 → 400 invalid_value', async () => {
    await refused('POST', '/honours', { branch_id: branch.id, title: '测试' + uniq(), level: 'city', year: 1800 }, 400, 'invalid_value', 'year');
  });
  test('honour level "world" → 400 invalid_value', async () => {
    await refused('POST', '/honours', { branch_id: branch.id, title: '测试' + uniq(), level: 'world', year: 2024 }, 400, 'invalid_value', 'level');
  });
  test('honour with neither branch nor member → 400 required', async () => {
    await refused('POST', '/honours', { title: '测试' + uniq(), level: 'city', year: 2024 }, 400, 'required');
  });
  test('user password shorter than 10 characters → 400', async () => {
    await refused('POST', '/users', { username: uniq('u-'), display_name: '测试', password: 'short', role: 'viewer', procuratorate_id: 1 }, 400, null, 'password');
  });
  test('username with spaces → 400 invalid_value', async () => {
    await refused('POST', '/users', { username: 'a b', display_name: '测试', password: 'long-enough-pw-1', role: 'viewer', procuratorate_id: 1 }, 400, 'invalid_value', 'username');
  });
  test('secretary account without a branch → 400 required branch_id', async () => {
    await refused('POST', '/users', { username: uniq('u-'), display_name: '测试', password: 'long-enough-pw-1', role: 'secretary', procuratorate_id: 1 }, 400, 'required', 'branch_id');
  });
  test('procuratorate level 3 → 400 invalid_value', async () => {
    await refused('POST', '/procuratorates', { name: '测试院' + uniq(), short_name: '测', level: 3, parent_id: 1 }, 400, 'invalid_value', 'level');
  });
  test('county procuratorate whose parent is a county → 422 inconsistent', async () => {
    await refused('POST', '/procuratorates', { name: '测试院' + uniq(), short_name: '测', level: 2, parent_id: branch.procuratorate_id }, 422, 'inconsistent', 'parent_id');
  });
  test('brand as its own parent → 422 inconsistent', async () => {
    const brands = await listAll(admin, '/brands');
    const b = brands.find((x) => x.name === '萨日朗');
    await refused('PATCH', `/brands/${b.id}`, { version: b.version, parent_id: b.id }, 422, 'inconsistent', 'parent_id');
  });
  test('deleting a brand that still has methods → 409 in_use', async () => {
    const brands = await listAll(admin, '/brands');
    const b = brands.find((x) => x.name === '萨日朗');
    await refused('DELETE', `/brands/${b.id}?version=${b.version}`, undefined, 409, 'in_use');
  });
  test('deleting a procuratorate that still has branches → 409 in_use', async () => {
    const p = await get(admin, 'procuratorates', branch.procuratorate_id);
    await refused('DELETE', `/procuratorates/${p.id}?version=${p.version}`, undefined, 409, 'in_use');
  });
  test('deleting a branch that still has members → 409 in_use', async () => {
    const b = await get(admin, 'branches', branch.id);
    await refused('DELETE', `/branches/${b.id}?version=${b.version}`, undefined, 409, 'in_use');
  });
  test('DELETE with version=abc → 400', async () => {
    await refused('DELETE', `/members/${victim.id}?version=abc`, undefined, 400);
  });
  test('unsupported method → 405 method_not_allowed', async () => {
    await refused('PUT', '/members', member(), 405, 'method_not_allowed');
  });
  test('unknown collection → 404 not_found', async () => {
    await refused('POST', '/widgets', { name: 'x' }, 404, 'not_found');
  });
  test('GET of an unknown sub-path /members/<id>/x/y → 404', async () => {
    const r = await req(admin, 'GET', `/members/${victim.id}/x/y`);
    assert.equal(r.status, 404, r.text.slice(0, 200));
    assert.equal(r.json?.error?.code, 'not_found');
  });
  test('PATCH of an unknown sub-path /members/<id>/x/y → 404, nothing changes', async () => {
    const m = (await req(admin, 'POST', '/members', member({ position: '原职务' }))).json;
    trash.add('members', m.id);
    const r = await req(admin, 'PATCH', `/members/${m.id}/x/y`, { version: m.version, position: '经由错误路径' });
    assert.equal(r.status, 404, r.text.slice(0, 200));
    assert.deepEqual(await get(admin, 'members', m.id), m, 'the member is unchanged');
  });
  test('DELETE of an unknown sub-path /members/<id>/history/x → 404, nothing deleted', async () => {
    const m = (await req(admin, 'POST', '/members', member())).json;
    trash.add('members', m.id);
    const r = await req(admin, 'DELETE', `/members/${m.id}/history/x`);
    assert.equal(r.status, 404, r.text.slice(0, 200));
    assert.equal((await req(admin, 'GET', `/members/${m.id}`)).status, 200, 'the member is still there');
  });
  test('PATCH of a record that does not exist → 404', async () => {
    await refused('PATCH', '/members/987654321', { version: 1, position: 'x' }, 404, 'not_found');
  });
});
