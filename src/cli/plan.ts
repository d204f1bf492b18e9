/** `meshform plan [paths..] --stack <name> [--product <id|prefix>]... [--kind <kind>]... [--verbose] [--strict] [--json]` */
import { KIND_ORDER, meshPlanner, plannedProduct, type MeshPlanner } from '../plan';
import { productAccountEmail } from '../plan/crossplane';
import type { Plan, PlannedProduct, Resource } from '../plan/types';
import type { Product } from '../vocabulary/mesh';
import { matchesKind, matchesProduct } from '../plan/select';
import { didYouMean } from '../suggest';
import { loadPlanInputsOrExit, type StrictOption } from './inputs';
import { EXIT, UsageError, type Io } from './io';
import type { JsonOptions, StackOptions } from './options';
import { productPlanBlocks } from './plan-view';
import { StreamedItems, writeBlocks, writeJson } from './streamed';

export interface PlanOptions extends StackOptions, JsonOptions, StrictOption {
  product?: string[];
  kind?: string[];
  verbose?: boolean;
}

export async function runPlan(paths: string[], options: PlanOptions, io: Io): Promise<number> {
  const kinds = options.kind ?? [];
  const unknownKind = kinds.find((k) => !KIND_ORDER.some((kind) => matchesKind(kind, [k])));
  if (unknownKind !== undefined) {
    throw new UsageError(`--kind ${unknownKind} matches no resource kind${didYouMean(unknownKind, KIND_ORDER)}; kinds: ${KIND_ORDER.join(', ')}`);
  }
  const loaded = await loadPlanInputsOrExit(io, paths, options.stack, { strict: options.strict });
  if (!loaded.ok) return loaded.exit;
  const { mesh, stack } = loaded.value;

  // The plan a product at a time: --json writes each product's resources as they are made.
  const planner = meshPlanner(mesh, stack);
  const all = planner.products.map(plannedProduct);
  const products = options.product ?? [];
  checkProductPatterns({ products: all }, products);
  const chosen = planner.products.filter((p) => matchesProduct(p.id, products));
  const selectedProducts = all.filter((p) => matchesProduct(p.id, products));
  if (options.json) {
    // The keys and order of the Plan type (stack, products, resources), as selectPlan returns it.
    writeJson(io, { stack: stack.name, products: selectedProducts, resources: new StreamedItems(selectedResources(planner, chosen, kinds)) });
    return EXIT.OK;
  }
  const filters = [...products.map((p) => `--product ${p}`), ...kinds.map((k) => `--kind ${k}`)];
  const view = {
    verbose: options.verbose,
    kinds: kinds.length ? KIND_ORDER.filter((kind) => matchesKind(kind, kinds)) : undefined,
    filter: filters.length ? { description: filters.join(' '), totalProducts: all.length } : undefined,
  };
  // The folded view names a dataset's readers by product: every chosen product's account (each has
  // one, a gcp:serviceaccount:Account or a DataProduct's, when every kind is shown).
  const accounts = view.kinds || view.verbose ? new Map<string, string>() : new Map(chosen.map((p) => [`serviceAccount:${productAccountEmail(p, stack)}`, p.id]));
  const perProduct = chosen.map((product, i) => ({ planned: selectedProducts[i], resources: () => selectedResourcesOf(planner, product, kinds) }));
  writeBlocks(io, productPlanBlocks(stack.name, perProduct, mesh, stack, view, accounts));
  return EXIT.OK;
}

function selectedResourcesOf(planner: MeshPlanner, product: Product, kinds: readonly string[]): Resource[] {
  const resources = planner.resourcesOf(product);
  return kinds.length ? resources.filter((r) => matchesKind(r.kind, kinds)) : resources;
}

/** Each chosen product's resources of the kinds asked for (every kind when none), a product at a time. */
function* selectedResources(planner: MeshPlanner, chosen: readonly Product[], kinds: readonly string[]): Generator<Resource[]> {
  for (const product of chosen) yield selectedResourcesOf(planner, product, kinds);
}

/** `--product` patterns must each name a product of the plan: a UsageError names the near miss otherwise. */
export function checkProductPatterns(plan: Pick<Plan, 'products'>, patterns: readonly string[]): void {
  const ids = plan.products.map((p) => p.id);
  for (const pattern of patterns) {
    if (!ids.some((id) => matchesProduct(id, [pattern]))) {
      throw new UsageError(`--product ${pattern} matches no product in the mesh${productSuggestion(pattern, plan.products)}`);
    }
  }
}

/** For a near miss: the id or business domain it almost names, or the whole segments a partial prefix stands for (`acme.ret` -> `acme.retail`). */
export function productSuggestion(pattern: string, products: readonly PlannedProduct[]): string {
  const started = products.find((p) => p.id.startsWith(pattern));
  if (started) {
    const end = started.id.indexOf('.', pattern.length);
    return ` (did you mean ${end < 0 ? started.id : started.id.slice(0, end)}?)`;
  }
  return didYouMean(pattern, [...new Set(products.flatMap((p) => [p.id, p.businessDomain]))]);
}
