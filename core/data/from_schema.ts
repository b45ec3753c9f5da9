/**
 * A data spec derived from a schema model, so `quarry data --schema FILE`
 * and `--from-db URL` can fill any database: every table (a partitioned one
 * through its parent) gets a generator per column that honours the column's
 * type, `range`, nullability and CHECK constraints, keys unique by
 * construction, foreign keys as references to rows of the parent,
 * partition keys kept to the partitions' bounds, CHECKs comparing two
 * columns (`ends_at > starts_at`) kept by deriving one from the other, and
 * text CHECKs (`code ~ '^[A-Z]{3}$'`, `sku LIKE 'SKU-%'`) kept by drawing
 * from a pattern.
 *
 * @module
 */
import type { Column, ForeignKey, Schema, Table } from "../schema/model.ts";
import { parseStatement } from "../exec/parser.ts";
import type { ColumnSpec, DataSpec, ForeignKeySpec, TableSpec } from "./spec.ts";
import type { PlannedForeignKey, PlannedTable } from "./compile.ts";
import { type Bounds, deriveCheck } from "./_from_schema_checks.ts";
import { baseOf, type SchemaType, TypeResolver } from "./_from_schema_types.ts";
import { computedInputs, partitionBounds, show } from "./_from_schema_bounds.ts";
import { Draws, TextForms } from "./_from_schema_text.ts";
import { type PairCheck, type PairPlan, tablePairs } from "./_from_schema_pairs.ts";
import {
  type ColumnContext,
  columnInterval,
  integerRange,
  isText,
  ordinalFits,
  uniqueSpec,
  unkeptPatterns,
  valueSpec,
} from "./_from_schema_columns.ts";

/** Options of {@link specFromSchema}. */
export interface SpecFromSchemaOptions {
  /** Rows of each table whose rows do not follow from a parent's (`per_parent`, `one_to_one`). */
  rows: number;
}

/** A foreign key that closes a loop of keys: its rows reference a table generated after it, so its constraint is added once both are loaded. */
export interface SecondPassKey {
  table: string;
  schema?: string;
  foreignKey: PlannedForeignKey;
}

/** What {@link specFromSchema} derives. */
export interface SchemaSpec {
  /** The user-facing spec (what `--print-spec` shows), tables parents first. */
  spec: DataSpec;
  /** The compiler's input (`compileTables`), parents first. */
  planned: PlannedTable[];
  /** One line per CHECK or other constraint that generated rows may not keep, for the caller to print. */
  warnings: string[];
  /** Keys that close a loop (`secondPass` in `planned`): create their constraints after loading. */
  secondPass: SecondPassKey[];
}

const NULL_FRACTION = 0.1;

interface Fk {
  fk: ForeignKey;
  parent: Info;
  self: boolean;
  /** Closes a loop of keys: the parent is generated after this table. */
  secondPass?: boolean;
  /** Left out: its columns are NULL (a column is not generated) or another key's (overlap). */
  skipped?: "not generated" | "overlap";
  nullFraction: number;
  perParent?: { min: number; max: number };
  oneToOne?: boolean;
  distinct?: boolean;
}

interface Info {
  table: Table;
  /** Columns that get values, in table order. */
  columns: Column[];
  types: Map<string, SchemaType>;
  bounds: Map<string, Bounds[]>;
  keys: string[][];
  fks: Fk[];
  rows: number;
  specs: Map<string, ColumnSpec>;
  /** CHECKs over two columns: the later columns' generators, NULLs their sources may not have. */
  pairs: PairPlan;
}

/**
 * Derives a data spec from a schema. Call `loadParser()` from
 * core/exec/parser.ts first: CHECKs and partition bounds are read with
 * PostgreSQL's parser.
 *
 * @param schema A schema model (`parseSchema`, `introspect`, `randomSchema`).
 * @param options Rows per table.
 * @returns The spec, the compiler's input, warnings, and keys for a second pass.
 * @throws {TypeError} When the parser is not loaded.
 *
 * @example A table with a key and a CHECK
 * ```ts
 * import { loadParser } from "../exec/parser.ts";
 * import { specFromSchema } from "./from_schema.ts";
 * await loadParser();
 * const { spec, warnings } = specFromSchema({
 *   name: "s",
 *   tables: [{
 *     name: "t",
 *     primaryKey: ["id"],
 *     columns: [{ name: "id", type: "integer" }, { name: "qty", type: "smallint" }],
 *     checks: [{ name: "qty_ok", expression: "qty BETWEEN 1 AND 9" }],
 *   }],
 * }, { rows: 10 });
 * const qty = spec.tables.t!.columns.qty!;
 * if (qty.method !== "integers" || qty.min !== 1 || qty.max !== 9 || warnings.length) throw new Error();
 * ```
 */
