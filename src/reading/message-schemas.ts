/**
 * A channel's message schemas, read from the spec files themselves (following `$ref`s into
 * `.avsc`, `.json`, `.yaml` and `.proto` files through refs.ts), so every problem points at the
 * file and line where the schema is written.
 *
 * - The value schema is the message `payload`. Its format: v2 `message.schemaFormat`, v3 a Multi
 *   Format Schema Object `{schemaFormat, schema}`; none means an AsyncAPI Schema Object (JSON Schema).
 * - The key schema is the Kafka message binding's `key`, in the message's format unless it is a
 *   Multi Format Schema Object of its own (so an Avro message's `key: {type: string}` is Avro).
 * - Messages of the channel (v3) or of its sending operation (v2 `subscribe`, or `publish` in the
 *   SpecMesh dialect) are read; a topic has
 *   one value and one key subject, so differing schemas across messages are reported, not guessed.
 * - `x-meshform: {compatibility: FULL}` on the channel sets the topic's compatibility level.
 */
import { type Diagnostic, type SourceLocation, error, warning } from '../vocabulary/diagnostics';
import { FORMATS, type Compatibility, type SchemaProblem, type SchemaType, schemaTypeOf } from '../schemas';
import { CODES } from '../vocabulary/codes';
import { JSON_SCHEMA_DRAFTS } from '../schemas/json-drafts';
import type { ChannelSchemas, SchemaFact, SchemaRole } from '../vocabulary/mesh';
import { isRecord } from './extension';
import { type Located, type SourceLoader, findRefs, followPath, followRef, resolveRefs } from './refs';
import { type JsonPath, type SpecSource, locate } from './source';

/**
 * Where a schema node is written; `inner` is a path inside it (an Avro or JSON Schema problem), or a
 * line and column of its text (a `.proto` file, or `.proto` text inline in the spec).
 */
