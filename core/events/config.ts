/**
 * The settings of `quarry events`, read from the `event-generator.yaml` of the
 * Python PostgreSQL event generator exactly as that tool writes it (snake_case
 * keys under `connection` and `generator`), then overridden by flags.
 *
 * Every problem of a file is reported at once, each as
 * `file:line:column: path: what is wrong, e.g. a correct line`:
 *
 * ```text
 * events.yaml:9:22: generator.operation_weights: 3 operations but 2 weights; give one weight per operation, e.g. operation_weights: [3, 2, 1]
 * ```
 *
 * The module touches no host API: the environment (`PGPASSWORD`) is passed in.
 *
 * @module
 */
import { formatIssue, formatPath, nearest, type PathPart } from "../data/_spec_error.ts";
import { readSpecText, SpecError, type SpecPositions } from "../data/parse_spec.ts";

/** One kind of event. */
export type EventOperation = "insert" | "update" | "delete";

/** Where to connect; each part left out falls to the driver's default. */
export interface EventsConnection {
  host?: string;
  port?: number;
  database?: string;
  user?: string;
  password?: string;
}

/** The `generator` block, every setting resolved. */
export interface EventsGenerator {
  schemaName: string;
  /** Tables to churn; empty means every base table of the schema. */
  manualTableList: string[];
  /** Tables left out; used only when `manualTableList` is empty. */
  excludeTableList: string[];
  /** Events to run; -1 runs until stopped. */
  numIterations: number;
  /** Sleep after every this many events; 0 disables throttling. */
  waitAfterOperations: number;
  /** How long each throttling sleep lasts; 0 disables throttling. */
  waitDurationSeconds: number;
  /** Weight per table; a table not named here weighs 1. */
  tableWeights: Record<string, number>;
  operations: EventOperation[];
  /** One positive weight per entry of `operations`. */
  operationWeights: number[];
  insertRows: number;
  updateRows: number;
  deleteRows: number;
  /** Times a batch of inserts is regenerated after a unique violation (23505). */
  insertMaxRetries: number;
  updateMaxRetries: number;
  /** Seeds table/operation choices and numeric data; undefined: the run draws one and prints it. */
  randomSeed: number | undefined;
  /** Seeds text, UUIDs and timestamps; undefined: the run draws one and prints it. */
  fakerSeed: number | undefined;
}

/** The fully resolved settings of `quarry events`. */
export interface EventsConfig {
  connection: EventsConnection;
  generator: EventsGenerator;
}

/** What {@link parseEventsConfig} returns. */
export interface ParsedEventsConfig {
  config: EventsConfig;
  /** Lines `file:line:column: path: message` about settings that are valid but will not act as written. */
  warnings: string[];
}

/** One problem of a file or of the flags; flag problems have no file and name the flag as `path`. */
export interface EventsConfigIssue {
  path: string;
  message: string;
  file?: string;
  line?: number;
  column?: number;
}

/**
 * A configuration or flags that cannot be used. `issues` holds every problem
 * (by position); `file`, `line` and `column` are the first one's. The message
 * is one line per issue.
 *
 * @example Catching it
 * ```ts
 * import { EventsConfigError, parseEventsConfig } from "./config.ts";
 * try {
 *   parseEventsConfig("generator:\n  insert_rows: -2\n", "e.yaml");
 *   throw new Error("expected an error");
 * } catch (e) {
 *   if (!(e instanceof EventsConfigError) || e.line !== 2 || e.column !== 16) throw e;
 * }
 * ```
 */
export class EventsConfigError extends SyntaxError {
  readonly file: string | undefined;
  readonly line: number | undefined;
  readonly column: number | undefined;
  readonly issues: readonly EventsConfigIssue[];

  constructor(issues: readonly EventsConfigIssue[]) {
    super(issues.map(formatIssue).join("\n"));
    this.name = "EventsConfigError";
    this.file = issues[0]?.file;
    this.line = issues[0]?.line;
    this.column = issues[0]?.column;
    this.issues = issues;
  }
}

const OPERATIONS: readonly EventOperation[] = ["insert", "update", "delete"];

