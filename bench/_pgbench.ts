/**
 * pgbench as the benches run it: its connection arguments from a URL, a
 * `-S` (point SELECT) run's tps, and the median the benches report. One
 * place, so every comparison with pgbench asks it the same way.
 *
 * @module
 */

const root = new URL("../", import.meta.url).pathname;
const dec = new TextDecoder();

/** Runs a command from the project's folder; its stdout, or an error with its stderr. */
export async function command(cmd: string, args: readonly string[]): Promise<string> {
  const out = await new Deno.Command(cmd, { args: [...args], cwd: root, stdout: "piped", stderr: "piped" })
    .output();
  if (!out.success) throw new Error(`${cmd} ${args.join(" ")}: ${dec.decode(out.stderr)}`);
  return dec.decode(out.stdout);
}

/** pgbench's `-h -p -U database` for `url`. */
export function pgbenchWhere(url: URL): string[] {
  return [
    "-h",
    url.hostname,
    "-p",
    url.port || "5432",
    "-U",
    url.username || "postgres",
    url.pathname.slice(1),
  ];
}

/** `pgbench -i -s SCALE -q` on `url`'s database. */
export async function pgbenchInit(url: URL, scale: number): Promise<void> {
  await command("pgbench", ["-i", "-s", String(scale), "-q", ...pgbenchWhere(url)]);
}

/**
 * `pgbench -S -M MODE -c 4 -j 2 -T SECONDS`: its tps without the initial
 * connection time.
 */
export async function pgbenchSelectTps(url: URL, seconds: number, mode = "simple"): Promise<number> {
  const text = await command("pgbench", [
    "-S",
    "-M",
    mode,
    "-c",
    "4",
    "-j",
    "2",
    "-T",
    String(seconds),
    ...pgbenchWhere(url),
  ]);
  const m = /tps = ([\d.]+) \(without initial connection time\)/.exec(text);
  if (!m) throw new Error(`no tps in pgbench output:\n${text}`);
  return Number(m[1]);
}

/** The middle value (the upper middle of an even count). */
export const median = (xs: readonly number[]): number =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
