import { deepStrictEqual, ok } from "node:assert/strict";
import { PGlite } from "@electric-sql/pglite";
import { withTempDatabase } from "../../tests/_database.ts";
import { quoteIdent } from "../dialect/quote.ts";
import { pgliteTarget, type TransactingTarget } from "../exec/targets.ts";
import { wireOptions, WireSession } from "../exec/wire.ts";
import { parseSeed, type Seed } from "../seed.ts";
import { parameterNames, type WorkloadDefinition } from "./definition.ts";
import { resolveParams } from "./parse.ts";
import { pattern, patternNames, patternText } from "./patterns.ts";
import { WorkloadProgram } from "./program.ts";
import { WorkloadRecorder } from "./recorder.ts";
import { runWorkload } from "./runner.ts";
import { compileData, prepareTables, rowCounts, scaledData } from "./setup.ts";

/** The scale the patterns are loaded at here: a few thousand rows each. */
const SCALE = 0.02;
/** Transactions each pattern runs on each database. */
const TRANSACTIONS = 300;
const CONNECTIONS = 4;
const SEED = parseSeed("42") as Seed;
const NAMES = patternNames();

/** The pattern's parameters, resolved for its rows at `scale`. */
function resolved(def: WorkloadDefinition, scale: number) {
  const rows = rowCounts(compileData(scaledData(def, scale, `quarry_${def.name}`), def.name));
  return { rows, params: resolveParams(def, { rowsOf: (t) => rows.get(t), now: new Date() }) };
}

Deno.test("patterns: the ten are registered, oltp first", () => {
  deepStrictEqual(NAMES, [
    "oltp",
    "ecommerce",
    "olap",
    "reporting",
    "time_series",
    "social_media",
    "iot",
    "read_heavy",
    "write_heavy",
    "balanced",
  ]);
});

