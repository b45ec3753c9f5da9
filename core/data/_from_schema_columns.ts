/**
 * One column of a schema as a data spec column: the method that draws values
 * of its type within its bounds, or — for the types the value model has no
 * method for — `distincts` over text input forms. Keys get unique methods
 * here too (`unique_ids` within the type's range and length). Text CHECKs
 * (regular expressions, LIKE; core/data/_from_schema_text_checks.ts) are
 * kept by the vocabulary entries that match them, else by a `pattern`
 * fitted to the column's lengths.
 *
 * @module
 */
import type { ColumnSpec, FakerMethod, SpecValue } from "./spec.ts";
import { columnDraw } from "./columns.ts";
import { ImageBuilder } from "../values/image.ts";
import { vocabulary } from "../vocab/vocabularies.ts";
import type { Bounds } from "./_from_schema_checks.ts";
import {
  baseOf,
  clock,
  type Interval,
  intervalOf,
  isoDate,
  isoTimestamp,
  roundOf,
  type SchemaType,
} from "./_from_schema_types.ts";
import type { TextForms } from "./_from_schema_text.ts";
import {
  fitPattern,
  nestedPatternOrigins,
  patternMatcher,
  patternsOf,
  renderPattern,
} from "./_from_schema_text_checks.ts";

/** Text forms per column of a type without a method: "64 or more varied values". */
export const FORMS_PER_COLUMN = 128;

/** Schema vocabularies (configs/vocabularies.json) that are faker methods of the value model. */
const VOCABULARY_METHODS: Record<string, FakerMethod> = {
  first_name: "first_name",
  last_name: "last_name",
  full_name: "full_name",
  email: "email",
  city: "city",
  country_code: "country_code",
  street: "street_address",
  company: "company",
  product: "product_name",
  word: "word",
  sentence: "sentence",
};

/** What a column spec is made from. */
export interface ColumnContext {
  /** `table "t", column "c"`, for warnings. */
  where: string;
  type: SchemaType;
  /** The column's own bounds: `range`, CHECKs, partitions. */
  bounds: readonly Bounds[];
  vocabulary?: string;
  forms: TextForms;
  /** Takes a warning; `origin` names the constraint it is about (one warning per constraint). */
  warn: (message: string, origin?: string) => void;
}

/** Whether a column's type stores text (char, varchar, text, or a domain over one). */
export function isText(type: SchemaType | undefined): boolean {
  return type !== undefined && baseOf(type).type.kind === "text";
}

/** Text CHECKs of a column that its generator does not follow, each warned about once. */
export function unkeptPatterns(ctx: ColumnContext, why: string): void {
  for (const { origin } of patternsOf([...baseOf(ctx.type).bounds, ...ctx.bounds])) {
    ctx.warn(`${origin ?? ctx.where}: ${ctx.where} ${why}; generated values may violate it`, origin);
  }
}

/** The column's interval: its type's, its domains' and its own bounds; ignored bounds are warned about. */
export function columnInterval(ctx: ColumnContext): { type: SchemaType; iv: Interval; notNull: boolean } {
  const base = baseOf(ctx.type);
  const all = [...base.bounds, ...ctx.bounds];
  let iv = intervalOf(base.type, all);
  for (const origin of new Set(iv.ignored)) {
    ctx.warn(
      `${origin}: does not apply to ${ctx.where} of type ${ctx.type.sql}; generated values may violate it`,
      origin,
    );
  }
  // A domain's text CHECK over a type that is not text (a table's is not read as one).
  if (base.type.kind !== "text") {
    for (const { origin } of patternsOf(all)) {
      ctx.warn(
        `${origin ?? ctx.where}: not a form bounds are derived from; generated values may violate it`,
        origin,
      );
    }
  }
  if (iv.lo > iv.hi || (iv.values && iv.values.length === 0) || iv.minLength > iv.maxLength) {
    const origins = [...new Set(all.map((b) => b.origin ?? "its range"))].join("; ");
    ctx.warn(
      `${ctx.where}: its bounds (${origins}) leave no value of ${ctx.type.sql}; the type's own range is used`,
    );
    iv = intervalOf(base.type, []);
  }
  return { type: base.type, iv, notNull: base.notNull || iv.notNull };
}

const distincts = (values: SpecValue[]): ColumnSpec => ({ method: "distincts", values });

function numbers(t: SchemaType, values: readonly (SpecValue | null)[]): SpecValue[] {
  return values.map((
    v,
  ) => (v === null ? null : ["int", "numeric", "float"].includes(t.kind) ? Number(v) : v));
}

