/**
 * `quarry data load --from-db` on a database of the shape sample databases
 * have (tests/fixtures/rental_shop.sql): into itself, where the tables exist
 * and a loop of NOT NULL keys goes in one transaction with its DEFERRABLE
 * key checked at commit, and into a new database, created from the schema
 * read back (serial sequences included). Checked by SQL: rows, orphans,
 * constraints validated, partitions, sequences past the rows.
 *
 * @module
 */
import { deepStrictEqual, ok } from "node:assert/strict";
import postgres from "postgres";
import { runCli } from "./_cli.ts";
import { withTempDatabase } from "./_database.ts";

const PERMISSIONS = ["--allow-read", "--allow-write", "--allow-net", "--allow-env"];
const SHOP = await Deno.readTextFile(new URL("fixtures/rental_shop.sql", import.meta.url));
const TABLES = [
  "language",
  "actor",
  "category",
  "film",
  "film_actor",
  "film_category",
  "country",
  "city",
  "address",
  "store",
  "staff",
  "customer",
  "inventory",
  "rental",
  "payment",
];

async function check(url: string, rows: number): Promise<void> {
  const db = postgres(url, { max: 1, onnotice: () => {} });
  try {
    for (const t of TABLES) {
      const [{ n }] = await db.unsafe(`SELECT count(*)::int AS n FROM ${t}`) as unknown as [{ n: number }];
      ok(n > 0 && n <= rows * 3, `${t}: ${n} rows`);
    }
    const fks = await db.unsafe(`
      SELECT c.conrelid::regclass::text AS child, c.confrelid::regclass::text AS parent,
             array_agg(a.attname ORDER BY k.ord)::text[] AS cols, array_agg(pa.attname ORDER BY k.ord)::text[] AS pcols
      FROM pg_constraint c CROSS JOIN LATERAL unnest(c.conkey, c.confkey) WITH ORDINALITY AS k(ck, pk, ord)
      JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.ck
      JOIN pg_attribute pa ON pa.attrelid = c.confrelid AND pa.attnum = k.pk
      WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace AND c.conparentid = 0
      GROUP BY c.oid, c.conrelid, c.confrelid`);
    ok(fks.length >= 15, `${fks.length} foreign keys`);
    for (const fk of fks) {
      const on = (fk.cols as string[]).map((c, i) => `ch."${c}" = pa."${fk.pcols[i]}"`).join(" AND ");
      const [{ n }] = await db.unsafe(
        `SELECT count(*)::int AS n FROM ${fk.child} ch LEFT JOIN ${fk.parent} pa ON ${on}
         WHERE ${(fk.cols as string[]).map((c) => `ch."${c}" IS NOT NULL`).join(" AND ")} AND pa IS NULL`,
      ) as unknown as [{ n: number }];
      deepStrictEqual(n, 0, `orphans of ${fk.child} → ${fk.parent}`);
    }
    const [state] = await db.unsafe(`SELECT
      (SELECT count(*)::int FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND NOT convalidated) AS invalid,
      (SELECT condeferrable FROM pg_constraint WHERE conrelid = 'store'::regclass AND contype = 'f'
         AND conkey = ARRAY[(SELECT attnum FROM pg_attribute WHERE attrelid = 'store'::regclass AND attname = 'manager_staff_id')]) AS deferrable,
      (SELECT count(*)::int FROM ONLY payment) AS outside_partitions,
      (SELECT count(*)::int FROM film WHERE release_year NOT BETWEEN 1901 AND 2155) AS bad_years`);
    deepStrictEqual(state, { invalid: 0, deferrable: true, outside_partitions: 0, bad_years: 0 });
    // The application's next actor gets a fresh key.
    const [{ max }] = await db.unsafe("SELECT max(actor_id)::int AS max FROM actor") as unknown as [
      { max: number },
    ];
    const [{ id }] = await db.unsafe(
      "INSERT INTO actor (first_name, last_name) VALUES ('a', 'b') RETURNING actor_id AS id",
    ) as unknown as [{ id: number }];
    deepStrictEqual(id, max + 1);
  } finally {
    await db.end();
  }
}

Deno.test("data load --from-db fills a sample-shaped database in place and copies it into a new one", async () => {
  await withTempDatabase(async (source) => {
    const db = postgres(source, { max: 1, onnotice: () => {} });
    await db.unsafe(SHOP);
    await db.end();
    const self = await runCli(
      ["data", "load", "--from-db", source, "--db", source, "--rows", "400", "--seed", "3"],
      { permissions: PERMISSIONS },
    );
    deepStrictEqual(self.code, 0, self.stderr);
    await check(source, 400);
    await withTempDatabase(async (target) => {
      const copy = await runCli(
        ["data", "load", "--from-db", source, "--db", target, "--rows", "400", "--seed", "4", "-c", "2"],
        { permissions: PERMISSIONS },
      );
      deepStrictEqual(copy.code, 0, copy.stderr);
      await check(target, 400);
    });
  });
});
