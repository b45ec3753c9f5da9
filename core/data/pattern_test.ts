import { deepStrictEqual } from "node:assert/strict";
import { SpecError } from "./_spec_error.ts";
import { parsePattern, type Pattern, patternCount, patternMaxBytes } from "./pattern.ts";

const enc = new TextEncoder();
const lit = (s: string): Pattern => ({ kind: "literal", bytes: enc.encode(s) });
const cls = (chars: string): Pattern => ({ kind: "class", bytes: enc.encode(chars) });
const rep = (min: number, max: number, body: Pattern): Pattern => ({ kind: "repeat", min, max, body });
const DIGITS = cls("0123456789");

Deno.test("a North American phone number", () => {
  const p = parsePattern("\\+1-[2-9]\\d{2}-\\d{3}-\\d{4}");
  deepStrictEqual(p, {
    kind: "seq",
    items: [
      lit("+1-"),
      cls("23456789"),
      rep(2, 2, DIGITS),
      lit("-"),
      rep(3, 3, DIGITS),
      lit("-"),
      rep(4, 4, DIGITS),
    ],
  });
  deepStrictEqual(patternMaxBytes(p), 15);
  deepStrictEqual(patternCount(p), 8 * 10 ** 9);
});

Deno.test("letters, a dash and digits", () => {
  const p = parsePattern("[A-Z]{3}-\\d{4}");
  deepStrictEqual(p, {
    kind: "seq",
    items: [rep(3, 3, cls("ABCDEFGHIJKLMNOPQRSTUVWXYZ")), lit("-"), rep(4, 4, DIGITS)],
  });
  deepStrictEqual(patternCount(p), 26 ** 3 * 10 ** 4);
  deepStrictEqual(patternMaxBytes(p), 8);
});

Deno.test("groups with alternation, counted repeats and an optional tail", () => {
  const p = parsePattern("(ab|cd){2,3}x?");
  deepStrictEqual(p, {
    kind: "seq",
    items: [rep(2, 3, { kind: "alt", options: [lit("ab"), lit("cd")] }), rep(0, 1, lit("x"))],
  });
  deepStrictEqual(patternMaxBytes(p), 7);
  deepStrictEqual(patternCount(p), (4 + 8) * 2);
  deepStrictEqual(parsePattern("(?:ab|cd)"), { kind: "alt", options: [lit("ab"), lit("cd")] });
});

Deno.test("a quantifier repeats only the character before it", () => {
  deepStrictEqual(parsePattern("ab+"), { kind: "seq", items: [lit("a"), rep(1, 8, lit("b"))] });
  deepStrictEqual(parsePattern("a*"), rep(0, 8, lit("a")));
});

Deno.test("classes: ranges, escapes, a literal dash, sorted and distinct", () => {
  deepStrictEqual(parsePattern("[a-c_0-2]"), cls("012_abc"));
  deepStrictEqual(parsePattern("[cba-]"), cls("-abc"));
  deepStrictEqual(parsePattern("[\\d\\-x]"), cls("-0123456789x"));
  deepStrictEqual(parsePattern("[aa]"), cls("a"));
  deepStrictEqual((parsePattern("\\w") as { bytes: Uint8Array }).bytes.length, 63);
  deepStrictEqual(parsePattern("\\s"), cls(" "));
  const dot = parsePattern(".") as { bytes: Uint8Array };
  deepStrictEqual([dot.bytes.length, dot.bytes[0], dot.bytes[94]], [95, 0x20, 0x7e]);
});

Deno.test("escaped metacharacters are literals", () => {
  deepStrictEqual(
    parsePattern("\\.\\\\\\+\\(\\)\\[\\]\\{\\}\\|\\-\\*\\?\\^\\$\\/"),
    lit(".\\+()[]{}|-*?^$/"),
  );
});

Deno.test("UTF-8 literals and their byte lengths", () => {
  const p = parsePattern("é€😀");
  deepStrictEqual(p, lit("é€😀"));
  deepStrictEqual(patternMaxBytes(p), 2 + 3 + 4);
  deepStrictEqual(patternMaxBytes(parsePattern("ü{3}")), 6);
});

Deno.test("anchors at the ends are ignored", () => {
  deepStrictEqual(parsePattern("^ab$"), lit("ab"));
  deepStrictEqual(parsePattern("^(a|b)$"), { kind: "alt", options: [lit("a"), lit("b")] });
});

Deno.test("counts overflow to Infinity", () => {
  deepStrictEqual(patternCount(parsePattern(".{1000}")), Infinity);
  deepStrictEqual(patternCount(parsePattern("()")), 1);
});

function errorOf(text: string): SpecError {
  try {
    parsePattern(text);
  } catch (e) {
    if (e instanceof SpecError) return e;
    throw e;
  }
  throw new Error(`expected ${JSON.stringify(text)} to fail`);
}

Deno.test("unsupported and invalid syntax is explained with a caret", () => {
  const cases: [string, number, string][] = [
    ["[^a]", 2, "negated classes like [^...] are not supported; list the allowed characters instead"],
    ["\\D", 1, "negated escapes like \\D are not supported; list the allowed characters instead"],
    ["a{2,}", 2, "{2,} needs an upper bound, e.g. {2,8}"],
    ["a{5,2}", 2, "{5,2} runs backwards; write {2,5}"],
    ["a{1001}", 2, "a count is at most 1000, not 1001"],
    ["a{x}", 2, 'a "{" starts a count like {3} or {2,5} (write \\{ for the character)'],
    ["(a", 1, 'this "(" is not closed with ")"'],
    ["a)", 2, 'unmatched ")" (write \\) for the character)'],
    ["[abc", 1, 'this "[" is not closed with "]"'],
    ["[]", 2, "an empty class [] matches nothing; list the allowed characters, e.g. [a-z]"],
    ["[z-a]", 2, "range z-a runs backwards; write a-z"],
    ["[é]", 2, 'a class holds printable ASCII only; for "é" use alternation, e.g. (é|è)'],
    ["*a", 1, '"*" has nothing to repeat (write \\* for the character)'],
    ["a**", 3, "a quantifier cannot follow another (lazy and possessive forms are not supported)"],
    ["a^b", 2, 'an anchor "^" is allowed only at the start (write \\^ for the character)'],
    ["a$b", 2, 'an anchor "$" is allowed only at the end (write \\$ for the character)'],
    ["(?=a)", 2, 'only "(?:" groups are supported after "(?" (no lookarounds or named groups)'],
    ["ab\\", 3, "the pattern ends with a lone \\ (write \\\\ for a backslash)"],
    ["", 1, "the pattern is empty"],
  ];
  for (const [text, column, reason] of cases) {
    const e = errorOf(text);
    deepStrictEqual(
      e.message,
      `${reason} at column ${column}\n  ${text}\n  ${" ".repeat(column - 1)}^`,
      text,
    );
    deepStrictEqual(e.column, column, text);
  }
  deepStrictEqual(
    errorOf("\\q").message.split("\n")[0],
    "unsupported escape \\q; supported: \\d \\w \\s \\\\ \\. \\+ \\( \\) \\[ \\] \\{ \\} \\| \\- \\* \\? \\^ \\$ \\/ at column 1",
  );
});
