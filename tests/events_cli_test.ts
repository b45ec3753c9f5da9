/**
 * `quarry events` as a user drives it: an event-generator.yaml as the
 * Python tool writes it (every key of its generator block), Ctrl+C and
 * SIGTERM, and bad input (files, keys, tables, servers, passwords), each a
 * clear line and the documented exit code.
 *
 * @module
 */
import { deepStrictEqual, match, ok } from "node:assert/strict";
import { withTempDatabase } from "./_database.ts";
import {
  events,
  exec,
  failedCleanly,
  failures,
  HOSTILE_SQL,
  HOSTILE_TABLES,
  operation,
  rowCounts,
  scalar,
  sibling,
  spawnEvents,
  summaryOf,
  tableDigests,
  withDir,
} from "./_events.ts";
import { withPrivateServer } from "./_private_server.ts";

/** The tables the config churns, with their weights (none of them cascades into another table). */
const WEIGHTS = { CamelTable: 3, categories: 2, select: 1 } as const;

Deno.test({
  name:
    "events --config: the old tool's event-generator.yaml runs on its connection with every generator key",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await withTempDatabase(async (url) => {
      await exec(url, HOSTILE_SQL);
      const { hostname, port, pathname, username } = new URL(url);
      const database = pathname.slice(1);
      const untouched = HOSTILE_TABLES.filter((t) => !(t in WEIGHTS));
      const digests = await tableDigests(url, untouched);
      const before = await rowCounts(url, Object.keys(WEIGHTS));
      await withDir(async (dir) => {
        const file = `${dir}/event-generator.yaml`;
        await Deno.writeTextFile(
          file,
          `# written by the Python event generator
connection:
  host: ${hostname}
  port: ${port || 5432}
  database: ${database}
  user: ${username}
  password: "not-needed-Pa55"
generator:
  schema_name: public
  manual_table_list: [CamelTable, categories, select]
  exclude_table_list: [user]
  num_iterations: 300
  wait_after_operations: 100
  wait_duration_seconds: 0.05
  table_weights: { CamelTable: 3, categories: 2, select: 1 }
  operations: [INSERT, UPDATE, DELETE]
  operation_weights: [4, 1, 5]
  insert_rows: 3
  update_rows: 3
  delete_rows: 2
  insert_max_retries: 20
  update_max_retries: 2
  random_seed: 11
  faker_seed: 13
`,
        );
        const r = await events(["--config", file, "--json"]);
        const s = summaryOf(r);
        ok(
          !r.stdout.includes("not-needed-Pa55") && !r.stderr.includes("not-needed-Pa55"),
          "password printed",
        );
        match(r.stderr, /exclude_table_list.*ignored/);
        deepStrictEqual(
          [s.database, s.tables, s.events, s.random_seed, s.faker_seed, s.sampling, s.pipeline],
          [`postgres://${username}@${hostname}:${port || 5432}/${database}`, 3, 300, 11, 13, "repeatable", 1],
        );
        deepStrictEqual(s.successPercent, 100, failures(s));
        // Only the listed tables, about as often as their weights say (300 events: within 10 points).
        deepStrictEqual([...new Set(s.operations.map((o) => o.table))].sort(), Object.keys(WEIGHTS).sort());
        const total = s.operations.reduce((n, o) => n + o.attempted, 0);
        deepStrictEqual(total, 300);
        for (const [t, w] of Object.entries(WEIGHTS)) {
          const n = s.operations.filter((o) => o.table === t).reduce((a, o) => a + o.attempted, 0);
          ok(Math.abs(n / 300 - w / 6) < 0.1, `${t}: ${n} of 300 events for weight ${w} of 6`);
        }
        for (const [op, w] of [["insert", 4], ["update", 1], ["delete", 5]] as const) {
          const n = s.operations.filter((o) => o.operation === op).reduce((a, o) => a + o.attempted, 0);
          ok(Math.abs(n / 300 - w / 10) < 0.1, `${op}: ${n} of 300 events for weight ${w} of 10`);
        }
        // Rows per event as the file says (none is the default), and on this database. No row of
        // these tables is referenced and they grow (1.2 rows in, 1 out per event): samples are whole.
        const after = await rowCounts(url, Object.keys(WEIGHTS));
        for (const t of Object.keys(WEIGHTS)) {
          const ins = operation(s, t, "insert"),
            upd = operation(s, t, "update"),
            del = operation(s, t, "delete");
          deepStrictEqual(ins.rows, 3 * ins.succeeded, `${t} inserts`);
          deepStrictEqual(upd.rows, 3 * upd.succeeded, `${t} updates`);
          deepStrictEqual(del.rows, 2 * del.succeeded, `${t} deletes`);
          deepStrictEqual(after.get(t), before.get(t)! + ins.rows - del.rows, `${t}: rows now`);
        }
        deepStrictEqual(await tableDigests(url, untouched), digests, "tables not listed were changed");
      });
    });
  },
});

