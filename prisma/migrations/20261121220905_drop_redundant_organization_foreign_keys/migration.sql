-- A conversation's children reach their organization through the conversation's composite key,
-- which already proves it exists; the organization-only keys cost a lock and a probe per row.
-- DropForeignKey
ALTER TABLE "agent_actions" DROP CONSTRAINT "agent_actions_alma_internal_organization_fkey";

-- DropForeignKey
ALTER TABLE "analytics" DROP CONSTRAINT "analytics_alma_internal_organization_fkey";

-- DropForeignKey
ALTER TABLE "conversation_agents" DROP CONSTRAINT "conversation_agents_alma_internal_organization_fkey";

-- DropForeignKey
ALTER TABLE "conversation_metrics" DROP CONSTRAINT "conversation_metrics_alma_internal_organization_fkey";

-- DropForeignKey
ALTER TABLE "conversation_participants" DROP CONSTRAINT "conversation_participants_alma_internal_organization_fkey";

-- DropForeignKey
ALTER TABLE "disposition_values" DROP CONSTRAINT "disposition_values_alma_internal_organization_fkey";

-- DropForeignKey
ALTER TABLE "events" DROP CONSTRAINT "events_alma_internal_organization_fkey";

-- DropForeignKey
ALTER TABLE "follow_ups" DROP CONSTRAINT "follow_ups_alma_internal_organization_fkey";

-- DropForeignKey
ALTER TABLE "messages" DROP CONSTRAINT "messages_alma_internal_organization_fkey";

-- DropForeignKey
ALTER TABLE "tickets" DROP CONSTRAINT "tickets_alma_internal_organization_fkey";

-- DropForeignKey
ALTER TABLE "transfers" DROP CONSTRAINT "transfers_alma_internal_organization_fkey";
