/**
 * The Kafka dynamic provider's implementation: `meshform/pulumi/kafka-provider`. It runs in the
 * process Pulumi starts for dynamic providers (`pulumi-resource-pulumi-nodejs`), loaded there by
 * package name from the project's folder (see kafka.ts), so state holds no path and no source of it.
 *
 * - Where and as whom: the stack's `meshform:kafka*` config, which the engine hands every dynamic
 *   provider at Configure (secrets decrypted), with the same MESHFORM_KAFKA_* environment
 *   overrides as the CLI. Nothing of it is a resource input, so a changed variable or password
 *   never shows as a change of every product.
 * - One cluster snapshot per provider process and cluster identity (bootstrap + principal): read
 *   once (Metadata, DescribeConfigs, DescribeAcls); create/update diff their product's slice of it,
 *   write, read back and replace only that slice; read (`pulumi refresh`) answers from it.
 */
import type * as pulumi from '@pulumi/pulumi';
import {
  aclName,
  declaredNames,
  describeConnection,
  diff as diffCluster,
  formatReport,
  KafkaWire,
  OwnershipScope,
  reconcile,
  readCluster,
  resolveConnection,
  ClusterSnapshot,
  ClusterLease,
  describeSelf,
  leaseWaitMs,
  type LeaseOptions,
  type KafkaConnection,
} from '../kafka';
import { formatDiagnostic, hasErrors } from '../../vocabulary/diagnostics';
import type { KafkaAclProps, KafkaTopicProps, Resource } from '../../plan/types';
import { STACK_KEYS } from '../../stack/keys';
import { stackFromPulumiConfig } from '../../stack/load';

export interface KafkaProductInputs {
  product: string;
  principal: string;
  /** Desired topics by topic name. */
  topics: Record<string, KafkaTopicProps>;
  /**
   * Desired ACL bindings by plan resource name, each as `encodeAcl` text: one string per binding
   * instead of an object of seven keeps a product's inputs small (the program registers thousands).
   */
  acls: Record<string, string>;
  allowDelete: boolean;
  allowDeletePrivate: boolean;
  /** Delete topics other products still consume (the stack's allowBreaking). */
  allowBreaking?: boolean;
  /** The product's topics that other products in the mesh receive from, with those products. */
  consumedBy?: Record<string, string[]>;
}

export interface KafkaProductOutputs extends KafkaProductInputs {
  /** `3 created, 0 updated, ...` from the last apply (or `read from the cluster` after a refresh). */
  lastApply: string;
}

type Provider = Required<Pick<pulumi.dynamic.ResourceProvider<KafkaProductInputs, KafkaProductOutputs>, 'configure' | 'check' | 'diff' | 'create' | 'read' | 'update' | 'delete'>>;

/** The cluster this process talks to: set by configure, or by `useConnection` in tests and benches. */
let target: { connection?: KafkaConnection; problem?: string } = { problem: 'the provider was not configured' };

/**
 * The stack's delete permissions as they are now. A delete gets the props of the resource's last
 * update, so a product removed from the specs, or `pulumi destroy`, would otherwise be held to the
 * permissions of back then: a permission given now also counts.
 */
let currentPermissions: Pick<KafkaProductInputs, 'allowDelete' | 'allowDeletePrivate' | 'allowBreaking'> = {
  allowDelete: false,
  allowDeletePrivate: false,
  allowBreaking: false,
};

interface Session {
  wire: Promise<KafkaWire>;
  snapshot?: Promise<ClusterSnapshot>;
  /** The cluster's lease while writes of this process are under way, shared by them. */
  lease?: { held: Promise<ClusterLease>; users: number };
}
const sessions = new Map<string, Session>();

/** Uses this connection instead of stack config (tests, benchmarks); forgets every snapshot. */
export function useConnection(connection: KafkaConnection): void {
  target = { connection };
  void closeSessions();
}

/** Closes every open connection (the engine ends the process anyway; tests call this). */
export async function closeSessions(): Promise<void> {
  const open = [...sessions.values()];
  sessions.clear();
  await Promise.all(open.map((s) => s.wire.then((w) => w.close()).catch(() => undefined)));
}

function session(): { connection: KafkaConnection; session: Session } {
  if (!target.connection) throw new Error(`meshform kafka: ${target.problem}`);
  const connection = target.connection;
  const key = `${connection.brokers.join(',')}|${connection.sasl?.username ?? ''}`;
  let s = sessions.get(key);
  if (!s) {
    s = { wire: KafkaWire.open(connection) };
    s.wire.catch(() => sessions.delete(key));
    sessions.set(key, s);
  }
  return { connection, session: s };
}

/** The process's snapshot of the whole cluster, read on first use. */
function snapshotOf(s: Session): Promise<ClusterSnapshot> {
  if (!s.snapshot) {
    s.snapshot = s.wire.then(async (wire) => new ClusterSnapshot(await readCluster(wire)));
    s.snapshot.catch(() => (s.snapshot = undefined));
  }
  return s.snapshot;
}