/** The generator of a column that is neither a key nor a foreign key. */
export function valueSpec(ctx: ColumnContext): ColumnSpec {
  const { type: t, iv } = columnInterval(ctx);
  // Domains with text CHECKs inside arrays and composites: their text forms do not follow them.
  for (const origin of nestedPatternOrigins(ctx.type)) {
    ctx.warn(`${origin}: not a form bounds are derived from; generated values may violate it`, origin);
  }
  if (iv.values) {
    const values = t.kind === "bool"
      ? iv.values.map((v) => v === null ? null : v === true || v === "true" || v === "t")
      : numbers(t, iv.values);
    if (t.kind === "text") return distincts(matchingValues(ctx, t, values));
    return distincts(values);
  }
  const forms = () => distincts(ctx.forms.list(ctx.type, ctx.bounds, FORMS_PER_COLUMN));
  switch (t.kind) {
    case "int":
    case "numeric":
    case "float": {
      const round = roundOf(t);
      if (iv.exclude.size > 0) {
        // Values excluded inside the interval: a list, when the interval is small enough to spell out.
        const steps = Math.round((iv.hi - iv.lo) / iv.step);
        if (steps <= 4096) {
          const all: SpecValue[] = [];
          for (let k = 0; k <= steps; k++) {
            const v = Number((iv.lo + k * iv.step).toFixed(round));
            if (!iv.exclude.has(String(v))) all.push(v);
          }
          return distincts(all);
        }
        ctx.warn(
          `${ctx.where}: values ${[...iv.exclude].join(", ")} cannot be left out of a range this wide`,
        );
      }
      return round === 0
        ? { method: "integers", min: iv.lo, max: iv.hi }
        : { method: "floats", min: iv.lo, max: iv.hi, round };
    }
    case "bool":
      return { method: "booleans" };
    case "date":
      return { method: "dates", min: isoDate(iv.lo), max: isoDate(iv.hi) };
    case "timestamp":
      return { method: "timestamps", min: isoTimestamp(iv.lo), max: isoTimestamp(iv.hi) };
    case "timestamptz":
      return { method: "timestamps", min: isoTimestamp(iv.lo), max: isoTimestamp(iv.hi), format: "iso" };
    case "time":
      return {
        method: "timestamps",
        min: `2000-01-01 ${clock(iv.lo)}`,
        max: `2000-01-01 ${clock(iv.hi)}`,
        format: "%H:%M:%S",
      };
    case "uuid":
      return { method: "unique_ids", kind: "uuid4" };
    case "inet":
      return { method: "ipv4" };
    case "enum": {
      const labels = t.labels.slice(iv.lo, iv.hi + 1).filter((l) => !iv.exclude.has(l));
      return distincts(labels);
    }
    case "text":
      return textSpec(ctx, iv, t);
    default:
      return forms();
  }
}

/** Characters of a value (char(n) and varchar(n) count characters, not bytes). */
const chars = (s: string) => [...s].length;

/** The fewest fitting vocabulary entries that keep a text CHECK instead of its pattern. */
const PATTERN_POOL = FORMS_PER_COLUMN / 2;

/** The text CHECKs of a text column, and whether a value is a string of all of them (exactly n characters for char(n)). */
function textChecks(ctx: ColumnContext, t: Extract<SchemaType, { kind: "text" }>) {
  const patterns = patternsOf([...baseOf(ctx.type).bounds, ...ctx.bounds]);
  const fixed = t.fixed && t.length > 0 ? t.length : undefined;
  const matches = patterns.length > 0 ? patternMatcher(patterns.map((p) => p.pattern), fixed) : () => true;
  return { patterns, fixed, matches };
}

/** An IN list of a text column, kept to the values its text CHECKs accept (all of it when none is). */
function matchingValues(
  ctx: ColumnContext,
  t: Extract<SchemaType, { kind: "text" }>,
  values: SpecValue[],
): SpecValue[] {
  const { patterns, matches } = textChecks(ctx, t);
  if (patterns.length === 0) return values;
  const kept = values.filter((v) => v === null || matches(String(v)));
  if (kept.some((v) => v !== null)) return kept;
  unkeptPatterns(ctx, "allows only values its pattern does not match");
  return values;
}

/**
 * A text column: its vocabulary's method when every value fits, else fitting
 * entries, else a pattern. With text CHECKs, a value fits when it is a string
 * of every one; fewer than {@link PATTERN_POOL} fitting entries give way to
 * the first CHECK's pattern, fitted to the column's lengths.
 */
