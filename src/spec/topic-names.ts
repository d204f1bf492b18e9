/** Channel addresses -> Kafka topic names, and what Kafka accepts as a name. */
import type { Visibility } from '../model/types';

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
