/**
 * deploy/: the container recipe and the Kubernetes manifests.
 *
 * The manifests are validated against the Kubernetes API schema (tests/_kubernetes.ts), and broken
 * copies of them are shown to be rejected. The Dockerfile is linted with dockerfile-utils (the
 * language service behind editors' Dockerfile support) and parsed with dockerfile-ast: what it copies
 * exists and holds every module the CLI loads, and its entrypoint has generate's permissions and no
 * more. The Generate Job's own arguments are then run as its pods would run them, shard by shard, with
 * the entrypoint's permissions, and the shards concatenated are compared with one run.
 */
import { deepStrictEqual, match, ok } from "node:assert/strict";
import { DockerfileParser } from "dockerfile-ast";
import { validate as lintDockerfile } from "dockerfile-utils";
import { manifestErrors, parseManifests } from "./_kubernetes.ts";

const root = new URL("../", import.meta.url);
const read = (path: string) => Deno.readTextFileSync(new URL(path, root));

type Obj = Record<string, unknown>;
// Manifests are checked against the schema first; these accessors only spare casts in what follows.
const obj = (v: unknown): Obj => v as Obj;
const list = (v: unknown): Obj[] => v as Obj[];
const strings = (v: unknown): string[] => (v ?? []) as string[];

const MANIFESTS = ["generate-job.yaml", "workload-job.yaml", "collect-pod.yaml", "output-pvc.yaml"];
const manifest = (name: string): Obj => parseManifests(read(`deploy/k8s/${name}`))[0]!;

/** The pod spec of a Job or a Pod. */
function podSpec(doc: Obj): Obj {
  return doc.kind === "Job" ? obj(obj(obj(doc.spec).template).spec) : obj(doc.spec);
}

