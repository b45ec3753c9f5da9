/**
 * One column of a data spec as a value op of the kernel: what it draws,
 * which other columns it reads, its SQL type and how long its text can get.
 * References (foreign keys) are compiled in compile.ts, which knows the
 * parents.
 *
 * @module
 */
import * as v from "../../wasm/value_ops.ts";
import type { ColumnSpec, Distribution, SpecValue } from "./spec.ts";
import type { ImageBuilder } from "../values/image.ts";
import { type KernelDistribution, nameKey, type OpArg, writeDistribution, writeList } from "../values/ops.ts";
import { writePattern } from "../values/pattern_code.ts";
import { expressionWords } from "../values/expression_code.ts";
import { parsePattern, type Pattern, patternMaxBytes } from "./pattern.ts";
import { columnsOf, parseExpression } from "./expression.ts";
import { localePool } from "../vocab/locales.ts";

/** A column's draw, before registers are assigned. */
export interface ColumnDraw {
  code: number;
  /** Columns whose registers the op reads (drawn before it). */
  reads: string[];
  /** The op's arguments, given the registers of the columns it reads. */
  args: (regOf: (column: string) => number) => OpArg[];
  /** SQL type for DDL. */
  sqlType: string;
  /** Kernel register kind it produces (K_*), for derived expressions and lags. */
  kind: number;
  /** Longest formatted value, in bytes, before escaping. */
  maxBytes: number;
  /** Its values, when it picks from a list (correlated columns look them up). */
  values?: readonly (string | null)[];
  /** Output format of a temporal column (TF_*) and its strftime text. */
  temporal?: { format: number; text: string };
  /** A vocabulary column: its pool and locale (an email derived from it uses the same locale's slugs). */
  vocabulary?: { pool: string; locale: string };
}

/** A problem with a column that validation did not catch; compile turns it into a SpecError. */
export class ColumnError extends Error {}

const DAY = 86400;

/** Days (dates) or seconds (timestamps) of an ISO date or timestamp. */
export function temporalValue(text: string, kind: "dates" | "timestamps", where: string): number {
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(text)
    ? `${text}T00:00:00Z`
    : /[zZ]|[+-]\d{2}:?\d{2}$/.test(text)
    ? text.replace(" ", "T")
    : `${text.replace(" ", "T")}Z`;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new ColumnError(`${where}: "${text}" is not an ISO date or timestamp`);
  return kind === "dates" ? Math.floor(ms / 1000 / DAY) : Math.floor(ms / 1000);
}

/** A spec distribution as the kernel's, with its location relative to `lo` in `unit`s. */
export function kernelDistribution(
  d: Distribution | undefined,
  lo: number,
  hi: number,
  unit = 1,
): KernelDistribution | undefined {
  if (!d) return undefined;
  switch (d.type) {
    case "uniform":
      return d;
    case "normal":
      return { type: "normal", mean: ((d.mean ?? (lo + hi) / 2) - lo) * unit, stddev: d.stddev * unit };
    case "lognormal":
      return { type: "lognormal", mu: d.mu + Math.log(unit), sigma: d.sigma };
    case "exponential":
      return { type: "exponential", rate: d.rate / unit };
    case "poisson":
      return { type: "poisson", lambda: d.lambda * unit };
    case "zipf":
      return d;
    case "weighted":
      return d;
  }
}

function text(value: SpecValue): string | null {
  return value === null ? null : typeof value === "string" ? value : String(value);
}

/** Values and weights of a distincts list or value → weight map. */
export function listValues(values: SpecValue[] | Record<string, number>): {
  values: (string | null)[];
  weights?: number[];
  raw: boolean;
  sqlType: string;
} {
  const entries: [SpecValue, number | undefined][] = Array.isArray(values)
    ? values.map((x) => [x, undefined])
    : Object.entries(values).map(([k, w]) => [k, w]);
  const present = entries.map(([x]) => x).filter((x) => x !== null);
  const allNumbers = !Array.isArray(values)
    ? false
    : present.length > 0 && present.every((x) => typeof x === "number");
  const allBools = Array.isArray(values) && present.length > 0 &&
    present.every((x) => typeof x === "boolean");
  const ints = allNumbers && present.every((x) => Number.isInteger(x));
  const out: { values: (string | null)[]; weights?: number[]; raw: boolean; sqlType: string } = {
    values: entries.map(([x]) => text(x)),
    raw: allNumbers || allBools,
    sqlType: allBools ? "boolean" : ints ? "bigint" : allNumbers ? "double precision" : "text",
  };
  if (!Array.isArray(values)) out.weights = entries.map(([, w]) => w!);
  return out;
}

