/**
 * Pattern trees (core/data/pattern.ts) as kernel pattern words
 * (value_ops.ts: P_*). Offsets inside a node are bytes from the node's
 * start, so a pattern is position-independent.
 *
 * @module
 */
import * as v from "../../wasm/value_ops.ts";
import type { Pattern } from "../data/pattern.ts";
import type { ImageBuilder } from "./image.ts";

function encode(image: ImageBuilder, p: Pattern): number[] {
  switch (p.kind) {
    case "literal":
      return [v.P_LIT, image.bytes(p.bytes), p.bytes.length];
    case "class":
      return [v.P_CLASS, image.bytes(p.bytes), p.bytes.length];
    case "seq":
      return [v.P_SEQ, p.items.length, ...p.items.flatMap((item) => encode(image, item))];
    case "repeat":
      return [v.P_REPEAT, p.min, p.max, ...encode(image, p.body)];
    case "alt": {
      const options = p.options.map((o) => encode(image, o));
      const head = 2 + options.length + 1;
      const offsets: number[] = [];
      let at = head * 4;
      for (const o of options) {
        offsets.push(at);
        at += o.length * 4;
      }
      return [v.P_ALT, options.length, ...offsets, at, ...options.flat()];
    }
  }
}

/** Writes a pattern's words; returns their address (V_PATTERN's argument). */
export function writePattern(image: ImageBuilder, p: Pattern): number {
  const words = encode(image, p);
  return image.words(words);
}