function textSpec(ctx: ColumnContext, iv: Interval, t: Extract<SchemaType, { kind: "text" }>): ColumnSpec {
  const { patterns, fixed, matches } = textChecks(ctx, t);
  const fits = (s: string) =>
    chars(s) >= iv.minLength && chars(s) <= iv.maxLength && !iv.exclude.has(s) && matches(s);
  const name = ctx.vocabulary;
  const method: FakerMethod | undefined = name === undefined ? "word" : VOCABULARY_METHODS[name];
  let pool: readonly string[] | undefined = name !== undefined && !method ? vocabulary(name) : undefined;
  if (method) {
    const draw = columnDraw(new ImageBuilder(), { method }, {
      where: ctx.where,
      locale: "en",
      rows: 1,
      drawOf: () => undefined,
    });
    if (draw.values) {
      const values = draw.values.filter((v): v is string => v !== null);
      if (values.every(fits)) return { method };
      pool = values;
    } else if (
      draw.maxBytes <= iv.maxLength && iv.minLength <= 3 && iv.exclude.size === 0 && patterns.length === 0
    ) {
      return { method };
    } else pool = name ? vocabulary(name) : undefined;
  }
  const fitting = [...new Set(pool ?? [])].filter(fits).slice(0, 400);
  if (patterns.length > 0) {
    if (fitting.length >= PATTERN_POOL) return distincts(fitting);
    const fit = { minLength: iv.minLength, maxLength: iv.maxLength, exclude: iv.exclude };
    const fitted = patterns.map((p) => fitPattern(p.pattern, fixed === undefined ? fit : { ...fit, fixed }));
    const at = fitted.findIndex((p) => p !== undefined);
    if (at >= 0 && patterns.length === 1) return { method: "pattern", pattern: renderPattern(fitted[at]!) };
    // Entries that match every CHECK, however few, before a pattern that follows one.
    if (fitting.length > 0) return distincts(fitting);
    if (at < 0) unkeptPatterns(ctx, "has no value of its pattern within its other bounds");
    else {
      // Two text patterns: values are drawn from one; the others are not combined with it.
      patterns.forEach(({ origin }, k) => {
        if (k === at) return;
        const why = "is drawn from one of its text patterns, not from all of them at once";
        ctx.warn(`${origin ?? ctx.where}: ${ctx.where} ${why}; generated values may violate it`, origin);
      });
      return { method: "pattern", pattern: renderPattern(fitted[at]!) };
    }
  }
  if (fitting.length > 0) return distincts(fitting);
  const min = Math.max(1, iv.minLength);
  const max = Math.max(min, Math.min(iv.maxLength, 12));
  return { method: "pattern", pattern: min === max ? `[a-z]{${min}}` : `[a-z]{${min},${max}}` };
}

/** How many decimal digits `n` has. */
const digitsOf = (n: number) => String(Math.max(1, Math.floor(Math.abs(n)))).length;

/** A prefix for sequential text keys from the column's name: its ASCII letters and digits, up to 6. */
function prefixOf(column: string): string {
  const letters = column.replace(/[^A-Za-z0-9]/g, "").slice(0, 6);
  return `${letters || "k"}-`;
}

/**
 * A generator whose values are all different over `rows` rows, within the
 * column's type, length and bounds; undefined when the type has none.
 */
export function uniqueSpec(ctx: ColumnContext, column: string, rows: number): ColumnSpec | undefined {
  const { type: t, iv } = columnInterval(ctx);
  if (iv.values) return undefined;
  const sequentialFits = (start: number) =>
    start >= iv.lo && start + rows - 1 <= iv.hi && iv.exclude.size === 0;
  switch (t.kind) {
    case "int":
    case "numeric":
    case "float": {
      if (iv.step < 1 && t.kind === "numeric" && t.precision > 0 && digitsOf(rows) > t.precision - t.scale) {
        return undefined;
      }
      // From 1 where the range allows, else from its lowest value.
      const start = [1, Math.ceil(iv.lo)].find(sequentialFits);
      return start === undefined ? undefined : { method: "unique_ids", kind: "sequential", start };
    }
    case "uuid":
      return { method: "unique_ids", kind: "uuid4" };
    case "text": {
      const digits = digitsOf(rows);
      for (const prefix of [prefixOf(column), ""]) {
        // Zero-padded when the shortest number would be too short.
        const width = iv.minLength > chars(prefix) + 1 ? Math.max(digits, iv.minLength - chars(prefix)) : 0;
        if (chars(prefix) + Math.max(width, digits) > iv.maxLength) continue;
        const spec: ColumnSpec = { method: "unique_ids", kind: "sequential" };
        if (prefix) spec.prefix = prefix;
        if (width) spec.width = width;
        return spec;
      }
      // Hash ids: the row number mapped one to one onto `length` base-62 characters.
      for (let length = Math.max(iv.minLength, 1); length <= Math.min(iv.maxLength, 16); length++) {
        if (62 ** length >= rows * 4) {
          return { method: "unique_ids", kind: "hash", length, alphabet: "base62" };
        }
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

/** Whether an ordinal 1, 2, … up to `max` fits the column. */
export function ordinalFits(ctx: ColumnContext, max: number): boolean {
  const { type: t, iv } = columnInterval(ctx);
  return (t.kind === "int" || (t.kind === "numeric" && t.scale === 0)) && !iv.values && iv.lo <= 1 &&
    iv.hi >= max && iv.exclude.size === 0;
}

/** The whole numbers a generator draws, when it is an integer range or a sequence. */
export function integerRange(spec: ColumnSpec, rows: number): [number, number] | undefined {
  if (spec.method === "integers") return [spec.min, spec.max];
  if (spec.method === "unique_ids" && spec.kind === "sequential" && !spec.prefix && !spec.width) {
    const start = spec.start ?? 1;
    return [start, start + rows - 1];
  }
  if (spec.method === "ordinal") return [1, rows];
  return undefined;
}
