/**
 * Bounds from CHECK constraints, read from PostgreSQL's own parse tree
 * (core/exec/parser.ts): `col >= N`, `col > N`, `col <= N`, `col < N`,
 * `col = v`, `col <> v`, `col BETWEEN a AND b` (and SYMMETRIC), `col IN (…)`,
 * `col NOT IN (…)`, `col = ANY (ARRAY[…])` (how PostgreSQL prints IN),
 * `char_length(col)` / `length(col)` compared with a number, `col IS NOT
 * NULL`, a text column matching a regular expression or a LIKE pattern
 * (`col ~ 're'`, `~*`, `col LIKE 'x%'`, printed `~~`, ILIKE; read by
 * core/data/_from_schema_text_checks.ts), and AND-combinations of these,
 * casts included. With `pairs`, a
 * column compared with another column (`ends_at > starts_at`, `a <> b`) is
 * read too, as a {@link ColumnPair} for the caller to keep
 * (core/data/_from_schema_pairs.ts). Everything else is left for the caller
 * to warn about.
 *
 * @module
 */
import { parseStatement } from "../exec/parser.ts";
import { likePattern, regexPattern, type TextPattern } from "./_from_schema_text_checks.ts";

/** A constant of a CHECK. */
export type Scalar = string | number | boolean;

/** One end of an interval. */
export interface Limit {
  value: Scalar;
  inclusive: boolean;
}

/** What a CHECK (or a domain, a partition, a `range`) asks of one column's values. */
export interface Bounds {
  lo?: Limit;
  hi?: Limit;
  /** Only these values (IN, `=`); null stands for an IN list's NULL. */
  values?: (Scalar | null)[];
  /** Never these values (`<>`, NOT IN). */
  exclude?: Scalar[];
  /** Character lengths, inclusive. */
  minLength?: number;
  maxLength?: number;
  notNull?: boolean;
  /** Text CHECKs (regular expressions, LIKE): values must be strings of every one. */
  patterns?: TextPattern[];
  /** Says where the bounds come from, for warnings (`table "t", check "c": (expr)`). */
  origin?: string;
}

/**
 * Two columns a CHECK compares: `later > earlier` (`strict`) or `later >=
 * earlier`; `distinct` for `<>` (either one may then be the later one, kept
 * strictly apart). `casts` are the type names each side is cast to, outermost
 * last, for the caller to judge.
 */
export interface ColumnPair {
  earlier: string;
  later: string;
  strict: boolean;
  distinct?: boolean;
  casts: { earlier: string[]; later: string[] };
}

/**
 * The bounds a CHECK puts on its columns; `derived` is false when part of it
 * is of another form. `pairs` lists the comparisons of two columns, which
 * count as derived only when {@link deriveCheck} is asked for them.
 */
export interface DerivedCheck {
  bounds: Map<string, Bounds>;
  derived: boolean;
  pairs: ColumnPair[];
}

type Node = Record<string, unknown>;

const LENGTH_FUNCTIONS = new Set(["char_length", "character_length", "length"]);
/** Casts of a column that keep its value comparable with the constant as it is. */
const TRANSPARENT_CASTS = new Set([
  "text",
  "varchar",
  "bpchar",
  "numeric",
  "int2",
  "int4",
  "int8",
  "float4",
  "float8",
  "smallint",
  "integer",
  "bigint",
]);
/** Casts of a column that keep its text as it is (no length: `::varchar(3)` would cut it). */
const TEXT_CASTS = new Set(["text", "varchar", "bpchar"]);
/** Operators of text CHECKs: regular expressions and LIKE (`~~`), case-insensitive ones with `*`. */
const TEXT_OPS = new Set(["~", "~*", "~~", "~~*"]);
const FLIP: Record<string, string> = { "<": ">", "<=": ">=", ">": "<", ">=": "<=", "=": "=", "<>": "<>" };

function obj(v: unknown): Node | undefined {
  return v && typeof v === "object" && !Array.isArray(v) ? v as Node : undefined;
}

function firstStatement(tree: unknown): Node | undefined {
  const stmts = obj(tree)?.stmts;
  return Array.isArray(stmts) ? obj(obj(stmts[0])?.stmt) : undefined;
}

