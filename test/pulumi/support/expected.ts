/** What the program must register for a plan resource, by Pulumi type token: shared by the mock and the engine suites. */
import type { Resource } from '../../../src/plan/types';

export const TOKENS: Record<string, string> = {
  'gcp:bigquery:Dataset': 'gcp:bigquery/dataset:Dataset',
  'gcp:serviceaccount:Account': 'gcp:serviceaccount/account:Account',
  'gcp:bigquery:DatasetIamMember': 'gcp:bigquery/datasetIamMember:DatasetIamMember',
  'gcp:serviceaccount:IAMMember': 'gcp:serviceaccount/iAMMember:IAMMember',
  'crossplane:DataProduct': 'kubernetes:meshifi.io/v1alpha1:DataProduct',
};

/** A plan resource as the program must register it: the plan's properties, plus what safety adds. */
export function comparable(r: Resource, project: string): { type: string; name: string; inputs: Record<string, unknown> } {
  const p = r.properties as unknown as Record<string, unknown>;
  switch (r.kind) {
    case 'gcp:bigquery:Dataset':
      return { type: TOKENS[r.kind], name: r.name, inputs: { ...p, deleteContentsOnDestroy: false } };
    case 'gcp:bigquery:DatasetIamMember':
      // The dataset's project, named explicitly rather than left to the provider's default.
      return { type: TOKENS[r.kind], name: r.name, inputs: { ...p, project } };
    default:
      return { type: TOKENS[r.kind], name: r.name, inputs: p };
  }
}

