/**
 * `quarry generate`: random SQL statements from a grammar over a schema.
 *
 * @module
 */
import { parseCount, parseFlags, readSeed, readWorkers } from "../args.ts";
import { EXIT, Interrupted, RuntimeFailure, UsageError } from "../errors.ts";
import { loadConfig } from "./configs.ts";
import { compileFor, loadGrammar, loadGrammarMix, loadSchema } from "../sources.ts";
import { fileSink, type Sink, stdoutSink } from "../output.ts";
import { generateToDir, readDirSettings } from "./generate_to_dir.ts";
import { readCheckpoint, type Resumed } from "./generate_checkpoint.ts";
import { MONITOR_OPTIONS, readMonitorSettings, type RunMonitor, startMonitor } from "./generate_monitor.ts";
import { GenerationError, JobTooLargeError } from "../../core/engine/errors.ts";
import { generate, LOCAL_LIMIT } from "../../core/engine/generate.ts";
import {
  type FilterPlan,
  filterState,
  MAX_FILTER_BYTES,
  planBloom,
  planExact,
  planNone,
} from "../../core/engine/uniqueness.ts";
import type { Program } from "../../core/compile/compile.ts";
import { LocalGenerator } from "../../core/engine/local.ts";
import type { GenerateConfig } from "../../core/presets/config.ts";
import { parseShard, type Shard, shardRange } from "../../core/presets/shard.ts";
import { formatSeed } from "../../core/seed.ts";
// Loaded only for --format jsonl: it brings PostgreSQL's parser, which the text path never needs.
import type { JsonlWriter } from "./generate_jsonl.ts";
import { setupStatements } from "../../core/setup/setup.ts";
import { DEFAULT_GRAMMAR } from "../../grammars/mod.ts";
import { MAX_INDEX_BITS } from "../../wasm/opcodes.ts";

