// bench/ledger-scale.mjs DB FACTOR — make the ledgers of a demo database FACTOR times as
// large, for bench/ledgers: every row of each ledger table is copied FACTOR-1 times with a
// new id (text columns of a UNIQUE index get "·k" appended, so case and request numbers
// stay unique). A table with a UNIQUE index of integer columns only (one attendance row per
// member and meeting) cannot be copied that way and is left as it is; the run says which.
// Copies keep their references to the original parents (the branch, the member), so a
// branch's timeline and a procuratorate's overdue list grow FACTOR times. Done with the
// sqlite3 shell, in one transaction; the audit is not extended (these reads do not use it).
import { spawnSync } from 'node:child_process'

const [db, factorArg] = process.argv.slice(2)
const factor = Number(factorArg)
if (!db || !(factor >= 2 && factor <= 1000)) {
  console.error('usage: node bench/ledger-scale.mjs DB FACTOR (2..1000)')
  process.exit(2)
}
function sql(q, json = true) {
  const r = spawnSync('sqlite3', json ? ['-json', db, q] : [db], { encoding: 'utf8', input: json ? undefined : q, maxBuffer: 1 << 26 })
  if (r.status !== 0) throw new Error(`sqlite3: ${r.stderr}`)
  return json ? JSON.parse(r.stdout || '[]') : r.stdout
}
// The ledgers: every table the migrations after the foundation's (version 5) created,
// except the calendars and rules that are configuration, not records.
const CONFIG = new Set(['holidays', 'life_rules', 'schema_migrations'])
const before = new Set(['procuratorates', 'departments', 'branches', 'party_groups', 'members', 'brands', 'methods',
  'method_elements', 'honours', 'users', 'audit', 'meta', 'sessions', 'jobs', 'login_unlocks', 'sqlite_sequence'])
const tables = sql("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
  .map((r) => r.name).filter((t) => !before.has(t) && !CONFIG.has(t))
const id = (n) => `"${n.replaceAll('"', '""')}"`
let script = 'BEGIN;\n'
const done = [], skipped = []
for (const t of tables) {
  const cols = sql(`SELECT name, type FROM pragma_table_info('${t}')`)
  if (!cols.some((c) => c.name === 'id')) { skipped.push(`${t} (no id)`); continue }
  const uniq = new Set()
  let intOnly = false
  for (const ix of sql(`SELECT name FROM pragma_index_list('${t}') WHERE "unique" = 1 AND origin <> 'pk'`)) {
    const ic = sql(`SELECT name FROM pragma_index_info('${ix.name}')`).map((r) => r.name)
    const text = ic.filter((c) => /TEXT/i.test(cols.find((x) => x.name === c)?.type ?? ''))
    if (!text.length) intOnly = true
    text.forEach((c) => uniq.add(c))
  }
  if (intOnly) { skipped.push(`${t} (unique integer columns)`); continue }
  const rest = cols.filter((c) => c.name !== 'id')
  const max = sql(`SELECT coalesce(max(id), 0) AS m FROM ${id(t)}`)[0].m
  const exprs = rest.map((c) => (uniq.has(c.name) ? `${id(c.name)} || '·' || k.v` : id(c.name))).join(', ')
  script += `WITH RECURSIVE k(v) AS (SELECT 1 UNION ALL SELECT v + 1 FROM k WHERE v < ${factor - 1})\n` +
    `INSERT INTO ${id(t)} (${rest.map((c) => id(c.name)).join(', ')}) SELECT ${exprs} FROM ${id(t)}, k WHERE ${id(t)}.id <= ${max};\n`
  done.push(t)
}
script += 'COMMIT;\n'
sql(script, false)
for (const t of done) console.log(`${t}: ${sql(`SELECT count(*) AS n FROM ${id(t)}`)[0].n} rows`)
if (skipped.length) console.log(`not multiplied: ${skipped.join(', ')}`)
