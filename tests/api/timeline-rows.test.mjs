// A branch's timeline is read from rows the database keeps (migration 015, timeline_events
// and timeline_counts, kept by triggers made from the collections' events:
// domain/timeline.h). These tests write through the API and read the timeline straight
// after, so that a write that left the rows stale fails: a case is on the timelines of its
// team members' branches (a member joining the team, leaving it, being transferred to
// another branch), a record's events follow its dates and vanish with it, a pairing's
// progress follows its leading branch, a project is on each party branch's timeline and its
// outcomes with it, and the counts by kind agree with the entries listed.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { req, login, listAll, uniq, rand, Trash, get, create } from './lib.mjs';

describe('timeline rows follow the writes', () => {
  let admin, city, branchA, branchB, memberA;
  const trash = new Trash();

  // the entries of collection "coll" on branch "b"'s timeline (every page), and its counts
  async function onBranch(b, coll, extra = '') {
    const r = await req(admin, 'GET', `/timeline?branch_id=${b}&per_page=1000${extra}`);
    assert.equal(r.status, 200, r.text);
    const counts = Object.fromEntries(r.json.kinds.map((k) => [k.kind, k.count]));
    assert.equal(r.json.total, Object.values(counts).reduce((a, n) => a + n, 0), 'total is the sum of the kinds');
    return { items: r.json.items.filter((i) => i.coll === coll), counts, json: r.json };
  }
  async function patch(coll, id, body) {
    const cur = await get(admin, coll, id);
    const r = await req(admin, 'PATCH', `/${coll}/${id}`, { version: cur.version, ...body });
    assert.equal(r.status, 200, r.text);
    return r.json;
  }
  async function del(coll, id) {
    const cur = await get(admin, coll, id);
    assert.equal((await req(admin, 'DELETE', `/${coll}/${id}?version=${cur.version}`)).status, 204);
  }

  before(async () => {
    admin = await login('admin');
    const procs = await listAll(admin, '/procuratorates');
    city = procs.find((p) => p.level === 1).id;
    const branches = (await listAll(admin, '/branches')).filter((b) => b.procuratorate_id === city);
    [branchA, branchB] = branches.map((b) => b.id);
    assert.ok(branchA && branchB, 'the demo city procuratorate has two branches');
    memberA = await create(admin, 'members', { branch_id: branchA, name: '轴' + rand(2) });
    trash.add('members', memberA.id);
  });
  after(() => trash.empty(admin));

  test("a case is on its team members' branches' timelines: joining, leaving, a transfer", async () => {
    const c = await create(admin, 'cases', { procuratorate_id: city, case_no: '时间轴' + uniq(), title: '时间轴案件' + rand(2), type: '审查起诉', received_on: '2025-03-01', decided_on: '2025-04-02' });
    trash.add('cases', c.id);
    const before = await onBranch(branchA, 'cases');
    assert.deepEqual(before.items.filter((i) => i.id === c.id), [], 'no team yet: on no branch');

    const cm = await create(admin, 'case-members', { case_id: c.id, member_id: memberA.id, role: '检察官助理' });
    let a = await onBranch(branchA, 'cases');
    const mine = a.items.filter((i) => i.id === c.id);
    assert.deepEqual(mine.map((i) => [i.date, i.kind]).sort(), [['2025-03-01', '案件受理'], ['2025-04-02', '案件审查决定']]);
    assert.ok(mine.every((i) => i.label === '案件' && i.title.includes(c.title)), JSON.stringify(mine));
    assert.equal(a.counts['案件受理'], (before.counts['案件受理'] ?? 0) + 1);
    assert.equal(a.counts['案件审查决定'], (before.counts['案件审查决定'] ?? 0) + 1);

    // a change of the case's own dates and title is seen at once
    await patch('cases', c.id, { decided_on: '2025-04-03', title: c.title + '改' });
    a = await onBranch(branchA, 'cases');
    const decided = a.items.find((i) => i.id === c.id && i.kind === '案件审查决定');
    assert.equal(decided.date, '2025-04-03');
    assert.ok(decided.title.includes(c.title + '改'), decided.title);

    // the member moves to branch B: the case goes with them
    await patch('members', memberA.id, { branch_id: branchB });
    assert.equal((await onBranch(branchA, 'cases')).items.filter((i) => i.id === c.id).length, 0, 'left A');
    assert.equal((await onBranch(branchB, 'cases')).items.filter((i) => i.id === c.id).length, 2, 'now on B');
    await patch('members', memberA.id, { branch_id: branchA });
    assert.equal((await onBranch(branchA, 'cases')).items.filter((i) => i.id === c.id).length, 2, 'back on A');

    // leaving the team takes it off the branch's timeline
    await del('case-members', cm.id);
    a = await onBranch(branchA, 'cases');
    assert.equal(a.items.filter((i) => i.id === c.id).length, 0, 'off A');
    assert.equal(a.counts['案件受理'] ?? 0, before.counts['案件受理'] ?? 0);
  });

  test("a deleted record's events vanish; a narrowed period and a kind count the same rows", async () => {
    const day = '2025-06-1' + Math.floor(Math.random() * 10);
    const act = await create(admin, 'activities', { branch_id: branchA, kind: '支委会', topic: '时间轴' + uniq(), held_on: day });
    let r = await onBranch(branchA, 'activities', `&from=${day}&to=${day}`);
    assert.ok(r.items.some((i) => i.id === act.id && i.date === day && i.kind === '组织生活'), JSON.stringify(r.items));
    const n = r.counts['组织生活'];
    const k = await req(admin, 'GET', `/timeline?branch_id=${branchA}&from=${day}&to=${day}&kind=组织生活&per_page=1000`);
    assert.equal(k.json.total, n);
    assert.equal(k.json.items.length, n);
    assert.ok(k.json.items.every((i) => i.kind === '组织生活'));
    await del('activities', act.id);
    r = await onBranch(branchA, 'activities', `&from=${day}&to=${day}`);
    assert.ok(!r.items.some((i) => i.id === act.id), 'gone');
    assert.equal(r.counts['组织生活'] ?? 0, n - 1);
  });

  test("a pairing's progress is on the leading branch's timeline and follows a change of it", async () => {
    const county = (await listAll(admin, '/branches')).find((b) => b.procuratorate_id !== city);
    const p = await create(admin, 'pairings', { leading_branch_id: branchA, branch_id: county.id, goals: '时间轴结对' + uniq(), started_on: '2025-01-10' });
    trash.add('pairings', p.id);
    const g = await create(admin, 'pairing-progress', { pairing_id: p.id, noted_on: '2025-03-01', note: '时间轴进展' + uniq(), status: '按计划' });
    trash.add('pairing-progress', g.id);
    for (const b of [branchA, county.id]) assert.ok((await onBranch(b, 'pairing-progress')).items.some((i) => i.id === g.id), `on ${b}`);
    await patch('pairings', p.id, { leading_branch_id: branchB });
    assert.ok(!(await onBranch(branchA, 'pairing-progress')).items.some((i) => i.id === g.id), 'off the old leading branch');
    assert.ok(!(await onBranch(branchA, 'pairings')).items.some((i) => i.id === p.id), 'the pairing too');
    assert.ok((await onBranch(branchB, 'pairing-progress')).items.some((i) => i.id === g.id), 'on the new one');
    assert.ok((await onBranch(county.id, 'pairing-progress')).items.some((i) => i.id === g.id), 'still on the helped branch');
  });

  test("a project is on each party branch's timeline, its outcomes too; a party's removal takes them off", async () => {
    const p = await create(admin, 'projects', { branch_id: branchA, kind: '检校联建', title: '时间轴项目' + uniq(), goals: '共建', started_on: '2025-02-01', ends_on: '2027-12-31' });
    trash.add('projects', p.id);
    const o = await create(admin, 'project-outcomes', { project_id: p.id, title: '时间轴成果' + uniq(), achieved_on: '2025-05-04', description: '成果' });
    trash.add('project-outcomes', o.id);
    assert.ok((await onBranch(branchA, 'projects')).items.some((i) => i.id === p.id), 'on its own branch');
    assert.ok(!(await onBranch(branchB, 'projects')).items.some((i) => i.id === p.id), 'not yet on B');
    const party = await create(admin, 'project-parties', { project_id: p.id, party_branch_id: branchB, role: '共建支部' });
    assert.ok((await onBranch(branchB, 'projects')).items.some((i) => i.id === p.id), 'on B as a party');
    assert.ok((await onBranch(branchB, 'project-outcomes')).items.some((i) => i.id === o.id), 'its outcome on B');
    await del('project-parties', party.id);
    assert.ok(!(await onBranch(branchB, 'projects')).items.some((i) => i.id === p.id), 'off B');
    assert.ok(!(await onBranch(branchB, 'project-outcomes')).items.some((i) => i.id === o.id), 'its outcome off B');
  });
});
