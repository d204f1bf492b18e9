/**
 * What one spec file says about its product, before the mesh is known: the per-file facts
 * `spec/` extracts and `model/build.ts` resolves across files (owners of topics, grants, lineage).
 */
import type { SourceLocation } from '../vocabulary/diagnostics';
import type { Freshness, Message, Product, Visibility } from '../vocabulary/mesh';
import type { ChannelSchemas } from '../vocabulary/mesh';

export interface GrantFact {
  /** As written after `grant-access:`: a urn, or (SpecMesh dialect) a domain id. */
  granteeUrn: string;
  /** Domain form of the grantee. */
  grantee: string;
  location: SourceLocation;
}

export interface ChannelFact {
  /** Topic name: relative addresses already qualified with the product's domain id. */
  topic: string;
  /** The address was relative (`_public.x`): the product owns the topic by construction. */
  relative: boolean;
  /** Set for relative addresses; for qualified ones it depends on the owner, found mesh-wide. */
  visibility?: Visibility;
  sends: boolean;
  receives: boolean;
  /** Where the first `send` operation is, for "send on a topic not owned". */
  sendLocation?: SourceLocation;
  receiveLocation?: SourceLocation;
  partitions?: number;
  replicas?: number;
  config: Record<string, string>;
  configLocations?: Record<string, SourceLocation>;
  grants: GrantFact[];
  /** `grant-write:` tags: products that may write to the topic (an input topic). */
  writeGrants: GrantFact[];
  /** SpecMesh's `grant-access:_public`: every principal may read. */
  everyone?: { location: SourceLocation };
  /** Message value and key schemas and the compatibility level, read for channels the product sends to or owns. */
  schemas: ChannelSchemas;
  /** The channel's messages (payloads only where `schemas` has neither a value nor a key schema). */
  messages: Message[];
  description?: string;
  /** The channel's `x-meshform` freshness (owned channels) and maxLag. */
  freshness?: Freshness;
  maxLag?: number;
  maxLagLocation?: SourceLocation;
  location: SourceLocation;
}

/** A consumer group an operation's Kafka binding names (`groupId`). */
export interface GroupFact {
  name: string;
  location: SourceLocation;
}

export interface ProductSpec {
  product: Omit<Product, 'topics' | 'consumes' | 'produces'>;
  channels: ChannelFact[];
  groups: GroupFact[];
  /** Location of the `id` field (for duplicate ids). */
  idLocation: SourceLocation;
}
