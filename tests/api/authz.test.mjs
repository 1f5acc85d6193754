// The authorisation matrix: every collection × every role × own / another procuratorate's
// record × list, read, create, update, delete. The expectations are a table (EXPECT below);
// each cell is its own test. Every write cell also checks the audit trail: a successful
// write adds exactly one entry (the newest, naming the record), a refused write adds none.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { req, login, listAll, uniq, rand, Trash, get, auditCount as allAudit, lastAudit, total, todayCN } from './lib.mjs';

// The audit entries of the write a cell makes: a member's terms (partylife.c), written
// and audited with the member, are counted apart.
const auditCount = async (admin) => (await allAudit(admin)) - (await total(admin, '/audit?entity=member-terms'));

const COLLECTIONS = ['procuratorates', 'departments', 'branches', 'party-groups', 'members', 'brands', 'methods', 'method-elements', 'honours', 'users', 'audit', 'member-terms', 'activities', 'attendance', 'life-rules', 'cases', 'case-members', 'case-reviews', 'pil-matters', 'patrols', 'outreach', 'holidays', 'requests', 'request-replies'];
const OPS = ['list', 'read', 'create', 'update', 'delete'];

// Statuses in the order of OPS.
const ALL = [200, 200, 201, 200, 204]; //     reads and writes
const RO = [200, 200, 403, 403, 403]; //      reads, every write refused
const ANON = [401, 401, 401, 401, 401]; //    not signed in
const DENY = [403, 403, 403, 403, 403]; //    the collection is closed to the role
const HIDDEN = [200, 404, 403, 404, 404]; //  another procuratorate's scoped record: not in lists, 404
const AUDIT_RO = [200, 200, 403, 403, 403]; // audit is read-only for everyone
const HIDDEN_RO = [200, 404, 403, 404, 404]; // another procuratorate's read-only record
// a record under a parent one may not see (attendance of another procuratorate's meeting):
// the parent is answered as absent, 422 invalid_reference
const HIDDEN_CHILD = [200, 404, 422, 404, 404];
const HIDDEN_PARENT = HIDDEN_CHILD; // as HIDDEN, made under a parent one may not see (a case): no such parent

// Which procuratorate/branch is "own" and "other" for each role.
const ROLES = {
  anonymous: { user: null, own: 'city', other: 'zlt' },
  admin: { user: 'admin', own: 'city', other: 'zlt' },
  viewer: { user: 'viewer', own: 'city', other: 'zlt' },
  'zlt-admin': { user: 'zlt-admin', own: 'zlt', other: 'hlgl' },
  'hlgl-sec': { user: 'hlgl-sec', own: 'hlgl', other: 'zlt' },
};

const same = (row) => ({ own: row, other: row });
const byColl = (f) => Object.fromEntries(COLLECTIONS.map((c) => [c, f(c)]));

/** EXPECT[role][collection] = {own: [list, read, create, update, delete], other: [...]} */
const EXPECT = {
  anonymous: byColl(() => same(ANON)),
  // The city administrator administers both levels; audit is read-only for everyone.
  admin: byColl((c) => (c === 'audit' || c === 'member-terms' ? same(AUDIT_RO) : same(ALL))),
  // City leadership reads everything, users and audit included, and writes nothing.
  viewer: byColl(() => same(RO)),
  'zlt-admin': {
    procuratorates: same(RO),
    departments: { own: ALL, other: RO },
    branches: { own: ALL, other: RO },
    'party-groups': { own: ALL, other: RO },
    members: { own: ALL, other: HIDDEN },
    brands: { own: ALL, other: RO },
    methods: { own: ALL, other: RO },
    'method-elements': { own: ALL, other: RO },
    honours: { own: ALL, other: RO },
    users: { own: ALL, other: HIDDEN },
    audit: { own: AUDIT_RO, other: [200, 404, 403, 404, 404] },
    'member-terms': { own: RO, other: HIDDEN_RO },
    activities: { own: ALL, other: HIDDEN },
    attendance: { own: ALL, other: HIDDEN_CHILD },
    'life-rules': { own: ALL, other: RO },
    cases: { own: ALL, other: HIDDEN },
    'case-members': { own: ALL, other: HIDDEN_PARENT },
    'case-reviews': { own: ALL, other: HIDDEN_PARENT },
    'pil-matters': { own: ALL, other: HIDDEN },
    patrols: { own: ALL, other: HIDDEN },
    outreach: { own: ALL, other: HIDDEN },
    holidays: same(RO), // one calendar for the system: the city's administrators keep it
    requests: { own: ALL, other: HIDDEN },
    'request-replies': { own: ALL, other: [200, 404, 422, 404, 404] }, // another's request: no such reference
  },
  'hlgl-sec': {
    procuratorates: same(RO),
    departments: same(RO),
    branches: same(RO),
    'party-groups': { own: ALL, other: RO },
    members: { own: ALL, other: HIDDEN },
    brands: { own: ALL, other: RO },
    methods: { own: ALL, other: RO },
    'method-elements': { own: ALL, other: RO },
    honours: { own: ALL, other: RO },
    users: same(DENY),
    audit: same(DENY),
    'member-terms': { own: RO, other: HIDDEN_RO },
    activities: { own: ALL, other: HIDDEN },
    attendance: { own: ALL, other: HIDDEN_CHILD },
    'life-rules': same(RO),
    // a secretary reads its procuratorate's cases and reviews them for its branch (三必评)
    cases: { own: RO, other: HIDDEN },
    'case-members': { own: RO, other: HIDDEN_PARENT },
    'case-reviews': { own: ALL, other: HIDDEN_PARENT },
    'pil-matters': { own: ALL, other: HIDDEN },
    patrols: { own: ALL, other: HIDDEN },
    outreach: { own: ALL, other: HIDDEN },
    holidays: same(RO),
    requests: { own: ALL, other: HIDDEN },
    'request-replies': { own: ALL, other: [200, 404, 422, 404, 404] },
  },
};

