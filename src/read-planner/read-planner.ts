import { createHash } from 'node:crypto';
import {
  getArgumentValues,
  getNamedType,
  isAbstractType,
  isLeafType,
  Kind,
  type FieldNode,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLResolveInfo,
  type GraphQLUnionType,
  type SelectionSetNode,
} from 'graphql';
import { getMetadataStorage } from 'type-graphql';
import { conversationFilterSql, SqlParams } from '../conversations/conversation-filter.sql.js';
import type { ConversationFilter, ConversationOrder } from '../conversations/conversation.types.js';
import type { EventFilter, FollowUpFilter } from '../events/event.types.js';
import type { TicketFilter } from '../tickets/ticket.types.js';
import { TABLES } from '../generated/table-metadata.js';
import { decodeCursor, pageSize } from '../graphql/connection.js';
import { column, isoTimestamp, NODE_TYPES, NULL_UNLESS, tableName, type ComputedObject, type NodeType, type PlannedUnion, type Relation } from './read-model.js';

/**
 * The read planner: turns the selection set of `conversations` / `conversation` into one SQL
 * statement whose single value is the field's response, built as JSON by PostgreSQL (correlated
 * sub-selects with json_agg / json_build_object per nested list or object, pages, cursors and
 * counts included). Only the selected fields are read.
 *
 * A selection it does not cover in full (a field it has no plan for, a directive, the same field
 * under two response names, an argument the resolvers would refuse) is not planned: the caller
 * then resolves it as before, with DataLoaders, so coverage can grow field by field and an
 * error reads exactly as it did.
 *
 * Planned objects are keyed by field name and carry `__planned: true`; `planned-resolvers.ts`
 * makes the field resolvers of such an object return the planned value instead of loading it.
 * The statement text depends only on the selection's shape (values are parameters), so the same
 * query always sends the same text and PostgreSQL can reuse its plan.
 */

export const PLANNED = '__planned';

class NotPlannable extends Error {}
const giveUp = (): never => {
  throw new NotPlannable();
};

/** Fields resolved by a type-graphql field resolver, as `Type.field`. */
let resolvedFields: Set<string> | undefined;
function fieldResolverNames(): Set<string> {
  if (resolvedFields) return resolvedFields;
  const storage = getMetadataStorage();
  const names = new Set<string>();
  for (const resolver of storage.fieldResolvers) {
    const target = resolver.getObjectType?.();
    const type = storage.objectTypes.find((objectType) => objectType.target === target);
    if (type) names.add(`${type.name}.${resolver.schemaName}`);
  }
  resolvedFields = names;
  return names;
}

interface CollectedField {
  /** The field's name (`__typename` included). */
  name: string;
  nodes: FieldNode[];
}

/**
 * The fields of a selection set by response key (alias or name), fragments followed and fields
 * under the same key merged, in the order graphql-js executes (and writes) them. With
 * `runtimeType` (a union's member), only fragments whose type condition applies to it count.
 */
function collectFields(
  info: Pick<GraphQLResolveInfo, 'fragments' | 'schema'>,
  selectionSets: readonly (SelectionSetNode | undefined)[],
  runtimeType?: GraphQLObjectType,
): Map<string, CollectedField> {
  const fields = new Map<string, CollectedField>();
  const applies = (condition: string | undefined) => {
    if (!runtimeType || condition === undefined || condition === runtimeType.name) return true;
    const type = info.schema.getType(condition);
    return type !== undefined && isAbstractType(type) && info.schema.isSubType(type, runtimeType);
  };
  const visit = (selectionSet: SelectionSetNode | undefined) => {
    for (const selection of selectionSet?.selections ?? []) {
      if (selection.directives?.length) giveUp();
      if (selection.kind === Kind.FIELD) {
        const key = selection.alias?.value ?? selection.name.value;
        const known = fields.get(key);
        if (known) known.nodes.push(selection);
        else fields.set(key, { name: selection.name.value, nodes: [selection] });
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (applies(selection.typeCondition?.name.value)) visit(selection.selectionSet);
      } else {
        const fragment = info.fragments[selection.name.value];
        if (!fragment) giveUp();
        if (applies(fragment!.typeCondition.name.value)) visit(fragment!.selectionSet);
      }
    }
  };
  for (const selectionSet of selectionSets) visit(selectionSet);
  return fields;
}