/** The text of `quarry generate --help` (snapshot-tested: tests/snapshots/generate_help.txt). */
export const GENERATE_HELP = `quarry generate: random SQL statements from a grammar

Usage:
  quarry generate [options]

Prints one statement per line, each ending in ";". Statement i depends only on
(grammar, schema, seed, i), so the same seed gives the same bytes whatever
--workers is, and --at I reprints statement I alone.

Options:
      --config NAME|FILE   Settings from a preset (see 'quarry configs list')
                           or a YAML file of the same keys; the flags given
                           beside it override its keys
  -g, --grammar NAME|FILE  Built-in grammar (see 'quarry grammars list') or a
                           module whose default export is a Grammar
                           [default: ${DEFAULT_GRAMMAR}]
      --grammars NAME:W,...
                           A weighted mix of grammars in one run, e.g.
                           dml_unique:3,functions_ddl:1: statement i comes
                           from a grammar picked by (seed, i) alone, so
                           workers, --shard and --resume stay byte-exact; the
                           mix is unique by construction when every grammar
                           in it is (unique() values are drawn from i)
  -s, --schema default|FILE
                           Schema the grammar aims at: the built-in one or a
                           schema JSON file [default: default]
  -n, --count N            Statements to generate; 10k, 5M and 1_000 work
                           [default: 10]
      --start I            Index of the first statement [default: 0]
      --at I               Print statement I alone (not with --count/--start;
                           as generated before any uniqueness filter)
      --seed S             64 hex digits (256 bits), or a decimal number that
                           is expanded to 256 bits; without it a fresh seed is
                           drawn. The effective seed is always printed to stderr.
  -w, --workers W          Generation threads [default: CPU count]; runs of
                           up to 20,000 statements use the calling thread
  -o, --output FILE|-      Write to FILE (atomically: a temp file renamed at
                           the end) or to stdout with "-" [default: -]
      --output-dir DIR     Write DIR/part-000000.sql, part-000001.sql, ... and
                           DIR/manifest.json (each file's statements, size and
                           sha256); refuses a DIR that already holds a run
      --rotate N|SIZE      Statements per file (10k, 5M), or bytes of SQL per
                           file (100MB, 1GiB: closed at the first statement
                           end at or after it) [default: 10M]
      --compress gzip|zstd Compress each file (.sql.gz, .sql.zst)
      --checkpoint-every N|Ts
                           Write DIR/checkpoint.json (atomically, after an
                           fsync of the output) every N statements or T
                           seconds (5s), at the next block boundary; with
                           --unique bloom or exact the filter is saved beside
                           it (DIR/filter-I.bin, as large as the filter), and
                           checkpoints are spaced so saving it holds the
                           writer at most ~5% of the time
      --resume DIR         Continue the run in DIR from its checkpoint: its
                           flags come from the checkpoint (--workers may
                           change); other flags given must match, else the
                           resume is refused. The output is byte-identical to
                           an uninterrupted run; with --unique bloom or exact
                           only at --workers 1 (then no statement repeats)
      --unique MODE        none, bloom, exact or structural [default: the
                           grammar's own (none for the *_workload grammars,
                           whose repeats are natural), else structural for a
                           grammar unique by construction, else bloom]. A run
                           that cannot write --count distinct statements
                           exits 3 saying so. bloom and exact remember every
                           statement in shared memory and replace one seen
                           before by a fresh attempt (16 at most, then it is
                           skipped and counted as exhausted); structural
                           relies on the grammar's unique() values
      --expect N           Statements the filter is sized for [default: --count]
      --fp-rate P          Bloom false-positive rate at --expect [default: 1e-5]
      --bloom-bits N       Bloom filter size in bits (overrides --fp-rate)
      --shard K/N          Generate shard K of N of the run, K counted from 0
                           (as JOB_COMPLETION_INDEX): statements from
                           start + floor(K*count/N) up to, not including,
                           start + floor((K+1)*count/N). The shards' outputs
                           concatenated in order are the whole run's bytes.
                           Needs a seed (every shard the same) and --unique
                           structural or none; the range goes to stderr
      --emit-setup         First write CREATE TABLE statements and seed rows
                           for the schema, so "generate --emit-setup | psql"
                           runs on an empty database (with --shard: shard 0)
      --format text|jsonl  text: one statement a line; jsonl: one JSON object a
                           line, {"index", "kind", "tables", "features",
                           "sql"}, read from PostgreSQL's parse tree (slower:
                           each statement is parsed; not with --output-dir or
                           --emit-setup) [default: text]
      --stats              Print a JSON summary (seed, rate, bytes) to stderr;
                           with --format jsonl also statements per kind and
                           per feature
      --metrics-interval T Seconds between monitoring samples: 1s, 10s,
                           500ms [default: 1s]
      --metrics-file FILE  Write one JSON object a sample to FILE (JSON
                           lines, schema "quarry.generate.metrics/1":
                           statements/s, MB/s, RSS, uniqueness, per-worker
                           rates; a last one with "kind": "final"). A new
                           run truncates FILE, a --resume appends to it
      --metrics-port P     Serve the samples to Prometheus on
                           http://127.0.0.1:P/metrics (0 picks a port);
                           needs --allow-net=127.0.0.1
      --metrics-host ADDR  Address for --metrics-port [default: 127.0.0.1]
      --progress           Print the progress line on stderr each interval
                           even when stderr is not a terminal (on a terminal
                           it is always drawn)
  -h, --help               Show this help

Examples:
  quarry generate --count 5
  quarry generate -n 10M --seed 42 -o statements.sql --stats
  quarry generate --seed 42 --at 1234567
  quarry generate --config test --count 50000 --workers 2
  quarry generate --config billion --shard 3/8 -o part3.sql
  quarry generate -n 1B --output-dir out --compress zstd --checkpoint-every 5s
  quarry generate --resume out
  quarry generate --config billion --metrics-file billion.jsonl
  quarry generate --emit-setup -n 1000 | psql -v ON_ERROR_STOP=0 mydb

A config's monitoring block also holds alerts (see 'quarry configs
--help'): a rate below, an RSS above or a replacement ratio above a
threshold prints a warning, or with fatal: true stops the run as Ctrl-C
does (with --output-dir: at a checkpoint, resumable) and exits 4.

Exit codes: 0 success, 2 bad usage or invalid grammar/schema,
3 output or generation failure, 4 stopped by a fatal alert,
130 interrupted (Ctrl-C; a partial --output file is removed; with
--output-dir the current block is finished, a checkpoint written and the
--resume command printed), 1 a bug in Quarry.`;