const ERROR_CODE = { 401: 'unauthenticated', 403: 'forbidden', 404: 'not_found', 422: 'invalid_reference' };

// Lists narrowed to the reader's own procuratorate for county accounts.
const NARROWED = new Set(['members', 'users', 'audit', 'member-terms', 'activities', 'attendance', 'cases', 'case-members', 'case-reviews', 'pil-matters', 'patrols', 'outreach', 'requests', 'request-replies']);

// First, because a failure here takes the server down for every later test.
describe('refused writes leave the server running', () => {
  let admin, viewer;
  before(async () => {
    admin = await login('admin');
    viewer = await login('viewer');
  });

  test('a refused PATCH (viewer → 403) and then GET /health → 200', async () => {
    const d = (await req(admin, 'GET', '/departments?per_page=1')).json.items[0];
    for (let i = 0; i < 20; i++) {
      const r = await req(viewer, 'PATCH', `/departments/${d.id}`, { version: d.version, sort: d.sort });
      assert.equal(r.status, 403, `attempt ${i + 1}: ${r.text}`);
    }
    const h = await req(null, 'GET', '/health');
    assert.equal(h.status, 200);
  });

  test('a refused DELETE (viewer → 403) and then GET /health → 200', async () => {
    const d = (await req(admin, 'GET', '/departments?per_page=1')).json.items[0];
    for (let i = 0; i < 20; i++) {
      const r = await req(viewer, 'DELETE', `/departments/${d.id}?version=${d.version}`);
      assert.equal(r.status, 403, `attempt ${i + 1}: ${r.text}`);
    }
    assert.equal((await req(null, 'GET', '/health')).status, 200);
  });
});

