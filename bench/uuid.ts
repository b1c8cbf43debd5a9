/**
 * Deterministic UUIDv7-shaped ids: 48 bits of "milliseconds" (a base instant plus the sequence
 * number ÷ 4096), a 12-bit counter (sequence mod 4096), then bits derived from the stream and the
 * sequence. Ids of one stream are unique (the first 64 bits already are) and increase in the
 * order they are handed out, so a bulk load appends at the right edge of every primary-key
 * index, as the app's orderedUuid does.
 */
export class UuidSequence {
  private sequence = 0;
  private readonly prefix: string;

  constructor(
    private readonly baseMs: number,
    stream: number,
  ) {
    const mixed = Math.imul(stream ^ 0x9e3779b9, 0x85ebca6b) >>> 0;
    this.prefix = `${(0x8000 | (mixed & 0x3fff)).toString(16)}-${((mixed >>> 14) & 0xffff).toString(16).padStart(4, '0')}`;
  }

  next(): string {
    const n = this.sequence++;
    const ms = this.baseMs + Math.floor(n / 4096);
    const msHex = ms.toString(16).padStart(12, '0');
    const counter = (0x7000 | n % 4096).toString(16);
    const tail = (Math.imul(n, 0x9e3779b1) >>> 0).toString(16).padStart(8, '0');
    return `${msHex.slice(0, 8)}-${msHex.slice(8, 12)}-${counter}-${this.prefix}${tail}`;
  }
}
