/**
 * What a failed statement means, from its SQLSTATE: the classes and codes
 * of docs/sqlstate.md, plus the YugabyteDB retry messages it lists. Pure;
 * no host calls.
 *
 * @module
 */

/** Verdict classes, from harmless to alarming. */
export const ERROR_CLASSES = [
  "expected",
  "connection",
  "generator_bug",
  "runner_bug",
  "server_fault",
] as const;

/** One of {@link ERROR_CLASSES}. */
export type ErrorClass = typeof ERROR_CLASSES[number];

/** Why an expected error is expected. */
export const EXPECTED_KINDS = ["data", "integrity", "concurrency", "resource"] as const;

/** One of {@link EXPECTED_KINDS}. */
export type ExpectedKind = typeof EXPECTED_KINDS[number];

/** The database family a code came from; YugabyteDB adds message-matched retries. */
export type Family = "postgres" | "yugabyte";

/** A classified error. `kind` is set exactly when `class` is "expected". */
export type Verdict =
  | { class: "expected"; kind: ExpectedKind }
  | { class: Exclude<ErrorClass, "expected"> };

/** Options for {@link classifyError}. */
export interface ClassifyOptions {
  /**
   * Other sessions run DDL at the same time, so a table or column vanishing
   * under a statement (the "catalog races" of docs/sqlstate.md) is concurrency, not a bug.
   */
  concurrentDdl?: boolean;
}

// deno-fmt-ignore
const DATA = [
  "22012", "22003", "22001", "22P02", "22007", "22008", "22023", "2201E", "2201F", "22011", "2202E",
  "2201W", "2201X", "22013", "22014", "22016", "2200H", "2201B",
  // Raised by the values a well-formed call met (docs/sqlstate.md): a NULL where the function wants a value,
  // range bounds out of order, an empty lexeme, text that is no XML document, bit strings of unequal length.
  "22004", "22000", "2200F", "2200M", "22026",
  // invalid_argument_for_width_bucket_function, beside 2201E and 2201F (logarithm, power).
  "2201G",
  // SQL/JSON errors, 22030 to 2203G.
  "22030", "22031", "22032", "22033", "22034", "22035", "22036", "22037", "22038", "22039",
  "2203A", "2203B", "2203C", "2203D", "2203E", "2203F", "2203G",
  "21000",
  // invalid_cursor_state: UPDATE … WHERE CURRENT OF after a FETCH ran past the last row.
  "24000",
];
const INTEGRITY = ["23505", "23503", "23502", "23514", "23P01", "23001", "44000", "27000"];
// 72000 snapshot_too_old is a YugabyteDB retry too (ROLLBACK, back off, retry).
const CONCURRENCY = ["40001", "40P01", "55P03", "57014", "72000"];
const RESOURCE = ["54000", "54001"];
// Besides 57P01–57P03, 57P04 database_dropped and 57P05 idle_session_timeout end the session too.
const CONNECTION = ["57P01", "57P02", "57P03", "57P04", "57P05"];
const CATALOG_RACES = ["42P01", "42703", "42704", "42P07", "42710", "42701", "2BP01"];
// deno-fmt-ignore
const GENERATOR_BUG = [
  "42601", "42703", "42P01", "42883", "42804", "42725", "42702", "42803", "42P10", "42P18", "42846",
  "42P20", "42P19", "42P16", "42P17", "42611", "42809", "428C9", "42P21", "42P22", "42501", "0A000",
];
const RUNNER_BUG = ["25P02", "25001", "25P01", "25006", "2D000", "3B001", "34000", "26000"];
const SERVER_FAULT = ["XX000", "XX001", "XX002"];

const EXACT = new Map<string, Verdict>();
for (
  const [codes, verdict] of [
    [DATA, { class: "expected", kind: "data" }],
    [INTEGRITY, { class: "expected", kind: "integrity" }],
    [CONCURRENCY, { class: "expected", kind: "concurrency" }],
    [RESOURCE, { class: "expected", kind: "resource" }],
    [CONNECTION, { class: "connection" }],
    [GENERATOR_BUG, { class: "generator_bug" }],
    [RUNNER_BUG, { class: "runner_bug" }],
    [SERVER_FAULT, { class: "server_fault" }],
  ] as const
) {
  for (const code of codes) EXACT.set(code, verdict);
}