const ACL_FIELDS = ['principal', 'resourceType', 'patternType', 'resourceName', 'operation', 'permission', 'host'] as const;

/** An ACL binding as input text: the JSON array of its fields in a fixed order (principals may hold spaces and commas). */
export function encodeAcl(acl: KafkaAclProps): string {
  return JSON.stringify(ACL_FIELDS.map((f) => acl[f]));
}

/** `encodeAcl` text back to the binding; objects (state written before the text form) pass through. */
export function decodeAcl(value: string | KafkaAclProps): KafkaAclProps {
  if (typeof value !== 'string') return value;
  const fields = JSON.parse(value) as string[];
  return Object.fromEntries(ACL_FIELDS.map((f, i) => [f, fields[i]])) as unknown as KafkaAclProps;
}

function scopeOf(inputs: Pick<KafkaProductInputs, 'product' | 'principal'>): OwnershipScope {
  return new OwnershipScope([inputs.product], new Map([[inputs.product, inputs.principal]]));
}

function resourcesOf(inputs: KafkaProductInputs): Resource[] {
  return [
    ...Object.values(inputs.topics ?? {}).map((properties): Resource => ({ kind: 'kafka:Topic', name: properties.topic, product: inputs.product, properties })),
    ...Object.entries(inputs.acls ?? {}).map(([name, value]): Resource => ({ kind: 'kafka:Acl', name, product: inputs.product, properties: decodeAcl(value) })),
  ];
}

/**
 * Runs `work` with the cluster's lease held: the writes of one process share it (Pulumi runs many at
 * once), and the last one to finish releases it before its answer goes back to the engine, which
 * may end the process then. Another run may have changed the cluster while this process did not
 * hold the lease, so taking it anew drops the snapshot: the next write reads the cluster again.
 */
async function withLease<T>(s: Session, work: (lease: ClusterLease) => Promise<T>): Promise<T> {
  if (!s.lease) {
    const entry = {
      users: 0,
      held: s.wire.then(async (wire) => {
        const lease = await ClusterLease.acquire(wire, leaseOptions());
        s.snapshot = undefined;
        return lease;
      }),
    };
    entry.held.catch(() => s.lease === entry && (s.lease = undefined));
    s.lease = entry;
  }
  const entry = s.lease;
  entry.users++;
  try {
    return await work(await entry.held);
  } finally {
    entry.users--;
    if (entry.users === 0 && s.lease === entry) {
      s.lease = undefined;
      await (await entry.held.catch(() => undefined))?.release();
    }
  }
}

/** A Pulumi write waits for another run's lease MESHFORM_KAFKA_LEASE_WAIT seconds, default 300 (an up is not interactive). */
function leaseOptions(): LeaseOptions {
  return { waitMs: leaseWaitMs(undefined, 300), who: describeSelf('pulumi (meshform Kafka provider)') };
}

/** Diffs the product's slice of the snapshot, writes, reads back its own resources. */
async function reconcileProduct(inputs: KafkaProductInputs, destroy: boolean): Promise<string> {
  const { connection, session: s } = session();
  try {
    return await withLease(s, (lease) => reconcileLeased(inputs, destroy, s, lease));
  } catch (e) {
    if (e instanceof ProductFailure) throw e;
    throw new Error(`meshform kafka (${inputs.product}) at ${describeConnection(connection)}: ${(e as Error).message}`);
  }
}

/** The product's changes did not all succeed: the report says which. */
class ProductFailure extends Error {}

async function reconcileLeased(inputs: KafkaProductInputs, destroy: boolean, s: Session, lease: ClusterLease): Promise<string> {
  const wire = await s.wire;
  const snapshot = await snapshotOf(s);
  const resources = destroy ? [] : resourcesOf(inputs);
  const scope = scopeOf(inputs);
  const declared = declaredNames(resources);
  const report = await reconcile(wire, {
    resources,
    scope,
    permissions: { allowDelete: inputs.allowDelete, allowDeletePrivate: inputs.allowDeletePrivate, allowBreaking: inputs.allowBreaking ?? false },
    consumers: new Map(Object.entries(inputs.consumedBy ?? {})),
    mode: 'apply',
    before: snapshot.select(scope, declared),
    onReadBack: (after) => snapshot.replace(scope, declared, after),
    lease,
  });
  const lines = formatReport(report);
  if (report.summary.failed > 0 || report.summary.refused > 0) {
    throw new ProductFailure(`meshform kafka (${inputs.product}${destroy ? ', destroy' : ''}):\n${lines.join('\n')}`);
  }
  return lines[lines.length - 1];
}

/** `topics["<name>"]`, `acls["<name>"]` and top-level fields whose inputs differ: what preview shows. */
export function changedKeys(olds: Partial<KafkaProductInputs>, news: KafkaProductInputs): string[] {
  const changed: string[] = [];
  for (const field of ['topics', 'acls'] as const) {
    const before: Record<string, unknown> = olds[field] ?? {};
    const after: Record<string, unknown> = news[field] ?? {};
    for (const key of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
      if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) changed.push(`${field}["${key}"]`);
    }
  }
  for (const field of ['allowDelete', 'allowDeletePrivate', 'allowBreaking', 'consumedBy', 'principal'] as const) {
    if (JSON.stringify(olds[field]) !== JSON.stringify(news[field])) changed.push(field);
  }
  return changed;
}

