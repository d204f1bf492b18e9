/**
 * The schema subjects dynamic provider's implementation: `meshform/pulumi/schemas-provider`,
 * loaded by package name in the process Pulumi starts for dynamic providers (see provider-shell.ts).
 */
import type * as pulumi from '@pulumi/pulumi';
import type { Resource } from '../../plan/types';
import * as engine from '../schema-registry';
import { OwnershipScope } from '../kafka/engine/scope';
import type { SchemaSubjectsInputs, SchemaSubjectsOutputs } from './schemas';
import { secretOf } from '../../vocabulary/secret';

type Provider = Required<Pick<pulumi.dynamic.ResourceProvider<SchemaSubjectsInputs, SchemaSubjectsOutputs>, 'configure' | 'check' | 'diff' | 'create' | 'read' | 'update' | 'delete'>>;

export const provider: Provider = {
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

  /**
   * A new product, or changed subjects: what `up` would refuse (an incompatible schema), asked of
   * the registry as `up` would ask it, fails here, so `pulumi preview` names it and nothing changes.
   */
  async check(olds, news) {
    const changed = !olds?.product || JSON.stringify(olds.subjects) !== JSON.stringify(news.subjects) || olds.allowDelete !== news.allowDelete;
    if (!changed) return { inputs: news };
    const report = await reconcileReport(news, false, 'plan');
    const refused = engine.formatSchemaReport(report).filter((l) => l.startsWith('! REFUSED') && !l.includes('held back'));
    return { inputs: news, failures: refused.map((reason) => ({ property: 'subjects', reason })) };
  },

  /** Refresh reads nothing: the registry keeps every version, and apply asks it before each change. */
  async read(id, props) {
    return { id, props };
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
  const report = await reconcileReport(inputs, destroy, 'apply');
  const lines = engine.formatSchemaReport(report);
  if (report.summary.failed > 0 || report.summary.refused > 0) {
    throw new Error(`meshform schemas (${inputs.product}${destroy ? ', destroy' : ''}):\n${lines.join('\n')}`);
  }
  return lines[lines.length - 1];
}

async function reconcileReport(inputs: SchemaSubjectsInputs, destroy: boolean, mode: 'plan' | 'apply'): Promise<engine.SchemaReport> {
  const resources: Resource[] = destroy
    ? []
    : Object.values(inputs.subjects).map((properties) => ({ kind: 'schema:Subject', name: properties.subject, product: inputs.product, properties }));
  const registry = engine.resolveRegistry({
    url: inputs.registry.url,
    username: process.env.MESHFORM_SCHEMA_REGISTRY_USERNAME || undefined,
    password: secretOf(process.env.MESHFORM_SCHEMA_REGISTRY_PASSWORD || undefined),
  });
  if (!registry) throw new Error(`meshform schemas (${inputs.product}): no schema registry URL`);
  return engine.reconcileSchemas(new engine.RegistryClient(registry), {
    resources,
    scope: new OwnershipScope([inputs.product]),
    mode,
    allowDelete: inputs.allowDelete,
  });
}

