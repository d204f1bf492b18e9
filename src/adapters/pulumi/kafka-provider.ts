/**
 * The Kafka dynamic provider's implementation: `meshform/pulumi/kafka-provider`. It runs in the
 * process Pulumi starts for dynamic providers (`pulumi-resource-pulumi-nodejs`), loaded there by
 * package name from the project's folder (provider-shell.ts), so state holds no path and no source of it.
 *
 * - Where and as whom: the stack's `meshform:kafka*` config, which the engine hands every dynamic
 *   provider at Configure (secrets decrypted), with the same MESHFORM_KAFKA_* environment
 *   overrides as the CLI. Nothing of it is a resource input, so a changed variable or password
 *   never shows as a change of every product.
 * - One cluster snapshot per provider process and cluster identity (bootstrap + principal): read
 *   once (Metadata, DescribeConfigs, DescribeAcls); check and diff judge a product's change against
 *   its slice, so `pulumi preview` fails on what `up` would refuse; create/update write (together
 *   with the other products being written at the same time, SharedWrites), take what the broker's
 *   answers confirm from them (CreateTopics v5+ describes each created topic), read back only the
 *   rest, and replace only their slice; read (`pulumi refresh`) answers from it.
 * - A product with anything refused changes nothing; within a product additions come before removals.
 * - Deletes (a product gone from the specs, or `pulumi destroy`): a topic is kept while a consumer
 *   that stays receives from it (a product of this run, or one another stack manages); `destroy`
 *   also deletes `_private` topics when the stack allows deletes, unless it keeps private data
 *   (`meshform:allowDeletePrivate: false` written out).
 */
import type * as pulumi from '@pulumi/pulumi';
import {
  declaredNames,
  describeConnection,
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
  type DeletePermissions,
  type KafkaReport,
  type LeaseOptions,
  type KafkaConnection,
} from '../kafka';
import { SharedWrites } from '../kafka/engine/shared-writes';
import { SharedReads } from '../kafka/engine/shared-reads';
import { DEFAULT_LIMITS } from '../kafka/engine/batches';
import { step, traced } from '../kafka/engine/trace';
import { quotaUser } from '../../plan/kafka';
import { stackSelects } from '../../plan/select';
import type { KafkaAclProps, KafkaTopicProps, PlannedAdoption, Resource } from '../../plan/types';
import { businessDomainOf } from '../../reading/urn';
import { claimsOf, hasVisibilitySegment, inNamespace, namespaceCandidates } from '../../vocabulary/topic-names';
import { formatDiagnostic, hasErrors } from '../../vocabulary/diagnostics';
import { STACK_KEYS } from '../../stack/keys';
import { stackFromPulumiConfig } from '../../stack/load';
import type { StackSelection } from '../../stack/types';
import { QUOTA_KEYS, type Quotas } from '../../vocabulary/mesh';
import { digestOf, encodeAcls, encodeState, encodeTopics, readStored, resourcesOf, storeInputs, storeOutputs, type AclsText, type TopicsText } from './kafka-state';

export interface KafkaProductInputs {
  product: string;
  principal: string;
  /** Desired topics by topic name, as kafka-state.ts writes them (`partitions=3 replicas=1 retention.ms=...`). */
  topics: TopicsText;
  /** Desired ACL bindings by resource pattern, then principal (`ALLOW DESCRIBE,READ`): kafka-state.ts. */
  acls: AclsText;
  /** The product principal's Kafka client quotas (`x-meshform.quotas`, the stack's defaults and factor); absent: none. */
  quotas?: Quotas;
  allowDelete: boolean;
  allowDeletePrivate: boolean;
  /** Delete topics other products still consume (the stack's allowBreaking). */
  allowBreaking?: boolean;
  /** The product's topics that other products in the mesh receive from, with those products. */
  consumedBy?: Record<string, string[]>;
  /** What the product adopted from an existing estate: names outside the convention it owns. */
  adopted?: PlannedAdoption;
  /** Topics of other products it receives from: while it stays, their owners' deletes keep them. */
  consumes?: string[];
}

/**
 * The inputs as the resource keeps them (kafka-state.ts's `storeInputs`): names relative to the
 * product (`~`), each topic with its readers (`3x1 retention.ms=1000 read-by User:*`), the other
 * bindings in `acls` without the owner's on its prefixes (the word `ownerAcls`), the delete
 * permissions as words of `flags`, the principal only when it is not `User:<product>`. States
 * written by earlier releases (f172c3e: `relative: true`; 5ccb533 and older: names in full) are read too.
 */
