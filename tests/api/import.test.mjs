// Imports as background jobs (POST /jobs/upload?kind=import&collection=…): every bad
// file of issue 8 gets a clear error and writes nothing; CSV in UTF-8 with BOM and in
// GB18030; all or nothing (a bad row at the end of a large file leaves nothing written);
// the report of rejected rows; update mode; the importer's scope and role; cancellation;
// and the template download, which imports back.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { login, req, total, uniq as uniqueName, listAll, cli, DB, remove, jobEnd } from './lib.mjs';
import { mkdtempSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { xlsx, sheetXml, zip } from './xlsx.mjs';

const octet = { 'Content-Type': 'application/octet-stream' };
const bom = Buffer.from([0xef, 0xbb, 0xbf]);

/** Upload "body" as an import of "coll"; the job as queued (202), or the refusal. */
async function upload(session, coll, body, extra = '') {
  return req(session, 'POST', `/jobs/upload?kind=import&collection=${coll}${extra}`, body, octet);
}

/** Poll job "id" until it is over. */
async function importFile(session, coll, body, extra = '') {
  const r = await upload(session, coll, body, extra);
  assert.equal(r.status, 202, r.text);
  return jobEnd(session, r.json.id);
}

/** UTF-8 CSV text of rows (RFC 4180 quoting where needed). */
function csv(rows) {
  const q = (v) => (/[",\r\n]/.test(v) ? `"${String(v).replace(/"/g, '""')}"` : String(v ?? ''));
  return rows.map((r) => r.map(q).join(',')).join('\r\n') + '\r\n';
}

function gb18030(text) {
  const r = spawnSync('iconv', ['-f', 'UTF-8', '-t', 'GB18030'], { input: Buffer.from(text, 'utf8') });
  if (r.status !== 0) throw new Error('iconv: ' + r.stderr);
  return r.stdout;
}

// Every name a test makes, so that what it imported is removed at the end (other suites
// count the demo's members).
const made = [];
const uniq = (prefix) => {
  const n = uniqueName(prefix);
  made.push(n);
  return n;
};

describe('import jobs', () => {
  let admin, viewer, zlt, sec, cityBranch, zltBranch, hlglBranch;
  after(async () => {
    for (const n of made)
      for (const coll of ['members', 'cases'])
        for (const rec of await listAll(admin, `/${coll}?q=${encodeURIComponent(n)}`)) await remove(admin, coll, rec.id);
  });
  before(async () => {
    admin = await login('admin');
    viewer = await login('viewer');
    zlt = await login('zlt-admin');
    sec = await login('hlgl-sec');
    const branches = await listAll(admin, '/branches');
    cityBranch = branches.find((b) => b.procuratorate_id === admin.user.procuratorate_id);
    zltBranch = branches.find((b) => b.procuratorate_id === zlt.user.procuratorate_id);
    hlglBranch = branches.find((b) => b.id === sec.user.branch_id);
    assert.ok(cityBranch && zltBranch && hlglBranch);
  });

  const membersNamed = (s, prefix) => total(s, `/members?q=${encodeURIComponent(prefix)}`);

  test('UTF-8 CSV with BOM: every row written, each audited; the job says how many', async () => {
    const p = uniq('导');
    const body = Buffer.concat([
      bom,
      Buffer.from(
        csv([
          ['姓名', '所属党组织', '出生日期', '员额检察官', '备注'],
          [`${p}甲`, cityBranch.name, '1980/3/1', '是', '忽略'],
          [`${p}乙`, cityBranch.name, '1985年5月5日', '否', ''],
        ]),
      ),
    ]);
    const audit0 = await total(admin, '/audit');
    const j = await importFile(admin, 'members', body);
    assert.equal(j.status, 'done', j.message);
    assert.equal(j.result.rows, 2);
    assert.equal(j.result.written, 2);
    assert.equal(j.result.committed, true);
    assert.equal(j.result.encoding, 'UTF-8 BOM');
    assert.deepEqual(j.result.ignored_columns, ['备注']);
    assert.equal(await membersNamed(admin, p), 2);
    const m = (await req(admin, 'GET', `/members?q=${encodeURIComponent(p + '甲')}`)).json.items[0];
    assert.equal(m.birth_date, '1980-03-01');
    assert.equal(m.quota_prosecutor, true);
    const a = await req(admin, 'GET', `/audit?entity=members&entity_id=${m.id}`);
    assert.equal(a.json.items[0].action, 'create');
    assert.ok((await total(admin, '/audit')) >= audit0 + 3, 'each row and the job itself audited');
  });

  test('GB18030 CSV (what Chinese Excel writes) is read as such', async () => {
    const p = uniq('国标');
    const j = await importFile(admin, 'members', gb18030(csv([['所属党组织', '姓名'], [cityBranch.name, `${p}丙`]])));
    assert.equal(j.status, 'done', j.message);
    assert.equal(j.result.encoding, 'GB18030');
    assert.equal(j.result.written, 1);
    assert.equal(await membersNamed(admin, p), 1);
  });

  test('a bad row at the end of a large file leaves nothing written; the report marks it', async () => {
    const p = uniq('大');
    const rows = [['所属党组织', '姓名', '出生日期']];
    for (let i = 0; i < 3000; i++) rows.push([cityBranch.name, `${p}${i}`, '']);
    rows.push([cityBranch.name, `${p}末`, '1990-02-30']);
    const audit0 = await total(admin, '/audit');
    const j = await importFile(admin, 'members', Buffer.from(csv(rows)));
    assert.equal(j.status, 'done', j.message);
    assert.equal(j.result.rows, 3001);
    assert.equal(j.result.valid, 3000);
    assert.equal(j.result.error_count, 1);
    assert.equal(j.result.committed, false);
    assert.equal(j.result.written, 0);
    const e = j.result.errors[0];
    assert.equal(e.line, 3002);
    assert.equal(e.column, '出生日期');
    assert.equal(e.value, '1990-02-30');
    assert.match(e.message, /不是有效日期/);
    assert.equal(await membersNamed(admin, p), 0);
    assert.equal(await total(admin, '/audit'), audit0 + 1, 'only the job’s own entry');
    // the report: an XLSX of the rejected row, for its submitter only
    assert.equal(j.result.display_name, '党员导入错误报告.xlsx');
    const d = await fetch(`${process.env.RONGHE_URL}/api/v1/jobs/${j.id}/download`, { headers: { Cookie: admin.cookie } });
    assert.equal(d.status, 200);
    assert.match(d.headers.get('content-type'), /spreadsheetml/);
    const buf = Buffer.from(await d.arrayBuffer());
    assert.equal(buf.subarray(0, 2).toString(), 'PK');
    assert.equal((await req(viewer, 'GET', `/jobs/${j.id}/download`)).status, 404);
  });

  test('the engine’s own rules and messages, mapped to the column; over-long cells; unknown and ambiguous names', async () => {
    const p = uniq('规');
    const j = await importFile(
      admin,
      'members',
      Buffer.from(
        csv([
          ['所属党组织', '姓名', '出生日期', '入党日期'],
          [cityBranch.name, `${p}甲`, '2000-01-01', '2010-01-01'],
          [cityBranch.name, 'x'.repeat(31), '', ''],
          ['没有这个支部', `${p}丙`, '', ''],
        ]),
      ),
    );
    assert.equal(j.status, 'done', j.message);
    assert.equal(j.result.error_count, 3);
    const [a, b, c] = j.result.errors;
    assert.deepEqual([a.line, a.column, a.message], [2, '入党日期', '入党日期应在年满18周岁之后']);
    assert.deepEqual([b.line, b.column, b.code], [3, '姓名', 'too_long']);
    assert.deepEqual([c.line, c.column], [4, '所属党组织']);
    assert.match(c.message, /没有这个支部/);
    assert.equal(await membersNamed(admin, p), 0);
  });

  test('a collection that does not exist is named as such, its name clipped on a character', async () => {
    const body = csv([['姓名'], ['甲']]);
    const r = await upload(admin, 'bogus', body);
    assert.equal(r.status, 400, r.text);
    assert.equal(r.json.error.code, 'invalid_value');
    assert.equal(r.json.error.field, 'collection');
    assert.equal(r.json.error.message, '没有名为“bogus”的集合');
    const long = await upload(admin, encodeURIComponent('𠀀'.repeat(30)), body);
    assert.equal(long.status, 400, long.text);
    assert.equal(long.json.error.message, `没有名为“${'𠀀'.repeat(20)}…”的集合`);
    const notImportable = await upload(admin, 'audit', body);
    assert.equal(notImportable.status, 400, notImportable.text);
    assert.match(notImportable.json.error.message, /不能从表格导入/);
  });

  test('files refused as a whole: missing required columns, duplicate headers, not a spreadsheet, mixed encodings', async () => {
    const cases = [
      [csv([['姓名', '出生日期'], ['甲', '1980-01-01']]), /所属党组织/],
      [csv([['姓名', '所属党组织', 'name'], ['甲', cityBranch.name, '甲']]), /两次/],
      [Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), /./],
      [Buffer.concat([Buffer.from('姓名,所属党组织\n甲,' + cityBranch.name + '\n'), gb18030('乙,' + cityBranch.name + '\n')]), /编码|encoding/i],
    ];
    for (const [body, why] of cases) {
      const j = await importFile(admin, 'members', Buffer.isBuffer(body) ? body : Buffer.from(body));
      assert.equal(j.status, 'failed', JSON.stringify(j));
      assert.match(j.message, why);
    }
  });

  test('too many rows: refused with too_large, nothing written', async () => {
    const p = uniq('多');
    const lines = ['姓名,所属党组织'];
    for (let i = 0; i < 200001; i++) lines.push(`${p},`);
    const j = await importFile(admin, 'members', Buffer.from(lines.join('\n') + '\n'), '&check=true');
    assert.equal(j.status, 'failed', JSON.stringify(j.result));
    assert.match(j.message, /上限/);
    assert.equal(await membersNamed(admin, p), 0);
  });

  test('XLSX: shared cells, numbers, formulas by their cached value; a truncated file, a zip bomb and DTDs refused', async () => {
    const p = uniq('表');
    const good = xlsx(
      sheetXml([
        ['姓名', '所属党组织', '出生日期'],
        [`${p}甲`, { formula: `"${cityBranch.name}"`, cached: cityBranch.name }, 29281], // 1980-03-01 as a serial
      ]),
    );
    let j = await importFile(admin, 'members', good);
    assert.equal(j.status, 'done', j.message);
    assert.equal(j.result.format, 'xlsx');
    assert.equal(j.result.written, 1, JSON.stringify(j.result.errors));
    assert.equal(await membersNamed(admin, p), 1);
    // a sheet chosen by name; one the workbook does not have fails the job
    const named = xlsx(sheetXml([['姓名', '所属党组织'], [`${p}乙`, cityBranch.name]]), '党员名册');
    j = await importFile(admin, 'members', named, `&check=true&sheet=${encodeURIComponent('党员名册')}`);
    assert.equal(j.status, 'done', j.message);
    assert.equal(j.result.valid, 1);
    j = await importFile(admin, 'members', named, `&sheet=${encodeURIComponent('没有这张表')}`);
    assert.equal(j.status, 'failed');
    assert.match(j.message, /没有这张表|工作表/);
    // cut off half-way
    j = await importFile(admin, 'members', good.subarray(0, Math.floor(good.length / 2)));
    assert.equal(j.status, 'failed');
    // a tiny file with a huge sheet: refused by the cap on uncompressed bytes
    const head = '<row><c t="inlineStr"><is><t>姓名</t></is></c><c t="inlineStr"><is><t>所属党组织</t></is></c></row>';
    const huge = Buffer.concat([
      Buffer.from('<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>' + head),
      Buffer.alloc(400 * 1024 * 1024, '<row></row>'),
      Buffer.from('</sheetData></worksheet>'),
    ]);
    const bomb = xlsx(huge);
    assert.ok(bomb.length < 2 * 1024 * 1024, `${bomb.length} bytes`);
    j = await importFile(admin, 'members', bomb);
    assert.equal(j.status, 'failed');
    assert.match(j.message, /上限|过大|超过/);
    // external entities and billion laughs: no DTD at all is read
    const xxe = '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>';
    const laughs = '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>';
    for (const prolog of [xxe, laughs]) {
      j = await importFile(admin, 'members', xlsx(sheetXml([['姓名', '所属党组织'], ['&e;', cityBranch.name]], prolog)));
      assert.equal(j.status, 'failed');
      assert.match(j.message, /DTD|实体|文档类型/);
    }
    // a zip that is not a workbook
    j = await importFile(admin, 'members', zip({ 'a.txt': 'hello' }));
    assert.equal(j.status, 'failed');
  });

  test('update mode: a row naming an existing case by its number updates it; without it, refused', async () => {
    const no = uniq('通检刑诉');
    const proc = (await req(admin, 'GET', `/procuratorates/${admin.user.procuratorate_id}`)).json;
    const file = (title) =>
      Buffer.from(csv([['所属检察院', '案号', '案件名称', '案件类型', '受理日期'], [proc.name, no, title, '审查起诉', '2024-03-01']]));
    let j = await importFile(admin, 'cases', file('甲案'));
    assert.equal(j.result.created, 1, JSON.stringify(j.result));
    j = await importFile(admin, 'cases', file('甲案（更正）'));
    assert.equal(j.result.committed, false);
    assert.equal(j.result.errors[0].code, 'exists');
    assert.match(j.result.errors[0].message, /更新模式/);
    j = await importFile(admin, 'cases', file('甲案（更正）'), '&update=true');
    assert.equal(j.result.updated, 1, JSON.stringify(j.result));
    assert.equal(j.result.committed, true);
    const c = (await req(admin, 'GET', `/cases?q=${encodeURIComponent(no)}`)).json.items;
    assert.equal(c.length, 1);
    assert.equal(c[0].title, '甲案（更正）');
    assert.equal(c[0].version, 2);
  });

  test('check=true validates and writes nothing', async () => {
    const p = uniq('查');
    const j = await importFile(admin, 'members', Buffer.from(csv([['所属党组织', '姓名'], [cityBranch.name, `${p}甲`]])), '&check=true');
    assert.equal(j.status, 'done');
    assert.equal(j.result.valid, 1);
    assert.equal(j.result.written, 0);
    assert.equal(j.result.committed, false);
    assert.equal(await membersNamed(admin, p), 0);
  });

  test('scope: a county administrator’s rows for another procuratorate are rejected; roles: a viewer may not import', async () => {
    const p = uniq('域');
    const j = await importFile(
      zlt,
      'members',
      Buffer.from(
        csv([
          ['所属党组织', '姓名'],
          [zltBranch.name, `${p}甲`],
          [cityBranch.name, `${p}乙`],
          [String(cityBranch.id), `${p}丙`],
        ]),
      ),
    );
    assert.equal(j.status, 'done', j.message);
    assert.equal(j.result.error_count, 2);
    assert.deepEqual(j.result.errors.map((e) => e.line), [3, 4]);
    assert.equal(j.result.committed, false);
    assert.equal(await membersNamed(admin, p), 0);
    // a secretary imports only into the own branch
    const s = await importFile(sec, 'members', Buffer.from(csv([['所属党组织', '姓名'], [zltBranch.name, `${p}丁`]])));
    assert.equal(s.result.error_count, 1);
    for (const [who, coll] of [
      [viewer, 'members'],
      [sec, 'procuratorates'],
      [zlt, 'holidays'],
    ]) {
      const r = await upload(who, coll, Buffer.from('a\n'));
      assert.equal(r.status, 403, `${who.username} ${coll}: ${r.text}`);
    }
    const bad = await upload(admin, 'users', Buffer.from('a\n'));
    assert.equal(bad.status, 400, bad.text);
    const odd = await upload(admin, 'members', Buffer.from('a\n'), '&format=disk');
    assert.equal(odd.status, 400, odd.text);
  });

  test('a key of personal data is no lookup for those who may not search by it: a secretary is not told whose 身份证号 it is', async () => {
    const branch = (await req(admin, 'GET', `/branches/${sec.user.branch_id}`)).json;
    const someone = (await req(admin, 'GET', `/members?branch_id=${branch.id}&per_page=50`)).json.items.find((m) => m.id_number);
    assert.ok(someone, 'a member of the branch with an identity number');
    const row = Buffer.from(csv([['所属党组织', '姓名', '身份证号'], [branch.name, uniq('同号'), someone.id_number]]));
    const a = await importFile(admin, 'members', row, '&check=true');
    assert.equal(a.result.errors[0].code, 'exists', JSON.stringify(a.result.errors));
    const s = await importFile(sec, 'members', row, '&check=true');
    assert.equal(s.result.error_count, 1, JSON.stringify(s.result));
    assert.notEqual(s.result.errors[0].code, 'exists');
    assert.doesNotMatch(s.result.errors[0].message, new RegExp(`编号 ${someone.id}\\b|${someone.name}`));
  });

  test('a reason quoting a long cell of four-byte characters is cut between characters, and reported', async () => {
    const name = '𠀀'.repeat(100); // 400 bytes: the reason's buffer ends inside one of them
    const j = await importFile(admin, 'members', Buffer.from(csv([['所属党组织', '姓名'], [name, uniq('长')]])), '&check=true');
    assert.equal(j.result.error_count, 1);
    assert.equal(j.result.errors.length, 1, JSON.stringify(j.result));
    assert.match(j.result.errors[0].message, /𠀀/);
    assert.doesNotMatch(j.result.errors[0].message, /\uFFFD/);
  });

  test('a cancelled import writes nothing', async () => {
    const p = uniq('消');
    const rows = [['所属党组织', '姓名']];
    for (let i = 0; i < 40000; i++) rows.push([cityBranch.name, `${p}${i}`]);
    const r = await upload(admin, 'members', Buffer.from(csv(rows)));
    assert.equal(r.status, 202, r.text);
    for (let i = 0; i < 400; i++) {
      const j = (await req(admin, 'GET', `/jobs/${r.json.id}`)).json;
      if (j.status === 'running' && j.done > 0) break;
      await new Promise((ok) => setTimeout(ok, 25));
    }
    const c = await req(admin, 'POST', `/jobs/${r.json.id}/cancel`);
    assert.equal(c.status, 200, c.text);
    const j = await jobEnd(admin, r.json.id);
    assert.equal(j.status, 'cancelled', JSON.stringify(j));
    assert.equal(await membersNamed(admin, p), 0);
  });

  test('roles × collections: the template and an upload are allowed exactly where _meta says may.create (and importable)', async () => {
    for (const who of [admin, viewer, zlt, sec]) {
      const meta = (await req(who, 'GET', '/_meta')).json.collections;
      for (const c of meta) {
        const t = await req(who, 'GET', `/templates/${c.name}`);
        const want = !c.importable ? 404 : c.may.create ? 200 : 403;
        assert.equal(t.status, want, `${who.username} template ${c.name}: ${t.status}`);
        if (c.importable && !c.may.create) {
          const u = await upload(who, c.name, Buffer.from('a\n'));
          assert.equal(u.status, 403, `${who.username} upload ${c.name}: ${u.text}`);
        }
      }
    }
    assert.equal((await req(null, 'GET', '/templates/members')).status, 401);
  });

  test('the template downloads for those who may import, and imports back (its example row, as a check)', async () => {
    const r = await fetch(`${process.env.RONGHE_URL}/api/v1/templates/members`, { headers: { Cookie: admin.cookie } });
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-disposition'), /filename\*=UTF-8''/);
    const buf = Buffer.from(await r.arrayBuffer());
    assert.equal(buf.subarray(0, 2).toString(), 'PK');
    // the first sheet has only the header: a file with no rows, imported in check mode
    const j = await importFile(admin, 'members', buf, '&check=true');
    assert.equal(j.status, 'done', j.message);
    assert.equal(j.result.rows, 0);
    assert.deepEqual(j.result.ignored_columns, []);
    assert.equal((await req(viewer, 'GET', '/templates/members')).status, 403);
    assert.equal((await req(admin, 'GET', '/templates/audit')).status, 404);
    assert.equal((await req(admin, 'GET', '/templates/nothing')).status, 404);
  });

  test('the command line: ronghe import (exit 1 and every rejected row on stderr, nothing written; --report; exit 0), template, --help', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ronghe-import-cli-'));
    const help = cli(['import', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.out, /members\s+党员/);
    assert.doesNotMatch(help.out, /\busers\b/);
    const p = uniq('命令');
    const bad = path.join(dir, 'bad.csv');
    writeFileSync(bad, csv([['姓名', '所属党组织', '出生日期'], [`${p}甲`, cityBranch.name, ''], [`${p}乙`, '无此支部', '1980-13-01']]));
    const report = path.join(dir, 'report.xlsx');
    let r = cli(['import', '--db', DB, 'members', bad, '--report', report]);
    assert.equal(r.code, 1, r.all);
    assert.match(r.err, /第 3 行 列“所属党组织” 值“无此支部”：找不到/);
    assert.match(r.err, /未写入任何数据/);
    assert.ok(existsSync(report) && readFileSync(report).subarray(0, 2).toString() === 'PK');
    assert.equal(await membersNamed(admin, p), 0);
    const good = path.join(dir, 'good.csv');
    writeFileSync(good, csv([['姓名', '所属党组织'], [`${p}甲`, cityBranch.name]]));
    r = cli(['import', '--db', DB, 'members', good, '--check']);
    assert.equal(r.code, 0, r.all);
    assert.equal(await membersNamed(admin, p), 0);
    r = cli(['import', '--db', DB, 'members', good]);
    assert.equal(r.code, 0, r.all);
    assert.match(r.out, /已导入 1 行/);
    assert.equal(await membersNamed(admin, p), 1);
    const t = path.join(dir, 't.xlsx');
    r = cli(['template', 'cases', '--to', t]);
    assert.equal(r.code, 0, r.all);
    assert.equal(readFileSync(t).subarray(0, 2).toString(), 'PK');
    assert.equal(cli(['template', 'audit', '--to', t]).code, 2);
    assert.equal(cli(['import', '--db', DB, 'nothing', good]).code, 2);
  });
});
