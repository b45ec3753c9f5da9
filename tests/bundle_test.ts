import { deepStrictEqual } from "node:assert/strict";

const root = new URL("../", import.meta.url).pathname;
const dec = new TextDecoder();

async function run(args: string[], cwd = root): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(Deno.execPath(), { args, cwd, stdout: "piped", stderr: "piped" })
    .output();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

Deno.test("the single-file bundle generates the same bytes as the source tree, workers included", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const bundle = `${dir}/quarry.js`;
    const built = await run([
      "run",
      "--allow-read",
      "--allow-write",
      "--allow-run=deno",
      "cli/bundle.ts",
      bundle,
    ]);
    deepStrictEqual(built.code, 0, built.stderr);
    const args = ["generate", "-n", "60k", "--seed", "17", "-w", "2"];
    // Run the bundle from elsewhere, so it cannot reach the source tree.
    const fromBundle = await run(["run", "--allow-read", "--allow-write", bundle, ...args], dir);
    const fromSource = await run(["run", "--allow-read", "--allow-write", "cli/main.ts", ...args]);
    deepStrictEqual(fromBundle.code, 0, fromBundle.stderr);
    deepStrictEqual(fromBundle.stdout.split("\n").length, 60001);
    deepStrictEqual(fromBundle.stdout === fromSource.stdout, true, "bundle output differs");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
