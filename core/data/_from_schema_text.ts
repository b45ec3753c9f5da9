/**
 * Text input forms — what COPY, CSV and a quoted SQL literal read — of the
 * types the value model has no method for: arrays and composites (quoted as
 * array_in and record_in read them), ranges and multiranges, bit strings,
 * json, bytea, network addresses, money, tsvector, point, interval, and
 * scalars inside those, each honouring its modifiers and domain bounds.
 * Draws are seeded by a name, so a column's forms are the same on every run.
 *
 * @module
 */
import { SplitMix64 } from "../rng/xoshiro256.ts";
import { vocabulary } from "../vocab/vocabularies.ts";
import type { Bounds } from "./_from_schema_checks.ts";
import {
  baseOf,
  clock,
  DAY,
  epoch,
  type Interval,
  intervalOf,
  isoDate,
  isoTimestamp,
  pad,
  type RangeElement,
  roundOf,
  SAFE,
  type SchemaType,
} from "./_from_schema_types.ts";

/** Deterministic draws for text forms, seeded by a name. */
export class Draws {
  #rng: SplitMix64;
  constructor(seedName: string) {
    let h = 0xcbf29ce484222325n;
    for (const b of new TextEncoder().encode(seedName)) {
      h = BigInt.asUintN(64, (h ^ BigInt(b)) * 0x100000001b3n);
    }
    this.#rng = new SplitMix64(h);
  }
  /** A whole number in [lo, hi]. */
  int(lo: number, hi: number): number {
    if (hi <= lo) return lo;
    return lo + Number(this.#rng.next() % BigInt(Math.floor(hi - lo) + 1));
  }
  chance(p: number): boolean {
    return Number(this.#rng.next() >> 11n) / 2 ** 53 < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)]!;
  }
}
/** A number of the interval in text, with `round` decimals. */
function decimal(value: number, round: number): string {
  return value.toFixed(round);
}

/** Words for text forms: plain, then ones that need quoting in arrays and composites. */
const HOSTILE_WORDS = [
  "b c",
  "it's",
  "a,b",
  "{x}",
  '"q"',
  "back\\slash",
  "NULL",
  "naïve",
  "日本",
  "(p)",
  " lead",
  "tab\tin",
];

let plainWords: readonly string[] | undefined;
function words(): readonly string[] {
  return plainWords ??= vocabulary("word").filter((w) => /^[a-z]{2,12}$/.test(w));
}

/** PostgreSQL array element text: quoted when array_in would read it otherwise. */
export function arrayElement(text: string | null): string {
  if (text === null) return "NULL";
  if (text === "" || /^null$/i.test(text) || /[{},"\\\s]/.test(text)) {
    return `"${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
  }
  return text;
}

/** PostgreSQL record field text: empty for NULL, quoted when record_in would read it otherwise. */
export function recordField(text: string | null): string {
  if (text === null) return "";
  if (text === "" || /[(),"\\\s]/.test(text)) return `"${text.replace(/["\\]/g, (c) => c + c)}"`;
  return text;
}

/** Text input forms of types, honouring their modifiers and (domain) bounds. */
export class TextForms {
  constructor(readonly draws: Draws, readonly jsonKeys: readonly string[] = vocabulary("json_key")) {}

  /**
   * Up to `count` distinct text forms of `type` under `bounds` (fewer when the
   * type has fewer values, e.g. bit(4)).
   */
  list(type: SchemaType, bounds: readonly Bounds[], count: number): string[] {
    const out = new Set<string>();
    for (let tries = 0; out.size < count && tries < count * 8; tries++) {
      const v = this.one(type, bounds, false);
      if (v !== null) out.add(v);
    }
    return [...out];
  }

  /** One text form; null (only when `nullable`) for NULL. */
  one(type: SchemaType, bounds: readonly Bounds[], nullable: boolean): string | null {
    const base = baseOf(type);
    const all = [...base.bounds, ...bounds];
    const iv = intervalOf(base.type, all);
    if (nullable && !base.notNull && !iv.notNull && this.draws.chance(0.1)) return null;
    if (iv.values && iv.values.length > 0) {
      const v = this.draws.pick(iv.values);
      return v === null
        ? (nullable ? null : this.one(type, bounds.filter((b) => !b.values), false))
        : String(v);
    }
    const t = base.type;
    const d = this.draws;
    const num = () => {
      const steps = Math.floor((iv.hi - iv.lo) / iv.step + 1e-9);
      const k = d.chance(0.1) ? 0 : d.chance(0.1) ? steps : d.int(0, Math.min(steps, SAFE));
      return iv.lo + k * iv.step;
    };
    for (let attempt = 0; attempt < 16; attempt++) {
      const v = this.#form(t, iv, num);
      if (!iv.exclude.has(v)) return v;
    }
    return this.#form(t, iv, num);
  }

