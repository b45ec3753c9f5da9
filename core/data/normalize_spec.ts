/**
 * A valid spec in the form a compiler wants: tables in generation order,
 * each with its output columns in order (tuple members and foreign key
 * columns spelled out), every foreign key in one list, and where the table's
 * row count comes from.
 *
 * @module
 */
import { SpecError } from "./_spec_error.ts";
import {
  buildModel,
  foreignKeyNullable,
  foreignKeyNullFraction,
  isObj,
  type ModelColumn,
  type ModelForeignKey,
  type ModelTable,
  rowsFrom,
} from "./_spec_model.ts";
import { DEFAULT_ROWS, validateSpec } from "./_validate.ts";
import { columnsOf, parseExpression } from "./expression.ts";
import type { ColumnSpec, DataSpec, Distribution, ForeignKeyOptions } from "./spec.ts";

/** A spec ready to compile. */
export interface NormalizedSpec {
  name?: string;
  description?: string;
  /** The spec's locale (`en` when absent). */
  locale: string;
  /** Every table, parents before children (a loop of keys is broken at a `secondPass` key). */
  tables: NormalizedTable[];
}

/** Where a table's row count comes from. */
export type TableRows =
  /** `rows` of the table. */
  | { kind: "fixed"; rows: number }
  /** Neither `rows` nor a deriving key: `--rows` (1000 by default). */
  | { kind: "default" }
  /** Children per parent row, from `foreignKeys[foreignKey]`. */
  | {
    kind: "per_parent";
    foreignKey: number;
    parent: string;
    perParent: { exactly: number } | { min: number; max: number; distribution?: Distribution };
  }
  /** One child per parent row (child row i → parent row i), from `foreignKeys[foreignKey]`. */
  | { kind: "one_to_one"; foreignKey: number; parent: string };

/** One table. */
export interface NormalizedTable {
  name: string;
  schema?: string;
  rows: TableRows;
  /** Output columns, in output order. */
  columns: NormalizedColumn[];
  /** Column names in an order where each comes after the columns it is computed from. */
  generationOrder: string[];
  /** Empty when the table has none. */
  primaryKey: string[];
  unique: string[][];
  foreignKeys: NormalizedForeignKey[];
  checks: string[];
}

/** One output column. */
export interface NormalizedColumn {
  name: string;
  /**
   * Its generator. A tuple member carries its tuples column's spec (see
   * `tuple`); a foreign key column not declared in `columns` gets
   * `{ method: "reference", table, column }` with the parent column it maps to.
   */
  spec: ColumnSpec;
  /** For a tuples column (index 0) and its members: the tuples column and the position in each tuple. */
  tuple?: { column: string; index: number };
  /** For a foreign key column: which key (`foreignKeys[index]`) and which of its columns. */
  foreignKey?: { index: number; position: number };
  /** Fraction of NULL rows (a foreign key column: its key's; a tuple member: its tuple's; `nulls`: 1). */
  nullFraction: number;
  /** NOT NULL in DDL. */
  notNull: boolean;
  /** The faker locale in effect (column, then spec, then `en`). */
  locale: string;
  /** Columns of the row this one is computed from: derived expressions, correlated `on`, `after.column`, email `from`. */
  dependsOn: string[];
}

/** One foreign key, column-level keys included. */
export interface NormalizedForeignKey extends ForeignKeyOptions {
  columns: string[];
  references: { table: string; columns: string[] };
  /** Fraction of rows whose key is NULL (all its columns at once). */
  nullFraction: number;
  /** May be NULL (`nullFraction > 0` or `not_null: false` on a column). */
  nullable: boolean;
  /** References its own table: row i picks among rows before it, and row 0 is NULL. */
  self: boolean;
  /**
   * Breaks a loop of keys between tables: the child is written with this key
   * NULL, and the key is filled in once the parent table is loaded.
   */
  secondPass: boolean;
  /** Declared on a column (`method: reference`) or at `foreign_keys[index]`. */
  declared: { column: string } | { index: number };
}

