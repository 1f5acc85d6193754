// The limits, in every kind of text: every writable text field of every collection at
// its length limit −1, at it and +1, built from each character class (ASCII, two-byte,
// CJK, four-byte CJK Extension B, emoji and emoji sequences, combining and Mongolian
// variation sequences, format characters, other planes, characters that grow when
// folded, a mix); a body at the 1 MiB limit; list queries with each parameter repeated
// up to and past the 32-parameter limit, long values and every class in q; error paths
// that echo input. Then the accounts whose records changed sign in and read /me,
// /org-tree and the lists.
//
// The bar: at or under a limit (code points, as the server documents) the write is
// accepted and reads back byte for byte (one record, the list, the audit entry); over it
// a 400 too_long that changes nothing; never a 5xx, never a dropped connection, every
// answer valid UTF-8 JSON with a Chinese message; the server answers /health after each
// batch. Deterministic: every value comes from a generator seeded by its label.
//
// The field table is read from the server's own descriptors (the struct field arrays
// in src/, see domain/resource.h) when the file starts, so a new field or a changed
// limit is tested without editing this file. (GET /api/v1/_meta is to serve the same.)
// Demo records changed here (the demo accounts' names, a branch, a procuratorate) are
// put back in after(): the test files that run later share this server.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BASE, PASSWORD, rand } from './lib.mjs';

/* ------------------------------------------------------------------ the field table */

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

function sources(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : /\.[ch]$/.test(e.name) ? [join(dir, e.name)] : []);
}

/**
 * The collections and their fields, parsed from the C descriptors: {name: {name, write,
 * fields: [{name, kind, flags: Set, maxLen, values, min, max}]}}. Throws if an array
 * cannot be read entry by entry (the format changed: fix the parser, do not guess).
 */
