/**
 * `quarry generate`: random SQL statements from a grammar over a schema.
 *
 * @module
 */
import { parseCount, parseFlags } from "../args.ts";
import { Interrupted, RuntimeFailure, UsageError } from "../errors.ts";
import { compileFor, loadGrammar, loadSchema } from "../sources.ts";
import { fileSink, type Sink, stdoutSink } from "../output.ts";
import { Progress } from "../progress.ts";
import { GenerationError, JobTooLargeError } from "../../core/engine/errors.ts";
import { generate, LOCAL_LIMIT } from "../../core/engine/generate.ts";
import { LocalGenerator } from "../../core/engine/local.ts";
import { formatSeed, parseSeed, randomSeed, type Seed } from "../../core/seed.ts";
import { setupStatements } from "../../core/setup/setup.ts";
import { DEFAULT_GRAMMAR } from "../../grammars/mod.ts";
import { MAX_INDEX_BITS } from "../../wasm/opcodes.ts";

export const GENERATE_HELP = `quarry generate: random SQL statements from a grammar

Usage:
  quarry generate [options]

Prints one statement per line, each ending in ";". Statement i depends only on
(grammar, schema, seed, i), so the same seed gives the same bytes whatever
--workers is, and --at I reprints statement I alone.

Options:
  -g, --grammar NAME|FILE  Built-in grammar (see 'quarry grammars list') or a
                           module whose default export is a Grammar
                           [default: ${DEFAULT_GRAMMAR}]
  -s, --schema default|FILE
                           Schema the grammar aims at: the built-in one or a
                           schema JSON file [default: default]
  -n, --count N            Statements to generate; 10k, 5M and 1_000 work
                           [default: 10]
      --start I            Index of the first statement [default: 0]
      --at I               Print statement I alone (not with --count/--start)
      --seed S             64 hex digits (256 bits), or a decimal number that
                           is expanded to 256 bits; without it a fresh seed is
                           drawn. The effective seed is always printed to stderr.
  -w, --workers W          Generation threads [default: CPU count]; runs of
                           up to 20,000 statements use the calling thread
  -o, --output FILE|-      Write to FILE (atomically: a temp file renamed at
                           the end) or to stdout with "-" [default: -]
      --emit-setup         First write CREATE TABLE statements and seed rows
                           for the schema, so "generate --emit-setup | psql"
                           runs on an empty database
      --stats              Print a JSON summary (seed, rate, bytes) to stderr
  -h, --help               Show this help

Examples:
  quarry generate --count 5
  quarry generate -n 10M --seed 42 -o statements.sql --stats
  quarry generate --seed 42 --at 1234567
  quarry generate --emit-setup -n 1000 | psql -v ON_ERROR_STOP=0 mydb

Exit codes: 0 success, 2 bad usage or invalid grammar/schema,
3 output or generation failure, 130 interrupted (Ctrl-C; a partial
--output file is removed), 1 a bug in Quarry.`;

