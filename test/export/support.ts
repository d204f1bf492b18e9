/** A minimal AsyncAPI 3.0 product spec for the export tests: channels and operations as YAML lines. */
export const productSpec = (id: string, channels: string[], operations: string[]): string => [
  'asyncapi: 3.0.0',
  `id: urn:${id.replace(/\./g, ':')}`,
  'info: {title: T, version: 1.0.0}',
  'x-meshform: {owners: [user:a@acme.com]}',
  'channels:',
  ...channels,
  'operations:',
  ...operations,
  '',
].join('\n');