const OPTIONS = {
  config: { type: "string" },
  shard: { type: "string" },
  grammar: { type: "string", short: "g" },
  grammars: { type: "string" },
  schema: { type: "string", short: "s" },
  count: { type: "string", short: "n" },
  start: { type: "string" },
  at: { type: "string" },
  seed: { type: "string" },
  workers: { type: "string", short: "w" },
  output: { type: "string", short: "o" },
  "output-dir": { type: "string" },
  rotate: { type: "string" },
  compress: { type: "string" },
  "checkpoint-every": { type: "string" },
  resume: { type: "string" },
  unique: { type: "string" },
  expect: { type: "string" },
  "fp-rate": { type: "string" },
  "bloom-bits": { type: "string" },
  "emit-setup": { type: "boolean" },
  stats: { type: "boolean" },
  format: { type: "string" },
  ...MONITOR_OPTIONS,
  help: { type: "boolean", short: "h" },
} as const;

const encoder = new TextEncoder();
const MAX_COUNT = 2n ** 53n - 1n;

/** Runs `quarry generate`; returns the exit code. */
export async function generateCommand(argv: string[]): Promise<number> {
  const { values: flags } = parseFlags(argv, OPTIONS, "generate");
  if (flags.help) {
    console.log(GENERATE_HELP);
    return 0;
  }
  const resumed = flags.resume === undefined ? undefined : readCheckpoint(flags.resume as string);
  const given = resumed ? resumeFlags(flags, resumed) : flags;
  if (given.at !== undefined && (given.count !== undefined || given.start !== undefined)) {
    throw new UsageError("--at prints one statement; it cannot be combined with --count or --start");
  }
  const config = given.config === undefined ? undefined : loadConfig(given.config as string);
  const v = withConfig(given, config);
  // A value the config set is wrong in the config: say where.
  const fromConfig = <T>(flag: string, read: () => T): T => located(given, config, flag, read);
  const at = v.at === undefined ? undefined : parseCount(v.at as string, "--at");
  const count = fromConfig(
    "count",
    () => v.count === undefined ? 10n : parseCount(v.count as string, "--count"),
  );
  if (count > MAX_COUNT) throw new UsageError(`--count must be below 2^53 (got ${v.count})`);
  const start = fromConfig(
    "start",
    () => v.start === undefined ? 0n : parseCount(v.start as string, "--start"),
  );
  if ((at ?? start + count) >= 1n << BigInt(MAX_INDEX_BITS)) {
    throw new UsageError(`statement indices must stay below 2^${MAX_INDEX_BITS}`);
  }
  const shard = readShard(v, at);
  const workers = fromConfig("workers", () => readWorkers(v.workers as string | undefined));
  const seed = fromConfig("seed", () => readSeed(v.seed as string | undefined));
  if (given.grammar !== undefined && given.grammars !== undefined) {
    throw new UsageError("--grammar and --grammars cannot be combined; give one grammar or a mix");
  }
  const grammarSpec = v.grammars === undefined
    ? (v.grammar as string | undefined) ?? DEFAULT_GRAMMAR
    : `mix:${v.grammars}`;
  const loaded = await fromConfig(
    v.grammars === undefined ? "grammar" : "grammars",
    () => v.grammars === undefined ? loadGrammar(grammarSpec) : loadGrammarMix(v.grammars as string),
  );
  const grammar = loaded.grammar;
  const schemaSpec = (v.schema as string | undefined) ?? "default";
  const schema = fromConfig("schema", () => loadSchema(schemaSpec));
  const program = fromConfig("schema", () => compileFor(loaded, schema, schemaSpec));
  const mode = fromConfig("unique", () => uniqueMode(v, program));
  if (shard && (mode === "bloom" || mode === "exact")) {
    const which = v.unique === undefined ? `${mode} (the default for grammar "${program.grammar}")` : mode;
    throw new UsageError(
      `--shard cannot be used with --unique ${which}: each shard's filter would see only its own ` +
        "statements, so a statement generated by two shards could not be excluded",
      "use --unique structural with a grammar unique by construction, such as dml_unique, or --unique none",
    );
  }
  const range = shard ? shardRange(shard, start, count) : { start, count };
  const format = (v.format as string | undefined) ?? "text";
  if (format !== "text" && format !== "jsonl") {
    throw new UsageError(`--format must be text or jsonl (got "${format}")`);
  }
  const jsonl = format === "jsonl";
  if (jsonl && (v["output-dir"] !== undefined || v["emit-setup"] === true)) {
    throw new UsageError(
      `--format jsonl cannot be combined with --${v["emit-setup"] ? "emit-setup" : "output-dir"}`,
    );
  }
  const Jsonl = jsonl ? (await import("./generate_jsonl.ts")).JsonlWriter : undefined;
  await Jsonl?.ready();
  const filter = planFilter(v, mode, range.count);
  const dir = readDirSettings(v);
  const watched = Object.keys(MONITOR_OPTIONS).find((flag) => given[flag] !== undefined);
  if (at !== undefined && watched) {
    throw new UsageError(`--at prints one statement; there is nothing for --${watched} to watch`);
  }
  const monitoring = at === undefined
    ? readMonitorSettings(v, config?.alerts ?? [], (flag, read) => located(given, config, flag, read))
    : undefined;

  console.error(`quarry: seed ${formatSeed(seed)}`);
  if (shard) {
    console.error(
      `quarry: shard ${shard.index}/${shard.of}: statements [${range.start}, ${range.start + range.count}) ` +
        `of [${start}, ${start + count})`,
    );
  }
  const output = (v.output as string | undefined) ?? "-";
  const sink: Sink = dir ? nullSink() : output === "-" ? stdoutSink() : fileSink(output);
  const controller = new AbortController();
  // With --output-dir the first signal asks for a checkpoint at the next block boundary; a second one aborts.
  let stopAtCheckpoint: (() => void) | undefined;
  // A signal or a fatal alert: at a checkpoint where there is one, else at once.
  const requestStop = (reason: Error) => {
    if (stopAtCheckpoint && !(reason instanceof RuntimeFailure)) stopAtCheckpoint();
    else controller.abort(reason);
    stopAtCheckpoint = undefined;
  };
  const onSignal = () => requestStop(new Interrupted());
  // Ctrl-C, kill and a closed terminal all stop the run and remove the temp file.
  const signals: Deno.Signal[] = ["SIGINT", "SIGTERM", "SIGHUP"];
  for (const sig of signals) Deno.addSignalListener(sig, onSignal);
  const began = performance.now();
  let statements = 0;
  let bytes = 0;
  let outcome: Awaited<ReturnType<typeof generate>> | undefined;
  let monitor: RunMonitor | undefined;
  let ended: "completed" | "interrupted" | "failed" = "failed";
  let checkpoints: { taken: number; writerMs: number } | undefined;
  let lines: JsonlWriter | undefined;
  try {
    if (monitoring) {
      const before = resumed?.checkpoint.counters;
      monitor = await startMonitor(monitoring, {
        filter,
        planned: Number(range.count),
        workers: Number(range.count) > LOCAL_LIMIT ? workers : 1,
        ...(before ? { before: { statements: before.statements, bytes: before.sqlBytes } } : {}),
        resumed: resumed !== undefined,
        stop: requestStop,
      });
    }
    const withSetup = v["emit-setup"] === true && (shard === undefined || shard.index === 0);
    if (dir) {
      const r = await generateToDir({
        settings: dir,
        flags: {
          ...withoutMonitorFlags(v),
          seed: formatSeed(seed),
          unique: mode,
          "emit-setup": withSetup,
          workers: String(workers),
        },
        resumed,
        program,
        grammarSpec,
        schemaJson: JSON.stringify(schema),
        seed: formatSeed(seed),
        mode,
        filter,
        start: range.start,
        count: range.count,
        setup: withSetup ? setupStatements(schema).map((s) => `${s};\n`).join("") : undefined,
        engine: (o) =>
          generate(program, {
            seed,
            workers,
            filter,
            signal: controller.signal,
            ...(monitor ? { progress: monitor.progress } : {}),
            ...o,
          }),
        onStopRequest: (stop) => stopAtCheckpoint = stop,
      });
      if (r.code !== 0) {
        ended = "interrupted";
        return monitor?.fatal ? EXIT.alert : r.code;
      }
      statements = r.statements;
      bytes = r.bytes;
      outcome = r.outcome;
      if (dir.every) checkpoints = r.checkpoints;
    } else if (at !== undefined) {
      if (withSetup) bytes += writeSetup(sink, schema);
      const line = encoder.encode(`${new LocalGenerator(program, seed).statement(at)};\n`);
      if (Jsonl) {
        lines = new Jsonl((b) => sink.write(b), Number(at));
        lines.write(line);
      } else sink.write(line);
      statements = 1;
      bytes += line.length;
    } else {
      if (withSetup) bytes += writeSetup(sink, schema);
      const put = (b: Uint8Array) => {
        sink.write(b);
        if (sink.closed) controller.abort(new BrokenPipeStop());
      };
      if (Jsonl) lines = new Jsonl(put, Number(range.start));
      const result = await generate(program, {
        seed,
        start: range.start,
        count: Number(range.count),
        workers,
        write: lines ? (b) => lines!.write(b) : put,
        ...(monitor ? { progress: monitor.progress } : {}),
        signal: controller.signal,
        filter,
      });
      statements = result.statements;
      bytes += result.bytes;
      outcome = result;
    }
    sink.commit();
    ended = "completed";
  } catch (e) {
    sink.abort();
    if (e instanceof Interrupted || controller.signal.reason instanceof BrokenPipeStop) ended = "interrupted";
    if (e instanceof BrokenPipeStop || controller.signal.reason instanceof BrokenPipeStop) return 0;
    if (e instanceof GenerationError) throw new RuntimeFailure(e.message);
    if (e instanceof JobTooLargeError) throw new UsageError(e.message);
    throw e;
  } finally {
    for (const sig of signals) Deno.removeSignalListener(sig, onSignal);
    await monitor?.finish(ended);
  }
  if (v.stats) {
    const seconds = (performance.now() - began) / 1000;
    console.error(JSON.stringify({
      ...(config ? { config: config.name } : {}),
      grammar: grammar.name,
      ...(v.grammars === undefined ? {} : { grammars: v.grammars }),
      schema: schemaSpec,
      seed: formatSeed(seed),
      ...(shard ? { shard: `${shard.index}/${shard.of}` } : {}),
      start: (at ?? range.start).toString(),
      statements,
      bytes,
      workers: at === undefined && Number(range.count) > LOCAL_LIMIT ? workers : 1,
      seconds: Number(seconds.toFixed(3)),
      statementsPerSecond: Math.round(statements / seconds),
      megabytesPerSecond: Number((bytes / seconds / 1e6).toFixed(1)),
      // What checkpoints held up the writing thread (copying a filter, hashing its snapshot).
      ...(checkpoints
        ? {
          checkpoints: {
            taken: checkpoints.taken,
            writerSeconds: Number((checkpoints.writerMs / 1000).toFixed(3)),
          },
        }
        : {}),
      ...(lines ? lines.stats : {}),
      uniqueByConstruction: program.uniqueByConstruction,
      unique: {
        mode: filter.mode,
        rejected: outcome?.rejected ?? 0,
        exhausted: outcome?.exhausted ?? 0,
        memoryBytes: filter.bytes,
        ...(filter.bytes > 0
          ? {
            expect: filter.expect,
            ...(filter.k > 0
              ? { bitsPerStatement: Number(((filter.slots * 64) / filter.expect).toFixed(1)) }
              : {}),
            ...filterState(filter, outcome?.filterPopulation ?? 0, statements),
          }
          : {}),
      },
    }));
  }
  const exhausted = outcome?.exhausted ?? 0;
  if (exhausted > 0) {
    // --count is a promise: a run that kept fewer says so and fails (what it wrote stays).
    console.error(
      `quarry: wrote ${statements} of ${
        statements + exhausted
      } statements: ${exhausted} found no statement ` +
        `unseen by --unique ${filter.mode} in ${filter.maxAttempts} attempts, so the grammar's output space is ` +
        `too small for this count; use --unique none to allow repeats, or a smaller --count`,
    );
    return EXIT.runtime;
  }
  return 0;
}

