import { deepStrictEqual } from "node:assert/strict";
import { PGlite } from "@electric-sql/pglite";
import { schemaFromJson } from "../schema/parse.ts";
import { setupStatements } from "./setup.ts";

Deno.test({
  name: "seed rows keep every foreign key, whatever the parent key's type, and fill all-generated tables",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const schema = schemaFromJson({
      tables: [
        {
          name: "parent",
          columns: [{ name: "code", type: "varchar(12)" }, { name: "amount", type: "numeric(8,2)" }],
          primaryKey: ["code", "amount"],
          seedRows: 30,
        },
        {
          name: "child",
          columns: [
            { name: "id", type: "bigint" },
            { name: "p_code", type: "varchar(12)", nullable: false },
            { name: "p_amount", type: "numeric(8,2)", nullable: false },
          ],
          primaryKey: ["id"],
          foreignKeys: [{
            columns: ["p_code", "p_amount"],
            references: { table: "parent", columns: ["code", "amount"] },
          }],
        },
        {
          name: "counter",
          columns: [{ name: "id", type: "bigint", identity: "always" }],
          primaryKey: ["id"],
          seedRows: 5,
        },
      ],
    });
    const db = await PGlite.create();
    try {
      for (const sql of setupStatements(schema)) await db.exec(sql);
      const count = async (t: string) =>
        (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${t}`)).rows[0]!.n;
      deepStrictEqual([await count("parent"), await count("child"), await count("counter")], [30, 100, 5]);
    } finally {
      await db.close();
    }
  },
});
