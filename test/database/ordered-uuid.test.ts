import { describe, expect, it } from 'vitest';
import { orderedUuid } from '../../src/database/ordered-uuid.js';

describe('orderedUuid', () => {
  it('makes RFC 9562 version-7 UUIDs that sort in creation order, also within one millisecond', () => {
    const before = Date.now();
    const ids = Array.from({ length: 20_000 }, () => orderedUuid());
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    for (const id of ids.slice(0, 50)) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const millis = Number.parseInt(ids[0]!.replace(/-/g, '').slice(0, 12), 16);
    expect(millis).toBeGreaterThanOrEqual(before);
    expect(millis).toBeLessThanOrEqual(Date.now() + 10);
  });
});
