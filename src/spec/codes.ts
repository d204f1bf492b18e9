/**
 * meshform's own diagnostic codes (README.md ("Spec format") lists each with its rule). AsyncAPI-level
 * problems keep the @asyncapi/parser rule names as codes (`asyncapi-document-resolved`, ...).
 */
export const CODES = {
  noSpecs: 'MF-NO-SPECS',
  fileRead: 'MF-FILE-READ',
  syntax: 'MF-SYNTAX',
  version: 'MF-ASYNCAPI-VERSION',
  refRemote: 'MF-REF-REMOTE',
  refAbsolute: 'MF-REF-ABSOLUTE',
  refEscape: 'MF-REF-ESCAPE',
  /** The parser's code for a `$ref` whose target does not exist. */
  refInvalid: 'invalid-ref',
  idMissing: 'MF-ID-MISSING',
  idFormat: 'MF-ID-FORMAT',
  idReserved: 'MF-ID-RESERVED',
  idDuplicate: 'MF-ID-DUPLICATE',
  metaMissing: 'MF-META-MISSING',
  metaInvalid: 'MF-META-INVALID',
  ownerInvalid: 'MF-OWNER-INVALID',
  ownerPublic: 'MF-OWNER-PUBLIC',
  channelAddress: 'MF-CHANNEL-ADDRESS',
  topicName: 'MF-TOPIC-NAME',
  topicVisibility: 'MF-TOPIC-VISIBILITY',
  topicDuplicate: 'MF-TOPIC-DUPLICATE',
  topicCollision: 'MF-TOPIC-COLLISION',
  sendNotOwned: 'MF-SEND-NOT-OWNED',
  kafkaBinding: 'MF-KAFKA-BINDING',
  kafkaConfigUnknown: 'MF-KAFKA-CONFIG-UNKNOWN',
  kafkaConfigValue: 'MF-KAFKA-CONFIG-VALUE',
  kafkaMinIsr: 'MF-KAFKA-MIN-ISR',
  grantUrn: 'MF-GRANT-URN',
  grantPublic: 'MF-GRANT-PUBLIC',
  grantPrivate: 'MF-GRANT-PRIVATE',
  grantUnknownProduct: 'MF-GRANT-UNKNOWN-PRODUCT',
  consumePrivate: 'MF-CONSUME-PRIVATE',
  consumeNoGrant: 'MF-CONSUME-NO-GRANT',
  consumeUndeclared: 'MF-CONSUME-UNDECLARED',
  /** The AsyncAPI parser could not build the document model (reported with the parser's own code when it gives one). */
  parser: 'MF-PARSER',
} as const;
