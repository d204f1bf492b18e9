/**
 * `meshform crossplane render [paths..] --stack <name> [--out dir]`: the stack's DataProduct
 * objects as YAML, for GitOps (Argo CD, Flux) instead of `pulumi up` (`meshform:crossplane: gitops`:
 * the Pulumi program then registers the Kafka and schema resources only). Without --out, one
 * multi-document stream on stdout; with it, one file per product, and files an earlier render
 * wrote for products that are gone are removed.
 *
 * `--composed`: what Crossplane will create from them instead, computed by Crossplane's own
 * `crank render` with the real composition functions (src/adapters/crossplane/compose.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { ComposeError, composeAll, defaultFunctionRuntime, type FunctionRuntime, type RenderedProduct } from '../adapters/crossplane/compose';
import { GENERATED_HEADER, renderDataProducts, renderDataProductStream } from '../adapters/crossplane/render';
import type { CrossplaneDataProduct, Plan } from '../plan/types';
import { describeFsError } from '../reading/files';
import { loadPlanOrExit } from './inputs';
import { EXIT, UsageError, type Io } from './io';
import type { JsonOptions, StackOptions } from './options';

export interface RenderOptions extends StackOptions, JsonOptions {
  out?: string;
  composed?: boolean;
  package?: string;
  functionRuntime?: FunctionRuntime;
}

/** meshform's own Crossplane package. */
// The package root by meshform's own name: the same from src/ (tests) and from dist/src/ (the package).
export const PACKAGE_DIR = path.join(path.dirname(require.resolve('meshform/package.json')), 'crossplane');

export async function runRender(paths: string[], options: RenderOptions, io: Io): Promise<number> {
  if (!options.composed && (options.json || options.package !== undefined || options.functionRuntime !== undefined)) {
    throw new UsageError('--json, --package and --function-runtime go with --composed');
  }
  const stackName = options.stack;
  const loaded = await loadPlanOrExit(io, paths, stackName);
  if (!loaded.ok) return loaded.exit;
  const { plan, stack } = loaded.value;
  // A stack in GCP mode already gets these resources from Pulumi; DataProducts too would make two
  // controllers fight over the same datasets and accounts.
  if (!stack.crossplane.enabled) {
    io.err(`meshform crossplane: stack '${stackName}' is in GCP mode; set meshform:crossplane: gitops (or true) in its stack file to render DataProducts`);
    return EXIT.USAGE;
  }
  if (options.composed) return composed(io, plan, options.package ?? PACKAGE_DIR, Boolean(options.json), options.functionRuntime);
  if (options.out === undefined) {
    const stream = renderDataProductStream(plan);
    if (stream) io.out(stream);
    return EXIT.OK;
  }
  return writeFiles(io, options.out, renderDataProducts(plan));
}

function writeFiles(io: Io, dir: string, files: { file: string; yaml: string }[]): number {
  try {
    fs.mkdirSync(dir, { recursive: true });
    const keep = new Set(files.map((f) => f.file));
    const stale = fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.yaml') && !keep.has(f))
      .filter((f) => fs.readFileSync(path.join(dir, f), 'utf8').startsWith(GENERATED_HEADER));
    for (const f of stale) fs.rmSync(path.join(dir, f));
    for (const f of files) fs.writeFileSync(path.join(dir, f.file), f.yaml);
    io.err(`wrote ${files.length} DataProduct(s) to ${dir}${stale.length ? `, removed ${stale.length} stale` : ''}`);
    return EXIT.OK;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'EEXIST' || code === 'ENOTDIR' ? `${dir} is a file; --out takes a folder` : describeFsError(e);
    io.err(`meshform crossplane: cannot write to ${dir}: ${why}`);
    return EXIT.USAGE;
  }
}

async function composed(io: Io, plan: Plan, packageDir: string, json: boolean, wanted: FunctionRuntime | undefined): Promise<number> {
  const dataProducts = plan.resources.filter((r): r is CrossplaneDataProduct => r.kind === 'crossplane:DataProduct');
  const { runtime, why } = wanted ? { runtime: wanted, why: '--function-runtime' } : await defaultFunctionRuntime();
  io.err(`crank render: functions in the ${runtime === 'docker' ? 'Docker' : 'Development (local programs)'} runtime (${why})`);
  let rendered: RenderedProduct[];
  try {
    rendered = await composeAll(dataProducts, {
      packageDir,
      runtime,
      onProgress: io.interactive && io.status ? (done, total) => io.status!(done < total ? `crank render ${done}/${total}` : '') : undefined,
    });
  } catch (e) {
    if (!(e instanceof ComposeError)) throw e;
    io.err(`meshform crossplane: ${e.message}`);
    return e.setup ? EXIT.USAGE : EXIT.FAILED;
  }
  for (const r of rendered) {
    for (const result of r.results) io.err(`${r.product}: ${result.severity} from ${result.step ?? 'a function'}: ${result.message}`);
  }
  if (json) {
    const out = rendered.map((r, i) => ({
      product: r.product,
      namespace: dataProducts[i].properties.metadata.namespace,
      name: dataProducts[i].properties.metadata.name,
      composed: r.composed,
      results: r.results,
    }));
    io.out(`${JSON.stringify(out, null, 2)}\n`);
  } else {
    const docs = rendered.flatMap((r) => r.composed.map((c) => `---\n# ${r.product}: ${c.name}\n${stringify(c.resource, { lineWidth: 0 })}`));
    if (docs.length) io.out(docs.join(''));
  }
  io.err(`composed ${rendered.reduce((n, r) => n + r.composed.length, 0)} resource(s) from ${rendered.length} DataProduct(s) with crank render`);
  return EXIT.OK;
}
