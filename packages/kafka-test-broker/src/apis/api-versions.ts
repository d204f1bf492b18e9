import { arrayOf, field, message } from '../protocol/schema';
import { ErrorCode } from '../protocol/errors';
import { Api, RequestContext, defineApi } from './api';

export const API_VERSIONS_KEY = 18;

interface ApiVersionsResponse {
  errorCode: number;
  apiKeys: Array<{ apiKey: number; minVersion: number; maxVersion: number }>;
  throttleTimeMs: number;
}

const request = message('3+', [field('clientSoftwareName', 'string', '3+'), field('clientSoftwareVersion', 'string', '3+')]);

const response = message('3+', [
  field('errorCode', 'int16', '0+'),
  arrayOf('apiKeys', [field('apiKey', 'int16', '0+'), field('minVersion', 'int16', '0+'), field('maxVersion', 'int16', '0+')], '0+'),
  field('throttleTimeMs', 'int32', '1+'),
  arrayOf('supportedFeatures', [field('name', 'string', '3+'), field('minVersion', 'int16', '3+'), field('maxVersion', 'int16', '3+')], '3+', { tag: 0 }),
  field('finalizedFeaturesEpoch', 'int64', '3+', { tag: 1, default: -1n }),
  arrayOf('finalizedFeatures', [field('name', 'string', '3+'), field('maxVersionLevel', 'int16', '3+'), field('minVersionLevel', 'int16', '3+')], '3+', { tag: 2 }),
  field('zkMigrationReady', 'bool', '3+', { tag: 3 }),
]);

/** The ranges of every served API, exactly as implemented. */
export function advertisedVersions(apis: readonly Api[]): ApiVersionsResponse['apiKeys'] {
  return [...apis]
    .sort((a, b) => a.apiKey - b.apiKey)
    .map((api) => ({ apiKey: api.apiKey, minVersion: api.versions.min, maxVersion: api.versions.max }));
}

/**
 * A client asking with a version newer than ours gets a v0 answer with UNSUPPORTED_VERSION and,
 * like Kafka's ApiVersionsRequest.getErrorResponse, only ApiVersions' own range, so it can retry
 * with a version we serve (KIP-511; librdkafka relies on it).
 */
export function unsupportedApiVersionsResponse(apis: readonly Api[]): ApiVersionsResponse {
  const own = advertisedVersions(apis).filter((k) => k.apiKey === API_VERSIONS_KEY);
  return { errorCode: ErrorCode.UNSUPPORTED_VERSION, apiKeys: own, throttleTimeMs: 0 };
}

export const apiVersions = defineApi<unknown, ApiVersionsResponse>({
  apiKey: API_VERSIONS_KEY,
  name: 'ApiVersions',
  versions: '0-3',
  request,
  response,
  beforeAuthentication: true,
  handle: (_request, context: RequestContext) => ({
    errorCode: ErrorCode.NONE,
    apiKeys: advertisedVersions(context.apis),
    throttleTimeMs: 0,
  }),
});
