/**
 * What the statements of each tool exercise on statements that ran, as
 * PostgreSQL's parser sees them, and how often the server says the
 * generator wrote bad SQL: SQLsmith (the Debian package, `--dry-run`)
 * against Quarry's grammar catalogue, on the same schema and server, in one
 * run; then Quarry's catalogue again on PGlite.
 *
 * Every statement is run on its own, one after another: a statement "ran"
 * when the server accepted it, and only those are counted for node kinds,
 * functions and operators (a statement the server refuses exercises
 * nothing). Generator bugs are SQLSTATE class 42 and 0A000. Each Quarry
 * grammar runs in its own SQL schema with the default schema's tables and
 * seed rows, so DDL grammars touch only theirs; SQLsmith reads the same
 * tables in `public`.
 *
 * Without `sqlsmith` on PATH the SQLsmith row shows the last figures
 * measured with it (3,000 statements, seed 1, on PostgreSQL 15).
 *
 * Usage: `deno task bench:coverage [sqlsmith statements] [quarry statements]` (default 3000 each)
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
import { opensTransaction } from "../core/exec/run.ts";
import { pgliteTarget, postgresTarget, type Target } from "../core/exec/targets.ts";
import { BUILTIN_GRAMMARS } from "../grammars/mod.ts";
import { withTempDatabase } from "../tests/_database.ts";

const sqlsmithCount = Number(Deno.args[0] ?? 3000);
const quarryCount = Number(Deno.args[1] ?? 3000);
const schema = schemaFromJson(defaultSchema);

/** SQLsmith 1.4's last measured figures on statements that ran (3,000 statements, seed 1, PostgreSQL 15). */
const SQLSMITH_REFERENCE = { functions: 758, operators: 51 };

/** What a tool's statements did on one server. */
interface Outcomes {
  statements: number;
  ran: string[];
  /** Failures by SQLSTATE. */
  codes: Map<string, number>;
}

const isGeneratorBug = (code: string) => code.startsWith("42") || code === "0A000";

async function runEach(target: Target, statements: readonly string[], into: Outcomes): Promise<void> {
  for (const sql of statements) {
    into.statements++;
    const r = await target.run(sql);
    if (r.ok) into.ran.push(sql);
    else {
      into.codes.set(r.code, (into.codes.get(r.code) ?? 0) + 1);
      if (opensTransaction(sql)) await target.run("ROLLBACK");
    }
  }
}

/** SQLsmith's statements for the database at `url`, or undefined when it is not installed. */
async function sqlsmithStatements(url: string, count: number): Promise<string[] | undefined> {
  const u = new URL(url);
  const conn = `host=${u.hostname} port=${u.port || 5432} user=${u.username} dbname=${u.pathname.slice(1)}`;
  try {
    const out = await new Deno.Command("sqlsmith", {
      args: [`--target=${conn}`, "--dry-run", `--max-queries=${count}`, "--seed=1", "--exclude-catalog"],
      stdout: "piped",
      stderr: "null",
    }).output();
    return new TextDecoder().decode(out.stdout).split(";\n").map((s) => s.trim()).filter((s) => s.length > 0);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw e;
  }
}

/** Each grammar's share of `count` statements (seed 1), by grammar name. */
function quarryStatements(count: number): [string, string[]][] {
  const each = Math.ceil(count / BUILTIN_GRAMMARS.size);
  return [...BUILTIN_GRAMMARS].map(([name, { grammar }]) => [
    name,
    new LocalGenerator(compile(grammar, schema), parseSeed("1") as Seed).statements(0n, each),
  ]);
}

/** Runs each grammar's statements in its own SQL schema on `target`. */
async function runQuarry(target: Target, grammars: [string, string[]][]): Promise<Outcomes> {
  const out: Outcomes = { statements: 0, ran: [], codes: new Map() };
  for (const [name, statements] of grammars) {
    for (const s of [`CREATE SCHEMA g_${name}`, `SET search_path TO g_${name}`, ...setupStatements(schema)]) {
      const r = await target.run(s);
      if (!r.ok) throw new Error(`setup of ${name} failed: ${r.message}`);
    }
    await runEach(target, statements, out);
    Deno.stderr.writeSync(new TextEncoder().encode(`\r${target.name}: ${out.statements} statements run`));
  }
  console.error();
  return out;
}

