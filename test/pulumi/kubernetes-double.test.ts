/**
 * The recording kubernetes double answers as the real provider (pulumi-kubernetes v4, server-side
 * apply) does: its outputs are the live object as the API server returns the apply (the inputs
 * with uid, resourceVersion, generation, creationTimestamp and one Apply managedFields entry of the
 * provider's field manager) plus `__inputs`, `__initialApiVersion` and `__fieldManager`; it diffs
 * the inputs it checkpointed, not the live object. Expected values are written by hand from
 * pulumi-kubernetes's provider.go (checkpointObject) and Kubernetes's FieldsV1 format.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { recordingProvider } from '@meshform/peers/src/pulumi/recording-provider';

const URN = 'urn:pulumi:dev::mesh::meshform:mesh:DataProduct$kubernetes:meshifi.io/v1alpha1:DataProduct::orders/dataproduct';
interface Checkpoint {
  spec: unknown;
  __inputs: unknown;
  __initialApiVersion: string;
  __fieldManager: string;
  metadata: { uid: string; generation: number; resourceVersion: string; creationTimestamp: string; managedFields: Record<string, unknown>[] };
}

const inputs = {
  apiVersion: 'meshifi.io/v1alpha1',
  kind: 'DataProduct',
  metadata: { name: 'acme-orders', namespace: 'default', labels: { 'app.kubernetes.io/managed-by': 'meshform' } },
  spec: { project: 'acme-dev', datasets: [{ layer: 'raw', datasetId: 'acme_orders_raw', viewers: [] }], owners: ['user:a@acme.example'] },
};

describe('the recording kubernetes double', () => {
  const record = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'meshform-k8s-double-')), 'record.jsonl');
  const provider = recordingProvider('kubernetes', record, '4.0.0');

  it("keeps what the real provider keeps: the live object, the inputs again, the field manager; diffs against the inputs", async () => {
    const created = await provider.create(URN, inputs);
    expect(created.id).toBe('default/acme-orders');
    const outs = created.outs as unknown as Checkpoint;
    expect(outs.spec).toEqual(inputs.spec);
    expect(outs.__inputs).toEqual(inputs);
    expect(outs.__initialApiVersion).toBe('meshifi.io/v1alpha1');
    expect(outs.__fieldManager).toMatch(/^pulumi-kubernetes-[0-9a-f]{8}$/);
    const meta = outs.metadata;
    expect(meta.uid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(meta.generation).toBe(1);
    expect(meta.resourceVersion).toMatch(/^\d+$/);
    expect(meta.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(meta.managedFields).toHaveLength(1);
    expect(meta.managedFields[0]).toMatchObject({ apiVersion: 'meshifi.io/v1alpha1', fieldsType: 'FieldsV1', manager: outs.__fieldManager, operation: 'Apply' });
    // Every field the apply set, a list of objects keyed by its key field, other lists whole: written by hand.
    expect(meta.managedFields[0].fieldsV1).toEqual({
      'f:metadata': { 'f:labels': { 'f:app.kubernetes.io/managed-by': {} } },
      'f:spec': {
        'f:project': {},
        'f:datasets': { 'k:{"layer":"raw"}': { '.': {}, 'f:layer': {}, 'f:datasetId': {}, 'f:viewers': {} } },
        'f:owners': {},
      },
    });

    // The same inputs against those outputs: no change, although the live object differs from them.
    expect(await provider.diff('default/acme-orders', URN, outs as unknown as Record<string, unknown>, inputs)).toMatchObject({ changes: false, replaces: [] });
    const changed = { ...inputs, spec: { ...inputs.spec, project: 'acme-prod' } };
    expect(await provider.diff('default/acme-orders', URN, outs as unknown as Record<string, unknown>, changed)).toMatchObject({ changes: true, replaces: [] });

    // An update is the next generation of the same object, by the same field manager.
    const updated = (await provider.update('default/acme-orders', URN, outs as unknown as Record<string, unknown>, changed)).outs as unknown as Checkpoint;
    expect(updated.metadata.uid).toBe(meta.uid);
    expect(updated.metadata.creationTimestamp).toBe(meta.creationTimestamp);
    expect(updated.metadata.generation).toBe(2);
    expect(updated.__fieldManager).toBe(outs.__fieldManager);
    expect(updated.__inputs).toEqual(changed);
  });
});
