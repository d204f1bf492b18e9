/**
 * The messages of each topic, by topic name. The model carries them (`Topic.messages`, read with
 * the spec by `loadMesh`): the catalog reads no spec file itself.
 */
import type { Message, Product } from '../vocabulary/mesh';

/** Topic name -> the messages its owner's spec declares for it. */
export type TopicMessages = ReadonlyMap<string, readonly Message[]>;

/**
 * The model's messages by topic. Still here for `bench/catalog.ts`, which passes them to
 * `prepareSite`; drop both when the bench no longer does (the view reads `Topic.messages` itself).
 */
export async function readTopicMessages(_paths: readonly string[], products: readonly Product[]): Promise<TopicMessages> {
  return new Map(products.flatMap((p) => p.topics.map((t) => [t.name, t.messages ?? []] as const)));
}
