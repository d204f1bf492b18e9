/**
 * A password or other credential, held so that no message can contain it by accident: turned
 * into text (a template string, String(), JSON, util.inspect, a jest diff) it is `[secret]`.
 * Its value is read with `reveal()` only where it is sent: the SASL handshake
 * (adapters/kafka/client/wire.ts) and the registry's Authorization header
 * (adapters/schema-registry/client.ts); test/stack/secret.test.ts holds the source to that.
 */
import { inspect } from 'node:util';

const SHOWN = '[secret]';

export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  /** The value itself, for the one place that sends it. Never put it in a message. */
  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return SHOWN;
  }

  toJSON(): string {
    return SHOWN;
  }

  [Symbol.toPrimitive](): string {
    return SHOWN;
  }

  [inspect.custom](): string {
    return SHOWN;
  }
}

/** `new Secret(value)`, or undefined for a missing value. */
export function secretOf(value: string | undefined): Secret | undefined {
  return value === undefined ? undefined : new Secret(value);
}
