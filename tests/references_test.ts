/**
 * User-facing text points only inside the project: README, the help
 * snapshots, the CLI's sources (help and errors) and docs/ name no file of
 * the developers' shared reference folder, and every `docs/…` page they
 * name exists.
 *
 * @module
 */
import { deepStrictEqual } from "node:assert/strict";

const root = new URL("../", import.meta.url);

async function userFacingFiles(): Promise<string[]> {
  const files = ["README.md"];
  const walk = async (dir: string, ext: RegExp) => {
    for await (const e of Deno.readDir(new URL(dir, root))) {
      const path = `${dir}/${e.name}`;
      if (e.isDirectory) await walk(path, ext);
      else if (ext.test(e.name) && !e.name.endsWith("_test.ts")) files.push(path);
    }
  };
  await walk("cli", /\.ts$/);
  await walk("docs", /\.md$/);
  await walk("tests/snapshots", /_help\.txt$/);
  return files;
}

Deno.test("user-facing text names no file outside the project, and the docs pages it names exist", async () => {
  const outside: string[] = [];
  const missing: string[] = [];
  for (const file of await userFacingFiles()) {
    const text = await Deno.readTextFile(new URL(file, root));
    text.split("\n").forEach((line, i) => {
      if (/(^|[^\w.-])(\.\.\/)*shared\/(reference|seeds|vectors|STYLE)/.test(line)) {
        outside.push(`${file}:${i + 1}`);
      }
    });
    for (const m of text.matchAll(/\bdocs\/([\w.-]+\.md)\b/g)) {
      try {
        await Deno.stat(new URL(`docs/${m[1]}`, root));
      } catch {
        missing.push(`${file}: docs/${m[1]}`);
      }
    }
  }
  deepStrictEqual({ outside, missing }, { outside: [], missing: [] });
});
