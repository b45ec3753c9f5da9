/**
 * Checks that generated statements are valid where it matters: each parses
 * with PostgreSQL's parser, and each runs on PostgreSQL and on PGlite (with
 * the schema and seed rows of --emit-setup loaded) without an error that
 * means the generator wrote bad SQL: class 42 (syntax, undefined object,
 * datatype mismatch), 0A000, or 22P02/23502/23514 from a badly typed literal.
 *
 * Run alone for a report:
 * `deno run -A tests/validity.ts [count] [grammar name or module path] [schema.json]`
 *
 * @module
 */
import { compile } from "../core/compile/compile.ts";
import { LocalGenerator } from "../core/engine/local.ts";
import { loadParser, parseStatement } from "../core/exec/parser.ts";
import { type Outcome, pgliteTarget, postgresTarget, type Target } from "../core/exec/targets.ts";
import { parseSchema, schemaFromJson } from "../core/schema/parse.ts";
import type { Schema } from "../core/schema/model.ts";
import { setupStatements } from "../core/setup/setup.ts";
import { parseSeed, type Seed } from "../core/seed.ts";
import defaultSchema from "../configs/schemas/default.json" with { type: "json" };
import { BUILTIN_GRAMMARS } from "../grammars/mod.ts";
import type { Grammar } from "../core/dsl/grammar.ts";
import { withTempDatabase } from "./_database.ts";
import { opensTransaction } from "../core/exec/run.ts";

/** Codes that mean the generator, not the data, is wrong. */
export function isGeneratorBug(code: string): boolean {
  return code.startsWith("42") || code === "0A000" || code === "22P02" || code === "23502" ||
    code === "23514";
}

/** What one target made of the statements. */
export interface TargetReport {
  target: string;
  statements: number;
  errors: Record<string, number>;
  /** Up to 5 statements that failed with a generator-bug code. */
  bugs: { index: number; code: string; message: string; sql: string }[];
  seconds: number;
}

/** The full report of a validity check. */
export interface ValidityReport {
  grammar: string;
  count: number;
  /** How many statements the parser rejected. */
  parseFailureCount: number;
  /** The first few of them. */
  parseFailures: { index: number; error: string; sql: string }[];
  targets: TargetReport[];
}

async function runOn(target: Target, setup: string[], statements: string[]): Promise<TargetReport> {
  for (const s of setup) {
    const r = await target.run(s);
    if (!r.ok) throw new Error(`setup failed on ${target.name}: ${r.code} ${r.message}\n${s.slice(0, 300)}`);
  }
  const errors: Record<string, number> = {};
  const bugs: TargetReport["bugs"] = [];
  const began = performance.now();
  // One at a time: a line may hold a whole transaction, and after it fails the
  // session must be rolled back before the next statement, as a runner would.
  for (const [i, sql] of statements.entries()) {
    const o: Outcome = await target.run(sql);
    if (o.ok) continue;
    errors[o.code] = (errors[o.code] ?? 0) + 1;
    if (isGeneratorBug(o.code) && bugs.length < 5) {
      bugs.push({ index: i, code: o.code, message: o.message, sql });
    }
    if (opensTransaction(sql)) await target.run("ROLLBACK");
  }
  return {
    target: target.name,
    statements: statements.length,
    errors,
    bugs,
    seconds: (performance.now() - began) / 1000,
  };
}

/** Generates `count` statements of `grammarName` and checks them everywhere. */
export async function checkValidity(
  count: number,
  grammarName = "dml_unique",
  seed: Seed = parseSeed("20261122") as Seed,
  schema: Schema = schemaFromJson(defaultSchema),
): Promise<ValidityReport> {
  // A path to a grammar module checks a grammar that is not in the catalogue yet.
  const grammar = grammarName.endsWith(".ts")
    ? (await import(new URL(grammarName, `file://${Deno.cwd()}/`).href)).default as Grammar
    : BUILTIN_GRAMMARS.get(grammarName)?.grammar;
  if (!grammar) throw new Error(`unknown grammar ${grammarName}`);
  const statements = new LocalGenerator(compile(grammar, schema), seed).statements(0n, count);
  const setup = setupStatements(schema);

  await loadParser();
  const parseFailures: ValidityReport["parseFailures"] = [];
  let parseFailureCount = 0;
  statements.forEach((sql, index) => {
    const r = parseStatement(sql);
    if ("error" in r) {
      parseFailureCount++;
      if (parseFailures.length < 5) parseFailures.push({ index, error: r.error, sql });
    }
  });

  const targets: TargetReport[] = [];
  await withTempDatabase(async (url) => {
    const pg = postgresTarget(url);
    try {
      targets.push(await runOn(pg, setup, statements));
    } finally {
      await pg.close();
    }
  });
  const lite = await pgliteTarget();
  try {
    targets.push(await runOn(lite, setup, statements));
  } finally {
    await lite.close();
  }
  return { grammar: grammarName, count, parseFailureCount, parseFailures, targets };
}

if (import.meta.main) {
  const count = Number(Deno.args[0] ?? 100000);
  const schema = Deno.args[2] ? parseSchema(await Deno.readTextFile(Deno.args[2])) : undefined;
  const report = await checkValidity(count, Deno.args[1] ?? "dml_unique", undefined, schema);
  console.log(`grammar ${report.grammar}: ${report.count} statements`);
  console.log(`libpg-query rejects: ${report.parseFailureCount}`);
  for (const t of report.targets) {
    const bugCount = Object.entries(t.errors).filter(([c]) => isGeneratorBug(c)).reduce(
      (s, [, n]) => s + n,
      0,
    );
    const expected = Object.values(t.errors).reduce((s, n) => s + n, 0) - bugCount;
    console.log(
      `${t.target}: ${t.statements} statements in ${
        t.seconds.toFixed(1)
      } s, generator-bug errors ${bugCount}, ` +
        `expected errors ${expected} ${JSON.stringify(t.errors)}`,
    );
    for (const b of t.bugs) console.log(`  #${b.index} ${b.code} ${b.message}\n    ${b.sql}`);
  }
  for (const f of report.parseFailures) console.log(`  parse #${f.index}: ${f.error}\n    ${f.sql}`);
}
