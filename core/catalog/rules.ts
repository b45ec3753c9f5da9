/**
 * Which catalog entries catalog-driven expressions may call, decided by rule
 * from catalog facts, never by a list of names. Each rule has a name, so a
 * test (or a curious user) can ask why a function is left out.
 *
 * - `not-built-in`: only `pg_catalog` is called; functions in other schemas
 *   are the user's own and may do anything.
 * - `not-scalar`: procedures and window functions are not expressions;
 *   aggregates are called only where aggregates go, and only plain ones
 *   (ordered-set and hypothetical aggregates need `WITHIN GROUP`).
 * - `returns-set`: a set-returning function is no scalar expression (and is
 *   refused in WHERE).
 * - `volatile`: volatile functions may have side effects (sequences, locks,
 *   settings, signals, files, sleeping); all of them are left out.
 * - `restricted`: EXECUTE not granted to PUBLIC (a non-null `proacl`): the
 *   function needs privileges.
 * - `aggregate-support`: an aggregate's transition, final or combine function
 *   expects the aggregate's internal state and fails outside it (XX000).
 * - `length-coercion`: the function of a cast from a type to itself takes a
 *   type modifier in its internal encoding (XX000 on most integers).
 * - `object-lookup`: an argument of type `oid` (the type object-identifier
 *   aliases like regclass coerce to implicitly) names a catalog object the
 *   function opens (`satisfies_hash_partition` fails with XX000 on a random
 *   one); only operators and casts, which treat an oid as a number, take one.
 * - `catalog-lookup`: a stable function whose stability no argument or result
 *   type explains (all of them have immutable input and output) reads the
 *   catalog or the session by name (`has_table_privilege`, `current_setting`,
 *   `pg_get_viewdef`); one that takes or returns a type whose I/O depends on
 *   settings (timestamptz, money, arrays) or a polymorphic argument is stable
 *   only for that reason and is kept.
 *
 * - `range-flags`: a range constructor's text argument spells bound flags
 *   (`'[)'`); any other text is a syntax error (42601), so only the two-bound
 *   form is called.
 * - probed: a resolved call the server refuses on typed NULLs or on a sample
 *   value (an ambiguous operator, a polymorphic function that wants a row
 *   type, a conversion the database encoding lacks, 22004 on a NULL argument
 *   as `array_fill` or a variadic multirange constructor raise) is recorded
 *   in the snapshot by `build.ts` and left out (`CatalogSnapshot.rejected`).
 * - word arguments: a text argument that refuses ordinary text (a date/time
 *   unit, an escape character, regular-expression flags) is probed with a
 *   vocabulary of words (`probe.ts`) against a sample of the other arguments;
 *   generation draws it from the words every snapshot accepted (so
 *   `extract(… from time)` gets only units valid for time), and leaves the
 *   call out when none was accepted and ordinary text there is a
 *   generator-bug error (`CatalogSnapshot.words`).
 *
 * Types: a signature is callable only when each of its types is admitted
 * (see {@link typeExclusion}) or polymorphic and resolvable.
 *
 * @module
 */
import type { CatalogFunction, CatalogSnapshot, CatalogType } from "./snapshot.ts";

/** The pseudo-types a call can be resolved for, and the family each belongs to. */
export const POLYMORPHIC: Readonly<
  Record<string, "element" | "array" | "nonarray" | "range" | "multirange" | "enum">
> = {
  anyenum: "enum",
  anyelement: "element",
  anycompatible: "element",
  anynonarray: "nonarray",
  anycompatiblenonarray: "nonarray",
  anyarray: "array",
  anycompatiblearray: "array",
  anyrange: "range",
  anycompatiblerange: "range",
  anymultirange: "multirange",
  anycompatiblemultirange: "multirange",
  any: "element",
};

/** Why a type cannot be a value of a generated expression, or undefined when it can. */
export function typeExclusion(t: CatalogType, facts: CatalogFacts): string | undefined {
  if (t.kind === "p") return t.name in POLYMORPHIC ? "polymorphic" : "pseudo-type";
  if (t.kind === "d" || t.kind === "e" || t.kind === "c") return "user-defined";
  if (t.namespace !== "pg_catalog") return "not-built-in";
  // Object identifier aliases (regclass, regtype…) read the catalog to read or print a value.
  if (facts.objectIdentifiers.has(t.oid) && t.ioVolatility?.includes("s")) return "object-identifier";
  if (t.category === "A") {
    const element = facts.types.get(t.element);
    if (element === undefined) return "array-of-unknown";
    const why = typeExclusion(element, facts);
    return why === undefined ? undefined : `array-of-${why}`;
  }
  return undefined;
}

