import { AclOperation } from '../cluster/acl';
import { ConfigResourceType, existingTopic } from '../cluster/config-resource';
import { TopicState } from '../cluster/cluster-state';
import { ErrorCode, ErrorResult, KafkaError, errorResultOf } from '../protocol/errors';
import { arrayOf, field, message } from '../protocol/schema';
import { RequestContext } from './api';
import { checkConfigAccess } from './config-access';
import { repeatedKeys } from './repeated-keys';

export type AlterConfigsResourceResponse = { resourceType: number; resourceName: string } & ErrorResult;

/** AlterConfigs and IncrementalAlterConfigs answer with the same shape. */
export function alterConfigsResponseSchema(flexibleVersions: string) {
  return message(flexibleVersions, [
    field('throttleTimeMs', 'int32', '0+'),
    arrayOf(
      'responses',
      [
        field('errorCode', 'int16', '0+'),
        field('errorMessage', 'string', '0+', { nullable: '0+' }),
        field('resourceType', 'int8', '0+'),
        field('resourceName', 'string', '0+'),
      ],
      '0+',
    ),
  ]);
}

/**
 * The checks both config-altering APIs share: known resource type, ALTER_CONFIGS on the topic (or the
 * cluster for brokers), the topic exists, no resource listed twice; then `alter` computes the topic's
 * new config set, which is stored unless `validateOnly`.
 */
export function alterEach<R extends { resourceType: number; resourceName: string }>(
  resources: readonly R[],
  context: RequestContext,
  validateOnly: boolean,
  alter: (resource: R, topic: TopicState) => Map<string, string>,
): AlterConfigsResourceResponse[] {
  const key = (r: R): string => `${r.resourceType}:${r.resourceName}`;
  const repeated = repeatedKeys(resources, key);
  return resources.map((resource) => ({
    resourceType: resource.resourceType,
    resourceName: resource.resourceName,
    ...errorResultOf(() => {
      if (repeated.has(key(resource))) throw new KafkaError(ErrorCode.INVALID_REQUEST, 'Error due to duplicate config resources');
      checkConfigAccess(context, resource, AclOperation.ALTER_CONFIGS);
      if (resource.resourceType === ConfigResourceType.BROKER) {
        throw new KafkaError(ErrorCode.INVALID_CONFIG, 'Broker configs are static on the test broker and cannot be altered');
      }
      const topic = existingTopic(context.cluster, resource.resourceName);
      const next = alter(resource, topic);
      if (!validateOnly) topic.configs = next;
    }),
  }));
}
