/**
 * One admin session with a cluster, one request per call.
 *
 * kafkajs's admin client refreshes metadata before every call and throws on the first failed item,
 * which costs a request per call and hides per-item outcomes. We use its connection, encoders and
 * decoders (the same protocol code) but send each request ourselves: reads go to the seed broker,
 * mutations to the controller, and every response is returned item by item.
 */
import type { KafkaAclProps } from '../../plan/types';
import { ENV, redact, type KafkaConnection } from './connection';
import { incrementalAlterConfigsRequest, type AlterResult, type TopicConfigAlteration } from './incrementalAlterConfigs';
import {
  API_KEY,
  CONFIG_RESOURCE_TOPIC,
  CONFIG_SOURCE_TOPIC,
  OPERATION,
  PATTERN_TYPE,
  PERMISSION,
  RESOURCE_TYPE,
  errorName,
  nameOf,
} from './protocol';

const connectionPoolBuilder = require('kafkajs/src/cluster/connectionPoolBuilder');
const Broker = require('kafkajs/src/broker');
const { requests } = require('kafkajs/src/protocol/requests');
const apiKeys = require('kafkajs/src/protocol/requests/apiKeys') as Record<string, number>;
const { createLogger, LEVELS } = require('kafkajs/src/loggers');
const socketFactory = require('kafkajs/src/network/socketFactory');

/** kafkajs logs connection errors itself; ours are reported (redacted) by the caller instead. */
function quietLogger(): unknown {
  return createLogger({ level: LEVELS.NOTHING, logCreator: () => () => undefined });
}

export interface TopicDescription {
  name: string;
  partitions: number;
  /** Replication factor: replicas of partition 0. */
  replicas: number;
}

export interface ClusterMetadata {
  controllerId: number;
  brokers: { nodeId: number; host: string; port: number }[];
  topics: TopicDescription[];
}

export interface ConfigEntry {
  name: string;
  value: string | null;
  /** Set on the topic itself, as opposed to a broker or built-in default. */
  setOnTopic: boolean;
  sensitive: boolean;
}

export interface TopicConfigs {
  topic: string;
  errorCode: number;
  errorMessage: string | null;
  entries: ConfigEntry[];
}

/** Per-item answer of a batched mutation. errorCode 0 = done. */
export interface ItemResult {
  errorCode: number;
  errorMessage: string | null;
}

export interface NewTopic {
  topic: string;
  partitions: number;
  replicas: number;
  config: Record<string, string>;
}

/** A whole request failed (connection lost, timeout, API missing); nothing is known per item. */
export class KafkaWireError extends Error {
  constructor(
    message: string,
    readonly connectionLost: boolean,
  ) {
    super(message);
  }
}

interface BrokerHandle {
  versions: Record<string, { minVersion: number; maxVersion: number }> | null;
  connectionPool: { host: string; port: number; send(protocol: unknown): Promise<unknown> };
  lookupRequest(apiKey: number, definition: unknown): (args: unknown) => { request: unknown; response: { decode: unknown } };
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  isConnected(): boolean;
}

export interface ValidateOnly {
  validateOnly?: boolean;
}

export interface WireOptions {
  requestTimeoutMs?: number;
  connectionTimeoutMs?: number;
  /** Called once per request sent, by API name (a client-side count for benchmarks and tests). */
  onRequest?: (apiName: string) => void;
}

export class KafkaWire {
  private controller: BrokerHandle | undefined;
  private controllerId = -1;
  private brokers: ClusterMetadata['brokers'] = [];
  private readonly timeoutMs: number;

  private constructor(
    private readonly connection: KafkaConnection,
    private readonly builder: { build(destination?: { host: string; port: number }): Promise<unknown> },
    private readonly seed: BrokerHandle,
    private readonly options: WireOptions,
  ) {
    this.timeoutMs = options.requestTimeoutMs ?? 30000;
  }

