import { validateTopicConfig } from '../cluster/topic-configs';
import { arrayOf, field, message } from '../protocol/schema';
import { defineApi } from './api';
import { AlterConfigsResourceResponse, alterConfigsResponseSchema, alterEach } from './alter-configs-common';

interface AlterConfigsResource {
  resourceType: number;
  resourceName: string;
  configs: Array<{ name: string; value: string | null }>;
}

const request = message('2+', [
  arrayOf(
    'resources',
    [
      field('resourceType', 'int8', '0+'),
      field('resourceName', 'string', '0+'),
      arrayOf('configs', [field('name', 'string', '0+'), field('value', 'string', '0+', { nullable: '0+' })], '0+'),
    ],
    '0+',
  ),
  field('validateOnly', 'bool', '0+'),
]);

/** Replaces the whole config set of each resource: keys not listed fall back to their defaults. */
export const alterConfigs = defineApi<{ resources: AlterConfigsResource[]; validateOnly: boolean }, { throttleTimeMs: number; responses: AlterConfigsResourceResponse[] }>({
  apiKey: 33,
  name: 'AlterConfigs',
  versions: '0-2',
  request,
  response: alterConfigsResponseSchema('2+'),
  handle: (req, context) => ({
    throttleTimeMs: 0,
    responses: alterEach(req.resources, context, req.validateOnly, (resource) => {
      const next = new Map<string, string>();
      for (const c of resource.configs) next.set(c.name, validateTopicConfig(c.name, c.value));
      return next;
    }),
  }),
});