/**
 * The settings when the file and the flags say nothing. Where the source tool's
 * README states a default it is used (schema `public`, empty table lists meaning
 * the whole schema, table weight 1, throttling off, no seeds); the rest are ours,
 * taken from the example `event-generator.yaml` of that README.
 */
export function defaultEventsConfig(): EventsConfig {
  return {
    connection: {},
    generator: {
      schemaName: "public",
      manualTableList: [],
      excludeTableList: [],
      numIterations: 2000, // ours: a finite run, so `quarry events` alone ends
      waitAfterOperations: 0,
      waitDurationSeconds: 0,
      tableWeights: {},
      operations: [...OPERATIONS], // ours: all three
      operationWeights: [3, 2, 1], // ours
      insertRows: 4, // ours, as are the four below
      updateRows: 2,
      deleteRows: 1,
      insertMaxRetries: 50,
      updateMaxRetries: 3,
      randomSeed: undefined,
      fakerSeed: undefined,
    },
  };
}

// ---------------------------------------------------------------- key table

/** A checker reports problems (at a sub-path of the key, e.g. `[1]`) and returns the value, or undefined. */
type Check = (v: unknown, report: (reason: string, sub?: PathPart[]) => void) => unknown;
/** Turns a flag's text into the value a file would hold (text it cannot read is passed on for the checker to name). */
type FromFlag = (text: string) => unknown;

interface KeyDef {
  section: "connection" | "generator";
  key: string;
  field: string;
  check: Check;
  fromFlag: FromFlag;
  /** A correct value as YAML and as a flag argument. */
  yaml: string;
  arg: string;
}

const got = (v: unknown): string =>
  typeof v === "string"
    ? `"${v}"`
    : Array.isArray(v)
    ? "a list"
    : v !== null && typeof v === "object"
    ? "a mapping"
    : String(v);

const text = (allowEmpty = false): Check => (v, report) => {
  if (typeof v === "number" && Number.isFinite(v)) return String(v);
  if (typeof v !== "string") return report(`expected text, got ${got(v)}`);
  if (v === "" && !allowEmpty) return report("cannot be empty");
  return v;
};

const whole = (min: number, what: string, max = Number.MAX_SAFE_INTEGER): Check => (v, report) => {
  if (typeof v !== "number" || !Number.isInteger(v)) return report(`expected a whole number, got ${got(v)}`);
  if (v < min || v > max) return report(`${what} (got ${v})`);
  return v;
};

const iterations: Check = (v, report) => {
  if (typeof v !== "number" || !Number.isInteger(v)) return report(`expected a whole number, got ${got(v)}`);
  if (v < -1) return report(`must be 0 or more, or -1 to run until stopped (got ${v})`);
  return v;
};

const seconds: Check = (v, report) => {
  if (typeof v !== "number" || !Number.isFinite(v)) {
    return report(`expected a number of seconds, got ${got(v)}`);
  }
  if (v < 0) return report(`must be 0 or more; 0 disables throttling (got ${v})`);
  return v;
};

const positive = (v: unknown, report: (reason: string, sub?: PathPart[]) => void, sub: PathPart[]) => {
  if (typeof v !== "number" || !Number.isFinite(v)) return report(`expected a weight, got ${got(v)}`, sub);
  if (v <= 0) return report(`a weight must be more than 0 (got ${v}); leave the entry out instead`, sub);
  return v;
};

const names: Check = (v, report) => {
  if (!Array.isArray(v)) return report(`expected a list of table names, got ${got(v)}`);
  const out: string[] = [];
  v.forEach((item, i) => {
    const name = typeof item === "number" ? String(item) : item;
    if (typeof name !== "string" || name === "") report(`expected a table name, got ${got(item)}`, [i]);
    else out.push(name);
  });
  return out.length === v.length ? out : undefined;
};

const tableWeights: Check = (v, report) => {
  if (v === null || typeof v !== "object" || Array.isArray(v)) {
    return report(`expected a mapping of table name to weight, got ${got(v)}`);
  }
  const out: Record<string, number> = {};
  let ok = true;
  for (const [name, w] of Object.entries(v)) {
    const weight = positive(w, report, [name]);
    if (weight === undefined) ok = false;
    else out[name] = weight;
  }
  return ok ? out : undefined;
};

