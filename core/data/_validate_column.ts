/**
 * Checks of one column's generator: its method, the keys that method takes,
 * their values, and references to other columns of the row (correlated `on`,
 * `after.column`, email `from`, derived expressions).
 *
 * @module
 */
import {
  andList,
  type Checker,
  checkKeys,
  eg,
  readBoolean,
  readNumber,
  readObject,
  readString,
  readStrings,
  show,
} from "./_check.ts";
import { didYouMean, nearest, type PathPart, SpecError } from "./_spec_error.ts";
import { isObj, type ModelColumn, type ModelTable, type Obj, type RowBounds } from "./_spec_model.ts";
import { columnOffsets, columnsOf, parseExpression } from "./expression.ts";
import { parsePattern, patternCount } from "./pattern.ts";
import { FAKER_METHODS, LOCALES, METHODS } from "./spec.ts";

/** Keys every column may carry (`locale` only on faker methods). */
const COMMON = ["method", "null_fraction", "type", "not_null"];

/** Foreign key options, on a `reference` column or a `foreign_keys` entry. */
export const FK_OPTIONS = ["distribution", "per_parent", "one_to_one", "distinct", "window"];

interface MethodInfo {
  keys: readonly string[];
  required: readonly string[];
  example: (column: string) => string;
}

const NAME_METHODS = ["first_name", "last_name", "full_name"];

function faker(method: string): MethodInfo {
  if (method === "email") {
    return {
      keys: ["locale", "from", "domains"],
      required: [],
      example: () => "{ method: email, from: full_name, domains: [example.com] }",
    };
  }
  return { keys: ["locale"], required: [], example: () => `{ method: ${method}, locale: de }` };
}

const INFO: Record<string, MethodInfo> = {
  integers: {
    keys: ["min", "max", "distribution"],
    required: ["min", "max"],
    example: () => "{ method: integers, min: 1, max: 10 }",
  },
  floats: {
    keys: ["min", "max", "round", "distribution"],
    required: ["min", "max"],
    example: () => "{ method: floats, min: 0, max: 100, round: 2 }",
  },
  booleans: {
    keys: ["true_probability"],
    required: [],
    example: () => "{ method: booleans, true_probability: 0.3 }",
  },
  nulls: { keys: [], required: [], example: () => "{ method: nulls }" },
  distincts: {
    keys: ["values"],
    required: ["values"],
    example: () => "{ method: distincts, values: { active: 8, closed: 2 } }",
  },
  correlated: {
    keys: ["on", "map", "default"],
    required: ["on", "map"],
    example: () => "{ method: correlated, on: country, map: { US: [USD], DE: [EUR] }, default: [EUR] }",
  },
  tuples: {
    keys: ["columns", "values"],
    required: ["columns", "values"],
    example: (c) =>
      `{ method: tuples, columns: [${c}, zip], values: [{ tuple: [Paris, "75001"], weight: 2 }] }`,
  },
  unique_ids: {
    keys: ["kind", "prefix", "width", "start", "length", "alphabet", "from", "to"],
    required: ["kind"],
    example: () => '{ method: unique_ids, kind: sequential, prefix: "C-", width: 6 }',
  },
  dates: {
    keys: ["min", "max", "distribution", "format", "ordered", "after"],
    required: ["min", "max"],
    example: () => '{ method: dates, min: "2024-01-01", max: "2024-12-31" }',
  },
  timestamps: {
    keys: ["min", "max", "distribution", "format", "ordered", "after"],
    required: ["min", "max"],
    example: () => '{ method: timestamps, min: "2024-01-01 00:00:00", max: "2024-12-31 23:59:59" }',
  },
  pattern: {
    keys: ["pattern"],
    required: ["pattern"],
    example: () => "{ method: pattern, pattern: '[A-Z]{3}-\\d{4}' }",
  },
  derived: {
    keys: ["expression", "round"],
    required: ["expression"],
    example: () => '{ method: derived, expression: "quantity * unit_price", round: 2 }',
  },
  reference: {
    keys: ["table", "column", ...FK_OPTIONS],
    required: ["table", "column"],
    example: () => "{ method: reference, table: customers, column: customer_id }",
  },
  ordinal: { keys: [], required: [], example: () => "{ method: ordinal }" },
  ...Object.fromEntries(FAKER_METHODS.map((m) => [m, faker(m)])),
};

/** The example shown with a column's problems. */
export function methodExample(method: string, column: string): string {
  return INFO[method]?.example(column) ?? INFO.integers!.example(column);
}