function readDescriptors() {
  const all = sources(SRC).map((f) => readFileSync(f, 'utf8')).join('\n');
  const macros = {};
  for (const m of all.matchAll(/#define\s+(RES_\w+_FIELD)\s*((?:[^\n]*\\\n)*[^\n]*)/g)) macros[m[1]] = m[2].replace(/\\\n/g, ' ');
  const enums = {};
  for (const m of all.matchAll(/(?:static )?const char \*const (\w+)\[\] = \{([^}]*)\}/g)) enums[m[1]] = [...m[2].matchAll(/"([^"]*)"/g)].map((x) => x[1]);
  const numbers = {};
  for (const m of all.matchAll(/#define\s+([A-Z][A-Z0-9_]*)\s+(-?\d+)\b/g)) numbers[m[1]] = Number(m[2]);
  const arrays = {};
  const entry = /\{\s*"(\w*)",\s*"[^"]*",\s*(FT_\w+),\s*([^,]+?),\s*(-?\d+|[A-Z][A-Z0-9_]*),\s*(\w+),\s*(?:"\w*"|NULL),\s*(-?\d+),\s*(-?\d+)\s*\}/g;
  for (const m of all.matchAll(/static (?:const )?struct field (\w+)\[\] = \{([\s\S]*?)\n\};/g)) {
    let body = m[2];
    for (const [k, v] of Object.entries(macros)) body = body.replaceAll(k, v);
    const fields = [...body.matchAll(entry)].map((e) => ({
      name: e[1], kind: e[2], flags: new Set(e[3].split('|').map((s) => s.trim())), maxLen: /^-?\d+$/.test(e[4]) ? Number(e[4]) : numbers[e[4]],
      values: e[5] === 'NULL' ? null : enums[e[5]], min: Number(e[6]), max: Number(e[7]),
    }));
    const opened = (body.match(/\{\s*"/g) || []).length;
    if (fields.some((f) => !Number.isFinite(f.maxLen))) throw new Error(`cannot read ${m[1]}: a length names no known constant`);
    if (!fields.length || fields.length !== opened) throw new Error(`cannot read ${m[1]}: ${fields.length} of ${opened} entries`);
    arrays[m[1]] = fields;
  }
  const res = {};
  for (const m of all.matchAll(/const struct resource res_\w+ = \{([\s\S]*?)\n\};/g)) {
    const name = /\.name = "([^"]+)"/.exec(m[1])?.[1];
    const fields = arrays[/\.fields = (\w+)/.exec(m[1])?.[1]];
    if (!name || !fields) throw new Error(`cannot read a resource: ${m[1].slice(0, 200)}`);
    res[name] = { name, write: /\.write = (\w+)/.exec(m[1])?.[1], fields };
  }
  return res;
}

const RES = readDescriptors();
/** A text field's limit in code points ("0 means 200", resource.h). */
const limitOf = (f) => f.maxLen || 200;
// (an identity number, FF_MASKED, is not free text: member-identity.test.mjs tests it)
const writableText = (coll) =>
  RES[coll].fields.filter((f) => f.kind === 'FT_TEXT' && f.flags.has('FF_WRITE') && !f.flags.has('FF_SECRET') && !f.flags.has('FF_MASKED'));
/** Fields whose text has rules beyond its length (user.c username_ok). */
const ALPHABET = { 'users.username': /^[A-Za-z0-9._-]+$/ };

/* ------------------------------------------------------------------ seeded values */

function seeded(label) {
  let h = 2166136261;
  for (const c of label) h = Math.imul(h ^ c.codePointAt(0), 16777619) >>> 0;
  return () => { // mulberry32
    h = (h + 0x6d2b79f5) >>> 0;
    let t = h;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const range = (r, lo, hi) => lo + Math.floor(r() * (hi - lo + 1));
const pick = (r, a) => a[Math.floor(r() * a.length)];
const cps = (s) => [...s].map((c) => c.codePointAt(0));

/** Each class gives one unit: the code points of one character or sequence. */
const CLASSES = {
  ascii: (r) => [range(r, 0x20, 0x7e)],
  twobyte: (r) => [pick(r, [[0xc0, 0x24f], [0x391, 0x3c9], [0x410, 0x44f], [0x5d0, 0x5ea], [0x627, 0x64a]]).reduce((lo, hi) => range(r, lo, hi))],
  cjk: (r) => [range(r, 0x4e00, 0x9fff)],
  extb: (r) => [range(r, 0x20000, 0x2a6df)],
  emoji: (r) => [range(r, 0x1f300, 0x1f64f)],
  'emoji-zwj': (r) => cps(pick(r, ['👨‍👩‍👧‍👦', '🏳️‍🌈', '👍🏽', '🇨🇳', '🧑‍💻', '❤️‍🔥', '1️⃣', '🏴󠁧󠁢󠁳󠁣󠁴󠁿', '👩🏾‍⚕️', '🫱🏻‍🫲🏿'])),
  combining: (r) => pick(r, [
    () => [range(r, 0x61, 0x7a), ...Array.from({ length: range(r, 1, 3) }, () => range(r, 0x300, 0x36f))],
    () => [0x65, 0x301],
    () => [range(r, 0x1100, 0x1112), range(r, 0x1161, 0x1175), range(r, 0x11a8, 0x11c2)], // Hangul jamo L V T
    () => [0x915, 0x94d, 0x937, 0x93f], // Devanagari conjunct
    () => [range(r, 0xe01, 0xe2e), pick(r, [0xe31, 0xe48, 0xe49])], // Thai with a mark
    () => [range(r, 0x628, 0x64a), range(r, 0x64b, 0x652)], // Arabic with harakat
  ])(),
  mongolian: (r) => pick(r, [
    () => [range(r, 0x1820, 0x1877)],
    () => [range(r, 0x1820, 0x1877), range(r, 0x180b, 0x180d)], // free variation selectors
    () => [0x202f, range(r, 0x1820, 0x1842)], // narrow no-break space before a suffix
    () => [range(r, 0x1820, 0x1877), 0x180e], // vowel separator
  ])(),
  format: (r) => [pick(r, [0xa0, 0xad, 0x200b, 0x200c, 0x200d, 0x200e, 0x200f, 0x2028, 0x2029, 0x202e, 0x2066, 0x2069,
    0x3000, 0xfeff, 0xfffc, 0xfffd, 0xe000, 0xfffe, 0xffff]), range(r, 0x4e00, 0x9fff)],
  planes: (r) => [pick(r, [0x10000, 0x1d400, 0x1d7ff, 0x1f000, 0x1fbf9, 0x2f800, 0x30000, 0x31350, 0xe0001, 0xf0000, 0x10fffd, 0x10ffff, 0x1fffe])],
  // Characters that grow under NFKC case folding (the search keys): ﷺ is 18 code points.
  expanding: (r) => [pick(r, [0xfdfa, 0xfdfb, 0x3315, 0x33ff, 0x2177, 0xfb03, 0x390, 0x1e9e, 0x1f1a, 0x149, 0x2474])],
};
CLASSES.mix = (r) => pick(r, Object.values(CLASSES).filter((g) => g !== CLASSES.mix))(r);
const CLASS_NAMES = Object.keys(CLASSES);

/** A value of exactly "n" code points of class "cls", the same for the same label. */
function value(cls, n, label, alphabet) {
  const r = seeded(`${cls}/${n}/${label}`);
  const out = [];
  if (alphabet && cls === 'ascii') {
    const ok = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-';
    while (out.length < n) out.push(ok.codePointAt(Math.floor(r() * ok.length)));
  } else while (out.length < n) out.push(...CLASSES[cls](r));
  return String.fromCodePoint(...out.slice(0, n));
}
const nCp = (s) => [...s].length;
const GRAPHEMES = new Intl.Segmenter('und', { granularity: 'grapheme' });
const utf8 = (s) => Buffer.from(s, 'utf8');
const sameBytes = (a, b) => typeof a === 'string' && typeof b === 'string' && utf8(a).equals(utf8(b));
const show = (s) =>
  typeof s === 'string' ? `${JSON.stringify(s.length > 40 ? s.slice(0, 40) + '…' : s)} (${nCp(s)} code points, ${utf8(s).length} bytes)` : String(s);

/* ------------------------------------------------------------------ HTTP */

const DECODE = new TextDecoder('utf-8', { fatal: true });

/**
 * One request that never hangs and never hides a dropped connection: a connection error
 * or timeout fails the test naming the request. The body must be valid UTF-8 JSON.
 * path: '/members' means /api/v1/members. body: an object (sent as JSON), a string, a
 * Buffer or a ReadableStream (sent chunked), as is.
 */
async function call(session, method, path, body, { headers = {}, what } = {}) {
  const h = { ...headers };
  if (body !== undefined && !h['content-type']) h['content-type'] = 'application/json';
  if (session?.cookie && !h.cookie) h.cookie = session.cookie;
  if (session?.csrf && method !== 'GET') h['x-csrf-token'] = session.csrf;
  const asIs = body === undefined || typeof body === 'string' || Buffer.isBuffer(body) || body instanceof ReadableStream;
  const payload = asIs ? body : JSON.stringify(body);
  const label = what ?? `${method} ${path.length > 160 ? path.slice(0, 160) + `… (${path.length} bytes)` : path}`;
  let res, bytes;
  try {
    res = await fetch(path.startsWith('http') ? path : `${BASE}/api/v1${path}`, {
      method, headers: h, body: payload, redirect: 'manual', signal: AbortSignal.timeout(15000),
      ...(payload instanceof ReadableStream ? { duplex: 'half' } : {}),
    });
    bytes = Buffer.from(await res.arrayBuffer());
  } catch (e) {
    const up = await health().catch(() => false);
    const why = `${e.cause?.code ?? e.name}: ${e.cause?.message ?? e.message}`;
    fatal(`${label}: no answer (${why}); the server ${up ? 'still answers' : 'no longer answers'} /health`);
  }
  let text, json = null;
  try {
    text = DECODE.decode(bytes);
  } catch {
    fatal(`${label} → ${res.status}: the answer is not valid UTF-8: ${bytes.subarray(0, 300).toString('latin1')}`);
  }
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  return { status: res.status, json, text, headers: res.headers, label };
}

/** A failure that ends the batch at once: the server is gone or answered garbage. */
function fatal(message) {
  const e = new assert.AssertionError({ message, operator: 'fail' });
  e.fatal = true;
  throw e;
}

let noted = null; // the failures of the running batch, see batch()

/**
 * Run the assertions in "fn". Inside a batch a failed one is noted and the batch goes
 * on, so one run lists every failing case; elsewhere it throws. Returns whether it held.
 */
function soft(fn) {
  try {
    fn();
    return true;
  } catch (e) {
    if (!noted || !(e instanceof assert.AssertionError) || e.fatal) throw e;
    noted.push(e.message.split('\n')[0]);
    return false;
  }
}

/** Run "body" as one batch: afterwards the server must answer /health, and no case may have failed. */
async function batch(name, body) {
  const seen = (noted = []);
  const list = () => `${seen.length} case(s) failed:\n  ${seen.slice(0, 40).join('\n  ')}${seen.length > 40 ? '\n  …' : ''}`;
  try {
    await body();
  } catch (e) {
    if (seen.length) e.message += `\n(before that, ${list()})`;
    throw e;
  } finally {
    noted = null;
  }
  await alive(name);
  assert.ok(seen.length === 0, `${name}: ${list()}`);
}

async function health() {
  const r = await fetch(`${BASE}/api/v1/health`, { signal: AbortSignal.timeout(5000) });
  return r.status === 200 && (await r.json()).ok === true;
}

/** The server still runs and answers: after every batch. */
async function alive(batch) {
  let ok = false, why = '';
  try {
    ok = await health();
  } catch (e) {
    why = ` (${e.cause?.code ?? e.name})`;
  }
  assert.ok(ok, `after ${batch}: the server no longer answers GET /api/v1/health${why}`);
}

/** The start of an answer, for a message. */
const brief = (r) => (r.text.length > 160 ? r.text.slice(0, 160) + '…' : r.text);

/** A refusal as the API documents it: JSON error, stable code, Chinese message. */
function assertError(r, status, code, field) {
  assert.equal(r.status, status, `${r.label} → ${r.status}, expected ${status}: ${brief(r)}`);
  assert.ok(r.json?.error?.code, `${r.label} → ${r.status} without a JSON error: ${brief(r)}`);
  if (code) assert.equal(r.json.error.code, code, `${r.label}: ${brief(r)}`);
  if (field !== undefined) assert.equal(r.json.error.field, field, `${r.label}: ${brief(r)}`);
  assert.match(r.json.error.message, /[\u4e00-\u9fff]/, `${r.label}: the message is not in Chinese: ${brief(r)}`);
}

/** Never a 5xx; a 4xx is a documented error. */
function assertAnswered(r, allowed) {
  assert.ok(r.status < 500, `${r.label} → ${r.status}: ${brief(r)}`);
  if (allowed) assert.ok(allowed.includes(r.status), `${r.label} → ${r.status}, expected one of ${allowed}: ${brief(r)}`);
  if (r.status >= 400) assertError(r, r.status);
}

async function signIn(username, password = PASSWORD) {
  const r = await call(null, 'POST', '/session', { username, password }, { what: `login ${username}` });
  const set = r.headers.getSetCookie();
  const m = set.map((c) => /^(ronghe_session=[^;]*)/.exec(c)).find(Boolean);
  return { ...r, session: r.status === 200 ? { cookie: m?.[1], csrf: r.json?.csrf_token, username } : null };
}

async function mustSignIn(username, password) {
  const r = await signIn(username, password);
  assert.equal(r.status, 200, `login ${username} → ${r.status}: ${brief(r)}`);
  return r.session;
}

const getOk = async (s, path) => {
  const r = await call(s, 'GET', path);
  assert.equal(r.status, 200, `${r.label} → ${r.status}: ${brief(r)}`);
  return r.json;
};

/** PATCH with the current version; returns the answer. */
async function patch(s, coll, id, fields) {
  const cur = await getOk(s, `/${coll}/${id}`);
  return call(s, 'PATCH', `/${coll}/${id}`, { version: cur.version, ...fields });
}

async function patchOk(s, coll, id, fields) {
  const r = await patch(s, coll, id, fields);
  assert.equal(r.status, 200, `${r.label} ${JSON.stringify(fields).slice(0, 200)} → ${r.status}: ${brief(r)}`);
  return r.json;
}

/* ------------------------------------------------------------------ the tests */

describe('limits: every text field, parameter and character class', () => {
  let admin;
  const run = rand(3); // keeps base names apart should an earlier run have left records
  const ids = {};
  const mine = []; // [coll, id] created here, removed newest first in after()
  const demo = []; // [coll, id, {field: original}] changed here, put back in after()
  let baseUser; // the users record the writes below change: {id, password}

  // A fresh record of each writable collection, inside a county procuratorate of our own.
  const SETUP = [
    ['procuratorates', 'proc', () => ({ name: `限测院${run}`, short_name: `限测${run}`, level: 2, parent_id: 1 }), () => 'parent_id=1'],
    ['branches', 'branch', () => ({ procuratorate_id: ids.proc, name: `限测支部${run}`, kind: '党支部' }), () => `procuratorate_id=${ids.proc}`],
    ['departments', 'dept', () => ({ procuratorate_id: ids.proc, name: `限测部门${run}` }), () => `procuratorate_id=${ids.proc}`],
    ['party-groups', 'group', () => ({ branch_id: ids.branch, name: `限测小组${run}` }), () => `branch_id=${ids.branch}`],
    ['members', 'member', () => ({ branch_id: ids.branch, name: `限测${run}` }), () => `branch_id=${ids.branch}`],
    ['brands', 'brand', () => ({ branch_id: ids.branch, name: `限测品牌${run}` }), () => `branch_id=${ids.branch}`],
    ['methods', 'method', () => ({ brand_id: ids.brand, name: `限测工作法${run}` }), () => `brand_id=${ids.brand}`],
    ['method-elements', 'element', () => ({ method_id: ids.method, label: `限测要素${run}` }), () => `method_id=${ids.method}`],
    ['honours', 'honour', () => ({ branch_id: ids.branch, title: `限测荣誉${run}`, level: 'city', year: 2024 }), () => `branch_id=${ids.branch}`],
    ['users', 'user', () => ({ username: `lim-${run}`, display_name: '限测', password: `Pass-${run}-9x!`, role: 'admin', procuratorate_id: ids.proc }),
      () => `procuratorate_id=${ids.proc}`],
  ];
  const listQuery = Object.fromEntries(SETUP.map(([c, , , q]) => [c, q]));
  const idOf = Object.fromEntries(SETUP.map(([c, k]) => [c, () => ids[k]]));

  async function createMine(coll, body) {
    const r = await call(admin, 'POST', `/${coll}`, body);
    assert.equal(r.status, 201, `${r.label} ${JSON.stringify(body).slice(0, 300)} → ${r.status}: ${brief(r)}`);
    mine.push([coll, r.json.id]);
    return r.json;
  }

  /** Change a demo record, remembering what to put back. */
  async function changeDemo(coll, id, fields) {
    const cur = await getOk(admin, `/${coll}/${id}`);
    if (!demo.some(([c, i]) => c === coll && i === id))
      demo.push([coll, id, Object.fromEntries(Object.keys(fields).map((k) => [k, cur[k]]))]);
    return patchOk(admin, coll, id, fields);
  }

  before(async () => {
    admin = await mustSignIn('admin');
    for (const [coll, key, body] of SETUP) {
      const rec = await createMine(coll, body());
      ids[key] = rec.id;
    }
    baseUser = { id: ids.user, password: `Pass-${run}-9x!` };
  });

  after(async () => {
    if (!(await health().catch(() => false))) throw new Error('the server is down: demo records not restored, test records not removed');
    admin = await mustSignIn('admin');
    const errors = [];
    const attempt = async (what, f) => {
      try {
        await f();
      } catch (e) {
        errors.push(`${what}: ${e.message}`);
      }
    };
    for (const [coll, id, orig] of demo.reverse()) await attempt(`restore ${coll}/${id}`, () => patchOk(admin, coll, id, orig));
    for (const [coll, id] of mine.reverse()) {
      await attempt(`delete ${coll}/${id}`, async () => {
        const cur = await call(admin, 'GET', `/${coll}/${id}`);
        if (cur.status === 404) return;
        const r = await call(admin, 'DELETE', `/${coll}/${id}?version=${cur.json?.version}`);
        if (r.status === 409 && coll === 'users') {
          // An account with a session left cannot be deleted: move it out of our
          // procuratorate (so that can go) and disable it.
          await patchOk(admin, 'users', id, { role: 'viewer', procuratorate_id: 1, branch_id: null, disabled: true });
        } else if (![204, 404].includes(r.status)) throw new Error(`${r.status} ${brief(r)}`);
      });
    }
    if (errors.length) throw new Error(errors.join('\n'));
  });

  test('the field table read from src/ matches what the server serves', async () => {
    // anchors the documentation and badinput.test.mjs state
    const lim = (c, f) => limitOf(RES[c].fields.find((x) => x.name === f));
    assert.equal(lim('members', 'name'), 30);
    assert.equal(lim('users', 'display_name'), 40);
    assert.equal(lim('branches', 'name'), 60);
    for (const [coll] of SETUP) {
      const rec = await getOk(admin, `/${coll}/${idOf[coll]()}`);
      for (const f of writableText(coll)) assert.ok(f.name in rec, `${coll}.${f.name} is in the table read from src/ but not in GET /${coll}/<id>`);
    }
    for (const coll of Object.keys(RES)) await getOk(admin, `/${coll}?per_page=1`);
  });

  /* -------------------------------------------------------------- writes at each limit */

  for (const [coll] of SETUP) {
    test(`${coll}: each text field at limit −1, limit, +1 in every character class reads back byte for byte`, () =>
      batch(`the writes to ${coll}`, async () => {
        const id = idOf[coll]();
        const fields = writableText(coll);
        assert.ok(fields.length > 0, `${coll} has no writable text field`);
        for (const f of fields) {
          const limit = limitOf(f);
          const alphabet = ALPHABET[`${coll}.${f.name}`];
          for (const cls of CLASS_NAMES) {
            for (const n of [limit - 1, limit, limit + 1]) {
              const v = value(cls, n, `${coll}.${f.name}`, alphabet);
              assert.equal(nCp(v), n);
              const before = await getOk(admin, `/${coll}/${id}`);
              const r = await call(admin, 'PATCH', `/${coll}/${id}`, { version: before.version, [f.name]: v },
                { what: `PATCH /${coll}/${id} ${f.name} = ${cls} × ${n} (limit ${limit})` });
              if (n > limit || (alphabet && !alphabet.test(v))) {
                soft(() => assertError(r, 400, n > limit ? 'too_long' : 'invalid_value', f.name));
                const now = await getOk(admin, `/${coll}/${id}`);
                soft(() => assert.ok(now.version === before.version && (now[f.name] === before[f.name] || sameBytes(now[f.name], before[f.name])),
                  `${r.label}: refused, yet the record changed`));
                continue;
              }
              if (!soft(() => assert.equal(r.status, 200, `${r.label} → ${r.status}: ${brief(r)}`))) continue;
              const one = await getOk(admin, `/${coll}/${id}`);
              soft(() => assert.ok(sameBytes(r.json[f.name], v), `${r.label}: the answer holds ${show(r.json[f.name])}, sent ${show(v)}`));
              soft(() => assert.ok(sameBytes(one[f.name], v), `${r.label}: GET reads ${show(one[f.name])}, sent ${show(v)}`));
              if (n !== limit) continue; // the list and the audit at the limit itself
              const list = await getOk(admin, `/${coll}?${listQuery[coll]()}&per_page=500`);
              const item = list.items.find((x) => x.id === id);
              soft(() => assert.ok(item && sameBytes(item[f.name], v), `${r.label}: the list reads ${show(item?.[f.name])}`));
              const audit = (await getOk(admin, '/audit?per_page=1&sort=-id')).items[0];
              soft(() => assert.ok(audit.entity_id === id && sameBytes(audit.after?.[f.name], v),
                `${r.label}: the newest audit entry (${audit.entity}/${audit.entity_id}) holds ${show(audit.after?.[f.name])}`));
            }
          }
        }
      }));
  }

  for (const [coll, , body] of SETUP) {
    test(`${coll}: created with every text field at its limit, in each class`, () =>
      batch(`the creates of ${coll}`, async () => {
        const fields = writableText(coll);
        // one account is enough to pay a password hash for
        for (const cls of coll === 'users' ? ['extb'] : ['extb', 'emoji-zwj', 'combining', 'mongolian', 'expanding', 'mix']) {
          const b = body();
          for (const f of fields) {
            const alphabet = ALPHABET[`${coll}.${f.name}`];
            b[f.name] = value(alphabet ? 'ascii' : cls, limitOf(f), `create ${coll}.${f.name}`, alphabet);
          }
          const r = await call(admin, 'POST', `/${coll}`, b, { what: `POST /${coll} with every text field at its limit (${cls})` });
          if (!soft(() => assert.equal(r.status, 201, `${r.label} → ${r.status}: ${brief(r)}`))) continue;
          mine.push([coll, r.json.id]);
          const one = await getOk(admin, `/${coll}/${r.json.id}`);
          const hist = await getOk(admin, `/${coll}/${r.json.id}/history`);
          for (const f of fields) {
            soft(() => assert.ok(sameBytes(r.json[f.name], b[f.name]), `${r.label}: ${f.name} answered ${show(r.json[f.name])}, sent ${show(b[f.name])}`));
            soft(() => assert.ok(sameBytes(one[f.name], b[f.name]), `${r.label}: ${f.name} reads ${show(one[f.name])}`));
            soft(() => assert.ok(hist.items.some((e) => sameBytes(e.after?.[f.name], b[f.name])), `${r.label}: the history lacks ${f.name}`));
          }
        }
      }));
  }

  test('each bounded number at its bounds and one past them; integers past 64 bits', () =>
    batch('the numbers at their bounds', async () => {
      for (const [coll] of SETUP) {
        const id = idOf[coll]();
        for (const f of RES[coll].fields.filter((x) => x.kind === 'FT_INT' && x.flags.has('FF_WRITE') && x.min < x.max)) {
          const original = (await getOk(admin, `/${coll}/${id}`))[f.name];
          for (const [v, fits] of [[f.min, true], [f.max, true], [f.min - 1, false], [f.max + 1, false]]) {
            const cur = await getOk(admin, `/${coll}/${id}`);
            const r = await call(admin, 'PATCH', `/${coll}/${id}`, `{"version":${cur.version},"${f.name}":${v}}`,
              { what: `PATCH /${coll}/${id} ${f.name} = ${v} (${f.min}…${f.max})` });
            if (!fits) soft(() => assertError(r, 400, 'invalid_value', f.name));
            // in range: stored, unless a rule of the collection's own refuses it (a city
            // procuratorate, level 1, has no parent)
            else if (r.status === 422) soft(() => assertError(r, 422, 'inconsistent'));
            else soft(() => assert.ok(r.status === 200 && r.json[f.name] === v, `${r.label} → ${r.status}: ${brief(r)}`));
          }
          for (const v of ['9223372036854775807', '9223372036854775808', '-9223372036854775809', '1e400', '1' + '0'.repeat(400)]) {
            const cur = await getOk(admin, `/${coll}/${id}`);
            const r = await call(admin, 'PATCH', `/${coll}/${id}`, `{"version":${cur.version},"${f.name}":${v}}`,
              { what: `PATCH /${coll}/${id} ${f.name} = ${v.slice(0, 30)}` });
            soft(() => assertError(r, 400));
          }
          // (a refused value leaves the record as it was; put the first value back for the tests below)
          await patchOk(admin, coll, id, { [f.name]: original });
        }
      }
    }));

  test('search finds a record by each searchable field at its limit, in every class', () =>
    batch('the searches', async () => {
      // A q of up to 200 bytes must find what it names; a longer one may be refused.
      for (const [coll] of SETUP) {
        const id = idOf[coll]();
        // members are found through their folded search key, which holds name and name_mn
        const searchable = writableText(coll).filter((f) => f.flags.has('FF_SEARCH') || (coll === 'members' && ['name', 'name_mn'].includes(f.name)));
        for (const f of searchable) {
          for (const cls of CLASS_NAMES) {
            const alphabet = ALPHABET[`${coll}.${f.name}`];
            const v = value(cls, limitOf(f), `search ${coll}.${f.name}`, alphabet);
            if (alphabet && !alphabet.test(v)) continue;
            await patchOk(admin, coll, id, { [f.name]: v });
            const r = await call(admin, 'GET', `/${coll}?q=${encodeURIComponent(v)}&${listQuery[coll]()}`, undefined,
              { what: `GET /${coll}?q=<${coll}.${f.name}: ${cls} × ${limitOf(f)}, ${utf8(v).length} bytes>` });
            if (utf8(v).length > 200 && r.status === 400) {
              soft(() => assertError(r, 400, 'bad_query', 'q'));
              continue;
            }
            soft(() => {
              assert.equal(r.status, 200, `${r.label} → ${r.status}: ${brief(r)}`);
              assert.ok(r.json.items.some((x) => x.id === id), `${r.label}: the record is not found (${r.json.total} found)`);
            });
            // and by its first two characters (whole graphemes: a search for "e" need not find "é")
            const head = [...GRAPHEMES.segment(v)].slice(0, 2).map((g) => g.segment).join('');
            const h = await call(admin, 'GET', `/${coll}?q=${encodeURIComponent(head)}&${listQuery[coll]()}`, undefined,
              { what: `GET /${coll}?q=<the first two characters of ${coll}.${f.name}: ${cls}, ${show(head)}>` });
            soft(() => {
              assert.equal(h.status, 200, `${h.label} → ${h.status}: ${brief(h)}`);
              assert.ok(h.json.items.some((x) => x.id === id), `${h.label}: the record is not found (${h.json.total} found)`);
            });
          }
        }
      }
    }));

  test('a body of exactly 1 MiB is read (with a length or chunked); one byte more is 413', () =>
    batch('the 1 MiB bodies', async () => {
      const MiB = 1024 * 1024;
      const id = ids.branch;
      const v = value('extb', 2000, 'one MiB');
      const build = (size, version) => {
        const head = '{', tail = `"version":${version},"description":${JSON.stringify(v)}}`;
        const b = Buffer.from(head + ' '.repeat(size - utf8(head).length - utf8(tail).length) + tail);
        assert.equal(b.length, size);
        return b;
      };
      const chunked = (b) => new ReadableStream({
        start(c) {
          for (let i = 0; i < b.length; i += 65536) c.enqueue(b.subarray(i, i + 65536));
          c.close();
        },
      });
      for (const [how, wrap] of [['Content-Length', (b) => b], ['chunked', chunked]]) {
        const cur = await getOk(admin, `/branches/${id}`);
        const over = await call(admin, 'PATCH', `/branches/${id}`, wrap(build(MiB + 1, cur.version)), { what: `PATCH 1 MiB + 1 byte (${how})` });
        soft(() => assertError(over, 413, 'too_large'));
        const still = await getOk(admin, `/branches/${id}`);
        soft(() => assert.equal(still.version, cur.version, `${over.label}: refused, yet the record changed`));
        const at = await call(admin, 'PATCH', `/branches/${id}`, wrap(build(MiB, cur.version)), { what: `PATCH exactly 1 MiB (${how})` });
        soft(() => assert.ok(at.status === 200 && sameBytes(at.json.description, v), `${at.label} → ${at.status}: ${brief(at)}`));
        const now = await getOk(admin, `/branches/${id}`);
        soft(() => assert.ok(sameBytes(now.description, v), `${at.label}: not stored`));
      }
    }));

  /* -------------------------------------------------------------- list queries */

  /** The parameters each list takes, with a value that is valid for it. */
  function listParams(coll) {
    const out = RES[coll].fields.some((f) => f.flags.has('FF_SEARCH')) ? [['q', 'a']] : [];
    for (const f of RES[coll].fields.filter((x) => x.flags.has('FF_FILTER'))) {
      const v = { FT_INT: '1', FT_REF: '1', FT_BOOL: 'true', FT_ENUM: f.values?.[0] }[f.kind] ?? 'x';
      out.push([f.name, v]);
    }
    if (coll === 'members') out.push(['youth', 'true']);
    out.push(['sort', 'id'], ['sort', '-id'], ['page', '1'], ['per_page', '5']);
    return out;
  }
  const qs = (pairs) => pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
  const COUNTS = [1, 2, 13, 14, 15, 20, 21, 22, 31, 32, 33, 40, 64];

  /**
   * Up to 32 parameters: 200 with what the same query once gives, or a 400 that says why.
   * Over 32: a 400 with a Chinese message.
   */
  function assertRepeat(r, n, once) {
    if (n > 32) return assertError(r, 400);
    assertAnswered(r, [200, 400]);
    if (r.status === 200 && once) assert.equal(r.json.total, once.total, `${r.label}: ${r.json.total} found, once gives ${once.total}`);
  }

  for (const who of ['admin', 'zlt-admin']) {
    test(`lists as ${who}: each parameter repeated up to and past 32 times, and a mix of all`, () =>
      batch(`the repeated parameters (as ${who})`, async () => {
        const s = who === 'admin' ? admin : await mustSignIn(who);
        for (const coll of Object.keys(RES)) {
          const open = await call(s, 'GET', `/${coll}`);
          soft(() => assertAnswered(open, [200, 403]));
          if (open.status !== 200) continue; // the list is closed to this account
          for (const [k, v] of listParams(coll)) {
            const once = await call(s, 'GET', `/${coll}?${qs([[k, v]])}`);
            soft(() => assertAnswered(once, [200, 400]));
            for (const n of COUNTS) {
              const r = await call(s, 'GET', `/${coll}?${qs(Array(n).fill([k, v]))}`, undefined, { what: `GET /${coll}?${k}=${v} × ${n} (as ${who})` });
              // (jobs finish on their own, so their totals may move between two reads)
              soft(() => assertRepeat(r, n, once.status === 200 && coll !== 'jobs' ? once.json : null));
            }
          }
          // every parameter the list takes, round robin, up to and past the limit
          const all = listParams(coll);
          for (const n of [all.length, 31, 32, 33, 48]) {
            const pairs = Array.from({ length: n }, (_, i) => all[i % all.length]);
            const r = await call(s, 'GET', `/${coll}?${qs(pairs)}`, undefined, { what: `GET /${coll} with ${n} parameters mixed (as ${who})` });
            soft(() => assertRepeat(r, n, null));
          }
          // each parameter once, filled up with distinct empty ones ("no filter") to the limit
          // and past it: at 32 the list answers as with no fillers at all, at 33 it refuses
          const distinct = all.filter(([k], i) => all.findIndex(([j]) => j === k) === i);
          const plain = await call(s, 'GET', `/${coll}?${qs(distinct)}`, undefined, { what: `GET /${coll} with each parameter once (as ${who})` });
          soft(() => assertAnswered(plain, [200]));
          for (const n of [32, 33]) {
            const pairs = [...distinct, ...Array.from({ length: n - distinct.length }, (_, i) => [`x${i}`, ''])];
            const r = await call(s, 'GET', `/${coll}?${qs(pairs)}`, undefined, { what: `GET /${coll} with ${n} distinct parameters (as ${who})` });
            if (n > 32) soft(() => assertError(r, 400));
            else soft(() => assert.ok(r.status === 200 && r.json.total === plain.json?.total, `${r.label} → ${r.status}: ${brief(r)}`));
          }
          // empty values are parameters too
          const r = await call(s, 'GET', `/${coll}?${'q=&'.repeat(40)}`, undefined, { what: `GET /${coll}?q= × 40 (as ${who})` });
          soft(() => assertRepeat(r, 40, null));
        }
      }));
  }

  test('q in every character class and length; invalid UTF-8 in q and in filter values', () =>
    batch('the q classes and invalid UTF-8', async () => {
      for (const coll of Object.keys(RES)) {
        const searchable = RES[coll].fields.some((f) => f.flags.has('FF_SEARCH'));
        for (const cls of CLASS_NAMES) {
          for (const n of [1, 10, 50, 51, 67, 201, 1000]) {
            const q = value(cls, n, `q ${coll}`);
            const r = await call(admin, 'GET', `/${coll}?q=${encodeURIComponent(q)}`, undefined,
              { what: `GET /${coll}?q=<${cls} × ${n}, ${utf8(q).length} bytes>` });
            if (!searchable) soft(() => assertError(r, 400, 'bad_query', 'q')); // the list has nothing to search
            else soft(() => assertAnswered(r, n <= 50 ? [200] : [200, 400]));
          }
        }
        const filter = RES[coll].fields.find((f) => f.flags.has('FF_FILTER') && f.kind === 'FT_TEXT');
        for (const bad of ['%FF', '%C0%AF', '%ED%A0%80', '%F4%90%80%80', 'a%F0%A0%80', '%E4%B8']) {
          const r = await call(admin, 'GET', `/${coll}?q=${bad}`);
          soft(() => assertError(r, 400, 'bad_query', 'q'));
          if (!filter) continue;
          const f = await call(admin, 'GET', `/${coll}?${filter.name}=${bad}`);
          soft(() => assertAnswered(f, [200, 400]));
        }
      }
    }));

  test('long parameter values: never a 5xx', () =>
    batch('the long parameter values', async () => {
      for (const coll of Object.keys(RES)) {
        const text = RES[coll].fields.filter((f) => f.flags.has('FF_FILTER') && f.kind === 'FT_TEXT').map((f) => f.name);
        const ints = RES[coll].fields.filter((f) => f.flags.has('FF_FILTER') && ['FT_INT', 'FT_REF'].includes(f.kind)).map((f) => f.name);
        const values = [200, 201, 1000].map((n) => value('mix', n, `long ${coll}`)).concat([8000, 30000].map((n) => 'a'.repeat(n)));
        for (const v of values) {
          for (const k of [...text, 'q', 'sort', ...ints.slice(0, 1), 'page', 'per_page']) {
            const r = await call(admin, 'GET', `/${coll}?${k}=${encodeURIComponent(v)}`, undefined,
              { what: `GET /${coll}?${k}=<${nCp(v)} code points, ${utf8(v).length} bytes>` });
            soft(() => assertAnswered(r, [200, 400]));
          }
        }
        for (const k of [...ints, 'page', 'per_page']) {
          for (const v of ['9'.repeat(19), '9'.repeat(20), '-9223372036854775808', '1'.repeat(1000), '0x10', '1e3', ' 1', '１']) {
            const r = await call(admin, 'GET', `/${coll}?${k}=${encodeURIComponent(v)}`);
            soft(() => assertAnswered(r, [200, 400]));
          }
        }
      }
    }));

  test('a request line or header longer than the server reads: a 4xx answer, never a dropped connection', () =>
    batch('the oversize request lines and headers', async () => {
      // Past its connection memory libmicrohttpd answers by itself (414/431, its own
      // fixed HTML page, which no option replaces); below that the server answers in JSON.
      const big = (n) => 'a'.repeat(n);
      for (const [what, path, headers] of [
        ['a 30 000-byte request line', `/members?ethnicity=${big(30000)}`, {}],
        ['a 40 000-byte request line', `/members?ethnicity=${big(40000)}`, {}],
        ['a 100 000-byte request line', `/members?ethnicity=${big(100000)}`, {}],
        ['a 40 000-byte header', '/members', { 'x-pad': big(40000) }],
        ['a 40 000-byte cookie', '/members', { cookie: `${admin.cookie}; pad=${big(40000)}` }],
      ]) {
        const r = await call(admin, 'GET', path, undefined, { headers, what: `GET with ${what}` });
        soft(() => {
          assert.ok(r.status === 200 || (r.status >= 400 && r.status < 500), `${r.label} → ${r.status}: ${brief(r)}`);
          if (r.status >= 400 && r.json) assertError(r, r.status);
        });
      }
    }));

  /* -------------------------------------------------------------- passwords at the limit */

  test('a password the server accepts, of any length up to its limit and in any class, also signs in', () =>
    batch('the passwords at the limit', async () => {
      // The limit of the field (and whatever tighter rule the server has for passwords):
      // what is accepted must work at the login, what is not is a 400 about the password.
      const limit = limitOf(RES.users.fields.find((f) => f.name === 'password'));
      const lengths = [...new Set([10, 63, 64, 65, limit - 1, limit, limit + 1])].filter((n) => n >= 10);
      let failed = false;
      for (const cls of ['ascii', 'extb', 'emoji-zwj', 'mix']) {
        for (const n of lengths) {
          // ends in three classes of ASCII, so that a rule asking for classes is met
          const password = value(cls, n - 3, `password ${cls}`) + 'Aa1';
          const username = `lim-pw-${run}-${cls}-${n}`;
          const r = await call(admin, 'POST', '/users', { username, display_name: '限测', role: 'viewer', procuratorate_id: ids.proc, password },
            { what: `POST /users with a password of ${n} code points (${cls}, ${utf8(password).length} bytes)` });
          if (n > limit) soft(() => assertError(r, 400, null, 'password'));
          else soft(() => assertAnswered(r, [201, 400]));
          if (r.status === 400) soft(() => assert.equal(r.json?.error?.field, 'password', `${r.label}: ${brief(r)}`));
          if (r.status !== 201) continue; // refused, and said why: nothing to sign in with
          mine.push(['users', r.json.id]);
          if (failed) continue; // one failed login is enough: each counts against this address
          const s = await signIn(username, password);
          failed = !soft(() => assert.equal(s.status, 200, `${r.label} was accepted, but that account cannot sign in with it: ${s.status} ${brief(s)}`));
          if (s.session) await call(s.session, 'DELETE', '/session');
        }
      }
    }));

  /* -------------------------------------------------------------- signing in as them */

  /** Sign in, read /me, /org-tree and the lists, check the names, sign out. */
  async function readAs(username, password, expect) {
    const s = await mustSignIn(username, password);
    const me = await getOk(s, '/me');
    for (const [k, v] of Object.entries(expect)) soft(() => assert.ok(sameBytes(me[k], v), `/me of ${username}: ${k} is ${show(me[k])}, expected ${show(v)}`));
    const tree = await getOk(s, '/org-tree');
    const names = [];
    const walk = (p) => {
      names.push(p.name, ...(p.branches ?? []).map((b) => b.name));
      (p.children ?? []).forEach(walk);
    };
    tree.items.forEach(walk);
    for (const k of ['procuratorate_name', 'branch_name'])
      if (expect[k]) soft(() => assert.ok(names.some((n) => sameBytes(n, expect[k])), `/org-tree as ${username} lacks ${show(expect[k])}`));
    for (const p of [...Object.keys(RES).map((c) => `/${c}?per_page=100&sort=-id`), `/users?q=${encodeURIComponent(expect.display_name)}`]) {
      const r = await call(s, 'GET', p, undefined, { what: `GET ${p.slice(0, 60)} as ${username}` });
      soft(() => assertAnswered(r, [200, 400, 403]));
    }
    const out = await call(s, 'DELETE', '/session');
    soft(() => assert.equal(out.status, 204, `logout ${username}: ${out.status} ${out.text}`));
    await alive(`${username} signed in and read /me, /org-tree and the lists`);
  }

  test('accounts created with names at the limit in each class sign in and read', () =>
    batch('the sign-ins of the new accounts', async () => {
      const proc = await patchOk(admin, 'procuratorates', ids.proc, {
        name: value('extb', 60, 'login proc'), short_name: value('extb', 30, 'login proc short'),
      });
      for (const cls of ['extb', 'emoji', 'emoji-zwj', 'cjk', 'combining', 'mongolian', 'format', 'planes', 'expanding', 'mix']) {
        const branch = await createMine('branches', { procuratorate_id: ids.proc, name: value(cls, 60, 'login branch'), kind: '党支部' });
        const password = `Pass-${run}-9x-${cls}`;
        for (const a of [
          { role: 'secretary', procuratorate_id: ids.proc, branch_id: branch.id },
          { role: 'admin', procuratorate_id: ids.proc },
          { role: 'viewer', procuratorate_id: 1 },
        ]) {
          const username = value('ascii', 40, `login ${a.role} ${cls} ${run}`, true);
          const display_name = value(cls, 40, `login ${a.role}`);
          await createMine('users', { username, display_name, password, ...a });
          const expect = { username, display_name, role: a.role };
          if (a.procuratorate_id === ids.proc) expect.procuratorate_name = proc.name;
          if (a.branch_id) expect.branch_name = branch.name;
          await readAs(username, password, expect);
        }
      }
      // the account whose record the writes above changed (username and name at the limit)
      const u = await getOk(admin, `/users/${baseUser.id}`);
      await readAs(u.username, baseUser.password, { username: u.username, display_name: u.display_name, procuratorate_name: proc.name });
    }));

  test('the demo accounts, their branch and procuratorate renamed to the limit, sign in and read', () =>
    batch('the sign-ins of the demo accounts', async () => {
      const byName = Object.fromEntries((await getOk(admin, '/users?per_page=500')).items.map((u) => [u.username, u]));
      const sec = byName['hlgl-sec'];
      const branch = await changeDemo('branches', sec.branch_id, { name: value('extb', 60, 'demo branch') });
      const proc = await changeDemo('procuratorates', sec.procuratorate_id, { name: value('planes', 60, 'demo proc') });
      for (const [username, cls] of Object.entries({ admin: 'extb', viewer: 'emoji-zwj', 'zlt-admin': 'combining', 'hlgl-sec': 'mongolian' })) {
        const u = await changeDemo('users', byName[username].id, { display_name: value(cls, 40, `demo ${username}`) });
        const expect = { username, display_name: u.display_name };
        if (username === 'hlgl-sec') Object.assign(expect, { branch_name: branch.name, procuratorate_name: proc.name });
        await readAs(username, PASSWORD, expect);
      }
    }));

  /* -------------------------------------------------------------- errors that quote input */

  test('errors that quote the input (unknown field, enum value, parameter name, job kind) stay whole', () =>
    batch('the errors that quote the input', async () => {
      // Keys and values whose UTF-8 runs across the sizes of an error's buffers (64 bytes
      // for the field, 256 for the message), in each class.
      const lengths = [15, 16, 17, 21, 22, 31, 32, 33, 60, 61, 62, 63, 64, 65, 80, 85, 86, 90, 100, 200];
      const { version } = await getOk(admin, `/brands/${ids.brand}`);
      for (const cls of ['extb', 'cjk', 'twobyte', 'emoji-zwj', 'combining', 'mongolian', 'mix']) {
        for (const n of lengths) {
          const s = value(cls, n, 'echo');
          const what = `${cls} × ${n} (${utf8(s).length} bytes)`;
          const cases = [
            [await call(admin, 'POST', '/members', { name: '限测', branch_id: ids.branch, [s]: 1 },
              { what: `POST /members with the unknown field ${what}` }), 'unknown_field'],
            [await call(admin, 'PATCH', `/brands/${ids.brand}`, { version, [s]: 1 },
              { what: `PATCH /brands/<id> with the unknown field ${what}` }), 'unknown_field'],
            [await call(admin, 'POST', '/members', { name: '限测', branch_id: ids.branch, gender: s }, { what: `POST /members with gender ${what}` }), null],
            [await call(admin, 'GET', `/members?${encodeURIComponent(s)}=1`, undefined, { what: `GET /members?<${what}>=1` }), 'bad_query'],
            [await call(admin, 'POST', '/jobs', { kind: s }, { what: `POST /jobs with kind ${what}` }), null],
          ];
          for (const [r, code] of cases) soft(() => assertError(r, 400, code));
        }
      }
      // a parameter's name is quoted in its error: invalid UTF-8 there must not break the answer
      for (const coll of Object.keys(RES)) {
        for (const bad of ['%FF', '%C0%AF', '%ED%A0%80', '%F4%90%80%80', 'a%F0%A0%80', '%E4%B8']) {
          const r = await call(admin, 'GET', `/${coll}?${bad}=1`);
          soft(() => assertError(r, 400, 'bad_query'));
        }
      }
    }));
});