function stringsOf(list: unknown): string[] {
  return Array.isArray(list) ? list.map((x) => String(obj(obj(x)?.String)?.sval ?? "")) : [];
}

/** A constant: A_Const, a cast of one, or a negated number. */
function constant(node: unknown): Scalar | null | undefined {
  const n = obj(node);
  if (!n) return undefined;
  const cast = obj(n.TypeCast);
  if (cast) return constant(cast.arg);
  const c = obj(n.A_Const);
  if (c) {
    if (c.isnull === true) return null;
    if (c.ival !== undefined) return Number(obj(c.ival)?.ival ?? 0);
    if (c.fval !== undefined) return Number(obj(c.fval)?.fval ?? 0);
    if (c.boolval !== undefined) return obj(c.boolval)?.boolval === true;
    if (c.sval !== undefined) return String(obj(c.sval)?.sval ?? "");
    return undefined;
  }
  const e = obj(n.A_Expr);
  if (e && e.kind === "AEXPR_OP" && e.lexpr === undefined && stringsOf(e.name)[0] === "-") {
    const v = constant(e.rexpr);
    return typeof v === "number" ? -v : undefined;
  }
  return undefined;
}

/** The column a side names: `col`, `col::text`, or (length) `char_length(col)`. */
function columnSide(
  node: unknown,
  isColumn: (name: string) => boolean,
): { column: string; length: boolean } | undefined {
  const n = obj(node);
  if (!n) return undefined;
  const cast = obj(n.TypeCast);
  if (cast) {
    const names = stringsOf(obj(cast.typeName)?.names);
    if (!TRANSPARENT_CASTS.has(names[names.length - 1] ?? "")) return undefined;
    return columnSide(cast.arg, isColumn);
  }
  const ref = obj(n.ColumnRef);
  if (ref) {
    const fields = stringsOf(ref.fields);
    return fields.length === 1 && isColumn(fields[0]!) ? { column: fields[0]!, length: false } : undefined;
  }
  const call = obj(n.FuncCall);
  if (call) {
    const name = stringsOf(call.funcname);
    const args = Array.isArray(call.args) ? call.args : [];
    if (!LENGTH_FUNCTIONS.has(name[name.length - 1] ?? "") || name.length > 2 || args.length !== 1) {
      return undefined;
    }
    const inner = columnSide(args[0], isColumn);
    return inner && !inner.length ? { column: inner.column, length: true } : undefined;
  }
  return undefined;
}

/** A side of a comparison of two columns: a column, under casts (any; the caller judges them). */
function pairSide(
  node: unknown,
  isColumn: (name: string) => boolean,
): { column: string; casts: string[] } | undefined {
  const n = obj(node);
  const cast = obj(n?.TypeCast);
  if (cast) {
    const inner = pairSide(cast.arg, isColumn);
    const names = stringsOf(obj(cast.typeName)?.names);
    if (!inner || Array.isArray(obj(cast.typeName)?.arrayBounds)) return undefined;
    return { column: inner.column, casts: [...inner.casts, names[names.length - 1] ?? ""] };
  }
  const fields = stringsOf(obj(n?.ColumnRef)?.fields);
  return fields.length === 1 && isColumn(fields[0]!) ? { column: fields[0]!, casts: [] } : undefined;
}

/** `a op b` over two columns as a pair, or undefined when it is not one. */
function columnPair(e: Node, op: string, isColumn: (name: string) => boolean): ColumnPair | undefined {
  const left = pairSide(e.lexpr, isColumn);
  const right = pairSide(e.rexpr, isColumn);
  if (!left || !right || left.column === right.column) return undefined;
  const pair = (earlier: typeof left, later: typeof left, strict: boolean): ColumnPair => ({
    earlier: earlier.column,
    later: later.column,
    strict,
    casts: { earlier: earlier.casts, later: later.casts },
  });
  switch (op) {
    case "<":
    case "<=":
      return pair(left, right, op === "<");
    case ">":
    case ">=":
      return pair(right, left, op === ">");
    case "<>":
      return { ...pair(left, right, true), distinct: true };
    default:
      return undefined;
  }
}

