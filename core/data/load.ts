/**
 * Loading a compiled spec into a database: the tables are created (or
 * taken as they are), then filled with `COPY … FROM STDIN` in foreign-key
 * order, several connections at once across independent tables and across
 * slices of a big table. Keys that point back (self references, cycles)
 * and, when asked, every constraint are added once the rows are in.
 *
 * @module
 */
import type { PGlite } from "@electric-sql/pglite";
import type { ForeignKey, Schema, Table } from "../schema/model.ts";
import { addForeignKeyStatement, createSchemaStatements, defaultSequence } from "../schema/ddl.ts";
import { qualifiedName, quoteIdent } from "../dialect/quote.ts";
import { ConnectionError, CopyError, copyStatement, type CopyTarget, openCopyTarget } from "../exec/copy.ts";
import type { CompiledSpec, CompiledTable } from "./compile.ts";
import { writeRows } from "./rows.ts";

/** Options of {@link loadData}. */
export interface LoadOptions {
  /** "pglite" or a postgres:// URL. */
  db: string;
  /** PGlite: the instance to load into (kept open for the caller). */
  pglite?: PGlite;
  /** Connections copying at once (PGlite: always one) [default: 2]. */
  connections?: number;
  /** Create the tables first [default: true]. */
  create?: boolean;
  /**
   * The schema the spec was derived from (`--schema`, `--from-db`): the
   * tables are created from it, with its types, partitions and indexes,
   * instead of from the spec's columns.
   */
  schema?: Schema;
  /** Add primary keys, unique constraints and foreign keys after the rows [default: false]. */
  constraintsAfter?: boolean;
  /** YugabyteDB: COPY commits every this many rows, never one huge transaction. */
  rowsPerTransaction?: number;
  /** Rows a slice of a big table is copied in, one connection each [default: rows / connections, at least 100k]. */
  sliceRows?: number;
  /** Tables to load [default: all]. */
  tables?: readonly string[];
  /** Called as rows go in. */
  progress?: (table: string, rows: number, bytes: number) => void;
  signal?: AbortSignal;
}

/** What one table's load did. */
export interface TableLoad {
  table: string;
  rows: number;
  bytes: number;
  seconds: number;
}

/** A load's report: per table, and the statements run around the COPYs. */
export interface LoadReport {
  tables: TableLoad[];
  /** CREATE statements run before, constraints added after. */
  before: string[];
  after: string[];
  seconds: number;
}

/** A failure while loading, naming the table and statement. */
export class LoadError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = "LoadError";
  }
}

function schemaOf(tables: readonly CompiledTable[], options: LoadOptions): {
  schema: Schema;
  after: string[];
} {
  const after: string[] = [];
  const models: Table[] = tables.map((t) => {
    const p = t.planned;
    const deferred = (fk: { references: { table: string }; secondPass?: boolean }) =>
      options.constraintsAfter === true || fk.references.table === t.name || fk.secondPass === true;
    const model: Table = {
      name: t.name,
      columns: t.columns.map((c) => ({ name: c.name, type: c.sqlType, nullable: c.nullable })),
    };
    if (t.schema) model.schema = t.schema;
    if (p.checks && p.checks.length > 0) model.checks = p.checks.map((expression) => ({ expression }));
    const keys: ForeignKey[] = p.foreignKeys.map((fk) => ({
      columns: fk.columns,
      references: { table: fk.references.table, columns: fk.references.columns },
    }));
    const inline = keys.filter((_, k) => !deferred(p.foreignKeys[k]!));
    const late = keys.filter((_, k) => deferred(p.foreignKeys[k]!));
    if (inline.length > 0) model.foreignKeys = inline;
    if (options.constraintsAfter) {
      const q = qualifiedName(t.name, t.schema);
      if (p.primaryKey?.length) {
        after.push(`ALTER TABLE ${q} ADD PRIMARY KEY (${p.primaryKey.map(quoteIdent).join(", ")})`);
      }
      for (const u of p.unique ?? []) {
        after.push(`ALTER TABLE ${q} ADD UNIQUE (${u.map(quoteIdent).join(", ")})`);
      }
    } else {
      if (p.primaryKey?.length) model.primaryKey = p.primaryKey;
      if (p.unique?.length) model.unique = p.unique;
    }
    late.forEach((_, k) => after.push(addForeignKeyStatement({ ...model, foreignKeys: late }, k)));
    return model;
  });
  // Constraints after the rows: foreign keys last, once every key they point at exists.
  after.sort((a, b) => Number(a.includes("FOREIGN KEY")) - Number(b.includes("FOREIGN KEY")));
  return { schema: { name: "data", tables: models }, after };
}

