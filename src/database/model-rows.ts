import { TABLES } from '../generated/table-metadata.js';

/**
 * Column lists that make raw SQL return rows shaped exactly like Prisma's models (`db_column AS
 * "field"`), for the hot read paths where Prisma's model queries cost twice the Node CPU of a raw
 * query of the same rows (measured on the bench's dashboard: 1,000 messages, 17.6 → 9.3 ms).
 * The columns come from the table metadata generated from the Prisma schema at `db:generate`
 * (scripts/generate-table-metadata.ts); `test/database/model-rows.test.ts` holds every list to
 * `findMany` of the same rows, on both databases.
 */
const ROW_MODELS = ['Message', 'Analysis', 'Event', 'ConversationAgent', 'FollowUp', 'Agent', 'Contact'] as const;

export type RowModel = (typeof ROW_MODELS)[number];

/** `alias.db_column AS "field", …` for every scalar field of `model`. */
export function modelColumns(model: RowModel, alias: string): string {
  return TABLES[model].columns.map(({ field, column }) => `${alias}.${column} AS "${field}"`).join(', ');
}

/** The Prisma fields of `model` (the keys a row of `modelColumns` has). */
export function modelFields(model: RowModel): string[] {
  return TABLES[model].columns.map(({ field }) => field);
}
