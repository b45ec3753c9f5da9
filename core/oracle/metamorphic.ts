/**
 * The metamorphic oracles on one database. TLP (ternary logic
 * partitioning): a query's rows equal the multiset union of its rows under
 * WHERE p, WHERE NOT p and WHERE p IS NULL; for DISTINCT the set union; for
 * count, sum, min and max (with or without GROUP BY) the partitions'
 * aggregates recombined; for HAVING the same over the HAVING predicate.
 * NoREC (non-optimizing reference engine construction): the count of rows
 * WHERE p equals the sum of CASE WHEN p THEN 1 ELSE 0 END over the
 * unfiltered rows. A query whose result is not determined by the data, or
 * one of whose forms fails, is skipped, never flagged.
 *
 * @module
 */
import type { TypedOutcome, TypedSession } from "../exec/typed_query.ts";
import { type Finding, trim } from "./finding.ts";
import { nondeterminism, type NondeterminismOptions } from "./nondeterminism.ts";
import {
  aggregates,
  combiners,
  norecQueries,
  PARTITIONS,
  plainSelect,
  type PredicatePlace,
  recombined,
  withPredicate,
} from "./partition.ts";
import { reduceStatement } from "./reduce.ts";
import { compareResults, type ResultRows, trimmedRows } from "./results.ts";
import { cellKey, normalizeRows } from "./normalize.ts";
import { fingerprintOf, statementOf } from "./tree.ts";
import { SESSION_SETTINGS } from "./compare.ts";

/** The oracles. */
export const ORACLE_KINDS = ["tlp", "norec"] as const;

/** One of {@link ORACLE_KINDS}. */
export type OracleKind = typeof ORACLE_KINDS[number];

/** One check's verdict. */
export type Check =
  | { status: "agree" }
  | { status: "skip"; why: string }
  | { status: "mismatch"; detail: string; a: string[]; b: string[] };

/** Relative (and, near zero, absolute) tolerance for floats that partitions sum in another order. */
const ORACLE_FLOAT_EPS = 1e-6;

function rowsOf(o: TypedOutcome & { ok: true }): ResultRows {
  return { types: o.columns.map((c) => c.type), rows: o.rows };
}

async function runAll(session: TypedSession, sqls: readonly string[]): Promise<ResultRows[] | string> {
  const out: ResultRows[] = [];
  for (const sql of sqls) {
    const r = await session.result(sql);
    if (!r.ok) return `error ${r.code}`;
    out.push(rowsOf(r));
  }
  return out;
}

/** TLP on one query. */
export async function tlpCheck(session: TypedSession, sql: string): Promise<Check> {
  const stmt = statementOf(sql);
  const select = stmt && plainSelect(stmt);
  if (!select) return { status: "skip", why: "not a plain SELECT" };
  if (select.sortClause || select.limitCount || select.limitOffset) {
    return { status: "skip", why: "ordered or limited" };
  }
  const place: PredicatePlace | undefined = select.havingClause
    ? "havingClause"
    : select.whereClause
    ? "whereClause"
    : undefined;
  if (!place) return { status: "skip", why: "no predicate" };
  const base = withPredicate(select, place, undefined);
  const parts = PARTITIONS.map((p) => withPredicate(select, place, p));
  if (!base || parts.some((p) => p === undefined)) return { status: "skip", why: "not deparsable" };
  const distinct = Array.isArray(select.distinctClause);
  const grouped = place === "whereClause" && aggregates(select);
  let union: string[];
  let unionMode: "concat" | "set" | "one";
  if (grouped) {
    if (distinct) return { status: "skip", why: "DISTINCT over aggregates" };
    const how = combiners(select);
    if (!how) return { status: "skip", why: "an aggregate that does not recombine" };
    union = [recombined(parts as string[], how)];
    unionMode = "one";
  } else {
    union = parts as string[];
    unionMode = distinct ? "set" : "concat";
  }
  const got = await runAll(session, [base, ...union]);
  if (typeof got === "string") return { status: "skip", why: got };
  const [q, ...rest] = got as [ResultRows, ...ResultRows[]];
  let combined: ResultRows;
  if (unionMode === "one") combined = rest[0]!;
  else {
    const rows = rest.flatMap((r) => r.rows);
    if (unionMode === "set") {
      const seen = new Set<string>();
      const types = rest[0]?.types ?? q.types;
      combined = {
        types,
        rows: rows.filter((row) => {
          const key = normalizeRows([row], types)[0]!.map(cellKey).join("\u0001");
          if (seen.has(key)) return false;
          seen.add(key);
          return true;
        }),
      };
    } else combined = { types: rest[0]?.types ?? q.types, rows };
  }
  const differ = compareResults(q, combined, { ordered: false, floatEps: ORACLE_FLOAT_EPS });
  return differ
    ? {
      status: "mismatch",
      detail: `TLP over ${place === "whereClause" ? "WHERE" : "HAVING"}: ${differ}`,
      a: trimmedRows(q),
      b: trimmedRows(combined),
    }
    : { status: "agree" };
}

