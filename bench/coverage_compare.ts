/**
 * What the statements of each tool exercise, as PostgreSQL's parser sees
 * them, and how often the server rejects them: SQLsmith (the Debian
 * package, `--dry-run`) against Quarry's grammar catalogue, on the same
 * schema and server, in one run. Both sets are then executed on a
 * throwaway database with the default schema and seed rows, and every
 * failure is classified (core/exec/classify.ts).
 *
 * Usage: deno run -A bench/coverage_compare.ts [sqlsmith statements] [quarry statements]
 *
 * @module
 */
import defaultSchema from "../configs/schemas/default.json" with { type: "json" };
import { compile } from "../core/compile/compile.ts";
import { schemaFromJson } from "../core/schema/parse.ts";
import { setupStatements } from "../core/setup/setup.ts";
import { parseSeed, type Seed } from "../core/seed.ts";
import { LocalGenerator } from "../core/engine/local.ts";
import { Coverage, type CoverageReport } from "../core/exec/coverage.ts";
import { runStatements, type RunSummary } from "../core/exec/run.ts";
import { postgresTarget } from "../core/exec/targets.ts";
import { BUILTIN_GRAMMARS } from "../grammars/mod.ts";
import { withTempDatabase } from "../tests/_database.ts";

const sqlsmithCount = Number(Deno.args[0] ?? 10_000);
const quarryCount = Number(Deno.args[1] ?? 100_000);
const schema = schemaFromJson(defaultSchema);

/** Grammars that change the schema go last, so the others run against the schema they were made for. */
const SCHEMA_CHANGING = new Set(["ddl_focused", "functions_ddl"]);

async function sqlsmithStatements(url: string, count: number): Promise<string[]> {
  const u = new URL(url);
  const conn = `host=${u.hostname} port=${u.port || 5432} user=${u.username} dbname=${u.pathname.slice(1)}`;
  const out = await new Deno.Command("sqlsmith", {
    args: [`--target=${conn}`, "--dry-run", `--max-queries=${count}`, "--seed=1", "--exclude-catalog"],
    stdout: "piped",
    stderr: "null",
  }).output();
  return new TextDecoder().decode(out.stdout).split(";\n").map((s) => s.trim()).filter((s) => s.length > 0);
}

function quarryStatements(count: number): { grammar: string; statements: string[] }[] {
  const names = [...BUILTIN_GRAMMARS.keys()].sort((a, b) =>
    Number(SCHEMA_CHANGING.has(a)) - Number(SCHEMA_CHANGING.has(b))
  );
  const each = Math.ceil(count / names.length);
  return names.map((name) => ({
    grammar: name,
    statements: new LocalGenerator(
      compile(BUILTIN_GRAMMARS.get(name)!.grammar, schema),
      parseSeed("1") as Seed,
    )
      .statements(0n, each),
  }));
}

async function covered(statements: string[]): Promise<CoverageReport> {
  const c = await Coverage.create();
  for (const s of statements) c.add(s);
  return c.report();
}

async function execute(url: string, statements: string[]): Promise<RunSummary> {
  const sessions = Array.from({ length: 4 }, () => postgresTarget(url, { statementTimeoutMs: 2000 }));
  try {
    return await runStatements({
      statements: (first, n) => statements.slice(Number(first), Number(first) + n),
      count: BigInt(statements.length),
      sessions,
      family: "postgres",
    });
  } finally {
    await Promise.all(sessions.map((s) => s.close()));
  }
}

const pct = (n: number, of: number) => `${((100 * n) / Math.max(1, of)).toFixed(2)} %`;

function row(name: string, c: CoverageReport, r: RunSummary): string {
  const bugs = (r.classes.generator_bug ?? 0) + (r.classes.runner_bug ?? 0);
  return `| ${name} | ${c.statements} | ${c.parseErrors} | ${Object.keys(c.nodeKinds).length} | ${
    Object.keys(c.keywords).length
  } | ${Object.keys(c.functions).length} | ${pct(r.failed, r.statements)} | ${pct(bugs, r.statements)} | ${
    r.classes.server_fault ?? 0
  } |`;
}

await withTempDatabase(async (url) => {
  const pg = postgresTarget(url);
  for (const s of setupStatements(schema)) {
    const r = await pg.run(s);
    if (!r.ok) throw new Error(`setup failed: ${r.message}`);
  }
  await pg.close();
  const smith = await sqlsmithStatements(url, sqlsmithCount);
  const quarry = quarryStatements(quarryCount);
  const all = quarry.flatMap((q) => q.statements);
  const [smithCoverage, quarryCoverage] = [await covered(smith), await covered(all)];
  // SQLsmith only reads, so it runs first; then Quarry's catalogue, schema-changing grammars last.
  const smithRun = await execute(url, smith);
  const quarryRun = await execute(url, all);
  console.log(
    "| tool | statements | parse errors | node kinds | keywords | functions | failed | generator/runner bugs | server faults |",
  );
  console.log("|---|---|---|---|---|---|---|---|---|");
  console.log(row("SQLsmith 1.4", smithCoverage, smithRun));
  console.log(row(`Quarry catalogue (${quarry.length} grammars)`, quarryCoverage, quarryRun));
  const only = (a: CoverageReport, b: CoverageReport) =>
    Object.keys(a.nodeKinds).filter((k) => !(k in b.nodeKinds)).sort().join(" ");
  console.log(`\nnode kinds only SQLsmith has: ${only(smithCoverage, quarryCoverage) || "none"}`);
  console.log(`node kinds only Quarry has: ${only(quarryCoverage, smithCoverage)}`);
  console.log(
    `SQLsmith failures by code: ${
      JSON.stringify(Object.fromEntries(smithRun.codes.map((c) => [c.code, c.count])))
    }`,
  );
  console.log(`Quarry failures by class: ${JSON.stringify(quarryRun.classes)}`);
  for (const c of quarryRun.codes.filter((c) => !c.verdict.startsWith("expected"))) {
    console.log(`  ${c.code} ${c.verdict} ×${c.count}: ${c.message}\n    ${c.sql.slice(0, 300)}`);
  }
});
