import { Arg, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import { Conversation } from '../conversations/conversation.types.js';
import type { GraphQLContext } from '../graphql/context.js';
import { UUIDScalar, writtenTimeZoneOf } from '../graphql/scalars.js';
import type { IngestConversationCommand } from './ingest.command.js';
import {
  CompleteConversationInput,
  IngestConversationInput,
  IngestConversationPayload,
  IngestConversationsItem,
  MessageInput,
} from './ingest.inputs.js';
import { IngestService } from './ingest.service.js';

const DEFAULT_ORIGIN = 'api';

// Compile-time parity: every field the ingest service takes can be sent over GraphQL too.
type MissingInGraphQL = Exclude<keyof IngestConversationCommand, keyof IngestConversationInput>;
const graphqlCoversCommand: Record<MissingInGraphQL, never> = {};
void graphqlCoversCommand;

export function toCommand(input: IngestConversationInput): IngestConversationCommand {
  return {
    ...input,
    origin: input.origin ?? DEFAULT_ORIGIN,
    // No zone sent: the caller's offset is kept (a fixed-offset zone), see IngestConversationInput.timeZone.
    timeZone: input.timeZone ?? writtenTimeZoneOf(input.startedAt) ?? writtenTimeZoneOf(input.endedAt),
  };
}

@Resolver()
export class IngestResolver {
  @Mutation(() => IngestConversationPayload, {
    description: 'One conversation with everything it owns; all or nothing; idempotent on externalId (the same payload again is UNCHANGED and changes nothing)',
  })
  @Authorized('INGEST')
  ingestConversation(@Ctx() context: GraphQLContext, @Arg('input', () => IngestConversationInput) input: IngestConversationInput) {
    return new IngestService(context.tenant()).ingestConversation(toCommand(input));
  }

  @Mutation(() => [IngestConversationsItem], { description: 'Up to 100 conversations, each atomic, with a result or an error per item' })
  @Authorized('INGEST')
  async ingestConversations(
    @Ctx() context: GraphQLContext,
    @Arg('inputs', () => [IngestConversationInput]) inputs: IngestConversationInput[],
  ): Promise<IngestConversationsItem[]> {
    const results = await new IngestService(context.tenant()).ingestConversations(inputs.map(toCommand));
    return results.map((item, index) => ({
      index,
      externalId: item.externalId,
      conversation: item.result?.conversation ?? null,
      created: item.result?.created ?? null,
      status: item.result?.status ?? null,
      error: item.error ? { code: item.error.code, message: item.error.message, field: typeof item.error.details?.field === 'string' ? item.error.details.field : null } : null,
    }));
  }

  @Mutation(() => Conversation, { description: 'Adds messages to a live conversation; a taken sequence number is a CONFLICT' })
  @Authorized('INGEST')
  appendMessages(
    @Ctx() context: GraphQLContext,
    @Arg('conversationId', () => UUIDScalar) conversationId: string,
    @Arg('messages', () => [MessageInput]) messages: MessageInput[],
  ) {
    return new IngestService(context.tenant()).appendMessages(conversationId, messages);
  }

  @Mutation(() => Conversation, { description: 'Ends a conversation and queues its analysis' })
  @Authorized('INGEST')
  completeConversation(
    @Ctx() context: GraphQLContext,
    @Arg('id', () => UUIDScalar) id: string,
    @Arg('input', () => CompleteConversationInput, { nullable: true }) input?: CompleteConversationInput | null,
  ) {
    return new IngestService(context.tenant()).completeConversation(id, input ?? {});
  }
}