/** Writes the schema's setup statements; returns their size. */
function writeSetup(sink: Sink, schema: Parameters<typeof setupStatements>[0]): number {
  const setup = encoder.encode(setupStatements(schema).map((s) => `${s};\n`).join(""));
  sink.write(setup);
  return setup.length;
}

/**
 * The flags of `--resume`: the checkpoint's, with any given beside it on
 * top (a differing one makes the run's identity differ, and is refused).
 */
function resumeFlags(given: Flags, resumed: Resumed): Flags {
  if (given.at !== undefined || given.output !== undefined) {
    throw new UsageError(
      "--resume continues an --output-dir run; it cannot be combined with --at or --output",
    );
  }
  const merged: Flags = { ...resumed.checkpoint.flags };
  for (const [flag, value] of Object.entries(given)) if (value !== undefined) merged[flag] = value;
  merged["output-dir"] = resumed.dir;
  delete merged.resume;
  return merged;
}

/** A sink for nothing: --output-dir writes its own files. */
function nullSink(): Sink {
  return { closed: false, write() {}, commit() {}, abort() {} };
}

/** Flags as parseArgs gives them. */
type Flags = Record<string, string | boolean | undefined>;

/** The flags without monitoring's: a checkpoint keeps what defines the run, not how this process is watched. */
function withoutMonitorFlags(v: Flags): Flags {
  const out = { ...v };
  for (const flag of Object.keys(MONITOR_OPTIONS)) delete out[flag];
  return out;
}