for (const name of NAMES) {
  Deno.test(`pattern ${name}: parses, explains itself, compiles and binds every transaction`, () => {
    const def = pattern(name);
    deepStrictEqual(def.name, name);
    ok(def.description.length > 0, "a description");
    ok(/^#.*\n#/.test(patternText(name)), "a comment header saying what it models");
    ok(/Sizes at --scale 1/.test(patternText(name)), "the header states the sizes at --scale 1");
    for (const scale of [1, SCALE]) {
      const { rows, params } = resolved(def, scale);
      if (scale === 1) {
        const total = [...rows.values()].reduce((a, b) => a + b, 0);
        ok(total >= 100_000 && total <= 1_000_000, `${total} rows at scale 1`);
      }
      const program = new WorkloadProgram(def.transactions, params, SEED);
      program.transactions.forEach((t, kind) => {
        const bound = program.bind(kind, 0n);
        deepStrictEqual(bound.length, def.transactions[kind]!.sql.length);
        bound.forEach((s, k) => {
          const names = parameterNames(def.transactions[kind]!.sql[k]!);
          deepStrictEqual(s.count, names.length, `${t.name} statement ${k + 1}`);
          ok(!/:[A-Za-z_]/.test(s.text.replace(/::|'[^']*'/g, "")), `${t.name}: ${s.text}`);
        });
      });
    }
  });
}

Deno.test("patterns: the read/write splits are exact by weight", () => {
  const reads = (def: WorkloadDefinition) => {
    const all = def.transactions.reduce((n, t) => n + t.weight, 0);
    const read = def.transactions.filter((t) => t.sql.every((s) => /^\s*SELECT\b/i.test(s)))
      .reduce((n, t) => n + t.weight, 0);
    return read / all;
  };
  deepStrictEqual(reads(pattern("read_heavy")), 0.8);
  deepStrictEqual(reads(pattern("write_heavy")), 0.2);
  deepStrictEqual(reads(pattern("balanced")), 0.5);
});

/** What one run of a pattern did. */
interface Ran {
  attempted: number;
  succeeded: number;
  /** Per kind: transactions that succeeded, and those that returned or changed rows. */
  kinds: { name: string; succeeded: number; touched: number }[];
  errors: string[];
}

/**
 * `inner` counting, per transaction kind, the transactions that returned or
 * changed rows (the last statement's count, or any rows read).
 */
function counting(
  inner: TransactingTarget,
  kindOf: Map<string, number>,
  touched: number[],
): TransactingTarget {
  return {
    name: inner.name,
    run: (sql) => inner.run(sql),
    query: (sql) => inner.query(sql),
    runAll: (sql) => inner.runAll(sql),
    runRolledBack: (sql) => inner.runRolledBack(sql),
    close: () => inner.close(),
    async transaction(statements) {
      const outcome = await inner.transaction(statements);
      const kind = kindOf.get(statements[0]!.name);
      if (outcome.ok && kind !== undefined && (outcome.rows.length > 0 || outcome.affected > 0)) {
        touched[kind]!++;
      }
      return outcome;
    },
  };
}

/** Loads `name` at {@link SCALE} through the first session and runs {@link TRANSACTIONS} of it closed loop. */
async function runPattern(
  name: string,
  sessions: TransactingTarget[],
  place: { db: string; pglite?: PGlite },
): Promise<Ran> {
  const def = pattern(name);
  const schema = `quarry_${name}`;
  const first = sessions[0]!;
  const tables = await prepareTables(def, {
    query: (sql) => first.query(sql),
    ...place,
    scale: SCALE,
    schema,
  });
  if (place.pglite) deepStrictEqual((await first.run(`SET search_path TO ${quoteIdent(schema)}`)).ok, true);
  const params = resolveParams(def, { rowsOf: (t) => tables.rows.get(t), now: new Date() });
  const program = new WorkloadProgram(def.transactions, params, SEED);
  const kindOf = new Map(
    program.transactions.flatMap((t, i) => t.statements.map((s) => [s.name, i] as const)),
  );
  const touched = program.transactions.map(() => 0);
  const operations = def.transactions.map((t) => t.name);
  const startMs = performance.now();
  const recorder = new WorkloadRecorder({ operations, startMs });
  const end = await runWorkload({
    sessions: sessions.map((s) => counting(s, kindOf, touched)),
    program,
    recorder,
    seed: 42n,
    transactions: TRANSACTIONS,
    maxTries: 3,
    startMs,
  });
  deepStrictEqual(end.stoppedBy, "transactions");
  const result = recorder.result(
    {
      pattern: name,
      target: place.db,
      server_version: "",
      connections: sessions.length,
      scale: SCALE,
      seed: "42",
      mode: "closed",
      warmup_s: 0,
      started_at: new Date().toISOString(),
      quarry_version: "test",
    },
    end.endMs,
    { cpu_percent: 0, saturated: false, warnings: [] },
  );
  return {
    attempted: result.totals.attempted,
    succeeded: result.totals.succeeded,
    kinds: result.operations.map((o, i) => ({ name: o.name, succeeded: o.succeeded, touched: touched[i]! })),
    errors: Object.entries(result.overall.errors).map(([code, e]) =>
      `${code} ×${e.count}: ${e.message} (${e.statement})`
    ),
  };
}

/** Each pattern's run: 99 % or more succeeded, and every kind ran, succeeded and touched rows. */
function checkRun(name: string, ran: Ran): void {
  const why = `${name}: ${JSON.stringify(ran.kinds)}\n${ran.errors.join("\n")}`;
  deepStrictEqual(ran.attempted, TRANSACTIONS, why);
  ok(ran.succeeded >= 0.99 * ran.attempted, `${ran.succeeded} of ${ran.attempted} succeeded; ${why}`);
  for (const k of ran.kinds) {
    ok(k.succeeded > 0, `${k.name} never succeeded; ${why}`);
    ok(k.touched > 0, `${k.name} never returned or changed a row; ${why}`);
  }
}

Deno.test({
  name: `patterns: each loads into PGlite and runs ${TRANSACTIONS} transactions`,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    const db = await PGlite.create();
    const target = await pgliteTarget(db);
    try {
      for (const name of NAMES) {
        await t.step(
          name,
          async () => checkRun(name, await runPattern(name, [target], { db: "pglite", pglite: db })),
        );
      }
    } finally {
      await target.close();
    }
  },
});

Deno.test({
  name:
    `patterns: each loads into PostgreSQL and runs ${TRANSACTIONS} transactions on ${CONNECTIONS} connections`,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    await withTempDatabase(async (url) => {
      for (const name of NAMES) {
        await t.step(name, async () => {
          const options = wireOptions(new URL(url));
          options.settings = { search_path: `quarry_${name}` };
          const sessions = Array.from({ length: CONNECTIONS }, () => new WireSession(options));
          try {
            checkRun(name, await runPattern(name, sessions, { db: url }));
          } finally {
            for (const s of sessions) await s.close();
          }
        });
      }
    });
  },
});
