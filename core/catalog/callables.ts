/**
 * From a catalog snapshot to the calls an expression generator may emit:
 * every admitted function, operator, cast and aggregate with its polymorphic
 * signature resolved to concrete argument and result types, kept only when
 * each argument type can itself be produced from the root types (those the
 * generator has columns or literals of).
 *
 * Resolution binds every polymorphic family of a signature to one type:
 * `anyelement`/`anycompatible`/`anynonarray`/`"any"` to a base type `T` with
 * a default btree operator class (so functions that compare or hash their
 * arguments find the operators they need), `anyarray` to `T[]`, `anyrange`
 * to a range over `T` and `anymultirange` to that range's multirange. With
 * every argument of an exact type, the server's function and operator
 * resolution finds the exact signature: no 42883, 42725 or 42804.
 *
 * @module
 */
import {
  type CatalogFacts,
  catalogFacts,
  functionExclusion,
  POLYMORPHIC,
  signatureExclusion,
  typeExclusion,
  typesByOid,
} from "./rules.ts";
import type { CatalogFunction, CatalogSnapshot, CatalogType } from "./snapshot.ts";
import { classifyError } from "../exec/classify.ts";

/** A call with concrete types. */
export interface Callable {
  kind: "function" | "operator" | "cast" | "aggregate";
  /** Function or operator name; for a cast, the target type's SQL spelling. */
  name: string;
  /** Argument type oids; an operator's are [left, right], or [right] for a prefix one. */
  args: number[];
  /** The last argument may be repeated (a VARIADIC parameter, passed element by element). */
  variadic: boolean;
  result: number;
  /** The pg_proc, pg_operator oid (or cast source) it comes from: resolutions of one entry share it. */
  source: number;
  /**
   * Per argument, the only words a text argument takes (a date/time unit, an
   * escape character), as probed (`CatalogSnapshot.words`); undefined where any value goes.
   */
  words?: (readonly string[] | undefined)[];
}

/** What a generator needs from a catalog: producible types and the calls between them. */
export interface CatalogModel {
  server: string;
  versionNumber: number;
  types: ReadonlyMap<number, CatalogType>;
  /** Names that must be quoted to be called. */
  keywords: ReadonlySet<string>;
  /** Types an expression can be built for, roots first. */
  producible: number[];
  /** Scalar calls (functions, operators, casts) whose arguments are all producible. */
  calls: Callable[];
  /** Plain aggregates whose arguments are all producible. */
  aggregates: Callable[];
  /** Array types with an `ARRAY[…]` constructor leaf: array oid → element oid. */
  arrays: ReadonlyMap<number, number>;
}

type Binding = { element: number; array: number; range: number; multirange: number; enum: number };

/**
 * `anyenum` resolves to the type of an enum column the generator binds when
 * it emits the call (catalogs hold no user enums): this stands for that type
 * in a resolved signature, and {@link ENUM_COLUMN_ARRAY} for its array type.
 */
export const ENUM_COLUMN = -1;
/** The array type of {@link ENUM_COLUMN} (the result of `enum_range`). */
export const ENUM_COLUMN_ARRAY = -2;

/** Whether a type oid stands for the bound enum column's type or its array. */
export const isEnumColumn = (oid: number): boolean => oid === ENUM_COLUMN || oid === ENUM_COLUMN_ARRAY;

/** The bindings each polymorphic family can take in one snapshot. */
interface BindingSets {
  /** For element/array families: base types with btree and hash classes and an admitted array type. */
  elements: Binding[];
  /** For range/multirange families: each admitted range with its subtype and multirange. */
  ranges: Binding[];
}

