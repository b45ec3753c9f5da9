/**
 * Checks a file of statements, one a line as `quarry generate` writes them:
 * each must parse with PostgreSQL's parser and, given a database, run inside
 * a transaction that is rolled back without an error that means a bug.
 *
 * @module
 */
import { loadParser, parseStatement } from "./parser.ts";
import type { Target } from "./targets.ts";
import { classifyError, type ExpectedKind, type Family, verdictLabel } from "./classify.ts";

/** A statement and the 1-based line it sits on. */
export interface StatementLine {
  line: number;
  sql: string;
}

/**
 * The statements in a text given as chunks split anywhere (a file's stream):
 * one a line, skipping blank lines and `--` comment lines, with the line
 * numbers of the file.
 *
 * @param chunks The text, in order.
 * @returns Each statement with its line number.
 *
 * @example
 * ```ts
 * import { statementLines } from "./validate.ts";
 * const got = [];
 * for await (const s of statementLines(["SELECT 1;\n\n-- note\nSEL", "ECT 2;\r\n"])) got.push(s);
 * if (JSON.stringify(got) !== '[{"line":1,"sql":"SELECT 1;"},{"line":4,"sql":"SELECT 2;"}]') throw new Error();
 * ```
 */
export async function* statementLines(
  chunks: AsyncIterable<string> | Iterable<string>,
): AsyncGenerator<StatementLine> {
  let line = 0;
  let rest = "";
  function* complete(text: string, final: boolean): Generator<StatementLine> {
    const parts = text.split("\n");
    rest = final ? "" : parts.pop()!;
    for (const raw of parts) {
      line++;
      const sql = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
      const head = sql.trimStart();
      if (head !== "" && !head.startsWith("--")) yield { line, sql };
    }
  }
  for await (const chunk of chunks) yield* complete(rest + chunk, false);
  if (rest !== "") yield* complete(rest, true);
}

/** A statement that did not pass cleanly. */
export interface Finding {
  line: number;
  sql: string;
  /** The verdict as one word: "generator_bug", "expected/integrity", ... */
  label: string;
  /** "syntax" for a parser reject, else the SQLSTATE the database returned. */
  code: string;
  message: string;
  /** Whether it makes the check fail (exit code 1). */
  failing: boolean;
}

/** Options for {@link validateStatements}. */
export interface ValidateOptions {
  /** Where to run each statement; without one, statements are only parsed. */
  target?: Target;
  /** The family `target` belongs to, for classifying its errors [default: "postgres"]. */
  family?: Family;
  /**
   * Expected errors that count as failures too. Bugs (generator, runner,
   * server) and parser rejects always do.
   */
  failOnExpected?: readonly ExpectedKind[];
  /** Called for every statement that did not pass cleanly, in file order. */
  onFinding?: (finding: Finding) => void;
}

/** What a check found. */
export interface ValidateSummary {
  statements: number;
  ok: number;
  /** Transaction-control statements, not run: they would end the wrapping transaction. */
  skipped: number;
  /** Statements that did not pass, by finding label. */
  errors: Record<string, number>;
  /** How many findings were failing. */
  failing: number;
}

/** The database could not be reached, or went away; nothing after `line` was checked. */
export class ConnectionLost extends Error {
  constructor(readonly line: number, readonly code: string, readonly detail: string) {
    super(`connection lost at line ${line}: ${code} ${detail}`);
    this.name = "ConnectionLost";
  }
}

/** A statement's kind, as the key of its parse-tree node ("SelectStmt"). */
function statementKinds(tree: unknown): string[] {
  const stmts = (tree as { stmts?: { stmt?: Record<string, unknown> }[] }).stmts ?? [];
  return stmts.map((s) => Object.keys(s.stmt ?? {})[0] ?? "");
}

/**
 * Parses each statement and, with a target, runs it rolled back; every
 * problem is reported through `onFinding` as it is found.
 *
 * Requires `--allow-read` (the parser's WASM) and what the target needs.
 *
 * @param statements Statements with their lines, as {@link statementLines} gives them.
 * @param options See {@link ValidateOptions}.
 * @returns Counts by outcome.
 * @throws {ConnectionLost} When the target cannot be reached or drops the connection.
 *
 * @example Parsing only
 * ```ts
 * import { statementLines, validateStatements } from "./validate.ts";
 * const found: string[] = [];
 * const summary = await validateStatements(statementLines(["SELECT 1;\nSELEC 2;\n"]), {
 *   onFinding: (f) => found.push(`${f.line}: ${f.label} ${f.code}`),
 * });
 * if (summary.failing !== 1 || found[0] !== "2: generator_bug syntax") throw new Error();
 * ```
 */
export async function validateStatements(
  statements: AsyncIterable<StatementLine>,
  options: ValidateOptions = {},
): Promise<ValidateSummary> {
  await loadParser();
  const { target, family = "postgres", onFinding } = options;
  const failOn = new Set(options.failOnExpected ?? []);
  const summary: ValidateSummary = { statements: 0, ok: 0, skipped: 0, errors: {}, failing: 0 };
  const report = (f: Omit<Finding, "failing">, failing: boolean) => {
    summary.errors[f.label] = (summary.errors[f.label] ?? 0) + 1;
    if (failing) summary.failing++;
    onFinding?.({ ...f, failing });
  };
  for await (const { line, sql } of statements) {
    const parsed = parseStatement(sql);
    const kinds = "tree" in parsed ? statementKinds(parsed.tree) : [];
    // A comment-only line ("/* ... */") holds no statement; it is not counted.
    if ("tree" in parsed && kinds.length === 0) continue;
    summary.statements++;
    if ("error" in parsed) {
      report({ line, sql, label: "generator_bug", code: "syntax", message: parsed.error }, true);
      continue;
    }
    if (kinds.length > 1) {
      const message = `${kinds.length} statements on one line; the format is one statement a line`;
      report({ line, sql, label: "generator_bug", code: "syntax", message }, true);
      continue;
    }
    if (!target) {
      summary.ok++;
      continue;
    }
    if (kinds[0] === "TransactionStmt") {
      summary.skipped++;
      continue;
    }
    const outcome = await target.runRolledBack(sql);
    if (outcome.ok) {
      summary.ok++;
      continue;
    }
    const verdict = classifyError(outcome.code, outcome.message, family);
    if (verdict.class === "connection") throw new ConnectionLost(line, outcome.code, outcome.message);
    const failing = verdict.class === "expected" ? failOn.has(verdict.kind) : true;
    report(
      { line, sql, label: verdictLabel(verdict), code: outcome.code, message: outcome.message },
      failing,
    );
  }
  return summary;
}
