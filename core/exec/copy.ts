/**
 * Bulk loading with COPY ... FROM STDIN, the same on a PostgreSQL server and
 * on PGlite: `quarry data load` formats rows as COPY text or CSV and streams
 * the bytes into a {@link CopySink}. On a server each {@link CopyTarget} is
 * one connection (Quarry's wire client, core/exec/wire.ts), so a loader opens
 * several for parallelism. PGlite reads a COPY's input from one Blob
 * (`COPY ... FROM '/dev/blob'`), so its sink gathers the bytes and sends them
 * as one COPY per `flushBytes` (64 MiB), cut between rows.
 *
 * @module
 */
import { PGlite } from "@electric-sql/pglite";
import { qualifiedName, quoteIdent } from "../dialect/quote.ts";
import { failureOutcome, type Outcome } from "./targets.ts";
import { wireOptions, WireSession } from "./wire.ts";
import { ConnectionError, CopyError, copyFailure } from "./wire_copy.ts";

export { ConnectionError, CopyError };

/** Where one COPY's bytes go. */
export interface CopySink {
  /**
   * Sends bytes of COPY text or CSV; a chunk may end anywhere, even inside a
   * row or a UTF-8 character. Await each write: that is the backpressure.
   * The chunk may be reused once the promise resolves.
   *
   * @throws {CopyError} The database's error (23505, 22P02, …) as soon as it is known.
   */
  write(chunk: Uint8Array): Promise<void>;
  /**
   * Ends the data.
   *
   * @returns The rows copied.
   * @throws {CopyError} When the COPY failed.
   */
  end(): Promise<number>;
  /** Abandons the COPY; the target stays usable. Resolves also when the COPY had already failed. */
  abort(reason: string): Promise<void>;
}

/** A database that takes COPY ... FROM STDIN: one connection of a server, or PGlite. */
export interface CopyTarget {
  /** "postgresql" or "pglite". */
  readonly name: string;
  /**
   * Starts a COPY (best made by {@link copyStatement}). On a server the
   * target's other statements wait until the sink has ended.
   *
   * @throws {CopyError} When the statement fails (42P01 for a missing table).
   */
  copy(sql: string): Promise<CopySink>;
  /** Runs SQL (CREATE TABLE, TRUNCATE, …); a failure is returned, never thrown. */
  run(sql: string): Promise<Outcome>;
  close(): Promise<void>;
}

/** How {@link copyStatement} reads its input. */
export interface CopyStatementOptions {
  /** PostgreSQL COPY text (tab-separated, `\N` for NULL, backslash escapes) or CSV. */
  format: "text" | "csv";
  /** The first line names the columns and is skipped [default: false]. */
  header?: boolean;
  /**
   * YugabyteDB's ROWS_PER_TRANSACTION: commit every n rows. PostgreSQL
   * rejects the option, so it is only added when set.
   */
  rowsPerTransaction?: number;
}

/**
 * A `COPY table (columns) FROM STDIN WITH (...)` statement, every
 * identifier quoted.
 *
 * @param table The table, with its schema when not on the search path.
 * @param columns The input's columns in order; empty for all of the table's, in table order.
 * @param options Format, header and YugabyteDB's rows per transaction.
 * @returns The statement.
 * @throws {RangeError} When `rowsPerTransaction` is not a positive integer.
 *
 * @example CSV with a header into a schema's table
 * ```ts
 * import { copyStatement } from "./copy.ts";
 * const sql = copyStatement({ name: "order", schema: "Shop" }, ["id", "total"], { format: "csv", header: true });
 * if (sql !== 'COPY "Shop"."order" (id, total) FROM STDIN WITH (FORMAT csv, HEADER true)') throw new Error(sql);
 * ```
 *
 * @example YugabyteDB, committing every 1000 rows
 * ```ts
 * import { copyStatement } from "./copy.ts";
 * const sql = copyStatement({ name: "t" }, ["a"], { format: "text", rowsPerTransaction: 1000 });
 * if (sql !== "COPY t (a) FROM STDIN WITH (FORMAT text, ROWS_PER_TRANSACTION 1000)") throw new Error(sql);
 * ```
 */
