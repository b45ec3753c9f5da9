/**
 * Issue 4's scale check: many random schemas per dialect, each created in its
 * own SQL schema (search_path) on PostgreSQL at 127.0.0.1 and on PGlite,
 * counting statements that fail. Not part of CI (tests/ddl_test.ts runs a
 * smaller set with introspection round trips).
 *
 * Usage: deno run -A bench/ddl_scale.ts [schemas per dialect]
 *
 * @module
 */
import { type Dialect, parseDialect } from "../core/dialect/dialects.ts";
import { randomSchema } from "../core/schema/random.ts";
import { setupStatements } from "../core/setup/setup.ts";
import { parseSeed, type Seed } from "../core/seed.ts";
import { pgliteTarget, postgresTarget, type Target } from "../core/exec/targets.ts";
import { withTempDatabase } from "../tests/_database.ts";
import { schemaShape } from "../tests/_schema_shape.ts";
import { introspect } from "../core/schema/introspect.ts";
import type { Schema } from "../core/schema/model.ts";
import postgres from "postgres";

const count = Number(Deno.args[0] ?? 500);

/** Reads schema `s<n>` back, for the round-trip check (PostgreSQL only). */
type ReadBack = (n: number) => Promise<Schema>;

async function run(target: Target, dialectName: string, readBack?: ReadBack): Promise<void> {
  const dialect = parseDialect(dialectName) as Dialect;
  let statements = 0, failed = 0, differ = 0;
  const began = performance.now();
  for (let n = 1; n <= count; n++) {
    const complexity = (["low", "medium", "high"] as const)[n % 3]!;
    const { schema, extra } = randomSchema({
      tables: 2 + (n % 7),
      seed: parseSeed(String(n)) as Seed,
      dialect,
      complexity,
    });
    for (
      const s of [`CREATE SCHEMA s${n}`, `SET search_path TO s${n}`, ...setupStatements(schema), ...extra]
    ) {
      statements++;
      const r = await target.run(s);
      if (!r.ok) {
        failed++;
        if (failed <= 3) console.log(`  schema ${n}: ${r.code} ${r.message}\n    ${s.slice(0, 200)}`);
      }
    }
    if (readBack) {
      const read = await readBack(n);
      if (JSON.stringify(schemaShape(read)) !== JSON.stringify(schemaShape(schema))) {
        differ++;
        if (differ <= 3) console.log(`  schema ${n} reads back differently`);
      }
    }
  }
  const seconds = ((performance.now() - began) / 1000).toFixed(1);
  const roundTrip = readBack ? `, ${count - differ} of ${count} introspect back equal` : "";
  console.log(
    `${target.name} ${dialectName}: ${count} schemas, ${statements} statements, ${failed} failed${roundTrip}, ${seconds} s`,
  );
}

await withTempDatabase(async (url) => {
  const pg = postgresTarget(url);
  const db = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await run(
      pg,
      "postgres@15",
      (n) => introspect((sql, params) => db.unsafe(sql, params as never[]), `s${n}`),
    );
  } finally {
    await pg.close();
    await db.end();
  }
});
const lite = await pgliteTarget();
try {
  await run(lite, "postgres@18");
} finally {
  await lite.close();
}