  static async open(connection: KafkaConnection, options: WireOptions = {}): Promise<KafkaWire> {
    const logger = quietLogger();
    const builder = connectionPoolBuilder({
      socketFactory: socketFactory(),
      brokers: connection.brokers,
      ssl: connection.tls ? true : undefined,
      sasl: connection.sasl,
      clientId: connection.clientId,
      requestTimeout: options.requestTimeoutMs ?? 30000,
      enforceRequestTimeout: true,
      connectionTimeout: options.connectionTimeoutMs ?? 3000,
      logger,
    });
    // Each build() takes the next bootstrap address: try them in turn until one answers.
    let lastError: unknown;
    for (let attempt = 0; attempt < connection.brokers.length; attempt++) {
      const seed = new Broker({ connectionPool: await builder.build(), logger, allowAutoTopicCreation: false }) as BrokerHandle;
      try {
        await seed.connect();
        return new KafkaWire(connection, builder, seed, options);
      } catch (e) {
        lastError = e;
        await seed.disconnect().catch(() => undefined);
        if (!isConnectionLoss(e)) break;
      }
    }
    throw wireError(lastError, connection, `cannot connect to Kafka at ${connection.brokers.join(',')}`);
  }

  async close(): Promise<void> {
    const closing = [this.seed.disconnect()];
    if (this.controller && this.controller !== this.seed) closing.push(this.controller.disconnect());
    await Promise.all(closing.map((p) => p.catch(() => undefined)));
  }

  /** Every topic the principal may describe, with partition count and replication factor. */
  async metadata(): Promise<ClusterMetadata> {
    const data = (await this.send(this.seed, apiKeys.Metadata, requests.Metadata, {
      topics: [],
      allowAutoTopicCreation: false,
    })) as {
      controllerId: number;
      brokers: ClusterMetadata['brokers'];
      topicMetadata: { topicErrorCode: number; topic: string; isInternal: boolean; partitionMetadata: { replicas: number[] }[] }[];
    };
    this.controllerId = data.controllerId;
    this.brokers = data.brokers;
    const topics = data.topicMetadata
      .filter((t) => t.topicErrorCode === 0 && !t.isInternal)
      .map((t) => ({
        name: t.topic,
        partitions: t.partitionMetadata.length,
        replicas: t.partitionMetadata[0]?.replicas.length ?? 0,
      }));
    return { controllerId: data.controllerId, brokers: data.brokers, topics };
  }

  /** All configs of the named topics in one DescribeConfigs. */
  async describeTopicConfigs(topics: readonly string[]): Promise<TopicConfigs[]> {
    if (topics.length === 0) return [];
    const data = (await this.send(this.seed, apiKeys.DescribeConfigs, requests.DescribeConfigs, {
      resources: topics.map((name) => ({ type: CONFIG_RESOURCE_TOPIC, name })),
      includeSynonyms: false,
    })) as {
      resources: {
        errorCode: number;
        errorMessage: string | null;
        resourceName: string;
        configEntries: { configName: string; configValue: string | null; isDefault: boolean; readOnly: boolean; configSource?: number; isSensitive: boolean }[];
      }[];
    };
    return data.resources.map((r) => ({
      topic: r.resourceName,
      errorCode: r.errorCode,
      errorMessage: r.errorMessage,
      entries: r.configEntries.map((e) => ({
        name: e.configName,
        value: e.configValue,
        // v0 has no config source: a non-default, writable value is the best available signal.
        setOnTopic: e.configSource === undefined ? !e.isDefault && !e.readOnly : e.configSource === CONFIG_SOURCE_TOPIC,
        sensitive: e.isSensitive,
      })),
    }));
  }

  /** Every ACL binding on the cluster, in one DescribeAcls (the protocol takes one filter). */
  async describeAllAcls(): Promise<KafkaAclProps[]> {
    const data = (await this.send(this.seed, apiKeys.DescribeAcls, requests.DescribeAcls, {
      resourceType: RESOURCE_TYPE.ANY,
      resourceName: null,
      resourcePatternType: PATTERN_TYPE.ANY,
      principal: null,
      host: null,
      operation: OPERATION.ANY,
      permissionType: PERMISSION.ANY,
    })) as {
      errorCode: number;
      errorMessage: string | null;
      resources: { resourceType: number; resourceName: string; resourcePatternType?: number; acls: { principal: string; host: string; operation: number; permissionType: number }[] }[];
    };
    if (data.errorCode === 54) {
      throw new KafkaWireError('the cluster has no authorizer (SECURITY_DISABLED): enable one (authorizer.class.name) so meshform can manage ACLs', false);
    }
    if (data.errorCode !== 0) {
      throw new KafkaWireError(`DescribeAcls failed: ${errorName(data.errorCode)}${data.errorMessage ? `: ${data.errorMessage}` : ''}`, false);
    }
    const bindings: KafkaAclProps[] = [];
    for (const r of data.resources) {
      const resourceType = nameOf(RESOURCE_TYPE, r.resourceType);
      const patternType = nameOf(PATTERN_TYPE, r.resourcePatternType ?? PATTERN_TYPE.LITERAL);
      if (!resourceType || !patternType) continue;
      for (const a of r.acls) {
        const operation = nameOf(OPERATION, a.operation);
        const permission = nameOf(PERMISSION, a.permissionType);
        if (!operation || !permission) continue;
        bindings.push({ principal: a.principal, resourceType, resourceName: r.resourceName, patternType, operation, permission, host: a.host });
      }
    }
    return bindings;
  }