/** NoREC on one query. */
export async function norecCheck(session: TypedSession, sql: string): Promise<Check> {
  const stmt = statementOf(sql);
  const select = stmt && plainSelect(stmt);
  if (!select) return { status: "skip", why: "not a plain SELECT" };
  const queries = norecQueries(select);
  if (!queries) return { status: "skip", why: "no WHERE" };
  const got = await runAll(session, queries);
  if (typeof got === "string") return { status: "skip", why: got };
  const [x, y] = got as [ResultRows, ResultRows];
  const n = x.rows[0]?.[0];
  const m = y.rows[0]?.[0];
  return n === m ? { status: "agree" } : {
    status: "mismatch",
    detail: `NoREC: WHERE counts ${n} rows, CASE counts ${m}`,
    a: [`${n}`],
    b: [`${m}`],
  };
}

const CHECKS: Record<OracleKind, (s: TypedSession, sql: string) => Promise<Check>> = {
  tlp: tlpCheck,
  norec: norecCheck,
};

/** Options for {@link oracleRun}. */
export interface OracleOptions {
  session: TypedSession;
  kinds: readonly OracleKind[];
  statements: (first: bigint, n: number) => string[];
  first: bigint;
  count?: bigint;
  durationMs?: number;
  seed: string;
  nondeterminism?: NondeterminismOptions;
  allow?: ReadonlySet<string>;
  reduceTries?: number;
  /** Stop after this many findings (not allowlisted) [default: no limit]. */
  maxFindings?: number;
  signal?: AbortSignal;
  onTick?: (s: OracleSummary) => void;
}

/** What an oracle run saw. */
export interface OracleSummary {
  queries: number;
  seconds: number;
  queriesPerSecond: number;
  /** Checks made, by oracle. */
  checked: Record<string, number>;
  /** Checks skipped, by reason. */
  skipped: Record<string, number>;
  findingsByKind: Record<string, number>;
  allowed: number;
  findings: Finding[];
}

/** Runs the oracles over generated queries; resolves with the summary. */
export async function oracleRun(o: OracleOptions): Promise<OracleSummary> {
  const s: OracleSummary = {
    queries: 0,
    seconds: 0,
    queriesPerSecond: 0,
    checked: {},
    skipped: {},
    findingsByKind: {},
    allowed: 0,
    findings: [],
  };
  for (const sql of SESSION_SETTINGS) await o.session.result(sql);
  const started = performance.now();
  const deadline = o.durationMs === undefined ? Infinity : started + o.durationMs;
  const total = o.count ?? (o.durationMs === undefined ? 1000n : BigInt(Number.MAX_SAFE_INTEGER));
  let index = o.first;
  let lastTick = started;
  const finish = () => {
    s.seconds = Math.round((performance.now() - started) / 10) / 100;
    s.queriesPerSecond = s.seconds > 0 ? Math.round(s.queries / s.seconds) : s.queries;
  };
  const skip = (why: string) => {
    const reason = why.replace(/^\w+\(\) (is volatile|reads the server)$/, "volatile function");
    s.skipped[reason] = (s.skipped[reason] ?? 0) + 1;
  };
  outer: while (BigInt(s.queries) < total && performance.now() < deadline && !o.signal?.aborted) {
    const left = total - BigInt(s.queries);
    const batch = o.statements(index, Number(left < 100n ? left : 100n));
    if (batch.length === 0) break;
    for (const sql of batch) {
      if (performance.now() >= deadline || o.signal?.aborted) break outer;
      if (o.maxFindings !== undefined && s.findings.length >= o.maxFindings) break outer;
      const at = index;
      index++;
      s.queries++;
      const stmt = statementOf(sql);
      if (!stmt) {
        skip("does not parse");
        continue;
      }
      const why = nondeterminism(stmt, o.nondeterminism);
      if (why) {
        skip(why);
        continue;
      }
      for (const kind of o.kinds) {
        const check = await CHECKS[kind](o.session, sql);
        if (check.status === "skip") {
          skip(`${kind}: ${check.why}`);
          continue;
        }
        s.checked[kind] = (s.checked[kind] ?? 0) + 1;
        if (check.status === "agree") continue;
        const reduced = (await reduceStatement(sql, async (c) => {
          const t = statementOf(c);
          if (!t || nondeterminism(t, o.nondeterminism)) return false;
          return (await CHECKS[kind](o.session, c)).status === "mismatch";
        }, { maxTries: o.reduceTries ?? 300 })).sql;
        const key = `${kind}:${fingerprintOf(reduced)}`;
        if (o.allow?.has(key)) {
          s.allowed++;
          continue;
        }
        s.findingsByKind[kind] = (s.findingsByKind[kind] ?? 0) + 1;
        if (s.findings.length < 100) {
          s.findings.push({
            kind,
            key,
            index: String(at),
            seed: o.seed,
            sql: trim(sql),
            reduced,
            detail: check.detail,
            a: check.a,
            b: check.b,
          });
        }
      }
      if (o.onTick && performance.now() - lastTick > 500) {
        lastTick = performance.now();
        finish();
        o.onTick(s);
      }
    }
  }
  finish();
  return s;
}
