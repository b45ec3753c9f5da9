/**
 * Reading the regular expression or LIKE pattern of a text CHECK into a
 * {@link TextPattern}: a tree that describes only strings the CHECK accepts
 * (the subset read, and what is left unread, is described in
 * _from_schema_text_checks.ts).
 *
 * @module
 */

/**
 * Strings a text CHECK accepts: literal text, one byte of a set of printable
 * ASCII, sequences, alternatives and repetitions (`max` Infinity when
 * open-ended).
 */
export type TextPattern =
  | { kind: "lit"; text: string }
  | { kind: "set"; bytes: readonly number[] }
  | { kind: "seq"; items: TextPattern[] }
  | { kind: "alt"; options: TextPattern[] }
  | { kind: "rep"; min: number; max: number; body: TextPattern };

/** What an open-ended quantifier (`*`, `+`, `{m,}`) repeats at most, unless `m` is more. */
export const OPEN_REPEAT = 8;

/** The longest value drawn from a pattern when the column sets no length. */
export const LONGEST = 1000;

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let b = from; b <= to; b++) out.push(b);
  return out;
}

const DIGITS = range(0x30, 0x39);
const UPPER = range(0x41, 0x5a);
const LOWER = range(0x61, 0x7a);
const ALNUM = [...DIGITS, ...UPPER, ...LOWER];
const PRINTABLE = range(0x20, 0x7e);
export const SPACE = 0x20;
const PUNCT = PRINTABLE.filter((b) => b !== SPACE && !ALNUM.includes(b));

const POSIX: Record<string, number[]> = {
  alpha: [...UPPER, ...LOWER],
  digit: DIGITS,
  alnum: ALNUM,
  upper: UPPER,
  lower: LOWER,
  space: [SPACE],
  blank: [SPACE],
  punct: PUNCT,
  xdigit: [...DIGITS, ...range(0x41, 0x46), ...range(0x61, 0x66)],
  print: PRINTABLE,
  graph: PRINTABLE.filter((b) => b !== SPACE),
};

const SHORTHAND: Record<string, number[]> = { d: DIGITS, s: [SPACE], w: [...ALNUM, 0x5f] };

export const set = (bytes: Iterable<number>): TextPattern => ({
  kind: "set",
  bytes: [...new Set(bytes)].sort((a, z) => a - z),
});

export const EMPTY: TextPattern = { kind: "seq", items: [] };

/** A part of the expression outside the subset: the CHECK stays unread. */
class Unsupported extends Error {}

function unsupported(): never {
  throw new Unsupported();
}

/** Both cases of the ASCII letters among `bytes`. */
function bothCases(bytes: readonly number[]): number[] {
  const out = new Set(bytes);
  for (const b of bytes) {
    if (b >= 0x41 && b <= 0x5a) out.add(b + 0x20);
    if (b >= 0x61 && b <= 0x7a) out.add(b - 0x20);
  }
  return [...out];
}

/** What a negated class accepts: the letters and digits it leaves, else the printable characters. */
function complement(bytes: readonly number[], caseless: boolean): number[] {
  const out = new Set(caseless ? bothCases(bytes) : bytes);
  const letters = ALNUM.filter((b) => !out.has(b));
  return letters.length > 0 ? letters : PRINTABLE.filter((b) => !out.has(b));
}

/** A character PostgreSQL reads as itself and rows carry safely: no control characters. */
function plain(c: string): boolean {
  const code = c.codePointAt(0)!;
  return code >= 0x20 && code !== 0x7f && !(code >= 0x80 && code < 0xa0);
}

const isAlnum = (c: string) => /^[A-Za-z0-9]$/.test(c);

/** A character read as itself. */
function literal(c: string): TextPattern {
  if (!plain(c)) unsupported();
  return { kind: "lit", text: c };
}

/** A sequence, flattened, with neighbouring literals joined; a lone item stands for itself. */
export function seq(items: TextPattern[]): TextPattern {
  const out: TextPattern[] = [];
  for (const item of items.flatMap((x) => x.kind === "seq" ? x.items : [x])) {
    const last = out[out.length - 1];
    if (item.kind === "lit" && last?.kind === "lit") {
      out[out.length - 1] = { kind: "lit", text: last.text + item.text };
    } else out.push(item);
  }
  return out.length === 1 ? out[0]! : { kind: "seq", items: out };
}

export function alt(options: TextPattern[]): TextPattern {
  return options.length === 1 ? options[0]! : { kind: "alt", options };
}

/** A repetition; once is the body itself and never is nothing. */
export function repeat(min: number, max: number, body: TextPattern): TextPattern {
  if (max === 0) return EMPTY;
  return min === 1 && max === 1 ? body : { kind: "rep", min, max, body };
}

