/**
 * `meshform stacks plan [paths..] --by domain|prefix [--depth N] [--stack <env>] [--write [--force]] [--json]`:
 * a mesh larger than one stack, split into one stack per business domain (or id prefix) of an
 * environment. Prints the split, checks that every product is in exactly one stack (of the split,
 * and of the environment's stack files that already select products), and can write the stack
 * files. Each stack is then an independent `pulumi up`.
 */
import * as fs from 'node:fs';
import { isMap, parseDocument, type Document } from 'yaml';
import { compareText } from '../compare';
import type { Product } from '../vocabulary/mesh';
import { stackSelects } from '../plan/select';
import { listStacks, loadStack, stackFile } from '../stack/load';
import type { StackConfig, StackSelection } from '../stack/types';
import { diagnosticCounts, loadMeshOrExit, loadStackOrExit } from './inputs';
import { EXIT, UsageError, type Io } from './io';
import type { JsonOptions } from './options';

export type SplitBy = 'domain' | 'prefix';

/** Product ids listed per stack in the human output. */
const SHOWN = 6;

export interface StacksPlanOptions extends JsonOptions {
  by: SplitBy;
  depth?: string;
  stack?: string;
  write?: boolean;
  force?: boolean;
}

export interface PlannedStack {
  name: string;
  /** The config key and value that select its products. */
  key: 'meshform:domains' | 'meshform:products';
  value: string;
  products: string[];
}

/** A product in no stack, or in more than one. */
export interface SplitProblem {
  product: string;
  stacks: string[];
}

/** The split: one stack per business domain, or per id prefix of `depth` segments. Pure. */
export function splitMesh(products: readonly Pick<Product, 'id' | 'businessDomain'>[], by: SplitBy, options: { depth?: number; environment?: string } = {}): PlannedStack[] {
  const depth = options.depth ?? 2;
  const groupOf = (p: Pick<Product, 'id' | 'businessDomain'>) => (by === 'domain' ? p.businessDomain : p.id.split('.').slice(0, depth).join('.'));
  const groups = [...new Set(products.map(groupOf))].sort(compareText);
  // Stack names drop the organisation segment every group shares (`acme.retail` -> `retail`).
  const first = groups[0]?.split('.')[0];
  const shared = groups.length > 0 && groups.every((g) => g.startsWith(`${first}.`));
  const key = by === 'domain' ? 'meshform:domains' : 'meshform:products';
  return groups.map((group) => {
    const short = (shared ? group.slice(first!.length + 1) : group).replace(/[^A-Za-z0-9_-]+/g, '-');
    const selection = selectionOf(key, group);
    return {
      name: options.environment ? `${options.environment}-${short}` : short,
      key,
      value: group,
      products: products.filter((p) => stackSelects(selection, p)).map((p) => p.id).sort(compareText),
    };
  });
}

/** Products that the given stacks (by their selections) do not cover exactly once. */
export function coverageProblems(products: readonly Pick<Product, 'id' | 'businessDomain'>[], stacks: readonly { name: string; selection: StackSelection | undefined }[]): SplitProblem[] {
  const problems: SplitProblem[] = [];
  for (const p of [...products].sort((a, b) => compareText(a.id, b.id))) {
    const holders = stacks.filter((s) => stackSelects(s.selection, p)).map((s) => s.name);
    if (holders.length !== 1) problems.push({ product: p.id, stacks: holders });
  }
  return problems;
}

function selectionOf(key: PlannedStack['key'], value: string): StackSelection {
  return key === 'meshform:domains' ? { domains: [value], products: [] } : { domains: [], products: [value] };
}

