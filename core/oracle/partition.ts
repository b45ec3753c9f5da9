/**
 * Parse-tree surgery for the metamorphic oracles: a query's predicate taken
 * out, its three partitions (p, NOT p, p IS NULL) put back, and the
 * recombination of decomposable aggregates. Pure; no host calls.
 *
 * @module
 */
import { clone, deparse, functionName, kindOf, statementOf, type Tree, walk } from "./tree.ts";

/** Where the partitioned predicate sits. */
export type PredicatePlace = "whereClause" | "havingClause";

/** The three partitions of a predicate: p, NOT p, p IS NULL. */
export const PARTITIONS = ["p", "not", "null"] as const;

/** One of {@link PARTITIONS}. */
export type Partition = typeof PARTITIONS[number];

const PLACEHOLDER = "quarry_predicate_";

/** A predicate's SQL (deparsed on its own), or undefined. */
function predicateSql(p: unknown): string | undefined {
  const text = deparse(p as Tree);
  return text === undefined || text.includes(PLACEHOLDER) ? undefined : text;
}

/** The SelectStmt fields of a statement, when it is a plain SELECT (no set operation). */
export function plainSelect(stmt: Tree): Tree | undefined {
  const k = kindOf(stmt);
  if (k?.[0] !== "SelectStmt" || k[1].op !== undefined && k[1].op !== "SETOP_NONE") return undefined;
  if (k[1].valuesLists) return undefined;
  return k[1];
}

/**
 * SQL of `select` with its predicate at `place` removed (`undefined`) or put
 * back as one partition. The predicate is deparsed on its own and set in
 * parentheses, so no deparser precedence rule can move a NOT or an IS NULL
 * into it.
 */
export function withPredicate(
  select: Tree,
  place: PredicatePlace,
  part: Partition | undefined,
): string | undefined {
  const copy = clone(select);
  if (part === undefined) {
    delete copy[place];
    return deparse({ SelectStmt: copy });
  }
  const p = predicateSql(select[place]);
  if (p === undefined) return undefined;
  copy[place] = { ColumnRef: { fields: [{ String: { sval: PLACEHOLDER } }] } };
  const text = deparse({ SelectStmt: copy });
  if (text === undefined || text.indexOf(PLACEHOLDER) !== text.lastIndexOf(PLACEHOLDER)) return undefined;
  const wrapped = part === "p" ? `(${p})` : part === "not" ? `NOT (${p})` : `(${p}) IS NULL`;
  return text.replace(PLACEHOLDER, () => wrapped);
}

/** How each output column of a query recombines over partitions. */
export type Combiner = "sum" | "min" | "max" | "key";

/** Aggregates that recombine over disjoint partitions, and how. */
const DECOMPOSABLE: Record<string, Combiner> = { count: "sum", sum: "sum", min: "min", max: "max" };

/**
 * How the targets of an aggregate query recombine, or undefined when one of
 * them cannot (avg, count(DISTINCT …), an aggregate inside an expression,
 * FILTER, a window).
 */
export function combiners(select: Tree): Combiner[] | undefined {
  const out: Combiner[] = [];
  for (const t of (select.targetList as unknown[]) ?? []) {
    const val = kindOf(t)?.[1].val;
    const f = kindOf(val);
    if (f?.[0] === "FuncCall" && DECOMPOSABLE[functionName(f[1])] && !f[1].over) {
      if (f[1].agg_distinct || f[1].agg_filter || f[1].agg_order) return undefined;
      out.push(DECOMPOSABLE[functionName(f[1])]!);
      continue;
    }
    let aggregate = false;
    walkOutside(val, (kind, fields) => {
      if (kind === "FuncCall" && (fields.agg_star || DECOMPOSABLE[functionName(fields)] !== undefined)) {
        aggregate = true;
      }
    });
    // A non-aggregate expression may still hold an aggregate (avg, bool_or…): only plain keys are kept.
    if (aggregate || containsOtherAggregate(val)) return undefined;
    out.push("key");
  }
  return out;
}

/** Aggregate-looking calls other than the decomposable ones. */
const OTHER_AGGREGATES = new Set([
  "avg",
  "bool_and",
  "bool_or",
  "every",
  "string_agg",
  "array_agg",
  "stddev",
  "variance",
  "json_agg",
  "jsonb_agg",
  "bit_and",
  "bit_or",
  "stddev_pop",
  "stddev_samp",
  "var_pop",
  "var_samp",
]);

function containsOtherAggregate(val: unknown): boolean {
  let found = false;
  walkOutside(val, (kind, f) => {
    if (kind === "FuncCall" && OTHER_AGGREGATES.has(functionName(f))) found = true;
  });
  return found;
}

/** Like `walk`, but not into subqueries: their aggregates are their own. */
function walkOutside(node: unknown, visit: (kind: string, fields: Tree) => void): void {
  if (node === null || typeof node !== "object") return;
  if (Array.isArray(node)) {
    for (const n of node) walkOutside(n, visit);
    return;
  }
  const k = kindOf(node);
  if (k?.[0] === "SubLink") return;
  if (k) visit(k[0], k[1]);
  for (const v of Object.values(k ? k[1] : node as Tree)) walkOutside(v, visit);
}

/** Whether the query aggregates: an aggregate call in its targets, or a GROUP BY. */
export function aggregates(select: Tree): boolean {
  if (((select.groupClause as unknown[]) ?? []).length > 0) return true;
  let found = false;
  for (const t of (select.targetList as unknown[]) ?? []) {
    walkOutside(t, (kind, f) => {
      if (kind === "FuncCall" && (DECOMPOSABLE[functionName(f)] || OTHER_AGGREGATES.has(functionName(f)))) {
        found = true;
      }
    });
  }
  return found;
}

/** `SELECT comb(u.c0), … FROM (q1 UNION ALL q2 UNION ALL q3) AS u(c0, …) [GROUP BY keys]`. */
export function recombined(parts: readonly string[], how: readonly Combiner[]): string {
  const cols = how.map((_, i) => `c${i}`);
  const targets = how.map((c, i) => (c === "key" ? `u.c${i}` : `${c}(u.c${i})`));
  const keys = how.flatMap((c, i) => (c === "key" ? [`u.c${i}`] : []));
  const grouped = keys.length > 0 && keys.length < how.length ? ` GROUP BY ${keys.join(", ")}` : "";
  return `SELECT ${targets.join(", ")} FROM (${parts.map((p) => `(${p})`).join(" UNION ALL ")}) AS u(${
    cols.join(", ")
  })${grouped}`;
}

/**
 * NoREC's two queries over a query's FROM and WHERE: the count the
 * optimizer filters, and the count of rows the predicate holds for,
 * evaluated row by row with nothing to optimize.
 */
export function norecQueries(select: Tree): [string, string] | undefined {
  const p = select.whereClause;
  const from = select.fromClause;
  if (p === undefined || from === undefined) return undefined;
  const counted = kindOf(statementOf("SELECT count(*) FROM x WHERE true"))![1];
  counted.fromClause = clone(from);
  counted.whereClause = clone(p);
  const summed = kindOf(statementOf("SELECT coalesce(sum(CASE WHEN true THEN 1 ELSE 0 END), 0) FROM x"))![1];
  summed.fromClause = clone(from);
  // Found first, set after: the predicate may hold CASE expressions of its own.
  let when: Tree | undefined;
  walk(summed, (kind, f) => {
    if (kind === "CaseWhen") when ??= f;
  });
  when!.expr = clone(p);
  const a = deparse({ SelectStmt: counted });
  const b = deparse({ SelectStmt: summed });
  return a && b ? [a, b] : undefined;
}
