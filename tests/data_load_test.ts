/**
 * End-to-end tests of `quarry data load` and of `quarry data`'s SQL, COPY
 * and CSV files in a real database: PGlite (the default; checked through
 * the `--json` report, as PGlite lives inside the child process) and a
 * scratch PostgreSQL database per test, checked by SQL: no orphan rows for
 * any foreign key, no duplicate keys, every CHECK true, all of them present
 * and validated, and row counts as reported.
 *
 * @module
 */
import { deepStrictEqual, match, ok } from "node:assert/strict";
import postgres from "postgres";
import { parse as parseYaml } from "yaml";
import { type Run, runCli } from "./_cli.ts";
import { withTempDatabase } from "./_database.ts";

const dec = new TextDecoder();
/** `data load` needs the network and the environment besides files. */
const LOAD_PERMISSIONS = ["--allow-read", "--allow-write", "--allow-net", "--allow-env"];
const load = (...args: string[]): Promise<Run> =>
  runCli(["data", "load", ...args], { permissions: LOAD_PERMISSIONS });
const data = (...args: string[]): Promise<Run> => runCli(["data", ...args]);

/** Tables with a CHECK on each, a UNIQUE key and a self-reference. */
const PEOPLE = `name: people
tables:
  squads:
    rows: 7
    primary_key: [squad_id]
    checks: ["budget > 0"]
    columns:
      squad_id: { method: unique_ids, kind: sequential }
      budget: { method: integers, min: 1, max: 1000 }
  people:
    primary_key: [person_id]
    unique: [[handle]]
    checks: ["age BETWEEN 18 AND 70", "score >= 0 AND score <= 100"]
    columns:
      person_id: { method: unique_ids, kind: sequential }
      squad_id: { method: reference, table: squads, column: squad_id }
      boss_id: { method: reference, table: people, column: person_id, null_fraction: 0.1 }
      handle: { method: unique_ids, kind: hash, length: 12 }
      age: { method: integers, min: 18, max: 70 }
      score: { method: floats, min: 0, max: 100, round: 1 }
`;

/** Text that needs escaping in SQL literals, COPY text and CSV alike. */
const TEXTS = String.raw`name: texts
tables:
  notes:
    primary_key: [id]
    columns:
      id: { method: unique_ids, kind: sequential }
      uid: { method: unique_ids, kind: uuid4 }
      body:
        method: distincts
        values: ["plain", "it's", "say \"hi\"", "back\\slash", "tab\there", "two\nlines", "cr\r\nlf", "naïve ✓", "\\N"]
      price: { method: floats, min: -100, max: 100, round: 2 }
      day: { method: dates, min: "2000-01-01", max: "2030-12-31" }
      at: { method: timestamps, min: "2024-01-01 00:00:00", max: "2024-12-31 23:59:59", null_fraction: 0.3 }
      flag: { method: booleans }
`;

/** What `data load --json` prints. */
interface Report {
  database: string;
  seed: string;
  tables: { table: string; rows: number; bytes: number; seconds: number }[];
  before: string[];
  after: string[];
  seconds: number;
}

/** A successful load's report; stderr holds the seed and progress lines only. */
function report(r: Run): Report {
  deepStrictEqual(r.code, 0, r.stderr);
  for (const l of r.stderr.split("\n").filter((l) => l.length > 0)) {
    match(l, /^quarry: (seed [0-9a-f]{64}|\w+: \d+ rows(, \d+ rows\/s)?)$/);
  }
  return JSON.parse(r.stdout) as Report;
}

/** A database failure: exit 3, nothing on stdout, no stack trace, one error line after the seed. */
function failedLoad(r: Run, pattern: RegExp): void {
  deepStrictEqual([r.code, r.stdout], [3, ""], r.stderr);
  ok(!/^\s+at /m.test(r.stderr), `stack trace printed:\n${r.stderr}`);
  const lines = r.stderr.split("\n").filter((l) => l.length > 0 && !/^quarry: seed [0-9a-f]{64}$/.test(l));
  deepStrictEqual(lines.length, 1, r.stderr);
  match(lines[0]!, /^quarry: error: /);
  match(lines[0]!, pattern);
}

