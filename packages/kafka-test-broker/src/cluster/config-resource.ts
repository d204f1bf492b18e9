import { ErrorCode, KafkaError } from '../protocol/errors';
import { CLUSTER_RESOURCE_NAME, ResourceType } from './acl';
import { ClusterState, TopicState } from './cluster-state';
import { ConfigEntry } from './config-entries';
import { ConfigSource, ConfigType, TOPIC_CONFIGS } from './topic-configs';

/** ConfigResource.Type codes used by DescribeConfigs / AlterConfigs / IncrementalAlterConfigs. */
export const ConfigResourceType = { UNKNOWN: 0, TOPIC: 2, BROKER: 4, BROKER_LOGGER: 8 } as const;

/** Which ACL guards a config resource: the topic itself, or the cluster for broker configs. */
export function configAclTarget(resourceType: number, resourceName: string): { resourceType: number; resourceName: string } {
  return resourceType === ConfigResourceType.TOPIC
    ? { resourceType: ResourceType.TOPIC, resourceName }
    : { resourceType: ResourceType.CLUSTER, resourceName: CLUSTER_RESOURCE_NAME };
}

export function configAuthorizationError(resourceType: number): KafkaError {
  return resourceType === ConfigResourceType.TOPIC
    ? new KafkaError(ErrorCode.TOPIC_AUTHORIZATION_FAILED, 'Authorization failed.')
    : new KafkaError(ErrorCode.CLUSTER_AUTHORIZATION_FAILED, 'Authorization failed.');
}

export function existingTopic(cluster: ClusterState, name: string): TopicState {
  const topic = cluster.topic(name);
  if (!topic) throw new KafkaError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `Topic '${name}' does not exist.`);
  return topic;
}

/** A broker resource is named by a node id, or '' for the cluster-wide default. */
export function checkBrokerName(cluster: ClusterState, name: string): void {
  if (name !== '' && !cluster.nodeIds().some((id) => String(id) === name)) {
    throw new KafkaError(ErrorCode.INVALID_REQUEST, `Unexpected broker id, expected one of ${cluster.nodeIds().join(', ')} or empty string, but received ${name}`);
  }
}

/** Static broker settings as this broker runs them: read-only, reported so broker-level drift checks have something real to read. */
export function describeBrokerConfigs(nodeId: string, keys: readonly string[] | null): ConfigEntry[] {
  const entries: ConfigEntry[] = [
    staticEntry('broker.id', nodeId, ConfigType.INT, ConfigSource.STATIC_BROKER_CONFIG),
    staticEntry('num.partitions', '1', ConfigType.INT, ConfigSource.DEFAULT_CONFIG),
    staticEntry('default.replication.factor', '1', ConfigType.INT, ConfigSource.DEFAULT_CONFIG),
    staticEntry('auto.create.topics.enable', 'false', ConfigType.BOOLEAN, ConfigSource.STATIC_BROKER_CONFIG),
    staticEntry('delete.topic.enable', 'true', ConfigType.BOOLEAN, ConfigSource.DEFAULT_CONFIG),
    ...TOPIC_CONFIGS.filter((d) => d.brokerSynonym !== null).map((d) =>
      staticEntry(d.brokerSynonym ?? d.name, d.defaultValue, ConfigType.STRING, ConfigSource.DEFAULT_CONFIG),
    ),
  ];
  const unique = [...new Map(entries.map((e) => [e.name, e])).values()];
  return keys === null || keys.length === 0 ? unique : unique.filter((e) => keys.includes(e.name));
}

function staticEntry(name: string, value: string, configType: number, configSource: number): ConfigEntry {
  return {
    name,
    value,
    readOnly: true,
    isDefault: configSource === ConfigSource.DEFAULT_CONFIG,
    configSource,
    isSensitive: false,
    synonyms: [{ name, value, source: configSource }],
    configType,
    documentation: null,
  };
}
