/**
 * A product's schema subjects as one Pulumi dynamic resource (`meshform:SchemaSubjects`), beside
 * its Kafka resource and independent of it, reconciled by the same engine as `meshform schemas
 * apply`. Inputs hold the subjects keyed by name, so `pulumi preview` names each subject that
 * changes. Credentials never enter inputs or state: the provider reads
 * MESHFORM_SCHEMA_REGISTRY_USERNAME/_PASSWORD from its environment, or the stack's secret config
 * through `configure`. The provider object is serialized into the state; its methods only use what
 * they require at run time.
 */
import * as pulumi from '@pulumi/pulumi';
import type { Resource, SchemaSubjectProps } from '../../plan/types';
import type { StackConfig } from '../../stack/types';

const ENGINE = require.resolve('../schema-registry');
const SCOPE = require.resolve('../kafka/scope');

export interface SchemaSubjectsInputs {
  product: string;
  /** Desired subjects by subject name. */
  subjects: Record<string, SchemaSubjectProps>;
  allowDelete: boolean;
  /** Where the registry is; no credentials. */
  registry: { url: string };
}

export interface SchemaSubjectsOutputs extends SchemaSubjectsInputs {
  /** `schemas: 2 created, ...` from the last apply. */
  lastApply: string;
}

export const schemaProvider: pulumi.dynamic.ResourceProvider<SchemaSubjectsInputs, SchemaSubjectsOutputs> = {
  async configure(req) {
    const pairs: [string, string][] = [
      ['meshform:schemaRegistryUsername', 'MESHFORM_SCHEMA_REGISTRY_USERNAME'],
      ['meshform:schemaRegistryPassword', 'MESHFORM_SCHEMA_REGISTRY_PASSWORD'],
    ];
    for (const [key, env] of pairs) {
      const value = req.config.get(key);
      if (value !== undefined && !process.env[env]) process.env[env] = value;
    }
  },

  async diff(_id, olds, news) {
    const changed = JSON.stringify(olds.subjects) !== JSON.stringify(news.subjects) || olds.allowDelete !== news.allowDelete || olds.registry?.url !== news.registry?.url;
    return { changes: changed, replaces: [], stables: ['product'], deleteBeforeReplace: false };
  },

  async create(inputs) {
    return { id: inputs.product, outs: { ...inputs, lastApply: await reconcileSubjects(inputs, false) } };
  },

  async update(_id, _olds, news) {
    return { outs: { ...news, lastApply: await reconcileSubjects(news, false) } };
  },

  /** Destroy = apply no subjects, under the same delete permission as any apply. */
  async delete(_id, props) {
    await reconcileSubjects(props, true);
  },
};

/** Runs the engine for one product's subjects; a FAILED or REFUSED subject fails the Pulumi operation. */
async function reconcileSubjects(inputs: SchemaSubjectsInputs, destroy: boolean): Promise<string> {
  const engine = require(ENGINE) as typeof import('../schema-registry');
  const { OwnershipScope } = require(SCOPE) as typeof import('../kafka/scope');
  const resources: Resource[] = destroy
    ? []
    : Object.values(inputs.subjects).map((properties) => ({ kind: 'schema:Subject', name: properties.subject, product: inputs.product, properties }));
  const registry = engine.resolveRegistry({
    url: inputs.registry.url,
    username: process.env.MESHFORM_SCHEMA_REGISTRY_USERNAME || undefined,
    password: process.env.MESHFORM_SCHEMA_REGISTRY_PASSWORD || undefined,
  });
  if (!registry) throw new Error(`meshform schemas (${inputs.product}): no schema registry URL`);
  const report = await engine.reconcileSchemas(new engine.RegistryClient(registry), {
    resources,
    scope: new OwnershipScope([inputs.product]),
    mode: 'apply',
    allowDelete: inputs.allowDelete,
  });
  const lines = engine.formatSchemaReport(report);
  if (report.summary.failed > 0 || report.summary.refused > 0) {
    throw new Error(`meshform schemas (${inputs.product}${destroy ? ', destroy' : ''}):\n${lines.join('\n')}`);
  }
  return lines[lines.length - 1];
}

export function schemaInputs(product: string, resources: readonly Resource[], stack: StackConfig, url: string): SchemaSubjectsInputs {
  const subjects: Record<string, SchemaSubjectProps> = {};
  for (const r of resources) if (r.kind === 'schema:Subject') subjects[r.properties.subject] = r.properties;
  return { product, subjects, allowDelete: stack.kafka.allowDelete, registry: { url } };
}

export class SchemaSubjects extends pulumi.dynamic.Resource {
  declare readonly lastApply: pulumi.Output<string>;

  constructor(name: string, inputs: SchemaSubjectsInputs, opts?: pulumi.CustomResourceOptions) {
    super(schemaProvider, name, { ...inputs, lastApply: undefined }, opts, 'meshform', 'SchemaSubjects');
  }
}

export type RegisterSchemas = (product: string, resources: Resource[], opts: { parent: pulumi.Resource; stack: StackConfig }) => void;

/**
 * The hook the `meshform:mesh:DataProduct` component calls, or undefined when the stack names no
 * registry (then subjects are planned, not registered).
 */
export function loadSchemaRegistration(stack: StackConfig): RegisterSchemas | undefined {
  const url = stack.schemas.registry.url;
  if (!url) return undefined;
  return (product, resources, opts) => {
    new SchemaSubjects(`${product}-schemas`, schemaInputs(product, resources, opts.stack, url), { parent: opts.parent });
  };
}