/** Runs `fn` with a fresh folder, removed afterwards. */
async function withDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix: "quarry_load_" });
  try {
    return await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** A spec as data: a prebuilt one from `quarry data specs show`, or a file. */
interface SpecTables {
  tables: Record<string, {
    primary_key?: string[];
    unique?: string[][];
    checks?: string[];
    columns: Record<string, { method: string; table?: string; column?: string }>;
    foreign_keys?: { columns: string[]; references: { table: string; columns: string[] } }[];
  }>;
}

async function specOf(name: string): Promise<SpecTables> {
  if (name.endsWith(".yaml")) return parseYaml(await Deno.readTextFile(name)) as SpecTables;
  const r = await data("specs", "show", name);
  deepStrictEqual(r.code, 0, r.stderr);
  return parseYaml(r.stdout) as SpecTables;
}

/** A foreign key as a spec declares it. */
interface SpecForeignKey {
  table: string;
  columns: string[];
  parent: string;
  parentColumns: string[];
}

/**
 * A spec's foreign keys: table-level `foreign_keys` and columns' `reference`s;
 * a column's reference that a table-level key of the same parent covers is
 * that key.
 */
function foreignKeysOf(spec: SpecTables): SpecForeignKey[] {
  return Object.entries(spec.tables).flatMap(([table, t]) => {
    const composite = t.foreign_keys ?? [];
    return [
      ...composite.map((fk) => ({
        table,
        columns: fk.columns,
        parent: fk.references.table,
        parentColumns: fk.references.columns,
      })),
      ...Object.entries(t.columns)
        .filter(([column, c]) =>
          c.method === "reference" &&
          !composite.some((fk) => fk.references.table === c.table && fk.columns.includes(column))
        )
        .map(([column, c]) => ({ table, columns: [column], parent: c.table!, parentColumns: [c.column!] })),
    ];
  });
}

/**
 * The constraints a spec declares, one string each, as `integrity` reads
 * them from PostgreSQL: `t p (a)`, `t u (a)`, `t c`, `t f (a) parent (b)`.
 */
function declared(spec: SpecTables): string[] {
  const out: string[] = [];
  for (const [name, t] of Object.entries(spec.tables)) {
    if (t.primary_key) out.push(`${name} p (${t.primary_key})`);
    for (const u of t.unique ?? []) out.push(`${name} u (${u})`);
    for (const _ of t.checks ?? []) out.push(`${name} c`);
  }
  for (const fk of foreignKeysOf(spec)) {
    out.push(`${fk.table} f (${fk.columns}) ${fk.parent} (${fk.parentColumns})`);
  }
  return out.sort();
}

const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** The `n` of a one-row query. */
async function count(sql: postgres.Sql, text: string): Promise<number> {
  const rows = await sql.unsafe(text);
  return rows[0]!.n as number;
}

interface Constraint {
  tbl: string;
  contype: string;
  convalidated: boolean;
  parent: string | null;
  cols: string[];
  pcols: string[] | null;
  def: string;
}

/**
 * Checks a loaded database by SQL and returns its constraints as
 * `declared` writes them: every constraint validated, row counts as
 * reported (and none empty), no orphan for any foreign key, no duplicate
 * primary or unique key, no row for which a CHECK is false.
 */
async function integrity(url: string, rep: Report): Promise<string[]> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const cons = await sql.unsafe<Constraint[]>(`
      SELECT c.conrelid::regclass::text AS tbl, c.contype, c.convalidated,
        CASE WHEN c.contype = 'f' THEN c.confrelid::regclass::text END AS parent,
        ARRAY(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(n, i)
          JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.i) AS cols,
        ARRAY(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY k(n, i)
          JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.i) AS pcols,
        pg_get_constraintdef(c.oid) AS def
      FROM pg_constraint c
      WHERE c.connamespace = 'public'::regnamespace AND c.contype IN ('p', 'u', 'f', 'c')`);
    for (const c of cons) ok(c.convalidated, `not validated: ${c.tbl} ${c.def}`);
    for (const t of rep.tables) {
      const n = await count(sql, `SELECT count(*)::int AS n FROM ${ident(t.table)}`);
      deepStrictEqual(n, t.rows, `${t.table}: rows`);
      ok(t.rows > 0, `${t.table} is empty`);
    }
    for (const c of cons) {
      const cols = c.cols.map(ident);
      let bad: string;
      if (c.contype === "f") {
        const on = cols.map((col, i) => `p.${ident(c.pcols![i]!)} = x.${col}`).join(" AND ");
        bad = `SELECT count(*)::int AS n FROM ${c.tbl} x WHERE ${
          cols.map((col) => `x.${col} IS NOT NULL`).join(" AND ")
        } ` +
          `AND NOT EXISTS (SELECT 1 FROM ${c.parent} p WHERE ${on})`;
        // The key is used, so the orphan count means something.
        const n = await count(
          sql,
          `SELECT count(*)::int AS n FROM ${c.tbl} WHERE ${
            cols.map((col) =>
              `${col} IS NOT NULL`
            ).join(" AND ")
          }`,
        );
        ok(n > 0, `${c.tbl} ${c.def}: no row uses the key`);
      } else if (c.contype === "c") {
        bad = `SELECT count(*)::int AS n FROM ${c.tbl} WHERE NOT ${c.def.replace(/^CHECK /, "")}`;
      } else {
        bad =
          `SELECT count(*)::int AS n FROM (SELECT 1 FROM ${c.tbl} GROUP BY ${cols} HAVING count(*) > 1) d`;
      }
      const n = await count(sql, bad);
      deepStrictEqual(n, 0, `${c.tbl} ${c.def}: ${n} rows break it`);
    }
    return cons.map((c) =>
      c.contype === "f"
        ? `${c.tbl} f (${c.cols}) ${c.parent} (${c.pcols})`
        : c.contype === "c"
        ? `${c.tbl} c`
        : `${c.tbl} ${c.contype} (${c.cols})`
    ).sort();
  } finally {
    await sql.end();
  }
}

