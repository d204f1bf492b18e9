/**
 * The one Kafka engine: read what the plan owns, diff, and (in apply mode) change it in batches,
 * then read back to report what is really there. Used by `meshform kafka`, Pulumi and the test kit.
 */
import type { Resource } from '../../../plan/types';
import { applyChanges, type Outcome } from './apply';
import type { BatchLimits } from './batches';
import type { KafkaConnection } from '../../../stack/kafka-connection';
import { diff, managedQuotas, normalise, sameQuota, type Change, type Consumers, type DeletePermissions } from './diff';
import { QUOTA_KEYS } from '../../../vocabulary/mesh';
import { aclText, describeChange, summarise, type ApplyState, type KafkaReport, type PlanState, type ResourceStatus } from './report';
import type { OwnershipScope } from './scope';
import { aclKey, patternKey, readState, selectState, type AclPattern, type ClusterState } from './state';
import { directReads, type NamedReads } from './shared-reads';
import { KafkaWire, type WireOptions } from '../client/wire';
import type { AdminWrites } from './shared-writes';
import { ClusterLease, type LeaseOptions } from './lease';
import { step } from './trace';

export interface ReconcileRequest {
  /** The plan's resources; kinds other than kafka:* are ignored. */
  resources: readonly Resource[];
  scope: OwnershipScope;
  permissions: DeletePermissions;
  /** Who consumes which topic, mesh-wide: a consumed topic is not deleted without `allowBreaking`. */
  consumers?: Consumers;
  /** Products whose changes must wait, with why (e.g. one of their schemas was refused): REFUSED, nothing applied. */
  holdBack?: ReadonlyMap<string, string>;
  mode: 'plan' | 'apply';
  onProgress?: (message: string) => void;
  limits?: BatchLimits;
  /** How long to wait for reported changes to show in the read-back (default 30 s). */
  readBackWaitMs?: number;
  /**
   * The longest pause between read-back rounds while a change is not visible yet (they start at
   * 100 ms and double; default 2 s). Reads shared by many reconciles (`reads`) make frequent rounds cheap.
   */
  readBackPauseMs?: number;
  /**
   * How a caller that passed `before` learns what its changes made. 'read-back' (default): it reads
   * back the topics and ACL patterns it names, again while the broker's metadata does not show a
   * change yet. 'answers': what the broker's answers tell is taken from them (a binding created or
   * deleted, a topic deleted, a topic created with the partitions, replication factor and configs
   * CreateTopics v5+ answers), and only the rest is read back (failed or unanswered items, topic
   * updates, quotas): a change confirmed by the controller is not waited for until the broker serves it.
   */
  verify?: 'read-back' | 'answers';
  /**
   * With verify 'answers': the scope's part of the caller's snapshot as it is when the answers are
   * in (default `before`). Reconciles that run at once and share bindings of each other's slices
   * (a grant on another product's topic) then apply their answers to what the others wrote meanwhile,
   * not to what was there when they started.
   */
  current?: () => ClusterState;
  /**
   * How a caller that passed `before` reads back its named part: default its own requests on the
   * wire; reconciles that run at once may share one `SharedReads` (shared-reads.ts).
   */
  reads?: NamedReads;
  /**
   * What the scope holds now, when the caller already has it (the Pulumi provider's snapshot):
   * the cluster is then not read before the diff, only after changes.
   */
  before?: ClusterState;
  /** The state read back after changes (the scope's part only), for callers that keep a snapshot. */
  onReadBack?: (state: ClusterState) => void;
  /**
   * All or nothing per product: when one of a product's changes is refused, or Kafka's validate-only
   * check rejects one of its topic creations, partition increases or config changes, the product is
   * held back (as with `holdBack`) and nothing of it is made. ACL changes and deletions have no
   * validate-only check: once attempted, they can still fail on their own.
   */
  allOrNothing?: boolean;
  /** A product with a refused change is held back (nothing of it is made), without allOrNothing's validate-only check. */
  holdRefused?: boolean;
  /** Where changes are written: default the wire; reconciles that run at once may share one `SharedWrites`. */
  writes?: AdminWrites;
  /**
   * Apply mode: the changes a person confirmed (a plan report's resources). If the cluster now needs
   * anything else, StalePlanError is thrown before any change is made.
   */
  approved?: readonly ResourceStatus[];
  /** Plan mode: the changes the report describes (what a saved plan carries; `carryOut` makes them). */
  onChanges?: (changes: readonly Change[]) => void;
  /**
   * Apply mode: how to take the cluster's lease (lease.ts) before reading the cluster, so that no
   * other meshform run changes it until this one is done; or the lease the caller took (the Pulumi
   * provider, whose `before` must be read under it); `false`: none (a test of the engine alone).
   */
  lease?: LeaseOptions | ClusterLease | false;
}

