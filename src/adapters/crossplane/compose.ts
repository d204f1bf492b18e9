/**
 * What the Composition in crossplane/ composes from each DataProduct, computed by Crossplane's own
 * code: `crank render` (the Crossplane CLI) with the real composition functions. No cluster. The
 * functions run in one of crank's two runtimes:
 *   - `docker` (the default where a Docker engine answers), as users run crank: crank starts each
 *     function's image in a container (published on 127.0.0.1). The image is the function's package
 *     at the version crossplane.yaml asks for, or the one MESHFORM_CROSSPLANE_FUNCTION_IMAGES names
 *     (`<function>=<image>,...`, e.g. images built here by `npm run -s peers -- install containers`,
 *     never pulled: pull policy Never). The containers are named, kept between renders of one
 *     composer and removed by `close()` (and at exit);
 *   - `development`: each function is started as a local process (`<function> --insecure
 *     --address=127.0.0.1:<port>`) and crank is told to use it.
 *
 * The programs are looked up on PATH: `crank` and, for `development`, one binary per function,
 * named as the function's package (`function-go-templating` for
 * `xpkg.crossplane.io/crossplane-contrib/function-go-templating`). `npm run -s peers -- install
 * crossplane` builds them and `npm run -s peers -- env` puts them on PATH.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { probeEngine, removeAtExit, removeContainer } from '../../containers/engine';
import { findProgram, freePort } from '../../local-host';
import { mapLimit } from '../../map-limit';
import type { CrossplaneDataProduct } from '../../plan/types';

/** A Kubernetes object as crank prints it. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name?: string;
    generateName?: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: Record<string, unknown>[];
  };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
  [key: string]: unknown;
}

/** A message a function returned (crank's `kind: Result` documents). */
export interface FunctionResult {
  step?: string;
  severity: string;
  message: string;
}

export interface ComposedResource {
  /** The composition resource name (`crossplane.io/composition-resource-name`). */
  name: string;
  resource: KubeObject;
}

export interface RenderedProduct {
  /** The product id. */
  product: string;
  /** The XR as Crossplane would write it back (status, conditions). */
  xr: KubeObject;
  composed: ComposedResource[];
  results: FunctionResult[];
}

/** Something the user can fix (a program missing, the package unreadable, a render that failed). */
export class ComposeError extends Error {
  /** True when crank or a function is not on PATH (a setup problem, not a failed render). */
  readonly setup: boolean;
  constructor(message: string, options: { setup?: boolean } = {}) {
    super(message);
    this.setup = options.setup ?? false;
  }
}

export const COMPOSITION_RESOURCE_NAME = 'crossplane.io/composition-resource-name';
export const INSTALL_HINT = 'npm run -s peers -- install crossplane && eval "$(npm run -s peers -- env)"';

interface PackageFiles {
  dir: string;
  composition: string;
  definition: string;
  /** functionRef name -> package path, from the Configuration's dependsOn. */
  functions: Map<string, string>;
  /** functionRef name -> the version dependsOn asks for (`>=v0.5.0` -> v0.5.0), when it names one. */
  versions: Map<string, string>;
  /** functionRef names the pipeline uses, in order. */
  pipeline: string[];
}

