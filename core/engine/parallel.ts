/**
 * Parallel generation: W workers over one shared memory, the main thread
 * writing their buffers out in statement order. Output is byte-identical
 * whatever W is, since statement i depends only on (program, seed, i).
 *
 * @module
 */
import type { Program } from "../compile/compile.ts";
import type { Seed } from "../seed.ts";
import { instantiate, kernelModule } from "../../wasm/kernel.ts";
import {
  BUFFERS_PER_WORKER,
  CTL_COUNT,
  CTL_EMITTED,
  CTL_ERROR,
  CTL_ERROR_PC,
  CTL_LAST,
  CTL_LENGTH,
  CTL_REJECTED,
  CTL_STATE,
} from "../../wasm/layout.ts";
import {
  bufferAddr,
  CLAIMS_PAUSED,
  claimWord,
  controlWord,
  nextBlockWord,
  writtenBlocksWord,
} from "./job_layout.ts";
import { loadProgram, restoreFilter } from "./local.ts";
import { type FilterPlan, planNone } from "./uniqueness.ts";
import type { JobLayout } from "./job_layout.ts";
import { generationError } from "./errors.ts";
import { SLOT_EMPTY, type WorkerJob, type WorkerReply } from "./protocol.ts";

let workerEntry: string | URL = new URL("./worker_entry.ts", import.meta.url);

/**
 * Sets the module workers start from. A single-file bundle passes its own
 * URL, since it has no separate worker module; it must then call
 * `serveGenerationJobs()` when it finds itself inside a worker.
 */
export function setWorkerEntry(url: string | URL): void {
  workerEntry = url;
}

let lastYield = performance.now();

/**
 * Lets timers and signal handlers run at least every 50 ms. When the workers
 * are always ahead, the writer never waits on a slot, and without this its
 * loop would run on microtasks alone: Ctrl-C would not be heard.
 */
