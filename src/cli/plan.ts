/** `meshform plan [paths..] --stack <name> [--product <id|prefix>]... [--kind <kind>]... [--verbose] [--json]` */
import { KIND_ORDER } from '../plan';
import type { PlannedProduct } from '../plan/types';
import { matchesKind, matchesProduct, selectPlan } from '../plan/select';
import { didYouMean } from '../suggest';
import { loadPlanOrExit } from './inputs';
import { EXIT, UsageError, type Io } from './io';
import type { JsonOptions, StackOptions } from './options';
import { formatPlan } from './plan-view';

export interface PlanOptions extends StackOptions, JsonOptions {
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
  const loaded = await loadPlanOrExit(io, paths, options.stack);
  if (!loaded.ok) return loaded.exit;
  const { plan, mesh, stack } = loaded.value;

  const products = options.product ?? [];
  const ids = plan.products.map((p) => p.id);
  for (const pattern of products) {
    if (!ids.some((id) => matchesProduct(id, [pattern]))) {
      throw new UsageError(`--product ${pattern} matches no product in the mesh${productSuggestion(pattern, plan.products)}`);
    }
  }
  const selected = selectPlan(plan, { products, kinds });
  if (options.json) {
    io.out(JSON.stringify(selected, null, 2));
    return EXIT.OK;
  }
  const filters = [...products.map((p) => `--product ${p}`), ...kinds.map((k) => `--kind ${k}`)];
  io.out(
    formatPlan(selected, mesh, stack, {
      verbose: options.verbose,
      kinds: kinds.length ? KIND_ORDER.filter((kind) => matchesKind(kind, kinds)) : undefined,
      filter: filters.length ? { description: filters.join(' '), totalProducts: plan.products.length } : undefined,
    }),
  );
  return EXIT.OK;
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
