/**
 * How `quarry data` fails: bad specs and flags (exit 2, one line), a closed
 * pipe (exit 0 at once), full devices and disks (exit 3, no partial file),
 * and Ctrl-C (exit 130, no partial file), all through the real CLI.
 *
 * @module
 */
import { deepStrictEqual, match, ok } from "node:assert/strict";
import { main, type Run, runCli } from "./_cli.ts";
import { data, dec, failed, listAll, LOAD_PERMISSIONS, succeeded, withDir } from "./_data_cli.ts";

Deno.test("bad specs and flags: exit 2, one line naming the problem, no stack trace, no file written", async () => {
  await withDir(async (dir) => {
    await Deno.writeTextFile(
      `${dir}/syntax.yaml`,
      "tables:\n  t:\n    columns:\n      a: { method: integers, min: 1, max: 3 }\n     b: { method: nulls }\n",
    );
    await Deno.writeTextFile(
      `${dir}/method.yaml`,
      "tables:\n  t:\n    columns:\n      a: { method: integerz }\n",
    );
    await Deno.writeTextFile(
      `${dir}/many.yaml`,
      "tables:\n  t:\n    columns:\n      a: { method: integerz, min: 1, max: 3 }\n" +
        "      b: { method: floats, min: 5, max: 1 }\n      c: { method: reference, table: nope, column: x }\n",
    );
    const out = ["-o", `${dir}/out.csv`];
    const runs = await Promise.all([
      data("--spec", `${dir}/missing.yaml`, ...out),
      data("--spec", `${dir}/syntax.yaml`, ...out),
      data("--spec", `${dir}/method.yaml`, ...out),
      data("--spec", `${dir}/many.yaml`, ...out),
      data("--spec", "customers", "--format", "xml", ...out),
      data("--spec", "customers", "--files", "3"),
      data("--spec", "customers", "--rows-per-file", "3"),
      data("--spec", "customers", "-f", "parquet"),
      data("--spec", "nonesuch"),
      data("--spec", "customers", "-t", "custmers", ...out),
      data("--spec", "customers", "--compress", "lz4", ...out),
      data("--spec", "customers", "--delimiter", "ab", ...out),
      data("--spec", "customers", "--rows", "lots", ...out),
      data("--spec", "ecommerce", "--start", "5", ...out),
      data("--rows", "5"),
      runCli(["data", "load", "--spec", `${dir}/method.yaml`], { permissions: LOAD_PERMISSIONS }),
    ]);
    const [missing, syntax, method, many, format, files, perFile, parquet, nonesuch, table, compress] = runs;
    failed(
      missing!,
      2,
      /cannot read spec ".*missing\.yaml": no such file, and no prebuilt spec of that name/,
    );
    failed(syntax!, 2, /syntax\.yaml:5:\d+: /);
    failed(
      method!,
      2,
      /method\.yaml:4:\d+: tables\.t\.columns\.a\.method: unknown method "integerz" \(did you mean "integers"\?\)/,
    );
    failed(
      many!,
      2,
      /many\.yaml:4:\d+: .*integerz[^]*\n {2}.*many\.yaml:5:\d+: .*min 5 is greater than max 1[^]*\n {2}.*many\.yaml:6:\d+: .*"nope"/,
      3,
    );
    failed(format!, 2, /--format must be one of csv, tsv, copy, ndjson, json, sql, parquet \(got "xml"\)/);
    failed(files!, 2, /--files and --rows-per-file need --output FOLDER/);
    failed(perFile!, 2, /--files and --rows-per-file need --output FOLDER/);
    failed(parquet!, 2, /Parquet needs --output/);
    failed(nonesuch!, 2, /cannot read spec "nonesuch".*prebuilt specs: .*customers/);
    failed(table!, 2, /--table: no table "custmers" in the spec/);
    failed(compress!, 2, /--compress must be gzip, zstd or none \(got "lz4"\)/);
    failed(runs[11]!, 2, /--delimiter must be one ASCII character/);
    failed(runs[12]!, 2, /--rows must be a whole number .*\(got "lots"\)/);
    failed(runs[13]!, 2, /--start and --count cut one table's rows/);
    failed(runs[14]!, 2, /--spec FILE\|NAME/);
    failed(runs[15]!, 2, /method\.yaml:4:\d+: .*unknown method "integerz"/);
    deepStrictEqual(listAll(dir), ["many.yaml", "method.yaml", "syntax.yaml"]);
  });
});

Deno.test("a closed pipe (| head -1) ends a long run at once with exit 0 and no error", async () => {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-read",
      "--allow-write",
      main,
      "data",
      "--spec",
      "customers",
      "--rows",
      "10M",
      "--seed",
      "1",
    ],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const stderr = new Response(child.stderr).text();
  const reader = child.stdout.getReader();
  let first = "";
  while (!first.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) break;
    first += dec.decode(value);
  }
  const closed = performance.now();
  await reader.cancel();
  const status = await child.status;
  const seconds = (performance.now() - closed) / 1000;
  deepStrictEqual(
    first.slice(0, first.indexOf("\n")),
    "customer_id,full_name,email,phone,street_address,city," +
      "country_code,segment,marketing_opt_in,signed_up_at",
  );
  deepStrictEqual(status.code, 0, await stderr);
  match(await stderr, /^quarry: seed [0-9a-f]{64}\n$/);
  ok(seconds < 5, `took ${seconds.toFixed(1)} s to stop after the pipe closed`);
});

