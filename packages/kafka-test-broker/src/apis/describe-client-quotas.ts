import { AclOperation, CLUSTER_RESOURCE_NAME, ResourceType } from '../cluster/acl';
import { clientQuotasOf, type QuotaEntity } from '../cluster/client-quotas';
import { ErrorCode, KafkaError, answerOrRefusal } from '../protocol/errors';
import { arrayOf, field, message } from '../protocol/schema';
import { RequestContext, authorize, defineApi } from './api';

interface Component {
  entityType: string;
  matchType: number;
  match: string | null;
}

interface DescribeClientQuotasRequest {
  components: Component[];
  strict: boolean;
}

interface Entry {
  entity: Array<{ entityType: string; entityName: string | null }>;
  values: Array<{ key: string; value: number }>;
}

interface DescribeClientQuotasResponse {
  throttleTimeMs: number;
  errorCode: number;
  errorMessage: string | null;
  entries: Entry[] | null;
}

const request = message('1+', [
  arrayOf('components', [field('entityType', 'string', '0+'), field('matchType', 'int8', '0+'), field('match', 'string', '0+', { nullable: '0+' })], '0+'),
  field('strict', 'bool', '0+'),
]);

const response = message('1+', [
  field('throttleTimeMs', 'int32', '0+'),
  field('errorCode', 'int16', '0+'),
  field('errorMessage', 'string', '0+', { nullable: '0+' }),
  arrayOf(
    'entries',
    [
      arrayOf('entity', [field('entityType', 'string', '0+'), field('entityName', 'string', '0+', { nullable: '0+' })], '0+'),
      arrayOf('values', [field('key', 'string', '0+'), field('value', 'float64', '0+')], '0+'),
    ],
    '0+',
    { nullable: '0+' },
  ),
]);

const MATCH_EXACT = 0;
const MATCH_DEFAULT = 1;
const MATCH_SPECIFIED = 2;

/** The filter as Kafka's ClientQuotasImage reads it: exact names (null = default) and types with any name. */
function filterOf(components: Component[]): { exact: Map<string, string | null>; typed: Set<string> } {
  const exact = new Map<string, string | null>();
  const typed = new Set<string>();
  for (const c of components) {
    if (c.entityType === '') throw new KafkaError(ErrorCode.INVALID_REQUEST, 'Invalid empty entity type.');
    if (exact.has(c.entityType) || typed.has(c.entityType)) throw new KafkaError(ErrorCode.INVALID_REQUEST, `Entity type ${c.entityType} cannot appear more than once in the filter.`);
    if (!['user', 'client-id', 'ip'].includes(c.entityType)) throw new KafkaError(ErrorCode.UNSUPPORTED_VERSION, `Unsupported entity type ${c.entityType}`);
    if (c.matchType === MATCH_EXACT) {
      if (c.match === null) throw new KafkaError(ErrorCode.INVALID_REQUEST, 'Request specified MATCH_TYPE_EXACT, but set match string to null.');
      exact.set(c.entityType, c.match);
    } else if (c.matchType === MATCH_DEFAULT || c.matchType === MATCH_SPECIFIED) {
      if (c.match !== null) throw new KafkaError(ErrorCode.INVALID_REQUEST, `Request specified ${c.matchType === MATCH_DEFAULT ? 'MATCH_TYPE_DEFAULT' : 'MATCH_TYPE_SPECIFIED'}, but also specified a match string.`);
      if (c.matchType === MATCH_DEFAULT) exact.set(c.entityType, null);
      else typed.add(c.entityType);
    } else {
      throw new KafkaError(ErrorCode.INVALID_REQUEST, `Unknown match type ${c.matchType}`);
    }
  }
  const has = (t: string) => exact.has(t) || typed.has(t);
  if (has('ip') && (has('user') || has('client-id'))) {
    throw new KafkaError(ErrorCode.INVALID_REQUEST, 'Invalid entity filter component combination. IP filter component should not be used with user or clientId filter component.');
  }
  return { exact, typed };
}

function matches(entity: QuotaEntity, filter: ReturnType<typeof filterOf>, strict: boolean): boolean {
  for (const [type, name] of filter.exact) if (!entity.has(type) || entity.get(type) !== name) return false;
  for (const type of filter.typed) if (!entity.has(type)) return false;
  return !strict || entity.size === filter.exact.size + filter.typed.size;
}

function describe(req: DescribeClientQuotasRequest, context: RequestContext): Entry[] {
  if (!authorize(context, ResourceType.CLUSTER, CLUSTER_RESOURCE_NAME, AclOperation.DESCRIBE_CONFIGS)) {
    throw new KafkaError(ErrorCode.CLUSTER_AUTHORIZATION_FAILED, 'Cluster authorization failed.');
  }
  const filter = filterOf(req.components);
  // No component and not strict: every entity (Kafka's case 3); none and strict: nothing.
  const all = clientQuotasOf(context.cluster).all();
  const chosen = filter.exact.size + filter.typed.size === 0 ? (req.strict ? [] : all) : all.filter((e) => matches(e.entity, filter, req.strict));
  return chosen.map((e) => ({
    entity: [...e.entity].map(([entityType, entityName]) => ({ entityType, entityName })),
    values: [...e.values].map(([key, value]) => ({ key, value })),
  }));
}

/** Needs DESCRIBE_CONFIGS on the cluster; a refusal or a bad filter is the top-level error, with no entries. */
export const describeClientQuotas = defineApi<DescribeClientQuotasRequest, DescribeClientQuotasResponse>({
  apiKey: 48,
  name: 'DescribeClientQuotas',
  versions: '0-1',
  request,
  response,
  handle: (req, context) =>
    answerOrRefusal<DescribeClientQuotasResponse>(
      () => ({ throttleTimeMs: 0, errorCode: ErrorCode.NONE, errorMessage: null, entries: describe(req, context) }),
      (e) => ({ throttleTimeMs: 0, errorCode: e.code, errorMessage: e.message, entries: null }),
    ),
});
