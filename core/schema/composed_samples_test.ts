import { deepStrictEqual, match, ok } from "node:assert/strict";
import { checkPattern, patternSample } from "./composed_samples.ts";
import { columnType } from "./types.ts";
import type { UserType } from "./model.ts";

Deno.test("pattern samples match their expression, as written and as PostgreSQL prints the CHECK", () => {
  const checks: [string, RegExp][] = [
    ["VALUE ~ '^[A-Z]{3}-[0-9]{4}$'", /^[A-Z]{3}-[0-9]{4}$/],
    ["(VALUE ~ '^[a-z]+(_[a-z0-9]+)?$'::text)", /^[a-z]+(_[a-z0-9]+)?$/],
    ["((VALUE)::text ~ '^\\d{5}(-\\d{4})?$'::text)", /^\d{5}(-\d{4})?$/],
    ["VALUE ~ '^(red|green|blue)\\.\\w{2}$'", /^(red|green|blue)\.\w{2}$/],
  ];
  for (const [check, re] of checks) {
    const p = checkPattern(check);
    ok(p, check);
    const samples = Array.from({ length: 64 }, (_, r) => patternSample(p, r));
    for (const s of samples) match(s, re, check);
    ok(new Set(samples).size > 10, `${check}: samples vary`);
  }
  deepStrictEqual(checkPattern("VALUE > 0"), undefined);
  deepStrictEqual(checkPattern("VALUE ~ '(unclosed'"), undefined);
});

Deno.test("arrays, composites and domains of user types resolve to typed samples", () => {
  const types: UserType[] = [
    { kind: "enum", name: "mood", labels: ["sad", "it's ok"] },
    { kind: "domain", name: "pct", base: "integer", checks: ["VALUE >= 0", "VALUE <= 100"] },
    { kind: "domain", name: "code", base: "text", checks: ["VALUE ~ '^[A-Z]{2}$'"] },
    {
      kind: "composite",
      name: "box",
      attributes: [{ name: "m", type: "mood[]" }, { name: "p", type: "pct" }, { name: "c", type: "code" }],
    },
    { kind: "domain", name: "boxes", base: "box[]" },
    { kind: "domain", name: "mood_d", base: "mood" },
  ];
  const schema = { types };
  const t = (name: string) => {
    const r = columnType(schema, name);
    if (typeof r === "string") throw new Error(r);
    return r;
  };
  match(t("mood[]").samples![1]!, /^ARRAY\['it''s ok'::mood\]::mood\[\]$/);
  deepStrictEqual(t("pct").range, [0, 100]);
  for (const s of t("pct[]").samples!) {
    for (const n of s.match(/-?\d+(?=[,\]])/g) ?? []) ok(Number(n) >= 0 && Number(n) <= 100, s);
  }
  match(t("code").samples![3]!, /^'[A-Z]{2}'::code$/);
  match(t("box").samples![2]!, /^ROW\(ARRAY\[.*\]::mood\[\], \d+, '[A-Z]{2}'::code\)::box$/);
  match(t("boxes").samples![4]!, /^CAST\(ARRAY\[ROW\(.*\)::box\]::box\[\] AS boxes\)$/);
  // PostgreSQL's enum operators do not take a domain over an enum.
  deepStrictEqual(t("mood_d").comparable, false);
  deepStrictEqual(t("box").comparable, true);
  deepStrictEqual(t("mood[]").comparable, true);
  // A type may name only the types listed before it.
  match(String(columnType({ types: [types[3]!] }, "box")), /unsupported type "mood"/);
});
