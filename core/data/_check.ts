/**
 * The collector validation reports into, and the typed reads it is built
 * from: each read checks one key and words the problem the same way
 * everywhere (`must be a whole number, not "ten", e.g. ...`).
 *
 * @module
 */
import { formatPath, nearest, type PathPart, type SpecIssue } from "./_spec_error.ts";
import { isObj, type Obj } from "./_spec_model.ts";

/** Where the nodes of a parsed spec sit in its file. */
export interface SpecPositions {
  /** The file name shown in messages. */
  readonly file: string;
  /**
   * The 1-based line and column of the node at `path`: of its key when `part`
   * is `key` (the value's for array items and the root), else of its value,
   * moved `offset` characters into a one-line string value. Undefined for a
   * path that is not in the file.
   */
  locate(
    path: readonly PathPart[],
    part: "key" | "value",
    offset?: number,
  ): { line: number; column: number } | undefined;
}

/** What an issue points at: a node's key or value, optionally a character offset into a string value. */
export interface Target {
  path: readonly PathPart[];
  part?: "key" | "value";
  offset?: number;
}

interface Pending {
  path: string;
  message: string;
  target: Target;
  seq: number;
}

/** Collects issues; `issues()` returns them positioned and sorted. */
export class Checker {
  readonly #pending: Pending[] = [];
  readonly #seen = new Set<string>();

  constructor(readonly spec: unknown, readonly where: SpecPositions | undefined) {}

  /** Reports `message` about `path`, pointing at `target` (default: the key of `path`). */
  report(path: readonly PathPart[], message: string, target: Target = { path, part: "key" }): void {
    const shown = formatPath(path);
    const id = `${shown}\u0000${message}`;
    if (this.#seen.has(id)) return;
    this.#seen.add(id);
    this.#pending.push({ path: shown, message, target, seq: this.#pending.length });
  }

  /** Reports about the value at `path` (a wrong value rather than a missing or unknown key). */
  reportValue(path: readonly PathPart[], message: string, offset?: number): void {
    const target: Target = offset === undefined ? { path, part: "value" } : { path, part: "value", offset };
    this.report(path, message, target);
  }

  get count(): number {
    return this.#pending.length;
  }

  /** Every issue: with file positions when the spec came from text, sorted by position (else by document order). */
  issues(): SpecIssue[] {
    const order = documentOrder(this.spec);
    const rank = (target: Target): number => {
      for (let n = target.path.length; n >= 0; n--) {
        const r = order.get(formatPath(target.path.slice(0, n)));
        if (r !== undefined) return r;
      }
      return 0;
    };
    const placed = this.#pending.map((p) => {
      const issue: SpecIssue = { path: p.path, message: p.message };
      let key = [rank(p.target), 0, p.seq];
      if (this.where) {
        issue.file = this.where.file;
        const pos = this.#locate(p.target);
        if (pos) {
          issue.line = pos.line;
          issue.column = pos.column;
          key = [pos.line, pos.column, p.seq];
        }
      }
      return { issue, key };
    });
    placed.sort((a, b) => a.key[0]! - b.key[0]! || a.key[1]! - b.key[1]! || a.key[2]! - b.key[2]!);
    return placed.map((p) => p.issue);
  }

  #locate(target: Target): { line: number; column: number } | undefined {
    const where = this.where!;
    const exact = where.locate(target.path, target.part ?? "key", target.offset);
    if (exact) return exact;
    // A missing node: point at the nearest ancestor that exists.
    for (let n = target.path.length - 1; n >= 0; n--) {
      const pos = where.locate(target.path.slice(0, n), "key");
      if (pos) return pos;
    }
    return undefined;
  }
}

/** Rank of every path in document (key insertion) order. */
function documentOrder(spec: unknown): Map<string, number> {
  const order = new Map<string, number>();
  const visit = (v: unknown, path: PathPart[]) => {
    order.set(formatPath(path), order.size);
    if (Array.isArray(v)) v.forEach((item, i) => visit(item, [...path, i]));
    else if (isObj(v)) { for (const [k, item] of Object.entries(v)) visit(item, [...path, k]); }
  };
  visit(spec, []);
  return order;
}

/** `"ten"`, `true`, `[1, 2]`, `{...}`: a value as a message shows it. */
export function show(v: unknown): string {
  if (v === undefined) return "nothing";
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "number" || typeof v === "boolean" || v === null) return String(v);
  if (Array.isArray(v)) return v.length <= 4 ? `[${v.map(show).join(", ")}]` : "a list";
  return "an object";
}

/** `"a"`, `"a" and "b"`, `"a", "b" and "c"`. */
export function andList(items: readonly string[], quote = true): string {
  const q = items.map((s) => (quote ? `"${s}"` : s));
  if (q.length <= 1) return q.join("");
  return `${q.slice(0, -1).join(", ")} and ${q[q.length - 1]}`;
}

