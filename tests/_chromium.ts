/**
 * Headless Chromium driven over the DevTools protocol, for tests that look
 * at a page the way a person would (the workload report) and for the
 * screenshot script. Deno's own WebSocket speaks the protocol, so no
 * browser-automation package is needed. Debian's `chromium` is expected at
 * /usr/bin/chromium (`.ci/run` installs it). Requires `--allow-run`,
 * `--allow-write` (its profile folder) and `--allow-net=127.0.0.1`.
 *
 * @module
 */

/** Where Debian installs Chromium. */
export const CHROMIUM = "/usr/bin/chromium";

/** How long the browser may take to start, a page to load, or a command to answer. */
const TIMEOUT_MS = 30_000;

interface Pending {
  resolve: (v: Record<string, unknown>) => void;
  reject: (e: Error) => void;
  method: string;
}

type Listener = (params: Record<string, unknown>) => void;

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** A page (tab) of the browser, with everything it reported since it was opened. */
export class Page {
  /** Uncaught exceptions, `console.error` calls and error log entries (failed loads among them). */
  readonly errors: string[] = [];
  /** Every URL the page asked for, the page itself included. */
  readonly requests: string[] = [];

  /** @internal Use {@linkcode Chromium.newPage}. */
  constructor(private readonly browser: Chromium, readonly sessionId: string, readonly targetId: string) {
    browser.on(sessionId, "Runtime.exceptionThrown", (p) => {
      const d = p.exceptionDetails as { text?: string; exception?: { description?: string } };
      this.errors.push(`exception: ${d.exception?.description ?? d.text ?? "?"}`);
    });
    browser.on(sessionId, "Runtime.consoleAPICalled", (p) => {
      if (p.type !== "error" && p.type !== "assert") return;
      const args = (p.args as { value?: unknown; description?: string }[])
        .map((a) => a.description ?? String(a.value));
      this.errors.push(`console.${p.type}: ${args.join(" ")}`);
    });
    browser.on(sessionId, "Log.entryAdded", (p) => {
      const e = p.entry as { level: string; text: string; url?: string };
      if (e.level === "error") this.errors.push(`log: ${e.text}${e.url ? ` (${e.url})` : ""}`);
    });
    browser.on(sessionId, "Network.requestWillBeSent", (p) => {
      this.requests.push((p.request as { url: string }).url);
    });
  }

  /** Sends a DevTools command to this page. */
  send(method: string, params: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    return this.browser.send(method, params, this.sessionId);
  }

  /** Loads a URL and waits for its load event. */
  async goto(url: string): Promise<void> {
    const loaded = this.browser.once(this.sessionId, "Page.loadEventFired");
    const nav = await this.send("Page.navigate", { url });
    if (nav.errorText) throw new Error(`cannot load ${url}: ${nav.errorText}`);
    await withTimeout(loaded, TIMEOUT_MS, `load of ${url}`);
  }

  /** Evaluates an expression in the page (awaiting a promise it returns) and returns its JSON value. */
  async evaluate<T>(expression: string): Promise<T> {
    const r = await this.send("Runtime.evaluate", { expression, returnByValue: true, awaitPromise: true });
    const ex = r.exceptionDetails as { text?: string; exception?: { description?: string } } | undefined;
    if (ex) throw new Error(`page threw: ${ex.exception?.description ?? ex.text}`);
    return (r.result as { value: T }).value;
  }

