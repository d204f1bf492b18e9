/**
 * Schemas under Pulumi: one `meshform:SchemaSubjects` dynamic resource per product when the stack
 * names a registry (checked under Pulumi's mocks, from the plan), and its provider against the
 * real registry (what it registered read back with plain HTTP).
 */
import type { SchemaSubjectsInputs, SchemaSubjectsOutputs } from '../../src/adapters/pulumi/schemas';
import { loadShell } from '../pulumi/support/shell';
import type { SchemaSubjectProps } from '../../src/plan/types';
import { ROOT, pulumiConfigOf, settle, useMocks } from '../pulumi/support/harness';
import { restoreEnvAfterAll } from '../support/env';
import { describeWithPeer } from '@meshform/peers/testing/peers';
import { startRealRegistry, type RealRegistry } from '@meshform/peers/testing/real-registry';

const TYPE = 'pulumi-nodejs:dynamic/meshform:SchemaSubjects';
restoreEnvAfterAll(['MESHFORM_SCHEMA_REGISTRY_USERNAME', 'MESHFORM_SCHEMA_REGISTRY_PASSWORD']);

describe('the Pulumi program with a schema registry', () => {
  it("registers one SchemaSubjects resource per product with subjects, keyed by subject, without credentials", async () => {
    const registrations = await useMocks('dev');
    const program = await import('../../src/adapters/pulumi/program');
    const config = { ...pulumiConfigOf('dev'), 'meshform:schemaRegistryUrl': 'http://registry.dev:8081', 'meshform:schemaRegistryUsername': 'svc', 'meshform:schemaRegistryPassword': 'registry-secret-pw' };
    await program.meshformProgram({ stackName: 'dev', config, root: ROOT, registerKafka: null });
    await settle(registrations);
    const planned = await program.planForPulumi({ stackName: 'dev', config, root: ROOT });
    if (!planned.ok) throw new Error('plan failed');
    const expected = new Map<string, Record<string, SchemaSubjectProps>>();
    for (const r of planned.plan.resources) {
      if (r.kind !== 'schema:Subject') continue;
      expected.set(r.product, { ...(expected.get(r.product) ?? {}), [r.properties.subject]: r.properties });
    }
    const resources = registrations.filter((r) => r.type === TYPE);
    expect(resources.map((r) => r.name).sort()).toEqual([...expected.keys()].map((p) => `${p}-schemas`).sort());
    for (const r of resources) {
      const inputs = r.inputs as unknown as SchemaSubjectsInputs;
      expect(inputs.subjects).toEqual(expected.get(inputs.product));
      expect(inputs.registry).toEqual({ url: 'http://registry.dev:8081' });
      expect(inputs.allowDelete).toBe(true);
      const serialized = JSON.stringify(r.inputs);
      expect(serialized).not.toContain('registry-secret-pw');
      expect(serialized).not.toContain('"svc"');
    }
  });
});

describeWithPeer('registry', 'the SchemaSubjects provider against a real registry', (peer) => {
  let registry: RealRegistry;
  beforeAll(async () => {
    registry = await startRealRegistry(peer.home);
  }, 120_000);
  afterAll(() => registry?.stop());

  const subject = 'acme.p1.orders._public.placed-value';
  const avro = (fields: unknown[]): SchemaSubjectProps => ({
    subject,
    schemaType: 'AVRO',
    schema: JSON.stringify({ type: 'record', name: 'Placed', fields }),
    references: [],
    compatibility: 'BACKWARD',
  });
  const inputs = (props: SchemaSubjectProps, allowDelete = false): SchemaSubjectsInputs => ({ product: 'acme.p1.orders', subjects: { [subject]: props }, allowDelete, registry: { url: registry.url } });
  const versions = async () => (await fetch(`${registry.url}/subjects/${subject}/versions`)).json();

  it('creates, refuses an incompatible update with the reason, and destroys only with allowDelete', async () => {
    // The provider as the state's shell loads it: by package name, from the compiled package.
    const schemaProvider = loadShell<SchemaSubjectsInputs, SchemaSubjectsOutputs>('schemas-provider');
    await schemaProvider.configure!({ config: { get: () => undefined, require: () => '' } } as never);
    const v1 = inputs(avro([{ name: 'id', type: 'string' }]));
    const created = await schemaProvider.create!(v1);
    expect(created.outs?.lastApply).toBe('schemas: 1 created, 0 updated, 0 deleted, 0 unchanged');
    expect(await versions()).toEqual([1]);
    expect(await schemaProvider.diff!(subject, created.outs!, v1)).toMatchObject({ changes: false });

    const incompatible = inputs(avro([{ name: 'id', type: 'int' }]));
    // Preview: check asks the registry as up would, and names the refusal.
    const checked = await schemaProvider.check(v1, incompatible);
    expect(checked.failures?.map((f) => f.reason)).toEqual([expect.stringMatching(/^! REFUSED subject acme\.p1\.orders\._public\.placed-value.*: the registry refuses it under BACKWARD/)]);
    expect((await schemaProvider.check(v1, v1)).failures ?? []).toEqual([]);
    await expect(schemaProvider.update!(subject, created.outs!, incompatible)).rejects.toThrow(/REFUSED subject acme\.p1\.orders\._public\.placed-value: the registry refuses it under BACKWARD/);
    expect(await versions()).toEqual([1]);

    await expect(schemaProvider.delete!(subject, created.outs!)).rejects.toThrow(/REFUSED .*--allow-delete/);
    await schemaProvider.delete!(subject, { ...created.outs!, allowDelete: true });
    expect((await (await fetch(`${registry.url}/subjects`)).json()) as string[]).not.toContain(subject);
  });
});

