/**
 * Where the kernel's time goes, per opcode, per literal type and per kernel
 * function, for `dml_unique` on the default schema (or the 6-column CSV row
 * of bench/data_rows.ts with `--rows`), in one thread.
 *
 * 1. Counts: the kernel's sources are copied to a temporary folder, vm.ts and
 *    literals.ts get a counter at each dispatched opcode and each literal's
 *    type switch, and that build runs `--statements / 10` statements: VM
 *    operations and literals per statement.
 * 2. Time: the kernel is built as it ships but with its name section
 *    (`--debug` keeps names, the optimizer runs as usual), and this script
 *    runs it in a child under `perf record`, with V8's `--perf-basic-prof`
 *    naming the wasm functions: the share of samples per kernel function
 *    (inlined helpers count in their caller).
 *
 * Needs `perf` (Debian: linux-perf) for step 2, and runs as
 *   deno task bench:profile [--statements=2000000] [--rows] [--top=20]
 * The results of one run are in bench/kernel_profile.md.
 *
 * @module
 */
import * as codes from "../wasm/opcodes.ts";
import dmlUnique from "../grammars/dml_unique.ts";
import defaultSchema from "../configs/schemas/default.json" with { type: "json" };
import { compile, type Program } from "../core/compile/compile.ts";
import { schemaFromJson } from "../core/schema/parse.ts";
import { loadProgram, startKernel } from "../core/engine/local.ts";
import { bufferAddr } from "../core/engine/job_layout.ts";
import { step } from "../core/engine/step.ts";
import { instantiate } from "../wasm/kernel.ts";
import { parseSeed, type Seed } from "../core/seed.ts";
import { rowProgram } from "../core/data/row_program.ts";
import { benchSpec } from "./_quarry_rows.ts";

const ASSEMBLY = new URL("../wasm/assembly/", import.meta.url);
const seed = parseSeed("42") as Seed;

function option(name: string, fallback: string): string {
  const a = Deno.args.find((x) => x.startsWith(`--${name}=`));
  return a ? a.slice(name.length + 3) : fallback;
}
const statements = Number(option("statements", "2000000").replaceAll("_", ""));
const rows = Deno.args.includes("--rows");
const top = Number(option("top", "20"));

function target(): Program {
  if (!rows) return compile(dmlUnique, schemaFromJson(defaultSchema));
  const spec = benchSpec(statements);
  return rowProgram(spec, spec.tables[0]!, { format: "csv" });
}

/** Compiles the kernel's sources in `dir` (with names); returns the module bytes. */
async function build(dir: URL): Promise<Uint8Array> {
  // Loaded here: the child under perf needs neither.
  const { default: asc } = await import("assemblyscript/asc");
  const { ASC_FLAGS } = await import("../wasm/build.ts");
  let binary: Uint8Array | undefined;
  const { error, stderr } = await asc.main(
    [new URL("index.ts", dir).pathname, "-o", "kernel.wasm", ...ASC_FLAGS, "--debug"],
    {
      writeFile(name: string, contents: Uint8Array | string) {
        if (name.endsWith("kernel.wasm") && typeof contents !== "string") binary = contents;
      },
    },
  );
  if (error || !binary) throw new Error(`asc failed: ${error?.message}\n${stderr.toString()}`);
  return binary;
}

/** Runs `count` statements (or rows) of the program on `module`; returns seconds and bytes. */
function run(module: WebAssembly.Module, program: Program, count: number) {
  const { memory, layout } = loadProgram(program, 1);
  const k = instantiate(memory, module);
  startKernel(k, program, layout, 0, seed);
  const buf = bufferAddr(layout, 0, 0);
  let first = 0n, bytes = 0;
  const t0 = performance.now();
  for (let left = count; left > 0;) {
    const r = step(k, program, first, left, buf, layout.bufferBytes);
    if (r.error !== 0) throw new Error(`kernel error ${r.error}`);
    first += BigInt(r.consumed);
    left -= r.consumed;
    bytes += r.length;
  }
  return { seconds: (performance.now() - t0) / 1000, bytes, memory, k };
}

// The child: run the named build under perf.
const child = option("child", "");
if (child) {
  const module = new WebAssembly.Module(Deno.readFileSync(child));
  const program = target();
  run(module, program, Math.min(statements, 200_000)); // warm-up: tier-up to TurboFan
  const r = run(module, program, statements);
  console.log(JSON.stringify({ rate: statements / r.seconds, mbps: r.bytes / r.seconds / 1e6 }));
  Deno.exit(0);
}

