#!/usr/bin/env node
// bench/writelock — does a loop of refused password writes hold up other people's logins
// and writes? (issue 5: Argon2id hashing used to run inside the write transaction and
// before the authorisation check, so a secretary looping refused POST /users held the write
// lock and administrators' logins took 5–10 s, a third of them 500 busy.)
//
// For each binary (./ronghe, and BENCH_BASELINE_BIN if set, e.g. a build of an older
// commit), on a fresh demo database served on 127.0.0.1:
//   quiet:   C admin clients loop {login, PATCH a member} for DURATION s;
//   loaded:  the same while L secretary clients loop refused POST /users with a password.
// Each round prints every latency figure; the summary gives medians over ROUNDS rounds of
// login p50/p99 and write p99 (ms), the ratio loaded/quiet, and every status seen. The
// result is written into docs/benchmarks.md between the bench/writelock markers.
//
// Environment: BENCH_ROUNDS (3), BENCH_DURATION (8), BENCH_CLIENTS (4), BENCH_LOOPS (8),
// BENCH_BASELINE_BIN, BENCH_DOC (docs/benchmarks.md; "-" = do not write).
// Loopback only; every loop is bounded by DURATION; the servers are stopped at the end.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import net from 'node:net';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const ROUNDS = +(process.env.BENCH_ROUNDS ?? 3);
const DURATION = +(process.env.BENCH_DURATION ?? 8) * 1000;
const CLIENTS = +(process.env.BENCH_CLIENTS ?? 4);
const LOOPS = +(process.env.BENCH_LOOPS ?? 8);
const DOC = process.env.BENCH_DOC ?? join(root, 'docs/benchmarks.md');
const PASSWORD = `Bench-${process.pid}-pass`;

const freePort = () => new Promise((res) => { const s = net.createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => res(p)); }); });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN; };
const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] : NaN; };

async function serve(bin) {
  const dir = mkdtempSync(join(tmpdir(), 'ronghe-writelock-'));
  const db = join(dir, 'demo.db');
  const made = spawnSync(bin, ['demo', '--db', db, '--password', PASSWORD], { encoding: 'utf8' });
  if (made.status !== 0) throw new Error(`demo: ${made.stderr}`);
  const port = await freePort();
  const proc = spawn(bin, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}/api/v1`;
  for (let i = 0; i < 200; i++) { try { if ((await fetch(`${url}/health`)).ok) break; } catch { /* starting */ } await sleep(25); }
  return { url, proc, dir };
}

async function login(url, username) {
  const t = performance.now();
  const r = await fetch(`${url}/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: PASSWORD }) });
  const ms = performance.now() - t;
  const body = await r.json().catch(() => null);
  return { status: r.status, ms, cookie: r.headers.get('set-cookie')?.split(';')[0], csrf: body?.csrf_token, user: body?.user };
}

async function phase(url, withLoad) {
  const end = performance.now() + DURATION;
  const logins = [], writes = [], statuses = {};
  const count = (k) => { statuses[k] = (statuses[k] ?? 0) + 1; };
  const admin = await login(url, 'admin');
  const members = await (await fetch(`${url}/members?per_page=${CLIENTS}`, { headers: { cookie: admin.cookie } })).json();
  const sec = await login(url, 'hlgl-sec');
  const refused = withLoad ? Array.from({ length: LOOPS }, async (_, i) => {
    for (let n = 0; performance.now() < end; n++) {
      const r = await fetch(`${url}/users`, { method: 'POST', headers: { cookie: sec.cookie, 'x-csrf-token': sec.csrf, 'content-type': 'application/json' },
        body: JSON.stringify({ username: `x${i}n${n}`, display_name: 'x', password: `Refused-${i}-${n}-pw`, role: 'viewer', procuratorate_id: sec.user.procuratorate_id }) });
      await r.arrayBuffer();
      count(`refused POST /users ${r.status}`);
    }
  }) : [];
  const clients = Array.from({ length: CLIENTS }, async (_, i) => {
    const m = members.items[i % members.items.length];
    while (performance.now() < end) {
      const s = await login(url, 'admin');
      logins.push(s.ms);
      count(`login ${s.status}`);
      if (s.status !== 200) continue;
      const cur = await (await fetch(`${url}/members/${m.id}`, { headers: { cookie: s.cookie } })).json();
      const t = performance.now();
      const r = await fetch(`${url}/members/${m.id}`, { method: 'PATCH', headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, 'content-type': 'application/json' }, body: JSON.stringify({ version: cur.version, position: `职务${Math.random()}`.slice(0, 12) }) });
      await r.arrayBuffer();
      writes.push(performance.now() - t);
      count(`PATCH ${r.status}`);
    }
  });
  await Promise.all([...refused, ...clients]);
  return { login50: pct(logins, 50), login99: pct(logins, 99), write99: pct(writes, 99), logins: logins.length, statuses };
}