function bindingSets(facts: CatalogFacts, all: CatalogType[]): BindingSets {
  const types = facts.types;
  const admitted = (o: number) => {
    const t = types.get(o);
    return t !== undefined && typeExclusion(t, facts) === undefined;
  };
  const ranges = all.filter((r) => r.kind === "r" && admitted(r.oid) && admitted(r.rangeSubtype ?? 0)).map(
    (r) => {
      const sub = types.get(r.rangeSubtype!)!;
      const multi = all.find((m) => m.kind === "m" && m.multirangeOf === r.oid);
      return { element: sub.oid, array: sub.array, range: r.oid, multirange: multi?.oid ?? 0, enum: 0 };
    },
  );
  // Polymorphic functions may compare or hash their arguments: bind types that support both.
  const elements = all.filter((t) =>
    t.kind === "b" && t.category !== "A" && t.btree && t.hash && admitted(t.oid) && admitted(t.array)
  ).map((t) => ({ element: t.oid, array: t.array, range: 0, multirange: 0, enum: 0 }));
  return { elements, ranges };
}

/** The bindings of a signature's polymorphic families to concrete types. */
function bindings(sig: number[], types: ReadonlyMap<number, CatalogType>, sets: BindingSets): Binding[] {
  const families = new Set(
    sig.map((o) => POLYMORPHIC[types.get(o)?.name ?? ""]).filter((f) => f !== undefined),
  );
  if (families.size === 0) return [{ element: 0, array: 0, range: 0, multirange: 0, enum: 0 }];
  if (families.has("enum")) {
    // Only enum_range mixes families (anyenum in, anyarray out): the array is the enum's.
    return families.has("range") || families.has("multirange") || families.has("element")
      ? []
      : [{ element: 0, array: ENUM_COLUMN_ARRAY, range: 0, multirange: 0, enum: ENUM_COLUMN }];
  }
  return families.has("range") || families.has("multirange") ? sets.ranges : sets.elements;
}

/** The signature with polymorphic types replaced by the binding's (0 where it has none). */
function bind(sig: number[], b: Binding, types: ReadonlyMap<number, CatalogType>): number[] {
  return sig.map((o) => {
    const family = POLYMORPHIC[types.get(o)?.name ?? ""];
    if (family === undefined) return o;
    return family === "array"
      ? b.array
      : family === "range"
      ? b.range
      : family === "multirange"
      ? b.multirange
      : family === "enum"
      ? b.enum
      : b.element;
  });
}

/** Every concrete resolution of a function's signature whose types are all admitted. */
function resolve(
  f: CatalogFunction,
  kind: Callable["kind"],
  facts: CatalogFacts,
  sets: BindingSets,
): Callable[] {
  const types = facts.types;
  const out: Callable[] = [];
  const sig = [...f.args, f.result];
  for (const b of bindings(sig, types, sets)) {
    const concrete = bind(sig, b, types);
    let args = concrete.slice(0, -1);
    const result = concrete[concrete.length - 1]!;
    if (f.variadic !== 0 && args.length > 0) {
      // VARIADIC "any" takes the bound type itself; VARIADIC T[] takes elements of T.
      const last = args[args.length - 1]!;
      const element = types.get(f.variadic)?.name === "any" ? last : types.get(last)?.element ?? 0;
      args = [...args.slice(0, -1), element];
    }
    const admitted = (o: number) =>
      isEnumColumn(o) || (o !== 0 && typeExclusion(types.get(o)!, facts) === undefined);
    if (![...args, result].every(admitted)) continue;
    if (signatureExclusion(f.name, args, result, types) !== undefined) continue;
    out.push({ kind, name: f.name, args, variadic: f.variadic !== 0, result, source: f.oid });
  }
  return out;
}

/** A call's identity across snapshots: kind, name and concrete type names. */
export function callKey(c: Callable, types: ReadonlyMap<number, CatalogType>): string {
  const n = (o: number) => types.get(o)?.name ?? String(o);
  return `${c.kind} ${c.name}(${c.args.map(n).join(",")}${c.variadic ? "..." : ""})->${n(c.result)}`;
}

const BARE = /^[a-z_][a-z0-9_]*$/;

/**
 * A call as SQL with the given argument texts (one per argument; a VARIADIC
 * one's text may hold several comma-separated values).
 *
 * @example
 * ```ts
 * import { type Callable, callSql } from "./callables.ts";
 * const overlay: Callable = { kind: "function", name: "overlay", args: [25, 25, 23], variadic: false, result: 25, source: 0 };
 * if (callSql(overlay, ["a", "b", "c"], new Set(["overlay"])) !== '"overlay"(a, b, c)') throw new Error();
 * ```
 */
