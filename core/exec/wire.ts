/**
 * A minimal PostgreSQL client for the execution hot path of `quarry run`:
 * the simple-query protocol over one TCP connection, with pipelining, and
 * COPY ... FROM STDIN for bulk loading (core/exec/wire_copy.ts); nothing else
 * (results are counted, never decoded). It exists because a
 * general driver costs about 45 µs of client CPU per statement under Deno,
 * which caps a 2-core machine far below what the server can do; this one
 * costs under a third of that. Everything else (introspection, validation)
 * uses npm:postgres. Authentication: trust, cleartext, MD5 and
 * SCRAM-SHA-256; no TLS (use `--client postgres.js` for that).
 *
 * Protocol reference: PostgreSQL "Frontend/Backend Protocol", message
 * formats and SASL authentication (RFC 5802, RFC 7677).
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { createHash, createHmac, pbkdf2Sync, randomBytes } from "node:crypto";
import type { BoundStatement, Failure, Outcome, QueryOutcome, TransactingTarget } from "./targets.ts";
import { ConnectionError, type CopyHooks, CopyWriter } from "./wire_copy.ts";
import { quoteLiteral } from "../dialect/quote.ts";
import { Outbox } from "./wire_outbox.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Connection settings, read from a postgres:// URL. */
export interface WireOptions {
  hostname: string;
  port: number;
  user: string;
  password: string;
  database: string;
  /** statement_timeout in ms [default: 10000]. */
  statementTimeoutMs?: number;
  /** How long connecting may take [default: 10 s]. */
  connectTimeoutMs?: number;
  /** Other settings of the session (`-c name=value` at start-up), e.g. synchronous_commit. */
  settings?: Record<string, string>;
}

/** Reads the settings of a postgres:// URL. */
export function wireOptions(url: URL, statementTimeoutMs = 10000): WireOptions {
  return {
    hostname: url.hostname || "localhost",
    port: Number(url.port || 5432),
    user: decodeURIComponent(url.username || "postgres"),
    password: decodeURIComponent(url.password),
    database: decodeURIComponent(url.pathname.slice(1)) || decodeURIComponent(url.username || "postgres"),
    statementTimeoutMs,
  };
}

/** A failure with the SQLSTATE a libpq client would report. */
class WireError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

type Pending = {
  /** With `result`, resolved with a QueryOutcome holding its rows and count. */
  resolve: (o: QueryOutcome) => void;
  error?: { code: string; message: string };
  /** Set by `query`: the rows read (text cells) and the last command tag's count. */
  result?: { rows: (string | null)[][]; affected: number };
  /** Statement names these messages parse, each until the server confirms it (ParseComplete). */
  parsing?: string[];
  /** Set on a COPY FROM STDIN, whose writer follows its progress. */
  copy?: CopyHooks;
};

/** One message: type byte, then an int32 length that counts itself, then the body. */
function message(type: number, body: Uint8Array): Uint8Array {
  const m = new Uint8Array(5 + body.length);
  m[0] = type;
  new DataView(m.buffer).setInt32(1, 4 + body.length);
  m.set(body, 5);
  return m;
}

/** A Query message ('Q'): the SQL as a C string. */
function queryMessage(sql: string): Uint8Array {
  const m = new Uint8Array(6 + sql.length * 3);
  const { written } = encoder.encodeInto(sql, m.subarray(5));
  m[5 + written] = 0;
  m[0] = 81;
  new DataView(m.buffer).setInt32(1, 5 + written);
  return m.subarray(0, 6 + written);
}