/** The cluster no longer needs exactly the confirmed changes; nothing was changed. */
export class StalePlanError extends Error {}

/** Opens a session, reconciles, closes. Connection problems throw KafkaWireError (redacted). */
export async function reconcileKafka(connection: KafkaConnection, request: ReconcileRequest, wireOptions: WireOptions = {}): Promise<KafkaReport> {
  const wire = await KafkaWire.open(connection, wireOptions);
  try {
    return await reconcile(wire, request);
  } finally {
    await wire.close();
  }
}

export async function reconcile(wire: KafkaWire, request: ReconcileRequest): Promise<KafkaReport> {
  if (request.mode !== 'apply' || request.lease === false) return reconcileHeld(wire, request);
  if (request.lease instanceof ClusterLease) return reconcileHeld(wire, request, request.lease);
  if (request.before) throw new Error('reconcile: `before` must be read under the lease: pass the lease the caller holds');
  // A run with nothing to write takes no lease (two writes and the wait to see its release): the
  // cluster is read first, and only when that read needs changes is the lease taken and the
  // cluster read again under it (what another run wrote meanwhile is then seen).
  const before = await readScope(wire, request, declaredNames(kafkaOf(request.resources)));
  if (!diff(kafkaOf(request.resources), before, request.scope, request.permissions, request.consumers).some(isPending)) return reconcileHeld(wire, { ...request, before });
  const lease = await ClusterLease.acquire(wire, request.lease);
  try {
    return await reconcileHeld(wire, request, lease);
  } finally {
    await lease.release();
  }
}

const kafkaOf = (resources: readonly Resource[]) => resources.filter((r) => r.kind === 'kafka:Topic' || r.kind === 'kafka:Acl' || r.kind === 'kafka:Quota');

/** The scope's state (and the names the plan declares), as a reconcile reads it before its diff. */
function readScope(wire: KafkaWire, request: ReconcileRequest, declared: ReturnType<typeof declaredNames>): Promise<ClusterState> {
  request.onProgress?.('reading cluster state');
  return readState(wire, request.scope, declared);
}

/** Reconciles; in apply mode with the cluster's lease held (by `lease`, or by the caller). */
async function reconcileHeld(wire: KafkaWire, request: ReconcileRequest, lease?: ClusterLease): Promise<KafkaReport> {
  const kafka = kafkaOf(request.resources);
  const declared = declaredNames(kafka);
  const before = request.before ?? (await readScope(wire, request, declared));
  const changes = diff(kafka, before, request.scope, request.permissions, request.consumers);
  const held = new Map(request.holdBack ?? []);
  if (request.allOrNothing || request.holdRefused) holdRefused(changes, held);
  if (request.allOrNothing) await validateOnly(wire, changes, held, request);
  for (const change of changes) {
    const why = held.get(change.product);
    if (!why || change.action === 'UNCHANGED' || change.action === 'REFUSED') continue;
    change.action = 'REFUSED';
    change.reason = `held back: ${why}; nothing of ${change.product} is changed`;
  }
  if (request.mode === 'plan') {
    request.onChanges?.(changes);
    return report('plan', changes.map((c) => status(c, c.action)));
  }
  if (request.approved && !sameChanges(changes.map((c) => status(c, c.action)), request.approved)) {
    throw new StalePlanError('the cluster changed since the plan was shown (or the specs did); nothing was changed: run the command again');
  }

  return carryOut(wire, changes, { ...request, declared, held: lease });
}

/** What `carryOut` needs of a reconcile request, and the names the plan declares (`declaredNames`). */
export type CarryOutRequest = Pick<ReconcileRequest, 'resources' | 'scope' | 'before' | 'writes' | 'limits' | 'onProgress' | 'readBackWaitMs' | 'readBackPauseMs' | 'reads' | 'onReadBack' | 'verify' | 'current'> & {
  declared: ReturnType<typeof declaredNames>;
  /** The cluster's lease this run holds: checked before each batch of writes. */
  held?: ClusterLease;
};