export interface StoredKafkaInputs {
  product: string;
  principal?: string;
  topics: TopicsText;
  acls?: AclsText;
  /** `ownerAcls allowDelete allowDeletePrivate allowBreaking`, the words that hold. */
  flags: string;
  quotas?: Quotas;
  consumedBy?: Record<string, string[]>;
  adopted?: PlannedAdoption;
  consumes?: string[];
}

/**
 * What diff, destroy and refresh need (the engine gives a dynamic provider only the outputs
 * there): the settings, not the topics and ACLs, which a digest stands for, nor the topics it
 * receives from, which only its check uses (from the inputs). In full, as the provider works with them.
 */
export interface KafkaProductOutputs extends Omit<KafkaProductInputs, 'topics' | 'acls' | 'consumes'> {
  /** `digestOf(topics, acls)` of what the last apply made (or the last refresh read). */
  applied: string;
  /** Declared topics and ACLs the product's names do not cover (read back and refreshed by name). */
  outside?: { topics: TopicsText; acls: AclsText };
}

/** The outputs as the resource keeps them (kafka-state.ts's `storeOutputs`): no product (the id), flags, relative names. */
export type StoredKafkaOutputs = Omit<KafkaProductOutputs, 'product' | 'principal' | 'allowDelete' | 'allowDeletePrivate' | 'allowBreaking'> & { principal?: string; flags: string };

/** State written by meshform before the compact form: full topics and ACLs in the outputs too. */
interface LegacyProps extends Omit<KafkaProductInputs, 'topics' | 'acls'> {
  topics: Record<string, KafkaTopicProps>;
  acls: Record<string, string | KafkaAclProps>;
}

type Props = KafkaProductOutputs | LegacyProps | KafkaProductInputs;

/** Inputs and outputs of any release's state, or in full (tests). */
type AnyInputs = StoredKafkaInputs | KafkaProductInputs;
type AnyOutputs = StoredKafkaOutputs | KafkaProductOutputs;

type Provider = Required<Pick<pulumi.dynamic.ResourceProvider<AnyInputs, AnyOutputs>, 'configure' | 'check' | 'diff' | 'create' | 'read' | 'update' | 'delete'>>;

/** The cluster this process talks to: set by configure, or by `useConnection` in tests and benches. */
let target: { connection?: KafkaConnection; problem?: string } = { problem: 'the provider was not configured' };

/**
 * The stack as it is now (its config at Configure). A delete gets the props of the resource's last
 * update, so a product removed from the specs, or `pulumi destroy`, would otherwise be held to the
 * permissions of back then: a permission given now also counts.
 */
let stackNow: {
  permissions: Required<DeletePermissions>;
  /** `meshform:allowDeletePrivate: false` written out: the stack keeps private data, also on destroy. */
  keepsPrivate: boolean;
  selection?: StackSelection;
} = { permissions: { allowDelete: false, allowDeletePrivate: false, allowBreaking: false }, keepsPrivate: false };

/**
 * The products registered in this run (their check was called), with the topics they receive from.
 * The engine checks every resource the program registers before it deletes those it did not; in
 * `pulumi destroy` the program does not run, and none is registered.
 */
const registered = new Map<string, Set<string>>();

interface Session {
  wire: Promise<KafkaWire>;
  writes?: SharedWrites;
  /**
   * Read-backs of the products being written, shared, on a connection of their own: a broker
   * answers one request of a connection at a time, so reads there never wait behind a write the
   * broker forwards to the controller.
   */
  reads?: Promise<{ wire: KafkaWire; reads: SharedReads }>;
  snapshot?: Promise<ClusterSnapshot>;
  /** The snapshot last read (its size tells how wide a shared read-back may go). */
  known?: ClusterSnapshot;
  /** The cluster's lease while writes of this process are under way, shared by them. */
  lease?: { held: Promise<ClusterLease>; users: number };
  /** The last lease's release while it is under way: a next lease is taken after it (else the old binding looks like another run's). */
  releasing?: Promise<void>;
}
const sessions = new Map<string, Session>();