export function copyStatement(
  table: { name: string; schema?: string },
  columns: readonly string[],
  options: CopyStatementOptions,
): string {
  const settings = [`FORMAT ${options.format}`];
  if (options.header) settings.push("HEADER true");
  const rows = options.rowsPerTransaction;
  if (rows !== undefined) {
    if (!Number.isSafeInteger(rows) || rows < 1) {
      throw new RangeError(`rowsPerTransaction must be a positive integer, not ${rows}`);
    }
    settings.push(`ROWS_PER_TRANSACTION ${rows}`);
  }
  const list = columns.length > 0 ? ` (${columns.map(quoteIdent).join(", ")})` : "";
  return `COPY ${qualifiedName(table.name, table.schema)}${list} FROM STDIN WITH (${settings.join(", ")})`;
}

/** Options for {@link openCopyTarget}. */
export interface CopyTargetOptions {
  /**
   * PGlite: the instance to load into (the caller keeps it and closes it).
   * Without it, every target on "pglite" shares one in-memory instance,
   * closed with the last of them.
   */
  pglite?: PGlite;
  /**
   * PGlite: bytes gathered before they are sent as one COPY [default: 64 MiB].
   * Each such piece commits on its own.
   */
  flushBytes?: number;
  /** Server: how long connecting may take [default: 10000 ms]. */
  connectTimeoutMs?: number;
}

/**
 * Opens a target for COPY: `"pglite"`, or a postgres:// URL (one connection,
 * opened now, without statement_timeout). Requires `--allow-net` for a
 * server, `--allow-read` for PGlite's files.
 *
 * @param db "pglite" or a postgres:// URL.
 * @param options See {@link CopyTargetOptions}.
 * @returns The target; close it when done.
 * @throws {ConnectionError} When the server cannot be reached (08001) or refuses the session (28P01, 3D000).
 * @throws {TypeError} When `db` is neither "pglite" nor a postgres:// URL.
 *
 * @example Loading COPY text into PGlite
 * ```ts
 * import { copyStatement, openCopyTarget } from "./copy.ts";
 * const target = await openCopyTarget("pglite");
 * try {
 *   await target.run("CREATE TABLE t (id int PRIMARY KEY, name text)");
 *   const sink = await target.copy(copyStatement({ name: "t" }, ["id", "name"], { format: "text" }));
 *   await sink.write(new TextEncoder().encode("1\tAda\n2\t\\N\n"));
 *   if (await sink.end() !== 2) throw new Error("two rows expected");
 * } finally {
 *   await target.close();
 * }
 * ```
 */
export async function openCopyTarget(
  db: "pglite" | string,
  options: CopyTargetOptions = {},
): Promise<CopyTarget> {
  if (db === "pglite") return await pgliteCopyTarget(options);
  let url: URL;
  try {
    url = new URL(db);
  } catch {
    url = new URL("invalid:");
  }
  if (url.protocol !== "postgres:" && url.protocol !== "postgresql:") {
    throw new TypeError('A copy target is "pglite" or a URL like postgres://user@host:5432/database');
  }
  const where = `${url.hostname || "localhost"}:${url.port || "5432"}${url.pathname}`;
  const session = new WireSession({
    ...wireOptions(url),
    statementTimeoutMs: 0, // a COPY of many rows takes as long as it takes
    connectTimeoutMs: options.connectTimeoutMs ?? 10000,
  });
  try {
    await session.connect();
  } catch (e) {
    if (e instanceof Deno.errors.NotCapable) throw e;
    const { code, message } = failureOutcome(e) as { code: string; message: string };
    throw new ConnectionError(
      /^[0-9A-Z]{5}$/.test(code) ? code : "08001",
      `cannot connect to ${where}: ${message.split("\n")[0]}`,
    );
  }
  return {
    name: "postgresql",
    async copy(sql) {
      fromStdin(sql, tokens(sql)); // anything else would run before the server could say so
      const writer = await session.copyIn(sql);
      return { write: (chunk) => writer.write(chunk), end: () => writer.end(), abort: (r) => writer.fail(r) };
    },
    run: (sql) => session.run(sql),
    close: () => session.close(),
  };
}

