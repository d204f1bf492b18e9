import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { startMesh, startMeshKafka, type Credentials, type MeshKafka } from '../../src/testing';
import { ACCESS_SPEC_TOPICS } from '../kafka/fixtures';
import { withEnv } from '../support/env';
import { containersPeer } from '@meshform/peers/testing/containers';
import { describeWithPeer } from '@meshform/peers/testing/peers';
import { realKafkaMissing, realKafkaStarter, REAL_KAFKA_START_MS } from '@meshform/peers/testing/real-kafka';

const SPECS = join(__dirname, '..', 'kafka', 'specs', 'access');
/** A Docker socket that does not exist: the container backend then has no engine, on any machine. */
const NO_ENGINE = { DOCKER_HOST: 'unix:///nonexistent/meshform-test/docker.sock' };

function client(bootstrap: string, user: Credentials): Kafka {
  // No retries: a client must be served on its first try, as a product's test is.
  return new Kafka({ brokers: [bootstrap], clientId: 'kit-test', logLevel: logLevel.NOTHING, sasl: { mechanism: 'plain', ...user }, retry: { retries: 0 } });
}

/** Topics and the number of ACL bindings, as kafkajs (not meshform's engine) sees them. */
async function seenByKafkajs(kafka: MeshKafka): Promise<{ topics: string[]; acls: number }> {
  const admin = client(kafka.bootstrap, kafka.admin).admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((t) => !t.startsWith('__')).sort();
    const acls = await admin.describeAcls({ resourceType: 1, resourcePatternType: 1, operation: 1, permissionType: 1 });
    return { topics, acls: acls.resources.reduce((n, r) => n + r.acls.length, 0) };
  } finally {
    await admin.disconnect();
  }
}

/** What each product may read or write in specs/access, written out by hand from the specs (grants and visibility). */
const READABLE: Record<string, string[]> = {
  'User:acme.user': ['acme.user._public.signups', 'acme.user._protected.profiles', 'acme.user._private.sessions', 'acme.billing._public.invoices', 'acme.userprops._public.changes'],
  'User:acme.billing': ['acme.billing._public.invoices', 'acme.user._public.signups', 'acme.user._protected.profiles', 'acme.userprops._public.changes'],
  'User:acme.userprops': ['acme.userprops._public.changes', 'acme.userprops._protected.settings', 'acme.user._public.signups', 'acme.billing._public.invoices'],
};

/** ListOffsets of every readable topic as each product, once, no retry: each partition answers from its leader. */
async function offsetsAtOnce(kafka: MeshKafka): Promise<Record<string, Record<string, string>>> {
  const seen: Record<string, Record<string, string>> = {};
  for (const [principal, topics] of Object.entries(READABLE)) {
    const admin = client(kafka.bootstrap, kafka.credentials[principal]).admin();
    await admin.connect();
    try {
      seen[principal] = {};
      for (const topic of topics) {
        const offsets = await admin.fetchTopicOffsets(topic);
        seen[principal][topic] = offsets.map((o) => o.high).join(',');
      }
    } finally {
      await admin.disconnect();
    }
  }
  return seen;
}

async function expectProvisioned(kafka: MeshKafka): Promise<void> {
  expect(Object.keys(kafka.credentials).sort()).toEqual(['User:acme.billing', 'User:acme.user', 'User:acme.userprops']);
  expect(kafka.credentials['User:acme.user'].username).toBe('acme.user');
  expect(new Set(Object.values(kafka.credentials).map((c) => c.password)).size).toBe(3);
  expect(kafka.provisioned.summary).toMatchObject({ update: 0, delete: 0, refused: 0, failed: 0 });
  const seen = await seenByKafkajs(kafka);
  expect(seen.topics).toEqual(ACCESS_SPEC_TOPICS);
  expect(seen.acls).toBe(kafka.provisioned.summary.create - ACCESS_SPEC_TOPICS.length);
}

