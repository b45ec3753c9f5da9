/**
 * The values of `quarry events`, drawn by the value model like `quarry
 * data`'s: the live schema becomes a data spec (`specFromSchema`: types,
 * CHECK bounds, partition bounds, nullability), then three things change
 * for churning tables that already hold rows.
 *
 * - Columns the database fills (identity, serial, stored generated) are
 *   left to it.
 * - Every foreign key draws from a pool of keys that exist now (a live
 *   list the runner keeps in step), never from a recomputed parent row.
 * - Integer keys continue past the largest value the table holds, and every
 *   other key is drawn at row numbers far from those `quarry data` uses, so
 *   new rows avoid existing ones.
 *
 * @module
 */
import type { Schema } from "../schema/model.ts";
import { specFromSchema } from "../data/from_schema.ts";
import {
  type CompiledSpec,
  type CompiledTable,
  compileTables,
  type PlannedTable,
  type PoolColumn,
} from "../data/compile.ts";
import type { ColumnSpec } from "../data/spec.ts";
import type { Seed } from "../seed.ts";
import { type EventTable, filledByDatabase } from "./tables.ts";
import { columnsIn } from "../data/_from_schema_checks.ts";

/** Row numbers of inserted rows start at least here (at a place the seed sets, rounded to a batch), far above a data load's. */
export const INSERT_ROW_BASE = 1_000_000_000n;
/** Row numbers of UPDATE values start here, above every inserted row's. */
export const UPDATE_ROW_BASE = 20_000_000_000n;
/** Rows the spec is derived for: text keys get room for every row number above. */
const SPEC_ROWS = 100_000_000_000;

/** Entries a pool holds; a parent with more rows is sampled. */
export const POOL_CAPACITY = 1024;
/** Bytes of one key column's text in a pool; longer keys are not pooled. */
export const POOL_SLOT_BYTES = 128;

/** One table's row program. */
export interface TableProgram {
  /** The compiled table, or undefined when the database fills every column (INSERT … DEFAULT VALUES). */
  compiled: CompiledTable | undefined;
  /** The row number of the first inserted row: a multiple of the batch. */
  insertBase: bigint;
  /** Output entries an UPDATE may assign (positions in the INSERT's column list), in groups assigned together. */
  settableEntries: number[][];
}

/** The compiled programs of every churned table, in one image. */
export interface EventPrograms {
  compiled: CompiledSpec;
  tables: Map<string, TableProgram>;
  /** Lines about constraints generated rows may not keep. */
  warnings: string[];
}

/** Whether an integer column's values are limited by nothing but its type: a key then continues past its largest value. */
function unbounded(spec: ColumnSpec, type: string): boolean {
  if (spec.method === "unique_ids") return spec.kind === "sequential" && !spec.prefix && !spec.width;
  if (spec.method !== "integers") return false;
  const t = type.toLowerCase();
  const top = /^(smallint|int2)$/.test(t)
    ? 32767
    : /^(integer|int|int4)$/.test(t)
    ? 2147483647
    : Number.MAX_SAFE_INTEGER;
  return spec.max >= top;
}

/**
 * Nullable columns of CHECKs the spec could not keep, which are written NULL
 * instead (and never assigned by an UPDATE): a NULL makes such a CHECK
 * unknown, which passes, as long as nothing in it treats NULL specially.
 */
function unkeptChecks(t: EventTable, warnings: readonly string[]): Set<string> {
  const out = new Set<string>();
  const keys = new Set([...(t.table.primaryKey ?? []), ...(t.table.unique ?? []).flat()]);
  for (const check of t.table.checks ?? []) {
    const origin = `check ${JSON.stringify(check.name ?? "(unnamed)")} (${check.expression}): not a form`;
    if (!warnings.some((w) => w.includes(origin) && w.includes(`.${t.name}`))) continue;
    // IS [NOT] NULL, OR, COALESCE, CASE, NULLIF and num_nulls can turn a NULL into false.
    if (/\b(is|or|coalesce|case|nullif|num_nulls|num_nonnulls)\b/i.test(check.expression)) continue;
    for (const name of columnsIn(check.expression)) {
      const c = t.table.columns.find((x) => x.name === name);
      if (
        c && c.nullable !== false && !keys.has(name) && !t.references.some((r) => r.fk.columns.includes(name))
      ) {
        out.add(name);
      }
    }
  }
  return out;
}

/** The pool columns of a foreign key drawing from pool `id`: member i takes the key's column i. */
export function poolColumns(id: string, columns: readonly string[]): [string, PoolColumn][] {
  return columns.map((c, member) => [c, {
    id,
    member,
    members: columns.length,
    first: columns[0]!,
    capacity: POOL_CAPACITY,
    slotBytes: POOL_SLOT_BYTES,
  }]);
}

/** Integer SQL types a sequence of keys can continue. */
const INTEGER = /^(smallint|integer|bigint|int[248]?|numeric\(\d+(,\s*0)?\))$/;

/**
 * Plans and compiles the row programs. Call `loadParser()` first.
 *
 * @param schema The live schema (`introspect`).
 * @param tables The churned tables (`eventTables`).
 * @param options The run's seed, rows per INSERT, and the largest value of an integer key column (text, or null for an empty table).
 */