function readPackage(dir: string): PackageFiles {
  const file = (name: string) => join(dir, name);
  const read = (name: string) => {
    try {
      return parse(readFileSync(file(name), 'utf8')) as Record<string, unknown>;
    } catch (e) {
      throw new ComposeError(`cannot read ${file(name)}: ${(e as Error).message}`, { setup: true });
    }
  };
  const configuration = read('crossplane.yaml') as { spec?: { dependsOn?: { function?: string; version?: string }[] } };
  const composition = read('composition.yaml') as { spec?: { pipeline?: { functionRef?: { name?: string } }[] } };
  read('definition.yaml');
  const functions = new Map<string, string>();
  const versions = new Map<string, string>();
  for (const dep of configuration.spec?.dependsOn ?? []) {
    if (!dep.function) continue;
    // Crossplane names a dependency's Function object <org>-<name> after its package path.
    const ref = dep.function.split('/').slice(-2).join('-');
    functions.set(ref, dep.function);
    const version = /^(?:>=\s*)?(v\d+\.\d+\.\d+\S*)$/.exec(dep.version?.trim() ?? '')?.[1];
    if (version) versions.set(ref, version);
  }
  const pipeline = (composition.spec?.pipeline ?? []).map((s) => s.functionRef?.name ?? '');
  for (const ref of pipeline) {
    if (!functions.has(ref)) throw new ComposeError(`composition.yaml uses function '${ref}', which crossplane.yaml does not depend on`, { setup: true });
  }
  return { dir, composition: file('composition.yaml'), definition: file('definition.yaml'), functions, versions, pipeline: [...new Set(pipeline)] };
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

class StoppedBeforeListening extends ComposeError {}

interface RunningFunction {
  ref: string;
  packagePath: string;
  port: number;
  child: ChildProcess;
  output: string[];
  exited?: string;
}

async function startFunction(ref: string, packagePath: string, program: string, env: NodeJS.ProcessEnv, deadline: number): Promise<RunningFunction> {
  const port = await freePort();
  const child = spawn(program, ['--insecure', `--address=127.0.0.1:${port}`], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const fn: RunningFunction = { ref, packagePath, port, child, output: [] };
  const keep = (chunk: Buffer) => {
    fn.output.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (fn.output.length > 20) fn.output.splice(0, fn.output.length - 20);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  child.on('exit', (code, signal) => (fn.exited = signal ?? `exit ${code}`));
  child.on('error', (e) => (fn.exited = e.message));
  while (!(await canConnect(port))) {
    if (fn.exited) throw new StoppedBeforeListening(`${program} stopped (${fn.exited}) before listening:\n${fn.output.join('\n')}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new ComposeError(`${program} did not listen on 127.0.0.1:${port} in time`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return fn;
}

/**
 * The port is free when chosen but another process may take it before the function binds it:
 * a function that stops before listening is started again on another port, twice at most.
 */
async function startFunctionRetrying(ref: string, packagePath: string, program: string, env: NodeJS.ProcessEnv, deadline: number): Promise<RunningFunction> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startFunction(ref, packagePath, program, env, deadline);
    } catch (e) {
      if (attempt >= 3 || !(e instanceof StoppedBeforeListening)) throw e;
    }
  }
}

function stop(fn: RunningFunction): Promise<void> {
  if (fn.exited) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => fn.child.kill('SIGKILL'), 5000);
    fn.child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    fn.child.kill('SIGTERM');
  });
}

/** One `pkg.crossplane.io/v1 Function` per pipeline function, with crank's runtime annotations. */
interface FunctionEntry {
  ref: string;
  package: string;
  annotations: Record<string, string>;
}

function functionsFile(entries: FunctionEntry[]): string {
  return entries
    .map((fn) => stringify({ apiVersion: 'pkg.crossplane.io/v1', kind: 'Function', metadata: { name: fn.ref, annotations: fn.annotations }, spec: { package: fn.package } }))
    .map((doc) => `---\n${doc}`)
    .join('');
}

function developmentEntry(fn: RunningFunction): FunctionEntry {
  return {
    ref: fn.ref,
    package: fn.packagePath,
    annotations: { 'render.crossplane.io/runtime': 'Development', 'render.crossplane.io/runtime-development-target': `127.0.0.1:${fn.port}` },
  };
}

export type FunctionRuntime = 'docker' | 'development';
export const FUNCTION_RUNTIMES: readonly FunctionRuntime[] = ['docker', 'development'];

/** `docker` where a Docker engine answers, else `development`, and why. */
export async function defaultFunctionRuntime(env: NodeJS.ProcessEnv = process.env): Promise<{ runtime: FunctionRuntime; why: string }> {
  const engine = await probeEngine(env);
  return engine.ok ? { runtime: 'docker', why: `a Docker engine answers at ${engine.where}` } : { runtime: 'development', why: engine.reason ?? 'no Docker engine' };
}

/** MESHFORM_CROSSPLANE_FUNCTION_IMAGES: `<function>=<image>,...`, by the function's package name. */
export function functionImagesFromEnv(env: NodeJS.ProcessEnv = process.env): Map<string, string> {
  const images = new Map<string, string>();
  for (const pair of (env.MESHFORM_CROSSPLANE_FUNCTION_IMAGES ?? '').split(',')) {
    const at = pair.indexOf('=');
    if (at > 0) images.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
  }
  return images;
}

let composers = 0;

/** crank's Docker runtime: a named container per function, kept across renders (cleanup Orphan) and removed by close(). */
function dockerEntries(pkg: PackageFiles, images: Map<string, string>): { entries: FunctionEntry[]; containers: string[] } {
  const serial = ++composers;
  const containers: string[] = [];
  const entries = pkg.pipeline.map((ref) => {
    const packagePath = pkg.functions.get(ref)!;
    const version = pkg.versions.get(ref);
    const packageRef = version ? `${packagePath}:${version}` : packagePath;
    const local = images.get(packagePath.split('/').pop()!);
    const name = `meshform-crank-${process.pid}-${serial}-${ref}`;
    containers.push(name);
    const annotations: Record<string, string> = {
      'render.crossplane.io/runtime': 'Docker',
      'render.crossplane.io/runtime-docker-name': name,
      'render.crossplane.io/runtime-docker-cleanup': 'Orphan',
      // An image built on this machine is never pulled; a package image is pulled when missing.
      'render.crossplane.io/runtime-docker-pull-policy': local ? 'Never' : 'IfNotPresent',
    };
    if (local) annotations['render.crossplane.io/runtime-docker-image'] = local;
    return { ref, package: packageRef, annotations };
  });
  return { entries, containers };
}

function runCrank(crank: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(crank, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
  });
}

/** Splits crank's output: the XR first, then `Result` documents and composed resources. */
export function parseRenderOutput(product: string, text: string): RenderedProduct {
  const docs = parseAllDocuments(text).map((d) => {
    if (d.errors.length) throw new ComposeError(`crank render printed invalid YAML for ${product}: ${d.errors[0].message}`);
    return d.toJS() as KubeObject | null;
  });
  const objects = docs.filter((d): d is KubeObject => d !== null && typeof d === 'object');
  const [xr, ...rest] = objects;
  if (!xr) throw new ComposeError(`crank render printed nothing for ${product}`);
  const results: FunctionResult[] = [];
  const composed: ComposedResource[] = [];
  for (const o of rest) {
    if (o.kind === 'Result' && o.apiVersion === 'render.crossplane.io/v1beta1') {
      results.push({ step: o.step as string | undefined, severity: String(o.severity ?? ''), message: String(o.message ?? '') });
      continue;
    }
    const name = o.metadata?.annotations?.[COMPOSITION_RESOURCE_NAME];
    if (!name) throw new ComposeError(`crank render printed a ${o.kind} without ${COMPOSITION_RESOURCE_NAME} for ${product}`);
    composed.push({ name, resource: o });
  }
  return { product, xr, composed, results };
}

export interface ComposerOptions {
  /** The Crossplane package folder (crossplane.yaml, definition.yaml, composition.yaml). */
  packageDir: string;
  /** Environment of crank and the functions (its PATH is searched for them). */
  env?: NodeJS.ProcessEnv;
  /** Per render; also bounds how long a function may take to start listening. */
  timeoutSeconds?: number;
  /** Where the functions run (default: `docker` where a Docker engine answers, else `development`). */
  runtime?: FunctionRuntime;
  /** Docker runtime: image by function package name (default: MESHFORM_CROSSPLANE_FUNCTION_IMAGES). */
  functionImages?: Map<string, string>;
}

export interface Composer {
  /** Where the functions run. */
  runtime: FunctionRuntime;
  /** Renders one DataProduct; `observed` are composed resources as they would exist in the cluster. */
  render(dataProduct: CrossplaneDataProduct, observed?: KubeObject[]): Promise<RenderedProduct>;
  close(): Promise<void>;
}

/** Starts the pipeline's functions once; `render` may then be called for many DataProducts. */
export async function startComposer(options: ComposerOptions): Promise<Composer> {
  const env = options.env ?? process.env;
  const timeout = options.timeoutSeconds ?? 60;
  const pkg = readPackage(options.packageDir);
  const runtime = options.runtime ?? (await defaultFunctionRuntime(env)).runtime;
  if (runtime === 'docker') {
    const engine = await probeEngine(env);
    if (!engine.ok) throw new ComposeError(`--function-runtime docker: ${engine.reason}`, { setup: true });
  }
  const functionPrograms = runtime === 'development' ? pkg.pipeline.map((ref) => pkg.functions.get(ref)!.split('/').pop()!) : [];
  const missing = ['crank', ...functionPrograms].filter((p) => !findProgram(p, env));
  if (missing.length) throw new ComposeError(`not on PATH: ${missing.join(', ')} (install them with: ${INSTALL_HINT})`, { setup: true });
  const crank = findProgram('crank', env)!;

  const running: RunningFunction[] = [];
  let containers: string[] = [];
  const atExit: Array<{ forget(): void }> = [];
  const work = mkdtempSync(join(tmpdir(), 'meshform-compose-'));
  const close = async () => {
    await Promise.all(running.map(stop));
    await Promise.all(containers.map((name) => removeContainer(name, env).catch(() => undefined)));
    for (const a of atExit) a.forget();
    rmSync(work, { recursive: true, force: true });
  };
  let entries: FunctionEntry[];
  if (runtime === 'docker') {
    ({ entries, containers } = dockerEntries(pkg, options.functionImages ?? functionImagesFromEnv(env)));
    atExit.push(...containers.map((name) => removeAtExit(name)));
  } else {
    try {
      const deadline = Date.now() + timeout * 1000;
      for (const ref of pkg.pipeline) {
        const packagePath = pkg.functions.get(ref)!;
        running.push(await startFunctionRetrying(ref, packagePath, findProgram(packagePath.split('/').pop()!, env)!, env, deadline));
      }
    } catch (e) {
      await close();
      throw e;
    }
    entries = running.map(developmentEntry);
  }
  const functions = join(work, 'functions.yaml');
  writeFileSync(functions, functionsFile(entries));

  let serial = 0;
  // Docker: the first render creates the named containers; the others wait for it, then share them.
  let first: Promise<unknown> | undefined;
  const renderOne = async (dataProduct: CrossplaneDataProduct, observed?: KubeObject[]): Promise<RenderedProduct> => {
    const n = ++serial;
    const xrFile = join(work, `xr-${n}.yaml`);
    writeFileSync(xrFile, stringify(dataProduct.properties));
    // --include-full-xr: the XR with its spec, as the API server would hold it (validated like any resource).
    const args = ['render', xrFile, pkg.composition, functions, `--xrd=${pkg.definition}`, `--timeout=${timeout}s`, '--include-function-results', '--include-full-xr'];
    if (observed?.length) {
      const observedFile = join(work, `observed-${n}.yaml`);
      writeFileSync(observedFile, observed.map((o) => `---\n${stringify(o)}`).join(''));
      args.push(`--observed-resources=${observedFile}`);
    }
    try {
      const { code, stdout, stderr } = await runCrank(crank, args, env);
      const down = running.filter((fn) => fn.exited);
      if (down.length) throw new ComposeError(`function ${down.map((fn) => `${fn.ref} (${fn.exited}): ${fn.output.join('\n')}`).join('; ')} stopped`);
      if (code !== 0) throw new ComposeError(`crank render failed for ${dataProduct.product} (exit ${code}): ${stderr.trim()}`);
      return parseRenderOutput(dataProduct.product, stdout);
    } finally {
      rmSync(xrFile, { force: true });
    }
  };
  return {
    runtime,
    async render(dataProduct, observed) {
      if (runtime === 'development') return renderOne(dataProduct, observed);
      if (!first) {
        const result = renderOne(dataProduct, observed);
        first = result.catch(() => undefined);
        return result;
      }
      await first;
      return renderOne(dataProduct, observed);
    },
    close,
  };
}

/** Renders every DataProduct with one set of running functions, `concurrency` renders at a time. */
export async function composeAll(
  dataProducts: CrossplaneDataProduct[],
  options: ComposerOptions & { concurrency?: number; onProgress?: (done: number, total: number) => void },
): Promise<RenderedProduct[]> {
  const composer = await startComposer(options);
  try {
    let done = 0;
    return await mapLimit(dataProducts, options.concurrency ?? 2, async (dataProduct) => {
      const rendered = await composer.render(dataProduct);
      options.onProgress?.(++done, dataProducts.length);
      return rendered;
    });
  } finally {
    await composer.close();
  }
}
