/**
 * The messages of PostgreSQL's frontend/backend protocol that the wire
 * client (wire.ts) writes and reads: framing, Query, Parse/Bind/Execute/Sync
 * with text parameters, and the few backend fields it decodes (errors, data
 * rows, command tags). Byte-level and allocation-lean, since every statement
 * of `run`, `events` and `workload` passes through here.
 *
 * Protocol reference: PostgreSQL "Frontend/Backend Protocol", message formats.
 *
 * @module
 */
import { quoteLiteral } from "../dialect/quote.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A failure with the SQLSTATE a libpq client would report. */
export class WireError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

/** One message: type byte, then an int32 length that counts itself, then the body. */
export function message(type: number, body: Uint8Array): Uint8Array {
  const m = new Uint8Array(5 + body.length);
  m[0] = type;
  new DataView(m.buffer).setInt32(1, 4 + body.length);
  m.set(body, 5);
  return m;
}

/** A Query message ('Q'): the SQL as a C string. */
export function queryMessage(sql: string): Uint8Array {
  const m = new Uint8Array(6 + sql.length * 3);
  const { written } = encoder.encodeInto(sql, m.subarray(5));
  m[5 + written] = 0;
  m[0] = 81;
  new DataView(m.buffer).setInt32(1, 5 + written);
  return m.subarray(0, 6 + written);
}

export function cstring(s: string): Uint8Array {
  const b = encoder.encode(s);
  const out = new Uint8Array(b.length + 1);
  out.set(b);
  return out;
}

export function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** ErrorResponse/NoticeResponse fields: code byte, then a C string, until a 0 byte. */
export function errorFields(body: Uint8Array): { code: string; message: string; severity: string } {
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
export function parseMessage(name: string, text: string): Uint8Array {
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
export function nameOf(name: string): Uint8Array {
  let b = nameBytes.get(name);
  if (b === undefined) nameBytes.set(name, b = encoder.encode(name));
  return b;
}

/** Bytes of Bind and Execute (and Sync) for a statement named `name` with `params`. */
export function bindLength(name: Uint8Array, params: Uint8Array, sync: boolean): number {
  return 1 + 4 + 1 + name.length + 1 + 2 + 2 + params.length + 2 + 10 + (sync ? 5 : 0);
}

/**
 * Writes Bind, Execute and (with `sync`) Sync into `out` at `at`: the
 * unnamed portal, every parameter and result column in text format, every
 * row. Returns the bytes written ({@link bindLength}).
 */
export function writeBind(
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
export function bindMessages(name: string, params: Uint8Array, count: number, sync = true): Uint8Array {
  const n = nameOf(name);
  const out = new Uint8Array(bindLength(n, params, sync));
  writeBind(out, 0, n, params, count, sync);
  return out;
}

/** A DataRow's cells as text (the simple protocol sends text); NULL is a length of -1. */
export function dataRow(buf: Uint8Array, at: number): (string | null)[] {
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
export function textAt(buf: Uint8Array, at: number, len: number): string {
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
export function tagCount(buf: Uint8Array, at: number, end: number): number {
  let n = 0, scale = 1;
  for (let i = end - 2; i >= at; i--) {
    const c = buf[i]!;
    if (c < 48 || c > 57) break;
    n += (c - 48) * scale;
    scale *= 10;
  }
  return n;
}
