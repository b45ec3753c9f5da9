/**
 * Bulk-load throughput against psql on the same server and machine: a
 * 6-column CSV of N rows (built here, in /tmp) loaded into a table with a
 * bigint primary key by `psql -c "\copy t FROM file CSV"`, and by Quarry's
 * CopyTarget (core/exec/copy.ts) streaming the same file's bytes over one
 * connection and over two (each taking half the file, as the loader
 * parallelises). Methods alternate within each round, in a rotating order,
 * with TRUNCATE between runs, so drift on a shared machine hits all alike.
 * Reported per round and as medians with their ratio to psql.
 *
 * Usage: deno task bench:copy [rows, default 2000000] [rounds, default 3]
 *
 * @module
 */
import { copyStatement, type CopyTarget, openCopyTarget } from "../core/exec/copy.ts";
import { withTempDatabase } from "../tests/_database.ts";

const rows = Number(Deno.args[0] ?? 2_000_000);
const rounds = Number(Deno.args[1] ?? 3);
const file = `/tmp/quarry_copy_bench_${rows}.csv`;
const CHUNK = 1 << 20;

/** The fixture: id, name, amount, created, flag and a note that needs CSV quoting now and then. */
async function writeFixture(): Promise<number> {
  const out = await Deno.open(file, { write: true, create: true, truncate: true });
  const enc = new TextEncoder();
  let state = 12345;
  const next = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0);
  const words = ["alpha", "beta", "gamma", "delta", "épsilon", "zeta", "eta", "θeta"];
  let text = "";
  let bytes = 0;
  try {
    for (let i = 1; i <= rows; i++) {
      const r = next();
      const day = 1 + (r % 28);
      const note = r % 5 === 0
        ? `"said ""${words[r % 8]}"", then left"`
        : `${words[(r >> 3) % 8]} ${r % 1000}`;
      text += `${i},${words[r % 8]}_${r % 100000},${(r % 1000000) / 100},2024-03-${
        String(day).padStart(2, "0")
      } 12:${String(r % 60).padStart(2, "0")}:00+00,${r % 2 === 0},${note}\n`;
      if (text.length > CHUNK) {
        const b = enc.encode(text);
        bytes += b.length;
        await writeAll(out, b);
        text = "";
      }
    }
    const b = enc.encode(text);
    bytes += b.length;
    await writeAll(out, b);
  } finally {
    out.close();
  }
  return bytes;
}

async function writeAll(f: Deno.FsFile, b: Uint8Array): Promise<void> {
  for (let at = 0; at < b.length;) at += await f.write(b.subarray(at));
}

/** The first row start at or after `at`. */
async function rowStart(at: number): Promise<number> {
  const f = await Deno.open(file);
  try {
    await f.seek(at - 1, Deno.SeekMode.Start);
    const buf = new Uint8Array(4096);
    const n = (await f.read(buf)) ?? 0;
    return at + buf.subarray(0, n).indexOf(10);
  } finally {
    f.close();
  }
}

async function psql(url: URL): Promise<void> {
  const out = await new Deno.Command("psql", {
    args: [
      "-X",
      "-q",
      "-v",
      "ON_ERROR_STOP=1",
      "-h",
      url.hostname,
      "-p",
      url.port || "5432",
      "-U",
      url.username || "postgres",
      "-d",
      url.pathname.slice(1),
      "-c",
      `\\copy t FROM '${file}' CSV`,
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) throw new Error(`psql: ${new TextDecoder().decode(out.stderr)}`);
}

/** Streams bytes [from, to) of the file into one new connection's COPY. */
async function quarryPart(url: URL, from: number, to: number): Promise<number> {
  const target = await openCopyTarget(url.href);
  const f = await Deno.open(file);
  try {
    await f.seek(from, Deno.SeekMode.Start);
    const sink = await target.copy(copyStatement({ name: "t" }, [], { format: "csv" }));
    const buf = new Uint8Array(CHUNK);
    for (let at = from; at < to;) {
      const n = await f.read(buf.subarray(0, Math.min(CHUNK, to - at)));
      if (n === null) break;
      await sink.write(buf.subarray(0, n));
      at += n;
    }
    return await sink.end();
  } finally {
    f.close();
    await target.close();
  }
}

async function count(admin: CopyTarget, url: URL): Promise<void> {
  // A COPY TO of the row count would need a reader: check through a failing statement instead.
  const o = await admin.run(
    `DO $$ BEGIN IF (SELECT count(*) FROM t) <> ${rows} THEN RAISE 'wrong count'; END IF; END $$`,
  );
  if (!o.ok) throw new Error(`${url.pathname}: ${o.message}`);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const built = performance.now();
const size = await writeFixture();
console.log(
  `fixture: ${rows} rows, ${(size / 2 ** 20).toFixed(0)} MiB in ${file} (${
    Math.round(performance.now() - built)
  } ms)`,
);

await withTempDatabase(async (text) => {
  const url = new URL(text);
  const admin = await openCopyTarget(url.href);
  try {
    const ok = async (sql: string) => {
      const o = await admin.run(sql);
      if (!o.ok) throw new Error(`${sql}: ${o.code} ${o.message}`);
    };
    await ok(
      "CREATE TABLE t (id bigint PRIMARY KEY, name text, amount numeric(12,2), created timestamptz, flag boolean, note text)",
    );
    const middle = await rowStart(Math.floor(size / 2));
    const methods: [string, () => Promise<unknown>][] = [
      ["psql \\copy", () => psql(url)],
      ["quarry, 1 connection", () => quarryPart(url, 0, size)],
      [
        "quarry, 2 connections",
        () => Promise.all([quarryPart(url, 0, middle), quarryPart(url, middle, size)]),
      ],
    ];
    const results: Record<string, number[]> = Object.fromEntries(methods.map(([m]) => [m, []]));
    for (let r = 0; r < rounds; r++) {
      const order = methods.map((_, i) => methods[(i + r) % methods.length]!);
      const line: string[] = [];
      for (const [name, load] of order) {
        await ok("TRUNCATE t");
        await ok("CHECKPOINT");
        const t0 = performance.now();
        await load();
        const rate = rows / ((performance.now() - t0) / 1000);
        await count(admin, url);
        results[name]!.push(rate);
        line.push(`${name} ${Math.round(rate)} rows/s`);
      }
      console.log(`round ${r + 1}: ${line.join(", ")}`);
    }
    const base = median(results[methods[0]![0]]!);
    console.log(`\n| loader (${rows} rows, ${rounds} rounds) | median rows/s | vs psql |`);
    console.log("|---|---|---|");
    for (const [name, xs] of Object.entries(results)) {
      console.log(`| ${name} | ${Math.round(median(xs))} | ${(median(xs) / base).toFixed(2)}× |`);
    }
  } finally {
    await admin.close();
  }
});
