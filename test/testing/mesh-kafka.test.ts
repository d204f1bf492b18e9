import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { probeContainerRuntime, startMeshKafka, type MeshKafka } from '../../src/testing';
import { ACCESS_SPEC_TOPICS } from '../kafka/fixtures';
import { withEnv } from '../support/env';
import { realKafkaMissing, realKafkaStarter, REAL_KAFKA_START_MS } from '@meshform/peers/testing/real-kafka';

const SPECS = join(__dirname, '..', 'kafka', 'specs', 'access');

/** Topics and the number of ACL bindings, as kafkajs (not meshform's engine) sees them. */
async function seenByKafkajs(kafka: MeshKafka): Promise<{ topics: string[]; acls: number }> {
  const admin = new Kafka({ brokers: [kafka.bootstrap], clientId: 'kit-test', logLevel: logLevel.NOTHING, sasl: { mechanism: 'plain', ...kafka.admin } }).admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((t) => !t.startsWith('__')).sort();
    const acls = await admin.describeAcls({ resourceType: 1, resourcePatternType: 1, operation: 1, permissionType: 1 });
    return { topics, acls: acls.resources.reduce((n, r) => n + r.acls.length, 0) };
  } finally {
    await admin.disconnect();
  }
}

describe('startMeshKafka', () => {
  it('without a container runtime takes real Kafka where the peer is installed, else the in-process broker, says which, and provisions the specs', async () => {
    const said: string[] = [];
    const runtime = await probeContainerRuntime();
    if (runtime.ok) {
      console.warn(`startMeshKafka fallback test skipped: ${runtime.reason} is present`);
      return;
    }
    // Decided from the peers' cache, not from the kit under test.
    const expected = realKafkaMissing() ? 'in-process' : 'real';
    const kafka = await startMeshKafka({ specs: SPECS, realKafka: realKafkaStarter, log: (line) => said.push(line) });
    try {
      expect(kafka.backend).toBe(expected);
      expect(said).toEqual([
        expected === 'real'
          ? expect.stringMatching(/^meshform\/testing: real Apache Kafka from \S+ at 127\.0\.0\.1:\d+ \(no container runtime: .+\)$/)
          : expect.stringMatching(/^meshform\/testing: in-process test broker at 127\.0\.0\.1:\d+ \(no container runtime: .+; no real Kafka: .+\)$/),
      ]);
      expect(Object.keys(kafka.credentials).sort()).toEqual(['User:acme.billing', 'User:acme.user', 'User:acme.userprops']);
      expect(kafka.credentials['User:acme.user'].username).toBe('acme.user');
      expect(new Set(Object.values(kafka.credentials).map((c) => c.password)).size).toBe(3);
      expect(kafka.provisioned.summary).toMatchObject({ update: 0, delete: 0, refused: 0, failed: 0 });

      const seen = await seenByKafkajs(kafka);
      expect(seen.topics).toEqual(ACCESS_SPEC_TOPICS);
      expect(seen.acls).toBe(kafka.provisioned.summary.create - ACCESS_SPEC_TOPICS.length);
    } finally {
      await kafka.stop();
    }
  }, REAL_KAFKA_START_MS);

  it('without the Kafka peer falls back to in-process and says why; asked for real Kafka, names the install command', async () => {
    const runtime = await probeContainerRuntime();
    if (runtime.ok) return;
    const emptyCache = mkdtempSync(join(tmpdir(), 'meshform-no-peers-'));
    try {
      await withEnv({ MESHFORM_PEERS_CACHE: emptyCache }, async () => {
        const said: string[] = [];
        const kafka = await startMeshKafka({ specs: SPECS, realKafka: realKafkaStarter, log: (line) => said.push(line) });
        await kafka.stop();
        expect(kafka.backend).toBe('in-process');
        expect(said[0]).toMatch(/no real Kafka: kafka \S+ is not installed \(npm run -s peers -- install kafka\)\)$/);
        await expect(startMeshKafka({ specs: SPECS, backend: 'real', realKafka: realKafkaStarter, log: () => undefined })).rejects.toThrow(/no real Kafka: .*npm run -s peers -- install kafka/);
      });
    } finally {
      rmSync(emptyCache, { recursive: true, force: true });
    }
  });

  it('rejects specs with errors before starting anything', async () => {
    await expect(startMeshKafka({ specs: join(__dirname, 'does-not-exist'), backend: 'in-process', log: () => undefined })).rejects.toThrow(/specs have errors/);
  });

  it('refuses the container backend when no runtime answers', async () => {
    const runtime = await probeContainerRuntime();
    if (runtime.ok) return;
    await expect(startMeshKafka({ specs: SPECS, backend: 'testcontainers', log: () => undefined })).rejects.toThrow(/no container runtime/);
  });
});