/**
 * Validates a spec and spells it out for compilation.
 *
 * @param spec A spec (from {@link parseSpec} or a TypeScript object).
 * @returns The normalized spec.
 * @throws {SpecError} When the spec is not valid.
 *
 * @example Generation order and derived rows
 * ```ts
 * import { normalizeSpec } from "./normalize_spec.ts";
 * const n = normalizeSpec({
 *   tables: {
 *     items: {
 *       columns: {
 *         order_id: { method: "reference", table: "orders", column: "id", per_parent: { min: 1, max: 3 } },
 *         line_no: { method: "ordinal" },
 *       },
 *       primary_key: ["order_id", "line_no"],
 *     },
 *     orders: { rows: 10, primary_key: ["id"], columns: { id: { method: "unique_ids", kind: "sequential" } } },
 *   },
 * });
 * if (n.tables.map((t) => t.name).join() !== "orders,items") throw new Error();
 * if (n.tables[1]!.rows.kind !== "per_parent") throw new Error();
 * ```
 */
export function normalizeSpec(spec: DataSpec): NormalizedSpec {
  const issues = validateSpec(spec);
  if (issues.length > 0) throw SpecError.of(issues);
  const model = buildModel(spec);
  const locale = spec.locale ?? "en";
  const secondPass = new Set<ModelForeignKey>();
  const order = generationOrder(model.tables, model.byName, secondPass);
  const out: NormalizedSpec = { locale, tables: order.map((t) => normalizeTable(t, locale, secondPass)) };
  if (spec.name !== undefined) out.name = spec.name;
  if (spec.description !== undefined) out.description = spec.description;
  return out;
}

/** Tables parents first, in spec order where free; a loop is broken at nullable keys (added to `secondPass`). */
function generationOrder(
  tables: ModelTable[],
  byName: Map<string, ModelTable>,
  secondPass: Set<ModelForeignKey>,
): ModelTable[] {
  const done = new Set<string>();
  const out: ModelTable[] = [];
  const pending = (t: ModelTable) =>
    t.foreignKeys.filter((fk) =>
      fk.parent !== t.name && byName.has(fk.parent) && !done.has(fk.parent) && !secondPass.has(fk)
    );
  const remaining = [...tables];
  while (remaining.length > 0) {
    let i = remaining.findIndex((t) => pending(t).length === 0);
    if (i < 0) {
      // Every remaining table waits for another: break the loop at the first
      // table whose waits are all on nullable keys (validation guarantees one).
      i = remaining.findIndex((t) =>
        pending(t).every((fk) => foreignKeyNullable(t, fk) && rowsFrom(fk) === undefined)
      );
      if (i < 0) i = 0;
      for (const fk of pending(remaining[i]!)) secondPass.add(fk);
    }
    const [t] = remaining.splice(i, 1);
    done.add(t!.name);
    out.push(t!);
  }
  return out;
}

function dependsOn(col: ModelColumn, table: ModelTable): string[] {
  if (col.origin !== "declared") return [];
  const s = col.spec;
  let deps: string[] = [];
  if (col.method === "derived" && typeof s.expression === "string") {
    deps = columnsOf(parseExpression(s.expression));
  } else if (col.method === "correlated" && typeof s.on === "string") deps = [s.on];
  else if ((col.method === "dates" || col.method === "timestamps") && isObj(s.after)) {
    deps = [String(s.after.column)];
  } else if (col.method === "email" && typeof s.from === "string") deps = [s.from];
  // A dependency on a tuple member is a dependency on its tuples column.
  return [...new Set(deps.map((d) => table.byName.get(d)?.tuple?.column ?? d))];
}