export function callSql(c: Callable, args: readonly string[], keywords: ReadonlySet<string>): string {
  switch (c.kind) {
    case "operator":
      return args.length === 1 ? `(${c.name} ${args[0]})` : `(${args[0]} ${c.name} ${args[1]})`;
    case "cast":
      return `CAST(${args[0]} AS ${c.name})`;
    default: {
      // Keywords (overlay, position, left…) are called by their quoted name, which is never special syntax.
      const name = BARE.test(c.name) && !keywords.has(c.name) ? c.name : `"${c.name.replaceAll('"', '""')}"`;
      return `${name}(${args.join(", ")})`;
    }
  }
}

/**
 * Every admitted call of a snapshot with its signature resolved, before the
 * types are narrowed to what a generator can produce: the scalar calls
 * (functions, operators, casts) and the plain aggregates.
 */
export function resolvedCalls(snapshot: CatalogSnapshot): { calls: Callable[]; aggregates: Callable[] } {
  const cached = resolved.get(snapshot);
  if (cached !== undefined) return cached;
  const facts = catalogFacts(snapshot);
  const types = facts.types;
  const sets = bindingSets(facts, snapshot.types);
  const functions = new Map(snapshot.functions.map((f) => [f.oid, f]));
  const scalarOk = (oid: number) => {
    const f = functions.get(oid);
    return f !== undefined && functionExclusion(f, facts) === undefined;
  };
  const calls: Callable[] = [];
  for (const f of snapshot.functions) {
    if (functionExclusion(f, facts) === undefined) calls.push(...resolve(f, "function", facts, sets));
  }
  for (const o of snapshot.operators) {
    if (o.namespace !== "pg_catalog" || !scalarOk(o.function) || (o.kind !== "b" && o.kind !== "l")) continue;
    const proc = functions.get(o.function)!;
    const args = o.kind === "l" ? [o.right] : [o.left, o.right];
    for (const c of resolve({ ...proc, args, variadic: 0, result: o.result }, "operator", facts, sets)) {
      calls.push({ ...c, name: o.name, source: o.oid });
    }
  }
  for (const c of snapshot.casts) {
    const [s, t] = [types.get(c.source), types.get(c.target)];
    if (s === undefined || t === undefined || c.source === c.target) continue;
    if (typeExclusion(s, facts) !== undefined || typeExclusion(t, facts) !== undefined) continue;
    if (c.function !== 0 && !scalarOk(c.function)) continue;
    calls.push({
      kind: "cast",
      name: t.sql,
      args: [c.source],
      variadic: false,
      result: c.target,
      source: c.source,
    });
  }
  const aggregates: Callable[] = [];
  for (const f of snapshot.functions) {
    if (functionExclusion(f, facts, true) === undefined && f.args.length > 0) {
      aggregates.push(...resolve(f, "aggregate", facts, sets));
    }
  }
  const out = { calls, aggregates };
  resolved.set(snapshot, out);
  return out;
}

/**
 * The word arguments of the calls of several snapshots, by `callKey`: per
 * argument position, the words every snapshot that probed it accepted, or
 * "refused" when they share none and ordinary text there is a generator-bug
 * error (`unit "year" not supported for type time` is 0A000, a long escape
 * 22025); when ordinary text there is merely bad data (22023), the argument
 * stays free.
 */
function wordArguments(
  snapshots: readonly CatalogSnapshot[],
): Map<string, Map<number, readonly string[]> | "refused"> {
  const found = new Map<string, Map<number, { values: Set<string>; bug: boolean }>>();
  for (const s of snapshots) {
    for (const w of s.words ?? []) {
      const byArg = found.get(w.call) ?? new Map<number, { values: Set<string>; bug: boolean }>();
      found.set(w.call, byArg);
      const bug = classifyError(w.code, "", "postgres").class === "generator_bug";
      const had = byArg.get(w.arg);
      byArg.set(
        w.arg,
        had === undefined
          ? { values: new Set(w.values), bug }
          : { values: new Set(w.values.filter((v) => had.values.has(v))), bug: bug || had.bug },
      );
    }
  }
  const out = new Map<string, Map<number, readonly string[]> | "refused">();
  for (const [call, byArg] of found) {
    const args = new Map<number, readonly string[]>();
    let refused = false;
    for (const [arg, { values, bug }] of byArg) {
      if (values.size > 0) args.set(arg, [...values]);
      else if (bug) refused = true;
    }
    if (refused) out.set(call, "refused");
    else if (args.size > 0) out.set(call, args);
  }
  return out;
}

