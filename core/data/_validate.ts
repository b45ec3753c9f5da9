/**
 * Validation of a whole spec: its tables, keys, foreign keys and the
 * dependencies between columns and tables. Column generators are checked in
 * `_validate_column.ts`. Every problem is collected; none stops the others.
 *
 * @module
 */
import {
  Checker,
  checkKeys,
  readNumber,
  readString,
  readStrings,
  show,
  type SpecPositions,
} from "./_check.ts";
import { didYouMean, type PathPart, type SpecIssue } from "./_spec_error.ts";
import {
  buildModel,
  foreignKeyNullable,
  isObj,
  type ModelColumn,
  type ModelForeignKey,
  type ModelTable,
  type RowBounds,
  rowBounds,
  type SpecModel,
} from "./_spec_model.ts";
import { checkColumn, UNIQUE_HINT } from "./_validate_column.ts";
import {
  checkForeignKey,
  checkForeignKeyCycles,
  checkForeignKeyEntries,
  checkRowSource,
  perParentMax,
} from "./_validate_foreign_keys.ts";
import { checkLocale } from "./_validate_values.ts";
import { columnsOf, parseExpression } from "./expression.ts";
import { MAX_IDENTIFIER_BYTES } from "../schema/parse.ts";

/** Options of {@link validateSpec}. */
export interface ValidateOptions {
  /** Rows of a table without `rows` or a `per_parent`/`one_to_one` key (`--rows`; 1000 when absent). */
  defaultRows?: number;
}

/** Rows a table gets when nothing says otherwise. */
export const DEFAULT_ROWS = 1000;

const SPEC_KEYS = ["name", "description", "locale", "tables"];
const TABLE_KEYS = ["rows", "schema", "columns", "primary_key", "unique", "foreign_keys", "checks"];

const TABLE_EXAMPLE =
  "tables: { customers: { rows: 1000, columns: { id: { method: unique_ids, kind: sequential } } } }";

const encoder = new TextEncoder();

/**
 * Checks a spec and returns every problem found, sorted by position (by
 * document order for a spec without positions). An empty list means the spec
 * is valid. Each issue names its path (`tables.orders.columns.qty`), what is
 * wrong and a correct example; with `where`, it also carries the file, line
 * and column of the offending node.
 *
 * @param spec A spec from {@link parseSpec} or a TypeScript object.
 * @param where Positions of a parsed spec's nodes.
 * @param options `defaultRows`: the row count of tables without one.
 * @returns The problems; none for a valid spec.
 *
 * @example Validating a TypeScript object
 * ```ts
 * import { validateSpec } from "./_validate.ts";
 * const issues = validateSpec({ tables: { t: { columns: { n: { method: "intgers", min: 1, max: 2 } } } } });
 * if (!issues[0]?.message.startsWith('unknown method "intgers" (did you mean "integers"?)')) throw new Error();
 * ```
 */
export function validateSpec(
  spec: unknown,
  where?: SpecPositions,
  options: ValidateOptions = {},
): SpecIssue[] {
  const c = new Checker(spec, where);
  if (!isObj(spec)) {
    c.reportValue([], `a spec must be a mapping with "tables", not ${show(spec)}, e.g. ${TABLE_EXAMPLE}`);
    return c.issues();
  }
  checkKeys(c, spec, [], SPEC_KEYS, "a spec", TABLE_EXAMPLE);
  readString(c, spec, "name", [], "name: shop");
  readString(c, spec, "description", [], "description: An online shop", true);
  checkLocale(c, spec, []);
  const tables = spec.tables;
  if (tables === undefined) {
    c.report([], `a spec needs "tables", e.g. ${TABLE_EXAMPLE}`);
    return c.issues();
  }
  if (!isObj(tables) || Object.keys(tables).length === 0) {
    c.reportValue(
      ["tables"],
      `must be a mapping of table name to table, not ${show(tables)}, e.g. ${TABLE_EXAMPLE}`,
    );
    return c.issues();
  }
  const model = buildModel(spec);
  const bounds = rowBounds(model, options.defaultRows ?? DEFAULT_ROWS);
  for (const [name, raw] of Object.entries(tables)) {
    const table = model.byName.get(name);
    if (!table) {
      c.reportValue(
        ["tables", name],
        `a table must be a mapping with "columns", not ${show(raw)}, e.g. ${TABLE_EXAMPLE}`,
      );
      continue;
    }
    checkTable(c, model, table, bounds);
  }
  checkForeignKeyCycles(c, model);
  return c.issues();
}