/**
 * Apply mode after the diff: makes the pending changes (CREATE, UPDATE, DELETE) in batches, reads
 * back, and reports every change as the read-back shows it. Also what a saved plan's changes are
 * carried out with (`meshform kafka apply --plan`), once its caller has checked that the cluster
 * is still as the plan found it.
 */
export async function carryOut(wire: KafkaWire, changes: Change[], request: CarryOutRequest): Promise<KafkaReport> {
  const progress = request.onProgress ?? (() => undefined);
  const pending = changes.filter(isPending);
  if (pending.length === 0) return report('apply', changes.map((c) => status(c, c.action as ApplyState)));

  const kafka = kafkaOf(request.resources);
  const outcomes = await step('write', () => applyChanges(request.writes ?? wire, pending, { limits: request.limits, onProgress: progress, beforeBatch: () => request.held?.assertHeld() }));
  progress('verifying');
  const after = await step('readBack', () => verifyChanges(wire, request, kafka, pending, outcomes));
  if (after) request.onReadBack?.(after);
  const done = report(
    'apply',
    changes.map((c) => {
      if (c.action === 'UNCHANGED' || c.action === 'REFUSED') return status(c, c.action);
      return verified(c, outcomes.get(c), after);
    }),
  );
  const cut = after === undefined || pending.some((c) => outcomes.get(c)?.unknown);
  return cut ? { ...done, interrupted: true } : done;
}

const isPending = (c: Change) => c.action === 'CREATE' || c.action === 'UPDATE' || c.action === 'DELETE';

/** Adds to `held` every product with a refused change. */
function holdRefused(changes: readonly Change[], held: Map<string, string>): void {
  for (const c of changes) {
    if (c.action === 'REFUSED' && !held.has(c.product)) held.set(c.product, `all or nothing: ${subject(c)} is refused`);
  }
}

/** All or nothing: adds to `held` every product with a change that Kafka's validate-only check rejects (asked for all such changes at once, in the usual batches). */
async function validateOnly(wire: KafkaWire, changes: readonly Change[], held: Map<string, string>, request: ReconcileRequest): Promise<void> {
  const checked = changes.filter((c) => isPending(c) && !held.has(c.product));
  if (checked.length === 0) return;
  request.onProgress?.('checking the changes with Kafka (validate only)');
  const outcomes = await applyChanges(wire, checked, { limits: request.limits, validateOnly: true });
  for (const [c, outcome] of outcomes) {
    if (!outcome.done && !held.has(c.product)) held.set(c.product, `all or nothing: Kafka would refuse ${subject(c)}: ${outcome.error ?? 'no answer'}`);
  }
}

function subject(c: Change): string {
  return c.kind === 'kafka:Topic' ? `topic ${c.topic}` : c.kind === 'kafka:Quota' ? `quota ${c.principal}` : `acl ${aclText(c.acl)}`;
}

/** The same resources would change in the same way (states compared in plan form). */
function sameChanges(now: readonly ResourceStatus[], approved: readonly ResourceStatus[]): boolean {
  const key = (r: ResourceStatus) => `${r.kind}|${r.name}|${r.state}|${r.changes.join(',')}|${r.reason ?? ''}`;
  const a = now.filter((r) => r.state !== 'UNCHANGED').map(key).sort();
  const b = approved.filter((r) => r.state !== 'UNCHANGED').map(key).sort();
  return a.length === b.length && a.every((k, i) => k === b[i]);
}

/** The scope's state after the changes: read back, or (verify: 'answers') as far as the answers tell, the rest read back. */
async function verifyChanges(wire: KafkaWire, request: CarryOutRequest, kafka: readonly Resource[], pending: Change[], outcomes: Map<Change, Outcome>): Promise<ClusterState | undefined> {
  if (request.verify !== 'answers' || !request.before) {
    const read = readAfter(wire, request, kafka, request.declared);
    return readBack(wire, request, () => step('read', read), pending, outcomes);
  }
  const { state, unconfirmed } = answeredState(request.current?.() ?? request.before, pending, outcomes);
  if (unconfirmed.length === 0) return state;
  // Only what the answers leave open: those topics, those ACL patterns, the quotas if one changed.
  const reads = request.reads ?? directReads(wire);
  const topics = unconfirmed.flatMap((c) => (c.kind === 'kafka:Topic' ? [c.topic] : []));
  const patterns = unconfirmed.flatMap((c) => (c.kind === 'kafka:Acl' ? [c.acl] : []));
  const quotas = unconfirmed.some((c) => c.kind === 'kafka:Quota');
  const read = async () => merged(state, selectState(await reads.readNamed(topics, patterns, quotas), request.scope, request.declared), topics, patterns, quotas);
  return readBack(wire, request, () => step('read', read), unconfirmed, outcomes);
}

