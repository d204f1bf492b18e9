/**
 * A grant added to an owner's spec as a minimal edit: the `yaml` package's document API finds the
 * channel (3.x) or operation (2.x) that carries grants and where its `tags` end, and the new tag is
 * spliced into the text there, so every other byte (comments, quoting, key order, blank lines,
 * JSON layout) stays as the owners wrote it. The result is parsed again and must equal the
 * original document plus exactly that tag; anything else is refused rather than written.
 */
import { isDeepStrictEqual } from 'node:util';
import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Document, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';

export interface GrantEdit {
  /** The whole new text of the file. */
  text: string;
  /** The JSON path of the map the tag went into (for messages and tests). */
  target: Array<string | number>;
}

export class GrantEditError extends Error {}

export interface GrantTarget {
  /** The spec's text, as read from its file. */
  text: string;
  /** JSON specs keep JSON syntax; YAML specs YAML. */
  json: boolean;
  /** 1-based line and column of the topic's location in the spec (the model's `Topic.location`). */
  line: number;
  col: number;
  /** `3.0.0`, `2.6.0`: where grants live (channel tags, or operation tags). */
  asyncapiVersion: string;
  /** 2.x: the operation to tag (`subscribe` sends in AsyncAPI's meaning, `publish` in SpecMesh's). */
  sendAction?: 'publish' | 'subscribe';
  /** The tag's name: `grant-access:urn:acme:finance:billing`. */
  tag: string;
}

/** The spec's text with the tag added where its reader looks for grants. */
export function addGrantTag(target: GrantTarget): GrantEdit {
  const lineCounter = new LineCounter();
  const doc = parseDocument(target.text, { lineCounter, keepSourceTokens: true });
  if (doc.errors.length > 0) throw new GrantEditError(`the spec does not parse: ${doc.errors[0].message.split('\n')[0]}`);
  const offset = offsetOf(target.text, target.line, target.col);
  const channel = channelAt(doc, offset);
  if (!channel) throw new GrantEditError(`no channel of the spec is written at line ${target.line}`);
  let map = channel.node;
  let path = channel.path;
  if (!target.asyncapiVersion.startsWith('3.')) {
    const op = operationOf(channel.node, target.sendAction);
    if (!op) throw new GrantEditError(`channel ${String(channel.path[channel.path.length - 1])} has no operation to carry the grant`);
    map = op.node;
    path = [...path, op.action];
  }
  // Keys beside a `$ref` are not read (the referenced object replaces the map): a tag there would grant nothing.
  const ref = pairOf(map, '$ref');
  if (ref) {
    const to = isScalar(ref.value) ? String(ref.value.value) : 'another object';
    throw new GrantEditError(`${path.join('.')} is a $ref to ${to}, and a tag beside a $ref is not read; add the tag where it points`);
  }
  const edited = insertTag(target.text, map, target.tag, target.json, doc);
  check(target, edited, path);
  return { text: edited, target: path };
}

function offsetOf(text: string, line: number, col: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const next = text.indexOf('\n', offset);
    if (next < 0) return text.length;
    offset = next + 1;
  }
  return offset + col - 1;
}

function pairOf(map: YAMLMap, key: string): Pair | undefined {
  return map.items.find((p) => isScalar(p.key) && p.key.value === key) as Pair | undefined;
}

/** The channel (under `channels` or `components.channels`) whose text holds the offset. */
function channelAt(doc: Document, offset: number): { node: YAMLMap; path: Array<string | number> } | undefined {
  const root = doc.contents;
  if (!isMap(root)) return undefined;
  const places: Array<{ map: Node | null | undefined; path: string[] }> = [{ map: pairOf(root, 'channels')?.value as Node | undefined, path: ['channels'] }];
  const components = pairOf(root, 'components')?.value;
  if (isMap(components)) places.push({ map: pairOf(components, 'channels')?.value as Node | undefined, path: ['components', 'channels'] });
  for (const { map, path } of places) {
    if (!isMap(map)) continue;
    for (const pair of map.items) {
      const key = pair.key as Node;
      const value = pair.value as Node | null;
      if (!isScalar(key) || !isMap(value) || !key.range || !value.range) continue;
      if (offset >= key.range[0] && offset <= value.range[1]) return { node: value, path: [...path, String(key.value)] };
    }
  }
  return undefined;
}

/** 2.x: the send operation (as the dialect reads it), else the other one. */
function operationOf(channel: YAMLMap, send: GrantTarget['sendAction']): { node: YAMLMap; action: string } | undefined {
  const order = send === 'publish' ? ['publish', 'subscribe'] : ['subscribe', 'publish'];
  for (const action of order) {
    const node = pairOf(channel, action)?.value;
    if (isMap(node)) return { node, action };
  }
  return undefined;
}

/** The text's line start and the column (0-based) of an offset. */
function columnOf(text: string, offset: number): number {
  return offset - (text.lastIndexOf('\n', offset - 1) + 1);
}

/** The offset just after the line that holds the last non-blank character before `end`. */
function afterLineOf(text: string, end: number): number {
  let last = end - 1;
  while (last > 0 && /\s/.test(text[last])) last--;
  const newline = text.indexOf('\n', last);
  return newline < 0 ? text.length : newline + 1;
}

function splice(text: string, at: number, insert: string): string {
  return text.slice(0, at) + insert + text.slice(at);
}

