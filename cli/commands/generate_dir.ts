/**
 * The files of `generate --output-dir`: statements split into
 * `part-NNNNNN.sql[.gz|.zst]` by `--rotate`, each file hashed as stored, and
 * `manifest.json` rewritten atomically whenever a file is closed. With
 * checkpoints, {@link OutputDir.commit} makes what was written durable and
 * says how far; {@link OutputDir.resume} reopens a directory at that point.
 * Requires `--allow-read --allow-write` for the directory.
 *
 * @module
 */
import { join } from "node:path";
import { gzipSync, zstdCompressSync } from "node:zlib";
import type { Hash } from "node:crypto";
import { RuntimeFailure, UsageError } from "../errors.ts";
import { syncDir, writeFileAtomic } from "../output.ts";
import { cutPoint, type Rotation } from "../../core/checkpoint/rotation.ts";
import { sha256, sha256Stream } from "../../core/checkpoint/digest.ts";
import {
  type Compression,
  type ManifestFile,
  manifestJson,
  type RunDescription,
} from "../../core/checkpoint/manifest.ts";
import type { Checkpoint, CurrentFile } from "../../core/checkpoint/checkpoint.ts";

/** The manifest's file name inside the directory. */
export const MANIFEST = "manifest.json";
/** The checkpoint's file name inside the directory. */
export const CHECKPOINT = "checkpoint.json";
const SETUP = "setup.sql";
const PART = /^part-(\d+)\.sql(\.gz|\.zst)?$/;
/** A checkpoint's filter snapshot (see generate_checkpoint.ts). */
export const SNAPSHOT = /^filter-\d+\.bin$/;
/** Compressed output is cut into members (gzip) or frames (zstd) of at most this much SQL. */
const MEMBER_BYTES = 8 << 20;
const EXTENSION: Record<Compression, string> = { none: "", gzip: ".gz", zstd: ".zst" };
const encoder = new TextEncoder();

/** How a directory is written. */
export interface DirOptions {
  dir: string;
  rotation: Rotation;
  compression: Compression;
  run: RunDescription;
  /** Fsync each file as it is closed (a later checkpoint will list it as complete). */
  durable: boolean;
}

/** The open file. */
interface Open {
  file: Deno.FsFile;
  entry: CurrentFile;
  hash: Hash;
  /** The fsyncs asked of this file so far, in order (they run off the main thread). */
  synced: Promise<void>;
}

/** What was written up to a checkpoint's boundary, and when it is on disk. */
export interface Marked {
  files: ManifestFile[];
  current: CurrentFile | null;
  /** Resolves once every byte listed is fsynced (files closed before, the current file's prefix). */
  durable: Promise<void>;
}

/** Writes the part files and the manifest of one run. */
export class OutputDir {
  readonly #o: DirOptions;
  readonly #files: ManifestFile[];
  #open: Open | undefined;
  /** Output line of the next statement, plus start. */
  #line: number;
  #setup: Checkpoint["setup"];
  /** SQL waiting to be compressed into the current member. */
  readonly #raw: Uint8Array;
  #rawLength = 0;
  /** Closed files whose fsync and close are still running. */
  #closing: Promise<void>[] = [];
  /** The first failure of an fsync or close running off the main thread. */
  #failure: unknown;

  private constructor(o: DirOptions, files: ManifestFile[], line: number, setup: Checkpoint["setup"]) {
    this.#o = o;
    this.#files = files;
    this.#line = line;
    this.#setup = setup;
    this.#raw = new Uint8Array(o.compression === "none" ? 0 : MEMBER_BYTES);
  }

  /**
   * Starts a new run in `o.dir`, creating it if needed. Refuses a directory
   * that already holds a run's files, so nothing is ever overwritten.
   *
   * @throws {UsageError} when the directory holds another run or is a file.
   * @throws {RuntimeFailure} when it cannot be created or written.
   */
  static create(o: DirOptions): OutputDir {
    try {
      Deno.mkdirSync(o.dir, { recursive: true });
    } catch (e) {
      if (e instanceof Deno.errors.AlreadyExists) {
        throw new UsageError(`--output-dir "${o.dir}" is a file, not a directory`);
      }
      throw new RuntimeFailure(`cannot create output directory "${o.dir}": ${firstLine(e)}`);
    }
    const taken = [...Deno.readDirSync(o.dir)].map((e) => e.name)
      .find((n) => n === MANIFEST || n === CHECKPOINT || n === SETUP || PART.test(n) || SNAPSHOT.test(n));
    if (taken !== undefined) {
      throw new UsageError(
        `output directory "${o.dir}" already holds a run (${taken}); nothing was overwritten`,
        `resume it with --resume ${o.dir}, or choose an empty directory`,
      );
    }
    const out = new OutputDir(o, [], Number(o.run.start), undefined);
    out.writeManifest(false);
    return out;
  }

