/**
 * Throughput of core/data/parquet.ts alone: 1,000,000 rows of six columns
 * (uuid, full name, email, int32, decimal(10,2), date), built in plain TS
 * before the clock starts and handed over in batches of 65,536 rows, written
 * with each codec to a sink that only counts bytes. Prints, for the median
 * run, rows per second of wall time and per second of the process's CPU time
 * (so that other work on a shared machine does not count), output MB/s and
 * the file size, and the peak WebAssembly memory.
 *
 * Usage: `deno task bench:parquet [rows] [runs] [batch rows] [row-group rows]`
 * (needs no permission).
 *
 * @module
 */
import type { ColumnBatch } from "../core/data/batch.ts";
import { type ParquetColumn, type ParquetCompression, ParquetWriter } from "../core/data/parquet.ts";
import { wasmMemory } from "parquet-wasm";
import process from "node:process";

const ROWS = Number(Deno.args[0] ?? 1_000_000);
const RUNS = Number(Deno.args[1] ?? 3);
const BATCH = Number(Deno.args[2] ?? 65_536);
const GROUP = Deno.args[3] === undefined ? undefined : Number(Deno.args[3]);

const COLUMNS: ParquetColumn[] = [
  { name: "id", type: { kind: "uuid" }, nullable: false },
  { name: "full_name", type: { kind: "utf8" }, nullable: false },
  { name: "email", type: { kind: "utf8" }, nullable: true },
  { name: "age", type: { kind: "int32" }, nullable: false },
  { name: "balance", type: { kind: "decimal", precision: 10, scale: 2 }, nullable: false },
  { name: "born", type: { kind: "date" }, nullable: false },
];

const FIRST =
  "James Mary John Patricia Robert Jennifer Michael Linda David Elizabeth William Barbara Richard Susan Joseph Jessica Thomas Sarah Chloé Zoë José Łukasz Søren Jürgen Ana Noah Olivia Liam Emma Mateo"
    .split(" ");
const LAST =
  "Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Müller Núñez Østergaard Kowalski O'Brien Nguyen Kim Rossi Dubois Silva"
    .split(" ");

/** xorshift32: the bench's data is fixed by its seed. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
}

const utf8 = new TextEncoder();
const firstBytes = FIRST.map((s) => utf8.encode(s));
const lastBytes = LAST.map((s) => utf8.encode(s));
const firstAscii = FIRST.map((s) =>
  utf8.encode(s.normalize("NFD").replace(/[^\x20-\x7e]/g, "").toLowerCase())
);
const lastAscii = LAST.map((s) => utf8.encode(s.normalize("NFD").replace(/[^a-zA-Z]/g, "").toLowerCase()));
const domain = utf8.encode("@example.com");

function text(
  name: string,
  length: number,
  write: (out: Uint8Array, at: number, i: number) => number,
): ColumnBatch {
  const offsets = new Int32Array(length + 1);
  let out = new Uint8Array(length * 32);
  let at = 0;
  for (let i = 0; i < length; i++) {
    if (out.length - at < 64) {
      const grown = new Uint8Array(out.length * 2);
      grown.set(out.subarray(0, at));
      out = grown;
    }
    at = write(out, at, i);
    offsets[i + 1] = at;
  }
  return { name, type: { kind: "utf8" }, length, values: out.subarray(0, at), offsets };
}

function batch(first: number, length: number): ColumnBatch[] {
  const next = rng(first + 1);
  const ids = new Uint8Array(16 * length);
  const words = new Uint32Array(ids.buffer);
  for (let i = 0; i < words.length; i++) words[i] = next();
  for (let i = 0; i < length; i++) {
    ids[16 * i + 6] = (ids[16 * i + 6]! & 0x0f) | 0x40;
    ids[16 * i + 8] = (ids[16 * i + 8]! & 0x3f) | 0x80;
  }
  const f = Uint8Array.from({ length }, () => next() % FIRST.length);
  const l = Uint8Array.from({ length }, () => next() % LAST.length);
  const names = text("full_name", length, (out, at, i) => {
    out.set(firstBytes[f[i]!]!, at);
    at += firstBytes[f[i]!]!.length;
    out[at++] = 0x20;
    out.set(lastBytes[l[i]!]!, at);
    return at + lastBytes[l[i]!]!.length;
  });
  const emails = text("email", length, (out, at, i) => {
    out.set(firstAscii[f[i]!]!, at);
    at += firstAscii[f[i]!]!.length;
    out[at++] = 0x2e;
    out.set(lastAscii[l[i]!]!, at);
    at += lastAscii[l[i]!]!.length;
    for (const c of String(first + i)) out[at++] = c.charCodeAt(0);
    out.set(domain, at);
    return at + domain.length;
  });
  // About 2% of emails are null.
  const validity = new Uint8Array(Math.ceil(length / 8)).fill(0xff);
  for (let i = 0; i < length; i++) if (next() % 50 === 0) validity[i >>> 3]! &= ~(1 << (i & 7));
  const ages = Int32Array.from({ length }, () => 18 + (next() % 73));
  const cents = BigInt64Array.from({ length }, () => BigInt((next() % 20_000_000) - 1_000_000));
  const born = Int32Array.from({ length }, () => -20_000 + (next() % 30_000));
  return [
    { name: "id", type: { kind: "uuid" }, length, values: ids },
    names,
    { ...emails, validity },
    { name: "age", type: { kind: "int32" }, length, values: new Uint8Array(ages.buffer) },
    {
      name: "balance",
      type: { kind: "decimal", precision: 10, scale: 2 },
      length,
      values: new Uint8Array(cents.buffer),
    },
    { name: "born", type: { kind: "date" }, length, values: new Uint8Array(born.buffer) },
  ];
}

const batches: ColumnBatch[][] = [];
for (let at = 0; at < ROWS; at += BATCH) batches.push(batch(at, Math.min(BATCH, ROWS - at)));
const inputBytes = batches.flat().reduce((n, c) => n + c.values.length + (c.offsets?.byteLength ?? 0), 0);

/** User + system CPU seconds of this process so far. */
function cpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