/** A scalar written as the file's other tag names are: plain, 'single' or "double" quoted. */
function scalarLike(value: string, json: boolean, sample: Node | undefined): string {
  if (json) return JSON.stringify(value);
  const type = isScalar(sample) ? sample.type : undefined;
  if (type === 'QUOTE_DOUBLE') return JSON.stringify(value);
  if (type === 'QUOTE_SINGLE') return `'${value.replace(/'/g, "''")}'`;
  return value;
}

/** How far a block sequence's `-` sits right of its parent key in this document (0 or 2, default 2). */
function sequenceIndent(doc: Document, text: string): number {
  let found: number | undefined;
  const visit = (node: unknown): void => {
    if (found !== undefined || !isMap(node)) return;
    for (const pair of node.items) {
      const key = pair.key as Node;
      const value = pair.value as Node | null;
      if (isSeq(value) && value.flow !== true && key.range && value.range) {
        found = columnOf(text, value.range[0]) - columnOf(text, key.range[0]);
        return;
      }
      if (isMap(value)) visit(value);
      if (isSeq(value)) value.items.forEach(visit);
    }
  };
  visit(doc.contents);
  return found !== undefined && found >= 0 ? found : 2;
}

function insertTag(text: string, map: YAMLMap, tag: string, json: boolean, doc: Document): string {
  const tags = pairOf(map, 'tags');
  if (tags && !isSeq(tags.value)) throw new GrantEditError('its `tags` is not a list');
  if (tags && isSeq(tags.value)) return appendToSequence(text, tags.value, tag, json);
  return addTagsKey(text, map, tag, json, doc);
}

/** A new item after the last one, in the sequence's own style. */
function appendToSequence(text: string, seq: YAMLSeq, tag: string, json: boolean): string {
  const items = seq.items as Node[];
  const last = items[items.length - 1];
  const sampleName = isMap(last) ? (pairOf(last, 'name')?.value as Node | undefined) : undefined;
  const name = scalarLike(tag, json, sampleName);
  if (!seq.range) throw new GrantEditError('the tags list has no position');
  if (seq.flow) {
    const close = text.lastIndexOf(']', seq.range[1]);
    if (!last?.range) return splice(text, close, json ? `{ "name": ${name} }` : `{name: ${name}}`);
    const itemText = json ? `{ "name": ${name} }` : `{name: ${name}}`;
    // A list written one item per line gets the new item on a line of its own, at the same column.
    const multiline = text.slice(seq.range[0], close).includes('\n') && text.slice(last.range[1], close).includes('\n');
    if (multiline) return splice(text, last.range[1], `,\n${' '.repeat(columnOf(text, last.range[0]))}${itemText}`);
    return splice(text, last.range[1], `, ${itemText}`);
  }
  if (!last?.range) throw new GrantEditError('the tags list is empty and not written as [ ]');
  const dash = text.lastIndexOf('-', last.range[0]);
  const indent = ' '.repeat(columnOf(text, dash));
  const item = isMap(last) && !last.flow ? `- name: ${name}` : `- {name: ${name}}`;
  return splice(text, afterLineOf(text, last.range[1]), `${indent}${item}\n`);
}

/** A `tags` key after the map's last pair, in the map's own style. */
function addTagsKey(text: string, map: YAMLMap, tag: string, json: boolean, doc: Document): string {
  const pairs = map.items;
  const last = pairs[pairs.length - 1];
  const lastKey = last?.key as Node | undefined;
  const lastValue = last?.value as Node | undefined;
  const name = scalarLike(tag, json, undefined);
  if (!map.range) throw new GrantEditError('the map has no position');
  if (map.flow || json) {
    const close = text.lastIndexOf('}', map.range[1]);
    const entry = json ? `"tags": [{ "name": ${name} }]` : `tags: [{name: ${name}}]`;
    if (!lastValue?.range || !lastKey?.range) return splice(text, close, entry);
    const multiline = text.slice(lastValue.range[1], close).includes('\n');
    if (multiline) return splice(text, lastValue.range[1], `,\n${' '.repeat(columnOf(text, lastKey.range[0]))}${entry}`);
    return splice(text, lastValue.range[1], `, ${entry}`);
  }
  if (!lastKey?.range) throw new GrantEditError('the map is empty');
  const keyIndent = columnOf(text, lastKey.range[0]);
  const at = afterLineOf(text, (lastValue?.range ?? lastKey.range)[1]);
  const itemIndent = keyIndent + sequenceIndent(doc, text);
  return splice(text, at, `${' '.repeat(keyIndent)}tags:\n${' '.repeat(itemIndent)}- name: ${name}\n`);
}

/** The edited text must parse to the original document plus the one tag, or nothing is written. */
function check(target: GrantTarget, edited: string, path: Array<string | number>): void {
  const read = (text: string): unknown => {
    if (target.json) return JSON.parse(text);
    const doc = parseDocument(text);
    if (doc.errors.length > 0) throw new GrantEditError(`the edit would not parse: ${doc.errors[0].message.split('\n')[0]}`);
    return doc.toJS();
  };
  let before: unknown;
  let after: unknown;
  try {
    before = read(target.text);
    after = read(edited);
  } catch (e) {
    throw e instanceof GrantEditError ? e : new GrantEditError(`the edit would not parse: ${(e as Error).message}`);
  }
  let node = before as Record<string | number, unknown>;
  for (const key of path) node = node[key] as Record<string | number, unknown>;
  const tags = Array.isArray(node.tags) ? node.tags : [];
  node.tags = [...tags, { name: target.tag }];
  if (!isDeepStrictEqual(before, after)) throw new GrantEditError('the edit would change more than the one tag; add it by hand');
}