/** The value after `flag` in `args`. */
function flagValue(args: string[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  return i < 0 ? undefined : args[i + 1];
}

/** The `--allow-*` flags of a `deno run` command line. */
function permissions(argv: string[]): string[] {
  return argv.filter((a) => a === "-A" || a.startsWith("--allow-")).sort();
}

/** A .dockerignore pattern as a regular expression over paths relative to the build context. */
function ignorePattern(pattern: string): RegExp {
  let re = "";
  for (let i = 0; i < pattern.length; i++) {
    if (pattern.startsWith("**/", i)) {
      re += "(?:.*/)?";
      i += 2;
    } else if (pattern[i] === "*") re += "[^/]*";
    else if (pattern[i] === "?") re += "[^/]";
    else re += pattern[i]!.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}

/** Whether Docker leaves `path` out of the build context: a pattern matches it or a folder above it. */
function dockerIgnores(path: string): boolean {
  const patterns = read(".dockerignore").split("\n").map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"));
  ok(patterns.every((p) => !p.startsWith("!")), "exceptions (!) are not modelled here");
  const parts = path.split("/");
  return patterns.map((p) => ignorePattern(p.replace(/^\/|\/$/g, ""))).some((re) =>
    parts.some((_, i) => re.test(parts.slice(0, i + 1).join("/")))
  );
}

const dockerfileText = read("deploy/Dockerfile");
const dockerfile = DockerfileParser.parse(dockerfileText);

/** The ENTRYPOINT's exec form. */
function entrypoint(): string[] {
  const entrypoints = dockerfile.getENTRYPOINTs();
  deepStrictEqual(entrypoints.length, 1);
  const json = entrypoints[0]!.getJSONStrings().map((s) => s.getJSONValue());
  ok(json.length > 0, "ENTRYPOINT must be in exec (JSON) form, so signals reach deno");
  return json;
}

/** The source paths of every COPY, relative to the build context. */
function copySources(): string[] {
  return dockerfile.getCOPYs().flatMap((c) => {
    const args = c.getArguments().map((a) => a.getValue());
    return args.slice(0, -1);
  });
}

Deno.test("every manifest in deploy/k8s validates against the Kubernetes API schema", () => {
  for (const name of MANIFESTS) {
    const docs = parseManifests(read(`deploy/k8s/${name}`));
    ok(docs.length > 0, name);
    for (const doc of docs) deepStrictEqual(manifestErrors(doc), [], name);
  }
});

Deno.test("broken copies of the Generate Job are rejected, each with its path", () => {
  const breakages: [string, (job: Obj) => void, RegExp][] = [
    ["completions as a word", (j) => obj(j.spec).completions = "ten", /spec\/completions must be integer/],
    ["a completion mode not in the enum", (j) => obj(j.spec).completionMode = "indexed", /completionMode/],
    ["a misspelt field", (j) => {
      obj(j.spec).completionsMode = "Indexed";
    }, /spec\.completionsMode: unknown field/],
    ["a misspelt field in the container", (j) => {
      const c = list(podSpec(j).containers)[0]!;
      c.resource = c.resources;
      delete c.resources;
    }, /containers\[0\]\.resource: unknown field/],
    [
      "a container without a name",
      (j) => delete list(podSpec(j).containers)[0]!.name,
      /containers\/0 must have required property name/,
    ],
    ["a CPU limit that is not a quantity", (j) => {
      obj(obj(list(podSpec(j).containers)[0]!.resources).limits).cpu = "two cores";
    }, /limits\/cpu must match format "quantity"/],
    ["args as one string", (j) => list(podSpec(j).containers)[0]!.args = "generate", /args must be array/],
    ["a restart policy that does not exist", (j) => podSpec(j).restartPolicy = "Sometimes", /restartPolicy/],
  ];
  for (const [what, breakIt, expected] of breakages) {
    const job = manifest("generate-job.yaml");
    breakIt(job);
    const errors = manifestErrors(job);
    ok(errors.some((e) => expected.test(e)), `${what}: ${JSON.stringify(errors)}`);
  }
  match(manifestErrors({ apiVersion: "batch/v9", kind: "Job" })[0]!, /no schema/);
});

Deno.test("the Generate Job runs shard $(JOB_COMPLETION_INDEX) of N, N being its completions", () => {
  const job = manifest("generate-job.yaml");
  const spec = obj(job.spec);
  deepStrictEqual(spec.completionMode, "Indexed");
  const n = spec.completions as number;
  ok(Number.isInteger(n) && n >= 2);
  ok((spec.parallelism as number) >= 1 && (spec.parallelism as number) <= n);
  const pod = podSpec(job);
  deepStrictEqual(pod.restartPolicy, "Never");
  const [container] = list(pod.containers);
  const args = strings(container!.args);
  deepStrictEqual(args[0], "generate");
  deepStrictEqual(flagValue(args, "--config"), "billion");
  deepStrictEqual(flagValue(args, "--shard"), `$(JOB_COMPLETION_INDEX)/${n}`);
  // Every shard must draw from the same seed: a fixed number, not one each pod makes up.
  match(flagValue(args, "--seed") ?? "", /^(\d{1,20}|[0-9a-f]{64})$/);
  // Each pod writes its own file, on the volume mounted where the output goes.
  const output = flagValue(args, "--output") ?? "";
  match(output, /\$\(JOB_COMPLETION_INDEX\)/);
  const mounts = list(container!.volumeMounts);
  ok(mounts.some((m) => output.startsWith(`${m.mountPath}/`)), `${output} is on no mounted volume`);
  // Deno counts the node's CPUs, not the pod's: the workers are set, and fit the CPU limit.
  const resources = obj(container!.resources);
  deepStrictEqual(obj(resources.requests).cpu, "2");
  deepStrictEqual(obj(resources.limits).cpu, "2");
  ok(Number(flagValue(args, "--workers")) <= 2);
  ok(obj(resources.limits).memory !== undefined && obj(resources.requests).memory !== undefined);
  // The failure policy names this container, and the claim is the one output-pvc.yaml makes.
  for (const rule of list(obj(spec.podFailurePolicy).rules)) {
    const onExit = rule.onExitCodes as Obj | undefined;
    if (onExit) deepStrictEqual(onExit.containerName, container!.name);
  }
  const claims = list(pod.volumes).map((v) => obj(v.persistentVolumeClaim).claimName);
  deepStrictEqual(claims, [obj(manifest("output-pvc.yaml").metadata).name]);
});

Deno.test("every $(VAR) in the manifests' commands is a variable the pod has", () => {
  for (const name of MANIFESTS) {
    const doc = manifest(name);
    const indexed = doc.kind === "Job" && obj(doc.spec).completionMode === "Indexed";
    for (const c of list(podSpec(doc).containers ?? [])) {
      const env = new Set(list(c.env ?? []).map((e) => e.name as string));
      if (indexed) env.add("JOB_COMPLETION_INDEX");
      for (const arg of [...strings(c.command), ...strings(c.args)]) {
        for (const [, v] of arg.matchAll(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g)) {
          ok(env.has(v!), `${name}: $(${v}) in "${arg}" is not set in the pod`);
        }
      }
    }
  }
});

Deno.test("the Dockerfile lints clean and installs Deno from npm on a Debian image", () => {
  deepStrictEqual(
    lintDockerfile(dockerfileText).map((d) => `line ${d.range.start.line + 1}: ${d.message}`),
    [],
  );
  const froms = dockerfile.getFROMs();
  deepStrictEqual(froms.length, 1);
  match(froms[0]!.getImage() ?? "", /^node:\d+-(bookworm|trixie)(-slim)?$/);
  // Only the npm registry and Debian are reachable where it is built: nothing is downloaded by hand.
  ok(!/\b(curl|wget)\b/.test(dockerfileText), "the image must not download anything itself");
  deepStrictEqual(dockerfile.getInstructions().filter((i) => i.getKeyword() === "ADD"), []);
  // The same Deno as CI's.
  const ciVersion = /DENO_VERSION=(\S+)/.exec(read(".ci/run"))?.[1];
  const env = dockerfile.getENVs().flatMap((e) => e.getProperties());
  deepStrictEqual(env.find((p) => p.getName() === "DENO_VERSION")?.getValue(), ciVersion);
  match(dockerfileText, /npm install -g "deno@\$\{DENO_VERSION\}"/);
});

Deno.test("the image runs as a non-root user, the one the pods name", () => {
  const users = dockerfile.getInstructions().filter((i) => i.getKeyword() === "USER");
  const user = users.at(-1)?.getArguments()[0]?.getValue() ?? "";
  const [uid, gid] = user.split(":").map(Number);
  ok(uid !== undefined && uid > 0, `USER ${user} must be a numeric non-root uid (runAsNonRoot checks it)`);
  for (const name of ["generate-job.yaml", "workload-job.yaml", "collect-pod.yaml"]) {
    const security = obj(podSpec(manifest(name)).securityContext);
    deepStrictEqual(security.runAsNonRoot, true, name);
    deepStrictEqual([security.runAsUser, security.runAsGroup], [uid, gid], name);
  }
});

Deno.test("the entrypoint has generate's permissions and no more; the workload Job has the workload task's", () => {
  const tasks = JSON.parse(read("deno.json")).tasks as Record<string, string>;
  const argv = entrypoint();
  deepStrictEqual(argv.slice(0, 2), ["deno", "run"]);
  deepStrictEqual(argv.at(-1), "/app/cli/main.ts");
  deepStrictEqual(permissions(argv), ["--allow-read", "--allow-write"]);
  deepStrictEqual(permissions(argv), permissions(tasks.generate!.split(/\s+/)));
  ok(argv.includes("--cached-only"), "a pod must not fetch modules at run time");
  // The workload Job overrides the entrypoint with the permissions `deno task workload` has.
  const [workload] = list(podSpec(manifest("workload-job.yaml")).containers);
  const command = strings(workload!.command);
  deepStrictEqual(permissions(command), permissions(tasks.workload!.split(/\s+/)));
  deepStrictEqual(
    command.filter((a) => !a.startsWith("--allow-")),
    argv.filter((a) => !a.startsWith("--allow-")),
  );
});

Deno.test("the image holds every module the CLI and its workers load", async () => {
  const sources = copySources();
  for (const source of sources) {
    const info = Deno.statSync(new URL(source, root));
    ok(info.isFile || info.isDirectory, source);
    ok(!dockerIgnores(source.replace(/\/$/, "")), `${source} is copied but .dockerignore leaves it out`);
  }
  const rootHref = root.href;
  const local = new Set<string>();
  // The workers' module is started with `new Worker(url)`, which `deno info` does not follow.
  for (const entry of ["cli/main.ts", "core/engine/worker_entry.ts"]) {
    const { stdout, success } = await new Deno.Command(Deno.execPath(), {
      args: ["info", "--json", entry],
      cwd: root,
      stdout: "piped",
      stderr: "null",
    }).output();
    ok(success, `deno info ${entry} failed`);
    for (
      const { specifier } of JSON.parse(new TextDecoder().decode(stdout)).modules as { specifier: string }[]
    ) {
      if (specifier.startsWith(rootHref)) local.add(decodeURIComponent(specifier.slice(rootHref.length)));
    }
  }
  ok(local.size > 100);
  const missing = [...local].filter((path) =>
    !sources.some((s) => s.endsWith("/") ? path.startsWith(s) : path === s) || dockerIgnores(path)
  );
  deepStrictEqual(missing, [], "modules the image would not have");
});

Deno.test("the Generate Job's pods, run as local processes with the image's permissions, make the whole run", async () => {
  const job = manifest("generate-job.yaml");
  const n = obj(job.spec).completions as number;
  const args = strings(list(podSpec(job).containers)[0]!.args);
  const out = Deno.makeTempDirSync({ prefix: "quarry-deploy-" });
  // The entrypoint as it is, pointed at this checkout; a small count instead of the preset's billion.
  const deno = entrypoint().slice(1).map((a) =>
    a === "/app/deno.json"
      ? new URL("deno.json", root).pathname
      : a === "/app/cli/main.ts"
      ? new URL("cli/main.ts", root).pathname
      : a
  );
  const run = async (argv: string[]) => {
    const { success, stderr } = await new Deno.Command(Deno.execPath(), {
      args: [...deno, ...argv, "--count", "25000"],
      cwd: out,
      stdout: "null",
      stderr: "piped",
    }).output();
    ok(success, new TextDecoder().decode(stderr));
  };
  try {
    const shards: string[] = [];
    for (let k = 0; k < n; k++) {
      await run(
        args.map((a) => a.replaceAll("$(JOB_COMPLETION_INDEX)", String(k)).replace(/^\/out\//, `${out}/`)),
      );
      shards.push(`${out}/shard-${k}.sql`);
    }
    const whole = args.slice();
    whole.splice(whole.indexOf("--shard"), 2);
    whole[whole.indexOf("--output") + 1] = `${out}/all.sql`;
    await run(whole);
    const parts = shards.map((s) => Deno.readFileSync(s));
    ok(parts.every((p) => p.length > 0));
    const joined = new Uint8Array(parts.reduce((sum, p) => sum + p.length, 0));
    parts.reduce((at, p) => (joined.set(p, at), at + p.length), 0);
    const all = Deno.readFileSync(`${out}/all.sql`);
    deepStrictEqual(joined.length, all.length);
    ok(joined.every((b, i) => b === all[i]), "the shards concatenated differ from the single run");
  } finally {
    Deno.removeSync(out, { recursive: true });
  }
});
