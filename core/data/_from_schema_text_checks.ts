/**
 * Text CHECKs kept by construction: a regular expression (`col ~ 're'`,
 * `col ~* 're'`) or a LIKE pattern (`col LIKE 'SKU-%'`, printed `~~`; ILIKE,
 * `~~*`) read into a {@link TextPattern}, a tree that describes only strings
 * the CHECK accepts. The tree becomes a `pattern` method
 * (core/data/pattern.ts) fitted to the column's lengths, or a filter over a
 * vocabulary or an IN list.
 *
 * Regular expressions (PostgreSQL's AREs) are read in this subset: `^` and
 * `$` at the ends of the whole expression or of its top-level alternatives;
 * literal characters and escapes of punctuation (`\.`, `\-`, `\\` …);
 * bracket classes of printable ASCII with ranges, `\d \s \w` and the POSIX
 * classes `[:alpha:]` `[:digit:]` `[:alnum:]` `[:upper:]` `[:lower:]`
 * `[:space:]` `[:blank:]` `[:punct:]` `[:xdigit:]` `[:print:]` `[:graph:]`
 * inside, negated classes (`[^@ ]`, drawn from the letters and digits they
 * leave, else from the printable characters); `\d \s \w \D \S \W`; `.`
 * (a letter or digit); groups `( … )` and `(?: … )` with alternation `|`;
 * quantifiers `*` `+` `?` `{m}` `{m,}` `{m,n}`, lazy ones too. Open-ended
 * quantifiers repeat up to 8 times (or `m` when more). Anything else —
 * back-references, lookarounds, word boundaries, embedded options, control
 * characters, collating elements — is left unread, and the CHECK is warned
 * about as before. A case-insensitive match (`~*`, ILIKE) is generated as
 * written, which it accepts; its negated classes leave out both cases.
 *
 * An unanchored expression accepts any string that contains a match: a
 * generated value is exactly a match. `char(n)` compares its blank-padded
 * value, so there a pattern is drawn at exactly n characters, without
 * spaces.
 *
 * @module
 */
import { parsePattern } from "./pattern.ts";
import type { Bounds } from "./_from_schema_checks.ts";
import type { SchemaType } from "./_from_schema_types.ts";
import {
  alt,
  EMPTY,
  LONGEST,
  maxChars,
  minChars,
  OPEN_REPEAT,
  repeat,
  seq,
  set,
  SPACE,
  type TextPattern,
} from "./_text_pattern_read.ts";

export { likePattern, maxChars, minChars, regexPattern, type TextPattern } from "./_text_pattern_read.ts";

/** Open-ended repetitions closed at {@link OPEN_REPEAT} (or their minimum, when more). */
function closeOpen(p: TextPattern): TextPattern {
  switch (p.kind) {
    case "seq":
      return seq(p.items.map(closeOpen));
    case "alt":
      return alt(p.options.map(closeOpen));
    case "rep":
      return repeat(p.min, p.max === Infinity ? Math.max(OPEN_REPEAT, p.min) : p.max, closeOpen(p.body));
    default:
      return p;
  }
}

/**
 * Shares `room` among parts wanting `wants` each: everyone gets up to an
 * equal share, and what the smaller ones leave goes to the larger ones.
 */
function share(wants: readonly number[], room: number): number[] {
  const out = wants.map(() => 0);
  const order = wants.map((_, k) => k).filter((k) => wants[k]! > 0).sort((a, z) => wants[a]! - wants[z]!);
  let left = room;
  order.forEach((k, n) => {
    const give = Math.min(wants[k]!, Math.floor(left / (order.length - n)));
    out[k] = give;
    left -= give;
  });
  return out;
}

/** The pattern with at most `limit` characters per value; undefined when its shortest value is longer. */
function clampMax(p: TextPattern, limit: number): TextPattern | undefined {
  if (maxChars(p) <= limit) return p;
  if (minChars(p) > limit) return undefined;
  switch (p.kind) {
    case "alt":
      return alt(p.options.map((o) => clampMax(o, limit)).filter((o) => o !== undefined));
    case "rep": {
      const body = p.min === 0 ? clampMax(p.body, limit) : clampMax(p.body, Math.floor(limit / p.min));
      if (!body) return EMPTY;
      const most = maxChars(body);
      const max = most === 0 ? p.max : Math.min(p.max, Math.floor(limit / most));
      return repeat(p.min, max, body);
    }
    case "seq": {
      const mins = p.items.map(minChars);
      const room = limit - mins.reduce((a, z) => a + z, 0);
      const give = share(p.items.map((x, k) => maxChars(x) - mins[k]!), room);
      return seq(p.items.map((x, k) => clampMax(x, mins[k]! + give[k]!)!));
    }
    default:
      return undefined;
  }
}

