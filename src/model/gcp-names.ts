/**
 * What GCP naming templates and adopted ids give each product, checked mesh-wide: every result is an
 * id GCP takes (MF-GCP-NAME-INVALID), and no two products, nor two layers of one product, get the
 * same dataset id or service account id (MF-GCP-NAME-DUPLICATE). Placed at the template that made
 * the name, naming the product.
 *
 * Without an environment (loading a mesh: no stack yet) a name made with `{env}` is left for the
 * check with the stack's environment, which the plan's callers run (`meshform plan`, the Pulumi
 * program); with one, every name is checked.
 */
import { compareText } from '../compare';
import { type Diagnostic, type SourceLocation, error } from '../vocabulary/diagnostics';
import { CODES } from '../vocabulary/codes';
import { LAYERS, type Product } from '../vocabulary/mesh';
import { type GcpName, datasetIdProblem, gcpNames, serviceAccountIdProblem, usesEnvironment } from '../names';

interface Named {
  product: string;
  what: string;
  name: GcpName;
}

export function gcpNameProblems(products: readonly Product[], environment?: string): Diagnostic[] {
  // Default names are valid and distinct by construction (src/names.ts): only templates and adopted
  // ids can go wrong, and with a stack only those using {env} are new (the rest was checked on load).
  const written = products.filter((p) => p.gcp);
  if (written.length === 0) return [];
  if (environment !== undefined && !written.some(usesEnvironmentAnywhere)) return [];
  const diagnostics: Diagnostic[] = [];
  const datasets = new Map<string, Named>();
  const accounts = new Map<string, Named>();
  const where = (name: GcpName, product: Product): SourceLocation => name.template?.location ?? product.location;
  const from = (name: GcpName) => (name.template ? ` (from "${name.template.template}")` : ' (the default name)');

  const check = (product: Product, what: string, name: GcpName, problem: (id: string) => string | undefined, seen: Map<string, Named>) => {
    if (environment === undefined && name.template && usesEnvironment(name.template.template)) return;
    const invalid = problem(name.id);
    if (invalid) {
      diagnostics.push(error(CODES.gcpNameInvalid, `${product.id}: the ${what} "${name.id}"${from(name)} ${invalid}`, where(name, product)));
      return;
    }
    const other = seen.get(name.id);
    if (!other) {
      seen.set(name.id, { product: product.id, what, name });
      return;
    }
    // The diagnostic goes where a template is written: the later one's, else the earlier one's.
    const at = name.template ? where(name, product) : (other.name.template?.location ?? product.location);
    const others = other.product === product.id ? `its ${other.what}` : `the ${other.what} of ${other.product}`;
    diagnostics.push(error(CODES.gcpNameDuplicate, `${product.id}: the ${what} "${name.id}"${from(name)} is also ${others}: each needs its own id`, at));
  };

  for (const product of [...products].sort((a, b) => compareText(a.id, b.id))) {
    const names = gcpNames(product, environment);
    // Every layer's dataset the product has, and the adopted ones even outside its layers (an adoption of a layer it lacks is reported below).
    for (const layer of LAYERS) {
      const has = product.storage.bigquery.layers.includes(layer);
      const adopted = product.gcp?.adopt?.datasets[layer];
      if (!has && adopted && !adopted.every) {
        diagnostics.push(error(CODES.gcpNameInvalid, `${product.id} adopts a ${layer} dataset but its storage.bigquery.layers are ${product.storage.bigquery.layers.join(', ')}: add ${layer} to the layers or leave it out of adopt.datasets`, adopted.location));
      }
      if (has) check(product, `${layer} dataset id`, names.datasets[layer], datasetIdProblem, datasets);
    }
    check(product, 'service account id', names.serviceAccount, serviceAccountIdProblem, accounts);
  }
  return diagnostics;
}

/** Whether any of a product's templates or adopted ids uses `{env}`. */
function usesEnvironmentAnywhere(product: Product): boolean {
  const gcp = product.gcp!;
  const templates = [...Object.values(gcp.datasetNames ?? {}), gcp.serviceAccountName, ...Object.values(gcp.adopt?.datasets ?? {}).map((d) => d?.id), gcp.adopt?.serviceAccount?.id];
  return templates.some((t) => t !== undefined && usesEnvironment(t.template));
}