const operations: Check = (v, report) => {
  if (!Array.isArray(v)) return report(`expected a list of operations, got ${got(v)}`);
  if (v.length === 0) return report("needs at least one operation");
  const out: EventOperation[] = [];
  v.forEach((item, i) => {
    const op = typeof item === "string" ? item.toLowerCase() : undefined;
    if (op !== undefined && (OPERATIONS as readonly string[]).includes(op)) {
      if (out.includes(op as EventOperation)) report(`"${item}" is listed twice; list it once`, [i]);
      out.push(op as EventOperation);
      return;
    }
    const near = typeof item === "string" ? nearest(item, OPERATIONS) : undefined;
    report(
      `unknown operation ${got(item)} (${
        near ? `did you mean "${near}"?` : "known: insert, update, delete"
      })`,
      [i],
    );
  });
  return out.length === v.length && new Set(out).size === out.length ? out : undefined;
};

const operationWeights: Check = (v, report) => {
  if (!Array.isArray(v)) return report(`expected a list of weights, got ${got(v)}`);
  if (v.length === 0) return report("needs one weight per operation");
  const out = v.map((w, i) => positive(w, report, [i]));
  return out.every((w) => w !== undefined) ? out : undefined;
};

const list = (t: string): string[] => t.split(",").map((s) => s.trim()).filter((s) => s !== "");
const num: FromFlag = (t) => /^\s*[+-]?\d+(\.\d+)?([eE][+-]?\d+)?\s*$/.test(t) ? Number(t) : t;
const numList: FromFlag = (t) => list(t).map((s) => num(s));
const pairs: FromFlag = (t) => {
  const out: Record<string, unknown> = {};
  for (const pair of list(t)) {
    const eq = pair.lastIndexOf("=");
    if (eq <= 0) return pair; // not a mapping: the checker names it
    out[pair.slice(0, eq).trim()] = num(pair.slice(eq + 1));
  }
  return out;
};
const asIs: FromFlag = (t) => t;

const def = (
  section: KeyDef["section"],
  key: string,
  check: Check,
  fromFlag: FromFlag,
  yaml: string,
  arg: string,
): KeyDef => ({
  section,
  key,
  field: key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()),
  check,
  fromFlag,
  yaml,
  arg,
});

const count = (min: number) => whole(min, `must be ${min} or more`);

const KEYS: readonly KeyDef[] = [
  def("connection", "host", text(), asIs, "localhost", "localhost"),
  def("connection", "port", whole(1, "must be a port from 1 to 65535", 65535), num, "5432", "5432"),
  def("connection", "database", text(), asIs, "sakila", "sakila"),
  def("connection", "user", text(), asIs, "postgres", "postgres"),
  def("connection", "password", text(true), asIs, '"secret"', "secret"),
  def("generator", "schema_name", text(), asIs, "public", "public"),
  def("generator", "manual_table_list", names, list, "[users, orders]", "users,orders"),
  def("generator", "exclude_table_list", names, list, "[audit_log]", "audit_log"),
  def("generator", "num_iterations", iterations, num, "2000", "2000"),
  def("generator", "wait_after_operations", count(0), num, "100", "100"),
  def("generator", "wait_duration_seconds", seconds, num, "0.5", "0.5"),
  def("generator", "table_weights", tableWeights, pairs, "{ users: 3, orders: 1 }", "users=3,orders=1"),
  def("generator", "operations", operations, list, "[insert, update, delete]", "insert,update,delete"),
  def("generator", "operation_weights", operationWeights, numList, "[3, 2, 1]", "3,2,1"),
  def("generator", "insert_rows", count(1), num, "4", "4"),
  def("generator", "update_rows", count(1), num, "2", "2"),
  def("generator", "delete_rows", count(1), num, "1", "1"),
  def("generator", "insert_max_retries", count(0), num, "50", "50"),
  def("generator", "update_max_retries", count(0), num, "3", "3"),
  def("generator", "random_seed", whole(0, "must be 0 or more"), num, "12345", "12345"),
  def("generator", "faker_seed", whole(0, "must be 0 or more"), num, "12345", "12345"),
];

const SECTIONS = ["connection", "generator"] as const;
const keysOf = (section: string) => KEYS.filter((k) => k.section === section).map((k) => k.key);
const flagOf = (k: KeyDef) => `--${k.key.replaceAll("_", "-")}`;