function checkName(c: Checker, name: string, path: readonly PathPart[], what: string): void {
  if (name === "") c.report(path, `a ${what} name cannot be empty`);
  else if (encoder.encode(name).length > MAX_IDENTIFIER_BYTES) {
    c.report(path, `${what} name "${name}" is longer than PostgreSQL's ${MAX_IDENTIFIER_BYTES} bytes`);
    // deno-lint-ignore no-control-regex
  } else if (/[\u0000\r\n]/.test(name)) c.report(path, `a ${what} name cannot contain NUL or line breaks`);
}

function checkTable(c: Checker, model: SpecModel, table: ModelTable, bounds: Map<string, RowBounds>): void {
  const t = table.spec;
  const path = table.path;
  checkName(c, table.name, path, "table");
  checkKeys(c, t, path, TABLE_KEYS, "a table", TABLE_EXAMPLE);
  readNumber(c, t, "rows", path, { integer: true, min: 1 }, "rows: 1000");
  const schema = readString(c, t, "schema", path, "schema: sales");
  if (schema !== undefined) checkName(c, schema, [...path, "schema"], "schema");
  const checks = t.checks;
  if (checks !== undefined) {
    if (!Array.isArray(checks)) {
      c.reportValue([...path, "checks"], `must be a list of SQL conditions, e.g. checks: ["qty > 0"]`);
    } else {
      checks.forEach((x, i) => {
        if (typeof x !== "string" || x.trim() === "") {
          c.reportValue(
            [...path, "checks", i],
            `a check must be a SQL condition, not ${show(x)}, e.g. "qty > 0"`,
          );
        }
      });
    }
  }
  const columns = t.columns;
  if (columns === undefined) {
    c.report(path, `table "${table.name}" needs "columns", e.g. ${TABLE_EXAMPLE}`);
    return;
  }
  if (!isObj(columns) || Object.keys(columns).length === 0) {
    c.reportValue(
      [...path, "columns"],
      `must be a mapping of column name to generator, not ${show(columns)}, e.g. ${TABLE_EXAMPLE}`,
    );
    return;
  }
  const rows = bounds.get(table.name)!;
  for (const [name, raw] of Object.entries(columns)) {
    const col = table.byName.get(name)!;
    checkName(c, name, col.path, "column");
    checkColumn({ c, table, rows }, col, raw);
  }
  for (const col of table.columns) if (col.origin === "tuple") checkName(c, col.name, col.path, "column");
  checkForeignKeyEntries(c, table);
  for (const fk of table.foreignKeys) checkForeignKey(c, model, table, fk, bounds);
  checkRowSource(c, table);
  checkKeysOfTable(c, table);
  checkRowDependencies(c, table);
}

/** Primary key and unique constraints: declared, never NULL, unique by construction. */
function checkKeysOfTable(c: Checker, table: ModelTable): void {
  const names = table.columns.map((x) => x.name);
  const check = (cols: string[], at: PathPart[], what: string) => {
    let ok = true;
    cols.forEach((name, i) => {
      if (cols.indexOf(name) !== i) {
        c.reportValue([...at, i], `"${name}" is named twice`);
        ok = false;
        return;
      }
      const col = table.byName.get(name);
      if (!col) {
        c.reportValue(
          [...at, i],
          `${what} column "${name}" is not a column of table "${table.name}"${didYouMean(name, names)}`,
        );
        ok = false;
        return;
      }
      if (what !== "primary key") return;
      const fk = table.foreignKeys.find((k) => k.columns.includes(name));
      const nullable = fk ? foreignKeyNullable(table, fk) : col.origin === "declared" &&
        ((typeof col.spec.null_fraction === "number" && col.spec.null_fraction > 0) ||
          col.spec.not_null === false);
      if (nullable || col.method === "nulls") {
        c.reportValue(
          [...at, i],
          `primary key column "${name}" cannot be NULL; drop its null_fraction and not_null: false`,
        );
        ok = false;
      }
    });
    if (ok) uniqueByConstruction(c, table, cols, at, what);
  };
  const pk = readStrings(c, table.spec, "primary_key", table.path, "primary_key: [customer_id]");
  if (pk) check(pk, [...table.path, "primary_key"], "primary key");
  const unique = table.spec.unique;
  if (unique === undefined) return;
  const at = [...table.path, "unique"];
  if (!Array.isArray(unique)) {
    c.reportValue(at, `must be a list of column lists, e.g. unique: [[user_id, role_id]]`);
    return;
  }
  unique.forEach((u, i) => {
    if (!Array.isArray(u) || u.length === 0 || !u.every((x) => typeof x === "string" && x !== "")) {
      c.reportValue(
        [...at, i],
        `a unique key must be a list of column names, not ${show(u)}, e.g. unique: [[user_id, role_id]]`,
      );
      return;
    }
    check(u as string[], [...at, i], "unique key");
  });
}

