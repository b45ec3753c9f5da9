/**
 * CHECKs that compare two columns of a row (`ends_at > starts_at`,
 * `max_qty >= min_qty`, `a <> b`), kept true by construction: the later
 * column derives from the earlier one, and the earlier one keeps low enough
 * for the later one to fit its own bounds.
 *
 * - Dates and timestamps: the later column is `after` the earlier one, a lag
 *   of at least one unit when strict (a day for dates; an hour, a minute or a
 *   second for timestamps, by the room there is), at most 30 days or a
 *   quarter of the later column's range. The earlier column keeps to where
 *   every lag lands within the later column's bounds.
 * - Numbers (integers, numerics, floats): the later column is a `derived`
 *   expression, the earlier value plus a step when strict (up to the later
 *   column's precision) plus a lag of whole steps taken from the earlier
 *   value's digits (the spec language draws nothing inside an expression),
 *   clamped to the later column's bounds with `least` and `greatest`. The
 *   earlier column keeps at least a step below the later column's upper
 *   bound, so the clamp never reaches it.
 *
 * A NULL on either side makes the CHECK true, and a derived column is NULL
 * when its source is; a NOT NULL later column keeps its sources free of
 * NULLs. Each column derives from one other at most: chains (`a < b AND b <
 * c`) and several columns after one are kept; a column after two others, a
 * loop, or a key, reference, referenced or partition key column on either
 * side are not, and the CHECK stays for the caller to warn about. `a <> b` is
 * kept as `b > a` (or `a > b` when only that fits).
 *
 * @module
 */
import type { Table } from "../schema/model.ts";
import type { ColumnSpec } from "./spec.ts";
import type { Bounds, ColumnPair } from "./_from_schema_checks.ts";
import { computedInputs } from "./_from_schema_bounds.ts";
import { baseOf, DAY, intervalOf, isoDate, isoTimestamp, type SchemaType } from "./_from_schema_types.ts";

/** What {@link planPairs} needs of a table. */
export interface PairTable {
  types: ReadonlyMap<string, SchemaType>;
  bounds: ReadonlyMap<string, readonly Bounds[]>;
  /** Columns whose values come from elsewhere (keys, references, referenced columns, partition keys). */
  fixed: ReadonlySet<string>;
  /** Whether the table declares a column NOT NULL (domains and CHECKs are read here). */
  notNull: (column: string) => boolean;
}

/** A CHECK whose every other part is derived, with its comparisons of two columns. */
export interface PairCheck {
  origin: string;
  pairs: ColumnPair[];
}

/** How a table keeps its CHECKs over two columns. */
export interface PairPlan {
  /** Origins of the CHECKs kept by construction. */
  kept: Set<string>;
  /** Generators of the later columns, before their type and NULLs. */
  specs: Map<string, ColumnSpec>;
  /** Bounds the earlier columns keep to, so the later ones fit. */
  bounds: Map<string, Bounds>;
  /** Columns that must not be NULL: a NOT NULL column derives from them. */
  neverNull: Set<string>;
}

type Family = "date" | "timestamp" | "timestamptz" | "number";

interface Col {
  name: string;
  family: Family;
  base: SchemaType;
  lo: number;
  hi: number;
  step: number;
  notNull: boolean;
  /** Values left out inside the interval (a derived column cannot avoid them). */
  excludes: boolean;
}

interface Edge {
  from: string;
  to: string;
  strict: boolean;
}

interface TemporalLag {
  /** Seconds (timestamps) or days (dates) per lag unit. */
  unit: number;
  name: "days" | "hours" | "minutes" | "seconds";
  min: number;
  max: number;
}

interface Solution {
  order: string[];
  parent: Map<string, Edge>;
  need: Map<string, { lo: number; hi: number }>;
  lags: Map<string, TemporalLag>;
}

/** The longest lag of dates (days) and timestamps (seconds). */
const MOST_LAG = { days: 30, seconds: 30 * DAY };
/** Lags of numbers are at most this many steps. */
const MOST_STEPS = 999_999;
/** Multiplier that spreads the lag over the earlier value's digits (a prime). */
const SPREAD = 7919;

const INT_CASTS = ["numeric", "int8", "bigint", "float8"];
const CASTS: Record<string, (t: SchemaType) => string[]> = {
  int: (t) => [
    ...INT_CASTS,
    ...(t.kind === "int" && t.hi <= 2147483647 ? ["int4", "integer"] : []),
    ...(t.kind === "int" && t.hi <= 32767 ? ["int2", "smallint"] : []),
  ],
  numeric: () => ["numeric", "float8"],
  // real casts to 6 significant digits (and compares with others after rounding): only real with real.
  float: (t) => (t.kind === "float" && t.single ? ["float4"] : ["float8", "numeric"]),
  date: () => ["date"],
  timestamp: () => ["timestamp"],
  timestamptz: () => ["timestamptz"],
};

