/**
 * A growing PROGRAM-region image for row programs: objects are laid out at
 * absolute addresses (the region starts at PROGRAM_BASE), text is interned
 * once, and any word can be patched after it was written (a table record is
 * reserved before its ops, which may point back at it).
 *
 * @module
 */
import { PROGRAM_BASE } from "../../wasm/layout.ts";

/** Bytes kept free after the image: the kernel copies text 8 bytes at a time. */
const TAIL_PADDING = 64;

/** An image under construction. */
export class ImageBuilder {
  #bytes = new Uint8Array(1 << 16);
  #view = new DataView(this.#bytes.buffer);
  #length = 0;
  readonly #text = new Map<string, [number, number]>();
  readonly #enc = new TextEncoder();

  /** Reserves `bytes` (zeroed) aligned to `align`; returns the absolute address. */
  alloc(bytes: number, align = 8): number {
    const at = Math.ceil(this.#length / align) * align;
    this.#grow(at + bytes + TAIL_PADDING);
    this.#length = at + bytes;
    return PROGRAM_BASE + at;
  }

  #grow(size: number): void {
    if (size <= this.#bytes.length) return;
    let n = this.#bytes.length;
    while (n < size) n *= 2;
    const next = new Uint8Array(n);
    next.set(this.#bytes);
    this.#bytes = next;
    this.#view = new DataView(next.buffer);
  }

  #at(addr: number): number {
    return addr - PROGRAM_BASE;
  }

  i32(addr: number, v: number): void {
    this.#view.setInt32(this.#at(addr), v, true);
  }

  u32(addr: number, v: number): void {
    this.#view.setUint32(this.#at(addr), v >>> 0, true);
  }

  i64(addr: number, v: bigint): void {
    this.#view.setBigInt64(this.#at(addr), BigInt.asIntN(64, v), true);
  }

  f64(addr: number, v: number): void {
    this.#view.setFloat64(this.#at(addr), v, true);
  }

  /** Reads back a word (tests, patching). */
  readI32(addr: number): number {
    return this.#view.getInt32(this.#at(addr), true);
  }

  /** Copies raw bytes into the image; returns their address. */
  bytes(b: Uint8Array, align = 1): number {
    const at = this.alloc(b.length, align);
    this.#bytes.set(b, this.#at(at));
    return at;
  }

  /** Interns UTF-8 text; returns [address, byte length]. */
  text(s: string): [number, number] {
    const hit = this.#text.get(s);
    if (hit) return hit;
    const b = this.#enc.encode(s);
    const entry: [number, number] = [this.bytes(b), b.length];
    this.#text.set(s, entry);
    return entry;
  }

  /** Writes i32 words; returns their address. */
  words(ws: readonly number[]): number {
    const at = this.alloc(ws.length * 4, 8);
    ws.forEach((w, i) => this.i32(at + i * 4, w));
    return at;
  }

  /** Overwrites bytes at an address (prefix tables computed after layout). */
  set(addr: number, b: Uint8Array): void {
    this.#bytes.set(b, this.#at(addr));
  }

  /** The image so far (a copy), padded for the kernel's 8-byte copies. */
  image(): Uint8Array {
    return this.#bytes.slice(0, this.#length + TAIL_PADDING);
  }
}