export function specFromSchema(schema: Schema, options: SpecFromSchemaOptions): SchemaSpec {
  if ("error" in parseStatement("SELECT 1")) {
    throw new TypeError("Call loadParser() from core/exec/parser.ts before specFromSchema");
  }
  const warnings: string[] = [];
  // One warning per constraint, however many columns it is about.
  const origins = new Set<string>();
  const warn = (m: string, origin?: string) => {
    if (origin !== undefined) {
      if (origins.has(origin)) return;
      origins.add(origin);
    }
    if (!warnings.includes(m)) warnings.push(m);
  };
  const resolver = new TypeResolver(schema, warn);
  const infos = new Map<string, Info>();
  const byName = new Map<string, Info>();
  for (const t of schema.tables) {
    const key = `${t.schema ?? ""}.${t.name}`;
    if (byName.has(t.name)) {
      warn(
        `table ${
          show(t)
        }: another table of the same name comes first; data specs name tables alone, so it is left out`,
      );
      continue;
    }
    const info = tableInfo(schema, t, resolver, warn);
    infos.set(key, info);
    byName.set(t.name, info);
  }
  // Foreign keys, to their parent tables.
  for (const info of byName.values()) {
    const t = info.table;
    for (const fk of t.foreignKeys ?? []) {
      const parent = infos.get(`${fk.references.schema ?? t.schema ?? ""}.${fk.references.table}`);
      if (!parent) {
        warn(
          `table ${show(t)}: foreign key ${
            fkName(fk)
          } references a table that is left out; its columns get no reference`,
        );
        continue;
      }
      info.fks.push({ fk, parent, self: parent === info, nullFraction: 0 });
    }
  }
  const order = loadOrder([...byName.values()], warn);
  // Text forms of each column come from draws seeded by the column's name alone.
  const forms = (table: string, column: string) =>
    new TextForms(new Draws(`${schema.name}\u0000${table}\u0000${column}`));
  const planned: PlannedTable[] = [];
  const tables: Record<string, TableSpec> = {};
  const secondPass: SecondPassKey[] = [];
  for (const info of order) {
    info.rows = options.rows;
    const out = planTable(info, options.rows, forms, warn);
    planned.push(out.planned);
    tables[info.table.name] = out.spec;
    for (const f of info.fks.filter((f) => f.secondPass && !f.skipped)) {
      const key: SecondPassKey = { table: info.table.name, foreignKey: plannedKey(f) };
      if (info.table.schema) key.schema = info.table.schema;
      secondPass.push(key);
    }
  }
  return { spec: { name: schema.name, tables }, planned, warnings, secondPass };
}

const fkName = (fk: ForeignKey) => fk.name ? JSON.stringify(fk.name) : `(${fk.columns.join(", ")})`;

