/**
 * TLP and NoREC for S seconds each on PostgreSQL at 127.0.0.1:5432, on the
 * default schema and on a random `quarry ddl` schema (5 tables, medium
 * complexity, seeded), in fresh databases. The databases are correct, so
 * every finding is a false alarm of the oracles: the figure to keep at 0.
 *
 * Usage: `deno task bench:oracle [seconds] [seed]` (default 60 per oracle and schema, seed 42)
 *
 * @module
 */
import defaultSchema from "../configs/schemas/default.json" with { type: "json" };
import { compile } from "../core/compile/compile.ts";
import { schemaFromJson } from "../core/schema/parse.ts";
import { randomSchema } from "../core/schema/random.ts";
import type { Schema } from "../core/schema/model.ts";
import { parseDialect } from "../core/dialect/dialects.ts";
import { setupStatements } from "../core/setup/setup.ts";
import { parseSeed, type Seed } from "../core/seed.ts";
import { LocalGenerator } from "../core/engine/local.ts";
import { loadParser } from "../core/exec/parser.ts";
import { postgresTypedSession } from "../core/exec/typed_query.ts";
import { type OracleKind, oracleRun } from "../core/oracle/metamorphic.ts";
import { uniqueKeysOf } from "../core/oracle/checksum.ts";
import oracleQueries from "../grammars/oracle_queries.ts";
import { withTempDatabase } from "../tests/_database.ts";

const seconds = Number(Deno.args[0] ?? 60);
const seedText = Deno.args[1] ?? "42";
const seed = parseSeed(seedText) as Seed;
const dialect = parseDialect("postgres@15");
if (typeof dialect === "string") throw new Error(dialect);
const schemas: [string, Schema][] = [
  ["default", schemaFromJson(defaultSchema)],
  ["ddl-seed", randomSchema({ tables: 5, seed, dialect, complexity: "medium" })],
];

await loadParser();
let falseAlarms = 0;
for (const [name, schema] of schemas) {
  for (const kind of ["tlp", "norec"] as OracleKind[]) {
    await withTempDatabase(async (url) => {
      const session = postgresTypedSession(new URL(url));
      try {
        let failed = 0;
        for (const sql of setupStatements(schema)) if (!(await session.result(sql)).ok) failed++;
        const generator = new LocalGenerator(compile(oracleQueries, schema), seed);
        const s = await oracleRun({
          session,
          kinds: [kind],
          statements: (first, n) => generator.statements(first, n),
          first: 0n,
          durationMs: seconds * 1000,
          seed: seedText,
          nondeterminism: { uniqueKeys: uniqueKeysOf(schema) },
          reduceTries: 100,
        });
        const found = Object.values(s.findingsByKind).reduce((a, b) => a + b, 0);
        falseAlarms += found;
        const skipped = Object.values(s.skipped).reduce((a, b) => a + b, 0);
        console.log(
          `${kind.padEnd(5)} on ${name.padEnd(8)} (${schema.tables.length} tables${
            failed ? `, ${failed} setup statements failed` : ""
          }): ${s.queries} queries in ${s.seconds} s (${s.queriesPerSecond}/s), checked ${
            s.checked[kind] ?? 0
          }, skipped ${skipped}, false alarms ${found}`,
        );
        for (const [why, n] of Object.entries(s.skipped).sort((a, b) => b[1] - a[1]).slice(0, 4)) {
          console.log(`    skipped: ${why} ×${n}`);
        }
        for (const f of s.findings) {
          console.log(`  FALSE ALARM ${f.key} --at ${f.index}: ${f.detail}\n    ${f.reduced}`);
        }
      } finally {
        await session.close();
      }
    });
  }
}
console.log(`false alarms: ${falseAlarms}`);
