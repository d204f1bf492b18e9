import { AclOperation, CLUSTER_RESOURCE_NAME, ResourceType } from '../cluster/acl';
import { ErrorCode, KafkaError } from '../protocol/errors';
import { RequestContext, authorize } from './api';

/**
 * The ACL APIs need an authorizer (else SECURITY_DISABLED, 54) and an operation on the CLUSTER:
 * ALTER to create or delete, DESCRIBE to list (else CLUSTER_AUTHORIZATION_FAILED, 31).
 */
export function checkAclAccess(context: RequestContext, operation: typeof AclOperation.ALTER | typeof AclOperation.DESCRIBE): void {
  if (!context.authorizer.enabled) throw new KafkaError(ErrorCode.SECURITY_DISABLED, 'No Authorizer is configured on the broker');
  if (!authorize(context, ResourceType.CLUSTER, CLUSTER_RESOURCE_NAME, operation)) {
    throw new KafkaError(ErrorCode.CLUSTER_AUTHORIZATION_FAILED, 'Cluster authorization failed.');
  }
}