const subSelections = (nodes: FieldNode[]) => nodes.map((node) => node.selectionSet);

class Planner {
  readonly params = new SqlParams();
  private aliases = 0;

  /**
   * `marked`: the answer goes through graphql-js, whose resolvers find planned objects by their
   * `__planned` marker (and write `__typename` themselves); unmarked, the answer is the response.
   */
  constructor(
    private readonly info: PlanningInfo,
    private readonly marked: boolean,
  ) {}

  /** The leading pairs of every object: its marker, or nothing. */
  private start(): string[] {
    return this.marked ? [`'${PLANNED}', true`] : [];
  }

  /** `__typename` as graphql-js writes it (marked objects leave it to graphql-js). */
  private typename(pairs: string[], key: string, typeName: string) {
    if (!this.marked) pairs.push(`${sqlKey(key)}, '${typeName}'`);
  }

  alias(prefix: string): string {
    return `${prefix}${++this.aliases}`;
  }

  objectType(name: string): GraphQLObjectType {
    return this.info.schema.getType(name) as GraphQLObjectType;
  }

  fieldOf(type: GraphQLObjectType, name: string): GraphQLField<unknown, unknown> {
    return type.getFields()[name] ?? giveUp();
  }

  arguments(type: GraphQLObjectType, name: string, node: FieldNode): Record<string, unknown> {
    return getArgumentValues(this.fieldOf(type, name), node, this.info.variableValues);
  }

  /** `json_build_object(...)` of a node type's selected fields over the row aliased `t`. */
  node(typeName: string, t: string, selectionSets: readonly (SelectionSetNode | undefined)[]): string {
    const spec: NodeType = NODE_TYPES[typeName] ?? giveUp();
    const type = this.objectType(typeName);
    const resolved = fieldResolverNames();
    const pairs = this.start();
    for (const [key, { name, nodes }] of collectFields(this.info, selectionSets)) {
      if (name === '__typename') {
        this.typename(pairs, key, typeName);
        continue;
      }
      const field = this.fieldOf(type, name);
      const k = sqlKey(key);
      if (spec.relations?.[name]) pairs.push(`${k}, ${this.relation(spec.relations[name]!, t, nodes)}`);
      else if (name === 'messages' && typeName === 'Conversation') pairs.push(`${k}, ${this.messages(type, t, nodes)}`);
      else if (spec.objects?.[name]) pairs.push(`${k}, ${this.computedObject(getNamedType(field.type).name, spec.objects[name]!, t, nodes)}`);
      else if (spec.computed?.[name]) pairs.push(`${k}, ${spec.computed[name]!(t)}`);
      else if (spec.unions?.[name]) pairs.push(`${k}, ${this.union(getNamedType(field.type) as GraphQLUnionType, spec.unions[name]!, t, nodes)}`);
      else if (!resolved.has(`${typeName}.${name}`) && isLeafType(getNamedType(field.type))) pairs.push(`${k}, ${this.scalar(spec, name, t)}`);
      else giveUp();
    }
    return jsonObject(pairs);
  }

  scalar(spec: NodeType, field: string, t: string): string {
    const found = TABLES[spec.model].columns.find((candidate) => candidate.field === field) ?? giveUp();
    const type: string = found!.type;
    if (type === 'DateTime') return found!.list ? giveUp() : isoTimestamp(column(spec.model, field, t));
    if (type === 'Decimal' || type === 'BigInt' || type === 'Bytes') giveUp(); // serialized differently by Prisma
    return column(spec.model, field, t);
  }

