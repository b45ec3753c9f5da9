/**
 * Checks of foreign keys: the shape of `foreign_keys` entries, parents and
 * their keys, key options (`per_parent`, `one_to_one`, `distinct`, ...), the
 * table's row source, and loops of keys between tables.
 *
 * @module
 */
import {
  andList,
  type Checker,
  checkKeys,
  readBoolean,
  readNumber,
  readObject,
  readString,
  readStrings,
  show,
} from "./_check.ts";
import { didYouMean, type PathPart } from "./_spec_error.ts";
import {
  foreignKeyNullable,
  isObj,
  type ModelForeignKey,
  type ModelTable,
  type Obj,
  type RowBounds,
  rowsFrom,
  type SpecModel,
} from "./_spec_model.ts";
import { FK_OPTIONS } from "./_validate_column.ts";
import { checkDistribution } from "./_validate_values.ts";

const FK_KEYS = ["columns", "references", "null_fraction", ...FK_OPTIONS];

/** The example shown with foreign key problems. */
export const FK_EXAMPLE =
  "foreign_keys: [{ columns: [order_id, line_no], references: { table: order_items, columns: [order_id, line_no] } }]";

/** The shape of each `foreign_keys` entry (the model skips malformed ones). */
export function checkForeignKeyEntries(c: Checker, table: ModelTable): void {
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

export function describeKey(cols: readonly string[]): string {
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

export function checkForeignKey(
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

export function perParentMax(per: unknown): number | undefined {
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
export function checkRowSource(c: Checker, table: ModelTable): void {
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

function edgeText(fk: ModelForeignKey): string {
  return `${fk.table}.${describeKey(fk.columns)} → ${fk.parent}`;
}

/** A loop of foreign keys between tables in which no key can be NULL cannot be loaded. */
export function checkForeignKeyCycles(c: Checker, model: SpecModel): void {
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
