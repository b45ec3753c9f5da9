/**
 * Shared pieces of column checks: the context a check sees, distributions,
 * value lists and weight maps, ISO times, formats and locales.
 *
 * @module
 */
import { type Checker, checkKeys, eg, readNumber, readString, show } from "./_check.ts";
import { didYouMean, type PathPart } from "./_spec_error.ts";
import { isObj, type ModelColumn, type ModelTable, type Obj, type RowBounds } from "./_spec_model.ts";
import { LOCALES } from "./spec.ts";

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
  if (typeof type !== "string" || !Object.hasOwn(DISTRIBUTIONS, type)) {
    const near = typeof type === "string"
      ? didYouMean(type, DISTRIBUTION_TYPES)
      : `; known: ${DISTRIBUTION_TYPES.join(", ")}`;
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
export function checkChoices(c: Checker, v: unknown, path: readonly PathPart[], example: string): void {
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

export function checkFormat(c: Checker, spec: Obj, path: readonly PathPart[]): void {
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
export function sibling(
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

/** Milliseconds of an ISO date or timestamp, or undefined after reporting that it is not one. */
export function isoOrReport(
  c: Checker,
  text: string,
  at: readonly PathPart[],
  dateOnly: boolean,
  example: string,
): number | undefined {
  const t = parseIsoTime(text, dateOnly);
  if (t === undefined) {
    const want = dateOnly
      ? 'an ISO date like "2024-05-01"'
      : 'an ISO timestamp like "2024-05-01 13:45:10" or a date';
    c.reportValue(at, `"${text}" is not ${want}${eg(example)}`);
  }
  return t;
}
