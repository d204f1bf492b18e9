/**
 * One data product as users see it in `pulumi up`: a `meshform:mesh:DataProduct` component whose
 * children are the product's plan resources (GCP mode: datasets, account, IAM members; Crossplane
 * mode: one DataProduct object; Kafka resources through the Kafka adapter's hook).
 */
import * as pulumi from '@pulumi/pulumi';
import type { DataProductSpec } from '../../plan/crossplane';
import type { CrossplaneDataProduct, Resource } from '../../plan/types';
import type { StackConfig } from '../../stack/types';
import { registerDataProductObject } from './crossplane';
import { isGcpResource, registerGcp, type GcpContext, type RegisteredGcp } from './gcp';
import type { RegisterKafka } from './kafka-seam';
import type { RegisterSchemas } from './schemas';

export const DATA_PRODUCT_TYPE = 'meshform:mesh:DataProduct';

export interface DataProductArgs {
  /** The product's plan resources (every kind), in plan order. */
  resources: Resource[];
  stack: StackConfig;
  dependenciesOf: GcpContext['dependenciesOf'];
  registerKafka?: RegisterKafka;
  registerSchemas?: RegisterSchemas;
  /** Topic -> products that receive from it, mesh-wide (for the Kafka resource's delete guard). */
  consumers?: ReadonlyMap<string, readonly string[]>;
}

export class DataProduct extends pulumi.ComponentResource {
  /** Layer -> BigQuery dataset id. */
  readonly datasetIds: pulumi.Output<Record<string, string>>;
  readonly serviceAccountEmail: pulumi.Output<string | undefined>;
  /** GCP mode only: the registered datasets and account, for cross-product dependencies. */
  readonly gcp?: RegisteredGcp;

  constructor(productId: string, args: DataProductArgs, opts?: pulumi.ComponentResourceOptions) {
    super(DATA_PRODUCT_TYPE, productId, {}, opts);
    const { resources, stack } = args;

    const gcpResources = resources.filter(isGcpResource);
    const object = resources.find((r): r is CrossplaneDataProduct => r.kind === 'crossplane:DataProduct');
    if (object) {
      registerDataProductObject(object, { parent: this, protect: stack.protect });
      const spec = object.properties.spec as unknown as DataProductSpec;
      this.datasetIds = pulumi.output(Object.fromEntries(spec.datasets.map((d) => [d.layer, d.datasetId])));
      this.serviceAccountEmail = pulumi.output(spec.serviceAccount.email);
    } else {
      this.gcp = registerGcp(gcpResources, {
        parent: this,
        project: stack.gcp.project,
        protect: stack.protect,
        dependenciesOf: args.dependenciesOf,
      });
      const layers = gcpResources.flatMap((r) => (r.kind === 'gcp:bigquery:Dataset' ? [[r.properties.labels.layer, r.properties.datasetId]] : []));
      this.datasetIds = pulumi.all(
        Object.fromEntries(layers.map(([layer, id]) => [layer, this.gcp!.datasets.get(id)!.output('datasetId')])),
      );
      this.serviceAccountEmail = this.gcp.account ? this.gcp.account.output('email') : pulumi.output(undefined);
    }

    const kafka = resources.filter((r) => r.kind.startsWith('kafka:'));
    if (kafka.length && args.registerKafka) args.registerKafka(productId, kafka, { parent: this, stack, consumers: args.consumers });
    const subjects = resources.filter((r) => r.kind === 'schema:Subject');
    if (subjects.length && args.registerSchemas) args.registerSchemas(productId, subjects, { parent: this, stack });

    this.registerOutputs({ datasetIds: this.datasetIds, serviceAccountEmail: this.serviceAccountEmail });
  }
}