/** For a key a method lacks: which methods take it. */
function elsewhere(key: string, method: string): string | undefined {
  if (key === "locale") {
    return `"locale" does not apply to method "${method}"; it is for faker methods such as first_name and city`;
  }
  const users = Object.entries(INFO).filter(([, info]) => info.keys.includes(key)).map(([m]) => m);
  if (users.length === 0) return undefined;
  const shown = users.length > 4 ? `${users.slice(0, 4).join(", ")}, ...` : users.join(", ");
  return `"${key}" does not apply to method "${method}" (it is for ${shown})`;
}

/** What a column check can see besides the column. */
export interface ColumnContext {
  c: Checker;
  table: ModelTable;
  /** Rows the table will have. */
  rows: RowBounds;
}

const DISTRIBUTIONS: Record<string, { keys: string[]; example: string }> = {
  uniform: { keys: [], example: "{ type: uniform }" },
  normal: { keys: ["mean", "stddev"], example: "{ type: normal, mean: 50, stddev: 10 }" },
  lognormal: { keys: ["mu", "sigma"], example: "{ type: lognormal, mu: 3.5, sigma: 0.8 }" },
  exponential: { keys: ["rate"], example: "{ type: exponential, rate: 0.5 }" },
  poisson: { keys: ["lambda"], example: "{ type: poisson, lambda: 3 }" },
  zipf: { keys: ["exponent"], example: "{ type: zipf, exponent: 1.1 }" },
  weighted: { keys: ["weights"], example: "{ type: weighted, weights: [5, 3, 1] }" },
};

const DISTRIBUTION_TYPES = Object.keys(DISTRIBUTIONS);

/** Checks a `distribution` value at `path`. */
export function checkDistribution(c: Checker, v: unknown, path: readonly PathPart[]): void {
  if (!isObj(v)) {
    c.reportValue(
      path,
      `must be a mapping with a type, not ${show(v)}, e.g. { type: normal, mean: 50, stddev: 10 }`,
    );
    return;
  }
  const type = v.type;
  if (type === undefined) {
    c.report(path, `needs a "type" (${DISTRIBUTION_TYPES.join(", ")}), e.g. { type: zipf, exponent: 1.1 }`);
    return;
  }
  if (typeof type !== "string" || !DISTRIBUTIONS[type]) {
    const near = typeof type === "string"
      ? didYouMean(type, DISTRIBUTION_TYPES)
      : `; known: ${DISTRIBUTION_TYPES}`;
    c.reportValue([...path, "type"], `unknown distribution ${show(type)}${near}`);
    return;
  }
  const info = DISTRIBUTIONS[type]!;
  checkKeys(c, v, path, ["type", ...info.keys], `distribution "${type}"`, info.example);
  const need = (key: string) => {
    if (v[key] === undefined) c.report(path, `distribution "${type}" needs "${key}", e.g. ${info.example}`);
  };
  switch (type) {
    case "normal":
      need("stddev");
      readNumber(c, v, "mean", path, {}, info.example);
      readNumber(c, v, "stddev", path, { above: 0 }, info.example);
      break;
    case "lognormal":
      need("mu");
      need("sigma");
      readNumber(c, v, "mu", path, {}, info.example);
      readNumber(c, v, "sigma", path, { above: 0 }, info.example);
      break;
    case "exponential":
      need("rate");
      readNumber(c, v, "rate", path, { above: 0 }, info.example);
      break;
    case "poisson":
      need("lambda");
      readNumber(c, v, "lambda", path, { above: 0 }, info.example);
      break;
    case "zipf":
      need("exponent");
      readNumber(c, v, "exponent", path, { above: 0 }, info.example);
      break;
    case "weighted": {
      need("weights");
      const w = v.weights;
      if (w === undefined) break;
      if (!Array.isArray(w) || w.length === 0) {
        c.reportValue(
          [...path, "weights"],
          `must be a non-empty list of positive numbers, not ${show(w)}, e.g. ${info.example}`,
        );
        break;
      }
      w.forEach((x, i) => {
        if (typeof x !== "number" || !Number.isFinite(x) || x <= 0) {
          c.reportValue(
            [...path, "weights", i],
            `a weight must be a positive number, not ${show(x)}, e.g. ${info.example}`,
          );
        }
      });
    }
  }
}