/** Whether a type's input or output function depends on settings (DateStyle, TimeZone, lc_monetary…). */
function settingsDependent(oid: number, byOid: ReadonlyMap<number, CatalogType>): boolean {
  const t = byOid.get(oid);
  if (t === undefined) return false;
  if (t.kind === "p") return t.name in POLYMORPHIC;
  return (t.ioVolatility ?? "").includes("s");
}

/**
 * Why a function is not called, or undefined when its kind, volatility and
 * privileges allow it (its types are judged when its signature is resolved).
 *
 * @param f The function.
 * @param facts The snapshot's types and length-coercion functions ({@link catalogFacts}).
 * @param asAggregate Judge it as an aggregate (else as a scalar function).
 */
export function functionExclusion(
  f: CatalogFunction,
  facts: CatalogFacts,
  asAggregate = false,
): string | undefined {
  const byOid = facts.types;
  if (f.namespace !== "pg_catalog") return "not-built-in";
  if (asAggregate ? f.kind !== "a" || f.aggregateKind !== "n" : f.kind !== "f") return "not-scalar";
  if (f.returnsSet) return "returns-set";
  if (f.volatility === "v") return "volatile";
  if (f.restricted) return "restricted";
  if (f.aggregateSupport) return "aggregate-support";
  if (facts.lengthCoercions.has(f.oid)) return "length-coercion";
  if (f.args.some((a) => facts.objectIdentifiers.has(a)) && !facts.valueOperations.has(f.oid)) {
    return "object-lookup";
  }
  if (f.volatility === "s" && ![...f.args, f.result].some((a) => settingsDependent(a, byOid))) {
    return "catalog-lookup";
  }
  return undefined;
}

/** Types by oid. */
export function typesByOid(s: CatalogSnapshot): Map<number, CatalogType> {
  return new Map(s.types.map((t) => [t.oid, t]));
}

/** What the rules read besides the function itself. */
export interface CatalogFacts {
  types: ReadonlyMap<number, CatalogType>;
  /** Functions of casts from a type to itself (length coercions). */
  lengthCoercions: ReadonlySet<number>;
  /** `oid` and its aliases (regclass, regtype…): values that name catalog objects. */
  objectIdentifiers: ReadonlySet<number>;
  /** Functions implementing an operator or a cast. */
  valueOperations: ReadonlySet<number>;
}

/** The facts of a snapshot. */
export function catalogFacts(s: CatalogSnapshot): CatalogFacts {
  const types = typesByOid(s);
  // Numeric-category types whose I/O reads the catalog (regclass…; money's reads lc_monetary) that coerce
  // implicitly, without a function, to a type whose I/O does not: that type is oid.
  const readsCatalog = (t: CatalogType | undefined) =>
    t?.category === "N" && (t.ioVolatility ?? "").includes("s");
  const toOid = s.casts.filter((c) =>
    readsCatalog(types.get(c.source)) && !readsCatalog(types.get(c.target)) && c.method === "b" &&
    c.context === "i"
  );
  return {
    types,
    lengthCoercions: new Set(s.casts.filter((c) => c.source === c.target).map((c) => c.function)),
    objectIdentifiers: new Set(toOid.flatMap((c) => [c.source, c.target])),
    valueOperations: new Set([...s.operators.map((o) => o.function), ...s.casts.map((c) => c.function)]),
  };
}

/**
 * Why a resolved signature is not called, or undefined when it may be.
 *
 * @param name The function's name.
 * @param args Concrete argument type oids.
 * @param result Concrete result type oid.
 * @param byOid The snapshot's types by oid.
 */
export function signatureExclusion(
  name: string,
  args: readonly number[],
  result: number,
  byOid: ReadonlyMap<number, CatalogType>,
): string | undefined {
  const r = byOid.get(result);
  if (r?.kind === "r" && r.name === name && args.some((a) => byOid.get(a)?.category === "S")) {
    return "range-flags";
  }
  return undefined;
}
