import postgres from "postgres";
import { withTempDatabase } from "./tests/_database.ts";
import { loadParser } from "./core/exec/parser.ts";
import type { Schema, Table, Column } from "./core/schema/model.ts";
import { specFromSchema } from "./core/data/from_schema.ts";
import { compileTables } from "./core/data/compile.ts";
import { loadData } from "./core/data/load.ts";
import { validateSpec } from "./core/data/parse_spec.ts";
await loadParser();
let seed = Number(Deno.args[0] ?? 1);
const rnd = () => { seed |= 0; seed = seed + 0x6D2B79F5 | 0; let t = Math.imul(seed ^ seed >>> 15, 1 | seed); t = t + Math.imul(t ^ t >>> 7, 61 | t) ^ t; return ((t ^ t >>> 14) >>> 0) / 4294967296; };
const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)]!;
const NUM = ["smallint", "integer", "bigint", "numeric(6,2)", "numeric(10,3)", "numeric", "real", "double precision", "numeric(5,0)"];
const TEMP = ["date", "timestamp", "timestamptz"];
function boundVal(type: string): string {
  if (type === "date") return `'${2000 + Math.floor(rnd() * 30)}-0${1 + Math.floor(rnd() * 9)}-1${Math.floor(rnd() * 9)}'`;
  if (type.startsWith("timestamp")) return `'${2000 + Math.floor(rnd() * 30)}-0${1 + Math.floor(rnd() * 9)}-1${Math.floor(rnd() * 9)} ${10 + Math.floor(rnd() * 13)}:${10 + Math.floor(rnd() * 49)}:00'`;
  const mag = pick([1, 10, 100, 1000, 30000]);
  const v = Math.round((rnd() * 2 - 0.6) * mag * 100) / 100;
  return type.includes("int") || type === "numeric(5,0)" ? String(Math.round(v)) : String(v);
}
const tables: Table[] = [];
for (let ti = 0; ti < Number(Deno.args[1] ?? 30); ti++) {
  const family = rnd() < 0.5 ? NUM : TEMP;
  const n = 2 + Math.floor(rnd() * 3);
  const columns: Column[] = [];
  const checks: { name: string; expression: string }[] = [];
  for (let i = 0; i < n; i++) {
    const type = family === TEMP && rnd() < 0.7 ? family[ti % 3]! : pick(family);
    const c: Column = { name: `c${i}`, type };
    if (rnd() < 0.4) c.nullable = false;
    columns.push(c);
    const r = rnd();
    if (r < 0.3) { const a = boundVal(type), b = boundVal(type); checks.push({ name: `b${i}`, expression: `c${i} BETWEEN SYMMETRIC ${a} AND ${b}` }); }
    else if (r < 0.45) checks.push({ name: `b${i}`, expression: `c${i} ${pick([">", ">=", "<", "<="])} ${boundVal(type)}` });
  }
  const npairs = 1 + Math.floor(rnd() * 3);
  for (let k = 0; k < npairs; k++) {
    const i = Math.floor(rnd() * n), j = Math.floor(rnd() * n);
    if (i === j) continue;
    const op = pick(["<", "<=", ">", ">=", "<>"]);
    const lhs = rnd() < 0.2 && family === NUM ? `(c${i})::numeric` : `c${i}`;
    checks.push({ name: `p${k}`, expression: rnd() < 0.3 ? `(${lhs} ${op} c${j}) AND c${i} IS NOT NULL` : `${lhs} ${op} c${j}` });
  }
  tables.push({ name: `t${ti}`, columns, checks });
}
const schema: Schema = { name: "fuzz", tables };
const derived = specFromSchema(schema, { rows: 3000 });
const errs = validateSpec(derived.spec);
if (errs.length) { console.log("INVALID", errs); Deno.exit(1); }
// Keep only checks not warned about.
const warned = new Set(derived.warnings.map((w) => /check "([^"]+)"/.exec(w)?.[1] && /^table "(t\d+)"/.exec(w)?.[1] + "." + /check "([^"]+)"/.exec(w)![1]));
let kept = 0, total = 0;
const loadSchema: Schema = { ...schema, tables: tables.map((t) => ({ ...t, checks: t.checks!.filter((c) => { total++; const k = !warned.has(`${t.name}.${c.name}`); if (k && c.name.startsWith("p")) kept++; return k; }) })) };
const compiled = compileTables(derived.planned, { seed: [BigInt(seed >>> 0), 2n, 3n, 4n] });
await withTempDatabase(async (url) => {
  const failures: string[] = [];
  for (const t of compiled.tables) {
    try { await loadData(compiled, { db: url, schema: { ...loadSchema, tables: loadSchema.tables.filter((x) => x.name === t.name) }, tables: [t.name] }); }
    catch (e) { failures.push(`${t.name}: ${(e as Error).message.split("\n")[0]} :: ${JSON.stringify(loadSchema.tables.find((x) => x.name === t.name))} :: ${JSON.stringify(derived.spec.tables[t.name])}`); }
  }
  console.log(`seed ${Deno.args[0]}: pair checks kept ${kept}; failures ${failures.length}`);
  for (const f of failures) console.log(f);
});
