/**
 * `dataGenerator`: the data generator as a library. A spec (a TypeScript
 * object or parsed YAML) and a seed give a generator whose tables can be
 * read as records or column batches, written as files, streamed at a rate,
 * or loaded into a database. Everything goes through the same kernel as
 * `quarry data`, so the library and the CLI give the same bytes.
 *
 * @module
 */
import { formatSeed, parseSeed, randomSeed, type Seed } from "../seed.ts";
import { type CompiledSpec, type CompiledTable, compileTables, plannedTables } from "./compile.ts";
import type { RowFormat } from "./row_program.ts";
import { normalizeSpec } from "./normalize_spec.ts";
import type { DataSpec } from "./spec.ts";
import type { ColumnBatch } from "./batch.ts";
import { writeRows } from "./rows.ts";
import { LocalGenerator } from "../engine/local.ts";
import { chunkBatches } from "./columnar.ts";
import { rowProgram } from "./row_program.ts";
import { chunkCompressor, type Compression, compressionSuffix } from "./compress.ts";
import type { ParquetCompression } from "./parquet.ts";
import { writeParquetRows } from "./parquet_rows.ts";
import { loadData, type LoadOptions, type LoadReport } from "./load.ts";

/** Options of {@link dataGenerator}. */
export interface DataGeneratorOptions {
  /** A Seed, 64 hex digits or a decimal number [default: a fresh random seed]. */
  seed?: Seed | string;
  /** Rows of tables whose spec does not say [default: 1000]. */
  rows?: number;
  /** Generation threads for large tables [default: 1]. */
  workers?: number;
}

/** What {@link DataGenerator.write} writes. */
export interface WriteOptions {
  format: RowFormat | "parquet";
  /** gzip or zstd for text formats. */
  compression?: Compression;
  /** Parquet's codec [default: zstd]. */
  parquetCompression?: ParquetCompression;
  /** Files per table [default: 1]. */
  files?: number;
  /** CSV header [default: true]. */
  header?: boolean;
}

const decoder = new TextDecoder();

/**
 * A spec compiled for one seed.
 *
 * @example Records of a one-table spec
 * ```ts
 * import { dataGenerator } from "./generator.ts";
 * const gen = dataGenerator({
 *   tables: { people: { columns: {
 *     id: { method: "unique_ids", kind: "sequential" },
 *     age: { method: "integers", min: 18, max: 90 },
 *   } } },
 * }, { seed: "42" }).size(3);
 * const rows = [];
 * for await (const r of gen.records()) rows.push(r);
 * if (rows.length !== 3 || rows[0]!.id !== 1) throw new Error(JSON.stringify(rows));
 * ```
 */
export class DataGenerator {
  readonly seed: Seed;
  #compiled: CompiledSpec;
  readonly #spec: DataSpec;
  readonly #workers: number;

  constructor(spec: DataSpec, options: DataGeneratorOptions = {}) {
    this.#spec = spec;
    const seed = typeof options.seed === "string" ? parseSeed(options.seed) : options.seed ?? randomSeed();
    if (typeof seed === "string") throw new RangeError(seed);
    this.seed = seed;
    this.#workers = options.workers ?? 1;
    this.#compiled = this.#compile(options.rows ?? 1000);
  }

  #compile(rows: number, override = false): CompiledSpec {
    const normalized = normalizeSpec(this.#spec);
    const planned = plannedTables(normalized, rows).map((t) => override ? { ...t, rows } : t);
    return compileTables(planned, { locale: normalized.locale, seed: this.seed });
  }

  /** The seed as 64 hex digits. */
  get seedText(): string {
    return formatSeed(this.seed);
  }

  /** Tables in generation order (parents first), with their row counts. */
  get tables(): { name: string; rows: bigint }[] {
    return this.#compiled.tables.map((t) => ({ name: t.name, rows: t.rows }));
  }

