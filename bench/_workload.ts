/**
 * Running `quarry workload run` from a bench script, as a user would, with
 * the permissions its task grants, and reading its `--json` result.
 *
 * @module
 */
import type { WorkloadResult } from "../core/workload/result.ts";

const root = new URL("../", import.meta.url).pathname;
const dec = new TextDecoder();

/** `quarry workload run ARGS --json`: its result and what it printed on stderr; throws when it fails. */
export async function workloadRun(
  args: readonly string[],
): Promise<{ result: WorkloadResult; stderr: string }> {
  const out = await new Deno.Command("deno", {
    args: [
      "run",
      "--allow-read",
      "--allow-net=127.0.0.1",
      "--allow-env",
      "cli/main.ts",
      "workload",
      "run",
      ...args,
      "--json",
    ],
    cwd: root,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = dec.decode(out.stderr);
  if (!out.success) throw new Error(`quarry workload run ${args.join(" ")}: ${stderr}`);
  return { result: JSON.parse(dec.decode(out.stdout)), stderr };
}
