import { deepStrictEqual, match } from "node:assert/strict";
import { formatSeed, parseSeed, randomSeed } from "./seed.ts";

Deno.test("a 64-hex seed reads back as itself", () => {
  const hex = "0123456789abcdef".repeat(4);
  const s = parseSeed(hex);
  deepStrictEqual(typeof s === "string" ? s : formatSeed(s), hex);
  deepStrictEqual(parseSeed(`0x${hex.toUpperCase()}`), s);
});

Deno.test("a decimal seed expands to 256 bits through splitmix64", () => {
  const s = parseSeed("0");
  deepStrictEqual(typeof s !== "string" && s[0], 0xe220a8397b1dcdafn);
  deepStrictEqual(parseSeed(formatSeed(s as never)), s);
});

Deno.test("bad seeds are explained", () => {
  for (const bad of ["", "xyz", "18446744073709551616", "0x12"]) {
    match(String(parseSeed(bad)), /must be 64 hex digits/);
  }
});

Deno.test("random seeds differ", () => {
  deepStrictEqual(formatSeed(randomSeed()) === formatSeed(randomSeed()), false);
});