  /**
   * Reopens `o.dir` at checkpoint `c`: checks the closed files' sizes and
   * the current file's committed prefix (size and SHA-256), truncates it to
   * that length and removes every part file written after it.
   *
   * Files named in `extra` (the checkpoint's filter snapshot) are kept too.
   *
   * @throws {RuntimeFailure} when a file is missing, short or changed.
   */
  static resume(o: DirOptions, c: Checkpoint, extra: string[] = []): OutputDir {
    const fail = (name: string, what: string) =>
      new RuntimeFailure(`cannot resume "${o.dir}": ${name} ${what}; nothing was changed`);
    const size = (name: string): number | undefined => {
      try {
        return Deno.statSync(join(o.dir, name)).size;
      } catch (e) {
        if (e instanceof Deno.errors.NotFound) return undefined;
        throw new RuntimeFailure(`cannot resume "${o.dir}": ${name}: ${firstLine(e)}`);
      }
    };
    for (const f of c.files) {
      const n = size(f.name);
      if (n === undefined) throw fail(f.name, "is missing");
      if (n !== f.bytes) throw fail(f.name, `is ${n} bytes, the checkpoint recorded ${f.bytes}`);
    }
    const out = new OutputDir(o, [...c.files], c.counters.statements + Number(o.run.start), c.setup);
    const cur = c.current;
    let prefix: Uint8Array | undefined;
    if (cur) {
      const n = size(cur.name);
      if (n === undefined) throw fail(cur.name, "is missing");
      if (n < cur.bytes) throw fail(cur.name, `is ${n} bytes, shorter than the ${cur.bytes} bytes committed`);
      prefix = readPrefix(join(o.dir, cur.name), cur.bytes);
      if (sha256(prefix) !== cur.sha256) {
        throw fail(cur.name, "does not match its checksum up to the committed length");
      }
    }
    // Nothing is changed before every check has passed, writing into the directory included.
    try {
      const probe = join(o.dir, `.quarry-probe-${Deno.pid}.tmp`);
      Deno.writeFileSync(probe, new Uint8Array());
      Deno.removeSync(probe);
      if (cur) Deno.openSync(join(o.dir, cur.name), { write: true }).close();
    } catch (e) {
      throw new RuntimeFailure(
        `cannot resume "${o.dir}": it is not writable (${firstLine(e)}); nothing was changed`,
      );
    }
    const keep = new Set([...c.files.map((f) => f.name), ...(cur ? [cur.name] : []), ...extra]);
    for (const e of Deno.readDirSync(o.dir)) {
      if (((PART.test(e.name) || SNAPSHOT.test(e.name)) && !keep.has(e.name)) || e.name.endsWith(".tmp")) {
        Deno.removeSync(join(o.dir, e.name));
      }
    }
    if (cur && prefix) {
      const file = Deno.openSync(join(o.dir, cur.name), { read: true, write: true });
      file.truncateSync(cur.bytes);
      file.seekSync(cur.bytes, Deno.SeekMode.Start);
      file.syncSync();
      const hash = sha256Stream();
      hash.update(prefix);
      out.#open = { file, entry: { ...cur }, hash, synced: Promise.resolve() };
    }
    syncDir(o.dir);
    out.writeManifest(false);
    return out;
  }

