import { deepStrictEqual } from "node:assert/strict";
import { cutPoint, parseInterval, parseRotation } from "./rotation.ts";

const enc = new TextEncoder();

Deno.test("parseRotation and parseInterval read counts, sizes and seconds", () => {
  deepStrictEqual(parseRotation("10k"), { statements: 10000 });
  deepStrictEqual(parseRotation("100MB"), { bytes: 100e6 });
  deepStrictEqual(parseRotation("1GiB"), { bytes: 2 ** 30 });
  deepStrictEqual(typeof parseRotation("0"), "string");
  deepStrictEqual(typeof parseRotation("5 parsecs"), "string");
  deepStrictEqual(parseInterval("5s"), { seconds: 5 });
  deepStrictEqual(parseInterval("1M"), { statements: 1e6 });
  deepStrictEqual(typeof parseInterval("1MB"), "string");
});

Deno.test("cutPoint ends files at statement boundaries", () => {
  const chunk = enc.encode("aa;\nb;\ncccc;\n"); // lines end at bytes 4, 7, 13
  const empty = { statements: 0, bytes: 0 };
  deepStrictEqual(cutPoint(chunk, 3, empty, { statements: 4 }), undefined);
  deepStrictEqual(cutPoint(chunk, 3, empty, { statements: 3 }), { bytes: 13, statements: 3 });
  deepStrictEqual(cutPoint(chunk, 3, { statements: 2, bytes: 9 }, { statements: 3 }), {
    bytes: 4,
    statements: 1,
  });
  deepStrictEqual(cutPoint(chunk, 3, empty, { bytes: 14 }), undefined);
  deepStrictEqual(cutPoint(chunk, 3, empty, { bytes: 5 }), { bytes: 7, statements: 2 });
  deepStrictEqual(cutPoint(chunk, 3, empty, { bytes: 4 }), { bytes: 4, statements: 1 });
  deepStrictEqual(cutPoint(chunk, 3, { statements: 1, bytes: 100 }, { bytes: 50 }), {
    bytes: 4,
    statements: 1,
  });
});
