/**
 * Quarry's schema model: what grammars aim at. It is plain JSON (see
 * `configs/schemas/default.json`), so `--schema FILE` works offline.
 *
 * @module
 */

/** A database schema: tables in any order (FK order is derived). */
export interface Schema {
  name: string;
  /** User-defined types the tables' columns may name. */
  types?: UserType[];
  tables: Table[];
}

/** A user-defined type; so far enums. */
export interface UserType {
  name: string;
  schema?: string;
  kind: "enum";
  /** Enum labels in sort order. */
  labels: string[];
}

/** A table and its constraints. */
export interface Table {
  name: string;
  /** SQL schema the table lives in; unqualified when absent. */
  schema?: string;
  columns: Column[];
  primaryKey?: string[];
  /** UNIQUE constraints, each a list of columns. */
  unique?: string[][];
  checks?: Check[];
  foreignKeys?: ForeignKey[];
  /** Rows `--emit-setup` inserts, ids 1..seedRows (default 100). */
  seedRows?: number;
}

/** A column. `range` and `vocabulary` steer generated values. */
export interface Column {
  name: string;
  /** SQL type, e.g. `numeric(10,2)`; see `SUPPORTED_TYPES`. */
  type: string;
  /** Default true. */
  nullable?: boolean;
  /** SQL default expression, emitted as written. */
  default?: string;
  /** Expression of a stored generated column; such a column is never assigned. */
  generated?: string;
  /** An identity column; `always` is never assigned, `by default` may be omitted. */
  identity?: "always" | "by default";
  /**
   * Inclusive bounds for generated values: numbers for numeric types, ISO
   * dates or timestamps for temporal ones, seconds for intervals. Keep CHECK
   * constraints true by stating them here.
   */
  range?: [number | string, number | string];
  /** A vocabulary from configs/vocabularies.json for text values and jsonb keys. */
  vocabulary?: string;
}

/** A CHECK constraint. */
export interface Check {
  name?: string;
  expression: string;
}

/** Referential actions. */
export type ReferentialAction = "cascade" | "restrict" | "set null" | "no action";

/** A foreign key. */
export interface ForeignKey {
  name?: string;
  columns: string[];
  references: { table: string; schema?: string; columns: string[] };
  onDelete?: ReferentialAction;
}

/** Default rows per table for `--emit-setup`. */
export const DEFAULT_SEED_ROWS = 100;

/** Tables ordered so that every referenced table comes before its referrers. */
export function tablesInDependencyOrder(schema: Schema): Table[] {
  const byName = new Map(schema.tables.map((t) => [t.name, t]));
  const done = new Set<string>();
  const visiting = new Set<string>();
  const order: Table[] = [];
  const visit = (t: Table) => {
    if (done.has(t.name) || visiting.has(t.name)) return;
    visiting.add(t.name);
    for (const fk of t.foreignKeys ?? []) {
      const parent = byName.get(fk.references.table);
      if (parent && parent !== t) visit(parent);
    }
    visiting.delete(t.name);
    done.add(t.name);
    order.push(t);
  };
  schema.tables.forEach(visit);
  return order;
}