  computedObject(typeName: string, fields: ComputedObject, t: string, nodes: FieldNode[]): string {
    const pairs = this.start();
    for (const [key, { name, nodes: fieldNodes }] of collectFields(this.info, subSelections(nodes))) {
      const spec = name === NULL_UNLESS ? undefined : fields[name];
      if (name === '__typename') this.typename(pairs, key, typeName);
      else if (typeof spec === 'function') pairs.push(`${sqlKey(key)}, ${spec(t)}`);
      else if (spec) {
        const nested = getNamedType(this.fieldOf(this.objectType(typeName), name).type).name;
        pairs.push(`${sqlKey(key)}, ${this.computedObject(nested, spec, t, fieldNodes)}`);
      } else giveUp();
    }
    const condition = fields[NULL_UNLESS];
    const object = jsonObject(pairs);
    return typeof condition === 'function' ? `CASE WHEN ${condition(t)} THEN ${object} END` : object;
  }

  /**
   * A union built from the row: per member, the fields its fragments select. Marked objects also
   * carry `__typename`, which the union's resolveType reads (graphql-js writes the field itself).
   */
  union(unionType: GraphQLUnionType, spec: PlannedUnion, t: string, nodes: FieldNode[]): string {
    const cases: string[] = [];
    for (const member of unionType.getTypes()) {
      const { value, fields } = spec.members[member.name] ?? giveUp();
      const pairs = this.start();
      if (this.marked) pairs.push(`'__typename', '${member.name}'`);
      for (const [key, { name }] of collectFields(this.info, subSelections(nodes), member)) {
        if (key.startsWith('__') && name !== '__typename') giveUp(); // would shadow the marker
        if (name === '__typename') this.typename(pairs, key, member.name);
        else pairs.push(`${sqlKey(key)}, ${(fields[name] ?? giveUp())(t)}`);
      }
      if (!/^[A-Z][A-Z_]*$/.test(value)) giveUp();
      cases.push(`WHEN '${value}' THEN ${jsonObject(pairs)}`);
    }
    return `CASE ${spec.discriminator(t)} ${cases.join(' ')} END`;
  }

  relation(relation: Relation, p: string, nodes: FieldNode[]): string {
    const parentModel = NODE_TYPES[this.parentTypeOf(relation)]!.model;
    const c = this.alias('r');
    const on = [
      `${c}.alma_internal_organization = ${p}.alma_internal_organization`,
      ...relation.on.map(([childField, parentField]) => `${column(relation.model, childField, c)} = ${column(parentModel, parentField, p)}`),
      ...(relation.where ? [relation.where(c)] : []),
    ].join(' AND ');
    const object = this.node(relation.type, c, subSelections(nodes));
    const from = `FROM ${tableName(relation.model)} ${c} WHERE ${on}`;
    if (relation.cardinality === 'one') {
      const one = `(SELECT ${object} ${from} LIMIT 1)`;
      return relation.when ? `CASE WHEN ${relation.when(p)} THEN ${one} END` : one;
    }
    const order = (relation.orderBy ?? []).map(([field, direction]) => `${column(relation.model, field, c)} ${direction.toUpperCase()}`).join(', ');
    return `(SELECT coalesce(json_agg(${object}${order ? ` ORDER BY ${order}` : ''}), '[]'::json) ${from})`;
  }

  private parentTypeOf(relation: Relation): string {
    for (const [name, spec] of Object.entries(NODE_TYPES)) if (Object.values(spec.relations ?? {}).includes(relation)) return name;
    return giveUp();
  }

