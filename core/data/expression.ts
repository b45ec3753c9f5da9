/**
 * The expression language of `derived` columns: arithmetic over the row's
 * other columns, e.g. `round(quantity * unit_price * (1 - discount), 2)` or
 * `first_name || ' ' || last_name`-style concatenation with `||`.
 *
 * Grammar, loosest binding first (SQL's precedence):
 *
 * ```text
 * expr    = concat
 * concat  = sum ("||" sum)*
 * sum     = product (("+" | "-") product)*
 * product = unary (("*" | "/" | "%") unary)*
 * unary   = "-" unary | primary
 * primary = number | column | name "(" expr ("," expr)* ")" | "(" expr ")"
 * column  = [A-Za-z_][A-Za-z0-9_]* | '"' ( [^"] | '""' )* '"'
 * ```
 *
 * Column names are case-sensitive, as spec keys are; function names are not.
 * A quoted name is always a column (`"round"` is the column named round).
 * There are no string literals: text comes from columns.
 *
 * @module
 */
import { didYouMean, SpecError, textError } from "./_spec_error.ts";

/** Functions an expression may call. */
export type ExprFunction = "round" | "abs" | "floor" | "ceil" | "least" | "greatest";

/** A parsed expression. A minus sign before a number literal is folded into it (`-2` is `{ number, -2 }`). */
export type Expr =
  | { kind: "number"; value: number }
  | { kind: "column"; name: string }
  | { kind: "unary"; op: "-"; arg: Expr }
  | { kind: "binary"; op: "+" | "-" | "*" | "/" | "%" | "||"; left: Expr; right: Expr }
  | { kind: "call"; fn: ExprFunction; args: Expr[] };

/** Arity of each function: [fewest, most] arguments. */
const FUNCTIONS: Record<ExprFunction, [number, number]> = {
  round: [1, 2],
  abs: [1, 1],
  floor: [1, 1],
  ceil: [1, 1],
  least: [1, Infinity],
  greatest: [1, Infinity],
};

/** Names of the functions, for messages. */
export const EXPRESSION_FUNCTIONS: readonly ExprFunction[] = Object.keys(FUNCTIONS) as ExprFunction[];

type Token =
  | { t: "number"; value: number; at: number; end: number }
  | { t: "name"; name: string; quoted: boolean; at: number; end: number }
  | { t: "op"; op: string; at: number; end: number }
  | { t: "end"; at: number; end: number };

const NUMBER = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === " " || c === "\t" || c === "\n" || c === "\r") {
      i++;
      continue;
    }
    const rest = text.slice(i);
    const number = NUMBER.exec(rest);
    if (number) {
      const end = i + number[0].length;
      if (end < text.length && /[A-Za-z_]/.test(text[end]!)) {
        throw textError(text, end, `unexpected "${text[end]}" after the number ${number[0]}`);
      }
      tokens.push({ t: "number", value: Number(number[0]), at: i, end });
      i = end;
      continue;
    }
    const name = NAME.exec(rest);
    if (name) {
      tokens.push({ t: "name", name: name[0], quoted: false, at: i, end: i + name[0].length });
      i += name[0].length;
      continue;
    }
    if (c === '"') {
      let j = i + 1, out = "";
      for (;;) {
        if (j >= text.length) throw textError(text, i, 'a quoted column name is not closed with "');
        if (text[j] === '"') {
          if (text[j + 1] === '"') {
            out += '"';
            j += 2;
            continue;
          }
          break;
        }
        out += text[j];
        j++;
      }
      if (out === "") throw textError(text, i, 'an empty quoted name ""');
      tokens.push({ t: "name", name: out, quoted: true, at: i, end: j + 1 });
      i = j + 1;
      continue;
    }
    if (c === "|") {
      if (text[i + 1] !== "|") throw textError(text, i, 'unexpected "|" (concatenation is "||")');
      tokens.push({ t: "op", op: "||", at: i, end: i + 2 });
      i += 2;
      continue;
    }
    if ("+-*/%(),".includes(c)) {
      tokens.push({ t: "op", op: c, at: i, end: i + 1 });
      i++;
      continue;
    }
    if (c === "'") {
      throw textError(
        text,
        i,
        'string literals are not supported; text comes from columns (quote names with ")',
      );
    }
    throw textError(text, i, `unexpected character "${c}"`);
  }
  tokens.push({ t: "end", at: text.length, end: text.length });
  return tokens;
}

function describe(token: Token): string {
  switch (token.t) {
    case "end":
      return "end of expression";
    case "number":
      return `number ${token.value}`;
    case "name":
      return `"${token.name}"`;
    case "op":
      return `"${token.op}"`;
  }
}

class Parser {
  #i = 0;
  constructor(readonly text: string, readonly tokens: Token[]) {}