/**
 * Codes not listed above, by SQLSTATE class (the first two characters).
 * Where the whole class means one thing (23 integrity, 40 rollback, 53
 * insufficient resources, 08 connection) it is used; 28 and 3D fail while a
 * session opens (bad role, password or database), so they are connection. A
 * class not named here is generator_bug: an unknown code should stop a run
 * and be looked at, not be counted quietly. That includes the rest of class
 * 22, whose unlisted codes (22021 bad encoding, 22025 bad escape, ...) mostly
 * mean malformed literals rather than unlucky data.
 */
const BY_CLASS: Record<string, Verdict> = {
  "23": { class: "expected", kind: "integrity" },
  "44": { class: "expected", kind: "integrity" },
  "40": { class: "expected", kind: "concurrency" },
  "53": { class: "expected", kind: "resource" },
  "54": { class: "expected", kind: "resource" },
  "08": { class: "connection" },
  "28": { class: "connection" },
  "3D": { class: "connection" },
  "25": { class: "runner_bug" },
  "2D": { class: "runner_bug" },
  "3B": { class: "runner_bug" },
  "34": { class: "runner_bug" },
  "26": { class: "runner_bug" },
  "XX": { class: "server_fault" },
};

/**
 * Messages YugabyteDB attaches to errors a runner must retry (docs/sqlstate.md). Older
 * releases raise some of them as XX000, where the code alone would say
 * "server fault"; only the message tells them apart, so this is the one place
 * that reads message text.
 */
const YB_RETRY_MESSAGES = [
  "could not serialize access due to concurrent update",
  "conflicts with higher priority transaction",
  "all transparent retries exhausted",
  "restart read required",
  "current transaction is expired or aborted",
  "unknown transaction, could be recently aborted",
  "try again",
  "catalog version mismatch",
  "catalog snapshot used for this transaction has been invalidated",
  "schema version mismatch for table",
  "deadlock detected",
];

/**
 * Classifies a failed statement by its SQLSTATE, following
 * docs/sqlstate.md (and its YugabyteDB section). A code that is
 * not a SQLSTATE at all (a client-side failure without a server code) is a
 * runner bug: the runner, not the database, failed.
 *
 * @param code The five-character SQLSTATE.
 * @param message The server's message; read only for YugabyteDB XX000.
 * @param family The database family the error came from.
 * @param options See {@link ClassifyOptions}.
 * @returns The verdict; `kind` says why an expected error is expected.
 *
 * @example Unique violations are expected; a YugabyteDB XX000 retry is too
 * ```ts
 * import { classifyError } from "./classify.ts";
 * const dup = classifyError("23505", "duplicate key value", "postgres");
 * if (dup.class !== "expected" || dup.kind !== "integrity") throw new Error();
 * const retry = classifyError("XX000", "schema version mismatch for table 1", "yugabyte");
 * if (retry.class !== "expected" || retry.kind !== "concurrency") throw new Error();
 * if (classifyError("XX000", "schema version mismatch for table 1", "postgres").class !== "server_fault") {
 *   throw new Error();
 * }
 * ```
 */
export function classifyError(
  code: string,
  message: string,
  family: Family,
  options: ClassifyOptions = {},
): Verdict {
  if (!/^[0-9A-Z]{5}$/.test(code)) return { class: "runner_bug" };
  if (family === "yugabyte" && code === "XX000") {
    const text = message.toLowerCase();
    if (YB_RETRY_MESSAGES.some((m) => text.includes(m))) return { class: "expected", kind: "concurrency" };
  }
  if (options.concurrentDdl && CATALOG_RACES.includes(code)) {
    return { class: "expected", kind: "concurrency" };
  }
  // A copy, so a caller that changes its verdict cannot change the table.
  return { ...(EXACT.get(code) ?? BY_CLASS[code.slice(0, 2)] ?? { class: "generator_bug" }) };
}

/**
 * A verdict as one word: the class, or "expected/KIND".
 *
 * @example
 * ```ts
 * import { verdictLabel } from "./classify.ts";
 * if (verdictLabel({ class: "expected", kind: "data" }) !== "expected/data") throw new Error();
 * ```
 */
export function verdictLabel(verdict: Verdict): string {
  return verdict.class === "expected" ? `expected/${verdict.kind}` : verdict.class;
}