function uniqueByConstruction(
  c: Checker,
  table: ModelTable,
  cols: string[],
  at: PathPart[],
  what: string,
): void {
  const specs = cols.map((n) => table.byName.get(n)!);
  if (specs.some((x) => x.method === "unique_ids" && x.origin === "declared")) return;
  const covers = (fk: ModelForeignKey) => fk.columns.every((x) => cols.includes(x));
  for (const fk of table.foreignKeys) {
    if (!covers(fk)) continue;
    if (fk.options.one_to_one === true) return;
    const per = fk.options.per_parent;
    if (per === undefined) continue;
    if (perParentMax(per) !== undefined && perParentMax(per)! <= 1) return;
    if (specs.some((x) => x.method === "ordinal")) return;
    if (table.foreignKeys.some((k) => k !== fk && k.options.distinct === true && covers(k))) return;
  }
  const methodOf = (x: ModelColumn) =>
    x.origin === "foreign_key" || x.method === "reference"
      ? "reference"
      : x.origin === "tuple"
      ? "tuples member"
      : x.method ?? "none";
  const subject = cols.length === 1
    ? `${what} column "${cols[0]}" (method ${methodOf(specs[0]!)})`
    : `${what} (${cols.join(", ")}) (methods ${specs.map((x) => `${x.name}: ${methodOf(x)}`).join(", ")})`;
  c.reportValue(at, `${subject} is not unique by construction, so rows could repeat it; ${UNIQUE_HINT}`);
}

/** Columns computed from other columns of the row must not depend on each other in a loop. */
function checkRowDependencies(c: Checker, table: ModelTable): void {
  const deps = new Map<string, string[]>();
  for (const col of table.columns) {
    if (col.origin !== "declared") continue;
    const s = col.spec;
    const out: string[] = [];
    if (col.method === "derived" && typeof s.expression === "string") {
      try {
        out.push(...columnsOf(parseExpression(s.expression)));
      } catch { /* reported with the column */ }
    } else if (col.method === "correlated" && typeof s.on === "string") out.push(s.on);
    else if (
      (col.method === "dates" || col.method === "timestamps") && isObj(s.after) &&
      typeof s.after.column === "string"
    ) {
      out.push(s.after.column);
    } else if (col.method === "email" && typeof s.from === "string") out.push(s.from);
    deps.set(col.name, out.filter((d) => d !== col.name && table.byName.has(d)));
  }
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const reported = new Set<string>();
  const visit = (name: string) => {
    state.set(name, "open");
    stack.push(name);
    for (const d of deps.get(name) ?? []) {
      if (state.get(d) === "open") {
        const cycle = stack.slice(stack.indexOf(d));
        const key = [...cycle].sort().join("\u0000");
        if (!reported.has(key)) {
          reported.add(key);
          const first = table.byName.get(cycle[0]!)!;
          c.report(
            first.path,
            `columns are computed from each other in a loop (${
              [...cycle, cycle[0]].join(" → ")
            }); compute one of them from other columns`,
          );
        }
      } else if (!state.has(d)) visit(d);
    }
    stack.pop();
    state.set(name, "done");
  };
  for (const name of deps.keys()) if (!state.has(name)) visit(name);
}