/**
 * The flags of a run: the config's keys, overridden by the flags given.
 * `--at` replaces the config's count and start; a destination given
 * (`--output` or `--output-dir`) replaces the config's, with the settings
 * that belong to it.
 */
function withConfig(given: Flags, config: GenerateConfig | undefined): Flags {
  if (!config) return given;
  const merged: Flags = { ...config.flags };
  if (given.at !== undefined) {
    delete merged.count;
    delete merged.start;
  }
  // A grammar or an output given on the command line replaces the config's, whichever of the two kinds;
  // an output of another kind takes the config's output settings with it.
  if (given.grammar !== undefined) delete merged.grammars;
  if (given.grammars !== undefined) delete merged.grammar;
  if (given.output !== undefined || given.at !== undefined) {
    for (const flag of ["output-dir", "rotate", "compress", "checkpoint-every"]) delete merged[flag];
  }
  if (given["output-dir"] !== undefined) delete merged.output;

  for (const [flag, value] of Object.entries(given)) if (value !== undefined) merged[flag] = value;
  return merged;
}

/** Runs `read`; a UsageError about a value the config set (no flag overrode it) names where it was set. */
function located<T>(given: Flags, config: GenerateConfig | undefined, flag: string, read: () => T): T {
  const origin = given[flag] === undefined ? config?.origin(flag) : undefined;
  const relabel = (e: unknown): never => {
    if (origin && e instanceof UsageError) throw new UsageError(`${origin}: ${e.message}`, e.hint);
    throw e;
  };
  try {
    const out = read();
    return (out instanceof Promise ? out.catch(relabel) : out) as T;
  } catch (e) {
    return relabel(e);
  }
}

