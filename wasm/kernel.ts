/**
 * The private facade over the compiled kernel: compiles the module once per
 * thread and instantiates it over a shared memory. Everything the rest of
 * Quarry knows about the module's exports is typed here.
 *
 * @module
 */
import { KERNEL_BASE64 } from "./kernel_wasm.ts";
import { decodeBase64 } from "./_encoding.ts";

/** The kernel's exported functions (numbers and addresses only). */
export interface KernelExports {
  init(code: number, pool: number, scratch: number, start: number, maxDepth: number): void;
  expand(first: bigint, count: number, buf: number, cap: number, maxStatement: number): number;
  setSeed(a: bigint, b: bigint, c: bigint, d: bigint): void;
  setState(a: bigint, b: bigint, c: bigint, d: bigint): void;
  getState(i: number): bigint;
  jump(): void;
  longJump(): void;
  mix64(z: bigint): bigint;
  rngNext(): bigint;
  rngFill(dst: number, count: number): void;
  rngSeedStatement(index: bigint): void;
  unique(index: bigint, n: number): bigint;
  staticEnd(): number;
  murmur3(ptr: number, len: number, seed: bigint): bigint;
  setFilter(mode: number, at: number, count: number, k: number, attempts: number): void;
  filterPopulation(): bigint;
  setTracing(on: number): void;
  initRows(table: number, scratch: number): void;
  expandRows(first: bigint, count: number, buf: number, cap: number, maxRow: number): number;
  countRows(table: number): bigint;
  setClock(ms: bigint): void;
  setOutputMask(lo: bigint, hi: bigint): void;
  rowsLength: WebAssembly.Global;
  rowsError: WebAssembly.Global;
  rowsErrorIndex: WebAssembly.Global;
  traceLength: WebAssembly.Global;
  lastEmitted: WebAssembly.Global;
  lastRejected: WebAssembly.Global;
  hashHigh: WebAssembly.Global;
  lastLength: WebAssembly.Global;
  lastError: WebAssembly.Global;
  errorIndex: WebAssembly.Global;
  errorPc: WebAssembly.Global;
  [name: string]: unknown;
}

let compiled: WebAssembly.Module | undefined;

/** The compiled kernel module (compiled on first use, then cached). */
export function kernelModule(): WebAssembly.Module {
  compiled ??= new WebAssembly.Module(decodeBase64(KERNEL_BASE64) as BufferSource);
  return compiled;
}

/** Pages of 64 KiB needed to hold `bytes`. */
export function pagesFor(bytes: number): number {
  return Math.ceil(bytes / 65536);
}

/** Makes a shared memory of at least `bytes`, growable to the module's 4 GiB limit. */
export function sharedMemory(bytes: number): WebAssembly.Memory {
  return new WebAssembly.Memory({ initial: pagesFor(bytes), maximum: 65536, shared: true });
}

/** Instantiates the kernel over `memory` (synchronous; the module is small). */
export function instantiate(memory: WebAssembly.Memory, module = kernelModule()): KernelExports {
  const instance = new WebAssembly.Instance(module, {
    env: {
      memory,
      abort() {
        throw new Error("kernel abort");
      },
    },
  });
  return instance.exports as unknown as KernelExports;
}
