import { deepStrictEqual, ok } from "node:assert/strict";
import {
  applyFlags,
  connectionUrl,
  defaultEventsConfig,
  describeConnection,
  type EventsConfig,
  EventsConfigError,
  parseEventsConfig,
} from "./config.ts";

/** The message lines of a file that should fail. */
function problems(text: string, file = "e.yaml"): string[] {
  try {
    parseEventsConfig(text, file);
  } catch (e) {
    if (!(e instanceof EventsConfigError)) throw e;
    return e.message.split("\n");
  }
  throw new Error("expected an EventsConfigError");
}

/** The message lines of flags that should fail. */
function flagProblems(flags: Record<string, string | boolean>): string[] {
  try {
    applyFlags(defaultEventsConfig(), flags);
  } catch (e) {
    if (!(e instanceof EventsConfigError)) throw e;
    return e.message.split("\n");
  }
  throw new Error("expected an EventsConfigError");
}

/** A file with the given lines under `generator:`. */
const gen = (...lines: string[]) => ["generator:", ...lines.map((l) => `  ${l}`), ""].join("\n");

Deno.test("the example file parses, with every key set", async () => {
  const path = new URL("../../configs/events/example.yaml", import.meta.url);
  const { config, warnings } = parseEventsConfig(await Deno.readTextFile(path), "example.yaml");
  deepStrictEqual(warnings, []);
  deepStrictEqual(config, {
    connection: { host: "localhost", port: 5432, database: "sakila", user: "postgres", password: "postgres" },
    generator: {
      schemaName: "public",
      manualTableList: [],
      excludeTableList: ["audit_log"],
      numIterations: 2000,
      waitAfterOperations: 0,
      waitDurationSeconds: 0,
      tableWeights: { customer: 3, rental: 2 },
      operations: ["insert", "update", "delete"],
      operationWeights: [3, 2, 1],
      insertRows: 4,
      updateRows: 2,
      deleteRows: 1,
      insertMaxRetries: 50,
      updateMaxRetries: 3,
      randomSeed: 12345,
      fakerSeed: 12345,
    } satisfies EventsConfig["generator"],
  });
});

// The layout of the Python tool's event-generator.yaml: inline comments, flow lists and
// mappings, upper-case operation names, -1 iterations.
const OLD_FORMAT = `connection:
  host: db.internal
  port: 6432
  database: shop
  user: churner
  password: hunter2

generator:
  schema_name: sales
  manual_table_list: [customers, invoices]   # empty -> every base table
  exclude_table_list: []                     # only when manual_table_list is empty
  num_iterations: -1                         # -1 for infinite
  wait_after_operations: 500                 # 0 disables
  wait_duration_seconds: 2                   # seconds to sleep
  table_weights: { customers: 10, invoices: 40 }  # others weigh 1
  operations: [INSERT, UPDATE, DELETE]
  operation_weights: [5, 4, 1]               # aligned with operations
  insert_rows: 8
  update_rows: 3
  delete_rows: 2
  insert_max_retries: 20
  update_max_retries: 5
  random_seed: 7
  faker_seed: 99
`;

Deno.test("a file in the source tool's format parses unchanged", () => {
  const { config, warnings } = parseEventsConfig(OLD_FORMAT, "event-generator.yaml");
  deepStrictEqual(warnings, []);
  deepStrictEqual(config, {
    connection: { host: "db.internal", port: 6432, database: "shop", user: "churner", password: "hunter2" },
    generator: {
      schemaName: "sales",
      manualTableList: ["customers", "invoices"],
      excludeTableList: [],
      numIterations: -1,
      waitAfterOperations: 500,
      waitDurationSeconds: 2,
      tableWeights: { customers: 10, invoices: 40 },
      operations: ["insert", "update", "delete"],
      operationWeights: [5, 4, 1],
      insertRows: 8,
      updateRows: 3,
      deleteRows: 2,
      insertMaxRetries: 20,
      updateMaxRetries: 5,
      randomSeed: 7,
      fakerSeed: 99,
    },
  });
});

Deno.test("keys left out or empty keep their defaults", () => {
  const { config } = parseEventsConfig(
    "connection:\ngenerator:\n  insert_rows:\n  random_seed: 1\n",
    "e.yaml",
  );
  const expected = defaultEventsConfig();
  expected.generator.randomSeed = 1;
  deepStrictEqual(config, expected);
  deepStrictEqual(expected.generator.schemaName, "public");
});

