/**
 * The estate the real-Kafka adoption tests build and import (test/importing/real-kafka*.test.ts):
 * topics with configs, each tool's style of ACLs and records, built with kafka-python as the admin,
 * and what each principal may do there, all written here by hand from the tools' input files
 * (test/fixtures/import/) and their documented behaviour, never from meshform's output. Also the
 * kafka-python checks both tests make: who can produce where, who can consume with which group,
 * how many records each topic holds.
 */
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PythonKafka } from '@meshform/peers/testing/clients/python-kafka';
import type { NamedAcl } from '@meshform/peers/testing/clients/acl-names';
import { withEnv } from '../../support/env';
import { runCli, type Run } from '../../cli/support';

const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'import');
export const PASSWORD = 'estate-secret';
export const ADMIN = { username: 'admin', password: 'admin-secret' };
export const login = (user: string) => ({ username: user, password: PASSWORD });

export type Acl = NamedAcl;
export const allow = (user: string, resourceType: string, name: string, operation: string, pattern = 'LITERAL'): Acl => ({ principal: `User:${user}`, host: '*', operation, permission: 'ALLOW', resourceType, name, pattern });
export const aclKey = (a: Acl) => `${a.permission} ${a.principal} ${a.operation} ${a.resourceType}:${a.pattern}:${a.name}`;

export interface EstateTopic {
  name: string;
  partitions: number;
  configs: Record<string, string>;
}

/** One part of an estate: what a tool's files define and the ACLs the tool made from them. */
export interface EstatePart {
  /** The tool's file under test/fixtures/import/, as `meshform import <tool>` reads it, and the exit code that import gives. */
  imports: Array<{ tool: string; file: string; exit: number }>;
  topics: EstateTopic[];
  acls: Acl[];
  /** principal -> the topics it writes (its records are written as itself). */
  writes: Record<string, string[]>;
  /** [principal, topic, group]: who reads what with which group. */
  reads: Array<[user: string, topic: string, group: string]>;
}

export interface Estate extends EstatePart {
  principals: string[];
  groups: string[];
}

/** The parts as one estate (a principal in two parts is one principal, as the import makes it one product). */
export function estateOf(...parts: EstatePart[]): Estate {
  const writes: Record<string, string[]> = {};
  for (const p of parts) for (const [user, topics] of Object.entries(p.writes)) writes[user] = [...(writes[user] ?? []), ...topics];
  const acls = new Map(parts.flatMap((p) => p.acls).map((a) => [aclKey(a), a]));
  const reads = parts.flatMap((p) => p.reads);
  const principals = [...new Set([...acls.values()].map((a) => a.principal.slice('User:'.length)))].sort();
  return {
    imports: parts.flatMap((p) => p.imports),
    topics: parts.flatMap((p) => p.topics),
    acls: [...acls.values()],
    writes,
    reads,
    principals,
    groups: [...new Set(reads.map(([, , g]) => g))],
  };
}

// The topics each tool's files define, as the tool creates them.
const ORDERS_TOPICS: EstateTopic[] = [
  { name: 'acme.erp.orders.placed', partitions: 3, configs: { 'retention.ms': '604800000' } },
  { name: 'acme.erp.orders.audit', partitions: 1, configs: { 'cleanup.policy': 'compact' } },
];

