import { deepStrictEqual, match, ok } from "node:assert/strict";
import defaultSchema from "../configs/schemas/default.json" with { type: "json" };
import { schemaFromJson } from "../core/schema/parse.ts";
import { setupStatements } from "../core/setup/setup.ts";
import { postgresTarget } from "../core/exec/targets.ts";
import { withTempDatabase } from "./_database.ts";
import { schemaShape } from "./_schema_shape.ts";
import type { CatalogSnapshot } from "../core/catalog/snapshot.ts";

const main = new URL("../cli/main.ts", import.meta.url).pathname;
const dec = new TextDecoder();
const perms = ["--allow-read", "--allow-write", "--allow-net", "--allow-env"];

async function quarry(...args: string[]) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", ...perms, main, ...args],
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

Deno.test({
  name: "introspect reads back the schema --emit-setup created, and generate runs on the result",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await withTempDatabase(async (url) => {
      const model = schemaFromJson(defaultSchema);
      const pg = postgresTarget(url);
      for (const s of setupStatements(model)) deepStrictEqual((await pg.run(s)).ok, true, s);
      await pg.close();
      const r = await quarry("introspect", "--db", url);
      deepStrictEqual(r.code, 0, r.stderr);
      const read = schemaFromJson(JSON.parse(r.stdout));
      deepStrictEqual(schemaShape(read), schemaShape(model));
      const dir = await Deno.makeTempDir();
      try {
        await Deno.writeTextFile(`${dir}/schema.json`, r.stdout);
        const g = await quarry("generate", "--schema", `${dir}/schema.json`, "-n", "50", "--seed", "1");
        deepStrictEqual(g.code, 0, g.stderr);
        deepStrictEqual(g.stdout.trim().split("\n").length, 50);
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    });
  },
});

Deno.test({
  name:
    "introspect --catalog writes the server's catalog, probed: the snapshot configs/catalog/ holds for it",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await withTempDatabase(async (url) => {
      const model = schemaFromJson(defaultSchema);
      const pg = postgresTarget(url);
      for (const s of setupStatements(model)) deepStrictEqual((await pg.run(s)).ok, true, s);
      await pg.close();
      const dir = await Deno.makeTempDir();
      try {
        const r = await quarry(
          "introspect",
          "--db",
          url,
          "--output",
          `${dir}/schema.json`,
          "--catalog",
          `${dir}/c.json`,
        );
        deepStrictEqual(r.code, 0, r.stderr);
        match(r.stderr, /catalog: probed \d+ of \d+ calls/);
        const live = JSON.parse(await Deno.readTextFile(`${dir}/c.json`)) as CatalogSnapshot;
        const major = Math.floor(live.versionNumber / 10000);
        const stored = JSON.parse(
          await Deno.readTextFile(new URL(`../configs/catalog/postgres@${major}.json`, import.meta.url)),
        ) as CatalogSnapshot;
        deepStrictEqual(live.rejected, stored.rejected);
        deepStrictEqual(live.functions.length, stored.functions.length);
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    });
  },
});

Deno.test("an unreachable database is one line naming host and port, never the password, exit 3", async () => {
  const r = await quarry("introspect", "--db", "postgres://postgres:hunter2@127.0.0.1:1/nowhere");
  deepStrictEqual(r.code, 3);
  match(r.stderr, /^quarry: error: cannot read the schema at 127\.0\.0\.1:1\/nowhere: /);
  ok(!r.stderr.includes("hunter2"));
  deepStrictEqual(r.stderr.trim().split("\n").length, 1);
  const bad = await quarry("introspect", "--db", "mysql://x");
  deepStrictEqual(bad.code, 2);
});

Deno.test({
  name: "introspect reads enums of a schema off the search path by their own names",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await withTempDatabase(async (url) => {
      const pg = postgresTarget(url);
      for (
        const s of [
          "CREATE SCHEMA other",
          "CREATE TYPE other.mood AS ENUM ('sad', 'ok', 'happy')",
          "CREATE TABLE other.people (id bigint PRIMARY KEY, feeling other.mood NOT NULL)",
        ]
      ) deepStrictEqual(await pg.run(s), { ok: true }, s);
      await pg.close();
      const r = await quarry("introspect", "--db", url, "--schema-name", "other");
      deepStrictEqual(r.code, 0, r.stderr);
      const read = JSON.parse(r.stdout);
      deepStrictEqual(read.types, [{ name: "mood", kind: "enum", labels: ["sad", "ok", "happy"] }]);
      deepStrictEqual(read.tables[0].columns[1], { name: "feeling", type: "mood", nullable: false });
    });
  },
});
