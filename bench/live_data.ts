/**
 * Live-data-aware generation (issue 13): each hostile schema of
 * `bench/live/*.sql` is loaded into a fresh PostgreSQL database with its
 * rows, introspected (live facts included, `core/live/`), and sent 5,000
 * `dml_unique` statements generated from the file introspection wrote. The
 * same is done on a second fresh copy with `--structure-only` (no facts), to
 * show what the facts change. Prints, per schema: statements that succeeded
 * (of all, and of the first 1,000: without facts, dml_unique's DELETEs empty
 * the tables as a run goes on; with them, its DELETEs and UPDATEs reach only
 * rows the run inserted),
 * generator-bug errors (42xxx, 0A000, 22P02) and the commonest SQLSTATEs.
 * QUARRY_BENCH_VERBOSE=1 prints every failure and the rows left at the end.
 *
 *     deno task bench:live-data [COUNT] [SEED]
 *
 * Needs PostgreSQL at 127.0.0.1:5432 (QUARRY_TEST_PG); each run creates and
 * drops databases named quarry_test_<random>.
 *
 * @module
 */
import postgres from "postgres";
import dmlUnique from "../grammars/dml_unique.ts";
import { compile } from "../core/compile/compile.ts";
import { introspect } from "../core/schema/introspect.ts";
import { parseSchema } from "../core/schema/parse.ts";
import { readLiveFacts } from "../core/live/read.ts";
import { LocalGenerator } from "../core/engine/local.ts";
import { parseSeed, type Seed } from "../core/seed.ts";
import { postgresTarget } from "../core/exec/targets.ts";
import { withTempDatabase } from "../tests/_database.ts";

const COUNT = Number(Deno.args[0] ?? 5000);
/** The first statements, counted apart. */
const EARLY = 1000;
/** QUARRY_BENCH_VERBOSE=1 prints every failure. */
const VERBOSE = Deno.env.get("QUARRY_BENCH_VERBOSE") === "1";
const seed = parseSeed(Deno.args[1] ?? "1") as Seed;

/** Generator bugs for this figure: 42xxx, 0A000 and 22P02 (a literal the type refuses). */
const isBug = (code: string) => code.startsWith("42") || code === "0A000" || code === "22P02";

interface Figures {
  succeeded: number;
  /** Of the first EARLY statements, before the run's own DELETEs have emptied parent tables. */
  early: number;
  bugs: number;
  codes: Map<string, number>;
  firstBug?: string;
}

async function trial(file: string, live: boolean): Promise<Figures> {
  return await withTempDatabase(async (url) => {
    const db = postgres(url, { max: 1, onnotice: () => {} });
    let schemaJson: string;
    try {
      await db.unsafe(await Deno.readTextFile(new URL(`live/${file}`, import.meta.url)));
      const query = (sql: string, params: unknown[]) => db.unsafe(sql, params as never[]);
      const schema = await introspect(query);
      if (live) await readLiveFacts(schema, query);
      // Through the JSON, as `introspect --output` and `generate --schema` pass it.
      schemaJson = JSON.stringify(schema);
    } finally {
      await db.end();
    }
    const program = compile(dmlUnique, parseSchema(schemaJson));
    const target = postgresTarget(url);
    const figures: Figures = { succeeded: 0, early: 0, bugs: 0, codes: new Map() };
    let i = 0;
    try {
      for (const sql of new LocalGenerator(program, seed).statements(0n, COUNT)) {
        const r = await target.run(sql);
        if (r.ok) {
          figures.succeeded++;
          if (i++ < EARLY) figures.early++;
          continue;
        }
        i++;
        figures.codes.set(r.code, (figures.codes.get(r.code) ?? 0) + 1);
        if (VERBOSE) console.log(`  ${r.code} ${r.message.split("\n")[0]}\n    ${sql.slice(0, 400)}`);
        if (isBug(r.code)) {
          figures.bugs++;
          figures.firstBug ??= `${r.code} ${r.message.split("\n")[0]}: ${sql.slice(0, 300)}`;
        }
      }
      if (VERBOSE) {
        for (const t of parseSchema(schemaJson).tables) {
          const r = await target.query(`SELECT count(*) FROM ${JSON.stringify(t.name)}`);
          if (r.ok) console.log(`  rows left in ${t.name}: ${r.rows[0]![0]} of ${t.live?.rows ?? "?"}`);
        }
      }
    } finally {
      await target.close();
    }
    return figures;
  });
}

const pct = (n: number) => `${(100 * n / COUNT).toFixed(1)}%`;
const top = (codes: Map<string, number>) =>
  [...codes].sort((a, b) => b[1] - a[1]).slice(0, 4).map(([c, n]) => `${c}×${n}`).join(" ") || "-";

const files = [...Deno.readDirSync(new URL("live/", import.meta.url))].map((e) => e.name)
  .filter((n) => n.endsWith(".sql")).sort();
console.log(`dml_unique, ${COUNT} statements per schema, seed ${Deno.args[1] ?? "1"}, one session`);
console.log(
  `schema                   facts   succeeded        first ${EARLY}   generator bugs  commonest SQLSTATEs`,
);
let failed = false;
for (const file of files) {
  for (const live of [true, false]) {
    const f = await trial(file, live);
    console.log(
      `${file.padEnd(24)} ${(live ? "live" : "none").padEnd(7)} ${
        `${f.succeeded} (${pct(f.succeeded)})`.padEnd(16)
      } ${`${(100 * f.early / Math.min(EARLY, COUNT)).toFixed(1)}%`.padEnd(11)} ${
        String(f.bugs).padEnd(15)
      } ${top(f.codes)}`,
    );
    if (f.firstBug) console.log(`  first generator bug: ${f.firstBug}`);
    if (live && (f.bugs > 0 || f.succeeded < 0.9 * COUNT)) failed = true;
  }
}
if (failed) {
  console.log("FAIL: with live facts, a schema had generator bugs or under 90% succeeding");
  Deno.exitCode = 1;
}