/** A cast of `node` to a text type without a length, or `node` itself: what it casts. */
function uncastText(node: unknown): unknown {
  const cast = obj(obj(node)?.TypeCast);
  if (!cast) return node;
  const typeName = obj(cast.typeName);
  const names = stringsOf(typeName?.names);
  if (!TEXT_CASTS.has(names[names.length - 1] ?? "") || typeName?.typmods || typeName?.arrayBounds) {
    return undefined;
  }
  return uncastText(cast.arg);
}

/**
 * A text CHECK of one column, `col ~ 'regex'` or `col LIKE 'pattern'` (`~~`,
 * `ESCAPE` included): the column and the strings it accepts, or undefined.
 */
function textCheck(
  e: Node,
  op: string,
  isColumn: (name: string) => boolean,
): { column: string; pattern: TextPattern } | undefined {
  const fields = stringsOf(obj(obj(uncastText(e.lexpr))?.ColumnRef)?.fields);
  if (fields.length !== 1 || !isColumn(fields[0]!)) return undefined;
  const right = obj(uncastText(e.rexpr));
  const text = (node: unknown) => {
    const c = obj(obj(uncastText(node))?.A_Const)?.sval;
    return c === undefined ? undefined : String(obj(c)?.sval ?? "");
  };
  let pattern: TextPattern | undefined;
  if (op === "~" || op === "~*") {
    const regex = text(right);
    if (regex !== undefined) pattern = regexPattern(regex, op === "~*");
  } else {
    // LIKE … ESCAPE 'x' is printed like_escape('…', 'x').
    const call = obj(right?.FuncCall);
    const name = stringsOf(call?.funcname);
    const args = Array.isArray(call?.args) ? call.args : [];
    const like = call
      ? (name[name.length - 1] === "like_escape" && args.length === 2 ? text(args[0]) : undefined)
      : text(right);
    const escape = call ? text(args[1]) : "\\";
    if (like !== undefined && escape !== undefined && [...escape].length <= 1) {
      pattern = likePattern(like, escape);
    }
  }
  return pattern ? { column: fields[0]!, pattern } : undefined;
}

/** Adds one comparison to a column's bounds; false when it is not of a derivable form. */
function compare(b: Bounds, op: string, value: Scalar | null, length: boolean): boolean {
  if (value === null) return false;
  if (length) {
    if (typeof value !== "number" || !Number.isInteger(value)) return false;
    switch (op) {
      case "<":
        b.maxLength = Math.min(b.maxLength ?? Infinity, value - 1);
        return true;
      case "<=":
        b.maxLength = Math.min(b.maxLength ?? Infinity, value);
        return true;
      case ">":
        b.minLength = Math.max(b.minLength ?? 0, value + 1);
        return true;
      case ">=":
        b.minLength = Math.max(b.minLength ?? 0, value);
        return true;
      case "=":
        b.minLength = Math.max(b.minLength ?? 0, value);
        b.maxLength = Math.min(b.maxLength ?? Infinity, value);
        return true;
      default:
        return false;
    }
  }
  switch (op) {
    case "<":
    case "<=":
      b.hi = { value, inclusive: op === "<=" };
      return true;
    case ">":
    case ">=":
      b.lo = { value, inclusive: op === ">=" };
      return true;
    case "=":
      b.values = [value];
      return true;
    case "<>":
    case "!=":
      (b.exclude ??= []).push(value);
      return true;
    default:
      return false;
  }
}

/** The constants of an IN list or an ARRAY[…] (possibly cast). */
function constantList(node: unknown): (Scalar | null)[] | undefined {
  const n = obj(node);
  if (!n) return undefined;
  const cast = obj(n.TypeCast);
  if (cast) return constantList(cast.arg);
  const items = Array.isArray(n) ? n : obj(n.List)?.items ?? obj(n.A_ArrayExpr)?.elements;
  if (!Array.isArray(items)) return undefined;
  const out = items.map(constant);
  return out.every((x) => x !== undefined) ? out as (Scalar | null)[] : undefined;
}

