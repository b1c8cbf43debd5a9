import { Field, InputType, Int, ObjectType } from 'type-graphql';
import { ConnectionType } from '../graphql/connection.js';
import { DateTimeScalar, JSONScalar, UUIDScalar } from '../graphql/scalars.js';

@ObjectType({ description: 'An AI or human agent' })
export class Agent {
  @Field(() => UUIDScalar) id!: string;
  @Field(() => String, { nullable: true, description: "The source system's id, unique per origin" }) externalId!: string | null;
  @Field(() => String) origin!: string;
  @Field(() => String, { nullable: true }) name!: string | null;
  @Field(() => String, { nullable: true }) email!: string | null;
  @Field(() => String, { nullable: true }) phoneNumber!: string | null;
  @Field(() => Boolean, { description: "The organization's own agent (AI or human)" }) internal!: boolean;
  @Field(() => JSONScalar, { nullable: true }) otherInfo!: unknown;
  @Field(() => DateTimeScalar) createdAt!: Date;
  @Field(() => DateTimeScalar) updatedAt!: Date;
}

@ObjectType({ description: 'An external participant: a customer' })
export class Contact {
  @Field(() => UUIDScalar) id!: string;
  @Field(() => String, { nullable: true }) externalId!: string | null;
  @Field(() => String) origin!: string;
  @Field(() => String, { nullable: true }) name!: string | null;
  @Field(() => String, { nullable: true }) email!: string | null;
  @Field(() => String, { nullable: true }) phoneNumber!: string | null;
  @Field(() => String, { nullable: true }) identifier!: string | null;
  @Field(() => Int, { nullable: true }) priority!: number | null;
  @Field(() => Boolean) doNotDisturb!: boolean;
  @Field(() => JSONScalar, { nullable: true }) source!: unknown;
  @Field(() => String, { nullable: true }) sourceFile!: string | null;
  @Field(() => JSONScalar, { nullable: true }) metaData!: unknown;
  @Field(() => DateTimeScalar, { nullable: true }) externalCreatedAt!: Date | null;
  @Field(() => DateTimeScalar, { nullable: true }) externalUpdatedAt!: Date | null;
  @Field(() => DateTimeScalar) createdAt!: Date;
}

export const AgentConnection = ConnectionType('Agent', Agent);
export const ContactConnection = ConnectionType('Contact', Contact);

@InputType({ description: 'An agent, upserted by (origin, externalId)' })
export class AgentInput {
  @Field(() => String) externalId!: string;
  @Field(() => String, { nullable: true, description: "Defaults to the conversation's origin (or 'api')" }) origin?: string | null;
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => String, { nullable: true }) email?: string | null;
  @Field(() => String, { nullable: true }) phoneNumber?: string | null;
  @Field(() => Boolean, { nullable: true }) internal?: boolean | null;
  @Field(() => JSONScalar, { nullable: true }) otherInfo?: unknown;
}
