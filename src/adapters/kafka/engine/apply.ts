/**
 * Carries out a change set in batches: new ACLs, topics, partitions, configs, then deletions (ACLs
 * before topics; ACLs only when every new ACL was made, so no principal passes through less access). New ACLs come first so a topic's grants are in place when it appears, and because
 * a KRaft broker applies metadata in order: ACLs committed after a batch of new topics become
 * visible only once the broker has created those topics' logs (seconds for a few hundred topics on
 * a small machine), ACLs committed before are visible at once. Every per-item answer is kept; a request that fails as a whole leaves its
 * items "outcome unknown" and the next batch is still attempted. The caller verifies by reading back.
 */
import type { KafkaAclProps } from '../../../plan/types';
import { DEFAULT_LIMITS, splitBatches, stringBytes, type BatchLimits } from './batches';
import type { AclChange, Change, QuotaChange, TopicChange } from './diff';
import type { QuotaAlteration } from '../client/requests/client-quotas';
import type { KafkaConnection } from '../../../stack/kafka-connection';
import { CONFIG_OP, errorName } from '../client/protocol';
import { RIGHTS, authorizationMessage, isAuthorizationError, type Right } from '../client/rights';
import type { ItemResult } from '../client/wire';
import { KafkaWireError } from '../client/wire';
import type { AdminWrites } from './shared-writes';

export interface Outcome {
  /** True when the broker answered "done" for this item. */
  done: boolean;
  /** The request failed as a whole (connection lost, timeout): the broker may or may not have done it. */
  unknown?: boolean;
  /** The Kafka error for this item, or why the request failed. */
  error?: string;
  /** A created topic as the broker's answer describes it (CreateTopics v5+). */
  created?: ItemResult['created'];
}

export interface ApplyOptions {
  limits?: BatchLimits;
  onProgress?: (message: string) => void;
  /**
   * Ask the broker to check topic creations, partition increases and config changes without
   * making them (Kafka's validate-only); ACL changes and deletions have no such check and are left out.
   */
  validateOnly?: boolean;
  /** Called before each batch is sent; what it throws stops the run (a lost lease). */
  beforeBatch?: () => void;
}

