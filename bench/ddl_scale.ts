/**
 * Issue 4's scale check: many random schemas per dialect, each created with
 * its seed rows in its own SQL schema on PostgreSQL at 127.0.0.1 and on
 * PGlite, counting statements that fail; each is introspected and compared
 * with the model `ddl` wrote, and takes `dml_unique` traffic whose
 * generator-bug errors are counted. Not part of CI (tests/ddl_test.ts runs
 * a smaller set of the same checks).
 *
 * Usage: deno run -A bench/ddl_scale.ts [schemas per dialect] [pg|pglite|both]
 *
 * @module
 */
import { type Dialect, parseDialect } from "../core/dialect/dialects.ts";
import { randomSchema } from "../core/schema/random.ts";
import { parseSeed, type Seed } from "../core/seed.ts";
import { withTempDatabase } from "../tests/_database.ts";
import { type CatalogDatabase, pgliteDatabase, postgresDatabase } from "../tests/_catalog_database.ts";
import { roundTrip } from "../tests/_round_trip.ts";

const count = Number(Deno.args[0] ?? 500);
const which = Deno.args[1] ?? "both";
const TRAFFIC = 100;

async function run(db: CatalogDatabase, dialectName: string): Promise<void> {
  const dialect = parseDialect(dialectName) as Dialect;
  let statements = 0, failed = 0, differ = 0, dml = 0, bugs = 0;
  const began = performance.now();
  for (let n = 1; n <= count; n++) {
    const complexity = (["low", "medium", "high"] as const)[n % 3]!;
    const seed = parseSeed(String(n)) as Seed;
    const schema = randomSchema({ tables: 2 + (n % 7), seed, dialect, complexity });
    const r = await roundTrip(db, schema, n, seed, TRAFFIC);
    statements += r.statements;
    for (const f of r.failures) if (++failed <= 5) console.log(`  schema ${n}: ${f.slice(0, 400)}`);
    if (r.difference && ++differ <= 3) console.log(`  schema ${n} reads back differently:\n${r.difference}`);
    dml += TRAFFIC;
    for (const b of r.bugs) if (++bugs <= 5) console.log(`  schema ${n}: generator bug ${b.slice(0, 400)}`);
  }
  const seconds = ((performance.now() - began) / 1000).toFixed(1);
  console.log(
    `${db.name} ${dialectName}: ${count} schemas, ${statements} DDL and seed statements, ${failed} failed, ` +
      `${count - differ} of ${count} introspect back equal; ${dml} dml_unique statements, ` +
      `${bugs} generator-bug errors; ${seconds} s`,
  );
}

if (which !== "pglite") {
  await withTempDatabase(async (url) => {
    const db = postgresDatabase(url);
    try {
      await run(db, "postgres@15");
    } finally {
      await db.close();
    }
  });
}
if (which !== "pg") {
  const db = await pgliteDatabase();
  try {
    await run(db, "postgres@18");
  } finally {
    await db.close();
  }
}
