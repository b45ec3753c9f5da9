import { loadParser } from "./core/exec/parser.ts";
import { parseSchema } from "./core/schema/parse.ts";
import { randomSchema } from "./core/schema/random.ts";
import { parseDialect, type Dialect } from "./core/dialect/dialects.ts";
import { parseSeed, type Seed } from "./core/seed.ts";
import { specFromSchema } from "./core/data/from_schema.ts";
await loadParser();
const out: unknown[] = [];
for (const f of ["configs/schemas/default.json", "tests/fixtures/hostile_schema.json"]) {
  out.push(specFromSchema(parseSchema(Deno.readTextFileSync(f)), { rows: 100 }));
}
for (const f of Deno.readDirSync("configs/schemas")) {
  if (f.name.endsWith(".json")) { try { out.push(specFromSchema(parseSchema(Deno.readTextFileSync("configs/schemas/" + f.name)), { rows: 77 })); } catch (e) { out.push(String(e)); } }
}
for (let n = 1; n <= 400; n++) {
  for (const complexity of ["low", "medium", "high"] as const) {
    const schema = randomSchema({ tables: 6, seed: parseSeed(String(n)) as Seed, dialect: parseDialect("postgres@15") as Dialect, complexity });
    out.push(specFromSchema(schema, { rows: 30 }));
  }
}
Deno.writeTextFileSync(Deno.args[0]!, JSON.stringify(out));
