/**
 * Sample literals of composed types: arrays of user types, composites of any
 * attribute types (domains, enums, arrays, other composites), and domains
 * whose CHECK is a regular expression (`VALUE ~ '…'`), each sample matching it.
 * Pooled like the other `T_SQL` types (`samples.ts`): the kernel picks one of
 * {@link SAMPLE_COUNT} literals made here once per type.
 *
 * @module
 */
import * as op from "../../wasm/opcodes.ts";
import { quoteLiteral } from "../dialect/quote.ts";
import { parsePattern, type Pattern } from "../data/pattern.ts";
import { SCALAR_CODES, scalarLiteral } from "./samples.ts";

/** What a sample needs of a resolved type (a subset of `ColumnType`). */
export interface SampledType {
  code: number;
  sql: string;
  length: number;
  scale: number;
  labels?: readonly string[];
  samples?: readonly string[];
  range?: [number | string, number | string];
}

const DAY_MS = 86400000;

/** A value inside `range` (numbers or ISO dates), spread over it by `r`. */
function inRange(t: SampledType, r: number): string | undefined {
  const [lo, hi] = t.range!;
  const step = (r * 7919) % 1000;
  if (typeof lo === "number" && typeof hi === "number") {
    const isInt = t.code === op.T_INT2 || t.code === op.T_INT4 || t.code === op.T_INT8;
    if (isInt) return String(lo + (step % (hi - lo + 1)));
    const scale = t.code === op.T_NUMERIC ? Math.min(t.scale, 6) : 3;
    const x = lo + ((hi - lo) * step) / 999;
    const f = 10 ** scale;
    return String(Math.min(hi, Math.max(lo, Math.round(x * f) / f)));
  }
  if (typeof lo === "string" && typeof hi === "string") {
    const a = Date.parse(lo), b = Date.parse(hi);
    if (Number.isNaN(a) || Number.isNaN(b)) return undefined;
    const days = Math.max(0, Math.floor((b - a) / DAY_MS));
    const at = new Date(a + (step % (days + 1)) * DAY_MS).toISOString();
    return `'${t.code === op.T_DATE ? at.slice(0, 10) : at}'::${t.sql}`;
  }
  return undefined;
}

/**
 * Sample `r` of any resolved type, as a literal of that type.
 *
 * @example
 * ```ts
 * import { sampleLiteral } from "./composed_samples.ts";
 * import * as op from "../../wasm/opcodes.ts";
 * const pct = { code: op.T_INT4, sql: "pct", length: 0, scale: 0, range: [0, 100] as [number, number] };
 * if (Number(sampleLiteral(pct, 5)) > 100) throw new Error();
 * ```
 */
export function sampleLiteral(t: SampledType, r: number): string {
  if (t.samples !== undefined) return t.samples[r % t.samples.length]!;
  if (t.code === op.T_ENUM) return `${quoteLiteral(t.labels![r % t.labels!.length]!)}::${t.sql}`;
  if (t.range !== undefined) {
    const v = inRange(t, r);
    if (v !== undefined) return v;
  }
  if (SCALAR_CODES.has(t.code)) return scalarLiteral(t, r);
  // Kernel-only scalars (jsonb, bytea): a plain literal of each.
  if (t.code === op.T_JSONB) return `'{"k": ${r}}'::${t.sql}`;
  if (t.code === op.T_BYTEA) return `'\\x${(r % 256).toString(16).padStart(2, "0")}'::${t.sql}`;
  throw new RangeError(`no sample literal for type ${t.sql}`);
}

/** Sample `r` of `sql`, an array of `element`: up to four elements, sometimes none. */
export function composedArraySample(element: SampledType, sql: string, r: number): string {
  const n = r % 5;
  if (n === 0) return `'{}'::${sql}`;
  return `ARRAY[${
    Array.from({ length: n }, (_, i) => sampleLiteral(element, r * 5 + i)).join(", ")
  }]::${sql}`;
}

/** Sample `r` of composite `sql` with `attributes`. */
export function compositeSample(attributes: readonly SampledType[], sql: string, r: number): string {
  return `ROW(${attributes.map((t, i) => sampleLiteral(t, r + i * 11)).join(", ")})::${sql}`;
}

/**
 * The regular expression of a domain CHECK `VALUE ~ '…'`, as written or as
 * PostgreSQL prints it (`(VALUE ~ '^[A-Z]{3}$'::text)`), when Quarry can
 * generate strings matching it (`core/data/pattern.ts`); else undefined.
 */
export function checkPattern(check: string): Pattern | undefined {
  const m =
    /^\(*\s*(?:VALUE|\(VALUE\)::text)\s*~\s*'((?:[^']|'')*)'(?:::(?:text|character varying|bpchar))?\s*\)*$/
      .exec(
        check.trim(),
      );
  if (!m) return undefined;
  try {
    return parsePattern(m[1]!.replaceAll("''", "'"));
  } catch {
    return undefined;
  }
}

/** A small deterministic generator for pattern samples (xorshift32 from `r`). */
function random(r: number): () => number {
  let x = (r * 2654435761 + 0x9e3779b9) >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
}

const decoder = new TextDecoder();

/**
 * Sample `r` of a pattern: one of the strings it describes.
 *
 * @example
 * ```ts
 * import { patternSample } from "./composed_samples.ts";
 * import { parsePattern } from "../data/pattern.ts";
 * if (!/^[A-Z]{3}-\d{4}$/.test(patternSample(parsePattern("^[A-Z]{3}-\\d{4}$"), 7))) throw new Error();
 * ```
 */
export function patternSample(p: Pattern, r: number): string {
  const next = random(r);
  const out: number[] = [];
  const walk = (q: Pattern): void => {
    switch (q.kind) {
      case "literal":
        out.push(...q.bytes);
        return;
      case "class":
        out.push(q.bytes[next() % q.bytes.length]!);
        return;
      case "seq":
        for (const item of q.items) walk(item);
        return;
      case "alt":
        walk(q.options[next() % q.options.length]!);
        return;
      case "repeat": {
        const n = q.min + (next() % (q.max - q.min + 1));
        for (let i = 0; i < n; i++) walk(q.body);
        return;
      }
    }
  };
  walk(p);
  return decoder.decode(Uint8Array.from(out));
}
