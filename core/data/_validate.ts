/**
 * Validation of a whole spec: its tables, keys, foreign keys and the
 * dependencies between columns and tables. Column generators are checked in
 * `_validate_column.ts`. Every problem is collected; none stops the others.
 *
 * @module
 */
import {
  andList,
  Checker,
  checkKeys,
  readBoolean,
  readNumber,
  readObject,
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
  type Obj,
  type RowBounds,
  rowBounds,
  rowsFrom,
  type SpecModel,
} from "./_spec_model.ts";
import {
  checkColumn,
  checkDistribution,
  checkLocale,
  FK_OPTIONS,
  patternValues,
  UNIQUE_HINT,
} from "./_validate_column.ts";
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
const FK_KEYS = ["columns", "references", "null_fraction", ...FK_OPTIONS];

const TABLE_EXAMPLE =
  "tables: { customers: { rows: 1000, columns: { id: { method: unique_ids, kind: sequential } } } }";
const FK_EXAMPLE =
  "foreign_keys: [{ columns: [order_id, line_no], references: { table: order_items, columns: [order_id, line_no] } }]";

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
  checkKeysOfTable(c, table, rows);
  checkRowDependencies(c, table);
}

/** The shape of each `foreign_keys` entry (the model skips malformed ones). */
function checkForeignKeyEntries(c: Checker, table: ModelTable): void {
  const fks = table.spec.foreign_keys;
  const path = [...table.path, "foreign_keys"];
  if (fks === undefined) return;
  if (!Array.isArray(fks)) {
    c.reportValue(path, `must be a list of foreign keys, e.g. ${FK_EXAMPLE}`);
    return;
  }
  fks.forEach((fk, i) => {
    const at = [...path, i];
    if (!isObj(fk)) {
      c.reportValue(at, `a foreign key must be a mapping, not ${show(fk)}, e.g. ${FK_EXAMPLE}`);
      return;
    }
    checkKeys(c, fk, at, FK_KEYS, "a foreign key", FK_EXAMPLE);
    const missing = ["columns", "references"].filter((k) => fk[k] === undefined);
    if (missing.length > 0) c.report(at, `a foreign key needs ${andList(missing)}, e.g. ${FK_EXAMPLE}`);
    readStrings(c, fk, "columns", at, FK_EXAMPLE);
    readNumber(c, fk, "null_fraction", at, { min: 0, max: 1 }, "null_fraction: 0.1");
    const refs = readObject(c, fk, "references", at, FK_EXAMPLE);
    if (!refs) return;
    const refPath = [...at, "references"];
    checkKeys(c, refs, refPath, ["table", "columns"], '"references"', FK_EXAMPLE);
    const lacking = ["table", "columns"].filter((k) => refs[k] === undefined);
    if (lacking.length > 0) c.report(refPath, `"references" needs ${andList(lacking)}, e.g. ${FK_EXAMPLE}`);
    readString(c, refs, "table", refPath, FK_EXAMPLE);
    readStrings(c, refs, "columns", refPath, FK_EXAMPLE);
  });
}

function describeKey(cols: readonly string[]): string {
  return cols.length === 1 ? cols[0]! : `(${cols.join(", ")})`;
}