/** Columns, types and bounds of one table, before keys and references. */
function tableInfo(
  schema: Schema,
  t: Table,
  resolver: TypeResolver,
  warn: (m: string, origin?: string) => void,
): Info {
  const referenced = new Set<string>();
  for (const other of schema.tables) {
    for (const fk of other.foreignKeys ?? []) {
      if (fk.references.table === t.name && (fk.references.schema ?? other.schema) === t.schema) {
        fk.references.columns.forEach((c) => referenced.add(c));
      }
    }
  }
  const info: Info = {
    table: t,
    columns: [],
    types: new Map(),
    bounds: new Map(),
    keys: [],
    fks: [],
    rows: 0,
    specs: new Map(),
    pairs: { kept: new Set(), specs: new Map(), bounds: new Map(), neverNull: new Set() },
  };
  for (const c of t.columns) {
    if (c.generated !== undefined || c.identity === "always") continue;
    if (c.identity === "by default") {
      if (!referenced.has(c.name)) continue;
      warn(
        `table ${show(t)}, column ${
          JSON.stringify(c.name)
        }: an identity column a foreign key references is given values; advance its sequence after loading (setval)`,
      );
    }
    const type = resolver.resolve(c.type);
    if (typeof type === "string") {
      const fails = c.nullable === false && c.default === undefined ? ", so loading fails" : "";
      warn(
        `table ${show(t)}, column ${JSON.stringify(c.name)}: ${
          type.replace(/ \(supported: .*\)$/s, "")
        }; the column is left to its default${fails}`,
      );
      continue;
    }
    info.columns.push(c);
    info.types.set(c.name, type);
    const bounds: Bounds[] = [];
    if (c.range) {
      bounds.push({
        lo: { value: c.range[0], inclusive: true },
        hi: { value: c.range[1], inclusive: true },
        origin: `table ${show(t)}, column ${JSON.stringify(c.name)}: range`,
      });
    }
    info.bounds.set(c.name, bounds);
  }
  const has = (n: string) => info.types.has(n);
  const unkept: string[] = [];
  const pairChecks: PairCheck[] = [];
  for (const check of t.checks ?? []) {
    const origin = `table ${show(t)}, check ${
      JSON.stringify(check.name ?? "(unnamed)")
    } (${check.expression})`;
    const d = deriveCheck(check.expression, (n) => t.columns.some((c) => c.name === n), {
      pairs: true,
      texts: (n) => isText(info.types.get(n)),
    });
    for (const [column, b] of d.bounds) if (has(column)) info.bounds.get(column)!.push({ ...b, origin });
    // A bound on a generated or identity column is the database's to keep, not the generator's.
    if (!d.derived || [...d.bounds.keys()].some((c) => !has(c))) unkept.push(origin);
    else if (d.pairs.length > 0) {
      unkept.push(origin);
      pairChecks.push({ origin, pairs: d.pairs });
    }
  }
  // CHECKs comparing two columns: kept by deriving one from the other where they fit.
  if (pairChecks.length > 0) info.pairs = tablePairs(info, referenced, pairChecks);
  for (const origin of unkept) {
    if (info.pairs.kept.has(origin)) continue;
    warn(`${origin}: not a form bounds are derived from; generated rows may violate it`, origin);
  }
  partitionBounds(info, warn);
  computedInputs(info);
  for (const [column, b] of info.pairs.bounds) info.bounds.get(column)!.push(b);
  // Keys: primary key, UNIQUE constraints and unique indexes over columns.
  const keys = [t.primaryKey, ...(t.unique ?? []), ...(t.uniqueNullsNotDistinct ?? [])];
  for (const index of t.indexes ?? []) {
    if (!index.unique) continue;
    if (index.keys.every((k) => typeof k === "string")) keys.push(index.keys as string[]);
    else {
      warn(
        `table ${show(t)}, unique index ${
          JSON.stringify(index.name)
        }: its expressions are not kept unique; rows may repeat them`,
      );
    }
  }
  for (const k of keys) {
    if (k && !info.keys.some((x) => x.join("\u0000") === k.join("\u0000"))) info.keys.push(k);
  }
  return info;
}

/**
 * Tables parents first. A loop of keys is broken at a table on the loop whose
 * waiting keys give most easily (DEFERRABLE, then nullable, then fewest):
 * those keys are `secondPass`, referencing rows of tables generated later.
 */