/** Each table's row count and a digest of its rows, in any order. */
async function fingerprints(url: string, tables: readonly string[]): Promise<Record<string, string>> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const out: Record<string, string> = {};
    for (const t of tables) {
      const from = ident(t);
      const [row] = await sql.unsafe(
        `SELECT count(*)::int AS n, md5(string_agg(x::text, E'\\n' ORDER BY x::text)) AS h FROM ${from} x`,
      );
      out[t] = `${row!.n} ${row!.h}`;
    }
    return out;
  } finally {
    await sql.end();
  }
}

/** Runs psql with `args` (-c and -f in order), stopping at the first error. */
async function psql(url: string, ...args: string[]): Promise<void> {
  const out = await new Deno.Command("psql", {
    args: ["-X", "-q", "-v", "ON_ERROR_STOP=1", url, ...args],
    stdout: "null",
    stderr: "piped",
  }).output();
  deepStrictEqual(out.code, 0, dec.decode(out.stderr));
}

const truncate = (url: string, tables: readonly string[]) =>
  psql(url, "-c", `TRUNCATE ${tables.map(ident).join(", ")} CASCADE`);

/** Tests that hold a database connection from the test process. */
const dbTest = (name: string, fn: () => Promise<void>) =>
  Deno.test({ name, sanitizeResources: false, sanitizeOps: false, fn });

Deno.test("data load into PGlite (the default): the --json report has the rows and bytes of the same seed's COPY files", async () => {
  await withDir(async (dir) => {
    const specs = [["ecommerce", "40"], ["saas", "10"], ["hr", "50"]] as const;
    const runs = await Promise.all(specs.flatMap(([spec, rows]) => [
      load("--spec", spec, "--rows", rows, "--seed", "3", "--json"),
      data("--spec", spec, "--rows", rows, "--seed", "3", "-f", "copy", "-o", `${dir}/${spec}`),
    ]));
    for (const [i, [spec]] of specs.entries()) {
      const rep = report(runs[2 * i]!);
      deepStrictEqual(runs[2 * i + 1]!.code, 0, runs[2 * i + 1]!.stderr);
      deepStrictEqual(rep.database, "PGlite");
      deepStrictEqual(rep.seed, /seed ([0-9a-f]{64})/.exec(runs[2 * i + 1]!.stderr)![1]);
      deepStrictEqual(rep.tables.map((t) => t.table).sort(), Object.keys((await specOf(spec)).tables).sort());
      deepStrictEqual(rep.before.length, rep.tables.length);
      for (const t of rep.tables) {
        const file = await Deno.readFile(`${dir}/${spec}/${t.table}.copy`);
        const rows = dec.decode(file).split("\n").length - 1;
        deepStrictEqual([t.table, t.rows, t.bytes], [t.table, rows, file.length], spec);
        ok(t.rows > 0, `${spec}.${t.table} is empty`);
      }
      // Parents first: a key to a table created earlier is in the CREATE; one to its own table or
      // to a later one (closing a loop) is added once the rows are in.
      const order = rep.tables.map((t) => t.table);
      const late = foreignKeysOf(await specOf(spec))
        .filter((fk) => order.indexOf(fk.parent) >= order.indexOf(fk.table))
        .map((fk) =>
          `ALTER TABLE ${fk.table} ADD FOREIGN KEY (${fk.columns.join(", ")}) ` +
          `REFERENCES ${fk.parent} (${fk.parentColumns.join(", ")})`
        );
      deepStrictEqual(rep.after.toSorted(), late.toSorted(), spec);
      for (const [k, create] of rep.before.entries()) {
        for (const [, parent] of create.matchAll(/REFERENCES (\w+)/g)) ok(order.indexOf(parent!) < k, create);
      }
      if (spec === "hr") ok(late.length >= 1, "hr has no key that points back");
    }
  });
});

