/**
 * `quarry coverage`: which parse-tree node kinds, keywords and functions a
 * file of statements exercises.
 *
 * @module
 */
import { parseCount, parseFlags } from "../args.ts";
import { EXIT } from "../errors.ts";
import { readText } from "../sources.ts";
import { Coverage, type CoverageReport } from "../../core/exec/coverage.ts";
import { statementLines } from "../../core/exec/validate.ts";

export const COVERAGE_HELP = `quarry coverage: what SQL a file of statements exercises

Usage:
  quarry coverage [options] [FILE|-]

Reads one statement a line, as 'quarry generate' writes them, from FILE or
standard input ("-", the default); blank lines and "--" lines are skipped.
Each statement is parsed with PostgreSQL's own parser (libpg-query), and
four things are counted, each by how often it appears:

  node kinds   parse-tree nodes: SelectStmt, JoinExpr, A_Expr, SubLink, ...
  keywords     keyword tokens, upper-cased (an unreserved keyword used as a
               name, like a column called "name", counts too)
  functions    called functions, schema-qualified where written so
  operators    operators of expressions (=, ||, @>; LIKE counts as ~~)

Statements the parser rejects are counted as parse errors and nothing else;
'quarry validate' says which lines they are on.

Options:
      --json               Print one JSON object instead: {statements,
                           parseErrors, nodeKinds, keywords, functions,
                           operators}, each
                           map most frequent first
      --top N              Entries listed per table in the summary [default: 15]
  -h, --help               Show this help

Examples:
  quarry generate -n 10k --seed 42 | quarry coverage
  quarry coverage --json out.sql > coverage.json

Exit codes: 0 success (parse errors included), 2 bad usage or a file that
cannot be read, 1 a bug in Quarry.`;

const OPTIONS = {
  json: { type: "boolean" },
  top: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

function table(title: string, counts: Record<string, number>, top: number): string[] {
  const entries = Object.entries(counts).slice(0, top);
  if (entries.length === 0) return [];
  const width = Math.max(...entries.map(([k]) => k.length));
  const more = Object.keys(counts).length - entries.length;
  return [
    "",
    `${title}${more > 0 ? ` (top ${entries.length} of ${entries.length + more})` : ""}:`,
    ...entries.map(([k, n]) => `  ${k.padEnd(width)}  ${n}`),
  ];
}

function count(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** The report for people: totals, then the most frequent entries of each table. */
export function formatCoverage(r: CoverageReport, top: number): string {
  const distinct = (m: Record<string, number>) => Object.keys(m).length;
  return [
    `${count(r.statements, "statement")}, ${count(r.parseErrors, "parse error")}`,
    [
      count(distinct(r.nodeKinds), "node kind"),
      count(distinct(r.keywords), "keyword"),
      count(distinct(r.functions), "function"),
      count(distinct(r.operators), "operator"),
    ].join(", "),
    ...table("node kinds", r.nodeKinds, top),
    ...table("keywords", r.keywords, top),
    ...table("functions", r.functions, top),
    ...table("operators", r.operators, top),
  ].join("\n");
}

/** Runs `quarry coverage`; returns the exit code. */
export async function coverageCommand(argv: string[]): Promise<number> {
  const { values: v, positionals } = parseFlags(argv, OPTIONS, "coverage", 1);
  if (v.help) {
    console.log(COVERAGE_HELP);
    return EXIT.ok;
  }
  const top = Number(v.top === undefined ? 15n : parseCount(v.top as string, "--top"));
  const coverage = await Coverage.create();
  for await (const { sql } of statementLines(readText(positionals[0] ?? "-"))) coverage.add(sql);
  const report = coverage.report();
  console.log(v.json ? JSON.stringify(report) : formatCoverage(report, top));
  return EXIT.ok;
}
