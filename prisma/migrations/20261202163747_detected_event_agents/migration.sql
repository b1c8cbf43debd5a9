-- DropIndex
DROP INDEX "tickets_alma_internal_organization_ticket_system_ticket_id_idx";

-- CreateIndex
CREATE INDEX "tickets_alma_internal_organization_ticket_id_ticket_system_idx" ON "tickets"("alma_internal_organization", "ticket_id", "ticket_system");

-- Backfill: detected events written before the analysis attributed them get the agent it now
-- writes (src/analysis/event-attribution.ts): the agent with the most turns in the evidence range
-- (the earliest of them on a tie), else the conversation's first agent usage, else the first of
-- conversations.agents. Their follow-ups take the event's agent.
UPDATE "events" e SET "agent_uuid" = coalesce(
  (SELECT m."sender_uuid" FROM "messages" m
   WHERE m."alma_internal_organization" = e."alma_internal_organization" AND m."conversation_uuid" = e."conversation_uuid"
     AND m."sender_uuid" IS NOT NULL
     AND (e."context_start_index" IS NOT NULL OR e."context_end_index" IS NOT NULL)
     AND m."turn_sequence_number" >= coalesce(e."context_start_index", -2147483648)
     AND m."turn_sequence_number" <= coalesce(e."context_end_index", 2147483647)
   GROUP BY m."sender_uuid" ORDER BY count(*) DESC, min(m."turn_sequence_number") LIMIT 1),
  (SELECT ca."agent_uuid" FROM "conversation_agents" ca
   WHERE ca."alma_internal_organization" = e."alma_internal_organization" AND ca."conversation_uuid" = e."conversation_uuid"
   ORDER BY ca."activation_timestamp", ca."uuid" LIMIT 1),
  (SELECT a."uuid" FROM "conversations" c JOIN "agents" a ON a."alma_internal_organization" = c."alma_internal_organization" AND a."uuid" = c."agents"[1]
   WHERE c."alma_internal_organization" = e."alma_internal_organization" AND c."uuid" = e."conversation_uuid"))
WHERE e."source" = 'DETECTED' AND e."agent_uuid" IS NULL;

UPDATE "follow_ups" f SET "agent_uuid" = e."agent_uuid"
FROM "events" e
WHERE e."alma_internal_organization" = f."alma_internal_organization" AND e."uuid" = f."event_uuid"
  AND e."source" = 'DETECTED' AND f."agent_uuid" IS NULL AND e."agent_uuid" IS NOT NULL;