/** PGlite sinks gather small chunks into blocks of this many bytes. */
const BLOCK = 1 << 20;

/** The in-memory PGlite targets on "pglite" share, while any is open. */
let shared: { db: Promise<PGlite>; users: number } | undefined;

async function pgliteCopyTarget(options: CopyTargetOptions): Promise<CopyTarget> {
  const flushBytes = options.flushBytes ?? 64 << 20;
  if (!Number.isSafeInteger(flushBytes) || flushBytes < 1) {
    throw new RangeError(`flushBytes must be a positive integer, not ${flushBytes}`);
  }
  let db: PGlite;
  let close: () => Promise<void>;
  if (options.pglite) {
    db = options.pglite;
    close = () => Promise.resolve();
  } else {
    const mine = shared ??= { db: PGlite.create(), users: 0 };
    mine.users++;
    try {
      db = await mine.db;
    } catch (e) {
      if (--mine.users === 0 && shared === mine) shared = undefined;
      throw e;
    }
    let open = true;
    close = async () => {
      if (!open) return;
      open = false;
      if (--mine.users > 0) return;
      if (shared === mine) shared = undefined;
      await db.close();
    };
  }
  return {
    name: "pglite",
    async copy(sql) {
      const sink = new PgliteSink(db, copyLayout(sql), flushBytes);
      await sink.piece([]); // checks the statement now, as a server does
      return sink;
    },
    run: (sql) => db.exec(sql).then((): Outcome => ({ ok: true }), failureOutcome),
    close: () => close(),
  };
}

/** What a PGlite sink must know of a COPY statement to run it from a Blob and cut its input between rows. */
interface CopyLayout {
  /** The statement with FROM STDIN replaced by FROM '/dev/blob'. */
  sql: string;
  csv: boolean;
  header: boolean;
  /** CSV quote and escape bytes. */
  quote: number;
  escape: number;
}

type Token = { text: string; at: number; end: number; kind: "word" | "string" | "other" };

/** Words, string literals and punctuation of a statement; quoted identifiers and comments skipped. */
function tokens(sql: string): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < sql.length;) {
    const c = sql[i]!;
    const at = i;
    if (/\s/.test(c)) i++;
    else if (c === "-" && sql[i + 1] === "-") i = sql.includes("\n", i) ? sql.indexOf("\n", i) : sql.length;
    else if (c === "/" && sql[i + 1] === "*") {
      i = sql.includes("*/", i) ? sql.indexOf("*/", i) + 2 : sql.length;
    } else if (c === '"' || c === "'") {
      // E'...' reads backslash escapes (\\, \', \n, \t); other strings only doubled quotes.
      const prefix = out.at(-1);
      const escapes = c === "'" && prefix?.text === "E" && prefix.end === at;
      if (escapes) out.pop();
      let text = "";
      for (i++; i < sql.length; i++) {
        if (escapes && sql[i] === "\\" && i + 1 < sql.length) {
          const e = sql[++i]!;
          text += e === "n" ? "\n" : e === "t" ? "\t" : e === "r" ? "\r" : e;
        } else if (sql[i] === c && sql[i + 1] === c) text += sql[i++];
        else if (sql[i] === c) break;
        else text += sql[i];
      }
      i++;
      if (c === "'") out.push({ text, at, end: i, kind: "string" });
    } else if (/[\w$]/.test(c)) {
      while (i < sql.length && /[\w$]/.test(sql[i]!)) i++;
      out.push({ text: sql.slice(at, i).toUpperCase(), at, end: i, kind: "word" });
    } else {
      i++;
      out.push({ text: c, at, end: i, kind: "other" });
    }
  }
  return out;
}

