/**
 * The regular-expression subset of the `pattern` method, parsed into a tree
 * the generator walks: every string the tree describes can be produced, and
 * only those.
 *
 * Supported: literal characters (any UTF-8), the escapes `\d` `\w` `\s` and
 * `\. \\ \+ \( \) \[ \] \{ \} \| \- \* \? \^ \$ \/`, classes such as
 * `[a-z0-9_]` (ASCII only), `.` (printable ASCII, space to `~`), the
 * quantifiers `{n}`, `{n,m}`, `?`, `+` (1 to 8) and `*` (0 to 8), groups
 * `( ... )` and `(?: ... )` with alternation `|`, and `^`/`$` at the very
 * ends (ignored). `\s` is a space only, so values stay on one line.
 *
 * @module
 */
import { textError } from "./_spec_error.ts";

/** A parsed pattern. */
export type Pattern =
  | { kind: "seq"; items: Pattern[] }
  | { kind: "alt"; options: Pattern[] }
  | { kind: "literal"; bytes: Uint8Array }
  /** One byte out of `bytes`: the sorted distinct ASCII bytes the class allows. */
  | { kind: "class"; bytes: Uint8Array }
  | { kind: "repeat"; min: number; max: number; body: Pattern };

/** The most repetitions `{n,m}` may ask for. */
export const MAX_REPEAT = 1000;

/** What `+` and `*` stand for. */
const OPEN_REPEAT_MAX = 8;

const LITERAL_ESCAPES = "\\.+()[]{}|-*?^$/";

const encoder = new TextEncoder();

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let b = from; b <= to; b++) out.push(b);
  return out;
}

const CLASS_ESCAPES: Record<string, number[]> = {
  d: range(0x30, 0x39),
  w: [...range(0x30, 0x39), ...range(0x41, 0x5a), 0x5f, ...range(0x61, 0x7a)],
  s: [0x20],
};

const PRINTABLE = range(0x20, 0x7e);

function classOf(bytes: Iterable<number>): Pattern {
  return { kind: "class", bytes: Uint8Array.from([...new Set(bytes)].sort((a, b) => a - b)) };
}

function supportedEscapes(): string {
  return `\\d \\w \\s ${[...LITERAL_ESCAPES].map((c) => "\\" + c).join(" ")}`;
}

class Parser {
  i = 0;
  constructor(readonly text: string) {}

  fail(at: number, reason: string): never {
    throw textError(this.text, at, reason);
  }

  /** alternation := sequence ("|" sequence)* */
  alternation(): Pattern {
    const options = [this.sequence()];
    while (this.text[this.i] === "|") {
      this.i++;
      options.push(this.sequence());
    }
    return options.length === 1 ? options[0]! : { kind: "alt", options };
  }

  /** sequence := (atom quantifier?)* */
  sequence(): Pattern {
    const items: Pattern[] = [];
    for (;;) {
      const c = this.text[this.i];
      if (c === undefined || c === "|" || c === ")") break;
      // Each atom is one character, so a quantifier repeats only the last one (ab+ repeats b).
      let atom = this.atom();
      if (atom === undefined) continue;
      atom = this.quantified(atom);
      const last = items[items.length - 1];
      if (atom.kind === "literal" && last?.kind === "literal") {
        const joined = new Uint8Array(last.bytes.length + atom.bytes.length);
        joined.set(last.bytes);
        joined.set(atom.bytes, last.bytes.length);
        items[items.length - 1] = { kind: "literal", bytes: joined };
      } else {
        items.push(atom);
      }
    }
    return items.length === 1 ? items[0]! : { kind: "seq", items };
  }

