/**
 * Secrets by construction: a Secret turns into `[secret]` whichever way a message is made, and its
 * value is read (`reveal()`) in exactly two places of the source, where it is sent.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { format, inspect } from 'node:util';
import { Secret } from '../../src/vocabulary/secret';

const ROOT = join(__dirname, '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : /\.tsx?$/.test(name) ? [path] : [];
  });
}

describe('Secret', () => {
  const secret = new Secret('hunter2');

  it('is [secret] in every way text is made of it', () => {
    const made = [
      `${secret}`,
      String(secret),
      'x' + secret,
      JSON.stringify({ password: secret }),
      inspect({ password: secret }),
      format('%s %o %O %j', secret, secret, secret, { secret }),
      new Error(`failed with ${secret}`).message,
      [secret].join(','),
    ];
    expect(made).toEqual([
      '[secret]',
      '[secret]',
      'x[secret]',
      '{"password":"[secret]"}',
      '{ password: [secret] }',
      '[secret] [secret] [secret] {"secret":"[secret]"}',
      'failed with [secret]',
      '[secret]',
    ]);
  });

  it('gives its value to reveal() only', () => {
    expect(secret.reveal()).toBe('hunter2');
    expect(Object.keys(secret)).toEqual([]);
    expect(Object.getOwnPropertyNames(secret)).toEqual([]);
  });

  it('is revealed in two places of the source: the SASL handshake and the Authorization header', () => {
    const revealing = sources(join(ROOT, 'src'))
      .filter((file) => /\.reveal\(\)/.test(readFileSync(file, 'utf8')))
      .map((file) => relative(ROOT, file));
    expect(revealing.sort()).toEqual(['src/adapters/kafka/client/wire.ts', 'src/adapters/schema-registry/client.ts']);
  });
});