/** Every flag {@link applyFlags} reads, without the leading `--`: one per key, and `db`. */
export const EVENTS_FLAGS: readonly string[] = [...KEYS.map((k) => flagOf(k).slice(2)), "db"];

// ---------------------------------------------------------------- file

/**
 * Reads an `event-generator.yaml` (or the same as JSON) into resolved settings.
 * Keys left out or left empty (`key:` with no value) keep their defaults.
 *
 * @param text The file's text.
 * @param file The name shown in messages.
 * @returns The settings and any warnings (e.g. both table lists given).
 * @throws {EventsConfigError} With every problem, each at its line and column.
 *
 * @example Reading the source tool's file
 * ```ts
 * import { parseEventsConfig } from "./config.ts";
 * const { config } = parseEventsConfig(
 *   "generator:\n  operations: [INSERT, DELETE]\n  operation_weights: [3, 1]\n",
 *   "event-generator.yaml",
 * );
 * if (config.generator.operations.join() !== "insert,delete") throw new Error();
 * ```
 */
export function parseEventsConfig(text: string, file: string): ParsedEventsConfig {
  let value: unknown, positions: SpecPositions;
  try {
    ({ value, positions } = readSpecText(text, file));
  } catch (e) {
    if (!(e instanceof SpecError)) throw e;
    throw new EventsConfigError(e.issues.map((i) => ({
      ...i,
      message: i.message.startsWith("the file is empty")
        ? 'the file is empty; it needs a "generator" or "connection" block, e.g. generator: { insert_rows: 4 }'
        : i.message,
    })));
  }
  const issues: EventsConfigIssue[] = [];
  const warnings: EventsConfigIssue[] = [];
  const at = (path: PathPart[], part: "key" | "value"): EventsConfigIssue => {
    const where = positions.locate(path, part) ?? positions.locate(path, "key") ?? { line: 1, column: 1 };
    return { path: formatPath(path), message: "", file, ...where };
  };
  const config = defaultEventsConfig();
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    issues.push({
      ...at([], "value"),
      message: `expected a mapping with "connection" and "generator" blocks, got ${got(value)}`,
    });
    throw new EventsConfigError(issues);
  }
  const root = value as Record<string, unknown>;
  for (const [name, block] of Object.entries(root)) {
    if (!(SECTIONS as readonly string[]).includes(name)) {
      const home = KEYS.find((k) => k.key === name);
      issues.push({
        ...at([name], "key"),
        message: home
          ? `"${name}" belongs under "${home.section}", e.g. ${home.section}: { ${name}: ${home.yaml} }`
          : unknownKey(name, [...SECTIONS], "generator: { insert_rows: 4 }"),
      });
      continue;
    }
    if (block === null || block === undefined) continue;
    if (typeof block !== "object" || Array.isArray(block)) {
      issues.push({ ...at([name], "value"), message: `expected a mapping of settings, got ${got(block)}` });
      continue;
    }
    const target = config[name as "connection" | "generator"] as unknown as Record<string, unknown>;
    for (const [key, v] of Object.entries(block)) {
      const k = KEYS.find((d) => d.section === name && d.key === key);
      if (!k) {
        const known = keysOf(name);
        const near = nearest(key, known);
        const example = KEYS.find((d) => d.key === (near ?? known[0]))!;
        issues.push({
          ...at([name, key], "key"),
          message: unknownKey(key, known, `${example.key}: ${example.yaml}`),
        });
        continue;
      }
      if (v === null || v === undefined) continue;
      const checked = k.check(v, (reason, sub = []) => {
        issues.push({ ...at([name, key, ...sub], "value"), message: `${reason}, e.g. ${k.key}: ${k.yaml}` });
      });
      if (checked !== undefined) target[k.field] = checked;
    }
  }
  const generator = root.generator as Record<string, unknown> | null | undefined;
  const given = (key: string) => generator?.[key] !== null && generator?.[key] !== undefined;
  const g = config.generator;
  if (given("operations") && !given("operation_weights")) g.operationWeights = g.operations.map(() => 1);
  const misaligned = alignment(g);
  if (misaligned && !issues.some((i) => i.path.startsWith("generator.operation"))) {
    const path = given("operation_weights") ? "operation_weights" : "operations";
    issues.push({ ...at(["generator", path], "value"), message: misaligned });
  }
  if (g.manualTableList.length > 0 && g.excludeTableList.length > 0) {
    warnings.push({
      ...at(["generator", "exclude_table_list"], "key"),
      message: "ignored: manual_table_list is not empty, and exclude_table_list is used only when it is; " +
        "remove one, e.g. manual_table_list: []",
    });
  }
  if (issues.length > 0) throw new EventsConfigError(sortIssues(issues));
  return { config, warnings: sortIssues(warnings).map(formatIssue) };
}

