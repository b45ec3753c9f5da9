/**
 * Quarry's schema model: what grammars aim at. It is plain JSON (see
 * `configs/schemas/default.json`), so `--schema FILE` works offline.
 *
 * @module
 */

import type { LiveFacts } from "../live/facts.ts";

/** A database schema: tables in any order (FK order is derived). */
export interface Schema {
  name: string;
  /** User-defined types the tables' columns may name, each before its users. */
  types?: UserType[];
  tables: Table[];
  /** Views and materialized views, created after the tables in this order. */
  views?: View[];
  /** Functions and procedures, created last. */
  routines?: Routine[];
  /**
   * YugabyteDB: the tables are meant for a colocated database (`CREATE
   * DATABASE … WITH COLOCATION = true`); tables may opt out.
   */
  colocated?: boolean;
}

/** A user-defined type. */
export type UserType = EnumType | DomainType | CompositeType;

/** `CREATE TYPE … AS ENUM`. */
export interface EnumType {
  name: string;
  schema?: string;
  kind: "enum";
  /** Enum labels in sort order. */
  labels: string[];
}

/**
 * `CREATE DOMAIN`: a base type (built-in, or a type listed before it: enum,
 * composite, domain, or an array of one) with optional NOT NULL and CHECK.
 * A CHECK `VALUE ~ 'regex'` makes generated values strings matching the
 * expression (the subset of `core/data/pattern.ts`).
 */
export interface DomainType {
  name: string;
  schema?: string;
  kind: "domain";
  /** A built-in type, e.g. `integer` or `varchar(40)`, or an earlier user type (`mood`, `pair[]`). */
  base: string;
  notNull?: boolean;
  /** CHECK expressions over `VALUE`. */
  checks?: string[];
  /** Bounds generated values keep, as for a column; keep the CHECKs true by stating them here. */
  range?: [number | string, number | string];
}

/** `CREATE TYPE … AS (…)`: a row of named attributes of built-in types or earlier user types (arrays too). */
export interface CompositeType {
  name: string;
  schema?: string;
  kind: "composite";
  attributes: { name: string; type: string }[];
}

/** An index that is not a constraint's. */
export interface Index {
  name: string;
  /** Access method; btree when absent. YugabyteDB maps btree to lsm. */
  method?: "btree" | "hash" | "gin" | "gist" | "brin" | "spgist" | "lsm" | "ybgin";
  /** Key parts: a column name, or an expression as PostgreSQL prints it. */
  keys: (string | { expression: string })[];
  unique?: boolean;
  /** Predicate of a partial index, as PostgreSQL prints it. */
  where?: string;
  /** YugabyteDB: how many leading keys are HASH-sharded. */
  hashKeys?: number;
}

/** How a table is partitioned, and its partitions (each a table of the same columns). */
export interface Partitioning {
  by: "range" | "list" | "hash";
  /** Partition key columns. */
  columns: string[];
  /** Partitions with their bounds as PostgreSQL prints them, e.g. `FOR VALUES FROM (1) TO (100)` or `DEFAULT`. */
  partitions: { name: string; bound: string }[];
}

/** A view or materialized view. */
export interface View {
  name: string;
  schema?: string;
  /** The SELECT, as written. */
  query: string;
  materialized?: boolean;
}

/** A function or procedure. */
export interface Routine {
  name: string;
  schema?: string;
  kind: "function" | "procedure";
  language: "sql" | "plpgsql";
  /** Argument list as PostgreSQL prints it, e.g. `a integer, b text`. */
  arguments: string;
  /** Result type of a function, e.g. `bigint` or `SETOF integer`. */
  returns?: string;
  /** The body between the dollar quotes; or, when `atomic`, the SQL-standard `BEGIN ATOMIC … END` body. */
  body: string;
  /** A SQL-standard body (PostgreSQL 14+), written without dollar quotes. */
  atomic?: boolean;
  volatility?: "immutable" | "stable" | "volatile";
}

/** YugabyteDB's distribution of a table: hash or range sharding and presplitting. */
export interface Sharding {
  /** How many leading primary-key columns are HASH; 0 means all ASC (range sharding). */
  hashColumns: number;
  /** `SPLIT INTO n TABLETS` (hash sharding only). */
  splitInto?: number;
  /** `WITH (COLOCATION = false)` in a colocated database. */
  colocation?: boolean;
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
  /** UNIQUE NULLS NOT DISTINCT constraints (PostgreSQL 15+), each a list of columns. */
  uniqueNullsNotDistinct?: string[][];
  checks?: Check[];
  foreignKeys?: ForeignKey[];
  /** Rows `--emit-setup` inserts, ids 1..seedRows (default 100). */
  seedRows?: number;
  indexes?: Index[];
  partitioning?: Partitioning;
  /** YugabyteDB only. */
  sharding?: Sharding;
  /** What the live database held when the schema was read (`core/live/facts.ts`). */
  live?: LiveFacts;
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
  /** `DEFERRABLE INITIALLY DEFERRED`: checked at commit, so a loop of keys can be loaded in one transaction. */
  deferrable?: boolean;
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
