import { deepStrictEqual } from "node:assert/strict";
import { checkValidity, isGeneratorBug } from "./validity.ts";

// The closing note reports the 100,000-statement run of `deno task validity`;
// CI checks a smaller sample against the same real parser and databases.
const COUNT = Number(Deno.env.get("QUARRY_VALIDITY_COUNT") ?? 10000);

Deno.test({
  name: `dml_unique: ${COUNT} statements parse, and run on PostgreSQL and PGlite without generator errors`,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const report = await checkValidity(COUNT);
    deepStrictEqual([report.parseFailureCount, report.parseFailures], [0, []]);
    deepStrictEqual(report.targets.map((t) => t.target), ["postgresql", "pglite"]);
    for (const t of report.targets) {
      const bugs = Object.entries(t.errors).filter(([code]) => isGeneratorBug(code));
      deepStrictEqual({ target: t.target, bugs, examples: t.bugs }, {
        target: t.target,
        bugs: [],
        examples: [],
      });
      // The run must have done real work: most statements succeed.
      const failed = Object.values(t.errors).reduce((s, n) => s + n, 0);
      deepStrictEqual(failed < COUNT / 2, true, `${t.target}: ${failed} of ${COUNT} failed`);
    }
  },
});