/**
 * `before` with the changes the broker's answers confirm (a created or deleted binding, a deleted
 * topic, a created topic whose answer describes it, configs included), and the changes they do not.
 */
function answeredState(before: ClusterState, pending: readonly Change[], outcomes: Map<Change, Outcome>): { state: ClusterState; unconfirmed: Change[] } {
  const topics = new Map(before.topics);
  const acls = new Map(before.acls.map((a) => [aclKey(a), a]));
  const unconfirmed: Change[] = [];
  for (const c of pending) {
    const outcome = outcomes.get(c);
    const configs = outcome?.created?.configs;
    if (!outcome?.done) unconfirmed.push(c);
    else if (c.kind === 'kafka:Acl') {
      if (c.action === 'DELETE') acls.delete(aclKey(c.acl));
      else acls.set(aclKey(c.acl), c.acl);
    } else if (c.kind === 'kafka:Topic' && c.action === 'DELETE') topics.delete(c.topic);
    else if (c.kind === 'kafka:Topic' && c.action === 'CREATE' && outcome.created && configs) {
      const config: Record<string, string> = {};
      const hiddenKeys: string[] = [];
      for (const entry of configs) {
        if (!entry.setOnTopic) continue;
        if (entry.value === null || entry.sensitive) hiddenKeys.push(entry.name);
        else config[entry.name] = entry.value;
      }
      topics.set(c.topic, { name: c.topic, partitions: outcome.created.partitions, replicas: outcome.created.replicas, config, hiddenKeys });
    } else unconfirmed.push(c);
  }
  const list = [...acls.values()];
  return { state: { topics, acls: list, aclKeys: new Set(list.map(aclKey)), ...(before.quotas && { quotas: new Map(before.quotas) }) }, unconfirmed };
}

/** `state` with the named topics, the bindings of the named patterns and (if read) the quotas as `read` has them. */
function merged(state: ClusterState, read: ClusterState, topicNames: readonly string[], patterns: readonly AclPattern[], quotas: boolean): ClusterState {
  const topics = new Map(state.topics);
  for (const name of topicNames) {
    const topic = read.topics.get(name);
    if (topic) topics.set(name, topic);
    else topics.delete(name);
  }
  const reread = new Set(patterns.map(patternKey));
  const acls = [...state.acls.filter((a) => !reread.has(patternKey(a))), ...read.acls.filter((a) => reread.has(patternKey(a)))];
  const quotaState = quotas ? read.quotas : state.quotas;
  return { topics, acls, aclKeys: new Set(acls.map(aclKey)), ...(quotaState && { quotas: quotaState }) };
}

/**
 * How the scope's state is read after changes: the whole cluster as before the diff; or, for a
 * caller that passed its snapshot as `before`, only the topics and ACL patterns the plan declares or
 * the snapshot held for the scope (what the changes can have touched), so that one product's
 * read-back costs the same on a cluster of ten products as on one of thousands.
 */
function readAfter(wire: KafkaWire, request: Pick<ReconcileRequest, 'scope' | 'before' | 'reads'>, kafka: readonly Resource[], declared: ReturnType<typeof declaredNames>): () => Promise<ClusterState> {
  const before = request.before;
  if (!before) return () => readState(wire, request.scope, declared);
  const topics = [...declared.topics, ...before.topics.keys()];
  const patterns = [...kafka.flatMap((r) => (r.kind === 'kafka:Acl' ? [r.properties] : [])), ...before.acls];
  const quotas = declared.quotaUsers.size > 0 || (before.quotas?.size ?? 0) > 0;
  const reads = request.reads ?? directReads(wire);
  return async () => selectState(await reads.readNamed(topics, patterns, quotas), request.scope, declared);
}

/**
 * Reads the state again, and again while a change the broker reported done is not visible yet: a
 * KRaft broker answers a write once the controller has committed it and serves reads from its own
 * copy of the metadata, which follows a moment later (seconds for a large batch of ACLs). Gives up
 * after `readBackWaitMs`; what is still not visible is then reported FAILED.
 */
