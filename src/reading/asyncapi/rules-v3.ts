/**
 * The error-severity rules of @asyncapi/parser's `v3CoreRuleset`. Three of them read the
 * document as written (`$ref`s intact), the others the resolved document.
 */
import { compileUserSchema } from './ajv';
import { channelNoQueryNorFragment } from './rules-v2';
import { type AsyncApiIssue, type Json, isObject, missingProps, objectEntries, redundantProps, urlVariables } from './issue';

/** The rule's input contract: refs must be `uri-reference` strings, or the parser skips the operation. */
const REFERENCE = { type: 'object', properties: { $ref: { type: 'string', format: 'uri-reference' } } };
const OPERATION_INPUT = { type: 'object', properties: { channel: REFERENCE, messages: { type: 'array', items: REFERENCE } } };

function refOf(value: unknown): string | undefined {
  return isObject(value) && typeof value.$ref === 'string' ? value.$ref : undefined;
}

/** Rules over the unresolved document. */
export function v3RawRules(raw: Json): AsyncApiIssue[] {
  const issues: AsyncApiIssue[] = [];
  const validInput = compileUserSchema(OPERATION_INPUT);
  const operationRoots: Array<[string[], unknown]> = [[['operations'], raw.operations]];
  if (isObject(raw.components)) operationRoots.push([['components', 'operations'], raw.components.operations]);
  for (const [base, ops] of operationRoots) {
    for (const [name, op] of objectEntries(ops)) {
      const path = [...base, name];
      if (validInput(op) && isObject(op)) {
        const channelRef = refOf(op.channel);
        (Array.isArray(op.messages) ? op.messages : []).forEach((m: unknown, i) => {
          const ref = refOf(m);
          if (ref && !ref.startsWith(`${channelRef}/messages`)) {
            issues.push({ code: 'asyncapi3-operation-messages-from-referred-channel', message: 'Operation message does not belong to the specified channel.', path: [...path, 'messages', i] });
          }
        });
      }
      const channelRef = isObject(op) ? refOf(op.channel) : undefined;
      if (base.length === 1 && channelRef !== undefined && !/#\/channels\//.test(channelRef)) {
        issues.push({ code: 'asyncapi3-required-operation-channel-unambiguity', message: `"${channelRef}" must match the pattern "#\\/channels\\/"`, path: [...path, 'channel', '$ref'] });
      }
    }
  }
  for (const [name, channel] of objectEntries(raw.channels)) {
    const servers = isObject(channel) ? channel.servers : undefined;
    const list = Array.isArray(servers) ? servers : isObject(servers) ? Object.values(servers) : [];
    list.forEach((server: unknown, i) => {
      const ref = refOf(server);
      if (ref !== undefined && !/#\/servers\//.test(ref)) {
        issues.push({ code: 'asyncapi3-required-channel-servers-unambiguity', message: `"${ref}" must match the pattern "#\\/servers\\/"`, path: ['channels', name, 'servers', i, '$ref'] });
      }
    });
  }
  return issues;
}

/**
 * Rules over the resolved document. (`asyncapi3-channel-servers` never fires on a resolved 3.x
 * document: its input contract wants server names, resolution leaves server objects.)
 */
export function v3ResolvedRules(doc: Json): AsyncApiIssue[] {
  const issues = channelNoQueryNorFragment(doc, 'asyncapi3-channel-no-query-nor-fragment');
  const code = 'asyncapi3-channel-parameters';
  const roots: Array<[string[], unknown]> = [[['channels'], doc.channels]];
  if (isObject(doc.components)) roots.push([['components', 'channels'], doc.components.channels]);
  for (const [base, channels] of roots) {
    for (const [name, channel] of objectEntries(channels)) {
      if (!isObject(channel) || !isObject(channel.parameters)) continue;
      const address = channel.address;
      if (address !== undefined && address !== null && typeof address !== 'string') continue;
      const path = [...base, name];
      const names = urlVariables(address ?? '');
      const missing = missingProps(names, channel.parameters);
      if (missing.length) issues.push({ code, message: `Not all channel's parameters are described with "parameters" object. Missed: ${missing.join(', ')}.`, path: [...path, 'parameters'] });
      for (const extra of redundantProps(names, channel.parameters)) {
        issues.push({ code, message: `Channel's "parameters" object has redundant defined "${extra}" parameter.`, path: [...path, 'parameters', extra] });
      }
    }
  }
  return issues;
}