  /** `validateOnly`: the broker runs every check and creates nothing (also below). */
  async createTopics(topics: readonly NewTopic[], { validateOnly = false }: ValidateOnly = {}): Promise<Map<string, ItemResult>> {
    const data = (await this.send(await this.admin(), apiKeys.CreateTopics, requests.CreateTopics, {
      topics: topics.map((t) => ({
        topic: t.topic,
        numPartitions: t.partitions,
        replicationFactor: t.replicas,
        configEntries: Object.entries(t.config).map(([name, value]) => ({ name, value })),
      })),
      validateOnly,
      timeout: this.timeoutMs,
    })) as { topicErrors: { topic: string; errorCode: number; errorMessage?: string | null }[] };
    return byTopic(data.topicErrors);
  }

  async createPartitions(increases: readonly { topic: string; count: number }[], { validateOnly = false }: ValidateOnly = {}): Promise<Map<string, ItemResult>> {
    const data = (await this.send(await this.admin(), apiKeys.CreatePartitions, requests.CreatePartitions, {
      topicPartitions: increases.map((i) => ({ topic: i.topic, count: i.count })),
      validateOnly,
      timeout: this.timeoutMs,
    })) as { topicErrors: { topic: string; errorCode: number; errorMessage?: string | null }[] };
    return byTopic(data.topicErrors);
  }

  async deleteTopics(topics: readonly string[]): Promise<Map<string, ItemResult>> {
    const data = (await this.send(await this.admin(), apiKeys.DeleteTopics, requests.DeleteTopics, {
      topics,
      timeout: this.timeoutMs,
    })) as { topicErrors: { topic: string; errorCode: number; errorMessage?: string | null }[] };
    return byTopic(data.topicErrors);
  }

  /**
   * Changes only the named keys. Falls back to AlterConfigs (which replaces the topic's whole set)
   * with `fullConfig` when the cluster predates IncrementalAlterConfigs (Kafka < 2.3).
   */
  async alterTopicConfigs(
    alterations: readonly (TopicConfigAlteration & { fullConfig: Record<string, string> })[],
    { validateOnly = false }: ValidateOnly = {},
  ): Promise<Map<string, ItemResult>> {
    const broker = await this.admin();
    if (broker.versions?.[API_KEY.IncrementalAlterConfigs]) {
      const data = (await this.sendRaw(broker, 'IncrementalAlterConfigs', incrementalAlterConfigsRequest([...alterations], validateOnly))) as {
        responses: AlterResult[];
      };
      return byTopic(data.responses);
    }
    const data = (await this.send(broker, apiKeys.AlterConfigs, requests.AlterConfigs, {
      resources: alterations.map((a) => ({
        type: CONFIG_RESOURCE_TOPIC,
        name: a.topic,
        configEntries: Object.entries(a.fullConfig).map(([name, value]) => ({ name, value })),
      })),
      validateOnly,
    })) as { resources: { resourceName: string; errorCode: number; errorMessage: string | null }[] };
    return byTopic(data.resources.map((r) => ({ topic: r.resourceName, errorCode: r.errorCode, errorMessage: r.errorMessage })));
  }

  /** Results in the order of `acls`. */
  async createAcls(acls: readonly KafkaAclProps[]): Promise<ItemResult[]> {
    const data = (await this.send(await this.admin(), apiKeys.CreateAcls, requests.CreateAcls, {
      creations: acls.map(toWireAcl),
    })) as { creationResponses: ItemResult[] };
    return data.creationResponses;
  }

