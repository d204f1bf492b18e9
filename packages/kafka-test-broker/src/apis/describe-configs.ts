import { ConfigEntry, describeTopicConfigs } from '../cluster/config-entries';
import { AclOperation } from '../cluster/acl';
import { ConfigResourceType, checkBrokerName, describeBrokerConfigs, existingTopic } from '../cluster/config-resource';
import { ErrorCode, answerOrRefusal } from '../protocol/errors';
import { arrayOf, field, message } from '../protocol/schema';
import { RequestContext, defineApi } from './api';
import { checkConfigAccess } from './config-access';

interface DescribeConfigsRequest {
  resources: Array<{ resourceType: number; resourceName: string; configurationKeys: string[] | null }>;
  includeSynonyms: boolean;
  includeDocumentation: boolean;
}

interface DescribeConfigsResult {
  errorCode: number;
  errorMessage: string | null;
  resourceType: number;
  resourceName: string;
  configs: ConfigEntry[];
}

const request = message('4+', [
  arrayOf(
    'resources',
    [field('resourceType', 'int8', '0+'), field('resourceName', 'string', '0+'), arrayOf('configurationKeys', 'string', '0+', { nullable: '0+' })],
    '0+',
  ),
  field('includeSynonyms', 'bool', '1+'),
  field('includeDocumentation', 'bool', '3+'),
]);

const response = message('4+', [
  field('throttleTimeMs', 'int32', '0+'),
  arrayOf(
    'results',
    [
      field('errorCode', 'int16', '0+'),
      field('errorMessage', 'string', '0+', { nullable: '0+' }),
      field('resourceType', 'int8', '0+'),
      field('resourceName', 'string', '0+'),
      arrayOf(
        'configs',
        [
          field('name', 'string', '0+'),
          field('value', 'string', '0+', { nullable: '0+' }),
          field('readOnly', 'bool', '0+'),
          field('isDefault', 'bool', '0'),
          field('configSource', 'int8', '1+', { default: -1 }),
          field('isSensitive', 'bool', '0+'),
          arrayOf('synonyms', [field('name', 'string', '1+'), field('value', 'string', '1+', { nullable: '0+' }), field('source', 'int8', '1+')], '1+'),
          field('configType', 'int8', '3+'),
          field('documentation', 'string', '3+', { nullable: '0+' }),
        ],
        '0+',
      ),
    ],
    '0+',
  ),
]);

function describe(resource: DescribeConfigsRequest['resources'][number], context: RequestContext): ConfigEntry[] {
  const { resourceType, resourceName, configurationKeys } = resource;
  checkConfigAccess(context, resource, AclOperation.DESCRIBE_CONFIGS);
  if (resourceType === ConfigResourceType.BROKER) {
    checkBrokerName(context.cluster, resourceName);
    return describeBrokerConfigs(resourceName === '' ? String(context.node.nodeId) : resourceName, configurationKeys);
  }
  return describeTopicConfigs(existingTopic(context.cluster, resourceName).configs, configurationKeys);
}

/** Every config with its value and source (DEFAULT_CONFIG vs DYNAMIC_TOPIC_CONFIG), synonyms only when asked. */
export const describeConfigs = defineApi<DescribeConfigsRequest, { throttleTimeMs: number; results: DescribeConfigsResult[] }>({
  apiKey: 32,
  name: 'DescribeConfigs',
  versions: '0-4',
  request,
  response,
  handle: (req, context) => ({
    throttleTimeMs: 0,
    results: req.resources.map((resource) => {
      const base = { resourceType: resource.resourceType, resourceName: resource.resourceName };
      return answerOrRefusal<DescribeConfigsResult>(
        () => {
          const configs = describe(resource, context).map((c) => ({ ...c, synonyms: req.includeSynonyms ? c.synonyms : [] }));
          return { ...base, errorCode: ErrorCode.NONE, errorMessage: null, configs };
        },
        (e) => ({ ...base, errorCode: e.code, errorMessage: e.message, configs: [] }),
      );
    }),
  }),
});
