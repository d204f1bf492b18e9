/**
 * `meshform kafka plan|apply|export` as a user runs them, on the in-process broker and on real
 * Kafka; the cluster is changed out of band and read back with kafkajs, never with the engine.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../src/cli/kafka';
import { UsageError } from '../../src/cli/io';
import { loadMesh } from '../../src/model';
import type { MeshKafkaBackend } from '../../src/testing';
import { restoreEnvAfterAll, withEnv } from '../support/env';
import { runRecorded } from '../support/io';
import { realKafkaBackend } from '../support/real-kafka';
import { ADMIN, useAdminCluster } from './broker';
import { ACCESS_SPEC_TOPICS } from './fixtures';
import { growPartitionsOutOfBand, observe } from './oracle';

const SPECS = join(__dirname, 'specs', 'access');
const ENV = ['MESHFORM_KAFKA_BOOTSTRAP', 'MESHFORM_KAFKA_SASL_MECHANISM', 'MESHFORM_KAFKA_USERNAME', 'MESHFORM_KAFKA_PASSWORD'];

const backends: [MeshKafkaBackend, string | undefined][] = [['in-process', undefined], realKafkaBackend('meshform kafka CLI on real Kafka')];
for (const [backend, reason] of backends) if (reason) console.warn(`meshform kafka CLI on ${backend} skipped: ${reason}`);

restoreEnvAfterAll(ENV);

beforeAll(() => {
  process.env.MESHFORM_KAFKA_SASL_MECHANISM = 'plain';
  process.env.MESHFORM_KAFKA_USERNAME = ADMIN.username;
  process.env.MESHFORM_KAFKA_PASSWORD = ADMIN.password;
});

function kafka(...argv: string[]) {
  return runRecorded((io) => run(argv, io));
}

describe.each(backends)('on the %s broker', (backend, reason) => {
  if (reason) {
    it.skip(`skipped: ${reason}`, () => undefined);
    return;
  }
  const cluster = useAdminCluster(backend);
  /** The stack dev says localhost; the brokers advertise 127.0.0.1 (the engine must not care). */
  const bootstrap = () => cluster().connection.brokers[0].replace(/^127\.0\.0\.1:/, 'localhost:');

  describe('meshform kafka plan|apply', () => {
    it('plans, applies, and then finds nothing to do', async () => {
      const plan = await kafka('plan', SPECS, '--stack', 'dev', '--bootstrap', bootstrap(), '--json');
      expect(plan.code).toBe(0);
      const planned = JSON.parse(plan.stdout);
      expect(Object.keys(planned)).toEqual(['summary', 'resources']);
      expect(planned.summary.create).toBeGreaterThan(0);
      expect(planned.summary).toMatchObject({ update: 0, delete: 0, unchanged: 0, refused: 0, failed: 0 });
      expect(new Set(planned.resources.map((r: { state: string }) => r.state))).toEqual(new Set(['CREATE']));
      expect(planned.resources[0]).toEqual(expect.objectContaining({ kind: expect.stringMatching(/^kafka:/), name: expect.any(String), state: 'CREATE' }));

      const applied = await kafka('apply', SPECS, '--stack', 'dev', '--bootstrap', bootstrap());
      expect(applied.code).toBe(0);
      expect(applied.stdout).toContain('+ CREATED topic acme.user._protected.profiles (partitions 1, replicas 1)');
      expect(applied.stdout.split('\n').pop()).toBe(`${planned.summary.create} created, 0 updated, 0 deleted, 0 unchanged`);
      // Written from the specs in specs/access, read with kafkajs.
      expect([...(await observe(cluster().connection)).topics.keys()]).toEqual(ACCESS_SPEC_TOPICS);

      const again = await kafka('plan', SPECS, '--stack', 'dev', '--bootstrap', bootstrap());
      expect(again.code).toBe(0);
      expect(again.stdout).toBe(`0 to create, 0 to update, 0 to delete, ${planned.summary.create} unchanged`);
    });

    it('exits 1 and names the remedy when a change is refused', async () => {
      await kafka('apply', SPECS, '--stack', 'dev', '--bootstrap', bootstrap());
      await growPartitionsOutOfBand(cluster().connection, 'acme.user._public.signups', 3);

      const refused = await kafka('apply', SPECS, '--stack', 'dev', '--bootstrap', bootstrap());
      expect(refused.code).toBe(1);
      expect(refused.stdout).toMatch(/! REFUSED topic acme.user._public.signups: partitions 3 -> 1: Kafka cannot remove partitions; raise the spec.s partitions .scaled by the stack.s partitionFactor. so the plan keeps 3 or more/);
      expect(refused.stdout.split('\n').pop()).toMatch(/, 1 refused$/);
    });

    it('reports configuration and connection problems in one line, exit 2, without the password', async () => {
      const unreachable = await kafka('plan', SPECS, '--stack', 'dev', '--bootstrap', '127.0.0.1:1');
      expect(unreachable.code).toBe(2);
      expect(unreachable.stderr.split('\n')).toHaveLength(1);
      expect(unreachable.stderr).toMatch(/^meshform kafka plan: cannot connect to Kafka at 127.0.0.1:1/);

      const bad = await kafka('plan', SPECS, '--stack', 'dev', '--bootstrap', 'no-port');
      expect(bad).toMatchObject({ code: 2, stderr: 'meshform kafka: bad Kafka bootstrap "no-port": expected host:port[,host:port...]' });

      await withEnv({ MESHFORM_KAFKA_PASSWORD: 'wrong-password-123' }, async () => {
        const denied = await kafka('plan', SPECS, '--stack', 'dev', '--bootstrap', bootstrap());
        expect(denied.code).toBe(2);
        expect(denied.stderr).not.toContain('wrong-password-123');
        expect(denied.stderr).not.toMatch(/\n\s+at /);
      });
    });

    it('says to set SASL credentials when a SASL listener drops an unauthenticated client', async () => {
      const withoutSasl = Object.fromEntries(ENV.slice(1).map((key) => [key, undefined]));
      await withEnv(withoutSasl, async () => {
        const result = await kafka('plan', SPECS, '--stack', 'dev', '--bootstrap', bootstrap());
        expect(result.code).toBe(2);
        expect(result.stderr).toMatch(/closed the connection: if its listener requires SASL, set MESHFORM_KAFKA_SASL_MECHANISM/);
        expect(result.stderr.trim().split('\n')).toHaveLength(1);
      });
    });

    it('rejects a bad command line as a usage error', async () => {
      await expect(kafka('destroy')).rejects.toThrow(UsageError);
      await expect(kafka('plan', SPECS)).rejects.toThrow(/--stack <name> is required/);
      await expect(kafka('export', '--bootstrap', bootstrap())).rejects.toThrow(/--domain <urn> is required/);
      await expect(kafka('export', '--domain', 'acme', '--bootstrap', bootstrap())).rejects.toThrow(/not a product URN/);
    });
  });

  describe('meshform kafka export', () => {
    it('writes a spec that validates and whose plan changes nothing on the cluster', async () => {
      await kafka('apply', SPECS, '--stack', 'dev', '--bootstrap', bootstrap());
      const dir = mkdtempSync(join(tmpdir(), 'meshform-export-'));
      try {
        const out = join(dir, 'user.yaml');
        const exported = await kafka('export', '--domain', 'urn:acme:user', '--bootstrap', bootstrap(), '--out', out);
        expect(exported.code).toBe(0);
        const text = readFileSync(out, 'utf8');
        expect(text).toContain('replace-me@example.com');
        expect(text).toContain('grant-access:urn:acme:billing');
        expect(text).not.toContain('userprops');

        const { mesh, diagnostics } = await loadMesh([out]);
        expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        expect(mesh?.products.map((p) => [p.id, p.topics.map((t) => [t.name, t.visibility, t.partitions, t.config])])).toEqual([
          [
            'acme.user',
            [
              ['acme.user._private.sessions', 'private', 1, { 'cleanup.policy': 'compact' }],
              ['acme.user._protected.profiles', 'protected', 1, {}],
              ['acme.user._public.signups', 'public', 1, { 'retention.ms': '86400000' }],
            ],
          ],
        ]);

        const adopted = await kafka('plan', out, '--stack', 'dev', '--bootstrap', bootstrap(), '--json');
        expect(adopted.code).toBe(0);
        expect(JSON.parse(adopted.stdout).summary).toMatchObject({ create: 0, update: 0, delete: 0, refused: 0 });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