Deno.test("an unreachable database is a runtime failure: exit 3, one line naming it", async () => {
  failedLoad(
    await load("--spec", "customers", "--rows", "10", "--db", "postgres://postgres@127.0.0.1:1/x"),
    /127\.0\.0\.1:1\/x.*(refused|connect)/,
  );
});

dbTest(
  "data load into PostgreSQL with -c 2: no orphans, no duplicate keys, every CHECK true and validated",
  async () => {
    await withDir(async (dir) => {
      await Deno.writeTextFile(`${dir}/people.yaml`, PEOPLE);
      const specs = [["ecommerce", "300"], ["saas", "20"], ["hr", "400"], [`${dir}/people.yaml`, "500"]];
      await Promise.all(specs.map(([spec, rows]) =>
        withTempDatabase(async (url) => {
          const rep = report(
            await load("--spec", spec!, "--rows", rows!, "--seed", "5", "--db", url, "-c", "2", "--json"),
          );
          deepStrictEqual(rep.database, url.replace(/^postgres:\/\/postgres@/, ""));
          const constraints = await integrity(url, rep);
          deepStrictEqual(constraints, declared(await specOf(spec!)), spec);
          if (spec!.endsWith("people.yaml")) {
            deepStrictEqual(constraints.filter((c) => c.endsWith(" c")).length, 3);
          }
        })
      ));
    });
  },
);

dbTest(
  "--constraints-after adds every key after the rows, validated, with the same constraints",
  async () => {
    await withDir(async (dir) => {
      await Deno.writeTextFile(`${dir}/people.yaml`, PEOPLE);
      for (const [spec, rows] of [["ecommerce", "200"], [`${dir}/people.yaml`, "300"]]) {
        await withTempDatabase(async (url) => {
          const rep = report(
            await load(
              "--spec",
              spec!,
              "--rows",
              rows!,
              "--seed",
              "5",
              "--db",
              url,
              "--constraints-after",
              "--json",
            ),
          );
          for (const create of rep.before) ok(!/PRIMARY KEY|UNIQUE|FOREIGN KEY/.test(create), create);
          const expected = declared(await specOf(spec!));
          const keys = expected.filter((c) => !c.endsWith(" c")).length;
          deepStrictEqual(rep.after.length, keys, rep.after.join("\n"));
          // Keys first, foreign keys last (they need the keys they point at).
          const firstFk = rep.after.findIndex((s) => s.includes("FOREIGN KEY"));
          ok(rep.after.slice(firstFk).every((s) => s.includes("FOREIGN KEY")), rep.after.join("\n"));
          deepStrictEqual(await integrity(url, rep), expected, spec);
        });
      }
    });
  },
);

dbTest(
  "--no-create reloads the same rows after TRUNCATE; a second load or a missing table fails with exit 3",
  async () => {
    await withTempDatabase(async (url) => {
      const args = ["--spec", "ecommerce", "--rows", "150", "--seed", "9", "--db", url, "--json"];
      const first = report(await load(...args));
      const tables = first.tables.map((t) => t.table);
      const before = await fingerprints(url, tables);
      // Loading again into the full tables breaks a primary key: named, with its SQLSTATE. The two root
      // tables load at once on two connections, so either may be the first to fail.
      failedLoad(await load(...args), /23505 table (customers|products): 23505: duplicate key value/);
      await truncate(url, tables);
      const second = report(await load(...args, "--no-create"));
      deepStrictEqual(second.before, []);
      deepStrictEqual(
        second.tables.map((t) => [t.table, t.rows]),
        first.tables.map((t) => [t.table, t.rows]),
      );
      deepStrictEqual(await fingerprints(url, tables), before);
      deepStrictEqual(await integrity(url, second), declared(await specOf("ecommerce")));
    });
    await withTempDatabase(async (url) => {
      failedLoad(
        await load("--spec", "customers", "--rows", "10", "--db", url, "--no-create"),
        /42P01.*customers/,
      );
    });
  },
);