Deno.test("operations without weights weigh 1 each", () => {
  const { config } = parseEventsConfig(gen("operations: [update, insert]"), "e.yaml");
  deepStrictEqual(config.generator.operations, ["update", "insert"]);
  deepStrictEqual(config.generator.operationWeights, [1, 1]);
});

Deno.test("unknown keys name the nearest key", () => {
  deepStrictEqual(problems(gen("insrt_rows: 4", "colour: red")), [
    'e.yaml:2:3: generator.insrt_rows: unknown key "insrt_rows" (did you mean "insert_rows"?), e.g. insert_rows: 4',
    'e.yaml:3:3: generator.colour: unknown key "colour" (known: schema_name, manual_table_list, ' +
    "exclude_table_list, num_iterations, wait_after_operations, wait_duration_seconds, table_weights, " +
    "operations, operation_weights, insert_rows, update_rows, delete_rows, insert_max_retries, " +
    "update_max_retries, random_seed, faker_seed), e.g. schema_name: public",
  ]);
  deepStrictEqual(problems("conection:\n  host: x\n"), [
    'e.yaml:1:1: conection: unknown key "conection" (did you mean "connection"?), e.g. generator: { insert_rows: 4 }',
  ]);
  deepStrictEqual(problems("insert_rows: 4\n"), [
    'e.yaml:1:1: insert_rows: "insert_rows" belongs under "generator", e.g. generator: { insert_rows: 4 }',
  ]);
  deepStrictEqual(problems("connection:\n  hots: x\n"), [
    'e.yaml:2:3: connection.hots: unknown key "hots" (did you mean "host"?), e.g. host: localhost',
  ]);
});

Deno.test("wrong types are reported at the value", () => {
  deepStrictEqual(
    problems(gen("insert_rows: four", "manual_table_list: users", "wait_duration_seconds: true")),
    [
      'e.yaml:2:16: generator.insert_rows: expected a whole number, got "four", e.g. insert_rows: 4',
      'e.yaml:3:22: generator.manual_table_list: expected a list of table names, got "users", ' +
      "e.g. manual_table_list: [users, orders]",
      "e.yaml:4:26: generator.wait_duration_seconds: expected a number of seconds, got true, " +
      "e.g. wait_duration_seconds: 0.5",
    ],
  );
  deepStrictEqual(problems("connection:\n  port: 5432.5\n"), [
    "e.yaml:2:9: connection.port: expected a whole number, got 5432.5, e.g. port: 5432",
  ]);
  deepStrictEqual(problems("generator: [insert]\n"), [
    "e.yaml:1:12: generator: expected a mapping of settings, got a list",
  ]);
  deepStrictEqual(problems("- a\n"), [
    'e.yaml:1:1: expected a mapping with "connection" and "generator" blocks, got a list',
  ]);
});

Deno.test("negative counts are refused", () => {
  deepStrictEqual(problems(gen("delete_rows: -1", "insert_max_retries: -3", "num_iterations: -2")), [
    "e.yaml:2:16: generator.delete_rows: must be 1 or more (got -1), e.g. delete_rows: 1",
    "e.yaml:3:23: generator.insert_max_retries: must be 0 or more (got -3), e.g. insert_max_retries: 50",
    "e.yaml:4:19: generator.num_iterations: must be 0 or more, or -1 to run until stopped (got -2), " +
    "e.g. num_iterations: 2000",
  ]);
});

Deno.test("operations and weights must align", () => {
  deepStrictEqual(problems(gen("operations: [insert, update, delete]", "operation_weights: [3, 2]")), [
    "e.yaml:3:22: generator.operation_weights: 3 operations but 2 weights; give one weight per operation, " +
    "e.g. operation_weights: [3, 2, 1]",
  ]);
  deepStrictEqual(problems(gen("operation_weights: [1, 1]")), [
    "e.yaml:2:22: generator.operation_weights: 3 operations but 2 weights; give one weight per operation, " +
    "e.g. operation_weights: [3, 2, 1]",
  ]);
});

