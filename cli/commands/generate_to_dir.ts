/**
 * `generate --output-dir`: a run into rotated, optionally compressed files
 * with a manifest, checkpoints and `--resume`. Statement i depends only on
 * (grammar, schema, seed, i), so a run resumed at index I writes exactly the
 * bytes the uninterrupted run would have written from there.
 *
 * @module
 */
import { isAbsolute, join, resolve } from "node:path";
import { RuntimeFailure, UsageError } from "../errors.ts";
import { OutputDir } from "./generate_dir.ts";
import { Checkpointer, type Resumed, runIdentity, StoppedAtCheckpoint } from "./generate_checkpoint.ts";
import { type Compression, type RunDescription } from "../../core/checkpoint/manifest.ts";
import { type Checkpoint, identityDifference } from "../../core/checkpoint/checkpoint.ts";
import { sha256 } from "../../core/checkpoint/digest.ts";
import {
  type Interval,
  parseInterval,
  parseRotation,
  type Rotation,
} from "../../core/checkpoint/rotation.ts";
import type { ParallelOptions, ParallelResult } from "../../core/engine/parallel.ts";
import type { Program } from "../../core/compile/compile.ts";
import type { FilterPlan } from "../../core/engine/uniqueness.ts";
import { BUILTIN_GRAMMARS } from "../../grammars/mod.ts";

/** Flags as parseArgs gives them. */
type Flags = Record<string, string | boolean | undefined>;

/** The directory flags, read and checked. */
export interface DirSettings {
  dir: string;
  rotation: Rotation;
  /** `--rotate` as given (the manifest repeats it). */
  rotate: string;
  compression: Compression;
  every: Interval | undefined;
}

/** The flags only --output-dir takes. */
const DIR_FLAGS = ["rotate", "compress", "checkpoint-every"] as const;

/**
 * Reads --output-dir, --rotate, --compress and --checkpoint-every; undefined
 * without --output-dir (then the others are refused).
 *
 * @throws {UsageError} for a bad value or a flag that needs --output-dir.
 */
export function readDirSettings(v: Flags): DirSettings | undefined {
  if (v["output-dir"] === undefined) {
    const stray = DIR_FLAGS.find((f) => v[f] !== undefined);
    if (stray) throw new UsageError(`--${stray} needs --output-dir`);
    return undefined;
  }
  if (v.output !== undefined) {
    throw new UsageError("--output and --output-dir cannot be combined; choose one");
  }
  if (v.at !== undefined) {
    throw new UsageError("--at prints one statement; it cannot be combined with --output-dir");
  }
  const rotate = (v.rotate as string | undefined) ?? "10M";
  const rotation = parseRotation(rotate);
  if (typeof rotation === "string") throw new UsageError(rotation);
  const compression = (v.compress as string | undefined) ?? "none";
  if (compression !== "none" && compression !== "gzip" && compression !== "zstd") {
    throw new UsageError(`--compress must be gzip, zstd or none (got "${compression}")`);
  }
  let every: Interval | undefined;
  if (v["checkpoint-every"] !== undefined) {
    const parsed = parseInterval(v["checkpoint-every"] as string);
    if (typeof parsed === "string") throw new UsageError(parsed);
    every = parsed;
  }
  return { dir: v["output-dir"] as string, rotation, rotate, compression, every };
}

/** What {@link generateToDir} needs of the command. */
export interface DirRun {
  settings: DirSettings;
  /** The merged flags, saved in the checkpoint so that `--resume DIR` alone rebuilds the run. */
  flags: Flags;
  resumed: Resumed | undefined;
  program: Program;
  grammarSpec: string;
  schemaJson: string;
  seed: string;
  mode: string;
  filter: FilterPlan;
  start: bigint;
  count: bigint;
  /** `--emit-setup`'s statements, when this run writes them. */
  setup: string | undefined;
  /** Runs the engine (the command's `generate` call with its progress line and signal). */
  engine: (
    options: Pick<ParallelOptions, "start" | "count" | "write" | "checkpoint" | "filterState">,
  ) => Promise<ParallelResult>;
  /** Lets the command's signal handler ask for a stop at the next block boundary. */
  onStopRequest: (stop: () => void) => void;
}