  /** One exact-match filter per binding; results in the order of `acls`. */
  async deleteAcls(acls: readonly KafkaAclProps[]): Promise<ItemResult[]> {
    const data = (await this.send(await this.admin(), apiKeys.DeleteAcls, requests.DeleteAcls, {
      filters: acls.map(toWireAcl),
    })) as { filterResponses: ItemResult[] };
    return data.filterResponses;
  }

  /** The controller (where Kafka < 2.8 requires admin writes), falling back to the seed broker. */
  private async admin(): Promise<BrokerHandle> {
    // Kept once chosen: a dropped connection is re-established by sendRaw.
    if (this.controller) return this.controller;
    const node = this.brokers.find((b) => b.nodeId === this.controllerId);
    const seedAddress = `${this.seed.connectionPool.host}:${this.seed.connectionPool.port}`;
    if (!node || `${node.host}:${node.port}` === seedAddress) {
      this.controller = this.seed;
    } else {
      this.controller = new Broker({
        connectionPool: await this.builder.build({ host: node.host, port: node.port }),
        logger: quietLogger(),
        versions: this.seed.versions,
        allowAutoTopicCreation: false,
      }) as BrokerHandle;
    }
    return this.controller;
  }

  private async send(broker: BrokerHandle, apiKey: number, definition: unknown, args: unknown): Promise<unknown> {
    let protocol: { request: unknown; response: { decode: unknown } };
    try {
      protocol = broker.lookupRequest(apiKey, definition)(args);
    } catch (e) {
      throw wireError(e, this.connection, 'the cluster does not support a request meshform needs');
    }
    const apiName = Object.keys(apiKeys).find((k) => apiKeys[k] === apiKey) ?? String(apiKey);
    // Items are judged one by one by the caller, so the decoder's result is taken as it is.
    return this.sendRaw(broker, apiName, { request: protocol.request, response: { decode: protocol.response.decode, parse: async (d: unknown) => d } });
  }

  /** Reads are retried once on a new connection; a mutation never is (its outcome is unknown). */
  private async sendRaw(broker: BrokerHandle, apiName: string, protocol: unknown): Promise<unknown> {
    const attempts = READS.has(apiName) ? 2 : 1;
    for (let attempt = 1; ; attempt++) {
      try {
        if (!broker.isConnected()) await broker.connect();
        this.options.onRequest?.(apiName);
        return await broker.connectionPool.send({ ...(protocol as object), requestTimeout: this.timeoutMs, logResponseError: false });
      } catch (e) {
        const lost = isConnectionLoss(e);
        if (lost) await broker.disconnect().catch(() => undefined);
        if (!lost || attempt >= attempts) throw wireError(e, this.connection, `${apiName} failed`, lost ? closedHint(this.connection) : '');
      }
    }
  }
}

const READS = new Set(['Metadata', 'DescribeConfigs', 'DescribeAcls']);

function toWireAcl(acl: KafkaAclProps) {
  return {
    resourceType: RESOURCE_TYPE[acl.resourceType],
    resourceName: acl.resourceName,
    resourcePatternType: PATTERN_TYPE[acl.patternType],
    principal: acl.principal,
    host: acl.host,
    operation: OPERATION[acl.operation],
    permissionType: PERMISSION[acl.permission],
  };
}

function byTopic(items: { topic: string; errorCode: number; errorMessage?: string | null }[]): Map<string, ItemResult> {
  return new Map(items.map((i) => [i.topic, { errorCode: i.errorCode, errorMessage: i.errorMessage ?? null }]));
}

function isConnectionLoss(e: unknown): boolean {
  const name = (e as { name?: string })?.name ?? '';
  return /Connection|RequestTimeout|Network/i.test(name);
}

/** A SASL listener drops the requests of a client that did not authenticate, without an answer: say so. */
function closedHint(connection: KafkaConnection): string {
  if (connection.sasl) return '';
  return ` (the broker closed the connection: if its listener requires SASL, set ${ENV.mechanism}, ${ENV.username} and ${ENV.password})`;
}

function wireError(e: unknown, connection: KafkaConnection, context: string, hint = ''): KafkaWireError {
  const detail = e instanceof Error ? e.message : String(e);
  return new KafkaWireError(redact(`${context}: ${detail}${hint}`, connection), isConnectionLoss(e));
}
