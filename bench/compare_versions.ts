/**
 * `quarry compare` over the grammar catalogue between PostgreSQL at
 * 127.0.0.1:5432 and PGlite (PostgreSQL 18): statements compared per second,
 * agreement, and every mismatch classified:
 *
 * - nondeterminism: the reduced statement does not give one result twice on
 *   one side (rerun inside a rolled-back transaction);
 * - version difference: one side refuses what the other runs (an error
 *   against a result, or errors of different classes), or a result differs
 *   while each side is stable;
 * - normalization bug (Quarry's side): the two raw results differ while
 *   every differing cell is equal by the server's own comparison
 *   (PostgreSQL casts both texts to the column's type and compares them),
 *   so Quarry's normalizing should have made them equal; or a side failed
 *   without a SQLSTATE (Quarry could not read the result).
 *
 * Each grammar gets a fresh database on the server and a fresh `public` on the
 * one PGlite, with the default schema and its seed rows.
 *
 * Usage: `deno task bench:compare [statements] [seed]` (default 10000, 42)
 *
 * @module
 */
import defaultSchema from "../configs/schemas/default.json" with { type: "json" };
import { compile } from "../core/compile/compile.ts";
import { schemaFromJson } from "../core/schema/parse.ts";
import { setupStatements } from "../core/setup/setup.ts";
import { parseSeed, type Seed } from "../core/seed.ts";
import { LocalGenerator } from "../core/engine/local.ts";
import { loadParser } from "../core/exec/parser.ts";
import {
  pgliteTypedSession,
  postgresTypedSession,
  type TypedOutcome,
  type TypedSession,
} from "../core/exec/typed_query.ts";
import { compareRun, SESSION_SETTINGS } from "../core/oracle/compare.ts";
import type { Finding } from "../core/oracle/finding.ts";
import { compareResults } from "../core/oracle/results.ts";
import { BUILTIN_GRAMMARS } from "../grammars/mod.ts";
import { withTempDatabase } from "../tests/_database.ts";

const total = Number(Deno.args[0] ?? 10000);
const seedText = Deno.args[1] ?? "42";
const seed = parseSeed(seedText) as Seed;
const schema = schemaFromJson(defaultSchema);
const grammars = [...BUILTIN_GRAMMARS.values()];
const perGrammar = Math.ceil(total / grammars.length);

type Class = "version difference" | "normalization bug" | "nondeterminism";

async function twice(s: TypedSession, sql: string): Promise<[TypedOutcome, TypedOutcome]> {
  const one = async () => {
    await s.result("BEGIN");
    try {
      return await s.result(sql);
    } finally {
      await s.result("ROLLBACK");
    }
  };
  return [await one(), await one()];
}

function sameOutcome(x: TypedOutcome, y: TypedOutcome): boolean {
  if (!x.ok || !y.ok) return !x.ok && !y.ok && x.code === y.code;
  const types = x.columns.map((c) => c.type);
  return compareResults({ types, rows: x.rows }, { types, rows: y.rows }, { ordered: false }) === undefined;
}

/** Whether PostgreSQL itself calls every differing cell pair equal (then normalizing missed them). */
async function serverEqual(server: TypedSession, x: TypedOutcome, y: TypedOutcome): Promise<boolean> {
  if (!x.ok || !y.ok || x.rows.length !== y.rows.length || x.columns.length !== y.columns.length) {
    return false;
  }
  const typeNames = await server.result(
    `SELECT oid::text, format_type(oid, NULL) FROM pg_type WHERE oid IN (${
      x.columns.map((c) => c.type).join(",")
    })`,
  );
  if (!typeNames.ok) return false;
  const names = new Map(typeNames.rows.map((r) => [Number(r[0]), r[1]!]));
  const key = (row: readonly (string | null)[]) => JSON.stringify(row);
  const xs = [...x.rows].sort((p, q) => (key(p) < key(q) ? -1 : 1));
  const ys = [...y.rows].sort((p, q) => (key(p) < key(q) ? -1 : 1));
  for (let r = 0; r < xs.length; r++) {
    for (let c = 0; c < x.columns.length; c++) {
      const a = xs[r]![c] ?? null;
      const b = ys[r]![c] ?? null;
      if (a === b) continue;
      if (a === null || b === null) return false;
      const t = names.get(x.columns[c]!.type) ?? "text";
      const q = (v: string) => `'${v.replaceAll("'", "''")}'::${t}`;
      const eq = await server.result(`SELECT (${q(a)} IS NOT DISTINCT FROM ${q(b)})::text`);
      if (!eq.ok || eq.rows[0]?.[0] !== "true") return false;
    }
  }
  return true;
}