function unknownKey(key: string, known: readonly string[], example: string): string {
  const near = nearest(key, known);
  return near
    ? `unknown key "${key}" (did you mean "${near}"?), e.g. ${example}`
    : `unknown key "${key}" (known: ${known.join(", ")}), e.g. ${example}`;
}

/** The problem of operations and weights of different lengths, worded for the file, or undefined. */
function alignment(g: EventsGenerator, flags = false): string | undefined {
  const ops = g.operations.length, weights = g.operationWeights.length;
  if (ops === weights) return undefined;
  const example = g.operations.map((_, i) => [3, 2, 1][i] ?? 1);
  return `${ops} operation${ops === 1 ? "" : "s"} but ${weights} weight${weights === 1 ? "" : "s"}; ` +
    "give one weight per operation, e.g. " +
    (flags ? `--operation-weights ${example.join(",")}` : `operation_weights: [${example.join(", ")}]`);
}

function sortIssues(issues: EventsConfigIssue[]): EventsConfigIssue[] {
  return issues
    .map((issue, seq) => ({ issue, seq }))
    .sort((a, b) =>
      (a.issue.line ?? 0) - (b.issue.line ?? 0) || (a.issue.column ?? 0) - (b.issue.column ?? 0) ||
      a.seq - b.seq
    )
    .map((x) => x.issue);
}

// ---------------------------------------------------------------- flags

/** Flag values as `node:util`'s parseArgs gives them, keyed by long name without `--`. */
export type EventsFlags = Readonly<Record<string, string | boolean | undefined>>;

/**
 * Overrides settings with flags: one per key, named as the key in kebab-case
 * (`--insert-rows 4`, `--table-weights users=3,orders=1`,
 * `--operations insert,update --operation-weights 5,3`). `--db URL` replaces
 * the whole connection block (the URL's password is kept); `--host` and the
 * other connection flags then override parts of it; `PGPASSWORD` fills a
 * password still missing. `--db pglite` selects the embedded database, which
 * is the caller's to act on: it leaves the connection as it is. `--operations`
 * without `--operation-weights` weighs every operation 1. Flags not listed in
 * {@link EVENTS_FLAGS} are ignored.
 *
 * @param config The settings from the file (or {@link defaultEventsConfig}); not changed.
 * @param flags Flag values by long name.
 * @param env The environment, read for `PGPASSWORD` only.
 * @returns New settings.
 * @throws {EventsConfigError} With every bad flag, each issue's `path` the flag.
 *
 * @example Flags over the file
 * ```ts
 * import { applyFlags, defaultEventsConfig } from "./config.ts";
 * const config = applyFlags(defaultEventsConfig(), { "insert-rows": "10", db: "postgres://u@h/db" }, {
 *   PGPASSWORD: "pw",
 * });
 * if (config.generator.insertRows !== 10 || config.connection.password !== "pw") throw new Error();
 * ```
 */