async function covered(statements: string[]): Promise<CoverageReport> {
  const c = await Coverage.create();
  for (const s of statements) c.add(s);
  return c.report();
}

const pct = (n: number, of: number) => `${((100 * n) / Math.max(1, of)).toFixed(2)} %`;

/** Node kinds of statements that ran, per tool, for the lists printed after the tables. */
const kindsOf = new Map<string, Set<string>>();

async function row(name: string, o: Outcomes): Promise<string> {
  const c = await covered(o.ran);
  kindsOf.set(name, new Set(Object.keys(c.nodeKinds)));
  const bugs = [...o.codes].filter(([code]) => isGeneratorBug(code)).reduce((s, [, n]) => s + n, 0);
  const n = (m: Record<string, number>) => Object.keys(m).length;
  return `| ${name} | ${o.statements} | ${o.ran.length} | ${n(c.nodeKinds)} | ${n(c.functions)} | ${
    n(c.operators)
  } | ${bugs} (${pct(bugs, o.statements)}) |`;
}

const HEADER = [
  "| tool | statements | ran | node kinds | functions | operators | generator bugs (42xxx, 0A000) |",
  "|---|---|---|---|---|---|---|",
];

function failures(label: string, o: Outcomes): void {
  const codes = [...o.codes].sort((a, b) => b[1] - a[1]);
  console.log(`${label} failures by SQLSTATE: ${JSON.stringify(Object.fromEntries(codes))}`);
}

/** Prints the node kinds one tool reached and the other did not, both ways. */
function kindLists(a: string, b: string): void {
  const ka = kindsOf.get(a), kb = kindsOf.get(b);
  if (ka === undefined || kb === undefined) return;
  const only = (x: Set<string>, y: Set<string>) => [...x].filter((k) => !y.has(k)).sort().join(" ");
  console.log(`node kinds only ${a} reached: ${only(ka, kb) || "none"}`);
  console.log(`node kinds only ${b} reached: ${only(kb, ka) || "none"}`);
}

const grammars = quarryStatements(quarryCount);

await withTempDatabase(async (url) => {
  const pg = postgresTarget(url, { statementTimeoutMs: 2000 });
  try {
    for (const s of setupStatements(schema)) {
      const r = await pg.run(s);
      if (!r.ok) throw new Error(`setup failed: ${r.message}`);
    }
    const smith = await sqlsmithStatements(url, sqlsmithCount);
    let smithRow: string;
    let smithRun: Outcomes | undefined;
    if (smith === undefined) {
      smithRow =
        `| SQLsmith 1.4 (not installed: last measured) | 3000 | | | ${SQLSMITH_REFERENCE.functions} | ${SQLSMITH_REFERENCE.operators} | |`;
    } else {
      smithRun = { statements: 0, ran: [], codes: new Map() };
      await runEach(pg, smith, smithRun);
      smithRow = await row("SQLsmith 1.4", smithRun);
    }
    const quarry = await runQuarry(pg, grammars);
    console.log(`PostgreSQL (${quarryCount} Quarry statements over ${grammars.length} grammars, seed 1):\n`);
    console.log([...HEADER, smithRow, await row("Quarry catalogue", quarry)].join("\n"));
    console.log();
    if (smithRun !== undefined) failures("SQLsmith", smithRun);
    failures("Quarry", quarry);
    kindLists("SQLsmith 1.4", "Quarry catalogue");
  } finally {
    await pg.close();
  }
});

const lite = await pgliteTarget();
try {
  const quarry = await runQuarry(lite, grammars);
  console.log(`\nPGlite (same statements):\n`);
  console.log([...HEADER, await row("Quarry catalogue", quarry)].join("\n"));
  console.log();
  failures("Quarry on PGlite", quarry);
} finally {
  await lite.close();
}