/** JulieOps (topology.yaml): a producer DESCRIBE+WRITE per topic, WRITE+DESCRIBE on its transactional id, IDEMPOTENT_WRITE on the cluster; a consumer DESCRIBE+READ per topic and READ on its group. */
export const JULIEOPS: EstatePart = {
  imports: [{ tool: 'julieops', file: 'julieops/topology.yaml', exit: 1 }],
  topics: ORDERS_TOPICS,
  acls: [
    ...ORDERS_TOPICS.map((t) => t.name).flatMap((t) => [allow('orders-svc', 'TOPIC', t, 'DESCRIBE'), allow('orders-svc', 'TOPIC', t, 'WRITE')]),
    allow('orders-svc', 'TRANSACTIONAL_ID', 'orders-tx', 'DESCRIBE'),
    allow('orders-svc', 'TRANSACTIONAL_ID', 'orders-tx', 'WRITE'),
    allow('orders-svc', 'CLUSTER', 'kafka-cluster', 'IDEMPOTENT_WRITE'),
    ...ORDERS_TOPICS.map((t) => t.name).flatMap((t) => [allow('shipping-svc', 'TOPIC', t, 'DESCRIBE'), allow('shipping-svc', 'TOPIC', t, 'READ')]),
    allow('shipping-svc', 'GROUP', 'shipping-app', 'READ'),
    allow('orders-auditor', 'TOPIC', 'acme.erp.orders.audit', 'DESCRIBE'),
    allow('orders-auditor', 'TOPIC', 'acme.erp.orders.audit', 'READ'),
    allow('orders-auditor', 'GROUP', 'orders-audit', 'READ'),
  ],
  writes: { 'orders-svc': ['acme.erp.orders.placed', 'acme.erp.orders.audit'] },
  reads: [
    ['shipping-svc', 'acme.erp.orders.placed', 'shipping-app'],
    ['shipping-svc', 'acme.erp.orders.audit', 'shipping-app'],
    ['orders-auditor', 'acme.erp.orders.audit', 'orders-audit'],
  ],
};

/** Terraform (terraform.tfstate): exactly the kafka_acl resources of the state file. */
export const TERRAFORM: EstatePart = {
  imports: [{ tool: 'terraform', file: 'terraform/terraform.tfstate', exit: 1 }],
  topics: [{ name: 'inventory-levels', partitions: 2, configs: { 'retention.ms': '3600000', 'cleanup.policy': 'delete' } }],
  acls: [allow('inventory-svc', 'TOPIC', 'inventory-levels', 'WRITE'), allow('orders-svc', 'TOPIC', 'inventory-levels', 'READ'), allow('orders-svc', 'GROUP', 'orders-inventory-reader', 'READ')],
  writes: { 'inventory-svc': ['inventory-levels'] },
  reads: [['orders-svc', 'inventory-levels', 'orders-inventory-reader']],
};

/** kafka-gitops (state.yaml, describe-topic-enabled off): WRITE per produced topic, READ per consumed one, READ on the group id (default: the service's name). */
export const KAFKA_GITOPS: EstatePart = {
  imports: [{ tool: 'kafka-gitops', file: 'kafka-gitops/state.yaml', exit: 0 }],
  topics: [
    { name: 'payments.authorised', partitions: 3, configs: { 'retention.ms': '86400000' } },
    { name: 'payments.ledger', partitions: 1, configs: { 'cleanup.policy': 'compact' } },
  ],
  acls: [
    allow('payments-api', 'TOPIC', 'payments.authorised', 'WRITE'),
    allow('ledger-writer', 'TOPIC', 'payments.authorised', 'READ'),
    allow('ledger-writer', 'TOPIC', 'payments.ledger', 'WRITE'),
    allow('ledger-writer', 'GROUP', 'ledger-writer-group', 'READ'),
    allow('fraud', 'TOPIC', 'payments.authorised', 'READ'),
    allow('fraud', 'TOPIC', 'payments.ledger', 'READ'),
    allow('fraud', 'GROUP', 'fraud-check', 'READ'),
  ],
  writes: { 'payments-api': ['payments.authorised'], 'ledger-writer': ['payments.ledger'] },
  reads: [
    ['ledger-writer', 'payments.authorised', 'ledger-writer-group'],
    ['fraud', 'payments.authorised', 'fraud-check'],
    ['fraud', 'payments.ledger', 'fraud-check'],
  ],
};

/**
 * kafka-gitops (convention.yaml) over topics already named as meshform names them, written and read
 * by a principal that is not the stack's template: meshform declares its access in the convention's
 * form (PREFIXED on `acme.billing._protected.`), so an apply with --allow-delete replaces its
 * LITERAL ACLs on the two topics (`BILLING_REPLACED`).
 */
