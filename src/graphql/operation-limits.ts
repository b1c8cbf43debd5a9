import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { ValidationRule } from 'graphql';
import type { AppConfig } from '../config/config.js';

/**
 * graphql-armor's limits (depth, cost, aliases, directives) as validation rules, the same for
 * operations over HTTP and over WebSocket. Tokens are capped by the parser (`maxTokens`) instead.
 */
export function operationLimits(config: AppConfig['graphql']) {
  const armor = new ApolloArmor({
    maxDepth: { n: config.maxDepth },
    costLimit: { maxCost: config.maxCost },
    maxAliases: { n: config.maxAliases },
    maxDirectives: { n: 20 },
    // Enforced by the parser (Apollo's parseOptions, the WebSocket server's parse): armor's
    // max-tokens plugin re-parses in a plugin hook, where any syntax error escapes the pipeline and became an HTTP 500.
    maxTokens: { enabled: false },
    // Suggestions are removed from every message by formatGraphQLError (armor's covers fields only).
    blockFieldSuggestion: { enabled: false },
  }).protect();
  return { validationRules: armor.validationRules as ValidationRule[], plugins: armor.plugins };
}