/** Uses this connection instead of stack config (tests, benchmarks); forgets every snapshot. */
export function useConnection(connection: KafkaConnection): void {
  target = { connection };
  void closeSessions();
}

/** Closes every open connection and forgets this run's registrations (the engine ends the process anyway; tests call this). */
export async function closeSessions(): Promise<void> {
  const open = [...sessions.values()];
  sessions.clear();
  registered.clear();
  await Promise.all(open.flatMap((s) => [s.wire.then((w) => w.close()).catch(() => undefined), s.reads?.then((r) => r.wire.close()).catch(() => undefined)]));
}

/**
 * How long a product's first write waits for other products' writes to go out in the same request
 * (MESHFORM_KAFKA_WRITE_WINDOW_MS, default 20 ms): a broker forwards admin writes to the controller
 * one at a time, so on real Kafka one request for several products costs about what one costs.
 */
export function writeWindowMs(env: NodeJS.ProcessEnv = process.env): number {
  const value = env.MESHFORM_KAFKA_WRITE_WINDOW_MS?.trim();
  return value && /^\d+$/.test(value) ? Number(value) : 20;
}

/** The session's shared read-backs, on their own connection, opened on first use. */
function readsOf(s: Session, connection: KafkaConnection): Promise<SharedReads> {
  if (!s.reads) {
    s.reads = KafkaWire.open(connection).then((wire) => ({ wire, reads: new SharedReads(wire, { wideAt: () => wideAt(s.known?.aclCount ?? 0), restMs: READ_BACK_REST_MS }) }));
    s.reads.catch(() => (s.reads = undefined));
  }
  return s.reads.then((r) => r.reads);
}

function session(): { connection: KafkaConnection; session: Session } {
  if (!target.connection) throw new Error(`meshform kafka: ${target.problem}`);
  const connection = target.connection;
  const key = `${connection.brokers.join(',')}|${connection.sasl?.username ?? ''}`;
  let s = sessions.get(key);
  if (!s) {
    const created: Session = { wire: KafkaWire.open(connection) };
    created.wire.then((w) => (created.writes = new SharedWrites(w, DEFAULT_LIMITS, writeWindowMs()))).catch(() => sessions.delete(key));
    s = created;
    sessions.set(key, s);
  }
  return { connection, session: s };
}

/**
 * The process's snapshot of the cluster, read on first use: every topic and ACL binding, with the
 * configs of every topic but those in the namespace of a product another stack manages (a stack
 * of 100 products on a cluster of thousands reads its own part's configs, not the cluster's).
 */
function snapshotOf(s: Session): Promise<ClusterSnapshot> {
  if (!s.snapshot) {
    const selection = stackNow.selection;
    s.snapshot = s.wire.then(async (wire) => {
      const snapshot = new ClusterSnapshot(await readCluster(wire, (topic) => readsConfigsOf(selection, topic)));
      s.known = snapshot;
      return snapshot;
    });
    s.snapshot.catch(() => (s.snapshot = undefined));
  }
  return s.snapshot;
}

/** Whether the snapshot of a stack with this selection reads the topic's configs: not for another stack's product's topics. */
export function readsConfigsOf(selection: StackSelection | undefined, topic: string): boolean {
  if (!selection || !hasVisibilitySegment(topic)) return true;
  return namespaceCandidates(topic).some((c) => inNamespace(c, topic) && stackSelects(selection, { id: c, businessDomain: businessDomainOf(c) }));
}

const ACL_FIELDS = ['principal', 'resourceType', 'patternType', 'resourceName', 'operation', 'permission', 'host'] as const;

/** A binding of state written before the compact form: the JSON array of its fields, or the object itself. */
export function decodeAcl(value: string | KafkaAclProps): KafkaAclProps {
  if (typeof value !== 'string') return value;
  const fields = JSON.parse(value) as string[];
  return Object.fromEntries(ACL_FIELDS.map((f, i) => [f, fields[i]])) as unknown as KafkaAclProps;
}

function isLegacy(props: Partial<Props> | undefined): props is LegacyProps {
  const p = props as Partial<LegacyProps> | undefined;
  const topics = Object.values(p?.topics ?? {});
  const acls = Object.values(p?.acls ?? {});
  return topics.some((t) => typeof t === 'object') || acls.some((a) => typeof a === 'string' || 'principal' in (a as object));
}