/** The pattern with at least `floor` characters per value; undefined when its longest value is shorter. */
function raiseMin(p: TextPattern, floor: number): TextPattern | undefined {
  if (minChars(p) >= floor) return p;
  if (maxChars(p) < floor) return undefined;
  switch (p.kind) {
    case "alt":
      return alt(p.options.map((o) => raiseMin(o, floor)).filter((o) => o !== undefined));
    case "rep": {
      const least = minChars(p.body);
      if (least > 0 && Math.ceil(floor / least) <= p.max) {
        return repeat(Math.max(p.min, Math.ceil(floor / least)), p.max, p.body);
      }
      const body = raiseMin(p.body, Math.ceil(floor / p.max));
      if (!body) return undefined;
      return repeat(Math.max(p.min, Math.ceil(floor / minChars(body))), p.max, body);
    }
    case "seq": {
      const mins = p.items.map(minChars);
      const need = floor - mins.reduce((a, z) => a + z, 0);
      const room = p.items.map((x, k) => maxChars(x) - mins[k]!);
      // Everyone takes an equal part of what is missing, the roomier ones the rest.
      const give = share(room, need);
      let short = need - give.reduce((a, z) => a + z, 0);
      for (let k = 0; k < give.length && short > 0; k++) {
        const more = Math.min(short, room[k]! - give[k]!);
        give[k]! += more;
        short -= more;
      }
      const items = p.items.map((x, k) => raiseMin(x, mins[k]! + give[k]!));
      return items.every((x) => x !== undefined) ? seq(items as TextPattern[]) : undefined;
    }
    default:
      return undefined;
  }
}

/** The pattern without spaces (char(n) drops trailing ones); undefined when a literal holds one. */
function withoutSpaces(p: TextPattern): TextPattern | undefined {
  switch (p.kind) {
    case "lit":
      return p.text.includes(" ") ? undefined : p;
    case "set": {
      const bytes = p.bytes.filter((b) => b !== SPACE);
      return bytes.length > 0 ? set(bytes) : undefined;
    }
    case "seq": {
      const items = p.items.map(withoutSpaces);
      return items.every((x) => x !== undefined) ? seq(items as TextPattern[]) : undefined;
    }
    case "alt": {
      const options = p.options.map(withoutSpaces).filter((x) => x !== undefined);
      return options.length > 0 ? alt(options) : undefined;
    }
    case "rep": {
      const body = withoutSpaces(p.body);
      return body ? repeat(p.min, p.max, body) : p.min === 0 ? EMPTY : undefined;
    }
  }
}

/** How many characters of a text column a pattern's values must have, and which values it must avoid. */
export interface TextFit {
  minLength: number;
  /** Infinity when the column sets none. */
  maxLength: number;
  /** char(n): every value exactly n characters, without spaces. */
  fixed?: number;
  exclude?: ReadonlySet<string>;
}

/**
 * The pattern fitted to a column: open-ended repetitions closed, lengths
 * kept (repetitions shortened or lengthened), or undefined when no value of
 * it fits or an excluded value could be drawn.
 *
 * @example A run clamped to varchar(6)
 * ```ts
 * import { fitPattern, regexPattern, renderPattern } from "./_from_schema_text_checks.ts";
 * const p = fitPattern(regexPattern("^A[0-9]+$", false)!, { minLength: 0, maxLength: 6 })!;
 * if (renderPattern(p) !== "A[0-9]{1,5}") throw new Error();
 * ```
 */
export function fitPattern(p: TextPattern, fit: TextFit): TextPattern | undefined {
  let out: TextPattern | undefined = closeOpen(p);
  let { minLength, maxLength } = fit;
  if (fit.fixed !== undefined) {
    out = withoutSpaces(out);
    minLength = maxLength = fit.fixed;
  }
  if (out) out = clampMax(out, Math.min(maxLength, LONGEST));
  if (out) out = raiseMin(out, minLength);
  if (!out || minChars(out) < minLength || maxChars(out) > maxLength || maxChars(out) === 0) return undefined;
  const matches = patternMatcher([out]);
  if ([...fit.exclude ?? []].some(matches)) return undefined;
  try {
    parsePattern(renderPattern(out));
  } catch {
    return undefined;
  }
  return out;
}

