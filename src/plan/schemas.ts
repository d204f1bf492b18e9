/**
 * A product's schema subjects: one per owned topic and role, named by the TopicNameStrategy
 * (`<topic>-value`, `<topic>-key`), with the topic's compatibility level or the stack's default.
 */
import type { Product } from '../vocabulary/mesh';
import { resourceName } from '../names';
import type { StackConfig } from '../stack/types';
import type { SchemaSubject } from './types';

export type SubjectRole = 'value' | 'key';

export function subjectName(topic: string, role: SubjectRole): string {
  return `${topic}-${role}`;
}

export function planSchemas(product: Product, stack: StackConfig): SchemaSubject[] {
  const subjects: SchemaSubject[] = [];
  for (const topic of product.topics) {
    const schemas = topic.schemas;
    if (!schemas) continue;
    for (const role of ['key', 'value'] as const) {
      const fact = schemas[role];
      if (!fact) continue;
      const subject = subjectName(topic.name, role);
      subjects.push({
        kind: 'schema:Subject',
        name: resourceName(product.id, 'subject', subject),
        product: product.id,
        properties: {
          subject,
          schemaType: fact.type,
          schema: fact.canonical,
          references: [],
          compatibility: schemas.compatibility ?? stack.schemas.compatibility,
        },
      });
    }
  }
  return subjects;
}