/** A column a pair may use, or undefined. */
function columnOf(table: PairTable, name: string): Col | undefined {
  const type = table.types.get(name);
  if (!type || table.fixed.has(name)) return undefined;
  const base = baseOf(type);
  const kind = base.type.kind;
  const family: Family | undefined = kind === "int" || kind === "numeric" || kind === "float"
    ? "number"
    : kind === "date" || kind === "timestamp" || kind === "timestamptz"
    ? kind
    : undefined;
  if (!family) return undefined;
  const iv = intervalOf(base.type, [...base.bounds, ...(table.bounds.get(name) ?? [])]);
  if (iv.lo > iv.hi || iv.values) return undefined;
  return {
    name,
    family,
    base: base.type,
    lo: iv.lo,
    hi: iv.hi,
    step: iv.step,
    notNull: table.notNull(name) || base.notNull || iv.notNull,
    excludes: iv.exclude.size > 0,
  };
}

const isFloat4 = (c: Col) => c.base.kind === "float" && c.base.single;

/** Whether two columns compare as their values do: same family, casts that keep values, real only with real. */
function comparable(a: Col, b: Col, casts: { a: string[]; b: string[] }): boolean {
  if (a.family !== b.family || isFloat4(a) !== isFloat4(b)) return false;
  const ok = (c: Col, list: string[]) => {
    const allowed = CASTS[c.base.kind]?.(c.base) ?? [];
    return list.every((x) => allowed.includes(x));
  };
  return ok(a, casts.a) && ok(b, casts.b);
}

/** The greatest multiple of `step` at or below `v`, without binary noise. */
function down(v: number, step: number): number {
  return Number((Math.floor(v / step + 1e-9) * step).toFixed(digitsOf(step)));
}

/** The least multiple of `step` at or above `v`, without binary noise. */
function up(v: number, step: number): number {
  return Number((Math.ceil(v / step - 1e-9) * step).toFixed(digitsOf(step)));
}

const digitsOf = (step: number) => Math.max(0, Math.round(-Math.log10(step)));

/** A number as an expression literal: plain decimals, no exponent. */
const literal = (v: number, digits: number) => String(Number(v.toFixed(digits)));

/** A column name in an expression: quoted unless a plain name. */
const ident = (name: string) =>
  /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : `"${name.replaceAll('"', '""')}"`;

/**
 * The lag of a temporal `y` after `x` (intervals in days or seconds): at least
 * a unit when strict, and the part of `x` from which every lag lands in `y`.
 */
function temporalLag(
  x: { lo: number; hi: number },
  y: { lo: number; hi: number },
  family: Family,
  strict: boolean,
): TemporalLag & { lo: number; hi: number } | undefined {
  const dates = family === "date";
  const most = Math.min(dates ? MOST_LAG.days : MOST_LAG.seconds, Math.floor((y.hi - y.lo) / 4));
  const [unit, name]: [number, TemporalLag["name"]] = dates
    ? [1, "days"]
    : most >= 2 * DAY
    ? [3600, "hours"]
    : most >= 7200
    ? [60, "minutes"]
    : [1, "seconds"];
  const first = strict ? 1 : 0;
  let min = first;
  // All of x below y: the lag starts where x's lowest value reaches y.
  if (x.hi + min * unit < y.lo) min = Math.ceil((y.lo - x.lo) / unit);
  const lo = Math.max(x.lo, y.lo - min * unit);
  const width = Math.min(Math.max(0, Math.floor(most / unit) - first), Math.floor((y.hi - lo) / unit) - min);
  if (width < 0) return undefined;
  const hi = Math.min(x.hi, y.hi - (min + width) * unit);
  return { unit, name, min, max: min + width, lo, hi };
}

