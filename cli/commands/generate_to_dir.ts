/**
 * `generate --output-dir`: a run into rotated, optionally compressed files
 * with a manifest, checkpoints and `--resume`. Statement i depends only on
 * (grammar, schema, seed, i), so a run resumed at index I writes exactly the
 * bytes the uninterrupted run would have written from there.
 *
 * @module
 */
import { isAbsolute, resolve } from "node:path";
import { Interrupted, UsageError } from "../errors.ts";
import { OutputDir } from "./generate_dir.ts";
import { Checkpointer, type Resumed, runIdentity, StoppedAtCheckpoint } from "./generate_checkpoint.ts";
import { type Compression, type RunDescription } from "../../core/checkpoint/manifest.ts";
import { identityDifference } from "../../core/checkpoint/checkpoint.ts";
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
export function readDirSettings(v: Flags, mode: string): DirSettings | undefined {
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
  if (every && (mode === "bloom" || mode === "exact")) {
    throw new UsageError(
      `--checkpoint-every cannot be used with --unique ${mode}: the workers run ahead of the writer, so the ` +
        "filter would remember statements after the checkpoint and a resumed run would differ",
      "use --unique structural (a grammar unique by construction, such as dml_unique) or --unique none",
    );
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
    options: Pick<ParallelOptions, "start" | "count" | "write" | "blockDone">,
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
    emitSetup: run.flags["emit-setup"] === true,
  };
  const identity = runIdentity({
    seed: run.seed,
    grammarSource: BUILTIN_GRAMMARS.has(run.grammarSpec)
      ? `builtin:${run.grammarSpec}`
      : Deno.readTextFileSync(run.grammarSpec),
    schemaJson: run.schemaJson,
    programImage: run.program.image,
    settings,
  });
  const description: RunDescription = {
    seed: run.seed,
    grammar: run.program.grammar,
    schema: (run.flags.schema as string | undefined) ?? "default",
    unique: run.mode,
    start: run.start.toString(),
    count: Number(run.count),
    rotate: s.rotate,
    compression: s.compression,
  };
  const checkpoints = run.mode === "none" || run.mode === "structural";
  const options = { dir: s.dir, rotation: s.rotation, compression: s.compression, run: description };
  let out: OutputDir, next = run.start;
  let counters = { statements: 0, sqlBytes: 0, rejected: 0, exhausted: 0 };
  if (run.resumed) {
    const c = run.resumed.checkpoint;
    const differs = identityDifference(c.identity, identity);
    if (differs) {
      throw new UsageError(
        `checkpoint in "${s.dir}" is for another run: ${differs}; nothing was changed`,
        "resume with the original flags, or with --resume alone",
      );
    }
    out = OutputDir.resume({ ...options, durable: true }, c);
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
    { identity, flags: savedFlags(run.flags), run: description },
    next,
    counters,
  );
  // A first checkpoint before any part file, so that a run killed at any moment can be resumed.
  if (s.every && !run.resumed) cp.write(next);
  if (checkpoints) run.onStopRequest(() => cp.stopRequested = true);
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
      blockDone: (consumed) => cp.blockDone(consumed),
    });
  } catch (e) {
    out.release();
    if (e instanceof StoppedAtCheckpoint) {
      console.error(`quarry: stopped at statement ${e.next}; resume with: quarry generate --resume ${s.dir}`);
      return {
        outcome: undefined,
        statements: cp.counters.statements,
        bytes: cp.counters.sqlBytes,
        code: 130,
      };
    }
    if (e instanceof Interrupted && !checkpoints) {
      console.error(
        `quarry: stopped; a run with --unique ${run.mode} keeps no checkpoint and cannot be resumed`,
      );
    }
    throw e;
  }
  out.finish();
  cp.remove();
  return { outcome, statements: cp.counters.statements, bytes: cp.counters.sqlBytes, code: 0 };
}

/** The flags a checkpoint keeps: what defines the run, with file paths made absolute. */
function savedFlags(flags: Flags): Record<string, string | boolean> {
  const out: Record<string, string | boolean> = {};
  for (const [k, val] of Object.entries(flags)) {
    if (val === undefined || ["workers", "stats", "config", "resume", "output-dir", "help"].includes(k)) {
      continue;
    }
    const path = (k === "grammar" && !BUILTIN_GRAMMARS.has(val as string)) ||
      (k === "schema" && val !== "default");
    out[k] = path && typeof val === "string" && !isAbsolute(val) ? resolve(val) : val;
  }
  return out;
}