async function readBack(
  wire: KafkaWire,
  request: Pick<ReconcileRequest, 'readBackWaitMs' | 'readBackPauseMs'>,
  read: () => Promise<ClusterState>,
  pending: Change[],
  outcomes: Map<Change, Outcome>,
): Promise<ClusterState | undefined> {
  const deadline = Date.now() + (request.readBackWaitMs ?? READ_BACK_WAIT_MS);
  const longest = request.readBackPauseMs ?? 2000;
  for (let pause = Math.min(100, longest); ; pause = Math.min(pause * 2, longest)) {
    let state: ClusterState;
    try {
      state = await read();
    } catch {
      return undefined;
    }
    const lagging = pending.some((c) => outcomes.get(c)?.done && !isInPlace(c, state));
    if (!lagging || Date.now() + pause > deadline) return state;
    await new Promise((r) => setTimeout(r, pause));
  }
}

/** How long a read-back waits for changes the broker reported done to become visible. */
const READ_BACK_WAIT_MS = 30000;

function verified(change: Change, outcome: Outcome | undefined, after: ClusterState | undefined): ResourceStatus {
  const done = change.action === 'CREATE' ? 'CREATED' : change.action === 'UPDATE' ? 'UPDATED' : 'DELETED';
  const error = outcome?.error ?? 'not attempted';
  if (after === undefined) {
    // No read-back: report what the broker answered, and say what is unknown.
    if (outcome?.done) return status(change, done);
    const what = outcome?.unknown ? `outcome unknown (connection lost or timed out): ${error}` : error;
    return { ...status(change, 'FAILED'), error: `${what}; could not read back, re-run to converge` };
  }
  // The read-back is the truth, whatever the broker answered (or failed to answer).
  if (isInPlace(change, after)) return status(change, done);
  if (outcome?.done) return { ...status(change, 'FAILED'), error: 'the broker reported success but reading back shows no change' };
  return { ...status(change, 'FAILED'), error: outcome?.unknown ? `not done (connection lost or timed out): ${error}` : error };
}

/** Whether the cluster now looks as the change intended. */
function isInPlace(change: Change, state: ClusterState): boolean {
  if (change.kind === 'kafka:Quota') {
    const now = managedQuotas(state.quotas?.get(change.user));
    if (change.action === 'DELETE') return Object.keys(now).length === 0;
    const want = change.desired ?? {};
    return QUOTA_KEYS.every((k) => (want[k] === undefined ? now[k] === undefined : now[k] !== undefined && sameQuota(now[k], want[k])));
  }
  if (change.kind === 'kafka:Acl') {
    const present = state.aclKeys.has(aclKey(change.acl));
    return change.action === 'DELETE' ? !present : present;
  }
  const topic = state.topics.get(change.topic);
  if (change.action === 'DELETE') return topic === undefined;
  const d = change.desired!;
  if (!topic || topic.partitions !== d.partitions || topic.replicas !== d.replicas) return false;
  const keys = new Set([...Object.keys(d.config), ...Object.keys(topic.config)]);
  return [...keys].every((k) => topic.hiddenKeys.includes(k) || (topic.config[k] !== undefined && d.config[k] !== undefined && normalise(topic.config[k]) === normalise(d.config[k])));
}

function status(change: Change, state: PlanState | ApplyState): ResourceStatus {
  const changes = state === 'UNCHANGED' ? [] : describeChange(change);
  const base: ResourceStatus = { kind: change.kind, name: change.name, product: change.product, state, changes };
  if (change.kind === 'kafka:Topic') base.topic = change.topic;
  else if (change.kind === 'kafka:Quota') base.quota = { principal: change.principal, user: change.user };
  else base.acl = change.acl;
  if (change.reason) base.reason = change.reason;
  return base;
}

function report(mode: 'plan' | 'apply', resources: ResourceStatus[]): KafkaReport {
  return { mode, resources, summary: summarise(resources) };
}

/** The topic names, ACL keys and quota users the resources declare (what an apply may touch). */
export function declaredNames(resources: readonly Resource[]): { topics: Set<string>; acls: Set<string>; quotaUsers: Set<string> } {
  const topics = new Set<string>();
  const acls = new Set<string>();
  const quotaUsers = new Set<string>();
  for (const r of resources) {
    if (r.kind === 'kafka:Topic') topics.add(r.properties.topic);
    else if (r.kind === 'kafka:Acl') acls.add(aclKey(r.properties));
    else if (r.kind === 'kafka:Quota') quotaUsers.add(r.properties.entity.user);
  }
  return { topics, acls, quotaUsers };
}
