/**
 * What the end-to-end tests of `quarry events` share: running the CLI (to
 * its end, or spawned to be signalled), reading its JSON summary, loading
 * the hostile fixture (tests/fixtures/events_hostile.sql), and checking a
 * database by SQL: foreign keys without orphans, partitions, a digest of
 * every table's rows.
 *
 * @module
 */
import { deepStrictEqual, ok } from "node:assert/strict";
import postgres from "postgres";
import { main, root, type Run } from "./_cli.ts";
import type { EventsSummary } from "../core/events/summary.ts";

/** What `deno task quarry` would need for events: files, the server, PGPASSWORD. */
export const PERMISSIONS = ["--allow-read", "--allow-write", "--allow-net", "--allow-env"];

const dec = new TextDecoder();

/** `quarry events ARGS` run to its end; `env` adds variables to the child's environment. */
export async function events(args: readonly string[], env: Record<string, string> = {}): Promise<Run> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", ...PERMISSIONS, main, "events", ...args],
    cwd: root.pathname,
    env,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

/** `quarry events ARGS` started in the background (to be signalled). */
export function spawnEvents(args: readonly string[]): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", ...PERMISSIONS, main, "events", ...args],
    cwd: root.pathname,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

/** The JSON `--json` prints: the run's header, then the summary. */
export type EventsJson = EventsSummary & {
  database: string;
  schema: string;
  tables: number;
  connections: number;
  pipeline: number;
  sampling: string;
  random_seed: number;
  faker_seed: number;
};

/** A run that exited 0 with its summary on stdout. */
export function summaryOf(r: Run, code = 0): EventsJson {
  deepStrictEqual(r.code, code, r.stderr);
  ok(!/^\s+at /m.test(r.stderr), `stack trace printed:\n${r.stderr}`);
  try {
    return JSON.parse(r.stdout) as EventsJson;
  } catch {
    throw new Error(`stdout is not one JSON summary:\n${r.stdout.slice(0, 2000)}\nstderr:\n${r.stderr}`);
  }
}

/** One table × operation of a summary (an empty count when the run had none). */
export function operation(s: EventsSummary, table: string, op: "insert" | "update" | "delete") {
  return s.operations.find((o) => o.table === table && o.operation === op) ??
    { table, operation: op, attempted: 0, succeeded: 0, failed: 0, rows: 0, retries: 0, errors: [] };
}

/** Every failure of a run as "table operation code ×count: message | first statement" (for messages). */
export function failures(s: EventsSummary): string {
  return s.operations.flatMap((o) =>
    o.errors.map((e) =>
      `${o.table} ${o.operation} ${e.code} ×${e.count}: ${e.message.split("\n")[0]} | ${e.sql.slice(0, 300)}`
    )
  ).join("\n");
}

/**
 * A run that failed cleanly: the exit code, nothing on stdout, no stack
 * trace, and on stderr (besides the seeds line and warnings) exactly one
 * line, `quarry: error: …`, matching `pattern`. Returns that line.
 */
export function failedCleanly(r: Run, code: number, pattern: RegExp): string {
  deepStrictEqual(r.code, code, r.stderr);
  deepStrictEqual(r.stdout, "");
  ok(!/^\s+at /m.test(r.stderr), `stack trace printed:\n${r.stderr}`);
  const lines = r.stderr.split("\n").filter((l) =>
    l.length > 0 && !/^quarry: seeds: /.test(l) && !/^quarry: warning: /.test(l) &&
    !/^quarry: created the extension/.test(l)
  );
  deepStrictEqual(lines.length, 1, `one error line expected:\n${r.stderr}`);
  ok(lines[0]!.startsWith("quarry: error: "), lines[0]);
  ok(pattern.test(lines[0]!), `${lines[0]} does not match ${pattern}`);
  return lines[0]!;
}

/** The hostile fixture's SQL. */
export const HOSTILE_SQL = await Deno.readTextFile(new URL("fixtures/events_hostile.sql", import.meta.url));

