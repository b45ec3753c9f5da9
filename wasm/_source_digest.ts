// The hash that ties wasm/kernel_wasm.ts to the sources it was built from.
import { sha256Hex } from "./_encoding.ts";

const assemblyDir = new URL("assembly/", import.meta.url);

/** The kernel's sources in a stable order, with their combined hash. */
export async function sourceDigest(): Promise<string> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(assemblyDir)) {
    if (entry.isFile && entry.name.endsWith(".ts")) names.push(entry.name);
  }
  names.sort();
  let all = "";
  for (const name of names) {
    all += `${name}\n${await Deno.readTextFile(new URL(name, assemblyDir))}\n`;
  }
  return await sha256Hex(new TextEncoder().encode(all));
}