function atom(
  node: unknown,
  isColumn: (name: string) => boolean,
  out: Map<string, Bounds>,
  pairs: ColumnPair[] | undefined,
  texts: (column: string) => boolean,
): boolean {
  const n = obj(node);
  if (!n) return false;
  const boolExpr = obj(n.BoolExpr);
  if (boolExpr) {
    if (boolExpr.boolop !== "AND_EXPR" || !Array.isArray(boolExpr.args)) return false;
    let all = true;
    for (const a of boolExpr.args) all = atom(a, isColumn, out, pairs, texts) && all;
    return all;
  }
  const bounds = (column: string) => {
    let b = out.get(column);
    if (!b) out.set(column, b = {});
    return b;
  };
  const text = (e: Node, op: string) => {
    const t = TEXT_OPS.has(op) ? textCheck(e, op, (c) => isColumn(c) && texts(c)) : undefined;
    if (t) (bounds(t.column).patterns ??= []).push(t.pattern);
    return t !== undefined;
  };
  const nullTest = obj(n.NullTest);
  if (nullTest) {
    const side = columnSide(nullTest.arg, isColumn);
    if (!side || side.length || nullTest.nulltesttype !== "IS_NOT_NULL") return false;
    bounds(side.column).notNull = true;
    return true;
  }
  const e = obj(n.A_Expr);
  if (!e) return false;
  const op = stringsOf(e.name)[0] ?? "";
  switch (e.kind) {
    case "AEXPR_OP": {
      const pair = pairs ? columnPair(e, op, isColumn) : undefined;
      if (pair) {
        pairs!.push(pair);
        return true;
      }
      if (text(e, op)) return true;
      const left = columnSide(e.lexpr, isColumn);
      const right = left ? undefined : columnSide(e.rexpr, isColumn);
      const side = left ?? right;
      const value = constant(left ? e.rexpr : e.lexpr);
      if (!side || value === undefined) return false;
      return compare(bounds(side.column), left ? op : FLIP[op] ?? op, value, side.length);
    }
    case "AEXPR_LIKE":
    case "AEXPR_ILIKE":
      return text(e, op);
    case "AEXPR_BETWEEN":
    case "AEXPR_BETWEEN_SYM": {
      const side = columnSide(e.lexpr, isColumn);
      const list = constantList(e.rexpr);
      if (!side || !list || list.length !== 2 || list.some((x) => x === null)) return false;
      let [a, z] = list as Scalar[];
      if (e.kind === "AEXPR_BETWEEN_SYM" && typeof a === "number" && typeof z === "number" && a > z) {
        [a, z] = [z, a];
      }
      const b = bounds(side.column);
      return compare(b, ">=", a!, side.length) && compare(b, "<=", z!, side.length);
    }
    case "AEXPR_IN":
    case "AEXPR_OP_ANY":
    case "AEXPR_OP_ALL": {
      const side = columnSide(e.lexpr, isColumn);
      const list = constantList(e.rexpr);
      if (!side || side.length || !list) return false;
      const any = e.kind === "AEXPR_OP_ANY" || (e.kind === "AEXPR_IN" && op === "=");
      const all = e.kind === "AEXPR_OP_ALL" || (e.kind === "AEXPR_IN" && op === "<>");
      if (any && op === "=") {
        bounds(side.column).values = list;
        return true;
      }
      if (all && op === "<>") {
        const b = bounds(side.column);
        (b.exclude ??= []).push(...list.filter((x): x is Scalar => x !== null));
        return true;
      }
      return false;
    }
    default:
      return false;
  }
}

/**
 * The bounds a CHECK expression puts on columns. Call `loadParser()` (core/exec/parser.ts) first.
 *
 * @param expression The CHECK's expression, as in the schema.
 * @param isColumn Whether a name is a column of the table (`value` for a domain's checks).
 * @param options `pairs`: read comparisons of two columns as {@link ColumnPair}s (else they are not derived);
 * `texts`: the columns whose text CHECKs are read as patterns (all by default; the others' are not derived).
 * @returns Bounds by column, pairs of columns, and whether all of the expression was derived.
 * @throws {TypeError} When the parser is not loaded.
 *
 * @example A bound and a pair of columns
 * ```ts
 * import { loadParser } from "../exec/parser.ts";
 * import { deriveCheck } from "./_from_schema_checks.ts";
 * await loadParser();
 * const d = deriveCheck("qty >= 1 AND ends_at > starts_at", (n) => n !== "x", { pairs: true });
 * const [p] = d.pairs;
 * if (!d.derived || d.bounds.get("qty")?.lo?.value !== 1 || p?.later !== "ends_at" || !p.strict) throw new Error();
 * ```
 */
