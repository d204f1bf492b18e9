import { AclOperation, filterMatches } from '../cluster/acl';
import { ErrorCode, answerOrRefusal } from '../protocol/errors';
import { arrayOf, field, message } from '../protocol/schema';
import { defineApi } from './api';
import { checkAclAccess } from './acl-access';
import { AclFilterRequest, aclFilterFields, filterOf } from './acl-filter';

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

const request = message('2+', aclFilterFields);

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

/** Needs DESCRIBE on the cluster; bindings come back grouped by resource pattern. */
export const describeAcls = defineApi<AclFilterRequest, DescribeAclsResponse>({
  apiKey: 29,
  name: 'DescribeAcls',
  versions: '0-3',
  request,
  response,
  handle: (req, context) =>
    answerOrRefusal<DescribeAclsResponse>(() => {
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
    }, (e) => ({ throttleTimeMs: 0, errorCode: e.code, errorMessage: e.message, resources: [] })),
});
