/**
 * One data product as users see it in `pulumi up`: a `meshform:mesh:DataProduct` component whose
 * children are the product's plan resources (GCP mode: datasets, account, IAM members; Crossplane
 * mode: one DataProduct object, none when the stack's DataProducts go by GitOps; Kafka resources
 * through the Kafka adapter's hook).
 *
 * Two steps, because an IAM member may name another product's dataset or account: the
 * constructor registers the product's own resources, `registerAccess` its IAM members and the
 * component's outputs, once every product it may name is constructed (program.ts).
 */
import * as pulumi from '@pulumi/pulumi';
import type { CrossplaneDataProduct, PlannedAdoption, Resource } from '../../plan/types';
import type { StackConfig } from '../../stack/types';
import { registerDataProductObject } from './crossplane';
import { isGcpResource, registerGcpAccess, registerGcpResources, type DependenciesOf, type GcpPlanResource, type RegisteredGcp } from './gcp';
import type { RegisterKafka } from './kafka-seam';
import type { RegisterSchemas } from './schemas';

export const DATA_PRODUCT_TYPE = 'meshform:mesh:DataProduct';

export interface DataProductArgs {
  /** The product's plan resources (every kind), in plan order. */
  resources: Resource[];
  stack: StackConfig;
  registerKafka?: RegisterKafka;
  registerSchemas?: RegisterSchemas;
  /** Topic -> products that receive from it, mesh-wide (for the Kafka resource's delete guard). */
  consumers?: ReadonlyMap<string, readonly string[]>;
  /** What the product adopted from an existing estate (`PlannedProduct.adopted`). */
  adopted?: PlannedAdoption;
}

export class DataProduct extends pulumi.ComponentResource {
  /** Layer -> BigQuery dataset id. */
  readonly datasetIds: pulumi.Output<Record<string, string>>;
  readonly serviceAccountEmail: pulumi.Output<string | undefined>;
  /** GCP mode only: the registered datasets and account, for cross-product dependencies. */
  readonly gcp?: RegisteredGcp;
  /** Every resource registered so far for this product (the program tracks them until the engine answers). */
  readonly registered: pulumi.Resource[] = [];
  private readonly access: GcpPlanResource[];
  private readonly protect: boolean;
  private readonly project: string;

  constructor(productId: string, args: DataProductArgs, opts?: pulumi.ComponentResourceOptions) {
    super(DATA_PRODUCT_TYPE, productId, {}, opts);
    const { resources, stack } = args;
    this.protect = stack.protect;
    this.project = stack.gcp.project;

    const gcpResources = resources.filter(isGcpResource);
    this.access = gcpResources.filter((r) => r.kind === 'gcp:bigquery:DatasetIamMember' || r.kind === 'gcp:serviceaccount:IAMMember');
    const object = resources.find((r): r is CrossplaneDataProduct => r.kind === 'crossplane:DataProduct');
    if (object) {
      // By GitOps (`meshform:crossplane: gitops`) `meshform crossplane render` writes the object and Argo CD / Flux applies it: not in Pulumi's state.
      if (stack.crossplane.delivery === 'pulumi') this.registered.push(registerDataProductObject(object, { parent: this, protect: stack.protect }));
      const { spec } = object.properties;
      this.datasetIds = pulumi.output(Object.fromEntries(spec.datasets.map((d) => [d.layer, d.datasetId])));
      this.serviceAccountEmail = pulumi.output(spec.serviceAccount.email);
    } else {
      const gcp = registerGcpResources(gcpResources, { parent: this, project: stack.gcp.project, protect: stack.protect });
      this.gcp = gcp;
      this.registered.push(...gcp.datasets.values(), ...(gcp.account ? [gcp.account] : []));
      const layers = gcpResources.flatMap((r) => (r.kind === 'gcp:bigquery:Dataset' ? [[r.properties.labels.layer, r.properties.datasetId]] : []));
      this.datasetIds = pulumi.all(Object.fromEntries(layers.map(([layer, id]) => [layer, gcp.datasets.get(id)!.output('datasetId')])));
      this.serviceAccountEmail = gcp.account ? gcp.account.output('email') : pulumi.output(undefined);
    }

    const kafka = resources.filter((r) => r.kind.startsWith('kafka:'));
    if (kafka.length && args.registerKafka) this.keep(args.registerKafka(productId, kafka, { parent: this, stack, consumers: args.consumers, ...(args.adopted && { adopted: args.adopted }) }));
    const subjects = resources.filter((r) => r.kind === 'schema:Subject');
    if (subjects.length && args.registerSchemas) this.keep(args.registerSchemas(productId, subjects, { parent: this, stack }));
  }

  /**
   * Registers the product's IAM members, each depending on what `dependenciesOf` names (the
   * datasets and accounts it targets or names, also of other products), then the component's
   * outputs. Returns the members. Call once.
   */
  registerAccess(dependenciesOf: DependenciesOf): pulumi.Resource[] {
    const members = registerGcpAccess(this.access, { parent: this, project: this.project, protect: this.protect }, dependenciesOf);
    this.registered.push(...members);
    this.registerOutputs({ datasetIds: this.datasetIds, serviceAccountEmail: this.serviceAccountEmail });
    return members;
  }

  private keep(resource: unknown): void {
    if (pulumi.Resource.isInstance(resource)) this.registered.push(resource);
  }
}
