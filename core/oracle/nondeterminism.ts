/**
 * Statements whose result may differ between two correct databases, or
 * between two runs on one: a volatile function (random(), clock_timestamp(),
 * nextval(); the catalog's own volatility where a snapshot is given), the
 * time and session of the server (now(), CURRENT_TIMESTAMP, current_user,
 * pg_* functions), a LIMIT, OFFSET or DISTINCT ON without an ORDER BY that
 * fixes the order, aggregates whose result depends on input order
 * (string_agg without ORDER BY), window functions, TABLESAMPLE and system
 * columns. Decided on the parse tree; such a statement is run but its result
 * is not counted as a mismatch. Pure; no host calls.
 *
 * @module
 */
import type { CatalogSnapshot } from "../catalog/snapshot.ts";
import { orderIsTotal, type UniqueKeys } from "./ordering.ts";
import { columnRefNames, functionName, type Tree, walk } from "./tree.ts";

/** Functions whose result depends on the clock, the session or the server, whatever the catalog says. */
const SESSION_FUNCTIONS = new Set([
  "now",
  "transaction_timestamp",
  "statement_timestamp",
  "clock_timestamp",
  "timeofday",
  "random",
  "random_normal",
  "setseed",
  "gen_random_uuid",
  "uuidv4",
  "uuidv7",
  "uuid_generate_v1",
  "uuid_generate_v4",
  "nextval",
  "currval",
  "lastval",
  "setval",
  "current_setting",
  "set_config",
  "current_database",
  "current_schema",
  "current_schemas",
  "current_query",
  "version",
  "inet_client_addr",
  "inet_client_port",
  "inet_server_addr",
  "inet_server_port",
  "txid_current",
  "txid_current_snapshot",
  "txid_current_if_assigned",
  "age", // age(x) alone measures from the current date
  "to_regclass",
  "to_regproc",
  "to_regtype",
  "has_table_privilege",
]);

/** Aggregates whose result depends on the order of their input unless they have an ORDER BY. */
const ORDER_SENSITIVE_AGGREGATES = new Set([
  "string_agg",
  "array_agg",
  "json_agg",
  "jsonb_agg",
  "json_object_agg",
  "jsonb_object_agg",
  "json_agg_strict",
  "jsonb_agg_strict",
  "json_object_agg_strict",
  "jsonb_object_agg_strict",
  "json_object_agg_unique",
  "jsonb_object_agg_unique",
  "xmlagg",
  "json_arrayagg",
  "json_objectagg",
  "any_value",
]);

/** System columns: their values are physical (ctid) or differ between databases (tableoid, xmin). */
const SYSTEM_COLUMNS = new Set(["ctid", "xmin", "xmax", "cmin", "cmax", "tableoid"]);

/** SQLValueFunction ops that read the clock or the session. */
const SESSION_VALUES = /^SVFOP_(CURRENT_|LOCALTIME|USER|SESSION_USER)/;

/** Function names with a volatile or time-dependent overload in any of the catalog snapshots. */
export function volatileNames(...snapshots: CatalogSnapshot[]): Set<string> {
  const names = new Set<string>();
  for (const snapshot of snapshots) {
    for (const f of snapshot.functions) if (f.volatility === "v") names.add(f.name.toLowerCase());
  }
  return names;
}

/** Options for {@link nondeterminism}. */
export interface NondeterminismOptions {
  /** Function names to treat as volatile besides the built-in list (see {@link volatileNames}). */
  volatile?: ReadonlySet<string>;
  /** Unique keys of the tables, so ORDER BY a primary key counts as a total order. */
  uniqueKeys?: UniqueKeys;
}

/**
 * Why the statement's result is not determined by the data, or undefined
 * when it is.
 */
export function nondeterminism(stmt: Tree, options: NondeterminismOptions = {}): string | undefined {
  let why: string | undefined;
  const say = (reason: string) => {
    why ??= reason;
  };
  walk(stmt, (kind, f) => {
    if (why) return;
    switch (kind) {
      case "FuncCall": {
        const name = functionName(f);
        if (f.over) say(`window function ${name}()`);
        else if (SESSION_FUNCTIONS.has(name) || options.volatile?.has(name)) say(`${name}() is volatile`);
        else if (name.startsWith("pg_")) say(`${name}() reads the server`);
        else if (ORDER_SENSITIVE_AGGREGATES.has(name) && !f.agg_order) say(`${name}() without ORDER BY`);
        break;
      }
      case "SQLValueFunction":
        if (SESSION_VALUES.test(String(f.op))) say(`${String(f.op).replace("SVFOP_", "")} reads the session`);
        break;
      case "RangeTableSample":
        say("TABLESAMPLE");
        break;
      case "ColumnRef": {
        const names = columnRefNames(f);
        if (SYSTEM_COLUMNS.has(names[names.length - 1]!)) say(`system column ${names[names.length - 1]}`);
        break;
      }
      case "SelectStmt": {
        const limited = f.limitCount !== undefined || f.limitOffset !== undefined;
        const distinctOn = Array.isArray(f.distinctClause) &&
          (f.distinctClause as unknown[]).some((d) =>
            d !== null && typeof d === "object" && Object.keys(d as object).length > 0
          );
        if ((limited || distinctOn) && !orderIsTotal(f, options.uniqueKeys)) {
          say(`${limited ? "LIMIT/OFFSET" : "DISTINCT ON"} without an ORDER BY that fixes the order`);
        }
        break;
      }
      case "LockingClause":
        if (String(f.waitPolicy) === "LockWaitSkip") say("SKIP LOCKED");
        break;
    }
  });
  return why;
}
