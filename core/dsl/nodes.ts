/**
 * The grammar element tree that the DSL builds and the compiler consumes.
 * A plain string is a literal.
 *
 * @module
 */

/** Column type classes a filter can name. */
export type TypeClass =
  | "integer"
  | "numeric"
  | "float"
  | "text"
  | "bool"
  | "date"
  | "timestamp"
  | "time"
  | "interval"
  | "uuid"
  | "json"
  | "bytea"
  | "inet"
  | "enum"
  /** Arrays, ranges, bit strings, tsvector, money, point, json, cidr, macaddr, composite types. */
  | "other";

/** Named groups of type classes. */
export type TypeGroup = "number" | "temporal" | "any";

/** Which columns a pick may choose; every stated condition must hold. */
export interface ColumnFilter {
  /** One class or group, or a list of them (any of). */
  type?: TypeClass | TypeGroup | readonly (TypeClass | TypeGroup)[];
  primaryKey?: boolean;
  foreignKey?: boolean;
  nullable?: boolean;
  /** NOT NULL without a default: an INSERT must name it. */
  required?: boolean;
  unique?: boolean;
  /** Has a total order usable by min/max, <, BETWEEN and ORDER BY. */
  orderable?: boolean;
  /** Has equality and a sort order: DISTINCT, GROUP BY, ORDER BY and `=` work (not json or point). */
  comparable?: boolean;
  /** Generated or identity ALWAYS: never assign it. */
  generated?: boolean;
  /** Can hold every value `uniqueLiteral` makes (bigint, wide numeric, text, uuid). */
  uniqueCapable?: boolean;
  /**
   * A key of a table read from a live database whose literals are drawn above
   * the rows it held (`core/live/columns.ts`): `key >= literal` matches only
   * rows the traffic itself inserted. No column has it without live facts.
   */
  liveKey?: boolean;
  /** Of a table read from a live database with its facts (`live` in the schema JSON). */
  live?: boolean;
  /** Part of the primary key or of any UNIQUE constraint (`unique` is a key of this column alone). */
  inKey?: boolean;
  /**
   * In a key of a live table that new rows may repeat (no column of it is
   * above the maximum, sequenced or given unique values): an INSERT may
   * conflict with the rows already there.
   */
  liveRepeats?: boolean;
}

/** Which tables `withTable` may choose. */
export interface TableFilter {
  hasForeignKey?: boolean;
  hasPrimaryKey?: boolean;
  /** Only these tables (unquoted names). */
  names?: readonly string[];
}

/** A grammar element. */
export type Element = string | Node;

/** Every node kind, discriminated by `kind`. */
export type Node =
  | { kind: "ref"; rule: string }
  | { kind: "choice"; alternatives: { weight: number; element: Element }[] }
  | { kind: "seq"; parts: Element[] }
  | { kind: "template"; text: string; parts: Record<string, Element> }
  | { kind: "number"; lo: bigint; hi: bigint }
  | { kind: "maybe"; element: Element; probability: number }
  | { kind: "repeat"; element: Element; min: number; max: number; sep: string }
  | { kind: "pool"; values: string[] }
  | { kind: "unique" }
  | { kind: "withTable"; slot: string; where: TableFilter; body: Element; orElse?: Element }
  | { kind: "tableName"; slot: string }
  | {
    kind: "withColumns";
    list: string;
    table: string;
    min: number;
    max: number;
    required: boolean;
    all: boolean;
    where: ColumnFilter;
    body: Element;
    orElse?: Element;
  }
  | {
    kind: "withColumn";
    column: string;
    table: string;
    where: ColumnFilter;
    body: Element;
    orElse?: Element;
  }
  | { kind: "eachColumn"; list: string; column: string; body: Element; sep: string }
  | { kind: "columnName"; column: string }
  | { kind: "columnType"; column: string }
  | { kind: "literal"; column: string; nulls: number }
  | { kind: "uniqueLiteral"; column: string }
  | { kind: "byColumn"; column: string; cases: { when: ColumnFilter; then: Element }[]; otherwise: Element }
  | { kind: "withForeignKey"; fk: string; from: string; to: string; body: Element; orElse?: Element }
  | { kind: "eachForeignKeyPair"; fk: string; child: string; parent: string; body: Element; sep: string };

/** The node kind names. */
export type NodeKind = Node["kind"];