/**
 * The digest of what the last apply made: recorded in the outputs, or, in a state written before
 * the compact form (whose outputs hold the topics and ACLs themselves), computed from them.
 */
function appliedOf(props: Props): string | undefined {
  if (isLegacy(props)) {
    const text = desiredText(props);
    return digestOf(text.topics, text.acls);
  }
  return 'applied' in props ? props.applied : undefined;
}

/** Topics and ACLs of inputs, or of legacy props, in the compact form. */
function desiredText(props: KafkaProductInputs | LegacyProps): { topics: TopicsText; acls: AclsText } {
  if (!isLegacy(props)) return { topics: props.topics ?? {}, acls: props.acls ?? {} };
  return { topics: encodeTopics(Object.values(props.topics ?? {})), acls: encodeAcls(Object.values(props.acls ?? {}).map(decodeAcl)) };
}

/** The product's part of the cluster: its namespace and the names it adopted (`OwnershipScope.ofPlan`'s rules). */
function scopeOf(inputs: Pick<KafkaProductInputs, 'product' | 'principal' | 'adopted'>): OwnershipScope {
  const { product, principal, adopted } = inputs;
  // A product with adopted principals has no template principal: no CLUSTER ACL is its.
  const principals = adopted?.principals.length ? new Map<string, string>() : new Map([[product, principal]]);
  return new OwnershipScope([product], principals, adopted ? new Map([[product, claimsOf(adopted)]]) : new Map());
}

/** The principals the product's quotas are set on: the principals it adopted, else its template principal. */
function quotaPrincipals(inputs: Pick<KafkaProductInputs, 'principal' | 'adopted'>): string[] {
  return inputs.adopted?.principals.length ? inputs.adopted.principals : [inputs.principal];
}

/** Declared names the product's own names do not cover (usually none): kept in outputs so refresh reads them by name. */
function outsideOf(inputs: KafkaProductInputs): KafkaProductOutputs['outside'] {
  const scope = scopeOf(inputs);
  const topics = Object.fromEntries(Object.entries(inputs.topics ?? {}).filter(([name]) => !scope.ownsTopic(name)));
  const acls = encodeAcls(resourcesOf(inputs.product, {}, inputs.acls).flatMap((r) => (r.kind === 'kafka:Acl' && scope.ownerOfAcl(r.properties) === undefined ? [r.properties] : [])));
  return Object.keys(topics).length + Object.keys(acls).length > 0 ? { topics, acls } : undefined;
}

/** The plan resources the inputs stand for: topics, ACL bindings and the principal's quota. */
function desiredResources(inputs: KafkaProductInputs): Resource[] {
  const resources = resourcesOf(inputs.product, inputs.topics, inputs.acls);
  if (!inputs.quotas || Object.keys(inputs.quotas).length === 0) return resources;
  const quotas = inputs.quotas;
  return [
    ...resources,
    ...quotaPrincipals(inputs).map((principal): Resource => ({
      kind: 'kafka:Quota',
      name: `quota ${principal}`,
      product: inputs.product,
      properties: { principal, entity: { user: quotaUser(principal) }, quotas },
    })),
  ];
}

/**
 * The managed quota keys the cluster holds for the product's principals; undefined when they were
 * not read. With several (adopted) principals, one whose values differ from `recorded` wins, so
 * drift on any of them shows.
 */
function quotasHeld(slice: { quotas?: Map<string, Record<string, number>> }, principals: readonly string[], recorded: Quotas | undefined): Quotas | undefined {
  if (!slice.quotas) return undefined;
  const helds = principals.map((principal) => {
    const values = slice.quotas!.get(quotaUser(principal)) ?? {};
    const held: Quotas = {};
    for (const key of QUOTA_KEYS) if (values[key] !== undefined) held[key] = values[key];
    return held;
  });
  return helds.find((held) => !sameQuotas(Object.keys(held).length > 0 ? held : undefined, recorded)) ?? helds[0];
}

const sameQuotas = (a: Quotas | undefined, b: Quotas | undefined) => QUOTA_KEYS.every((key) => a?.[key] === b?.[key]);

/** What a product's resource keeps once `inputs` are applied; exported for the bench's engine floor (bench/instant-kafka-provider.js). */
export function outputsOf(inputs: KafkaProductInputs): StoredKafkaOutputs {
  const { topics, acls, consumes: _c, ...rest } = inputs;
  const outside = outsideOf(inputs);
  // The digest is of the names in full and every binding written out: the same as earlier releases' states hold.
  return storeOutputs({ ...rest, applied: digestOf(topics, acls), ...(outside && { outside }) }) as unknown as StoredKafkaOutputs;
}

