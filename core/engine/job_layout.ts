/**
 * Where one generation job puts its program, control words and worker
 * regions in the shared memory (the map is drawn in wasm/assembly/layout.ts).
 *
 * @module
 */
import type { Program } from "../compile/compile.ts";
import { JobTooLargeError } from "./errors.ts";
import {
  BLOCK_RING,
  BUFFERS_PER_WORKER,
  CONTROL_HEADER_BYTES,
  CONTROL_SLOT_WORDS,
  PROGRAM_BASE,
  SCRATCH_BYTES,
} from "../../wasm/layout.ts";

/** Addresses of one job. */
export interface JobLayout {
  workers: number;
  /** Start of the uniqueness filter (0 bytes when none). */
  filterAddr: number;
  filterBytes: number;
  controlAddr: number;
  bufferBytes: number;
  workerAddrs: number[];
  totalBytes: number;
}

const align = (n: number, a: number) => Math.ceil(n / a) * a;

/** The module's maximum memory: 65536 pages of 64 KiB. */
const MAX_MEMORY_BYTES = 65536 * 65536;

/** The addresses for `workers` workers running `program`. */
export function jobLayout(program: Program, workers: number, filterBytes = 0): JobLayout {
  const controlAddr = align(PROGRAM_BASE + program.image.length, 64);
  const controlBytes = CONTROL_HEADER_BYTES + workers * BUFFERS_PER_WORKER * CONTROL_SLOT_WORDS * 4;
  // A buffer holds at least two of the largest statements (one is the minimum).
  const bufferBytes = align(Math.max(2 << 20, 2 * (program.maxStatementBytes + 2)), 65536);
  const perWorker = SCRATCH_BYTES + BUFFERS_PER_WORKER * bufferBytes;
  let at = align(controlAddr + controlBytes, 65536);
  const workerAddrs: number[] = [];
  for (let w = 0; w < workers; w++) {
    workerAddrs.push(at);
    at += perWorker;
  }
  const filterAddr = at;
  at = align(at + filterBytes, 65536);
  if (at > MAX_MEMORY_BYTES) {
    throw new JobTooLargeError(
      `${workers} workers with ${BUFFERS_PER_WORKER} buffers of ${bufferBytes >> 20} MiB (grammar ` +
        `"${program.grammar}" allows ${program.maxStatementBytes}-byte statements) need ${
          Math.ceil(at / 2 ** 20)
        } ` +
        "MiB of shared memory, over WebAssembly's 4 GiB; use fewer --workers or a smaller maxStatementBytes",
    );
  }
  return { workers, filterAddr, filterBytes, controlAddr, bufferBytes, workerAddrs, totalBytes: at };
}

/** Address of worker `w`'s output buffer `slot`. */
export function bufferAddr(layout: JobLayout, w: number, slot: number): number {
  return layout.workerAddrs[w]! + SCRATCH_BYTES + slot * layout.bufferBytes;
}

/** Index (in i32 words) of worker `w`'s control slot `slot`. */
export function controlWord(layout: JobLayout, w: number, slot: number): number {
  return ((layout.controlAddr + CONTROL_HEADER_BYTES) >> 2) +
    (w * BUFFERS_PER_WORKER + slot) * CONTROL_SLOT_WORDS;
}

/**
 * Set in the next-block counter to hold the workers at a block boundary: a
 * worker claims by compare-and-swap and never past a set bit, so the counter's
 * value when the bit went on is exactly the number of blocks claimed (the
 * checkpoint barrier of a run with a uniqueness filter).
 */
export const CLAIMS_PAUSED = 1n << 62n;

/** Index (in i64 words) of the next-block counter. */
export function nextBlockWord(layout: JobLayout): number {
  return layout.controlAddr >> 3;
}

/** Index (in i64 words) of the count of blocks written out. */
export function writtenBlocksWord(layout: JobLayout): number {
  return (layout.controlAddr >> 3) + 1;
}

/** Index (in i32 words) of the claim entry for block `b`. */
export function claimWord(layout: JobLayout, b: number): number {
  return ((layout.controlAddr + 16) >> 2) + (b % BLOCK_RING);
}