export async function runStacksPlan(paths: string[], options: StacksPlanOptions, io: Io): Promise<number> {
  if (options.by !== 'domain' && options.by !== 'prefix') throw new UsageError(`--by ${String(options.by)}: one of domain, prefix`);
  const depth = options.depth === undefined ? undefined : Number(options.depth);
  if (depth !== undefined && (!Number.isInteger(depth) || depth < 1)) throw new UsageError(`--depth ${options.depth}: a whole number of id segments, at least 1`);
  if (depth !== undefined && options.by !== 'prefix') throw new UsageError('--depth applies to --by prefix');
  if (options.write && !options.stack) throw new UsageError('--write needs --stack <env>: the environment whose settings the new stacks start from');

  let base: StackConfig | undefined;
  if (options.stack) {
    const loaded = loadStackOrExit(io, options.stack);
    if (!loaded.ok) return loaded.exit;
    base = loaded.value;
  }
  const loaded = await loadMeshOrExit(io, paths);
  if (!loaded.ok) {
    io.err(diagnosticCounts(loaded.diagnostics));
    return loaded.exit;
  }
  const products = loaded.value.mesh.products;
  const split = splitMesh(products, options.by, { depth, environment: options.stack });
  const problems = coverageProblems(products, split.map((s) => ({ name: s.name, selection: selectionOf(s.key, s.value) })));
  // The environment's stack files that already select products: what `pulumi up` of each would manage.
  const existing = options.stack ? existingSplit(options.stack) : [];
  const existingProblems = existing.length ? coverageProblems(products, existing) : [];

  if (options.json) {
    io.out(
      JSON.stringify(
        {
          stacks: Object.fromEntries(split.map((s) => [s.name, { products: s.products, config: { [s.key]: s.value } }])),
          problems,
          ...(existing.length > 0 && { existing: { stacks: existing.map((s) => s.name), problems: existingProblems } }),
        },
        null,
        2,
      ),
    );
  } else {
    const width = Math.max(...split.map((s) => s.name.length), 5);
    io.out(`${split.length} stack(s) for ${products.length} product(s), by ${options.by}${options.stack ? ` (environment ${options.stack})` : ''}:`);
    for (const s of split) {
      const shown = s.products.slice(0, SHOWN);
      const more = s.products.length > SHOWN ? `, ... ${s.products.length - SHOWN} more (--json lists all)` : '';
      io.out(`  ${s.name.padEnd(width)}  ${s.key}: ${s.value}  ${s.products.length} product(s): ${shown.join(', ')}${more}`);
    }
    if (base && !base.selection && existing.length > 0) {
      io.err(`meshform stacks plan: note: stack ${options.stack} itself selects every product; once the split stacks manage them, move its resources (pulumi state move) or destroy it, so that no product is in two stacks`);
    }
  }
  for (const p of problems) io.err(`meshform stacks plan: ${describeProblem(p, 'of this split')}`);
  for (const p of existingProblems) io.err(`meshform stacks plan: ${describeProblem(p, `among the stack files of ${options.stack} that select products (${existing.map((s) => s.name).join(', ')})`)}`);
  if (problems.length > 0) return EXIT.FAILED;

  if (options.write && base && options.stack) {
    const written = writeStacks(split, options.stack, base, Boolean(options.force), io);
    if (written === undefined) return EXIT.USAGE;
    const after = existingSplit(options.stack);
    const remaining = coverageProblems(products, after);
    for (const p of remaining) io.err(`meshform stacks plan: ${describeProblem(p, `among the stack files of ${options.stack} after writing`)}`);
    return remaining.length > 0 ? EXIT.FAILED : EXIT.OK;
  }
  return existingProblems.length > 0 ? EXIT.FAILED : EXIT.OK;
}

function describeProblem(p: SplitProblem, where: string): string {
  return p.stacks.length === 0 ? `${p.product} is in no stack ${where}` : `${p.product} is in ${p.stacks.length} stacks ${where}: ${p.stacks.join(', ')}`;
}

