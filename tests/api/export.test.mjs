// Exports (issue 8, "Out"): a list leaves as XLSX or CSV through a background job, with the
// list's filters and sort, only the rows the exporter may read, Chinese headers, typed
// cells and no formula that could run; exporting is a permission of its own, audited;
// the file is its owner's alone.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { BASE, login, req, uniq, Trash } from './lib.mjs';

/** Submit an export job as "s"; wait for it to end; the finished job. */
async function runExport(s, body) {
  const r = await req(s, 'POST', '/jobs', { kind: 'export', ...body });
  assert.equal(r.status, 202, r.text);
  let job;
  for (let i = 0; i < 200; i++) {
    job = (await req(s, 'GET', `/jobs/${r.json.id}`)).json;
    if (['done', 'failed', 'cancelled'].includes(job.status)) break;
    await new Promise((ok) => setTimeout(ok, 50));
  }
  assert.equal(job.status, 'done', job.message);
  return job;
}

async function download(s, id) {
  const d = await fetch(`${BASE}/api/v1/jobs/${id}/download`, { headers: { Cookie: s.cookie } });
  return { status: d.status, headers: d.headers, body: Buffer.from(await d.arrayBuffer()) };
}

/** The first sheet of an XLSX as rows of cell values (row 1 the header). */
async function sheetRows(buf) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf);
  const ws = wb.worksheets[0];
  const rows = [];
  ws.eachRow({ includeEmpty: false }, (row) => rows.push(row.values.slice(1)));
  return { wb, ws, rows };
}

/** Every record of a list, as the API pages it. */
async function listAll(s, path) {
  const items = [];
  for (let page = 1; ; page++) {
    const r = await req(s, 'GET', `${path}${path.includes('?') ? '&' : '?'}per_page=500&page=${page}`);
    assert.equal(r.status, 200, r.text);
    items.push(...r.json.items);
    if (items.length >= r.json.total) return items;
  }
}

