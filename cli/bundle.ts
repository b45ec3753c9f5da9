/**
 * Builds the single-file `dist/quarry.js` (`deno task bundle`). npm packages
 * stay outside the bundle, since inlining them breaks libpg-query's and
 * PGlite's WASM loaders; their bare imports are then rewritten to the
 * `npm:` specifiers of import_map.json, so the file runs anywhere Deno can
 * reach the npm registry, without the import map.
 *
 * Usage: deno run --allow-read --allow-write --allow-run=deno cli/bundle.ts [OUTPUT]
 *
 * @module
 */
const root = new URL("../", import.meta.url);
const output = Deno.args[0] ?? "dist/quarry.js";

const importMap = JSON.parse(await Deno.readTextFile(new URL("import_map.json", root))) as {
  imports: Record<string, string>;
};
const npm = Object.entries(importMap.imports).filter(([, target]) => target.startsWith("npm:"));

const built = await new Deno.Command("deno", {
  args: ["bundle", "--quiet", ...npm.map(([name]) => `--external=${name}`), "-o", output, "cli/main.ts"],
  cwd: root,
  stdout: "inherit",
  stderr: "inherit",
}).output();
if (!built.success) Deno.exit(built.code || 1);

const path = new URL(output, root);
let code = await Deno.readTextFile(path);
for (const [name, target] of npm) {
  const quoted = JSON.stringify(name);
  code = code.replaceAll(`from ${quoted}`, `from ${JSON.stringify(target)}`)
    .replaceAll(`import(${quoted})`, `import(${JSON.stringify(target)})`);
}
await Deno.writeTextFile(path, code);
