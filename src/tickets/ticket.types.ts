import { Field, InputType } from 'type-graphql';
import { TicketAction } from '../generated/prisma/enums.js';
import '../graphql/enums.js';

@InputType({ description: 'Which ticket rows: every condition given must hold' })
export class TicketFilter {
  @Field(() => String, { nullable: true, description: 'The ticket system, e.g. SERVICENOW' }) ticketSystem?: string | null;
  @Field(() => String, { nullable: true, description: "The ticket's id in its system: every conversation that touched it" }) ticketId?: string | null;
  @Field(() => TicketAction, { nullable: true, description: 'What the conversation did with it (e.g. LINKED across calls)' }) action?: TicketAction | null;
}