dbTest("SQL (split mid-batch), COPY and CSV files put the same rows in the tables as data load", async () => {
  await withDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/texts.yaml`, TEXTS);
    for (const [spec, rows] of [["ecommerce", "40"], [`${dir}/texts.yaml`, "400"]]) {
      const base = ["--spec", spec!, "--rows", rows!, "--seed", "6"];
      const files = await Promise.all([
        // --files 3 with --batch 7: parts start inside an INSERT's rows and must open their own.
        data(...base, "-f", "sql", "--batch", "7", "--files", "3", "-o", `${dir}/sql`),
        data(...base, "-f", "copy", "-o", `${dir}/copy`, "--files", "1"),
        data(...base, "-o", `${dir}/csv`, "--files", "1"),
      ]);
      for (const f of files) deepStrictEqual(f.code, 0, f.stderr);
      // The rows as data load puts them in, in one database...
      const { tables, reference } = await withTempDatabase(async (url) => {
        const tables = report(await load(...base, "--db", url, "--json")).tables.map((t) => t.table);
        return { tables, reference: await fingerprints(url, tables) };
      });
      // ...and the files' rows in another, whose tables come from a load of no rows (fixed-size
      // tables still get theirs, hence the TRUNCATE).
      await withTempDatabase(async (url) => {
        deepStrictEqual(
          report(await load(...base, "--rows", "0", "--db", url, "--json")).tables.length,
          tables.length,
        );
        for (
          const [format, commands] of [
            [
              "sql",
              tables.flatMap((t) => [0, 1, 2].flatMap((i) => ["-f", `${dir}/sql/${t}/part-0000${i}.sql`])),
            ],
            ["copy", tables.flatMap((t) => ["-c", `\\copy ${t} FROM '${dir}/copy/${t}.copy'`])],
            [
              "csv",
              tables.flatMap((
                t,
              ) => ["-c", `\\copy ${t} FROM '${dir}/csv/${t}.csv' (FORMAT csv, HEADER true)`]),
            ],
          ] as const
        ) {
          await truncate(url, tables);
          await psql(url, ...commands);
          deepStrictEqual(await fingerprints(url, tables), reference, `${spec}: ${format}`);
        }
      });
      for (const f of ["sql", "copy", "csv"]) await Deno.remove(`${dir}/${f}`, { recursive: true });
    }
  });
});

Deno.test("--from-db into the same database fills its tables: serial and identity sequences move past the rows, a self-referencing table keeps its key", async () => {
  await withTempDatabase(async (url) => {
    const db = postgres(url, { max: 1, onnotice: () => {} });
    try {
      await db.unsafe(`
        CREATE TYPE mood AS ENUM ('sad', 'it''s ok', 'naïve');
        CREATE TABLE staff (id serial PRIMARY KEY, boss int REFERENCES staff (id), moods mood[] NOT NULL);
        CREATE TABLE visits (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
                             staff_id int NOT NULL REFERENCES staff (id), amount numeric(8,2) CHECK (amount >= 0));`);
      const r = report(
        await load("--from-db", url, "--db", url, "--rows", "3000", "--seed", "5", "-c", "2", "--json"),
      );
      deepStrictEqual(r.before, []);
      ok(r.after.every((s) => s.startsWith("SELECT setval(")), r.after.join("\n"));
      const [counts] = await db.unsafe(`SELECT (SELECT count(*)::int FROM staff) AS staff,
        (SELECT count(*)::int FROM visits v LEFT JOIN staff s ON s.id = v.staff_id WHERE s.id IS NULL) AS orphans,
        (SELECT count(*)::int FROM staff WHERE boss >= id) AS forward`);
      deepStrictEqual(counts, { staff: 3000, orphans: 0, forward: 0 });
      // The application's next rows get fresh keys.
      const [next] = await db.unsafe(`INSERT INTO staff (moods) VALUES ('{}') RETURNING id`);
      deepStrictEqual(next!.id, 3001);
      const [visit] = await db.unsafe(`INSERT INTO visits (staff_id) VALUES (1) RETURNING id`);
      ok(
        Number(visit!.id) >
          Number((await db.unsafe("SELECT max(id) AS m FROM visits WHERE id <> $1", [visit!.id]))[0]!.m),
      );
    } finally {
      await db.end();
    }
  });
});
