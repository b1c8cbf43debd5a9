-- Keeps the conversations text search (`ConversationFilter.text`, `content ILIKE '%…%'` with LIKE's
-- wildcards escaped) from scanning every message of the organization: a trigram GIN index finds the
-- candidate messages from the search's trigrams, and only those are rechecked. pg_trgm is a
-- trusted extension (PostgreSQL 13+): the database owner can create it without superuser; the
-- embedded database loads it in src/database/embedded-database.ts.
-- Builds in the migration's transaction (writes to messages wait meanwhile); on a large existing
-- table, create it beforehand with CREATE INDEX CONCURRENTLY under the same name.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- CreateIndex
CREATE INDEX IF NOT EXISTS "messages_content_trigram" ON "messages" USING GIN ("content" gin_trgm_ops);
