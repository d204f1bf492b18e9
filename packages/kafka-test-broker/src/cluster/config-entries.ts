import { ConfigSource, TOPIC_CONFIGS, TopicConfigDefinition, configTypeOf } from './topic-configs';

export interface ConfigSynonym {
  name: string;
  value: string | null;
  source: number;
}

/** One described config, in the shape DescribeConfigs and CreateTopics (v5+) both report. */
export interface ConfigEntry {
  name: string;
  value: string | null;
  readOnly: boolean;
  /** v0's flag; later versions carry the same fact as `configSource`. */
  isDefault: boolean;
  configSource: number;
  isSensitive: boolean;
  synonyms: ConfigSynonym[];
  configType: number;
  documentation: string | null;
}

/**
 * Every topic config: the value set on the topic (source DYNAMIC_TOPIC_CONFIG) or where its default
 * comes from (DEFAULT_CONFIG, or the cluster-wide DYNAMIC_DEFAULT_BROKER_CONFIG), so a caller can tell a default from a set value. Synonyms list the topic value
 * first, then the broker default it would fall back to, as Kafka does.
 */
export function describeTopicConfigs(set: ReadonlyMap<string, string>, keys: readonly string[] | null = null): ConfigEntry[] {
  // Kafka's ConfigHelper treats an empty key list like null: every key.
  const wanted = keys === null || keys.length === 0 ? TOPIC_CONFIGS : TOPIC_CONFIGS.filter((d) => keys.includes(d.name));
  return wanted.map((d) => entryOf(d, set.get(d.name)));
}

function entryOf(d: TopicConfigDefinition, setValue: string | undefined): ConfigEntry {
  const defaultSynonym: ConfigSynonym[] = d.brokerSynonym ? [{ name: d.brokerSynonym, value: d.defaultValue, source: d.defaultSource }] : [];
  const isSet = setValue !== undefined;
  return {
    name: d.name,
    value: isSet ? setValue : d.defaultValue,
    readOnly: false,
    isDefault: !isSet && d.defaultSource === ConfigSource.DEFAULT_CONFIG,
    configSource: isSet ? ConfigSource.DYNAMIC_TOPIC_CONFIG : d.defaultSource,
    isSensitive: false,
    synonyms: isSet ? [{ name: d.name, value: setValue, source: ConfigSource.DYNAMIC_TOPIC_CONFIG }, ...defaultSynonym] : defaultSynonym,
    configType: configTypeOf(d),
    documentation: null,
  };
}
