/**
 * Messages between the main thread and generation workers. Statements never
 * travel as messages: workers write them to their buffers in the shared
 * memory and flip control words with Atomics (see wasm/assembly/layout.ts).
 *
 * @module
 */
import type { JobLayout } from "./job_layout.ts";
import type { FilterPlan } from "./uniqueness.ts";

/** What a worker needs to run its share of a job. */
export interface WorkerJob {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  layout: JobLayout;
  worker: number;
  program: {
    codeAddr: number;
    poolAddr: number;
    startWord: number;
    maxDepth: number;
    maxStatementBytes: number;
    /** A data table's row program (core/values/) rather than a grammar. */
    rows: boolean;
  };
  seed: readonly [bigint, bigint, bigint, bigint];
  filter: FilterPlan;
  start: bigint;
  count: number;
  blockSize: number;
}

/** A worker's last word. */
export type WorkerReply = { done: true } | { done: false; error: string };

/** Control slot states. */
export const SLOT_EMPTY = 0;
export const SLOT_FULL = 1;
