// GET /api/v1/_meta: every collection described from the descriptors that validate writes,
// and what the signed-in user may do with each. The tests take the description at its
// word and hold the server to it: each limit it states is the one a write meets (a value
// at max_len is taken, one character more refused; an integer at its bounds is taken, one
// past them refused; each required field left out is refused), and each "may" is what the
// server does for that role (a POST is 403 exactly when may.create is false, and so on).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { req, login, listAll, uniq, rand, Trash } from './lib.mjs';

// The collections the API serves (src/domain/registry.c).
const SERVED = ['procuratorates', 'departments', 'branches', 'party-groups', 'members', 'brands', 'methods', 'method-elements', 'honours', 'users', 'audit', 'jobs', 'holidays', 'requests', 'request-replies'];
const KINDS = new Set(['int', 'text', 'date', 'bool', 'enum', 'ref', 'json']);
const ROLES = ['admin', 'viewer', 'zlt-admin', 'hlgl-sec'];

// A body that creates one record of each collection in scope "s" ({city, proc, branch}:
// the city procuratorate, the procuratorate and branch to create it in), given "f", the
// records made before it in MAKE order (a method's brand). A new collection adds its body
// here and its name to SERVED (and to MAKE when records of it can be made).
let holidayDay = 0; // each holiday its own date (dates are unique)
const BODIES = {
  procuratorates: (s) => ({ name: '元数据院' + uniq(), short_name: '元' + rand(2), level: 2, parent_id: s.city }),
  departments: (s) => ({ procuratorate_id: s.proc, name: '元数据部门' + uniq() }),
  branches: (s) => ({ procuratorate_id: s.proc, name: '元数据支部' + uniq(), kind: '党支部' }),
  'party-groups': (s) => ({ branch_id: s.branch, name: '元数据小组' + uniq() }),
  members: (s) => ({ branch_id: s.branch, name: '元' + rand(2) }),
  brands: (s) => ({ branch_id: s.branch, name: '元数据品牌' + uniq() }),
  methods: (s, f) => ({ brand_id: f.brands.id, name: '元数据工作法' + uniq() }),
  'method-elements': (s, f) => ({ method_id: f.methods.id, label: '元数据要素' + uniq() }),
  honours: (s) => ({ branch_id: s.branch, title: '元数据荣誉' + uniq(), level: 'county', year: 2022 }),
  users: (s) => ({ username: uniq('meta-'), display_name: '元数据用户', password: 'Meta-test-' + rand() + '-7', role: 'viewer', procuratorate_id: s.proc }),
  audit: () => ({ action: 'create', entity: 'members' }),
  jobs: () => ({ kind: 'backup' }),
  holidays: () => ({ date: new Date(Date.UTC(2060, 0, 1) + holidayDay++ * 86400000).toISOString().slice(0, 10), kind: '休', name: '元数据假日' }),
  requests: (s) => ({ branch_id: s.branch, channel: '网络', kind: '咨询', received_on: '1999-12-31', requester_name: '元数据' }),
  // dated 2000-01-01, the date the limits test writes into each date field (received, closed)
  'request-replies': (s, f) => ({ request_id: f.requests.id, kind: '程序性答复', date: '2000-01-01' }),
};
// A change for a PATCH (else {sort: 7}).
const CHANGES = { members: { name: '改名' }, honours: { title: '改名荣誉' }, users: { display_name: '改名' }, audit: { action: 'tampered' }, jobs: { status: 'done' }, holidays: { name: '改名假日' }, requests: { summary: '改写摘要' }, 'request-replies': { content: '改写内容' } };
const MAKE = ['procuratorates', 'departments', 'branches', 'party-groups', 'members', 'brands', 'methods', 'method-elements', 'honours', 'users', 'holidays', 'requests', 'request-replies'];

/** One record of each collection in MAKE, made by "admin" in scope "s"; each goes to "trash". */
async function makeAll(admin, s, trash) {
  const f = {};
  for (const c of MAKE) {
    const r = await req(admin, 'POST', `/${c}`, BODIES[c](s, f));
    assert.equal(r.status, 201, `${c}: ${r.text}`);
    trash.add(c, r.json.id);
    f[c] = r.json;
  }
  return f;
}

/** The scope of a signed-in user: its procuratorate, and its branch or one of its procuratorate's. */
async function scopeOf(admin, session) {
  const procs = await listAll(admin, '/procuratorates');
  const branches = await listAll(admin, '/branches');
  const proc = session.user.procuratorate_id;
  return { city: procs.find((p) => p.level === 1).id, proc, branch: session.user.branch_id ?? branches.find((b) => b.procuratorate_id === proc).id };
}

