import { perCluster } from '../data/per-cluster';
import { ErrorCode, KafkaError } from '../protocol/errors';

/**
 * Client quotas as Kafka's controller keeps them (ClientQuotaControlManager, ClientQuotasImage):
 * by entity, a map of entity type (`user`, `client-id`, `ip`) to name (null = the type's default),
 * each with its quota keys and values. Nothing is enforced: the broker only stores and describes them.
 */
export type QuotaEntity = ReadonlyMap<string, string | null>;

const USER = 'user';
const CLIENT_ID = 'client-id';
const IP = 'ip';

/** Kafka's quota keys per entity kind, long (whole numbers only) or double (QuotaConfigs). */
const USER_OR_CLIENT_KEYS: Record<string, 'long' | 'double'> = {
  producer_byte_rate: 'long',
  consumer_byte_rate: 'long',
  request_percentage: 'double',
  controller_mutation_rate: 'double',
};
const IP_KEYS: Record<string, 'long' | 'double'> = { connection_creation_rate: 'long' };

export class ClientQuotas {
  private readonly entries = new Map<string, { entity: QuotaEntity; values: Map<string, number> }>();

  /** Every entity with at least one value. */
  all(): Array<{ entity: QuotaEntity; values: ReadonlyMap<string, number> }> {
    return [...this.entries.values()];
  }

  /**
   * Checks one entity's alteration as Kafka's controller does and, unless `validateOnly`, applies
   * it: each op sets a key (value) or removes it (value null; removing an absent key does nothing).
   */
  alter(entity: Array<{ entityType: string; entityName: string | null }>, ops: Array<{ key: string; value: number | null }>, validateOnly: boolean): void {
    const keys = new Set<string>();
    for (const op of ops) {
      if (keys.has(op.key)) throw new KafkaError(ErrorCode.INVALID_REQUEST, `Duplicate quota key ${op.key} not updating quota for this entity`);
      keys.add(op.key);
    }
    const checked = checkEntity(entity);
    const allowed = checked.has(IP) ? IP_KEYS : USER_OR_CLIENT_KEYS;
    for (const op of ops) {
      if (op.value === null) continue;
      const type = allowed[op.key];
      if (!type) throw new KafkaError(ErrorCode.INVALID_REQUEST, `Invalid configuration key ${op.key}`);
      if (type === 'long' && Math.abs(Math.trunc(op.value + 1e-6) - op.value) > 1e-6) {
        throw new KafkaError(ErrorCode.INVALID_REQUEST, `Configuration ${op.key} must be a Long value`);
      }
    }
    if (validateOnly) return;
    const id = entityKey(checked);
    const entry = this.entries.get(id) ?? { entity: checked, values: new Map<string, number>() };
    for (const op of ops) {
      if (op.value === null) entry.values.delete(op.key);
      else entry.values.set(op.key, op.value);
    }
    if (entry.values.size === 0) this.entries.delete(id);
    else this.entries.set(id, entry);
  }
}

/** The entity's types: user, client-id and ip; ip alone; no type twice; no empty name (null is the default). */
function checkEntity(entity: Array<{ entityType: string; entityName: string | null }>): Map<string, string | null> {
  if (entity.length === 0) throw new KafkaError(ErrorCode.INVALID_REQUEST, 'Invalid empty client quota entity');
  const checked = new Map<string, string | null>();
  for (const { entityType, entityName } of entity) {
    if (checked.has(entityType)) throw new KafkaError(ErrorCode.INVALID_REQUEST, `Invalid empty client quota entity, duplicate entity entry ${entityType}`);
    if (![USER, CLIENT_ID, IP].includes(entityType)) throw new KafkaError(ErrorCode.INVALID_REQUEST, `Unhandled client quota entity type: ${entityType}`);
    if (entityName !== null && entityName === '') throw new KafkaError(ErrorCode.INVALID_REQUEST, `Empty ${entityType} not supported`);
    checked.set(entityType, entityName);
  }
  if (checked.has(IP) && checked.size > 1) throw new KafkaError(ErrorCode.INVALID_REQUEST, 'Invalid empty client quota entity');
  return checked;
}

function entityKey(entity: QuotaEntity): string {
  return JSON.stringify([...entity].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export const clientQuotasOf = perCluster(() => new ClientQuotas());
