/**
 * For tests of derived specs: rows of every table of a schema, loaded into a
 * throwaway PostgreSQL database created from the schema itself, so the
 * server's own CHECKs and domains judge them. A row breaking a CHECK fails
 * the COPY; each CHECK is then counted again over the loaded rows.
 *
 * @module
 */
import { deepStrictEqual, strictEqual } from "node:assert/strict";
import postgres from "postgres";
import { withTempDatabase } from "../../tests/_database.ts";
import type { Schema, Table } from "../schema/model.ts";
import type { Seed } from "../seed.ts";
import { quoteIdent } from "../dialect/quote.ts";
import { compileTables } from "./compile.ts";
import { loadData } from "./load.ts";
import { specFromSchema } from "./from_schema.ts";

/** A query returning one number (as `n`). */
export type Count = (sql: string) => Promise<number>;

/**
 * Loads `rows` derived rows per table of `schema` under its real constraints,
 * asserts every table got them and no row breaks a CHECK, then runs `more`
 * with the loaded database. Requires PostgreSQL at the tests' server.
 */
export async function assertChecksHoldInPostgres(
  schema: Schema,
  rows: number,
  seed: Seed,
  more: (count: Count, sql: postgres.Sql) => Promise<void> = async () => {},
): Promise<void> {
  const { planned } = specFromSchema(schema, { rows });
  const compiled = compileTables(planned, { seed });
  await withTempDatabase(async (url) => {
    const report = await loadData(compiled, { db: url, schema });
    deepStrictEqual(report.tables.map((t) => [t.table, t.rows]), schema.tables.map((t) => [t.name, rows]));
    const sql = postgres(url, { max: 1, onnotice: () => {} });
    try {
      const count: Count = async (q) => Number((await sql.unsafe(q))[0]!.n);
      for (const t of schema.tables as Table[]) {
        const name = quoteIdent(t.name);
        strictEqual(await count(`SELECT count(*)::int AS n FROM ${name}`), rows, t.name);
        for (const c of t.checks ?? []) {
          strictEqual(
            await count(`SELECT count(*)::int AS n FROM ${name} WHERE NOT (${c.expression})`),
            0,
            `${t.name}: ${c.expression}`,
          );
        }
      }
      await more(count, sql);
    } finally {
      await sql.end();
    }
  });
}
