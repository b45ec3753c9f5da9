/**
 * Reads `quarry data` specs from YAML or JSON text into the model of
 * `spec.ts`, with teaching errors: every problem of a spec is reported at
 * once, each as `file:line:column: path: what is wrong, e.g. a fix`.
 *
 * ```text
 * orders.yaml:12:7: tables.orders.columns.qty: method "integers" needs "min" and "max", e.g. { method: integers, min: 1, max: 10 }
 * ```
 *
 * @module
 */
import process from "node:process";
import { isAlias, isMap, isScalar, isSeq, LineCounter, type Node, parseDocument, Scalar } from "yaml";
import type { SpecPositions } from "./_check.ts";
import { type PathPart, SpecError, type SpecIssue } from "./_spec_error.ts";
import { DEFAULT_ROWS, type ValidateOptions, validateSpec } from "./_validate.ts";
import type { DataSpec } from "./spec.ts";

export { SpecError, type SpecIssue } from "./_spec_error.ts";
export type { SpecPositions } from "./_check.ts";
export { DEFAULT_ROWS, type ValidateOptions, validateSpec } from "./_validate.ts";
export {
  type NormalizedColumn,
  type NormalizedForeignKey,
  type NormalizedSpec,
  type NormalizedTable,
  normalizeSpec,
  rowRanges,
  type TableRows,
} from "./normalize_spec.ts";

/** What {@link readSpecText} returns: the plain value and where its nodes sit. */
export interface SpecDocument {
  value: unknown;
  positions: SpecPositions;
}

/**
 * Parses and validates a spec.
 *
 * @param text YAML or JSON (a file named `*.json` is held to strict JSON syntax).
 * @param file The name shown in messages.
 * @param options `defaultRows` for tables without a row count (`--rows`).
 * @returns The spec, valid.
 * @throws {SpecError} With every problem (`issues`), each carrying file, line and column.
 *
 * @example Parsing a spec
 * ```ts
 * import { parseSpec } from "./parse_spec.ts";
 * const spec = parseSpec("tables:\n  t:\n    rows: 5\n    columns:\n      n: { method: integers, min: 1, max: 9 }\n", "t.yaml");
 * if (spec.tables.t?.rows !== 5) throw new Error();
 * ```
 *
 * @example A teaching error
 * ```ts
 * import { parseSpec, SpecError } from "./parse_spec.ts";
 * try {
 *   parseSpec("tables:\n  t:\n    columns:\n      n: { method: intgers, min: 1, max: 9 }\n", "t.yaml");
 *   throw new Error("expected an error");
 * } catch (e) {
 *   if (!(e instanceof SpecError)) throw e;
 *   if (!e.message.startsWith('t.yaml:4:20: tables.t.columns.n.method: unknown method "intgers" (did you')) throw e;
 * }
 * ```
 */
export function parseSpec(text: string, file: string, options: ValidateOptions = {}): DataSpec {
  const { value, positions } = readSpecText(text, file);
  assertValidSpec(value, positions, options);
  return value;
}

/**
 * Throws unless `spec` is valid: for specs built as TypeScript objects, whose
 * errors then name paths (`tables.orders.columns.total`) instead of lines.
 *
 * @param spec The spec to check.
 * @param where Positions of a parsed spec (see {@link readSpecText}).
 * @param options `defaultRows` for tables without a row count.
 * @throws {SpecError} With every problem found.
 *
 * @example Checking a TypeScript object
 * ```ts
 * import { assertValidSpec, SpecError } from "./parse_spec.ts";
 * try {
 *   assertValidSpec({ tables: { t: { columns: { n: { method: "integers", min: 1 } } } } });
 *   throw new Error("expected an error");
 * } catch (e) {
 *   if (!(e instanceof SpecError) || !e.message.startsWith('tables.t.columns.n: method "integers" needs "max"')) throw e;
 * }
 * ```
 */
export function assertValidSpec(
  spec: unknown,
  where?: SpecPositions,
  options: ValidateOptions = {},
): asserts spec is DataSpec {
  const issues = validateSpec(spec, where, { defaultRows: options.defaultRows ?? DEFAULT_ROWS });
  if (issues.length > 0) throw SpecError.of(issues);
}

