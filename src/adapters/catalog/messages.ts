/**
 * The messages of each topic, read from the spec files for the catalog.
 *
 * The model carries each topic's value and key schemas (what meshform registers); the messages'
 * names, titles, descriptions and content types, and the payload of a message whose schema the
 * model could not take (a schema that refers to itself), are read here, through the same
 * AsyncAPI checks `loadMesh` ran, so `$ref`s are resolved under the same policy. It is the only
 * place the catalog reads spec files.
 */
import * as path from 'node:path';
import type { AsyncAPIDocumentInterface } from '@asyncapi/parser';
import type { Product } from '../../model/types';
import { checkAsyncApi, createLoader } from '../../spec/read';
import { discoverSpecFiles } from '../../spec/files';
import { qualifyAddress } from '../../spec/topic-names';

export interface MessageInfo {
  /** The message's key or id in the spec (`orderPlaced`), else its name. */
  id: string;
  name?: string;
  title?: string;
  summary?: string;
  description?: string;
  contentType?: string;
  /** AsyncAPI schema format, e.g. `application/vnd.apache.avro;version=1.9.0`; absent: the AsyncAPI (JSON) schema. */
  schemaFormat?: string;
  /** The payload schema with every `$ref` resolved (may be cyclic). */
  payload?: unknown;
}

/** Topic name -> the messages its owner's spec declares for it. */
export type TopicMessages = ReadonlyMap<string, readonly MessageInfo[]>;

export async function readTopicMessages(paths: readonly string[], products: readonly Product[], cwd = process.cwd()): Promise<TopicMessages> {
  const byFile = new Map(products.map((p) => [path.resolve(cwd, p.file), p]));
  const load = createLoader(cwd);
  const result = new Map<string, MessageInfo[]>();
  for (const file of discoverSpecFiles(paths, cwd).files) {
    const product = byFile.get(file.path);
    const source = product && load(file.path);
    if (!product || !source) continue;
    const { document } = await checkAsyncApi(source, file.root, load);
    if (!document) continue;
    const owned = new Set(product.topics.map((t) => t.name));
    for (const [topic, messages] of messagesByTopic(document, product.id)) {
      if (owned.has(topic)) result.set(topic, messages);
    }
  }
  return result;
}

function messagesByTopic(document: AsyncAPIDocumentInterface, productId: string): Map<string, MessageInfo[]> {
  const result = new Map<string, MessageInfo[]>();
  for (const channel of document.channels().all()) {
    const address = channel.address();
    if (typeof address !== 'string' || address === '') continue;
    const { topic } = qualifyAddress(address, productId);
    const messages = channel.messages().all().map((m, i): MessageInfo => {
      const info: MessageInfo = { id: m.id() ?? m.name() ?? `message ${i + 1}` };
      const text = (key: keyof MessageInfo, value: string | undefined) => {
        if (value) (info as unknown as Record<string, unknown>)[key] = value;
      };
      text('name', m.name());
      text('title', m.title());
      text('summary', m.summary());
      text('description', m.description());
      text('contentType', m.contentType());
      const format = m.schemaFormat();
      if (format && !/^application\/vnd\.aai\.asyncapi/.test(format)) info.schemaFormat = format;
      if (m.hasPayload()) info.payload = m.payload()?.json();
      return info;
    });
    result.set(topic, messages);
  }
  return result;
}
