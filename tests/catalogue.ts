/**
 * The catalogue's validity table: every built-in grammar, N statements each
 * (default 20,000) on PostgreSQL at 127.0.0.1 and on PGlite, through
 * tests/validity.ts. Prints one Markdown row per grammar.
 *
 * Usage: deno run -A tests/catalogue.ts [statements per grammar] [grammar ...]
 *
 * @module
 */
import { BUILTIN_GRAMMARS } from "../grammars/mod.ts";
import { checkValidity, isGeneratorBug, type TargetReport } from "./validity.ts";

const count = Number(Deno.args[0] ?? 20000);
const names = Deno.args.length > 1 ? Deno.args.slice(1) : [...BUILTIN_GRAMMARS.keys()];

function cells(t: TargetReport): string {
  let bugs = 0, expected = 0;
  for (const [code, n] of Object.entries(t.errors)) {
    if (isGeneratorBug(code)) bugs += n;
    else expected += n;
  }
  const top = Object.entries(t.errors).sort((a, b) => b[1] - a[1]).slice(0, 3).map(([c, n]) => `${c}×${n}`)
    .join(" ");
  return `${bugs} (${((100 * bugs) / t.statements).toFixed(3)} %) | ${expected}${top ? ` (${top})` : ""} | ${
    Math.round(t.statements / t.seconds)
  }`;
}

console.log(
  "| grammar | statements | parser rejects | PG 15 generator bugs | PG 15 expected errors | PG 15 stmt/s | " +
    "PGlite generator bugs | PGlite expected errors | PGlite stmt/s |",
);
console.log("|---|---|---|---|---|---|---|---|---|");
for (const name of names) {
  const r = await checkValidity(count, name);
  const [pg, lite] = r.targets;
  console.log(`| ${name} | ${r.count} | ${r.parseFailureCount} | ${cells(pg!)} | ${cells(lite!)} |`);
  for (const t of r.targets) {
    for (const b of t.bugs.slice(0, 2)) {
      console.error(`  ${name} ${t.target} ${b.code} ${b.message}: ${b.sql.slice(0, 200)}`);
    }
  }
}
