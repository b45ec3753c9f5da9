/**
 * Reads a workload file (YAML, JSON or TOML) into a {@link WorkloadDefinition}
 * with teaching errors: every problem at once, each
 * `file:line:column: path: what is wrong, e.g. a fix`. The `data` block and
 * each transaction's `params` are checked by the data spec's own validator
 * (the same methods, the same messages), pointed back into this file.
 *
 * @module
 */
import { parse as parseToml } from "smol-toml";
import { Checker, checkKeys, readNumber, readString, show, type SpecPositions } from "../data/_check.ts";
import { formatPath, type PathPart, SpecError, type SpecIssue } from "../data/_spec_error.ts";
import { isObj, type Obj } from "../data/_spec_model.ts";
import { readSpecText } from "../data/parse_spec.ts";
import { validateSpec } from "../data/_validate.ts";
import type { DataSpec } from "../data/spec.ts";
import {
  isExisting,
  parameterNames,
  type ParamSpec,
  RUN_KEYS,
  type RunSettings,
  TRANSACTION_KEYS,
  type TransactionSpec,
  WORKLOAD_KEYS,
  type WorkloadDefinition,
} from "./definition.ts";

const TX_EXAMPLE =
  "{ name: lookup, weight: 5, sql: SELECT * FROM t WHERE id = :id, params: { id: { method: " +
  "integers, min: 1, max: rows(t) } } }";

/** A workload file as read: the plain value, its positions, and the file name. */
export interface WorkloadDocument {
  value: Obj;
  positions: SpecPositions | undefined;
  file: string;
}

/** Reads the text of a workload file: YAML or JSON by default, TOML for `*.toml`. */
export function readWorkloadText(text: string, file: string): WorkloadDocument {
  if (/\.toml$/i.test(file)) {
    let value: unknown;
    try {
      value = parseToml(text);
    } catch (e) {
      const m = /line (\d+), column (\d+)/.exec(String((e as Error).message));
      throw new SpecError(`invalid TOML: ${String((e as Error).message).split("\n")[0]}`, {
        file,
        line: m ? Number(m[1]) : undefined,
        column: m ? Number(m[2]) : undefined,
      });
    }
    // TOML keeps no positions here: messages name the path, not the line.
    return { value: isObj(value) ? value : {}, positions: undefined, file };
  }
  const { value, positions } = readSpecText(text, file);
  if (!isObj(value)) {
    throw new SpecError(`a workload must be a mapping with "transactions", not ${show(value)}`, {
      file,
      line: 1,
      column: 1,
    });
  }
  return { value, positions, file };
}

/** Positions of a part of the file, addressed by the paths of that part. */
function within(where: SpecPositions | undefined, map: (p: readonly PathPart[]) => PathPart[]) {
  if (!where) return undefined;
  return {
    file: where.file,
    locate: (path: readonly PathPart[], part: "key" | "value", offset?: number) =>
      where.locate(map(path), part, offset),
  } satisfies SpecPositions;
}

/**
 * Checks a workload document and returns its definition (bounds not yet
 * resolved: see {@link resolveWorkload}).
 *
 * @param doc From {@link readWorkloadText}.
 * @param partial A file that only overrides a pattern: `data` and `transactions` may be absent.
 * @throws {SpecError} With every problem found.
 */
export function checkWorkload(doc: WorkloadDocument, partial = false): WorkloadDefinition {
  const v = doc.value;
  const c = new Checker(v, doc.positions);
  const issues: SpecIssue[] = [];
  checkKeys(c, v, [], WORKLOAD_KEYS, "a workload", "transactions: [...]");
  const name = readString(c, v, "name", [], "name: checkout") ?? doc.file.replace(/^.*\/|\.\w+$/g, "");
  const description = readString(c, v, "description", [], "description: What it models", true) ?? "";
  const pattern = readString(c, v, "pattern", [], "pattern: oltp");
  const setup = readSetup(c, v);
  const run = readRun(c, v);
  let data: DataSpec = { tables: {} };
  if (v.data !== undefined) {
    issues.push(
      ...validateSpec(v.data, within(doc.positions, (p) => ["data", ...p])).map((x) => ({
        ...x,
        path: x.path === "" ? "data" : `data.${x.path}`,
      })),
    );
    data = v.data as DataSpec;
  } else if (!partial) c.report(["data"], `a workload needs "data": the tables it runs on, as a data spec`);
  const transactions: TransactionSpec[] = [];
  if (v.transactions === undefined) {
    if (!partial) c.report([], `a workload needs "transactions", e.g. transactions: [${TX_EXAMPLE}]`);
  } else if (!Array.isArray(v.transactions) || v.transactions.length === 0) {
    c.reportValue(["transactions"], `must be a non-empty list of transactions, e.g. [${TX_EXAMPLE}]`);
  } else {
    const seen = new Set<string>();
    v.transactions.forEach((raw, i) => {
      const t = readTransaction(c, raw, i, seen);
      if (t) transactions.push(t);
    });
  }
  issues.push(...c.issues());
  if (issues.length > 0) throw SpecError.of(sortIssues(issues));
  return {
    name,
    description,
    data,
    setup,
    transactions,
    run,
    ...(pattern !== undefined ? { pattern } : {}),
  };
}

