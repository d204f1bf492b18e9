/**
 * GCP mode: plan resources (gcp:*) -> resources of @pulumi/gcp's types, one to one, with the plan's
 * values as inputs. Nothing is derived here: names, roles and members all come from the plan.
 *
 * Registered as `GcpResource`s, not through @pulumi/gcp's classes (`new gcp.bigquery.Dataset`):
 * Pulumi's Node SDK makes an Output (a handful of promises, ~7 KB while the registration is in
 * flight) for every property a class declares, and the generated classes declare every output the
 * provider may return (a Dataset 25). For a 1,000-product mesh that was most of the program's
 * memory (bench/program.ts). A GcpResource sends the engine the same request as the class would:
 * the same type token, inputs (typed by @pulumi/gcp's own `*Args`), plugin version,
 * `additionalSecretOutputs` and options (test/pulumi/gcp-registration.test.ts compares the two
 * request by request); only the Outputs meshform reads exist on it. Not sent: the classes'
 * aliases to the camel-case type tokens of @pulumi/gcp before v5 (`gcp:serviceAccount/...`),
 * which no meshform stack ever held.
 */
import type * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';
import type { Dataset, DatasetIamMember, Resource, ServiceAccount, ServiceAccountIamMember } from '../../plan/types';

export type GcpPlanResource = Dataset | ServiceAccount | DatasetIamMember | ServiceAccountIamMember;

export function isGcpResource(r: Resource): r is GcpPlanResource {
  return r.kind.startsWith('gcp:');
}

/** Pulumi type tokens of the plan's GCP kinds (as @pulumi/gcp's classes name them). */
export const GCP_TOKENS = {
  'gcp:bigquery:Dataset': 'gcp:bigquery/dataset:Dataset',
  'gcp:serviceaccount:Account': 'gcp:serviceaccount/account:Account',
  'gcp:bigquery:DatasetIamMember': 'gcp:bigquery/datasetIamMember:DatasetIamMember',
  'gcp:serviceaccount:IAMMember': 'gcp:serviceaccount/iAMMember:IAMMember',
} as const satisfies Record<GcpPlanResource['kind'], string>;

/** The GCP plugin version the engine loads: @pulumi/gcp's own, as its classes send it. */
export const GCP_PLUGIN_VERSION = (require('@pulumi/gcp/package.json') as { version: string }).version.replace(/^v/, '');

/** Outputs the provider computes that @pulumi/gcp's Dataset class marks secret. */
const DATASET_SECRET_OUTPUTS = ['effectiveLabels', 'pulumiLabels'];

/**
 * One resource of a @pulumi/gcp type. `inputs` become the request's inputs (and Outputs of the
 * same names); `computed` names provider outputs meshform reads (they start unknown).
 */
export class GcpResource extends pulumi.CustomResource {
  constructor(token: string, name: string, inputs: object, computed: readonly string[], opts: pulumi.CustomResourceOptions) {
    const props: Record<string, unknown> = { ...inputs };
    for (const key of computed) props[key] = undefined;
    super(token, name, props, { version: GCP_PLUGIN_VERSION, ...opts });
  }

  /** The Output of an input or computed property given to the constructor. */
  output(key: string): pulumi.Output<string> {
    const value = (this as unknown as Record<string, pulumi.Output<string> | undefined>)[key];
    if (!pulumi.Output.isInstance(value)) throw new Error(`meshform: ${key} is not a property of this ${this.constructor.name}`);
    return value;
  }
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
}

/** Resources an IAM member must wait for: the dataset or account it targets, the account it names. */
export type DependenciesOf = (member: GcpPlanResource) => pulumi.Input<pulumi.Input<pulumi.Resource>[]>;

export interface RegisteredGcp {
  /** Dataset id -> the dataset (its `datasetId` output: `output('datasetId')`). */
  datasets: Map<string, GcpResource>;
  /** The product's service account (its `email` output: `output('email')`). */
  account?: GcpResource;
}

/**
 * Options of a resource that exists already (the plan's `import`, from `gcp.adopt`): the `import`
 * option with its id, so the first `pulumi up` imports it instead of creating it (later runs find it
 * in the state and the option changes nothing), and `retainOnDelete`: meshform did not create it,
 * so removing the product from the mesh or destroying the stack leaves it in GCP.
 */
function adoption(r: Dataset | ServiceAccount): pulumi.CustomResourceOptions {
  return r.import === undefined ? {} : { import: r.import, retainOnDelete: true };
}

/** Registers a product's datasets and service account. */
export function registerGcpResources(resources: readonly GcpPlanResource[], ctx: GcpContext): RegisteredGcp {
  const registered: RegisteredGcp = { datasets: new Map() };
  for (const r of resources) {
    if (r.kind === 'gcp:bigquery:Dataset') {
      const p = r.properties;
      const args: gcp.bigquery.DatasetArgs = { project: p.project, datasetId: p.datasetId, location: p.location, labels: p.labels, deleteContentsOnDestroy: false };
      registered.datasets.set(
        p.datasetId,
        new GcpResource(GCP_TOKENS[r.kind], r.name, args, [], {
          // A location change replaces the dataset under the same id, which cannot exist twice: delete
          // first. deleteContentsOnDestroy stays false, so BigQuery refuses to delete one holding tables,
          // and a protected stack refuses before that (docs/pulumi.md, "Pulumi conventions").
          parent: ctx.parent,
          protect: ctx.protect,
          deleteBeforeReplace: true,
          additionalSecretOutputs: DATASET_SECRET_OUTPUTS,
          ...adoption(r),
        }),
      );
    } else if (r.kind === 'gcp:serviceaccount:Account') {
      const p = r.properties;
      const args: gcp.serviceaccount.AccountArgs = { project: p.project, accountId: p.accountId, displayName: p.displayName };
      registered.account = new GcpResource(GCP_TOKENS[r.kind], r.name, args, ['email'], { parent: ctx.parent, protect: ctx.protect, ...adoption(r) });
    }
  }
  return registered;
}

/**
 * Registers a product's IAM members. They may name another product's dataset or account, so the
 * program registers them once every product's datasets and accounts are registered.
 */
export function registerGcpAccess(resources: readonly GcpPlanResource[], ctx: GcpContext, dependenciesOf: DependenciesOf): GcpResource[] {
  const members: GcpResource[] = [];
  for (const r of resources) {
    const opts = { parent: ctx.parent, protect: ctx.protect, dependsOn: dependenciesOf(r) };
    if (r.kind === 'gcp:bigquery:DatasetIamMember') {
      const p = r.properties;
      const args: gcp.bigquery.DatasetIamMemberArgs = { project: ctx.project, datasetId: p.datasetId, role: p.role, member: p.member };
      members.push(new GcpResource(GCP_TOKENS[r.kind], r.name, args, [], opts));
    } else if (r.kind === 'gcp:serviceaccount:IAMMember') {
      const p = r.properties;
      const args: gcp.serviceaccount.IAMMemberArgs = { serviceAccountId: p.serviceAccountId, role: p.role, member: p.member };
      members.push(new GcpResource(GCP_TOKENS[r.kind], r.name, args, [], opts));
    }
  }
  return members;
}