/** The longest of a list's values in UTF-8 bytes (NULL counts as its 4 letters). */
export const maxLength = (xs: readonly (string | null)[]) =>
  xs.reduce((m, x) => Math.max(m, x === null ? 4 : new TextEncoder().encode(x).length), 0);

const HASH_ALPHABETS: Record<string, string> = {
  hex: "0123456789abcdef",
  base36: "0123456789abcdefghijklmnopqrstuvwxyz",
  base62: "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
};

/** strftime and named formats of temporal columns. */
function temporalFormat(format: string | undefined): { format: number; text: string } {
  switch (format ?? "sql") {
    case "sql":
      return { format: v.TF_SQL, text: "" };
    case "iso":
      return { format: v.TF_ISO, text: "" };
    case "epoch":
      return { format: v.TF_EPOCH, text: "" };
    case "epoch_ms":
      return { format: v.TF_EPOCH_MS, text: "" };
    default:
      return { format: v.TF_STRFTIME, text: format! };
  }
}

/** The draw of a non-reference column. */
export function columnDraw(
  image: ImageBuilder,
  spec: ColumnSpec,
  context: {
    where: string;
    locale: string;
    rows: number;
    /** The draw of a column the spec reads (already compiled). */
    drawOf: (column: string) => ColumnDraw | undefined;
  },
): ColumnDraw {
  const locale = spec.locale ?? context.locale;
  const pool = (p: string, from = locale) => localePool(from, p);
  const poolList = (p: string, from = locale) => {
    const values = pool(p, from);
    return { list: writeList(image, values), maxBytes: maxLength(values), values };
  };
  switch (spec.method) {
    case "integers": {
      const dist = writeDistribution(image, kernelDistribution(spec.distribution, spec.min, spec.max));
      const wide = spec.min < -(2 ** 31) || spec.max >= 2 ** 31;
      return {
        code: v.V_INT,
        reads: [],
        args: () => [{ i64: BigInt(spec.min) }, { i64: BigInt(spec.max) - BigInt(spec.min) }, dist],
        sqlType: wide ? "bigint" : "integer",
        kind: v.K_INT,
        maxBytes: 20,
      };
    }
    case "floats": {
      const scale = spec.round ?? 4;
      const dist = writeDistribution(image, kernelDistribution(spec.distribution, spec.min, spec.max));
      const digits = Math.ceil(Math.log10(Math.max(Math.abs(spec.min), Math.abs(spec.max), 1) + 1));
      return {
        code: v.V_DEC,
        reads: [],
        args: () => [{ f64: spec.min }, { f64: spec.max }, scale, dist],
        sqlType: `numeric(${Math.min(38, digits + scale)},${scale})`,
        kind: v.K_DEC,
        maxBytes: 22 + scale,
      };
    }
    case "booleans": {
      const p = spec.true_probability ?? 0.5;
      return {
        code: v.V_BOOL,
        reads: [],
        args: () => [Math.min(2 ** 32 - 1, Math.round(p * 2 ** 32)) | 0],
        sqlType: "boolean",
        kind: v.K_BOOL,
        maxBytes: 5,
      };
    }
    case "nulls":
      return { code: v.V_NULL, reads: [], args: () => [], sqlType: "text", kind: v.K_NULL, maxBytes: 4 };
    case "distincts": {
      const l = listValues(spec.values);
      const list = writeList(image, l.values, { ...(l.weights ? { weights: l.weights } : {}), raw: l.raw });
      return {
        code: v.V_PICK,
        reads: [],
        args: () => [list],
        sqlType: l.sqlType,
        kind: v.K_TEXT,
        maxBytes: maxLength(l.values),
        values: l.values,
      };
    }
    case "correlated": {
      const on = context.drawOf(spec.on);
      if (!on?.values) {
        throw new ColumnError(`${context.where}: "on" must name a distincts, tuples or correlated column`);
      }
      // Each list is a slice of one list of all this column's values, so its choice can drive another column.
      const all: (string | null)[] = [];
      let raw = true;
      const types = new Set<string>();
      const slice = (choice: SpecValue[] | Record<string, number>) => {
        const l = listValues(choice);
        const at = writeList(image, l.values, {
          ...(l.weights ? { weights: l.weights } : {}),
          raw: l.raw,
          base: all.length,
        });
        all.push(...l.values);
        raw &&= l.raw;
        types.add(l.sqlType);
        return at;
      };
      const lists = on.values.map((value) => {
        const choice = value === null ? undefined : spec.map[value];
        return choice === undefined ? 0 : slice(choice);
      });
      const fallback = spec.default === undefined ? 0 : slice(spec.default);
      return {
        code: v.V_CORRELATED,
        reads: [spec.on],
        args: (regOf) => [regOf(spec.on), lists.length, fallback, ...lists],
        sqlType: types.size === 1 ? [...types][0]! : "text",
        kind: v.K_TEXT,
        maxBytes: maxLength(all),
        values: all,
      };
    }
    case "unique_ids":
      return uniqueIds(image, spec, context.rows);
    case "dates":
    case "timestamps": {
      const unit = spec.method === "dates" ? 1 : DAY;
      const kind = spec.method === "dates" ? v.K_DATE : v.K_TS;
      const temporal = temporalFormat(spec.format);
      const sqlType = temporal.format === v.TF_STRFTIME
        ? "text"
        : temporal.format >= v.TF_EPOCH
        ? "bigint"
        : spec.method === "dates"
        ? "date"
        : "timestamp";
      const maxBytes = temporal.format === v.TF_STRFTIME ? 4 * temporal.text.length + 4 : 24;
      if (spec.after) {
        const after = spec.after;
        const unitSeconds = { seconds: 1, minutes: 60, hours: 3600, days: DAY }[after.unit ?? "days"];
        const mult = spec.method === "dates" ? unitSeconds / DAY : unitSeconds;
        if (!Number.isInteger(mult)) {
          throw new ColumnError(
            `${context.where}.after.unit: a date column lags in whole days; use unit: days`,
          );
        }
        const dist = writeDistribution(
          image,
          kernelDistribution(after.distribution, after.min_lag, after.max_lag),
        );
        return {
          code: v.V_AFTER,
          reads: [after.column],
          args: (regOf) => [
            regOf(after.column),
            kind,
            mult,
            { i64: BigInt(after.min_lag) },
            { i64: BigInt(after.max_lag - after.min_lag) },
            dist,
          ],
          sqlType,
          kind,
          maxBytes,
          temporal,
        };
      }
      const lo = temporalValue(spec.min, spec.method, `${context.where}.min`);
      const hi = temporalValue(spec.max, spec.method, `${context.where}.max`);
      const dist = writeDistribution(
        image,
        kernelDistribution(spec.distribution, 0, (hi - lo) / unit, unit),
      );
      return {
        code: v.V_TEMPORAL,
        reads: [],
        args: () => [kind, { i64: BigInt(lo) }, { i64: BigInt(hi - lo) }, dist, spec.ordered ? 1 : 0],
        sqlType,
        kind,
        maxBytes,
        temporal,
      };
    }
    case "pattern":
      return patternDraw(image, parsePattern(spec.pattern));
    case "derived": {
      const expr = parseExpression(spec.expression);
      try {
        expressionWords(expr, () => 0);
      } catch (e) {
        if (e instanceof RangeError) throw new ColumnError(`${context.where}.expression: ${e.message}`);
        throw e;
      }
      const reads = columnsOf(expr);
      const inputs = reads.map((c) => context.drawOf(c));
      const integral = spec.round === 0 ||
        (spec.round === undefined && inputs.every((d) => d?.kind === v.K_INT) &&
          !/[/]/.test(spec.expression));
      const scale = spec.round ?? 2;
      return {
        code: v.V_DERIVED,
        reads,
        args: (regOf) => {
          const words = expressionWords(expr, regOf);
          return [integral ? v.K_INT : v.K_DEC, scale, words.length, ...words];
        },
        sqlType: integral ? "bigint" : `numeric(38,${scale})`,
        kind: integral ? v.K_INT : v.K_DEC,
        maxBytes: 24 + scale,
      };
    }
    case "ordinal":
      return {
        code: v.V_ORDINAL,
        reads: [],
        args: () => [],
        sqlType: "integer",
        kind: v.K_INT,
        maxBytes: 20,
      };
    case "ipv4":
      return { code: v.V_IPV4, reads: [], args: () => [], sqlType: "inet", kind: v.K_TEXT, maxBytes: 15 };
    case "ipv6":
      return { code: v.V_IPV6, reads: [], args: () => [], sqlType: "inet", kind: v.K_TEXT, maxBytes: 39 };
    case "full_name": {
      const first = poolList("first_name");
      const last = poolList("last_name");
      return {
        code: v.V_FULL_NAME,
        reads: [],
        args: () => [first.list, last.list],
        sqlType: "text",
        kind: v.K_TEXT,
        maxBytes: first.maxBytes + last.maxBytes + 1,
        vocabulary: { pool: "full_name", locale },
      };
    }
    case "email": {
      const from = spec.from;
      const source = from === undefined ? undefined : context.drawOf(from)?.vocabulary;
      // The name's indices point into its own locale's pools: take the slugs from there.
      const names = source?.locale ?? locale;
      const firsts = poolList("first_name_slug", names);
      const lasts = poolList("last_name_slug", names);
      const domains = spec.domains
        ? { list: writeList(image, spec.domains), maxBytes: maxLength(spec.domains) }
        : poolList("email_domain");
      const sourceKind = source?.pool === "full_name"
        ? 0
        : source?.pool === "first_name"
        ? 1
        : source?.pool === "last_name"
        ? 2
        : 3;
      return {
        code: v.V_EMAIL,
        reads: from === undefined ? [] : [from],
        args: (
          regOf,
        ) => [from === undefined ? -1 : regOf(from), firsts.list, lasts.list, domains.list, sourceKind],
        sqlType: "text",
        kind: v.K_TEXT,
        maxBytes: firsts.maxBytes + lasts.maxBytes + domains.maxBytes + 4,
      };
    }
    case "phone": {
      // One of the locale's phone formats, each a pattern.
      const patterns = pool("phone_pattern").map(parsePattern);
      return patternDraw(image, patterns.length === 1 ? patterns[0]! : { kind: "alt", options: patterns });
    }
    case "reference":
      throw new ColumnError(`${context.where}: references are compiled with their table`);
    default: {
      // Every other method picks from the locale pool of its own name.
      const p = poolList(spec.method);
      return {
        code: v.V_PICK,
        reads: [],
        args: () => [p.list],
        sqlType: "text",
        kind: v.K_TEXT,
        maxBytes: p.maxBytes,
        values: p.values,
        vocabulary: { pool: spec.method, locale },
      };
    }
  }
}

