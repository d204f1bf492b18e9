import { timingSafeEqual } from 'crypto';

export const SASL_MECHANISMS = ['PLAIN'] as const;

export type PlainOutcome = { ok: true; user: string } | { ok: false; reason: string };

/**
 * RFC 4616 PLAIN: `[authzid] NUL authcid NUL passwd`. An authorization id other than the
 * authenticating user is refused, as Kafka's PlainSaslServer does. Passwords never leave this function.
 */
export function verifyPlainToken(token: Buffer, users: Readonly<Record<string, string>>): PlainOutcome {
  const parts = token.toString('utf8').split('\u0000');
  if (parts.length !== 3) return { ok: false, reason: 'Invalid SASL/PLAIN response: expected 3 tokens' };
  const [authzid, user, password] = parts;
  if (user === '') return { ok: false, reason: 'Authentication failed: username not specified' };
  if (authzid !== '' && authzid !== user) return { ok: false, reason: 'Authentication failed: Client requested an authorization id that is different from username' };
  const expected = Object.prototype.hasOwnProperty.call(users, user) ? users[user] : undefined;
  if (expected === undefined || !sameSecret(expected, password)) {
    return { ok: false, reason: 'Authentication failed: Invalid username or password' };
  }
  return { ok: true, user };
}

function sameSecret(expected: string, given: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(given, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
