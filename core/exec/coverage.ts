/**
 * What a stream of statements exercises, as PostgreSQL's parser sees it:
 * parse-tree node kinds, SQL keywords, called functions and operators, each with how
 * often it appears. Fed one statement at a time, so a run can keep counting
 * while it goes. Requires `--allow-read` (the parser's WASM).
 *
 * @module
 */
import { scanSync } from "libpg-query";
import { loadParser, parseStatement } from "./parser.ts";

/** Counts, most frequent first (ties by name), as plain JSON. */
export interface CoverageReport {
  statements: number;
  parseErrors: number;
  /** Parse-tree node kinds ("SelectStmt", "A_Expr", "JoinExpr") by occurrences. */
  nodeKinds: Record<string, number>;
  /**
   * Keyword tokens by occurrences, upper-cased. The scanner cannot tell an
   * unreserved keyword used as a name (a column called "name") from the
   * keyword, so such names count too.
   */
  keywords: Record<string, number>;
  /** Called functions by occurrences, schema-qualified where the tree says so ("pg_catalog.extract"). */
  functions: Record<string, number>;
  /** Operators of expressions (`=`, `||`, `@>`, `~~` for LIKE), schema-qualified where written so. */
  operators: Record<string, number>;
}

function bump(counts: Map<string, number>, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

function sorted(counts: Map<string, number>): Record<string, number> {
  const entries = [...counts].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries);
}

/** The name in a FuncCall's `funcname` list of String nodes. */
function functionName(funcname: unknown): string {
  if (!Array.isArray(funcname)) return "?";
  return funcname.map((n) => (n as { String?: { sval?: string } }).String?.sval ?? "?").join(".");
}

/**
 * Counts node kinds, keywords and functions over statements added one by
 * one. Create it with {@link Coverage.create}, which loads the parser.
 *
 * @example
 * ```ts
 * import { Coverage } from "./coverage.ts";
 * const coverage = await Coverage.create();
 * coverage.add("SELECT lower(a.name) FROM t AS a JOIN u ON a.id = u.id;");
 * coverage.add("SELEC 1;");
 * const r = coverage.report();
 * if (r.statements !== 2 || r.parseErrors !== 1) throw new Error();
 * if (r.nodeKinds.JoinExpr !== 1 || r.keywords.JOIN !== 1 || r.functions.lower !== 1) throw new Error();
 * if (r.operators["="] !== 1) throw new Error();
 * ```
 */
export class Coverage {
  #statements = 0;
  #parseErrors = 0;
  readonly #kinds = new Map<string, number>();
  readonly #keywords = new Map<string, number>();
  readonly #functions = new Map<string, number>();
  readonly #operators = new Map<string, number>();

  private constructor() {}

  /** A new, empty counter, once the parser is loaded. */
  static async create(): Promise<Coverage> {
    await loadParser();
    return new Coverage();
  }

  /**
   * Counts one statement (or several on one line, as the parser reads them).
   *
   * @param sql The statement text.
   * @returns Whether it parsed; one that does not is counted as a parse error only.
   */
  add(sql: string): boolean {
    const parsed = parseStatement(sql);
    // A comment alone is no statement, as in `quarry validate`.
    if ("tree" in parsed && ((parsed.tree as { stmts?: unknown[] }).stmts ?? []).length === 0) return true;
    this.#statements++;
    if ("error" in parsed) {
      this.#parseErrors++;
      return false;
    }
    this.#walk(parsed.tree);
    // keywordKind 0 is NO_KEYWORD; the others are the four keyword categories.
    for (const t of scanSync(sql).tokens) if (t.keywordKind > 0) bump(this.#keywords, t.text.toUpperCase());
    return true;
  }

  /** The counts so far. */
  report(): CoverageReport {
    return {
      statements: this.#statements,
      parseErrors: this.#parseErrors,
      nodeKinds: sorted(this.#kinds),
      keywords: sorted(this.#keywords),
      functions: sorted(this.#functions),
      operators: sorted(this.#operators),
    };
  }

  /**
   * In libpg-query's JSON a node is `{ Kind: { fields } }`; node kinds are the
   * only keys that start with a capital letter (fields are lower case).
   */
  #walk(value: unknown): void {
    if (Array.isArray(value)) {
      for (const v of value) this.#walk(v);
      return;
    }
    if (typeof value !== "object" || value === null) return;
    for (const [key, v] of Object.entries(value)) {
      if (/^[A-Z]/.test(key)) {
        bump(this.#kinds, key);
        if (key === "FuncCall") bump(this.#functions, functionName((v as { funcname?: unknown }).funcname));
        // BETWEEN and its kin name the construct, not an operator.
        const expr = v as { kind?: string; name?: unknown };
        if (key === "A_Expr" && !(expr.kind ?? "").includes("BETWEEN")) {
          bump(this.#operators, functionName(expr.name));
        }
      }
      this.#walk(v);
    }
  }
}
