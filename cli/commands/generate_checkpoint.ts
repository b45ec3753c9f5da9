/**
 * Checkpoints of `generate --output-dir`: taking them at block boundaries
 * (`--checkpoint-every`, and on SIGINT/SIGTERM), reading one back for
 * `--resume`, and the run identity both are checked against.
 *
 * @module
 */
import { dirname, join } from "node:path";
import { RuntimeFailure, UsageError } from "../errors.ts";
import { syncDir } from "../output.ts";
import { CHECKPOINT, MANIFEST, type OutputDir } from "./generate_dir.ts";
import {
  type Checkpoint,
  CheckpointError,
  checkpointJson,
  parseCheckpoint,
  type RunIdentity,
} from "../../core/checkpoint/checkpoint.ts";
import type { Interval } from "../../core/checkpoint/rotation.ts";
import type { CheckpointHooks } from "../../core/engine/parallel.ts";
import type { RunDescription } from "../../core/checkpoint/manifest.ts";
import { sha256, sha256Stream } from "../../core/checkpoint/digest.ts";

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

/**
 * A time-based checkpoint is spaced out to at least this many times what the
 * last one cost the main thread (copying and hashing a large filter), so that
 * checkpoints take at most about 5 % of the run whatever the filter's size.
 */
const COST_SPACING = 20;
/** Bytes of a filter snapshot hashed at a time. */
const HASH_SLICE = 4 << 20;

/**
 * Takes checkpoints of one run at block boundaries (the engine's
 * {@link CheckpointHooks}). A checkpoint is cut on the main thread (the files'
 * committed lengths and hashes, a copy of the filter) and written off it:
 * the output is fsynced, the filter snapshot written to `filter-NEXT.bin`
 * (temp file, fsync, rename), then checkpoint.json replaced the same way and
 * the previous snapshot removed. So the checkpoint on disk always names
 * bytes and a snapshot that are on disk, and a kill at any moment leaves the
 * last one whole.
 */
export class Checkpointer implements CheckpointHooks {
  /** Set by a signal handler: the next block boundary writes a checkpoint and stops. */
  stopRequested = false;
  /** Totals of the run (a resumed run starts from the checkpoint's). */
  readonly counters: Checkpoint["counters"];
  readonly #out: OutputDir;
  readonly #dir: string;
  readonly #every: Interval | undefined;
  readonly #base: CheckpointBase;
  readonly #first: bigint;
  readonly #before: Checkpoint["counters"];
  #lastConsumed = 0;
  #lastTime = performance.now();
  /** Main-thread milliseconds the last checkpoint took. */
  #lastCost = 0;
  /** Checkpoints taken by this process, and the writing thread's milliseconds in them (for --stats). */
  readonly spent = { taken: 0, writerMs: 0 };
  /** The checkpoint being written, if any; they are written one after another. */
  #writing: Promise<void> | undefined;
  #failure: unknown;
  /** The snapshot the checkpoint on disk names. */
  #snapshot: string | undefined;
  /** The copy of the filter being written. */
  #buffer: Uint8Array<ArrayBuffer> | undefined;

  /**
   * @param first Index of the first statement this process generates.
   * @param counters Totals before it.
   * @param snapshot The filter snapshot the checkpoint resumed from names.
   */
  constructor(
    out: OutputDir,
    dir: string,
    every: Interval | undefined,
    base: CheckpointBase,
    first: bigint,
    counters: Checkpoint["counters"],
    snapshot?: string,
  ) {
    this.#out = out;
    this.#dir = dir;
    this.#every = every;
    this.#base = base;
    this.#first = first;
    this.counters = { ...counters };
    this.#before = { ...counters };
    this.#snapshot = snapshot;
  }