interface Run {
  seconds: number;
  cpu: number;
  bytes: number;
}

async function once(compression: ParquetCompression): Promise<Run> {
  let bytes = 0;
  const writer = new ParquetWriter(COLUMNS, {
    compression,
    sink: (b) => void (bytes += b.length),
    ...(GROUP === undefined ? {} : { rowGroupRows: GROUP }),
  });
  const cpu = cpuSeconds();
  const began = performance.now();
  for (const b of batches) await writer.writeBatch(b);
  await writer.finish();
  return { seconds: (performance.now() - began) / 1000, cpu: cpuSeconds() - cpu, bytes };
}

console.log(
  `${ROWS.toLocaleString("en")} rows × ${COLUMNS.length} columns, ${(inputBytes / 1e6).toFixed(0)} MB of ` +
    `batch buffers, ${batches.length} batches of ≤ ${BATCH.toLocaleString("en")} rows, row groups of ` +
    `${(GROUP ?? 1024 * 1024).toLocaleString("en")} rows, ${RUNS} runs each`,
);
await once("snappy"); // warm-up: compile the WebAssembly and grow its memory once
for (const compression of ["none", "snappy", "zstd", "gzip"] as const) {
  const runs: Run[] = [];
  for (let r = 0; r < RUNS; r++) runs.push(await once(compression));
  const median = (key: "seconds" | "cpu") => runs.map((r) => r[key]).sort((a, b) => a - b)[runs.length >> 1]!;
  const wall = median("seconds"), cpu = median("cpu"), bytes = runs[0]!.bytes;
  console.log(
    `${compression.padEnd(6)} ${(ROWS / wall / 1e6).toFixed(2)} M rows/s wall, ` +
      `${(ROWS / cpu / 1e6).toFixed(2)} M rows/CPU-s  ${
        (bytes / wall / 1e6).toFixed(0).padStart(4)
      } MB/s out  ` +
      `file ${(bytes / 1e6).toFixed(1)} MB`,
  );
}
console.log(
  `peak WebAssembly memory ${(wasmMemory().buffer.byteLength / 1e6).toFixed(0)} MB, ` +
    `rss ${(Deno.memoryUsage().rss / 1e6).toFixed(0)} MB (the input batches included)`,
);