Deno.test("standard output on a full device (/dev/full): exit 3, one line", async () => {
  const out = await new Deno.Command("bash", {
    args: [
      "-c",
      `exec "$0" run --allow-read --allow-write '${main}' data --spec customers --rows 100k --seed 1 > /dev/full`,
      Deno.execPath(),
    ],
    stdout: "null",
    stderr: "piped",
  }).output();
  failed(
    { code: out.code, stdout: "", stderr: dec.decode(out.stderr) },
    3,
    /cannot write to standard output: No space/,
  );
});

/** Whether this process may mount a tmpfs (root in a container that allows it). */
async function mountTmpfs(dir: string, size: string): Promise<boolean> {
  const r = await new Deno.Command("mount", {
    args: ["-t", "tmpfs", "-o", `size=${size}`, "tmpfs", dir],
    stdout: "null",
    stderr: "null",
  }).output().catch(() => ({ success: false }));
  return r.success;
}

async function unmount(dir: string): Promise<void> {
  const r = await new Deno.Command("umount", { args: [dir], stdout: "null", stderr: "piped" }).output();
  ok(r.success, dec.decode(r.stderr));
}

const canMount = await (async () => {
  const probe = await Deno.makeTempDir({ prefix: "quarry_mount_probe_" });
  try {
    if (!(await mountTmpfs(probe, "64k"))) return false;
    await unmount(probe);
    return true;
  } finally {
    await Deno.remove(probe, { recursive: true });
  }
})();
if (!canMount) {
  console.warn(
    "data_cli_test: cannot mount a tmpfs (needs root and mount rights): skipping the disk-full test",
  );
}

Deno.test({
  name: "a full disk: exit 3, one line naming the file, no partial or temporary file left",
  ignore: !canMount,
  async fn() {
    await withDir(async (dir) => {
      const disk = `${dir}/disk`;
      await Deno.mkdir(disk);
      ok(await mountTmpfs(disk, "256k"));
      try {
        // One file of each kind, each far more than fits.
        const big = ["--spec", "customers", "--rows", "30000", "--seed", "1"];
        for (
          const [args, file] of [
            [["-o", `${disk}/c.csv`], "c.csv"],
            [["-o", `${disk}/c.csv.zst`, "--compress", "zstd"], "c.csv.zst"],
            [["-o", `${disk}/c.parquet`, "-f", "parquet"], "c.parquet"],
            [["-o", `${disk}/split`, "--files", "4"], "split/customers/part-00000.csv"],
          ] as const
        ) {
          const r = await data(...big, ...args);
          failed(r, 3, new RegExp(`cannot write output file "${disk}/${file}": No space left on device`));
          deepStrictEqual(listAll(disk).filter((f) => !f.endsWith("/")), [], file);
          await Deno.remove(`${disk}/split`, { recursive: true }).catch(() => {});
        }
        // Several tables: those that fit are complete, the one that did not is not there at all.
        const eco = ["--spec", "ecommerce", "--rows", "2000", "--seed", "1"];
        const [r, reference] = await Promise.all([
          data(...eco, "-o", `${disk}/eco`),
          data(...eco, "-o", `${dir}/eco`),
        ]);
        succeeded(reference);
        const files = listAll(`${disk}/eco`);
        const failedTable = /cannot write output file ".*\/eco\/(\w+)\.csv"/.exec(r.stderr)?.[1];
        failed(r, 3, /cannot write output file ".*\/eco\/\w+\.csv": No space left on device/);
        ok(failedTable !== undefined && !files.includes(`${failedTable}.csv`), r.stderr);
        ok(files.every((f) => !f.startsWith(".")), `temporary file left: ${files}`);
        for (const f of files) {
          ok(
            (await Deno.readTextFile(`${disk}/eco/${f}`)) === (await Deno.readTextFile(`${dir}/eco/${f}`)),
            `${f} is not complete`,
          );
        }
      } finally {
        await unmount(disk);
      }
    });
  },
});