export function deriveCheck(
  expression: string,
  isColumn: (name: string) => boolean,
  options: { pairs?: boolean; texts?: (column: string) => boolean } = {},
): DerivedCheck {
  const parsed = parseStatement(`SELECT (${expression})`);
  const bounds = new Map<string, Bounds>();
  const pairs: ColumnPair[] = [];
  if ("error" in parsed) {
    if (/not (been )?(loaded|initiali[sz]ed)/i.test(parsed.error)) {
      throw new TypeError("Call loadParser() from core/exec/parser.ts before deriving CHECK constraints");
    }
    return { bounds, derived: false, pairs };
  }
  const stmt = firstStatement(parsed.tree);
  const target = (obj(stmt?.SelectStmt)?.targetList as unknown[] | undefined)?.[0];
  const derived = atom(
    obj(obj(target)?.ResTarget)?.val,
    isColumn,
    bounds,
    options.pairs ? pairs : undefined,
    options.texts ?? (() => true),
  );
  return { bounds, derived, pairs };
}

/** The bound of a partition: DEFAULT, hash, list values, or a range's datums (undefined = MINVALUE/MAXVALUE). */
export type PartitionBound =
  | { kind: "default" }
  | { kind: "hash" }
  | { kind: "list"; values: (Scalar | null)[] }
  | { kind: "range"; from: (Scalar | "minvalue" | "maxvalue")[]; to: (Scalar | "minvalue" | "maxvalue")[] }
  | { kind: "unknown" };

/** Reads `FOR VALUES …` or `DEFAULT` with the parser. */
export function parsePartitionBound(bound: string): PartitionBound {
  const parsed = parseStatement(`CREATE TABLE p PARTITION OF t ${bound}`);
  if ("error" in parsed) return { kind: "unknown" };
  const stmt = firstStatement(parsed.tree);
  const spec = obj(obj(stmt?.CreateStmt)?.partbound);
  if (!spec) return { kind: "unknown" };
  if (spec.is_default === true) return { kind: "default" };
  const datum = (d: unknown): Scalar | "minvalue" | "maxvalue" | undefined => {
    const ref = stringsOf(obj(obj(d)?.ColumnRef)?.fields);
    if (ref.length === 1 && (ref[0] === "minvalue" || ref[0] === "maxvalue")) return ref[0];
    const c = constant(d);
    return c === null ? undefined : c;
  };
  switch (spec.strategy) {
    case "h":
      return { kind: "hash" };
    case "l": {
      const values = (Array.isArray(spec.listdatums) ? spec.listdatums : []).map(constant);
      return values.every((v) => v !== undefined)
        ? { kind: "list", values: values as (Scalar | null)[] }
        : { kind: "unknown" };
    }
    case "r": {
      const from = (Array.isArray(spec.lowerdatums) ? spec.lowerdatums : []).map(datum);
      const to = (Array.isArray(spec.upperdatums) ? spec.upperdatums : []).map(datum);
      if (from.some((x) => x === undefined) || to.some((x) => x === undefined)) return { kind: "unknown" };
      return { kind: "range", from: from as (Scalar | "minvalue")[], to: to as (Scalar | "maxvalue")[] };
    }
    default:
      return { kind: "unknown" };
  }
}

/** Names of the columns an expression reads (single-name column references), or none when it does not parse. */
export function columnsIn(expression: string): string[] {
  const parsed = parseStatement(`SELECT (${expression})`);
  if ("error" in parsed) return [];
  const out = new Set<string>();
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") {
      const ref = obj((v as Node).ColumnRef);
      const fields = ref ? stringsOf(ref.fields) : [];
      if (fields.length === 1) out.add(fields[0]!);
      Object.values(v).forEach(walk);
    }
  };
  walk(parsed.tree);
  return [...out];
}