export async function eventPrograms(
  schema: Schema,
  tables: readonly EventTable[],
  options: {
    seed: Seed;
    insertRows: number;
    schemaName: string;
    maxOf: (table: EventTable, column: string) => Promise<string | null>;
  },
): Promise<EventPrograms> {
  // The database's own columns are identity columns to the spec, which leaves those out. Foreign
  // keys are left out too: their columns draw from pools, and the spec then bounds them by their
  // own CHECKs and makes keys unique on other columns.
  const copy: Schema = structuredClone(schema);
  for (const t of copy.tables) {
    t.schema ??= options.schemaName;
    delete t.foreignKeys;
    for (const c of t.columns) if (filledByDatabase(c) && c.generated === undefined) c.identity = "always";
  }
  const derived = specFromSchema(copy, { rows: SPEC_ROWS });
  const byName = new Map(derived.planned.map((p) => [p.name, p]));
  const n = BigInt(Math.max(1, options.insertRows));
  // Each seed starts its rows at its own place in [1e9, 9e9): keys of earlier runs are not met again.
  const offset = (options.seed[0] ^ options.seed[3]) % (8n * INSERT_ROW_BASE);
  const insertBase = ((INSERT_ROW_BASE + offset + n - 1n) / n) * n;
  const planned: PlannedTable[] = [];
  const programs = new Map<string, TableProgram>();
  const nulled = new Map(tables.map((t) => [t.name, unkeptChecks(t, derived.warnings)]));
  for (const t of tables) {
    const p = byName.get(t.name);
    if (!p || p.columns.length === 0) {
      programs.set(t.name, { compiled: undefined, insertBase, settableEntries: [] });
      continue;
    }
    planned.push(await eventTable(t, p, insertBase, options.maxOf, nulled.get(t.name)!));
  }
  const compiled = compileTables(planned, { seed: options.seed, defaultRows: SPEC_ROWS });
  for (const c of compiled.tables) {
    const t = tables.find((x) => x.name === c.name)!;
    const entry = (name: string) => c.columns.findIndex((col) => col.name === name);
    // A group holding a column written NULL, or one with no value of ours (left to its default), is
    // not assigned.
    const none = nulled.get(t.name)!;
    const settableEntries = t.settable.filter((g) => !g.some((c) => none.has(c))).map((g) => g.map(entry))
      .filter((g) => g.every((i) => i >= 0));
    programs.set(c.name, { compiled: c, insertBase, settableEntries });
  }
  // The warning of a CHECK whose columns are written NULL says so.
  const nulledBy = new Map<string, string[]>();
  for (const t of tables) {
    for (const check of t.table.checks ?? []) {
      const cols = columnsIn(check.expression).filter((c) => nulled.get(t.name)!.has(c));
      if (cols.length > 0) {
        nulledBy.set(`check ${JSON.stringify(check.name ?? "(unnamed)")} (${check.expression})`, cols);
      }
    }
  }
  // Keys the spec could not make unique are the retries' to handle (and integer keys continue past
  // the largest value), so warnings about them say nothing here.
  const warnings = derived.warnings.filter((w) =>
    !/: key \(.*\) (cannot be made unique by construction|holds a column that is not generated)/.test(w)
  ).map((w) => {
    const hit = [...nulledBy].find(([origin]) => w.includes(origin));
    return hit
      ? w.replace(
        /generated rows may violate it$/,
        `${hit[1].map((c) => JSON.stringify(c)).join(", ")} written NULL instead`,
      )
      : w;
  });
  return { compiled, tables: programs, warnings };
}

/** One table's planned columns: foreign keys from pools, integer keys past the largest value. */
async function eventTable(
  t: EventTable,
  p: PlannedTable,
  insertBase: bigint,
  maxOf: (table: EventTable, column: string) => Promise<string | null>,
  nulled: ReadonlySet<string>,
): Promise<PlannedTable> {
  const pooled = new Map<string, PoolColumn & { nullFraction: number }>();
  for (const { fk, pool } of t.references) {
    if (fk.columns.some((c) => pooled.has(c) || !p.columns.some((x) => x.name === c))) continue;
    const nullable = fk.columns.length === 1 &&
      t.table.columns.find((c) => c.name === fk.columns[0])?.nullable !== false &&
      !(t.table.primaryKey ?? []).includes(fk.columns[0]!);
    for (const [c, column] of poolColumns(pool.id, fk.columns)) {
      pooled.set(c, { ...column, nullFraction: nullable ? 0.1 : 0 });
    }
  }
  const keys = new Set([...(t.table.primaryKey ?? []), ...(t.table.unique ?? []).flat()]);
  const columns: PlannedTable["columns"] = [];
  for (const c of p.columns) {
    const pool = pooled.get(c.name);
    if (pool) {
      const { nullFraction, ...ref } = pool;
      columns.push({ name: c.name, spec: { method: "reference", null_fraction: nullFraction }, pool: ref });
      continue;
    }
    if (nulled.has(c.name)) {
      columns.push({ name: c.name, spec: { method: "nulls" } });
      continue;
    }
    const spec = c.spec as ColumnSpec;
    const type = t.table.columns.find((x) => x.name === c.name)?.type ?? "";
    const counted = keys.has(c.name) && INTEGER.test(type.toLowerCase()) && unbounded(spec, type);
    if (counted) {
      // Continue the column's values: max + 1 at the first inserted row.
      const max = await maxOf(t, c.name);
      const next = max === null ? 1n : BigInt(max.split(".")[0]!) + 1n;
      const sequential: ColumnSpec = {
        method: "unique_ids",
        kind: "sequential",
        start: Number(next - insertBase),
      };
      sequential.type = type;
      columns.push({ name: c.name, spec: sequential });
      continue;
    }
    columns.push(c);
  }
  const out: PlannedTable = { ...p, columns, foreignKeys: [], rows: SPEC_ROWS };
  return out;
}
