/** crc-32 ships types for its CRC-32 entry point only; the CRC-32C one has the same shape. */
declare module 'crc-32/crc32c' {
  export function buf(data: Uint8Array, seed?: number): number;
}