  /** `messages(first, after)`: a page in turn order, its cursors, pageInfo and totalCount. */
  messages(conversationType: GraphQLObjectType, p: string, nodes: FieldNode[]): string {
    const args = this.arguments(conversationType, 'messages', nodes[0]!);
    const limit = this.safely(() => pageSize(args.first as number | null | undefined));
    const cursor = this.safely(() => decodeCursor(args.after as string | null | undefined, 1));
    const afterSequence = cursor ? Number(cursor[0]) : -1;
    if (!Number.isInteger(afterSequence)) giveUp();
    const m = this.alias('m');
    const fetch = limit === 0 ? 0 : limit + 1;
    const page = `(SELECT ${m}.*, row_number() OVER (ORDER BY ${m}.turn_sequence_number) AS position FROM messages ${m}
       WHERE ${m}.alma_internal_organization = ${p}.alma_internal_organization AND ${m}.conversation_uuid = ${p}.uuid
         AND ${m}.turn_sequence_number > ${this.params.add(afterSequence, 'int')}
       ORDER BY ${m}.turn_sequence_number LIMIT ${this.params.add(fetch, 'int')})`;
    const cursorOf = (row: string) => base64url(`'[' || ${row}.turn_sequence_number || ']'`);
    const count = `(SELECT count(*)::int FROM messages ${m}c WHERE ${m}c.alma_internal_organization = ${p}.alma_internal_organization AND ${m}c.conversation_uuid = ${p}.uuid)`;
    return `(SELECT ${this.connection(nodes, 'Message', m, limit, cursorOf, cursor !== undefined, count)} FROM ${page} ${m} GROUP BY ())`;
  }

  /**
   * A connection's JSON over the rows of `r` (its page fetched with one extra row, numbered in
   * `position`): edges of the first `limit`, pageInfo, totalCount (`count`). The caller groups
   * by `()`, so there is exactly one answer, with or without rows and aggregates.
   */
  connection(nodes: FieldNode[], nodeType: string, r: string, limit: number, cursorOf: (row: string) => string, hasPrevious: boolean, count: string): string {
    const connectionType = getNamedType(this.fieldOfNodes(nodes).type) as GraphQLObjectType;
    // Every parameter must appear in the text (PostgreSQL can't type an unused one): added on first use.
    let limitPlaceholder: string | undefined;
    const limitParam = () => (limitPlaceholder ??= this.params.add(limit, 'int'));
    const inPage = () => `FILTER (WHERE ${r}.position <= ${limitParam()})`;
    const edgeType = getNamedType(this.fieldOf(connectionType, 'edges').type);
    const pairs = this.start();
    for (const [key, { name, nodes: fieldNodes }] of collectFields(this.info, subSelections(nodes))) {
      const k = sqlKey(key);
      if (name === '__typename') this.typename(pairs, key, connectionType.name);
      else if (name === 'totalCount') pairs.push(`${k}, ${count}`);
      else if (name === 'edges') {
        const edge = this.start();
        for (const [edgeKey, { name: edgeField, nodes: edgeNodes }] of collectFields(this.info, subSelections(fieldNodes))) {
          if (edgeField === '__typename') this.typename(edge, edgeKey, edgeType.name);
          else if (edgeField === 'cursor') edge.push(`${sqlKey(edgeKey)}, ${cursorOf(r)}`);
          else if (edgeField === 'node') edge.push(`${sqlKey(edgeKey)}, ${this.node(nodeType, r, subSelections(edgeNodes))}`);
          else giveUp();
        }
        pairs.push(`${k}, coalesce(json_agg(${jsonObject(edge)} ORDER BY ${r}.position) ${inPage()}, '[]'::json)`);
      } else if (name === 'pageInfo') {
        const info = this.start();
        for (const [pageKey, { name: pageField }] of collectFields(this.info, subSelections(fieldNodes))) {
          const pk = sqlKey(pageKey);
          if (pageField === '__typename') this.typename(info, pageKey, 'PageInfo');
          else if (pageField === 'hasNextPage') info.push(`${pk}, count(*) > ${limitParam()}`);
          else if (pageField === 'hasPreviousPage') info.push(`${pk}, ${hasPrevious ? 'true' : 'false'}`);
          else if (pageField === 'startCursor') info.push(`${pk}, (array_agg(${cursorOf(r)} ORDER BY ${r}.position) ${inPage()})[1]`);
          else if (pageField === 'endCursor') info.push(`${pk}, (array_agg(${cursorOf(r)} ORDER BY ${r}.position DESC) ${inPage()})[1]`);
          else giveUp();
        }
        pairs.push(`${k}, ${jsonObject(info)}`);
      } else giveUp();
    }
    return jsonObject(pairs);
  }