/** The fixture's tables as the schema model names them (and `--json` reports them). */
export const HOSTILE_TABLES = [
  "CamelTable",
  "user",
  "order",
  "accounts",
  "naïve table",
  "categories",
  "select",
  "group",
  "order_lines",
  "event log",
  "measurements",
];

/** A table name as SQL (double-quoted). */
export const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Runs `fn` with a client of `url` (one connection), closed afterwards. */
export async function withClient<T>(url: string, fn: (db: postgres.Sql) => Promise<T>): Promise<T> {
  const db = postgres(url, { max: 1, onnotice: () => {} });
  try {
    return await fn(db);
  } finally {
    await db.end();
  }
}

/** Runs SQL text (several statements allowed) on `url`. */
export function exec(url: string, sql: string): Promise<void> {
  return withClient(url, async (db) => {
    await db.unsafe(sql);
  });
}

/** One whole number from a query's first row's first column. */
export function scalar(url: string, sql: string): Promise<number> {
  return withClient(url, async (db) => {
    const rows = await db.unsafe(sql);
    return Number(Object.values(rows[0] as Record<string, unknown>)[0]);
  });
}

/** Rows of each of `tables`. */
export function rowCounts(url: string, tables: readonly string[]): Promise<Map<string, number>> {
  return withClient(url, async (db) => {
    const out = new Map<string, number>();
    for (const t of tables) {
      const [r] = await db.unsafe(`SELECT count(*)::int AS n FROM ${ident(t)}`);
      out.set(t, (r as unknown as { n: number }).n);
    }
    return out;
  });
}

/** Per table: its row count and an md5 of its rows as text in order (the same rows give the same digest). */
export function tableDigests(url: string, tables: readonly string[]): Promise<Map<string, string>> {
  return withClient(url, async (db) => {
    const out = new Map<string, string>();
    for (const t of tables) {
      const [r] = await db.unsafe(
        `SELECT count(*)::text || ' ' || coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '-') AS d
         FROM ${ident(t)} AS t`,
      );
      out.set(t, (r as unknown as { d: string }).d);
    }
    return out;
  });
}

/** Turns autovacuum off on every table of the public schema (and its partitions). */
export function disableAutovacuum(url: string): Promise<void> {
  return withClient(url, async (db) => {
    const rows = await db.unsafe(
      `SELECT c.oid::regclass::text AS t FROM pg_class c
       WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r'`,
    );
    for (const r of rows) await db.unsafe(`ALTER TABLE ${r.t} SET (autovacuum_enabled = false)`);
  });
}

/**
 * Checks a database by SQL: every foreign key of the public schema has no
 * orphans (an anti-join per key), every constraint is validated, and no
 * row sits in a partitioned table outside its partitions. Returns the
 * number of foreign keys checked.
 */
export function assertIntegrity(url: string): Promise<number> {
  return withClient(url, async (db) => {
    const fks = await db.unsafe(`
      SELECT c.conname, c.conrelid::regclass::text AS child, c.confrelid::regclass::text AS parent,
             array_agg(quote_ident(a.attname) ORDER BY k.ord)::text[] AS cols,
             array_agg(quote_ident(pa.attname) ORDER BY k.ord)::text[] AS pcols
      FROM pg_constraint c CROSS JOIN LATERAL unnest(c.conkey, c.confkey) WITH ORDINALITY AS k(ck, pk, ord)
      JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.ck
      JOIN pg_attribute pa ON pa.attrelid = c.confrelid AND pa.attnum = k.pk
      WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace AND c.conparentid = 0
      GROUP BY c.oid, c.conname, c.conrelid, c.confrelid`);
    for (const fk of fks) {
      const cols = fk.cols as string[], pcols = fk.pcols as string[];
      const on = cols.map((c, i) => `p.${pcols[i]} = ch.${c}`).join(" AND ");
      const [{ n }] = await db.unsafe(
        `SELECT count(*)::int AS n FROM ${fk.child} AS ch
         WHERE ${cols.map((c) => `ch.${c} IS NOT NULL`).join(" AND ")}
           AND NOT EXISTS (SELECT 1 FROM ${fk.parent} AS p WHERE ${on})`,
      ) as unknown as [{ n: number }];
      deepStrictEqual(n, 0, `orphans of ${fk.conname}: ${fk.child} (${cols}) → ${fk.parent}`);
    }
    const [{ invalid }] = await db.unsafe(
      `SELECT count(*)::int AS invalid FROM pg_constraint
       WHERE connamespace = 'public'::regnamespace AND NOT convalidated`,
    ) as unknown as [{ invalid: number }];
    deepStrictEqual(invalid, 0, "constraints not validated");
    const parents = await db.unsafe(
      `SELECT oid::regclass::text AS t FROM pg_class
       WHERE relnamespace = 'public'::regnamespace AND relkind = 'p'`,
    );
    for (const p of parents) {
      const [{ n }] = await db.unsafe(`SELECT count(*)::int AS n FROM ONLY ${p.t}`) as unknown as [
        { n: number },
      ];
      deepStrictEqual(n, 0, `rows of ${p.t} outside its partitions`);
    }
    return fks.length;
  });
}

