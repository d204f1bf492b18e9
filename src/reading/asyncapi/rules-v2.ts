/**
 * The error-severity rules of @asyncapi/parser's `v2CoreRuleset` and `v2SchemasRuleset`,
 * reimplemented over the resolved document. Each keeps the parser's rule name as its code and
 * its quirks (what it skips), so the same documents are accepted and rejected.
 */
import { exampleSchema, checkAgainstSchema } from './schema-checks';
import { type AsyncApiIssue, type Json, isObject, missingProps, objectEntries, redundantProps, urlVariables } from './issue';
import { ASYNCAPI_VERSIONS, schemaObjectValidator } from './schemas';

type Path = Array<string | number>;
interface Located<T = Json> { path: Path; value: T }

// The parser's order: a duplicate id is reported on the later operation.
const OPERATION_KINDS = ['subscribe', 'publish'] as const;

/** `$.channels[*][publish,subscribe]` and the same under `components.channels`. */
function operations(doc: Json, withComponents: boolean): Located[] {
  const roots: Array<[Path, unknown]> = [[['channels'], doc.channels]];
  if (withComponents && isObject(doc.components)) roots.push([['components', 'channels'], doc.components.channels]);
  const found: Located[] = [];
  for (const [base, channels] of roots) {
    for (const [name, channel] of objectEntries(channels)) {
      for (const kind of OPERATION_KINDS) {
        const op = isObject(channel) ? channel[kind] : undefined;
        if (isObject(op)) found.push({ path: [...base, name, kind], value: op });
      }
    }
  }
  return found;
}

/** Messages of operations: `.message` (or each of `.message.oneOf`) plus `components.messages.*`. */
function messages(doc: Json): { operationMessages: Located[]; componentMessages: Located[] } {
  const operationMessages: Located[] = [];
  for (const op of operations(doc, true)) {
    const message = op.value.message;
    if (!isObject(message)) continue;
    operationMessages.push({ path: [...op.path, 'message'], value: message });
    if (Array.isArray(message.oneOf)) {
      message.oneOf.forEach((m, i) => {
        if (isObject(m)) operationMessages.push({ path: [...op.path, 'message', 'oneOf', i], value: m });
      });
    }
  }
  const componentMessages: Located[] = [];
  const components = isObject(doc.components) ? doc.components : {};
  for (const [name, m] of objectEntries(components.messages)) {
    if (isObject(m)) componentMessages.push({ path: ['components', 'messages', name], value: m });
  }
  return { operationMessages, componentMessages };
}

function traitsOf(message: Located): Located[] {
  const traits = message.value.traits;
  if (!Array.isArray(traits)) return [];
  return traits.flatMap((t, i) => (isObject(t) ? [{ path: [...message.path, 'traits', i], value: t }] : []));
}

/** Server and operation `security` requirements must name defined schemes and scopes. */
function securityRequirements(doc: Json, owner: 'Server' | 'Operation', requirements: Located<unknown>[]): AsyncApiIssue[] {
  const code = owner === 'Server' ? 'asyncapi2-server-security' : 'asyncapi2-operation-security';
  const schemes = isObject(doc.components) && isObject(doc.components.securitySchemes) ? doc.components.securitySchemes : {};
  const issues: AsyncApiIssue[] = [];
  for (const { path, value } of requirements) {
    if (!isObject(value) || !Object.values(value).every((v) => Array.isArray(v) && v.every((s) => typeof s === 'string'))) continue;
    for (const [key, scopes] of Object.entries(value as Record<string, string[]>)) {
      if (!(key in schemes)) issues.push({ code, message: `${owner} must not reference an undefined security scheme.`, path: [...path, key] });
      const scheme = schemes[key];
      if (isObject(scheme) && scheme.type === 'oauth2') {
        const flows = isObject(scheme.flows) ? scheme.flows : {};
        const available = [...new Set(['implicit', 'password', 'clientCredentials', 'authorizationCode']
          .flatMap((f) => (isObject(flows[f]) ? Object.keys((flows[f] as Json).scopes ?? {}) : [])))];
        scopes.forEach((scope, i) => {
          if (!available.includes(scope)) {
            issues.push({ code, message: `Non-existing security scope for the specified security scheme. Available: [${available.join(', ')}]`, path: [...path, key, i] });
          }
        });
      }
    }
  }
  return issues;
}