  peek(): Token {
    return this.tokens[this.#i]!;
  }

  next(): Token {
    return this.tokens[this.#i++]!;
  }

  isOp(op: string): boolean {
    const t = this.peek();
    return t.t === "op" && t.op === op;
  }

  fail(token: Token, reason: string): never {
    throw textError(this.text, token.at, reason);
  }

  expect(op: string, context: string): Token {
    const t = this.peek();
    if (t.t !== "op" || t.op !== op) this.fail(t, `expected "${op}" ${context}, found ${describe(t)}`);
    return this.next();
  }

  expr(): Expr {
    let left = this.sum();
    while (this.isOp("||")) {
      this.next();
      left = { kind: "binary", op: "||", left, right: this.sum() };
    }
    return left;
  }

  sum(): Expr {
    let left = this.product();
    while (this.isOp("+") || this.isOp("-")) {
      const op = (this.next() as { op: "+" | "-" }).op;
      left = { kind: "binary", op, left, right: this.product() };
    }
    return left;
  }

  product(): Expr {
    let left = this.unary();
    while (this.isOp("*") || this.isOp("/") || this.isOp("%")) {
      const op = (this.next() as { op: "*" | "/" | "%" }).op;
      left = { kind: "binary", op, left, right: this.unary() };
    }
    return left;
  }

  unary(): Expr {
    if (this.isOp("-")) {
      this.next();
      const arg = this.unary();
      return arg.kind === "number" ? { kind: "number", value: -arg.value } : { kind: "unary", op: "-", arg };
    }
    if (this.isOp("+")) this.fail(this.peek(), 'unary "+" is not supported; leave it out');
    return this.primary();
  }

  primary(): Expr {
    const t = this.next();
    if (t.t === "number") return { kind: "number", value: t.value };
    if (t.t === "name") {
      if (!t.quoted && this.isOp("(")) return this.call(t);
      return { kind: "column", name: t.name };
    }
    if (t.t === "op" && t.op === "(") {
      const inner = this.expr();
      this.expect(")", "to close the parenthesis");
      return inner;
    }
    return this.fail(t, `expected a number, a column or "(", found ${describe(t)}`);
  }

  call(name: Token & { t: "name" }): Expr {
    const fn = name.name.toLowerCase();
    if (!Object.hasOwn(FUNCTIONS, fn)) {
      this.fail(name, `unknown function "${name.name}"${didYouMean(fn, EXPRESSION_FUNCTIONS)}`);
    }
    const [fewest, most] = FUNCTIONS[fn as ExprFunction];
    this.expect("(", `after ${fn}`);
    const args: Expr[] = [];
    const argStarts: Token[] = [];
    if (!this.isOp(")")) {
      for (;;) {
        argStarts.push(this.peek());
        args.push(this.expr());
        if (!this.isOp(",")) break;
        this.next();
      }
    }
    const close = this.expect(")", `to close ${fn}(`);
    if (args.length < fewest || args.length > most) {
      const wanted = most === Infinity
        ? `at least ${fewest} argument${fewest === 1 ? "" : "s"}`
        : fewest === most
        ? `${fewest} argument${fewest === 1 ? "" : "s"}`
        : `${fewest} or ${most} arguments`;
      this.fail(args.length > most ? argStarts[most]! : close, `${fn}() takes ${wanted}, not ${args.length}`);
    }
    if (fn === "round" && args.length === 2) {
      const digits = args[1]!;
      if (digits.kind !== "number" || !Number.isInteger(digits.value) || Math.abs(digits.value) > 9) {
        this.fail(
          argStarts[1]!,
          "round()'s second argument must be a whole number from -9 to 9, e.g. round(x, 2)",
        );
      }
    }
    return { kind: "call", fn: fn as ExprFunction, args };
  }
}

/**
 * Parses a `derived` column's expression.
 *
 * @param text The expression, e.g. `quantity * unit_price`.
 * @returns Its syntax tree.
 * @throws {SpecError} For invalid text; `column` is the 1-based position in
 * `text` and the message ends with the text and a caret under the problem.
 *
 * @example Parsing an expression
 * ```ts
 * import { parseExpression } from "./expression.ts";
 * const e = parseExpression("qty * price");
 * if (e.kind !== "binary" || e.op !== "*") throw new Error();
 * ```
 */
export function parseExpression(text: string): Expr {
  const parser = new Parser(text, tokenize(text));
  if (parser.peek().t === "end") throw textError(text, 0, "the expression is empty");
  const expr = parser.expr();
  const rest = parser.peek();
  if (rest.t !== "end") {
    const hint = rest.t === "op" && rest.op === ")"
      ? '; there is no matching "("'
      : "; is an operator missing?";
    parser.fail(rest, `unexpected ${describe(rest)}${hint}`);
  }
  return expr;
}

/**
 * The columns an expression reads, each once, in order of first use.
 *
 * @example Listing the columns
 * ```ts
 * import { columnsOf, parseExpression } from "./expression.ts";
 * const cols = columnsOf(parseExpression("a * b + a"));
 * if (cols.join() !== "a,b") throw new Error();
 * ```
 */
export function columnsOf(expr: Expr): string[] {
  const seen = new Set<string>();
  const visit = (e: Expr): void => {
    switch (e.kind) {
      case "number":
        return;
      case "column":
        seen.add(e.name);
        return;
      case "unary":
        return visit(e.arg);
      case "binary":
        visit(e.left);
        return visit(e.right);
      case "call":
        for (const a of e.args) visit(a);
    }
  };
  visit(expr);
  return [...seen];
}

/**
 * The 0-based offset of each column's first reference in `text`, for
 * pointing at a bad name (empty when `text` does not tokenize).
 *
 * @example Where a column is named
 * ```ts
 * import { columnOffsets } from "./expression.ts";
 * if (columnOffsets("round(qty * price)").get("price") !== 12) throw new Error();
 * ```
 */
export function columnOffsets(text: string): Map<string, number> {
  const out = new Map<string, number>();
  let tokens: Token[];
  try {
    tokens = tokenize(text);
  } catch (e) {
    if (e instanceof SpecError) return out;
    throw e;
  }
  tokens.forEach((t, i) => {
    if (t.t !== "name") return;
    const next = tokens[i + 1];
    const isCall = !t.quoted && next?.t === "op" && next.op === "(";
    if (!isCall && !out.has(t.name)) out.set(t.name, t.at);
  });
  return out;
}
