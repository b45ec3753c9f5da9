/**
 * A generation worker: instantiates the kernel over the job's shared memory,
 * claims blocks of statements from a shared counter and fills its buffers
 * with them in order, waiting (Atomics.wait) whenever all its buffers are full.
 *
 * @module
 */
import { instantiate } from "../../wasm/kernel.ts";
import {
  BLOCK_RING,
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
import { startProgram, step } from "./step.ts";
import { SLOT_FULL, type WorkerJob, type WorkerReply } from "./protocol.ts";

function run(job: WorkerJob): void {
  const k = instantiate(job.memory, job.module);
  const { layout, worker, program } = job;
  startProgram(k, program, layout.workerAddrs[worker]!);
  k.setSeed(...job.seed);
  k.setFilter(job.filter.code, layout.filterAddr, job.filter.slots, job.filter.k, job.filter.maxAttempts);
  const ctl = new Int32Array(job.memory.buffer);
  const ctl64 = new BigInt64Array(job.memory.buffer);
  const blocks = Math.ceil(job.count / job.blockSize);
  const written = writtenBlocksWord(layout);
  let slot = 0;
  for (;;) {
    const b = claim(ctl64, nextBlockWord(layout), blocks);
    if (b < 0) return;
    // The claim entry is reused every BLOCK_RING blocks: wait until the
    // block that used it last has been written out.
    for (let done = Atomics.load(ctl64, written); done <= BigInt(b - BLOCK_RING);) {
      Atomics.wait(ctl64, written, done);
      done = Atomics.load(ctl64, written);
    }
    Atomics.store(ctl, claimWord(layout, b), worker + 1);
    Atomics.notify(ctl, claimWord(layout, b));
    let first = job.start + BigInt(b * job.blockSize);
    let left = Math.min(job.blockSize, job.count - b * job.blockSize);
    for (;;) {
      const base = controlWord(layout, worker, slot);
      Atomics.wait(ctl, base + CTL_STATE, SLOT_FULL);
      const r = step(k, program, first, left, bufferAddr(layout, worker, slot), layout.bufferBytes);
      const err = r.error;
      left -= r.consumed;
      first += BigInt(r.consumed);
      ctl[base + CTL_LENGTH] = r.length;
      ctl[base + CTL_COUNT] = r.consumed;
      ctl[base + CTL_EMITTED] = r.emitted;
      ctl[base + CTL_REJECTED] = r.rejected;
      ctl[base + CTL_ERROR] = err;
      ctl[base + CTL_ERROR_PC] = r.errorPc;
      ctl[base + CTL_LAST] = left === 0 || err !== 0 ? 1 : 0;
      Atomics.store(ctl, base + CTL_STATE, SLOT_FULL);
      Atomics.notify(ctl, base + CTL_STATE);
      slot = (slot + 1) % BUFFERS_PER_WORKER;
      if (err !== 0) return;
      if (left === 0) break;
    }
  }
}

/**
 * Claims the next block, -1 when none is left: a faster worker simply claims
 * more of them. While the main thread holds claims (CLAIMS_PAUSED, at a
 * checkpoint of a filtered run) it waits.
 */
function claim(ctl64: BigInt64Array, next: number, blocks: number): number {
  for (;;) {
    const v = Atomics.load(ctl64, next);
    if ((v & CLAIMS_PAUSED) !== 0n) {
      Atomics.wait(ctl64, next, v);
      continue;
    }
    if (v >= BigInt(blocks)) return -1;
    if (Atomics.compareExchange(ctl64, next, v, v + 1n) === v) return Number(v);
  }
}

/** Makes this thread a generation worker: it runs the job it is sent, then replies. */
export function serveGenerationJobs(): void {
  // Typed here rather than through lib.deno.worker, which would retype the
  // main thread's globals for every module that imports this one.
  const scope = self as unknown as {
    onmessage: ((e: MessageEvent<WorkerJob>) => void) | null;
    postMessage(reply: WorkerReply): void;
  };
  scope.onmessage = (e: MessageEvent<WorkerJob>) => {
    let reply: WorkerReply = { done: true };
    try {
      run(e.data);
    } catch (err) {
      reply = { done: false, error: err instanceof Error ? err.stack ?? err.message : String(err) };
    }
    scope.postMessage(reply);
  };
}

/** Whether this code runs inside a Web Worker rather than the main thread. */
export function inWorker(): boolean {
  const scope = (globalThis as { WorkerGlobalScope?: new () => unknown }).WorkerGlobalScope;
  return scope !== undefined && globalThis instanceof scope;
}