const meta = async (s) => {
  const r = await req(s, 'GET', '/_meta');
  assert.equal(r.status, 200, r.text);
  return r.json;
};
const byName = (m) => Object.fromEntries(m.collections.map((c) => [c.name, c]));

/** A text of exactly n code points (a unique prefix, then Chinese characters, which are
 * several bytes each: the limit is counted in characters). ASCII where the field takes
 * only that. */
function textOf(n, field) {
  if (field.kind === 'date') return n < 10 ? '2'.repeat(n) : '2000-01-01' + 'x'.repeat(n - 10);
  if (field.name === 'username') return ('m' + rand(8) + 'x'.repeat(n)).slice(0, n);
  // an identity number (born 1970-01-01, check character worked by hand), then one past
  if (field.name === 'id_number') return ('150502197001011356' + '1'.repeat(n)).slice(0, n);
  if (field.name === 'password') return ('Mt-9' + rand(8) + 'aB3-'.repeat(n)).slice(0, n);
  return [...(rand(3) + '测'.repeat(n))].slice(0, n).join('');
}

describe('GET /api/v1/_meta', () => {
  let admin;
  const sessions = {};
  before(async () => {
    admin = await login('admin');
    for (const u of ROLES) sessions[u] = await login(u);
  });

  test('needs a session, and is only read', async () => {
    const r = await req(null, 'GET', '/_meta');
    assert.equal(r.status, 401);
    assert.equal(r.json.error.code, 'unauthenticated');
    // another method is 405, with a body (refused from the headers, before it is read) or without
    for (const m of ['POST', 'PATCH']) assert.equal((await req(admin, m, '/_meta', {})).status, 405, m);
    for (const m of ['POST', 'DELETE']) assert.equal((await req(admin, m, '/_meta')).status, 405, m);
  });

  test('lists every collection the API serves, each answering its own URL', async () => {
    const m = await meta(admin);
    assert.deepEqual(m.collections.map((c) => c.name).sort(), [...SERVED].sort());
    for (const c of m.collections) {
      assert.ok(c.label && /\p{Script=Han}/u.test(c.label), `${c.name}: a Chinese label`);
      assert.ok(c.fields.length > 0, c.name);
      const r = await req(admin, 'GET', `/${c.name}?per_page=1`);
      assert.equal(r.status, 200, `${c.name}: ${r.text}`);
    }
  });

  test('each field has a name, a Chinese label, a known kind and the keys its kind needs', async () => {
    const m = await meta(admin);
    for (const c of m.collections) {
      for (const f of c.fields) {
        const at = `${c.name}.${f.name}`;
        assert.ok(KINDS.has(f.kind), `${at}: kind ${f.kind}`);
        assert.ok(/\p{Script=Han}/u.test(f.label), `${at}: label ${f.label}`);
        for (const k of ['write', 'notnull', 'filter', 'sort', 'search', 'future']) assert.equal(typeof f[k], 'boolean', `${at}.${k}`);
        assert.ok(typeof f.required === 'boolean' || f.required === 'create', `${at}.required: ${f.required}`);
        if ('required_if' in f) {
          const w = c.fields.find((x) => x.name === f.required_if.field);
          assert.ok(w && w !== f, `${at}: required_if names another field`);
          assert.ok(w.kind === 'int' ? Number.isInteger(f.required_if.value) : w.values ? w.values.includes(f.required_if.value) : typeof f.required_if.value === 'string', `${at}: required_if value`);
        }
        if (f.kind === 'enum') assert.ok(Array.isArray(f.values) && f.values.length > 0, `${at}: values`);
        if (f.kind === 'ref') assert.ok(SERVED.includes(f.ref), `${at}: ref ${f.ref} is a served collection`);
        if (f.write && (f.kind === 'text' || f.kind === 'date')) assert.ok(Number.isInteger(f.max_len) && f.max_len > 0, `${at}: max_len`);
        if ('min' in f) assert.ok(f.min < f.max, at);
      }
    }
    // Hidden columns and hashes are not described at all.
    const fields = byName(m);
    assert.ok(!fields.users.fields.some((f) => f.name === 'password_hash'));
    assert.ok(!fields.members.fields.some((f) => f.name === 'name_key'));
    assert.ok(fields.users.fields.find((f) => f.name === 'password').write);
  });

  test('filters, sorts and search it names are the ones lists take', async () => {
    const m = await meta(admin);
    for (const c of m.collections) {
      assert.equal((await req(admin, 'GET', `/${c.name}?per_page=1&q=x`)).status, c.search ? 200 : 400, `${c.name} search`);
      for (const f of c.fields) {
        if (f.sort) assert.equal((await req(admin, 'GET', `/${c.name}?per_page=1&sort=-${f.name}`)).status, 200, `${c.name} sort ${f.name}`);
        else assert.equal((await req(admin, 'GET', `/${c.name}?per_page=1&sort=${f.name}`)).status, 400, `${c.name} no sort ${f.name}`);
        if (f.filter) {
          const v = f.kind === 'enum' ? f.values[0] : f.kind === 'bool' ? 'true' : f.kind === 'text' ? 'x' : '1';
          const r = await req(admin, 'GET', `/${c.name}?per_page=1&${f.name}=${encodeURIComponent(v)}`);
          assert.equal(r.status, 200, `${c.name} filter ${f.name}: ${r.text}`);
        }
      }
    }
  });
});