/** Checks a list of values or a value → weight mapping (distincts, correlated lists). */
function checkChoices(c: Checker, v: unknown, path: readonly PathPart[], example: string): void {
  if (Array.isArray(v)) {
    if (v.length === 0) {
      c.reportValue(path, `needs at least one value${eg(example)}`);
      return;
    }
    const seen = new Set<string>();
    v.forEach((x, i) => {
      if (x !== null && typeof x === "object") {
        c.reportValue(
          [...path, i],
          `a value must be a string, number, boolean or null, not ${show(x)}${eg(example)}`,
        );
      } else if (typeof x === "number" && !Number.isFinite(x)) {
        c.reportValue([...path, i], `a value must be a finite number, not ${x}`);
      } else {
        const key = `${typeof x}:${String(x)}`;
        if (seen.has(key)) {
          c.reportValue(
            [...path, i],
            `${show(x)} is listed twice; to weight values use a mapping, e.g. { a: 2, b: 1 }`,
          );
        }
        seen.add(key);
      }
    });
    return;
  }
  if (isObj(v)) {
    const entries = Object.entries(v);
    if (entries.length === 0) c.reportValue(path, `needs at least one value${eg(example)}`);
    for (const [k, w] of entries) {
      if (typeof w !== "number" || !Number.isFinite(w) || w <= 0) {
        c.reportValue(
          [...path, k],
          `the weight of "${k}" must be a positive number, not ${show(w)}${eg(example)}`,
        );
      }
    }
    return;
  }
  c.reportValue(
    path,
    `must be a list of values or a mapping of value to weight, not ${show(v)}${eg(example)}`,
  );
}

/** The distinct values a distincts, tuples or correlated column produces, as strings (null left out). */
export function valuesOf(col: ModelColumn): Set<string> | undefined {
  const out = new Set<string>();
  const addChoices = (v: unknown) => {
    if (Array.isArray(v)) { for (const x of v) if (x !== null && typeof x !== "object") out.add(String(x)); }
    if (isObj(v)) { for (const k of Object.keys(v)) out.add(k); }
  };
  const spec = col.spec;
  if (col.method === "distincts") addChoices(spec.values);
  else if (col.method === "tuples" && col.tuple && Array.isArray(spec.values)) {
    for (const v of spec.values) {
      const x = isObj(v) && Array.isArray(v.tuple) ? v.tuple[col.tuple.index] : undefined;
      if (x !== undefined && x !== null && typeof x !== "object") out.add(String(x));
    }
  } else if (col.method === "correlated" && isObj(spec.map)) {
    for (const v of Object.values(spec.map)) addChoices(v);
    addChoices(spec.default);
  } else {
    return undefined;
  }
  return out;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/;

/** Milliseconds since 1970 of an ISO date (`dates`) or timestamp, or undefined when it is not one. */
export function parseIsoTime(text: string, dateOnly: boolean): number | undefined {
  const m = (dateOnly ? DATE : TIMESTAMP).exec(text);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0)) as number[];
  if (mo! < 1 || mo! > 12 || d! < 1 || d! > new Date(Date.UTC(y!, mo!, 0)).getUTCDate()) return undefined;
  if (h! > 23 || mi! > 59 || s! > 59) return undefined;
  let ms = Date.UTC(y!, mo! - 1, d!, h!, mi!, s!) + Math.round(Number(m[7] ?? 0) * 1000);
  const zone = m[8];
  if (zone && zone !== "Z") {
    const z = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone)!;
    const offset = (Number(z[2]) * 60 + Number(z[3] ?? 0)) * 60_000;
    ms -= z[1] === "+" ? offset : -offset;
  }
  return ms;
}

const FORMATS = ["sql", "iso", "epoch", "epoch_ms"];

function checkFormat(c: Checker, spec: Obj, path: readonly PathPart[]): void {
  const f = readString(c, spec, "format", path, "format: iso");
  if (f === undefined || FORMATS.includes(f)) return;
  if (!f.includes("%")) {
    c.reportValue(
      [...path, "format"],
      `unknown format "${f}"${didYouMean(f, FORMATS, false)}; use ${
        FORMATS.join(", ")
      } or a strftime pattern such as "%Y-%m-%d"`,
    );
    return;
  }
  const bad = /%([^YmdHMSj%])/.exec(f);
  if (bad) {
    c.reportValue(
      [...path, "format"],
      `unsupported "%${bad[1]}" in format "${f}"; known: %Y %m %d %H %M %S %j %%`,
    );
  }
}