/**
 * A user's schema with the keys that must wait for the rows (self
 * references, keys closing a cycle; every key with constraintsAfter) moved
 * to statements run after the load.
 */
function fromSchema(schema: Schema, tables: readonly CompiledTable[], options: LoadOptions): {
  schema: Schema;
  after: string[];
} {
  const after: string[] = [];
  const late = (t: Table, fk: ForeignKey) => {
    if (options.constraintsAfter || fk.references.table === t.name) return true;
    const planned = tables.find((c) => c.name === t.name)?.planned;
    return planned?.foreignKeys.some((p) => p.secondPass && p.columns.join() === fk.columns.join()) ?? false;
  };
  const models = schema.tables.map((t) => {
    const keys = t.foreignKeys ?? [];
    const deferred = keys.filter((fk) => late(t, fk));
    if (deferred.length === 0) return t;
    // Tables that exist keep their keys: nothing to add afterwards.
    if (options.create !== false) {
      deferred.forEach((_, k) => after.push(addForeignKeyStatement({ ...t, foreignKeys: deferred }, k)));
    }
    const kept = keys.filter((fk) => !late(t, fk));
    const { foreignKeys: _, ...rest } = t;
    return kept.length > 0 ? { ...rest, foreignKeys: kept } : rest;
  });
  // Sequences behind columns the rows filled (serial, identity) move past the largest value loaded,
  // so the application's own inserts do not collide with them.
  for (const t of schema.tables) {
    const generated = tables.find((c) => c.name === t.name)?.columns.map((c) => c.name) ?? [];
    for (const c of t.columns) {
      if (!generated.includes(c.name) || !(c.identity || defaultSequence(c))) continue;
      const q = qualifiedName(t.name, t.schema);
      const seq = defaultSequence(c);
      const sequence = seq ? sqlString(seq) : `pg_get_serial_sequence(${sqlString(q)}, ${sqlString(c.name)})`;
      after.push(`SELECT setval(${sequence}, max(${quoteIdent(c.name)})) FROM ${q}`);
    }
  }
  return { schema: { ...schema, tables: models }, after };
}

const sqlString = (s: string) => `'${s.replaceAll("'", "''")}'`;

/** A slice of a table: rows [start, start + count). */
interface Slice {
  table: CompiledTable;
  start: bigint;
  count: bigint;
}

/** A database error while copying a table, naming the table. */
function tableFailure(t: CompiledTable, e: unknown): unknown {
  if (e instanceof CopyError && !(e instanceof ConnectionError)) {
    return new LoadError(e.code, `table ${t.name}: ${e.code}: ${e.message}`);
  }
  return e;
}

async function runOrThrow(target: CopyTarget, sql: string): Promise<void> {
  const o = await target.run(sql);
  if (!o.ok) throw new LoadError(o.code, `${o.code}: ${o.message} (in: ${sql.slice(0, 200)})`);
}

/**
 * Creates and fills the spec's tables. Requires `--allow-net` for a server.
 *
 * @throws {LoadError} with the database's SQLSTATE, naming the table.
 * @throws {ConnectionError} when the database cannot be reached.
 */