describe('authorisation matrix', () => {
  const sessions = {};
  let admin;
  const scopes = {}; // city | zlt | hlgl → {proc, branch}
  const fixtures = {}; // scope → collection → record
  const trash = new Trash();
  const procSorts = {};

  // Bodies that create a record of each collection in a scope.
  const bodies = {
    procuratorates: () => ({ name: '测试检察院' + uniq(), short_name: '测试' + rand(2), level: 2, parent_id: scopes.city.proc }),
    departments: (s) => ({ procuratorate_id: scopes[s].proc, name: '测试部门' + uniq(), kind: '业务' }),
    branches: (s) => ({ procuratorate_id: scopes[s].proc, name: '测试党支部' + uniq(), kind: '党支部' }),
    'party-groups': (s) => ({ branch_id: scopes[s].branch, name: '测试党小组' + uniq() }),
    members: (s) => ({ branch_id: scopes[s].branch, name: '测试' + uniq(), position: '检察官' }),
    brands: (s) => ({ branch_id: scopes[s].branch, name: '测试品牌' + uniq() }),
    methods: (s) => ({ brand_id: fixtures[s].brands.id, name: '测试工作法' + uniq() }),
    'method-elements': (s) => ({ method_id: fixtures[s].methods.id, label: '测试要素' + uniq(), count: 3 }),
    honours: (s) => ({ branch_id: scopes[s].branch, title: '测试荣誉' + uniq(), level: 'county', year: 2024 }),
    users: (s) => ({ username: uniq('authz-'), display_name: '测试用户', password: 'authz-password-' + rand() + '-1', role: 'viewer', procuratorate_id: scopes[s].proc }),
    audit: () => ({ action: 'create', entity: 'members' }),
    'member-terms': (s) => ({ member_id: fixtures[s].members.id, from_date: '2000-01-01' }),
    activities: (s) => ({ branch_id: scopes[s].branch, kind: '支委会', held_on: todayCN(), topic: '测试会议' + uniq() }),
    // one row per member per meeting: each body names the next member of the branch
    attendance: (s) => ({ activity_id: fixtures[s].activities.id, member_id: scopes[s].members[turn++ % scopes[s].members.length], status: '出席' }),
    'life-rules': (s) => ({ procuratorate_id: scopes[s].proc, kind: '党课', period: '年', required_count: 1 }),
    cases: (s) => ({ procuratorate_id: scopes[s].proc, case_no: '测试案号' + uniq(), title: '测试案件', type: '审查逮捕', received_on: '2025-02-03' }),
    'case-members': (s) => ({ case_id: fixtures[s].cases.id, person_name: '测试' + rand(2), role: '书记员' }),
    // one review per aspect per case: each on a case of its own, made here
    'case-reviews': async (s) => {
      const c = await req(admin, 'POST', '/cases', bodies.cases(s));
      assert.equal(c.status, 201, c.text);
      trash.add('cases', c.json.id);
      return { case_id: c.json.id, branch_id: scopes[s].branch, aspect: '政治考量', score: 80 };
    },
    'pil-matters': (s) => ({ procuratorate_id: scopes[s].proc, branch_id: scopes[s].branch, title: '测试线索' + uniq(), source: '举报', field: '草原', clue_on: '2024-05-01' }),
    patrols: (s) => ({ branch_id: scopes[s].branch, patrolled_on: '2024-05-01', kind: '党员突击队巡查', place: '测试地点', member_ids: [fixtures[s].members.id] }),
    outreach: (s) => ({ branch_id: scopes[s].branch, held_on: '2024-05-01', kind: '线下', form: '流动', place: '测试地点', topic: '测试主题', audience: '牧民', audience_size: 30, language: '双语', member_ids: [fixtures[s].members.id] }),
    holidays: () => ({ date: new Date(Date.UTC(2070, 0, 1) + holidayDay++ * 86400000).toISOString().slice(0, 10), kind: '休', name: '测试假日' }),
    requests: (s) => ({ branch_id: scopes[s].branch, channel: '来访', kind: '申诉', received_on: '2025-09-30', requester_name: '测试人' }),
    'request-replies': (s) => ({ request_id: fixtures[s].requests.id, kind: '程序性答复', date: '2025-10-09' }),
  };
  let holidayDay = 0;
  let turn = 0;
  // A harmless change for an update.
  const changes = {
    members: () => ({ position: '职务' + rand(2) }),
    honours: () => ({ title: '测试荣誉' + uniq() }),
    users: () => ({ display_name: '测试用户' + rand(2) }),
    audit: () => ({ action: 'tampered' }),
    'member-terms': () => ({ from_date: '1999-01-01' }),
    activities: () => ({ topic: '测试会议' + uniq() }),
    attendance: () => ({ note: '备注' + rand(2) }),
    'life-rules': () => ({ note: '说明' + rand(2) }),
    cases: () => ({ title: '测试案件' + rand(2) }),
    'case-members': () => ({ note: '分工' + rand(2) }),
    'case-reviews': () => ({ score: Math.floor(Math.random() * 101) }),
    'pil-matters': () => ({ title: '测试线索' + uniq() }),
    patrols: () => ({ place: '测试地点' + uniq() }),
    outreach: () => ({ topic: '测试主题' + uniq() }),
    holidays: () => ({ name: '测试假日' + rand(2) }),
    requests: () => ({ summary: '摘要' + rand(2) }),
    'request-replies': () => ({ content: '内容' + rand(2) }),
  };
  const change = (c) => (changes[c] ?? (() => ({ sort: 1 + Math.floor(Math.random() * 99999) })))();
  // A list query that contains the scope's fixture.
  const listQuery = (c, s) => {
    const f = fixtures[s];
    switch (c) {
      case 'procuratorates':
        return '';
      case 'departments':
      case 'branches':
      case 'users':
      case 'life-rules':
        return `procuratorate_id=${scopes[s].proc}&per_page=500`;
      case 'methods':
        return `brand_id=${f.brands.id}`;
      case 'method-elements':
        return `method_id=${f.methods.id}`;
      case 'audit':
        return `entity=departments&entity_id=${f.departments.id}`;
      case 'cases':
        return `q=${encodeURIComponent(f.cases.case_no)}`;
      case 'case-members':
        return `case_id=${f.cases.id}`;
      case 'case-reviews':
        return `case_id=${f['case-reviews'].case_id}`;
      case 'holidays':
        return `sort=-id&per_page=500`;
      case 'request-replies':
        return `request_id=${f.requests.id}`;
      default:
        return `branch_id=${scopes[s].branch}&per_page=500`;
    }
  };

  before(async () => {
    admin = await login('admin');
    for (const [role, r] of Object.entries(ROLES)) sessions[role] = r.user ? await login(r.user) : null;
    const procs = await listAll(admin, '/procuratorates');
    const branches = await listAll(admin, '/branches');
    const city = procs.find((p) => p.level === 1).id;
    const zlt = procs.find((p) => p.name.includes('扎鲁特旗')).id;
    const hlglBranch = sessions['hlgl-sec'].user.branch_id;
    const hlgl = sessions['hlgl-sec'].user.procuratorate_id;
    assert.ok(procs.find((p) => p.id === hlgl).name.includes('霍林郭勒'));
    scopes.city = { proc: city, branch: branches.find((b) => b.procuratorate_id === city).id };
    scopes.zlt = { proc: zlt, branch: branches.find((b) => b.procuratorate_id === zlt).id };
    scopes.hlgl = { proc: hlgl, branch: hlglBranch };
    for (const s of Object.values(scopes)) s.members = (await listAll(admin, `/members?branch_id=${s.branch}`)).map((m) => m.id);
    for (const p of procs) procSorts[p.id] = p.sort;
    for (const s of Object.keys(scopes)) {
      const f = (fixtures[s] = {});
      f.procuratorates = procs.find((p) => p.id === scopes[s].proc);
      for (const c of ['departments', 'branches', 'party-groups', 'members', 'brands', 'methods', 'method-elements', 'honours', 'users', 'activities', 'attendance', 'life-rules', 'cases', 'case-members', 'case-reviews', 'pil-matters', 'patrols', 'outreach', 'holidays', 'requests', 'request-replies']) {
        const r = await req(admin, 'POST', `/${c}`, await bodies[c](s));
        assert.equal(r.status, 201, `fixture ${c} in ${s}: ${r.text}`);
        f[c] = r.json;
        trash.add(c, r.json.id);
      }
      f['member-terms'] = (await req(admin, 'GET', `/member-terms?member_id=${f.members.id}`)).json.items[0];
      const a = await req(admin, 'GET', `/audit?entity=departments&entity_id=${f.departments.id}&action=create`);
      f.audit = a.json.items[0];
      assert.equal(f.audit.procuratorate_id, scopes[s].proc);
    }
  });

  after(async () => {
    await trash.empty(admin);
    // Put the procuratorates' sort numbers back.
    for (const [id, sort] of Object.entries(procSorts)) {
      const p = await get(admin, 'procuratorates', id);
      if (p.sort !== sort) await req(admin, 'PATCH', `/procuratorates/${id}`, { version: p.version, sort });
    }
  });

  function checkError(r, status) {
    assert.equal(r.status, status, r.text.slice(0, 300));
    if (ERROR_CODE[status]) assert.equal(r.json?.error?.code, ERROR_CODE[status], r.text.slice(0, 300));
  }

  async function checkAudit(before, ok, action, coll, id, role) {
    const now = await auditCount(admin);
    if (!ok) {
      assert.equal(now, before, 'a refused write adds no audit entry');
      return;
    }
    assert.equal(now, before + 1, 'a successful write adds exactly one audit entry');
    const last = await lastAudit(admin);
    assert.equal(last.action, action);
    assert.equal(last.entity, coll);
    assert.equal(last.entity_id, id);
    assert.equal(last.username, ROLES[role].user);
  }

  for (const coll of COLLECTIONS) {
    for (const role of Object.keys(ROLES)) {
      for (const kind of ['own', 'other']) {
        const expect = EXPECT[role][coll][kind];
        const label = role === 'anonymous' ? (kind === 'own' ? 'city' : 'county') : `${kind} procuratorate`;
        const name = (op, st) => `${coll} × ${role} × ${label} × ${op} → ${st}`;
        const scope = () => ROLES[role][kind];
        const session = () => sessions[role];
        const [eList, eRead, eCreate, eUpdate, eDelete] = expect;

        test(name('list', eList), async () => {
          const s = scope();
          const q = listQuery(coll, s);
          const r = await req(session(), 'GET', `/${coll}${q ? '?' + q : ''}`);
          checkError(r, eList);
          if (r.status !== 200) return;
          const fixture = fixtures[s][coll];
          const visible = eRead === 200;
          assert.equal(r.json.items.some((x) => x.id === fixture.id), visible, visible ? 'the record is listed' : 'the record is not listed');
          if (NARROWED.has(coll) && (role === 'zlt-admin' || role === 'hlgl-sec')) {
            const own = scopes[ROLES[role].own].proc;
            const all = await req(session(), 'GET', `/${coll}?per_page=500`);
            assert.ok(all.json.items.length > 0);
            assert.deepEqual([...new Set(all.json.items.map((x) => x.procuratorate_id))], [own], 'only its own procuratorate');
          }
        });

        test(name('read', eRead), async () => {
          const fixture = fixtures[scope()][coll];
          const r = await req(session(), 'GET', `/${coll}/${fixture.id}`);
          checkError(r, eRead);
          if (r.status === 200) assert.equal(r.json.id, fixture.id);
        });

        test(name('create', eCreate), async () => {
          const s = scope();
          const body = await bodies[coll](s);
          const before = await auditCount(admin);
          const r = await req(session(), 'POST', `/${coll}`, body);
          if (r.status === 201) trash.add(coll, r.json.id);
          checkError(r, eCreate);
          await checkAudit(before, r.status === 201, 'create', coll, r.json?.id, role);
          if (r.status === 201) {
            assert.equal(r.json.version, 1);
            if (coll === 'holidays') assert.equal(r.json.procuratorate_id, null, 'the national calendar');
            else if (coll !== 'procuratorates') assert.equal(r.json.procuratorate_id, scopes[s].proc);
          }
        });

        test(name('update', eUpdate), async () => {
          const fixture = fixtures[scope()][coll];
          const cur = await get(admin, coll, fixture.id);
          const body = { version: cur.version ?? 0, ...change(coll) };
          const before = await auditCount(admin);
          const r = await req(session(), 'PATCH', `/${coll}/${fixture.id}`, body);
          checkError(r, eUpdate);
          await checkAudit(before, r.status === 200, 'update', coll, fixture.id, role);
          const now = await get(admin, coll, fixture.id);
          if (r.status === 200) {
            assert.equal(now.version, cur.version + 1);
            for (const [k, v] of Object.entries(body)) if (k !== 'version') assert.equal(now[k], v, k);
          } else {
            assert.deepEqual(now, cur, 'a refused update changes nothing');
          }
        });

        test(name('delete', eDelete), async () => {
          const s = scope();
          let target;
          if (coll === 'audit' || coll === 'member-terms') {
            target = fixtures[s][coll];
          } else {
            const c = await req(admin, 'POST', `/${coll}`, await bodies[coll](s));
            assert.equal(c.status, 201, `throwaway ${coll}: ${c.text}`);
            target = c.json;
            trash.add(coll, target.id);
          }
          const before = await auditCount(admin);
          const r = await req(session(), 'DELETE', `/${coll}/${target.id}${target.version ? `?version=${target.version}` : ''}`);
          checkError(r, eDelete);
          await checkAudit(before, r.status === 204, 'delete', coll, target.id, role);
          const after = await req(admin, 'GET', `/${coll}/${target.id}`);
          assert.equal(after.status, r.status === 204 ? 404 : 200, 'the record is gone exactly when the delete succeeded');
        });
      }
    }
  }
});