  /** Polls an expression until it is truthy; returns its value. */
  async waitFor<T>(expression: string, ms = TIMEOUT_MS): Promise<T> {
    const until = Date.now() + ms;
    for (;;) {
      const v = await this.evaluate<T>(expression);
      if (v) return v;
      if (Date.now() > until) throw new Error(`timed out after ${ms} ms waiting for ${expression}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Sets the viewport's size in CSS pixels. */
  async resize(width: number, height: number, scale = 1): Promise<void> {
    await this.send("Emulation.setDeviceMetricsOverride", {
      width,
      height,
      deviceScaleFactor: scale,
      mobile: false,
    });
  }

  /** A PNG of the whole page: the viewport is grown to the document's height first. */
  async screenshot(width: number, scale = 1): Promise<Uint8Array> {
    const height = await this.evaluate<number>("Math.ceil(document.documentElement.scrollHeight)");
    await this.resize(width, height, scale);
    const shot = await this.send("Page.captureScreenshot", { format: "png", captureBeyondViewport: true });
    return Uint8Array.from(atob(shot.data as string), (c) => c.charCodeAt(0));
  }
}

/** A headless Chromium process with its own throw-away profile. Close it in a `finally`. */
export class Chromium {
  #ws: WebSocket;
  #child: Deno.ChildProcess;
  #profile: string;
  #nextId = 1;
  #pending = new Map<number, Pending>();
  #listeners = new Map<string, Set<Listener>>();
  #closed = false;
  #closing: Promise<void> | undefined;
  #stderr: Promise<void>;
  #output: { text: string };

  private constructor(
    ws: WebSocket,
    child: Deno.ChildProcess,
    profile: string,
    stderr: Promise<void>,
    output: { text: string },
  ) {
    this.#ws = ws;
    this.#child = child;
    this.#profile = profile;
    this.#stderr = stderr;
    this.#output = output;
    ws.onmessage = (e) => this.#receive(JSON.parse(e.data as string));
    ws.onclose = () => {
      for (const p of this.#pending.values()) p.reject(new Error(`browser went away during ${p.method}`));
      this.#pending.clear();
    };
  }

  /** Whether Chromium is installed where this module looks for it. */
  static available(): boolean {
    try {
      return Deno.statSync(CHROMIUM).isFile;
    } catch {
      return false;
    }
  }

  /** Starts the browser and connects to it. */
  static async launch(): Promise<Chromium> {
    const profile = await Deno.makeTempDir({ prefix: "quarry-chromium-" });
    let child: Deno.ChildProcess;
    try {
      child = new Deno.Command(CHROMIUM, {
        args: [
          "--headless",
          "--no-sandbox",
          "--disable-gpu",
          "--disable-quic",
          "--no-first-run",
          "--no-default-browser-check",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
          "--disable-dev-shm-usage",
          "--hide-scrollbars",
          "--mute-audio",
          `--user-data-dir=${profile}`,
          "--remote-debugging-address=127.0.0.1",
          "--remote-debugging-port=0",
          "about:blank",
        ],
        stdin: "null",
        stdout: "null",
        stderr: "piped",
      }).spawn();
    } catch (e) {
      await Deno.remove(profile, { recursive: true }).catch(() => {});
      throw e;
    }
    // stderr is read to its end, or a chatty browser would block on a full pipe.
    const output = { text: "" };
    let found: (url: string) => void = () => {};
    const wsUrl = new Promise<string>((resolve) => found = resolve);
    const stderr = (async () => {
      const dec = new TextDecoder();
      for await (const chunk of child.stderr) {
        output.text += dec.decode(chunk, { stream: true });
        const m = /DevTools listening on (ws:\/\/\S+)/.exec(output.text);
        if (m?.[1]) found(m[1]);
        if (output.text.length > 200_000) output.text = output.text.slice(-100_000);
      }
    })();
    try {
      const url = await withTimeout(
        Promise.race([
          wsUrl,
          child.status.then((s) => Promise.reject(new Error(`chromium exited (${s.code})`))),
        ]),
        TIMEOUT_MS,
        "chromium to start",
      );
      const ws = new WebSocket(url);
      await withTimeout(
        new Promise<void>((resolve, reject) => {
          ws.onopen = () => resolve();
          ws.onerror = () => reject(new Error(`cannot connect to ${url}`));
        }),
        TIMEOUT_MS,
        "the DevTools connection",
      );
      return new Chromium(ws, child, profile, stderr, output);
    } catch (e) {
      try {
        child.kill("SIGKILL");
      } catch { /* already gone */ }
      await child.status;
      await stderr.catch(() => {});
      await Deno.remove(profile, { recursive: true }).catch(() => {});
      throw new Error(`${(e as Error).message}\n${output.text}`);
    }
  }

  #receive(
    msg: { id?: number; method?: string; params?: Record<string, unknown>; sessionId?: string } & {
      result?: Record<string, unknown>;
      error?: { message: string };
    },
  ): void {
    if (msg.id !== undefined) {
      const p = this.#pending.get(msg.id);
      if (!p) return;
      this.#pending.delete(msg.id);
      if (msg.error) p.reject(new Error(`${p.method}: ${msg.error.message}`));
      else p.resolve(msg.result ?? {});
      return;
    }
    if (!msg.method) return;
    for (const l of this.#listeners.get(`${msg.sessionId ?? ""} ${msg.method}`) ?? []) l(msg.params ?? {});
  }

  /** Sends a command, to the browser or to one page's session. */
  send(
    method: string,
    params: Record<string, unknown> = {},
    sessionId?: string,
  ): Promise<Record<string, unknown>> {
    if (this.#closed) return Promise.reject(new Error(`browser closed before ${method}`));
    const id = this.#nextId++;
    const reply = new Promise<Record<string, unknown>>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject, method });
    });
    this.#ws.send(JSON.stringify(sessionId ? { id, method, params, sessionId } : { id, method, params }));
    return withTimeout(reply, TIMEOUT_MS, method);
  }

  /** Calls `fn` on every event `method` of a session. */
  on(sessionId: string, method: string, fn: Listener): void {
    const key = `${sessionId} ${method}`;
    if (!this.#listeners.has(key)) this.#listeners.set(key, new Set());
    this.#listeners.get(key)!.add(fn);
  }

  /** The next event `method` of a session. */
  once(sessionId: string, method: string): Promise<Record<string, unknown>> {
    return new Promise((resolve) => {
      const fn: Listener = (p) => {
        this.#listeners.get(`${sessionId} ${method}`)?.delete(fn);
        resolve(p);
      };
      this.on(sessionId, method, fn);
    });
  }

  /** Opens a blank page with its error and request logs on, sized `width` × `height`. */
  async newPage(width = 1280, height = 900): Promise<Page> {
    const { targetId } = await this.send("Target.createTarget", { url: "about:blank" }) as {
      targetId: string;
    };
    const { sessionId } = await this.send("Target.attachToTarget", { targetId, flatten: true }) as {
      sessionId: string;
    };
    const page = new Page(this, sessionId, targetId);
    for (const domain of ["Runtime", "Log", "Page", "Network"]) await page.send(`${domain}.enable`);
    await page.resize(width, height);
    return page;
  }

  /** What the browser printed on stderr (the last 100 kB or more), for messages when something fails. */
  get log(): string {
    return this.#output.text;
  }

  /** Ends the browser (politely, then by force) and removes its profile. Safe to call twice. */
  close(): Promise<void> {
    return this.#closing ??= this.#shutdown();
  }

  async #shutdown(): Promise<void> {
    try {
      await withTimeout(this.send("Browser.close"), 5_000, "Browser.close");
    } catch { /* it is killed below */ }
    this.#closed = true;
    try {
      this.#ws.close();
    } catch { /* already closed */ }
    const exited = await withTimeout(this.#child.status, 5_000, "chromium to exit").then(
      () => true,
      () => false,
    );
    if (!exited) {
      try {
        this.#child.kill("SIGKILL");
      } catch { /* gone meanwhile */ }
      await this.#child.status;
    }
    await this.#stderr.catch(() => {});
    // Chromium's helper processes may still be writing into the profile for a moment.
    for (let i = 0; i < 10; i++) {
      try {
        await Deno.remove(this.#profile, { recursive: true });
        return;
      } catch (e) {
        if (e instanceof Deno.errors.NotFound) return;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }
}
