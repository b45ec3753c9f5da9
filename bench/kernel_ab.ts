/**
 * This checkout's kernel against another checkout's (e.g. a git worktree of
 * main), side by side in one process, one thread: `dml_unique` statements
 * (none and bloom) and the 6-column CSV row of bench/data_rows.ts. Rounds
 * alternate the two in turn, so a shared machine's drift hits both alike.
 * Each figure is the best round. Besides wall-clock rates it reports rates per CPU-second of this process
 * (`process.cpuUsage`), which other users' load disturbs far less.
 *
 * Usage:
 *   git worktree add --detach /tmp/quarry-main main
 *   deno run --allow-read --allow-env bench/kernel_ab.ts --baseline=/tmp/quarry-main [--rounds=5]
 *
 * @module
 */
import process from "node:process";

interface Side {
  label: string;
  statements(
    filter: boolean,
  ): (first: bigint, count: number) => { consumed: number; bytes: { length: number } };
  rows(): (first: bigint, count: number) => { consumed: number; bytes: { length: number } };
}

async function side(label: string, root: URL): Promise<Side> {
  const at = (p: string) => new URL(p, root).href;
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
  const seed = parseSeed("42");
  const program = compile(dml, schemaFromJson(schema.default));
  const bloom = u.planBloom(2_000_000, 1e-5);
  return {
    label,
    statements(filter) {
      const gen = new LocalGenerator(program, seed, filter ? bloom : u.planNone("none"));
      return (first, count) => gen.chunk(first, count);
    },
    rows() {
      const spec = q.benchSpec(100_000_000);
      const gen = new LocalGenerator(rp.rowProgram(spec, spec.tables[0], { format: "csv" }), spec.seed);
      return (first, count) => gen.chunk(first, count);
    },
  };
}

function option(name: string, fallback: string): string {
  const a = Deno.args.find((x) => x.startsWith(`--${name}=`));
  return a ? a.slice(name.length + 3) : fallback;
}

const baseline = option("baseline", "");
if (!baseline) {
  console.error("usage: bench/kernel_ab.ts --baseline=DIR [--rounds=5] [--count=1000000]");
  Deno.exit(2);
}
const rounds = Number(option("rounds", "5"));
const count = Number(option("count", "1000000"));
const sides = [
  await side("baseline", new URL(`file://${baseline.replace(/\/?$/, "/")}`)),
  await side("this", new URL("../", import.meta.url)),
];

type Case = "statements" | "statements, --unique bloom" | "CSV rows (6 columns)";
const cases: Case[] = ["statements", "statements, --unique bloom", "CSV rows (6 columns)"];
const results = new Map<string, { wall: number[]; cpu: number[]; bytes: number }>();

function once(s: Side, c: Case, n: number) {
  const chunk = c === "CSV rows (6 columns)" ? s.rows() : s.statements(c !== "statements");
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let first = 0n, bytes = 0;
  for (let left = n; left > 0;) {
    const r = chunk(first, left);
    first += BigInt(r.consumed);
    left -= r.consumed;
    bytes += r.bytes.length;
  }
  const wall = (performance.now() - t0) / 1000;
  const used = process.cpuUsage(cpu0);
  return { wall: n / wall, cpu: n / ((used.user + used.system) / 1e6), bytes: bytes / n };
}

for (const s of sides) for (const c of cases) once(s, c, Math.floor(count / 5)); // warm-up
for (let r = 0; r < rounds; r++) {
  for (let i = 0; i < sides.length; i++) {
    const s = sides[(i + r) % sides.length]!;
    for (const c of cases) {
      const x = once(s, c, count);
      const key = `${s.label}\t${c}`;
      const e = results.get(key) ?? { wall: [], cpu: [], bytes: x.bytes };
      e.wall.push(x.wall);
      e.cpu.push(x.cpu);
      results.set(key, e);
    }
  }
}

// The best round: what the code can do when the shared machine let it run.
const median = (xs: number[]) => Math.max(...xs);
const fmt = (n: number) => n.toLocaleString("en-US", { maximumFractionDigits: 0 });
console.log(`one thread, ${rounds} rounds of ${fmt(count)}, best round; load ${Deno.loadavg().join(" ")}`);
for (const c of cases) {
  const [b, t] = sides.map((s) => results.get(`${s.label}\t${c}`)!);
  console.log(`\n${c} (${t!.bytes.toFixed(0)} bytes each)`);
  for (const [s, e] of [["baseline", b!], ["this", t!]] as const) {
    console.log(
      `  ${s.padEnd(9)} ${fmt(median(e.wall)).padStart(11)}/s wall  ${
        fmt(median(e.cpu)).padStart(11)
      }/s per CPU-s` +
        `  ${(median(e.cpu) * e.bytes / 1e6).toFixed(0).padStart(5)} MB per CPU-s`,
    );
  }
  console.log(
    `  ratio     ${(median(t!.wall) / median(b!.wall)).toFixed(2)}x wall, ${
      (median(t!.cpu) / median(b!.cpu)).toFixed(2)
    }x per CPU-s`,
  );
}
