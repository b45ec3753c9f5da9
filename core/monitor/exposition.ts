/**
 * Serving a run's live numbers on `GET /metrics` in Prometheus' text
 * exposition format, through prom-client: metrics described as
 * {@link MetricSpec}s that read one snapshot, taken once per scrape so the
 * numbers of a scrape agree with each other. Shared by `workload run
 * --metrics-port` and `generate --metrics-port`.
 *
 * @module
 */
import { Counter, Gauge, Registry } from "prom-client";

/** Label values of one sample. */
export type Labels = Record<string, string>;
/** One sample of a metric: its labels and value. */
export type Sample = [Labels, number];

/** One metric: how its samples follow from a snapshot. No sample leaves the metric without a value. */
export interface MetricSpec<S> {
  /** The name after the server's prefix. */
  name: string;
  help: string;
  type: "counter" | "gauge";
  labelNames?: string[];
  samples(snapshot: S): Sample[];
}

/** Options of {@link serveExposition}. */
export interface ExpositionOptions<S> {
  /** TCP port; 0 picks a free one (read it from the returned server). */
  port: number;
  /** Address to listen on [default: "127.0.0.1", so the run's numbers stay on the machine unless asked]. */
  hostname?: string;
  /** Prefix of every metric's name, e.g. `quarry_generate_`. */
  prefix: string;
  specs: readonly MetricSpec<S>[];
  /** Called once per scrape. */
  snapshot: () => S;
  /** What `GET /` answers, e.g. "Quarry generate metrics: GET /metrics". */
  title: string;
}

/** A running metrics endpoint. */
export interface MetricsServer {
  /** The port it listens on (the one chosen when asked for 0). */
  port: number;
  /** Stops listening and waits for requests in flight. */
  close(): Promise<void>;
}

/**
 * A registry of `specs` reading `current()` when collected. No default process metrics: prom-client's read
 * Node's event-loop and process internals, which Deno only partly provides, and would ask for permissions
 * (`--allow-sys`) a run does not otherwise need.
 */
function registryOf<S>(prefix: string, specs: readonly MetricSpec<S>[], current: () => S): Registry {
  const registry = new Registry();
  for (const spec of specs) {
    const config = { name: prefix + spec.name, help: spec.help, labelNames: spec.labelNames ?? [] };
    if (spec.type === "counter") {
      new Counter({
        ...config,
        registers: [registry],
        // A counter here mirrors a total the run keeps, so it is set, not incremented.
        collect() {
          this.reset();
          for (const [labels, v] of spec.samples(current())) this.inc(labels, v);
        },
      });
    } else {
      new Gauge({
        ...config,
        registers: [registry],
        collect() {
          this.reset();
          const samples = spec.samples(current());
          // reset() leaves an unlabelled gauge at 0; a measure without a value has no sample instead.
          if (samples.length === 0 && config.labelNames.length === 0) this.remove({});
          for (const [labels, v] of samples) this.set(labels, v);
        },
      });
    }
  }
  return registry;
}

/**
 * Serves `specs` on `GET /metrics` (and `HEAD`), `GET /` saying so, 404
 * elsewhere. Requires `--allow-net` for the address.
 *
 * @param o See {@link ExpositionOptions}.
 * @returns The server, with the port it listens on.
 * @throws {RangeError} When the port is not 0 to 65535.
 *
 * @example One gauge, scraped once
 * ```ts
 * import { serveExposition } from "./exposition.ts";
 * const server = serveExposition({
 *   port: 0, prefix: "demo_", title: "Demo", snapshot: () => 7,
 *   specs: [{ name: "answer", help: "A number.", type: "gauge", samples: (n: number) => [[{}, n]] }],
 * });
 * const text = await (await fetch(`http://127.0.0.1:${server.port}/metrics`)).text();
 * await server.close();
 * if (!text.includes("demo_answer 7")) throw new Error(text);
 * ```
 */
export function serveExposition<S>(o: ExpositionOptions<S>): MetricsServer {
  if (!Number.isInteger(o.port) || o.port < 0 || o.port > 65535) {
    throw new RangeError(`The metrics port must be 0 to 65535 (0 picks a free one), not ${o.port}`);
  }
  let snapshot: S | undefined;
  const registry = registryOf(o.prefix, o.specs, () => snapshot!);
  // Collection awaits between metrics: scrapes take turns, so each reads only its own snapshot.
  let turn: Promise<unknown> = Promise.resolve();
  const scrape = (): Promise<string> => {
    const text = turn.then(async () => {
      snapshot = o.snapshot();
      try {
        return await registry.metrics();
      } finally {
        snapshot = undefined;
      }
    });
    turn = text.catch(() => {});
    return text;
  };

  const server = Deno.serve({
    port: o.port,
    hostname: o.hostname ?? "127.0.0.1",
    onListen() {}, // The caller prints where it listens, in its own words.
  }, async (req) => {
    const path = new URL(req.url).pathname;
    if (path !== "/metrics" && path !== "/") {
      return new Response("Not found: try /metrics\n", { status: 404 });
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      return new Response("Only GET and HEAD\n", { status: 405, headers: { allow: "GET, HEAD" } });
    }
    if (path === "/") {
      return new Response(`${o.title}: GET /metrics\n`, { headers: { "content-type": "text/plain" } });
    }
    try {
      const body = await scrape();
      return new Response(req.method === "HEAD" ? null : body, {
        headers: { "content-type": registry.contentType, "cache-control": "no-store" },
      });
    } catch (e) {
      return new Response(`Cannot read the run's numbers: ${(e as Error).message}\n`, { status: 500 });
    }
  });
  return {
    port: server.addr.port,
    close: () => server.shutdown(),
  };
}