const OPTIONS = {
  grammar: { type: "string", short: "g" },
  schema: { type: "string", short: "s" },
  count: { type: "string", short: "n" },
  start: { type: "string" },
  at: { type: "string" },
  seed: { type: "string" },
  workers: { type: "string", short: "w" },
  output: { type: "string", short: "o" },
  "emit-setup": { type: "boolean" },
  stats: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

const encoder = new TextEncoder();
const MAX_COUNT = 2n ** 53n - 1n;

function readSeed(text: string | undefined): Seed {
  if (text === undefined) return randomSeed();
  const seed = parseSeed(text);
  if (typeof seed === "string") throw new UsageError(seed);
  return seed;
}

function readWorkers(text: string | undefined): number {
  if (text === undefined) return Math.max(1, Math.min(navigator.hardwareConcurrency || 1, 64));
  const n = parseCount(text, "--workers");
  if (n < 1n || n > 256n) throw new UsageError(`--workers must be from 1 to 256 (got ${text})`);
  return Number(n);
}

/** Runs `quarry generate`; returns the exit code. */
export async function generateCommand(argv: string[]): Promise<number> {
  const { values: v, positionals } = parseFlags(argv, OPTIONS, "generate");
  if (v.help) {
    console.log(GENERATE_HELP);
    return 0;
  }
  if (positionals.length > 0) {
    throw new UsageError(`unexpected argument "${positionals[0]}"`, "see 'quarry generate --help'");
  }
  const at = v.at === undefined ? undefined : parseCount(v.at as string, "--at");
  if (at !== undefined && (v.count !== undefined || v.start !== undefined)) {
    throw new UsageError("--at prints one statement; it cannot be combined with --count or --start");
  }
  const count = v.count === undefined ? 10n : parseCount(v.count as string, "--count");
  if (count > MAX_COUNT) throw new UsageError(`--count must be below 2^53 (got ${v.count})`);
  const start = v.start === undefined ? 0n : parseCount(v.start as string, "--start");
  if ((at ?? start + count) >= 1n << BigInt(MAX_INDEX_BITS)) {
    throw new UsageError(`statement indices must stay below 2^${MAX_INDEX_BITS}`);
  }
  const workers = readWorkers(v.workers as string | undefined);
  const seed = readSeed(v.seed as string | undefined);
  const loaded = await loadGrammar((v.grammar as string | undefined) ?? DEFAULT_GRAMMAR);
  const grammar = loaded.grammar;
  const schemaSpec = (v.schema as string | undefined) ?? "default";
  const schema = loadSchema(schemaSpec);
  const program = compileFor(loaded, schema, schemaSpec);

  console.error(`quarry: seed ${formatSeed(seed)}`);
  const output = (v.output as string | undefined) ?? "-";
  const sink: Sink = output === "-" ? stdoutSink() : fileSink(output);
  const controller = new AbortController();
  const onSignal = () => controller.abort(new Interrupted());
  // Ctrl-C, kill and a closed terminal all stop the run and remove the temp file.
  const signals: Deno.Signal[] = ["SIGINT", "SIGTERM", "SIGHUP"];
  for (const sig of signals) Deno.addSignalListener(sig, onSignal);
  const began = performance.now();
  let statements = 0;
  let bytes = 0;
  try {
    if (v["emit-setup"]) {
      const setup = encoder.encode(setupStatements(schema).map((s) => `${s};\n`).join(""));
      sink.write(setup);
      bytes += setup.length;
    }
    if (at !== undefined) {
      const line = encoder.encode(`${new LocalGenerator(program, seed).statement(at)};\n`);
      sink.write(line);
      statements = 1;
      bytes += line.length;
    } else {
      const progress = new Progress(Number(count));
      const result = await generate(program, {
        seed,
        start,
        count: Number(count),
        workers,
        write: (b) => {
          sink.write(b);
          if (sink.closed) controller.abort(new BrokenPipeStop());
        },
        progress: (s, b) => progress.update(s, b),
        signal: controller.signal,
      });
      progress.done();
      statements = result.statements;
      bytes += result.bytes;
    }
    sink.commit();
  } catch (e) {
    sink.abort();
    if (e instanceof BrokenPipeStop || controller.signal.reason instanceof BrokenPipeStop) return 0;
    if (e instanceof GenerationError) throw new RuntimeFailure(e.message);
    if (e instanceof JobTooLargeError) throw new UsageError(e.message);
    throw e;
  } finally {
    for (const sig of signals) Deno.removeSignalListener(sig, onSignal);
  }
  if (v.stats) {
    const seconds = (performance.now() - began) / 1000;
    console.error(JSON.stringify({
      grammar: grammar.name,
      schema: schemaSpec,
      seed: formatSeed(seed),
      start: (at ?? start).toString(),
      statements,
      bytes,
      workers: at === undefined && Number(count) > LOCAL_LIMIT ? workers : 1,
      seconds: Number(seconds.toFixed(3)),
      statementsPerSecond: Math.round(statements / seconds),
      megabytesPerSecond: Number((bytes / seconds / 1e6).toFixed(1)),
      uniqueByConstruction: program.uniqueByConstruction,
    }));
  }
  return 0;
}

/** Raised to stop generation when the reader closed the pipe. */
class BrokenPipeStop extends Error {
  constructor() {
    super("output pipe closed");
  }
}