/** Where each column of the edges may lie, and the lags of temporal ones; undefined when they do not fit. */
function solve(cols: Map<string, Col>, edges: Edge[]): Solution | undefined {
  const parent = new Map<string, Edge>();
  const children = new Map<string, Edge[]>();
  for (const e of edges) {
    parent.set(e.to, e);
    children.set(e.from, [...(children.get(e.from) ?? []), e]);
  }
  const nodes = [...new Set(edges.flatMap((e) => [e.from, e.to]))];
  const order: string[] = [];
  const visit = (n: string) => {
    order.push(n);
    for (const e of children.get(n) ?? []) visit(e.to);
  };
  nodes.filter((n) => !parent.has(n)).forEach(visit);
  // A loop has no root to reach it from.
  if (order.length !== nodes.length) return undefined;
  const need = new Map(nodes.map((n) => [n, { lo: cols.get(n)!.lo, hi: cols.get(n)!.hi }]));
  const lags = new Map<string, TemporalLag>();
  for (const x of [...order].reverse()) {
    const cx = cols.get(x)!;
    const nx = need.get(x)!;
    let lo = -Infinity;
    for (const e of children.get(x) ?? []) {
      const gap = e.strict ? cols.get(e.to)!.step : 0;
      const ny = need.get(e.to)!;
      if (cx.family === "number") {
        // At least a step below y's greatest value; from y's least value on where x has room.
        nx.hi = Math.min(nx.hi, down(ny.hi - gap, cx.step));
        lo = Math.max(lo, up(ny.lo - gap, cx.step));
        continue;
      }
      const lag = temporalLag(nx, ny, cx.family, e.strict);
      if (!lag) return undefined;
      nx.lo = lag.lo;
      nx.hi = lag.hi;
      lags.set(e.to, lag);
    }
    if (lo > nx.lo && lo <= nx.hi) nx.lo = lo;
    if (nx.lo > nx.hi) return undefined;
  }
  return { order, parent, need, lags };
}

/** A derived number `y` above (or at) `x`: a step or none, a lag of whole steps, clamped to `y`'s interval. */
function numberSpec(
  x: Col,
  y: Col,
  strict: boolean,
  nx: { lo: number; hi: number },
  ny: { lo: number; hi: number },
): ColumnSpec {
  const name = ident(x.name);
  const digits = digitsOf(y.step);
  const per = Math.round(1 / y.step);
  const coarser = x.step >= y.step - 1e-12;
  const gap = strict && coarser ? y.step : 0;
  // All of x below y: an offset lifts x's least value to y's.
  const offset = nx.hi + (strict ? y.step : 0) < ny.lo ? up(ny.lo - nx.lo - gap, y.step) : 0;
  const plus = (n: number) => (n > 0 ? ` + ${literal(n, digits)}` : "");
  // The least value of y's precision above (or at) x, and the offset.
  let base: string;
  if (coarser) base = `${name}${plus(gap + offset)}`;
  else if (per === 1) base = `${strict ? `floor(${name}) + 1` : `ceil(${name})`}${plus(offset)}`;
  else {
    base = `${strict ? `(floor(${name} * ${per}) + 1) / ${per}` : `ceil(${name} * ${per}) / ${per}`}${
      plus(offset)
    }`;
  }
  // Lags up to a quarter of the narrower interval.
  const steps = Math.min(MOST_STEPS, Math.floor(Math.min(nx.hi - nx.lo, ny.hi - ny.lo) / y.step / 4));
  let expression = base;
  if (steps > 0) {
    const spread = Math.round(1 / x.step) * SPREAD;
    let lag = `(${name} * ${spread}) % ${steps + 1}`;
    // Past 2^52 the remainder is a double's: keep it to its range.
    if (Math.max(Math.abs(nx.lo), Math.abs(nx.hi)) * spread >= 2 ** 52) {
      lag = `greatest(0, least(${steps}, ${lag}))`;
    }
    expression = `${base} + ${per === 1 ? lag : `${literal(y.step, digits)} * (${lag})`}`;
  }
  // The greatest value before the clamp: x's greatest up to y's precision, a step, the offset, the longest lag.
  const top = Math.ceil(nx.hi / y.step - 1e-9) * y.step + (strict ? y.step : 0) + offset + steps * y.step;
  if (top > ny.hi + y.step / 2) expression = `least(${literal(ny.hi, digits)}, ${expression})`;
  const bottom = nx.lo + gap + offset;
  if (bottom < ny.lo - y.step / 2) expression = `greatest(${literal(ny.lo, digits)}, ${expression})`;
  return { method: "derived", expression, round: digits };
}

/** A root's interval as bounds in its type's text. */
function rootBounds(c: Col, need: { lo: number; hi: number }, origin: string): Bounds | undefined {
  if (need.lo === c.lo && need.hi === c.hi) return undefined;
  if (c.family === "number") {
    const b: Bounds = { origin };
    if (need.lo !== c.lo) b.lo = { value: need.lo, inclusive: true };
    if (need.hi !== c.hi) b.hi = { value: need.hi, inclusive: true };
    return b;
  }
  const text = (u: number) =>
    c.family === "date" ? isoDate(u) : `${isoTimestamp(u)}${c.family === "timestamptz" ? "Z" : ""}`;
  return {
    lo: { value: text(need.lo), inclusive: true },
    hi: { value: text(need.hi), inclusive: true },
    origin,
  };
}

