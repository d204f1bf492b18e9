import { AclBindingFilter, AclOperation, PatternType } from '../cluster/acl';
import { ErrorCode, KafkaError } from '../protocol/errors';

/** An ACL binding filter as DescribeAcls sends it and each DeleteAcls filter repeats it (null = any). */
export interface AclFilterRequest {
  resourceTypeFilter: number;
  resourceNameFilter: string | null;
  patternTypeFilter: number;
  principalFilter: string | null;
  hostFilter: string | null;
  operation: number;
  permissionType: number;
}

/** The filter the authorizer matches with; a filter with an UNKNOWN element is INVALID_REQUEST (42), as in Kafka. */
export function filterOf(req: AclFilterRequest): AclBindingFilter {
  if (req.patternTypeFilter === PatternType.UNKNOWN || req.operation === AclOperation.UNKNOWN || req.resourceTypeFilter === 0 || req.permissionType === 0) {
    throw new KafkaError(ErrorCode.INVALID_REQUEST, 'The filter contains UNKNOWN elements');
  }
  return {
    resourceType: req.resourceTypeFilter,
    resourceName: req.resourceNameFilter,
    patternType: req.patternTypeFilter,
    principal: req.principalFilter,
    host: req.hostFilter,
    operation: req.operation,
    permissionType: req.permissionType,
  };
}
