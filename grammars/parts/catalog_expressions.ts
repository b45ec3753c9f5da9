/**
 * Catalog-driven expressions: one rule per type the target's catalog can
 * build a value of, whose alternatives are that catalog's own functions,
 * operators and casts returning the type (see `core/catalog/`), each
 * argument drawn from the rule of its exact type. Leaves are the scope's
 * columns and literals, cast to the root type they stand for, so every
 * argument has the exact type of the signature it was drawn for and the
 * server resolves each call to that signature.
 *
 * Any grammar can use it: build a model from a snapshot, register the
 * rules a scope returns, and reference `any`, `e(type)` or `aggregate`.
 *
 * @example Rules over the table in slot "t"
 * ```ts
 * import { catalogExpressions, pg15Catalog, scopeLeaves } from "./catalog_expressions.ts";
 * const c = catalogExpressions(pg15Catalog(), { prefix: "t_c", leaves: scopeLeaves(["t"]) });
 * if (c.rules.length < 50 || typeof c.any === "string") throw new Error();
 * ```
 *
 * @module
 */
import pg15 from "../../configs/catalog/postgres@15.json" with { type: "json" };
import pglite from "../../configs/catalog/pglite@18.json" with { type: "json" };
import {
  type Callable,
  callSql,
  type CatalogModel,
  catalogModel,
  ENUM_COLUMN,
  ENUM_COLUMN_ARRAY,
  isEnumColumn,
} from "../../core/catalog/callables.ts";
import type { CatalogSnapshot } from "../../core/catalog/snapshot.ts";
import {
  choice,
  type Element,
  pool,
  ref,
  repeat,
  template,
  type TypeClass,
  withColumn,
} from "../../core/dsl/grammar.ts";
import { castLiteral, qualified } from "./columns.ts";
import { LITERALS } from "./expression_scope.ts";

/** Root types: the catalog type, the column class whose columns stand for it, and a literal of it. */
const ROOTS: readonly (readonly [string, TypeClass, Element | undefined])[] = [
  ["int4", "integer", LITERALS.int],
  ["int8", "integer", LITERALS.int],
  ["numeric", "numeric", LITERALS.num],
  ["float8", "float", LITERALS.flt],
  ["text", "text", LITERALS.txt],
  ["bool", "bool", pool(["true", "false"])],
  ["date", "date", LITERALS.date],
  ["timestamp", "timestamp", LITERALS.ts],
  ["timestamptz", "timestamp", LITERALS.ts],
  ["time", "time", LITERALS.time],
  ["interval", "interval", LITERALS.ivl],
  ["uuid", "uuid", undefined],
  ["jsonb", "json", undefined],
  ["json", "json", undefined],
  ["bytea", "bytea", undefined],
  ["inet", "inet", undefined],
];

/** The root type names, for {@link catalogModel}. */
export const ROOT_TYPES: readonly string[] = ROOTS.map(([t]) => t);

const models = new Map<string, CatalogModel>();

/** The model of one or more snapshots over {@link ROOT_TYPES}, built once per set of snapshots. */
export function modelOf(...snapshots: CatalogSnapshot[]): CatalogModel {
  const key = snapshots.map((s) => s.server).join("\n");
  let m = models.get(key);
  if (m === undefined) models.set(key, m = catalogModel(snapshots, ROOT_TYPES));
  return m;
}

/** The model of the stored PostgreSQL 15 catalog (`configs/catalog/postgres@15.json`). */
export function pg15Catalog(): CatalogModel {
  return modelOf(pg15 as CatalogSnapshot);
}

/**
 * The calls both stored catalogs have and neither refused: PostgreSQL 15
 * and PGlite's PostgreSQL 18. The built-in grammars use it, so their
 * statements run on both.
 */
export function portableCatalog(): CatalogModel {
  return modelOf(pg15 as CatalogSnapshot, pglite as CatalogSnapshot);
}

/** Leaves of a root type: `[weight, element]` pairs, each of exactly that type. */
export type RootLeaves = Readonly<Record<string, readonly (readonly [number, Element])[]>>;

/**
 * Leaves over the columns of the tables in `aliases` (each alias is also its
 * table slot; the column is bound to slot "lf" and read at once) and the
 * literals of the root types, each cast to its root type.
 */
export function scopeLeaves(aliases: readonly string[]): RootLeaves {
  // Grammars that name their tables alike share the leaves, and with them the rules built on them.
  const key = aliases.join(",");
  let leaves = sharedLeaves.get(key);
  if (leaves === undefined) sharedLeaves.set(key, leaves = buildLeaves(aliases));
  return leaves;
}

