/**
 * `quarry compare`'s loop: each statement runs on two databases in turn and
 * the outcomes are compared. A statement runs inside BEGIN on both; when the
 * two agree both commit, when they differ both roll back, so the databases
 * stay in lockstep and the finding is reduced on the state that produced it.
 * Data-changing statements compare rows affected and, before committing, the
 * checksums of the tables they wrote; every `checkpointEvery` statements all
 * tables are compared. Lines that are transactions of their own, or cannot
 * run inside one, run as they are on both.
 *
 * @module
 */
import type { TypedOutcome, TypedSession } from "../exec/typed_query.ts";
import type { Schema } from "../schema/model.ts";
import { checksumSql, hasVolatileDefault, uniqueKeysOf } from "./checksum.ts";
import { errorsAgree } from "./errors.ts";
import { type Finding, type FindingKind, trim } from "./finding.ts";
import { nondeterminism } from "./nondeterminism.ts";
import { orderIsTotal } from "./ordering.ts";
import { reduceStatement } from "./reduce.ts";
import { compareResults, trimmedRows } from "./results.ts";
import { DML_KINDS, fingerprintOf, kindOf, statementsOf, type Tree, walk, writtenTables } from "./tree.ts";

/** Settings both sessions get first, so the text of values is the same on both. */
export const SESSION_SETTINGS = [
  "SET TimeZone = 'UTC'",
  "SET DateStyle = 'ISO, YMD'",
  "SET IntervalStyle = 'postgres'",
  "SET extra_float_digits = 1",
];

/** The two databases' tables differ before a run starts. */
export class TablesApart extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TablesApart";
  }
}

/** A database did not answer a statement in time. */
export class StatementHung extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StatementHung";
  }
}

/** Options for {@link compareRun}. */
export interface CompareOptions {
  a: TypedSession;
  b: TypedSession;
  /** Statements [first, first + n). */
  statements: (first: bigint, n: number) => string[];
  first: bigint;
  count?: bigint;
  durationMs?: number;
  /** The schema both databases hold (checksums, unique keys). */
  schema: Schema;
  seed: string;
  floatEps?: number;
  strictCodes?: boolean;
  /** Function names to treat as volatile (from a catalog snapshot). */
  volatile?: ReadonlySet<string>;
  /** Keys of accepted findings. */
  allow?: ReadonlySet<string>;
  /** Candidates the reducer may test per finding [default: 200]. */
  reduceTries?: number;
  /** All tables are compared every this many statements [default: 500]. */
  checkpointEvery?: number;
  /** Stop after this many findings (not allowlisted) [default: no limit]. */
  maxFindings?: number;
  /** How long a statement may run on a side before the run stops [default: 120000]. */
  statementLimitMs?: number;
  signal?: AbortSignal;
  onTick?: (s: CompareSummary) => void;
}

/** What a compare run saw. */
export interface CompareSummary {
  statements: number;
  seconds: number;
  statementsPerSecond: number;
  /** Statements whose outcomes were compared (not nondeterministic). */
  compared: number;
  agreed: number;
  agreementPercent: number;
  /** Statements run but not compared, by reason. */
  nondeterministic: number;
  nondeterministicReasons: Record<string, number>;
  /** Both failed in the same SQLSTATE class. */
  bothFailed: number;
  findingsByKind: Record<string, number>;
  /** Findings whose key the allowlist names. */
  allowed: number;
  findings: Finding[];
  /** Why the run stopped early (a checkpoint found the tables apart). */
  stopped?: string;
}

/** One statement's comparison. */
interface Verdict {
  kind?: FindingKind;
  detail?: string;
  a?: string[];
  b?: string[];
  nondeterministic?: string;
  bothFailed?: boolean;
}

/** Statements that end, open or cannot run inside a transaction: run as they are. */
const UNWRAPPED = new Set(["TransactionStmt", "VacuumStmt", "CreatedbStmt", "DropdbStmt", "ReindexStmt"]);

function outcomeLines(o: TypedOutcome, types?: number[]): string[] {
  if (!o.ok) return [`error ${o.code}: ${trim(o.message.split("\n")[0]!, 200)}`];
  if (o.columns.length === 0) return [`ok, ${o.affected} rows affected`];
  return trimmedRows({ types: types ?? o.columns.map((c) => c.type), rows: o.rows });
}

