/**
 * A product's schema subjects as one Pulumi dynamic resource (`meshform:SchemaSubjects`), beside
 * its Kafka resource and independent of it, reconciled by the same engine as `meshform schemas
 * apply`. Inputs hold the subjects keyed by name, so `pulumi preview` names each subject that
 * changes. Credentials never enter inputs or state: the provider reads
 * MESHFORM_SCHEMA_REGISTRY_USERNAME/_PASSWORD from its environment, or the stack's secret config
 * through `configure`. The provider serialized into the state is a shell that loads
 * `meshform/pulumi/schemas-provider` (schemas-provider.ts) by package name where the engine runs it.
 */
import * as pulumi from '@pulumi/pulumi';
import type { Resource, SchemaSubjectProps } from '../../plan/types';
import type { StackConfig } from '../../stack/types';
import { ShellResource } from './provider-shell';

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


export function schemaInputs(product: string, resources: readonly Resource[], stack: StackConfig, url: string): SchemaSubjectsInputs {
  const subjects: Record<string, SchemaSubjectProps> = {};
  for (const r of resources) if (r.kind === 'schema:Subject') subjects[r.properties.subject] = r.properties;
  return { product, subjects, allowDelete: stack.kafka.allowDelete, registry: { url } };
}

/** The provider kept in the state is a shell (provider-shell.ts): the implementation is schemas-provider.ts, loaded by package name. */
export class SchemaSubjects extends ShellResource {
  declare readonly lastApply: pulumi.Output<string>;

  constructor(name: string, inputs: SchemaSubjectsInputs, opts?: pulumi.CustomResourceOptions) {
    super('SchemaSubjects', 'schemas-provider', name, { ...inputs, lastApply: undefined }, opts);
  }
}

export type RegisterSchemas = (product: string, resources: Resource[], opts: { parent: pulumi.Resource; stack: StackConfig }) => pulumi.Resource | void;

/**
 * The hook the `meshform:mesh:DataProduct` component calls, or undefined when the stack names no
 * registry (then subjects are planned, not registered).
 */
export function loadSchemaRegistration(stack: StackConfig): RegisterSchemas | undefined {
  const url = stack.schemas.registry.url;
  if (!url) return undefined;
  return (product, resources, opts) =>
    new SchemaSubjects(`${product}-schemas`, schemaInputs(product, resources, opts.stack, url), { parent: opts.parent });
}
