/**
 * Checkpoints of `generate --output-dir`: taking them at block boundaries
 * (`--checkpoint-every`, and on SIGINT/SIGTERM), reading one back for
 * `--resume`, and the run identity both are checked against.
 *
 * @module
 */
import { dirname, join } from "node:path";
import { RuntimeFailure, UsageError } from "../errors.ts";
import { syncDir, writeFileAtomic } from "../output.ts";
import { CHECKPOINT, MANIFEST, type OutputDir } from "./generate_dir.ts";
import {
  type Checkpoint,
  CheckpointError,
  checkpointJson,
  parseCheckpoint,
  type RunIdentity,
} from "../../core/checkpoint/checkpoint.ts";
import type { Interval } from "../../core/checkpoint/rotation.ts";
import type { RunDescription } from "../../core/checkpoint/manifest.ts";
import { sha256 } from "../../core/checkpoint/digest.ts";

const encoder = new TextEncoder();

/** What a run's identity is computed from. */
export interface IdentityInput {
  seed: string;
  /** A built-in grammar's name, or the text of its module file. */
  grammarSource: string;
  schemaJson: string;
  programImage: Uint8Array;
  settings: Record<string, string | number | boolean>;
}

/** The digests a checkpoint is checked against. */
export function runIdentity(i: IdentityInput): RunIdentity {
  const settingsText = JSON.stringify(i.settings);
  return {
    seed: i.seed,
    grammar: sha256(i.grammarSource),
    schema: sha256(i.schemaJson),
    program: sha256(i.programImage),
    settings: sha256(settingsText),
    settingsText,
  };
}

/** A checkpoint read for `--resume`, with the directory it belongs to. */
export interface Resumed {
  dir: string;
  checkpoint: Checkpoint;
}

/**
 * Reads the checkpoint of `--resume PATH` (a directory, or its
 * checkpoint.json).
 *
 * @throws {UsageError} when there is none, or it is truncated or corrupt.
 */
export function readCheckpoint(path: string): Resumed {
  let dir = path, file = join(path, CHECKPOINT);
  try {
    if (Deno.statSync(path).isFile) [dir, file] = [dirname(path), path];
  } catch (e) {
    throw new UsageError(`cannot resume "${path}": ${(e as Error).message.split("\n")[0]}`);
  }
  let text: string;
  try {
    text = Deno.readTextFileSync(file);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) {
      throw new RuntimeFailure(`cannot read "${file}": ${(e as Error).message.split("\n")[0]}`);
    }
    let complete = false;
    try {
      complete =
        (JSON.parse(Deno.readTextFileSync(join(dir, MANIFEST))) as { complete?: boolean }).complete ===
          true;
    } catch { /* no manifest either */ }
    throw new UsageError(
      complete
        ? `"${dir}" holds a finished run (its manifest is complete); there is nothing to resume`
        : `"${dir}" has no ${CHECKPOINT} to resume from (was the run started with --checkpoint-every?)`,
    );
  }
  try {
    return { dir, checkpoint: parseCheckpoint(text) };
  } catch (e) {
    if (e instanceof CheckpointError) {
      throw new UsageError(`checkpoint "${file}" ${e.message}; nothing was changed`);
    }
    throw e;
  }
}

/** Raised at a block boundary once a stop was asked for and the checkpoint is written. */
export class StoppedAtCheckpoint extends Error {
  constructor(readonly next: bigint) {
    super(`stopped at statement ${next}`);
    this.name = "StoppedAtCheckpoint";
  }
}

/** What every checkpoint of a run repeats. */
export interface CheckpointBase {
  identity: RunIdentity;
  flags: Record<string, string | boolean>;
  run: RunDescription;
}

/** Takes checkpoints of one run at block boundaries. */
export class Checkpointer {
  /** Set by a signal handler: the next block boundary writes a checkpoint and stops. */
  stopRequested = false;
  /** Totals of the run (a resumed run starts from the checkpoint's). */
  readonly counters: Checkpoint["counters"];
  readonly #out: OutputDir;
  readonly #dir: string;
  readonly #every: Interval | undefined;
  readonly #base: CheckpointBase;
  readonly #first: bigint;
  #lastConsumed = 0;
  #lastTime = performance.now();

  /**
   * @param first Index of the first statement this process generates.
   * @param counters Totals before it.
   */
  constructor(
    out: OutputDir,
    dir: string,
    every: Interval | undefined,
    base: CheckpointBase,
    first: bigint,
    counters: Checkpoint["counters"],
  ) {
    this.#out = out;
    this.#dir = dir;
    this.#every = every;
    this.#base = base;
    this.#first = first;
    this.counters = { ...counters };
  }

  /** The engine's block-boundary hook: every index before `first + consumed` has been written. */
  blockDone(consumed: number): void {
    const every = this.#every;
    const due = this.stopRequested || (every !== undefined && (
      "statements" in every
        ? consumed - this.#lastConsumed >= every.statements
        : performance.now() - this.#lastTime >= every.seconds * 1000
    ));
    if (!due) return;
    const next = this.#first + BigInt(consumed);
    this.write(next);
    this.#lastConsumed = consumed;
    this.#lastTime = performance.now();
    if (this.stopRequested) throw new StoppedAtCheckpoint(next);
  }

  /** Writes a checkpoint at `next`: the output is fsynced first, then the checkpoint replaces the last one. */
  write(next: bigint): void {
    const { files, current } = this.#out.commit();
    const setup = this.#out.setup;
    const text = checkpointJson({
      ...this.#base,
      next: next.toString(),
      files,
      current,
      ...(setup ? { setup } : {}),
      counters: { ...this.counters },
    });
    writeFileAtomic(join(this.#dir, CHECKPOINT), encoder.encode(text));
  }

  /** Removes the checkpoint of a finished run. */
  remove(): void {
    try {
      Deno.removeSync(join(this.#dir, CHECKPOINT));
      syncDir(this.#dir);
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    }
  }
}