/** Reads --shard, which needs a seed every shard shares and splits a run (not --at). */
function readShard(v: Flags, at: bigint | undefined): Shard | undefined {
  if (v.shard === undefined) return undefined;
  const shard = parseShard(v.shard as string);
  if (typeof shard === "string") throw new UsageError(shard);
  if (at !== undefined) throw new UsageError("--shard splits a run; it cannot be combined with --at");
  if (v.seed === undefined) {
    throw new UsageError(
      "--shard needs --seed (or a config with a seed): every shard must generate from the same seed",
      "give each shard the same --seed, e.g. --seed 42",
    );
  }
  return shard;
}

/**
 * --unique, or the grammar's default: the one it declares, else structural when it is unique by
 * construction, else bloom.
 */
function uniqueMode(v: Flags, program: Program): "none" | "bloom" | "exact" | "structural" {
  const mode = (v.unique as string | undefined) ?? program.defaultUnique ??
    (program.uniqueByConstruction ? "structural" : "bloom");
  if (mode !== "none" && mode !== "bloom" && mode !== "exact" && mode !== "structural") {
    throw new UsageError(`--unique must be none, bloom, exact or structural (got "${mode}")`);
  }
  if (mode === "structural" && !program.uniqueByConstruction) {
    throw new UsageError(
      `grammar "${program.grammar}" is not unique by construction (some statements carry no unique() value)`,
      "use --unique bloom or --unique exact",
    );
  }
  return mode;
}

