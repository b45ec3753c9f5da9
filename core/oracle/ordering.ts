/**
 * Whether a SELECT's ORDER BY fixes the order of its rows: only then are two
 * results compared row by row, and only then is a LIMIT or OFFSET over it
 * deterministic. Decided on the parse tree. Pure; no host calls.
 *
 * The order is total when rows that tie on every sort key are equal rows
 * (the sort keys cover every output column), or when they cannot both exist:
 * the keys cover every GROUP BY expression, or, for one table, a unique key.
 *
 * @module
 */
import { columnRefNames, kindOf, shapeKey, type Tree } from "./tree.ts";

/** Unique column sets of each table (its primary key and unique constraints). */
export type UniqueKeys = ReadonlyMap<string, readonly (readonly string[])[]>;

/** The sort-key expressions of a SelectStmt's fields, with ordinals and output aliases resolved. */
function sortExpressions(select: Tree): unknown[] {
  const targets = ((select.targetList as unknown[]) ?? []).map((t) => kindOf(t)?.[1] ?? {});
  const out: unknown[] = [];
  for (const s of (select.sortClause as unknown[]) ?? []) {
    const node = kindOf(s)?.[1].node;
    const c = kindOf(node);
    if (c?.[0] === "A_Const" && (c[1].ival as Tree | undefined) !== undefined) {
      const n = Number((c[1].ival as Tree).ival ?? 0);
      const t = targets[n - 1];
      if (t) out.push(t.val);
      continue;
    }
    if (c?.[0] === "ColumnRef") {
      const names = columnRefNames(c[1]);
      const aliased = names.length === 1 ? targets.find((t) => t.name === names[0]) : undefined;
      if (aliased) {
        out.push(aliased.val);
        continue;
      }
    }
    out.push(node);
  }
  return out;
}

/** Whether `select` (a SelectStmt's fields) has an ORDER BY that orders its rows totally. */
export function orderIsTotal(select: Tree, uniqueKeys: UniqueKeys = new Map()): boolean {
  const sort = (select.sortClause as unknown[] | undefined) ?? [];
  if (sort.length === 0) return false;
  const keys = new Set(sortExpressions(select).map(shapeKey));
  const targets = ((select.targetList as unknown[]) ?? []).map((t) => kindOf(t)?.[1]?.val);
  const star = targets.some((v) => {
    const c = kindOf(v);
    return c?.[0] === "ColumnRef" && columnRefNames(c[1]).includes("*");
  });
  if (!star && targets.length > 0 && targets.every((v) => keys.has(shapeKey(v)) || isConstant(v))) {
    return true;
  }
  const group = (select.groupClause as unknown[] | undefined) ?? [];
  if (group.length > 0 && group.every((g) => keys.has(shapeKey(g)))) return true;
  const from = (select.fromClause as unknown[] | undefined) ?? [];
  if (from.length === 1 && group.length === 0 && !select.distinctClause) {
    const r = kindOf(from[0]);
    if (r?.[0] === "RangeVar") {
      const alias = String(((r[1].alias as Tree | undefined)?.aliasname) ?? r[1].relname);
      const sortedColumns = new Set<string>();
      for (const k of sortExpressions(select)) {
        const c = kindOf(k);
        if (c?.[0] !== "ColumnRef") continue;
        const n = columnRefNames(c[1]);
        if (n.length === 1 || (n.length === 2 && n[0] === alias)) sortedColumns.add(n[n.length - 1]!);
      }
      const unique = uniqueKeys.get(String(r[1].relname)) ?? [];
      if (unique.some((cols) => cols.length > 0 && cols.every((c) => sortedColumns.has(c)))) return true;
    }
  }
  return false;
}

function isConstant(v: unknown): boolean {
  const k = kindOf(v);
  return k?.[0] === "A_Const" || (k?.[0] === "TypeCast" && kindOf(k[1].arg)?.[0] === "A_Const");
}