/** Inputs or outputs of any release's state in full (what the engine works with); `id` is the product where outputs leave it out. */
function full(props: AnyInputs, id?: string): KafkaProductInputs;
function full(props: AnyOutputs | Props, id?: string): Props;
function full(props: unknown, id?: string): unknown {
  return readStored(props, id);
}

const permissionsOf = (p: Pick<KafkaProductInputs, 'allowDelete' | 'allowDeletePrivate' | 'allowBreaking'>): Required<DeletePermissions> => ({
  allowDelete: p.allowDelete,
  allowDeletePrivate: p.allowDeletePrivate,
  allowBreaking: p.allowBreaking ?? false,
});

/**
 * Runs `work` with the cluster's lease held: the writes of one process share it (Pulumi runs many at
 * once), and the last one to finish releases it before its answer goes back to the engine, which
 * may end the process then. Another run may have changed the cluster while this process did not
 * hold the lease, so taking it anew drops the snapshot: the next write reads the cluster again.
 */
async function withLease<T>(s: Session, work: (lease: ClusterLease) => Promise<T>): Promise<T> {
  while (!s.lease && s.releasing) await s.releasing;
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
    return await work(await step('lease', () => entry.held));
  } finally {
    entry.users--;
    // The engine hands over the next product a moment after the last one's answer: the last user
    // keeps the lease (and the snapshot it guards) that long for it, instead of releasing, taking
    // it anew and reading the whole cluster again. It still releases before it answers, as the
    // engine may end the process then.
    if (entry.users === 0 && s.lease === entry) await step('grace', () => new Promise((r) => setTimeout(r, LEASE_GRACE_MS)));
    if (entry.users === 0 && s.lease === entry) await step('release', () => releaseLease(s, entry));
  }
}

/**
 * Releases the lease and waits until the broker shows the release: the writes under it were
 * confirmed by the broker's answers, not read back, and a reader that comes right after the up
 * (`pulumi refresh`) must see them (lease.ts: a broker shows the log in order).
 */
async function releaseLease(s: Session, entry: NonNullable<Session['lease']>): Promise<void> {
  s.lease = undefined;
  const releasing = entry.held.then((lease) => lease.release({ visible: true })).catch(() => undefined);
  s.releasing = releasing;
  await releasing;
  if (s.releasing === releasing) s.releasing = undefined;
}

/** How long the last write of a burst keeps the cluster's lease for a next product before it releases it. */
const LEASE_GRACE_MS = 250;

/** A Pulumi write waits for another run's lease MESHFORM_KAFKA_LEASE_WAIT seconds, default 300 (an up is not interactive). */
function leaseOptions(): LeaseOptions {
  return { waitMs: leaseWaitMs(undefined, 300), who: describeSelf('pulumi (meshform Kafka provider)') };
}

/**
 * A product waiting for its changes to show asks again at once: the shared rounds keep the rhythm,
 * READ_BACK_REST_MS apart, each answering every product then waiting.
 */
const READ_BACK_PAUSE_MS = 0;
const READ_BACK_REST_MS = 100;

/**
 * A round reads every binding (one DescribeAcls) instead of one per pattern from this many patterns:
 * one request costs the broker a scan of all its bindings anyway, so a wide answer is worth up to
 * ~250 bindings per pattern it replaces (at least 8 patterns, about half a product's).
 */
export const wideAt = (clusterAcls: number) => Math.max(8, Math.ceil(clusterAcls / 250));

