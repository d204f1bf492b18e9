/**
 * meshform's own diagnostic codes (docs/spec-reference.md, "Every code", lists each with its rule). AsyncAPI-level
 * problems keep the @asyncapi/parser rule names as codes (`asyncapi-document-resolved`, ...).
 */
export const CODES = {
  noSpecs: 'MF-NO-SPECS',
  fileRead: 'MF-FILE-READ',
  syntax: 'MF-SYNTAX',
  /** A JSON/YAML file in a spec folder that is not an AsyncAPI document and that no spec references. */
  notASpec: 'MF-NOT-A-SPEC',
  meshFile: 'MF-MESHFILE-INVALID',
  /** A Spectral ruleset a mesh file names cannot be read or used. */
  ruleset: 'MF-RULESET',
  version: 'MF-ASYNCAPI-VERSION',
  refRemote: 'MF-REF-REMOTE',
  refAbsolute: 'MF-REF-ABSOLUTE',
  refEscape: 'MF-REF-ESCAPE',
  /** A spec, mesh file or folder reached through a symbolic link whose target is outside the spec root. */
  linkEscape: 'MF-LINK-ESCAPE',
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
  channelParameters: 'MF-CHANNEL-PARAMETERS',
  topicName: 'MF-TOPIC-NAME',
  topicVisibility: 'MF-TOPIC-VISIBILITY',
  topicDuplicate: 'MF-TOPIC-DUPLICATE',
  topicCollision: 'MF-TOPIC-COLLISION',
  sendNotOwned: 'MF-SEND-NOT-OWNED',
  /** A send to another product's protected topic whose owner does not grant the sender write access. */
  sendNoGrant: 'MF-SEND-NO-GRANT',
  kafkaBinding: 'MF-KAFKA-BINDING',
  kafkaBindingKey: 'MF-KAFKA-BINDING-KEY',
  kafkaConfigUnknown: 'MF-KAFKA-CONFIG-UNKNOWN',
  kafkaConfigValue: 'MF-KAFKA-CONFIG-VALUE',
  kafkaConfigRemoved: 'MF-KAFKA-CONFIG-REMOVED',
  kafkaMinIsr: 'MF-KAFKA-MIN-ISR',
  grantUrn: 'MF-GRANT-URN',
  grantPublic: 'MF-GRANT-PUBLIC',
  grantPrivate: 'MF-GRANT-PRIVATE',
  grantUnknownProduct: 'MF-GRANT-UNKNOWN-PRODUCT',
  grantEveryone: 'MF-GRANT-EVERYONE',
  /** A `grant-write:` on a public topic: input topics that others write to are protected. */
  grantWritePublic: 'MF-GRANT-WRITE-PUBLIC',
  /** A `grant-write:` on a private topic: nothing outside the product touches it. */
  grantWritePrivate: 'MF-GRANT-WRITE-PRIVATE',
  /** A Kafka client quota in `x-meshform.quotas` or a mesh file that Kafka would refuse or that makes no sense. */
  quotaInvalid: 'MF-QUOTA-INVALID',
  groupPrefix: 'MF-GROUP-PREFIX',
  /** Two products adopt the same topic or principal, or overlapping group / transactional-id claims. */
  adoptClaimed: 'MF-ADOPT-CLAIMED',
  /** An adopted name lies in a product's convention namespace (its topic or client prefixes). */
  adoptConvention: 'MF-ADOPT-CONVENTION',
  /** An adopted topic that no channel of the product declares. */
  adoptUndeclared: 'MF-ADOPT-UNDECLARED',
  /** An adopted principal limited to a topic its product neither declares nor receives from. */
  adoptPrincipal: 'MF-ADOPT-PRINCIPAL',
  /** A GCP naming template (`gcp.names`, `gcp.adopt`) with a placeholder that is not known there, or a stray brace. */
  gcpNamePlaceholder: 'MF-GCP-NAME-PLACEHOLDER',
  /** A GCP name a template or an adoption gives a product that GCP would refuse (dataset id, service account id). */
  gcpNameInvalid: 'MF-GCP-NAME-INVALID',
  /** Two products (or two layers of one) get the same dataset id or service account id. */
  gcpNameDuplicate: 'MF-GCP-NAME-DUPLICATE',
  /** `meshform import`: an input file is not in the tool's documented format. */
  importFormat: 'MF-IMPORT-FORMAT',
  /** `meshform import`: something of the estate that is not carried over (printed as a warning, exit 1). */
  importUnmapped: 'MF-IMPORT-UNMAPPED',
  /** `meshform import`: the draft mesh has a problem the owner map must settle (ids, owners, a name two products claim). */
  importConflict: 'MF-IMPORT-CONFLICT',
  dialectHint: 'MF-DIALECT-HINT',
  dialectDiffers: 'MF-DIALECT-DIFFERS',
  consumePrivate: 'MF-CONSUME-PRIVATE',
  consumeNoGrant: 'MF-CONSUME-NO-GRANT',
  consumeUndeclared: 'MF-CONSUME-UNDECLARED',
  schemaInvalid: 'MF-SCHEMA-INVALID',
  /** A valid schema with a likely typo: a keyword or attribute one letter from a known one, which the format ignores. */
  schemaSuspect: 'MF-SCHEMA-SUSPECT',
  schemaFormat: 'MF-SCHEMA-FORMAT',
  schemaMultiple: 'MF-SCHEMA-MULTIPLE',
  schemaUnsupported: 'MF-SCHEMA-UNSUPPORTED',
  schemaCompatibility: 'MF-SCHEMA-COMPATIBILITY',
  /** A channel's freshness or maxLag is not a usable value. */
  expectationInvalid: 'MF-EXPECTATION-INVALID',
  /** A channel setting written where it means nothing (freshness on a channel the product only receives from). */
  settingIgnored: 'MF-SETTING-IGNORED',
  /** A JSON Schema whose `$schema` names no draft meshform knows (never fetched). */
  schemaDialect: 'MF-SCHEMA-DIALECT',
  /** A file past one of the reader's limits (src/reading/limits.ts). */
  limitSize: 'MF-LIMIT-SIZE',
  limitDepth: 'MF-LIMIT-DEPTH',
  limitKeys: 'MF-LIMIT-KEYS',
  limitAliases: 'MF-LIMIT-ALIASES',
  limitAliasExpansion: 'MF-LIMIT-ALIAS-EXPANSION',
  limitResolved: 'MF-LIMIT-RESOLVED',
  /** The AsyncAPI parser could not build the document model (reported with the parser's own code when it gives one). */
  parser: 'MF-PARSER',
} as const;
