/**
 * GCP mode: a product's BigQuery datasets, its service account and the IAM members around them.
 * Access is exactly what the spec says (docs/access-model.md): nothing project-wide, no
 * allUsers / allAuthenticatedUsers. Crossplane mode creates the same set through its Composition,
 * from the same helpers, so the two modes cannot drift apart.
 */
import { LAYERS, type Mesh, type Product } from '../vocabulary/mesh';
import { accountEmail, accountImportId, datasetImportId, resourceName } from '../names';
import type { StackConfig } from '../stack/types';
import {
  ROLE_DATA_EDITOR,
  ROLE_DATA_VIEWER,
  ROLE_TOKEN_CREATOR,
  curatedReaders,
  datasetLabels,
  productGcpNames,
  serviceAccountDisplayName,
} from './crossplane';
import type { Dataset, DatasetIamMember, ServiceAccount, ServiceAccountIamMember } from './types';

type GcpResource = Dataset | ServiceAccount | DatasetIamMember | ServiceAccountIamMember;

type Role = typeof ROLE_DATA_EDITOR | typeof ROLE_DATA_VIEWER | typeof ROLE_TOKEN_CREATOR;

/**
 * The roles as parts of a resource name (`resourceName` encodes each part on its own; a role's `/`
 * makes it the slow kind of part, and 50,000 IAM members of a large plan name one of three roles).
 */
const ROLE_PARTS: Readonly<Record<Role, string>> = {
  [ROLE_DATA_EDITOR]: resourceName(ROLE_DATA_EDITOR),
  [ROLE_DATA_VIEWER]: resourceName(ROLE_DATA_VIEWER),
  [ROLE_TOKEN_CREATOR]: resourceName(ROLE_TOKEN_CREATOR),
};

export function planGcp(product: Product, mesh: Mesh, stack: StackConfig): GcpResource[] {
  const { project } = stack.gcp;
  const names = productGcpNames(product, stack);
  const accountId = names.serviceAccount.id;
  const email = accountEmail(accountId, project);
  const resources: GcpResource[] = [
    {
      kind: 'gcp:serviceaccount:Account',
      name: resourceName(product.id, 'service-account', accountId),
      product: product.id,
      properties: { project, accountId, displayName: serviceAccountDisplayName(product) },
      ...(names.serviceAccount.adopted && { import: accountImportId(project, accountId) }),
    },
  ];

  for (const owner of [...new Set(product.owners)].sort()) {
    resources.push({
      kind: 'gcp:serviceaccount:IAMMember',
      name: `${resourceName(product.id, 'service-account-iam', accountId)}/${ROLE_PARTS[ROLE_TOKEN_CREATOR]}/${resourceName(owner)}`,
      product: product.id,
      properties: {
        serviceAccountId: `projects/${project}/serviceAccounts/${email}`,
        role: ROLE_TOKEN_CREATOR,
        member: owner,
      },
    });
  }

  const readers = curatedReaders(product, mesh, stack);
  for (const layer of LAYERS.filter((l) => product.storage.bigquery.layers.includes(l))) {
    const id = names.datasets[layer].id;
    resources.push({
      kind: 'gcp:bigquery:Dataset',
      name: resourceName(product.id, 'dataset', id),
      product: product.id,
      properties: {
        project,
        datasetId: id,
        location: product.storage.bigquery.location ?? stack.gcp.location,
        labels: datasetLabels(product, layer, stack),
      },
      ...(names.datasets[layer].adopted && { import: datasetImportId(project, id) }),
    });
    const members: Array<[role: Role, member: string]> = [[ROLE_DATA_EDITOR, `serviceAccount:${email}`]];
    if (layer === 'curated') members.push(...readers.map((reader): [Role, string] => [ROLE_DATA_VIEWER, reader]));
    for (const [role, member] of members) {
      resources.push({
        kind: 'gcp:bigquery:DatasetIamMember',
        name: `${resourceName(product.id, 'dataset-iam', id)}/${ROLE_PARTS[role]}/${resourceName(member)}`,
        product: product.id,
        properties: { datasetId: id, role, member },
      });
    }
  }
  return resources;
}