Deno.test("unknown operations and weights that are not positive", () => {
  deepStrictEqual(problems(gen("operations: [insert, updte, truncate]", "operation_weights: [1, 0, -2]")), [
    'e.yaml:2:24: generator.operations[1]: unknown operation "updte" (did you mean "update"?), ' +
    "e.g. operations: [insert, update, delete]",
    'e.yaml:2:31: generator.operations[2]: unknown operation "truncate" (known: insert, update, delete), ' +
    "e.g. operations: [insert, update, delete]",
    "e.yaml:3:26: generator.operation_weights[1]: a weight must be more than 0 (got 0); leave the entry out " +
    "instead, e.g. operation_weights: [3, 2, 1]",
    "e.yaml:3:29: generator.operation_weights[2]: a weight must be more than 0 (got -2); leave the entry out " +
    "instead, e.g. operation_weights: [3, 2, 1]",
  ]);
  deepStrictEqual(problems(gen("table_weights: { users: 0 }")), [
    "e.yaml:2:27: generator.table_weights.users: a weight must be more than 0 (got 0); leave the entry out " +
    "instead, e.g. table_weights: { users: 3, orders: 1 }",
  ]);
  deepStrictEqual(problems(gen("operations: [insert, INSERT]", "operation_weights: [1, 2]")), [
    'e.yaml:2:24: generator.operations[1]: "INSERT" is listed twice; list it once, ' +
    "e.g. operations: [insert, update, delete]",
  ]);
});

Deno.test("both table lists give a warning saying the manual list wins", () => {
  const { config, warnings } = parseEventsConfig(
    gen("manual_table_list: [a]", "exclude_table_list: [b]"),
    "e.yaml",
  );
  deepStrictEqual(config.generator.manualTableList, ["a"]);
  deepStrictEqual(warnings, [
    "e.yaml:3:3: generator.exclude_table_list: ignored: manual_table_list is not empty, and " +
    "exclude_table_list is used only when it is; remove one, e.g. manual_table_list: []",
  ]);
  deepStrictEqual(parseEventsConfig(gen("exclude_table_list: [b]"), "e.yaml").warnings, []);
});

Deno.test("syntax errors and empty files carry positions", () => {
  deepStrictEqual(problems("generator:\n\tinsert_rows: 4\n"), [
    "e.yaml:2:1: YAML cannot indent with tabs; use spaces",
  ]);
  const e = (() => {
    try {
      parseEventsConfig("generator:\n  insert_rows: 1\n  insert_rows: 2\n", "e.yaml");
    } catch (e) {
      return e;
    }
  })();
  ok(e instanceof EventsConfigError && e instanceof SyntaxError);
  deepStrictEqual([e.file, e.line, e.column, e.issues.length], ["e.yaml", 3, 3, 1]);
  deepStrictEqual(e.message, "e.yaml:3:3: this key appears twice in the same mapping; keep one");
  deepStrictEqual(problems("# nothing\n"), [
    'e.yaml:1:1: the file is empty; it needs a "generator" or "connection" block, ' +
    "e.g. generator: { insert_rows: 4 }",
  ]);
});

Deno.test("every problem is listed at once, by position", () => {
  const lines = problems(gen("update_rows: x", "insert_rows: -1", "bogus: 1"));
  deepStrictEqual(lines.map((l) => l.split(":").slice(0, 3).join(":")), [
    "e.yaml:2:16",
    "e.yaml:3:16",
    "e.yaml:4:3",
  ]);
});

Deno.test("flags override the file", () => {
  const { config } = parseEventsConfig(OLD_FORMAT, "event-generator.yaml");
  const out = applyFlags(config, {
    "insert-rows": "12",
    "table-weights": "users=3,orders=1.5",
    operations: "insert,update",
    "operation-weights": "5,3",
    "manual-table-list": "",
    "exclude-table-list": "logs, audit",
    "num-iterations": "-1",
    "wait-duration-seconds": "0.25",
    "schema-name": "other",
    "random-seed": "42",
    port: "5433",
    help: true, // not ours: ignored
  });
  deepStrictEqual(out.generator.insertRows, 12);
  deepStrictEqual(out.generator.tableWeights, { users: 3, orders: 1.5 });
  deepStrictEqual(out.generator.operations, ["insert", "update"]);
  deepStrictEqual(out.generator.operationWeights, [5, 3]);
  deepStrictEqual(out.generator.manualTableList, []);
  deepStrictEqual(out.generator.excludeTableList, ["logs", "audit"]);
  deepStrictEqual(out.generator.waitDurationSeconds, 0.25);
  deepStrictEqual(out.generator.schemaName, "other");
  deepStrictEqual(out.generator.randomSeed, 42);
  deepStrictEqual(out.generator.fakerSeed, 99, "untouched keys keep the file's value");
  deepStrictEqual(out.connection.port, 5433);
  deepStrictEqual(config.generator.insertRows, 8, "the input is not changed");
  deepStrictEqual(applyFlags(config, { operations: "delete" }).generator.operationWeights, [1]);
});

