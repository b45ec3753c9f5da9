/**
 * A private PostgreSQL server for tests that need what the shared one on
 * 127.0.0.1:5432 does not have (password authentication): `initdb` into a
 * temp folder, started on a random loopback port, stopped and removed
 * afterwards. The server binaries run as the `postgres` user (initdb refuses
 * root). Requires `--allow-run`, `--allow-read` and `--allow-write`.
 *
 * (tests/wire_test.ts starts its server the same way, with its own copy of
 * these steps.)
 *
 * @module
 */

/** The newest PostgreSQL server binaries installed. */
export function serverBinaries(): string {
  for (const v of ["18", "17", "16", "15", "14", "13"]) {
    try {
      Deno.statSync(`/usr/lib/postgresql/${v}/bin/initdb`);
      return `/usr/lib/postgresql/${v}/bin`;
    } catch { /* next */ }
  }
  throw new Error("no PostgreSQL server binaries under /usr/lib/postgresql");
}

/** Runs a server binary as the postgres user; returns its output. */
async function asPostgres(...args: string[]): Promise<string> {
  const out = await new Deno.Command("runuser", {
    args: ["-u", "postgres", "--", ...args],
    stderr: "piped",
    stdout: "piped",
  }).output();
  if (!out.success) throw new Error(`${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
  return new TextDecoder().decode(out.stdout);
}

async function postgresUser(): Promise<[number, number]> {
  const line = (await Deno.readTextFile("/etc/passwd")).split("\n").find((l) => l.startsWith("postgres:"));
  if (!line) throw new Error("no postgres user in /etc/passwd");
  const [, , uid, gid] = line.split(":");
  return [Number(uid), Number(gid)];
}

/** A running private server. */
export interface PrivateServer {
  port: number;
  /** The superuser's password. */
  password: string;
  /** `postgres://postgres:PASSWORD@127.0.0.1:PORT/postgres`. */
  url: string;
  /**
   * Stops the server (`pg_ctl stop -m MODE`: fast ends sessions cleanly,
   * immediate like a crash), waits `downMs`, and starts it again on the same port.
   */
  restart(o?: { mode?: "fast" | "immediate"; downMs?: number }): Promise<void>;
  /** Stops the server for good (`pg_ctl stop -m MODE`, fast by default); its folder goes when `fn` ends. */
  stop(o?: { mode?: "fast" | "immediate" }): Promise<void>;
}

/** Options of {@link withPrivateServer}. */
export interface PrivateServerOptions {
  /** The superuser's password [default: "s3cret!"]. */
  password?: string;
  /** The lines of pg_hba.conf [default: SCRAM-SHA-256 for every login from 127.0.0.1]. */
  hba?: string;
  /** Server settings given at start (`-c name=value`), e.g. `{ max_connections: 300 }`. */
  settings?: Record<string, string | number>;
}

/**
 * Starts a server whose every login needs a password (SCRAM-SHA-256 for
 * all, or the lines of `hba`), passes it to `fn`, then stops it (unless
 * `fn` stopped it) and removes its folder.
 */
export async function withPrivateServer<T>(
  fn: (server: PrivateServer) => Promise<T>,
  options: PrivateServerOptions = {},
): Promise<T> {
  const bin = serverBinaries();
  const owner = await postgresUser();
  const password = options.password ?? "s3cret!";
  const dir = await Deno.makeTempDir({ prefix: "quarry_pg_" });
  try {
    await Deno.chown(dir, ...owner);
    const data = `${dir}/data`;
    await Deno.writeTextFile(`${dir}/pw`, `${password}\n`);
    await Deno.chown(`${dir}/pw`, ...owner);
    await asPostgres(
      `${bin}/initdb`,
      "-D",
      data,
      "-U",
      "postgres",
      `--pwfile=${dir}/pw`,
      "--auth=scram-sha-256",
      "-E",
      "UTF8",
    );
    await Deno.writeTextFile(
      `${data}/pg_hba.conf`,
      options.hba ?? "host all all 127.0.0.1/32 scram-sha-256\n",
    );
    // A port taken by another server makes pg_ctl fail: try a few.
    let port = 0;
    let running = false;
    const settings = Object.entries(options.settings ?? {}).map(([k, v]) => ` -c ${k}=${v}`).join("");
    const start = async (candidate: number) => {
      await asPostgres(
        `${bin}/pg_ctl`,
        "-D",
        data,
        "-o",
        `-p ${candidate} -k ${dir} -c listen_addresses=127.0.0.1${settings}`,
        "-l",
        `${dir}/log`, // the server's output; it would otherwise hold our pipes open
        "-w",
        "start",
      );
      running = true;
    };
    const stop = async (mode: "fast" | "immediate") => {
      await asPostgres(`${bin}/pg_ctl`, "-D", data, "-m", mode, "-w", "stop");
      running = false;
    };
    for (let attempt = 0; attempt < 5 && port === 0; attempt++) {
      const candidate = 20000 + Math.floor(Math.random() * 20000);
      try {
        await start(candidate);
        port = candidate;
      } catch (e) {
        if (attempt === 4) throw e;
      }
    }
    try {
      return await fn({
        port,
        password,
        url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
        async restart(o = {}) {
          await stop(o.mode ?? "fast");
          if (o.downMs) await new Promise((resolve) => setTimeout(resolve, o.downMs));
          await start(port);
        },
        stop: (o = {}) => stop(o.mode ?? "fast"),
      });
    } finally {
      if (running) await stop("immediate");
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
