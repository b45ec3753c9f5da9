/**
 * The grammar DSL: a `Grammar` holds named rules; the functions below build
 * their elements. Grammars are data: the compiler validates and lowers them
 * to the WASM VM's program.
 *
 * @example A tiny grammar
 * ```ts
 * import { choice, grammar, number, ref, template } from "./grammar.ts";
 * const g = grammar("tiny")
 *   .rule("query", choice([3, ref("select")], [1, "SELECT 1"]))
 *   .rule("select", template("SELECT {n}", { n: number(1, 9) }));
 * if (g.rules.size !== 2) throw new Error();
 * ```
 *
 * @module
 */
import type { ColumnFilter, Element, Node, TableFilter } from "./nodes.ts";

export type * from "./nodes.ts";

/** Options of a grammar. */
export interface GrammarOptions {
  /** One paragraph shown by `grammars show`. */
  description?: string;
  /** The rule each statement starts from; default: the first rule defined. */
  start?: string;
  /** Call depth beyond which choices keep only alternatives that finish in time (default 12). */
  maxDepth?: number;
  /** Largest statement in bytes before generation fails (default 64 KiB). */
  maxStatementBytes?: number;
  /**
   * The uniqueness a run gets when it asks for none (`generate` without
   * `--unique`). Absent: structural when every statement carries a unique()
   * value, else bloom. A workload grammar, whose statements repeat as an
   * application's do (the same point read, the same delete), says "none":
   * a filter would only find its output space too small.
   */
  unique?: UniqueMode;
}

/** How a run keeps its statements distinct. */
export type UniqueMode = "none" | "bloom" | "exact" | "structural";

/** A named set of rules. */
export class Grammar {
  readonly #rules: Map<string, Element> = new Map();
  #deferred: (() => void)[] = [];
  readonly description: string;
  readonly maxDepth: number;
  readonly maxStatementBytes: number;
  /** See {@link GrammarOptions.unique}. */
  readonly unique: UniqueMode | undefined;
  #start: string | undefined;

  /**
   * @param name The grammar's name, as `--grammar` takes it.
   * @param options See {@link GrammarOptions}.
   */
  constructor(readonly name: string, options: GrammarOptions = {}) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      throw new TypeError(`Grammar name "${name}" must be letters, digits and underscores`);
    }
    this.description = options.description ?? "";
    this.maxDepth = options.maxDepth ?? 12;
    this.maxStatementBytes = options.maxStatementBytes ?? 65536;
    this.unique = options.unique;
    this.#start = options.start;
  }

  /** Rules in definition order; the deferred builders run on first access. */
  get rules(): Map<string, Element> {
    while (this.#deferred.length > 0) this.#deferred.shift()!();
    return this.#rules;
  }

  /**
   * Registers rules on first use instead of now. A grammar whose rules are
   * costly to build (the catalog part's hundreds of rules) defers them, so
   * every command that merely loads the catalogue starts fast.
   *
   * @param build Defines the rules with {@link rule}; runs once, before anything reads them.
   * @returns This grammar, for chaining.
   */
  defer(build: () => void): this {
    this.#deferred.push(build);
    return this;
  }

  /** The start rule's name. */
  get start(): string {
    const first = this.rules.keys().next();
    return this.#start ?? (first.done ? "" : first.value);
  }

  /**
   * Defines a rule.
   *
   * @param name Rule name, unique in this grammar.
   * @param element The rule's body.
   * @returns This grammar, for chaining.
   */
  rule(name: string, element: Element): this {
    if (this.#rules.has(name)) {
      throw new TypeError(`Rule "${name}" is defined twice in grammar "${this.name}"`);
    }
    this.#rules.set(name, element);
    return this;
  }
}

/** Creates a grammar. */
export function grammar(name: string, options?: GrammarOptions): Grammar {
  return new Grammar(name, options);
}

/** Expands the named rule here. */
export function ref(rule: string): Node {
  return { kind: "ref", rule };
}

/**
 * Picks one alternative; `[weight, element]` sets a weight (default 1), so
 * every weight stands next to what it weighs.
 */
export function choice(...alternatives: (Element | readonly [number, Element])[]): Node {
  return {
    kind: "choice",
    alternatives: alternatives.map((a) =>
      Array.isArray(a)
        ? { weight: a[0] as number, element: a[1] as Element }
        : { weight: 1, element: a as Element }
    ),
  };
}

/** The elements one after another. */
export function seq(...parts: Element[]): Node {
  return { kind: "seq", parts };
}

/**
 * Text with `{name}` placeholders filled from `parts`, or else from the rule
 * of that name. `{{` and `}}` stand for literal braces.
 */
export function template(text: string, parts: Record<string, Element> = {}): Node {
  return { kind: "template", text, parts };
}

