/**
 * `quarry validate`: checks a file of statements with PostgreSQL's parser
 * and, with --db, by running each one inside a transaction that is rolled
 * back. Also holds what `quarry coverage` shares with it: reading FILE|-.
 *
 * @module
 */
import { parseFlags } from "../args.ts";
import { EXIT, RuntimeFailure, UsageError } from "../errors.ts";
import { databaseWhere, parseDatabaseUrl } from "../database.ts";
import { readText } from "../sources.ts";
import { EXPECTED_KINDS, type ExpectedKind, type Family } from "../../core/exec/classify.ts";
import { pgliteTarget, postgresTarget, type Target } from "../../core/exec/targets.ts";
import {
  ConnectionLost,
  type Finding,
  type StatementLine,
  statementLines,
  validateStatements,
  type ValidateSummary,
} from "../../core/exec/validate.ts";

export const VALIDATE_HELP = `quarry validate: check generated statements against PostgreSQL

Usage:
  quarry validate [options] FILE|-

Reads one statement a line, as 'quarry generate' writes them ("-" reads
standard input); blank lines and lines starting with "--" are skipped, and
line numbers stay those of the file. Each statement is parsed with
PostgreSQL's own parser (libpg-query). With --db, each is also run between
BEGIN and ROLLBACK, so the database is left as it was (except sequences:
nextval is never rolled back), and a failure is classified by its SQLSTATE:

  expected/data         22012 division by zero, 22003 out of range, 22P02 and
                        the other data errors random values cause; 21000
  expected/integrity    23xxx, 44000, 27000 (unique, foreign key, check, ...)
  expected/concurrency  40001, 40P01, 55P03, 57014, 72000
  expected/resource     53xxx, 54xxx
  generator_bug         42xxx (undefined column, type mismatch, ...), 0A000,
                        parser rejects, and codes Quarry does not know
  runner_bug            25xxx, 2D000, 3B001, 34000, 26000; 25001 also means
                        the statement cannot run in a transaction (VACUUM)
  server_fault          XXxxx, except YugabyteDB's XX000 retry messages

A lost connection (08xxx, 57P01 to 57P05) stops the check with exit code 3.
Transaction-control statements (BEGIN, COMMIT, ...) are not run: they would
end the wrapping transaction. They count as skipped.

Output: one line per failing statement on stdout,
  FILE:LINE: CLASS CODE: MESSAGE
where CODE is the SQLSTATE, or "syntax" for a parser reject; then one
summary line on stderr with the counts by class. Expected errors are counted
but, unless --fail-on names them, neither printed nor failing.

Options:
      --db URL|pglite      Also run each statement: on the PostgreSQL server
                           at postgres://user@host:port/database (a password
                           in the URL is never printed), or on an embedded,
                           empty PGlite. Needs --allow-net and --allow-env.
                           A statement may run 10 s (statement_timeout); a
                           timeout counts as expected/concurrency.
      --setup FILE         With --db pglite: run these statements first, and
                           keep their effects (for example the output of
                           'quarry generate --emit-setup -n 0'). A server is
                           never changed: load its schema with psql.
      --yugabyte           The server is YugabyteDB: XX000 errors carrying its
                           retry messages are expected/concurrency
      --fail-on KINDS      Expected errors that fail the check too: "expected"
                           for all of them, or some of data, integrity,
                           concurrency, resource (comma-separated)
  -h, --help               Show this help

Examples:
  quarry generate -n 1000 --seed 42 -o out.sql && quarry validate out.sql
  quarry generate --emit-setup -n 0 > setup.sql
  quarry generate -n 1000 | quarry validate --db pglite --setup setup.sql -
  quarry validate --db postgres://postgres@127.0.0.1:5432/shop out.sql

Exit codes: 0 every statement passed, 1 some statement failed (a parser
reject, a bug class, or an error --fail-on names), 2 bad usage, a file
that cannot be read or a --setup statement that fails, 3 the database cannot
be reached or went away.`;

/** Some statement failed the check: 1, as linters exit when they find a problem. */
const FAILED = 1;