async function measure(bin, label) {
  const rounds = [];
  for (let r = 1; r <= ROUNDS; r++) {
    const s = await serve(bin);
    try {
      const quiet = await phase(s.url, false);
      const loaded = await phase(s.url, true);
      rounds.push({ quiet, loaded });
      const f = (x) => x.toFixed(0);
      console.log(`[${label}] round ${r}: quiet login p50 ${f(quiet.login50)} p99 ${f(quiet.login99)} write p99 ${f(quiet.write99)} ms | ` +
        `loaded login p50 ${f(loaded.login50)} p99 ${f(loaded.login99)} write p99 ${f(loaded.write99)} ms | ${JSON.stringify(loaded.statuses)}`);
    } finally {
      s.proc.kill('SIGTERM');
      await new Promise((res) => s.proc.once('exit', res));
      rmSync(s.dir, { recursive: true, force: true });
    }
  }
  const med = (k, ph) => median(rounds.map((x) => x[ph][k]));
  const statuses = {};
  for (const x of rounds) for (const [k, v] of Object.entries(x.loaded.statuses)) statuses[k] = (statuses[k] ?? 0) + v;
  return { label, rounds, q50: med('login50', 'quiet'), q99: med('login99', 'quiet'), l50: med('login50', 'loaded'), l99: med('login99', 'loaded'), w99q: med('write99', 'quiet'), w99l: med('write99', 'loaded'), statuses };
}

const bins = [[join(root, 'ronghe'), 'this build']];
if (process.env.BENCH_BASELINE_BIN) bins.push([process.env.BENCH_BASELINE_BIN, 'baseline']);
for (const [b] of bins) if (!existsSync(b)) throw new Error(`${b} not built`);
const results = [];
for (const [b, label] of bins) results.push(await measure(b, label));

const f = (x) => x.toFixed(0);
let md = `Command: \`node bench/writelock.mjs\` (BENCH_ROUNDS=${ROUNDS}, ${DURATION / 1000} s per phase, ${CLIENTS} admin clients looping login + PATCH, ${LOOPS} secretary clients looping refused POST /users with a password)` +
  (process.env.BENCH_BASELINE_BIN ? `; baseline: \`${process.env.BENCH_BASELINE_BIN}\`` : '') + `. Run ${new Date().toISOString().slice(0, 16)}Z.\n\n` +
  '| build | login p50 quiet → loaded (ms) | login p99 quiet → loaded (ms) | ratio p99 | write p99 quiet → loaded (ms) | statuses while loaded (all rounds) |\n|---|---|---|---|---|---|\n';
for (const r of results)
  md += `| ${r.label} | ${f(r.q50)} → ${f(r.l50)} | ${f(r.q99)} → ${f(r.l99)} | ${(r.l99 / r.q99).toFixed(2)}× | ${f(r.w99q)} → ${f(r.w99l)} | ${Object.entries(r.statuses).map(([k, v]) => `${k}: ${v}`).join('; ')} |\n`;
md += '\nEvery round:\n\n';
for (const r of results) r.rounds.forEach((x, i) => { md += `- ${r.label}, round ${i + 1}: quiet login p50/p99 ${f(x.quiet.login50)}/${f(x.quiet.login99)} ms, write p99 ${f(x.quiet.write99)} ms; loaded login p50/p99 ${f(x.loaded.login50)}/${f(x.loaded.login99)} ms, write p99 ${f(x.loaded.write99)} ms\n`; });
console.log('\n' + md);
if (DOC !== '-') {
  const begin = '<!-- BEGIN bench/writelock -->', end = '<!-- END bench/writelock -->';
  let doc = existsSync(DOC) ? readFileSync(DOC, 'utf8') : '';
  const block = `${begin}\n## Refused password writes against everyone else's logins: \`bench/writelock.mjs\`\n\n${md}${end}`;
  doc = doc.includes(begin) ? doc.replace(new RegExp(`${begin}[\\s\\S]*?${end}`), block) : `${doc.trimEnd()}\n\n${block}\n`;
  writeFileSync(DOC, doc);
}