describe("authorisation: no way out of one's scope", () => {
  let admin, zlt, sec, zltBranch, hlglBranch, cityProc;
  const trash = new Trash();
  before(async () => {
    admin = await login('admin');
    zlt = await login('zlt-admin');
    sec = await login('hlgl-sec');
    const branches = await listAll(admin, '/branches');
    zltBranch = branches.find((b) => b.procuratorate_id === zlt.user.procuratorate_id);
    hlglBranch = branches.find((b) => b.id === sec.user.branch_id);
    cityProc = (await listAll(admin, '/procuratorates')).find((p) => p.level === 1).id;
  });
  after(async () => {
    await trash.empty(admin);
  });

  test('a secretary cannot move its own member into another branch → 403, unchanged', async () => {
    const m = await req(sec, 'POST', '/members', { name: '测试' + uniq(), branch_id: hlglBranch.id });
    assert.equal(m.status, 201, m.text);
    trash.add('members', m.json.id);
    const r = await req(sec, 'PATCH', `/members/${m.json.id}`, { version: 1, branch_id: zltBranch.id });
    assert.equal(r.status, 403, r.text);
    assert.equal((await get(admin, 'members', m.json.id)).branch_id, hlglBranch.id);
  });

  test('a county administrator cannot move a user of its own to the city → 403', async () => {
    const u = await req(zlt, 'POST', '/users', { username: uniq('zu-'), display_name: '测试', password: 'zlt-password-' + rand() + '-1', role: 'viewer', procuratorate_id: zlt.user.procuratorate_id });
    assert.equal(u.status, 201, u.text);
    trash.add('users', u.json.id);
    const r = await req(zlt, 'PATCH', `/users/${u.json.id}`, { version: 1, procuratorate_id: cityProc });
    assert.equal(r.status, 403, r.text);
    assert.equal((await get(admin, 'users', u.json.id)).procuratorate_id, zlt.user.procuratorate_id);
  });

  test('a county administrator cannot create a city account → 403', async () => {
    const r = await req(zlt, 'POST', '/users', { username: uniq('zc-'), display_name: '测试', password: 'zlt-password-' + rand() + '-1', role: 'admin', procuratorate_id: cityProc });
    assert.equal(r.status, 403, r.text);
  });

  test('nobody changes their own role or disables themselves', async () => {
    const me = await get(admin, 'users', zlt.user.id);
    let r = await req(zlt, 'PATCH', `/users/${me.id}`, { version: me.version, role: 'viewer' });
    assert.equal(r.status, 403, r.text);
    r = await req(zlt, 'PATCH', `/users/${me.id}`, { version: me.version, disabled: true });
    assert.equal(r.status, 403, r.text);
    assert.deepEqual(await get(admin, 'users', me.id), me);
  });

  test('a secretary cannot attach an honour to a member of another branch → 403', async () => {
    const other = (await req(admin, 'GET', `/members?branch_id=${zltBranch.id}&per_page=1`)).json.items[0];
    const r = await req(sec, 'POST', '/honours', { member_id: other.id, title: '测试' + uniq(), level: 'county', year: 2024 });
    assert.ok([403, 404, 422].includes(r.status), `${r.status} ${r.text}`);
    assert.notEqual(r.status, 201);
  });

  test("history of another procuratorate's member is hidden from a county administrator → 404", async () => {
    const other = (await req(admin, 'GET', `/members?branch_id=${hlglBranch.id}&per_page=1`)).json.items[0];
    const r = await req(zlt, 'GET', `/members/${other.id}/history`);
    assert.equal(r.status, 404, r.text);
  });

  test('a county administrator searching members finds none of another procuratorate', async () => {
    const other = (await req(admin, 'GET', `/members?branch_id=${hlglBranch.id}&per_page=1`)).json.items[0];
    // The search itself finds that member (for the city), so an empty answer below means scope.
    const found = await req(admin, 'GET', `/members?q=${encodeURIComponent(other.name)}&per_page=500`);
    assert.ok(found.json.items.some((m) => m.id === other.id), `the city finds ${other.name}`);
    const r = await req(zlt, 'GET', `/members?q=${encodeURIComponent(other.name)}&per_page=500`);
    assert.equal(r.status, 200);
    assert.ok(r.json.items.every((m) => m.procuratorate_id === zlt.user.procuratorate_id));
    assert.ok(!r.json.items.some((m) => m.id === other.id));
    // and it does find the county's own members
    const mine = (await req(zlt, 'GET', '/members?per_page=1')).json.items[0];
    const own = await req(zlt, 'GET', `/members?q=${encodeURIComponent(mine.name)}&per_page=500`);
    assert.ok(own.json.items.some((m) => m.id === mine.id), `the county finds its own ${mine.name}`);
    const f = await req(zlt, 'GET', `/members?procuratorate_id=${hlglBranch.procuratorate_id}`);
    assert.equal(f.json.total, 0);
  });
});

