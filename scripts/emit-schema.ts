/** `npm run schema:emit`: writes schema.graphql from the resolvers (a test fails when it is stale). */
import { writeFile } from 'node:fs/promises';
import { printAppSchema } from '../src/graphql/schema.js';

await writeFile(new URL('../schema.graphql', import.meta.url), await printAppSchema());
console.log('wrote schema.graphql');
