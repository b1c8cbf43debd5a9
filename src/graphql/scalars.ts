import { DateTimeResolver, JSONResolver, UUIDResolver } from 'graphql-scalars';

export const DateTimeScalar = DateTimeResolver;
export const UUIDScalar = UUIDResolver;
export const JSONScalar = JSONResolver;