const LITERAL_ESCAPES = "\\.+()[]{}|-*?^$/";
const CLASS_ESCAPES = "\\[]-^";

function classText(bytes: readonly number[]): string {
  const one = (b: number) => {
    const c = String.fromCharCode(b);
    return CLASS_ESCAPES.includes(c) ? `\\${c}` : c;
  };
  let out = "";
  for (let k = 0; k < bytes.length;) {
    let end = k;
    while (end + 1 < bytes.length && bytes[end + 1] === bytes[end]! + 1) end++;
    if (end - k >= 2) out += `${one(bytes[k]!)}-${one(bytes[end]!)}`;
    else for (let j = k; j <= end; j++) out += one(bytes[j]!);
    k = end + 1;
  }
  return `[${out}]`;
}

/**
 * The pattern in the `pattern` method's syntax (core/data/pattern.ts);
 * open-ended repetitions are closed first.
 */
export function renderPattern(p: TextPattern): string {
  const group = (x: TextPattern) => {
    const text = renderPattern(x);
    const single = (x.kind === "lit" && [...x.text].length === 1) || x.kind === "set";
    return single ? text : `(${text})`;
  };
  switch (p.kind) {
    case "lit":
      return [...p.text].map((c) => (LITERAL_ESCAPES.includes(c) ? `\\${c}` : c)).join("");
    case "set":
      return classText(p.bytes);
    case "seq":
      return p.items.map((x) => (x.kind === "alt" ? `(${renderPattern(x)})` : renderPattern(x))).join("");
    case "alt":
      return p.options.map(renderPattern).join("|");
    case "rep": {
      const max = p.max === Infinity ? Math.max(OPEN_REPEAT, p.min) : p.max;
      if (max === 0 || maxChars(p.body) === 0) return "";
      const count = p.min === max ? `{${max}}` : p.min === 0 && max === 1 ? "?" : `{${p.min},${max}}`;
      return group(p.body) + count;
    }
  }
}

/** The pattern as a JavaScript expression, open-ended repetitions left open. */
function regexSource(p: TextPattern): string {
  switch (p.kind) {
    case "lit":
      return [...p.text].map((c) => `\\u{${c.codePointAt(0)!.toString(16)}}`).join("");
    case "set":
      return `[${p.bytes.map((b) => `\\x${b.toString(16).padStart(2, "0")}`).join("")}]`;
    case "seq":
      return p.items.map((x) => `(?:${regexSource(x)})`).join("");
    case "alt":
      return p.options.map((x) => `(?:${regexSource(x)})`).join("|");
    case "rep":
      return `(?:${regexSource(p.body)}){${p.min},${p.max === Infinity ? "" : p.max}}`;
  }
}

/**
 * Whether a value is one of every pattern's strings (so each CHECK accepts
 * it); with `fixed`, also exactly that many characters without a trailing
 * space, as char(n) needs.
 */
export function patternMatcher(patterns: readonly TextPattern[], fixed?: number): (value: string) => boolean {
  const res = patterns.map((p) => new RegExp(`^(?:${regexSource(p)})$`, "u"));
  return (value) =>
    res.every((re) => re.test(value)) &&
    (fixed === undefined || ([...value].length === fixed && !value.endsWith(" ")));
}

/** The text patterns among bounds, with the constraint each comes from. */
export function patternsOf(bounds: readonly Bounds[]): { pattern: TextPattern; origin?: string }[] {
  return bounds.flatMap((b) =>
    (b.patterns ?? []).map((pattern) => b.origin ? { pattern, origin: b.origin } : { pattern })
  );
}

/**
 * Origins of the domain patterns a type holds inside arrays and composites,
 * whose text forms (core/data/_from_schema_text.ts) do not follow them.
 */
export function nestedPatternOrigins(type: SchemaType, nested = false): string[] {
  switch (type.kind) {
    case "domain": {
      const own = nested ? patternsOf(type.bounds).map((p) => p.origin ?? `domain ${type.sql}`) : [];
      return [...own, ...nestedPatternOrigins(type.base, nested)];
    }
    case "array":
      return nestedPatternOrigins(type.element, true);
    case "composite":
      return type.attributes.flatMap((a) => nestedPatternOrigins(a.type, true));
    default:
      return [];
  }
}
