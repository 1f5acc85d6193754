// bench/duckdb-read.mjs — the DuckDB peer of bench/transfer: reads one spreadsheet file
// into a table of a new DuckDB database file, as an import would, and prints one line
// "DUCKDB rows ms" (rows stored, milliseconds from opening the database to the end of the
// CREATE TABLE … AS SELECT, so without node's own start-up).
//
// usage: node bench/duckdb-read.mjs PEERS_DIR csv|xlsx|none FILE OUT.duckdb
//   PEERS_DIR: a scratch folder outside the project where @duckdb/node-api is installed
//   (bench/transfer puts it there with npm; it is never a dependency of ronghe).
//   "none" opens an in-memory database and stops: node + DuckDB's own resident memory,
//   the floor under the other rows' figures.
// read_xlsx needs DuckDB's excel extension, which DuckDB downloads from its own server at
// INSTALL time; it is not inside the npm packages, so here it fails with DuckDB's error.
import { createRequire } from 'node:module';
import path from 'node:path';

const [peers, kind, file, out] = process.argv.slice(2);
if (!peers || !['csv', 'xlsx', 'none'].includes(kind) || (kind !== 'none' && (!file || !out))) {
  console.error('usage: node bench/duckdb-read.mjs PEERS_DIR csv|xlsx|none FILE OUT.duckdb');
  process.exit(2);
}
const require = createRequire(path.join(path.resolve(peers), 'package.json'));
const { DuckDBInstance } = require('@duckdb/node-api');
const quote = (s) => "'" + s.replaceAll("'", "''") + "'";

const t0 = performance.now();
const db = await DuckDBInstance.create(kind === 'none' ? ':memory:' : out);
const c = await db.connect();
let rows = 0;
if (kind !== 'none') {
  const from =
    kind === 'csv'
      ? `read_csv(${quote(file)}, header = true, all_varchar = false)`
      : `read_xlsx(${quote(file)}, header = true)`;
  try {
    if (kind === 'xlsx') await c.run('LOAD excel');
    await c.run(`CREATE TABLE att AS SELECT * FROM ${from}`);
    const r = await c.runAndReadAll('SELECT count(*) FROM att');
    rows = Number(r.getRows()[0][0]);
  } catch (e) {
    console.log('DUCKDB_ERROR ' + String(e.message).split('\n')[0]);
    process.exit(3);
  }
}
c.closeSync();
db.closeSync();
console.log(`DUCKDB ${rows} ${Math.round(performance.now() - t0)}`);