/** Checks one declared column. Tuple members and undeclared FK columns are checked through their owner. */
export function checkColumn(ctx: ColumnContext, col: ModelColumn, raw: unknown): void {
  const { c, table } = ctx;
  const path = col.path;
  if (!isObj(raw)) {
    c.reportValue(
      path,
      `a column must be a mapping with a method, not ${show(raw)}, e.g. ${
        methodExample("integers", col.name)
      }`,
    );
    return;
  }
  const method = raw.method;
  if (method === undefined) {
    c.report(
      path,
      `needs a "method", e.g. ${methodExample("integers", col.name)}; methods: ${METHODS.join(", ")}`,
    );
    return;
  }
  if (typeof method !== "string" || !INFO[method]) {
    const near = typeof method === "string" ? nearest(method, METHODS) : undefined;
    c.reportValue(
      [...path, "method"],
      near
        ? `unknown method ${show(method)} (did you mean "${near}"?), e.g. ${methodExample(near, col.name)}`
        : `unknown method ${show(method)}; methods: ${METHODS.join(", ")}`,
    );
    return;
  }
  const info = INFO[method]!;
  const example = info.example(col.name);
  const isFaker = (FAKER_METHODS as readonly string[]).includes(method);
  const afterForm = (method === "dates" || method === "timestamps") && raw.after !== undefined;
  checkKeys(
    c,
    raw,
    path,
    [...COMMON, ...info.keys],
    `method "${method}"`,
    example,
    (k) => elsewhere(k, method),
  );
  const required = afterForm ? [] : info.required;
  const missing = required.filter((k) => raw[k] === undefined);
  if (missing.length > 0) {
    c.report(path, `method "${method}" needs ${andList(missing)}, e.g. ${example}`);
  }

  // Keys every column may carry.
  const nullFraction = readNumber(c, raw, "null_fraction", path, { min: 0, max: 1 }, "null_fraction: 0.1");
  const notNull = readBoolean(c, raw, "not_null", path, "not_null: false");
  readString(c, raw, "type", path, "type: numeric(10,2)");
  if (nullFraction !== undefined && nullFraction > 0 && notNull === true) {
    c.reportValue(
      [...path, "not_null"],
      `not_null: true contradicts null_fraction: ${nullFraction}; drop one of them`,
    );
  }
  if (isFaker) checkLocale(c, raw, path);

  switch (method) {
    case "integers":
    case "floats": {
      const integer = method === "integers";
      const min = readNumber(c, raw, "min", path, { integer }, example);
      const max = readNumber(c, raw, "max", path, { integer }, example);
      if (min !== undefined && max !== undefined && min > max) {
        c.report(path, `min ${min} is greater than max ${max}, e.g. ${example}`, {
          path: [...path, "min"],
          part: "value",
        });
      }
      readNumber(c, raw, "round", path, { integer: true, min: 0, max: 9 }, example);
      if (raw.distribution !== undefined) checkDistribution(c, raw.distribution, [...path, "distribution"]);
      break;
    }
    case "booleans":
      readNumber(c, raw, "true_probability", path, { min: 0, max: 1 }, example);
      break;
    case "nulls":
      if (notNull === true) {
        c.reportValue([...path, "not_null"], `method "nulls" is always NULL; drop not_null: true`);
      }
      if (raw.null_fraction !== undefined) {
        c.report([...path, "null_fraction"], `method "nulls" is always NULL; drop null_fraction`);
      }
      break;
    case "distincts":
      if (raw.values !== undefined) checkChoices(c, raw.values, [...path, "values"], example);
      break;
    case "correlated":
      checkCorrelated(ctx, col, raw, example);
      break;
    case "tuples":
      checkTuples(ctx, col, raw, example);
      break;
    case "unique_ids":
      checkUniqueIds(ctx, col, raw);
      break;
    case "dates":
    case "timestamps":
      checkTemporal(ctx, col, raw, method, example);
      break;
    case "pattern": {
      const p = readString(c, raw, "pattern", path, example);
      if (p !== undefined) {
        try {
          parsePattern(p);
        } catch (e) {
          if (!(e instanceof SpecError)) throw e;
          c.reportValue([...path, "pattern"], withoutColumn(e), (e.column ?? 1) - 1);
        }
      }
      break;
    }
    case "derived":
      checkDerived(ctx, col, raw, example);
      break;
    case "reference":
      readString(c, raw, "table", path, example);
      readString(c, raw, "column", path, example);
      break;
    case "ordinal":
      if (!table.foreignKeys.some((fk) => fk.options.per_parent !== undefined)) {
        c.report(
          path,
          `method "ordinal" numbers the children of a per_parent parent, but table "${table.name}" has no foreign key with per_parent, e.g. order_id: { method: reference, table: orders, column: order_id, per_parent: { min: 1, max: 5 } }`,
        );
      }
      if (nullFraction !== undefined && nullFraction > 0) {
        c.reportValue([...path, "null_fraction"], `an ordinal is never NULL; drop null_fraction`);
      }
      break;
    case "email":
      checkEmail(ctx, col, raw);
      break;
  }
}