/** Runs the comparison; resolves with the summary. */
export async function compareRun(o: CompareOptions): Promise<CompareSummary> {
  const { a, b } = o;
  const uniqueKeys = uniqueKeysOf(o.schema);
  const tables = new Map(o.schema.tables.map((t) => [t.name, t]));
  const s: CompareSummary = {
    statements: 0,
    seconds: 0,
    statementsPerSecond: 0,
    compared: 0,
    agreed: 0,
    agreementPercent: 100,
    nondeterministic: 0,
    nondeterministicReasons: {},
    bothFailed: 0,
    findingsByKind: {},
    allowed: 0,
    findings: [],
  };
  const limitMs = o.statementLimitMs ?? 120000;
  /** Runs `sql` on both; a side that does not answer within the limit stops the run (PGlite has no timeout). */
  const both = async (sql: string): Promise<[TypedOutcome, TypedOutcome]> => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new StatementHung(`no answer within ${limitMs / 1000} s to: ${trim(sql, 200)}`)),
        limitMs,
      );
    });
    try {
      return await Promise.race([Promise.all([a.result(sql), b.result(sql)]), late]);
    } finally {
      clearTimeout(timer);
    }
  };
  for (const sql of SESSION_SETTINGS) await both(sql);
  const before = await checkpoint(o, both);
  if (before) {
    throw new TablesApart(`${before} holds different rows on the two databases before the first statement`);
  }

  /** Compares one statement already parsed; runs it on both inside the current transaction. */
  const judge = async (sql: string, stmt: Tree | undefined): Promise<Verdict> => {
    const [x, y] = await both(sql);
    if (!x.ok || !y.ok) {
      if (!x.ok && !y.ok) {
        return errorsAgree(x.code, y.code, o.strictCodes) ? { bothFailed: true } : {
          kind: "error",
          detail: `SQLSTATE ${x.code} against ${y.code}`,
          a: outcomeLines(x),
          b: outcomeLines(y),
        };
      }
      return {
        kind: "error",
        detail: x.ok
          ? `only the second failed (${(y as { code: string }).code})`
          : `only the first failed (${x.code})`,
        a: outcomeLines(x),
        b: outcomeLines(y),
      };
    }
    if (!stmt) return {};
    const why = nondeterminism(stmt, { ...(o.volatile ? { volatile: o.volatile } : {}), uniqueKeys });
    const kind = kindOf(stmt)?.[0] ?? "";
    const written = DML_KINDS.has(kind) ? writtenTables(stmt) : [];
    if (why) return { nondeterministic: why };
    if (DML_KINDS.has(kind) && x.affected !== y.affected) {
      return {
        kind: "affected",
        detail: `${x.affected} rows affected against ${y.affected}`,
        a: [`${x.affected} rows`],
        b: [`${y.affected} rows`],
      };
    }
    // Only a new row, or SET col = DEFAULT, takes a column's default.
    let defaults = kind === "InsertStmt" || kind === "MergeStmt";
    walk(stmt, (k) => {
      if (k === "SetToDefault" || k === "InsertStmt") defaults = true;
    });
    const volatileWrite = defaults &&
      written.some((t) => tables.get(t) && hasVolatileDefault(tables.get(t)!));
    if (x.columns.length > 0 || y.columns.length > 0) {
      if (volatileWrite) return { nondeterministic: "writes a column with a volatile default" };
      const fields = kind === "SelectStmt" ? kindOf(stmt)![1] : undefined;
      const ordered = fields !== undefined && orderIsTotal(fields, uniqueKeys);
      const types = x.columns.map((c, i) => (c.type === y.columns[i]?.type ? c.type : 25));
      const differ = compareResults({ types, rows: x.rows }, { types, rows: y.rows }, {
        ordered,
        ...(o.floatEps === undefined ? {} : { floatEps: o.floatEps }),
      });
      if (differ) {
        return { kind: "result", detail: differ, a: outcomeLines(x, types), b: outcomeLines(y, types) };
      }
    }
    for (const t of written) {
      const table = tables.get(t);
      if (!table) continue;
      const [cx, cy] = await both(checksumSql(table));
      if (cx.ok && cy.ok && cx.rows[0]?.join() !== cy.rows[0]?.join()) {
        return {
          kind: "contents",
          detail: `table ${t} differs after the statement`,
          a: [`${cx.rows[0]?.[0]} rows, md5 ${cx.rows[0]?.[1]}`],
          b: [`${cy.rows[0]?.[0]} rows, md5 ${cy.rows[0]?.[1]}`],
        };
      }
    }
    return {};
  };

  /** Runs `sql` in a transaction on both and rolls it back: the verdict on the current state. */
  const trial = async (sql: string): Promise<Verdict> => {
    await both("BEGIN");
    try {
      return await judge(sql, statementsOf(sql)?.[0]);
    } finally {
      await both("ROLLBACK");
    }
  };

  let inTransaction = false;
  const reducedShapes = new Map<string, string>();
  let index = o.first;
  const started = performance.now();
  const deadline = o.durationMs === undefined ? Infinity : started + o.durationMs;
  const total = o.count ?? (o.durationMs === undefined ? 10000n : BigInt(Number.MAX_SAFE_INTEGER));
  const every = o.checkpointEvery ?? 500;
  let lastTick = started;
  const finish = () => {
    s.seconds = Math.round((performance.now() - started) / 10) / 100;
    s.statementsPerSecond = s.seconds > 0 ? Math.round(s.statements / s.seconds) : s.statements;
    s.agreementPercent = s.compared > 0 ? Math.round((s.agreed / s.compared) * 100000) / 1000 : 100;
  };
  const enough = () => o.maxFindings !== undefined && s.findings.length >= o.maxFindings;
  while (BigInt(s.statements) < total && performance.now() < deadline && !o.signal?.aborted && !enough()) {
    const batch = o.statements(
      index,
      Number(total - BigInt(s.statements) < 100n ? total - BigInt(s.statements) : 100n),
    );
    for (const sql of batch) {
      if (performance.now() >= deadline || o.signal?.aborted || enough()) break;
      const at = index;
      index++;
      s.statements++;
      const stmts = statementsOf(sql);
      const single = stmts?.length === 1 ? stmts[0] : undefined;
      const kind = single ? kindOf(single)?.[0] ?? "" : "";
      const concurrently = kind === "IndexStmt" && kindOf(single)![1].concurrent === true;
      const wrap = !inTransaction && single !== undefined && !UNWRAPPED.has(kind) && !concurrently;
      if (kind === "TransactionStmt") {
        const k = String(kindOf(single)![1].kind);
        if (/BEGIN|START/.test(k)) inTransaction = true;
        if (/COMMIT|ROLLBACK(?!_TO)|PREPARE/.test(k)) inTransaction = false;
      }
      if (wrap) await both("BEGIN");
      let v: Verdict;
      try {
        v = await judge(sql, single);
      } catch (e) {
        if (wrap) await both("ROLLBACK");
        throw e;
      }
      // A difference, or a data change not determined by the data, is undone on both: lockstep.
      if (wrap) await both(v.kind || (v.nondeterministic && DML_KINDS.has(kind)) ? "ROLLBACK" : "COMMIT");
      // A line of several statements that failed leaves its transaction open and aborted: end it on both.
      else if (!single && !inTransaction && (v.kind || v.bothFailed)) await both("ROLLBACK");
      if (v.nondeterministic) {
        s.nondeterministic++;
        const reason = v.nondeterministic.replace(
          /^\w+\(\) (is volatile|reads the server)$/,
          "volatile function",
        );
        s.nondeterministicReasons[reason] = (s.nondeterministicReasons[reason] ?? 0) + 1;
        continue;
      }
      s.compared++;
      if (v.bothFailed) s.bothFailed++;
      if (!v.kind) {
        s.agreed++;
      } else {
        // Statements of one shape (constants aside) with one kind of difference reduce alike: once.
        const shape = `${v.kind}:${fingerprintOf(sql)}`;
        let reduced = reducedShapes.get(shape);
        if (reduced === undefined) {
          reduced = wrap && (o.reduceTries ?? 200) > 0
            ? (await reduceStatement(sql, async (c) => (await trial(c)).kind === v.kind, {
              maxTries: o.reduceTries ?? 200,
            })).sql
            : sql;
          reducedShapes.set(shape, reduced);
        }
        const key = `${v.kind}:${fingerprintOf(reduced)}`;
        if (o.allow?.has(key)) {
          s.allowed++;
          s.agreed++;
        } else {
          s.findingsByKind[v.kind] = (s.findingsByKind[v.kind] ?? 0) + 1;
          if (s.findings.length < 100) {
            s.findings.push({
              kind: v.kind,
              key,
              index: String(at),
              seed: o.seed,
              sql: trim(sql),
              reduced,
              detail: v.detail ?? "",
              a: v.a ?? [],
              b: v.b ?? [],
            });
          }
        }
      }
      if (!inTransaction && every > 0 && s.statements % every === 0) {
        const apart = await checkpoint(o, both);
        if (apart) {
          s.stopped = `${apart} differs at the checkpoint after statement ${at}; the databases are apart`;
          finish();
          return s;
        }
      }
      if (o.onTick && performance.now() - lastTick > 500) {
        lastTick = performance.now();
        finish();
        o.onTick(s);
      }
    }
    if (batch.length === 0) break;
  }
  if (inTransaction) await both("ROLLBACK");
  const apart = await checkpoint(o, both);
  if (apart) s.stopped = `${apart} differs at the last checkpoint; the databases are apart`;
  finish();
  return s;
}

/** The first table whose checksums differ between the two, or undefined. */
async function checkpoint(
  o: CompareOptions,
  both: (sql: string) => Promise<[TypedOutcome, TypedOutcome]>,
): Promise<string | undefined> {
  for (const t of o.schema.tables) {
    const [x, y] = await both(checksumSql(t));
    if (x.ok && y.ok && x.rows[0]?.join() !== y.rows[0]?.join()) return `table ${t.name}`;
  }
  return undefined;
}
