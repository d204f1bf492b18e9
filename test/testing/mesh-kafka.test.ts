import { join } from 'node:path';
import { KafkaWire } from '../../src/adapters/kafka';
import { probeContainerRuntime, startMeshKafka } from '../../src/testing';

const SPECS = join(__dirname, '..', 'kafka', 'specs', 'access');

describe('startMeshKafka', () => {
  it('says which backend it started, falls back to in-process without a container runtime, and provisions the specs', async () => {
    const said: string[] = [];
    const runtime = await probeContainerRuntime();
    if (runtime.ok) {
      console.warn(`startMeshKafka fallback test skipped: ${runtime.reason} is present`);
      return;
    }
    const kafka = await startMeshKafka({ specs: SPECS, log: (line) => said.push(line) });
    try {
      expect(kafka.backend).toBe('in-process');
      expect(said).toEqual([expect.stringMatching(/^meshform\/testing: in-process test broker at 127\.0\.0\.1:\d+ \(.+\)$/)]);
      expect(Object.keys(kafka.credentials).sort()).toEqual(['User:acme.billing', 'User:acme.user', 'User:acme.userprops']);
      expect(kafka.credentials['User:acme.user'].username).toBe('acme.user');
      expect(new Set(Object.values(kafka.credentials).map((c) => c.password)).size).toBe(3);
      expect(kafka.provisioned.summary).toMatchObject({ update: 0, delete: 0, refused: 0, failed: 0 });

      const wire = await KafkaWire.open({ brokers: [kafka.bootstrap], clientId: 'kit-test', tls: false, sasl: { mechanism: 'plain', ...kafka.admin } });
      try {
        const names = (await wire.metadata()).topics.map((t) => t.name).sort();
        expect(names).toEqual([
          'acme.billing._public.invoices',
          'acme.user._private.sessions',
          'acme.user._protected.profiles',
          'acme.user._public.signups',
          'acme.userprops._protected.settings',
          'acme.userprops._public.changes',
        ]);
        expect((await wire.describeAllAcls()).length).toBe(kafka.provisioned.summary.create - names.length);
      } finally {
        await wire.close();
      }
    } finally {
      await kafka.stop();
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
