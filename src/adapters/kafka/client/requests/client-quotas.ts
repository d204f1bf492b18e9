/**
 * DescribeClientQuotas (API key 48) and AlterClientQuotas (API key 49), versions 0-1 each (flexible
 * from v1): Kafka's client quotas by entity (`user`, `client-id`, `ip`), the keys meshform sets being
 * `producer_byte_rate`, `consumer_byte_rate` (longs, bytes/s per broker) and `request_percentage`
 * (a double). kafkajs 2.2.4 has neither. Describe needs DESCRIBE_CONFIGS on the cluster, Alter
 * ALTER_CONFIGS; a KRaft broker forwards Alter to the controller. apache/kafka
 * DescribeClientQuotasRequest.json / Response.json, AlterClientQuotasRequest.json / Response.json.
 */
import { Reader, Writer, wireProtocol } from './codec';

export const DESCRIBE_CLIENT_QUOTAS = { apiKey: 48, name: 'DescribeClientQuotas', versions: [0, 1] } as const;
export const ALTER_CLIENT_QUOTAS = { apiKey: 49, name: 'AlterClientQuotas', versions: [0, 1] } as const;

/** How a filter component matches an entity type's name. */
export const QUOTA_MATCH = { EXACT: 0, DEFAULT: 1, ANY: 2 } as const;

export interface QuotaFilterComponent {
  entityType: string;
  matchType: (typeof QUOTA_MATCH)[keyof typeof QUOTA_MATCH];
  /** The name for EXACT; null for DEFAULT and ANY. */
  match: string | null;
}

/** An entity: its types with their names (null = the type's default entity). */
export type QuotaEntity = Array<{ entityType: string; entityName: string | null }>;

export interface DescribedQuotas {
  errorCode: number;
  errorMessage: string | null;
  entries: Array<{ entity: QuotaEntity; values: Record<string, number> }>;
}

/** @param strict only entities with exactly the filter's entity types (no other type alongside). */
export function describeClientQuotas(version: number, components: readonly QuotaFilterComponent[], strict: boolean) {
  const flexible = version >= 1;
  return wireProtocol(
    DESCRIBE_CLIENT_QUOTAS.apiKey,
    DESCRIBE_CLIENT_QUOTAS.name,
    version,
    () =>
      new Writer(flexible)
        .array(components, (w, c) => w.string(c.entityType).int8(c.matchType).nullableString(c.match).tags())
        .bool(strict)
        .tags(),
    (raw): DescribedQuotas => {
      const r = new Reader(raw, flexible);
      r.int32(); // throttle_time_ms
      const errorCode = r.int16();
      const errorMessage = r.nullableString();
      const entries = r.array((e) => {
        const entity = e.array((x) => {
          const item = { entityType: x.string(), entityName: x.nullableString() };
          x.tags();
          return item;
        });
        const values: Record<string, number> = {};
        e.array((v) => {
          values[v.string()] = v.float64();
          v.tags();
        });
        e.tags();
        return { entity, values };
      });
      r.tags();
      return { errorCode, errorMessage, entries };
    },
  );
}

export interface QuotaAlteration {
  entity: QuotaEntity;
  /** value null: remove the key. */
  ops: Array<{ key: string; value: number | null }>;
}

export interface AlteredQuota {
  errorCode: number;
  errorMessage: string | null;
  entity: QuotaEntity;
}

export function alterClientQuotas(version: number, alterations: readonly QuotaAlteration[], validateOnly: boolean) {
  const flexible = version >= 1;
  return wireProtocol(
    ALTER_CLIENT_QUOTAS.apiKey,
    ALTER_CLIENT_QUOTAS.name,
    version,
    () =>
      new Writer(flexible)
        .array(alterations, (w, a) =>
          w
            .array(a.entity, (we, e) => we.string(e.entityType).nullableString(e.entityName).tags())
            .array(a.ops, (wo, op) => wo.string(op.key).float64(op.value ?? 0).bool(op.value === null).tags())
            .tags(),
        )
        .bool(validateOnly)
        .tags(),
    (raw): AlteredQuota[] => {
      const r = new Reader(raw, flexible);
      r.int32(); // throttle_time_ms
      const entries = r.array((e): AlteredQuota => {
        const errorCode = e.int16();
        const errorMessage = e.nullableString();
        const entity = e.array((x) => {
          const item = { entityType: x.string(), entityName: x.nullableString() };
          x.tags();
          return item;
        });
        e.tags();
        return { errorCode, errorMessage, entity };
      });
      r.tags();
      return entries;
    },
  );
}