/** Text drawn from a pattern. */
function patternDraw(image: ImageBuilder, p: Pattern): ColumnDraw {
  const at = writePattern(image, p);
  return {
    code: v.V_PATTERN,
    reads: [],
    args: () => [at],
    sqlType: "text",
    kind: v.K_TEXT,
    maxBytes: patternMaxBytes(p),
  };
}

function uniqueIds(
  image: ImageBuilder,
  spec: Extract<ColumnSpec, { method: "unique_ids" }>,
  rows: number,
): ColumnDraw {
  switch (spec.kind) {
    case "sequential": {
      const [prefix, prefixLen] = spec.prefix ? image.text(spec.prefix) : [0, 0];
      const start = BigInt(spec.start ?? 1);
      const typed = prefixLen === 0 && !spec.width;
      return {
        code: v.V_SEQUENCE,
        reads: [],
        args: () => [{ i64: start }, prefix, prefixLen, spec.width ?? 0],
        sqlType: typed ? "bigint" : "text",
        kind: typed ? v.K_INT : v.K_TEXT,
        maxBytes: prefixLen + Math.max(spec.width ?? 0, 20),
      };
    }
    case "uuid4":
      return { code: v.V_UUID4, reads: [], args: () => [], sqlType: "uuid", kind: v.K_UUID, maxBytes: 36 };
    case "uuid7": {
      const from = Date.parse(spec.from ?? "2024-01-01T00:00:00Z");
      const to = Date.parse(spec.to ?? "2025-01-01T00:00:00Z");
      return {
        code: v.V_UUID7,
        reads: [],
        args: () => [{ i64: BigInt(from) }, { i64: BigInt(Math.max(0, to - from)) }],
        sqlType: "uuid",
        kind: v.K_UUID,
        maxBytes: 36,
      };
    }
    case "hash": {
      const alphabet = HASH_ALPHABETS[spec.alphabet ?? "hex"]!;
      const length = spec.length ?? 16;
      const base = BigInt(alphabet.length);
      let space = 1n;
      for (let i = 0; i < length && space < 2n ** 63n; i++) space *= base;
      if (space > 2n ** 63n) space = 2n ** 63n;
      if (space < BigInt(rows)) {
        throw new ColumnError(`hash ids of ${length} characters cannot be unique over ${rows} rows`);
      }
      const bits = Math.max(8, space.toString(2).length - (space & (space - 1n) ? 0 : 1));
      const [at] = image.text(alphabet);
      return {
        code: v.V_HASH,
        reads: [],
        args: () => [length, at, alphabet.length, bits, { i64: space }],
        sqlType: "text",
        kind: v.K_TEXT,
        maxBytes: length,
      };
    }
  }
}

/** The op key of a column: its name's hash (ops of one table never share draws). */
export function columnKey(name: string): number {
  return nameKey(name) | 0;
}