describe('the limits _meta states are the ones writes meet', () => {
  let admin, m, scope;
  const trash = new Trash();
  let fixtures = {};
  before(async () => {
    admin = await login('admin');
    m = byName(await meta(admin));
    scope = await scopeOf(admin, admin);
    fixtures = await makeAll(admin, scope, trash);
  });
  after(() => trash.empty(admin));

  // fields whose value needs another's (a 转正日期 a year after joining; member.c)
  const WITH = { 'members.full_member_date': { joined_party: '1999-01-01' } };
  const UNDO = { 'members.full_member_date': { party_status: null, joined_party: null }, 'holidays.date': { date: '2098-06-15' }, 'requests.received_on': { received_on: '1999-12-31' }, 'request-replies.date': { date: '2000-01-01' } };

  async function patch(c, body) {
    const cur = await req(admin, 'GET', `/${c}/${fixtures[c].id}`);
    assert.equal(cur.status, 200, cur.text);
    return req(admin, 'PATCH', `/${c}/${fixtures[c].id}`, { version: cur.json.version, ...body });
  }

  test('every writable text and date field: max_len characters taken, max_len + 1 refused on that field', async () => {
    let checked = 0;
    for (const [c, rec] of Object.entries(fixtures)) {
      for (const f of m[c].fields.filter((x) => x.write && (x.kind === 'text' || x.kind === 'date'))) {
        const at = `${c}.${f.name} (max_len ${f.max_len})`;
        const ok = await patch(c, { ...(WITH[`${c}.${f.name}`] || {}), [f.name]: textOf(f.max_len, f) });
        assert.equal(ok.status, 200, `${at} at the limit: ${ok.text}`);
        const over = await patch(c, { [f.name]: textOf(f.max_len + 1, f) });
        assert.equal(over.status, 400, `${at} one past: ${over.text}`);
        assert.equal(over.json.error.field, f.name, at);
        if (f.kind === 'text' && !f.secret) assert.equal(over.json.error.code, 'too_long', at);
        // dates are compared with each other (joined after the 18th birthday): put it back
        if (f.kind === 'date') assert.equal((await patch(c, { [f.name]: null, ...(UNDO[`${c}.${f.name}`] || {}) })).status, 200, at);
        checked++;
      }
      assert.ok(rec.id);
    }
    assert.ok(checked >= 25, `${checked} fields checked`);
  });

  test('every bounded integer: min and max taken for bounds, min − 1 and max + 1 refused on that field', async () => {
    let checked = 0;
    for (const c of Object.keys(fixtures)) {
      for (const f of m[c].fields.filter((x) => x.write && x.kind === 'int' && 'min' in x)) {
        for (const v of [f.min, f.max]) {
          const r = await patch(c, { [f.name]: v });
          // in bounds: never refused for its bounds (another rule may still speak: a
          // county procuratorate made level 1 keeps its parent, which is inconsistent)
          assert.ok(r.status === 200 || r.json.error.code !== 'invalid_value', `${c}.${f.name} = ${v}: ${r.text}`);
        }
        for (const v of [f.min - 1, f.max + 1]) {
          const r = await patch(c, { [f.name]: v });
          assert.equal(r.status, 400, `${c}.${f.name} = ${v}: ${r.text}`);
          assert.equal(r.json.error.code, 'invalid_value');
          assert.equal(r.json.error.field, f.name);
        }
        checked++;
      }
    }
    assert.ok(checked >= 4, `${checked} fields checked`);
  });

  test('every enumeration: a value outside "values" refused on that field; the record\'s own value is one of them', async () => {
    let checked = 0;
    for (const c of Object.keys(fixtures)) {
      for (const f of m[c].fields.filter((x) => x.write && x.kind === 'enum')) {
        const cur = (await req(admin, 'GET', `/${c}/${fixtures[c].id}`)).json;
        if (cur[f.name] !== null) assert.ok(f.values.includes(cur[f.name]), `${c}.${f.name} = ${cur[f.name]}`);
        const r = await patch(c, { [f.name]: 'nonesuch-' + rand(2) });
        assert.equal(r.status, 400, `${c}.${f.name}: ${r.text}`);
        assert.equal(r.json.error.field, f.name);
        checked++;
      }
    }
    assert.ok(checked >= 6, `${checked} fields checked`);
  });

  test('every required field: a create without it is refused, naming it', async () => {
    let checked = 0;
    for (const c of MAKE) {
      const body = BODIES[c](scope, fixtures);
      for (const f of m[c].fields.filter((x) => x.required)) {
        assert.ok(f.name in body, `${c}: the test's body gives required ${f.name}`);
        const { [f.name]: _, ...without } = body;
        const r = await req(admin, 'POST', `/${c}`, without);
        if (r.status === 201) trash.add(c, r.json.id);
        assert.equal(r.status, 400, `${c} without ${f.name}: ${r.text}`);
        assert.equal(r.json.error.code, 'required', `${c} without ${f.name}`);
        assert.equal(r.json.error.field, f.name);
        checked++;
      }
    }
    assert.ok(checked >= 15, `${checked} fields checked`);
  });
});