function where(at: Located, inner?: Pick<SchemaProblem, 'path' | 'line' | 'col' | 'key'>): SourceLocation {
  if (inner?.path?.length) return locate(at.source, [...at.path, ...inner.path], { key: inner.key });
  const start = at.path.length === 0 ? { file: at.source.display, line: 1, col: 1 } : locate(at.source, at.path);
  if (inner?.line === undefined) return start;
  if (at.path.length === 0) return { file: at.source.display, line: inner.line, col: inner.col ?? 1 };
  // Inline text after a block scalar indicator (`schema: |`) starts on the next line, indented.
  const lines = at.source.text.split('\n');
  const block = /[|>][-+0-9]*\s*(#.*)?$/.test(lines[start.line - 1] ?? '') ? 1 : 0;
  const line = start.line + block + inner.line - 1;
  if (!block) return { file: start.file, line, col: inner.col ?? 1 };
  const firstContent = lines.slice(start.line).find((l) => l.trim() !== '') ?? '';
  const indent = firstContent.length - firstContent.trimStart().length;
  return { file: start.file, line, col: indent + (inner.col ?? 1) };
}

/** The messages a channel carries, as written (refs followed). */
function channelMessages(channel: Located, v3: boolean, sendAction: V2SendAction, root: string, load: SourceLoader): Located[] {
  if (v3) {
    const messages = followPath(channel, ['messages'], root, load);
    if (!messages || !isRecord(messages.value)) return [];
    return Object.keys(messages.value).flatMap((k) => followPath(messages, [k], root, load) ?? []);
  }
  // 2.x: the operation by which the product sends (`subscribe` in AsyncAPI's reading, `publish` in SpecMesh's).
  const message = followPath(channel, [sendAction, 'message'], root, load);
  if (!message || !isRecord(message.value)) return [];
  if (Array.isArray(message.value.oneOf)) {
    return message.value.oneOf.flatMap((_, i) => followPath(message, ['oneOf', i], root, load) ?? []);
  }
  return [message];
}

interface Candidate {
  fact: SchemaFact;
}

/** The 2.x operation that means "the product sends": `subscribe` in AsyncAPI's reading, `publish` in SpecMesh's. */
export type V2SendAction = 'subscribe' | 'publish';

/** The channel node as written (a `$ref` followed). */
export function channelNode(source: SpecSource, channelPath: JsonPath, root: string, load: SourceLoader): Located | undefined {
  return followRef({ source, path: [...channelPath], value: (source.value as Record<string, Record<string, unknown>>)?.channels?.[String(channelPath[1])] }, root, load);
}

/** @param compatibility the channel's level (its x-meshform), carried into the result */
export function readChannelSchemas(
  channel: Located,
  compatibility: Compatibility | undefined,
  v3: boolean,
  sendAction: V2SendAction,
  root: string,
  load: SourceLoader,
  diagnostics: Diagnostic[],
): ChannelSchemas {
  const result: ChannelSchemas = {};
  if (compatibility) result.compatibility = compatibility;

  const found: Record<SchemaRole, Candidate[]> = { value: [], key: [] };
  for (const message of channelMessages(channel, v3, sendAction, root, load)) {
    const payload = followPath(message, ['payload'], root, load);
    let messageFormat = v3 ? undefined : (message.value as { schemaFormat?: unknown }).schemaFormat;
    if (payload) {
      const read = readSchema(payload, v3 ? undefined : messageFormat, message, root, load, diagnostics);
      if (read.format !== undefined) messageFormat = read.format;
      if (read.fact) found.value.push({ fact: read.fact });
    }
    const key = followPath(message, ['bindings', 'kafka', 'key'], root, load);
    if (key) {
      const read = readSchema(key, typeof messageFormat === 'string' ? messageFormat : undefined, message, root, load, diagnostics);
      if (read.fact) found.key.push({ fact: read.fact });
    }
  }

  for (const role of ['value', 'key'] as const) {
    const distinct = new Map(found[role].map((c) => [`${c.fact.type}\0${c.fact.canonical}`, c.fact]));
    if (distinct.size === 1) result[role] = [...distinct.values()][0];
    else if (distinct.size > 1) {
      const subject = role === 'value' ? 'payload' : 'key';
      diagnostics.push(warning(CODES.schemaMultiple, `the channel's messages have ${distinct.size} different ${subject} schemas; a topic has one ${role} subject (TopicNameStrategy), so none is registered: give the messages one ${subject} schema`, [...distinct.values()][1].location));
    }
  }
  return result;
}

/**
 * One schema node: a Multi Format Schema Object (`{schemaFormat, schema}`) or a schema in
 * `inheritedFormat`. Returns the format it used, so a message's key can follow its payload's.
 */
function readSchema(
  node: Located,
  inheritedFormat: unknown,
  message: Located,
  root: string,
  load: SourceLoader,
  diagnostics: Diagnostic[],
  memo = true,
): { fact?: SchemaFact; format?: string } {
  let format = typeof inheritedFormat === 'string' ? inheritedFormat : undefined;
  let at = node;
  if (isRecord(node.value) && typeof node.value.schemaFormat === 'string' && 'schema' in node.value) {
    format = node.value.schemaFormat;
    const inner = followPath(node, ['schema'], root, load);
    if (!inner) return { format };
    at = inner;
  }
  const type = schemaTypeOf(format);
  if (!type) {
    diagnostics.push(warning(CODES.schemaFormat, `schemaFormat "${format}" is not registered: meshform registers Avro (application/vnd.apache.avro), JSON Schema and Protobuf (application/vnd.google.protobuf)`, where(message)));
    return { format };
  }

  // Specs point many channels at one shared message: read each schema node once per run.
  const key = typeof at.value === 'object' && at.value !== null ? at.value : undefined;
  const memoKey = `${type}\0${format ?? ''}`;
  const known = key && memo ? readNodes.get(key)?.get(memoKey) : undefined;
  if (known) return { format, fact: known.fact };
  const read = readSchemaNode(at, type, format, root, load, diagnostics);
  if (key && memo) {
    if (!readNodes.has(key)) readNodes.set(key, new Map());
    readNodes.get(key)!.set(memoKey, { fact: read });
  }
  return { format, fact: read };
}

/**
 * meshform's own check of a message's payload or key schema, for a document the AsyncAPI schema
 * refused somewhere inside that schema: its errors say which field and what was meant, where the
 * AsyncAPI schema's say `"schema" property must have required property "symbols"` at the
 * payload. Empty when meshform finds nothing wrong there (the AsyncAPI issues then stand).
 */
export function schemaDiagnosticsAt(source: SpecSource, messagePath: JsonPath, role: 'payload' | 'key', v3: boolean, root: string, load: SourceLoader): Diagnostic[] {
  const message = followPath({ source, path: [], value: source.value }, messagePath, root, load);
  if (!message || !isRecord(message.value)) return [];
  const payload = followPath(message, ['payload'], root, load);
  const node = role === 'payload' ? payload : followPath(message, ['bindings', 'kafka', 'key'], root, load);
  if (!node) return [];
  const diagnostics: Diagnostic[] = [];
  let format = v3 ? undefined : message.value.schemaFormat;
  if (role === 'key' && isRecord(payload?.value) && typeof payload.value.schemaFormat === 'string') format = payload.value.schemaFormat;
  readSchema(node, format, message, root, load, diagnostics, false);
  return diagnostics.some((d) => d.severity === 'error') ? diagnostics : [];
}

/** Schema nodes already read (their problems were reported the first time). */
const readNodes = new WeakMap<object, Map<string, { fact?: SchemaFact }>>();

/** Validation verdicts by schema type and text: identical schemas across specs are checked once. */
const verdicts = new Map<string, SchemaProblem[]>();
const MAX_VERDICTS = 10_000;

function readSchemaNode(at: Located, type: SchemaType, format: string | undefined, root: string, load: SourceLoader, diagnostics: Diagnostic[]): SchemaFact | undefined {
  let schema = at.value;
  if (type !== 'PROTOBUF' && findRefs(schema).length > 0) {
    schema = resolveRefs(at.source, root, load, at).resolved;
    if (findRefs(schema).length > 0) {
      diagnostics.push(warning(CODES.schemaUnsupported, 'the schema refers to itself ($ref cycle); a registered schema must be self-contained, so it is not registered', where(at)));
      return undefined;
    }
  }
  if (type === 'JSON') schema = withDialect(schema, format);
  const support = FORMATS[type];
  const canonical = support.canonical(schema);
  const verdictKey = `${type}\0${canonical}`;
  let problems = verdicts.get(verdictKey);
  if (!problems) {
    problems = support.validate(schema);
    if (verdicts.size >= MAX_VERDICTS) verdicts.clear();
    verdicts.set(verdictKey, problems);
  }
  const seen = new Set<string>();
  for (const p of problems) {
    const place = where(at, p);
    const placeKey = `${place.line}:${place.col}`;
    if (seen.has(placeKey)) continue;
    seen.add(placeKey);
    diagnostics.push((p.warning ? warning : error)(p.code ?? (p.warning ? CODES.schemaSuspect : CODES.schemaInvalid), p.message, place));
  }
  if (problems.some((p) => !p.warning)) return undefined;
  return { type, schema, canonical, location: where(at), path: [...at.path] };
}

/** JSON Schema dialects by `schemaFormat` version; AsyncAPI Schema Objects are draft-07 supersets. */
const DIALECTS: Readonly<Record<string, string>> = JSON_SCHEMA_DRAFTS;

/**
 * The schema with `$schema` naming its dialect, when it names none: registries then know the
 * draft (and Apicurio needs it to accept a schema without `properties`, e.g. `{type: object}`).
 */
function withDialect(schema: unknown, format: string | undefined): unknown {
  if (!isRecord(schema) || schema.$schema !== undefined) return schema;
  const version = /version=([^;]+)/.exec(format ?? '')?.[1]?.trim();
  const isAsyncApi = format === undefined || /^application\/vnd\.aai\.asyncapi/i.test(format);
  const dialect = isAsyncApi ? DIALECTS['draft-07'] : version ? DIALECTS[version] : DIALECTS['draft-07'];
  return dialect ? { $schema: dialect, ...schema } : schema;
}