function serverVariables(doc: Json): AsyncApiIssue[] {
  const code = 'asyncapi2-server-variables';
  const servers: Located<unknown>[] = [
    ...objectEntries(doc.servers).map(([n, v]) => ({ path: ['servers', n], value: v })),
    ...objectEntries(isObject(doc.components) ? doc.components.servers : undefined).map(([n, v]) => ({ path: ['components', 'servers', n], value: v })),
  ];
  const issues: AsyncApiIssue[] = [];
  for (const { path, value } of servers) {
    if (!isObject(value) || typeof value.url !== 'string' || !isObject(value.variables)) continue;
    const names = urlVariables(value.url);
    if (names.length === 0) continue;
    const missing = missingProps(names, value.variables);
    if (missing.length) issues.push({ code, message: `Not all server's variables are described with "variables" object. Missed: ${missing.join(', ')}.`, path: [...path, 'variables'] });
    for (const extra of redundantProps(names, value.variables)) {
      issues.push({ code, message: `Server's "variables" object has redundant defined "${extra}" url variable.`, path: [...path, 'variables', extra] });
    }
  }
  return issues;
}

function channelParameters(doc: Json): AsyncApiIssue[] {
  const code = 'asyncapi2-channel-parameters';
  const issues: AsyncApiIssue[] = [];
  for (const [address, channel] of objectEntries(doc.channels)) {
    if (!isObject(channel) || !isObject(channel.parameters)) continue;
    const names = urlVariables(address);
    if (names.length === 0) continue;
    const path = ['channels', address];
    const missing = missingProps(names, channel.parameters);
    if (missing.length) issues.push({ code, message: `Not all channel's parameters are described with "parameters" object. Missed: ${missing.join(', ')}.`, path: [...path, 'parameters'] });
    for (const extra of redundantProps(names, channel.parameters)) {
      issues.push({ code, message: `Channel's "parameters" object has redundant defined "${extra}" parameter.`, path: [...path, 'parameters', extra] });
    }
  }
  return issues;
}

/** Shared by v2 and v3 (in v3 resolved servers are objects, so the parser's rule never applies). */
export function channelServers(doc: Json, code: string): AsyncApiIssue[] {
  if (doc.servers !== undefined && !isObject(doc.servers)) return [];
  if (doc.channels === undefined) return [];
  if (!isObject(doc.channels)) return [];
  const channels = Object.entries(doc.channels);
  const wellFormed = channels.every(([, c]) => isObject(c)
    && (c.servers === undefined || (Array.isArray(c.servers) && c.servers.every((s) => typeof s === 'string'))));
  if (!wellFormed) return [];
  const names = Object.keys(doc.servers ?? {});
  const issues: AsyncApiIssue[] = [];
  for (const [address, channel] of channels as Array<[string, Json]>) {
    (channel.servers as string[] | undefined)?.forEach((server, i) => {
      if (!names.includes(server)) {
        issues.push({ code, message: 'Channel contains server that are not defined on the "servers" object.', path: ['channels', address, 'servers', i] });
      }
    });
  }
  return issues;
}