export const KAFKA_GITOPS_CONVENTION: EstatePart = {
  imports: [{ tool: 'kafka-gitops', file: 'kafka-gitops/convention.yaml', exit: 0 }],
  topics: [
    { name: 'acme.billing._protected.invoices', partitions: 2, configs: {} },
    { name: 'acme.billing._protected.refunds', partitions: 1, configs: {} },
  ],
  acls: [
    allow('billing-svc', 'TOPIC', 'acme.billing._protected.invoices', 'WRITE'),
    allow('billing-svc', 'TOPIC', 'acme.billing._protected.refunds', 'WRITE'),
    allow('billing-svc', 'TOPIC', 'acme.billing._protected.invoices', 'READ'),
    allow('billing-svc', 'GROUP', 'billing-app', 'READ'),
    allow('fraud', 'TOPIC', 'acme.billing._protected.invoices', 'READ'),
    allow('fraud', 'GROUP', 'fraud-check', 'READ'),
  ],
  writes: { 'billing-svc': ['acme.billing._protected.invoices', 'acme.billing._protected.refunds'] },
  reads: [
    ['billing-svc', 'acme.billing._protected.invoices', 'billing-app'],
    ['fraud', 'acme.billing._protected.invoices', 'fraud-check'],
  ],
};

/** What stands in for each of billing-svc's LITERAL topic ACLs once meshform's form is in place (by hand: the convention's owner prefix). */
export const BILLING_REPLACED: Array<[old: Acl, replacement: Acl]> = [
  [allow('billing-svc', 'TOPIC', 'acme.billing._protected.invoices', 'WRITE'), allow('billing-svc', 'TOPIC', 'acme.billing._protected.', 'WRITE', 'PREFIXED')],
  [allow('billing-svc', 'TOPIC', 'acme.billing._protected.refunds', 'WRITE'), allow('billing-svc', 'TOPIC', 'acme.billing._protected.', 'WRITE', 'PREFIXED')],
  [allow('billing-svc', 'TOPIC', 'acme.billing._protected.invoices', 'READ'), allow('billing-svc', 'TOPIC', 'acme.billing._protected.', 'READ', 'PREFIXED')],
];

/** kafka-python as the admin and as each principal of an estate on one cluster. */
export class EstateClient {
  constructor(
    private readonly python: PythonKafka,
    private readonly bootstrap: string,
  ) {}

  admin<T>(step: { op: string; [k: string]: unknown }): Promise<T> {
    return this.python.value<T>(this.bootstrap, step, ADMIN);
  }

  async acls(): Promise<Acl[]> {
    return (await this.admin<{ acls: Acl[] }>({ op: 'describe_acls', filter: {} })).acls;
  }

  /**
   * Whether `user` can write a probe record to `topic`. `maxBlockMs`: how long the producer waits for
   * the topic's metadata, which a principal without DESCRIBE never gets (kafka-python then times out
   * rather than failing at once): shorter where a refusal is expected, to keep whole matrices quick.
   */
  async canWrite(user: string, topic: string, maxBlockMs?: number): Promise<boolean> {
    return (await this.python.run(this.bootstrap, [{ op: 'produce', topic, ...(maxBlockMs && { maxBlockMs }), messages: [{ key: 'probe', value: `probe-${user}` }] }], login(user)))[0].ok;
  }

  /** Records read as `user`, a member of `groupId`, from the group's committed offsets (the start, the first time). */
  async consume(user: string, topic: string, groupId: string, count: number, timeoutMs: number): Promise<{ ok: boolean; records: number }> {
    const [read] = await this.python.run(this.bootstrap, [{ op: 'consume_group', topic, groupId, count, timeoutMs }], login(user));
    return { ok: read.ok, records: read.ok ? (read.value as unknown[]).length : 0 };
  }

  /** Earliest and latest offsets summed over the topic's partitions. */
  async offsets(topic: string, partitions: number): Promise<{ earliest: number; latest: number }> {
    const parts = await this.admin<Array<{ earliest: number; latest: number }>>({ op: 'list_offsets', topic, partitions: [...Array(partitions).keys()], timestamp: 0 });
    return parts.reduce((n, p) => ({ earliest: n.earliest + p.earliest, latest: n.latest + p.latest }), { earliest: 0, latest: 0 });
  }

  /** The ACLs as listed, once the broker shows `count` of them (its metadata follows the controller's). */
  async aclsOnceVisible(count: number): Promise<Acl[]> {
    let seen = await this.acls();
    for (let i = 0; i < 100 && seen.length < count; i++) {
      await new Promise((r) => setTimeout(r, 100));
      seen = await this.acls();
    }
    return seen;
  }