function loadOrder(infos: Info[], warn: (m: string, origin?: string) => void): Info[] {
  const done = new Set<Info>();
  const out: Info[] = [];
  const pending = (i: Info) => i.fks.filter((f) => !f.self && !f.secondPass && !done.has(f.parent));
  const nullable = (i: Info, f: Fk) =>
    f.fk.columns.every((c) => i.table.columns.find((x) => x.name === c)?.nullable !== false) &&
    !(i.table.primaryKey ?? []).some((c) => f.fk.columns.includes(c));
  const remaining = [...infos];
  // A table on a loop among the remaining ones: its pending keys lead back to it.
  const onLoop = (start: Info) => {
    const seen = new Set<Info>();
    const walk = (i: Info): boolean =>
      pending(i).some((f) =>
        f.parent === start || (!seen.has(f.parent) && (seen.add(f.parent), walk(f.parent)))
      );
    return walk(start);
  };
  // Where a loop can give: a DEFERRABLE key (checked at commit), a nullable one, fewest keys.
  const cost = (i: Info) =>
    pending(i).reduce((n, f) => n + (f.fk.deferrable ? 1 : nullable(i, f) ? 100 : 10000), 0);
  while (remaining.length > 0) {
    let at = remaining.findIndex((i) => pending(i).length === 0);
    if (at < 0) {
      const loops = remaining.filter(onLoop);
      const best = (loops.length > 0 ? loops : remaining).reduce((a, b) => (cost(b) < cost(a) ? b : a));
      at = remaining.indexOf(best);
      for (const f of pending(remaining[at]!)) {
        f.secondPass = true;
        if (!nullable(remaining[at]!, f) && !f.fk.deferrable) {
          warn(
            `table ${show(remaining[at]!.table)}: foreign key ${
              fkName(f.fk)
            } closes a loop of NOT NULL keys; its constraint must be added after loading, and a data spec rejects such a loop`,
          );
        }
      }
    }
    const [next] = remaining.splice(at, 1);
    done.add(next!);
    out.push(next!);
  }
  return out;
}

function plannedKey(f: Fk): PlannedForeignKey {
  const out: PlannedForeignKey = {
    columns: [...f.fk.columns],
    references: { table: f.parent.table.name, columns: [...f.fk.references.columns] },
    nullFraction: f.nullFraction,
  };
  if (f.perParent) out.per_parent = f.perParent;
  if (f.oneToOne) out.one_to_one = true;
  if (f.distinct) out.distinct = true;
  if (f.secondPass) out.secondPass = true;
  return out;
}

