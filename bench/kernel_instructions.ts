/**
 * Machine instructions per statement (or row) of a checkout's kernel, counted
 * by valgrind's callgrind: unlike timings, the count does not move with the
 * load other users put on a shared machine, so it can compare two kernels
 * to a percent. Branch mispredictions and cache misses are not in it: confirm
 * a gain with bench/kernel_ab.ts or `deno task bench:report`.
 *
 * Each measurement is a child under callgrind with instrumentation off while
 * Deno starts and the kernel warms up (tiers up to TurboFan), switched on with
 * `callgrind_control` around the measured statements only.
 *
 * Usage (Debian: valgrind):
 *   deno run -A bench/kernel_instructions.ts [--baseline=DIR] [--count=50000]
 *
 * @module
 */
const self = new URL(import.meta.url).pathname;
const here = new URL("../", import.meta.url).pathname;
const kinds = ["statements", "bloom", "rows"] as const;

if (Deno.args[0] === "--child") {
  const [, root, kind, countText] = Deno.args as [string, string, string, string];
  const at = (p: string) => new URL(p, `file://${root}/`).href;
  const [
    { default: dml },
    schema,
    { compile },
    { schemaFromJson },
    { LocalGenerator },
    u,
    { parseSeed },
    q,
    rp,
  ] = await Promise.all([
    import(at("grammars/dml_unique.ts")),
    import(at("configs/schemas/default.json"), { with: { type: "json" } }),
    import(at("core/compile/compile.ts")),
    import(at("core/schema/parse.ts")),
    import(at("core/engine/local.ts")),
    import(at("core/engine/uniqueness.ts")),
    import(at("core/seed.ts")),
    import(at("bench/_quarry_rows.ts")),
    import(at("core/data/row_program.ts")),
  ]);
  let gen;
  if (kind === "rows") {
    const spec = q.benchSpec(100_000_000);
    gen = new LocalGenerator(rp.rowProgram(spec, spec.tables[0], { format: "csv" }), spec.seed);
  } else {
    const filter = kind === "bloom" ? u.planBloom(2_000_000, 1e-5) : u.planNone("none");
    gen = new LocalGenerator(compile(dml, schemaFromJson(schema.default)), parseSeed("42"), filter);
  }
  let first = 0n;
  const go = (count: number) => {
    for (let left = count; left > 0;) {
      const c = gen.chunk(first, left);
      first += BigInt(c.consumed);
      left -= c.consumed;
    }
  };
  go(30_000);
  const ctl = (a: string) =>
    new Deno.Command("callgrind_control", { args: [a, String(Deno.pid)], stdout: "null", stderr: "null" })
      .outputSync();
  ctl("--instr=on");
  go(Number(countText));
  ctl("--instr=off");
  Deno.exit(0);
}

function option(name: string, fallback: string): string {
  const a = Deno.args.find((x) => x.startsWith(`--${name}=`));
  return a ? a.slice(name.length + 3) : fallback;
}
const count = Number(option("count", "50000"));
const roots = [...(option("baseline", "") ? [["baseline", option("baseline", "")]] : []), ["this", here]];

async function instructions(root: string, kind: string): Promise<number> {
  const out = await new Deno.Command("valgrind", {
    args: [
      "--tool=callgrind",
      "--instr-atstart=no",
      "--smc-check=all-non-file",
      "--callgrind-out-file=/dev/null",
      "deno",
      "run",
      "-A",
      `--config=${here}deno.json`,
      self,
      "--child",
      root,
      kind,
      String(count),
    ],
    stdout: "null",
    stderr: "piped",
  }).output();
  const m = /Collected : (\d+)/.exec(new TextDecoder().decode(out.stderr));
  if (!m) throw new Error(`callgrind gave no count:\n${new TextDecoder().decode(out.stderr)}`);
  return Number(m[1]) / count;
}

const results = await Promise.all(
  roots.flatMap(([label, root]) => kinds.map(async (k) => ({ label, k, ir: await instructions(root!, k) }))),
);
console.log(`instructions per statement (per row for rows), ${count} measured after a warm-up`);
for (const k of kinds) {
  const line = results.filter((r) => r.k === k).map((r) => `${r.label} ${r.ir.toFixed(0)}`).join("   ");
  const [b, t] = results.filter((r) => r.k === k);
  console.log(`  ${k.padEnd(11)} ${line}${t ? `   ratio ${(b!.ir / t.ir).toFixed(2)}x fewer` : ""}`);
}