function normalizeTable(
  t: ModelTable,
  specLocale: string,
  secondPass: Set<ModelForeignKey>,
): NormalizedTable {
  const raw = t.spec as unknown as DataSpec["tables"][string];
  const foreignKeys = t.foreignKeys.map((fk): NormalizedForeignKey => {
    const nullFraction = foreignKeyNullFraction(t, fk);
    const o = fk.options as ForeignKeyOptions;
    const out: NormalizedForeignKey = {
      columns: fk.columns,
      references: { table: fk.parent, columns: fk.parentColumns },
      nullFraction,
      nullable: foreignKeyNullable(t, fk),
      self: fk.parent === t.name,
      secondPass: secondPass.has(fk),
      declared: fk.columnLevel ? { column: fk.columns[0]! } : { index: Number(fk.path[3]) },
    };
    if (o.distribution !== undefined) out.distribution = o.distribution;
    if (o.per_parent !== undefined) out.per_parent = o.per_parent;
    if (o.one_to_one !== undefined) out.one_to_one = o.one_to_one;
    if (o.distinct !== undefined) out.distinct = o.distinct;
    if (o.window !== undefined) out.window = o.window;
    return out;
  });
  const columns = t.columns.map((col): NormalizedColumn => {
    const spec = col.spec as unknown as ColumnSpec;
    const fkIndex = t.foreignKeys.findIndex((fk) => fk.columns.includes(col.name));
    const fk = t.foreignKeys[fkIndex];
    let nullFraction = typeof col.spec.null_fraction === "number" ? col.spec.null_fraction : 0;
    if (fk) nullFraction = foreignKeyNullFraction(t, fk);
    if (col.method === "nulls") nullFraction = 1;
    const declaredNotNull = col.origin === "declared" && typeof col.spec.not_null === "boolean"
      ? col.spec.not_null
      : undefined;
    const out: NormalizedColumn = {
      name: col.name,
      spec,
      nullFraction,
      notNull: declaredNotNull ?? nullFraction === 0,
      locale: typeof col.spec.locale === "string" ? col.spec.locale : specLocale,
      dependsOn: dependsOn(col, t),
    };
    if (col.tuple) out.tuple = col.tuple;
    if (fk) out.foreignKey = { index: fkIndex, position: fk.columns.indexOf(col.name) };
    return out;
  });
  const from = t.foreignKeys.findIndex((fk) => rowsFrom(fk) !== undefined);
  let rows: TableRows;
  if (from >= 0) {
    const fk = t.foreignKeys[from]!;
    rows = rowsFrom(fk) === "one_to_one" ? { kind: "one_to_one", foreignKey: from, parent: fk.parent } : {
      kind: "per_parent",
      foreignKey: from,
      parent: fk.parent,
      perParent: fk.options.per_parent as NormalizedForeignKey["per_parent"] & object,
    };
  } else {
    rows = raw.rows !== undefined ? { kind: "fixed", rows: raw.rows } : { kind: "default" };
  }
  const out: NormalizedTable = {
    name: t.name,
    rows,
    columns,
    generationOrder: rowOrder(columns),
    primaryKey: raw.primary_key ?? [],
    unique: raw.unique ?? [],
    foreignKeys,
    checks: raw.checks ?? [],
  };
  if (raw.schema !== undefined) out.schema = raw.schema;
  return out;
}

/** Column names with every column after those it depends on, otherwise in output order. */
function rowOrder(columns: NormalizedColumn[]): string[] {
  const done = new Set<string>();
  const out: string[] = [];
  const byName = new Map(columns.map((c) => [c.name, c]));
  const visit = (c: NormalizedColumn) => {
    if (done.has(c.name)) return;
    done.add(c.name);
    for (const d of c.dependsOn) {
      const dep = byName.get(d);
      if (dep) visit(dep);
    }
    out.push(c.name);
  };
  for (const c of columns) visit(c);
  return out;
}

/**
 * Fewest and most rows of each table of a normalized spec.
 *
 * @param spec A normalized spec.
 * @param defaultRows Rows of a table with `rows: { kind: "default" }` (`--rows`).
 * @returns Bounds by table name; `min === max` unless a `per_parent` range is involved.
 *
 * @example Row ranges
 * ```ts
 * import { normalizeSpec, rowRanges } from "./normalize_spec.ts";
 * const n = normalizeSpec({ tables: { t: { columns: { w: { method: "word" } } } } });
 * if (rowRanges(n, 50).get("t")?.max !== 50) throw new Error();
 * ```
 */
export function rowRanges(
  spec: NormalizedSpec,
  defaultRows = DEFAULT_ROWS,
): Map<string, { min: number; max: number }> {
  const out = new Map<string, { min: number; max: number }>();
  for (const t of spec.tables) {
    const r = t.rows;
    if (r.kind === "fixed") out.set(t.name, { min: r.rows, max: r.rows });
    else if (r.kind === "default") out.set(t.name, { min: defaultRows, max: defaultRows });
    else {
      const p = out.get(r.parent)!;
      if (r.kind === "one_to_one") out.set(t.name, { ...p });
      else if ("exactly" in r.perParent) {
        out.set(t.name, { min: p.min * r.perParent.exactly, max: p.max * r.perParent.exactly });
      } else out.set(t.name, { min: p.min * r.perParent.min, max: p.max * r.perParent.max });
    }
  }
  return out;
}