// The data scope (procuratorate_id, branch_id) of a record is derived from its parent. When
// the parent moves, the children must move with it (or the move must be refused); otherwise
// the wrong people may read and change them.
describe('data scope follows the parent', () => {
  let admin, sec, zlt, cityBranch, hlglBranch, zltProc;
  const trash = new Trash();
  before(async () => {
    admin = await login('admin');
    sec = await login('hlgl-sec');
    zlt = await login('zlt-admin');
    const branches = await listAll(admin, '/branches');
    const procs = await listAll(admin, '/procuratorates');
    const city = procs.find((p) => p.level === 1).id;
    cityBranch = branches.find((b) => b.procuratorate_id === city);
    hlglBranch = branches.find((b) => b.id === sec.user.branch_id);
    zltProc = zlt.user.procuratorate_id;
  });
  after(async () => {
    await trash.empty(admin);
  });

  test("a brand moved to another branch takes its methods and their elements along (the new branch's secretary may edit them)", async () => {
    const b = await req(admin, 'POST', '/brands', { branch_id: cityBranch.id, name: '迁移品牌' + uniq() });
    trash.add('brands', b.json.id);
    const m = await req(admin, 'POST', '/methods', { brand_id: b.json.id, name: '迁移工作法' + uniq() });
    trash.add('methods', m.json.id);
    const e = await req(admin, 'POST', '/method-elements', { method_id: m.json.id, label: '迁移要素' + uniq(), count: 1 });
    trash.add('method-elements', e.json.id);
    const mv = await req(admin, 'PATCH', `/brands/${b.json.id}`, { version: b.json.version, branch_id: hlglBranch.id });
    if (mv.status !== 200) {
      // Refusing the move is also acceptable, as long as nothing moved.
      assert.ok([409, 422].includes(mv.status), mv.text);
      assert.equal((await get(admin, 'brands', b.json.id)).branch_id, cityBranch.id);
      return;
    }
    assert.equal(mv.json.procuratorate_id, hlglBranch.procuratorate_id);
    const m2 = await get(admin, 'methods', m.json.id);
    const e2 = await get(admin, 'method-elements', e.json.id);
    assert.deepEqual([m2.branch_id, m2.procuratorate_id], [hlglBranch.id, hlglBranch.procuratorate_id], 'the method follows its brand');
    assert.deepEqual([e2.branch_id, e2.procuratorate_id], [hlglBranch.id, hlglBranch.procuratorate_id], 'the element follows its method');
    const p = await req(sec, 'PATCH', `/methods/${m.json.id}`, { version: m2.version, sort: 7 });
    assert.equal(p.status, 200, `the secretary of the brand's new branch edits its method: ${p.text}`);
  });

  test("a branch moved to another procuratorate takes its members along (the new procuratorate's administrator sees them)", async () => {
    const br = await req(admin, 'POST', '/branches', { procuratorate_id: cityBranch.procuratorate_id, name: '迁移支部' + uniq(), kind: '党支部' });
    trash.add('branches', br.json.id);
    const m = await req(admin, 'POST', '/members', { branch_id: br.json.id, name: '迁移' + uniq() });
    trash.add('members', m.json.id);
    const mv = await req(admin, 'PATCH', `/branches/${br.json.id}`, { version: br.json.version, procuratorate_id: zltProc });
    if (mv.status !== 200) {
      assert.ok([409, 422].includes(mv.status), mv.text);
      assert.equal((await get(admin, 'branches', br.json.id)).procuratorate_id, cityBranch.procuratorate_id);
      return;
    }
    const m2 = await get(admin, 'members', m.json.id);
    assert.equal(m2.procuratorate_id, zltProc, `member's procuratorate_id after its branch moved (procuratorate_name ${m2.procuratorate_name})`);
    const r = await req(zlt, 'GET', `/members/${m.json.id}`);
    assert.equal(r.status, 200, 'the administrator of the new procuratorate reads the member of its branch');
  });
});

