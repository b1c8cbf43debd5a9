import { randomFillSync } from 'node:crypto';

let lastMillis = 0;
let counter = 0;
// Random bytes drawn 4 KiB at a time: one call to the CSPRNG per 256 ids instead of one per id
// (bulk ingest makes thousands per request).
const pool = Buffer.alloc(4096);
let poolOffset = pool.length;

/**
 * A UUIDv7 (RFC 9562): 48-bit Unix milliseconds, then a 12-bit counter that keeps ids made in
 * the same millisecond increasing, then random bits. Rows written together keep their order
 * when sorted by id, and new ids land at the right edge of B-tree indexes.
 */
export function orderedUuid(): string {
  let millis = Date.now();
  if (millis <= lastMillis) {
    millis = lastMillis;
    counter += 1;
    if (counter > 0xfff) {
      millis = lastMillis += 1;
      counter = 0;
    }
  } else {
    lastMillis = millis;
    counter = 0;
  }
  if (poolOffset + 16 > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const bytes = Buffer.from(pool.subarray(poolOffset, (poolOffset += 16)));
  bytes.writeUIntBE(millis, 0, 6);
  bytes[6] = 0x70 | (counter >> 8);
  bytes[7] = counter & 0xff;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
