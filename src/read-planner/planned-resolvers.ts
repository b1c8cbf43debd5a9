import type { GraphQLFieldResolver, GraphQLObjectType, GraphQLSchema } from 'graphql';
import { NODE_TYPES } from './read-model.js';
import { PLANNED } from './read-planner.js';

/**
 * Lets the read planner's answers through the field resolvers: on an object the planner built
 * (it carries `__planned: true`), a relation's value is already there, under the field's name;
 * on any other object the resolver runs as before (DataLoaders).
 */
export function acceptPlannedValues(schema: GraphQLSchema): GraphQLSchema {
  for (const [typeName, spec] of Object.entries(NODE_TYPES)) {
    const type = schema.getType(typeName) as GraphQLObjectType | undefined;
    if (!type) continue;
    const fields = type.getFields();
    const planned = [...Object.keys(spec.relations ?? {}), ...Object.keys(spec.objects ?? {}), ...(typeName === 'Conversation' ? ['messages'] : [])];
    for (const name of planned) {
      const field = fields[name];
      const resolve = field?.resolve;
      if (!field || !resolve) continue;
      const wrapped: GraphQLFieldResolver<any, unknown> = (source, args, context, info) =>
        source !== null && typeof source === 'object' && source[PLANNED] === true ? source[info.fieldName] : resolve(source, args, context, info);
      field.resolve = wrapped;
    }
  }
  return schema;
}
