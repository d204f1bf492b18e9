import { AclBinding, AclOperation, filterMatches } from '../cluster/acl';
import { ErrorCode, answerOrRefusal } from '../protocol/errors';
import { arrayOf, field, message } from '../protocol/schema';
import { defineApi } from './api';
import { checkAclAccess } from './acl-access';
import { AclFilterRequest, aclFilterFields, filterOf } from './acl-filter';

interface FilterResult {
  errorCode: number;
  errorMessage: string | null;
  matchingAcls: Array<AclBinding & { errorCode: number; errorMessage: string | null }>;
}

const request = message('2+', [arrayOf('filters', aclFilterFields, '0+')]);

const response = message('2+', [
  field('throttleTimeMs', 'int32', '0+'),
  arrayOf(
    'filterResults',
    [
      field('errorCode', 'int16', '0+'),
      field('errorMessage', 'string', '0+', { nullable: '0+' }),
      arrayOf(
        'matchingAcls',
        [
          field('errorCode', 'int16', '0+'),
          field('errorMessage', 'string', '0+', { nullable: '0+' }),
          field('resourceType', 'int8', '0+'),
          field('resourceName', 'string', '0+'),
          field('patternType', 'int8', '1+', { default: 3 }),
          field('principal', 'string', '0+'),
          field('host', 'string', '0+'),
          field('operation', 'int8', '0+'),
          field('permissionType', 'int8', '0+'),
        ],
        '0+',
      ),
    ],
    '0+',
  ),
]);

/** Needs ALTER on the cluster; each filter reports the bindings it removed. */
export const deleteAcls = defineApi<{ filters: AclFilterRequest[] }, { throttleTimeMs: number; filterResults: FilterResult[] }>({
  apiKey: 31,
  name: 'DeleteAcls',
  versions: '0-3',
  request,
  response,
  handle: (req, context) => ({
    throttleTimeMs: 0,
    filterResults: req.filters.map((f) =>
      answerOrRefusal<FilterResult>(() => {
        checkAclAccess(context, AclOperation.ALTER);
        const filter = filterOf(f);
        const removed = context.cluster.removeAcls((b) => filterMatches(filter, b));
        return {
          errorCode: ErrorCode.NONE,
          errorMessage: null,
          matchingAcls: removed.map((b) => ({ ...b, errorCode: ErrorCode.NONE, errorMessage: null })),
        };
      }, (e) => ({ errorCode: e.code, errorMessage: e.message, matchingAcls: [] })),
    ),
  }),
});
