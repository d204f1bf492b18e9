/**
 * Kafka wire codes for ACLs and configs, and names for error codes.
 * Numbers are the protocol's (apache/kafka AclOperation, ResourceType, PatternType, ConfigSource).
 */
import type { AclOperation, AclPatternType, AclPermission, AclResourceType } from '../../../plan/types';

const { errorCodes } = require('kafkajs/src/protocol/error') as {
  errorCodes: { type: string; code: number; message: string }[];
};

export const RESOURCE_TYPE: Record<AclResourceType | 'ANY', number> = {
  ANY: 1,
  TOPIC: 2,
  GROUP: 3,
  CLUSTER: 4,
  TRANSACTIONAL_ID: 5,
};

export const PATTERN_TYPE: Record<AclPatternType | 'ANY', number> = { ANY: 1, LITERAL: 3, PREFIXED: 4 };

export const OPERATION: Record<AclOperation | 'ANY', number> = {
  ANY: 1,
  ALL: 2,
  READ: 3,
  WRITE: 4,
  CREATE: 5,
  DELETE: 6,
  ALTER: 7,
  DESCRIBE: 8,
  CLUSTER_ACTION: 9,
  DESCRIBE_CONFIGS: 10,
  ALTER_CONFIGS: 11,
  IDEMPOTENT_WRITE: 12,
};

export const PERMISSION: Record<AclPermission | 'ANY', number> = { ANY: 1, DENY: 2, ALLOW: 3 };

/** Config resource type TOPIC (DescribeConfigs / AlterConfigs / IncrementalAlterConfigs). */
export const CONFIG_RESOURCE_TOPIC = 2;

/** DescribeConfigs v1+ config source: only this one means "set on the topic". */
export const CONFIG_SOURCE_TOPIC = 1;

/** IncrementalAlterConfigs operations. */
export const CONFIG_OP = { SET: 0, DELETE: 1 } as const;

export const API_KEY = {
  AlterConfigs: 33,
  IncrementalAlterConfigs: 44,
} as const;

export function nameOf<T extends string>(codes: Record<T | 'ANY', number>, code: number): T | undefined {
  for (const [name, value] of Object.entries(codes) as [T | 'ANY', number][]) {
    if (value === code && name !== 'ANY') return name as T;
  }
  return undefined;
}

/** `TOPIC_ALREADY_EXISTS (36)`; the form used in FAILED statuses. */
export function errorName(code: number): string {
  const known = errorCodes.find((e) => e.code === code);
  return known ? `${known.type} (${code})` : `error ${code}`;
}
