/** Test helpers for Secret values: they print as `[secret]`, and jest's toEqual cannot see inside them. */
import { Secret } from '../../src/vocabulary/secret';

/** A copy of `value` with every Secret replaced by `secret:<its value>`, for toEqual against written values. */
export function unveiled(value: unknown): unknown {
  if (value instanceof Secret) return `secret:${value.reveal()}`;
  if (Array.isArray(value)) return value.map(unveiled);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unveiled(v)]));
  return value;
}

/** A password no message could contain by chance. */
export const NEUTRAL = 'Nq8-zz-Wx4';

/**
 * Passwords a message would contain by chance: single letters and digits, punctuation of addresses,
 * the host, the usernames, words the messages use. A message that depends on the password (or
 * edits it out) differs between these and NEUTRAL.
 */
export const HOSTILE = ['a', 'c', 'e', 'K', 'n', '1', '.', ':', ' x', '127.0.0.1', 'admin', 'ops', 'svc', 'Kafka', 'cannot', 'connect', 'plan', 'meshform', 'SASL', 'User', 'acme', 'TOPIC', 'create', 'schema', 'registry', 'Basic'];
