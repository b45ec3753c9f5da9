/**
 * A reducer over PostgreSQL's parse tree: it removes clauses, list items and
 * subexpressions, or puts a child in its parent's place, or shortens a
 * constant, deparses each candidate (npm:pgsql-deparser) and keeps it only
 * while the caller's test says the finding still shows. Candidates are tried
 * shortest first; the result is the shortest statement found within the try
 * budget.
 *
 * @module
 */
import { clone, deparse, kindOf, statementOf, type Tree } from "./tree.ts";

/** Fields that a statement or expression can do without. */
const OPTIONAL_FIELDS = [
  "whereClause",
  "havingClause",
  "limitCount",
  "limitOffset",
  "sortClause",
  "groupClause",
  "distinctClause",
  "windowClause",
  "lockingClause",
  "returningList",
  "returningClause",
  "onConflictClause",
  "withClause",
  "agg_filter",
  "agg_order",
  "defresult",
];

/** Node kinds a child of which may stand in their place. */
const HOISTABLE = new Set([
  "BoolExpr",
  "JoinExpr",
  "TypeCast",
  "FuncCall",
  "CaseExpr",
  "CaseWhen",
  "CoalesceExpr",
  "MinMaxExpr",
  "NullIfExpr",
  "A_Expr",
  "SubLink",
  "RangeSubselect",
  "SelectStmt",
  "A_Indirection",
]);

/** Options for {@link reduceStatement}. */
export interface ReduceOptions {
  /** Most candidates to test [default: 300]. */
  maxTries?: number;
  /** Candidates to skip without testing (a nondeterministic one, say). */
  skip?: (sql: string, tree: Tree) => boolean;
}

/** A reduced statement and the candidates tested on the way. */
export interface Reduced {
  sql: string;
  tries: number;
}

/**
 * The smallest statement, reached by one-step simplifications of `sql`, for
 * which `stillFails` holds. `sql` itself is returned when it does not parse
 * as one statement or no candidate holds. Call `loadParser` first.
 */
export async function reduceStatement(
  sql: string,
  stillFails: (sql: string) => Promise<boolean>,
  options: ReduceOptions = {},
): Promise<Reduced> {
  const maxTries = options.maxTries ?? 300;
  let tree = statementOf(sql);
  if (!tree) return { sql, tries: 0 };
  let best = sql;
  let tries = 0;
  const deparsed = deparse(tree);
  if (deparsed !== undefined && deparsed !== sql && deparsed.length <= sql.length) {
    tries++;
    if (await stillFails(deparsed)) best = deparsed;
  }
  const seen = new Set<string>([best]);
  while (tries < maxTries) {
    const candidates: { sql: string; tree: Tree }[] = [];
    for (const c of candidatesOf(tree)) {
      const text = deparse(c);
      if (text === undefined || text.length >= best.length || seen.has(text)) continue;
      seen.add(text);
      if (options.skip?.(text, c)) continue;
      candidates.push({ sql: text, tree: c });
    }
    candidates.sort((a, b) => a.sql.length - b.sql.length);
    let improved = false;
    for (const c of candidates) {
      if (tries >= maxTries) break;
      // The deparsed text must parse back, else the tree is not what runs.
      const again = statementOf(c.sql);
      if (!again) continue;
      tries++;
      if (await stillFails(c.sql)) {
        best = c.sql;
        tree = again;
        improved = true;
        break;
      }
    }
    if (!improved) break;
  }
  return { sql: best, tries };
}

/** Every one-step simplification of a statement tree. */
export function* candidatesOf(root: Tree): Generator<Tree> {
  // Each edit is made on a fresh copy at the same path.
  const edits: {
    path: (string | number)[];
    edit: (parent: Tree | unknown[], key: string | number) => void;
  }[] = [];
  const visit = (node: unknown, path: (string | number)[]) => {
    if (node === null || typeof node !== "object") return;
    if (Array.isArray(node)) {
      node.forEach((n, i) => {
        edits.push({ path: [...path, i], edit: (p) => (p as unknown[]).splice(i, 1) });
        visit(n, [...path, i]);
      });
      return;
    }
    const k = kindOf(node);
    const fields = k ? k[1] : node as Tree;
    const base = k ? [...path, k[0]] : path;
    if (k && HOISTABLE.has(k[0])) {
      for (const child of childNodes(fields)) {
        edits.push({ path, edit: (p, key) => setAt(p, key, clone(child)) });
      }
    }
    if (k?.[0] === "A_Const") {
      for (const simpler of simplerConstants(fields)) {
        edits.push({ path, edit: (p, key) => setAt(p, key, { A_Const: simpler }) });
      }
    }
    for (const [f, v] of Object.entries(fields)) {
      if (OPTIONAL_FIELDS.includes(f)) {
        edits.push({ path: [...base, f], edit: (p, key) => delete (p as Tree)[key as string] });
      }
      visit(v, [...base, f]);
    }
  };
  visit(root, []);
  for (const { path, edit } of edits) {
    const copy = { root: clone(root) } as Tree;
    let parent: Tree | unknown[] = copy;
    let key: string | number = "root";
    for (const step of path) {
      parent = (parent as Record<string | number, unknown>)[key] as Tree | unknown[];
      key = step;
    }
    edit(parent, key);
    yield copy.root as Tree;
  }
}

function setAt(p: Tree | unknown[], key: string | number, value: unknown): void {
  (p as Record<string | number, unknown>)[key] = value;
}

/** The direct child nodes of a node's fields (in lists or alone), for hoisting. */
function childNodes(fields: Tree): Tree[] {
  const out: Tree[] = [];
  for (const [f, v] of Object.entries(fields)) {
    if (f === "typeName" || f === "funcname" || f === "name") continue;
    if (Array.isArray(v)) { for (const n of v) if (kindOf(n)) out.push(n as Tree); }
    else if (kindOf(v)) out.push(v as Tree);
    else if (v && typeof v === "object" && f !== "alias" && (f === "larg" || f === "rarg")) {
      out.push({ SelectStmt: v } as Tree);
    }
  }
  return out;
}

/** Shorter constants of the same kind: a string's first character or none, an integer 0 or 1. */
function simplerConstants(c: Tree): Tree[] {
  const out: Tree[] = [];
  const sval = (c.sval as Tree | undefined)?.sval;
  if (typeof sval === "string" && sval.length > 1) {
    out.push({ ...c, sval: { sval: sval.slice(0, 1) } }, { ...c, sval: { sval: "" } });
  }
  const ival = (c.ival as Tree | undefined)?.ival;
  if (typeof ival === "number" && Math.abs(ival) > 1) {
    out.push({ ...c, ival: { ival: 1 } }, { ...c, ival: {} });
  }
  const fval = (c.fval as Tree | undefined)?.fval;
  if (typeof fval === "string" && fval.length > 3) {
    out.push({ ...c, fval: { fval: String(Math.trunc(Number(fval))) } });
  }
  return out;
}