/** Where `FROM STDIN` is among a statement's tokens; a TypeError when it is not a COPY FROM STDIN. */
function fromStdin(sql: string, t: Token[]): number {
  const from = t.findIndex((x, i) =>
    x.kind === "word" && x.text === "FROM" && t[i + 1]?.kind === "word" && t[i + 1]?.text === "STDIN"
  );
  if (t[0]?.text !== "COPY" || from < 0) {
    throw new TypeError(`Not a COPY ... FROM STDIN statement: ${sql.slice(0, 80)}`);
  }
  return from;
}

/** Reads a COPY ... FROM STDIN statement's input layout (PostgreSQL's own and legacy option spellings). */
function copyLayout(sql: string): CopyLayout {
  const t = tokens(sql);
  const from = fromStdin(sql, t);
  const stdin = t[from + 1]!;
  const layout: CopyLayout = {
    sql: `${sql.slice(0, stdin.at)}'/dev/blob'${sql.slice(stdin.end)}`,
    csv: false,
    header: false,
    quote: 34,
    escape: -1,
  };
  const value = (i: number) => t[i]?.text === "AS" ? t[i + 1] : t[i];
  const byte = (x: Token | undefined) =>
    x?.kind === "string" && x.text.length === 1 ? x.text.charCodeAt(0) : -1;
  for (let i = from + 2; i < t.length; i++) {
    const word = t[i]!.kind === "word" ? t[i]!.text : "";
    if (word === "CSV") layout.csv = true;
    else if (word === "BINARY") throw new TypeError("PGlite copy targets take text or CSV, not binary");
    else if (word === "FORMAT") {
      const f = t[i + 1]?.text.toUpperCase();
      if (f === "BINARY") throw new TypeError("PGlite copy targets take text or CSV, not binary");
      layout.csv = f === "CSV";
    } else if (word === "HEADER") {
      const v = t[i + 1];
      layout.header = !(v && v.kind !== "other" && ["FALSE", "OFF", "0"].includes(v.text.toUpperCase()));
    } else if (word === "QUOTE" && byte(value(i + 1)) >= 0) layout.quote = byte(value(i + 1));
    else if (word === "ESCAPE" && byte(value(i + 1)) >= 0) layout.escape = byte(value(i + 1));
  }
  if (layout.escape < 0) layout.escape = layout.quote;
  return layout;
}

/**
 * Finds where rows end in a stream of COPY input: a newline outside a CSV
 * quoted field, or not escaped by a backslash in text format. Carries its
 * state from one chunk to the next.
 */
class RowEnds {
  #quoted = false;
  #escaped = false;
  #offset = 0;
  /** One past the stream's first row end; -1 until one is seen. */
  first = -1;
  constructor(readonly layout: CopyLayout) {}

  /** One past the last row end in `chunk`, or 0 when no row ends there. */
  scan(chunk: Uint8Array): number {
    let last = 0;
    let quoted = this.#quoted;
    let escaped = this.#escaped;
    if (!this.layout.csv) {
      for (let i = 0; i < chunk.length; i++) {
        const b = chunk[i]!;
        if (escaped) escaped = false;
        else if (b === 92) escaped = true;
        else if (b === 10) {
          last = i + 1;
          if (this.first < 0) this.first = this.#offset + last;
        }
      }
    } else {
      const { quote, escape } = this.layout;
      for (let i = 0; i < chunk.length; i++) {
        const b = chunk[i]!;
        if (escaped) {
          // Only a quote or the escape itself is escaped; anything else is read as usual.
          escaped = false;
          if (b === quote || b === escape) continue;
        }
        if (quoted && escape !== quote && b === escape) escaped = true;
        else if (b === quote) quoted = !quoted;
        else if (b === 10 && !quoted) {
          last = i + 1;
          if (this.first < 0) this.first = this.#offset + last;
        }
      }
    }
    this.#quoted = quoted;
    this.#escaped = escaped;
    this.#offset += chunk.length;
    return last;
  }
}

/**
 * A PGlite COPY: bytes are kept (copied, so the caller may reuse its
 * chunks) until `flushBytes` have gathered, then the whole rows among them
 * go in as one COPY from a Blob, and the rest waits for the next piece.
 * With a header, later pieces get the first piece's header line again.
 */
