import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { printAppSchema } from '../../src/graphql/schema.js';

describe('schema.graphql', () => {
  it('is the schema the resolvers build (run `npm run schema:emit` after an API change)', async () => {
    const committed = await readFile(new URL('../../schema.graphql', import.meta.url), 'utf8');
    expect(committed).toBe(await printAppSchema());
  });
});