  /** Writes `--emit-setup`'s statements to setup.sql (before any part file). */
  writeSetup(text: string): void {
    const bytes = encoder.encode(text);
    writeFileAtomic(join(this.#o.dir, SETUP), bytes);
    this.#setup = { name: SETUP, bytes: bytes.length, sha256: sha256(bytes) };
  }

  /** The setup file's entry, if one was written. */
  get setup(): Checkpoint["setup"] {
    return this.#setup;
  }

  /** Appends whole statements (`statements` lines), starting new files where `--rotate` says. */
  write(bytes: Uint8Array, statements: number): void {
    let rest = bytes, n = statements;
    while (rest.length > 0) {
      const open = this.#open ?? this.#start();
      const cut = cutPoint(
        rest,
        n,
        { statements: open.entry.statements, bytes: open.entry.sqlBytes },
        this.#o.rotation,
      );
      if (!cut) {
        this.#append(open, rest, n);
        return;
      }
      this.#append(open, rest.subarray(0, cut.bytes), cut.statements);
      this.#close();
      rest = rest.subarray(cut.bytes);
      n -= cut.statements;
    }
  }

  /**
   * Marks a checkpoint's boundary: ends the compressed member and starts an
   * fsync of the current file, off the main thread (writing goes on
   * meanwhile; a file is fsynced again before it is closed). Returns the
   * files as the checkpoint records them, and when they are on disk.
   */
  mark(): Marked {
    this.#throwFailure();
    const open = this.#open;
    const closing = Promise.all(this.#closing).then(() => {});
    this.#closing = [closing];
    if (!open) return { files: [...this.#files], current: null, durable: closing };
    this.#endMember(open);
    const file = open.file, name = open.entry.name;
    open.synced = open.synced.then(() => file.sync()).catch((e) => this.#failed(name, e));
    return {
      files: [...this.#files],
      current: { ...open.entry, sha256: open.hash.copy().digest("hex") },
      durable: Promise.all([closing, open.synced]).then(() => this.#throwFailure()),
    };
  }

  /** Closes the last file, waits for every fsync and writes the complete manifest. */
  async finish(): Promise<void> {
    if (this.#open) this.#close();
    await Promise.all(this.#closing);
    this.#throwFailure();
    this.writeManifest(true, true);
  }

  /** Closes the open file without finishing the run (after a failure or a stop). */
  release(): void {
    try {
      this.#open?.file.close();
    } catch { /* already closed */ }
    this.#open = undefined;
  }

  /**
   * Rewrites manifest.json atomically (a temp file renamed over it). Only the
   * complete manifest is fsynced: while a run goes on, a resume reads the
   * checkpoint, never the manifest, so its fsync would only stall the writer.
   */
  writeManifest(complete: boolean, durable = false): void {
    const setup = this.#setup;
    const path = join(this.#o.dir, MANIFEST);
    const bytes = encoder.encode(
      manifestJson({ complete, run: this.#o.run, ...(setup ? { setup } : {}), files: this.#files }),
    );
    if (durable) return writeFileAtomic(path, bytes);
    try {
      Deno.writeFileSync(`${path}.tmp`, bytes);
      Deno.renameSync(`${path}.tmp`, path);
    } catch (e) {
      throw new RuntimeFailure(`cannot write "${path}": ${firstLine(e)}`);
    }
  }

  #failed(name: string, e: unknown): void {
    this.#failure ??= new RuntimeFailure(`cannot write "${join(this.#o.dir, name)}": ${firstLine(e)}`);
  }

  #throwFailure(): void {
    if (this.#failure !== undefined) throw this.#failure;
  }

  #start(): Open {
    const name = `part-${String(this.#files.length).padStart(6, "0")}.sql${EXTENSION[this.#o.compression]}`;
    const path = join(this.#o.dir, name);
    let file: Deno.FsFile;
    try {
      file = Deno.openSync(path, { write: true, createNew: true });
    } catch (e) {
      throw new RuntimeFailure(`cannot write "${path}": ${firstLine(e)}`);
    }
    const entry: CurrentFile = {
      name,
      first: this.#line,
      statements: 0,
      bytes: 0,
      sqlBytes: 0,
      sha256: "",
      compression: this.#o.compression,
    };
    this.#open = { file, entry, hash: sha256Stream(), synced: Promise.resolve() };
    return this.#open;
  }

  #append(open: Open, bytes: Uint8Array, statements: number): void {
    open.entry.statements += statements;
    open.entry.sqlBytes += bytes.length;
    this.#line += statements;
    if (this.#o.compression === "none") {
      this.#store(open, bytes);
      return;
    }
    // Compressed: collect a member's worth of SQL, then compress it in one call.
    for (let at = 0; at < bytes.length;) {
      const n = Math.min(bytes.length - at, this.#raw.length - this.#rawLength);
      this.#raw.set(bytes.subarray(at, at + n), this.#rawLength);
      this.#rawLength += n;
      at += n;
      if (this.#rawLength === this.#raw.length) this.#endMember(open);
    }
  }

  /** Compresses the collected SQL as one gzip member or zstd frame; concatenated ones decompress as one. */
  #endMember(open: Open): void {
    if (this.#rawLength === 0) return;
    const raw = this.#raw.subarray(0, this.#rawLength);
    const packed = this.#o.compression === "gzip" ? gzipSync(raw) : zstdCompressSync(raw);
    this.#rawLength = 0;
    this.#store(open, new Uint8Array(packed.buffer, packed.byteOffset, packed.byteLength));
  }

  #store(open: Open, bytes: Uint8Array): void {
    try {
      for (let off = 0; off < bytes.length;) off += open.file.writeSync(bytes.subarray(off));
    } catch (e) {
      throw new RuntimeFailure(`cannot write "${join(this.#o.dir, open.entry.name)}": ${firstLine(e)}`);
    }
    open.hash.update(bytes);
    open.entry.bytes += bytes.length;
  }

  #close(): void {
    const open = this.#open!;
    this.#endMember(open);
    this.#open = undefined;
    this.#files.push({ ...open.entry, sha256: open.hash.digest("hex") });
    // The fsync (with checkpoints, which will list this file as complete) and the close run off the main
    // thread, after any fsync a checkpoint asked for; the next checkpoint waits for them.
    const { file, entry } = open;
    const durable = this.#o.durable;
    this.#closing.push(
      open.synced.then(async () => {
        if (durable) await file.sync();
      }).catch((e) => this.#failed(entry.name, e)).finally(() => {
        try {
          file.close();
        } catch { /* closed by release() */ }
      }),
    );
    this.writeManifest(false);
  }
}

/** The first `length` bytes of a file. */
function readPrefix(path: string, length: number): Uint8Array {
  const out = new Uint8Array(length);
  const file = Deno.openSync(path, { read: true });
  try {
    for (let off = 0; off < length;) {
      const n = file.readSync(out.subarray(off));
      if (n === null) break;
      off += n;
    }
  } finally {
    file.close();
  }
  return out;
}

function firstLine(e: unknown): string {
  return (e as Error).message.split("\n")[0]!;
}