class PgliteSink implements CopySink {
  /** Bytes gathered: small chunks are copied into blocks of BLOCK bytes, #block[#from, #used) not yet in #parts. */
  #parts: Uint8Array[] = [];
  #block = new Uint8Array(0);
  #from = 0;
  #used = 0;
  #bytes = 0;
  /** Bytes of #parts that end in a whole row. */
  #whole = 0;
  #rows = 0;
  #pieces = 0;
  #header: Uint8Array[] = [];
  #error: CopyError | undefined;
  #ended = false;
  #queue: Promise<void> = Promise.resolve();
  readonly #ends: RowEnds;

  constructor(readonly db: PGlite, readonly layout: CopyLayout, readonly flushBytes: number) {
    this.#ends = new RowEnds(layout);
  }

  write(chunk: Uint8Array): Promise<void> {
    const next = this.#queue.then(() => this.#put(chunk));
    this.#queue = next.catch(() => {});
    return next;
  }

  async end(): Promise<number> {
    await this.#queue;
    if (this.#error) throw this.#error;
    if (!this.#ended) {
      this.#ended = true;
      if (this.#bytes > 0) await this.#flush(this.#bytes);
    }
    return this.#rows;
  }

  async abort(_reason: string): Promise<void> {
    await this.#queue;
    this.#ended = true;
    this.#parts = [];
    this.#block = new Uint8Array(0);
    this.#bytes =
      this.#whole =
      this.#from =
      this.#used =
        0;
  }

  async #put(chunk: Uint8Array): Promise<void> {
    if (this.#error) throw this.#error;
    if (this.#ended) throw new TypeError("The COPY has ended: write after end() or abort()");
    if (chunk.length === 0) return;
    const rowEnd = this.#ends.scan(chunk);
    if (rowEnd > 0) this.#whole = this.#bytes + rowEnd;
    this.#append(chunk);
    this.#bytes += chunk.length;
    if (this.#bytes >= this.flushBytes && this.#whole > 0) await this.#flush(this.#whole);
  }

  #append(chunk: Uint8Array): void {
    if (chunk.length >= BLOCK) {
      this.#seal();
      this.#parts.push(chunk.slice());
      return;
    }
    if (this.#used + chunk.length > this.#block.length) {
      this.#seal();
      this.#block = new Uint8Array(BLOCK);
      this.#from = this.#used = 0;
    }
    this.#block.set(chunk, this.#used);
    this.#used += chunk.length;
  }

  /** Moves the block's new bytes into #parts (later bytes go after them, so the view stays valid). */
  #seal(): void {
    if (this.#used > this.#from) this.#parts.push(this.#block.subarray(this.#from, this.#used));
    this.#from = this.#used;
  }

  /** Sends the first `n` bytes gathered as one COPY. */
  async #flush(n: number): Promise<void> {
    this.#seal();
    const parts = take(this.#parts, n);
    this.#bytes -= n;
    this.#whole = Math.max(0, this.#whole - n);
    if (this.layout.header && this.#pieces === 0 && this.#ends.first > 0) {
      this.#header = take(parts.slice(), this.#ends.first);
    } else if (this.layout.header) parts.unshift(...this.#header);
    this.#pieces++;
    await this.piece(parts);
  }

  /** Runs the COPY on these bytes (none: only checks the statement). */
  async piece(parts: Uint8Array[]): Promise<void> {
    try {
      const result = await this.db.query(this.layout.sql, [], { blob: new Blob(parts as BlobPart[]) });
      this.#rows += result.affectedRows ?? 0;
    } catch (e) {
      throw this.#error = copyFailure(failureOutcome(e) as { code: string; message: string });
    }
  }
}

/** Removes the first `n` bytes of `parts` (cutting one part if need be) and returns them. */
function take(parts: Uint8Array[], n: number): Uint8Array[] {
  let whole = 0;
  while (whole < parts.length && parts[whole]!.length <= n) n -= parts[whole++]!.length;
  const out = parts.splice(0, whole);
  const cut = parts[0];
  if (n > 0 && cut) {
    out.push(cut.subarray(0, n));
    parts[0] = cut.subarray(n);
  }
  return out;
}