/** Stack files `Pulumi.<env>-*.yaml` whose settings select products, with their selections. */
function existingSplit(environment: string): { name: string; selection: StackSelection }[] {
  const out: { name: string; selection: StackSelection }[] = [];
  for (const name of listStacks()) {
    if (!name.startsWith(`${environment}-`)) continue;
    const { stack } = loadStack(name, { env: {} });
    if (stack?.selection) out.push({ name, selection: stack.selection });
  }
  return out;
}

/**
 * Each stack of the split as `stacks/Pulumi.<name>.yaml`: an existing file gets the selection key
 * (everything else kept); a new file starts from the environment's plain settings, with the
 * environment label and `protect` of the environment written out (a stack named `prod-retail` is
 * not `prod`, whose protection is on by default). Secrets are not copied (they are encrypted per
 * stack): the file says which to set. Returns the names written, or undefined when nothing was.
 */
function writeStacks(split: readonly PlannedStack[], environment: string, base: StackConfig, force: boolean, io: Io): string[] | undefined {
  const baseDoc = parseDocument(fs.readFileSync(stackFile(environment), 'utf8'));
  const baseConfig = baseDoc.get('config');
  const entries = isMap(baseConfig) ? (baseConfig.toJSON() as Record<string, unknown>) : {};
  const secrets = Object.keys(entries).filter((k) => isSecure(entries[k]));
  const selectionKeys = new Set(['meshform:domains', 'meshform:products']);
  const plain = Object.fromEntries(Object.entries(entries).filter(([k, v]) => !isSecure(v) && !selectionKeys.has(k)));

  const planned = split.map((s) => ({ s, file: stackFile(s.name), exists: fs.existsSync(stackFile(s.name)) }));
  const clash = planned.find((p) => p.exists && !force && !hasSelection(p.file, p.s));
  if (clash) {
    io.err(`meshform stacks plan: ${clash.file} exists and selects other products; pass --force to set ${clash.s.key}: ${clash.s.value} in it`);
    return undefined;
  }
  const written: string[] = [];
  for (const { s, file, exists } of planned) {
    let doc: Document;
    if (exists) {
      doc = parseDocument(fs.readFileSync(file, 'utf8'));
      for (const key of selectionKeys) doc.deleteIn(['config', key]);
    } else {
      const config: Record<string, unknown> = {
        ...plain,
        'meshform:environment': base.environment,
        'meshform:protect': base.protect,
      };
      doc = parseDocument('config: {}\n');
      doc.commentBefore = ` Stack ${s.name}: the products of ${s.value} in environment ${environment} (meshform stacks plan --by ${s.key === 'meshform:domains' ? 'domain' : 'prefix'}).${
        secrets.length ? `\n Secrets are not copied: pulumi config set --secret <key> -s ${s.name} for ${secrets.join(', ')}.` : ''
      }`;
      for (const [key, value] of Object.entries(config)) doc.setIn(['config', key], value);
    }
    doc.setIn(['config', s.key], s.value);
    fs.writeFileSync(file, doc.toString());
    written.push(s.name);
    io.err(`meshform stacks plan: ${exists ? 'updated' : 'wrote'} ${file}`);
  }
  if (secrets.length) io.err(`meshform stacks plan: secrets are not copied (encrypted per stack): set ${secrets.join(', ')} in each new stack, or create it first with pulumi stack init <name> --copy-config-from ${environment}`);
  return written;
}

function hasSelection(file: string, s: PlannedStack): boolean {
  const doc = parseDocument(fs.readFileSync(file, 'utf8'));
  const domains = doc.getIn(['config', 'meshform:domains']);
  const products = doc.getIn(['config', 'meshform:products']);
  if (domains === undefined && products === undefined) return true; // nothing selected yet: the key is added
  return String(s.key === 'meshform:domains' ? domains : products) === s.value && (s.key === 'meshform:domains' ? products : domains) === undefined;
}

function isSecure(value: unknown): boolean {
  return typeof value === 'object' && value !== null && 'secure' in value;
}