describe('exports', () => {
  let admin, viewer, zlt, sec;
  const trash = new Trash();
  before(async () => {
    admin = await login('admin');
    viewer = await login('viewer');
    zlt = await login('zlt-admin');
    sec = await login('hlgl-sec');
  });
  after(() => trash.empty(admin));

  test('XLSX with the list’s filter and sort: Chinese headers, dates as dates, booleans 是/否, frozen header', async () => {
    const want = await listAll(admin, '/members?gender=女&sort=-birth_date');
    const job = await runExport(admin, {
      collection: 'members',
      format: 'xlsx',
      query: { gender: '女', sort: '-birth_date' },
      columns: ['name', 'birth_date', 'quota_prosecutor', 'branch_id', 'age'],
      labels: ['姓名', '', '', '支部', ''],
    });
    assert.equal(job.result.rows, want.length);
    assert.match(job.result.display_name, /^党员-\d{4}-\d{2}-\d{2}\.xlsx$/);
    assert.match(job.result.name, /^\d+\.xlsx$/);
    const d = await download(admin, job.id);
    assert.equal(d.status, 200);
    assert.match(d.headers.get('content-type'), /spreadsheetml/);
    assert.equal(d.body.length, job.result.bytes);
    const { ws, rows } = await sheetRows(d.body);
    assert.equal(ws.name, '党员');
    assert.deepEqual(rows[0], ['姓名', '出生日期', '员额检察官', '支部', '年龄']);
    assert.equal(rows.length - 1, want.length);
    assert.deepEqual(rows.slice(1).map((r) => r[0]), want.map((m) => m.name), 'the list’s order');
    const first = want.findIndex((m) => m.birth_date);
    const cell = rows[first + 1];
    assert.ok(cell[1] instanceof Date, 'a date cell');
    assert.equal(cell[1].toISOString().slice(0, 10), want[first].birth_date);
    assert.equal(cell[2], want[first].quota_prosecutor ? '是' : '否');
    assert.equal(cell[3], want[first].branch_name, 'the branch by its name, not its id');
    assert.equal(typeof cell[4], 'number', 'a number cell');
    assert.equal(ws.views[0].state, 'frozen');
    assert.equal(ws.views[0].ySplit, 1);
    assert.ok(ws.getRow(1).getCell(1).font?.bold, 'the header is bold');
    assert.ok(ws.getColumn(1).width >= 6);
  });

  test('CSV: UTF-8 with a BOM, CRLF, the same rows', async () => {
    const want = await listAll(admin, '/branches?sort=name');
    const job = await runExport(admin, { collection: 'branches', format: 'csv', query: { sort: 'name' } });
    assert.match(job.result.display_name, /^党组织-\d{4}-\d{2}-\d{2}\.csv$/);
    const d = await download(admin, job.id);
    assert.equal(d.status, 200);
    assert.match(d.headers.get('content-type'), /text\/csv/);
    assert.deepEqual([...d.body.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    const text = d.body.subarray(3).toString('utf8');
    const lines = text.split('\r\n');
    assert.equal(lines.pop(), '', 'every record ends in CRLF');
    assert.ok(!lines.some((l) => l.includes('\n')), 'no bare LF');
    assert.equal(lines.length - 1, want.length);
    const head = lines[0].split(',');
    assert.equal(head[0], '所属检察院', 'the procuratorate by its label');
    const name = head.indexOf('名称');
    assert.ok(name > 0, lines[0]);
    assert.deepEqual(
      lines.slice(1).map((l) => l.split(',')[name]),
      want.map((b) => b.name),
      'the list’s order',
    );
    assert.deepEqual(
      lines.slice(1).map((l) => l.split(',')[0]),
      want.map((b) => b.procuratorate_name),
      'the procuratorate by its name',
    );
  });

  test('a county administrator gets only its procuratorate’s rows', async () => {
    const want = await listAll(zlt, '/members');
    const job = await runExport(zlt, { collection: 'members', format: 'csv', columns: ['name', 'procuratorate_id'] });
    assert.equal(job.result.rows, want.length);
    const lines = (await download(zlt, job.id)).body.subarray(3).toString('utf8').split('\r\n').slice(1, -1);
    assert.equal(lines.length, want.length);
    const procs = new Set(lines.map((l) => l.split(',')[1]));
    assert.deepEqual([...procs], ['扎鲁特旗人民检察院']);
    const all = (await req(admin, 'GET', '/members?per_page=1')).json.total;
    assert.ok(all > want.length, 'the city has more');
  });

  test('the export permission beside reading: who may export what', async () => {
    // members: personal data, administrators only; branches: whoever may read them
    const matrix = [
      ['members', admin, 202],
      ['members', zlt, 202],
      ['members', viewer, 403],
      ['members', sec, 403],
      ['branches', admin, 202],
      ['branches', zlt, 202],
      ['branches', viewer, 202],
      ['branches', sec, 202],
      ['audit', viewer, 403],
      ['users', sec, 403],
    ];
    for (const [coll, s, status] of matrix) {
      // reading the list is allowed to all of them (except the secretary's users/audit)
      const r = await req(s, 'POST', '/jobs', { kind: 'export', collection: coll, format: 'csv' });
      assert.equal(r.status, status, `${s.user.username} ${coll}: ${r.text}`);
      if (status === 403) {
        assert.equal(r.json.error.code, 'forbidden');
        assert.match(r.json.error.message, /[\u4e00-\u9fff]/, 'a Chinese message');
      }
    }
    assert.equal((await req(viewer, 'GET', '/members?per_page=1')).status, 200, 'the viewer reads members');
    assert.equal((await req(sec, 'GET', '/members?per_page=1')).status, 200, 'so does the secretary');
    // what _meta tells the interface
    const meta = (s) => req(s, 'GET', '/_meta').then((r) => r.json.collections ?? r.json);
    const vm = await meta(viewer);
    const am = await meta(admin);
    const mayOf = (m, c) => (m[c] ?? m.find?.((x) => x.name === c))?.may?.export;
    assert.equal(mayOf(vm, 'members'), false);
    assert.equal(mayOf(am, 'members'), true);
    assert.equal(mayOf(vm, 'branches'), true);
  });

  test('every collection × role: the export is refused exactly where _meta says may.export is false', async () => {
    // a column that does not exist: a permitted export is refused 400 after the permission
    // check, a forbidden one 403 before it; nothing is queued either way
    for (const s of [admin, viewer, zlt, sec]) {
      const m = (await req(s, 'GET', '/_meta')).json;
      const colls = m.collections ?? m;
      assert.ok(colls.length > 20);
      for (const c of colls) {
        const r = await req(s, 'POST', '/jobs', { kind: 'export', collection: c.name, columns: ['no_such_column'] });
        const want = c.name === 'jobs' ? 400 : c.may.export ? 400 : 403;
        assert.equal(r.status, want, `${s.user.username} ${c.name}: ${r.text}`);
        if (want === 400 && c.name !== 'jobs') assert.equal(r.json.error.code, 'bad_column');
        if (c.may.export) assert.ok(c.may.read, `${c.name}: export implies read`);
      }
    }
  });

  test('bad requests are refused at submission, with nothing queued', async () => {
    const before = (await req(admin, 'GET', '/jobs?per_page=1')).json.total;
    const cases = [
      [{ collection: 'nope' }, 'invalid_value'],
      [{ collection: 'jobs' }, 'invalid_value'],
      [{ collection: 'members', format: 'xls' }, 'invalid_value'],
      [{ collection: 'members', columns: ['password_hash'] }, 'bad_column'],
      [{ collection: 'members', columns: ['name_key'] }, 'bad_column'],
      [{ collection: 'members', query: { bogus: '1' } }, 'bad_query'],
      [{ collection: 'members', query: { sort: 'name_key' } }, 'bad_query'],
      [{ collection: 'members', columns: ['name'], labels: ['a', 'b'] }, 'invalid_value'],
      [{ collection: 'members', extra: 1 }, 'unknown_field'],
      [{}, 'required'],
    ];
    for (const [body, code] of cases) {
      const r = await req(admin, 'POST', '/jobs', { kind: 'export', ...body });
      assert.equal(r.status, 400, `${JSON.stringify(body)}: ${r.text}`);
      assert.equal(r.json.error.code, code, JSON.stringify(body));
    }
    assert.equal((await req(admin, 'GET', '/jobs?per_page=1')).json.total, before);
  });

  test('audited: who exported which collection, with which filters, how many rows', async () => {
    const job = await runExport(zlt, { collection: 'members', format: 'xlsx', query: { gender: '男', sort: 'name' } });
    const a = await req(admin, 'GET', '/audit?action=export&entity=members&sort=-id&per_page=5');
    assert.equal(a.status, 200, a.text);
    const e = a.json.items[0];
    assert.equal(e.username, 'zlt-admin');
    assert.equal(e.procuratorate_id, zlt.user.procuratorate_id);
    const details = typeof e.after === 'string' ? JSON.parse(e.after) : e.after;
    assert.deepEqual(details.filters, { gender: '男' });
    assert.equal(details.sort, 'name');
    assert.equal(details.format, 'xlsx');
    assert.equal(details.rows, job.result.rows);
  });

  test('formula neutralisation: "=1+1" and "@SUM(A1)" stay text in XLSX and CSV', async () => {
    const branch = (await req(admin, 'GET', '/branches?per_page=1')).json.items[0];
    const tag = uniq('x');
    const made = [];
    for (const position of ['=1+1', '@SUM(A1)', '-2+3', '+1']) {
      const c = await req(admin, 'POST', '/members', { name: '公式' + tag, branch_id: branch.id, position, confirm_duplicate: true });
      assert.equal(c.status, 201, c.text);
      made.push(trash.add('members', c.json.id));
    }
    const body = { collection: 'members', query: { q: '公式' + tag, sort: 'id' }, columns: ['name', 'position'] };
    const x = await runExport(admin, { ...body, format: 'xlsx' });
    assert.equal(x.result.rows, 4);
    const buf = (await download(admin, x.id)).body;
    const { ws } = await sheetRows(buf);
    const cells = [2, 3, 4, 5].map((r) => ws.getRow(r).getCell(2));
    assert.deepEqual(cells.map((c) => c.value), ['=1+1', '@SUM(A1)', '-2+3', '+1']);
    for (const c of cells) assert.equal(c.type, ExcelJS.ValueType.String, 'text, not a formula');
    const zip = await JSZip.loadAsync(buf);
    const sheet = await zip.file('xl/worksheets/sheet1.xml').async('string');
    assert.ok(!sheet.includes('<f>'), 'no formula in the sheet');
    const styles = await zip.file('xl/styles.xml').async('string');
    const xfs = [...styles.slice(styles.indexOf('<cellXfs')).matchAll(/<xf [^>]*>/g)].map((m) => m[0]);
    const s = Number(/<c r="B2" s="(\d+)"/.exec(sheet)[1]);
    assert.match(xfs[s], /quotePrefix="1"/, 'quote-prefixed, as Excel keeps typed text');
    const csv = await runExport(admin, { ...body, format: 'csv' });
    const lines = (await download(admin, csv.id)).body.subarray(3).toString('utf8').split('\r\n');
    assert.deepEqual(lines.slice(1, 5).map((l) => l.split(',')[1]), ["'=1+1", "'@SUM(A1)", "'-2+3", "'+1"]);
  });

  test('the file is its owner’s: others get 404, as for a job that does not exist', async () => {
    const job = await runExport(admin, { collection: 'branches', format: 'csv' });
    assert.equal((await download(admin, job.id)).status, 200);
    for (const s of [viewer, zlt, sec]) {
      const d = await download(s, job.id);
      assert.equal(d.status, 404, s.user.username);
    }
    const other = await login('admin');
    assert.equal((await download(other, job.id)).status, 200, 'the same user in another session');
    // a viewer's own export is the viewer's, not the administrator's
    const mine = await runExport(viewer, { collection: 'branches', format: 'xlsx' });
    assert.equal((await download(viewer, mine.id)).status, 200);
    assert.equal((await download(admin, mine.id)).status, 404);
  });
});

describe('ronghe export (the command line)', () => {
  test('--help lists the kinds; bad arguments exit 2; an export writes the file and is audited', async () => {
    const { spawnSync } = await import('node:child_process');
    const { mkdtempSync, readFileSync, existsSync } = await import('node:fs');
    const os = await import('node:os');
    const { join } = await import('node:path');
    const run = (args) => spawnSync(process.env.RONGHE_BIN, ['export', ...args], { encoding: 'utf8' });
    const help = run(['--help']);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /members\s+党员/);
    assert.match(help.stdout, /branches\s+党组织/);
    assert.doesNotMatch(help.stdout, /^\s+jobs\s/m, 'nothing of jobs is for taking away');
    const dir = mkdtempSync(join(os.tmpdir(), 'ronghe-export-'));
    const db = process.env.RONGHE_DB;
    assert.equal(run(['--db', db, 'members', '--to', join(dir, 'm.xls')]).status, 2);
    assert.equal(run(['--db', db, 'nope', '--to', join(dir, 'm.csv')]).status, 2);
    assert.equal(run(['--db', db, 'members', '--filter', 'novalue', '--to', join(dir, 'm.csv')]).status, 2);
    const bad = run(['--db', db, 'members', '--filter', 'bogus=1', '--to', join(dir, 'm.csv')]);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /bogus/);
    assert.ok(!existsSync(join(dir, 'm.csv')), 'nothing written');
    const ok = run(['--db', db, 'members', '--filter', 'gender=女', '--sort', '-birth_date', '--columns', 'name,birth_date', '--to', join(dir, 'm.csv')]);
    assert.equal(ok.status, 0, ok.stderr);
    const text = readFileSync(join(dir, 'm.csv'), 'utf8');
    assert.ok(text.startsWith('\ufeff姓名,出生日期\r\n'), text.slice(0, 40));
    const admin = await login('admin');
    const want = await listAll(admin, '/members?gender=女&sort=-birth_date');
    assert.equal(text.split('\r\n').length - 2, want.length);
    assert.match(ok.stdout, new RegExp(`${want.length} 行`));
    const a = await req(admin, 'GET', '/audit?action=export&entity=members&sort=-id&per_page=1');
    assert.equal(a.json.items[0].username, 'system');
  });
});