/**
 * Parses YAML or JSON text without validating it, keeping each node's
 * position for messages.
 *
 * @param text The spec text.
 * @param file The name shown in messages.
 * @returns The plain value (as `JSON.parse` would give) and its positions.
 * @throws {SpecError} For a syntax error, at its line and column.
 *
 * @example Positions of a node
 * ```ts
 * import { readSpecText } from "./parse_spec.ts";
 * const { positions } = readSpecText("tables:\n  t: {}\n", "t.yaml");
 * const at = positions.locate(["tables", "t"], "key");
 * if (at?.line !== 2 || at.column !== 3) throw new Error();
 * ```
 */
export function readSpecText(text: string, file: string): SpecDocument {
  if (/\.json$/i.test(file)) {
    const bad = jsonSyntaxError(text);
    if (bad) throw positioned(text, file, bad.at, `invalid JSON: ${bad.reason}`);
  }
  const lines = new LineCounter();
  const doc = withoutEnv(() =>
    parseDocument(text, { lineCounter: lines, keepSourceTokens: true, prettyErrors: false })
  );
  if (doc.errors.length > 0) {
    const issues: SpecIssue[] = [];
    const seen = new Set<string>();
    for (const e of doc.errors) {
      const { line, col } = lines.linePos(e.pos[0]);
      const message = yamlMessage(e.code, e.message);
      const id = `${line}:${message}`;
      if (seen.has(id)) continue;
      seen.add(id);
      issues.push({ path: "", message, file, line, column: col });
    }
    throw SpecError.of(issues);
  }
  const value: unknown = withoutEnv(() => doc.toJS({ maxAliasCount: 100 }));
  if (value === null || value === undefined) {
    throw new SpecError('the file is empty; a spec needs "tables"', { file, line: 1, column: 1 });
  }
  return { value, positions: new YamlPositions(file, text, lines, doc.contents) };
}

/**
 * npm:yaml reads `process.env.LOG_TOKENS` and `LOG_STREAM` while parsing,
 * which under Deno needs `--allow-env`. Parsing is synchronous, so an empty
 * environment is lent for its duration only.
 */
function withoutEnv<T>(f: () => T): T {
  const saved = Object.getOwnPropertyDescriptor(process, "env");
  Object.defineProperty(process, "env", { value: {}, configurable: true, writable: true });
  try {
    return f();
  } finally {
    if (saved) Object.defineProperty(process, "env", saved);
  }
}

const YAML_HINTS: Record<string, string> = {
  MULTIPLE_DOCS: "a spec file holds one YAML document; remove the --- separator",
  TAB_AS_INDENT: "YAML cannot indent with tabs; use spaces",
  DUPLICATE_KEY: "this key appears twice in the same mapping; keep one",
};

function yamlMessage(code: string, message: string): string {
  const hint = Object.hasOwn(YAML_HINTS, code) ? YAML_HINTS[code] : undefined;
  if (hint) return hint;
  const first = message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
  return first.charAt(0).toUpperCase() + first.slice(1);
}

function positioned(text: string, file: string, at: number, reason: string): SpecError {
  let line = 1, lineStart = 0;
  for (let i = 0; i < at && i < text.length; i++) {
    if (text[i] === "\n") {
      line++;
      lineStart = i + 1;
    }
  }
  return new SpecError(reason, { file, line, column: at - lineStart + 1 });
}

interface Located {
  key?: number;
  value: number;
  /** For a scalar value: its kind and source, to find offsets inside it. */
  scalar?: { type: string | undefined; source: string };
}

/** Positions of the nodes of a YAML document, by path. */
class YamlPositions implements SpecPositions {
  readonly #nodes = new Map<string, Located>();

  constructor(readonly file: string, readonly text: string, readonly lines: LineCounter, root: Node | null) {
    if (root) this.#visit(root, [], undefined);
  }

  #visit(node: Node, path: PathPart[], key: number | undefined): void {
    const at: Located = { value: node.range?.[0] ?? 0 };
    if (key !== undefined) at.key = key;
    if (isScalar(node) && node.range) {
      at.scalar = { type: node.type, source: this.text.slice(node.range[0], node.range[1]) };
    }
    this.#nodes.set(pathKey(path), at);
    if (isAlias(node)) return;
    if (isMap(node)) {
      for (const pair of node.items) {
        const k = pair.key as Node | null;
        const name = isScalar(k) ? keyString(k) : String(k);
        const keyAt = k?.range?.[0];
        const v = pair.value as Node | null;
        if (v) this.#visit(v, [...path, name], keyAt);
        else {this.#nodes.set(pathKey([...path, name]), {
            value: keyAt ?? 0,
            ...(keyAt === undefined ? {} : { key: keyAt }),
          });}
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => {
        if (item) this.#visit(item as Node, [...path, i], undefined);
      });
    }
  }

  locate(path: readonly PathPart[], part: "key" | "value", offset?: number) {
    const at = this.#nodes.get(pathKey(path));
    if (!at) return undefined;
    let pos = part === "key" && at.key !== undefined ? at.key : at.value;
    if (part === "value" && offset !== undefined && at.scalar) {
      pos += sourceOffset(at.scalar.type, at.scalar.source, offset);
    }
    const { line, col } = this.lines.linePos(pos);
    return { line, column: col };
  }
}

