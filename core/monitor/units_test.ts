import { deepStrictEqual } from "node:assert/strict";
import { parseBytes, parseDuration, parseRate, parseRatio } from "./units.ts";

Deno.test("units: what monitoring settings accept, and what they refuse", () => {
  deepStrictEqual(["10s", "1.5s", "500ms", "2m", "1h", 3, "1_000"].map(parseDuration), [
    10,
    1.5,
    0.5,
    120,
    3600,
    3,
    1000,
  ]);
  for (const bad of ["0s", 0, -1, "soon", "10 s", "1d", true]) {
    deepStrictEqual(typeof parseDuration(bad), "string", String(bad));
  }
  deepStrictEqual(["500k", "1.5M", "2G", "10_000", 7].map(parseRate), [5e5, 1.5e6, 2e9, 1e4, 7]);
  deepStrictEqual(typeof parseRate("fast"), "string");
  deepStrictEqual(typeof parseRate(0), "string");
  deepStrictEqual(["4GiB", "512MB", "1.5 GiB", "100kb", 4096].map(parseBytes), [
    4 * 2 ** 30,
    512e6,
    1.5 * 2 ** 30,
    1e5,
    4096,
  ]);
  deepStrictEqual(typeof parseBytes("4 gigs"), "string");
  deepStrictEqual(["1%", "0.5 %", 0.25, 0, 1].map(parseRatio), [0.01, 0.005, 0.25, 0, 1]);
  for (const bad of ["101%", 1.5, -0.1, "0.1", null]) deepStrictEqual(typeof parseRatio(bad), "string");
});
