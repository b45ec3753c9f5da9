/**
 * Parse trees of libpg-query (PostgreSQL's own parser) as plain JSON: walking
 * them, comparing expressions, and turning them back into SQL with
 * npm:pgsql-deparser. Call `loadParser` (core/exec/parser.ts) before parsing.
 *
 * @module
 */
import { deparseSync } from "pgsql-deparser";
import { fingerprintSync } from "libpg-query";
import { parseStatement } from "../exec/parser.ts";

/** A parse-tree node: `{ Kind: { …fields } }`, or a field's object. */
export type Tree = Record<string, unknown>;

/** The statements of `sql` as parse trees (`{ SelectStmt: … }`), or undefined when it does not parse. */
export function statementsOf(sql: string): Tree[] | undefined {
  const p = parseStatement(sql);
  if ("error" in p) return undefined;
  const stmts = (p.tree as { stmts?: { stmt: Tree }[] }).stmts ?? [];
  return stmts.map((s) => s.stmt);
}

/** The single statement of `sql`, or undefined when it does not parse or holds several. */
export function statementOf(sql: string): Tree | undefined {
  const s = statementsOf(sql);
  return s && s.length === 1 ? s[0] : undefined;
}

/** The kind of a node (`SelectStmt`) and its fields. */
export function kindOf(node: unknown): [string, Tree] | undefined {
  if (node === null || typeof node !== "object" || Array.isArray(node)) return undefined;
  const keys = Object.keys(node);
  if (keys.length !== 1) return undefined;
  const k = keys[0]!;
  if (!/^[A-Z]/.test(k)) return undefined;
  const v = (node as Tree)[k];
  return v !== null && typeof v === "object" && !Array.isArray(v) ? [k, v as Tree] : undefined;
}

/** SQL for a statement node (one line, no trailing semicolon); undefined when the deparser refuses it. */
export function deparse(node: Tree): string | undefined {
  try {
    return deparseSync(node as never, { pretty: false }).trim().replace(/;$/, "");
  } catch {
    return undefined;
  }
}

/** Calls `visit` on every node of the tree, parents first, with its kind. */
export function walk(node: unknown, visit: (kind: string, fields: Tree) => void): void {
  if (node === null || typeof node !== "object") return;
  if (Array.isArray(node)) {
    for (const n of node) walk(n, visit);
    return;
  }
  const k = kindOf(node);
  if (k) visit(k[0], k[1]);
  for (const v of Object.values(k ? k[1] : node as Tree)) walk(v, visit);
}

/** A node as a JSON key without its `location` fields: equal keys, equal expressions. */
export function shapeKey(node: unknown): string {
  return JSON.stringify(node, (key, value) => (key === "location" ? undefined : value));
}

/** A deep copy of a tree. */
export function clone<T>(t: T): T {
  return structuredClone(t);
}

/** The names of a ColumnRef (`a.id` → ["a", "id"]); `*` as "*". */
export function columnRefNames(fields: Tree): string[] {
  return ((fields.fields as unknown[]) ?? []).map((f) => {
    const k = kindOf(f);
    if (!k) return "?";
    return k[0] === "A_Star" ? "*" : String(k[1].sval ?? "?");
  });
}

/** The (last) name of a FuncCall, lower-case. */
export function functionName(fields: Tree): string {
  const names = (fields.funcname as unknown[]) ?? [];
  const last = kindOf(names[names.length - 1]);
  return String(last?.[1].sval ?? "").toLowerCase();
}

/** The statement kinds that change data. */
export const DML_KINDS: ReadonlySet<string> = new Set([
  "InsertStmt",
  "UpdateStmt",
  "DeleteStmt",
  "MergeStmt",
]);

/** The tables a data-changing statement writes (its own target and those of data-changing CTEs). */
export function writtenTables(stmt: Tree): string[] {
  const out = new Set<string>();
  walk(stmt, (kind, f) => {
    if (DML_KINDS.has(kind)) {
      const name = (f.relation as Tree | undefined)?.relname;
      if (typeof name === "string") out.add(name);
    }
  });
  return [...out];
}

/** libpg-query's fingerprint of a statement (constants ignored), or of its text when it does not parse. */
export function fingerprintOf(sql: string): string {
  try {
    return fingerprintSync(sql);
  } catch {
    let h = 0x811c9dc5;
    for (let i = 0; i < sql.length; i++) h = Math.imul(h ^ sql.charCodeAt(i), 0x01000193) >>> 0;
    return h.toString(16).padStart(8, "0");
  }
}
