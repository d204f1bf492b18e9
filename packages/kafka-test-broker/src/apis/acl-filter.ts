import { AclBindingFilter, AclOperation, PatternType } from '../cluster/acl';
import { ErrorCode, KafkaError } from '../protocol/errors';
import { field } from '../protocol/schema';

/**
 * The ACL binding filter: DescribeAcls' request fields and each DeleteAcls filter, identical in
 * Kafka's message definitions (DescribeAclsRequest.json, DeleteAclsRequest.json) in every version.
 */
export const aclFilterFields = [
  field('resourceTypeFilter', 'int8', '0+'),
  field('resourceNameFilter', 'string', '0+', { nullable: '0+' }),
  field('patternTypeFilter', 'int8', '1+', { default: 3 }),
  field('principalFilter', 'string', '0+', { nullable: '0+' }),
  field('hostFilter', 'string', '0+', { nullable: '0+' }),
  field('operation', 'int8', '0+'),
  field('permissionType', 'int8', '0+'),
];

/** A decoded filter (null = any). */
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