function keyString(k: Scalar): string {
  const v = k.value;
  return v === null || v === undefined ? "" : String(v);
}

function pathKey(path: readonly PathPart[]): string {
  return path.map(String).join("\u0000");
}

/** Where character `offset` of a scalar's value sits in its source, for one-line scalars (else 0). */
function sourceOffset(type: string | undefined, source: string, offset: number): number {
  if (source.includes("\n")) return 0;
  if (type === Scalar.PLAIN) return offset;
  if (type !== Scalar.QUOTE_SINGLE && type !== Scalar.QUOTE_DOUBLE) return 0;
  let i = 1;
  for (let n = 0; n < offset && i < source.length - 1; n++) {
    if (type === Scalar.QUOTE_SINGLE) i += source[i] === "'" && source[i + 1] === "'" ? 2 : 1;
    else if (source[i] !== "\\") i++;
    else {
      const e = source[i + 1];
      i += e === "x" ? 4 : e === "u" ? 6 : e === "U" ? 10 : 2;
    }
  }
  return i;
}

/** The first strict-JSON syntax error of `text`, if any. */
function jsonSyntaxError(text: string): { at: number; reason: string } | undefined {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const n = text.length;
  const fail = (reason: string, at = i): never => {
    throw { at, reason };
  };
  const ws = () => {
    while (i < n && (text[i] === " " || text[i] === "\t" || text[i] === "\n" || text[i] === "\r")) i++;
  };
  const found = () => (i >= n ? "the end of the file" : `"${text[i]}"`);
  const string = () => {
    const start = i++;
    for (;;) {
      if (i >= n) fail("this string is not closed with a double quote", start);
      const ch = text.charCodeAt(i);
      if (ch === 0x22) {
        i++;
        return;
      }
      if (ch < 0x20) fail("a string cannot hold a raw line break or control character; write \\n or \\t");
      if (ch === 0x5c) {
        const e = text[i + 1];
        if (e === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail("\\u needs four hex digits");
          i += 6;
          continue;
        }
        if (e === undefined || !'"\\/bfnrt'.includes(e)) fail(`unknown escape \\${e ?? ""}`);
        i += 2;
        continue;
      }
      i++;
    }
  };
  const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
  const value = (): void => {
    ws();
    const ch = text[i];
    if (ch === "{") {
      i++;
      ws();
      if (text[i] === "}") {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail(`expected a key in double quotes, found ${found()}`);
        string();
        ws();
        if (text[i] !== ":") fail(`expected ":" after the key, found ${found()}`);
        i++;
        value();
        ws();
        if (text[i] === ",") {
          const comma = i++;
          ws();
          if (text[i] === "}") fail('a comma cannot come before "}"', comma);
          continue;
        }
        if (text[i] === "}") {
          i++;
          return;
        }
        fail(`expected "," or "}", found ${found()}`);
      }
    }
    if (ch === "[") {
      i++;
      ws();
      if (text[i] === "]") {
        i++;
        return;
      }
      for (;;) {
        value();
        ws();
        if (text[i] === ",") {
          const comma = i++;
          ws();
          if (text[i] === "]") fail('a comma cannot come before "]"', comma);
          continue;
        }
        if (text[i] === "]") {
          i++;
          return;
        }
        fail(`expected "," or "]", found ${found()}`);
      }
    }
    if (ch === '"') return string();
    for (const word of ["true", "false", "null"]) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return;
      }
    }
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text);
    if (m) {
      i += m[0].length;
      return;
    }
    fail(`expected a value, found ${found()}`);
  };
  try {
    value();
    ws();
    if (i < n) fail(`unexpected ${found()} after the end of the JSON value`);
    return undefined;
  } catch (e) {
    if (e instanceof Error) throw e;
    return e as { at: number; reason: string };
  }
}
