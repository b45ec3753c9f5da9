/**
 * The `quarry` command line.
 *
 * @module
 */
import { AlertStop, EXIT, Interrupted, RuntimeFailure, UsageError } from "./errors.ts";
import { generateCommand } from "./commands/generate.ts";
import { configsCommand } from "./commands/configs.ts";
import { grammarsCommand } from "./commands/grammars.ts";
import { introspectCommand } from "./commands/introspect.ts";
import { ddlCommand } from "./commands/ddl.ts";
import { validateCommand } from "./commands/validate.ts";
import { coverageCommand } from "./commands/coverage.ts";
import { runCommand } from "./commands/run.ts";
import { compareCommand } from "./commands/compare.ts";
import { oracleCommand } from "./commands/oracle.ts";
import { dataCommand } from "./commands/data.ts";
import { eventsCommand } from "./commands/events.ts";
import { workloadCommand } from "./commands/workload.ts";
import { inWorker, serveGenerationJobs } from "../core/engine/worker.ts";
import { setWorkerEntry } from "../core/engine/parallel.ts";

export const MAIN_HELP = `quarry: database test traffic for PostgreSQL and YugabyteDB

Usage:
  quarry <command> [options]

Commands:
  generate   Random SQL statements from a grammar, reproducible from a seed
  configs    The presets of generate (--config): list them or show one
  grammars   List the built-in grammars or show one
  ddl        A random schema as DDL, per dialect
  introspect Read a live PostgreSQL schema into schema JSON
  run        Generate statements and execute them on PGlite or a server
  compare    Run the same statements on two databases and compare the results
  oracle     Find wrong results on one database with the TLP and NoREC oracles
  data       Realistic table data from a spec: files, or COPY into a database
  events     INSERT, UPDATE and DELETE traffic on the live tables of a schema
  workload   Application-shaped transaction mixes at a target rate, with latency
  validate   Check statements with PostgreSQL's parser, and run them rolled back
  coverage   Count the node kinds, keywords and functions statements exercise

Run 'quarry <command> --help' for a command's options.

Exit codes: 0 success, 2 bad usage or invalid grammar/schema,
3 output or generation failure, 4 stopped by a fatal alert (generate),
130 interrupted, 1 a bug in Quarry (validate: a statement failed).`;

const COMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  generate: generateCommand,
  configs: configsCommand,
  grammars: grammarsCommand,
  introspect: introspectCommand,
  ddl: ddlCommand,
  run: runCommand,
  compare: compareCommand,
  oracle: oracleCommand,
  data: dataCommand,
  events: eventsCommand,
  workload: workloadCommand,
  validate: validateCommand,
  coverage: coverageCommand,
};

/** Runs the CLI with `argv`; returns the exit code instead of exiting. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined) {
      console.error(MAIN_HELP);
      return EXIT.usage;
    }
    if (command === "--help" || command === "-h" || command === "help") {
      console.log(MAIN_HELP);
      return EXIT.ok;
    }
    const run = COMMANDS[command];
    if (!run) {
      throw new UsageError(`unknown command "${command}"`, `commands: ${Object.keys(COMMANDS).join(", ")}`);
    }
    return await run(rest);
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`quarry: error: ${e.message}${e.hint ? ` (${e.hint})` : ""}`);
      return EXIT.usage;
    }
    if (e instanceof Interrupted) {
      console.error("quarry: interrupted");
      return EXIT.interrupted;
    }
    if (e instanceof AlertStop) {
      console.error(`quarry: ${e.message}`);
      return EXIT.alert;
    }
    if (e instanceof RuntimeFailure) {
      console.error(`quarry: error: ${e.message}`);
      return EXIT.runtime;
    }
    if (e instanceof Deno.errors.NotCapable) {
      console.error(`quarry: error: ${e.message.split("\n")[0]}`);
      return EXIT.usage;
    }
    console.error(`quarry: internal error (a bug in Quarry; please report it): ${(e as Error)?.stack ?? e}`);
    return EXIT.internal;
  }
}

if (inWorker()) {
  // Only a bundle (dist/quarry.js) starts workers from this module.
  serveGenerationJobs();
} else if (import.meta.main) {
  if (!import.meta.url.endsWith(".ts")) setWorkerEntry(import.meta.url);
  Deno.exit(await main(Deno.args));
}
