import type { ApolloServerPlugin } from '@apollo/server';
import {
  GraphQLError,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { scopesOf, type Credential, type Scope } from '../auth/credential.js';
import { ErrorCode } from '../errors/domain-error.js';
import type { Role } from './auth-checker.js';
import type { GraphQLContext } from './context.js';

/** Who may select a field: any of these grants; ANY = every authenticated credential. */
type Grant = Role | 'ANY';
type Policy = { '*'?: Grant[] } & Record<string, Grant[]>;

/**
 * Field-level scopes. Root fields are gated by @Authorized; every field below them needs READ
 * unless this table says otherwise, so a type added later is READ-only until someone decides.
 * This is what keeps an INGEST key's mutation answers to what it wrote (ids, created flags,
 * statuses) and a MANAGE key's to the keys, endpoints and configs it manages: selecting
 * `ingestConversation { conversation { messages … } }` without READ is refused before anything runs.
 */
export const FIELD_SCOPES: Record<string, Policy> = {
  Viewer: { '*': ['ANY'] },
  Organization: { '*': ['ANY'] }, // apiKeys has its own @Authorized(ADMIN, MANAGE)
  OrganizationConnection: { '*': ['ANY'] },
  OrganizationEdge: { '*': ['ANY'] },
  PageInfo: { '*': ['ANY'] },
  ApiKey: { '*': ['ANY'] },
  CreatedApiKey: { '*': ['ANY'] },
  IngestConversationPayload: { '*': ['ANY'] },
  IngestConversationsItem: { '*': ['ANY'] },
  IngestError: { '*': ['ANY'] },
  Conversation: {
    id: ['READ', 'INGEST', 'MANAGE'],
    externalId: ['READ', 'INGEST', 'MANAGE'],
    origin: ['READ', 'INGEST', 'MANAGE'],
    status: ['READ', 'INGEST', 'MANAGE'],
    analysisStatus: ['READ', 'INGEST', 'MANAGE'],
  },
  Event: {
    id: ['READ', 'INGEST'],
    externalId: ['READ', 'INGEST'],
    conversationId: ['READ', 'INGEST'],
    eventType: ['READ', 'INGEST'],
    eventSubtype: ['READ', 'INGEST'],
    source: ['READ', 'INGEST'],
  },
  Agent: { id: ['READ', 'INGEST'], externalId: ['READ', 'INGEST'], origin: ['READ', 'INGEST'] },
  WebhookEndpoint: { '*': ['READ', 'MANAGE'] },
  CreatedWebhookEndpoint: { '*': ['READ', 'MANAGE'] },
  // The payload is the conversation and its analysis: READ data.
  WebhookDelivery: { '*': ['READ', 'MANAGE'], payload: ['READ'] },
  WebhookDeliveryAttempt: { '*': ['READ', 'MANAGE'] },
  AnalysisConfig: { '*': ['READ', 'MANAGE'] },
  DispositionMetric: { '*': ['READ', 'MANAGE'] },
  // `changes` (ConversationChanges) shows analysis results: READ, by default.
  ReanalysisResult: { '*': ['READ', 'MANAGE'], changes: ['READ'] },
};

const DEFAULT_GRANTS: Grant[] = ['READ'];

export function grantsFor(typeName: string, fieldName: string): Grant[] {
  const policy = FIELD_SCOPES[typeName];
  return policy?.[fieldName] ?? policy?.['*'] ?? DEFAULT_GRANTS;
}

/** `Type.field` of every field the operation selects below its root fields that these roles may not read. */
export function fieldsBeyondRoles(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, roles: Role[]): string[] {
  const roots = new Set([schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].filter(Boolean).map((type) => type!.name));
  const fragments = new Map(
    document.definitions.filter((definition): definition is FragmentDefinitionNode => definition.kind === 'FragmentDefinition').map((fragment) => [fragment.name.value, fragment]),
  );
  const refused = new Set<string>();
  const queued = new Set<string>();
  const pending: Array<OperationDefinitionNode | FragmentDefinitionNode> = [operation];
  while (pending.length > 0) {
    const typeInfo = new TypeInfo(schema);
    visit(
      pending.pop()!,
      visitWithTypeInfo(typeInfo, {
        Field(node) {
          const parent = typeInfo.getParentType();
          const field = node.name.value;
          if (!parent || roots.has(parent.name) || parent.name.startsWith('__') || field.startsWith('__')) return;
          const grants = grantsFor(parent.name, field);
          if (!grants.includes('ANY') && !grants.some((grant) => roles.includes(grant as Role))) refused.add(`${parent.name}.${field}`);
        },
        FragmentSpread(node) {
          const fragment = fragments.get(node.name.value);
          if (fragment && !queued.has(fragment.name.value)) {
            queued.add(fragment.name.value);
            pending.push(fragment);
          }
        },
      }),
    );
  }
  return [...refused].sort();
}

/** Apollo reuses the parsed document of a repeated query, so each check is made once per document and roles. */
const checked = new WeakMap<DocumentNode, Map<string, string[]>>();

/**
 * The FORBIDDEN error for an operation that selects fields its credential may not read, or
 * undefined when it may run (HTTP through fieldScopePlugin, WebSocket through the subscription server).
 */
export function fieldScopeError(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, credential: Credential): GraphQLError | undefined {
  // Anonymous callers get UNAUTHENTICATED from the root fields; READ reaches every field.
  if (credential.kind === 'ANONYMOUS') return undefined;
  const roles: Role[] = credential.kind === 'ADMIN' ? ['ADMIN'] : scopesOf(credential);
  if (roles.includes('READ' satisfies Scope)) return undefined;
  const key = `${operation.name?.value ?? ''}|${roles.join(',')}`;
  let byRoles = checked.get(document);
  if (!byRoles) checked.set(document, (byRoles = new Map()));
  let refused = byRoles.get(key);
  if (!refused) byRoles.set(key, (refused = fieldsBeyondRoles(schema, document, operation, roles)));
  if (refused.length === 0) return undefined;
  const needed = [...new Set(refused.flatMap((field) => grantsFor(...(field.split('.') as [string, string]))))].filter((grant) => grant !== 'ANY');
  return new GraphQLError(`This credential cannot read ${refused.slice(0, 5).join(', ')}${refused.length > 5 ? ` and ${refused.length - 5} more` : ''}; that needs ${needed.join(' or ')}`, {
    extensions: { code: ErrorCode.FORBIDDEN, fields: refused, http: { status: 403 } },
  });
}

/** Refuses (FORBIDDEN, nothing executed) an operation that selects fields its credential may not read. */
export const fieldScopePlugin: ApolloServerPlugin<GraphQLContext> = {
  async requestDidStart() {
    return {
      async didResolveOperation({ contextValue, document, operation, schema }) {
        if (!operation) return;
        const error = fieldScopeError(schema, document, operation, contextValue.credential);
        if (error) throw error;
      },
    };
  },
};
