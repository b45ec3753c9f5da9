import { deepStrictEqual, ok } from "node:assert/strict";
import pg15 from "../../configs/catalog/postgres@15.json" with { type: "json" };
import pglite from "../../configs/catalog/pglite@18.json" with { type: "json" };
import { withTempDatabase } from "../../tests/_database.ts";
import { postgresTarget, type Target } from "../exec/targets.ts";
import { type Callable, callSql, catalogModel } from "./callables.ts";
import { SAMPLES } from "./probe.ts";
import type { CatalogSnapshot } from "./snapshot.ts";

const ROOTS = [
  "int4",
  "int8",
  "numeric",
  "float8",
  "text",
  "bool",
  "date",
  "timestamp",
  "timestamptz",
  "time",
  "interval",
];
const model = catalogModel([pg15 as CatalogSnapshot, pglite as CatalogSnapshot], ROOTS);
const withWords = model.calls.filter((c) => c.words?.some((w) => w !== undefined));

/** Each call with word arguments, run with every word and a sample of each other argument: the failures. */
async function wordFailures(target: Target, calls: readonly Callable[]): Promise<string[]> {
  const sample = new Map<number, string>();
  for (const c of calls) {
    for (const a of c.args) {
      if (sample.has(a)) continue;
      for (const s of SAMPLES) {
        const sql = `CAST('${s}' AS ${model.types.get(a)!.sql})`;
        if ((await target.query(`SELECT ${sql}`)).ok) {
          sample.set(a, sql);
          break;
        }
      }
    }
  }
  const failures: string[] = [];
  for (const c of calls) {
    for (const [i, words] of c.words!.entries()) {
      for (const w of words ?? []) {
        const args = c.args.map((a, j) =>
          j === i
            ? `'${w.replaceAll("'", "''")}'::text`
            : c.words![j]?.[0] !== undefined
            ? `'${c.words![j]![0]}'::text`
            : sample.get(a) ?? "NULL"
        );
        const r = await target.query(`SELECT ${callSql(c, args, model.keywords)}`);
        if (!r.ok) failures.push(`${callSql(c, args, model.keywords)}: ${r.code} ${r.message}`);
      }
    }
  }
  return failures;
}

Deno.test("word arguments: a time's extract takes only time units, an escape only one character", () => {
  const named = (name: string, arg: string) =>
    withWords.find((c) => c.name === name && c.args.some((a) => model.types.get(a)!.name === arg));
  const time = named("extract", "time")!;
  ok(time !== undefined);
  deepStrictEqual(time.words![0]!.includes("hour"), true);
  deepStrictEqual(time.words![0]!.includes("year"), false);
  ok(named("extract", "date")!.words![0]!.includes("year"));
  ok(named("like_escape", "text")!.words![1]!.every((w) => w.length <= 1));
});

Deno.test({
  name:
    "PostgreSQL: every word a catalog call draws is accepted there (PGlite's were probed when its snapshot was built)",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    ok(withWords.length >= 10);
    await withTempDatabase(async (url) => {
      const target = postgresTarget(url);
      try {
        deepStrictEqual(await wordFailures(target, withWords), []);
      } finally {
        await target.close();
      }
    });
  },
});