async function classify(a: TypedSession, b: TypedSession, f: Finding): Promise<Class> {
  // A failure without a SQLSTATE is the client's (Quarry's reading of the result), not the server's.
  if ([...f.a, ...f.b].some((line) => line.startsWith("error ?????"))) return "normalization bug";
  const [a1, a2] = await twice(a, f.reduced);
  const [b1, b2] = await twice(b, f.reduced);
  if (!sameOutcome(a1, a2) || !sameOutcome(b1, b2)) return "nondeterminism";
  if (f.kind === "result" && await serverEqual(a, a1, b1)) return "normalization bug";
  return "version difference";
}

await loadParser();
const pglite = await pgliteTypedSession();
const admin = postgresTypedSession(new URL("postgres://postgres@127.0.0.1:5432/postgres"));
const server = (await admin.result("SELECT version()")) as TypedOutcome & { ok: true };
await admin.close();
const totals = { statements: 0, seconds: 0, compared: 0, agreed: 0, nondeterministic: 0, findings: 0 };
const classes: Record<string, number> = {};
const lines: string[] = [];
const started = performance.now();
for (const { grammar } of grammars) {
  if (Deno.env.get("QUARRY_BENCH_TRACE")) console.error(`grammar ${grammar.name}`);
  await withTempDatabase(async (url) => {
    const pg = postgresTypedSession(new URL(url));
    try {
      for (const sql of ["ROLLBACK", "DROP SCHEMA public CASCADE", "CREATE SCHEMA public", "RESET ALL"]) {
        await pglite.result(sql);
      }
      for (const s of [pg, pglite]) {
        for (const sql of setupStatements(schema)) await s.result(sql);
      }
      const generator = new LocalGenerator(compile(grammar, schema), seed);
      const s = await compareRun({
        a: pg,
        b: pglite,
        statements: (first, n) => generator.statements(first, n),
        first: 0n,
        count: BigInt(perGrammar),
        schema,
        seed: seedText,
        reduceTries: 60,
      });
      totals.statements += s.statements;
      totals.seconds += s.seconds;
      totals.compared += s.compared;
      totals.agreed += s.agreed;
      totals.nondeterministic += s.nondeterministic;
      const byKey = new Map<string, Finding>();
      for (const f of s.findings) if (!byKey.has(f.key)) byKey.set(f.key, f);
      totals.findings += Object.values(s.findingsByKind).reduce((x, y) => x + y, 0);
      lines.push(
        `${grammar.name.padEnd(28)} ${String(s.statements).padStart(6)} stmts ${
          String(s.statementsPerSecond).padStart(5)
        }/s agree ${s.agreementPercent}% not compared ${s.nondeterministic} findings ${
          JSON.stringify(s.findingsByKind)
        }${s.stopped ? ` STOPPED: ${s.stopped}` : ""}`,
      );
      for (const f of byKey.values()) {
        for (const sql of SESSION_SETTINGS) await pg.result(sql);
        const c = await classify(pg, pglite, f);
        const n = s.findings.filter((g) => g.key === f.key).length;
        classes[c] = (classes[c] ?? 0) + n;
        lines.push(`  [${c}] ×${n} ${f.key} at --at ${f.index}: ${f.detail.slice(0, 160)}`);
        lines.push(`      reduced: ${f.reduced.slice(0, 200)}`);
        lines.push(`      a: ${f.a.join(" ").slice(0, 160)}`);
        lines.push(`      b: ${f.b.join(" ").slice(0, 160)}`);
      }
    } finally {
      await pg.close();
    }
  });
}
await pglite.close();
const wall = (performance.now() - started) / 1000;
console.log(`server: ${server.rows?.[0]?.[0] ?? "?"}; b: PGlite (PostgreSQL 18); seed ${seedText}`);
console.log(lines.join("\n"));
console.log(
  `total: ${totals.statements} statements in ${totals.seconds.toFixed(1)} s compare time ` +
    `(${Math.round(totals.statements / totals.seconds)} statements/s; wall ${
      wall.toFixed(1)
    } s with setup), ` +
    `compared ${totals.compared}, agreed ${totals.agreed} (${
      (100 * totals.agreed / Math.max(1, totals.compared)).toFixed(3)
    }%), not compared ${totals.nondeterministic}, mismatches ${totals.findings}`,
);
console.log(
  `mismatches by class: version difference ${classes["version difference"] ?? 0}, normalization bug ${
    classes["normalization bug"] ?? 0
  }, nondeterminism ${classes["nondeterminism"] ?? 0}`,
);