/**
 * Starts a long `quarry data` run into `dir`, waits until it has a file open,
 * sends SIGINT and returns how it ended; a run still going 20 s later is
 * killed (and then fails the caller's checks) rather than left running.
 */
async function interrupt(dir: string, args: string[]): Promise<{ run: Run; seconds: number }> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-read", "--allow-write", main, "data", ...args],
    stdout: "null",
    stderr: "piped",
  }).spawn();
  for (let i = 0; i < 500 && listAll(dir).every((f) => f.endsWith("/")); i++) {
    await new Promise((r) => setTimeout(r, 10));
  }
  ok(listAll(dir).some((f) => !f.endsWith("/")), "the run wrote nothing in 5 s");
  await new Promise((r) => setTimeout(r, 200));
  const sent = performance.now();
  child.kill("SIGINT");
  const killer = setTimeout(() => child.kill("SIGKILL"), 20_000);
  try {
    const { code, stderr } = await child.output();
    return {
      run: { code, stdout: "", stderr: dec.decode(stderr) },
      seconds: (performance.now() - sent) / 1000,
    };
  } finally {
    clearTimeout(killer);
  }
}

Deno.test("Ctrl-C during a long run to a file or folder: exit 130 and no partial file", async () => {
  await withDir(async (dir) => {
    for (
      const args of [
        ["--spec", "customers", "--rows", "1B", "-o", `${dir}/out.csv`],
        // 1M customers: the per-parent row counts of the child tables are drawn before the run starts.
        ["--spec", "ecommerce", "--rows", "1M", "-f", "ndjson", "-o", `${dir}/eco`],
      ]
    ) {
      const { run, seconds } = await interrupt(dir, args);
      deepStrictEqual(run.code, 130, run.stderr);
      match(run.stderr, /^quarry: seed [0-9a-f]{64}\nquarry: interrupted\n$/);
      deepStrictEqual(listAll(dir).filter((f) => !f.endsWith("/")), [], args.join(" "));
      ok(seconds < 5, `took ${seconds.toFixed(1)} s to stop`);
    }
  });
});

Deno.test({
  // Once a bug: with a writer slower than the workers, the writing loop never yielded to signal handlers.
  name: "Ctrl-C stops a compressed, a JSON and a Parquet run within seconds",
  async fn() {
    await withDir(async (dir) => {
      for (
        const args of [
          ["--compress", "gzip", "-o", `${dir}/out.csv.gz`],
          ["--compress", "zstd", "-o", `${dir}/out.csv.zst`],
          ["-f", "json", "-o", `${dir}/out.json`],
          ["-f", "parquet", "-o", `${dir}/out.parquet`],
        ]
      ) {
        const { run, seconds } = await interrupt(dir, ["--spec", "customers", "--rows", "1B", ...args]);
        deepStrictEqual(run.code, 130, run.stderr);
        deepStrictEqual(listAll(dir), [], args.join(" "));
        ok(seconds < 5, `${args.join(" ")}: took ${seconds.toFixed(1)} s to stop`);
      }
    });
  },
});
