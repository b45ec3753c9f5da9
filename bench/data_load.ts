/**
 * `quarry data load` against `psql \copy` of the same rows, back to back on
 * the same server: the spec bench/specs/load_accounts.yaml (bigint primary
 * key) is written once as CSV by `quarry data`, then each round TRUNCATEs and
 * loads it with psql's \copy, and TRUNCATEs and loads it with `quarry data
 * load --no-create` (generation included). Then the 7-table ecommerce spec
 * (composite keys, a self-contained set of foreign keys) is loaded into
 * PostgreSQL and PGlite and checked by SQL: orphan rows, duplicate keys,
 * constraints validated.
 *
 * Usage: deno task bench:load [rows, default 10000000] [rounds, default 2] [connections, default 2]
 *
 * @module
 */
import { withTempDatabase } from "../tests/_database.ts";
import postgres from "postgres";

const rows = Number(Deno.args[0] ?? 10_000_000);
const rounds = Number(Deno.args[1] ?? 2);
const connections = Number(Deno.args[2] ?? 2);
const spec = new URL("specs/load_accounts.yaml", import.meta.url).pathname;
const main = new URL("../cli/main.ts", import.meta.url).pathname;
const csv = `/tmp/quarry_load_bench_${rows}.csv`;

async function run(cmd: string, args: string[]): Promise<{ seconds: number; out: string }> {
  const began = performance.now();
  const r = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped" }).output();
  const seconds = (performance.now() - began) / 1000;
  const out = new TextDecoder().decode(r.stdout);
  if (!r.success) throw new Error(`${cmd} ${args.join(" ")} failed: ${new TextDecoder().decode(r.stderr)}`);
  return { seconds, out };
}

const quarry = (args: string[]) => run("deno", ["run", "-A", main, ...args]);

console.error(`writing ${rows} rows as CSV to ${csv}`);
await quarry(["data", "--spec", spec, "--rows", String(rows), "--seed", "1", "-o", csv]);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

await withTempDatabase(async (url) => {
  const db = postgres(url, { max: 1, onnotice: () => {} });
  const psqlArgs = (sql: string) => ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", sql];
  // The table, made by quarry itself with 0 rows.
  await quarry(["data", "load", "--spec", spec, "--rows", "0", "--db", url]);
  const psqlRates: number[] = [];
  const quarryRates: number[] = [];
  for (let round = 0; round <= rounds; round++) {
    await db.unsafe("TRUNCATE accounts");
    await db.unsafe("CHECKPOINT");
    const p = await run("psql", psqlArgs(`\\copy accounts FROM '${csv}' WITH (FORMAT csv, HEADER true)`));
    await db.unsafe("TRUNCATE accounts");
    await db.unsafe("CHECKPOINT");
    const q = await quarry([
      "data",
      "load",
      "--spec",
      spec,
      "--rows",
      String(rows),
      "--seed",
      "1",
      "--db",
      url,
      "--no-create",
      "-c",
      String(connections),
    ]);
    const n = (await db.unsafe("SELECT count(*)::bigint AS n FROM accounts"))[0]!.n;
    if (Number(n) !== rows) throw new Error(`quarry loaded ${n} rows, expected ${rows}`);
    if (round === 0) continue; // warm-up
    psqlRates.push(rows / p.seconds);
    quarryRates.push(rows / q.seconds);
    console.error(
      `round ${round}: psql \\copy ${Math.round(rows / p.seconds)} rows/s, quarry data load ${
        Math.round(rows / q.seconds)
      } rows/s (${(p.seconds / q.seconds).toFixed(2)}x)`,
    );
  }
  await db.end();
  const ratio = median(quarryRates) / median(psqlRates);
  console.log(JSON.stringify({
    rows,
    connections,
    psqlCopyRowsPerSecond: Math.round(median(psqlRates)),
    quarryLoadRowsPerSecond: Math.round(median(quarryRates)),
    ratio: Number(ratio.toFixed(2)),
  }));
});

// The 7-table ecommerce set with composite keys, into PostgreSQL and PGlite, checked by SQL.
await withTempDatabase(async (url) => {
  const r = await quarry([
    "data",
    "load",
    "--spec",
    "ecommerce",
    "--rows",
    "20000",
    "--seed",
    "1",
    "--db",
    url,
    "--json",
  ]);
  const report = JSON.parse(r.out);
  const db = postgres(url, { max: 1, onnotice: () => {} });
  const fks = await db.unsafe(`
    SELECT c.conrelid::regclass::text AS child, c.confrelid::regclass::text AS parent,
           array_agg(a.attname ORDER BY k.ord)::text[] AS cols, array_agg(pa.attname ORDER BY k.ord)::text[] AS pcols
    FROM pg_constraint c CROSS JOIN LATERAL unnest(c.conkey, c.confkey) WITH ORDINALITY AS k(ck, pk, ord)
    JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.ck
    JOIN pg_attribute pa ON pa.attrelid = c.confrelid AND pa.attnum = k.pk
    WHERE c.contype = 'f' GROUP BY c.oid, c.conrelid, c.confrelid`);
  let orphans = 0;
  for (const fk of fks) {
    const on = (fk.cols as string[]).map((c, i) => `ch."${c}" = pa."${fk.pcols[i]}"`).join(" AND ");
    const notNull = (fk.cols as string[]).map((c) => `ch."${c}" IS NOT NULL`).join(" AND ");
    const found = await db.unsafe(
      `SELECT count(*)::int AS n FROM ${fk.child} ch LEFT JOIN ${fk.parent} pa ON ${on} WHERE ${notNull} AND pa IS NULL`,
    );
    orphans += found[0]!.n as number;
  }
  const count = async (sql: string) => (await db.unsafe(sql))[0]!.n as number;
  const invalid = await count(
    "SELECT count(*)::int AS n FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND NOT convalidated",
  );
  const keys = await count(
    "SELECT count(*)::int AS n FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND contype IN ('p','u')",
  );
  await db.end();
  console.log(JSON.stringify({
    target: "postgresql",
    tables: report.tables.map((t: { table: string; rows: number }) => `${t.table}=${t.rows}`).join(" "),
    foreignKeys: fks.length,
    orphans,
    uniqueKeys: keys, // each enforced by a unique index, so zero duplicates
    unvalidatedConstraints: invalid,
  }));
});
const pglite = await quarry([
  "data",
  "load",
  "--spec",
  "ecommerce",
  "--rows",
  "20000",
  "--seed",
  "1",
  "--json",
]);
console.log(JSON.stringify({
  target: "pglite",
  tables: JSON.parse(pglite.out).tables.map((t: { table: string; rows: number }) => `${t.table}=${t.rows}`)
    .join(" "),
}));
