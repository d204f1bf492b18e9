import { AclBinding, AclOperation, invalidBindingReason } from '../cluster/acl';
import { ErrorCode, ErrorResult, KafkaError, errorResultOf } from '../protocol/errors';
import { arrayOf, field, message } from '../protocol/schema';
import { defineApi } from './api';
import { checkAclAccess } from './acl-access';

interface AclCreation {
  resourceType: number;
  resourceName: string;
  resourcePatternType: number;
  principal: string;
  host: string;
  operation: number;
  permissionType: number;
}

const request = message('2+', [
  arrayOf(
    'creations',
    [
      field('resourceType', 'int8', '0+'),
      field('resourceName', 'string', '0+'),
      field('resourcePatternType', 'int8', '1+', { default: 3 }),
      field('principal', 'string', '0+'),
      field('host', 'string', '0+'),
      field('operation', 'int8', '0+'),
      field('permissionType', 'int8', '0+'),
    ],
    '0+',
  ),
]);

const response = message('2+', [
  field('throttleTimeMs', 'int32', '0+'),
  arrayOf('results', [field('errorCode', 'int16', '0+'), field('errorMessage', 'string', '0+', { nullable: '0+' })], '0+'),
]);

export const createAcls = defineApi<{ creations: AclCreation[] }, { throttleTimeMs: number; results: ErrorResult[] }>({
  apiKey: 30,
  name: 'CreateAcls',
  versions: '0-3',
  request,
  response,
  handle: (req, context) => ({
    throttleTimeMs: 0,
    results: req.creations.map((c) =>
      errorResultOf(() => {
        checkAclAccess(context, AclOperation.ALTER);
        const binding: AclBinding = {
          resourceType: c.resourceType,
          resourceName: c.resourceName,
          patternType: c.resourcePatternType,
          principal: c.principal,
          host: c.host,
          operation: c.operation,
          permissionType: c.permissionType,
        };
        const invalid = invalidBindingReason(binding);
        if (invalid) throw new KafkaError(ErrorCode.INVALID_REQUEST, `Invalid ACL creation: ${invalid}`);
        context.cluster.addAcl(binding);
      }),
    ),
  }),
});
