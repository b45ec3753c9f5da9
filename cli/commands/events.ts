/**
 * `quarry events`: INSERT, UPDATE and DELETE traffic on the live tables of a
 * PostgreSQL schema, configured by an `event-generator.yaml` and flags.
 *
 * @module
 */
import { PGlite } from "@electric-sql/pglite";
import { tsm_system_rows } from "@electric-sql/pglite/contrib/tsm_system_rows";
import { parseCount, parseFlags } from "../args.ts";
import { Interrupted, RuntimeFailure, UsageError } from "../errors.ts";
import { connectSessions, readLiveSchema } from "../database.ts";
import { loadSchema } from "../sources.ts";
import {
  applyFlags,
  connectionUrl,
  defaultEventsConfig,
  describeConnection,
  EVENTS_FLAGS,
  type EventsConfig,
  EventsConfigError,
  parseEventsConfig,
} from "../../core/events/config.ts";
import { EventTablesError } from "../../core/events/tables.ts";
import { chooseSampling, EventsSetupError, prepareEvents } from "../../core/events/prepare.ts";
import { runEvents } from "../../core/events/runner.ts";
import type { Sampling } from "../../core/events/statements.ts";
import type { EventsSummary } from "../../core/events/summary.ts";
import { fillEmptyTables } from "../../core/events/fill.ts";
import { LoadError } from "../../core/data/load.ts";
import { CopyError } from "../../core/exec/copy.ts";
import { introspect } from "../../core/schema/introspect.ts";
import type { Schema } from "../../core/schema/model.ts";
import { setupStatements } from "../../core/setup/setup.ts";
import { loadParser } from "../../core/exec/parser.ts";
import { pgliteTarget, type Target } from "../../core/exec/targets.ts";
import { wireOptions, WireSession } from "../../core/exec/wire.ts";
import { formatSeed, parseSeed, type Seed } from "../../core/seed.ts";
import { SplitMix64 } from "../../core/rng/xoshiro256.ts";
import { GenerationError } from "../../core/engine/errors.ts";
import { eventsProgressLine, eventsReport } from "./events_report.ts";

export const EVENTS_HELP = `quarry events: INSERT, UPDATE and DELETE traffic on the live tables of a schema

Usage:
  quarry events [--config FILE] [--db pglite|URL] [options]

Each event picks a table (by table_weights) and an operation (by
operation_weights) and runs it: an INSERT of insert_rows rows whose values
fit every column (types, CHECK bounds, partitions, unique keys, foreign keys
to rows that exist now), an UPDATE of 1 to all assignable columns on
update_rows sampled rows, or a DELETE of delete_rows sampled rows that no
other row still references. Tables without a primary key are updated and
deleted by their row address. Columns the database fills (identity, serial,
generated) are left to it.

Configuration:
      --config FILE        An event-generator.yaml: a "connection" block (host,
                           port, database, user, password) and a "generator"
                           block (the keys below). Flags override the file.
      --db pglite|URL      postgres://user@host:port/database, replacing the
                           file's connection block; a missing password comes
                           from PGPASSWORD and is never printed. "pglite" is an
                           embedded PostgreSQL with the built-in schema and seed
                           rows [default: pglite, or the file's connection]
      --setup FILE         With PGlite: run this SQL file first (a schema and its
                           rows) instead of creating the built-in schema

Generator (each is a key of the file's generator block):
      --schema-name S            Schema whose tables are churned [default: public]
      --manual-table-list a,b    Tables to churn [default: every base table]
      --exclude-table-list a,b   Tables left out (when no manual list is given)
      --num-iterations N         Events to run; -1 runs until Ctrl+C [default: 2000]
      --wait-after-operations N  Sleep after every N events (0: never) [default: 0]
      --wait-duration-seconds S  How long each sleep lasts [default: 0]
      --table-weights a=3,b=1    How often each table is chosen [default: 1 each]
      --operations insert,update,delete
                                 The kinds of event [default: all three]
      --operation-weights 3,2,1  One weight per operation [default: 3,2,1]
      --insert-rows N            Rows per INSERT [default: 4]
      --update-rows N            Rows per UPDATE [default: 2]
      --delete-rows N            Rows per DELETE [default: 1]
      --insert-max-retries N     Times an INSERT is written again with new rows
                                 after a unique (23505) or foreign-key (23503)
                                 violation [default: 50]
      --update-max-retries N     Times an UPDATE or DELETE is sent again with new
                                 values and a new sample after a constraint
                                 violation or deadlock [default: 3]
      --random-seed N            Seeds table, operation and column choices
      --faker-seed N             With --random-seed, seeds every value (both make
                                 one 256-bit value seed). A seed left out is drawn
                                 and printed, so any run can be repeated.
      --host, --port, --database, --user, --password
                                 Parts of the connection block

Run:
  -c, --connections N      Connections to a server [default: 1; PGlite has 1]
      --pipeline P         Statements in flight per connection [default: 1 for a
                           reproducible run, else 16]
      --sampling MODE      How UPDATE and DELETE sample rows:
                           system_rows  TABLESAMPLE SYSTEM_ROWS(n); the extension
                                        tsm_system_rows is created if missing
                           system       built-in TABLESAMPLE SYSTEM (p), p from
                                        the table's size; tables of up to 2,000
                                        rows are ordered by random() instead
                           repeatable   SYSTEM (p) REPEATABLE (r) and, for small
                                        tables, an order seeded by r: the same
                                        database gives the same rows
                           auto         repeatable when both seeds are given on
                                        one connection with --pipeline 1; else
                                        system_rows, or system (announced) when
                                        the extension cannot be created
                           [default: auto]
      --statements MODE    prepared: each statement shape is prepared once per
                           connection and its values travel as parameters
                           written by the kernel (the server parses and plans
                           it once); literal: every statement is sent as text
                           with its values inline [default: prepared on a
                           server, literal on PGlite]
      --synchronous-commit on|off
                           The run's sessions set synchronous_commit: off lets
                           a commit return before its WAL reaches the disk
                           (the server's crash may lose the last events, never
                           corrupt anything) [default: the server's setting]
      --fill N             First load N rows into each empty churned table (with
                           the value model and COPY, parents first), so a fresh
                           schema can be churned at once
      --log FILE           Write every statement sent, one per line
      --json               Print the summary as JSON

With both seeds, one connection and --pipeline 1, a run against the same
starting database sends the same statements in the same order.

Output: a live line on a terminal (events/s, counts per operation, success
rate, errors), then per table and operation the events attempted and
succeeded, rows, retries and errors by SQLSTATE with the first failing
statement, and the latency of statements (p50/p95/p99). Ctrl+C or SIGTERM
lets the statements in flight finish, prints the summary and exits 130.

Examples:
  quarry events
  quarry events --config event-generator.yaml
  quarry events --db postgres://postgres@127.0.0.1:5432/shop -c 4 --num-iterations -1
  quarry events --db postgres://postgres@127.0.0.1/fresh --fill 10k --table-weights orders=5

Exit codes: 0 done, 2 bad usage or configuration (file:line named), 3 the
database is unreachable, refuses the login or has no such tables, 130
interrupted (the summary is printed), 1 a bug in Quarry.`;

