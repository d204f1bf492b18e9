/**
 * DataProducts by GitOps (`meshform:crossplane: gitops`) with Pulumi's real engine (the `pulumi`
 * peer): a stack's first `pulumi up` creates its Kafka resources and no DataProduct (the recording
 * kubernetes double, which answers as the real provider does, gets no call), and a stack moved from
 * `true` to `gitops` the way docs/pulumi.md says (`pulumi state delete` of each DataProduct, then
 * the setting) leaves every DataProduct in the cluster: no delete reaches the kubernetes provider.
 * Kafka is the in-process test broker (SASL/PLAIN, authorizer), read back with kafkajs's admin API;
 * the expected DataProducts come from the example specs' `meshform plan --json` of the installed CLI.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { stringify } from 'yaml';
import { startTestBroker, type TestBroker } from '@meshform/kafka-test-broker';
import { describeWithPeer } from '@meshform/peers/testing/peers';
import type { Plan } from '../../src/plan/types';
import { packedMeshform, ROOT, workingFolder, INSTALL_TIMEOUT_MS } from '../support/packed';
import { engine, previewSteps, startDouble, type Engine, type RecordingDouble } from './support/engine';

const ADMIN = { username: 'admin', password: 'gitops-admin-secret-pw' };
const DATA_PRODUCT = 'kubernetes:meshifi.io/v1alpha1:DataProduct';

describeWithPeer('pulumi', 'DataProducts by GitOps under the real Pulumi engine', (pulumiPeer) => {
  let broker: TestBroker;
  let kubernetes: RecordingDouble;
  let run: Engine;
  let work: string;

  /** The stack file: the example stack staging's Crossplane settings, Kafka at the test broker, deletes allowed (so that the test can destroy). */
  const stackFile = (stack: string, crossplane: boolean | string) =>
    fs.writeFileSync(
      path.join(work, 'stacks', `Pulumi.${stack}.yaml`),
      stringify({
        config: {
          'meshform:gcpProject': 'acme-data-staging',
          'meshform:crossplane': crossplane,
          'meshform:crossplaneNamespace': 'data-products',
          'meshform:replicasCap': 1,
          'meshform:kafkaBootstrap': broker.bootstrap,
          'meshform:kafkaSaslMechanism': 'plain',
          'meshform:kafkaUsername': ADMIN.username,
          'meshform:allowDelete': true,
          'meshform:allowDeletePrivate': true,
          'meshform:allowBreaking': true,
        },
      }),
    );
  const init = (stack: string, crossplane: boolean | string) => {
    stackFile(stack, crossplane);
    run.pulumi(['stack', 'init', stack], work);
    run.pulumi(['config', 'set', '--secret', 'meshform:kafkaPassword', ADMIN.password, '-s', stack], work);
  };
  /** What the stack's plan says, from the installed CLI. */
  const plan = (stack: string): Plan => JSON.parse(spawnSync(path.join(work, 'node_modules', '.bin', 'meshform'), ['plan', '--stack', stack, '--json'], { cwd: work, encoding: 'utf8' }).stdout) as Plan;
  const exported = (stack: string) => (JSON.parse(run.pulumi(['stack', 'export', '-s', stack], work).stdout) as { deployment: { resources?: { type: string; urn: string }[] } }).deployment.resources ?? [];
  /** Topics on the broker, read with kafkajs's admin API. */
  async function topics(): Promise<string[]> {
    const admin = new Kafka({ brokers: [broker.bootstrap], clientId: 'oracle', sasl: { mechanism: 'plain', ...ADMIN }, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      return (await admin.listTopics()).filter((t) => !t.startsWith('__')).sort();
    } finally {
      await admin.disconnect();
    }
  }

  beforeAll(async () => {
    broker = await startTestBroker({ brokers: 1, saslUsers: { [ADMIN.username]: ADMIN.password }, superUsers: [`User:${ADMIN.username}`], authorizer: true });
    kubernetes = await startDouble('kubernetes', process.env);
    run = engine(pulumiPeer, { kubernetes: kubernetes.port });
    work = workingFolder(await packedMeshform(), 'meshform-gitops-');
    fs.cpSync(path.join(ROOT, 'specs'), path.join(work, 'specs'), { recursive: true });
    fs.writeFileSync(path.join(work, 'index.js'), "module.exports = require('meshform/pulumi').meshformProgram();\n");
    fs.writeFileSync(path.join(work, 'Pulumi.yaml'), stringify({ name: 'acme-mesh', runtime: { name: 'nodejs', options: { typescript: false } }, main: 'index.js', stackConfigDir: 'stacks' }));
    fs.mkdirSync(path.join(work, 'stacks'));
  }, INSTALL_TIMEOUT_MS);

  afterAll(async () => {
    await kubernetes?.stop();
    await broker?.stop();
  });

  it("a gitops stack's first up: every product's Kafka topics, no DataProduct, no call to the kubernetes provider; destroy deletes the topics", async () => {
    init('gitops', 'gitops');
    kubernetes.reset();
    await run.pulumiAsync(['up', '--yes', '--skip-preview', '-s', 'gitops'], work);
    const p = plan('gitops');
    const planned = p.resources.filter((r) => r.kind === 'kafka:Topic').map((r) => r.properties.topic as string).sort();
    expect(planned.length).toBeGreaterThan(0);
    expect(await topics()).toEqual(planned);
    expect(kubernetes.calls()).toEqual([]);
    const types = exported('gitops').map((r) => r.type);
    expect(types.filter((t) => t.startsWith('kubernetes:') || t === 'pulumi:providers:kubernetes')).toEqual([]);
    expect(types.filter((t) => t === 'meshform:mesh:DataProduct')).toHaveLength(p.products.length);
    await run.pulumiAsync(['destroy', '--yes', '--skip-preview', '-s', 'gitops'], work);
    expect(await topics()).toEqual([]);
  }, 600_000);

  it('a stack moved from true to gitops as docs/pulumi.md says keeps every DataProduct in the cluster: state delete, then the setting; no delete reaches the provider', async () => {
    init('staging', true);
    kubernetes.reset();
    await run.pulumiAsync(['up', '--yes', '--skip-preview', '-s', 'staging'], work);
    const p = plan('staging');
    const objects = p.resources.filter((r) => r.kind === 'crossplane:DataProduct').map((r) => r.name).sort();
    expect(kubernetes.calls().filter((c) => c.op === 'create').map((c) => c.urn.split('::').pop()).sort()).toEqual(objects);

    // docs/pulumi.md, "DataProducts by GitOps": each DataProduct out of the state, then the setting.
    const urns = exported('staging').filter((r) => r.type === DATA_PRODUCT).map((r) => r.urn);
    expect(urns).toHaveLength(objects.length);
    for (const urn of urns) run.pulumi(['state', 'delete', '-s', 'staging', '--yes', '--force', urn], work);
    run.pulumi(['config', 'set', '-s', 'staging', 'meshform:crossplane', 'gitops'], work);
    kubernetes.reset();
    const preview = await run.pulumiAsync(['preview', '--json', '-s', 'staging'], work);
    const steps = previewSteps(preview.stdout).filter((s) => !s.startsWith('same '));
    // Nothing of the products changes; only the kubernetes provider, which nothing uses now, goes.
    expect(steps.filter((s) => !s.includes('pulumi:providers:kubernetes'))).toEqual([]);
    await run.pulumiAsync(['up', '--yes', '--skip-preview', '-s', 'staging'], work);
    expect(kubernetes.calls().filter((c) => c.op === 'delete')).toEqual([]);
    expect(exported('staging').filter((r) => r.type.startsWith('kubernetes:'))).toEqual([]);
    await run.pulumiAsync(['up', '--yes', '--skip-preview', '--expect-no-changes', '-s', 'staging'], work);
    await run.pulumiAsync(['destroy', '--yes', '--skip-preview', '-s', 'staging'], work);
    expect(kubernetes.calls().filter((c) => c.op === 'delete')).toEqual([]);
    expect(await topics()).toEqual([]);
  }, 900_000);
});