/** An expression or pattern error without "at column N": the position and caret line show where. */
function withoutColumn(e: SpecError): string {
  return e.message.replace(/ at column \d+(?=\n)/, "");
}

/** Checks `locale` on an object (a column or the spec). */
export function checkLocale(c: Checker, obj: Obj, path: readonly PathPart[]): void {
  const locale = readString(c, obj, "locale", path, "locale: de");
  if (locale !== undefined && !LOCALES.includes(locale)) {
    c.reportValue(
      [...path, "locale"],
      `unknown locale "${locale}"${
        didYouMean(locale, LOCALES, false)
      }; faker's locales include en, en_US, de, fr, es, ja, pt_BR`,
    );
  }
}

/** `a column of method integers`, `a foreign key column`, `a member of tuples column "city"`. */
export function describeMethod(col: ModelColumn): string {
  if (col.origin === "foreign_key" || col.method === "reference") return "a foreign key column";
  if (col.origin === "tuple") return `a member of tuples column "${col.tuple!.column}"`;
  return `a column of method ${col.method ?? "(none)"}`;
}

/** A column of the table by name, or a report naming the nearest. */
function sibling(
  ctx: ColumnContext,
  name: string,
  at: readonly PathPart[],
  what: string,
  offset?: number,
): ModelColumn | undefined {
  const found = ctx.table.byName.get(name);
  if (found) return found;
  const names = ctx.table.columns.map((col) => col.name);
  ctx.c.reportValue(
    at,
    `${what} "${name}" is not a column of table "${ctx.table.name}"${didYouMean(name, names)}`,
    offset,
  );
  return undefined;
}

function checkCorrelated(ctx: ColumnContext, col: ModelColumn, raw: Obj, example: string): void {
  const { c } = ctx;
  const path = col.path;
  const on = readString(c, raw, "on", path, example);
  const map = readObject(c, raw, "map", path, example);
  if (map) {
    if (Object.keys(map).length === 0) {
      c.reportValue([...path, "map"], `needs at least one entry${eg(example)}`);
    }
    for (const [k, v] of Object.entries(map)) checkChoices(c, v, [...path, "map", k], example);
  }
  if (raw.default !== undefined) checkChoices(c, raw.default, [...path, "default"], example);
  if (on === undefined) return;
  if (on === col.name) {
    c.reportValue(
      [...path, "on"],
      `a correlated column cannot depend on itself; name a distincts, tuples or correlated column`,
    );
    return;
  }
  const target = sibling(ctx, on, [...path, "on"], "on");
  if (!target) return;
  if (target.method !== "distincts" && target.method !== "tuples" && target.method !== "correlated") {
    c.reportValue(
      [...path, "on"],
      `"${on}" is ${
        describeMethod(target)
      }; "on" must name a distincts, tuples or correlated column, whose values can key "map"`,
    );
    return;
  }
  const values = valuesOf(target);
  if (!map || !values) return;
  const keys = Object.keys(map);
  for (const k of keys) {
    if (!values.has(k)) {
      c.report([...path, "map", k], `"${k}" is not a value of "${on}"${didYouMean(k, [...values])}`);
    }
  }
  if (raw.default === undefined) {
    const lacking = [...values].filter((v) => !keys.includes(v));
    if (lacking.length > 0) {
      const shown = lacking.length > 5
        ? `${andList(lacking.slice(0, 5))} and ${lacking.length - 5} more`
        : andList(lacking);
      c.report(
        [...path, "map"],
        `map has no entry for ${shown} of "${on}"'s values; add ${
          lacking.length > 1 ? "them" : "it"
        } or a default, e.g. default: [other]`,
      );
    }
  }
}