/** Starts an endless run, waits for it to get going, signals it and checks what it leaves. */
async function interrupt(url: string, signal: Deno.Signal): Promise<void> {
  const database = new URL(url).pathname.slice(1);
  const admin = sibling(url, "postgres");
  const inserted = () => scalar(url, "SELECT count(*) FROM items");
  const before = await inserted();
  // --num-iterations=-1: "--num-iterations -1" is refused (see the test below).
  const child = spawnEvents(["--db", url, "--num-iterations=-1", "-c", "2", "--json"]);
  // Running once both sessions are connected and events have inserted rows.
  const started = Date.now();
  for (;;) {
    await new Promise((r) => setTimeout(r, 250));
    const sessions = await scalar(
      admin,
      `SELECT count(*) FROM pg_stat_activity WHERE datname = '${database}'`,
    );
    if (sessions >= 2 && await inserted() > before + 20) break;
    if (Date.now() - started > 30_000) {
      child.kill("SIGKILL");
      await child.output();
      throw new Error("the run did not start within 30 s");
    }
  }
  child.kill(signal);
  const out = await child.output();
  const r = {
    code: out.code,
    stdout: new TextDecoder().decode(out.stdout),
    stderr: new TextDecoder().decode(out.stderr),
  };
  const s = summaryOf(r, 130);
  ok(s.events > 0 && s.succeeded > 0, JSON.stringify(s).slice(0, 300));
  deepStrictEqual(s.stopped, "interrupted");
  match(r.stderr, /^quarry: interrupted$/m);
  // A backend leaves pg_stat_activity a moment after its client goes: allow it a second.
  let open = -1;
  for (let i = 0; i < 10 && open !== 0; i++) {
    if (i > 0) await new Promise((r) => setTimeout(r, 100));
    open = await scalar(admin, `SELECT count(*) FROM pg_stat_activity WHERE datname = '${database}'`);
  }
  deepStrictEqual(open, 0, `sessions left open after ${signal}`);
}

Deno.test({
  name: "events: Ctrl+C (SIGINT) and SIGTERM end an endless run with its summary, exit 130, sessions closed",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await withTempDatabase(async (url) => {
      await exec(
        url,
        `CREATE TABLE items (id serial PRIMARY KEY, name text NOT NULL, qty int CHECK (qty BETWEEN 0 AND 10));
         INSERT INTO items (name, qty) SELECT 'item ' || g, g % 11 FROM generate_series(1, 500) g;`,
      );
      await interrupt(url, "SIGINT");
      await interrupt(url, "SIGTERM");
    });
  },
});

Deno.test({
  name: "events --num-iterations -1 (as --help writes it) runs until stopped",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await withTempDatabase(async (url) => {
      await exec(url, "CREATE TABLE items (id serial PRIMARY KEY, qty int)");
      const child = spawnEvents(["--db", url, "--num-iterations", "-1", "--json"]);
      // A run that started is still going after 3 s; a rejected flag has exited by then.
      const exited = await Promise.race([
        child.status.then(() => true),
        new Promise<boolean>((r) => setTimeout(() => r(false), 3000)),
      ]);
      if (!exited) child.kill("SIGINT");
      const out = await child.output();
      deepStrictEqual(
        [out.code, exited],
        [130, false],
        `--num-iterations -1: ${new TextDecoder().decode(out.stderr)}`,
      );
    });
  },
});

