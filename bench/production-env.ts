/**
 * Imported first by bench/run.ts: the server under test runs as in production, and some
 * libraries read NODE_ENV once, when they are first imported (graphql-js keeps its slower
 * development-mode `instanceOf` checks unless NODE_ENV is 'production' at that moment).
 */
process.env.NODE_ENV = 'production';
