/**
 * Sessions that read a statement's result with its column types and every
 * cell as the server's own text, for comparing results between databases
 * (`quarry compare`, `quarry oracle`). Drivers normally turn cells into
 * numbers, dates and objects; here no cell is parsed, so what is compared is
 * what the server wrote, and the column's type OID says how to normalize it.
 *
 * One session is one connection: statements run one after another on it, so
 * BEGIN, a statement and ROLLBACK sent in turn stay in one transaction.
 *
 * @module
 */
import postgres from "postgres";
import { PGlite, types as pgliteTypes } from "@electric-sql/pglite";
import { type Failure, failureOutcome } from "./targets.ts";

/** A column of a result: its name and type OID. */
export interface ResultColumn {
  name: string;
  type: number;
}

/** The outcome of one statement read with its types. */
export type TypedOutcome =
  | { ok: true; columns: ResultColumn[]; rows: (string | null)[][]; affected: number; command: string }
  | Failure;

/** One connection whose results are read as typed text. */
export interface TypedSession {
  /** "pglite" or host:port/database. */
  readonly name: string;
  /** Runs `sql` (one statement, or several separated by `;`: then the last one's result). */
  result(sql: string): Promise<TypedOutcome>;
  close(): Promise<void>;
}

/**
 * A parser for every type OID `db` knows (its built-in types and the array
 * types it registered at start), each keeping the text.
 */
function keepText(db: PGlite): Record<number, (text: string) => string> {
  const known = (db as unknown as { parsers?: Record<string, unknown> }).parsers ?? {};
  const oids = new Set([...Object.keys(pgliteTypes.parsers), ...Object.keys(known)].map(Number));
  return Object.fromEntries([...oids].map((oid) => [oid, (text: string) => text]));
}

/** Array types postgres.js may parse on its own (the arrays of the base types it parses). */
function ARRAY_OIDS(): number[] {
  // int2[], int4[], int8[], text[], float4[], float8[], bool[], numeric[], date[], timestamp[],
  // timestamptz[], json[], jsonb[], bytea[], varchar[], uuid[], interval[], time[], bpchar[].
  return [
    1005,
    1007,
    1016,
    1009,
    1021,
    1022,
    1000,
    1231,
    1182,
    1115,
    1185,
    199,
    3807,
    1001,
    1015,
    2951,
    1187,
    1183,
    1014,
  ];
}

/** Whether `sql` holds more than one statement (a whole transaction on one line). */
function severalStatements(sql: string): boolean {
  const i = sql.indexOf(";");
  return i >= 0 && i < sql.trimEnd().replace(/;$/, "").length;
}

/**
 * A session on an embedded PGlite: `db`, or a new in-memory one (two calls
 * give two independent databases). Requires `--allow-read` for its files.
 */
export async function pgliteTypedSession(db?: PGlite): Promise<TypedSession> {
  const pg = db ?? await PGlite.create();
  const KEEP_TEXT = keepText(pg);
  type Raw = { rows: unknown[]; fields: { name: string; dataTypeID: number }[]; affectedRows?: number };
  const outcome = (r: Raw | undefined, command: string): TypedOutcome => ({
    ok: true,
    columns: (r?.fields ?? []).map((f) => ({ name: f.name, type: f.dataTypeID })),
    rows: ((r?.rows ?? []) as unknown[][]).map((row) => row.map(textOf)),
    affected: r?.affectedRows ?? 0,
    command,
  });
  return {
    name: "pglite",
    async result(sql) {
      try {
        if (severalStatements(sql)) {
          const all = await pg.exec(sql, { rowMode: "array", parsers: KEEP_TEXT }) as Raw[];
          return outcome(all[all.length - 1], "");
        }
        return outcome(await pg.query(sql, [], { rowMode: "array", parsers: KEEP_TEXT }) as Raw, "");
      } catch (e) {
        return failureOutcome(e);
      }
    },
    close: () => pg.close(),
  };
}

/** A cell as text: null stays null, bytes (bytea) as PostgreSQL's hex form. */
function textOf(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === "string") return v;
  if (v instanceof Uint8Array) return `\\x${[...v].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
  return String(v);
}

/** Options for {@link postgresTypedSession}. */
export interface TypedSessionOptions {
  /** statement_timeout in ms [default: 10000]. */
  statementTimeoutMs?: number;
  /** How long connecting may take, in seconds [default: 10]. */
  connectTimeoutSeconds?: number;
}

/**
 * A session on a PostgreSQL server at `url`, through npm:postgres with every
 * type parser replaced by one that keeps the text. Requires `--allow-net`
 * for the server and `--allow-env` (postgres.js reads PG* variables).
 */
export function postgresTypedSession(url: URL, options: TypedSessionOptions = {}): TypedSession {
  const where = `${url.hostname || "localhost"}:${url.port || "5432"}${url.pathname}`;
  const sql = postgres(url.href, {
    max: 1,
    onnotice: () => {},
    prepare: false,
    fetch_types: false,
    connect_timeout: options.connectTimeoutSeconds ?? 10,
    connection: { statement_timeout: options.statementTimeoutMs ?? 10000 },
    // One "type" claiming every OID postgres.js would parse, with a parser that keeps the text.
    types: {
      text: {
        to: 25,
        from: [16, 17, 20, 21, 23, 26, 114, 700, 701, 1082, 1114, 1184, 1700, 3802, ...ARRAY_OIDS()],
        serialize: (x: unknown) => String(x),
        parse: (x: string) => x,
      },
    },
  });
  return {
    name: where,
    async result(text) {
      try {
        const r = await sql.unsafe(text).simple().values();
        // Several statements give one result per statement (each with its command); the last one counts.
        const results = r as unknown as { command?: unknown }[];
        const several = results.length > 0 && typeof results[0]?.command === "string";
        const last = (several ? results[results.length - 1] : r) as unknown as postgres.RowList<
          postgres.Row[]
        >;
        const columns = (last.columns ?? []).map((c) => ({ name: c.name, type: c.type }));
        const rows = ([...last] as unknown as unknown[][]).map((row) => row.map(textOf));
        return { ok: true, columns, rows, affected: last.count ?? 0, command: last.command ?? "" };
      } catch (e) {
        if (e instanceof Deno.errors.NotCapable) throw e;
        const o = failureOutcome(e);
        if (/^(E[A-Z]+|CONNECT_TIMEOUT)$/.test(o.code)) {
          return { ok: false, code: "08001", message: o.message };
        }
        if (/^CONNECTION_(CLOSED|ENDED|DESTROYED)$/.test(o.code)) {
          return { ok: false, code: "08006", message: o.message };
        }
        return o;
      }
    },
    close: () => sql.end({ timeout: 5 }),
  };
}