function sortIssues(issues: SpecIssue[]): SpecIssue[] {
  return issues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
}

function readSetup(c: Checker, v: Obj): string[] {
  const s = v.setup;
  if (s === undefined) return [];
  if (typeof s === "string") return [s];
  if (!Array.isArray(s) || s.some((x) => typeof x !== "string" || x.trim() === "")) {
    c.reportValue(
      ["setup"],
      `must be a list of SQL statements, e.g. setup: ["CREATE INDEX ON t (created_at)"]`,
    );
    return [];
  }
  return s as string[];
}

function readRun(c: Checker, v: Obj): RunSettings {
  const raw = v.run;
  if (raw === undefined) return {};
  if (!isObj(raw)) {
    c.reportValue(["run"], `must be a mapping of run settings, e.g. run: { connections: 4, tps: 500 }`);
    return {};
  }
  checkKeys(c, raw, ["run"], Object.keys(RUN_KEYS), "the run block", "run: { connections: 4, tps: 500 }");
  const out: Record<string, unknown> = {};
  for (const [key, kind] of Object.entries(RUN_KEYS)) {
    const x = raw[key];
    if (x === undefined) continue;
    const at = ["run", key];
    if (kind === "count") {
      const n = readNumber(c, raw, key, ["run"], { integer: true, min: 1 }, `${key}: 4`);
      if (n !== undefined) out[key] = n;
    } else if (kind === "number") {
      const n = readNumber(c, raw, key, ["run"], { above: 0 }, `${key}: 100`);
      if (n !== undefined) out[key] = n;
    } else if (kind === "boolean") {
      if (typeof x !== "boolean") c.reportValue(at, `must be true or false, not ${show(x)}`);
      else out[key] = x;
    } else if (kind === "arrival") {
      if (x !== "constant" && x !== "poisson") {
        c.reportValue(at, `must be "constant" or "poisson", not ${show(x)}`);
      } else out[key] = x;
    } else {
      if (typeof x !== "string" && typeof x !== "number") {
        c.reportValue(at, `must be a string, not ${show(x)}`);
      } else out[key] = String(x);
    }
  }
  return out as RunSettings;
}

function readTransaction(
  c: Checker,
  raw: unknown,
  i: number,
  seen: Set<string>,
): TransactionSpec | undefined {
  const path = ["transactions", i];
  if (!isObj(raw)) {
    c.reportValue(path, `a transaction must be a mapping, not ${show(raw)}, e.g. ${TX_EXAMPLE}`);
    return undefined;
  }
  checkKeys(c, raw, path, TRANSACTION_KEYS, "a transaction", TX_EXAMPLE);
  const name = readString(c, raw, "name", path, "name: lookup");
  if (name === undefined && raw.name === undefined) {
    c.report(path, `a transaction needs a "name", e.g. name: lookup`);
  }
  if (name !== undefined) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      c.reportValue(
        [...path, "name"],
        `must be a word of letters, digits and _ (it names metrics), not ${show(name)}`,
      );
    } else if (seen.has(name)) c.reportValue([...path, "name"], `"${name}" names two transactions`);
    seen.add(name);
  }
  const weight = raw.weight === undefined ? 1 : readNumber(c, raw, "weight", path, { above: 0 }, "weight: 5");
  const think = readNumber(c, raw, "think_ms", path, { min: 0 }, "think_ms: 100");
  let sql: string[] = [];
  if (raw.sql === undefined) {
    c.report(path, `a transaction needs "sql": one statement or a list, run as one transaction`);
  } else if (typeof raw.sql === "string" && raw.sql.trim() !== "") sql = [raw.sql];
  else if (
    Array.isArray(raw.sql) && raw.sql.length > 0 && raw.sql.every((s) => typeof s === "string" && s.trim())
  ) {
    sql = raw.sql as string[];
  } else {c.reportValue(
      [...path, "sql"],
      `must be an SQL statement or a non-empty list of them, not ${show(raw.sql)}`,
    );}
  sql.forEach((s, k) => {
    if (/;\s*\S/.test(s.replace(/'([^']|'')*'/g, "''"))) {
      c.reportValue(
        Array.isArray(raw.sql) ? [...path, "sql", k] : [...path, "sql"],
        "holds more than one statement: give each its own list item",
      );
    }
  });
  let params: Record<string, ParamSpec> = {};
  if (raw.params !== undefined) {
    if (!isObj(raw.params)) {
      c.reportValue(
        [...path, "params"],
        `must be a mapping of parameter name to value spec, e.g. { id: { method: integers, min: 1, max: 100 } }`,
      );
    } else params = raw.params as Record<string, ParamSpec>;
  }
  const used = new Set(sql.flatMap(parameterNames));
  for (const p of used) {
    if (!Object.hasOwn(params, p)) {
      c.report(
        raw.params === undefined ? path : [...path, "params"],
        `the SQL uses :${p} but params has no "${p}", e.g. ${p}: { method: integers, min: 1, max: 100 }`,
      );
    }
  }
  for (const p of Object.keys(params)) {
    if (!used.has(p)) {
      c.report([...path, "params", p], `"${p}" is not used by the SQL (write :${p} where it goes)`);
    }
  }
  if (name === undefined || weight === undefined || sql.length === 0) return undefined;
  return { name, weight, sql, params, ...(think !== undefined ? { think_ms: think } : {}) };
}

