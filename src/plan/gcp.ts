/**
 * GCP mode: a product's BigQuery datasets, its service account and the IAM members around them.
 * Access is exactly what the spec says (docs/access-model.md): nothing project-wide, no
 * allUsers / allAuthenticatedUsers. Crossplane mode creates the same set through its Composition,
 * from the same helpers, so the two modes cannot drift apart.
 */
import { LAYERS, type Mesh, type Product } from '../vocabulary/mesh';
import { accountEmail, accountImportId, datasetImportId, gcpNames, resourceName } from '../names';
import type { StackConfig } from '../stack/types';
import {
  ROLE_DATA_EDITOR,
  ROLE_DATA_VIEWER,
  ROLE_TOKEN_CREATOR,
  curatedReaders,
  datasetLabels,
  serviceAccountDisplayName,
} from './crossplane';
import type { Dataset, DatasetIamMember, ServiceAccount, ServiceAccountIamMember } from './types';

type GcpResource = Dataset | ServiceAccount | DatasetIamMember | ServiceAccountIamMember;

export function planGcp(product: Product, mesh: Mesh, stack: StackConfig): GcpResource[] {
  const { project } = stack.gcp;
  const names = gcpNames(product, stack.environment);
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
      name: resourceName(product.id, 'service-account-iam', accountId, ROLE_TOKEN_CREATOR, owner),
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
    const members: Array<[role: string, member: string]> = [[ROLE_DATA_EDITOR, `serviceAccount:${email}`]];
    if (layer === 'curated') members.push(...readers.map((reader): [string, string] => [ROLE_DATA_VIEWER, reader]));
    for (const [role, member] of members) {
      resources.push({
        kind: 'gcp:bigquery:DatasetIamMember',
        name: resourceName(product.id, 'dataset-iam', id, role, member),
        product: product.id,
        properties: { datasetId: id, role, member },
      });
    }
  }
  return resources;
}
