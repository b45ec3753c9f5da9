/**
 * A workload: the tables it runs on (a `quarry data` spec, sized by
 * `--scale`), SQL to run once they are loaded, and a weighted mix of
 * transactions, each one or more statements whose `:name` parameters are
 * drawn by the value model (the same column methods a data spec has).
 * Patterns (`configs/workloads/*.yaml`) and users' files share this shape.
 *
 * ```yaml
 * name: oltp
 * data:
 *   tables:
 *     accounts:
 *       rows: 10000          # × --scale
 *       columns: { id: { method: unique_ids, kind: sequential }, balance: { method: integers, min: 0, max: 9999 } }
 *       primary_key: [id]
 * transactions:
 *   - name: read_balance
 *     weight: 8
 *     sql: SELECT balance FROM accounts WHERE id = :id
 *     params:
 *       id: { method: integers, min: 1, max: rows(accounts), distribution: { type: zipf, exponent: 1.1 } }
 * ```
 *
 * Two spellings are resolved before the values are checked: `rows(T)` in an
 * integer bound is table T's row count at the run's scale, and `now`,
 * `now-1h`, `now+30m`, `now-7d` in a timestamp or date bound is that
 * moment at the run's start, so "recent" stays recent (in UTC: workload
 * sessions run with TimeZone UTC).
 *
 * Statements are prepared and their parameters are sent as text, so the
 * server infers each parameter's type from where it stands. Where it cannot
 * (inside least/greatest/coalesce, alone in a select list) write a cast:
 * `:id::bigint`.
 *
 * @module
 */
import type { ColumnSpec, DataSpec } from "../data/spec.ts";

/**
 * A parameter drawn from the keys a table holds now: a sample of
 * `column`'s values read when the run starts and read again every
 * `refresh_s` seconds, so rows the workload inserts are found and deleted
 * ones fade out.
 */
export interface ExistingKeySpec {
  method: "existing";
  /** The table, as SQL names it (`orders`, or `sales.orders`). */
  table: string;
  column: string;
  /** Seconds between samples [default: 5]. */
  refresh_s?: number;
}

/** A parameter: a value-model column spec, or a key of a live table. */
export type ParamSpec = ColumnSpec | ExistingKeySpec;

/** Whether a parameter draws from a live table's keys. */
export function isExisting(p: ParamSpec): p is ExistingKeySpec {
  return (p as { method?: unknown }).method === "existing";
}

/** One transaction kind of a mix. */
export interface TransactionSpec {
  name: string;
  /** Relative frequency in the mix (> 0). */
  weight: number;
  /** Statements run in order as one transaction (all or nothing). */
  sql: string[];
  /** The `:name` parameters: value-model column specs (rows(T) and now±N resolved when compiled), or live keys. */
  params: Record<string, ParamSpec>;
  /** Pause after each transaction of this kind, closed loop only [default: 0]. */
  think_ms?: number;
}

/** Run settings a file may hold; flags override them. */
export interface RunSettings {
  connections?: number;
  tps?: number;
  duration?: number;
  transactions?: number;
  scale?: number;
  seed?: string;
  arrival?: "constant" | "poisson";
  warmup?: number;
  latency_limit_ms?: number;
  skip_late?: boolean;
  max_tries?: number;
  pipeline?: number;
  schema?: string;
}

/** A workload definition. */
export interface WorkloadDefinition {
  name: string;
  description: string;
  /** The tables and their rows at scale 1. */
  data: DataSpec;
  /** SQL run once after the rows are loaded (indexes, ANALYZE). */
  setup: string[];
  transactions: TransactionSpec[];
  /** Settings of the file's `run` block. */
  run: RunSettings;
  /** The pattern a custom file builds on (`pattern: oltp`). */
  pattern?: string;
}

/** Keys of a workload file's top level. */
export const WORKLOAD_KEYS = ["name", "description", "pattern", "data", "setup", "transactions", "run"];
/** Keys of one transaction. */
export const TRANSACTION_KEYS = ["name", "weight", "sql", "params", "think_ms"];
/** Keys of the run block, with the value each takes. */
export const RUN_KEYS: Record<keyof RunSettings, "count" | "number" | "string" | "boolean" | "arrival"> = {
  connections: "count",
  tps: "number",
  duration: "number",
  transactions: "count",
  scale: "number",
  seed: "string",
  arrival: "arrival",
  warmup: "number",
  latency_limit_ms: "number",
  skip_late: "boolean",
  max_tries: "count",
  pipeline: "count",
  schema: "string",
};

/** The `:name` parameters of a statement, in order of first use; `::` casts are not parameters. */
export function parameterNames(sql: string): string[] {
  const names: string[] = [];
  for (const m of scanParameters(sql)) if (!names.includes(m.name)) names.push(m.name);
  return names;
}

/** Each `:name` outside strings, quoted names and comments, with its place. */
export function scanParameters(sql: string): { name: string; at: number; end: number }[] {
  const out: { name: string; at: number; end: number }[] = [];
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    if (c === "'" || c === '"') {
      // A quoted literal or name: doubled quotes stay inside it.
      i++;
      while (i < sql.length && !(sql[i] === c && sql[i + 1] !== c)) i += sql[i] === c ? 2 : 1;
      i++;
    } else if (c === "-" && sql[i + 1] === "-") {
      while (i < sql.length && sql[i] !== "\n") i++;
    } else if (c === "/" && sql[i + 1] === "*") {
      const end = sql.indexOf("*/", i + 2);
      i = end < 0 ? sql.length : end + 2;
    } else if (c === "$") {
      // A dollar-quoted string: $tag$ ... $tag$.
      const tag = /^\$[A-Za-z_]?[A-Za-z0-9_]*\$/.exec(sql.slice(i));
      if (tag) {
        const end = sql.indexOf(tag[0], i + tag[0].length);
        i = end < 0 ? sql.length : end + tag[0].length;
      } else i++;
    } else if (c === ":" && sql[i + 1] === ":") {
      i += 2;
    } else if (c === ":" && /[A-Za-z_]/.test(sql[i + 1] ?? "") && sql[i - 1] !== ":") {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(sql.slice(i + 1))!;
      out.push({ name: m[0], at: i, end: i + 1 + m[0].length });
      i += 1 + m[0].length;
    } else i++;
  }
  return out;
}

/**
 * A statement with `:name` replaced by `$n`, numbered in the order of
 * `order` (the order the kernel writes the values in), and the names it
 * uses in that order.
 */
export function numberParameters(sql: string, order: readonly string[]): { text: string; names: string[] } {
  const found = scanParameters(sql);
  const names = order.filter((n) => found.some((f) => f.name === n));
  let text = "";
  let last = 0;
  for (const f of found) {
    text += sql.slice(last, f.at) + `$${names.indexOf(f.name) + 1}`;
    last = f.end;
  }
  return { text: text + sql.slice(last), names };
}
