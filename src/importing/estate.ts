/**
 * An estate: what a cluster holds as another tool (JulieOps, kafka-gitops, Terraform's or Pulumi's
 * Kafka provider) or the cluster itself says, in one shape: its topics, and the ACL bindings the
 * tool made (or the cluster has). Each reader turns its tool's files into an estate by that tool's
 * own rules (which ACLs it creates for a producer, a consumer, a streams app, ...); `draft.ts`
 * turns any estate into products. What a reader cannot carry (quotas, RBAC, platform components,
 * credentials) it lists as unmapped, with where it is written.
 */
import type { KafkaAclProps } from '../plan/types';
import type { Compatibility } from '../vocabulary/schema-kinds';
import type { SourceLocation } from '../vocabulary/diagnostics';

export type EstateTool = 'julieops' | 'kafka-gitops' | 'terraform' | 'cluster';
export const IMPORT_TOOLS: readonly Exclude<EstateTool, 'cluster'>[] = ['julieops', 'kafka-gitops', 'terraform'];

export type SchemaFileFormat = 'AVRO' | 'JSON' | 'PROTOBUF';

export interface EstateSchema {
  /** Absolute path of the schema file the tool registers. */
  file: string;
  format: SchemaFileFormat;
}

export interface EstateTopic {
  name: string;
  /** Absent when the tool's files do not say (then the tool's or the broker's default applies). */
  partitions?: number;
  replicas?: number;
  /** Topic configs as Kafka strings. */
  config: Record<string, string>;
  schemas?: { value?: EstateSchema; key?: EstateSchema };
  /** The compatibility level its schema subjects have in the estate's registry (their own, not the registry's default). */
  compatibility?: Compatibility;
  /** Where the tool's files define it; absent for a live cluster. */
  location?: SourceLocation;
}

export interface EstateAcl extends KafkaAclProps {
  /** Where the tool's files ask for it (the consumer, producer, service or resource that makes it); absent for a live cluster. */
  location?: SourceLocation;
}

/** Something of the tool's files meshform does not carry over, and why. */
export interface Unmapped {
  what: string;
  why: string;
  location?: SourceLocation;
}

export interface Estate {
  tool: EstateTool;
  topics: EstateTopic[];
  acls: EstateAcl[];
  /**
   * Principal -> the name the tool groups it under (a JulieOps project, a kafka-gitops service),
   * from which a product id is derived; principals without one get a product of their own.
   */
  principalHints: Map<string, string>;
  /** Topic -> the name the tool groups it under (its JulieOps project): its owner when no principal writes it. */
  topicHints: Map<string, string>;
  unmapped: Unmapped[];
}

export function emptyEstate(tool: EstateTool): Estate {
  return { tool, topics: [], acls: [], principalHints: new Map(), topicHints: new Map(), unmapped: [] };
}