describe('a field required only in some cases is required exactly then', () => {
  let admin, m, scope, fixtures;
  const trash = new Trash();
  before(async () => {
    admin = await login('admin');
    m = byName(await meta(admin));
    scope = await scopeOf(admin, admin);
    fixtures = await makeAll(admin, scope, trash);
  });
  after(() => trash.empty(admin));
  // what a body needs besides, whatever the condition (a 党员类别 needs 入党日期; member.c)
  const EXTRA = { members: { joined_party: '2000-01-01' } };
  const without = (body, name) => Object.fromEntries(Object.entries(body).filter(([k]) => k !== name));
  const conditional = () => MAKE.flatMap((c) => m[c].fields.filter((f) => f.required_if).map((f) => [c, f]));

  test('required_if: under the condition a body without the field is refused on it (create and update); otherwise taken', async () => {
    for (const [c, f] of conditional()) {
      const at = `${c}.${f.name}`;
      const w = m[c].fields.find((x) => x.name === f.required_if.field);
      const other = w.kind === 'int' ? [w.min, w.max].find((v) => v !== f.required_if.value) : w.values.find((v) => v !== f.required_if.value);
      const body = without({ ...BODIES[c](scope, fixtures), ...(EXTRA[c] || {}) }, f.name);
      const refused = await req(admin, 'POST', `/${c}`, { ...body, [w.name]: f.required_if.value });
      if (refused.status === 201) trash.add(c, refused.json.id);
      assert.equal(refused.status, 400, `${at} missing when ${w.name} = ${f.required_if.value}: ${refused.text}`);
      assert.equal(refused.json.error.code, 'required', at);
      assert.equal(refused.json.error.field, f.name, at);
      assert.ok(/\p{Script=Han}/u.test(refused.json.error.message), at);
      const taken = await req(admin, 'POST', `/${c}`, { ...body, [w.name]: other });
      assert.equal(taken.status, 201, `${at} missing when ${w.name} = ${other}: ${taken.text}`);
      trash.add(c, taken.json.id);
      assert.equal(taken.json[f.name], null, at);
      // an update that leaves the record under the condition without the field
      const cur = (await req(admin, 'GET', `/${c}/${taken.json.id}`)).json;
      const upd = await req(admin, 'PATCH', `/${c}/${taken.json.id}`, { version: cur.version, [w.name]: f.required_if.value });
      assert.equal(upd.status, 400, `${at} update: ${upd.text}`);
      assert.equal(upd.json.error.code, 'required', at);
      assert.equal(upd.json.error.field, f.name, at);
      assert.deepEqual((await req(admin, 'GET', `/${c}/${taken.json.id}`)).json, cur, `${at}: the refused update changed nothing`);
    }
    assert.deepEqual(conditional().map(([c, f]) => `${c}.${f.name}`).sort(), ['members.full_member_date', 'procuratorates.parent_id', 'users.branch_id']);
  });

  test('required "create": a create without the field is refused on it, an update without it taken', async () => {
    const once = MAKE.flatMap((c) => m[c].fields.filter((f) => f.required === 'create').map((f) => [c, f]));
    assert.deepEqual(once.map(([c, f]) => `${c}.${f.name}`), ['users.password']);
    for (const [c, f] of once) {
      const r = await req(admin, 'POST', `/${c}`, without(BODIES[c](scope, fixtures), f.name));
      if (r.status === 201) trash.add(c, r.json.id);
      assert.equal(r.status, 400, r.text);
      assert.equal(r.json.error.code, 'required');
      assert.equal(r.json.error.field, f.name);
      for (const v of [undefined, null, '']) {
        const cur = (await req(admin, 'GET', `/${c}/${fixtures[c].id}`)).json;
        const u = await req(admin, 'PATCH', `/${c}/${fixtures[c].id}`, { version: cur.version, ...CHANGES[c], ...(v === undefined ? {} : { [f.name]: v }) });
        assert.equal(u.status, 200, `${c}.${f.name} = ${v} on update: ${u.text}`);
      }
    }
  });
});