export function channelNoQueryNorFragment(doc: Json, code: string): AsyncApiIssue[] {
  return objectEntries(doc.channels)
    .filter(([key]) => /[?#]/.test(key))
    .map(([key]) => ({ code, message: `"${key}" must not match the pattern "[\\?#]"`, path: ['channels', key] }));
}

/** The last trait's id wins, as the parser reads it. */
function idOf(item: Json, field: 'operationId' | 'messageId'): { id: string; path: Path } | undefined {
  if (Array.isArray(item.traits)) {
    for (let i = item.traits.length - 1; i >= 0; i--) {
      const trait: unknown = item.traits[i];
      if (isObject(trait) && typeof trait[field] === 'string') return { id: trait[field] as string, path: ['traits', i, field] };
    }
  }
  return typeof item[field] === 'string' ? { id: item[field] as string, path: [field] } : undefined;
}

function uniqueIds(items: Located[], field: 'operationId' | 'messageId', code: string): AsyncApiIssue[] {
  const seen = new Set<string>();
  const issues: AsyncApiIssue[] = [];
  for (const item of items) {
    const found = idOf(item.value, field);
    if (!found) continue;
    if (seen.has(found.id)) issues.push({ code, message: `"${field}" must be unique across all the ${field === 'operationId' ? 'operations' : 'messages'}.`, path: [...item.path, ...found.path] });
    else seen.add(found.id);
  }
  return issues;
}

function tagLists(doc: Json): Located<unknown>[] {
  const lists: Located<unknown>[] = [{ path: ['tags'], value: doc.tags }];
  const components = isObject(doc.components) ? doc.components : {};
  const withTraits = (item: Located) => [item, ...traitsOf(item)];
  for (const op of operations(doc, true)) {
    for (const o of withTraits(op)) lists.push({ path: [...o.path, 'tags'], value: o.value.tags });
    const message = op.value.message;
    if (!isObject(message)) continue;
    const ms: Located[] = [{ path: [...op.path, 'message'], value: message }];
    if (Array.isArray(message.oneOf)) message.oneOf.forEach((m, i) => isObject(m) && ms.push({ path: [...op.path, 'message', 'oneOf', i], value: m }));
    for (const m of ms.flatMap(withTraits)) lists.push({ path: [...m.path, 'tags'], value: m.value.tags });
  }
  for (const [name, t] of objectEntries(components.operationTraits)) lists.push({ path: ['components', 'operationTraits', name, 'tags'], value: isObject(t) ? t.tags : undefined });
  for (const [name, m] of objectEntries(components.messages)) {
    if (!isObject(m)) continue;
    for (const x of withTraits({ path: ['components', 'messages', name], value: m })) lists.push({ path: [...x.path, 'tags'], value: x.value.tags });
  }
  for (const [name, t] of objectEntries(components.messageTraits)) lists.push({ path: ['components', 'messageTraits', name, 'tags'], value: isObject(t) ? t.tags : undefined });
  return lists;
}

function uniqueTags(lists: Located<unknown>[], code: string): AsyncApiIssue[] {
  const issues: AsyncApiIssue[] = [];
  for (const { path, value } of lists) {
    if (!Array.isArray(value) || !value.every((t) => isObject(t) && typeof t.name === 'string')) continue;
    const names = (value as Json[]).map((t) => t.name as string);
    names.forEach((name, i) => {
      if (names.indexOf(name) !== i) issues.push({ code, message: `"tags" object contains duplicate tag name "${name}".`, path: [...path, i, 'name'] });
    });
  }
  return issues;
}

/** `name`/`summary`, when present, must be strings or the parser skips the message. */
function namedLike(m: Json): boolean {
  return (m.name === undefined || typeof m.name === 'string') && (m.summary === undefined || typeof m.summary === 'string');
}

function messageExamples(all: Located[], withSchemaFormat: boolean): AsyncApiIssue[] {
  const issues: AsyncApiIssue[] = [];
  for (const { path, value: m } of all) {
    if ((m.schemaFormat !== undefined) !== withSchemaFormat || !namedLike(m) || !m.examples) continue;
    if (withSchemaFormat && !m.payload) continue;
    if (!Array.isArray(m.examples)) continue;
    const code = withSchemaFormat ? 'asyncapi2-message-examples-custom-format' : 'asyncapi2-message-examples';
    m.examples.forEach((example: unknown, i) => {
      if (!isObject(example)) return;
      if (example.payload !== undefined) issues.push(...checkAgainstSchema(code, example.payload, exampleSchema(m.payload, 'payload'), [...path, 'examples', i, 'payload']));
      if (!withSchemaFormat && example.headers !== undefined) issues.push(...checkAgainstSchema(code, example.headers, exampleSchema(m.headers, 'headers'), [...path, 'examples', i, 'headers']));
    });
  }
  return issues;
}

const SCHEMA_PARSER_FORMATS = new Set([
  'application/schema;version=draft-07', 'application/schema+json;version=draft-07', 'application/schema+yaml;version=draft-07',
  ...ASYNCAPI_VERSIONS.flatMap((v) => ['', '+json', '+yaml'].map((s) => `application/vnd.aai.asyncapi${s};version=${v}`)),
]);

/** `asyncapi2-schemas`: payloads in a format the AsyncAPI schema parser reads must be valid Schema Objects of the document's version. */
function payloadSchemas(version: string, items: Located[]): AsyncApiIssue[] {
  const issues: AsyncApiIssue[] = [];
  for (const { path, value: m } of items) {
    if (m.schemaFormat !== undefined && typeof m.schemaFormat !== 'string') continue;
    if (!m.payload) continue;
    const format = typeof m.schemaFormat === 'string' ? m.schemaFormat : `application/vnd.aai.asyncapi;version=${version}`;
    // Formats without a registered parser are only a warning in the parser: not a rejection.
    if (!SCHEMA_PARSER_FORMATS.has(format)) continue;
    if (schemaObjectValidator(version, false)(m.payload)) continue;
    const validate = schemaObjectValidator(version);
    if (!validate(m.payload)) {
      for (const e of validate.errors ?? []) {
        issues.push({ code: 'asyncapi2-schemas', message: e.message ?? 'invalid schema', path: [...path, 'payload', ...e.instancePath.split('/').slice(1)] });
      }
    }
  }
  return issues;
}

/** `asyncapi2-schema-default` / `-examples`: a schema's own default and examples must fit it. */
function schemaSelfChecks(doc: Json, operationMessages: Located[], componentMessages: Located[]): AsyncApiIssue[] {
  const schemas: Located<unknown>[] = [];
  const components = isObject(doc.components) ? doc.components : {};
  const noFormat = (m: Located) => m.value.schemaFormat === undefined;
  // Only the operation's own `.message` (not oneOf members) is listed by the parser's rule.
  for (const m of operationMessages.filter((x) => x.path[x.path.length - 1] === 'message' && noFormat(x))) schemas.push({ path: [...m.path, 'payload'], value: m.value.payload });
  for (const m of componentMessages.filter(noFormat)) schemas.push({ path: [...m.path, 'payload'], value: m.value.payload });
  for (const [name, t] of objectEntries(components.messageTraits)) {
    if (isObject(t) && t.schemaFormat === undefined) schemas.push({ path: ['components', 'messageTraits', name, 'payload'], value: t.payload });
  }
  const channelRoots: Array<[Path, unknown]> = [[['channels'], doc.channels], [['components', 'channels'], components.channels]];
  for (const [base, channels] of channelRoots) {
    for (const [name, c] of objectEntries(channels)) {
      for (const [p, param] of objectEntries(isObject(c) ? c.parameters : undefined)) {
        if (isObject(param)) schemas.push({ path: [...base, name, 'parameters', p, 'schema'], value: param.schema });
      }
    }
  }
  for (const [name, s] of objectEntries(components.schemas)) schemas.push({ path: ['components', 'schemas', name], value: s });
  for (const [name, p] of objectEntries(components.parameters)) {
    if (isObject(p)) schemas.push({ path: ['components', 'parameters', name, 'schema'], value: p.schema });
  }

  const issues: AsyncApiIssue[] = [];
  for (const { path, value: schema } of schemas) {
    if (!isObject(schema)) continue;
    const hasDefault = 'default' in schema;
    const hasExamples = 'examples' in schema;
    if (!hasDefault && !hasExamples) continue;
    if (schema.examples !== undefined && !Array.isArray(schema.examples)) {
      const message = 'must be an object containing "default" or an "examples" array';
      if (hasDefault) issues.push({ code: 'asyncapi2-schema-default', message, path });
      issues.push({ code: 'asyncapi2-schema-examples', message, path });
      continue;
    }
    const check = (code: string, value: unknown, at: Path) => {
      // The parser drops the errors of string values.
      if (typeof value !== 'string') issues.push(...checkAgainstSchema(code, value, schema, at));
    };
    if (hasDefault) check('asyncapi2-schema-default', schema.default, [...path, 'default']);
    if (Array.isArray(schema.examples)) schema.examples.forEach((ex, i) => check('asyncapi2-schema-examples', ex, [...path, 'examples', i]));
  }
  return issues;
}

export function v2Rules(doc: Json, version: string): AsyncApiIssue[] {
  const { operationMessages, componentMessages } = messages(doc);
  const channelOps = operations(doc, false);
  const securityOf = (items: Located<unknown>[]) => items.flatMap(({ path, value }) =>
    Array.isArray(isObject(value) ? value.security : undefined)
      ? ((value as Json).security as unknown[]).map((r, i) => ({ path: [...path, 'security', i], value: r }))
      : []);
  const allMessages = [...operationMessages, ...componentMessages];
  const traitMessages = [
    ...allMessages.flatMap(traitsOf),
    ...objectEntries(isObject(doc.components) ? doc.components.messageTraits : undefined)
      .flatMap(([n, t]) => (isObject(t) ? [{ path: ['components', 'messageTraits', n], value: t }] : [])),
  ];
  return [
    ...securityRequirements(doc, 'Server', securityOf(objectEntries(doc.servers).map(([n, v]) => ({ path: ['servers', n], value: v })))),
    ...serverVariables(doc),
    ...channelParameters(doc),
    ...channelServers(doc, 'asyncapi2-channel-servers'),
    ...channelNoQueryNorFragment(doc, 'asyncapi2-channel-no-query-nor-fragment'),
    ...uniqueIds(channelOps, 'operationId', 'asyncapi2-operation-operationId-uniqueness'),
    ...securityRequirements(doc, 'Operation', securityOf(channelOps)),
    ...messageExamples([...allMessages, ...traitMessages], false),
    // The parser's path for `components.channels` messages with a schemaFormat matches nothing.
    ...messageExamples([...allMessages, ...traitMessages].filter((m) => m.path[0] !== 'components' || m.path[1] !== 'channels'), true),
    ...uniqueIds(operationMessages.filter((m) => m.path[0] === 'channels' && !Array.isArray(m.value.oneOf)), 'messageId', 'asyncapi2-message-messageId-uniqueness'),
    ...uniqueTags(tagLists(doc), 'asyncapi2-tags-uniqueness'),
    ...payloadSchemas(version, allMessages),
    ...schemaSelfChecks(doc, operationMessages, componentMessages),
  ];
}