/** Kafka's part of one product's operation: its slice of the snapshot, the engine, and the report; writes under the cluster's lease. */
async function reconcileProduct(
  inputs: Pick<KafkaProductInputs, 'product' | 'principal'>,
  resources: Resource[],
  request: { permissions: Required<DeletePermissions>; consumers: ReadonlyMap<string, readonly string[]>; mode: 'plan' | 'apply' },
): Promise<{ report: KafkaReport; connection: KafkaConnection }> {
  const { connection, session: s } = session();
  const run = async (lease?: ClusterLease): Promise<KafkaReport> => {
    const wire = await s.wire;
    const snapshot = await step('snapshot', () => snapshotOf(s));
    const scope = scopeOf(inputs);
    const declared = declaredNames(resources);
    return reconcile(wire, {
      resources,
      scope,
      permissions: request.permissions,
      consumers: request.consumers,
      mode: request.mode,
      holdRefused: true,
      writes: s.writes,
      // What the broker's answers confirm is not read back: a product holds an engine slot for its
      // writes, not for the broker's metadata to catch up; the rest is read back (shared rounds).
      ...(request.mode === 'apply' && { verify: 'answers' as const, reads: await readsOf(s, connection), readBackPauseMs: READ_BACK_PAUSE_MS }),
      before: snapshot.select(scope, declared),
      current: () => snapshot.select(scope, declared),
      onReadBack: (after) => snapshot.replace(scope, declared, after),
      ...(lease && { lease }),
    });
  };
  try {
    return { report: await traced(request.mode === 'apply' ? 'write' : 'judge', inputs.product, () => (request.mode === 'apply' ? withLease(s, run) : run())), connection };
  } catch (e) {
    throw new Error(`meshform kafka (${inputs.product}) at ${describeConnection(connection)}: ${(e as Error).message}`);
  }
}

/** What a Pulumi user changes for a refusal the report names: the stack setting behind each flag. */
function remedies(lines: readonly string[]): string[] {
  const settings = [
    ['--allow-delete-private', 'meshform:allowDeletePrivate'],
    ['--allow-breaking', 'meshform:allowBreaking'],
    ['--allow-delete ', 'meshform:allowDelete'],
  ].filter(([flag]) => lines.some((l) => l.startsWith('!') && l.includes(flag)));
  return settings.length === 0
    ? []
    : [`in Pulumi the permissions are stack settings: pulumi config set ${settings.map(([, key]) => `${key} true`).join(', ')} (then pulumi up, so that the provider has them)`];
}

function failOnRefusals(product: string, what: string, report: KafkaReport): string {
  const lines = formatReport(report);
  if (report.summary.failed > 0 || report.summary.refused > 0) {
    // Report lines are made of names, operations and the broker's words: never the password (docs/security.md).
    throw new Error([`meshform kafka (${product}${what}):`, ...lines, ...remedies(lines)].join('\n'));
  }
  return lines[lines.length - 1];
}

/** The refusals `up` would meet, judged against the snapshot; nothing is written. */
async function judge(inputs: KafkaProductInputs): Promise<string[]> {
  const { report } = await reconcileProduct(inputs, desiredResources(inputs), {
    permissions: permissionsOf(inputs),
    consumers: new Map(Object.entries(inputs.consumedBy ?? {})),
    mode: 'plan',
  });
  if (report.summary.refused === 0) return [];
  const lines = formatReport(report).filter((l) => l.startsWith('! REFUSED') && !l.includes('held back: '));
  return [...lines, ...remedies(lines)];
}

/**
 * Each product's last apply in this process, `3 created, 0 updated, ...`: state keeps no copy (it
 * is rewritten at every checkpoint and nothing reads it back); tests read it here.
 */
const summaries = new Map<string, string>();
export const lastApplyOf = (product: string): string | undefined => summaries.get(product);

async function apply(inputs: KafkaProductInputs): Promise<StoredKafkaOutputs> {
  const { report } = await reconcileProduct(inputs, desiredResources(inputs), {
    permissions: permissionsOf(inputs),
    consumers: new Map(Object.entries(inputs.consumedBy ?? {})),
    mode: 'apply',
  });
  summaries.set(inputs.product, failOnRefusals(inputs.product, '', report));
  return outputsOf(inputs);
}

/**
 * Consumers of the product's topics that stay after this run: recorded ones another stack manages,
 * and products registered in this run that receive from them (in `destroy`: none of this stack).
 */
function stayingConsumers(props: Props): Map<string, string[]> {
  const staying = new Map<string, string[]>();
  const add = (topic: string, consumer: string) => {
    const list = staying.get(topic) ?? [];
    if (!list.includes(consumer)) staying.set(topic, [...list, consumer].sort());
  };
  const inStack = (id: string) => stackSelects(stackNow.selection, { id, businessDomain: businessDomainOf(id) });
  for (const [topic, consumers] of Object.entries(props.consumedBy ?? {})) {
    for (const c of consumers) if (!inStack(c)) add(topic, c);
  }
  const scope = scopeOf(props);
  for (const [consumer, topics] of registered) {
    if (consumer === props.product) continue;
    for (const topic of topics) if (scope.ownsTopic(topic)) add(topic, consumer);
  }
  return staying;
}

