/**
 * The Parquet footer, rewritten: a Thrift compact-protocol codec that keeps
 * every field it does not understand, and the one patch the writer needs
 * (the UUID logical type, which parquet-wasm 0.8.0 cannot write).
 *
 * The footer is `FileMetaData` in Thrift's compact protocol, then its length
 * (4 bytes, little-endian) and "PAR1". Column chunks are addressed by
 * absolute offsets into the data before it, so replacing the footer leaves
 * the data valid whatever the new footer's length.
 *
 * Decoding builds a generic tree (field ids, wire types and values, with the
 * header forms as read) instead of a typed model, so re-encoding an unpatched
 * tree gives back the same bytes, including fields this module has never
 * heard of. `npm:hyparquet`'s decoder keeps no wire types (an i16 comes back
 * as a number, re-encoded by `npm:hyparquet-writer` as an i32, which a typed
 * reader skips: RowGroup.ordinal would be lost), and its typed
 * `parquetMetadata` → `writeMetadata` path drops fields (ordinal again) and
 * re-derives statistics, so neither round-trips parquet-wasm's footer.
 *
 * Thrift compact protocol, as used here: a struct is a sequence of fields,
 * each a header byte (id delta in the high nibble, type in the low one; delta
 * 0 means a zigzag varint id follows), ending with a 0 byte. Booleans live in
 * the header's type (1 true, 2 false); i8 is one byte; i16/i32/i64 are zigzag
 * ULEB128 varints; doubles 8 bytes little-endian; binary a varint length and
 * bytes; a list or set a header byte (size in the high nibble, 15 meaning a
 * varint size follows, element type in the low one) and its elements; a map
 * a varint size and, when not empty, one byte of key and value types.
 *
 * @module
 */

/** Compact-protocol wire types. */
export const T = {
  STOP: 0,
  TRUE: 1,
  FALSE: 2,
  I8: 3,
  I16: 4,
  I32: 5,
  I64: 6,
  DOUBLE: 7,
  BINARY: 8,
  LIST: 9,
  SET: 10,
  MAP: 11,
  STRUCT: 12,
  UUID: 13,
} as const;

/**
 * A decoded value: booleans (in a struct field), i8/i16/i32 and doubles as
 * numbers, i64 as bigint, binary and uuid as bytes, and the containers. A
 * boolean element of a list, set or map stays the raw byte it was sent as.
 */
export type ThriftValue = boolean | number | bigint | Uint8Array | ThriftStruct | ThriftList | ThriftMap;

/** One field of a struct, in wire order. */
export interface ThriftField {
  id: number;
  /** Wire type; a boolean field is `T.TRUE` whatever its value. */
  type: number;
  value: ThriftValue;
  /** Sent with the long header (type byte, then the id as a varint). */
  long: boolean;
}

/** A struct; its fields in the order they were sent. */
export interface ThriftStruct {
  kind: "struct";
  fields: ThriftField[];
}

/** A list or a set (the same encoding). */
export interface ThriftList {
  kind: "list";
  type: typeof T.LIST | typeof T.SET;
  elementType: number;
  items: ThriftValue[];
  /** Sent with the long header (size as a varint) although it has fewer than 15 items. */
  long: boolean;
}

/** A map, its entries in the order they were sent. */
export interface ThriftMap {
  kind: "map";
  keyType: number;
  valueType: number;
  entries: [ThriftValue, ThriftValue][];
}

/** Thrown for bytes that are not a compact-protocol struct. */
export class ThriftSyntaxError extends SyntaxError {
  /** Byte offset in the input where decoding failed. */
  readonly offset: number;

  /**
   * @param message What is wrong.
   * @param offset Where in the input.
   */
  constructor(message: string, offset: number) {
    super(`${message} at byte ${offset} of the Thrift struct.`);
    this.name = "ThriftSyntaxError";
    this.offset = offset;
  }
}

/** Nesting deeper than this is refused (FileMetaData nests 6 deep). */
const MAX_DEPTH = 64;