const sharedLeaves = new Map<string, RootLeaves>();

function buildLeaves(aliases: readonly string[]): RootLeaves {
  const out: Record<string, [number, Element][]> = {};
  for (const [name, cls, literal] of ROOTS) {
    const sql = name === "int4" ? "integer" : name === "float8" ? "double precision" : name;
    const fallback = literal === undefined
      ? `CAST(NULL AS ${sql})`
      : template(`CAST({v} AS ${sql})`, { v: literal });
    const column = choice(
      ...aliases.map((a) =>
        withColumn(
          "lf",
          a,
          { type: cls },
          template(`CAST({c} AS ${sql})`, { c: qualified(a, "lf") }),
          fallback,
        )
      ),
    );
    const columnLiteral = choice(
      ...aliases.map((a) =>
        withColumn(
          "lf",
          a,
          { type: cls },
          template(`CAST({v} AS ${sql})`, { v: castLiteral("lf") }),
          fallback,
        )
      ),
    );
    out[name] = [
      [4, column],
      [2, columnLiteral],
      ...(literal === undefined ? [] : [[2, fallback] as [number, Element]]),
    ];
  }
  return out;
}

/** Weight of one name's calls by kind. */
const KIND_WEIGHTS: Readonly<Record<Callable["kind"], number>> = {
  function: 2,
  aggregate: 2,
  operator: 5,
  cast: 1,
};

/** Options of {@link catalogExpressions}. */
export interface CatalogScopeOptions {
  /** Rule names are `<prefix>_<type>` (`s_c_int4`, `s_c__text` for text[]) and `<prefix>_agg`. */
  prefix: string;
  /** Leaves of the root types, e.g. {@link scopeLeaves}. */
  leaves: RootLeaves;
  /** Share of a root type's draws that end in a leaf (default 0.35); the rest call the catalog. */
  leafShare?: number;
  /**
   * Table aliases (each also its table slot) whose enum columns stand in for
   * `anyenum`: `enum_first(a.mood)`, `a.mood < CAST('x' AS mood)`. Calls that
   * return the enum or its array are cast to text. Without it, no enum calls.
   */
  enumAliases?: readonly string[];
}

/** The rules of one scope and references into them. */
export interface CatalogExpressions {
  /** `[name, element]` for the grammar to register. */
  rules: [string, Element][];
  /** A reference to the rule of a type by catalog name; undefined when the catalog cannot build it. */
  e(type: string): Element | undefined;
  /** An expression of any producible type, types weighted by how many calls return them. */
  any: Element;
  /** The same over types with equality and ordering (for DISTINCT, GROUP BY, ORDER BY). */
  comparable: Element;
  /** A plain aggregate over the scope's expressions. */
  aggregate: Element;
}

/**
 * The catalog-driven rules of one scope.
 *
 * @param model A catalog model over {@link ROOT_TYPES} ({@link modelOf}).
 * @param options Rule prefix and leaves.
 * @returns The rules to register and references into them.
 */
export function catalogExpressions(model: CatalogModel, options: CatalogScopeOptions): CatalogExpressions {
  // Rules are data: the same model, prefix and leaves give the same rules, built once.
  const byOptions = built.get(model) ?? new Map<string, [CatalogScopeOptions, CatalogExpressions]>();
  built.set(model, byOptions);
  const key = `${options.prefix}|${options.leafShare ?? ""}|${(options.enumAliases ?? []).join(",")}`;
  const hit = byOptions.get(key);
  if (hit !== undefined && hit[0].leaves === options.leaves) return hit[1];
  const out = buildExpressions(model, options);
  byOptions.set(key, [options, out]);
  return out;
}

const built = new WeakMap<CatalogModel, Map<string, [CatalogScopeOptions, CatalogExpressions]>>();