function cstring(s: string): Uint8Array {
  const b = encoder.encode(s);
  const out = new Uint8Array(b.length + 1);
  out.set(b);
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** ErrorResponse/NoticeResponse fields: code byte, then a C string, until a 0 byte. */
function errorFields(body: Uint8Array): { code: string; message: string; severity: string } {
  const fields: Record<string, string> = {};
  let i = 0;
  while (i < body.length && body[i] !== 0) {
    const key = String.fromCharCode(body[i]!);
    const end = body.indexOf(0, i + 1);
    fields[key] = decoder.decode(body.subarray(i + 1, end));
    i = end + 1;
  }
  return {
    code: fields.C ?? "XX000",
    message: fields.M ?? "unknown error",
    severity: fields.V ?? fields.S ?? "",
  };
}

/** Text values as the parameter section of a Bind message (each an i32 length and its UTF-8; null: -1). */
export function textParams(values: readonly (string | null)[]): Uint8Array {
  const bytes = values.map((v) => (v === null ? null : encoder.encode(v)));
  const out = new Uint8Array(bytes.reduce((n, b) => n + 4 + (b?.length ?? 0), 0));
  const view = new DataView(out.buffer);
  let at = 0;
  for (const b of bytes) {
    view.setInt32(at, b === null ? -1 : b.length);
    at += 4;
    if (b) out.set(b, at);
    at += b?.length ?? 0;
  }
  return out;
}

/**
 * A prepared statement as a person reads it, for logs and error samples:
 * its text, then its parameters as SQL literals (`... -- $1 = 'x', $2 = NULL`).
 */
export function shownWithParams(text: string, params: Uint8Array): string {
  const values = paramValues(params).map((v, i) => `$${i + 1} = ${v === null ? "NULL" : quoteLiteral(v)}`);
  return values.length > 0 ? `${text} -- ${values.join(", ")}` : text;
}

/** A Bind message's parameter section back as text values (for messages and logs). */
export function paramValues(params: Uint8Array): (string | null)[] {
  const view = new DataView(params.buffer, params.byteOffset, params.byteLength);
  const out: (string | null)[] = [];
  for (let at = 0; at < params.length;) {
    const len = view.getInt32(at);
    at += 4;
    if (len < 0) out.push(null);
    else {
      out.push(decoder.decode(params.subarray(at, at + len)));
      at += len;
    }
  }
  return out;
}

/** A Parse message: a named statement whose parameter types the server infers. */
function parseMessage(name: string, text: string): Uint8Array {
  const nameBytes = encoder.encode(name);
  const textBytes = encoder.encode(text);
  const out = new Uint8Array(1 + 4 + nameBytes.length + 1 + textBytes.length + 1 + 2);
  out[0] = 80;
  new DataView(out.buffer).setInt32(1, out.length - 1);
  out.set(nameBytes, 5);
  out.set(textBytes, 5 + nameBytes.length + 1);
  return out;
}

/** Statement names as bytes (names are few and reused for every Bind). */
const nameBytes = new Map<string, Uint8Array>();
function nameOf(name: string): Uint8Array {
  let b = nameBytes.get(name);
  if (b === undefined) nameBytes.set(name, b = encoder.encode(name));
  return b;
}

/** Bytes of Bind and Execute (and Sync) for a statement named `name` with `params`. */
function bindLength(name: Uint8Array, params: Uint8Array, sync: boolean): number {
  return 1 + 4 + 1 + name.length + 1 + 2 + 2 + params.length + 2 + 10 + (sync ? 5 : 0);
}

/**
 * Writes Bind, Execute and (with `sync`) Sync into `out` at `at`: the
 * unnamed portal, every parameter and result column in text format, every
 * row. Returns the bytes written ({@link bindLength}).
 */
function writeBind(
  out: Uint8Array,
  at: number,
  name: Uint8Array,
  params: Uint8Array,
  count: number,
  sync: boolean,
): number {
  const start = at;
  const bindLen = 1 + 4 + 1 + name.length + 1 + 2 + 2 + params.length + 2;
  const int32 = (i: number, v: number) => {
    out[i] = v >>> 24;
    out[i + 1] = v >>> 16;
    out[i + 2] = v >>> 8;
    out[i + 3] = v;
  };
  out[at] = 66; // Bind
  int32(at + 1, bindLen - 1);
  out[at + 5] = 0; // the unnamed portal
  out.set(name, at + 6);
  at += 6 + name.length;
  out[at] = 0;
  out[at + 1] = out[at + 2] = 0; // no format codes: every parameter is text
  out[at + 3] = count >>> 8;
  out[at + 4] = count;
  at += 5;
  out.set(params, at);
  at += params.length;
  out[at] = out[at + 1] = 0; // no result format codes: text
  at += 2;
  out[at] = 69; // Execute: the unnamed portal, every row
  int32(at + 1, 9);
  out[at + 5] = 0;
  int32(at + 6, 0);
  at += 10;
  if (sync) {
    out[at] = 83; // Sync
    int32(at + 1, 4);
    at += 5;
  }
  return at - start;
}

/** Bind, Execute and (with `sync`) Sync in a buffer of their own (see {@link writeBind}). */
function bindMessages(name: string, params: Uint8Array, count: number, sync = true): Uint8Array {
  const n = nameOf(name);
  const out = new Uint8Array(bindLength(n, params, sync));
  writeBind(out, 0, n, params, count, sync);
  return out;
}

/** A DataRow's cells as text (the simple protocol sends text); NULL is a length of -1. */
function dataRow(buf: Uint8Array, at: number): (string | null)[] {
  const n = (buf[at]! << 8) | buf[at + 1]!;
  const cells: (string | null)[] = [];
  let p = at + 2;
  for (let i = 0; i < n; i++) {
    const len = (buf[p]! << 24) | (buf[p + 1]! << 16) | (buf[p + 2]! << 8) | buf[p + 3]!;
    p += 4;
    if (len < 0) cells.push(null);
    else {
      cells.push(textAt(buf, p, len));
      p += len;
    }
  }
  return cells;
}

/** UTF-8 text of a cell: short ASCII (keys, numbers) without an encoder call. */
function textAt(buf: Uint8Array, at: number, len: number): string {
  if (len > 64) return decoder.decode(buf.subarray(at, at + len));
  let s = "";
  for (let i = at; i < at + len; i++) {
    const c = buf[i]!;
    if (c > 127) return decoder.decode(buf.subarray(at, at + len));
    s += String.fromCharCode(c);
  }
  return s;
}

/** The row count at the end of a command tag ("INSERT 0 4", "UPDATE 2"); 0 without one. */
function tagCount(buf: Uint8Array, at: number, end: number): number {
  let n = 0, scale = 1;
  for (let i = end - 2; i >= at; i--) {
    const c = buf[i]!;
    if (c < 48 || c > 57) break;
    n += (c - 48) * scale;
    scale *= 10;
  }
  return n;
}

/** One connection; statements sent while others are in flight are pipelined behind them. */
export class WireSession implements TransactingTarget {
  readonly name = "postgresql";
  #conn: Deno.TcpConn | undefined;
  #connecting: Promise<void> | undefined;
  #buf = new Uint8Array(1 << 16);
  #start = 0;
  #end = 0;
  #bodyAt = 0;
  #bodyEnd = 0;
  #pending: Pending[] = [];
  readonly #outbox = new Outbox(async (data) => {
    for (let at = 0; at < data.length;) at += await this.#conn!.write(data.subarray(at));
  }, (e) => this.#lost(e));
  #closed = false;
  /** Set while a COPY owns the connection: statements wait for it. */
  #exclusive: Promise<void> | undefined;
  /** Statements prepared on this connection (`execute`), by name. */
  #prepared = new Set<string>();
  /** Transaction status of the last ReadyForQuery: I idle, T in a transaction, E in a failed one. */
  status = "I";
  /** Connections opened so far (a reconnect after a loss opens another). */
  opened = 0;

  constructor(readonly options: WireOptions) {}

  /** Opens the connection now (it is otherwise opened by the first statement). */
  connect(): Promise<void> {
    this.#connecting ??= this.#open().catch((e) => {
      this.#connecting = undefined;
      throw e;
    });
    return this.#connecting;
  }

  /** Waits out a COPY and connects when needed; the failure when the server cannot be reached. */
  async #ready(): Promise<Failure | undefined> {
    while (this.#exclusive) await this.#exclusive;
    if (this.#conn !== undefined) return undefined;
    try {
      await this.connect();
      return undefined;
    } catch (e) {
      return failure(e, "08001");
    }
  }

  async run(sql: string): Promise<Outcome> {
    // Only a wait or a connect awaits: a statement sent before a COPY starts goes out before it.
    if (this.#exclusive || this.#conn === undefined) {
      const refused = await this.#ready();
      if (refused) return refused;
    }
    return new Promise<Outcome>((resolve) => {
      this.#expect({ resolve });
      this.#send(queryMessage(sql));
    });
  }

  query(sql: string): Promise<QueryOutcome> {
    // Only a wait or a connect awaits: a statement sent before a COPY starts goes out before it.
    if (this.#exclusive || this.#conn === undefined) return this.#whenReady(() => this.query(sql));
    return new Promise<QueryOutcome>((resolve) => {
      this.#expect({ resolve, result: { rows: [], affected: 0 } });
      this.#send(queryMessage(sql));
    });
  }

  /**
   * Runs a prepared statement with text parameters over the extended
   * protocol: Parse (the first time `name` runs on this connection), Bind,
   * Execute, Sync, pipelined like `run`. `params` is the Bind message's
   * parameter section for `count` parameters (each an i32 length, -1 for
   * NULL, then the text), copied before this returns; parameter types are
   * left for the server to infer.
   */
  execute(name: string, text: string, params: Uint8Array, count: number): Promise<QueryOutcome> {
    if (this.#exclusive || this.#conn === undefined) {
      const copy = params.slice(); // the caller may reuse its bytes once this returns
      return this.#whenReady(() => this.execute(name, text, copy, count));
    }
    // The answer resolves the caller's promise straight from the read loop (no await here):
    // each await between answer and caller costs a turn of the microtask queue per statement.
    return new Promise<QueryOutcome>((resolve) => {
      // Parsed once per connection; a new connection (after a loss) knows no names.
      const parse = !this.#prepared.has(name);
      const result = { rows: [], affected: 0 };
      this.#expect(parse ? { resolve, result, parsing: [name] } : { resolve, result });
      if (parse) {
        this.#prepared.add(name);
        this.#outbox.push(parseMessage(name, text));
      }
      const n = nameOf(name);
      const out = this.#outbox.room(bindLength(n, params, true));
      this.#outbox.wrote(writeBind(out, this.#outbox.length, n, params, count, true));
    });
  }

  /** `then()` once a COPY is over and the connection is open; the failure when it cannot be opened. */
  async #whenReady(then: () => Promise<QueryOutcome>): Promise<QueryOutcome> {
    const refused = await this.#ready();
    return refused ?? then();
  }

  /**
   * Runs prepared statements as one transaction in one round trip: Parse
   * (for names new on this connection), Bind and Execute of each, then one
   * Sync, so the server runs them as one implicit transaction: all commit,
   * or the first failure rolls back the others and skips the rest. The
   * outcome is the first failure's, else the last statement's rows and
   * count (rows of every statement are kept). Parameters are copied before
   * this returns.
   */
  async transaction(statements: readonly BoundStatement[]): Promise<QueryOutcome> {
    const binds = statements.map((s, i) =>
      bindMessages(s.name, s.params, s.count, i === statements.length - 1)
    );
    if (this.#exclusive || this.#conn === undefined) {
      const refused = await this.#ready();
      if (refused) return refused;
    }
    return new Promise<QueryOutcome>((resolve) => {
      const parsing: string[] = [];
      this.#expect({ resolve, result: { rows: [], affected: 0 }, parsing });
      statements.forEach((s, i) => {
        if (!this.#prepared.has(s.name)) {
          this.#prepared.add(s.name);
          parsing.push(s.name);
          this.#send(parseMessage(s.name, s.text));
        }
        this.#send(binds[i]!);
      });
    });
  }

  runAll(texts: readonly string[]): Promise<Outcome[]> {
    return Promise.all(texts.map((t) => this.run(t)));
  }

  async runRolledBack(sql: string): Promise<Outcome> {
    // Three messages back to back: the statement fails alone, and ROLLBACK runs whatever happened.
    const [begin, statement] = await Promise.all([this.run("BEGIN"), this.run(sql), this.run("ROLLBACK")]);
    return begin.ok ? statement! : begin!;
  }

  /**
   * Starts `COPY ... FROM STDIN`: sends the statement and waits for the
   * server's CopyInResponse. Until the writer's `end()` or `fail()` has been
   * answered, statements given to `run` wait. Requires `--allow-net`.
   *
   * @param sql A COPY ... FROM STDIN statement.
   * @returns The writer for the COPY's data.
   * @throws {ConnectionError} When the server cannot be reached (08001) or refuses the session.
   * @throws {CopyError} When the statement fails (42P01 for a missing table).
   * @throws {TypeError} When `sql` does not start a COPY FROM STDIN.
   */
  async copyIn(sql: string): Promise<CopyWriter> {
    while (this.#exclusive) await this.#exclusive;
    let release!: () => void;
    this.#exclusive = new Promise<void>((resolve) =>
      release = () => {
        this.#exclusive = undefined;
        resolve();
      }
    );
    if (this.#conn === undefined) {
      try {
        await this.connect();
      } catch (e) {
        release();
        const o = failure(e, "08001");
        throw new ConnectionError(o.code, o.message);
      }
    }
    let resolve!: (o: Outcome) => void;
    const done = new Promise<Outcome>((r) => resolve = r);
    const writer = new CopyWriter({ write: (bytes) => this.#write(bytes), release }, done);
    this.#expect({ resolve, copy: writer.hooks });
    this.#send(queryMessage(sql));
    await writer.started(sql);
    return writer;
  }

  /** Writes straight to the socket (for a COPY, which owns the connection). */
  async #write(bytes: Uint8Array): Promise<void> {
    try {
      for (let at = 0; at < bytes.length;) {
        if (!this.#conn) throw new ConnectionError("08006", "connection lost during COPY");
        at += await this.#conn.write(bytes.subarray(at));
      }
    } catch (e) {
      this.#lost(e);
      throw e instanceof ConnectionError
        ? e
        : new ConnectionError("08006", String((e as Error)?.message ?? e));
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    const conn = this.#conn;
    this.#conn = undefined;
    if (!conn) return;
    try {
      await conn.write(message(88, new Uint8Array())); // Terminate
    } catch { /* already gone */ }
    try {
      conn.close();
    } catch { /* already closed */ }
  }

  #send(m: Uint8Array): void {
    this.#outbox.push(m);
  }

  /** A statement whose answer (up to its ReadyForQuery) `p` receives; its messages follow. */
  #expect(p: Pending): void {
    this.#pending.push(p);
    this.#outbox.statement();
  }

  /**
   * Whether statements wait to go out together while the server still has
   * enough of this session's statements to answer (core/exec/wire_outbox.ts):
   * fewer writes for throughput, at the cost of a statement's latency. Off by
   * default.
   */
  set batching(on: boolean) {
    this.#outbox.batching = on;
  }

  /** Socket writes so far: statements sent together share one (tests, benches). */
  get writes(): number {
    return this.#outbox.writes;
  }

  async #open(): Promise<void> {
    const o = this.options;
    const conn = await Promise.race([
      Deno.connect({ hostname: o.hostname, port: o.port }),
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new WireError("08001", "connect timeout")), o.connectTimeoutMs ?? 10000)
      ),
    ]);
    conn.setNoDelay(true);
    this.#conn = conn;
    this.#prepared.clear();
    this.#start = this.#end = 0;
    this.#closed = false;
    const params = [
      "user",
      o.user,
      "database",
      o.database,
      "application_name",
      "quarry",
      "client_encoding",
      "UTF8",
    ];
    const settings = Object.entries({
      ...(o.statementTimeoutMs !== undefined ? { statement_timeout: String(o.statementTimeoutMs) } : {}),
      ...o.settings,
    });
    if (settings.length > 0) {
      // Spaces and backslashes inside a value are escaped with a backslash.
      params.push("options", settings.map(([k, v]) => `-c ${k}=${v.replace(/[\\ ]/g, "\\$&")}`).join(" "));
    }
    const body = concat([new Uint8Array([0, 3, 0, 0]), ...params.map(cstring), new Uint8Array([0])]);
    const startup = new Uint8Array(4 + body.length);
    new DataView(startup.buffer).setInt32(0, startup.length);
    startup.set(body, 4);
    try {
      await conn.write(startup);
      await this.#authenticate();
    } catch (e) {
      // A refused login (the server starting up or shutting down, a wrong password) leaves no
      // session: forget the socket, so the next statement connects again instead of waiting on it.
      if (this.#conn === conn) this.#conn = undefined;
      try {
        conn.close();
      } catch { /* already closed */ }
      throw e;
    }
    this.opened++;
    this.#readLoop();
  }

  /** Reads one whole message (at start-up); the body is valid until the next read. */
  async #next(): Promise<{ type: number; body: Uint8Array }> {
    for (;;) {
      const type = this.#take();
      if (type >= 0) return { type, body: this.#buf.subarray(this.#bodyAt, this.#bodyEnd) };
      this.#received(await this.#conn!.read(this.#readRoom()));
    }
  }

  /**
   * The type of the next whole message already read, its body then at
   * #bodyAt..#bodyEnd; -1 when no whole message is buffered.
   */
  #take(): number {
    const b = this.#buf;
    const at = this.#start;
    if (this.#end - at < 5) return -1;
    const len = ((b[at + 1]! << 24) | (b[at + 2]! << 16) | (b[at + 3]! << 8) | b[at + 4]!) >>> 0;
    if (this.#end - at < len + 1) return -1;
    this.#bodyAt = at + 5;
    this.#bodyEnd = this.#start = at + 1 + len;
    return b[at]!;
  }

  /** Where the next read goes: unread bytes moved to the front, the buffer grown for a message that does not fit. */
  #readRoom(): Uint8Array {
    if (this.#start === this.#end) this.#start = this.#end = 0;
    else if (this.#end === this.#buf.length) {
      const b = this.#buf;
      const need = this.#end - this.#start >= 5
        ? (((b[this.#start + 1]! << 24) | (b[this.#start + 2]! << 16) | (b[this.#start + 3]! << 8) |
          b[this.#start + 4]!) >>> 0) + 1
        : 0;
      const target = need > b.length ? new Uint8Array(need + 65536) : b;
      target.set(b.subarray(this.#start, this.#end));
      this.#end -= this.#start;
      this.#start = 0;
      this.#buf = target;
    }
    return this.#buf.subarray(this.#end);
  }

  #received(n: number | null): void {
    if (n === null) throw new WireError("08006", "server closed the connection");
    this.#end += n;
  }

  async #authenticate(): Promise<void> {
    const o = this.options;
    let scram: Scram | undefined;
    for (;;) {
      const { type, body } = await this.#next();
      if (type === 69) {
        const e = errorFields(body);
        throw new WireError(e.code, e.message);
      }
      if (type === 90) return; // ReadyForQuery: logged in
      if (type !== 82) continue; // ParameterStatus, BackendKeyData, notices
      const kind = new DataView(body.buffer, body.byteOffset).getInt32(0);
      const write = (m: Uint8Array) => this.#conn!.write(m);
      if (kind === 0) continue;
      if (kind === 3) await write(message(112, cstring(o.password)));
      else if (kind === 5) {
        const inner = createHash("md5").update(o.password + o.user).digest("hex");
        const outer = createHash("md5").update(inner).update(body.subarray(4, 8)).digest("hex");
        await write(message(112, cstring(`md5${outer}`)));
      } else if (kind === 10) {
        scram = new Scram(o.password);
        const first = encoder.encode(scram.clientFirst());
        const len = new Uint8Array(4);
        new DataView(len.buffer).setInt32(0, first.length);
        await write(message(112, concat([cstring("SCRAM-SHA-256"), len, first])));
      } else if (kind === 11 && scram) {
        await write(message(112, encoder.encode(scram.clientFinal(decoder.decode(body.subarray(4))))));
      } else if (kind === 12 && scram) {
        scram.verify(decoder.decode(body.subarray(4)));
      } else throw new WireError("28000", `authentication method ${kind} is not supported`);
    }
  }

  /**
   * Dispatches responses: each ReadyForQuery ends the oldest statement in
   * flight. Whole messages already read are handled without awaiting, so a
   * statement costs one read, not one await per message.
   */
  async #readLoop(): Promise<void> {
    try {
      for (;;) {
        this.#dispatch();
        this.#received(await this.#conn!.read(this.#readRoom()));
      }
    } catch (e) {
      this.#lost(e);
    }
  }

  #dispatch(): void {
    for (let type = this.#take(); type >= 0; type = this.#take()) {
      if (type === 69) {
        const e = errorFields(this.#buf.subarray(this.#bodyAt, this.#bodyEnd));
        const head = this.#pending[0];
        if (head) head.error ??= e;
        head?.copy?.failed(e);
        if (e.severity === "FATAL" || e.severity === "PANIC") throw new WireError(e.code, e.message);
      } else if (type === 49) {
        // ParseComplete: the name now exists on the server.
        const head = this.#pending[0];
        head?.parsing?.shift();
      } else if (type === 90) {
        this.status = String.fromCharCode(this.#buf[this.#bodyAt]!);
        const done = this.#pending.shift();
        this.#outbox.answered();
        for (const name of done?.parsing ?? []) this.#prepared.delete(name);
        if (done?.error) done.resolve({ ok: false, ...done.error });
        else if (done?.result) {
          done.resolve({ ok: true, rows: done.result.rows, affected: done.result.affected });
        } else done?.resolve({ ok: true } as QueryOutcome); // `run`: no rows read, none given
      } else if (type === 68) {
        // DataRow: read only for `query`.
        const result = this.#pending[0]?.result;
        if (result) result.rows.push(dataRow(this.#buf, this.#bodyAt));
      } else if (type === 71 || type === 67) {
        // CopyInResponse, CommandComplete: a COPY and `query` read them.
        const head = this.#pending[0];
        const copy = head?.copy;
        if (copy && type === 71) copy.started();
        else if (copy) copy.completed(decoder.decode(this.#buf.subarray(this.#bodyAt, this.#bodyEnd - 1)));
        else if (head?.result && type === 67) {
          head.result.affected = tagCount(this.#buf, this.#bodyAt, this.#bodyEnd);
        }
      }
    }
  }

  /** The connection is gone: fail what is in flight; the next statement reconnects. */
  #lost(e: unknown): void {
    const conn = this.#conn;
    this.#conn = undefined;
    this.#connecting = undefined;
    this.#outbox.clear();
    try {
      conn?.close();
    } catch { /* already closed */ }
    const pending = this.#pending.splice(0);
    for (const p of pending) {
      if (p.error) p.resolve({ ok: false, ...p.error });
      else {p.resolve(
          this.#closed ? { ok: false, code: "08003", message: "session closed" } : failure(e, "08006"),
        );}
    }
  }
}

function failure(e: unknown, fallback: string): Outcome & { ok: false } {
  if (e instanceof Deno.errors.NotCapable) throw e;
  if (e instanceof WireError) return { ok: false, code: e.code, message: e.message };
  return { ok: false, code: fallback, message: String((e as Error)?.message ?? e) };
}

/** The client side of SCRAM-SHA-256 (RFC 5802, RFC 7677), without channel binding. */
class Scram {
  readonly #nonce = randomBytes(18).toString("base64");
  #clientFirstBare = "";
  #serverSignature = "";

  constructor(readonly password: string) {}

  clientFirst(): string {
    this.#clientFirstBare = `n=,r=${this.#nonce}`;
    return `n,,${this.#clientFirstBare}`;
  }

  clientFinal(serverFirst: string): string {
    const attrs = Object.fromEntries(serverFirst.split(",").map((kv) => [kv[0], kv.slice(2)]));
    const nonce = attrs.r ?? "";
    if (!nonce.startsWith(this.#nonce)) {
      throw new WireError("28000", "SCRAM: the server's nonce does not extend ours");
    }
    const salted = pbkdf2Sync(
      this.password,
      Buffer.from(attrs.s ?? "", "base64"),
      Number(attrs.i),
      32,
      "sha256",
    );
    const clientKey = createHmac("sha256", salted).update("Client Key").digest();
    const storedKey = createHash("sha256").update(clientKey).digest();
    const withoutProof = `c=biws,r=${nonce}`;
    const authMessage = `${this.#clientFirstBare},${serverFirst},${withoutProof}`;
    const signature = createHmac("sha256", storedKey).update(authMessage).digest();
    const proof = clientKey.map((b: number, i: number) => b ^ signature[i]!);
    const serverKey = createHmac("sha256", salted).update("Server Key").digest();
    this.#serverSignature = createHmac("sha256", serverKey).update(authMessage).digest("base64");
    return `${withoutProof},p=${Buffer.from(proof).toString("base64")}`;
  }

  verify(serverFinal: string): void {
    if (serverFinal !== `v=${this.#serverSignature}`) {
      throw new WireError("28000", "SCRAM: the server's signature does not match");
    }
  }
}