  /** Sets the rows of tables whose spec does not say (of a one-table spec: its rows). */
  size(rows: number): this {
    this.#compiled = this.#compile(rows, Object.keys(this.#spec.tables).length === 1);
    return this;
  }

  #table(name?: string): CompiledTable {
    const tables = this.#compiled.tables;
    const t = name === undefined ? tables[tables.length - 1] : tables.find((x) => x.name === name);
    if (!t) throw new RangeError(`no table "${name}" (tables: ${tables.map((x) => x.name).join(", ")})`);
    return t;
  }

  /**
   * The rows of a table as plain objects (the last table when unnamed): for
   * tests and small jobs; large jobs want {@link batches} or {@link write}.
   */
  async *records(table?: string): AsyncGenerator<Record<string, unknown>> {
    for (const bytes of this.#chunks(this.#table(table), "ndjson")) {
      for (const line of decoder.decode(bytes).split("\n")) if (line) yield JSON.parse(line);
    }
  }

  /** A table's rows in `format`, chunk by chunk in the calling thread (each view valid until the next). */
  *#chunks(t: CompiledTable, format: RowFormat): Generator<Uint8Array> {
    const gen = new LocalGenerator(rowProgram(this.#compiled, t, { format }), this.seed);
    for (let at = 0n; at < t.rows;) {
      const { bytes, consumed } = gen.chunk(at, Number(t.rows - at > 65536n ? 65536n : t.rows - at));
      at += BigInt(consumed);
      yield bytes;
    }
  }

  /**
   * The rows of a table as column batches (Arrow layout), as the kernel writes
   * them, one chunk at a time in the calling thread.
   */
  async *batches(table?: string): AsyncGenerator<ColumnBatch[]> {
    const t = this.#table(table);
    for (const bytes of this.#chunks(t, "columns")) yield chunkBatches(t, bytes);
  }

  /**
   * Records at a rate: `minRate`..`maxRate` rows a second (each second's
   * rate drawn in between), each with `_created_at`, the wall-clock time it
   * was released, until the table's rows are out or the signal aborts.
   *
   * @example Ten records a second
   * ```ts
   * import { dataGenerator } from "./generator.ts";
   * const gen = dataGenerator({ tables: { t: { rows: 3, columns: { n: { method: "integers", min: 1, max: 9 } } } } });
   * for await (const r of gen.stream({ minRate: 10 })) {
   *   if (typeof r._created_at !== "string" || typeof r.n !== "number") throw new Error();
   * }
   * ```
   */
  async *stream(
    options: { minRate: number; maxRate?: number; table?: string; signal?: AbortSignal },
  ): AsyncGenerator<Record<string, unknown>> {
    const max = options.maxRate ?? options.minRate;
    if (!(options.minRate > 0) || max < options.minRate) {
      throw new RangeError("minRate must be > 0 and <= maxRate");
    }
    const began = performance.now();
    let released = 0;
    let second = -1;
    let rate = options.minRate;
    for await (const r of this.records(options.table)) {
      if (options.signal?.aborted) return;
      const now = performance.now();
      const s = Math.floor((now - began) / 1000);
      if (s !== second) {
        second = s;
        rate = options.minRate + Math.random() * (max - options.minRate);
        released = 0;
      }
      const due = began + s * 1000 + (released / rate) * 1000;
      if (due > now) await new Promise((resolve) => setTimeout(resolve, due - now));
      released++;
      yield { ...r, _created_at: new Date().toISOString() };
    }
  }

  /**
   * Files for every table: `save(folder)` writes folder/TABLE.EXT (or
   * folder/TABLE/part-N.EXT), each under a temporary name renamed when
   * complete. Requires `--allow-write` for the folder.
   *
   * @example Two zstd-compressed NDJSON files per table
   * ```ts
   * import { dataGenerator } from "./generator.ts";
   * const dir = await Deno.makeTempDir();
   * const paths = await dataGenerator({
   *   tables: { t: { rows: 10, columns: { id: { method: "unique_ids", kind: "sequential" } } } },
   * }, { seed: "1" }).write({ format: "ndjson", compression: "zstd", files: 2 }).save(dir);
   * if (paths.length !== 2 || !paths[0]!.endsWith("t/part-00000.ndjson.zst")) throw new Error(paths.join());
   * await Deno.remove(dir, { recursive: true });
   * ```
   */
  write(options: WriteOptions): { save(folder: string): Promise<string[]> } {
    return { save: (folder) => this.#save(folder, options) };
  }

  async #save(folder: string, options: WriteOptions): Promise<string[]> {
    const parts = Math.max(1, options.files ?? 1);
    const ext = (options.format === "copy" ? "copy" : options.format) +
      (options.format === "parquet" ? "" : compressionSuffix(options.compression ?? "none"));
    const paths: string[] = [];
    await Deno.mkdir(folder, { recursive: true });
    for (const t of this.#compiled.tables) {
      if (parts > 1) await Deno.mkdir(`${folder}/${t.name}`, { recursive: true });
      for (let p = 0; p < parts; p++) {
        const path = parts > 1
          ? `${folder}/${t.name}/part-${String(p).padStart(5, "0")}.${ext}`
          : `${folder}/${t.name}.${ext}`;
        const temp = `${path}.quarry-${crypto.randomUUID().slice(0, 8)}.tmp`;
        const file = await Deno.open(temp, { write: true, createNew: true });
        const start = (t.rows * BigInt(p)) / BigInt(parts);
        const count = (t.rows * BigInt(p + 1)) / BigInt(parts) - start;
        try {
          if (options.format === "parquet") {
            await writeParquetRows(this.#compiled, t, {
              compression: options.parquetCompression ?? "zstd",
              start,
              count,
              workers: this.#workers,
              sink: file,
            });
          } else {
            const pack = chunkCompressor(options.compression ?? "none");
            await writeRows(this.#compiled, t, {
              format: options.format,
              start,
              count,
              workers: this.#workers,
              ...(options.header === false ? { header: false } : {}),
              write: async (b) => {
                const bytes = pack(b);
                for (let off = 0; off < bytes.length;) off += await file.write(bytes.subarray(off));
              },
            });
          }
          file.close();
          await Deno.rename(temp, path);
        } catch (e) {
          try {
            file.close();
          } catch { /* closed */ }
          await Deno.remove(temp).catch(() => {});
          throw e;
        }
        paths.push(path);
      }
    }
    return paths;
  }

  /** Creates the tables in a database and COPYs the rows in (see core/data/load.ts). */
  load(db: string, options: Omit<LoadOptions, "db"> = {}): Promise<LoadReport> {
    return loadData(this.#compiled, { ...options, db });
  }
}

/**
 * A data generator for `spec` and a seed.
 *
 * @throws {SpecError} when the spec is invalid (every problem listed).
 *
 * @example Orders that always reference a customer
 * ```ts
 * import { dataGenerator } from "./generator.ts";
 * const gen = dataGenerator({
 *   tables: {
 *     customers: { rows: 5, primary_key: ["id"], columns: { id: { method: "unique_ids", kind: "sequential" } } },
 *     orders: {
 *       columns: {
 *         customer_id: { method: "reference", table: "customers", column: "id", per_parent: { exactly: 2 } },
 *         total: { method: "floats", min: 5, max: 90, round: 2 },
 *       },
 *     },
 *   },
 * }, { seed: "42" });
 * const ids = [];
 * for await (const o of gen.records("orders")) ids.push(o.customer_id);
 * if (ids.join() !== "1,1,2,2,3,3,4,4,5,5") throw new Error(ids.join());
 * ```
 */
export function dataGenerator(spec: DataSpec, options: DataGeneratorOptions = {}): DataGenerator {
  return new DataGenerator(spec, options);
}