  private fieldOfNodes(nodes: FieldNode[]): GraphQLField<unknown, unknown> {
    // The connection field's definition: messages on Conversation, or the root field.
    const name = nodes[0]!.name.value;
    if (name === 'messages') return this.fieldOf(this.objectType('Conversation'), name);
    return this.info.parentType.getFields()[name] ?? giveUp();
  }

  /** Argument checks the resolvers make: when one would fail, the resolvers answer (with their error). */
  safely<T>(check: () => T): T {
    try {
      return check();
    } catch {
      return giveUp();
    }
  }
}

/** A response key as a SQL string literal (GraphQL names are [_A-Za-z][_0-9A-Za-z]*). */
function sqlKey(key: string): string {
  if (!/^[_A-Za-z][_0-9A-Za-z]*$/.test(key)) giveUp();
  return `'${key}'`;
}

/** json_build_object takes at most 100 arguments: larger objects are built in parts and joined. */
function jsonObject(pairs: string[]): string {
  if (pairs.length <= 50) return `json_build_object(${pairs.join(', ')})`;
  const parts: string[] = [];
  for (let at = 0; at < pairs.length; at += 50) parts.push(`jsonb_build_object(${pairs.slice(at, at + 50).join(', ')})`);
  return `(${parts.join(' || ')})::json`;
}

/** base64url without padding, as `encodeCursor` writes it (PostgreSQL's base64 wraps lines). */
function base64url(text: string): string {
  return `rtrim(translate(encode(convert_to(${text}, 'UTF8'), 'base64'), E'+/\\n', '-_'), '=')`;
}

/** What planning reads of graphql-js's resolve info (the fast path builds it without graphql-js). */
export type PlanningInfo = Pick<GraphQLResolveInfo, 'schema' | 'fragments' | 'variableValues' | 'fieldNodes' | 'parentType'>;

export interface PlannedStatement {
  /** Stable per text: the name it is prepared under. */
  name: string;
  text: string;
  params: unknown[];
}

const names = new Map<string, string>();
function statement(text: string, params: unknown[]): PlannedStatement {
  let name = names.get(text);
  if (!name) {
    name = `read_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`;
    if (names.size < 1000) names.set(text, name);
  }
  return { name, text, params };
}

function plan<T>(build: () => T): T | null {
  try {
    return build();
  } catch (error) {
    if (error instanceof NotPlannable) return null;
    throw error;
  }
}

/**
 * A root connection in keyset order over `(sort, id)` — the semantics of `keysetPage`: rows after
 * the cursor's `(sort value, id)`, `first + 1` fetched, the cursor written from the row (`cursorSort`
 * may differ from `sort`, as for conversations without a start time).
 */
interface RootConnection {
  table: string;
  nodeType: string;
  /** Conditions on the row aliased `c` (the organization is added); parameters through `params`. */
  where: (params: SqlParams) => string;
  sort: string;
  id: string;
  direction: 'ASC' | 'DESC';
  cursorSort?: (row: string) => string;
}