  #form(t: SchemaType, iv: Interval, num: () => number): string {
    const d = this.draws;
    switch (t.kind) {
      case "int":
        return String(Math.round(num()));
      case "numeric":
      case "float":
      case "money":
        return decimal(num(), roundOf(t));
      case "interval": {
        const s = Math.round(num());
        return s >= DAY && d.chance(0.5) ? `${Math.floor(s / DAY)} days ${clock(s % DAY)}` : `${s} seconds`;
      }
      case "date":
        return isoDate(Math.round(num()));
      case "timestamp":
        return isoTimestamp(Math.round(num()));
      case "timestamptz":
        return `${isoTimestamp(Math.round(num()))}+00`;
      case "time":
        return clock(Math.round(num()));
      case "enum":
        return t.labels[Math.round(num())]!;
      case "bool":
        return d.chance(0.5) ? "t" : "f";
      case "text":
        return this.#text(iv, t.fixed);
      case "uuid": {
        const hex = Array.from({ length: 32 }, () => d.int(0, 15).toString(16));
        hex[12] = "4";
        hex[16] = "89ab"[d.int(0, 3)]!;
        const h = hex.join("");
        return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
      }
      case "json":
      case "jsonb":
        return this.#json();
      case "bytea":
        return `\\x${Array.from({ length: d.int(0, 12) }, () => pad(d.int(0, 255).toString(16))).join("")}`;
      case "inet":
        return d.chance(0.8)
          ? `10.${d.int(0, 255)}.${d.int(0, 255)}.${d.int(1, 254)}${d.chance(0.2) ? `/${d.int(8, 32)}` : ""}`
          : `2001:db8::${d.int(1, 65535).toString(16)}:${d.int(0, 65535).toString(16)}`;
      case "cidr":
        return d.chance(0.8)
          ? `10.${d.int(0, 255)}.${d.int(0, 255)}.0/24`
          : `2001:db8:${d.int(1, 65535).toString(16)}::/48`;
      case "macaddr":
        return Array.from(
          { length: 6 },
          (_, i) => pad((i === 0 ? d.int(0, 127) * 2 : d.int(0, 255)).toString(16)),
        )
          .join(":");
      case "tsvector": {
        const n = d.int(1, 4);
        const lexemes = Array.from({ length: n }, () => d.pick(words()));
        return d.chance(0.2) ? `${lexemes.join(" ")} 'it''s'` : lexemes.join(" ");
      }
      case "point":
        return `(${decimal(d.int(-100000, 100000) / 100, 2)},${decimal(d.int(-100000, 100000) / 100, 2)})`;
      case "bit": {
        const n = t.varying ? d.int(0, t.length || 16) : t.length || 1;
        return Array.from({ length: n }, () => (d.chance(0.5) ? "1" : "0")).join("");
      }
      case "range":
        return this.#range(t.element);
      case "multirange": {
        if (d.chance(0.15)) return "{}";
        const parts = Array.from({ length: d.int(1, 3) }, () => this.#range(t.element, false));
        return `{${parts.join(",")}}`;
      }
      case "array": {
        const n = d.chance(0.15) ? 0 : d.int(1, 4);
        const items = Array.from({ length: n }, () => this.one(t.element, [], true));
        return `{${items.map(arrayElement).join(",")}}`;
      }
      case "composite":
        return `(${t.attributes.map((a) => recordField(this.one(a.type, [], true))).join(",")})`;
      case "domain":
        return this.one(t, [], false)!;
    }
  }

  #text(iv: Interval, fixed: boolean): string {
    const d = this.draws;
    const max = Math.min(iv.maxLength, Math.max(40, iv.minLength));
    const min = Math.min(iv.minLength, max);
    // char(n) ignores trailing spaces; none of the words ends with one.
    const fits = (w: string) => {
      const n = [...w].length;
      return n >= min && n <= max && !(fixed && n > 0 && /^\s+$/.test(w));
    };
    for (let i = 0; i < 8; i++) {
      const w = d.chance(0.25) ? d.pick(HOSTILE_WORDS) : d.pick(words());
      const joined = d.chance(0.2) ? `${w} ${d.pick(words())}` : w;
      if (fits(joined)) return joined;
      if (fits(w)) return w;
    }
    // Letters of the right length.
    const n = d.int(Math.max(min, 1), Math.max(min, Math.min(max, 8)));
    return Array.from({ length: n }, () => String.fromCharCode(97 + d.int(0, 25))).join("");
  }

  #json(): string {
    const d = this.draws;
    const value = (depth: number): string => {
      switch (d.int(0, depth > 1 ? 4 : 6)) {
        case 0:
          return String(d.int(-1000, 100000));
        case 1:
          return decimal(d.int(-100000, 100000) / 100, 2);
        case 2:
          return JSON.stringify(d.chance(0.3) ? d.pick(HOSTILE_WORDS) : d.pick(words()));
        case 3:
          return d.chance(0.5) ? "true" : "null";
        case 4:
          return "false";
        case 5:
          return `[${Array.from({ length: d.int(0, 3) }, () => value(depth + 1)).join(", ")}]`;
        default:
          return object(depth + 1);
      }
    };
    const object = (depth: number): string => {
      const keys = [...new Set(Array.from({ length: d.int(0, 4) }, () => d.pick(this.jsonKeys)))];
      return `{${keys.map((k) => `${JSON.stringify(k)}: ${value(depth)}`).join(", ")}}`;
    };
    return object(0);
  }

  #range(element: RangeElement, allowEmpty = true): string {
    const d = this.draws;
    if (allowEmpty && d.chance(0.1)) return "empty";
    const open = d.chance(0.1) ? "lower" : d.chance(0.1) ? "upper" : "";
    const a = d.int(0, 5000), len = d.int(1, 400);
    const bound = (x: number): string => {
      switch (element) {
        case "int4":
          return String(x);
        case "int8":
          return String(x * 100003);
        case "num":
          return decimal(x / 4, 2);
        case "date":
          return isoDate(epoch("2020-01-01", false) + x);
        case "ts":
          return `"${isoTimestamp(epoch("2020-01-01", true) + x * 3607)}"`;
        case "tstz":
          return `"${isoTimestamp(epoch("2020-01-01", true) + x * 3607)}+00"`;
      }
    };
    const lo = open === "lower" ? "" : bound(a);
    const hi = open === "upper" ? "" : bound(a + len);
    return `${d.chance(0.7) ? "[" : "("}${lo},${hi}${d.chance(0.7) ? ")" : "]"}`;
  }
}