/** Totals of a run into a directory. */
export interface DirResult {
  /** The engine's result for this process's part of the run. */
  outcome: ParallelResult | undefined;
  statements: number;
  bytes: number;
  /** 130 when stopped by a signal at a checkpoint, else 0. */
  code: number;
  /** Checkpoints this process took, and the writing thread's time in them. */
  checkpoints: { taken: number; writerMs: number };
}

/** Runs generation into `run.settings.dir`, new or resumed. */
export async function generateToDir(run: DirRun): Promise<DirResult> {
  const s = run.settings;
  const settings = {
    start: run.start.toString(),
    count: Number(run.count),
    rotate: "statements" in s.rotation ? `${s.rotation.statements} statements` : `${s.rotation.bytes} bytes`,
    compression: s.compression,
    unique: run.mode,
    // The filter's size and attempts: a snapshot only fits the filter it was taken of.
    ...(run.filter.bytes > 0
      ? { filter: `${run.filter.slots} slots, k ${run.filter.k}, ${run.filter.maxAttempts} attempts` }
      : {}),
    emitSetup: run.flags["emit-setup"] === true,
  };
  const identity = runIdentity({
    seed: run.seed,
    // A mix is its names and weights (a grammar file in it is covered by the program's digest).
    grammarSource: BUILTIN_GRAMMARS.has(run.grammarSpec)
      ? `builtin:${run.grammarSpec}`
      : run.grammarSpec.startsWith("mix:")
      ? run.grammarSpec
      : Deno.readTextFileSync(run.grammarSpec),
    schemaJson: run.schemaJson,
    programImage: run.program.image,
    settings,
  });
  const description: RunDescription = {
    seed: run.seed,
    grammar: run.grammarSpec.startsWith("mix:") ? run.grammarSpec : run.program.grammar,
    schema: (run.flags.schema as string | undefined) ?? "default",
    unique: run.mode,
    start: run.start.toString(),
    count: Number(run.count),
    rotate: s.rotate,
    compression: s.compression,
  };
  const options = { dir: s.dir, rotation: s.rotation, compression: s.compression, run: description };
  let out: OutputDir, next = run.start;
  let counters = { statements: 0, sqlBytes: 0, rejected: 0, exhausted: 0 };
  let filterState: Uint8Array | undefined;
  if (run.resumed) {
    const c = run.resumed.checkpoint;
    const differs = identityDifference(c.identity, identity);
    if (differs) {
      throw new UsageError(
        `checkpoint in "${s.dir}" is for another run: ${differs}; nothing was changed`,
        "resume with the original flags, or with --resume alone",
      );
    }
    filterState = readSnapshot(s.dir, c, run.filter);
    out = OutputDir.resume({ ...options, durable: true }, c, c.filter ? [c.filter.name] : []);
    next = BigInt(c.next);
    counters = { ...c.counters };
    console.error(
      `quarry: resuming "${s.dir}" at statement ${next} of [${run.start}, ${run.start + run.count})`,
    );
  } else {
    out = OutputDir.create({ ...options, durable: s.every !== undefined });
    if (run.setup !== undefined) out.writeSetup(run.setup);
  }
  const cp = new Checkpointer(
    out,
    s.dir,
    s.every,
    { identity, flags: savedFlags(run.flags, run.filter.bytes > 0), run: description },
    next,
    counters,
    run.resumed?.checkpoint.filter?.name,
  );
  // A first checkpoint before any part file, so that a run killed at any moment can be resumed.
  if (s.every && !run.resumed) await cp.writeFirst();
  run.onStopRequest(() => cp.stopRequested = true);
  const end = run.start + run.count;
  let outcome: ParallelResult | undefined;
  try {
    outcome = await run.engine({
      start: next,
      count: Number(end - next),
      write: (bytes, statements) => {
        out.write(bytes, statements);
        cp.counters.statements += statements;
        cp.counters.sqlBytes += bytes.length;
      },
      checkpoint: cp,
      ...(filterState ? { filterState } : {}),
    });
  } catch (e) {
    await cp.settle().catch(() => {});
    out.release();
    if (e instanceof StoppedAtCheckpoint) {
      console.error(`quarry: stopped at statement ${e.next}; resume with: quarry generate --resume ${s.dir}`);
      return {
        outcome: undefined,
        statements: cp.counters.statements,
        bytes: cp.counters.sqlBytes,
        code: 130,
        checkpoints: cp.spent,
      };
    }
    throw e;
  }
  await cp.settle();
  await out.finish();
  await cp.remove();
  return {
    outcome,
    statements: cp.counters.statements,
    bytes: cp.counters.sqlBytes,
    code: 0,
    checkpoints: cp.spent,
  };
}

