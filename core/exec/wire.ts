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
 * The messages themselves are in wire_messages.ts, SCRAM in wire_scram.ts.
 * Protocol reference: PostgreSQL "Frontend/Backend Protocol".
 *
 * @module
 */
import type { BoundStatement, Failure, Outcome, QueryOutcome, TransactingTarget } from "./targets.ts";
import { ConnectionError, type CopyHooks, CopyWriter } from "./wire_copy.ts";
import { createHash } from "node:crypto";
import { Outbox } from "./wire_outbox.ts";
import {
  bindLength,
  bindMessages,
  concat,
  cstring,
  dataRow,
  errorFields,
  message,
  nameOf,
  parseMessage,
  queryMessage,
  tagCount,
  WireError,
  writeBind,
} from "./wire_messages.ts";
import { Scram } from "./wire_scram.ts";

export { paramValues, shownWithParams, textParams } from "./wire_messages.ts";

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