/** Keys, references and generators of one table whose parents are planned. */
function planTable(
  info: Info,
  rows: number,
  forms: (table: string, column: string) => TextForms,
  warn: (m: string, origin?: string) => void,
): { planned: PlannedTable; spec: TableSpec } {
  const t = info.table;
  const inKey = new Set(info.keys.flat());
  const pk = new Set(t.primaryKey ?? []);
  const colOf = (n: string) => info.columns.find((c) => c.name === n);
  const ctx = (c: Column): ColumnContext => {
    const out: ColumnContext = {
      where: `table ${show(t)}, column ${JSON.stringify(c.name)}`,
      type: info.types.get(c.name)!,
      bounds: info.bounds.get(c.name)!,
      forms: forms(t.name, c.name),
      warn,
    };
    if (c.vocabulary) out.vocabulary = c.vocabulary;
    return out;
  };
  const partitionKey = new Set(t.partitioning?.columns ?? []);
  // References: which keys are filled, and how NULL they may be.
  const claimed = new Set<string>();
  for (const f of info.fks) {
    const where = `table ${show(t)}: foreign key ${fkName(f.fk)}`;
    if (f.fk.columns.some((c) => !colOf(c))) {
      f.skipped = "not generated";
      continue;
    }
    if (!f.skipped && f.fk.references.columns.some((c) => !f.parent.types.has(c))) {
      f.skipped = "not generated";
      warn(
        `${where}: it references columns of ${
          show(f.parent.table)
        } that are not generated; it is written NULL`,
      );
    }
    if (!f.skipped && f.fk.columns.some((c) => claimed.has(c))) {
      f.skipped = "overlap";
      warn(`${where}: shares columns with an earlier foreign key, which fills them; this one is not kept`);
    }
    if (f.skipped === "overlap") continue;
    f.fk.columns.forEach((c) => claimed.add(c));
    const nullable = f.fk.columns.every((c) =>
      colOf(c)!.nullable !== false && !pk.has(c) && !partitionKey.has(c) &&
      !columnInterval({ ...ctx(colOf(c)!), warn: () => {} }).notNull
    );
    if (f.skipped) {
      if (!nullable) warn(`${where}: its NOT NULL columns cannot be filled; loading will fail`);
      continue;
    }
    if (nullable && (f.self || !f.fk.columns.some((c) => inKey.has(c)))) f.nullFraction = NULL_FRACTION;
    if (f.self && !nullable) {
      f.nullFraction = NULL_FRACTION;
      warn(`${where}: references its own table but is NOT NULL; the first row has nothing to reference`);
    }
  }
  const live = info.fks.filter((f) => !f.skipped);
  const fkOf = (c: string) => live.find((f) => f.fk.columns.includes(c));
  const parentRows = (f: Fk) => f.parent.rows;

  // Keys unique by construction.
  const unique = new Map<string, ColumnSpec>();
  let driver: Fk | undefined;
  let ordinal: string | undefined;
  const rowsNow = () =>
    driver?.oneToOne
      ? parentRows(driver)
      : driver?.perParent
      ? parentRows(driver) * driver.perParent.max
      : rows;
  // Keys holding a foreign key first: they may set where the rows come from (per_parent, one_to_one).
  const keyOrder = [...info.keys].sort((a, z) =>
    Number(!a.some((c) => fkOf(c))) - Number(!z.some((c) => fkOf(c)))
  );
  for (const key of keyOrder) {
    if (key.some((c) => !colOf(c))) {
      if (!key.some((c) => t.columns.find((x) => x.name === c)?.identity)) {
        warn(
          `table ${show(t)}: key (${
            key.join(", ")
          }) holds a column that is not generated; rows may repeat it`,
        );
      }
      continue;
    }
    const satisfied = key.some((c) => unique.has(c)) ||
      (driver && driver.fk.columns.every((c) => key.includes(c)) &&
        (driver.oneToOne || (ordinal !== undefined && key.includes(ordinal)) ||
          live.some((f) => f.distinct && f.fk.columns.every((c) => key.includes(c)))));
    if (satisfied) continue;
    const fks = live.filter((f) => !f.self && !f.secondPass && f.fk.columns.every((c) => key.includes(c)));
    const free = key.filter((c) => !fkOf(c));
    if (!driver && fks.length === 1 && free.length === 0 && fks[0]!.fk.columns.length === key.length) {
      driver = fks[0]!;
      driver.oneToOne = true;
      continue;
    }
    if (!driver && fks.length > 0) {
      const perMax = Math.max(1, Math.round((2 * rows) / Math.max(1, parentRows(fks[0]!))));
      const c = free.find((c) => ordinalFits(ctx(colOf(c)!), 1));
      if (c) {
        const { iv } = columnInterval(ctx(colOf(c)!));
        driver = fks[0]!;
        driver.perParent = { min: 0, max: Math.max(1, Math.min(perMax, iv.hi)) };
        ordinal = c;
        continue;
      }
    }
    let made = false;
    for (const c of free) {
      const spec = uniqueSpec(ctx(colOf(c)!), c, rowsNow());
      if (!spec) continue;
      unique.set(c, spec);
      made = true;
      break;
    }
    if (made) continue;
    if (!driver && fks.length >= 2) {
      const most = Math.max(
        1,
        Math.min(Math.round((2 * rows) / Math.max(1, parentRows(fks[0]!))), parentRows(fks[1]!)),
      );
      driver = fks[0]!;
      driver.perParent = { min: 0, max: most };
      fks[1]!.distinct = true;
      continue;
    }
    warn(
      `table ${show(t)}: key (${key.join(", ")}) cannot be made unique by construction; rows may repeat it`,
    );
  }
  if (driver) {
    driver.nullFraction = 0;
    info.rows = rowsNow();
  }

  // Generators, in table order.
  const planned: PlannedTable["columns"] = [];
  const specColumns: Record<string, ColumnSpec> = {};
  const foreignKeys: ForeignKeySpec[] = [];
  for (const c of info.columns) {
    const type = info.types.get(c.name)!;
    const f = info.fks.find((x) => x.fk.columns.includes(c.name) && x.skipped !== "overlap");
    const context = ctx(c);
    if (f && !f.skipped) {
      const i = f.fk.columns.indexOf(c.name);
      const ref: ColumnSpec = {
        method: "reference",
        table: f.parent.table.name,
        column: f.fk.references.columns[i]!,
        type: type.sql,
      };
      info.specs.set(c.name, ref);
      planned.push({ name: c.name, spec: ref });
      specColumns[c.name] = f.fk.columns.length === 1 ? withOptions(ref, f) : ref;
      checkReferenceBounds(context, f, i, warn);
      continue;
    }
    const { notNull } = columnInterval(context);
    let spec: ColumnSpec;
    if (f) spec = { method: "nulls" };
    else if (c.name === ordinal) spec = { method: "ordinal" };
    else if (unique.has(c.name)) {
      spec = unique.get(c.name)!;
      unkeptPatterns(context, "is a key, made unique by construction rather than by its pattern");
    } else spec = info.pairs.specs.get(c.name) ?? valueSpec(context);
    spec.type = type.sql;
    const nullable = c.nullable !== false && !notNull && !inKey.has(c.name) && !partitionKey.has(c.name) &&
      !info.pairs.neverNull.has(c.name);
    if (nullable && spec.method !== "nulls" && spec.method !== "ordinal") spec.null_fraction = NULL_FRACTION;
    if (c.nullable !== false && !pk.has(c.name) && !notNull) spec.not_null = false;
    info.specs.set(c.name, spec);
    planned.push({ name: c.name, spec });
    specColumns[c.name] = spec;
  }
  for (const f of live) {
    if (f.fk.columns.length === 1) continue;
    const entry: ForeignKeySpec = {
      ...plannedOptions(f),
      columns: [...f.fk.columns],
      references: { table: f.parent.table.name, columns: [...f.fk.references.columns] },
    };
    if (f.nullFraction > 0) entry.null_fraction = f.nullFraction;
    foreignKeys.push(entry);
  }
  const out: PlannedTable = { name: t.name, columns: planned, foreignKeys: live.map(plannedKey) };
  const spec: TableSpec = { columns: specColumns };
  if (t.schema) out.schema = spec.schema = t.schema;
  if (!driver) out.rows = spec.rows = rows;
  const keys = info.keys.filter((k) => k.every((c) => colOf(c)));
  if (t.primaryKey && t.primaryKey.every((c) => colOf(c))) {
    out.primaryKey = spec.primary_key = [...t.primaryKey];
  }
  const uniques = keys.filter((k) => k !== t.primaryKey).map((k) => [...k]);
  if (uniques.length > 0) out.unique = spec.unique = uniques;
  if (foreignKeys.length > 0) spec.foreign_keys = foreignKeys;
  const checks = (t.checks ?? []).map((c) => c.expression);
  if (checks.length > 0) out.checks = spec.checks = checks;
  return { planned: out, spec };
}