/**
 * Plans the CHECKs over two columns of one table, in order: a CHECK is kept
 * when all its pairs fit with those kept before it.
 *
 * @param table The table's generated columns, their types and bounds, and which are fixed.
 * @param checks The CHECKs with pairs whose other parts are derived.
 * @returns The CHECKs kept, the later columns' generators, the earlier columns' bounds and NULLs.
 */
export function planPairs(table: PairTable, checks: readonly PairCheck[]): PairPlan {
  const plan: PairPlan = { kept: new Set(), specs: new Map(), bounds: new Map(), neverNull: new Set() };
  if (checks.length === 0) return plan;
  const cols = new Map<string, Col>();
  const col = (name: string) => {
    if (!cols.has(name)) {
      const c = columnOf(table, name);
      if (c) cols.set(name, c);
    }
    return cols.get(name);
  };
  let edges: Edge[] = [];
  let solution: Solution | undefined;
  for (const check of checks) {
    let next = edges;
    let fits: Solution | undefined;
    for (const p of check.pairs) {
      const ways = [
        { from: p.earlier, to: p.later, casts: { a: p.casts.earlier, b: p.casts.later } },
        ...(p.distinct
          ? [{ from: p.later, to: p.earlier, casts: { a: p.casts.later, b: p.casts.earlier } }]
          : []),
      ];
      fits = undefined;
      for (const w of ways) {
        const a = col(w.from), b = col(w.to);
        if (!a || !b || b.excludes || !comparable(a, b, w.casts)) continue;
        const same = next.find((e) => e.to === w.to);
        if (same && same.from !== w.from) continue;
        const tried = same
          ? next.map((e) => (e === same ? { ...e, strict: e.strict || p.strict } : e))
          : [...next, { from: w.from, to: w.to, strict: p.strict }];
        fits = solve(cols, tried);
        if (fits) {
          next = tried;
          break;
        }
      }
      if (!fits) break;
    }
    if (!fits) continue;
    edges = next;
    solution = fits;
    plan.kept.add(check.origin);
  }
  if (!solution) return plan;
  const { order, parent, need, lags } = solution;
  for (const name of order) {
    const c = cols.get(name)!;
    const e = parent.get(name);
    if (!e) {
      const b = rootBounds(c, need.get(name)!, `${JSON.stringify(name)}: room for the columns after it`);
      if (b) plan.bounds.set(name, b);
      continue;
    }
    const lag = lags.get(name);
    if (lag) {
      const after: Extract<ColumnSpec, { after: object }>["after"] = {
        column: e.from,
        min_lag: lag.min,
        max_lag: lag.max,
      };
      if (c.family !== "date") after.unit = lag.name;
      const spec: ColumnSpec = { method: c.family === "date" ? "dates" : "timestamps", after };
      if (c.family === "timestamptz") spec.format = "iso";
      plan.specs.set(name, spec);
    } else {
      plan.specs.set(name, numberSpec(cols.get(e.from)!, c, e.strict, need.get(e.from)!, need.get(name)!));
    }
  }
  // A NOT NULL column's sources are never NULL.
  for (const name of order) {
    if (!cols.get(name)!.notNull) continue;
    for (let e = parent.get(name); e; e = parent.get(e.from)) plan.neverNull.add(e.from);
  }
  return plan;
}

/**
 * Plans the CHECKs over two columns of a table as `specFromSchema` has read
 * it: with the bounds gathered from its CHECKs and the headroom computed
 * columns need; key, reference, referenced and partition key columns stay as
 * they are.
 *
 * @param info The table, its generated columns' types and their bounds so far (not changed).
 * @param referenced Its columns other tables' foreign keys reference.
 * @param checks The CHECKs with pairs whose other parts are derived.
 * @returns As {@link planPairs}.
 */
export function tablePairs(
  info: { table: Table; types: Map<string, SchemaType>; bounds: ReadonlyMap<string, Bounds[]> },
  referenced: ReadonlySet<string>,
  checks: readonly PairCheck[],
): PairPlan {
  const t = info.table;
  const bounds = new Map([...info.bounds].map(([c, b]) => [c, [...b]]));
  computedInputs({ table: t, types: info.types, bounds });
  const fixed = new Set([
    ...(t.primaryKey ?? []),
    ...[...(t.unique ?? []), ...(t.uniqueNullsNotDistinct ?? [])].flat(),
    ...(t.indexes ?? []).flatMap((x) => (x.unique ? x.keys.filter((k) => typeof k === "string") : [])),
    ...(t.foreignKeys ?? []).flatMap((fk) => fk.columns),
    ...referenced,
    ...(t.partitioning?.columns ?? []),
  ]);
  const notNull = (n: string) =>
    (t.primaryKey ?? []).includes(n) || t.columns.some((c) => c.name === n && c.nullable === false);
  return planPairs({ types: info.types, bounds, fixed, notNull }, checks);
}
