/**
 * A spec's tables, output columns and foreign keys gathered in one place, for
 * validation and normalisation. Built leniently: parts with the wrong shape
 * are skipped here (validation reports them), so this works on any input.
 *
 * @module
 */
import type { PathPart } from "./_spec_error.ts";

/** A plain object (not null, not an array). */
export type Obj = Record<string, unknown>;

/** Whether `v` is a plain object. */
export function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** One output column of a table. */
export interface ModelColumn {
  name: string;
  /** The spec of the column (for a tuple member: its tuples column's). */
  spec: Obj;
  /** `spec.method` when it is a string. */
  method: string | undefined;
  /** Declared in `columns`, a member of a tuples column, or a foreign key column not declared. */
  origin: "declared" | "tuple" | "foreign_key";
  /** Tuple members (and the tuples column itself, index 0). */
  tuple?: { column: string; index: number };
  /** Where to point at it. */
  path: PathPart[];
}

/** One foreign key, column-level or table-level. */
export interface ModelForeignKey {
  table: string;
  columns: string[];
  parent: string;
  parentColumns: string[];
  /** The object holding the options (`per_parent`, `distribution`, ...): the column spec or the FK entry. */
  options: Obj;
  /** A column-level `method: reference`, or an entry of `foreign_keys`. */
  columnLevel: boolean;
  path: PathPart[];
}

/** One table with its output columns in order. */
export interface ModelTable {
  name: string;
  spec: Obj;
  path: PathPart[];
  /** Output columns in order. */
  columns: ModelColumn[];
  byName: Map<string, ModelColumn>;
  foreignKeys: ModelForeignKey[];
}

/** All tables, in spec order. */
export interface SpecModel {
  tables: ModelTable[];
  byName: Map<string, ModelTable>;
}

function strings(v: unknown): string[] | undefined {
  return Array.isArray(v) && v.length > 0 && v.every((s) => typeof s === "string")
    ? v as string[]
    : undefined;
}

/** Gathers tables, output columns and foreign keys of a (possibly invalid) spec. */
export function buildModel(spec: unknown): SpecModel {
  const model: SpecModel = { tables: [], byName: new Map() };
  const tables = isObj(spec) && isObj(spec.tables) ? spec.tables : {};
  for (const [name, t] of Object.entries(tables)) {
    if (!isObj(t)) continue;
    const table: ModelTable = {
      name,
      spec: t,
      path: ["tables", name],
      columns: [],
      byName: new Map(),
      foreignKeys: [],
    };
    const add = (c: ModelColumn) => {
      if (table.byName.has(c.name)) return;
      table.byName.set(c.name, c);
      table.columns.push(c);
    };
    const columns = isObj(t.columns) ? t.columns : {};
    for (const [cname, c] of Object.entries(columns)) {
      const cspec = isObj(c) ? c : {};
      const method = typeof cspec.method === "string" ? cspec.method : undefined;
      const path = ["tables", name, "columns", cname];
      if (method === "tuples") {
        add({
          name: cname,
          spec: cspec,
          method,
          origin: "declared",
          tuple: { column: cname, index: 0 },
          path,
        });
        const members = strings(cspec.columns) ?? [];
        members.forEach((m, index) => {
          if (index === 0 || Object.hasOwn(columns, m)) return;
          add({ name: m, spec: cspec, method, origin: "tuple", tuple: { column: cname, index }, path });
        });
      } else {
        add({ name: cname, spec: cspec, method, origin: "declared", path });
      }
      if (method === "reference" && typeof cspec.table === "string" && typeof cspec.column === "string") {
        table.foreignKeys.push({
          table: name,
          columns: [cname],
          parent: cspec.table,
          parentColumns: [cspec.column],
          options: cspec,
          columnLevel: true,
          path,
        });
      }
    }
    const fks = Array.isArray(t.foreign_keys) ? t.foreign_keys : [];
    fks.forEach((fk, i) => {
      if (!isObj(fk)) return;
      const cols = strings(fk.columns);
      const refs = isObj(fk.references) ? fk.references : undefined;
      const parentCols = strings(refs?.columns);
      if (!cols || !refs || typeof refs.table !== "string" || !parentCols) return;
      const path = ["tables", name, "foreign_keys", i];
      // A declared column-level reference with the same mapping is this key, not a second one.
      table.foreignKeys = table.foreignKeys.filter((k) => !(k.columnLevel && cols.includes(k.columns[0]!)));
      table.foreignKeys.push({
        table: name,
        columns: cols,
        parent: refs.table,
        parentColumns: parentCols,
        options: fk,
        columnLevel: false,
        path,
      });
      for (const c of cols) {
        add({
          name: c,
          spec: { method: "reference", table: refs.table, column: parentCols[cols.indexOf(c)] ?? c },
          method: "reference",
          origin: "foreign_key",
          path,
        });
      }
    });
    model.tables.push(table);
    model.byName.set(name, table);
  }
  return model;
}