/** Stack config as the engine passes it to dynamic providers: every key with its namespace. */
function meshformConfig(config: pulumi.dynamic.Config): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(STACK_KEYS)) {
    const value = config.get(`meshform:${key}`);
    if (value !== undefined) out[`meshform:${key}`] = value;
  }
  return out;
}

export const provider: Provider = {
  async configure(req) {
    // An explicit provider (disable-default-providers) is given only the Kafka keys; the stack checks
    // still want a GCP project, which this provider never uses.
    const settings = stackFromPulumiConfig('provider', { 'meshform:gcpProject': 'kafka-provider-unused', ...meshformConfig(req.config) }, process.env);
    if (!settings.stack || hasErrors(settings.diagnostics)) {
      target = { problem: `bad stack settings:\n${settings.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic).join('\n')}` };
      return;
    }
    const k = settings.stack.kafka;
    currentPermissions = { allowDelete: k.allowDelete, allowDeletePrivate: k.allowDeletePrivate, allowBreaking: k.allowBreaking ?? false };
    try {
      target = { connection: resolveConnection(settings.stack.kafka.connection) };
    } catch (e) {
      // Reported when a Kafka resource is first written, so a preview without Kafka changes still works.
      target = { problem: (e as Error).message };
    }
  },

  async check(olds, news) {
    const failures: pulumi.dynamic.CheckFailure[] = [];
    for (const [name, topic] of Object.entries(news.topics ?? {})) {
      const old = olds?.topics?.[name];
      if (!old) continue;
      if (topic.partitions < old.partitions) {
        failures.push({ property: 'topics', reason: `REFUSED ${name}: partitions ${old.partitions} -> ${topic.partitions}: Kafka cannot remove partitions; keep ${old.partitions}, or create a new topic and migrate` });
      }
      if (topic.replicas !== old.replicas) {
        failures.push({ property: 'topics', reason: `REFUSED ${name}: replicas ${old.replicas} -> ${topic.replicas}: reassign partitions first (kafka-reassign-partitions), then change the spec` });
      }
    }
    return { inputs: news, failures };
  },

  /**
   * The dynamic-provider protocol has no detailed diff; Pulumi shows the input diff, which names
   * each topic and ACL because they are keyed maps. `olds` are the last outputs, which a refresh
   * replaces with what the cluster holds, so drift shows here. A product is never replaced.
   */
  async diff(_id, olds, news) {
    return { changes: changedKeys(olds, news).length > 0, replaces: [], stables: ['product'], deleteBeforeReplace: false };
  },

  async create(inputs) {
    const lastApply = await reconcileProduct(inputs, false);
    return { id: inputs.product, outs: { ...inputs, lastApply } };
  },

  async update(_id, _olds, news) {
    const lastApply = await reconcileProduct(news, false);
    return { outs: { ...news, lastApply } };
  },

  /**
   * `pulumi refresh`: the product's slice of the snapshot, in the shape of the inputs. What the
   * engine's diff finds unchanged keeps its recorded value (no noise from how Kafka echoes values);
   * anything else is reported as the cluster has it, and missing or extra resources as such.
   */
  async read(id, props) {
    const { session: s } = session();
    const inputs = props as KafkaProductOutputs;
    const resources = resourcesOf(inputs);
    const scope = scopeOf(inputs);
    const slice = (await snapshotOf(s)).select(scope, declaredNames(resources));
    const changes = diffCluster(resources, slice, scope, { allowDelete: true, allowDeletePrivate: true, allowBreaking: true });
    const topics: Record<string, KafkaTopicProps> = {};
    const acls: Record<string, string> = {};
    for (const c of changes) {
      if (c.kind === 'kafka:Topic') {
        if (c.action === 'UNCHANGED') topics[c.topic] = c.desired!;
        else if (c.actual) topics[c.topic] = { topic: c.topic, partitions: c.actual.partitions, replicas: c.actual.replicas, config: { ...c.actual.config } };
      } else if (c.action === 'UNCHANGED') {
        acls[c.name] = encodeAcl(c.acl);
      } else if (c.action === 'DELETE') {
        acls[aclName(c.acl)] = encodeAcl(c.acl);
      }
    }
    return { id, props: { ...inputs, topics, acls, lastApply: 'read from the cluster' } };
  },

  /** Destroy = apply an empty set, under the delete permissions of the resource or of the stack now. */
  async delete(_id, props) {
    await reconcileProduct(
      {
        ...props,
        allowDelete: props.allowDelete || currentPermissions.allowDelete,
        allowDeletePrivate: props.allowDeletePrivate || currentPermissions.allowDeletePrivate,
        allowBreaking: (props.allowBreaking ?? false) || currentPermissions.allowBreaking,
      },
      true,
    );
  },
};