function checkTuples(ctx: ColumnContext, col: ModelColumn, raw: Obj, example: string): void {
  const { c, table } = ctx;
  const path = col.path;
  const columns = readStrings(c, raw, "columns", path, example);
  if (columns) {
    if (columns[0] !== col.name) {
      c.reportValue(
        [...path, "columns"],
        `the first of "columns" must be this column, "${col.name}", e.g. ${example}`,
      );
    }
    if (columns.length < 2) {
      c.reportValue(
        [...path, "columns"],
        `tuples draws several columns together; for one column use { method: distincts }`,
      );
    }
    const declared = isObj(table.spec.columns) ? table.spec.columns : {};
    columns.forEach((m, i) => {
      if (i > 0 && m === col.name && columns[0] !== col.name) return; // reported above
      if (columns.indexOf(m) !== i) c.reportValue([...path, "columns", i], `"${m}" is named twice`);
      else if (i > 0 && Object.hasOwn(declared, m)) {
        c.reportValue(
          [...path, "columns", i],
          `"${m}" is also declared as a column of "${table.name}"; a tuple member is declared only here`,
        );
      } else if (i > 0) {
        const owner = table.byName.get(m);
        if (owner && owner.tuple && owner.tuple.column !== col.name) {
          c.reportValue(
            [...path, "columns", i],
            `"${m}" is already a member of tuples column "${owner.tuple.column}"`,
          );
        }
      }
    });
  }
  const values = raw.values;
  if (values === undefined) return;
  if (!Array.isArray(values) || values.length === 0) {
    c.reportValue(
      [...path, "values"],
      `must be a non-empty list of { tuple: [...], weight: n }${eg(example)}`,
    );
    return;
  }
  values.forEach((v, i) => {
    const at = [...path, "values", i];
    if (!isObj(v)) {
      c.reportValue(at, `each value is { tuple: [...], weight: n }, not ${show(v)}${eg(example)}`);
      return;
    }
    checkKeys(c, v, at, ["tuple", "weight"], "a tuples value", example);
    readNumber(c, v, "weight", at, { above: 0 }, example);
    const tuple = v.tuple;
    if (tuple === undefined) {
      c.report(at, `needs "tuple"${eg(example)}`);
    } else if (!Array.isArray(tuple)) {
      c.reportValue([...at, "tuple"], `must be a list of values, not ${show(tuple)}${eg(example)}`);
    } else {
      if (columns && tuple.length !== columns.length) {
        c.reportValue(
          [...at, "tuple"],
          `has ${tuple.length} value${tuple.length === 1 ? "" : "s"} but "columns" names ${columns.length} (${
            columns.join(", ")
          })`,
        );
      }
      tuple.forEach((x, j) => {
        if (x !== null && typeof x === "object") {
          c.reportValue(
            [...at, "tuple", j],
            `a value must be a string, number, boolean or null, not ${show(x)}`,
          );
        }
      });
    }
  });
}

const KINDS = ["sequential", "uuid4", "uuid7", "hash"];
const ALPHABETS: Record<string, number> = { hex: 16, base36: 36, base62: 62 };
const KIND_KEYS: Record<string, string[]> = {
  sequential: ["prefix", "width", "start"],
  uuid4: [],
  uuid7: ["from", "to"],
  hash: ["length", "alphabet"],
};

