import { Arg, Authorized, Ctx, FieldResolver, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { OrganizationStatus } from '../generated/prisma/enums.js';
import type { GraphQLContext } from '../graphql/context.js';
import { UUIDScalar } from '../graphql/scalars.js';
import {
  ApiKey,
  CreateApiKeyInput,
  CreatedApiKey,
  CreateOrganizationInput,
  Organization,
  OrganizationConnection,
  OrganizationSettingsInput,
  UpdateOrganizationInput,
  Viewer,
} from './organization.types.js';
import { OrganizationService } from './organization.service.js';

const service = (context: GraphQLContext) => new OrganizationService(context.database);

@Resolver(() => Organization)
export class OrganizationResolver {
  @Query(() => Viewer, { description: 'Who is calling: credential kind, organization, scopes' })
  @Authorized()
  async viewer(@Ctx() context: GraphQLContext): Promise<Viewer> {
    const { credential } = context;
    const organizations = service(context);
    const organization = 'organizationId' in credential ? await organizations.get(credential) : null;
    const apiKey = credential.kind === 'API_KEY' ? await organizations.apiKey(credential.keyId) : null;
    return {
      kind: credential.kind,
      subject: 'subject' in credential ? credential.subject : null,
      scopes: 'scopes' in credential ? credential.scopes : [],
      organization,
      apiKey,
    };
  }

  @Query(() => Organization, { description: "The caller's organization; admins may name any by id" })
  @Authorized()
  organization(@Ctx() context: GraphQLContext, @Arg('id', () => UUIDScalar, { nullable: true }) id?: string | null) {
    return service(context).get(context.credential, id);
  }

  @Query(() => OrganizationConnection, { description: 'All organizations (admins)' })
  @Authorized('ADMIN')
  organizations(
    @Ctx() context: GraphQLContext,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ) {
    return service(context).list(first, after);
  }

  @FieldResolver(() => [ApiKey], { description: 'Visible to admins and to MANAGE credentials of the organization' })
  @Authorized('ADMIN', 'MANAGE')
  apiKeys(@Root() organization: Organization, @Ctx() context: GraphQLContext) {
    return service(context).listApiKeys(organization.id);
  }

  @Mutation(() => Organization)
  @Authorized('ADMIN')
  createOrganization(@Ctx() context: GraphQLContext, @Arg('input', () => CreateOrganizationInput) input: CreateOrganizationInput) {
    return service(context).create(input);
  }

  @Mutation(() => Organization)
  @Authorized('ADMIN')
  updateOrganization(
    @Ctx() context: GraphQLContext,
    @Arg('id', () => UUIDScalar) id: string,
    @Arg('input', () => UpdateOrganizationInput) input: UpdateOrganizationInput,
  ) {
    return service(context).update(id, input);
  }

  @Mutation(() => Organization, { description: "The caller's own organization settings (its default time zone, value precedence)" })
  @Authorized('MANAGE')
  updateOrganizationSettings(@Ctx() context: GraphQLContext, @Arg('input', () => OrganizationSettingsInput) input: OrganizationSettingsInput) {
    return service(context).update(context.tenant().organizationId, { timeZone: input.timeZone, valuePrecedence: input.valuePrecedence });
  }

  @Mutation(() => Organization, { description: 'Its credentials stop working; its data stays' })
  @Authorized('ADMIN')
  deactivateOrganization(@Ctx() context: GraphQLContext, @Arg('id', () => UUIDScalar) id: string) {
    return service(context).setStatus(id, OrganizationStatus.INACTIVE);
  }

  @Mutation(() => Organization)
  @Authorized('ADMIN')
  reactivateOrganization(@Ctx() context: GraphQLContext, @Arg('id', () => UUIDScalar) id: string) {
    return service(context).setStatus(id, OrganizationStatus.ACTIVE);
  }

  @Mutation(() => CreatedApiKey, { description: 'Returns the secret once' })
  @Authorized('ADMIN', 'MANAGE')
  createApiKey(@Ctx() context: GraphQLContext, @Arg('input', () => CreateApiKeyInput) input: CreateApiKeyInput) {
    return service(context).createApiKey(context.credential, input);
  }

  @Mutation(() => ApiKey)
  @Authorized('ADMIN', 'MANAGE')
  revokeApiKey(@Ctx() context: GraphQLContext, @Arg('id', () => UUIDScalar) id: string) {
    return service(context).revokeApiKey(context.credential, id);
  }
}
