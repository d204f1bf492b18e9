/**
 * GCP mode: plan resources (gcp:*) -> @pulumi/gcp resources, one to one, with the plan's values
 * as inputs. Nothing is derived here: names, roles and members all come from the plan.
 */
import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';
import type { Dataset, DatasetIamMember, Resource, ServiceAccount, ServiceAccountIamMember } from '../../plan/types';

export type GcpPlanResource = Dataset | ServiceAccount | DatasetIamMember | ServiceAccountIamMember;

export function isGcpResource(r: Resource): r is GcpPlanResource {
  return r.kind.startsWith('gcp:');
}

export interface GcpContext {
  parent: pulumi.Resource;
  /** The stack's project: IAM members on datasets name it explicitly, not through provider defaults. */
  project: string;
  /**
   * The stack's `protect`: datasets, the service account and the IAM members, since deleting an
   * account or a binding cuts access as surely as deleting data loses it.
   */
  protect: boolean;
  /** Resources an IAM member must wait for: the dataset or account it targets, the account it names. */
  dependenciesOf(member: GcpPlanResource): pulumi.Input<pulumi.Input<pulumi.Resource>[]>;
}

export interface RegisteredGcp {
  datasets: Map<string, gcp.bigquery.Dataset>;
  account?: gcp.serviceaccount.Account;
}

/** Registers a product's GCP resources: datasets and the account first, then the IAM members. */
export function registerGcp(resources: GcpPlanResource[], ctx: GcpContext): RegisteredGcp {
  const registered: RegisteredGcp = { datasets: new Map() };
  for (const r of resources) {
    if (r.kind === 'gcp:bigquery:Dataset') {
      const p = r.properties;
      registered.datasets.set(
        p.datasetId,
        new gcp.bigquery.Dataset(
          r.name,
          { project: p.project, datasetId: p.datasetId, location: p.location, labels: p.labels, deleteContentsOnDestroy: false },
          // A location change replaces the dataset under the same id, which cannot exist twice: delete
          // first. deleteContentsOnDestroy stays false, so BigQuery refuses to delete one holding tables,
          // and a protected stack refuses before that (README: "Changing a dataset's location").
          { parent: ctx.parent, protect: ctx.protect, deleteBeforeReplace: true },
        ),
      );
    } else if (r.kind === 'gcp:serviceaccount:Account') {
      const p = r.properties;
      registered.account = new gcp.serviceaccount.Account(
        r.name,
        { project: p.project, accountId: p.accountId, displayName: p.displayName },
        { parent: ctx.parent, protect: ctx.protect },
      );
    }
  }
  for (const r of resources) {
    if (r.kind === 'gcp:bigquery:DatasetIamMember') {
      const p = r.properties;
      new gcp.bigquery.DatasetIamMember(
        r.name,
        { project: ctx.project, datasetId: p.datasetId, role: p.role, member: p.member },
        { parent: ctx.parent, protect: ctx.protect, dependsOn: ctx.dependenciesOf(r) },
      );
    } else if (r.kind === 'gcp:serviceaccount:IAMMember') {
      const p = r.properties;
      new gcp.serviceaccount.IAMMember(
        r.name,
        { serviceAccountId: p.serviceAccountId, role: p.role, member: p.member },
        { parent: ctx.parent, protect: ctx.protect, dependsOn: ctx.dependenciesOf(r) },
      );
    }
  }
  return registered;
}