Deno.test({
  name: "events: bad input is one clear line and exit 2 (usage) or 3 (the database)",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    await withDir(async (dir) => {
      const write = async (name: string, text: string) => {
        await Deno.writeTextFile(`${dir}/${name}`, text);
        return `${dir}/${name}`;
      };
      await t.step("a missing --config file", async () => {
        failedCleanly(await events(["--config", `${dir}/absent.yaml`]), 2, /absent\.yaml.*no such file/);
      });
      await t.step("a YAML syntax error, at its line and column", async () => {
        const file = await write(
          "syntax.yaml",
          "generator:\n  insert_rows: 4\n  operations: [insert, update\n",
        );
        const line = failedCleanly(await events(["--config", file]), 2, /syntax\.yaml:\d+:\d+: /);
        ok(!/: : /.test(line), `an empty path in the message: ${line}`);
      });
      await t.step("an unknown key, with the key it resembles", async () => {
        const file = await write("unknown.yaml", "generator:\n  insert_rows: 4\n  update_row: 2\n");
        failedCleanly(
          await events(["--config", file]),
          2,
          /unknown\.yaml:3:3: generator\.update_row: unknown key "update_row" \(did you mean "update_rows"\?\)/,
        );
      });
      await t.step("operation_weights not one per operation", async () => {
        const file = await write(
          "weights.yaml",
          "generator:\n  operations: [INSERT, DELETE]\n  operation_weights: [3, 2, 1]\n",
        );
        failedCleanly(
          await events(["--config", file]),
          2,
          /weights\.yaml:3:\d+: generator\.operation_weights: 2 operations but 3 weights/,
        );
      });
      await withTempDatabase(async (url) => {
        await t.step("a database without tables", async () => {
          failedCleanly(await events(["--db", url]), 3, /no tables/);
        });
        await exec(url, "CREATE TABLE items (id int PRIMARY KEY, qty int)");
        await t.step("--manual-table-list naming a table that does not exist", async () => {
          failedCleanly(
            await events(["--db", url, "--manual-table-list", "items,nope"]),
            2,
            /manual_table_list names "nope"/,
          );
        });
      });
      await t.step("a closed port on 127.0.0.1", async () => {
        const closed = (() => {
          const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
          const port = (l.addr as Deno.NetAddr).port;
          l.close();
          return port;
        })();
        failedCleanly(
          await events(["--db", `postgres://postgres@127.0.0.1:${closed}/nowhere`]),
          3,
          /cannot connect to postgres:\/\/postgres@127\.0\.0\.1:\d+\/nowhere: .*refused/i,
        );
      });
      await t.step("a server that refuses the password", async () => {
        await withPrivateServer(async (server) => {
          const wrong = "Wr0ng-pa55w0rd";
          const url = `postgres://postgres:${wrong}@127.0.0.1:${server.port}/postgres`;
          const viaUrl = await events(["--db", url]);
          failedCleanly(viaUrl, 3, /28P01.*password authentication failed/);
          const viaEnv = await events(["--db", `postgres://postgres@127.0.0.1:${server.port}/postgres`], {
            PGPASSWORD: wrong,
          });
          failedCleanly(viaEnv, 3, /28P01/);
          for (const r of [viaUrl, viaEnv]) ok(!r.stderr.includes(wrong), `password printed: ${r.stderr}`);
          // The right one gets as far as the (empty) database.
          const right = await events(["--db", `postgres://postgres@127.0.0.1:${server.port}/postgres`], {
            PGPASSWORD: server.password,
          });
          failedCleanly(right, 3, /no tables/);
        });
      });
    });
  },
});
