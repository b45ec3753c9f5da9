/**
 * Running the `quarry` CLI as a user would, in a child process, for the
 * end-to-end tests.
 *
 * @module
 */

/** The repository root, where the CLI runs from. */
export const root = new URL("../", import.meta.url);
/** The CLI's entry module. */
export const main = new URL("cli/main.ts", root).pathname;

const dec = new TextDecoder();

/** What a run printed and how it exited. */
export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `quarry ARGS` with the given Deno permissions (those its task grants,
 * by default `--allow-read --allow-write`); `stdin` is piped in when given.
 */
export async function runCli(
  args: readonly string[],
  options: { permissions?: readonly string[]; stdin?: string } = {},
): Promise<Run> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", ...(options.permissions ?? ["--allow-read", "--allow-write"]), main, ...args],
    cwd: root.pathname,
    stdin: options.stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (options.stdin !== undefined) {
    const w = child.stdin.getWriter();
    await w.write(new TextEncoder().encode(options.stdin));
    await w.close();
  }
  const out = await child.output();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}
