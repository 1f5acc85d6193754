// Attachments: files on ledger records. The file is the request body itself, streamed to
// disk as it arrives (never held in memory), stored once per content under DB.files/ by
// its SHA-256, typed from its content (not its name), and the row's scope follows its
// owner record. Owners here are honours (a certificate's scan), the one owner
// collection that exists on every build.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync, utimesSync, mkdirSync } from 'node:fs';
import net from 'node:net';
import zlib from 'node:zlib';
import { login, req, create, Trash, DB, BASE, cli } from './lib.mjs';

const FILES = `${DB}.files`;
const MIB = 1 << 20;
const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.from('0000000d49484452', 'hex'), Buffer.alloc(64, 7)]);
const ELF = Buffer.concat([Buffer.from('7f454c46020101', 'hex'), Buffer.alloc(200, 0)]);
const sha = (b) => createHash('sha256').update(b).digest('hex');
const stored = (hex) => `${FILES}/${hex.slice(0, 2)}/${hex.slice(2)}`;
const tmpFiles = () => (existsSync(`${FILES}/tmp`) ? readdirSync(`${FILES}/tmp`) : []);
/** Wait (up to 10 s: the machine may be loaded) until "cond" holds; whether it did. */
async function until(cond, ms = 10000) {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) if (cond()) return true;
  return cond();
}

/** A ZIP with the named entries stored (not compressed), as an Office file is laid out. */
function zip(entries) {
  const locals = [], centrals = [];
  let off = 0;
  for (const [name, text] of entries) {
    const n = Buffer.from(name), d = Buffer.from(text), crc = zlib.crc32(d);
    const l = Buffer.alloc(30);
    l.writeUInt32LE(0x04034b50, 0); l.writeUInt16LE(20, 4); l.writeUInt32LE(crc, 14);
    l.writeUInt32LE(d.length, 18); l.writeUInt32LE(d.length, 22); l.writeUInt16LE(n.length, 26);
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0); c.writeUInt16LE(20, 4); c.writeUInt16LE(20, 6); c.writeUInt32LE(crc, 16);
    c.writeUInt32LE(d.length, 20); c.writeUInt32LE(d.length, 24); c.writeUInt16LE(n.length, 28); c.writeUInt32LE(off, 42);
    locals.push(l, n, d);
    centrals.push(c, n);
    off += 30 + n.length + d.length;
  }
  const cd = Buffer.concat(centrals), end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(entries.length, 8); end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12); end.writeUInt32LE(off, 16);
  return Buffer.concat([...locals, cd, end]);
}

/** POST the file "body" as "session" onto owner honours/"id" named "name". */
function upload(session, id, name, body, { coll = 'honours', type = 'application/octet-stream' } = {}) {
  const q = new URLSearchParams({ owner_coll: coll, owner_id: String(id), name });
  return req(session, 'POST', `/attachments?${q}`, body, { 'Content-Type': type });
}

/** Send raw HTTP on a socket; resolves with what came back when the server closes or after "ms". */
function raw(head, { body = null, close = false, ms = 3000 } = {}) {
  const u = new URL(BASE);
  return new Promise((resolve) => {
    const s = net.connect(Number(u.port), u.hostname);
    let got = '';
    const done = () => { s.destroy(); resolve(got); };
    s.on('data', (d) => (got += d));
    s.on('error', done);
    s.on('close', done);
    s.on('connect', () => {
      s.write(head);
      if (body) s.write(body);
      if (close) setTimeout(done, 200);
    });
    setTimeout(done, ms);
  });
}

function head(session, id, name, extra) {
  const q = new URLSearchParams({ owner_coll: 'honours', owner_id: String(id), name });
  return `POST /api/v1/attachments?${q} HTTP/1.1\r\nHost: ${new URL(BASE).host}\r\nCookie: ${session.cookie}\r\n` +
    `X-CSRF-Token: ${session.csrf}\r\nContent-Type: application/octet-stream\r\n${extra}\r\n`;
}

const rss = () => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSyncSafe(`/proc/${process.env.RONGHE_PID}/status`));
  return m ? Number(m[1]) * 1024 : 0;
};
function readFileSyncSafe(p) {
  try { return readFileSync(p, 'utf8'); } catch { return ''; }
}

