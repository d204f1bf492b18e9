import { splitList, topicConfigDefinition, validateTopicConfig } from '../cluster/topic-configs';
import { ErrorCode, KafkaError } from '../protocol/errors';
import { arrayOf, field, message } from '../protocol/schema';
import { defineApi } from './api';
import { AlterConfigsResourceResponse, alterConfigsResponseSchema, alterEach } from './alter-configs-common';

export const ConfigOperation = { SET: 0, DELETE: 1, APPEND: 2, SUBTRACT: 3 } as const;

interface IncrementalResource {
  resourceType: number;
  resourceName: string;
  configs: Array<{ name: string; configOperation: number; value: string | null }>;
}

const request = message('1+', [
  arrayOf(
    'resources',
    [
      field('resourceType', 'int8', '0+'),
      field('resourceName', 'string', '0+'),
      arrayOf('configs', [field('name', 'string', '0+'), field('configOperation', 'int8', '0+'), field('value', 'string', '0+', { nullable: '0+' })], '0+'),
    ],
    '0+',
  ),
  field('validateOnly', 'bool', '0+'),
]);

function apply(current: ReadonlyMap<string, string>, ops: IncrementalResource['configs']): Map<string, string> {
  const names = ops.map((o) => o.name);
  if (new Set(names).size !== names.length) throw new KafkaError(ErrorCode.INVALID_REQUEST, 'Error due to duplicate config keys');
  const next = new Map(current);
  for (const op of ops) {
    const definition = topicConfigDefinition(op.name);
    if (!definition) throw new KafkaError(ErrorCode.INVALID_CONFIG, `Unknown topic config name: ${op.name}`);
    const isList = definition.kind === 'list';
    // APPEND/SUBTRACT start from the effective value, so appending to a default keeps the default.
    const effective = splitList(next.get(op.name) ?? definition.defaultValue);
    switch (op.configOperation) {
      case ConfigOperation.SET:
        next.set(op.name, validateTopicConfig(op.name, op.value));
        break;
      case ConfigOperation.DELETE:
        next.delete(op.name);
        break;
      case ConfigOperation.APPEND:
      case ConfigOperation.SUBTRACT: {
        const verb = op.configOperation === ConfigOperation.APPEND ? 'append' : 'subtract';
        if (!isList) throw new KafkaError(ErrorCode.INVALID_CONFIG, `Config value ${verb} is not allowed for config key: ${op.name}`);
        const items = splitList(op.value ?? '');
        const result = verb === 'append' ? [...effective, ...items.filter((i) => !effective.includes(i))] : effective.filter((i) => !items.includes(i));
        next.set(op.name, validateTopicConfig(op.name, result.join(',')));
        break;
      }
      default:
        throw new KafkaError(ErrorCode.INVALID_REQUEST, `Unknown alter config operation ${op.configOperation}`);
    }
  }
  return next;
}

/** SET / DELETE / APPEND / SUBTRACT on single keys; untouched keys keep their values. */
export const incrementalAlterConfigs = defineApi<{ resources: IncrementalResource[]; validateOnly: boolean }, { throttleTimeMs: number; responses: AlterConfigsResourceResponse[] }>({
  apiKey: 44,
  name: 'IncrementalAlterConfigs',
  versions: '0-1',
  request,
  response: alterConfigsResponseSchema('1+'),
  handle: (req, context) => ({
    throttleTimeMs: 0,
    responses: alterEach(req.resources, context, req.validateOnly, (resource, topic) => apply(topic.configs, resource.configs)),
  }),
});