function planRootConnection(info: PlanningInfo, spec: RootConnection, args: { first?: number | null; after?: string | null }, marked: boolean): PlannedStatement | null {
  return plan(() => {
    const planner = new Planner(info, marked);
    const limit = planner.safely(() => pageSize(args.first));
    const cursor = planner.safely(() => decodeCursor(args.after, 2));
    const where = spec.where(planner.params);
    const count = `(SELECT count(*)::int FROM ${spec.table} c WHERE c.alma_internal_organization = $1 AND ${where})`;
    const sort = `c.${spec.sort}`;
    const id = `c.${spec.id}`;
    let after = '';
    if (cursor) {
      const value = new Date(String(cursor[0]));
      if (Number.isNaN(value.getTime())) giveUp();
      const operator = spec.direction === 'ASC' ? '>' : '<';
      const at = planner.params.add(value.toISOString(), 'timestamptz');
      const afterId = planner.params.add(String(cursor[1]), 'uuid');
      after = ` AND (${sort} ${operator} ${at} OR (${sort} = ${at} AND ${id} ${operator} ${afterId}))`;
    }
    const fetch = planner.params.add(limit === 0 ? 0 : limit + 1, 'int');
    const order = `${sort} ${spec.direction}, ${id} ${spec.direction}`;
    const page = `(SELECT c.*, row_number() OVER (ORDER BY ${order}) AS position FROM ${spec.table} c
      WHERE c.alma_internal_organization = $1 AND ${where}${after} ORDER BY ${order} LIMIT ${fetch})`;
    const cursorOf = (row: string) =>
      base64url(`'["' || ${isoTimestamp(spec.cursorSort ? spec.cursorSort(row) : `${row}.${spec.sort}`)} || '","' || ${row}.${spec.id} || '"]'`);
    const json = planner.connection(info.fieldNodes as FieldNode[], spec.nodeType, 'p', limit, cursorOf, cursor !== undefined, count);
    return statement(`SELECT ${json} AS result FROM ${page} p GROUP BY ()`, planner.params.values);
  });
}

/** `conversations(filter, orderBy, first, after)` as one statement, or null when not planned. */
export function planConversations(
  info: PlanningInfo,
  args: { filter?: ConversationFilter | null; orderBy: ConversationOrder; first?: number | null; after?: string | null },
  marked = true,
): PlannedStatement | null {
  const sort = args.orderBy.startsWith('STARTED_AT') ? 'started_at' : 'created_at';
  return planRootConnection(
    info,
    {
      table: 'conversations', nodeType: 'Conversation', sort, id: 'uuid', direction: args.orderBy.endsWith('_ASC') ? 'ASC' : 'DESC',
      where: (params) => conversationFilterSql(args.filter, params, 'c'),
      // The cursor is (sort value, id); a row without a start time writes its creation time.
      cursorSort: (row) => `coalesce(${row}.${sort}, ${row}.created_at)`,
    },
    args,
    marked,
  );
}

/** `agents(first, after)`: in creation order (as `createdAtPage`). */
export function planAgents(info: PlanningInfo, args: { first?: number | null; after?: string | null }, marked = true): PlannedStatement | null {
  return planRootConnection(info, { table: 'agents', nodeType: 'Agent', sort: 'created_at', id: 'uuid', direction: 'ASC', where: () => 'TRUE' }, args, marked);
}

/** `events(filter, first, after)`: current events in creation order, the filter as `eventWhere` reads it. */
export function planEvents(info: PlanningInfo, args: { filter?: EventFilter | null; first?: number | null; after?: string | null }, marked = true): PlannedStatement | null {
  const filter = args.filter;
  return planRootConnection(
    info,
    {
      table: 'events', nodeType: 'Event', sort: 'created_at', id: 'uuid', direction: 'ASC',
      where: (params) => {
        const and = ['c.superseded_at IS NULL'];
        if (filter?.eventTypes?.length) and.push(`c.event_type = ANY(${params.list(filter.eventTypes, 'event_type')})`);
        if (filter?.eventSubtype) and.push(`c.event_subtype = ${params.add(filter.eventSubtype, 'text')}`);
        if (filter?.conversationId) and.push(`c.conversation_uuid = ${params.add(filter.conversationId, 'uuid')}`);
        if (filter?.agentId) and.push(`c.agent_uuid = ${params.add(filter.agentId, 'uuid')}`);
        if (filter?.source) and.push(`c.source = ${params.add(filter.source, 'event_source')}`);
        if (filter?.createdAt?.from) and.push(`c.created_at >= ${params.add(filter.createdAt.from.toISOString(), 'timestamptz')}`);
        if (filter?.createdAt?.to) and.push(`c.created_at < ${params.add(filter.createdAt.to.toISOString(), 'timestamptz')}`);
        return and.join(' AND ');
      },
    },
    args,
    marked,
  );
}