export async function loadData(spec: CompiledSpec, options: LoadOptions): Promise<LoadReport> {
  const began = performance.now();
  const tables = options.tables
    ? spec.tables.filter((t) => options.tables!.includes(t.name))
    : [...spec.tables];
  const pglite = options.db === "pglite";
  // Into tables that exist, a key closing a loop keeps its constraint: the loop goes in one
  // transaction whose DEFERRABLE constraints are checked at commit, on one connection.
  const loopKeys = options.create === false
    ? tables.flatMap((t) => t.planned.foreignKeys.filter((fk) => fk.secondPass).map((fk) => ({ t, fk })))
    : [];
  for (const { t, fk } of loopKeys) {
    const declared = options.schema?.tables.find((x) => x.name === t.name)?.foreignKeys?.find((f) =>
      f.columns.join() === fk.columns.join()
    );
    if (!declared?.deferrable) {
      throw new LoadError(
        "23503",
        `table ${t.name}: its key (${
          fk.columns.join(", ")
        }) → ${fk.references.table} closes a loop of keys and is ` +
          "not DEFERRABLE INITIALLY DEFERRED, so rows cannot go into the existing tables in any order; " +
          "load into a new database (--db), or make that constraint deferrable",
      );
    }
  }
  const inTransaction = loopKeys.length > 0;
  const connections = pglite || inTransaction ? 1 : Math.max(1, options.connections ?? 2);
  const targetOptions = options.pglite ? { pglite: options.pglite } : {};
  const targets: CopyTarget[] = [];
  try {
    for (let i = 0; i < connections; i++) targets.push(await openCopyTarget(options.db, targetOptions));
    const { schema, after } = options.schema
      ? fromSchema(options.schema, tables, options)
      : schemaOf(tables, options);
    const before = options.create === false ? [] : createSchemaStatements(schema);
    for (const sql of before) await runOrThrow(targets[0]!, sql);
    if (inTransaction) {
      await runOrThrow(targets[0]!, "BEGIN");
      await runOrThrow(targets[0]!, "SET CONSTRAINTS ALL DEFERRED");
    }

    // Slices in generation order; a table's slices start once its parents are in.
    const minSlice = BigInt(options.sliceRows ?? 100_000);
    const slices: Slice[] = [];
    for (const t of tables) {
      // Into existing tables whose key points at the table itself, rows go in order in one COPY:
      // the constraint is there, and a row's parent must be in first.
      const inOrder = options.create === false &&
        t.planned.foreignKeys.some((fk) => fk.references.table === t.name);
      const per = inOrder ? t.rows : t.rows / BigInt(connections);
      const size = per > minSlice ? per : minSlice;
      for (let s = 0n; s < t.rows || (s === 0n && t.rows === 0n); s += size) {
        slices.push({ table: t, start: s, count: t.rows - s < size ? t.rows - s : size });
        if (t.rows === 0n) break;
      }
    }
    const remaining = new Map(tables.map((t) => [t.name, slices.filter((s) => s.table === t).length]));
    const loads = new Map(tables.map((t) => [t.name, { table: t.name, rows: 0, bytes: 0, seconds: 0 }]));
    const startedAt = new Map<string, number>();
    const waiting = new Map<string, (() => void)[]>();
    const inside = (name: string) => tables.some((t) => t.name === name);
    const parentsDone = async (t: CompiledTable) => {
      for (const fk of t.planned.foreignKeys) {
        const parent = fk.references.table;
        if (parent === t.name || fk.secondPass || !inside(parent)) continue;
        if ((remaining.get(parent) ?? 0) > 0) {
          await new Promise<void>((resolve) =>
            waiting.set(parent, [...(waiting.get(parent) ?? []), resolve])
          );
        }
      }
    };
    let next = 0;
    const worker = async (target: CopyTarget) => {
      while (next < slices.length) {
        options.signal?.throwIfAborted();
        const slice = slices[next++]!;
        const t = slice.table;
        await parentsDone(t);
        if (!startedAt.has(t.name)) startedAt.set(t.name, performance.now());
        const load = loads.get(t.name)!;
        const sql = copyStatement(
          { name: t.name, ...(t.schema ? { schema: t.schema } : {}) },
          t.columns.map((c) => c.name),
          {
            format: "text",
            ...(options.rowsPerTransaction ? { rowsPerTransaction: options.rowsPerTransaction } : {}),
          },
        );
        const sink = await target.copy(sql).catch((e) => {
          throw tableFailure(t, e);
        });
        let bytes = 0;
        try {
          await writeRows(spec, t, {
            format: "copy",
            start: slice.start,
            count: slice.count,
            workers: connections > 1 ? 1 : 2,
            write: async (b) => {
              bytes += b.length;
              await sink.write(b);
            },
            progress: (rows, b) => options.progress?.(t.name, load.rows + rows, load.bytes + b),
            ...(options.signal ? { signal: options.signal } : {}),
          });
          load.rows += await sink.end();
          load.bytes += bytes;
        } catch (e) {
          await sink.abort(String((e as Error).message)).catch(() => {});
          throw tableFailure(t, e);
        }
        const left = remaining.get(t.name)! - 1;
        remaining.set(t.name, left);
        if (left === 0) {
          load.seconds = (performance.now() - startedAt.get(t.name)!) / 1000;
          for (const wake of waiting.get(t.name) ?? []) wake();
          waiting.delete(t.name);
        }
      }
    };
    try {
      await Promise.all(targets.map(worker));
      if (inTransaction) await runOrThrow(targets[0]!, "COMMIT");
    } catch (e) {
      if (inTransaction) await targets[0]!.run("ROLLBACK");
      throw e;
    }
    for (const sql of after) await runOrThrow(targets[0]!, sql);
    return {
      tables: tables.map((t) => loads.get(t.name)!),
      before,
      after,
      seconds: (performance.now() - began) / 1000,
    };
  } finally {
    for (const t of targets) await t.close().catch(() => {});
  }
}
