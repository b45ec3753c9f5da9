/**
 * The `quarry` command line.
 *
 * @module
 */
import { AlertStop, EXIT, Interrupted, RuntimeFailure, UsageError } from "./errors.ts";
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

// Each command's module loads only when it runs: a command pays for its own dependencies (PGlite,
// npm:postgres, prom-client…), not for every other command's, at each start and in each worker.
const COMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  generate: async (a) => (await import("./commands/generate.ts")).generateCommand(a),
  configs: async (a) => (await import("./commands/configs.ts")).configsCommand(a),
  grammars: async (a) => (await import("./commands/grammars.ts")).grammarsCommand(a),
  introspect: async (a) => (await import("./commands/introspect.ts")).introspectCommand(a),
  ddl: async (a) => (await import("./commands/ddl.ts")).ddlCommand(a),
  run: async (a) => (await import("./commands/run.ts")).runCommand(a),
  compare: async (a) => (await import("./commands/compare.ts")).compareCommand(a),
  oracle: async (a) => (await import("./commands/oracle.ts")).oracleCommand(a),
  data: async (a) => (await import("./commands/data.ts")).dataCommand(a),
  events: async (a) => (await import("./commands/events.ts")).eventsCommand(a),
  workload: async (a) => (await import("./commands/workload.ts")).workloadCommand(a),
  validate: async (a) => (await import("./commands/validate.ts")).validateCommand(a),
  coverage: async (a) => (await import("./commands/coverage.ts")).coverageCommand(a),
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