// Attachments: not JSON records but uploads, so a matrix of their own. The owner is an
// honour in each scope; an attachment's scope is its owner's. Ops: list (is it listed),
// read, download, upload, update (never: 422 for everyone), delete.
describe('authorisation matrix: attachments', () => {
  const OPS_A = ['list', 'read', 'download', 'upload', 'update', 'delete'];
  const FULL = [200, 200, 200, 201, 422, 204];
  const READS = [200, 200, 200, 403, 422, 403];
  const OTHER = [200, 404, 404, 403, 422, 404]; // another procuratorate's: unseen, owner not writable
  const EXPECT_A = {
    anonymous: { own: [401, 401, 401, 401, 401, 401], other: [401, 401, 401, 401, 401, 401] },
    admin: { own: FULL, other: FULL },
    viewer: { own: READS, other: READS },
    'zlt-admin': { own: FULL, other: OTHER },
    'hlgl-sec': { own: FULL, other: OTHER },
  };
  const sessions = {};
  const scopes = {};
  const honours = {}; // scope → an honour (the owner)
  const files = {}; // scope → an attachment on it
  const trash = new Trash();
  let admin;
  const upload = (s, owner) =>
    req(s, 'POST', `/attachments?owner_coll=honours&owner_id=${owner}&name=${encodeURIComponent('矩阵' + uniq() + '.txt')}`,
      Buffer.from('权限矩阵 ' + uniq()), { 'Content-Type': 'application/octet-stream' });

  before(async () => {
    admin = await login('admin');
    for (const [role, r] of Object.entries(ROLES)) sessions[role] = r.user ? await login(r.user) : null;
    const procs = await listAll(admin, '/procuratorates');
    const branches = await listAll(admin, '/branches');
    const city = procs.find((p) => p.level === 1).id;
    const zlt = procs.find((p) => p.name.includes('扎鲁特旗')).id;
    scopes.city = branches.find((b) => b.procuratorate_id === city).id;
    scopes.zlt = branches.find((b) => b.procuratorate_id === zlt).id;
    scopes.hlgl = sessions['hlgl-sec'].user.branch_id;
    for (const [s, branch_id] of Object.entries(scopes)) {
      const h = await req(admin, 'POST', '/honours', { branch_id, title: '附件矩阵荣誉' + uniq(), level: 'county', year: 2024 });
      assert.equal(h.status, 201, h.text);
      honours[s] = trash.add('honours', h.json.id);
      const a = await upload(admin, honours[s]);
      assert.equal(a.status, 201, a.text);
      files[s] = a.json;
      trash.add('attachments', a.json.id);
    }
  });
  after(() => trash.empty(admin));

  for (const role of Object.keys(ROLES)) {
    for (const kind of ['own', 'other']) {
      const expect = EXPECT_A[role][kind];
      test(`attachments × ${role} × ${kind}: ${OPS_A.map((o, i) => `${o} ${expect[i]}`).join(', ')}`, async () => {
        const s = ROLES[role][kind];
        const who = sessions[role];
        const f = files[s];
        const [eList, eRead, eDownload, eUpload, eUpdate, eDelete] = expect;
        const list = await req(who, 'GET', `/attachments?owner_coll=honours&owner_id=${honours[s]}`);
        assert.equal(list.status, eList, list.text);
        if (list.status === 200) assert.equal(list.json.items.some((x) => x.id === f.id), eRead === 200, 'listed exactly when readable');
        assert.equal((await req(who, 'GET', `/attachments/${f.id}`)).status, eRead);
        assert.equal((await req(who, 'GET', `/attachments/${f.id}/download`)).status, eDownload);
        let before = await auditCount(admin);
        const up = await upload(who, honours[s]);
        assert.equal(up.status, eUpload, up.text);
        if (up.status === 201) {
          trash.add('attachments', up.json.id);
          assert.equal(up.json.branch_id, scopes[s], 'the owner’s branch');
          const last = await lastAudit(admin);
          assert.deepEqual([last.action, last.entity, last.entity_id, last.username], ['create', 'attachments', up.json.id, ROLES[role].user]);
        }
        // downloads are audited too: count again from here
        before = await auditCount(admin);
        const patch = await req(who, 'PATCH', `/attachments/${f.id}`, { version: f.version, name: 'x.txt' });
        assert.equal(patch.status, eUpdate, patch.text);
        // delete a throwaway one made by the administrator in that scope
        const victim = (await upload(admin, honours[s])).json;
        trash.add('attachments', victim.id);
        before = await auditCount(admin);
        const del = await req(who, 'DELETE', `/attachments/${victim.id}?version=${victim.version}`);
        assert.equal(del.status, eDelete, del.text);
        assert.equal(await auditCount(admin), before + (del.status === 204 ? 1 : 0), 'one audit entry for a deletion, none for a refusal');
        assert.equal((await req(admin, 'GET', `/attachments/${victim.id}`)).status, del.status === 204 ? 404 : 200);
      });
    }
  }
});
