/**
 * The error every spec problem becomes, and the helpers that word it: paths
 * like `tables.orders.columns.qty`, "did you mean" suggestions and caret
 * lines under an expression or pattern.
 *
 * @module
 */

/** One problem found in a spec. */
export interface SpecIssue {
  /** Where in the spec, e.g. `tables.orders.columns.qty`. */
  path: string;
  /** What is wrong and how to fix it (may span lines, e.g. a caret line). */
  message: string;
  /** The spec file, when the spec came from text. */
  file?: string;
  /** 1-based line and column of the offending node, when known. */
  line?: number;
  column?: number;
}

/** Where an issue or error sits, all parts optional. */
export interface SpecErrorOptions {
  file?: string | undefined;
  line?: number | undefined;
  column?: number | undefined;
  issues?: readonly SpecIssue[] | undefined;
}

/**
 * A spec that cannot be used: unparsable text, an invalid expression or
 * pattern, or a spec that fails validation. `issues` holds every problem
 * found (sorted by position); `file`, `line` and `column` are the first one's
 * (absent for a spec given as a TypeScript object). The message is one line
 * per issue, each `file:line:column: path: what is wrong`.
 *
 * @example Catching a spec error
 * ```ts
 * import { SpecError } from "./_spec_error.ts";
 * const e = new SpecError("method is missing", { file: "a.yaml", line: 3, column: 5 });
 * if (!(e instanceof SyntaxError) || e.message !== "a.yaml:3:5: method is missing") throw new Error();
 * ```
 */
export class SpecError extends SyntaxError {
  readonly file: string | undefined;
  readonly line: number | undefined;
  readonly column: number | undefined;
  readonly issues: readonly SpecIssue[];

  constructor(reason: string, options: SpecErrorOptions = {}) {
    const issues = options.issues ?? [issue("", reason, options.file, options.line, options.column)];
    super(options.issues ? issues.map(formatIssue).join("\n") : formatIssue(issues[0]!));
    this.name = "SpecError";
    const first = issues[0];
    this.file = first?.file;
    this.line = first?.line;
    this.column = first?.column;
    this.issues = issues;
  }

  /** One error holding every issue, in the order given. */
  static of(issues: readonly SpecIssue[]): SpecError {
    return new SpecError("", { issues });
  }
}

function issue(path: string, message: string, file?: string, line?: number, column?: number): SpecIssue {
  const out: SpecIssue = { path, message };
  if (file !== undefined) out.file = file;
  if (line !== undefined) out.line = line;
  if (column !== undefined) out.column = column;
  return out;
}

/** `file:line:column: path: message`, leaving out the parts an issue lacks (a position shows only with a file). */
export function formatIssue(i: SpecIssue): string {
  let where = "";
  if (i.file !== undefined) {
    where = i.file;
    if (i.line !== undefined) where += `:${i.line}` + (i.column !== undefined ? `:${i.column}` : "");
    where += ": ";
  }
  return where + (i.path ? `${i.path}: ` : "") + i.message;
}

/** A path segment: an object key or an array index. */
export type PathPart = string | number;

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `tables.orders.foreign_keys[0].columns`; keys that are not identifiers are quoted: `tables["a.b"]`. */
export function formatPath(path: readonly PathPart[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else if (PLAIN_KEY.test(part)) out += out === "" ? part : `.${part}`;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out;
}

/**
 * Optimal-string-alignment Damerau-Levenshtein distance: insertions,
 * deletions, substitutions and swaps of two neighbours each cost 1.
 */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1, cols = b.length + 1;
  const d = new Array<number>(rows * cols).fill(0);
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(
        d[(i - 1) * cols + j]! + 1,
        d[i * cols + j - 1]! + 1,
        d[(i - 1) * cols + j - 1]! + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, d[(i - 2) * cols + j - 2]! + 1);
      }
      d[i * cols + j] = best;
    }
  }
  return d[rows * cols - 1]!;
}

/** The candidate nearest to `word` (case-insensitively), if it is near enough to be a likely typo. */
export function nearest(word: string, candidates: Iterable<string>): string | undefined {
  const w = word.toLowerCase();
  const limit = w.length <= 3 ? 1 : w.length <= 8 ? 2 : 3;
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const c of candidates) {
    const distance = editDistance(w, c.toLowerCase());
    if (distance < bestDistance) {
      best = c;
      bestDistance = distance;
    }
  }
  return best;
}

/** `; did you mean "x"?` for a near candidate, else `; known: a, b, c` (or nothing when `list` is false). */
export function didYouMean(word: string, candidates: readonly string[], list = true): string {
  const near = nearest(word, candidates);
  if (near !== undefined) return `; did you mean "${near}"?`;
  return list && candidates.length > 0 ? `; known: ${candidates.join(", ")}` : "";
}

/**
 * A one-line text with a caret under position `offset`, indented by two
 * spaces, for errors inside an expression or pattern.
 */
export function caretLine(text: string, offset: number): string {
  const shown = text.replace(/[\t\r\n]/g, " ");
  return `  ${shown}\n  ${" ".repeat(Math.max(0, Math.min(offset, shown.length)))}^`;
}

/**
 * The error for position `offset` (0-based) of a one-line `text` such as an
 * expression: the reason, then the text with a caret under the position;
 * `column` is `offset + 1` (there is no file or line).
 */
export function textError(text: string, offset: number, reason: string): SpecError {
  return new SpecError(`${reason} at column ${offset + 1}\n${caretLine(text, offset)}`, {
    column: offset + 1,
  });
}