const OPTIONS = {
  db: { type: "string" },
  setup: { type: "string" },
  yugabyte: { type: "boolean" },
  "fail-on": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

function readFailOn(text: string | undefined): ExpectedKind[] {
  if (text === undefined) return [];
  const kinds: ExpectedKind[] = [];
  for (const word of text.split(",").map((w) => w.trim())) {
    if (word === "expected") kinds.push(...EXPECTED_KINDS);
    else if ((EXPECTED_KINDS as readonly string[]).includes(word)) kinds.push(word as ExpectedKind);
    else {
      throw new UsageError(
        `--fail-on takes "expected" or some of ${EXPECTED_KINDS.join(", ")} (got "${word}")`,
        "bugs always fail the check",
      );
    }
  }
  return kinds;
}

/** A connected target and how to name it in messages. */
interface Database {
  target: Target;
  where: string;
}

/**
 * Opens --db ("pglite" or a checked URL) and makes sure it answers, so an
 * unreachable server fails before any statement.
 */
async function openDatabase(db: "pglite" | URL, setupFile: string | undefined): Promise<Database> {
  if (db === "pglite") {
    const target = await pgliteTarget();
    try {
      if (setupFile !== undefined) await runSetup(target, setupFile);
    } catch (e) {
      await target.close();
      throw e;
    }
    return { target, where: "pglite" };
  }
  const where = databaseWhere(db);
  const target = postgresTarget(db.href, { connectTimeoutSeconds: 10, closeTimeoutSeconds: 1 });
  const probe = await target.runRolledBack("SELECT 1");
  if (!probe.ok) {
    await target.close();
    throw new RuntimeFailure(`cannot connect to ${where}: ${probe.code} ${probe.message.split("\n")[0]}`);
  }
  return { target, where };
}

/** Runs --setup's statements for good; the first failure is bad input, and stops the command. */
async function runSetup(target: Target, file: string): Promise<void> {
  const statements: StatementLine[] = [];
  for await (const s of statementLines(readText(file))) statements.push(s);
  for (const { line, sql } of statements) {
    const r = await target.run(sql);
    if (!r.ok) {
      throw new UsageError(`setup ${file}:${line} failed: ${r.code} ${r.message.split("\n")[0]}`);
    }
  }
}

function summaryLine(s: ValidateSummary, ran: boolean): string {
  const parts = [`${s.ok} ok`, ...Object.entries(s.errors).map(([label, n]) => `${n} ${label}`)];
  if (s.skipped > 0) parts.push(`${s.skipped} skipped`);
  const what = ran ? "" : " (parsed only; --db also runs them)";
  return `quarry: ${s.statements} statements${what}: ${parts.join(", ")}; ${s.failing} failing`;
}

/** Runs `quarry validate`; returns the exit code. --db needs --allow-net and --allow-env. */
export async function validateCommand(argv: string[]): Promise<number> {
  const { values: v, positionals } = parseFlags(argv, OPTIONS, "validate", 1);
  if (v.help) {
    console.log(VALIDATE_HELP);
    return EXIT.ok;
  }
  const file = positionals[0];
  if (file === undefined) {
    throw new UsageError(
      "validate needs a FILE of statements, or - for standard input",
      "see 'quarry validate --help'",
    );
  }
  const failOnExpected = readFailOn(v["fail-on"] as string | undefined);
  const dbSpec = v.db === undefined
    ? undefined
    : v.db === "pglite"
    ? "pglite"
    : parseDatabaseUrl(v.db as string);
  const setup = v.setup as string | undefined;
  if (setup !== undefined && dbSpec !== "pglite") {
    throw new UsageError("--setup loads only an embedded --db pglite", "load a server's schema with psql");
  }
  const family: Family = v.yugabyte ? "yugabyte" : "postgres";
  const text = readText(file);
  let db: Database | undefined;
  try {
    db = dbSpec === undefined ? undefined : await openDatabase(dbSpec, setup);
  } catch (e) {
    await text.cancel();
    throw e;
  }
  const name = file === "-" ? "<stdin>" : file;
  const print = (f: Finding) => {
    if (f.failing) console.log(`${name}:${f.line}: ${f.label} ${f.code}: ${f.message.split("\n")[0]}`);
  };
  try {
    const summary = await validateStatements(statementLines(text), {
      ...(db ? { target: db.target } : {}),
      family,
      failOnExpected,
      onFinding: print,
    });
    console.error(summaryLine(summary, db !== undefined));
    return summary.failing > 0 ? FAILED : EXIT.ok;
  } catch (e) {
    if (e instanceof ConnectionLost) {
      throw new RuntimeFailure(
        `lost the connection to ${db!.where} at ${name}:${e.line}: ${e.code} ${e.detail.split("\n")[0]}`,
      );
    }
    throw e;
  } finally {
    await db?.target.close();
  }
}
