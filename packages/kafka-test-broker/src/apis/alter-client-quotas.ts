import { AclOperation, CLUSTER_RESOURCE_NAME, ResourceType } from '../cluster/acl';
import { clientQuotasOf } from '../cluster/client-quotas';
import { ErrorCode, ErrorResult, errorResultOf } from '../protocol/errors';
import { arrayOf, field, message } from '../protocol/schema';
import { authorize, defineApi } from './api';

type Entity = Array<{ entityType: string; entityName: string | null }>;

interface AlterClientQuotasRequest {
  entries: Array<{ entity: Entity; ops: Array<{ key: string; value: number; remove: boolean }> }>;
  validateOnly: boolean;
}

type EntryResult = ErrorResult & { entity: Entity };

const entityFields = [field('entityType', 'string', '0+'), field('entityName', 'string', '0+', { nullable: '0+' })];

const request = message('1+', [
  arrayOf('entries', [arrayOf('entity', entityFields, '0+'), arrayOf('ops', [field('key', 'string', '0+'), field('value', 'float64', '0+'), field('remove', 'bool', '0+')], '0+')], '0+'),
  field('validateOnly', 'bool', '0+'),
]);

const response = message('1+', [
  field('throttleTimeMs', 'int32', '0+'),
  arrayOf('entries', [field('errorCode', 'int16', '0+'), field('errorMessage', 'string', '0+', { nullable: '0+' }), arrayOf('entity', entityFields, '0+')], '0+'),
]);

/** Needs ALTER_CONFIGS on the cluster (else every entry is CLUSTER_AUTHORIZATION_FAILED); each entry is checked and applied on its own. */
export const alterClientQuotas = defineApi<AlterClientQuotasRequest, { throttleTimeMs: number; entries: EntryResult[] }>({
  apiKey: 49,
  name: 'AlterClientQuotas',
  versions: '0-1',
  request,
  response,
  handle: (req, context) => {
    const allowed = authorize(context, ResourceType.CLUSTER, CLUSTER_RESOURCE_NAME, AclOperation.ALTER_CONFIGS);
    const quotas = clientQuotasOf(context.cluster);
    const entries = req.entries.map((e) => ({
      entity: e.entity,
      ...(allowed
        ? errorResultOf(() => quotas.alter(e.entity, e.ops.map((op) => ({ key: op.key, value: op.remove ? null : op.value })), req.validateOnly))
        : { errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED, errorMessage: 'Cluster authorization failed.' }),
    }));
    return { throttleTimeMs: 0, entries };
  },
});
