/**
 * The estate's schemas from its schema registry: for each imported topic the tool's files give no
 * schema for, the latest version of `<topic>-value` and `<topic>-key` (the topic-name strategy
 * meshform plans with) is written to a file the spec refers to, with the subject's own
 * compatibility level. Without this an imported mesh declares no schema for a topic whose
 * subjects exist, and a plan offers to delete them. Read only: nothing in the registry changes.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RegistryClient } from '../adapters/schema-registry/client';
import type { Compatibility } from '../vocabulary/schema-kinds';
import type { Estate, EstateSchema, SchemaFileFormat } from './estate';

const EXTENSION: Record<SchemaFileFormat, string> = { AVRO: '.avsc', JSON: '.json', PROTOBUF: '.proto' };

export interface RegistryImport {
  /** Subjects whose schema was written for a topic. */
  subjects: string[];
}

/**
 * Adds the registry's schemas to the estate's topics (in place), writing their files under
 * `folder`; what cannot be carried (schema references) is added to the estate's unmapped list.
 */
export async function addRegistrySchemas(estate: Estate, client: RegistryClient, folder: string): Promise<RegistryImport> {
  const existing = new Set(await client.subjects());
  const subjects: string[] = [];
  for (const topic of estate.topics) {
    for (const role of ['value', 'key'] as const) {
      if (topic.schemas?.[role]) continue;
      const subject = `${topic.name}-${role}`;
      if (!existing.has(subject)) continue;
      const latest = await client.latest(subject);
      if (!latest) continue;
      const byId = await client.schemaById(latest.id);
      if (byId && byId.references.length > 0) {
        estate.unmapped.push({
          what: `schema subject ${subject} (version ${latest.version})`,
          why: `it refers to other subjects (${byId.references.map((r) => `${r.subject} v${r.version}`).join(', ')}); schemas with references are not imported: declare it in the spec by hand, or a plan offers to delete the subject`,
        });
        continue;
      }
      const format = latest.schemaType as SchemaFileFormat;
      const file = path.join(folder, `${topic.name}-${role}${EXTENSION[format]}`);
      fs.mkdirSync(folder, { recursive: true });
      fs.writeFileSync(file, schemaText(latest.schema, format));
      const schema: EstateSchema = { file, format };
      topic.schemas = { ...topic.schemas, [role]: schema };
      const level = await client.compatibility(subject);
      if (level && role === 'value') topic.compatibility = level as Compatibility;
      else if (level && level !== topic.compatibility) {
        // The spec has one level per topic: the key subject's own level, when it differs, is not carried.
        if (topic.compatibility === undefined) topic.compatibility = level as Compatibility;
        else estate.unmapped.push({ what: `compatibility ${level} of subject ${subject}`, why: `the topic's value subject has ${topic.compatibility}; a spec gives one level to both subjects` });
      }
      subjects.push(subject);
    }
  }
  return { subjects };
}

/** JSON schemas (Avro, JSON Schema) indented for review; Protobuf as registered. */
function schemaText(schema: string, format: SchemaFileFormat): string {
  if (format === 'PROTOBUF') return schema.endsWith('\n') ? schema : `${schema}\n`;
  try {
    return `${JSON.stringify(JSON.parse(schema), null, 2)}\n`;
  } catch {
    return schema;
  }
}
