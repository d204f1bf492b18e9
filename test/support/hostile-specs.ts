/** Large hostile specs, generated rather than committed: for the hostile cases (test/reading) and the reader bench. */

/** A valid AsyncAPI 3.0 spec that the generators append to (one product, one topic, one `$ref`). */
export const HOSTILE_HEAD = `asyncapi: 3.0.0
id: urn:acme:hostile:case
info: {title: Hostile, version: 1.0.0}
x-meshform: {owners: [group:team@acme.com]}
channels:
  events:
    address: _public.events
operations:
  send: {action: send, channel: {$ref: '#/channels/events'}}
`;

/** Lines of HOSTILE_HEAD. */
export const HOSTILE_HEAD_LINES = HOSTILE_HEAD.split('\n').length - 1;

/** The classic bomb: a list of 9 strings, then `levels` lists of 9 aliases to the list before. */
export function aliasBomb(levels: number): string {
  let text = `${HOSTILE_HEAD}x-bomb:\n  l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n`;
  for (let i = 1; i <= levels; i++) text += `  l${i}: &l${i} [${Array(9).fill(`*l${i - 1}`).join(', ')}]\n`;
  return text;
}

/** `keys` map keys of 64-byte lines under `x-keys` (160,000 of them: 10 MB). */
export function manyKeys(keys: number): string {
  const lines = Array.from({ length: keys }, (_, i) => `  key_${String(i).padStart(7, '0')}: "a string value that pads the line to sixty-four"`);
  return `${HOSTILE_HEAD}x-keys:\n${lines.join('\n')}\n`;
}