function checkUniqueIds(ctx: ColumnContext, col: ModelColumn, raw: Obj): void {
  const { c, rows } = ctx;
  const path = col.path;
  const kind = raw.kind;
  if (kind === undefined) return;
  if (typeof kind !== "string" || !KINDS.includes(kind)) {
    const tail = typeof kind === "string" ? didYouMean(kind, KINDS) : `; known: ${KINDS.join(", ")}`;
    c.reportValue([...path, "kind"], `unknown kind ${show(kind)}${tail}`);
    return;
  }
  const example = kind === "sequential"
    ? '{ method: unique_ids, kind: sequential, prefix: "C-", width: 6 }'
    : kind === "hash"
    ? "{ method: unique_ids, kind: hash, length: 16 }"
    : kind === "uuid7"
    ? '{ method: unique_ids, kind: uuid7, from: "2024-01-01", to: "2024-12-31" }'
    : "{ method: unique_ids, kind: uuid4 }";
  for (const [other, keys] of Object.entries(KIND_KEYS)) {
    if (other === kind) continue;
    for (const k of keys) {
      if (raw[k] !== undefined && !KIND_KEYS[kind]!.includes(k)) {
        c.report([...path, k], `"${k}" applies to kind ${other}, not ${kind}, e.g. ${example}`);
      }
    }
  }
  if (kind === "sequential") {
    readString(c, raw, "prefix", path, example, true);
    const width = readNumber(c, raw, "width", path, { integer: true, min: 1, max: 18 }, example);
    const start = readNumber(c, raw, "start", path, { integer: true, min: 0 }, example) ?? 1;
    const last = start + rows.max - 1;
    if (width !== undefined && rows.max > 0 && last >= 10 ** width) {
      const need = String(last).length;
      c.reportValue(
        [...path, "width"],
        `width ${width} holds numbers up to ${
          10 ** width - 1
        }, but table "${ctx.table.name}" numbers rows up to ${last}; use width: ${need} or more`,
      );
    }
  } else if (kind === "hash") {
    const length = readNumber(c, raw, "length", path, { integer: true, min: 1, max: 64 }, example) ?? 16;
    const alphabet = raw.alphabet;
    let size = 16;
    if (alphabet !== undefined) {
      if (typeof alphabet !== "string" || ALPHABETS[alphabet] === undefined) {
        c.reportValue([...path, "alphabet"], `unknown alphabet ${show(alphabet)}; use hex, base36 or base62`);
        return;
      }
      size = ALPHABETS[alphabet]!;
    }
    const needed = 1000 * rows.max;
    if (size ** length < needed) {
      const fit = Math.ceil(Math.log(needed) / Math.log(size) - 1e-9);
      c.report(
        [...path, "length"],
        `${length} ${
          alphabet ?? "hex"
        } characters give ${size}^${length} values, too few to keep ${rows.max} rows apart (at least 1000 times the rows: ${needed}); use length: ${fit} or more`,
        { path: [...path, raw.length === undefined ? "kind" : "length"], part: "value" },
      );
    }
  } else if (kind === "uuid7") {
    const from = readString(c, raw, "from", path, example);
    const to = readString(c, raw, "to", path, example);
    if ((raw.from === undefined) !== (raw.to === undefined)) {
      c.report(path, `kind uuid7 takes both "from" and "to" or neither, e.g. ${example}`);
    }
    const f = from !== undefined ? isoOrReport(c, from, [...path, "from"], false, example) : undefined;
    const t = to !== undefined ? isoOrReport(c, to, [...path, "to"], false, example) : undefined;
    if (f !== undefined && t !== undefined && f > t) {
      c.report(path, `from "${from}" is later than to "${to}", e.g. ${example}`, {
        path: [...path, "from"],
        part: "value",
      });
    }
  }
}

function isoOrReport(c: Checker, text: string, at: readonly PathPart[], dateOnly: boolean, example: string) {
  const t = parseIsoTime(text, dateOnly);
  if (t === undefined) {
    const want = dateOnly
      ? 'an ISO date like "2024-05-01"'
      : 'an ISO timestamp like "2024-05-01 13:45:10" or a date';
    c.reportValue(at, `"${text}" is not ${want}${eg(example)}`);
  }
  return t;
}

function checkTemporal(
  ctx: ColumnContext,
  col: ModelColumn,
  raw: Obj,
  method: string,
  example: string,
): void {
  const { c } = ctx;
  const path = col.path;
  const dateOnly = method === "dates";
  checkFormat(c, raw, path);
  const ordered = readBoolean(c, raw, "ordered", path, example);
  if (raw.after !== undefined) {
    const afterExample = dateOnly
      ? "{ method: dates, after: { column: order_date, min_lag: 1, max_lag: 7 } }"
      : "{ method: timestamps, after: { column: ordered_at, unit: hours, min_lag: 1, max_lag: 72 } }";
    for (const k of ["min", "max", "distribution", "ordered"]) {
      if (raw[k] !== undefined) {
        c.report(
          [...path, k],
          `"${k}" cannot be combined with "after": the lag decides the value, e.g. ${afterExample}`,
        );
      }
    }
    checkAfter(ctx, col, raw, dateOnly, afterExample);
    return;
  }
  const min = readString(c, raw, "min", path, example);
  const max = readString(c, raw, "max", path, example);
  const lo = min !== undefined ? isoOrReport(c, min, [...path, "min"], dateOnly, example) : undefined;
  const hi = max !== undefined ? isoOrReport(c, max, [...path, "max"], dateOnly, example) : undefined;
  if (lo !== undefined && hi !== undefined && lo > hi) {
    c.report(path, `min "${min}" is later than max "${max}", e.g. ${example}`, {
      path: [...path, "min"],
      part: "value",
    });
  }
  if (raw.distribution !== undefined) {
    if (ordered === true) {
      c.report(
        [...path, "distribution"],
        `an ordered column rises with the row number, so "distribution" has no effect; drop one of them`,
      );
    } else {
      checkDistribution(c, raw.distribution, [...path, "distribution"]);
    }
  }
}

const UNITS = ["seconds", "minutes", "hours", "days"];

