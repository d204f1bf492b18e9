import { AclOperation } from '../cluster/acl';
import { ConfigResourceType, configAclTarget, configAuthorizationError } from '../cluster/config-resource';
import { ErrorCode, KafkaError } from '../protocol/errors';
import { RequestContext, authorize } from './api';

/**
 * The checks every config API starts a resource with: a type the test broker serves (topic or
 * broker, else INVALID_REQUEST, 42), then `operation` on the topic (29) or, for a broker, on the cluster (31).
 */
export function checkConfigAccess(
  context: RequestContext,
  resource: { resourceType: number; resourceName: string },
  operation: typeof AclOperation.DESCRIBE_CONFIGS | typeof AclOperation.ALTER_CONFIGS,
): void {
  const { resourceType, resourceName } = resource;
  if (resourceType !== ConfigResourceType.TOPIC && resourceType !== ConfigResourceType.BROKER) {
    throw new KafkaError(ErrorCode.INVALID_REQUEST, `Unsupported resource type ${resourceType} on the test broker`);
  }
  const target = configAclTarget(resourceType, resourceName);
  if (!authorize(context, target.resourceType, target.resourceName, operation)) throw configAuthorizationError(resourceType);
}
