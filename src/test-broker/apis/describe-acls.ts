import { AclBindingFilter, AclOperation, PatternType, filterMatches } from '../cluster/acl';
import { ErrorCode, KafkaError } from '../protocol/errors';
import { arrayOf, field, message } from '../protocol/schema';
import { defineApi } from './api';
import { checkAclAccess } from './acl-access';

interface DescribeAclsRequest {
  resourceTypeFilter: number;
  resourceNameFilter: string | null;
  patternTypeFilter: number;
  principalFilter: string | null;
  hostFilter: string | null;
  operation: number;
  permissionType: number;
}

interface DescribeAclsResource {
  resourceType: number;
  resourceName: string;
  patternType: number;
  acls: Array<{ principal: string; host: string; operation: number; permissionType: number }>;
}

interface DescribeAclsResponse {
  throttleTimeMs: number;
  errorCode: number;
  errorMessage: string | null;
  resources: DescribeAclsResource[];
}

const request = message('2+', [
  field('resourceTypeFilter', 'int8', '0+'),
  field('resourceNameFilter', 'string', '0+', { nullable: '0+' }),
  field('patternTypeFilter', 'int8', '1+', { default: 3 }),
  field('principalFilter', 'string', '0+', { nullable: '0+' }),
  field('hostFilter', 'string', '0+', { nullable: '0+' }),
  field('operation', 'int8', '0+'),
  field('permissionType', 'int8', '0+'),
]);

const response = message('2+', [
  field('throttleTimeMs', 'int32', '0+'),
  field('errorCode', 'int16', '0+'),
  field('errorMessage', 'string', '0+', { nullable: '0+' }),
  arrayOf(
    'resources',
    [
      field('resourceType', 'int8', '0+'),
      field('resourceName', 'string', '0+'),
      field('patternType', 'int8', '1+', { default: 3 }),
      arrayOf(
        'acls',
        [field('principal', 'string', '0+'), field('host', 'string', '0+'), field('operation', 'int8', '0+'), field('permissionType', 'int8', '0+')],
        '0+',
      ),
    ],
    '0+',
  ),
]);

export function filterOf(req: DescribeAclsRequest): AclBindingFilter {
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

/** Needs DESCRIBE on the cluster; bindings come back grouped by resource pattern. */
export const describeAcls = defineApi<DescribeAclsRequest, DescribeAclsResponse>({
  apiKey: 29,
  name: 'DescribeAcls',
  versions: '0-3',
  request,
  response,
  handle: (req, context) => {
    try {
      checkAclAccess(context, AclOperation.DESCRIBE);
      const filter = filterOf(req);
      const groups = new Map<string, DescribeAclsResource>();
      for (const acl of context.cluster.acls.filter((b) => filterMatches(filter, b))) {
        const key = `${acl.resourceType}\u0000${acl.patternType}\u0000${acl.resourceName}`;
        const group = groups.get(key) ?? { resourceType: acl.resourceType, resourceName: acl.resourceName, patternType: acl.patternType, acls: [] };
        group.acls.push({ principal: acl.principal, host: acl.host, operation: acl.operation, permissionType: acl.permissionType });
        groups.set(key, group);
      }
      return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, errorMessage: null, resources: [...groups.values()] };
    } catch (e) {
      if (!(e instanceof KafkaError)) throw e;
      return { throttleTimeMs: 0, errorCode: e.code, errorMessage: e.message, resources: [] };
    }
  },
});