/**
 * Decodes one compact-protocol struct that fills `bytes` exactly.
 *
 * @param bytes The encoded struct, e.g. a Parquet footer without its length and magic.
 * @returns The struct as a generic tree; its binary values are views of `bytes`.
 * @throws {ThriftSyntaxError} When the bytes are truncated, use an unknown type or have bytes left over.
 *
 * @example Decode and re-encode a struct {1: i32 = -1, 2: true}
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 * import { decodeThrift, encodeThrift, T } from "./_parquet_footer.ts";
 *
 * const bytes = new Uint8Array([0x15, 0x01, 0x11, 0x00]);
 * const s = decodeThrift(bytes);
 * assertEquals(s.fields.map((f) => [f.id, f.type, f.value]), [[1, T.I32, -1], [2, T.TRUE, true]]);
 * assertEquals(encodeThrift(s), bytes);
 * ```
 */
export function decodeThrift(bytes: Uint8Array): ThriftStruct {
  const r = new Reader(bytes);
  const s = r.struct(0);
  if (r.at !== bytes.length) {
    throw new ThriftSyntaxError(`${bytes.length - r.at} bytes follow the struct`, r.at);
  }
  return s;
}

/**
 * Encodes a struct in the compact protocol. A tree from {@linkcode decodeThrift},
 * unchanged, encodes to the bytes it came from (as long as those used
 * shortest varints, as every Thrift library writes them). A field whose id
 * delta does not fit the short header gets the long one.
 *
 * @param s The struct.
 * @returns Its bytes.
 * @throws {RangeError} For a field id outside 1..32767 or a value that does not fit its type.
 */
export function encodeThrift(s: ThriftStruct): Uint8Array {
  const w = new Writer();
  w.struct(s);
  return w.bytes();
}

class Reader {
  at = 0;
  readonly #view: DataView;

  constructor(readonly buf: Uint8Array) {
    this.#view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  #need(n: number): void {
    if (this.at + n > this.buf.length) throw new ThriftSyntaxError(`Truncated: ${n} bytes needed`, this.at);
  }

  byte(): number {
    this.#need(1);
    return this.buf[this.at++]!;
  }

  take(n: number): Uint8Array {
    this.#need(n);
    const out = this.buf.subarray(this.at, this.at + n);
    this.at += n;
    return out;
  }

  /** An unsigned varint: a number below 2^49 (7 bytes or fewer), else a bigint. */
  varint(): number | bigint {
    const start = this.at;
    let v = 0;
    for (let scale = 1, i = 0; i < 7; i++, scale *= 128) {
      const b = this.byte();
      v += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) return v;
    }
    this.at = start;
    let big = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      const b = this.byte();
      big |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return big;
    }
    throw new ThriftSyntaxError("A varint longer than 10 bytes", this.at);
  }

  /** An unsigned varint that must fit 32 bits (sizes and lengths). */
  size(): number {
    const start = this.at;
    const v = this.varint();
    if (typeof v === "bigint" || v > 0xffffffff) throw new ThriftSyntaxError("A size over 32 bits", start);
    return v;
  }

  zigzag(bits: 16 | 32): number;
  zigzag(bits: 64): bigint;
  zigzag(bits: 16 | 32 | 64): number | bigint {
    const start = this.at;
    const u = this.varint();
    let v: number | bigint;
    if (typeof u === "number") {
      v = u % 2 === 0 ? u / 2 : -(u + 1) / 2;
      if (bits === 64) return BigInt(v);
    } else {
      v = (u >> 1n) ^ -(u & 1n);
      if (bits === 64) {
        if (v !== BigInt.asIntN(64, v)) throw new ThriftSyntaxError("An i64 out of range", start);
        return v;
      }
      v = Number(v);
    }
    const limit = 2 ** (bits - 1);
    if (v < -limit || v >= limit) throw new ThriftSyntaxError(`An i${bits} out of range`, start);
    return v;
  }

  struct(depth: number): ThriftStruct {
    if (depth > MAX_DEPTH) throw new ThriftSyntaxError(`Nesting deeper than ${MAX_DEPTH}`, this.at);
    const fields: ThriftField[] = [];
    let last = 0;
    for (;;) {
      const header = this.byte();
      const type = header & 0x0f;
      if (type === T.STOP) {
        if (header !== 0) throw new ThriftSyntaxError(`Stop byte ${header} is not 0`, this.at - 1);
        return { kind: "struct", fields };
      }
      const delta = header >> 4;
      const long = delta === 0;
      const id = long ? this.zigzag(16) : last + delta;
      last = id;
      if (type === T.TRUE || type === T.FALSE) {
        fields.push({ id, type: T.TRUE, value: type === T.TRUE, long });
      } else {
        fields.push({ id, type, value: this.value(type, depth), long });
      }
    }
  }

  value(type: number, depth: number): ThriftValue {
    switch (type) {
      case T.TRUE:
      case T.FALSE:
        return this.byte(); // an element: the raw byte
      case T.I8:
        return (this.byte() << 24) >> 24;
      case T.I16:
        return this.zigzag(16);
      case T.I32:
        return this.zigzag(32);
      case T.I64:
        return this.zigzag(64);
      case T.DOUBLE: {
        this.#need(8);
        const v = this.#view.getFloat64(this.at, true);
        this.at += 8;
        return v;
      }
      case T.BINARY: {
        return this.take(this.size());
      }
      case T.UUID:
        return this.take(16);
      case T.LIST:
      case T.SET: {
        const header = this.byte();
        const elementType = header & 0x0f;
        const short = header >> 4;
        const n = short === 15 ? this.size() : short;
        const items: ThriftValue[] = [];
        for (let i = 0; i < n; i++) items.push(this.value(elementType, depth + 1));
        return { kind: "list", type, elementType, items, long: short === 15 && n < 15 };
      }
      case T.MAP: {
        const n = this.size();
        const types = n === 0 ? 0 : this.byte();
        const keyType = types >> 4, valueType = types & 0x0f;
        const entries: [ThriftValue, ThriftValue][] = [];
        for (let i = 0; i < n; i++) {
          entries.push([this.value(keyType, depth + 1), this.value(valueType, depth + 1)]);
        }
        return { kind: "map", keyType, valueType, entries };
      }
      case T.STRUCT:
        return this.struct(depth + 1);
      default:
        throw new ThriftSyntaxError(`Unknown wire type ${type}`, this.at - 1);
    }
  }
}