describe('may.* is what the server does, for each demo role', () => {
  let admin;
  const sessions = {};
  const trash = new Trash();
  const scope = {}; // role → {proc, branch}
  const fix = {}; // role → collection → a record in the role's own scope, made by admin
  const metas = {};
  let backupJob = null;

  before(async () => {
    admin = await login('admin');
    for (const u of ROLES) {
      const s = (sessions[u] = await login(u));
      metas[u] = byName(await meta(s));
      scope[u] = await scopeOf(admin, s);
      fix[u] = await makeAll(admin, scope[u], trash);
      const a = await req(admin, 'GET', `/audit?per_page=1&sort=-id&procuratorate_id=${scope[u].proc}`);
      fix[u].audit = a.json.items[0];
    }
  });
  after(() => trash.empty(admin));

  test('the city administrator, the viewer, a county administrator and a secretary differ as their roles do', () => {
    const may = (u, c) => metas[u][c].may;
    assert.deepEqual(may('admin', 'members'), { read: true, create: true, update: true, delete: true, export: true });
    assert.deepEqual(may('viewer', 'members'), { read: true, create: false, update: false, delete: false, export: false });
    assert.equal(may('viewer', 'branches').export, true, 'leadership exports the organisation');
    assert.equal(may('zlt-admin', 'procuratorates').create, false);
    assert.equal(may('zlt-admin', 'members').export, true, 'a county administrator exports its own members');
    assert.equal(may('hlgl-sec', 'members').create, true);
    assert.equal(may('hlgl-sec', 'members').export, false, 'a secretary takes no file of personal data');
    assert.equal(may('hlgl-sec', 'branches').create, false);
    assert.equal(may('hlgl-sec', 'users').read, false);
    for (const u of ROLES) {
      for (const c of Object.values(metas[u])) {
        const m = c.may;
        if (!m.read) assert.ok(!m.create && !m.update && !m.delete && !m.export, `${u} ${c.name}: nothing without read`);
      }
    }
  });

  for (const u of ROLES) {
    describe(u, () => {
      for (const c of SERVED) {
        test(`${c}: read, create, update and delete as _meta says`, async () => {
          const s = sessions[u];
          const may = metas[u][c].may;
          const list = await req(s, 'GET', `/${c}?per_page=1`);
          assert.equal(list.status, may.read ? 200 : 403, `GET: ${list.text.slice(0, 200)}`);

          const created = await req(s, 'POST', `/${c}`, BODIES[c](scope[u], fix[u]));
          if (created.status === 201) trash.add(c, created.json.id);
          if (created.status === 202) backupJob = created.json;
          const good = c === 'jobs' ? 202 : 201;
          assert.equal(created.status, may.create ? good : 403, `POST: ${created.text.slice(0, 200)}`);

          // A record in the role's own scope (the newest job for jobs: only the admin's is in scope).
          let target = fix[u][c];
          if (c === 'jobs') target = backupJob && u === 'admin' ? backupJob : null;
          if (!target) return; // no record in scope to change (jobs of other roles)
          const upd = await req(s, 'PATCH', `/${c}/${target.id}`, { version: target.version ?? 1, ...(CHANGES[c] ?? { sort: 7 }) });
          if (upd.status === 200) fix[u][c] = upd.json;
          assert.equal(upd.status, may.update ? 200 : 403, `PATCH: ${upd.text.slice(0, 200)}`);

          // Delete a fresh record (made by the administrator in the role's scope).
          let victim = target;
          if (MAKE.includes(c)) {
            const r = await req(admin, 'POST', `/${c}`, BODIES[c](scope[u], fix[u]));
            assert.equal(r.status, 201, r.text);
            trash.add(c, r.json.id);
            victim = r.json;
          }
          const del = await req(s, 'DELETE', `/${c}/${victim.id}?version=${victim.version ?? 1}`);
          assert.equal(del.status, may.delete ? 204 : 403, `DELETE: ${del.text.slice(0, 200)}`);
        });
      }
    });
  }
});
