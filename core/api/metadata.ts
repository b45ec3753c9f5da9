/**
 * What a generated statement is, read from PostgreSQL's own parse tree
 * (libpg-query, `core/exec/parser.ts`): its kind, the tables it names and the
 * SQL features it uses. The library API (`core/api/generator.ts`) returns it
 * with every statement, and `quarry generate --format jsonl` writes it per
 * line.
 *
 * Kinds are the statement node without `Stmt`, in snake case (`select`,
 * `insert`, `update`, `delete`, `merge`, `create`, `create_index`, …); a line
 * of several statements is `transaction` when one of them is BEGIN, COMMIT or
 * ROLLBACK, else `batch`; one the parser refuses is `invalid`.
 *
 * Features, in the order of {@link FEATURES}: `on_conflict`,
 * `on_conflict_update`, `on_conflict_nothing`, `returning`, `cte`,
 * `recursive_cte`, `window`, `subquery` (a subquery in an expression),
 * `derived_table` (a subquery in FROM), `lateral`, `inner_join`, `left_join`,
 * `right_join`, `full_join`, `cross_join`, `union`, `intersect`, `except`,
 * `where`, `group_by`, `having`, `order_by`, `limit`, `offset`, `distinct`,
 * `row_lock`, `tablesample`, `case`, `default`, `multi_row_values`.
 *
 * @module
 */
import { parseStatement } from "../exec/parser.ts";

/** A generated statement and what it is. */
export interface Statement {
  /** The SQL, without the trailing `;`. */
  sql: string;
  /** The statement kind (see the module documentation). */
  kind: string;
  /** Tables the statement names, schema-qualified where it qualifies them, first mention first; CTE names left out. */
  tables: string[];
  /** SQL features it uses, in the order of {@link FEATURES}. */
  features: string[];
  /** Its index in the run (statement `index` of the seed). */
  index: number;
}

/** Every feature {@link statementMetadata} reports, in the order it lists them. */
export const FEATURES = [
  "on_conflict",
  "on_conflict_update",
  "on_conflict_nothing",
  "returning",
  "cte",
  "recursive_cte",
  "window",
  "subquery",
  "derived_table",
  "lateral",
  "inner_join",
  "left_join",
  "right_join",
  "full_join",
  "cross_join",
  "union",
  "intersect",
  "except",
  "where",
  "group_by",
  "having",
  "order_by",
  "limit",
  "offset",
  "distinct",
  "row_lock",
  "tablesample",
  "case",
  "default",
  "multi_row_values",
] as const;

type Node = Record<string, unknown>;

const isNode = (v: unknown): v is Node => typeof v === "object" && v !== null && !Array.isArray(v);
const nonEmpty = (v: unknown) => Array.isArray(v) ? v.length > 0 : v !== undefined && v !== null;

const JOINS: Record<string, string> = {
  JOIN_LEFT: "left_join",
  JOIN_RIGHT: "right_join",
  JOIN_FULL: "full_join",
};

const SETOPS: Record<string, string> = {
  SETOP_UNION: "union",
  SETOP_INTERSECT: "intersect",
  SETOP_EXCEPT: "except",
};

/** `SelectStmt` → `select`, `CreateTableAsStmt` → `create_table_as`. */
const kindOf = (node: string) =>
  node.replace(/Stmt$/, "").replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();

/** Fields whose value is a node of this type without the type's wrapper. */
const BARE: Record<string, string> = { onConflictClause: "OnConflictClause", withClause: "WithClause" };

/** Walks a parse tree, calling `visit` with each node's type name and fields. */
function walk(v: unknown, visit: (type: string, fields: Node) => void): void {
  if (Array.isArray(v)) {
    for (const x of v) walk(x, visit);
    return;
  }
  if (!isNode(v)) return;
  for (const [key, value] of Object.entries(v)) {
    // A node is `{ TypeName: { fields } }`; SelectStmt's set-operation arms are bare field objects.
    if (/^[A-Z]/.test(key) && isNode(value)) visit(key, value);
    else if ((key === "larg" || key === "rarg") && isNode(value) && "op" in value) visit("SelectStmt", value);
    else if (key in BARE && isNode(value)) visit(BARE[key]!, value);
    // The target of INSERT, UPDATE, DELETE, MERGE and DDL is a bare RangeVar.
    else if (isNode(value) && typeof value.relname === "string") visit("RangeVar", value);
    walk(value, visit);
  }
}

