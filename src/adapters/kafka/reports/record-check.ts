/**
 * One record's key and value against its topic's contract, as a consumer would read them:
 * - framed (Confluent wire format): the schema its id names in the registry, which must be a version
 *   of the topic's subject (`<topic>-value`, `<topic>-key`) and readable with the spec's schema;
 * - unframed: the spec's schema itself (JSON text by the JSON Schema; Avro and Protobuf decoded
 *   with it). On a topic whose spec schema is Avro or Protobuf and with a registry, an unframed
 *   record is a violation: registry-aware consumers cannot read it.
 * Without a registry, framed records are decoded with the spec's schema (the writer's is unknown).
 */
import { FORMATS, type SchemaType, type SchemaValue } from '../../../schemas';
import { confluentFrame, protobufIndexes } from '../../../schemas/wire-format';
import type { SchemaFact, SchemaRole, Topic } from '../../../vocabulary/mesh';
import type { RegistryClient } from '../../schema-registry/client';

/** A registry schema as a record's id names it, checked once per id. */
interface Writer {
  type: SchemaType;
  schema: SchemaValue;
  /** Subjects (`<topic>-value`) that hold it. */
  subjects: string[];
  /** Why it cannot be used to read records (invalid, references), else undefined. */
  unusable?: string;
}

export class RecordChecker {
  private readonly writers = new Map<number, Promise<Writer | undefined>>();
  /** `id\0role\0topic` -> why the spec's schema cannot read what that id wrote ('' when it can). */
  private readonly readable = new Map<string, string>();

  constructor(private readonly registry?: RegistryClient) {}

  /** Why the record breaks `topic`'s contract: one reason per part (key, value); empty when it keeps it. */
  async check(topic: Topic, compacted: boolean, key: Buffer | null, value: Buffer | null): Promise<string[]> {
    const reasons: string[] = [];
    if (key === null) {
      if (compacted) reasons.push('no key on a compacted topic: compaction keeps the last record per key, so a keyless record cannot be compacted (nor deleted)');
    } else if (topic.schemas?.key) {
      const problem = await this.part(topic, 'key', topic.schemas.key, key);
      if (problem) reasons.push(problem);
    }
    // A null value is a tombstone (a delete on a compacted topic): there is nothing to decode.
    if (value !== null && topic.schemas?.value) {
      const problem = await this.part(topic, 'value', topic.schemas.value, value);
      if (problem) reasons.push(problem);
    }
    return reasons;
  }

  private async part(topic: Topic, role: SchemaRole, spec: SchemaFact, bytes: Buffer): Promise<string | undefined> {
    // JSON text never starts with byte 0: a leading 0 is a frame whatever the spec's format.
    const framed = confluentFrame(bytes);
    if (!framed) {
      if (this.registry && spec.type !== 'JSON') return `${role}: not in the Confluent wire format (magic byte 0, then the schema id): registry-aware ${spec.type === 'AVRO' ? 'Avro' : 'Protobuf'} deserializers cannot read it`;
      const problem = read(spec.type, spec.schema, bytes, false);
      return problem && `${role}: ${problem}`;
    }
    if (!this.registry) {
      const problem = read(spec.type, spec.schema, framed.body, true);
      return problem && `${role} (framed, schema id ${framed.id}; no registry to look it up: read with the spec's schema): ${problem}`;
    }
    const writer = await this.writer(framed.id);
    if (!writer) return `${role}: schema id ${framed.id} is not in the registry`;
    if (writer.unusable) return `${role}: schema id ${framed.id} cannot be used to read: ${writer.unusable}`;
    const subject = `${topic.name}-${role}`;
    if (!writer.subjects.includes(subject)) {
      return `${role}: schema id ${framed.id} is not a version of subject ${subject}${writer.subjects.length ? ` (it is registered under ${writer.subjects.join(', ')})` : ''}`;
    }
    const problem = read(writer.type, writer.schema, framed.body, true);
    if (problem) return `${role} (schema id ${framed.id}): ${problem}`;
    const unreadable = this.unreadable(framed.id, role, spec, writer);
    return unreadable ? `${role}: written with schema id ${framed.id}, which the spec's schema cannot read: ${unreadable}` : undefined;
  }

  private unreadable(id: number, role: SchemaRole, spec: SchemaFact, writer: Writer): string {
    const key = `${id}\0${role}\0${spec.canonical}`;
    let known = this.readable.get(key);
    if (known === undefined) {
      known = writer.type !== spec.type
        ? `it is ${writer.type}, the spec's is ${spec.type}`
        : FORMATS[spec.type].readProblems(spec.schema, writer.schema).join('; ');
      this.readable.set(key, known);
    }
    return known;
  }

  private writer(id: number): Promise<Writer | undefined> {
    let known = this.writers.get(id);
    if (!known) {
      known = this.lookUp(id);
      this.writers.set(id, known);
    }
    return known;
  }

  private async lookUp(id: number): Promise<Writer | undefined> {
    const registry = this.registry!;
    const found = await registry.schemaById(id);
    if (!found) return undefined;
    const subjects = (await registry.versionsOfId(id)).map((v) => v.subject);
    const type = found.schemaType;
    if (!(type in FORMATS)) return { type, schema: found.schema, subjects, unusable: `its type ${type} is not one meshform reads` };
    if (found.references.length > 0) return { type, schema: found.schema, subjects, unusable: 'it refers to other subjects (schema references), which meshform does not follow' };
    let schema: SchemaValue = found.schema;
    if (type !== 'PROTOBUF') {
      try {
        schema = JSON.parse(found.schema);
      } catch (e) {
        return { type, schema: found.schema, subjects, unusable: `its text is not JSON: ${(e as Error).message}` };
      }
    }
    const problems = FORMATS[type].validate(schema).filter((p) => !p.warning);
    return problems.length > 0 ? { type, schema, subjects, unusable: problems[0].message } : { type, schema, subjects };
  }
}

/** Why `bytes` are not data of the schema; a framed Protobuf body starts with its message indexes. */
function read(type: SchemaType, schema: SchemaValue, bytes: Buffer, framed: boolean): string | undefined {
  if (type !== 'PROTOBUF' || !framed) return FORMATS[type].readRecord(schema, bytes);
  const body = protobufIndexes(bytes);
  return typeof body === 'string' ? body : FORMATS.PROTOBUF.readRecord(schema, body.payload, body.indexes);
}
