/**
 * `meshform access <urn|id|principal>`: what a product may do and which spec line says so, on the
 * input-topic fixture and the example mesh (expected lines written by hand from the specs); with
 * --live against a broker the plan was applied to (the test broker and real Kafka), differences made out of band with kafkajs's
 * admin client (not meshform's wire code) are named.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ResourcePatternTypes } from 'kafkajs';
import { realKafkaBackend } from '@meshform/peers/testing/real-kafka';
import type { MeshKafkaBackend } from '../../src/testing';
import type { KafkaConnection } from '../../src/adapters/kafka';
import { restoreEnvAfterAll } from '../support/env';
import { runCli } from '../cli/support';
import { ADMIN, useAdminCluster } from '../kafka/broker';
import { binding, deleteAclOutOfBand, observe, withAdmin } from '../kafka/oracle';

const INPUTS = join(__dirname, '..', 'fixtures', 'specs', 'valid', 'mesh-input-topic');
const ORDERS_SPEC = join(INPUTS, 'orders.yaml');
const rel = (file: string) => file.slice(process.cwd().length + 1);

describe('meshform access from the plan', () => {
  it('a granted writer: the input topic with its grant-write line, nothing else on topics', async () => {
    const run = await runCli('access', 'urn:acme:ops:alerting', INPUTS, '--stack', 'dev');
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe("acme.ops.alerting (urn:acme:ops:alerting) as User:acme.ops.alerting on stack 'dev'");
    expect(lines).toContain('own topics: none');
    expect(lines).toContain("reads other products' topics: none");
    // orders.yaml line 17: `      - name: grant-write:urn:acme:ops:alerting`, the tag's value at column 15.
    expect(lines).toContain(`  acme.retail.orders._protected.order_commands  grant-write (acme.retail.orders)  ${rel(ORDERS_SPEC)}:17:15`);
    expect(lines).toContain('client quota: none');
  });

  it('the owner: its topic, and its quota key by key with the line that sets it', async () => {
    const run = await runCli('access', 'User:acme.retail.orders', INPUTS, '--stack', 'dev');
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines).toContain(`  acme.retail.orders._protected.order_commands  ${rel(ORDERS_SPEC)}:15:14`);
    expect(lines).toContain('client quota (user acme.retail.orders):');
    expect(lines).toContain(`  producer_byte_rate 1048576  ${rel(ORDERS_SPEC)}:9:5`);
    expect(lines).toContain(`  consumer_byte_rate 2097152  ${rel(ORDERS_SPEC)}:10:5`);
    expect(lines).toContain(`  request_percentage 25  ${rel(ORDERS_SPEC)}:11:5`);
  });

  it('urn, id and principal name the same product; --json carries rights and reasons', async () => {
    const runs = await Promise.all(['urn:acme:finance:billing', 'acme.finance.billing', 'User:acme.finance.billing'].map((n) => runCli('access', n, '--stack', 'dev', '--json')));
    for (const r of runs) expect(r.code).toBe(0);
    expect(new Set(runs.map((r) => r.stdout)).size).toBe(1);
    const view = JSON.parse(runs[0].stdout) as { principal: string; topics: Array<{ topic: string; read: boolean; write: boolean; because: Array<{ reason: string; at: string }> }> };
    expect(view.principal).toBe('User:acme.finance.billing');
    const byName = new Map(view.topics.map((t) => [t.topic, t]));
    // specs/retail-orders.yaml grants billing at line 40; order_placed is public; order_state is private; billing owns invoice_issued.
    expect(byName.get('acme.retail.orders._protected.order_payment')).toMatchObject({ read: true, write: false, because: [{ reason: 'grant-access', at: 'specs/retail-orders.yaml:40:15' }] });
    expect(byName.get('acme.retail.orders._public.order_placed')).toMatchObject({ read: true, write: false, because: [{ reason: 'public topic' }] });
    expect(byName.get('acme.finance.billing._protected.invoice_issued')).toMatchObject({ read: true, write: true });
    expect(byName.has('acme.retail.orders._private.order_state')).toBe(false);
    expect(byName.has('acme.customer.profiles._protected.consent_changed')).toBe(false);
  });

  it('an unknown product is a usage error with the nearest one', async () => {
    const run = await runCli('access', 'urn:acme:finance:biling', '--stack', 'dev');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('no product in the mesh is urn:acme:finance:biling (did you mean urn:acme:finance:billing?)');
    const principal = await runCli('access', 'User:acme.finance.biling', '--stack', 'dev');
    expect(principal.code).toBe(2);
    expect(principal.stderr).toContain('no product in the mesh is User:acme.finance.biling (did you mean urn:acme:finance:billing?)');
  });
});

const backends: [MeshKafkaBackend, string | undefined][] = [['in-process', undefined], realKafkaBackend('meshform access --live on real Kafka')];
for (const [backend, reason] of backends) if (reason) console.warn(`meshform access --live on ${backend} skipped: ${reason}`);

describe.each(backends)('meshform access --live (%s)', (backend, reason) => {
  if (reason) {
    it.skip(`skipped: ${reason}`, () => undefined);
    return;
  }
  const ENV = ['MESHFORM_KAFKA_SASL_MECHANISM', 'MESHFORM_KAFKA_USERNAME', 'MESHFORM_KAFKA_PASSWORD'];
  restoreEnvAfterAll(ENV);
  const cluster = useAdminCluster(backend);
  let bootstrap: string;
  let connection: KafkaConnection;
  let dir: string;

  beforeEach(async () => {
    process.env.MESHFORM_KAFKA_SASL_MECHANISM = 'plain';
    process.env.MESHFORM_KAFKA_USERNAME = ADMIN.username;
    process.env.MESHFORM_KAFKA_PASSWORD = ADMIN.password;
    connection = cluster().connection;
    bootstrap = connection.brokers[0];
    dir = mkdtempSync(join(tmpdir(), 'meshform-access-'));
    cpSync(INPUTS, dir, { recursive: true });
    const applied = await runCli('kafka', 'apply', dir, '--stack', 'dev', '--bootstrap', bootstrap, '--yes');
    expect(applied.code).toBe(0);
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const live = (product: string) => runCli('access', product, dir, '--stack', 'dev', '--live', '--bootstrap', bootstrap);

  it('after apply the cluster matches (exit 0)', async () => {
    for (const product of ['urn:acme:ops:alerting', 'urn:acme:retail:orders']) {
      const run = await live(product);
      expect(run.stdout).toContain('live: the cluster has exactly the planned ACLs and quota for this principal');
      expect(run.code).toBe(0);
    }
  });

  it('an ACL added and one removed out of band are named (exit 1)', async () => {
    const acls = (await observe(connection)).acls.filter((a) => a.principal === 'User:acme.ops.alerting' && a.resourceType === 'TOPIC' && a.name.startsWith('acme.retail.'));
    // On orders' topics, only the write grant: literal WRITE and DESCRIBE on the input topic.
    expect(acls.map((a) => `${a.operation} ${a.pattern} ${a.name}`).sort()).toEqual([
      'DESCRIBE LITERAL acme.retail.orders._protected.order_commands',
      'WRITE LITERAL acme.retail.orders._protected.order_commands',
    ]);
    await deleteAclOutOfBand(connection, binding('User:acme.ops.alerting', 'WRITE', 'acme.retail.orders._protected.order_commands'));
    await withAdmin(connection, (admin) =>
      admin.createAcls({
        acl: [
          {
            resourceType: AclResourceTypes.TOPIC,
            resourceName: 'acme.retail.orders.',
            resourcePatternType: ResourcePatternTypes.PREFIXED,
            principal: 'User:acme.ops.alerting',
            host: '*',
            operation: AclOperationTypes.READ,
            permissionType: AclPermissionTypes.ALLOW,
          },
        ],
      }),
    );
    // A real broker serves its own view of a committed ACL a moment later.
    for (let i = 0; i < 100 && !(await observe(connection)).acls.some((a) => a.name === 'acme.retail.orders.' && a.pattern === 'PREFIXED'); i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    const run = await live('urn:acme:ops:alerting');
    expect(run.code).toBe(1);
    const lines = run.stdout.split('\n');
    expect(lines).toContain('live: the cluster differs from the plan:');
    expect(lines).toContain('  missing on the cluster: ALLOW WRITE on TOPIC LITERAL acme.retail.orders._protected.order_commands');
    expect(lines).toContain('  on the cluster, not in the plan: ALLOW READ on TOPIC PREFIXED acme.retail.orders.');
    expect(lines.filter((l) => l.startsWith('  missing') || l.startsWith('  on the cluster'))).toHaveLength(2);
  });

  it('a quota changed in the spec and not applied is named key by key (exit 1)', async () => {
    const spec = join(dir, 'orders.yaml');
    writeFileSync(spec, readFileSync(spec, 'utf8').replace('producer_byte_rate: 1048576', 'producer_byte_rate: 524288'));
    const run = await live('urn:acme:retail:orders');
    expect(run.code).toBe(1);
    expect(run.stdout.split('\n')).toContain('  quota producer_byte_rate: planned 524288, on the cluster 1048576');
    expect(run.stdout).not.toContain('consumer_byte_rate: planned');
  });

  it('an unreachable cluster is exit 2', async () => {
    const run = await runCli('access', 'urn:acme:ops:alerting', dir, '--stack', 'dev', '--live', '--bootstrap', '127.0.0.1:1');
    expect(run.code).toBe(2);
  });
});