describe('startMeshKafka', () => {
  it('with no Docker engine takes real Kafka where the peer is installed, else the in-process broker, says which, and provisions the specs', async () => {
    // Decided from the peers' cache, not from the kit under test.
    const expected = realKafkaMissing() ? 'in-process' : 'real';
    await withEnv(NO_ENGINE, async () => {
      const said: string[] = [];
      const kafka = await startMeshKafka({ specs: SPECS, realKafka: realKafkaStarter, log: (line) => said.push(line) });
      try {
        expect(kafka.backend).toBe(expected);
        expect(said).toEqual([
          expected === 'real'
            ? expect.stringMatching(/^meshform\/testing: real Apache Kafka from \S+ at 127\.0\.0\.1:\d+ \(no container runtime: no Docker engine: \/nonexistent\/meshform-test\/docker\.sock does not exist .+\)$/)
            : expect.stringMatching(/^meshform\/testing: in-process test broker at 127\.0\.0\.1:\d+ \(no container runtime: no Docker engine: .+; no real Kafka: .+\)$/),
        ]);
        await expectProvisioned(kafka);
        expect(await offsetsAtOnce(kafka)).toEqual(
          Object.fromEntries(Object.entries(READABLE).map(([p, topics]) => [p, Object.fromEntries(topics.map((t) => [t, expect.stringMatching(/^0(,0)*$/)]))])),
        );
      } finally {
        await kafka.stop();
      }
    });
  }, REAL_KAFKA_START_MS);

  it('without the Kafka peer and an engine falls back to in-process and says why; asked for real Kafka, names the install command', async () => {
    const emptyCache = mkdtempSync(join(tmpdir(), 'meshform-no-peers-'));
    try {
      await withEnv({ ...NO_ENGINE, MESHFORM_PEERS_CACHE: emptyCache }, async () => {
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

  it('asked for containers with no engine, names the socket it asked', async () => {
    await withEnv(NO_ENGINE, async () => {
      await expect(startMeshKafka({ specs: SPECS, backend: 'testcontainers', log: () => undefined })).rejects.toThrow(
        'no container runtime: no Docker engine: /nonexistent/meshform-test/docker.sock does not exist (start dockerd, or set DOCKER_HOST)',
      );
    });
  });

  it('asked for containers without the optional package, names the package to install', async () => {
    await jest.isolateModulesAsync(async () => {
      jest.doMock('testcontainers', () => {
        throw Object.assign(new Error("Cannot find module 'testcontainers'"), { code: 'MODULE_NOT_FOUND' });
      });
      const kit = await import('../../src/testing');
      await expect(kit.startMeshKafka({ specs: SPECS, backend: 'testcontainers', log: () => undefined })).rejects.toThrow(
        'no container runtime: the optional package testcontainers is not installed (npm install --save-dev testcontainers)',
      );
      jest.dontMock('testcontainers');
    });
  });
});

describeWithPeer('containers', 'startMeshKafka on a Docker engine (the containers peer)', () => {
  containersPeer('startMeshKafka on a Docker engine');

  it('auto starts Kafka in a container, says so, provisions the specs, and every product is served on its first request', async () => {
    const said: string[] = [];
    const kafka = await startMeshKafka({ specs: SPECS, realKafka: realKafkaStarter, log: (line) => said.push(line) });
    try {
      // Straight away, before anything else: the moment a product's own test would start.
      const offsets = await offsetsAtOnce(kafka);
      expect(kafka.backend).toBe('testcontainers');
      expect(said).toEqual([`meshform/testing: Kafka in a container (${process.env.MESHFORM_KAFKA_IMAGE}) at ${kafka.bootstrap}`]);
      expect(kafka.bootstrap).toMatch(/^127\.0\.0\.1:\d+$/);
      expect(offsets).toEqual(
        Object.fromEntries(Object.entries(READABLE).map(([p, topics]) => [p, Object.fromEntries(topics.map((t) => [t, expect.stringMatching(/^0(,0)*$/)]))])),
      );
      await expectProvisioned(kafka);
    } finally {
      await kafka.stop();
    }
  }, REAL_KAFKA_START_MS);

  it('startMesh: Kafka and a schema registry from the same specs; the registry holds each schema under its compatibility level', async () => {
    const example = join(__dirname, '..', '..', 'examples', 'product-repo');
    const said: string[] = [];
    const mesh = await startMesh({ specs: [join(example, 'specs'), join(example, 'mesh')], log: (line) => said.push(line) });
    try {
      expect(mesh.kafka.backend).toBe('testcontainers');
      expect(said).toContain(`meshform/testing: Apicurio Registry in a container (${process.env.MESHFORM_REGISTRY_IMAGE}) at ${mesh.registry.url}`);
      expect(mesh.registry.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/apis\/ccompat\/v7$/);
      // Read with plain HTTP from the registry itself; the subjects written out from the example specs' channels.
      const subjects = (await (await fetch(`${mesh.registry.url}/subjects`)).json()) as string[];
      expect(subjects.sort()).toEqual([
        'acme.finance.payments._protected.payment_captured-value',
        'acme.finance.payments._protected.refund_paid-value',
        'acme.retail.returns._protected.return_received-value',
        'acme.retail.shipping._public.parcel_shipped-value',
      ]);
      const config = (await (await fetch(`${mesh.registry.url}/config/acme.retail.returns._protected.return_received-value`)).json()) as { compatibilityLevel: string };
      expect(config.compatibilityLevel).toBe('BACKWARD');
      const latest = (await (await fetch(`${mesh.registry.url}/subjects/acme.retail.returns._protected.return_received-value/versions/latest`)).json()) as { version: number; schema: string };
      expect(latest.version).toBe(1);
      expect(JSON.parse(latest.schema)).toMatchObject({ type: 'object' });
      expect(mesh.kafka.provisioned.summary.failed).toBe(0);
    } finally {
      await mesh.stop();
    }
  }, REAL_KAFKA_START_MS);

  it('an image the engine does not have and cannot pull is named as the engine refusing it', async () => {
    await expect(startMeshKafka({ specs: SPECS, backend: 'testcontainers', image: 'meshform.local/no-such-kafka:0', log: () => undefined })).rejects.toThrow(
      /^the Docker engine has no image meshform\.local\/no-such-kafka:0 and could not pull it: /,
    );
  }, 60_000);
});