  /** One character, escape, class or group; undefined for an ignored anchor. */
  atom(): Pattern | undefined {
    const at = this.i;
    const c = this.text[at]!;
    if (c === "^") {
      if (at !== 0) this.fail(at, 'an anchor "^" is allowed only at the start (write \\^ for the character)');
      this.i++;
      return undefined;
    }
    if (c === "$") {
      if (at !== this.text.length - 1) {
        this.fail(at, 'an anchor "$" is allowed only at the end (write \\$ for the character)');
      }
      this.i++;
      return undefined;
    }
    if (c === "(") return this.group();
    if (c === "[") return this.characterClass();
    if (c === ".") {
      this.i++;
      return classOf(PRINTABLE);
    }
    if (c === "\\") {
      const escaped = this.escape(false);
      return typeof escaped === "number"
        ? { kind: "literal", bytes: Uint8Array.of(escaped) }
        : classOf(escaped);
    }
    if (c === "*" || c === "+" || c === "?") {
      this.fail(at, `"${c}" has nothing to repeat (write \\${c} for the character)`);
    }
    if (c === "{") this.fail(at, '"{" has nothing to repeat (write \\{ for the character)');
    if (c === "}" || c === "]") this.fail(at, `unmatched "${c}" (write \\${c} for the character)`);
    const codePoint = this.text.codePointAt(at)!;
    const char = String.fromCodePoint(codePoint);
    this.i += char.length;
    return { kind: "literal", bytes: encoder.encode(char) };
  }

  /** `\x` at `this.i`: a byte for a literal escape, a byte list for \d \w \s. */
  escape(inClass: boolean): number | number[] {
    const at = this.i;
    const c = this.text[at + 1];
    if (c === undefined) this.fail(at, "the pattern ends with a lone \\ (write \\\\ for a backslash)");
    this.i += 2;
    const set = CLASS_ESCAPES[c];
    if (set) return set;
    if (LITERAL_ESCAPES.includes(c)) return c.charCodeAt(0);
    if (c.toUpperCase() === c && CLASS_ESCAPES[c.toLowerCase()]) {
      this.fail(at, `negated escapes like \\${c} are not supported; list the allowed characters instead`);
    }
    return this.fail(
      at,
      `unsupported escape \\${c}${inClass ? " in a class" : ""}; supported: ${supportedEscapes()}`,
    );
  }

  group(): Pattern {
    const open = this.i;
    this.i++;
    if (this.text[this.i] === "?") {
      if (this.text[this.i + 1] !== ":") {
        this.fail(this.i, 'only "(?:" groups are supported after "(?" (no lookarounds or named groups)');
      }
      this.i += 2;
    }
    const inner = this.alternation();
    if (this.text[this.i] !== ")") this.fail(open, 'this "(" is not closed with ")"');
    this.i++;
    return inner;
  }

  characterClass(): Pattern {
    const open = this.i;
    this.i++;
    if (this.text[this.i] === "^") {
      this.fail(this.i, "negated classes like [^...] are not supported; list the allowed characters instead");
    }
    const bytes: number[] = [];
    let first = true;
    for (;;) {
      const at = this.i;
      const c = this.text[at];
      if (c === undefined) this.fail(open, 'this "[" is not closed with "]"');
      if (c === "]") {
        if (first) {
          this.fail(at, "an empty class [] matches nothing; list the allowed characters, e.g. [a-z]");
        }
        this.i++;
        break;
      }
      first = false;
      const low = this.classChar();
      if (Array.isArray(low)) {
        bytes.push(...low);
        continue;
      }
      // A range a-z, unless the "-" is the last character of the class.
      if (this.text[this.i] === "-" && this.text[this.i + 1] !== "]" && this.text[this.i + 1] !== undefined) {
        const dash = this.i;
        this.i++;
        const high = this.classChar();
        if (Array.isArray(high)) this.fail(dash, "a range cannot end in \\d, \\w or \\s");
        if (high < low) {
          this.fail(
            at,
            `range ${String.fromCharCode(low)}-${String.fromCharCode(high)} runs backwards; write ${
              String.fromCharCode(high)
            }-${String.fromCharCode(low)}`,
          );
        }
        bytes.push(...range(low, high));
      } else {
        bytes.push(low);
      }
    }
    return classOf(bytes);
  }

  /** One class member: a byte, or a byte list for \d \w \s. */
  classChar(): number | number[] {
    const at = this.i;
    const c = this.text[at]!;
    if (c === "\\") return this.escape(true);
    const code = c.charCodeAt(0);
    if (code > 0x7e || code < 0x20) {
      this.fail(at, `a class holds printable ASCII only; for "${c}" use alternation, e.g. (é|è)`);
    }
    if (c === "[") this.fail(at, 'nested "[" in a class (write \\[ for the character)');
    this.i++;
    return code;
  }

