import { deepStrictEqual, match, ok } from "node:assert/strict";
import { type Run, runCli } from "./_cli.ts";

/** Runs the CLI as a user would, with the permissions its task grants; `stdin` is piped in when given. */
const quarry = (args: string[], stdin?: string): Promise<Run> =>
  runCli(args, stdin === undefined ? {} : { stdin });

Deno.test("coverage --json of generated dml_unique output names the statement and clause kinds it uses", async () => {
  const gen = await quarry(["generate", "-n", "2000", "--seed", "42"]);
  deepStrictEqual(gen.code, 0, gen.stderr);
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/out.sql`, gen.stdout);
    const r = await quarry(["coverage", "--json", `${dir}/out.sql`]);
    deepStrictEqual([r.code, r.stderr], [0, ""]);
    const report = JSON.parse(r.stdout);
    deepStrictEqual(Object.keys(report), [
      "statements",
      "parseErrors",
      "nodeKinds",
      "keywords",
      "functions",
      "operators",
    ]);
    deepStrictEqual([report.statements, report.parseErrors], [2000, 0]);
    for (
      const kind of ["SelectStmt", "InsertStmt", "UpdateStmt", "DeleteStmt", "JoinExpr", "A_Expr", "FuncCall"]
    ) {
      ok(report.nodeKinds[kind] > 0, `no ${kind} in ${JSON.stringify(report.nodeKinds)}`);
    }
    for (const keyword of ["SELECT", "INSERT", "UPDATE", "DELETE", "JOIN", "WHERE", "RETURNING"]) {
      ok(report.keywords[keyword] > 0, `no ${keyword} in ${JSON.stringify(report.keywords)}`);
    }
    ok(report.functions.count > 0, JSON.stringify(report.functions));
    // Every statement is exactly one of the four DML kinds at the top, so their sum is at least the count.
    const top = ["SelectStmt", "InsertStmt", "UpdateStmt", "DeleteStmt"].reduce(
      (s, k) => s + report.nodeKinds[k],
      0,
    );
    ok(top >= 2000);
    // Standard input gives the same report.
    deepStrictEqual((await quarry(["coverage", "--json"], gen.stdout)).stdout, r.stdout);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the summary lists totals and the most frequent entries; parse errors are counted", async () => {
  const text = "SELECT lower(a.x) FROM t AS a;\nSELEC 1;\n\n-- skipped\nSELECT 2;\n";
  const r = await quarry(["coverage", "--top", "2"], text);
  deepStrictEqual(r.code, 0, r.stderr);
  deepStrictEqual(
    r.stdout,
    [
      "3 statements, 1 parse error",
      "7 node kinds, 3 keywords, 1 function, 0 operators",
      "",
      "node kinds (top 2 of 7):",
      "  String     3",
      "  ResTarget  2",
      "",
      "keywords (top 2 of 3):",
      "  SELECT  2",
      "  AS      1",
      "",
      "functions:",
      "  lower  1",
      "",
    ].join("\n"),
  );
});

Deno.test("usage errors exit 2 with one line naming the problem", async () => {
  for (
    const [args, pattern] of [
      [["coverage", "/nonexistent/x.sql"], /cannot read "\/nonexistent\/x\.sql"/],
      [["coverage", "--top", "x"], /--top must be a whole number/],
      [["coverage", "a.sql", "b.sql"], /unexpected argument "b\.sql"/],
    ] as const
  ) {
    const r = await quarry([...args]);
    deepStrictEqual([r.code, r.stdout], [2, ""], r.stderr);
    match(r.stderr, pattern);
    deepStrictEqual(r.stderr.trim().split("\n").length, 1, r.stderr);
  }
});

Deno.test("--help output matches the committed snapshot", async () => {
  const r = await quarry(["coverage", "--help"]);
  deepStrictEqual(r.code, 0);
  const snap = new URL("snapshots/coverage_help.txt", import.meta.url);
  if (Deno.env.get("UPDATE_SNAPSHOTS") === "1") await Deno.writeTextFile(snap, r.stdout);
  deepStrictEqual(
    r.stdout,
    await Deno.readTextFile(snap),
    "coverage_help.txt changed; rerun with UPDATE_SNAPSHOTS=1",
  );
});
