import { deepStrictEqual, ok } from "node:assert/strict";
import * as layout from "./layout.ts";
import * as opcodes from "./opcodes.ts";
import * as valueOps from "./value_ops.ts";
import { instantiate, kernelModule, sharedMemory } from "./kernel.ts";
import { SOURCE_DIGEST } from "./kernel_wasm.ts";
import { sourceDigest } from "./_source_digest.ts";

Deno.test("every layout and opcode constant agrees with the module's exports", () => {
  const memory = sharedMemory(1 << 20);
  const exports = new WebAssembly.Instance(kernelModule(), { env: { memory, abort() {} } }).exports;
  const fromModule: Record<string, number> = {};
  for (const [name, value] of Object.entries(exports)) {
    if (/^[A-Z][A-Z0-9_]+$/.test(name) && value instanceof WebAssembly.Global) fromModule[name] = value.value;
  }
  const mirrored = { ...layout, ...opcodes, ...valueOps } as Record<string, number>;
  deepStrictEqual(Object.keys(mirrored).sort(), Object.keys(fromModule).sort());
  for (const [name, value] of Object.entries(mirrored)) {
    deepStrictEqual([name, value], [name, fromModule[name]]);
  }
});

Deno.test("the module's static data ends below PROGRAM_BASE", () => {
  const k = instantiate(sharedMemory(1 << 20));
  ok(k.staticEnd() <= layout.PROGRAM_BASE, `static data ends at ${k.staticEnd()}`);
});

Deno.test("the embedded module was built from the current AssemblyScript sources", async () => {
  deepStrictEqual(
    await sourceDigest(),
    SOURCE_DIGEST,
    "wasm/assembly changed since the last build: run `deno task wasm:build`",
  );
});

Deno.test("scratch regions fit in SCRATCH_BYTES", () => {
  ok(layout.SCR_END <= layout.SCRATCH_BYTES);
  ok(layout.SCR_LISTS + layout.LIST_SLOTS * (1 + layout.MAX_LIST) * 4 <= layout.SCR_END);
  ok(layout.SCR_LOOPS + layout.MAX_LOOPS * 16 <= layout.SCR_TABLES);
  ok(layout.SCR_CALLS + layout.MAX_CALL_DEPTH * 4 <= layout.SCR_LOOPS);
});