/** `followUps(filter, first, after)`: follow-ups of current events, soonest first (as `followUpWhere` and its keyset). */
export function planFollowUps(info: PlanningInfo, args: { filter?: FollowUpFilter | null; first?: number | null; after?: string | null }, marked = true): PlannedStatement | null {
  const filter = args.filter;
  return planRootConnection(
    info,
    {
      table: 'follow_ups', nodeType: 'FollowUp', sort: 'follow_up_date', id: 'event_uuid', direction: 'ASC',
      where: (params) => {
        const and = ['EXISTS (SELECT 1 FROM events e WHERE e.alma_internal_organization = c.alma_internal_organization AND e.uuid = c.event_uuid AND e.superseded_at IS NULL)'];
        if (filter?.agentId) and.push(`c.agent_uuid = ${params.add(filter.agentId, 'uuid')}`);
        if (filter?.conversationId) and.push(`c.conversation_uuid = ${params.add(filter.conversationId, 'uuid')}`);
        if (filter?.minScore != null) and.push(`c.score >= ${params.add(filter.minScore, 'int')}`);
        if (filter?.due?.from) and.push(`c.follow_up_date >= ${params.add(filter.due.from.toISOString(), 'timestamptz')}`);
        if (filter?.due?.to) and.push(`c.follow_up_date < ${params.add(filter.due.to.toISOString(), 'timestamptz')}`);
        return and.join(' AND ');
      },
    },
    args,
    marked,
  );
}

/** `tickets(filter, first, after)`: ticket rows in creation order, the filter as `ticketWhere` reads it. */
export function planTickets(info: PlanningInfo, args: { filter?: TicketFilter | null; first?: number | null; after?: string | null }, marked = true): PlannedStatement | null {
  const filter = args.filter;
  return planRootConnection(
    info,
    {
      table: 'tickets', nodeType: 'Ticket', sort: 'created_at', id: 'uuid', direction: 'ASC',
      where: (params) => {
        const and = ['TRUE'];
        if (filter?.ticketSystem) and.push(`c.ticket_system = ${params.add(filter.ticketSystem, 'text')}`);
        if (filter?.ticketId) and.push(`c.ticket_id = ${params.add(filter.ticketId, 'text')}`);
        if (filter?.action) and.push(`c.ticket_action = ${params.add(filter.action, 'ticket_action')}`);
        return and.join(' AND ');
      },
    },
    args,
    marked,
  );
}

/** `agent(id)` as one statement (null: not here), or null when not planned. */
export function planAgent(info: PlanningInfo, id: string, marked = true): PlannedStatement | null {
  return plan(() => {
    const planner = new Planner(info, marked);
    const json = planner.node('Agent', 'c', info.fieldNodes.map((node) => node.selectionSet));
    const idParam = planner.params.add(id, 'uuid');
    return statement(`SELECT ${json} AS result FROM agents c WHERE c.alma_internal_organization = $1 AND c.uuid = ${idParam}`, planner.params.values);
  });
}

/** `conversation(id)` as one statement (null result: no such conversation here), or null when not planned. */
export function planConversation(info: PlanningInfo, id: string, marked = true): PlannedStatement | null {
  return plan(() => {
    const planner = new Planner(info, marked);
    const json = planner.node('Conversation', 'c', info.fieldNodes.map((node) => node.selectionSet));
    const idParam = planner.params.add(id, 'uuid');
    return statement(`SELECT ${json} AS result FROM conversations c WHERE c.alma_internal_organization = $1 AND c.uuid = ${idParam}`, planner.params.values);
  });
}