/** The fixture's partitions of measurements, each with its bounds [from, to). */
const MEASUREMENT_PARTITIONS = [
  ["measurements_2024_q1", "2024-01-01", "2024-04-01"],
  ["measurements_2024_q2", "2024-04-01", "2024-07-01"],
  ["measurements_2024_q3", "2024-07-01", "2024-10-01"],
] as const;

/** Rows of measurements in a partition whose bounds they are outside of (none, if PostgreSQL routed them). */
export function misplacedMeasurements(url: string): Promise<number> {
  return scalar(
    url,
    `SELECT count(*) FROM measurements m WHERE ${
      MEASUREMENT_PARTITIONS.map(([p, from, to]) =>
        `(m.tableoid = '${p}'::regclass AND NOT (m.taken_on >= '${from}' AND m.taken_on < '${to}'))`
      ).join(" OR ")
    }`,
  );
}

/**
 * Creates a LOGIN role that is not a superuser (a unique name), passes its
 * name to `fn`, then drops what it owns in `url`'s database and the role.
 */
export async function withTempRole<T>(url: string, fn: (role: string) => Promise<T>): Promise<T> {
  const role = `quarry_role_${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
  await exec(url, `CREATE ROLE ${role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE`);
  try {
    return await fn(role);
  } finally {
    await exec(url, `DROP OWNED BY ${role}; DROP ROLE ${role}`);
  }
}

/**
 * Holds a transaction with a transaction id open in `url`'s database while
 * `fn` runs. Every snapshot on the server then keeps rows as old as that
 * transaction, so no server-side cleanup (page pruning, vacuum) removes the
 * dead rows of any database meanwhile and rows keep the places they were
 * written to.
 */
export async function withOldestSnapshotHeld<T>(url: string, fn: () => Promise<T>): Promise<T> {
  const db = postgres(url, { max: 1, onnotice: () => {} });
  try {
    // One connection (max: 1), so a transaction by statements stays on it.
    await db.unsafe("BEGIN");
    await db.unsafe("SELECT txid_current()");
    try {
      return await fn();
    } finally {
      await db.unsafe("ROLLBACK");
    }
  } finally {
    await db.end();
  }
}

/** The URL of a database on the same server as `url`. */
export function sibling(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Creates `copy` from the template database of `url` (which has no session open). */
export async function copyDatabase(url: string, copy: string): Promise<string> {
  const template = new URL(url).pathname.slice(1);
  await exec(sibling(url, "postgres"), `CREATE DATABASE ${copy} TEMPLATE ${template}`);
  return sibling(url, copy);
}

/** Drops a database this test created. */
export function dropDatabase(url: string, name: string): Promise<void> {
  return exec(sibling(url, "postgres"), `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}

/** A unique database name for copies (dropped by the test that makes it). */
export const copyName = () => `quarry_test_${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`;

/** Runs `fn` with a fresh folder, removed afterwards. */
export async function withDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix: "quarry_events_" });
  try {
    return await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