/** The parent's keys a foreign key may reference: its primary key and unique keys. */
function keysOf(parent: ModelTable): string[][] {
  const out: string[][] = [];
  const pk = parent.spec.primary_key;
  if (Array.isArray(pk) && pk.every((x) => typeof x === "string")) out.push(pk as string[]);
  const unique = parent.spec.unique;
  if (Array.isArray(unique)) {
    for (const u of unique) {
      if (Array.isArray(u) && u.every((x) => typeof x === "string")) out.push(u as string[]);
    }
  }
  return out;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

function checkForeignKey(
  c: Checker,
  model: SpecModel,
  table: ModelTable,
  fk: ModelForeignKey,
  bounds: Map<string, RowBounds>,
): void {
  const o = fk.options;
  const path = fk.path;
  const where = fk.columnLevel ? [...path, "table"] : [...path, "references", "table"];
  const parent = model.byName.get(fk.parent);

  // The parent and its key.
  if (!parent) {
    c.reportValue(
      where,
      `table "${fk.parent}" is not in the spec${didYouMean(fk.parent, model.tables.map((x) => x.name))}`,
    );
  } else {
    const colPath = fk.columnLevel ? [...path, "column"] : [...path, "references", "columns"];
    const parentNames = parent.columns.map((x) => x.name);
    let known = true;
    fk.parentColumns.forEach((pc, i) => {
      if (parent.byName.has(pc)) return;
      known = false;
      const at = fk.columnLevel ? colPath : [...colPath, i];
      c.reportValue(at, `"${pc}" is not a column of table "${parent.name}"${didYouMean(pc, parentNames)}`);
    });
    if (!fk.columnLevel && fk.columns.length !== fk.parentColumns.length) {
      c.reportValue(
        [...path, "references", "columns"],
        `${fk.columns.length} column${fk.columns.length === 1 ? "" : "s"} (${
          fk.columns.join(", ")
        }) reference ${fk.parentColumns.length} (${
          fk.parentColumns.join(", ")
        }); name as many on each side, e.g. ${FK_EXAMPLE}`,
      );
    } else if (known) {
      const keys = keysOf(parent);
      if (!keys.some((k) => sameSet(k, fk.parentColumns))) {
        const pk = parent.spec.primary_key;
        const have = Array.isArray(pk)
          ? `its primary key is ${describeKey(pk as string[])}`
          : "it has no primary key";
        const fix = Array.isArray(pk)
          ? `reference ${describeKey(pk as string[])}`
          : `add primary_key: [${fk.parentColumns.join(", ")}] to "${parent.name}"`;
        c.reportValue(
          fk.columnLevel ? colPath : [...path, "references", "columns"],
          `a foreign key must reference the primary key or a unique key of "${parent.name}", but ${have}; ${fix}`,
        );
      }
    }
  }

  // The child columns of a table-level key.
  if (!fk.columnLevel) {
    const declared = isObj(table.spec.columns) ? table.spec.columns : {};
    fk.columns.forEach((name, i) => {
      const at = [...path, "columns", i];
      const col = table.byName.get(name);
      if (col?.origin === "tuple") {
        c.reportValue(
          at,
          `"${name}" is a member of tuples column "${col.tuple!.column}", so it cannot also be a foreign key`,
        );
        return;
      }
      if (!Object.hasOwn(declared, name) || !isObj(declared[name])) return;
      const d = declared[name] as Obj;
      const mapped = fk.parentColumns[i];
      if (d.method !== "reference") {
        c.reportValue(
          at,
          `"${name}" is declared with method ${
            show(d.method)
          }, but this foreign key fills it; declare it as { method: reference, table: ${fk.parent}, column: ${mapped} } or leave it out`,
        );
      } else if (d.table !== fk.parent || d.column !== mapped) {
        c.reportValue(
          at,
          `"${name}" is declared as a reference to ${show(d.table)}.${
            show(d.column)
          }, but this foreign key maps it to ${fk.parent}.${mapped}`,
        );
      } else {
        for (const k of [...FK_OPTIONS, "null_fraction"]) {
          if (d[k] !== undefined) {
            c.report(
              ["tables", table.name, "columns", name, k],
              `"${k}" of a column in a multi-column foreign key goes on the foreign key (${path.join(".")})`,
            );
          }
        }
      }
    });
  }
  for (const other of table.foreignKeys) {
    if (other === fk) break;
    const shared = fk.columns.find((x) => other.columns.includes(x));
    if (shared) {
      c.report(
        path,
        `column "${shared}" is in two foreign keys (also ${
          other.path.slice(2).join(".")
        }); a column takes its value from one`,
      );
    }
  }

  // Options.
  if (o.distribution !== undefined) checkDistribution(c, o.distribution, [...path, "distribution"]);
  const oneToOne = readBoolean(c, o, "one_to_one", path, "one_to_one: true");
  const distinct = readBoolean(c, o, "distinct", path, "distinct: true");
  checkPerParent(c, o, path);
  const window = readObject(c, o, "window", path, "window: { rows: 100 }");
  if (window) {
    checkKeys(c, window, [...path, "window"], ["rows"], '"window"', "window: { rows: 100 }");
    if (window.rows === undefined) {
      c.report([...path, "window"], `"window" needs "rows", e.g. window: { rows: 100 }`);
    }
    readNumber(c, window, "rows", [...path, "window"], { integer: true, min: 1 }, "window: { rows: 100 }");
  }
  const nullable = foreignKeyNullable(table, fk);
  const self = fk.parent === table.name;
  const from = o.per_parent !== undefined ? "per_parent" : oneToOne ? "one_to_one" : undefined;
  if (o.per_parent !== undefined && oneToOne) {
    c.report([...path, "one_to_one"], `per_parent and one_to_one both set the child rows; keep one`);
  }
  if (from) {
    for (const k of ["distribution", "window", "distinct"]) {
      if (o[k] !== undefined) {
        c.report(
          [...path, k],
          `"${k}" has no effect with ${from}, which gives each parent its children in turn; drop it`,
        );
      }
    }
    if (nullable) {
      c.report(
        path,
        `a ${from} foreign key cannot be NULL (every child has its parent); drop its null_fraction and not_null: false`,
      );
    }
    if (self) {
      c.report(
        [...path, from],
        `a table cannot take its rows from itself; ${from} needs another parent table`,
      );
    }
  }
  if (self && !from && !nullable) {
    const col = fk.columns[0]!;
    c.report(
      path,
      `a foreign key to its own table must be nullable, since the first row has no earlier row to reference; add null_fraction: 0.1 (or not_null: false) to ${
        fk.columnLevel ? `"${col}"` : "this foreign key"
      }`,
    );
  }
  if (distinct === true && !from) {
    const driver = table.foreignKeys.find((k) => k !== fk && k.options.per_parent !== undefined);
    if (!driver) {
      c.report(
        [...path, "distinct"],
        `distinct picks different parents among the children of one per_parent parent, but table "${table.name}" has no per_parent foreign key, e.g. user_id: { method: reference, table: users, column: user_id, per_parent: { min: 1, max: 3 } }`,
      );
    } else if (parent) {
      const most = perParentMax(driver.options.per_parent);
      const available = bounds.get(parent.name)!.min;
      if (most !== undefined && available < most) {
        c.report(
          [...path, "distinct"],
          `distinct needs at least ${most} rows in "${parent.name}" (the most children per parent of ${
            describeKey(driver.columns)
          }), but it has ${available}; raise its rows or lower per_parent`,
        );
      }
    }
  }
}

function perParentMax(per: unknown): number | undefined {
  if (!isObj(per)) return undefined;
  if (typeof per.exactly === "number") return per.exactly;
  return typeof per.max === "number" ? per.max : undefined;
}

const PER_PARENT_EXAMPLE = "per_parent: { min: 1, max: 5 }";

function checkPerParent(c: Checker, o: Obj, path: readonly PathPart[]): boolean {
  const per = o.per_parent;
  if (per === undefined) return false;
  const at = [...path, "per_parent"];
  if (!isObj(per)) {
    c.reportValue(
      at,
      `must be { exactly: n } or { min: a, max: b }, not ${show(per)}, e.g. ${PER_PARENT_EXAMPLE}`,
    );
    return false;
  }
  if (per.exactly !== undefined) {
    checkKeys(c, per, at, ["exactly"], "per_parent { exactly }", "per_parent: { exactly: 3 }");
    readNumber(c, per, "exactly", at, { integer: true, min: 1 }, "per_parent: { exactly: 3 }");
    return true;
  }
  checkKeys(c, per, at, ["min", "max", "distribution"], "per_parent", PER_PARENT_EXAMPLE);
  const missing = ["min", "max"].filter((k) => per[k] === undefined);
  if (missing.length > 0) {
    c.report(at, `per_parent needs ${andList(missing)} (or exactly), e.g. ${PER_PARENT_EXAMPLE}`);
  }
  const min = readNumber(c, per, "min", at, { integer: true, min: 0 }, PER_PARENT_EXAMPLE);
  const max = readNumber(c, per, "max", at, { integer: true, min: 1 }, PER_PARENT_EXAMPLE);
  if (min !== undefined && max !== undefined && min > max) {
    c.report(at, `min ${min} is greater than max ${max}, e.g. ${PER_PARENT_EXAMPLE}`, {
      path: [...at, "min"],
      part: "value",
    });
  }
  if (per.distribution !== undefined) checkDistribution(c, per.distribution, [...at, "distribution"]);
  return true;
}

/** `rows` against `per_parent`/`one_to_one`, and at most one of those per table. */
function checkRowSource(c: Checker, table: ModelTable): void {
  const sources = table.foreignKeys.filter((fk) => rowsFrom(fk) !== undefined);
  sources.slice(1).forEach((fk) => {
    const first = sources[0]!;
    c.report(
      [...fk.path, rowsFrom(fk)!],
      `only one foreign key of a table can set its rows, and ${
        describeKey(first.columns)
      } already does with ${rowsFrom(first)}; drop ${rowsFrom(fk)} here`,
    );
  });
  const first = sources[0];
  if (first && table.spec.rows !== undefined) {
    c.report(
      [...table.path, "rows"],
      `table "${table.name}" takes its rows from ${rowsFrom(first)} on ${
        describeKey(first.columns)
      }; drop "rows" (or drop ${rowsFrom(first)})`,
    );
  }
}

/** Primary key and unique constraints: declared, never NULL, unique by construction. */
function checkKeysOfTable(c: Checker, table: ModelTable, rows: RowBounds): void {
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
    if (ok) uniqueByConstruction(c, table, cols, at, what, rows);
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
  rows: RowBounds,
): void {
  const specs = cols.map((n) => table.byName.get(n)!);
  if (specs.some((x) => x.method === "unique_ids" && x.origin === "declared")) return;
  for (const x of specs) {
    if (x.method !== "pattern" || x.origin !== "declared") continue;
    const count = patternValues(x.spec);
    if (count === undefined) return; // reported with the column
    if (count >= rows.max) return;
    if (cols.length === 1) {
      c.reportValue(
        at,
        `pattern ${
          show(x.spec.pattern)
        } of "${x.name}" has ${count} distinct values, fewer than the ${rows.max} rows of table "${table.name}"; lengthen the pattern or use { method: unique_ids }`,
      );
      return;
    }
  }
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

function edgeText(fk: ModelForeignKey): string {
  return `${fk.table}.${describeKey(fk.columns)} → ${fk.parent}`;
}

/** A loop of foreign keys between tables in which no key can be NULL cannot be loaded. */
function checkForeignKeyCycles(c: Checker, model: SpecModel): void {
  const edges = new Map<string, ModelForeignKey[]>();
  for (const t of model.tables) {
    edges.set(
      t.name,
      t.foreignKeys.filter((fk) =>
        fk.parent !== t.name && model.byName.has(fk.parent) && !foreignKeyNullable(t, fk)
      ),
    );
  }
  for (
    const scc of stronglyConnected(
      model.tables.map((t) => t.name),
      (n) => edges.get(n)!.map((fk) => fk.parent),
    )
  ) {
    if (scc.length < 2) continue;
    const inside = new Set(scc);
    // Walk from the first table along keys inside the component until a table repeats.
    const start = model.tables.find((t) => inside.has(t.name))!.name;
    const path: ModelForeignKey[] = [];
    const seen = new Map<string, number>();
    let at = start;
    while (!seen.has(at)) {
      seen.set(at, path.length);
      const next = edges.get(at)!.find((fk) => inside.has(fk.parent))!;
      path.push(next);
      at = next.parent;
    }
    const cycle = path.slice(seen.get(at)!);
    const first = cycle[0]!;
    c.report(
      first.path,
      `foreign keys form a loop in which none can be NULL (${
        cycle.map(edgeText).join(", ")
      }), so no table can be loaded first; make one nullable so it is filled in a second pass, e.g. null_fraction: 0.1 or not_null: false on ${first.table}.${
        describeKey(first.columns)
      }`,
    );
  }
}

/** Tarjan's strongly connected components, in discovery order. */
export function stronglyConnected(
  nodes: readonly string[],
  next: (n: string) => readonly string[],
): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const out: string[][] = [];
  const visit = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of next(v)) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      out.push(scc);
    }
  };
  for (const n of nodes) if (!index.has(n)) visit(n);
  return out;
}
