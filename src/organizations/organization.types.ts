import { Field, InputType, ObjectType } from 'type-graphql';
import { ApiKeyScope, OrganizationStatus, ValuePrecedence } from '../generated/prisma/enums.js';
import { ConnectionType } from '../graphql/connection.js';
import { DateTimeScalar, JSONScalar, UUIDScalar } from '../graphql/scalars.js';

const VALUE_PRECEDENCE =
  "What its conversations' top-level outcome, outcomeReason, summary, sentiment and topics show when both a reported and an analysed value exist: " +
  'REPORTED_FIRST (the default) or ANALYSED_FIRST; the other side fills in when the first has none. `reported` and `analysed` always show both.';

@ObjectType({ description: 'A tenant: a partner organization' })
export class Organization {
  @Field(() => UUIDScalar) id!: string;
  @Field(() => String) name!: string;
  @Field(() => OrganizationStatus) status!: OrganizationStatus;
  @Field(() => String, { nullable: true, description: "The organization's default time zone: its conversations' local times (\"tomorrow at 2 pm\") are read in it when a conversation has no timeZone of its own. An IANA zone (America/Sao_Paulo) or a ±HH:MM offset; null means UTC" }) timeZone!: string | null;
  @Field(() => JSONScalar, { nullable: true }) metaData!: unknown;
  @Field(() => ValuePrecedence, { description: VALUE_PRECEDENCE }) valuePrecedence!: ValuePrecedence;
  @Field(() => DateTimeScalar) createdAt!: Date;
  @Field(() => DateTimeScalar) updatedAt!: Date;
}

@ObjectType({ description: 'An API key. The secret itself is shown only once, when it is created.' })
export class ApiKey {
  @Field(() => UUIDScalar) id!: string;
  @Field(() => UUIDScalar) organizationId!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { description: 'The visible start of the key, to tell keys apart' }) keyPrefix!: string;
  @Field(() => [ApiKeyScope]) scopes!: ApiKeyScope[];
  @Field(() => DateTimeScalar, { nullable: true }) expiresAt!: Date | null;
  @Field(() => DateTimeScalar, { nullable: true }) revokedAt!: Date | null;
  @Field(() => DateTimeScalar, { nullable: true, description: 'Refreshed at most once a minute' }) lastUsed!: Date | null;
  @Field(() => DateTimeScalar) createdAt!: Date;
}

@ObjectType()
export class CreatedApiKey {
  @Field(() => ApiKey) apiKey!: ApiKey;
  @Field(() => String, { description: 'The key. Store it now: it is not shown again.' }) secret!: string;
}

export const OrganizationConnection = ConnectionType('Organization', Organization);
export const ApiKeyConnection = ConnectionType('ApiKey', ApiKey);

@InputType()
export class CreateOrganizationInput {
  @Field(() => String) name!: string;
  @Field(() => String, { nullable: true, description: 'An IANA zone (America/Sao_Paulo) or a ±HH:MM offset (-03:00); default none (UTC)' }) timeZone?: string | null;
  @Field(() => JSONScalar, { nullable: true }) metaData?: unknown;
  @Field(() => ValuePrecedence, { nullable: true, description: `${VALUE_PRECEDENCE} Default REPORTED_FIRST.` }) valuePrecedence?: ValuePrecedence | null;
}

@InputType()
export class UpdateOrganizationInput {
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => OrganizationStatus, { nullable: true }) status?: OrganizationStatus | null;
  @Field(() => String, { nullable: true, description: 'An IANA zone or a ±HH:MM offset; null clears it (UTC), absent keeps it' }) timeZone?: string | null;
  @Field(() => JSONScalar, { nullable: true }) metaData?: unknown;
  @Field(() => ValuePrecedence, { nullable: true, description: `${VALUE_PRECEDENCE} Changing it re-picks the top-level values of every conversation.` })
  valuePrecedence?: ValuePrecedence | null;
}

@InputType({ description: "What an organization's own MANAGE credentials may change about it (status, name and metadata stay with platform admins)" })
export class OrganizationSettingsInput {
  @Field(() => String, { nullable: true, description: 'An IANA zone or a ±HH:MM offset; null clears it (UTC), absent keeps it' }) timeZone?: string | null;
  @Field(() => ValuePrecedence, { nullable: true, description: `${VALUE_PRECEDENCE} Changing it re-picks the top-level values of every conversation.` })
  valuePrecedence?: ValuePrecedence | null;
}

@InputType()
export class CreateApiKeyInput {
  @Field(() => UUIDScalar, { nullable: true, description: 'Admins name the organization; organization credentials create keys for their own' })
  organizationId?: string | null;
  @Field(() => String) name!: string;
  @Field(() => [ApiKeyScope]) scopes!: ApiKeyScope[];
  @Field(() => DateTimeScalar, { nullable: true }) expiresAt?: Date | null;
}

@ObjectType({ description: 'Who is calling' })
export class Viewer {
  @Field(() => String, { description: 'ADMIN, MEMBER or API_KEY' }) kind!: string;
  @Field(() => String, { nullable: true }) subject!: string | null;
  @Field(() => [ApiKeyScope]) scopes!: ApiKeyScope[];
  @Field(() => Organization, { nullable: true }) organization!: Organization | null;
  @Field(() => ApiKey, { nullable: true, description: 'The key in use, for API-key callers' }) apiKey!: ApiKey | null;
}