/**
 * The kind, tables and features of one line of generated SQL.
 *
 * @param sql One statement, or several separated by `;` (a transaction), with or without the last `;`.
 * @param index Its index in the run.
 * @returns The statement with its metadata; kind `invalid` and no tables or features when it does not parse.
 *
 * @example
 * ```ts
 * import { loadParser } from "../exec/parser.ts";
 * import { statementMetadata } from "./metadata.ts";
 * await loadParser();
 * const s = statementMetadata("INSERT INTO t (a) VALUES (1) ON CONFLICT DO NOTHING RETURNING a", 7);
 * if (s.kind !== "insert" || s.tables.join() !== "t" || s.index !== 7) throw new Error();
 * if (s.features.join() !== "on_conflict,on_conflict_nothing,returning") throw new Error();
 * ```
 */
export function statementMetadata(sql: string, index: number): Statement {
  const text = sql.replace(/;\s*$/, "");
  const parsed = parseStatement(text);
  if ("error" in parsed) return { sql: text, kind: "invalid", tables: [], features: [], index };
  const stmts = ((parsed.tree as Node).stmts ?? []) as { stmt: Node }[];
  const types = stmts.map((s) => Object.keys(s.stmt)[0] ?? "");
  const kind = stmts.length === 1
    ? kindOf(types[0]!)
    : types.includes("TransactionStmt")
    ? "transaction"
    : "batch";
  const ctes = new Set<string>();
  const tables: string[] = [];
  const found = new Set<string>();
  walk(parsed.tree, (type, f) => {
    switch (type) {
      case "CommonTableExpr":
        ctes.add(String(f.ctename));
        found.add("cte");
        break;
      case "WithClause":
        found.add("cte");
        if (f.recursive === true) found.add("recursive_cte");
        break;
      case "RangeVar": {
        const name = f.schemaname ? `${f.schemaname}.${f.relname}` : String(f.relname);
        if (!tables.includes(name)) tables.push(name);
        break;
      }
      case "OnConflictClause":
        found.add("on_conflict");
        found.add(f.action === "ONCONFLICT_UPDATE" ? "on_conflict_update" : "on_conflict_nothing");
        break;
      case "InsertStmt":
      case "UpdateStmt":
      case "DeleteStmt":
      case "MergeStmt":
        if (nonEmpty(f.returningList) || nonEmpty((f.returningClause as Node | undefined)?.exprs)) {
          found.add("returning");
        }
        if (nonEmpty(f.whereClause)) found.add("where");
        break;
      case "FuncCall":
        if (f.over !== undefined) found.add("window");
        break;
      case "SubLink":
        found.add("subquery");
        break;
      case "RangeSubselect":
        found.add("derived_table");
        if (f.lateral === true) found.add("lateral");
        break;
      case "RangeFunction":
        if (f.lateral === true) found.add("lateral");
        break;
      case "JoinExpr": {
        const join = JOINS[String(f.jointype)];
        if (join) found.add(join);
        else if (f.quals === undefined && f.usingClause === undefined && f.isNatural !== true) {
          found.add("cross_join");
        } else found.add("inner_join");
        break;
      }
      case "SelectStmt": {
        const setop = SETOPS[String(f.op)];
        if (setop) found.add(setop);
        if (nonEmpty(f.whereClause)) found.add("where");
        if (nonEmpty(f.groupClause)) found.add("group_by");
        if (nonEmpty(f.havingClause)) found.add("having");
        if (nonEmpty(f.sortClause)) found.add("order_by");
        if (nonEmpty(f.limitCount)) found.add("limit");
        if (nonEmpty(f.limitOffset)) found.add("offset");
        if (nonEmpty(f.distinctClause)) found.add("distinct");
        if (nonEmpty(f.lockingClause)) found.add("row_lock");
        if (Array.isArray(f.valuesLists) && f.valuesLists.length > 1) found.add("multi_row_values");
        break;
      }
      case "RangeTableSample":
        found.add("tablesample");
        break;
      case "CaseExpr":
        found.add("case");
        break;
      case "SetToDefault":
        found.add("default");
        break;
    }
  });
  // A CTE's name is no table, unless the statement also names a real table of that name qualified.
  const real = tables.filter((t) => !ctes.has(t));
  return { sql: text, kind, tables: real, features: FEATURES.filter((f) => found.has(f)), index };
}