const resolved = new WeakMap<CatalogSnapshot, { calls: Callable[]; aggregates: Callable[] }>();

/**
 * Builds the model of one or more snapshots for the given root types. With
 * several, a call is kept only when every snapshot has it (same name and
 * concrete types) and none of their probes rejected it, so the statements
 * run on each of those servers.
 *
 * @param snapshots Stored or freshly read catalogs; the first names the model.
 * @param roots Names of the types the generator has leaves for (`int4`, `text`…).
 * @returns The producible types and the admitted, resolved calls among them.
 */
export function catalogModel(
  snapshots: CatalogSnapshot | readonly CatalogSnapshot[],
  roots: readonly string[],
): CatalogModel {
  const all = Array.isArray(snapshots)
    ? snapshots as readonly CatalogSnapshot[]
    : [snapshots as CatalogSnapshot];
  const snapshot = all[0]!;
  const facts = catalogFacts(snapshot);
  const types = facts.types;
  const byName = new Map(snapshot.types.filter((t) => t.namespace === "pg_catalog").map((t) => [t.name, t]));
  const keep = (list: (s: { calls: Callable[]; aggregates: Callable[] }) => Callable[]) => {
    const sets = all.map((s) => {
      const rejected = new Set((s.rejected ?? []).map((r) => r.call));
      const t = typesByOid(s);
      return new Set(list(resolvedCalls(s)).map((c) => callKey(c, t)).filter((k) => !rejected.has(k)));
    });
    return list(resolvedCalls(snapshot)).filter((c) => sets.every((set) => set.has(callKey(c, types))));
  };
  const words = wordArguments(all);
  const restrict = (list: Callable[]) =>
    list.flatMap((c) => {
      const w = words.get(callKey(c, types));
      if (w === undefined) return [c];
      return w === "refused" ? [] : [{ ...c, words: c.args.map((_, i) => w.get(i)) }];
    });
  const candidates = restrict(keep((r) => r.calls));
  const aggregates = restrict(keep((r) => r.aggregates));

  // Producible types: the roots, then whatever an admitted call or an array constructor makes from them.
  const producible: number[] = [];
  // The enum column's type is there whenever the generator finds an enum column, which it checks as it goes.
  const have = new Set<number>([ENUM_COLUMN]);
  const add = (o: number) => {
    if (!have.has(o) && !isEnumColumn(o)) {
      have.add(o);
      producible.push(o);
    }
  };
  for (const r of roots) {
    const t = byName.get(r);
    if (t === undefined) throw new RangeError(`Root type "${r}" is not in the catalog of ${snapshot.server}`);
    add(t.oid);
  }
  const arrays = new Map<number, number>();
  for (let grew = true; grew;) {
    const before = have.size;
    for (const c of candidates) if (c.args.every((a) => have.has(a))) add(c.result);
    for (const o of [...have]) {
      if (isEnumColumn(o)) continue;
      const t = types.get(o)!;
      if (t.kind === "b" && t.category !== "A" && t.btree && t.array !== 0 && !have.has(t.array)) {
        if (typeExclusion(types.get(t.array)!, facts) === undefined) {
          arrays.set(t.array, o);
          add(t.array);
        }
      }
    }
    grew = have.size > before;
  }
  return {
    server: snapshot.server,
    versionNumber: snapshot.versionNumber,
    types,
    keywords: new Set(snapshot.keywords),
    producible,
    calls: candidates.filter((c) => c.args.every((a) => have.has(a))),
    aggregates: aggregates.filter((c) => c.args.every((a) => have.has(a))),
    arrays,
  };
}