function buildExpressions(model: CatalogModel, options: CatalogScopeOptions): CatalogExpressions {
  const { prefix, leaves } = options;
  const share = options.leafShare ?? 0.35;
  const have = new Set(model.producible);
  const ruleOf = (oid: number) => `${prefix}_${model.types.get(oid)!.name}`;
  const text = model.producible.find((o) => model.types.get(o)!.name === "text")!;
  /** The rule a call's value goes to: an enum (or enum array) is cast to text. */
  const resultOf = (c: Callable) => isEnumColumn(c.result) ? text : c.result;
  const enumAliases = options.enumAliases ?? [];
  const call = (c: Callable): Element => {
    const parts: Record<string, Element> = {};
    const enumArgs = (alias: string) => choice([2, qualified(alias, "en")], [1, castLiteral("en")]);
    const body = (alias: string) => {
      c.args.forEach((a, i) => {
        const last = i === c.args.length - 1;
        const words = c.words?.[i];
        parts[`a${i}`] = words !== undefined
          ? pool(words.map((w) => `CAST('${w.replaceAll("'", "''")}' AS text)`))
          : a === ENUM_COLUMN
          ? enumArgs(alias)
          : c.variadic && last
          ? repeat(ref(ruleOf(a)), 1, 3, ", ")
          : ref(ruleOf(a));
      });
      const sql = callSql(c, c.args.map((_, i) => `{a${i}}`), model.keywords);
      return template(isEnumColumn(c.result) ? `CAST(${sql} AS text)` : sql, { ...parts });
    };
    if (!c.args.includes(ENUM_COLUMN)) return body("");
    // The enum column is bound in slot "en" and read at once; no enum column, no call.
    const none = `CAST(NULL AS ${model.types.get(resultOf(c))!.sql})`;
    return choice(...enumAliases.map((a) => withColumn("en", a, { type: "enum" }, body(a), none)));
  };
  /** Calls this scope can emit: those on an enum column need aliases to find one in. */
  const emittable = (c: Callable) =>
    !c.args.includes(ENUM_COLUMN_ARRAY) && (!c.args.includes(ENUM_COLUMN) || enumAliases.length > 0);
  /** Calls grouped by (kind, source): one alternative per catalog entry, its resolutions chosen within. */
  // A name's overloads share its weight (so `abs` with six is no likelier than `initcap` with one); an
  // operator's name weighs more than a function's, or the few dozen of them would drown in a thousand.
  const overloads = new Map<string, Set<number>>();
  for (const c of [...model.calls, ...model.aggregates]) {
    const key = `${c.kind}:${c.name}`;
    overloads.set(key, (overloads.get(key) ?? new Set()).add(c.source));
  }
  const grouped = (calls: Callable[]): [number, Element][] => {
    const groups = new Map<string, Callable[]>();
    for (const c of calls) {
      const key = `${c.kind}:${c.source}`;
      const group = groups.get(key);
      if (group === undefined) groups.set(key, [c]);
      else group.push(c);
    }
    return [...groups.values()].map((g) => {
      const c = g[0]!;
      const share = 1 / overloads.get(`${c.kind}:${c.name}`)!.size;
      const weight = KIND_WEIGHTS[c.kind] * Math.max(0.05, share);
      return [weight, g.length === 1 ? call(c) : choice(...g.map(call))];
    });
  };
  const byResult = new Map<number, Callable[]>();
  for (const c of model.calls.filter(emittable)) {
    const list = byResult.get(resultOf(c));
    if (list === undefined) byResult.set(resultOf(c), [c]);
    else list.push(c);
  }

  const rules: [string, Element][] = [];
  const weights: [number, Element][] = [];
  const comparable: [number, Element][] = [];
  for (const oid of model.producible) {
    const t = model.types.get(oid)!;
    const alternatives: [number, Element][] = grouped(byResult.get(oid) ?? []);
    const element = model.arrays.get(oid);
    if (element !== undefined) {
      alternatives.push([
        2,
        template("ARRAY[{x}, {y}]", { x: ref(ruleOf(element)), y: ref(ruleOf(element)) }),
      ]);
    }
    const callWeight = alternatives.reduce((s, [w]) => s + w, 0);
    const own = leaves[t.name] ?? [];
    const ownTotal = own.reduce((s, [w]) => s + w, 0);
    if (own.length > 0) {
      // Scale the leaves so they take `share` of the draws whatever the number of calls.
      const scale = (Math.max(4, callWeight) * share) / (1 - share) / ownTotal;
      for (const [w, e] of own) alternatives.push([Math.max(0.001, w * scale), e]);
    }
    alternatives.push([1, `CAST(NULL AS ${t.sql})`]);
    rules.push([ruleOf(oid), choice(...alternatives)]);
    weights.push([Math.max(1, callWeight), ref(ruleOf(oid))]);
    if (t.btree) comparable.push([Math.max(1, callWeight), ref(ruleOf(oid))]);
  }
  const aggregates = grouped(model.aggregates.filter((a) => have.has(resultOf(a)) && emittable(a)));
  rules.push([`${prefix}_agg`, choice(...aggregates)]);
  return {
    rules,
    e: (type) => {
      const t = model.producible.find((o) => model.types.get(o)!.name === type);
      return t === undefined ? undefined : ref(ruleOf(t));
    },
    any: choice(...weights),
    comparable: choice(...comparable),
    aggregate: ref(`${prefix}_agg`),
  };
}