  /**
   * Builds the estate as its tools would have left it: topics with configs, the tools' ACLs, and 2
   * records per topic written by its producer as itself. Returns the ACLs as the cluster lists them.
   */
  async build(estate: Estate): Promise<Acl[]> {
    const created = await this.admin<Record<string, string>>({ op: 'create_topics', topics: estate.topics.map((t) => ({ name: t.name, partitions: t.partitions, replicationFactor: 1, configs: t.configs })) });
    expectEqual('topics created', Object.values(created), estate.topics.map(() => 'NoError'));
    expectEqual('topics visible', await this.admin<boolean>({ op: 'wait_for_topics', topics: estate.topics.map((t) => t.name), timeoutMs: 20_000 }), true);
    const made = await this.admin<{ failed: unknown[] }>({ op: 'create_acls', acls: estate.acls });
    expectEqual('ACLs refused', made.failed, []);
    const listed = await this.aclsOnceVisible(estate.acls.length);
    expectEqual('ACLs listed', listed.map(aclKey).sort(), estate.acls.map(aclKey).sort());
    for (const [user, topics] of Object.entries(estate.writes)) {
      for (const topic of topics) {
        const sent = await this.python.run(this.bootstrap, [{ op: 'produce', topic, messages: [{ key: 'k1', value: 'one' }, { key: 'k2', value: 'two' }] }], login(user));
        expectEqual(`${user} writes ${topic}`, sent[0].ok, true);
      }
    }
    return listed;
  }
}

function expectEqual(what: string, actual: unknown, expected: unknown): void {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) throw new Error(`building the estate: ${what}: ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
}

/** The SASL users of a cluster for the estate: the admin (a super user) and each principal. */
export function estateUsers(estate: Estate): Record<string, string> {
  return { [ADMIN.username]: ADMIN.password, ...Object.fromEntries(estate.principals.filter((p) => p !== '*').map((p) => [p, PASSWORD])) };
}

/** The CLI as the admin principal (SASL through MESHFORM_KAFKA_*), in-process. */
export const cliAsAdmin = (...argv: string[]): Promise<Run> =>
  withEnv({ MESHFORM_KAFKA_SASL_MECHANISM: 'plain', MESHFORM_KAFKA_USERNAME: ADMIN.username, MESHFORM_KAFKA_PASSWORD: ADMIN.password }, () => runCli(...argv));

/**
 * Imports the estate's tool files, in order, into `mesh` in the current folder (one mesh: the same
 * principal is the same product), and writes stack `estate` pointing at `bootstrap`.
 */
export async function importEstate(estate: Estate, bootstrap: string): Promise<void> {
  for (const { tool, file, exit } of estate.imports) {
    const local = `${tool}-${file.split('/')[1]}`;
    cpSync(join(FIXTURES, file), local);
    const run = await runCli('import', tool, local, '--out', 'mesh');
    if (run.code !== exit || !run.stderr.includes(`meshform import ${tool}: `)) throw new Error(`import ${tool} ${file}: exit ${run.code}, expected ${exit}: ${run.stderr}`);
  }
  mkdirSync('stacks', { recursive: true });
  writeFileSync(
    join('stacks', 'Pulumi.estate.yaml'),
    `config:\n  meshform:gcpProject: estate\n  meshform:location: EU\n  meshform:kafkaBootstrap: ${bootstrap}\n  meshform:kafkaClientId: meshform-adopt\n  meshform:crossplane: false\n`,
  );
}

/**
 * Write probes of many principals side by side, one kafka-python process per client at a time (a
 * principal's own probes in order): where a refusal is expected (`mayWrite` false) the producer waits
 * 2 s for metadata a principal without DESCRIBE never gets, so waits overlap instead of adding up.
 * Returns [user, topic, wrote] for every probe made.
 */
export async function probeWrites(
  clients: readonly EstateClient[],
  users: readonly string[],
  topicsOf: (user: string) => readonly string[],
  mayWrite: (user: string, topic: string) => boolean,
): Promise<Array<[string, string, boolean]>> {
  const queue = [...users];
  const produced: Array<[string, string, boolean]> = [];
  await Promise.all(
    clients.map(async (client) => {
      for (let user = queue.shift(); user !== undefined; user = queue.shift()) {
        for (const topic of topicsOf(user)) produced.push([user, topic, await client.canWrite(user, topic, mayWrite(user, topic) ? undefined : 2000)]);
      }
    }),
  );
  return produced;
}
