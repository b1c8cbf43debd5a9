import { defaultFieldResolver, getNamedType, isObjectType, isUnionType, type GraphQLFieldResolver, type GraphQLObjectType, type GraphQLSchema } from 'graphql';
import { NODE_TYPES, type ComputedObject } from './read-model.js';
import { PLANNED } from './read-planner.js';

/** The types whose objects the planner builds: its node types and the connections, edges and objects under them. */
function plannedTypes(schema: GraphQLSchema): GraphQLObjectType[] {
  const names = new Set(Object.keys(NODE_TYPES));
  // Computed objects, and the objects nested in them.
  const addObjects = (type: GraphQLObjectType, objects: ComputedObject) => {
    for (const field of Object.values(type.getFields())) {
      const named = getNamedType(field.type);
      const spec = objects[field.name];
      if (!isObjectType(named) || !spec || typeof spec === 'function') continue;
      names.add(named.name);
      addObjects(named, spec);
    }
  };
  for (const name of Object.keys(NODE_TYPES)) {
    const type = schema.getType(name);
    if (isObjectType(type) && NODE_TYPES[name]!.objects) addObjects(type, NODE_TYPES[name]!.objects!);
    // The members of planned unions (Event.details).
    for (const field of Object.keys(NODE_TYPES[name]!.unions ?? {})) {
      const union = isObjectType(type) ? getNamedType(type.getFields()[field]?.type) : undefined;
      if (union && isUnionType(union)) for (const member of union.getTypes()) names.add(member.name);
    }
  }
  for (const name of ['ConversationConnection', 'ConversationEdge', 'MessageConnection', 'MessageEdge', 'TicketConnection', 'TicketEdge', 'PageInfo']) names.add(name);
  return [...names].map((name) => schema.getType(name)).filter(isObjectType);
}

/**
 * Lets the read planner's answers through graphql-js: an object the planner built carries
 * `__planned: true` and holds every selected field under its response key (alias or name), so
 * each field of those types reads it from there; on any other object (a row, a DTO) the field's
 * own resolver runs as before (DataLoaders).
 */
export function acceptPlannedValues(schema: GraphQLSchema): GraphQLSchema {
  for (const type of plannedTypes(schema)) {
    for (const field of Object.values(type.getFields())) {
      const resolve = field.resolve ?? defaultFieldResolver;
      const wrapped: GraphQLFieldResolver<any, unknown> = (source, args, context, info) =>
        source !== null && typeof source === 'object' && source[PLANNED] === true ? source[info.path.key] : resolve(source, args, context, info);
      field.resolve = wrapped;
    }
  }
  return schema;
}