  /** Whether a checkpoint is due at this block boundary (`consumed` indices after the first). */
  due(consumed: number): boolean {
    if (this.#failure !== undefined) throw this.#failure;
    if (this.stopRequested) return true;
    const every = this.#every;
    // One checkpoint on its way to disk at a time: a slow disk spaces them out rather than queueing them.
    if (every === undefined || this.#writing !== undefined) return false;
    if ("statements" in every) return consumed - this.#lastConsumed >= every.statements;
    const spacing = Math.max(every.seconds * 1000, COST_SPACING * this.#lastCost);
    return performance.now() - this.#lastTime >= spacing;
  }

  /**
   * Cuts a checkpoint at `first + consumed`; `filter` (a view, copied here)
   * holds exactly the statements before it. On a stop request, waits for it
   * to be on disk and throws {@link StoppedAtCheckpoint}.
   */
  async take(
    consumed: number,
    filter: Uint8Array | undefined,
    totals: { rejected: number; exhausted: number },
  ): Promise<void> {
    let began = performance.now();
    const next = this.#first + BigInt(consumed);
    this.counters.rejected = this.#before.rejected + totals.rejected;
    this.counters.exhausted = this.#before.exhausted + totals.exhausted;
    let snapshot: Uint8Array<ArrayBuffer> | undefined;
    if (filter) {
      // One buffer for every snapshot: a fresh one would pay a page fault per 4 KiB on each copy (some
      // 0.7 s for 100 MB here, against 10 ms for the copy). Only a stop comes while the last is written.
      await this.#writing;
      if (!this.#buffer) {
        // First touch of its pages: paid once, so not counted in the spacing of later checkpoints.
        this.#buffer = new Uint8Array(filter.length).fill(0);
        began = performance.now();
      }
      snapshot = this.#buffer;
      snapshot.set(filter);
    }
    this.#cut(next, snapshot);
    this.#lastConsumed = consumed;
    this.#lastTime = performance.now();
    this.#lastCost = this.#lastTime - began;
    this.spent.taken++;
    this.spent.writerMs += this.#lastCost;
    if (this.stopRequested) {
      await this.settle();
      throw new StoppedAtCheckpoint(next);
    }
  }

  /** Writes the checkpoint at the run's start (an empty filter needs no snapshot) and waits for it. */
  async writeFirst(): Promise<void> {
    this.#cut(this.#first, undefined);
    await this.settle();
  }

  /** Waits for the checkpoint being written; throws what failed in writing one. */
  async settle(): Promise<void> {
    await this.#writing;
    if (this.#failure !== undefined) throw this.#failure;
  }

  /** Removes the checkpoint of a finished run, and its snapshot. */
  async remove(): Promise<void> {
    await this.settle();
    for (const name of [CHECKPOINT, ...(this.#snapshot ? [this.#snapshot] : [])]) {
      try {
        Deno.removeSync(join(this.#dir, name));
      } catch (e) {
        if (!(e instanceof Deno.errors.NotFound)) throw e;
      }
    }
    syncDir(this.#dir);
  }

  /** Records the checkpoint at `next` and queues its writing. */
  #cut(next: bigint, snapshot: Uint8Array<ArrayBuffer> | undefined): void {
    const marked = this.#out.mark();
    const setup = this.#out.setup;
    const body = {
      ...this.#base,
      next: next.toString(),
      files: marked.files,
      current: marked.current,
      ...(setup ? { setup } : {}),
      counters: { ...this.counters },
    };
    const writing: Promise<void> = (this.#writing ?? Promise.resolve())
      .then(() => this.#write(next, body, marked.durable, snapshot))
      .catch((e) => {
        this.#failure ??= e;
      })
      .finally(() => {
        if (this.#writing === writing) this.#writing = undefined;
      });
    this.#writing = writing;
  }

  async #write(
    next: bigint,
    body: Omit<Checkpoint, "format" | "version" | "checksum" | "filter">,
    durable: Promise<void>,
    snapshot: Uint8Array<ArrayBuffer> | undefined,
  ): Promise<void> {
    let filter: Checkpoint["filter"];
    if (snapshot) {
      // Hashed in slices between which the writer goes on; the time counts as the checkpoint's cost.
      const hash = sha256Stream();
      for (let at = 0; at < snapshot.length; at += HASH_SLICE) {
        const began = performance.now();
        hash.update(snapshot.subarray(at, at + HASH_SLICE));
        const ms = performance.now() - began;
        this.#lastCost += ms;
        this.spent.writerMs += ms;
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
      filter = { name: `filter-${next}.bin`, bytes: snapshot.length, sha256: hash.digest("hex") };
      await replaceFile(join(this.#dir, filter.name), snapshot, this.#dir);
    }
    // The output's fsync has run meanwhile; the checkpoint names its bytes only once they are on disk.
    await durable;
    const text = checkpointJson({ ...body, ...(filter ? { filter } : {}) });
    await replaceFile(join(this.#dir, CHECKPOINT), encoder.encode(text), this.#dir);
    const old = this.#snapshot;
    this.#snapshot = filter?.name;
    if (old !== undefined && old !== filter?.name) {
      await Deno.remove(join(this.#dir, old)).catch((e) => {
        if (!(e instanceof Deno.errors.NotFound)) throw e;
      });
    }
  }
}

/**
 * Replaces `path` with `bytes` off the main thread: a temp file, fsynced,
 * renamed over it, and the directory fsynced (the rename is then on disk).
 */
async function replaceFile(path: string, bytes: Uint8Array, dir: string): Promise<void> {
  const temp = `${path}.tmp`;
  try {
    const file = await Deno.open(temp, { write: true, create: true, truncate: true });
    try {
      for (let off = 0; off < bytes.length;) off += await file.write(bytes.subarray(off));
      await file.sync();
    } finally {
      file.close();
    }
    await Deno.rename(temp, path);
    const d = await Deno.open(dir, { read: true });
    try {
      await d.sync();
    } finally {
      d.close();
    }
  } catch (e) {
    throw new RuntimeFailure(`cannot write "${path}": ${(e as Error).message.split("\n")[0]}`);
  }
}