async function yieldNow(): Promise<void> {
  const now = performance.now();
  if (now - lastYield < 50) return;
  lastYield = now;
  await new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * Resolves once `view[index]` differs from `value`, without blocking the
 * main thread; rejects with the failure `failed()` reports meanwhile.
 */
async function waitWhile(
  view: Int32Array,
  index: number,
  value: number,
  failed: () => Error | undefined,
): Promise<void> {
  await yieldNow();
  while (Atomics.load(view, index) === value) {
    const f = failed();
    if (f) throw f;
    const waited = Atomics.waitAsync(view, index, value, 250);
    if (waited.async) await waited.value;
  }
  const f = failed();
  if (f) throw f;
}

/**
 * One line for a worker that failed: a missing permission (the worker needs
 * read access to load its module) becomes Deno's own NotCapable error.
 */
function workerFailure(w: number, message: string): Error {
  const first = message.split("\n")[0]!.replace(/^Uncaught \(in worker "[^"]*"\) /, "");
  if (/NotCapable|Requires \w+ access/.test(message)) {
    return new Deno.errors.NotCapable(`generation worker ${w} could not start: ${first}`);
  }
  return new Error(`generation worker ${w} failed: ${first}`);
}

/** Counts the filter's set bits or used slots with a kernel instance of the main thread. */
function populationOf(memory: WebAssembly.Memory, layout: JobLayout, filter: FilterPlan): bigint {
  const k = instantiate(memory);
  k.setFilter(filter.code, layout.filterAddr, filter.slots, filter.k, filter.maxAttempts);
  return k.filterPopulation();
}

/** Options of {@link generateParallel}. */
export interface ParallelOptions {
  seed: Seed;
  /** Index of the first statement. */
  start: bigint;
  /** Number of statements. */
  count: number;
  workers: number;
  /**
   * Receives the output in order, with how many statements the bytes hold
   * (one line each); the view is valid only during the call.
   */
  write: (bytes: Uint8Array, statements: number) => void | Promise<void>;
  /** Checkpoints at block boundaries. */
  checkpoint?: CheckpointHooks;
  /**
   * The filter's contents to start from (a snapshot a checkpoint took at
   * `start`) instead of an empty filter; as long as the filter's memory.
   */
  filterState?: Uint8Array;
  /**
   * Called after each chunk with the totals so far, and the worker that
   * generated the chunk (0 in the calling thread).
   */
  progress?: (statements: number, bytes: number, rejected: number, exhausted: number, worker: number) => void;
  /** A uniqueness filter shared by all workers (default: none). */
  filter?: FilterPlan;
  /** Statements per block (a block is one worker's unit of work). */
  blockSize?: number;
  signal?: AbortSignal;
}

/**
 * How the engine takes checkpoints. After each block (each chunk in the
 * calling thread) it asks `due`; when yes, `take` is called at a block
 * boundary where every index before `start + consumed` has been written.
 * With a uniqueness filter the workers are first held at a barrier (no block
 * past the boundary claimed), so the filter holds exactly the statements
 * written; the hold lasts until `take` returns, so `take` copies what it
 * keeps of the view and saves it afterwards. Throwing from either stops the run.
 */
export interface CheckpointHooks {
  due(consumed: number): boolean;
  take(
    consumed: number,
    filter: Uint8Array | undefined,
    totals: { rejected: number; exhausted: number },
  ): void | Promise<void>;
}

/** Totals of a finished run. */
export interface ParallelResult {
  /** Statements written. */
  statements: number;
  bytes: number;
  /** Attempts the uniqueness filter rejected as seen before. */
  rejected: number;
  /** Indices given up on after the filter rejected every attempt. */
  exhausted: number;
  /** Set bits (bloom) or used slots (exact) at the end. */
  filterPopulation: number;
}

/**
 * Generates statements [start, start + count) with `workers` workers.
 *
 * @throws {GenerationError} for a statement that cannot be generated.
 */
export async function generateParallel(program: Program, options: ParallelOptions): Promise<ParallelResult> {
  const workers = Math.max(1, Math.floor(options.workers));
  // A worker that cannot read its module dies noisily; say so before starting any.
  const entry = new URL(workerEntry);
  if (
    entry.protocol === "file:" &&
    Deno.permissions.querySync({ name: "read", path: entry }).state !== "granted"
  ) {
    throw new Deno.errors.NotCapable(
      `generation workers need read access to ${decodeURIComponent(entry.pathname)}: run with --allow-read`,
    );
  }
  const blockSize = options.blockSize ?? 4096;
  const filter = options.filter ?? planNone("none");
  const { memory, layout } = loadProgram(program, workers, filter);
  if (options.filterState) restoreFilter(memory, layout, filter, options.filterState);
  const module = kernelModule();
  const ctl = new Int32Array(memory.buffer);
  const bytesView = new Uint8Array(memory.buffer);
  const threads: Worker[] = [];
  let failure: Error | undefined;
  const finished: Promise<void>[] = [];
  const fail = (e: Error) => {
    failure ??= e;
  };

  for (let w = 0; w < workers; w++) {
    const t = new Worker(workerEntry, { type: "module" });
    threads.push(t);
    finished.push(
      new Promise<void>((resolve) => {
        t.onmessage = (e: MessageEvent<WorkerReply>) => {
          if (!e.data.done) fail(workerFailure(w, e.data.error));
          resolve();
        };
        t.onerror = (e) => {
          e.preventDefault();
          fail(workerFailure(w, e.message));
          resolve();
        };
      }),
    );
    const job: WorkerJob = {
      module,
      memory,
      layout,
      worker: w,
      program: {
        codeAddr: program.codeAddr,
        poolAddr: program.poolAddr,
        startWord: program.startWord,
        maxDepth: program.maxDepth,
        maxStatementBytes: program.maxStatementBytes,
        rows: program.rows === true,
      },
      seed: options.seed,
      filter,
      start: options.start,
      count: options.count,
      blockSize,
    };
    t.postMessage(job);
  }

  const onAbort = () => fail(options.signal?.reason ?? new Error("aborted"));
  options.signal?.addEventListener("abort", onAbort);
  const nextSlot = new Array<number>(workers).fill(0);
  let statements = 0, bytes = 0, rejected = 0, exhausted = 0, consumed = 0;
  const hooks = options.checkpoint;
  /** While claims are held for a checkpoint: the blocks claimed before, which end at the boundary. */
  let heldAt: number | undefined;
  try {
    const blocks = Math.ceil(options.count / blockSize);
    const ctl64 = new BigInt64Array(memory.buffer);
    const nextWord = nextBlockWord(layout);
    for (let b = 0; b < blocks; b++) {
      // Which worker claimed block b? Its chunks come next in that worker's slots.
      const claim = claimWord(layout, b);
      await waitWhile(ctl, claim, 0, () => failure);
      const w = Atomics.load(ctl, claim) - 1;
      for (;;) {
        const base = controlWord(layout, w, nextSlot[w]!);
        await waitWhile(ctl, base + CTL_STATE, SLOT_EMPTY, () => failure);
        const err = ctl[base + CTL_ERROR]!;
        const n = ctl[base + CTL_COUNT]!;
        const emitted = ctl[base + CTL_EMITTED]!;
        const len = ctl[base + CTL_LENGTH]!;
        if (len > 0) {
          const at = bufferAddr(layout, w, nextSlot[w]!);
          await options.write(bytesView.subarray(at, at + len), emitted);
        }
        statements += emitted;
        rejected += ctl[base + CTL_REJECTED]!;
        exhausted += n - emitted;
        consumed += n;
        bytes += len;
        if (err !== 0) {
          // Earlier blocks are complete, so the failed statement follows every consumed one.
          const index = options.start + BigInt(consumed);
          throw generationError(program, err, index, ctl[base + CTL_ERROR_PC]!);
        }
        const last = ctl[base + CTL_LAST] === 1;
        Atomics.store(ctl, base + CTL_STATE, SLOT_EMPTY);
        Atomics.notify(ctl, base + CTL_STATE);
        nextSlot[w] = (nextSlot[w]! + 1) % BUFFERS_PER_WORKER;
        options.progress?.(statements, bytes, rejected, exhausted, w);
        if (last) break;
      }
      Atomics.store(ctl, claim, 0);
      Atomics.store(ctl64, writtenBlocksWord(layout), BigInt(b + 1));
      Atomics.notify(ctl64, writtenBlocksWord(layout));
      if (!hooks) continue;
      if (heldAt === undefined && hooks.due(consumed)) {
        if (filter.bytes === 0) {
          // Without a filter nothing but the output depends on the past: any block boundary will do.
          await hooks.take(consumed, undefined, { rejected, exhausted });
          continue;
        }
        heldAt = Number(Atomics.or(ctl64, nextWord, CLAIMS_PAUSED));
      }
      if (heldAt === b + 1) {
        const view = new Uint8Array(memory.buffer, layout.filterAddr, filter.bytes);
        await hooks.take(consumed, view, { rejected, exhausted });
        heldAt = undefined;
        Atomics.and(ctl64, nextWord, ~CLAIMS_PAUSED);
        Atomics.notify(ctl64, nextWord);
      }
    }
    await Promise.all(finished);
    if (failure) throw failure;
    const filterPopulation = filter.bytes > 0 ? Number(populationOf(memory, layout, filter)) : 0;
    return { statements, bytes, rejected, exhausted, filterPopulation };
  } finally {
    options.signal?.removeEventListener("abort", onAbort);
    for (const t of threads) t.terminate();
  }
}
