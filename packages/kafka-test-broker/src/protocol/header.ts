import { ByteReader } from './reader';
import { ByteWriter } from './writer';

/** Request header v1 (v2 in flexible versions adds tagged fields). The client id is never compact. */
export interface RequestHeader {
  apiKey: number;
  apiVersion: number;
  correlationId: number;
  clientId: string | null;
}

/** Reads the fixed part common to every header version; tagged fields are read by `skipHeaderTags`. */
export function readRequestHeader(reader: ByteReader): RequestHeader {
  return {
    apiKey: reader.int16(),
    apiVersion: reader.int16(),
    correlationId: reader.int32(),
    clientId: reader.nullableString(),
  };
}

/** Header v2 tagged fields: none are defined that a broker acts on, so they are skipped. */
export function skipHeaderTags(reader: ByteReader): void {
  const count = reader.uvarint();
  for (let i = 0; i < count; i++) {
    reader.uvarint();
    reader.raw(reader.uvarint());
  }
}

/** Response header v0 is the correlation id; v1 (flexible versions) adds an empty tagged-field section. */
export function writeResponseHeader(writer: ByteWriter, correlationId: number, flexibleHeader: boolean): void {
  writer.int32(correlationId);
  if (flexibleHeader) writer.uvarint(0);
}