/** Integers below this in magnitude zigzag-encode as numbers. */
const SAFE = 2n ** 52n;

class Writer {
  #buf = new Uint8Array(1024);
  #at = 0;

  bytes(): Uint8Array {
    return this.#buf.slice(0, this.#at);
  }

  #room(n: number): void {
    if (this.#at + n <= this.#buf.length) return;
    const grown = new Uint8Array(Math.max(this.#buf.length * 2, this.#at + n));
    grown.set(this.#buf.subarray(0, this.#at));
    this.#buf = grown;
  }

  byte(b: number): void {
    this.#room(1);
    this.#buf[this.#at++] = b;
  }

  raw(bytes: Uint8Array): void {
    this.#room(bytes.length);
    this.#buf.set(bytes, this.#at);
    this.#at += bytes.length;
  }

  /** An unsigned varint; numbers must be safe integers. */
  varint(v: number | bigint): void {
    if (typeof v === "number") {
      for (; v >= 0x80; v = Math.floor(v / 0x80)) this.byte((v % 0x80) | 0x80);
      return this.byte(v);
    }
    for (; v >= 0x80n; v >>= 7n) this.byte(Number(v & 0x7fn) | 0x80);
    this.byte(Number(v));
  }

  zigzag(v: number | bigint, bits: 16 | 32 | 64): void {
    if (typeof v === "number") {
      const limit = 2 ** (bits - 1);
      if (!Number.isInteger(v) || v < -limit || v >= limit) {
        throw new RangeError(`${v} does not fit a Thrift i${bits}.`);
      }
      if (Math.abs(v) < 2 ** 52) return this.varint(v >= 0 ? 2 * v : -2 * v - 1);
      v = BigInt(v);
    }
    if (v > -SAFE && v < SAFE) return this.zigzag(Number(v), bits);
    if (v !== BigInt.asIntN(bits, v)) throw new RangeError(`${v} does not fit a Thrift i${bits}.`);
    this.varint(v >= 0n ? v << 1n : ((-v) << 1n) - 1n);
  }

  struct(s: ThriftStruct): void {
    let last = 0;
    for (const f of s.fields) {
      if (!Number.isInteger(f.id) || f.id < 1 || f.id > 32767) {
        throw new RangeError(`Thrift field id ${f.id} is outside 1..32767.`);
      }
      const type = f.type === T.TRUE || f.type === T.FALSE ? (f.value === true ? T.TRUE : T.FALSE) : f.type;
      const delta = f.id - last;
      if (f.long || delta < 1 || delta > 15) {
        this.byte(type);
        this.zigzag(f.id, 16);
      } else {
        this.byte((delta << 4) | type);
      }
      last = f.id;
      if (type !== T.TRUE && type !== T.FALSE) this.value(type, f.value);
    }
    this.byte(T.STOP);
  }

  value(type: number, v: ThriftValue): void {
    switch (type) {
      case T.TRUE:
      case T.FALSE:
        return this.byte(typeof v === "boolean" ? (v ? 1 : 2) : num(v, type));
      case T.I8: {
        const n = num(v, type);
        if (!Number.isInteger(n) || n < -128 || n > 127) {
          throw new RangeError(`${n} does not fit a Thrift i8.`);
        }
        return this.byte(n & 0xff);
      }
      case T.I16:
        return this.zigzag(num(v, type), 16);
      case T.I32:
        return this.zigzag(num(v, type), 32);
      case T.I64:
        if (typeof v !== "bigint" && typeof v !== "number") throw mismatch(v, type);
        return this.zigzag(v, 64);
      case T.DOUBLE: {
        const n = num(v, type);
        this.#room(8);
        new DataView(this.#buf.buffer).setFloat64(this.#at, n, true);
        this.#at += 8;
        return;
      }
      case T.BINARY:
        if (!(v instanceof Uint8Array)) throw mismatch(v, type);
        this.varint(v.length);
        return this.raw(v);
      case T.UUID:
        if (!(v instanceof Uint8Array) || v.length !== 16) throw mismatch(v, type);
        return this.raw(v);
      case T.LIST:
      case T.SET: {
        if (typeof v !== "object" || !("kind" in v) || v.kind !== "list") throw mismatch(v, type);
        const n = v.items.length;
        if (n < 15 && !v.long) {
          this.byte((n << 4) | v.elementType);
        } else {
          this.byte(0xf0 | v.elementType);
          this.varint(n);
        }
        for (const item of v.items) this.value(v.elementType, item);
        return;
      }
      case T.MAP: {
        if (typeof v !== "object" || !("kind" in v) || v.kind !== "map") throw mismatch(v, type);
        this.varint(v.entries.length);
        if (v.entries.length > 0) this.byte((v.keyType << 4) | v.valueType);
        for (const [k, x] of v.entries) {
          this.value(v.keyType, k);
          this.value(v.valueType, x);
        }
        return;
      }
      case T.STRUCT:
        if (typeof v !== "object" || !("kind" in v) || v.kind !== "struct") throw mismatch(v, type);
        return this.struct(v);
      default:
        throw new RangeError(`Unknown Thrift wire type ${type}.`);
    }
  }
}

function num(v: ThriftValue, type: number): number {
  if (typeof v !== "number") throw mismatch(v, type);
  return v;
}

function mismatch(v: ThriftValue, type: number): RangeError {
  const what = typeof v === "object" && "kind" in v ? v.kind : typeof v;
  return new RangeError(`A ${what} cannot be written as Thrift wire type ${type}.`);
}

// Parquet's FileMetaData, as far as the patch needs it (parquet.thrift).
const FILE_SCHEMA = 2; // list<SchemaElement>
const ELEMENT_TYPE = 1; // Type
const ELEMENT_TYPE_LENGTH = 2;
const ELEMENT_NAME = 4;
const ELEMENT_NUM_CHILDREN = 5;
const ELEMENT_LOGICAL_TYPE = 10; // LogicalType (a union)
const LOGICAL_UUID = 14; // UUIDType (an empty struct)
const FIXED_LEN_BYTE_ARRAY = 7;

/** The footer's place in a file's last bytes. */
export interface FooterSpan {
  /** Where FileMetaData begins in `tail`. */
  start: number;
  /** Its length; it ends 8 bytes before the end of `tail`. */
  length: number;
}

/**
 * Finds the footer in the last bytes of a Parquet file.
 *
 * @param tail The file's last bytes: at least the footer, its length and "PAR1".
 * @returns Where FileMetaData lies in `tail`, or undefined when `tail` does not
 * end with "PAR1" or is shorter than the length it names.
 */
export function findFooter(tail: Uint8Array): FooterSpan | undefined {
  const n = tail.length;
  if (n < 8 || tail[n - 4] !== 0x50 || tail[n - 3] !== 0x41 || tail[n - 2] !== 0x52 || tail[n - 1] !== 0x31) {
    return undefined;
  }
  const length = new DataView(tail.buffer, tail.byteOffset + n - 8, 4).getUint32(0, true);
  if (length > n - 8) return undefined;
  return { start: n - 8 - length, length };
}

/**
 * Frames FileMetaData as a file's last bytes: itself, its length, "PAR1".
 *
 * @param metadata Encoded FileMetaData.
 * @returns The footer bytes.
 */
export function frameFooter(metadata: Uint8Array): Uint8Array {
  const out = new Uint8Array(metadata.length + 8);
  out.set(metadata);
  new DataView(out.buffer).setUint32(metadata.length, metadata.length, true);
  out.set([0x50, 0x41, 0x52, 0x31], metadata.length + 4);
  return out;
}

/**
 * Gives the named top-level columns the UUID logical type in a FileMetaData
 * written for a flat schema (the root, then one leaf per column, in order).
 * Everything else is kept byte for byte.
 *
 * @param metadata Encoded FileMetaData.
 * @param columns Every column's name, in schema order.
 * @param uuid Indexes into `columns` of the uuid columns; each must be FIXED_LEN_BYTE_ARRAY(16).
 * @returns The patched FileMetaData.
 * @throws {ThriftSyntaxError} When `metadata` does not decode.
 * @throws {Error} When the schema is not the flat one expected, or the codec
 * does not reproduce `metadata` exactly before the patch (the patch would change more than it should).
 */
export function withUuidLogicalType(
  metadata: Uint8Array,
  columns: readonly string[],
  uuid: readonly number[],
): Uint8Array {
  const root = decodeThrift(metadata);
  if (!same(encodeThrift(root), metadata)) {
    throw new Error(
      "The Parquet footer does not re-encode to its own bytes, so it cannot be patched safely.",
    );
  }
  const schema = field(root, FILE_SCHEMA)?.value;
  if (!isList(schema) || schema.items.length !== columns.length + 1) {
    throw new Error(`The Parquet footer's schema does not have ${columns.length + 1} elements.`);
  }
  const top = schema.items[0];
  if (!isStruct(top) || field(top, ELEMENT_NUM_CHILDREN)?.value !== columns.length) {
    throw new Error(`The Parquet footer's root does not have ${columns.length} children.`);
  }
  const names = new TextDecoder();
  for (const i of uuid) {
    const el = schema.items[i + 1];
    const name = isStruct(el) ? field(el, ELEMENT_NAME)?.value : undefined;
    if (
      !isStruct(el) || !(name instanceof Uint8Array) || names.decode(name) !== columns[i] ||
      field(el, ELEMENT_TYPE)?.value !== FIXED_LEN_BYTE_ARRAY || field(el, ELEMENT_TYPE_LENGTH)?.value !== 16
    ) {
      throw new Error(`Column "${columns[i]}" is not FIXED_LEN_BYTE_ARRAY(16) in the Parquet footer.`);
    }
    const uuidType: ThriftStruct = {
      kind: "struct",
      fields: [{ id: LOGICAL_UUID, type: T.STRUCT, value: { kind: "struct", fields: [] }, long: false }],
    };
    put(el, { id: ELEMENT_LOGICAL_TYPE, type: T.STRUCT, value: uuidType, long: false });
  }
  return encodeThrift(root);
}

function field(s: ThriftStruct, id: number): ThriftField | undefined {
  return s.fields.find((f) => f.id === id);
}

/** Replaces the field with `f`'s id, or inserts `f` before the first field with a higher id. */
function put(s: ThriftStruct, f: ThriftField): void {
  const at = s.fields.findIndex((g) => g.id >= f.id);
  if (at === -1) s.fields.push(f);
  else s.fields.splice(at, s.fields[at]!.id === f.id ? 1 : 0, f);
}

function isStruct(v: ThriftValue | undefined): v is ThriftStruct {
  return typeof v === "object" && "kind" in v && v.kind === "struct";
}

function isList(v: ThriftValue | undefined): v is ThriftList {
  return typeof v === "object" && "kind" in v && v.kind === "list";
}

function same(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
