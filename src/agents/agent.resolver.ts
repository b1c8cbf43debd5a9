import { Arg, Authorized, Ctx, FieldResolver, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { AgentActionConnection, ConversationConnection } from '../conversations/conversation.types.js';
import { notFound } from '../errors/domain-error.js';
import type { Agent as AgentRow, AgentAction as AgentActionRow, Contact as ContactRow, Conversation as ConversationRow } from '../generated/prisma/client.js';
import { decodeCursor, encodeCursor, pageSize, toConnection } from '../graphql/connection.js';
import type { GraphQLContext } from '../graphql/context.js';
import { createdAtPage } from '../graphql/keyset.js';
import { UUIDScalar } from '../graphql/scalars.js';
import { IngestService, isUuid } from '../ingest/ingest.service.js';
import { Agent, AgentConnection, AgentInput, Contact, ContactConnection } from './agent.types.js';

/** A nested page through a window loader: `(startedAt|createdAt, id)` cursors, newest first. */
async function nestedPage<Row extends { id: string }>(
  parentId: string,
  first: number | null | undefined,
  after: string | null | undefined,
  sortValue: (row: Row) => Date | null,
  load: (key: string) => Promise<Row[]>,
  count: (parentId: string) => Promise<number>,
) {
  const limit = pageSize(first);
  const cursor = decodeCursor(after, 2);
  const rows = limit === 0 ? [] : await load(`${parentId}|${cursor ? String(cursor[0]) : ''}|${cursor ? String(cursor[1]) : ''}|${limit + 1}`);
  return toConnection(rows, limit, (row) => encodeCursor([sortValue(row)?.toISOString() ?? null, row.id]), () => count(parentId), cursor !== undefined);
}

@Resolver(() => Agent)
export class AgentResolver {
  @Query(() => AgentConnection)
  @Authorized('READ')
  agents(
    @Ctx() context: GraphQLContext,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ) {
    const { db } = context.tenant();
    return createdAtPage<AgentRow>({ first, after, findMany: (args) => db.agent.findMany(args), count: (args) => db.agent.count(args) });
  }

  @Query(() => Agent)
  @Authorized('READ')
  async agent(@Ctx() context: GraphQLContext, @Arg('id', () => UUIDScalar) id: string) {
    const agent = isUuid(id) ? await context.loaders().agent.load(id) : null;
    if (!agent) throw notFound('Agent');
    return agent;
  }

  @Mutation(() => [Agent], { description: 'Creates or updates agents by (origin, externalId)' })
  @Authorized('INGEST')
  upsertAgents(@Ctx() context: GraphQLContext, @Arg('agents', () => [AgentInput]) agents: AgentInput[]) {
    return new IngestService(context.tenant()).upsertAgents(agents);
  }

  @FieldResolver(() => ConversationConnection, { description: 'Conversations the agent took part in, newest first' })
  conversations(
    @Root() agent: Agent,
    @Ctx() context: GraphQLContext,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ) {
    const loaders = context.loaders();
    return nestedPage<ConversationRow>(agent.id, first, after, (row) => row.startedAt, (key) => loaders.agentConversationPage.load(key), (id) => loaders.agentConversationCount.load(id));
  }

  @FieldResolver(() => AgentActionConnection, { description: 'Functions the agent called, newest first' })
  actions(
    @Root() agent: Agent,
    @Ctx() context: GraphQLContext,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ) {
    const loaders = context.loaders();
    return nestedPage<AgentActionRow>(agent.id, first, after, (row) => row.createdAt, (key) => loaders.agentActionPage.load(key), (id) => loaders.agentActionCount.load(id));
  }
}

@Resolver(() => Contact)
export class ContactResolver {
  @Query(() => ContactConnection)
  @Authorized('READ')
  contacts(
    @Ctx() context: GraphQLContext,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ) {
    const { db } = context.tenant();
    return createdAtPage<ContactRow>({ first, after, findMany: (args) => db.contact.findMany(args), count: (args) => db.contact.count(args) });
  }
}