/** A uniform integer in [lo, hi]. */
export function number(lo: number | bigint, hi: number | bigint): Node {
  return { kind: "number", lo: BigInt(lo), hi: BigInt(hi) };
}

/** The element with the given probability (default 0.5), else nothing. */
export function maybe(element: Element, probability = 0.5): Node {
  return { kind: "maybe", element, probability };
}

/** The element between `min` and `max` times, joined by `sep`. */
export function repeat(element: Element, min: number, max: number, sep = ""): Node {
  return { kind: "repeat", element, min, max, sep };
}

/** One of the literal strings, uniformly. */
export function pool(values: readonly string[]): Node {
  return { kind: "pool", values: [...values] };
}

/**
 * A number unique to this statement: a bijection of (statement index, n-th
 * call in the statement), so a grammar that always emits one is unique by
 * construction.
 */
export function unique(): Node {
  return { kind: "unique" };
}

/** Picks a table into `slot`, then expands `body`; `orElse` if none matches. */
export function withTable(slot: string, body: Element, where: TableFilter = {}, orElse?: Element): Node {
  return orElse === undefined
    ? { kind: "withTable", slot, where, body }
    : { kind: "withTable", slot, where, body, orElse };
}

/** The quoted name of the table in `slot`. */
export function tableName(slot: string): Node {
  return { kind: "tableName", slot };
}

/** Options of {@link withColumns}. */
export interface ColumnsOptions {
  /** Fewest columns besides the required ones (default 1). */
  min?: number;
  /** Most columns besides the required ones (default 4). */
  max?: number;
  /** Always include NOT NULL columns without default (for INSERT). */
  required?: boolean;
  /** Take every matching column (e.g. all primary-key columns); min still applies. */
  all?: boolean;
  where?: ColumnFilter;
}

/**
 * Picks a distinct set of the table's columns into `list` (in table order),
 * then expands `body`; `orElse` when fewer than `min` match or the set would
 * be empty.
 */
export function withColumns(
  list: string,
  table: string,
  options: ColumnsOptions,
  body: Element,
  orElse?: Element,
): Node {
  const node: Node = {
    kind: "withColumns",
    list,
    table,
    min: options.min ?? 1,
    max: options.max ?? 4,
    required: options.required ?? false,
    all: options.all ?? false,
    where: options.where ?? {},
    body,
  };
  return orElse === undefined ? node : { ...node, orElse };
}

/** Picks one column of the table into `column`, then `body`; `orElse` if none matches. */
export function withColumn(
  column: string,
  table: string,
  where: ColumnFilter,
  body: Element,
  orElse?: Element,
): Node {
  return orElse === undefined
    ? { kind: "withColumn", column, table, where, body }
    : { kind: "withColumn", column, table, where, body, orElse };
}

/** Expands `body` once per column of `list`, binding it to `column`, joined by `sep`. */
export function eachColumn(list: string, column: string, body: Element, sep = ", "): Node {
  return { kind: "eachColumn", list, column, body, sep };
}

/** The quoted name of the bound column. */
export function columnName(column: string): Node {
  return { kind: "columnName", column };
}

/** The SQL type of the bound column (for casts). */
export function columnType(column: string): Node {
  return { kind: "columnType", column };
}

/** A literal valid for the bound column's type and range; NULL with probability `nulls` if nullable. */
export function literal(column: string, options: { nulls?: number } = {}): Node {
  return { kind: "literal", column, nulls: options.nulls ?? 0.05 };
}

/** The statement's next unique value as a literal of the bound column's type. */
export function uniqueLiteral(column: string): Node {
  return { kind: "uniqueLiteral", column };
}

/** Branches on the bound column: the first case whose filter matches, else `otherwise`. */
export function byColumn(
  column: string,
  cases: readonly (readonly [ColumnFilter, Element])[],
  otherwise: Element,
): Node {
  return { kind: "byColumn", column, cases: cases.map(([when, then]) => ({ when, then })), otherwise };
}

/**
 * Picks a foreign key of the table in `from` into `fk`, puts the referenced
 * table into `to`, then `body`; `orElse` when the table has none.
 */
export function withForeignKey(fk: string, from: string, to: string, body: Element, orElse?: Element): Node {
  return orElse === undefined
    ? { kind: "withForeignKey", fk, from, to, body }
    : { kind: "withForeignKey", fk, from, to, body, orElse };
}

/** Expands `body` for each (child, parent) column pair of `fk`, joined by `sep`. */
export function eachForeignKeyPair(
  fk: string,
  child: string,
  parent: string,
  body: Element,
  sep = " AND ",
): Node {
  return { kind: "eachForeignKeyPair", fk, child, parent, body, sep };
}