/** Reads --expect, --fp-rate and --bloom-bits into a filter of `mode` sized for the run, or refuses. */
function planFilter(
  v: Flags,
  mode: ReturnType<typeof uniqueMode>,
  count: bigint,
): FilterPlan {
  if (mode === "none" || mode === "structural") return planNone(mode);
  const expect = Number(v.expect === undefined ? count : parseCount(v.expect as string, "--expect")) || 1;
  let plan: FilterPlan;
  if (mode === "exact") plan = planExact(expect);
  else {
    const fpText = (v["fp-rate"] as string | undefined) ?? "1e-5";
    const fp = Number(fpText);
    if (!(fp > 0 && fp < 0.5)) {
      throw new UsageError(`--fp-rate must be a number between 0 and 0.5 (got ${fpText})`);
    }
    const bits = v["bloom-bits"] === undefined
      ? undefined
      : Number(parseCount(v["bloom-bits"] as string, "--bloom-bits"));
    plan = planBloom(expect, fp, bits);
  }
  if (plan.bytes > MAX_FILTER_BYTES) {
    throw new UsageError(
      `--unique ${mode} for ${expect} statements needs ${Math.ceil(plan.bytes / 2 ** 20)} MiB, over the ` +
        `${MAX_FILTER_BYTES / 2 ** 30} GiB a filter may take`,
      "lower --expect or raise --fp-rate, split the run with --start/--count, or use --unique structural",
    );
  }
  return plan;
}

/** Raised to stop generation when the reader closed the pipe. */
class BrokenPipeStop extends Error {
  constructor() {
    super("output pipe closed");
  }
}
