/**
 * `meshform crossplane render [paths..] --stack <name> [--out dir]`: the stack's DataProduct
 * objects as YAML, for GitOps (Argo CD, Flux) instead of `pulumi up`. Without --out, one
 * multi-document stream on stdout; with it, one file per product, and files an earlier render
 * wrote for products that are gone are removed.
 *
 * `--composed`: what Crossplane will create from them instead, computed by Crossplane's own
 * `crank render` with the real composition functions (src/adapters/crossplane/compose.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { ComposeError, INSTALL_HINT, composeAll, type RenderedProduct } from '../adapters/crossplane/compose';
import { GENERATED_HEADER, renderDataProducts, renderDataProductStream } from '../adapters/crossplane/render';
import type { CrossplaneDataProduct, Plan } from '../plan/types';
import { describeFsError } from '../spec/files';
import { parseCommandArgs, requireStack } from './args';
import { loadPlanOrExit } from './inputs';
import { EXIT, UsageError, type Io } from './io';

export const USAGE = `Usage:
  meshform crossplane render [paths..] --stack <name> [--out dir]
  meshform crossplane render [paths..] --stack <name> --composed [--json] [--package dir]

  render            the stack's DataProduct objects as YAML (stdout, or one file per product with --out)
  --composed        the resources Crossplane composes from them, by Crossplane's own \`crank render\` with the
                    real functions; needs crank and the functions on PATH:
                    ${INSTALL_HINT}
  --json            with --composed: [{product, namespace, name, composed: [{name, resource}], results}]
  --package dir     with --composed: the Crossplane package to render with (default: meshform's crossplane/)
Exit codes: 0 ok, 1 spec errors or a failed render, 2 usage or configuration error, programs missing.`;

export async function run(argv: string[], io: Io): Promise<number> {
  const [action, ...rest] = argv;
  if (action === '--help' || action === '-h' || action === 'help') {
    io.out(USAGE);
    return EXIT.OK;
  }
  if (action !== 'render') {
    throw new UsageError(action ? `unknown action '${action}' (expected: render)` : 'expected an action: render');
  }
  const { values, positionals } = parseCommandArgs(rest, {
    stack: { type: 'string', short: 's' },
    out: { type: 'string', short: 'o' },
    composed: { type: 'boolean' },
    json: { type: 'boolean' },
    package: { type: 'string' },
  });
  if (values.composed && values.out !== undefined) throw new UsageError('--composed prints to stdout; it does not take --out');
  if (!values.composed && (values.json || values.package !== undefined)) throw new UsageError('--json and --package go with --composed');
  const stackName = requireStack(values.stack);
  const loaded = await loadPlanOrExit(io, positionals, stackName);
  if (!loaded.ok) return loaded.exit;
  const { plan, stack } = loaded.value;
  // A stack in GCP mode already gets these resources from Pulumi; DataProducts too would make two
  // controllers fight over the same datasets and accounts.
  if (!stack.crossplane.enabled) {
    io.err(`meshform crossplane: stack '${stackName}' is in GCP mode; set meshform:crossplane: true in its stack file to render DataProducts`);
    return EXIT.USAGE;
  }
  if (values.composed) return composed(io, plan, values.package ?? PACKAGE_DIR, Boolean(values.json));
  if (values.out === undefined) {
    const stream = renderDataProductStream(plan);
    if (stream) io.out(stream);
    return EXIT.OK;
  }
  return writeFiles(io, values.out, renderDataProducts(plan));
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

/** meshform's own Crossplane package. */
export const PACKAGE_DIR = path.join(__dirname, '..', '..', 'crossplane');

async function composed(io: Io, plan: Plan, packageDir: string, json: boolean): Promise<number> {
  const dataProducts = plan.resources.filter((r): r is CrossplaneDataProduct => r.kind === 'crossplane:DataProduct');
  let rendered: RenderedProduct[];
  try {
    rendered = await composeAll(dataProducts, {
      packageDir,
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