  /** A quantifier after an atom, if any. */
  quantified(atom: Pattern): Pattern {
    const at = this.i;
    const c = this.text[at];
    let min: number, max: number;
    if (c === "?") [min, max] = [0, 1];
    else if (c === "+") [min, max] = [1, OPEN_REPEAT_MAX];
    else if (c === "*") [min, max] = [0, OPEN_REPEAT_MAX];
    else if (c === "{") {
      const m = /^\{(\d+)(?:(,)(\d*))?\}/.exec(this.text.slice(at));
      if (!m) this.fail(at, 'a "{" starts a count like {3} or {2,5} (write \\{ for the character)');
      min = Number(m[1]);
      if (m[2] && m[3] === "") {
        this.fail(at, `{${m[1]},} needs an upper bound, e.g. {${m[1]},${Math.max(8, min)}}`);
      }
      max = m[2] ? Number(m[3]) : min;
      if (max < min) this.fail(at, `{${min},${max}} runs backwards; write {${max},${min}}`);
      if (max > MAX_REPEAT) this.fail(at, `a count is at most ${MAX_REPEAT}, not ${max}`);
      this.i += m[0].length - 1;
    } else {
      return atom;
    }
    this.i++;
    const after = this.text[this.i];
    if (
      after === "?" || after === "+" || after === "*" ||
      (after === "{" && /^\{\d/.test(this.text.slice(this.i)))
    ) {
      this.fail(this.i, "a quantifier cannot follow another (lazy and possessive forms are not supported)");
    }
    return { kind: "repeat", min, max, body: atom };
  }
}

/**
 * Parses a `pattern` method's pattern.
 *
 * @param text The pattern, e.g. `[A-Z]{3}-\d{4}`.
 * @returns Its tree: a lone item stands for itself (no one-item `seq` or `alt`)
 * and neighbouring literal characters are merged into one literal.
 * @throws {SpecError} For unsupported or invalid syntax; `column` is the 1-based
 * position in `text` and the message ends with the pattern and a caret.
 *
 * @example Parsing a pattern
 * ```ts
 * import { parsePattern, patternCount } from "./pattern.ts";
 * const p = parsePattern("[A-Z]{3}-\\d{4}");
 * if (patternCount(p) !== 26 ** 3 * 10 ** 4) throw new Error();
 * ```
 */
export function parsePattern(text: string): Pattern {
  if (text === "") throw textError(text, 0, "the pattern is empty");
  const parser = new Parser(text);
  const p = parser.alternation();
  if (parser.i < text.length) {
    // Only a ")" without its "(" stops the top level early.
    parser.fail(parser.i, 'unmatched ")" (write \\) for the character)');
  }
  return p;
}

/**
 * The longest value a pattern produces, in UTF-8 bytes.
 *
 * @example Sizing a buffer
 * ```ts
 * import { parsePattern, patternMaxBytes } from "./pattern.ts";
 * if (patternMaxBytes(parsePattern("é[a-z]{2,5}")) !== 7) throw new Error();
 * ```
 */
export function patternMaxBytes(p: Pattern): number {
  switch (p.kind) {
    case "literal":
      return p.bytes.length;
    case "class":
      return 1;
    case "seq":
      return p.items.reduce((sum, item) => sum + patternMaxBytes(item), 0);
    case "alt":
      return p.options.reduce((most, option) => Math.max(most, patternMaxBytes(option)), 0);
    case "repeat":
      return p.max * patternMaxBytes(p.body);
  }
}

/**
 * How many distinct values a pattern can produce, as a float (Infinity when
 * it overflows). Exact unless alternatives or repetitions can spell the same
 * string two ways (`(a|a)`, `a?a?`), where it is an upper bound.
 *
 * @example Enough values for a key?
 * ```ts
 * import { parsePattern, patternCount } from "./pattern.ts";
 * if (patternCount(parsePattern("(ab|cd){2}")) !== 4) throw new Error();
 * ```
 */
export function patternCount(p: Pattern): number {
  switch (p.kind) {
    case "literal":
      return 1;
    case "class":
      return p.bytes.length;
    case "seq":
      return p.items.reduce((product, item) => product * patternCount(item), 1);
    case "alt":
      return p.options.reduce((sum, option) => sum + patternCount(option), 0);
    case "repeat": {
      const body = patternCount(p.body);
      let total = 0;
      for (let k = p.min; k <= p.max && Number.isFinite(total); k++) total += body ** k;
      return total;
    }
  }
}