function plannedOptions(f: Fk): Pick<ForeignKeySpec, "per_parent" | "one_to_one" | "distinct"> {
  const out: Pick<ForeignKeySpec, "per_parent" | "one_to_one" | "distinct"> = {};
  if (f.perParent) out.per_parent = f.perParent;
  if (f.oneToOne) out.one_to_one = true;
  if (f.distinct) out.distinct = true;
  return out;
}

/** A single-column key's options on its reference column, as a user writes them. */
function withOptions(ref: ColumnSpec, f: Fk): ColumnSpec {
  const out = { ...ref, ...plannedOptions(f) } as ColumnSpec;
  if (f.nullFraction > 0) out.null_fraction = f.nullFraction;
  return out;
}

/** A reference takes the parent's values: bounds of the child column hold only if the parent's lie within them. */
function checkReferenceBounds(
  ctx: ColumnContext,
  f: Fk,
  i: number,
  warn: (m: string, origin?: string) => void,
): void {
  const own = ctx.bounds.filter((b) => b.origin && !b.origin.endsWith(": range"));
  const base = baseOf(ctx.type);
  if (own.length === 0 && base.bounds.length === 0) return;
  const parentSpec = f.parent.specs.get(f.fk.references.columns[i]!);
  const parentColumn = f.parent.columns.find((c) => c.name === f.fk.references.columns[i]);
  if (own.length === 0 && parentColumn && f.parent.types.get(parentColumn.name)?.sql === ctx.type.sql) return;
  const range = parentSpec ? integerRange(parentSpec, f.parent.rows) : undefined;
  const { iv } = columnInterval({ ...ctx, warn: () => {} });
  if (range && !iv.values && iv.exclude.size === 0 && range[0] >= iv.lo && range[1] <= iv.hi) return;
  for (const b of [...base.bounds, ...own]) {
    warn(
      `${b.origin ?? ctx.where}: ${ctx.where} takes its values from ${
        show(f.parent.table)
      }, which may not keep it`,
      b.origin,
    );
  }
}