/** `, e.g. X` or nothing. */
export function eg(example: string | undefined): string {
  return example ? `, e.g. ${example}` : "";
}

/** Options of a number read. */
export interface NumberRule {
  integer?: boolean;
  /** Inclusive bounds. */
  min?: number;
  max?: number;
  /** Exclusive lower bound (`> 0`). */
  above?: number;
}

/** Reads a number at `obj[key]`: undefined (after reporting) when present but wrong, or absent. */
export function readNumber(
  c: Checker,
  obj: Obj,
  key: string,
  path: readonly PathPart[],
  rule: NumberRule,
  example?: string,
): number | undefined {
  const v = obj[key];
  if (v === undefined) return undefined;
  const at = [...path, key];
  const kind = rule.integer ? "a whole number" : "a number";
  if (typeof v !== "number" || !Number.isFinite(v)) {
    c.reportValue(at, `must be ${kind}, not ${show(v)}${eg(example)}`);
    return undefined;
  }
  if (rule.integer && !Number.isSafeInteger(v)) {
    c.reportValue(at, `must be ${kind}, not ${v}${eg(example)}`);
    return undefined;
  }
  const range = rule.above !== undefined
    ? rule.max !== undefined ? `above ${rule.above} and at most ${rule.max}` : `above ${rule.above}`
    : rule.min !== undefined && rule.max !== undefined
    ? `from ${rule.min} to ${rule.max}`
    : rule.min !== undefined
    ? `at least ${rule.min}`
    : rule.max !== undefined
    ? `at most ${rule.max}`
    : "";
  const bad = (rule.above !== undefined && !(v > rule.above)) || (rule.min !== undefined && v < rule.min) ||
    (rule.max !== undefined && v > rule.max);
  if (bad) {
    c.reportValue(at, `must be ${kind} ${range}, not ${v}${eg(example)}`);
    return undefined;
  }
  return v;
}

/** Reads a string at `obj[key]` (non-empty unless `allowEmpty`). */
export function readString(
  c: Checker,
  obj: Obj,
  key: string,
  path: readonly PathPart[],
  example?: string,
  allowEmpty = false,
): string | undefined {
  const v = obj[key];
  if (v === undefined) return undefined;
  if (typeof v !== "string" || (!allowEmpty && v === "")) {
    c.reportValue(
      [...path, key],
      `must be ${allowEmpty ? "a" : "a non-empty"} string, not ${show(v)}${eg(example)}`,
    );
    return undefined;
  }
  return v;
}

/** Reads a boolean at `obj[key]`. */
export function readBoolean(
  c: Checker,
  obj: Obj,
  key: string,
  path: readonly PathPart[],
  example?: string,
): boolean | undefined {
  const v = obj[key];
  if (v === undefined) return undefined;
  if (typeof v !== "boolean") {
    c.reportValue([...path, key], `must be true or false, not ${show(v)}${eg(example)}`);
    return undefined;
  }
  return v;
}

/** Reads a non-empty list of strings at `obj[key]`. */
export function readStrings(
  c: Checker,
  obj: Obj,
  key: string,
  path: readonly PathPart[],
  example?: string,
): string[] | undefined {
  const v = obj[key];
  if (v === undefined) return undefined;
  const at = [...path, key];
  if (!Array.isArray(v) || v.length === 0) {
    c.reportValue(at, `must be a non-empty list of names, not ${show(v)}${eg(example)}`);
    return undefined;
  }
  let ok = true;
  v.forEach((s, i) => {
    if (typeof s !== "string" || s === "") {
      c.reportValue([...at, i], `must be a name, not ${show(s)}${eg(example)}`);
      ok = false;
    }
  });
  return ok ? v as string[] : undefined;
}

/** Reads an object at `obj[key]`. */
export function readObject(
  c: Checker,
  obj: Obj,
  key: string,
  path: readonly PathPart[],
  example?: string,
): Obj | undefined {
  const v = obj[key];
  if (v === undefined) return undefined;
  if (!isObj(v)) {
    c.reportValue([...path, key], `must be a mapping, not ${show(v)}${eg(example)}`);
    return undefined;
  }
  return v;
}

/** Reports every key of `obj` that is not in `allowed`, suggesting the nearest. */
export function checkKeys(
  c: Checker,
  obj: Obj,
  path: readonly PathPart[],
  allowed: readonly string[],
  what: string,
  example?: string,
  explain?: (key: string) => string | undefined,
): void {
  for (const key of Object.keys(obj)) {
    if (allowed.includes(key)) continue;
    const reason = explain?.(key);
    if (reason) {
      c.report([...path, key], reason);
      continue;
    }
    const near = nearest(key, allowed);
    const tail = near ? ` (did you mean "${near}"?)` : `; ${what} takes ${andList(allowed)}`;
    c.report([...path, key], `unknown key "${key}" for ${what}${tail}${eg(example)}`);
  }
}