export async function applyChanges(wire: AdminWrites, changes: readonly Change[], options: ApplyOptions = {}): Promise<Map<Change, Outcome>> {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const progress = options.onProgress ?? (() => undefined);
  const validateOnly = options.validateOnly ?? false;
  const checking = (label: string) => (validateOnly ? `checking ${label}` : label);
  const outcomes = new Map<Change, Outcome>();
  const topics = changes.filter((c): c is TopicChange => c.kind === 'kafka:Topic');
  const acls = changes.filter((c): c is AclChange => c.kind === 'kafka:Acl');
  const quotas = changes.filter((c): c is QuotaChange => c.kind === 'kafka:Quota');

  /** Runs one phase batch by batch, recording an outcome per item. */
  async function phase<T extends Change>(
    label: string,
    items: T[],
    weigh: (item: T) => { bytes: number; records: number },
    send: (batch: T[]) => Promise<(ItemResult | undefined)[]>,
    right: (item: T) => Right,
    merge = false,
  ): Promise<void> {
    const batches = splitBatches(items, weigh, limits);
    for (const [i, batch] of batches.entries()) {
      progress(`${label}: ${batch.length}${batches.length > 1 ? ` (batch ${i + 1}/${batches.length})` : ''}`);
      options.beforeBatch?.();
      try {
        const results = await send(batch);
        batch.forEach((change, j) => record(change, toOutcome(results[j], wire.connection, () => right(change)), merge));
      } catch (e) {
        const unknown = e instanceof KafkaWireError && e.connectionLost;
        for (const change of batch) record(change, { done: false, unknown, error: (e as Error).message }, merge);
      }
    }
  }

  /** A topic update may take two requests (partitions, configs); it is done only if both are. */
  function record(change: Change, outcome: Outcome, merge: boolean): void {
    const previous = merge ? outcomes.get(change) : undefined;
    if (previous && !previous.done) return;
    outcomes.set(change, outcome);
  }

  // Validate-only covers topic creations, partition increases and config changes: ACLs have no such check.
  const grants = validateOnly ? [] : acls.filter((c) => c.action === 'CREATE');
  await phase('creating ACLs', grants, (c) => aclWeight(c.acl), async (batch) => wire.createAcls(batch.map((c) => c.acl)), RIGHTS.alterAcls);

  const creates = topics.filter((c) => c.action === 'CREATE' && c.desired);
  await phase(
    checking('creating topics'),
    creates,
    topicWeight,
    async (batch) => {
      const results = await wire.createTopics(batch.map((c) => ({ ...c.desired!, topic: c.topic })), { validateOnly });
      return batch.map((c) => results.get(c.topic));
    },
    (c) => RIGHTS.createTopic(c.topic),
  );

  const grows = topics.filter((c) => c.action === 'UPDATE' && c.partitionsTo !== undefined);
  await phase(
    checking('adding partitions'),
    grows,
    (c) => ({ bytes: stringBytes(c.topic) + 8, records: (c.partitionsTo ?? 0) - (c.actual?.partitions ?? 0) }),
    async (batch) => {
      const results = await wire.createPartitions(batch.map((c) => ({ topic: c.topic, count: c.partitionsTo! })), { validateOnly });
      return batch.map((c) => results.get(c.topic));
    },
    (c) => RIGHTS.alterTopic(c.topic),
    true,
  );

  const reconfigures = topics.filter((c) => c.action === 'UPDATE' && (Object.keys(c.configSet).length > 0 || c.configUnset.length > 0));
  await phase(
    checking('changing topic configs'),
    reconfigures,
    (c) => ({ bytes: stringBytes(c.topic) + configBytes(c.configSet) + c.configUnset.reduce((n, k) => n + stringBytes(k) + 3, 0), records: 1 }),
    async (batch) => {
      const results = await wire.alterTopicConfigs(
        batch.map((c) => ({
          topic: c.topic,
          changes: [
            ...Object.entries(c.configSet).map(([name, value]) => ({ name, op: CONFIG_OP.SET, value })),
            ...c.configUnset.map((name) => ({ name, op: CONFIG_OP.DELETE, value: null })),
          ],
          fullConfig: c.desired?.config ?? {},
        })),
        { validateOnly },
      );
      return batch.map((c) => results.get(c.topic));
    },
    (c) => RIGHTS.alterTopicConfigs(c.topic),
    true,
  );

  // Quotas set (and keys removed from a declared quota): AlterClientQuotas has a validate-only check too.
  const setQuotas = quotas.filter((c) => c.action === 'CREATE' || c.action === 'UPDATE');
  await phase(checking('setting client quotas'), setQuotas, quotaWeight, async (batch) => wire.alterClientQuotas(batch.map(quotaAlteration), { validateOnly }), RIGHTS.alterQuotas);

  if (validateOnly) return outcomes;

  // Old ACLs go only once every new one is in: a change of an ACL's form (an adopted estate's ACLs
  // becoming meshform's) must never pass through less access, whatever cut the run short.
  const revokes = acls.filter((c) => c.action === 'DELETE');
  const missing = grants.filter((c) => !outcomes.get(c)?.done).length;
  if (missing > 0) {
    for (const c of revokes) record(c, { done: false, error: `not attempted: ${missing} new ACL(s) are not in place, and old ACLs are removed only after every new one is` }, false);
  } else {
    await phase('deleting ACLs', revokes, (c) => aclWeight(c.acl), async (batch) => wire.deleteAcls(batch.map((c) => c.acl)), RIGHTS.alterAcls);
  }

  const unsetQuotas = quotas.filter((c) => c.action === 'DELETE');
  await phase('removing client quotas', unsetQuotas, quotaWeight, async (batch) => wire.alterClientQuotas(batch.map(quotaAlteration)), RIGHTS.alterQuotas);

  const deletes = topics.filter((c) => c.action === 'DELETE');
  await phase(
    'deleting topics',
    deletes,
    (c) => ({ bytes: stringBytes(c.topic), records: 1 + (c.actual?.partitions ?? 0) }),
    async (batch) => {
      const results = await wire.deleteTopics(batch.map((c) => c.topic));
      return batch.map((c) => results.get(c.topic));
    },
    (c) => RIGHTS.deleteTopic(c.topic),
  );
  return outcomes;
}

/** An authorization refusal names the principal and the right it lacks. */
function toOutcome(result: ItemResult | undefined, connection: KafkaConnection, right: () => Right): Outcome {
  if (!result) return { done: false, error: 'the broker did not answer for this item' };
  if (result.errorCode === 0) return result.created ? { done: true, created: result.created } : { done: true };
  if (isAuthorizationError(result.errorCode)) return { done: false, error: authorizationMessage(result.errorCode, connection, right()) };
  return { done: false, error: `${errorName(result.errorCode)}${result.errorMessage ? `: ${result.errorMessage}` : ''}` };
}

function topicWeight(c: TopicChange): { bytes: number; records: number } {
  const config = c.desired?.config ?? {};
  return {
    bytes: stringBytes(c.topic) + 14 + configBytes(config),
    records: 1 + (c.desired?.partitions ?? 1) + Object.keys(config).length,
  };
}

function configBytes(config: Record<string, string>): number {
  return Object.entries(config).reduce((n, [k, v]) => n + stringBytes(k) + stringBytes(v), 0);
}

/** One entity (the product principal's user), its keys set and removed. */
function quotaAlteration(c: QuotaChange): QuotaAlteration {
  return {
    entity: [{ entityType: 'user', entityName: c.user }],
    ops: [...Object.entries(c.set).map(([key, value]) => ({ key, value })), ...c.remove.map((key) => ({ key, value: null }))],
  };
}

function quotaWeight(c: QuotaChange): { bytes: number; records: number } {
  return { bytes: stringBytes(c.user) + 60, records: Object.keys(c.set).length + c.remove.length };
}

function aclWeight(acl: KafkaAclProps): { bytes: number; records: number } {
  return { bytes: 4 + stringBytes(acl.resourceName) + stringBytes(acl.principal) + stringBytes(acl.host), records: 1 };
}