/** Resolves `rows(T)` and `now±N` in parameter bounds, then checks the params with the data spec's validator. */
export function resolveParams(
  def: WorkloadDefinition,
  o: { rowsOf: (table: string) => number | undefined; now: Date; positions?: SpecPositions | undefined },
): Record<string, ParamSpec>[] {
  const issues: SpecIssue[] = [];
  const out = def.transactions.map((t, i) => {
    const params: Record<string, ParamSpec> = structuredClone(t.params);
    const at = (name: string, key: string): PathPart[] => ["transactions", i, "params", name, key];
    for (const [name, spec] of Object.entries(params)) {
      if (isExisting(spec)) {
        checkExisting(
          spec as unknown as Record<string, unknown>,
          (key, message) => issues.push(issue(o.positions, at(name, key), message)),
        );
        continue;
      }
      const s = spec as unknown as Record<string, unknown>;
      for (const key of ["min", "max"]) {
        const x = s[key];
        if (typeof x !== "string") continue;
        const rows = /^\s*rows\(\s*([^)]+?)\s*\)\s*(?:([-+])\s*(\d+))?\s*$/.exec(x);
        const now = /^\s*now\s*(?:([-+])\s*(\d+(?:\.\d+)?)\s*(s|m|h|d))?\s*$/i.exec(x);
        if (rows) {
          const n = o.rowsOf(rows[1]!);
          if (n === undefined) {
            issues.push(
              issue(o.positions, at(name, key), `rows(${rows[1]}): the data has no table "${rows[1]}"`),
            );
          } else s[key] = n + (rows[2] === "-" ? -1 : 1) * Number(rows[3] ?? 0);
        } else if (now) {
          const unit = { s: 1e3, m: 6e4, h: 36e5, d: 864e5 }[(now[3] ?? "s").toLowerCase() as "s"]!;
          const ms = o.now.getTime() + (now[1] === "-" ? -1 : 1) * Number(now[2] ?? 0) * unit;
          s[key] = new Date(ms).toISOString().replace("T", " ").replace(/\.\d+Z$/, "");
        }
      }
    }
    return params;
  });
  if (issues.length > 0) throw SpecError.of(issues);
  // (A transaction without parameters has nothing to check.)
  const values = out.map((p) => Object.fromEntries(Object.entries(p).filter(([, x]) => !isExisting(x))));
  const spec = {
    tables: Object.fromEntries(
      values.flatMap((p, i) => (Object.keys(p).length > 0 ? [[`t${i}`, { rows: 1, columns: p }]] : [])),
    ),
  };
  if (Object.keys(spec.tables).length === 0) return out;
  const found = validateSpec(
    spec,
    within(
      o.positions,
      (p) =>
        p[0] === "tables" ? ["transactions", Number(String(p[1]).slice(1)), "params", ...p.slice(3)] : [...p],
    ),
  ).map((x) => ({
    ...x,
    path: x.path.replace(
      /^tables\.t(\d+)\.columns/,
      (_, n) => formatPath(["transactions", Number(n), "params"]),
    ),
  }));
  if (found.length > 0) throw SpecError.of(found);
  return out;
}

const EXISTING_EXAMPLE = "{ method: existing, table: orders, column: order_id }";

/** Checks a live-key parameter's keys. */
function checkExisting(spec: Record<string, unknown>, report: (key: string, message: string) => void): void {
  for (const key of Object.keys(spec)) {
    if (!["method", "table", "column", "refresh_s"].includes(key)) {
      report(
        key,
        `unknown key "${key}" for method "existing", which takes table, column and refresh_s, e.g. ${EXISTING_EXAMPLE}`,
      );
    }
  }
  for (const key of ["table", "column"]) {
    if (typeof spec[key] !== "string" || spec[key] === "") {
      report(key, `method "existing" needs "${key}", a name, e.g. ${EXISTING_EXAMPLE}`);
    }
  }
  const r = spec.refresh_s;
  if (r !== undefined && !(typeof r === "number" && r > 0)) {
    report("refresh_s", "must be seconds above 0, e.g. refresh_s: 5");
  }
}

function issue(where: SpecPositions | undefined, path: PathPart[], message: string): SpecIssue {
  const pos = where?.locate(path, "value");
  return {
    path: formatPath(path),
    message,
    ...(where ? { file: where.file } : {}),
    ...(pos ? { line: pos.line, column: pos.column } : {}),
  };
}