const work = await Deno.makeTempDir({ prefix: "quarry_profile_" });
try {
  // 1. Counting build.
  const counted = new URL(`file://${work}/counted/`);
  await Deno.mkdir(counted);
  for await (const e of Deno.readDir(ASSEMBLY)) {
    let text = await Deno.readTextFile(new URL(e.name, ASSEMBLY));
    if (e.name === "vm.ts" || e.name === "literals.ts") {
      const [needle, slot] = e.name === "vm.ts"
        ? ["const op = load<i32>(pc);", "op"]
        : ["const type = load<i32>(col, COL_TYPE);", "64 + type"];
      if (!text.includes(needle)) throw new Error(`${e.name} no longer has "${needle}": update the profiler`);
      // Each op also counts the pair (previous op, op), at 1024 + 8 * (prev * 32 + op).
      const pair = e.name === "vm.ts"
        ? " { const q = PROFILE_COUNTS + 1024 + (<usize>(load<i32>(PROFILE_COUNTS + 10240) * 32 + op) << 3);" +
          " store<u64>(q, load<u64>(q) + 1); store<i32>(PROFILE_COUNTS + 10240, op); }"
        : "";
      text = `import { PROFILE_COUNTS } from "./profile_counts";\n` + text.replace(
        needle,
        `${needle} { const c = PROFILE_COUNTS + (<usize>(${slot}) << 3); store<u64>(c, load<u64>(c) + 1); }${pair}`,
      );
    }
    if (e.name === "index.ts") text += `\nexport { profileCounts } from "./profile_counts";\n`;
    await Deno.writeTextFile(new URL(e.name, counted), text);
  }
  await Deno.writeTextFile(
    new URL("profile_counts.ts", counted),
    "export const PROFILE_COUNTS = memory.data(16384, 8);\nexport function profileCounts(): usize { return PROFILE_COUNTS; }\n",
  );
  const countedModule = new WebAssembly.Module(await build(counted) as BufferSource);
  const program = target();
  const n = Math.max(1000, Math.floor(statements / 10));
  const c = run(countedModule, program, n);
  const base = (c.k as unknown as { profileCounts(): number }).profileCounts();
  const counts = new BigUint64Array(c.memory.buffer, base, 1280);
  const names = (prefix: string) =>
    Object.entries(codes).filter(([k, v]) => k.startsWith(prefix) && typeof v === "number") as [
      string,
      number,
    ][];
  const perStatement = (i: number) => Number(counts[i]!) / n;
  const unit = rows ? "row" : "statement";
  console.log(
    `# Kernel profile: ${rows ? "6-column CSV row (bench/data_rows.ts)" : "dml_unique, default schema"}`,
  );
  console.log(`\nbytes per ${unit}: ${(c.bytes / n).toFixed(1)}`);
  if (!rows) {
    const ops = names("OP_").map(([k, v]) => [k, perStatement(v)] as const).filter(([, x]) => x > 0);
    const total = ops.reduce((s, [, x]) => s + x, 0);
    console.log(`\n## VM operations per statement: ${total.toFixed(1)}\n`);
    console.log("| opcode | per statement | share |\n| --- | ---: | ---: |");
    for (const [k, x] of ops.sort((a, b) => b[1] - a[1])) {
      console.log(`| ${k} | ${x.toFixed(2)} | ${(100 * x / total).toFixed(1)}% |`);
    }
    const opName = new Map(names("OP_").map(([k, v]) => [v, k.slice(3)]));
    const pairs: [string, number][] = [];
    for (let a = 0; a < 32; a++) {
      for (let b = 0; b < 32; b++) {
        const x = Number(counts[128 + a * 32 + b]!) / n;
        if (x > 0 && opName.has(a) && opName.has(b)) pairs.push([`${opName.get(a)} → ${opName.get(b)}`, x]);
      }
    }
    console.log(`\n## Hottest op pairs (superinstruction candidates)\n`);
    console.log("| pair | per statement |\n| --- | ---: |");
    for (const [k, x] of pairs.sort((p, q) => q[1] - p[1]).slice(0, 15)) {
      console.log(`| ${k} | ${x.toFixed(2)} |`);
    }
    const lits = names("T_").map(([k, v]) => [k, perStatement(64 + v)] as const).filter(([, x]) => x > 0);
    const all = lits.reduce((s, [, x]) => s + x, 0);
    console.log(`\n## Column literals per statement: ${all.toFixed(2)}\n`);
    console.log("| type | per statement |\n| --- | ---: |");
    for (const [k, x] of lits.sort((a, b) => b[1] - a[1])) console.log(`| ${k} | ${x.toFixed(2)} |`);
  }

  // 2. Named build under perf.
  const named = `${work}/named.wasm`;
  await Deno.writeFile(named, await build(ASSEMBLY));
  const perfData = `${work}/perf.data`;
  const self = new URL(import.meta.url).pathname;
  const rec = await new Deno.Command("perf", {
    args: [
      "record",
      "-F",
      "999",
      "-o",
      perfData,
      "deno",
      "run",
      "--allow-read",
      "--allow-env",
      "--v8-flags=--perf-basic-prof",
      self,
      `--child=${named}`,
      `--statements=${statements}`,
      ...(rows ? ["--rows"] : []),
    ],
    // V8 leaves its log beside the perf map: in the temporary folder, not the checkout.
    cwd: work,
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!rec.success) throw new Error(`perf record failed:\n${new TextDecoder().decode(rec.stderr)}`);
  const rate = JSON.parse(new TextDecoder().decode(rec.stdout).trim().split("\n").pop()!);
  const rep = await new Deno.Command("perf", {
    args: ["report", "-i", perfData, "--no-children", "--sort", "symbol", "--stdio"],
    stdout: "piped",
    stderr: "null",
  }).output();
  const lines = new TextDecoder().decode(rep.stdout).split("\n");
  const entries: [number, string][] = [];
  for (const l of lines) {
    const m = /^\s+([\d.]+)%\s+\[.\]\s+(.*?)\s*(-\s+-\s*)?$/.exec(l);
    if (!m) continue;
    const name = m[2]!.replace(/^JS:/, "").replace(/-turbofan$|-liftoff$/, "").replace(
      /wasm\/assembly\//,
      "",
    );
    entries.push([Number(m[1]), name]);
  }
  console.log(
    `\n## Time per kernel function (perf, ${fmt(rate.rate)} ${unit}s/s, ${rate.mbps.toFixed(0)} MB/s ` +
      "under perf, one thread)\n",
  );
  console.log("| share | function |\n| ---: | --- |");
  for (const [p, name] of entries.slice(0, top)) console.log(`| ${p.toFixed(1)}% | ${name} |`);
} finally {
  await Deno.remove(work, { recursive: true });
}

function fmt(n: number): string {
  return n.toLocaleString("en-US", { maximumFractionDigits: 0 });
}