/** The fraction of rows whose key is NULL. */
export function foreignKeyNullFraction(table: ModelTable, fk: ModelForeignKey): number {
  let f = typeof fk.options.null_fraction === "number" ? fk.options.null_fraction : 0;
  for (const c of fk.columns) {
    const col = table.byName.get(c);
    if (col && col.origin === "declared" && typeof col.spec.null_fraction === "number") {
      f = Math.max(f, col.spec.null_fraction);
    }
  }
  return f;
}

/** Whether a foreign key may be NULL: a null fraction above 0 or `not_null: false` on one of its columns. */
export function foreignKeyNullable(table: ModelTable, fk: ModelForeignKey): boolean {
  if (foreignKeyNullFraction(table, fk) > 0) return true;
  return fk.columns.some((c) => {
    const col = table.byName.get(c);
    return col !== undefined && col.origin === "declared" && col.spec.not_null === false;
  });
}

/** The key's option `per_parent` / `one_to_one` that decides the child table's rows, if any. */
export function rowsFrom(fk: ModelForeignKey): "per_parent" | "one_to_one" | undefined {
  if (fk.options.per_parent !== undefined) return "per_parent";
  if (fk.options.one_to_one === true) return "one_to_one";
  return undefined;
}

/** Fewest and most rows a table can have. */
export interface RowBounds {
  min: number;
  max: number;
}

/**
 * Fewest and most rows of each table: `rows`, the default, or the parent's
 * bounds times `per_parent` (one_to_one: the parent's). A table in a loop of
 * such keys (invalid anyway) gets the default.
 */
export function rowBounds(model: SpecModel, defaultRows: number): Map<string, RowBounds> {
  const out = new Map<string, RowBounds>();
  const visiting = new Set<string>();
  const bounds = (table: ModelTable): RowBounds => {
    const known = out.get(table.name);
    if (known) return known;
    let b: RowBounds = { min: defaultRows, max: defaultRows };
    const rows = table.spec.rows;
    const from = table.foreignKeys.find((fk) => rowsFrom(fk) !== undefined);
    const parent = from ? model.byName.get(from.parent) : undefined;
    if (typeof rows === "number" && Number.isFinite(rows) && rows >= 0) {
      b = { min: rows, max: rows };
    } else if (from && parent && parent !== table && !visiting.has(parent.name)) {
      visiting.add(table.name);
      const p = bounds(parent);
      visiting.delete(table.name);
      const per = from.options.per_parent;
      if (rowsFrom(from) === "one_to_one") b = p;
      else if (isObj(per) && typeof per.exactly === "number") {
        b = { min: p.min * per.exactly, max: p.max * per.exactly };
      } else if (isObj(per) && typeof per.min === "number" && typeof per.max === "number") {
        b = { min: p.min * per.min, max: p.max * per.max };
      }
    }
    out.set(table.name, b);
    return b;
  };
  for (const t of model.tables) bounds(t);
  return out;
}
