/**
 * Crossplane mode: one namespaced `DataProduct` (meshifi.io/v1alpha1) per product instead of the
 * GCP resources. The spec carries every value the Composition in `crossplane/` needs to create
 * exactly the resources GCP mode creates, already named and resolved, so the Composition only
 * copies values and never derives names (one naming module: src/names.ts).
 */
import { LAYERS, type Layer, type Mesh, type Product } from '../vocabulary/mesh';
import { type ProductGcpNames, accountEmail, gcpNames, k8sName, labelValue, resourceName } from '../names';
import type { StackConfig } from '../stack/types';
import type { CrossplaneDataProduct, DataProductSpec } from './types';

export type { DataProductDataset, DataProductSpec } from './types';

export const DATA_PRODUCT_GROUP = 'meshifi.io';
export const DATA_PRODUCT_VERSION = 'v1alpha1';
export const DATA_PRODUCT_API_VERSION = `${DATA_PRODUCT_GROUP}/${DATA_PRODUCT_VERSION}`;
export const DATA_PRODUCT_KIND = 'DataProduct';

export const ROLE_DATA_EDITOR = 'roles/bigquery.dataEditor';
export const ROLE_DATA_VIEWER = 'roles/bigquery.dataViewer';
export const ROLE_TOKEN_CREATOR = 'roles/iam.serviceAccountTokenCreator';

export function planDataProduct(product: Product, mesh: Mesh, stack: StackConfig): CrossplaneDataProduct {
  const readers = curatedReaders(product, mesh, stack);
  const names = productGcpNames(product, stack);
  const spec: DataProductSpec = {
    product: {
      id: product.id,
      urn: product.urn,
      businessDomain: product.businessDomain,
      domainType: product.domainType,
    },
    project: stack.gcp.project,
    location: product.storage.bigquery.location ?? stack.gcp.location,
    protect: stack.protect,
    datasets: LAYERS.filter((layer) => product.storage.bigquery.layers.includes(layer)).map((layer) => ({
      layer,
      datasetId: names.datasets[layer].id,
      ...(names.datasets[layer].adopted && { adopted: true }),
      labels: datasetLabels(product, layer, stack),
      viewers: layer === 'curated' ? readers : [],
    })),
    serviceAccount: {
      accountId: names.serviceAccount.id,
      displayName: serviceAccountDisplayName(product),
      email: accountEmail(names.serviceAccount.id, stack.gcp.project),
      ...(names.serviceAccount.adopted && { adopted: true }),
    },
    owners: [...new Set(product.owners)].sort(),
  };
  return {
    kind: 'crossplane:DataProduct',
    name: resourceName(product.id, 'dataproduct'),
    product: product.id,
    properties: {
      apiVersion: DATA_PRODUCT_API_VERSION,
      kind: DATA_PRODUCT_KIND,
      metadata: {
        name: k8sName(product.id),
        namespace: stack.crossplane.namespace,
        labels: {
          'app.kubernetes.io/managed-by': 'meshform',
          'meshifi.io/product': k8sName(product.id),
          'meshifi.io/domain': k8sName(product.businessDomain),
          'meshifi.io/environment': k8sName(stack.environment),
        },
      },
      spec,
    },
  };
}

/** GCP labels of a product's dataset: the same keys in GCP and Crossplane mode. */
export function datasetLabels(product: Product, layer: Layer, stack: StackConfig): Record<string, string> {
  return {
    domain: labelValue(product.businessDomain),
    product: labelValue(product.id),
    layer,
    environment: labelValue(stack.environment),
    'managed-by': 'meshform',
  };
}

/** GCP allows 100 characters; the product title is for humans and may be longer. */
export function serviceAccountDisplayName(product: Product): string {
  const name = `meshform ${product.id}`;
  return name.length <= 100 ? name : name.slice(0, 99) + '~';
}

/**
 * Service accounts of the products granted one of this product's protected topics (only those in
 * the mesh: others have no account to grant to), and the stack's public readers when the product
 * has a public topic. Sorted and unique.
 */
export function curatedReaders(product: Product, mesh: Mesh, stack: StackConfig): string[] {
  const inMesh = productsById(mesh);
  const readers = new Set<string>();
  for (const topic of product.topics) {
    if (topic.visibility === 'protected') {
      for (const grant of topic.grants) {
        const grantee = inMesh.get(grant.grantee);
        if (grantee && grant.grantee !== product.id) {
          readers.add(`serviceAccount:${productAccountEmail(grantee, stack)}`);
        }
      }
    }
  }
  const publicReaders = stack.gcp.publicReaders;
  if (publicReaders && product.topics.some((t) => t.visibility === 'public')) readers.add(publicReaders);
  return [...readers].sort();
}

/**
 * The email of a product's service account in the stack, in GCP and Crossplane mode alike: its
 * naming template's or adopted account id, else the default.
 */
export function productAccountEmail(product: Product, stack: StackConfig): string {
  return accountEmail(productGcpNames(product, stack).serviceAccount.id, stack.gcp.project);
}

/**
 * `gcpNames` of a product in the stack's environment, made once per product and environment: a
 * plan asks for a product's account again for each product it is granted a topic of (and
 * `meshform plan` for every product's), and making names is the costly part of planning GCP.
 */
export function productGcpNames(product: Product, stack: StackConfig): ProductGcpNames {
  const known = namesByProduct.get(product);
  if (known && known.environment === stack.environment) return known.names;
  const names = gcpNames(product, stack.environment);
  namesByProduct.set(product, { environment: stack.environment, names });
  return names;
}

/** Products are not changed once the mesh is built: their names are kept as long as they are. */
const namesByProduct = new WeakMap<Product, { environment: string; names: ProductGcpNames }>();

/** Built once per mesh: planning asks for every product, and rebuilding it each time made planning quadratic. */
const productsByMesh = new WeakMap<Mesh, ReadonlyMap<string, Product>>();

function productsById(mesh: Mesh): ReadonlyMap<string, Product> {
  let products = productsByMesh.get(mesh);
  if (!products) {
    products = new Map(mesh.products.map((p) => [p.id, p]));
    productsByMesh.set(mesh, products);
  }
  return products;
}
