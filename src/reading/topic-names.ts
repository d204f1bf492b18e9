/** Channel addresses -> Kafka topic names, and what Kafka accepts as a name. */
import type { Visibility } from '../vocabulary/mesh';

export const VISIBILITY_SEGMENTS: Readonly<Record<string, Visibility>> = {
  _public: 'public',
  _protected: 'protected',
  _private: 'private',
};

const MAX_TOPIC_LENGTH = 249;

/**
 * `_public.order_placed` or `_public/order_placed` -> `<domain>._public.order_placed`;
 * anything else is already a full topic name (with `/` read as `.`).
 */
export function qualifyAddress(address: string, domainId: string): { topic: string; relative: boolean; visibility?: Visibility } {
  const normalised = address.replace(/\//g, '.');
  const first = normalised.split('.')[0];
  const visibility = VISIBILITY_SEGMENTS[first];
  if (visibility && normalised.length > first.length + 1) {
    return { topic: `${domainId}.${normalised}`, relative: true, visibility };
  }
  return { topic: normalised, relative: false };
}

/**
 * SpecMesh's reading of a 2.x channel name (its `ApiSpec.getCanonical`): a leading `/` means a
 * full name (legacy); a name already under the product id is kept; a channel the product produces
 * to (`publish` in SpecMesh) is relative and gets `<id>.` in front; any other channel (one it
 * consumes) is a full name. `/` is read as `.`. Unlike SpecMesh, "under the id" stops at a segment
 * boundary: `acme.userprops.x` is not under `acme.user`.
 */
export function specmeshTopic(name: string, domainId: string, produces: boolean): { topic: string; relative: boolean; visibility?: Visibility } {
  if (name.startsWith('/')) return { topic: name.slice(1).replace(/\//g, '.'), relative: false };
  const dotted = name.replace(/\//g, '.');
  if (dotted === domainId || dotted.startsWith(`${domainId}.`)) return { topic: dotted, relative: false };
  if (!produces) return { topic: dotted, relative: false };
  const visibility = VISIBILITY_SEGMENTS[dotted.split('.')[0]];
  // Relative with a visibility segment: owned by construction. Otherwise the owner is found by
  // prefix, so a name that lands in a nested product's namespace is caught.
  return visibility ? { topic: `${domainId}.${dotted}`, relative: true, visibility } : { topic: `${domainId}.${dotted}`, relative: false };
}

/**
 * Prefixes of a product's consumer groups and transactional ids: the id followed by either
 * delimiter, `acme.user.` or `acme.user-` (SpecMesh's usual `<domain-id>-<service>`). Both end
 * with a delimiter, so neither reaches `acme.userprops`.
 */
export const CLIENT_DELIMITERS = ['.', '-'] as const;

export function clientPrefixes(productId: string): string[] {
  return CLIENT_DELIMITERS.map((d) => productId + d);
}

/**
 * The product whose client prefix (`<id>.` or `<id>-`) starts a group or transactional id; the
 * longest such id wins (`acme.user-eu.x` belongs to `acme.user-eu`, not `acme.user`).
 */
export function clientPrefixOwner(name: string, ids: { has(id: string): boolean }): string | undefined {
  for (let end = name.length - 1; end > 0; end--) {
    if ((CLIENT_DELIMITERS as readonly string[]).includes(name[end]) && ids.has(name.slice(0, end))) return name.slice(0, end);
  }
  return undefined;
}

/** Why Kafka would refuse the name, or undefined. */
export function topicNameProblem(topic: string): string | undefined {
  if (topic === '.' || topic === '..') return `"${topic}" is not a legal Kafka topic name`;
  if (topic.length > MAX_TOPIC_LENGTH) return `topic name is ${topic.length} characters; Kafka allows at most ${MAX_TOPIC_LENGTH}`;
  const bad = [...new Set(topic.replace(/[a-zA-Z0-9._-]/g, ''))];
  if (topic.length === 0) return 'topic name is empty';
  if (bad.length) return `topic "${topic}" has characters Kafka does not allow: ${bad.map((c) => JSON.stringify(c)).join(' ')} (allowed: a-z A-Z 0-9 . _ -)`;
  return undefined;
}

/** Kafka's metric names map `.` to `_`: topics equal under that mapping collide. */
export function collisionKey(topic: string): string {
  return topic.replace(/\./g, '_');
}

/** Visibility of a fully qualified topic owned by `ownerId`: the segment right after the owner's id. */
export function visibilityUnder(topic: string, ownerId: string): Visibility | undefined {
  const rest = topic.slice(ownerId.length + 1);
  return VISIBILITY_SEGMENTS[rest.split('.')[0]];
}
