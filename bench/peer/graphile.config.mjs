// PostGraphile v5 configuration for the side-by-side benchmark (copied into the PostGraphile
// scratch folder by compare.ts: its imports resolve from there).
// Amber preset, the public schema of alma_bench, a pool of 10 (like the app's DATABASE_POOL_SIZE),
// no GraphiQL/ruru, no watch mode, no explain. Loopback only.
//
// One deviation from the defaults: PostGraphile v5 only offers `condition`/`orderBy` on indexed
// columns. The app's answers order or filter on a few unindexed ones (current events:
// superseded_at IS NULL; agent usages by activation time; participants, actions, tickets and
// transfers by time; current disposition values). Smart tags (in memory, no database change)
// mark exactly those columns as orderable/filterable, as v4's default `ignoreIndexes` did.
import { makePgService } from 'postgraphile/adaptors/pg';
import { PostGraphileAmberPreset } from 'postgraphile/presets/amber';
import { jsonPgSmartTags } from 'postgraphile/utils';

const connectionString = process.env.PGL_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/alma_bench';
const port = Number(process.env.PGL_PORT || 5678);
const poolSize = Number(process.env.PGL_POOL_SIZE || 10);

const indexed = { tags: { isIndexed: true } };
const UnindexedColumnsPlugin = jsonPgSmartTags({
  version: 1,
  config: {
    class: {
      events: { attribute: { superseded_at: indexed } },
      conversation_agents: { attribute: { activation_timestamp: indexed } },
      conversation_participants: { attribute: { joined_at: indexed } },
      agent_actions: { attribute: { timestamp: indexed } },
      tickets: { attribute: { timestamp: indexed } },
      transfers: { attribute: { transfer_start_time: indexed } },
      disposition_values: { attribute: { superseded_at: indexed } },
    },
  },
});

/** @type {GraphileConfig.Preset} */
const preset = {
  extends: [PostGraphileAmberPreset],
  plugins: [UnindexedColumnsPlugin],
  pgServices: [makePgService({ connectionString, schemas: ['public'], poolConfig: { max: poolSize } })],
  grafserv: { host: '127.0.0.1', port, graphiql: false, graphiqlOnGraphQLGET: false, watch: false, websockets: false, maxRequestLength: 1_000_000 },
  grafast: { explain: false },
};

export default preset;
