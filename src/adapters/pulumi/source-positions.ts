/**
 * Pulumi's Node SDK records, with every resource, where in the program it was constructed: a
 * `sourcePosition` and a `stackTrace` of the frames above the constructor, kept in the state (about
 * 0.7 KB per resource as `pulumi stack export` writes it, 2 KB per product with its component and
 * Kafka resource). For meshform's resources every one of those frames is inside meshform's own
 * package, which tells a user nothing about their specs, and checkpoints rewrite them after every
 * step. The SDK reads them from `new Error().stack`; while `make` runs, that stack holds no frame,
 * so the engine records none. Everything else about the resources is unchanged.
 */
export function withoutSourcePositions<T>(make: () => T): T {
  const previous = Error.prepareStackTrace;
  Error.prepareStackTrace = (error: Error) => `${error.name}: ${error.message}`.split('\n')[0];
  try {
    return make();
  } finally {
    Error.prepareStackTrace = previous;
  }
}