function checkAfter(
  ctx: ColumnContext,
  col: ModelColumn,
  raw: Obj,
  dateOnly: boolean,
  example: string,
): void {
  const { c } = ctx;
  const path = [...col.path, "after"];
  const after = readObject(c, raw, "after", col.path, example);
  if (!after) return;
  checkKeys(c, after, path, ["column", "unit", "min_lag", "max_lag", "distribution"], '"after"', example);
  const missing = ["column", "min_lag", "max_lag"].filter((k) => after[k] === undefined);
  if (missing.length > 0) c.report(path, `"after" needs ${andList(missing)}, e.g. ${example}`);
  const unit = readString(c, after, "unit", path, example);
  if (unit !== undefined && !UNITS.includes(unit)) {
    c.reportValue(
      [...path, "unit"],
      `unknown unit "${unit}"${didYouMean(unit, UNITS, false)}; use ${UNITS.join(", ")}`,
    );
  } else if (unit !== undefined && dateOnly && unit !== "days") {
    c.reportValue(
      [...path, "unit"],
      `a dates column moves in whole days; use unit: days (or a timestamps column)`,
    );
  }
  // Lags are whole units (pick a smaller unit for finer lags).
  const lo = readNumber(c, after, "min_lag", path, { integer: true, min: 0 }, example);
  const hi = readNumber(c, after, "max_lag", path, { integer: true, min: 0 }, example);
  if (lo !== undefined && hi !== undefined && lo > hi) {
    c.report(path, `min_lag ${lo} is greater than max_lag ${hi}, e.g. ${example}`, {
      path: [...path, "min_lag"],
      part: "value",
    });
  }
  if (after.distribution !== undefined) checkDistribution(c, after.distribution, [...path, "distribution"]);
  const column = readString(c, after, "column", path, example);
  if (column === undefined) return;
  if (column === col.name) {
    c.reportValue(
      [...path, "column"],
      `a column cannot come after itself; name another dates or timestamps column`,
    );
    return;
  }
  const target = sibling(ctx, column, [...path, "column"], "after.column");
  if (target && target.method !== "dates" && target.method !== "timestamps") {
    c.reportValue(
      [...path, "column"],
      `"${column}" is ${describeMethod(target)}; "after" needs a dates or timestamps column`,
    );
  }
}

function checkDerived(ctx: ColumnContext, col: ModelColumn, raw: Obj, example: string): void {
  const { c } = ctx;
  const path = col.path;
  readNumber(c, raw, "round", path, { integer: true, min: 0, max: 9 }, example);
  const text = readString(c, raw, "expression", path, example);
  if (text === undefined) return;
  let expr;
  try {
    expr = parseExpression(text);
  } catch (e) {
    if (!(e instanceof SpecError)) throw e;
    c.reportValue([...path, "expression"], withoutColumn(e), (e.column ?? 1) - 1);
    return;
  }
  const offsets = columnOffsets(text);
  for (const name of columnsOf(expr)) {
    if (name === col.name) {
      c.reportValue(
        [...path, "expression"],
        `the expression uses its own column "${name}"`,
        offsets.get(name),
      );
      continue;
    }
    sibling(ctx, name, [...path, "expression"], "the expression's column", offsets.get(name));
  }
}

function checkEmail(ctx: ColumnContext, col: ModelColumn, raw: Obj): void {
  const { c } = ctx;
  const path = col.path;
  const example = "{ method: email, from: full_name, domains: [example.com] }";
  const domains = readStrings(c, raw, "domains", path, example);
  domains?.forEach((d, i) => {
    if (
      !/^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/.test(d)
    ) {
      c.reportValue([...path, "domains", i], `"${d}" is not a domain name like example.com`);
    }
  });
  const from = readString(c, raw, "from", path, example);
  if (from === undefined) return;
  const target = sibling(ctx, from, [...path, "from"], "from");
  if (target && !NAME_METHODS.includes(target.method ?? "")) {
    c.reportValue(
      [...path, "from"],
      `"${from}" is ${describeMethod(target)}; "from" must name a first_name, last_name or full_name column`,
    );
  }
}

/** Which methods make a column unique by itself (for messages). */
export const UNIQUE_HINT =
  "a key is unique by construction with a unique_ids column, a pattern with enough values, a one_to_one foreign key, or a per_parent foreign key plus an ordinal column (or a distinct foreign key)";

/** Distinct values of a pattern column, or undefined when its pattern is invalid. */
export function patternValues(spec: Obj): number | undefined {
  if (typeof spec.pattern !== "string") return undefined;
  try {
    return patternCount(parsePattern(spec.pattern));
  } catch {
    return undefined;
  }
}
