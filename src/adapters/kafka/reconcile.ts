/**
 * The one Kafka engine: read what the plan owns, diff, and (in apply mode) change it in batches,
 * then read back to report what is really there. Used by `meshform kafka`, Pulumi and the test kit.
 */
import type { Resource } from '../../plan/types';
import { applyChanges, type Outcome } from './apply';
import type { BatchLimits } from './batches';
import type { KafkaConnection } from './connection';
import { diff, normalise, type Change, type DeletePermissions } from './diff';
import { describeChange, summarise, type ApplyState, type KafkaReport, type PlanState, type ResourceStatus } from './report';
import type { OwnershipScope } from './scope';
import { aclKey, readState, type ClusterState } from './state';
import { KafkaWire, type WireOptions } from './wire';

export interface ReconcileRequest {
  /** The plan's resources; kinds other than kafka:* are ignored. */
  resources: readonly Resource[];
  scope: OwnershipScope;
  permissions: DeletePermissions;
  mode: 'plan' | 'apply';
  onProgress?: (message: string) => void;
  limits?: BatchLimits;
  /** How long to wait for reported changes to show in the read-back (default 30 s). */
  readBackWaitMs?: number;
}

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
  const progress = request.onProgress ?? (() => undefined);
  const kafka = request.resources.filter((r) => r.kind === 'kafka:Topic' || r.kind === 'kafka:Acl');
  const declared = declaredNames(kafka);
  progress('reading cluster state');
  const before = await readState(wire, request.scope, declared);
  const changes = diff(kafka, before, request.scope, request.permissions);
  if (request.mode === 'plan') return report('plan', changes.map((c) => status(c, c.action)));

  const pending = changes.filter((c) => c.action === 'CREATE' || c.action === 'UPDATE' || c.action === 'DELETE');
  if (pending.length === 0) return report('apply', changes.map((c) => status(c, c.action as ApplyState)));

  const outcomes = await applyChanges(wire, pending, { limits: request.limits, onProgress: progress });
  progress('verifying');
  const after = await readBack(wire, request, declared, pending, outcomes);
  return report(
    'apply',
    changes.map((c) => {
      if (c.action === 'UNCHANGED' || c.action === 'REFUSED') return status(c, c.action);
      return verified(c, outcomes.get(c), after);
    }),
  );
}

/**
 * Reads the state again, and again while a change the broker reported done is not visible yet: a
 * KRaft broker answers a write once the controller has committed it and serves reads from its own
 * copy of the metadata, which follows a moment later (seconds for a large batch of ACLs). Gives up
 * after `readBackWaitMs`; what is still not visible is then reported FAILED.
 */
async function readBack(
  wire: KafkaWire,
  request: ReconcileRequest,
  declared: ReturnType<typeof declaredNames>,
  pending: Change[],
  outcomes: Map<Change, Outcome>,
): Promise<ClusterState | undefined> {
  const deadline = Date.now() + (request.readBackWaitMs ?? READ_BACK_WAIT_MS);
  for (let pause = 100; ; pause = Math.min(pause * 2, 2000)) {
    let state: ClusterState;
    try {
      state = await readState(wire, request.scope, declared);
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
  else base.acl = change.acl;
  if (change.reason) base.reason = change.reason;
  return base;
}

function report(mode: 'plan' | 'apply', resources: ResourceStatus[]): KafkaReport {
  return { mode, resources, summary: summarise(resources) };
}

function declaredNames(resources: readonly Resource[]): { topics: Set<string>; acls: Set<string> } {
  const topics = new Set<string>();
  const acls = new Set<string>();
  for (const r of resources) {
    if (r.kind === 'kafka:Topic') topics.add(r.properties.topic);
    else if (r.kind === 'kafka:Acl') acls.add(aclKey(r.properties));
  }
  return { topics, acls };
}