describe('attachments', () => {
  let admin, viewer, zlt, sec, cityHonour, secHonour, otherSecHonour;
  const trash = new Trash();
  before(async () => {
    admin = await login('admin');
    viewer = await login('viewer');
    zlt = await login('zlt-admin');
    sec = await login('hlgl-sec');
    const branches = (await req(admin, 'GET', '/branches?per_page=500')).json.items;
    const cityBranch = branches.find((b) => b.procuratorate_id === admin.user.procuratorate_id);
    const otherBranch = branches.find((b) => b.procuratorate_id === sec.user.procuratorate_id && b.id !== sec.user.branch_id)
      ?? branches.find((b) => b.id !== sec.user.branch_id && b.procuratorate_id !== zlt.user.procuratorate_id && b.procuratorate_id !== admin.user.procuratorate_id);
    const honour = async (branch_id, title) =>
      trash.add('honours', (await create(admin, 'honours', { branch_id, title, level: 'city', year: 2024 })).id);
    cityHonour = await honour(cityBranch.id, '附件测试：市院荣誉');
    secHonour = await honour(sec.user.branch_id, '附件测试：霍林郭勒支部荣誉');
    otherSecHonour = await honour(otherBranch.id, '附件测试：另一支部荣誉');
  });
  after(async () => {
    // Attachments first (they name the honours), then the honours.
    const list = (await req(admin, 'GET', '/attachments?per_page=500')).json.items;
    for (const a of list)
      if ([cityHonour, secHonour, otherSecHonour].includes(a.owner_id) && a.owner_coll === 'honours')
        await req(admin, 'DELETE', `/attachments/${a.id}?version=${a.version}`);
    await trash.empty(admin);
  });

  test('upload and download round trip: same bytes, same SHA-256, type and headers', async () => {
    const r = await upload(admin, cityHonour, '获奖证书扫描.png', PNG);
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.content_type, 'image/png');
    assert.equal(r.json.size, PNG.length);
    assert.equal(r.json.sha256, sha(PNG));
    assert.equal(r.json.owner_coll, 'honours');
    assert.equal(r.json.owner_id, cityHonour);
    assert.equal(r.json.name, '获奖证书扫描.png');
    assert.ok(r.json.uploaded_by_name);
    assert.ok(existsSync(stored(sha(PNG))), 'stored by its hash under DB.files/');
    const d = await fetch(`${BASE}/api/v1/attachments/${r.json.id}/download`, { headers: { Cookie: admin.cookie } });
    assert.equal(d.status, 200);
    const bytes = Buffer.from(await d.arrayBuffer());
    assert.ok(bytes.equals(PNG));
    assert.equal(sha(bytes), r.json.sha256);
    assert.equal(d.headers.get('content-type'), 'image/png');
    assert.equal(d.headers.get('x-content-type-options'), 'nosniff');
    const disp = d.headers.get('content-disposition');
    assert.match(disp, /^attachment; filename="[A-Za-z0-9._-]+"; filename\*=UTF-8''/);
    assert.equal(decodeURIComponent(disp.split("UTF-8''")[1]), '获奖证书扫描.png');
    // listed on its owner
    const list = await req(admin, 'GET', `/attachments?owner_coll=honours&owner_id=${cityHonour}`);
    assert.ok(list.json.items.some((a) => a.id === r.json.id));
  });

  test('the type comes from the content: a PNG named .pdf is a PNG; an ELF named .pdf is refused (415) and leaves nothing', async () => {
    const png = Buffer.concat([PNG, Buffer.from('named-pdf')]);
    const r = await upload(admin, cityHonour, '会议纪要.pdf', png);
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.content_type, 'image/png');
    const before = (await req(admin, 'GET', '/attachments?per_page=1')).json.total;
    const e = await upload(admin, cityHonour, '会议纪要.pdf', ELF);
    assert.equal(e.status, 415, e.text);
    assert.equal(e.json.error.code, 'unsupported_type');
    assert.match(e.json.error.message, /不支持的文件类型/);
    assert.equal((await req(admin, 'GET', '/attachments?per_page=1')).json.total, before);
    assert.ok(!existsSync(stored(sha(ELF))), 'no file of the refused upload');
    assert.deepEqual(tmpFiles(), []);
    // others of the allow-list, by their content
    const docx = zip([['[Content_Types].xml', '<Types/>'], ['word/document.xml', '<w:document/>']]);
    const xlsx = zip([['[Content_Types].xml', '<Types/>'], ['xl/workbook.xml', '<workbook/>']]);
    const plainZip = zip([['readme.txt', 'hello']]);
    const cases = [
      ['纪要.docx', docx, 201, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
      ['台账.xlsx', xlsx, 201, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
      ['打包.docx', plainZip, 415],
      ['说明.txt', Buffer.from('三会一课记录\n第二行\n'), 201, 'text/plain'],
      ['扫描.pdf', Buffer.from('%PDF-1.7\n%âãÏÓ\n'), 201, 'application/pdf'],
      ['照片.jpg', Buffer.from('ffd8ffe000104a464946', 'hex'), 201, 'image/jpeg'],
      ['页面.html', Buffer.from('<html>\x00</html>'), 415],
      ['setup.exe', Buffer.from('4d5a90000300000004000000ffff0000', 'hex'), 415],
    ];
    for (const [name, body, status, type] of cases) {
      const u = await upload(admin, cityHonour, name, body);
      assert.equal(u.status, status, `${name}: ${u.text}`);
      if (type) assert.equal(u.json.content_type, type, name);
    }
    // the client's Content-Type must say a file; JSON is not an upload
    const j = await req(admin, 'POST', `/attachments?owner_coll=honours&owner_id=${cityHonour}&name=a.png`, { x: 1 });
    assert.equal(j.status, 415, j.text);
  });

  test('_meta states the cap (the web checks a file against it before sending), and that nobody changes an attachment', async () => {
    const m = (await req(sec, 'GET', '/_meta')).json.collections.find((c) => c.name === 'attachments');
    const size = m.fields.find((f) => f.name === 'size');
    assert.equal(size.max, 20 * MIB);
    assert.equal(m.may.update, false);
    assert.equal(m.may.create, true);
  });

  test('no session, no CSRF token: refused from the headers, before a byte of the file is stored', async () => {
    const h = `POST /api/v1/attachments?owner_coll=honours&owner_id=${cityHonour}&name=a.txt HTTP/1.1\r\nHost: ${new URL(BASE).host}\r\n` +
      `Content-Type: application/octet-stream\r\nContent-Length: ${4 * MIB}\r\n`;
    let got = await raw(h + '\r\n', { ms: 2000 });
    assert.match(got, /^HTTP\/1\.1 401/, got);
    got = await raw(h + `Cookie: ${admin.cookie}\r\n\r\n`, { ms: 2000 });
    assert.match(got, /^HTTP\/1\.1 403/, got);
    assert.match(got, /csrf/);
    // a token that is merely present is still checked once the body is in
    const r = await upload({ ...admin, csrf: 'x'.repeat(32) }, cityHonour, 'a.png', PNG);
    assert.equal(r.status, 403, r.text);
    assert.deepEqual(tmpFiles(), []);
  });

  test('over the cap: a declared length is refused 413 at once, before the body is sent', async () => {
    const got = await raw(head(admin, cityHonour, 'big.pdf', `Content-Length: ${21 * MIB}\r\n`), { ms: 2000 });
    assert.match(got, /^HTTP\/1\.1 413/, got);
    assert.match(got, /too_large/);
    assert.match(got, /20 MiB/);
  });

  test('over the cap while streaming (chunked): cut off, no file, no row, and the server never held it', async (t) => {
    const rows = (await req(admin, 'GET', '/attachments?per_page=1')).json.total;
    const rss0 = rss();
    const chunk = Buffer.alloc(MIB, 0x41);
    const u = new URL(BASE);
    await new Promise((resolve) => {
      const s = net.connect(Number(u.port), u.hostname, async () => {
        s.write(head(admin, cityHonour, 'stream.txt', 'Transfer-Encoding: chunked\r\n'));
        for (let i = 0; i < 25 && !s.destroyed; i++) {
          s.write(`${chunk.length.toString(16)}\r\n`);
          s.write(chunk);
          s.write('\r\n');
          await new Promise((r) => setTimeout(r, 5));
        }
        if (!s.destroyed) s.end('0\r\n\r\n');
      });
      s.on('data', () => {});
      s.on('error', resolve);
      s.on('close', resolve);
      setTimeout(() => { s.destroy(); resolve(); }, 15000);
    });
    assert.ok(await until(() => tmpFiles().length === 0), 'no temporary file left');
    assert.equal((await req(admin, 'GET', '/attachments?per_page=1')).json.total, rows);
    if (rss0) t.diagnostic(`25 MiB chunked, cut off at 20 MiB: server RSS ${(rss0 / MIB).toFixed(1)} → ${(rss() / MIB).toFixed(1)} MiB`);
    if (rss0) assert.ok(rss() - rss0 < 8 * MIB, `server grew by ${(rss() - rss0) / MIB} MiB`);
  });

  test('a file just under the cap streams to disk: accepted, and the server does not grow by its size', async (t) => {
    const big = Buffer.alloc(19 * MIB, 0x61); // plain text: "aaaa…"
    big.write('大文件\n', 0);
    const rss0 = rss();
    const t0 = Date.now();
    const r = await upload(admin, cityHonour, '大文件.txt', big);
    assert.equal(r.status, 201, r.text);
    if (rss0) t.diagnostic(`19 MiB upload in ${Date.now() - t0} ms: server RSS ${(rss0 / MIB).toFixed(1)} → ${(rss() / MIB).toFixed(1)} MiB`);
    assert.equal(r.json.size, big.length);
    assert.equal(r.json.sha256, sha(big));
    if (rss0) assert.ok(rss() - rss0 < 8 * MIB, `server grew by ${(rss() - rss0) / MIB} MiB for a 19 MiB upload`);
    assert.equal(statSync(stored(r.json.sha256)).size, big.length);
  });

  test('a half-sent body (the client hangs up mid-upload) leaves no file and no row; held ones stall no worker', async () => {
    const rows = (await req(admin, 'GET', '/attachments?per_page=1')).json.total;
    const part = Buffer.alloc(256 * 1024, 0x62);
    await raw(head(admin, cityHonour, 'half.txt', `Content-Length: ${4 * MIB}\r\n`), { body: part, close: true });
    // its temporary file goes as soon as the server sees the connection closed (and it no
    // longer counts against the address's uploads)
    assert.ok(await until(() => tmpFiles().length === 0), `the abandoned upload's file is removed: ${tmpFiles()}`);
    assert.equal((await req(admin, 'GET', '/attachments?per_page=1')).json.total, rows);
    // Uploads held open half-sent (as many as one address may have) do not hold workers.
    const u = new URL(BASE);
    const held = [];
    for (let i = 0; i < 4; i++) {
      const s = net.connect(Number(u.port), u.hostname);
      s.on('error', () => {});
      s.write(head(admin, cityHonour, `held${i}.txt`, `Content-Length: ${4 * MIB}\r\n`));
      s.write(part);
      held.push(s);
    }
    assert.ok(await until(() => tmpFiles().length >= 4), 'the held uploads are being written');
    const t0 = Date.now();
    const me = await req(admin, 'GET', '/me');
    assert.equal(me.status, 200);
    assert.ok(Date.now() - t0 < 3000, 'answered at once, not after an upload’s timeout (10 s)');
    // a fifth upload from the same address waits its turn: 503 at once
    const fifth = await raw(head(admin, cityHonour, 'fifth.txt', `Content-Length: ${MIB}\r\n`), { ms: 1500 });
    assert.match(fifth, /^HTTP\/1\.1 503/, fifth);
    for (const s of held) s.destroy();
    assert.ok(await until(() => tmpFiles().length === 0), `temporary files of abandoned uploads are removed: ${tmpFiles()}`);
    assert.equal((await req(admin, 'GET', '/attachments?per_page=1')).json.total, rows);
    assert.ok(!existsSync(stored(sha(part))));
  });

  test('file names: four-byte characters up to the limit (120) are kept whole; past it 400; paths and controls cleaned', async () => {
    const name = '𠀀'.repeat(116) + '.png'; // 120 code points, 468 bytes
    const r = await upload(admin, cityHonour, name, PNG);
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.name, name);
    const d = await fetch(`${BASE}/api/v1/attachments/${r.json.id}/download`, { headers: { Cookie: admin.cookie } });
    assert.equal(decodeURIComponent(d.headers.get('content-disposition').split("UTF-8''")[1]), name);
    await d.arrayBuffer();
    const long = await upload(admin, cityHonour, '𠀀'.repeat(117) + '.png', PNG);
    assert.equal(long.status, 400, long.text);
    assert.equal(long.json.error.code, 'too_long');
    assert.equal(long.json.error.field, 'name');
    const cleaned = await upload(admin, cityHonour, '../../etc/\u202e证书\u0007.png', PNG);
    assert.equal(cleaned.status, 201, cleaned.text);
    assert.equal(cleaned.json.name, '证书.png');
    const none = await upload(admin, cityHonour, '', PNG);
    assert.equal(none.status, 400);
    assert.equal(none.json.error.field, 'name');
  });

  test('scope follows the owner: another procuratorate’s or branch’s record 403, one that is not there 422, a kind that takes none 400', async () => {
    // zlt-admin may read the city's honour (honours are read by all) but not write it
    let r = await upload(zlt, cityHonour, 'a.png', PNG);
    assert.equal(r.status, 403, r.text);
    // a secretary writes only their own branch's records
    r = await upload(sec, otherSecHonour, 'a.png', PNG);
    assert.equal(r.status, 403, r.text);
    r = await upload(sec, secHonour, '支部证书.png', PNG);
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.branch_id, sec.user.branch_id);
    assert.equal(r.json.procuratorate_id, sec.user.procuratorate_id);
    r = await upload(admin, 999999999, 'a.png', PNG);
    assert.equal(r.status, 422, r.text);
    assert.equal(r.json.error.code, 'invalid_reference');
    assert.equal(r.json.error.field, 'owner_id');
    r = await upload(admin, 1, 'a.png', PNG, { coll: 'members' });
    assert.equal(r.status, 400, r.text);
    assert.equal(r.json.error.field, 'owner_coll');
    // an attachment of the city is not listed for, nor downloadable by, a county
    const city = await upload(admin, cityHonour, '市院.png', PNG);
    const list = await req(zlt, 'GET', `/attachments?owner_coll=honours&owner_id=${cityHonour}`);
    assert.equal(list.status, 200);
    assert.ok(!list.json.items.some((a) => a.id === city.json.id));
    const dl = await req(zlt, 'GET', `/attachments/${city.json.id}/download`);
    assert.equal(dl.status, 404);
    assert.deepEqual(tmpFiles(), []);
  });

  test('a viewer reads and downloads but cannot upload or delete', async () => {
    const r = await upload(viewer, cityHonour, 'v.png', PNG);
    assert.equal(r.status, 403, r.text);
    const mine = await upload(admin, cityHonour, 'for-viewer.png', PNG);
    const d = await req(viewer, 'GET', `/attachments/${mine.json.id}/download`);
    assert.equal(d.status, 200);
    const del = await req(viewer, 'DELETE', `/attachments/${mine.json.id}?version=1`);
    assert.equal(del.status, 403, del.text);
    const sd = await req(sec, 'DELETE', `/attachments/${mine.json.id}?version=1`);
    assert.equal(sd.status, 404, sd.text); // another procuratorate's: not even seen
  });

  test('an owner with attachments is not deleted (409 in_use, as a foreign key would refuse it); without them it is', async () => {
    const h = await create(admin, 'honours', { branch_id: sec.user.branch_id, title: '附件测试：将删除的荣誉', level: 'county', year: 2023 });
    const a = await upload(sec, h.id, '留下.png', Buffer.concat([PNG, Buffer.from('owner-deleted')]));
    assert.equal(a.status, 201, a.text);
    const refused = await req(admin, 'DELETE', `/honours/${h.id}?version=${h.version}`);
    assert.equal(refused.status, 409, refused.text);
    assert.equal(refused.json.error.code, 'in_use');
    assert.match(refused.json.error.message, /还有 1 个附件/);
    assert.equal((await req(admin, 'GET', `/honours/${h.id}`)).status, 200, 'unchanged');
    assert.equal((await req(sec, 'DELETE', `/attachments/${a.json.id}?version=1`)).status, 204);
    assert.ok(!existsSync(stored(a.json.sha256)));
    assert.equal((await req(admin, 'DELETE', `/honours/${h.id}?version=${h.version}`)).status, 204);
  });

  test('an attachment is never changed; a JSON POST is no upload', async () => {
    const r = await upload(admin, cityHonour, 'fixed.png', PNG);
    const p = await req(admin, 'PATCH', `/attachments/${r.json.id}`, { version: r.json.version, name: 'x.png' });
    assert.equal(p.status, 422, p.text);
    assert.equal(p.json.error.code, 'immutable');
  });

  test('delete removes the file only when no other attachment names the same content', async () => {
    const body = Buffer.concat([PNG, Buffer.from(`dup-${Date.now()}`)]);
    const a = await upload(admin, cityHonour, '一.png', body);
    const b = await upload(sec, secHonour, '二.png', body);
    assert.equal(a.status, 201);
    assert.equal(b.status, 201);
    assert.equal(a.json.sha256, b.json.sha256);
    const path = stored(a.json.sha256);
    assert.ok(existsSync(path));
    let r = await req(admin, 'DELETE', `/attachments/${a.json.id}`);
    assert.equal(r.status, 400, 'a version is required');
    r = await req(admin, 'DELETE', `/attachments/${a.json.id}?version=${a.json.version}`);
    assert.equal(r.status, 204, r.text);
    assert.ok(existsSync(path), 'still named by the other attachment');
    r = await req(sec, 'DELETE', `/attachments/${b.json.id}?version=${b.json.version}`);
    assert.equal(r.status, 204, r.text);
    assert.ok(!existsSync(path), 'the last one takes the file with it');
    assert.equal((await req(admin, 'GET', `/attachments/${b.json.id}`)).status, 404);
  });

  test('audit: the upload, each download and the deletion are entries', async () => {
    const r = await upload(admin, cityHonour, '审计.png', Buffer.concat([PNG, Buffer.from('audit')]));
    const id = r.json.id;
    await (await fetch(`${BASE}/api/v1/attachments/${id}/download`, { headers: { Cookie: admin.cookie } })).arrayBuffer();
    await req(admin, 'DELETE', `/attachments/${id}?version=1`);
    const a = await req(admin, 'GET', `/audit?entity=attachments&entity_id=${id}&sort=id`);
    assert.equal(a.status, 200, a.text);
    assert.deepEqual(a.json.items.map((e) => e.action), ['create', 'download', 'delete']);
    const created = a.json.items[0];
    assert.equal(JSON.stringify(created).includes(r.json.sha256), true, 'the hash is in the entry');
  });

  test('ronghe files sweep: removes old orphans (no row, or an abandoned temporary file), keeps named and young files', async () => {
    const kept = await upload(admin, cityHonour, '留.png', Buffer.concat([PNG, Buffer.from('kept')]));
    const orphan = 'ab'.repeat(32), young = 'cd'.repeat(32);
    for (const hex of [orphan, young]) {
      mkdirSync(`${FILES}/${hex.slice(0, 2)}`, { recursive: true });
      writeFileSync(stored(hex), 'orphan');
    }
    writeFileSync(`${FILES}/tmp/upload-crash1`, 'half');
    const old = new Date(Date.now() - 2 * 3600 * 1000);
    utimesSync(stored(orphan), old, old);
    utimesSync(`${FILES}/tmp/upload-crash1`, old, old);
    utimesSync(stored(kept.json.sha256), old, old);
    const r = cli(['files', 'sweep', '--db', DB, '--grace', '3600']);
    assert.equal(r.code, 0, r.all);
    assert.match(r.out, /已清理 2 个/);
    assert.ok(!existsSync(stored(orphan)));
    assert.ok(!existsSync(`${FILES}/tmp/upload-crash1`));
    assert.ok(existsSync(stored(young)), 'too young to be an orphan');
    assert.ok(existsSync(stored(kept.json.sha256)), 'named by a row');
    assert.equal(cli(['files', 'sweep', '--db', DB, '--grace', '0']).code, 0);
    assert.ok(!existsSync(stored(young)));
    assert.ok(existsSync(stored(kept.json.sha256)));
  });
});
