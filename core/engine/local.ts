/**
 * Generation in the calling thread: one kernel instance over its own
 * memory. Used for `--at`, tests and small jobs.
 *
 * @module
 */
import type { Program } from "../compile/compile.ts";
import type { Seed } from "../seed.ts";
import { instantiate, type KernelExports, PROGRAM_BASE, SCR_TRACE, sharedMemory } from "../../wasm/mod.ts";
import { bufferAddr, type JobLayout, jobLayout } from "./job_layout.ts";
import { generationError } from "./errors.ts";
import { type FilterPlan, planNone } from "./uniqueness.ts";
import { startProgram, step } from "./step.ts";

/** Loads `program` into a fresh memory and returns a ready kernel with its layout. */
export function loadProgram(
  program: Program,
  workers: number,
  filter: FilterPlan = planNone("none"),
): { memory: WebAssembly.Memory; layout: JobLayout } {
  const layout = jobLayout(program, workers, filter.bytes);
  const memory = sharedMemory(layout.totalBytes);
  new Uint8Array(memory.buffer).set(program.image, PROGRAM_BASE);
  return { memory, layout };
}

/** Copies a checkpoint's filter snapshot into a loaded job's filter memory. */
export function restoreFilter(
  memory: WebAssembly.Memory,
  layout: JobLayout,
  filter: FilterPlan,
  state: Uint8Array,
): void {
  if (state.length !== filter.bytes) {
    throw new RangeError(
      `a filter snapshot of ${state.length} bytes cannot fill a ${filter.bytes}-byte filter`,
    );
  }
  new Uint8Array(memory.buffer, layout.filterAddr, filter.bytes).set(state);
}

/** Prepares a kernel instance for worker `w` of a loaded job. */
export function startKernel(
  kernel: KernelExports,
  program: Program,
  layout: JobLayout,
  w: number,
  seed: Seed,
  filter: FilterPlan = planNone("none"),
): void {
  startProgram(kernel, program, layout.workerAddrs[w]!);
  kernel.setSeed(seed[0], seed[1], seed[2], seed[3]);
  kernel.setFilter(filter.code, layout.filterAddr, filter.slots, filter.k, filter.maxAttempts);
}

/** A single-threaded generator. */
export class LocalGenerator {
  readonly #program: Program;
  readonly #memory: WebAssembly.Memory;
  readonly #kernel: KernelExports;
  readonly #layout: JobLayout;
  readonly #decoder = new TextDecoder();
  readonly #filterBytes: number;

  /**
   * @param filter A uniqueness filter for this generator's statements; without
   *   one, statement i is always attempt 0 of index i.
   */
  constructor(
    program: Program,
    seed: Seed,
    filter: FilterPlan = planNone("none"),
    filterState?: Uint8Array,
  ) {
    this.#program = program;
    const { memory, layout } = loadProgram(program, 1, filter);
    if (filterState) restoreFilter(memory, layout, filter, filterState);
    this.#filterBytes = filter.bytes;
    this.#memory = memory;
    this.#layout = layout;
    this.#kernel = instantiate(memory);
    startKernel(this.#kernel, program, layout, 0, seed, filter);
  }

  /** Sets the clock a row program's V_NOW op reads (milliseconds since 1970). */
  setClock(ms: number): void {
    this.#kernel.setClock(BigInt(Math.floor(ms)));
  }

  /** The filter's memory (a view of the shared memory, valid while this generator lives). */
  filterView(): Uint8Array {
    return new Uint8Array(this.#memory.buffer, this.#layout.filterAddr, this.#filterBytes);
  }

  /** Set bits (bloom) or used slots (exact) of the filter. */
  filterPopulation(): number {
    return Number(this.#kernel.filterPopulation());
  }

  /**
   * Expands statements [first, first + count) into the buffer as far as it
   * holds; returns the bytes (a view valid until the next call), how many
   * indices were consumed, how many statements the bytes hold (fewer when the
   * filter gave up on some) and how many attempts the filter rejected.
   *
   * @throws {GenerationError} when a statement fails.
   */
  chunk(
    first: bigint,
    count: number,
  ): { bytes: Uint8Array; consumed: number; emitted: number; rejected: number } {
    const buf = bufferAddr(this.#layout, 0, 0);
    const r = step(this.#kernel, this.#program, first, count, buf, this.#layout.bufferBytes);
    if (r.error !== 0) throw generationError(this.#program, r.error, r.errorIndex, r.errorPc);
    return {
      bytes: new Uint8Array(this.#memory.buffer, buf, r.length),
      consumed: r.consumed,
      emitted: r.emitted,
      rejected: r.rejected,
    };
  }

  /**
   * The grammar rules statement `index` went through, in the order it first
   * entered each (inlined rules included): what a grammar author reads to find
   * the rule behind a failing statement.
   */
  rulePath(index: bigint): string[] {
    this.#kernel.setTracing(1);
    try {
      this.chunk(index, 1);
    } finally {
      this.#kernel.setTracing(0);
    }
    const n = this.#kernel.traceLength.value as number;
    const words = new Int32Array(this.#memory.buffer, this.#layout.workerAddrs[0]! + SCR_TRACE, n);
    const path: string[] = [];
    for (const w of words) {
      const rule = this.#program.ruleAt(w);
      if (rule !== undefined && !path.includes(rule)) path.push(rule);
    }
    return path;
  }

  /** Statement `index` alone, without its `;` and newline. */
  statement(index: bigint): string {
    const { bytes } = this.chunk(index, 1);
    return this.#decoder.decode(bytes.slice(0, bytes.length - 2));
  }

  /** Statements [first, first + count) as strings (for tests and small jobs). */
  statements(first: bigint, count: number): string[] {
    const out: string[] = [];
    let i = first;
    let left = count;
    while (left > 0) {
      const { bytes, consumed, emitted } = this.chunk(i, left);
      const text = this.#decoder.decode(bytes.slice());
      out.push(...text.split(";\n").slice(0, emitted));
      i += BigInt(consumed);
      left -= consumed;
    }
    return out;
  }
}