/**
 * Reads and checks the filter snapshot checkpoint `c` names: undefined
 * when the run has no filter, or the checkpoint is at its start (empty).
 *
 * @throws {RuntimeFailure} when it is missing, of another size or damaged.
 */
function readSnapshot(dir: string, c: Checkpoint, filter: FilterPlan): Uint8Array | undefined {
  if (filter.bytes === 0) return undefined;
  const fail = (what: string) => new RuntimeFailure(`cannot resume "${dir}": ${what}; nothing was changed`);
  const snap = c.filter;
  if (!snap) {
    if (c.next === c.run.start) return undefined;
    throw fail(`the checkpoint at statement ${c.next} names no filter snapshot`);
  }
  let bytes: Uint8Array;
  try {
    bytes = Deno.readFileSync(join(dir, snap.name));
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) throw fail(`${snap.name} is missing`);
    throw fail(`${snap.name}: ${(e as Error).message.split("\n")[0]}`);
  }
  if (bytes.length !== snap.bytes || bytes.length !== filter.bytes) {
    throw fail(`${snap.name} is ${bytes.length} bytes, the checkpoint recorded ${snap.bytes}`);
  }
  if (sha256(bytes) !== snap.sha256) throw fail(`${snap.name} does not match its checksum`);
  return bytes;
}

/**
 * The flags a checkpoint keeps: what defines the run, with file paths made
 * absolute. With a filter (`keepWorkers`) the worker count too: with several
 * workers, which of two equal statements the filter replaces depends on
 * their timing, so only a run that stays at one worker is byte-exact.
 */
function savedFlags(flags: Flags, keepWorkers: boolean): Record<string, string | boolean> {
  const out: Record<string, string | boolean> = {};
  const drop = ["stats", "config", "resume", "output-dir", "help", ...(keepWorkers ? [] : ["workers"])];
  for (const [k, val] of Object.entries(flags)) {
    if (val === undefined || drop.includes(k)) continue;
    const path = (k === "grammar" && !BUILTIN_GRAMMARS.has(val as string)) ||
      (k === "schema" && val !== "default");
    out[k] = path && typeof val === "string" && !isAbsolute(val) ? resolve(val) : val;
    if (k === "grammars" && typeof val === "string") {
      // name:weight pairs; a grammar file's path made absolute like --grammar's.
      out[k] = val.split(",").map((item) => {
        const at = item.lastIndexOf(":");
        const name = at < 0 ? item : item.slice(0, at);
        const file = !BUILTIN_GRAMMARS.has(name.trim()) && !isAbsolute(name.trim());
        return file ? `${resolve(name.trim())}${at < 0 ? "" : item.slice(at)}` : item;
      }).join(",");
    }
  }
  return out;
}