export function applyFlags(
  config: EventsConfig,
  flags: EventsFlags,
  env: Readonly<Record<string, string | undefined>> = {},
): EventsConfig {
  const out: EventsConfig = structuredClone(config);
  const issues: EventsConfigIssue[] = [];
  const db = flags.db;
  if (typeof db === "boolean") {
    issues.push({ path: "--db", message: "needs a value, e.g. --db postgres://user@localhost:5432/sakila" });
  } else if (db !== undefined && db !== "pglite") {
    const parsed = parseDbUrl(db);
    if (typeof parsed === "string") issues.push({ path: "--db", message: parsed });
    else out.connection = parsed;
  }
  for (const k of KEYS) {
    const raw = flags[flagOf(k).slice(2)];
    if (raw === undefined) continue;
    const example = `${flagOf(k)} ${k.arg}`;
    if (typeof raw === "boolean") {
      issues.push({ path: flagOf(k), message: `needs a value, e.g. ${example}` });
      continue;
    }
    const checked = k.check(k.fromFlag(raw), (reason, sub = []) => {
      const where = sub.length > 0
        ? `${sub.map((s) => typeof s === "number" ? `item ${s + 1}` : `"${s}"`).join(" ")}: `
        : "";
      issues.push({ path: flagOf(k), message: `${where}${reason}, e.g. ${example}` });
    });
    if (checked !== undefined) (out[k.section] as unknown as Record<string, unknown>)[k.field] = checked;
  }
  const g = out.generator;
  if (flags.operations !== undefined && flags["operation-weights"] === undefined) {
    g.operationWeights = g.operations.map(() => 1);
  }
  const misaligned = alignment(g, true);
  if (misaligned && !issues.some((i) => i.path.startsWith("--operation"))) {
    issues.push({
      path: flags["operation-weights"] !== undefined ? "--operation-weights" : "--operations",
      message: misaligned,
    });
  }
  if (issues.length > 0) throw new EventsConfigError(issues);
  const password = env.PGPASSWORD;
  if (out.connection.password === undefined && password !== undefined && password !== "") {
    out.connection.password = password;
  }
  return out;
}

/** The connection a `postgres://` or `postgresql://` URL names, or why it cannot be read (without the password). */
function parseDbUrl(text: string): EventsConnection | string {
  const example = "e.g. --db postgres://user@localhost:5432/sakila";
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `not a URL; give "pglite" or a postgres:// URL, ${example}`;
  }
  if (url.protocol !== "postgres:" && url.protocol !== "postgresql:") {
    return `unknown scheme "${url.protocol}"; give "pglite" or a postgres:// URL, ${example}`;
  }
  const out: EventsConnection = {};
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  if (host !== "") out.host = decodeURIComponent(host);
  if (url.port !== "") out.port = Number(url.port);
  const database = decodeURIComponent(url.pathname.replace(/^\//, ""));
  if (database !== "") out.database = database;
  if (url.username !== "") out.user = decodeURIComponent(url.username);
  if (url.password !== "") out.password = decodeURIComponent(url.password);
  return out;
}

// ---------------------------------------------------------------- connection

/**
 * The connection as a URL for the driver, password included. A missing host is
 * `localhost` (ours); a missing port, user or database is left to the driver.
 * Never print it: use {@link describeConnection}.
 *
 * @param config The settings.
 * @returns A `postgres://` URL.
 *
 * @example
 * ```ts
 * import { connectionUrl } from "./config.ts";
 * const url = connectionUrl({ connection: { user: "me", password: "p@ss", database: "db" } });
 * if (url !== "postgres://me:p%40ss@localhost/db") throw new Error(url);
 * ```
 */
export function connectionUrl(config: Pick<EventsConfig, "connection">): string {
  return buildUrl(config.connection, true);
}

/**
 * The connection as a URL to show: as {@link connectionUrl}, without the password.
 *
 * @param config The settings.
 * @returns A `postgres://` URL with no password.
 *
 * @example
 * ```ts
 * import { describeConnection } from "./config.ts";
 * const shown = describeConnection({ connection: { host: "db1", port: 5433, user: "me", password: "pw" } });
 * if (shown !== "postgres://me@db1:5433") throw new Error(shown);
 * ```
 */
export function describeConnection(config: Pick<EventsConfig, "connection">): string {
  return buildUrl(config.connection, false);
}

function buildUrl(c: EventsConnection, withPassword: boolean): string {
  const enc = encodeURIComponent;
  const secret = withPassword && c.password !== undefined ? `:${enc(c.password)}` : "";
  const who = c.user !== undefined || secret !== "" ? `${enc(c.user ?? "")}${secret}@` : "";
  const host = c.host ?? "localhost";
  const shownHost = host.includes(":") ? `[${host}]` : enc(host);
  const port = c.port !== undefined ? `:${c.port}` : "";
  const database = c.database !== undefined ? `/${enc(c.database)}` : "";
  return `postgres://${who}${shownHost}${port}${database}`;
}