/** Reads an ARE of the subset above. */
class RegexReader {
  i = 0;
  constructor(readonly text: string, readonly caseless: boolean) {}

  /** Alternatives: of the whole expression (`top`, each anchored or not), or of a group up to its ")". */
  alternatives(top: boolean): TextPattern {
    const options = [this.branch(top)];
    while (this.text[this.i] === "|") {
      this.i++;
      options.push(this.branch(top));
    }
    return alt(options);
  }

  /** One alternative; anchors only at the ends of a top-level one. */
  branch(top: boolean): TextPattern {
    const items: TextPattern[] = [];
    if (top && this.text[this.i] === "^") this.i++;
    for (;;) {
      const c = this.text[this.i];
      if (c === undefined || c === "|") break;
      if (c === ")") {
        if (top) unsupported();
        break;
      }
      if (c === "$") {
        const next = this.text[this.i + 1];
        if (!top || (next !== undefined && next !== "|")) unsupported();
        this.i++;
        break;
      }
      if (c === "^") unsupported();
      items.push(this.piece());
    }
    return seq(items);
  }

  /** An atom and its quantifier, if any. */
  piece(): TextPattern {
    const atom = this.atom();
    const c = this.text[this.i];
    let min: number, max: number;
    if (c === "*") [min, max] = [0, Infinity];
    else if (c === "+") [min, max] = [1, Infinity];
    else if (c === "?") [min, max] = [0, 1];
    else if (c === "{") {
      const m = /^\{(\d+)(?:(,)(\d*))?\}/.exec(this.text.slice(this.i));
      if (!m) unsupported();
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === "" ? Infinity : Number(m[3]);
      if (max < min) unsupported();
      this.i += m[0].length - 1;
    } else {
      return atom;
    }
    this.i++;
    // A lazy quantifier matches the same strings.
    if (this.text[this.i] === "?") this.i++;
    if (/^[*+?{]$/.test(this.text[this.i] ?? "")) unsupported();
    return repeat(min, max, atom);
  }

  atom(): TextPattern {
    const c = this.text[this.i]!;
    switch (c) {
      case "(": {
        this.i++;
        if (this.text[this.i] === "?") {
          if (this.text[this.i + 1] !== ":") unsupported();
          this.i += 2;
        }
        const inner = this.alternatives(false);
        if (this.text[this.i] !== ")") unsupported();
        this.i++;
        return inner;
      }
      case "[":
        return this.bracket();
      case ".":
        this.i++;
        return set(ALNUM);
      case "\\": {
        const e = this.escaped();
        if (SHORTHAND[e]) return set(SHORTHAND[e]);
        const negated = SHORTHAND[e.toLowerCase()];
        if (negated) return set(complement(negated, this.caseless));
        if (isAlnum(e)) unsupported();
        return literal(e);
      }
      case "*":
      case "+":
      case "?":
      case "{":
      case "}":
      case "]":
        return unsupported();
      default: {
        const char = String.fromCodePoint(this.text.codePointAt(this.i)!);
        this.i += char.length;
        return literal(char);
      }
    }
  }

  /** The character after the backslash at `this.i`, moved past. */
  escaped(): string {
    const code = this.text.codePointAt(this.i + 1);
    if (code === undefined) unsupported();
    const e = String.fromCodePoint(code);
    this.i += 1 + e.length;
    return e;
  }

  /** A bracket class: `[...]` or `[^...]`. */
  bracket(): TextPattern {
    this.i++;
    const negate = this.text[this.i] === "^";
    if (negate) this.i++;
    const bytes: number[] = [];
    const others: string[] = [];
    let first = true;
    for (;;) {
      const c = this.text[this.i];
      if (c === undefined) unsupported();
      if (c === "]" && !first) {
        this.i++;
        break;
      }
      first = false;
      const low = this.classMember();
      if (typeof low !== "string") {
        // A class cannot start a range.
        if (this.text[this.i] === "-" && this.text[this.i + 1] !== "]") unsupported();
        bytes.push(...low);
        continue;
      }
      if (this.text[this.i] === "-" && this.text[this.i + 1] !== "]" && this.text[this.i + 1] !== undefined) {
        this.i++;
        const high = this.classMember();
        if (typeof high !== "string" || low.length !== 1 || high.length !== 1) unsupported();
        const [a, z] = [low.charCodeAt(0), high.charCodeAt(0)];
        if (a > 0x7e || z > 0x7e || z < a) unsupported();
        bytes.push(...range(a, z));
      } else if (low.length === 1 && low.charCodeAt(0) <= 0x7e) {
        bytes.push(low.charCodeAt(0));
      } else {
        others.push(low);
      }
    }
    if (negate) return set(complement(bytes, this.caseless));
    const printable = bytes.filter((b) => b >= 0x20 && b <= 0x7e);
    const options: TextPattern[] = printable.length > 0 ? [set(printable)] : [];
    options.push(...others.filter(plain).map((text): TextPattern => ({ kind: "lit", text })));
    if (options.length === 0) unsupported();
    return alt(options);
  }

  /** One member of a class: a character, or the bytes of `\d \s \w` and `[:name:]`. */
  classMember(): string | number[] {
    const c = this.text[this.i]!;
    if (c === "[") {
      const kind = this.text[this.i + 1];
      if (kind === ":") {
        const end = this.text.indexOf(":]", this.i + 2);
        const bytes = end < 0 ? undefined : POSIX[this.text.slice(this.i + 2, end)];
        if (!bytes) unsupported();
        this.i = end + 2;
        return bytes;
      }
      if (kind === "." || kind === "=") unsupported();
    }
    if (c === "\\") {
      const e = this.escaped();
      if (SHORTHAND[e]) return SHORTHAND[e];
      if (isAlnum(e)) unsupported();
      return e;
    }
    const char = String.fromCodePoint(this.text.codePointAt(this.i)!);
    this.i += char.length;
    return char;
  }
}

/**
 * The strings a regular expression of the subset matches, or undefined when
 * it is outside the subset.
 *
 * @param regex The expression, as in `col ~ 'regex'`.
 * @param caseless A case-insensitive match (`~*`).
 *
 * @example A postal code
 * ```ts
 * import { regexPattern, renderPattern } from "./_from_schema_text_checks.ts";
 * const p = regexPattern("^[0-9]{5}(-[0-9]{4})?$", false)!;
 * if (renderPattern(p) !== "[0-9]{5}(\\-[0-9]{4})?") throw new Error();
 * ```
 */
export function regexPattern(regex: string, caseless: boolean): TextPattern | undefined {
  try {
    // Top-level alternatives read to the end: a ")" without its "(" is not read.
    const p = new RegexReader(regex, caseless).alternatives(true);
    // Only the empty string: no pattern draws it.
    return maxChars(p) > 0 ? p : undefined;
  } catch (e) {
    if (e instanceof Unsupported) return undefined;
    throw e;
  }
}

/**
 * The strings a LIKE pattern matches: `%` a short run of letters and digits,
 * `_` one of them, the rest as written (`escape` makes the next character
 * literal; "" for none). Undefined for a dangling escape or a control character.
 *
 * @example A product code
 * ```ts
 * import { likePattern, renderPattern } from "./_from_schema_text_checks.ts";
 * if (renderPattern(likePattern("SKU-%")!) !== "SKU\\-[0-9A-Za-z]{0,8}") throw new Error();
 * ```
 */
export function likePattern(like: string, escape = "\\"): TextPattern | undefined {
  const items: TextPattern[] = [];
  const chars = [...like];
  for (let k = 0; k < chars.length; k++) {
    let c = chars[k]!;
    if (escape !== "" && c === escape) {
      const next = chars[++k];
      if (next === undefined) return undefined;
      c = next;
    } else if (c === "%") {
      items.push({ kind: "rep", min: 0, max: Infinity, body: set(ALNUM) });
      continue;
    } else if (c === "_") {
      items.push(set(ALNUM));
      continue;
    }
    if (!plain(c)) return undefined;
    items.push({ kind: "lit", text: c });
  }
  const p = seq(items);
  return maxChars(p) > 0 ? p : undefined;
}

/** The fewest characters of a value. */
export function minChars(p: TextPattern): number {
  switch (p.kind) {
    case "lit":
      return [...p.text].length;
    case "set":
      return 1;
    case "seq":
      return p.items.reduce((n, x) => n + minChars(x), 0);
    case "alt":
      return Math.min(...p.options.map(minChars));
    case "rep":
      return p.min === 0 ? 0 : p.min * minChars(p.body);
  }
}

/** The most characters of a value (Infinity when open-ended). */
export function maxChars(p: TextPattern): number {
  switch (p.kind) {
    case "lit":
      return [...p.text].length;
    case "set":
      return 1;
    case "seq":
      return p.items.reduce((n, x) => n + maxChars(x), 0);
    case "alt":
      return Math.max(...p.options.map(maxChars));
    case "rep": {
      const body = maxChars(p.body);
      return p.max === 0 || body === 0 ? 0 : p.max * body;
    }
  }
}