/** `topics["<name>"]`, `acls["<pattern>"]` and top-level fields whose inputs differ: what preview shows. */
export function changedKeys(olds: Partial<KafkaProductInputs>, news: KafkaProductInputs): string[] {
  const changed: string[] = [];
  for (const field of ['topics', 'acls'] as const) {
    const before: Record<string, unknown> = olds[field] ?? {};
    const after: Record<string, unknown> = news[field] ?? {};
    for (const key of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
      if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) changed.push(`${field}["${key}"]`);
    }
  }
  return [...changed, ...changedSettings(olds, news)];
}

/** Settings whose change is an update; the topics a product receives from are not (only its check reads them, from the inputs). */
const SETTINGS = ['quotas', 'allowDelete', 'allowDeletePrivate', 'allowBreaking', 'consumedBy', 'principal', 'adopted'] as const;

/** A setting's value for comparison: absent, `false` and `{}` (no consumers) are the same, as every release's state writes them. */
const settingText = (value: unknown) => JSON.stringify(value === false || (typeof value === 'object' && value !== null && Object.keys(value).length === 0) ? null : (value ?? null));

function changedSettings(olds: Partial<Props>, news: KafkaProductInputs): string[] {
  return SETTINGS.filter((field) => settingText(olds[field]) !== settingText(news[field]));
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
    const config = meshformConfig(req.config);
    const settings = stackFromPulumiConfig('provider', { 'meshform:gcpProject': 'kafka-provider-unused', ...config }, process.env);
    if (!settings.stack || hasErrors(settings.diagnostics)) {
      target = { problem: `bad stack settings:\n${settings.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic).join('\n')}` };
      return;
    }
    const k = settings.stack.kafka;
    stackNow = {
      permissions: { allowDelete: k.allowDelete, allowDeletePrivate: k.allowDeletePrivate, allowBreaking: k.allowBreaking },
      keepsPrivate: config['meshform:allowDeletePrivate'] === 'false',
      selection: settings.stack.selection,
    };
    try {
      target = { connection: resolveConnection(settings.stack.kafka.connection) };
    } catch (e) {
      // Reported when a Kafka resource is first judged or written, so a preview without Kafka changes still works.
      target = { problem: (e as Error).message };
    }
  },

  /**
   * Records the product as registered in this run; refuses a partition decrease or a
   * replication-factor change against the last inputs, and, for a new product, what the cluster
   * would make `up` refuse (a product already in the state is judged in diff, against its outputs).
   */
  async check(oldInputs, newInputs) {
    const olds: KafkaProductInputs | LegacyProps | undefined = oldInputs?.product ? full(oldInputs) : undefined;
    const news = full(newInputs);
    registered.set(news.product, new Set(news.consumes ?? []));
    const failures: pulumi.dynamic.CheckFailure[] = [];
    const before = olds?.product ? resourcesOf(olds.product, desiredText(olds).topics, {}) : [];
    const after = new Map(resourcesOf(news.product, news.topics, {}).map((r) => [r.name, r.properties as KafkaTopicProps]));
    for (const r of before) {
      const old = r.properties as KafkaTopicProps;
      const topic = after.get(r.name);
      if (!topic) continue;
      if (topic.partitions < old.partitions) {
        failures.push({ property: 'topics', reason: `REFUSED ${r.name}: partitions ${old.partitions} -> ${topic.partitions}: Kafka cannot remove partitions; keep ${old.partitions}, or create a new topic and migrate` });
      }
      if (topic.replicas !== old.replicas) {
        failures.push({ property: 'topics', reason: `REFUSED ${r.name}: replicas ${old.replicas} -> ${topic.replicas}: reassign partitions first (kafka-reassign-partitions), then change the spec` });
      }
    }
    if (failures.length === 0 && !olds?.product) {
      for (const reason of await judge(news)) failures.push({ property: 'topics', reason });
    }
    return { inputs: newInputs, failures };
  },

  /**
   * Changes when the topics and ACLs differ from what the last apply made (or a refresh read), or a
   * setting does. A change `up` would refuse fails here, so `pulumi preview` names it and nothing
   * is changed. The dynamic-provider protocol has no detailed diff: Pulumi shows the input diff,
   * which names each topic and ACL pattern. A product is never replaced.
   */
  async diff(id, olds, recorded) {
    const props = full(olds, id);
    // `pulumi refresh` diffs the recorded inputs, which a state written before the compact form holds in the old shape.
    const inputs = full(recorded);
    const news: KafkaProductInputs = { ...inputs, ...desiredText(inputs) };
    const applied = appliedOf(props);
    const changes = applied === undefined || applied !== digestOf(news.topics, news.acls) || changedSettings(props, news).length > 0;
    if (changes) {
      const refused = await judge(news);
      if (refused.length > 0) throw new Error([`meshform kafka (${news.product}): up would refuse this change, so nothing of it is made:`, ...refused].join('\n'));
    }
    return { changes, replaces: [], stables: ['product'], deleteBeforeReplace: false };
  },

  async create(inputs) {
    return { id: inputs.product, outs: await apply(full(inputs)) };
  },

  async update(_id, _olds, news) {
    return { outs: await apply(full(news)) };
  },

  /**
   * `pulumi refresh`: the product's slice of the snapshot in the inputs' form. When it is what the
   * last apply made, nothing changes; otherwise the recorded inputs become what the cluster holds
   * (so the next preview shows each topic and ACL pattern that drifted) and outputs its digest.
   */
  async read(id, olds) {
    const { session: s } = session();
    const props = full(olds as AnyOutputs, id);
    const legacy = isLegacy(props) ? desiredText(props) : undefined;
    const outside = legacy ?? (props as KafkaProductOutputs).outside ?? { topics: {}, acls: {} };
    const scope = scopeOf(props);
    const declared = declaredNames(resourcesOf(props.product, outside.topics, outside.acls));
    // Adopted principals' quotas are not the scope's (the estate's stay): read by name when the product sets some.
    if (props.adopted?.principals.length && props.quotas && Object.keys(props.quotas).length > 0) for (const p of quotaPrincipals(props)) declared.quotaUsers.add(quotaUser(p));
    const slice = (await snapshotOf(s)).select(scope, declared);
    const text = encodeState(slice);
    const digest = digestOf(text.topics, text.acls);
    // Quotas are read only where the cluster serves them (or a product plans some): else kept as recorded.
    const held = quotasHeld(slice, quotaPrincipals(props), props.quotas) ?? props.quotas;
    const quotas = held && Object.keys(held).length > 0 ? held : undefined;
    if (digest === appliedOf(props) && sameQuotas(quotas, props.quotas)) return { id, props: olds };
    const { topics: _t, acls: _a, applied: _d, outside: _o, lastApply: _l, quotas: _q, relative: _r, ownerAcls: _oa, ...settings } = props as Partial<KafkaProductOutputs & LegacyProps> & { lastApply?: string; relative?: true; ownerAcls?: true };
    const inputs = { ...(settings as Omit<KafkaProductInputs, 'topics' | 'acls' | 'quotas'>), ...text, ...(quotas && { quotas }) };
    // The SDK types `inputs` as outputs; the engine records them as the resource's inputs.
    return { id, props: outputsOf(inputs), inputs: storeInputs(inputs) as unknown as StoredKafkaOutputs };
  },

  /**
   * Destroy = apply an empty set, under the delete permissions of the resource or of the stack now;
   * only consumers that stay keep a topic; `pulumi destroy` also deletes `_private` topics of a stack
   * that allows deletes, unless the stack keeps private data.
   */
  async delete(id, olds) {
    const props = full(olds, id);
    const destroy = registered.size === 0;
    const allowDelete = props.allowDelete || stackNow.permissions.allowDelete;
    const permissions: Required<DeletePermissions> = {
      allowDelete,
      allowDeletePrivate: props.allowDeletePrivate || stackNow.permissions.allowDeletePrivate || (destroy && allowDelete && !stackNow.keepsPrivate),
      allowBreaking: (props.allowBreaking ?? false) || stackNow.permissions.allowBreaking,
    };
    const { report } = await reconcileProduct(props, [], { permissions, consumers: stayingConsumers(props), mode: 'apply' });
    failOnRefusals(props.product, destroy ? ', destroy' : ', removed from the specs', report);
  },
};