Deno.test("bad flags are reported together, naming the flag", () => {
  deepStrictEqual(
    flagProblems({ "insert-rows": "many", "operation-weights": "1,2", "table-weights": "users" }),
    [
      '--table-weights: expected a mapping of table name to weight, got "users", e.g. --table-weights users=3,orders=1',
      '--insert-rows: expected a whole number, got "many", e.g. --insert-rows 4',
      "--operation-weights: 3 operations but 2 weights; give one weight per operation, " +
      "e.g. --operation-weights 3,2,1",
    ],
  );
  deepStrictEqual(flagProblems({ operations: "insert,delte", "delete-rows": true }), [
    '--operations: item 2: unknown operation "delte" (did you mean "delete"?), ' +
    "e.g. --operations insert,update,delete",
    "--delete-rows: needs a value, e.g. --delete-rows 1",
  ]);
  deepStrictEqual(flagProblems({ db: "mysql://x/y" }), [
    '--db: unknown scheme "mysql:"; give "pglite" or a postgres:// URL, ' +
    "e.g. --db postgres://user@localhost:5432/sakila",
  ]);
});

Deno.test("--db replaces the connection block and keeps its password", () => {
  const { config } = parseEventsConfig(OLD_FORMAT, "event-generator.yaml");
  const out = applyFlags(config, { db: "postgresql://ann:s%3Acret@[::1]:5544/my%20db" });
  deepStrictEqual(out.connection, {
    host: "::1",
    port: 5544,
    database: "my db",
    user: "ann",
    password: "s:cret",
  });
  deepStrictEqual(connectionUrl(out), "postgres://ann:s%3Acret@[::1]:5544/my%20db");
  deepStrictEqual(describeConnection(out), "postgres://ann@[::1]:5544/my%20db");
  deepStrictEqual(applyFlags(config, { db: "postgres://bob@h/x" }).connection, {
    host: "h",
    database: "x",
    user: "bob",
  });
  deepStrictEqual(applyFlags(config, { db: "pglite" }).connection, config.connection);
  deepStrictEqual(applyFlags(config, { db: "postgres://bob@h/x", host: "other" }).connection.host, "other");
});

Deno.test("PGPASSWORD fills a missing password only", () => {
  const env = { PGPASSWORD: "from-env" };
  const none = parseEventsConfig("connection:\n  user: u\n", "e.yaml").config;
  deepStrictEqual(applyFlags(none, {}, env).connection.password, "from-env");
  deepStrictEqual(applyFlags(none, {}, {}).connection.password, undefined);
  const withFile = parseEventsConfig(OLD_FORMAT, "e.yaml").config;
  deepStrictEqual(applyFlags(withFile, {}, env).connection.password, "hunter2");
  deepStrictEqual(applyFlags(withFile, { db: "postgres://u@h/d" }, env).connection.password, "from-env");
  deepStrictEqual(applyFlags(withFile, { db: "postgres://u:url@h/d" }, env).connection.password, "url");
});

Deno.test("the password never appears in describeConnection", () => {
  for (const password of ["hunter2", "p@ss:w/rd", "x"]) {
    const config = applyFlags(defaultEventsConfig(), { user: "u", password, host: "h", database: "d" });
    ok(connectionUrl(config).includes(encodeURIComponent(password)));
    const shown = describeConnection(config);
    ok(!shown.includes(password) && !shown.includes(encodeURIComponent(password)), shown);
    deepStrictEqual(shown, "postgres://u@h/d");
  }
  const fromEnv = applyFlags(defaultEventsConfig(), {}, { PGPASSWORD: "secret-env" });
  deepStrictEqual(describeConnection(fromEnv), "postgres://localhost");
  deepStrictEqual(connectionUrl(fromEnv), "postgres://:secret-env@localhost");
});