const OPTIONS = {
  config: { type: "string" },
  setup: { type: "string" },
  connections: { type: "string", short: "c" },
  pipeline: { type: "string" },
  sampling: { type: "string" },
  statements: { type: "string" },
  "synchronous-commit": { type: "string" },
  fill: { type: "string" },
  log: { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
  ...Object.fromEntries(EVENTS_FLAGS.map((f) => [f, { type: "string" as const }])),
} as const;

const SAMPLINGS = ["auto", "system_rows", "system", "repeatable"] as const;

/** Reads the file (if any) and the flags into settings; every problem is a UsageError. */
function readConfig(v: Record<string, string | boolean | undefined>): EventsConfig {
  let config = defaultEventsConfig();
  const file = v.config as string | undefined;
  try {
    if (file !== undefined) {
      let text: string;
      try {
        text = Deno.readTextFileSync(file);
      } catch (e) {
        const why = e instanceof Deno.errors.NotFound ? "no such file" : (e as Error).message.split("\n")[0];
        throw new UsageError(`cannot read --config "${file}": ${why}`);
      }
      const parsed = parseEventsConfig(text, file);
      for (const w of parsed.warnings) console.error(`quarry: warning: ${w}`);
      config = parsed.config;
    }
    config = applyFlags(config, v, Deno.env.toObject());
  } catch (e) {
    if (e instanceof EventsConfigError) {
      // Its message is one line per problem (file:line:column: path: what is wrong).
      throw new UsageError(e.message.replaceAll("\n", "\n  "));
    }
    throw e;
  }
  return config;
}

/** The 256-bit value seed of a run: random_seed and faker_seed, two words each. */
function valueSeed(random: number, faker: number): Seed {
  const a = new SplitMix64(BigInt(random)), b = new SplitMix64(BigInt(faker) ^ 0x9e3779b97f4a7c15n);
  const seed = [a.next(), a.next(), b.next(), b.next()] as const;
  return parseSeed(formatSeed(seed)) as Seed;
}

const drawSeed = () => crypto.getRandomValues(new Uint32Array(1))[0]! % 2_000_000_000;

function whole(text: string | undefined, flag: string, fallback: number, max: number): number {
  if (text === undefined) return fallback;
  const n = Number(parseCount(text, flag));
  if (n < 1 || n > max) throw new UsageError(`${flag} must be from 1 to ${max} (got ${text})`);
  return n;
}

/** Runs `quarry events`; returns the exit code. */
export async function eventsCommand(argv: string[]): Promise<number> {
  // `--num-iterations -1` (run until stopped) is a value, not a flag.
  const args = argv.flatMap((a, i) =>
    a === "--num-iterations" && /^-\d/.test(argv[i + 1] ?? "")
      ? [`--num-iterations=${argv[i + 1]}`]
      : i > 0 && argv[i - 1] === "--num-iterations" && /^-\d/.test(a)
      ? []
      : [a]
  );
  const { values: v } = parseFlags(args, OPTIONS, "events");
  if (v.help) {
    console.log(EVENTS_HELP);
    return 0;
  }
  const sampling = (v.sampling as string | undefined) ?? "auto";
  if (!(SAMPLINGS as readonly string[]).includes(sampling)) {
    throw new UsageError(`--sampling must be ${SAMPLINGS.join(", ")} (got "${sampling}")`);
  }
  const config = readConfig(v);
  const g = config.generator;
  // A server when --db names one, or the file or flags say where (a password alone does not).
  const c = config.connection;
  const named = [c.host, c.port, c.database, c.user].some((x) => x !== undefined);
  const pglite = v.db === "pglite" || (v.db === undefined && !named);
  const connections = whole(v.connections as string | undefined, "--connections", 1, 256);
  if (pglite && connections > 1) {
    throw new UsageError("PGlite takes one connection; --connections applies to a server (--db URL)");
  }
  const fill = v.fill === undefined ? 0 : Number(parseCount(v.fill as string, "--fill"));
  const statements = (v.statements as string | undefined) ?? (pglite ? "literal" : "prepared");
  if (statements !== "prepared" && statements !== "literal") {
    throw new UsageError(`--statements must be prepared or literal (got "${statements}")`);
  }
  if (pglite && statements === "prepared") {
    throw new UsageError("--statements prepared needs a server (--db URL); PGlite runs literal statements");
  }
  const syncCommit = v["synchronous-commit"] as string | undefined;
  if (
    syncCommit !== undefined && !["on", "off", "local", "remote_write", "remote_apply"].includes(syncCommit)
  ) {
    throw new UsageError(`--synchronous-commit must be on or off (got "${syncCommit}")`);
  }
  const setupFile = v.setup === undefined ? undefined : readSetup(v.setup as string, pglite);
  const seeded = g.randomSeed !== undefined && g.fakerSeed !== undefined;
  const randomSeed = g.randomSeed ?? drawSeed();
  const fakerSeed = g.fakerSeed ?? drawSeed();
  const reproducible = seeded && connections === 1 && (v.pipeline === undefined || v.pipeline === "1");
  const pipeline = whole(v.pipeline as string | undefined, "--pipeline", reproducible || pglite ? 1 : 16, 64);
  const seed = valueSeed(randomSeed, fakerSeed);
  const where = pglite ? "PGlite" : describeConnection(config);
  console.error(`quarry: seeds: random_seed ${randomSeed}, faker_seed ${fakerSeed}`);
  const log = v.log === undefined ? undefined : openLog(v.log as string);

  await loadParser();
  const sessions: Target[] = [];
  // Ctrl+C or SIGTERM from here on: setup stops at its next step, a run lets its statements finish.
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  const signals: Deno.Signal[] = ["SIGINT", "SIGTERM"];
  for (const s of signals) Deno.addSignalListener(s, onSignal);
  const stopIfAsked = () => {
    if (controller.signal.aborted) throw new Interrupted();
  };
  try {
    let schema: Schema;
    let db: PGlite | undefined;
    if (pglite) {
      db = await PGlite.create({ extensions: { tsm_system_rows } });
      if (setupFile !== undefined) {
        try {
          await db.exec(setupFile.text);
        } catch (e) {
          const err = e as { code?: string; message?: string };
          throw new UsageError(
            `--setup "${setupFile.path}" failed in PGlite: ${err.code ? `${err.code} ` : ""}${
              String(err.message ?? e).split("\n")[0]
            }`,
          );
        }
      } else for (const sql of setupStatements(loadSchema("default"))) await db.exec(sql);
      schema = await introspect(
        (sql, params) => db!.query(sql, params).then((r) => r.rows as Record<string, unknown>[]),
        g.schemaName,
      );
      sessions.push(await pgliteTarget(db));
    } else {
      const url = new URL(connectionUrl(config));
      const options = wireOptions(url);
      if (syncCommit !== undefined) options.settings = { synchronous_commit: syncCommit };
      for (let i = 0; i < connections; i++) {
        const session = new WireSession(options);
        // Events are independent: statements may wait to go out together (fewer writes, more events/s).
        session.batching = true;
        sessions.push(session);
      }
      await connectSessions(sessions as WireSession[], where);
      schema = await readLiveSchema(url, g.schemaName).catch((e) => {
        if (e instanceof RuntimeFailure) {
          throw new RuntimeFailure(e.message.replace(/postgres:\/\/[^ ]*/, where));
        }
        throw e;
      });
    }
    if (schema.tables.length === 0) {
      throw new RuntimeFailure(`no tables in schema "${g.schemaName}" at ${where}`);
    }
    stopIfAsked();
    const query = (sql: string) => sessions[0]!.query(sql);
    const chosen = await chooseSampling(query, sampling as "auto" | Sampling, reproducible);
    if (chosen.notice) console.error(`quarry: ${chosen.notice}`);
    if (fill > 0) {
      const filled = await fillEmptyTables(schema, query, {
        generator: g,
        rows: fill,
        seed,
        db: pglite ? "pglite" : connectionUrl(config),
        ...(db ? { pglite: db } : {}),
        signal: controller.signal,
      });
      for (const w of filled.warnings) console.error(`quarry: warning: ${w}`);
      if (filled.tables.length > 0) {
        console.error(`quarry: filled ${filled.tables.map((t) => `${t.table} (${t.rows})`).join(", ")}`);
      }
    }
    stopIfAsked();
    const prepared = await prepareEvents(schema, query, { generator: g, seed, token: randomSeed });
    for (const w of prepared.programs.warnings) console.error(`quarry: warning: ${w}`);
    stopIfAsked();
    const live = Deno.stderr.isTerminal() && !v.json;
    let summary: EventsSummary;
    try {
      summary = await runEvents({
        ...prepared,
        sessions,
        pipeline,
        prepared: statements === "prepared",
        generator: g,
        sampling: chosen.sampling,
        choiceSeed: BigInt(randomSeed),
        signal: controller.signal,
        ...(live ? { onTick: (s: EventsSummary) => eventsProgressLine(s) } : {}),
        ...(log ? { onStatement: (sql: string) => log.write(sql) } : {}),
      });
    } finally {
      if (live) Deno.stderr.writeSync(new TextEncoder().encode("\r\x1b[2K"));
    }
    const header = {
      database: where,
      schema: g.schemaName,
      tables: prepared.tables.length,
      connections,
      pipeline,
      protocol: statements,
      sampling: chosen.sampling,
      random_seed: randomSeed,
      faker_seed: fakerSeed,
    };
    if (v.json) console.log(JSON.stringify({ ...header, ...summary }));
    else console.log(eventsReport(header, summary));
    if (summary.stopped && summary.stopped !== "interrupted") throw new RuntimeFailure(summary.stopped);
    if (controller.signal.aborted) throw new Interrupted();
    return 0;
  } catch (e) {
    if (controller.signal.aborted && !(e instanceof Interrupted)) throw new Interrupted();
    if (e instanceof EventTablesError) throw new UsageError(e.message);
    if (e instanceof EventsSetupError) throw new RuntimeFailure(`${where}: ${e.message}`);
    if (e instanceof LoadError || e instanceof CopyError) {
      throw new RuntimeFailure(`--fill: loading into ${where}: ${e.message}`);
    }
    if (e instanceof GenerationError) throw new RuntimeFailure(e.message);
    throw e;
  } finally {
    for (const s of signals) Deno.removeSignalListener(s, onSignal);
    log?.close();
    await Promise.all(sessions.map((s) => s.close().catch(() => {})));
  }
}

/** The SQL of --setup, which only PGlite takes. */
function readSetup(path: string, pglite: boolean): { path: string; text: string } {
  if (!pglite) {
    throw new UsageError("--setup fills the embedded PGlite; a server (--db URL) has its own tables");
  }
  try {
    return { path, text: Deno.readTextFileSync(path) };
  } catch (e) {
    const why = e instanceof Deno.errors.NotFound ? "no such file" : (e as Error).message.split("\n")[0];
    throw new UsageError(`cannot read --setup "${path}": ${why}`);
  }
}

/** A statement log: one statement a line, written as the run goes. */
function openLog(path: string): { write(sql: string): void; close(): void } {
  let file: Deno.FsFile;
  try {
    file = Deno.openSync(path, { write: true, create: true, truncate: true });
  } catch (e) {
    throw new UsageError(`cannot write --log "${path}": ${(e as Error).message.split("\n")[0]}`);
  }
  const encoder = new TextEncoder();
  let pending: string[] = [];
  const flush = () => {
    if (pending.length === 0) return;
    const bytes = encoder.encode(pending.join(""));
    pending = [];
    for (let at = 0; at < bytes.length;) at += file.writeSync(bytes.subarray(at));
  };
  return {
    write(sql) {
      pending.push(sql.replaceAll("\n", " ") + "\n");
      if (pending.length >= 256) flush();
    },
    close() {
      flush();
      file.close();
    },
  };
}
