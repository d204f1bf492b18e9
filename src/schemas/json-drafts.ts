/** The JSON Schema drafts meshform reads, by the `$schema` that names each (no ajv here: importing this loads no validator). */
export const JSON_SCHEMA_DRAFTS = Object.freeze({
  'draft-04': 'http://json-schema.org/draft-04/schema#',
  'draft-06': 'http://json-schema.org/draft-06/schema#',
  'draft-07': 'http://json-schema.org/draft-07/schema#',
  '2019-09': 'https://json-schema.org/draft/2019-09/schema',
  '2020-12': 'https://json-schema.org/draft/2020-12/schema',
} as const);

export type Draft = keyof typeof JSON_SCHEMA_DRAFTS;

/** The draft a `$schema` names: its id as json-schema.org publishes it, with or without the final `#`. */
export function draftOf(uri: string): Draft | undefined {
  const bare = uri.replace(/#$/, '');
  return (Object.keys(JSON_SCHEMA_DRAFTS) as Draft[]).find((d) => JSON_SCHEMA_DRAFTS[d].replace(/#$/, '') === bare);
}
