/**
 * Issue 13's sweep of the grammars that use catalog-driven expressions over
 * schemas nobody tuned them for: random `quarry ddl` schemas (seeds 1…S,
 * dialect postgres@15), each created with its seed rows in a fresh SQL
 * schema per grammar on PostgreSQL at 127.0.0.1 and on PGlite, then sent N
 * statements of each grammar (seed = the schema's number). Prints, per
 * grammar and target, the statements whose SQLSTATE `quarry run` counts as a
 * generator bug (core/exec/classify.ts; for dml_with_functions 22P02 too),
 * by code, with the first few statements of each code.
 *
 * Usage: deno task bench:catalog-sweep [schemas=20] [statements=300] [pg|pglite|both] [grammar,…]
 *
 * @module
 */
import { compile } from "../core/compile/compile.ts";
import { LocalGenerator } from "../core/engine/local.ts";
import { classifyError } from "../core/exec/classify.ts";
import { opensTransaction } from "../core/exec/run.ts";
import { type Dialect, parseDialect } from "../core/dialect/dialects.ts";
import { randomSchema } from "../core/schema/random.ts";
import { parseSeed, type Seed } from "../core/seed.ts";
import { setupStatements } from "../core/setup/setup.ts";
import { BUILTIN_GRAMMARS } from "../grammars/mod.ts";
import { withTempDatabase } from "../tests/_database.ts";
import { type CatalogDatabase, pgliteDatabase, postgresDatabase } from "../tests/_catalog_database.ts";

const GRAMMARS = [
  "fuzz",
  "advanced_query_patterns",
  "dml_with_functions",
  "postgresql15_types",
  "utility_statements",
];
const schemas = Number(Deno.args[0] ?? 20);
const count = Number(Deno.args[1] ?? 300);
const which = Deno.args[2] ?? "both";
const grammars = Deno.args[3]?.split(",") ?? GRAMMARS;
const dialect = parseDialect("postgres@15") as Dialect;

/** Whether a failure is the generator's fault for this grammar. */
function isBug(grammar: string, code: string): boolean {
  if (grammar === "dml_with_functions" && code === "22P02") return true;
  return classifyError(code, "", "postgres").class === "generator_bug";
}

interface Tally {
  statements: number;
  bugs: Map<string, number>;
  examples: Map<string, string[]>;
  /** Every failure by code. */
  failures: Map<string, number>;
  /** Failures by code and message (numbers blanked). */
  messages: Map<string, number>;
}

async function sweep(db: CatalogDatabase): Promise<Map<string, Tally>> {
  const out = new Map<string, Tally>();
  for (const g of grammars) {
    out.set(g, {
      statements: 0,
      bugs: new Map(),
      examples: new Map(),
      messages: new Map(),
      failures: new Map(),
    });
  }
  if (db.name === "postgresql") await db.run("SET statement_timeout = 5000");
  for (let n = 1; n <= schemas; n++) {
    const complexity = (["low", "medium", "high"] as const)[n % 3]!;
    const seed = parseSeed(String(n)) as Seed;
    const schema = randomSchema({ tables: 2 + (n % 5), seed, dialect, complexity });
    const setup = setupStatements(schema);
    for (const [gi, g] of grammars.entries()) {
      const grammar = BUILTIN_GRAMMARS.get(g)?.grammar;
      if (grammar === undefined) throw new Error(`unknown grammar ${g}`);
      const name = `sweep_${n}_${gi}`;
      await db.run(`CREATE SCHEMA ${name}`);
      await db.run(`SET search_path TO ${name}`);
      for (const sql of setup) await db.run(sql);
      const tally = out.get(g)!;
      for (
        const [i, sql] of new LocalGenerator(compile(grammar, schema), seed).statements(0n, count).entries()
      ) {
        tally.statements++;
        const r = await db.run(sql);
        if (r.ok) continue;
        if (opensTransaction(sql)) await db.run("ROLLBACK");
        tally.failures.set(r.code, (tally.failures.get(r.code) ?? 0) + 1);
        if (!isBug(g, r.code)) continue;
        tally.bugs.set(r.code, (tally.bugs.get(r.code) ?? 0) + 1);
        const message = `${r.code} ${r.message.replace(/"[^"]*"/g, '"…"').replace(/\d+/g, "N")}`;
        tally.messages.set(message, (tally.messages.get(message) ?? 0) + 1);
        const ex = tally.examples.get(r.code) ?? [];
        if (ex.length < 3) ex.push(`schema ${n} #${i}: ${r.message}\n      ${sql.slice(0, 600)}`);
        tally.examples.set(r.code, ex);
      }
      await db.run("SET search_path TO public");
      await db.run(`DROP SCHEMA ${name} CASCADE`);
    }
  }
  return out;
}

function print(target: string, result: Map<string, Tally>): void {
  console.log(`\n${target}: ${schemas} random schemas (postgres@15), ${count} statements per grammar each`);
  console.log(
    `${"grammar".padEnd(26)}${"statements".padStart(11)}${"bugs".padStart(7)}${"share".padStart(9)}` +
      `${"42xxx/0A000".padStart(13)}  by code`,
  );
  for (const [g, t] of result) {
    const total = [...t.bugs.values()].reduce((s, v) => s + v, 0);
    const strict = [...t.bugs].filter(([c]) => c.startsWith("42") || c === "0A000").reduce(
      (s, [, v]) => s + v,
      0,
    );
    const codes = [...t.bugs].sort((a, b) => b[1] - a[1]).map(([c, v]) => `${c}×${v}`).join(" ");
    console.log(
      `${g.padEnd(26)}${String(t.statements).padStart(11)}${String(total).padStart(7)}` +
        `${(100 * total / Math.max(1, t.statements)).toFixed(3).padStart(8)}%${
          String(strict).padStart(13)
        }  ${codes}`,
    );
  }
  console.log("every failure by code (expected ones included):");
  for (const [g, t] of result) {
    const codes = [...t.failures].sort((a, b) => b[1] - a[1]).map(([c, v]) => `${c}×${v}`).join(" ");
    console.log(`  ${g.padEnd(24)} ${codes}`);
  }
  console.log("generator-bug failures by message:");
  const messages = new Map<string, number>();
  for (const t of result.values()) {
    for (const [m, n] of t.messages) messages.set(m, (messages.get(m) ?? 0) + n);
  }
  for (const [m, n] of [...messages].sort((a, b) => b[1] - a[1])) {
    console.log(`  ${String(n).padStart(5)}  ${m}`);
  }
  if (Deno.env.get("SWEEP_EXAMPLES")) {
    for (const [g, t] of result) {
      for (const [code, ex] of t.examples) for (const e of ex) console.log(`  ${g} ${code} ${e}`);
    }
  }
}

const began = performance.now();
if (which !== "pglite") {
  await withTempDatabase(async (url) => {
    const db = postgresDatabase(url);
    try {
      print("postgresql 15", await sweep(db));
    } finally {
      await db.close();
    }
  });
}
if (which !== "pg") {
  const db = await pgliteDatabase();
  try {
    print("pglite", await sweep(db));
  } finally {
    await db.close();
  }
}
console.log(`\n${((performance.now() - began) / 1000).toFixed(0)} s`);
