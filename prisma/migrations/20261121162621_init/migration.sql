-- CreateEnum
CREATE TYPE "organization_status" AS ENUM ('ACTIVE', 'INACTIVE');

-- CreateEnum
CREATE TYPE "api_key_scope" AS ENUM ('READ', 'INGEST', 'MANAGE');

-- CreateEnum
CREATE TYPE "channel" AS ENUM ('VOICE', 'CHAT', 'WHATSAPP', 'EMAIL', 'SMS', 'VIDEO', 'OTHER');

-- CreateEnum
CREATE TYPE "direction" AS ENUM ('INBOUND', 'OUTBOUND');

-- CreateEnum
CREATE TYPE "conversation_status" AS ENUM ('ONGOING', 'COMPLETED', 'FAILED');

-- CreateEnum
CREATE TYPE "ended_by" AS ENUM ('USER', 'AGENT', 'SYSTEM');

-- CreateEnum
CREATE TYPE "outcome" AS ENUM ('RESOLVED', 'NOT_RESOLVED', 'ESCALATED', 'TRANSFERRED', 'ABANDONED', 'UNKNOWN');

-- CreateEnum
CREATE TYPE "sentiment_label" AS ENUM ('POSITIVE', 'NEUTRAL', 'NEGATIVE', 'MIXED');

-- CreateEnum
CREATE TYPE "analysis_status" AS ENUM ('NOT_REQUESTED', 'PENDING', 'RUNNING', 'COMPLETED', 'FAILED');

-- CreateEnum
CREATE TYPE "sender_role" AS ENUM ('USER', 'AGENT', 'SYSTEM');

-- CreateEnum
CREATE TYPE "message_type" AS ENUM ('TEXT', 'AUDIO', 'IMAGE', 'VIDEO', 'FILE', 'LOCATION', 'OTHER');

-- CreateEnum
CREATE TYPE "action_status" AS ENUM ('SUCCESS', 'FAIL', 'TIMEOUT', 'RETRY');

-- CreateEnum
CREATE TYPE "ticket_action" AS ENUM ('CREATED', 'UPDATED', 'RETRIEVED', 'LINKED');

-- CreateEnum
CREATE TYPE "analysis_type" AS ENUM ('SENTIMENT_ANALYSIS', 'TOPICS_DETECTED', 'SUMMARY', 'OUTCOME', 'DISPOSITION_METRICS', 'EVENT_DETECTION');

-- CreateEnum
CREATE TYPE "analysis_run_status" AS ENUM ('COMPLETED', 'FAILED');

-- CreateEnum
CREATE TYPE "event_type" AS ENUM ('SALES_STAGE_CHANGE', 'FOLLOWUP_DETECTION', 'OBJECTION_DETECTION', 'SALE_MADE', 'MEETING_SCHEDULED', 'MEETING_DONE', 'CUSTOMER_INFORMATION_DETECTION');

-- CreateEnum
CREATE TYPE "event_source" AS ENUM ('INGESTED', 'DETECTED');

-- CreateEnum
CREATE TYPE "disposition_metric_type" AS ENUM ('STRING', 'BOOLEAN', 'INTEGER', 'ENUM', 'DATETIME');

-- CreateEnum
CREATE TYPE "webhook_endpoint_status" AS ENUM ('ACTIVE', 'DISABLED');

-- CreateEnum
CREATE TYPE "webhook_delivery_status" AS ENUM ('PENDING', 'SUCCEEDED', 'FAILED');

-- CreateTable
CREATE TABLE "organizations" (
    "uuid" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "active" "organization_status" NOT NULL DEFAULT 'ACTIVE',
    "meta_data" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "organizations_pkey" PRIMARY KEY ("uuid")
);

-- CreateTable
CREATE TABLE "authorization" (
    "uuid" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organization_uuid" UUID NOT NULL,
    "apiKeyName" TEXT NOT NULL,
    "key_prefix" TEXT NOT NULL,
    "key_hash" TEXT NOT NULL,
    "scopes" "api_key_scope"[],
    "expires_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),
    "last_used" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "authorization_pkey" PRIMARY KEY ("uuid")
);

-- CreateTable
CREATE TABLE "agents" (
    "alma_internal_organization" UUID NOT NULL,
    "uuid" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT,
    "email" TEXT,
    "phone_number" TEXT,
    "other_info" JSONB,
    "internal" BOOLEAN NOT NULL DEFAULT true,
    "origin" TEXT NOT NULL,
    "external_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "agents_pkey" PRIMARY KEY ("alma_internal_organization","uuid")
);

-- CreateTable
CREATE TABLE "contacts" (
    "alma_internal_organization" UUID NOT NULL,
    "uuid" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT,
    "email" TEXT,
    "phone_number" TEXT,
    "external_id" TEXT,
    "identifier" TEXT,
    "priority" INTEGER,
    "do_not_disturb" BOOLEAN NOT NULL DEFAULT false,
    "source" JSONB,
    "source_file" TEXT,
    "meta_data" JSONB,
    "origin" TEXT NOT NULL,
    "external_created_at" TIMESTAMPTZ(3),
    "external_updated_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "contacts_pkey" PRIMARY KEY ("alma_internal_organization","uuid")
);

-- CreateTable
CREATE TABLE "conversations" (
    "alma_internal_organization" UUID NOT NULL,
    "uuid" UUID NOT NULL DEFAULT gen_random_uuid(),
    "external_id" TEXT,
    "agents" UUID[] DEFAULT ARRAY[]::UUID[],
    "external_participants" UUID[] DEFAULT ARRAY[]::UUID[],
    "channel" "channel" NOT NULL,
    "direction" "direction",
    "conversation_type" TEXT,
    "from_phone_number" TEXT,
    "to_phone_number" TEXT,
    "phone_id" TEXT,
    "external_workspace_id" TEXT,
    "started_at" TIMESTAMPTZ(3),
    "ended_at" TIMESTAMPTZ(3),
    "duration_seconds" DOUBLE PRECISION,
    "status" "conversation_status" NOT NULL DEFAULT 'ONGOING',
    "telephony_status" TEXT,
    "ended_by" "ended_by",
    "end_reason" TEXT,
    "outcome" "outcome",
    "outcome_reason" TEXT,
    "summary" TEXT,
    "sentiment_score" DOUBLE PRECISION,
    "sentiment_label" "sentiment_label",
    "topics" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "user_satisfaction_score" DOUBLE PRECISION,
    "call_quality_score" DOUBLE PRECISION,
    "audio_quality_metrics" JSONB,
    "post_call_metadata" JSONB,
    "recording_url" TEXT,
    "recording_status" TEXT,
    "campaign_id" TEXT,
    "campaign_run_id" TEXT,
    "dynamic_variables" JSONB,
    "analysis_status" "analysis_status" NOT NULL DEFAULT 'NOT_REQUESTED',
    "analysis_error" TEXT,
    "analysis_attempts" INTEGER NOT NULL DEFAULT 0,
    "analyzed_at" TIMESTAMPTZ(3),
    "meta_data" JSONB,
    "origin" TEXT NOT NULL,
    "external_created_at" TIMESTAMPTZ(3),
    "external_updated_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "conversations_pkey" PRIMARY KEY ("alma_internal_organization","uuid")
);

-- CreateTable
CREATE TABLE "conversation_agents" (
    "alma_internal_organization" UUID NOT NULL,
    "uuid" UUID NOT NULL DEFAULT gen_random_uuid(),
    "conversation_uuid" UUID NOT NULL,
    "agent_uuid" UUID NOT NULL,
    "external_id" TEXT,
    "activation_timestamp" TIMESTAMPTZ(3),
    "deactivation_timestamp" TIMESTAMPTZ(3),
    "usage_duration_seconds" DOUBLE PRECISION,
    "handoff_reason" TEXT,
    "success_rate" DOUBLE PRECISION,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "conversation_agents_pkey" PRIMARY KEY ("alma_internal_organization","uuid")
);

-- CreateTable
CREATE TABLE "conversation_participants" (
    "alma_internal_organization" UUID NOT NULL,
    "uuid" UUID NOT NULL DEFAULT gen_random_uuid(),
    "conversation_uuid" UUID NOT NULL,
    "contact_uuid" UUID,
    "external_id" TEXT,
    "joined_at" TIMESTAMPTZ(3),
    "left_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "conversation_participants_pkey" PRIMARY KEY ("alma_internal_organization","uuid")
);

-- CreateTable
CREATE TABLE "transfers" (
    "alma_internal_organization" UUID NOT NULL,
    "uuid" UUID NOT NULL DEFAULT gen_random_uuid(),
    "conversation_uuid" UUID NOT NULL,
    "agent_uuid" UUID,
    "external_id" TEXT,
    "transfer_start_time" TIMESTAMPTZ(3),
    "transfer_end_time" TIMESTAMPTZ(3),
    "transfer_user_join_time" TIMESTAMPTZ(3),
    "transfer_user_leave_time" TIMESTAMPTZ(3),
    "transfer_destination" TEXT,
    "transfer_status" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "transfers_pkey" PRIMARY KEY ("alma_internal_organization","uuid")
);

-- CreateTable
CREATE TABLE "messages" (
    "alma_internal_organization" UUID NOT NULL,
    "uuid" UUID NOT NULL DEFAULT gen_random_uuid(),
    "conversation_uuid" UUID NOT NULL,
    "sender_uuid" UUID,
    "sender_contact_uuid" UUID,
    "sender_role" "sender_role" NOT NULL,
    "turn_sequence_number" INTEGER NOT NULL,
    "content" TEXT NOT NULL,
    "type" "message_type" NOT NULL DEFAULT 'TEXT',
    "link" TEXT,
    "channel" "channel" NOT NULL,
    "subchannel" TEXT,
    "sent_at" TIMESTAMPTZ(3),
    "sentiment_score" DOUBLE PRECISION,
    "speech_to_text_confidence" DOUBLE PRECISION,
    "meta_data" JSONB,
    "origin" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "messages_pkey" PRIMARY KEY ("alma_internal_organization","uuid")
);

-- CreateTable
CREATE TABLE "agent_actions" (
    "alma_internal_organization" UUID NOT NULL,
    "uuid" UUID NOT NULL DEFAULT gen_random_uuid(),
    "conversation_uuid" UUID NOT NULL,
    "message_uuid" UUID,
    "agent_uuid" UUID,
    "external_id" TEXT,
    "function_name" TEXT NOT NULL,
    "action_status" "action_status" NOT NULL,
    "input_parameters" JSONB,
    "output_response" JSONB,
    "execution_time_ms" INTEGER,
    "error_message" TEXT,
    "retry_count" INTEGER NOT NULL DEFAULT 0,
    "timestamp" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "agent_actions_pkey" PRIMARY KEY ("alma_internal_organization","uuid")
);

-- CreateTable
CREATE TABLE "tickets" (
    "alma_internal_organization" UUID NOT NULL,
    "uuid" UUID NOT NULL DEFAULT gen_random_uuid(),
    "conversation_uuid" UUID NOT NULL,
    "ticket_system" TEXT NOT NULL DEFAULT 'SERVICENOW',
    "ticket_id" TEXT NOT NULL,
    "ticket_action" "ticket_action" NOT NULL,
    "ticket_status" TEXT,
    "creation_reason" TEXT,
    "timestamp" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "tickets_pkey" PRIMARY KEY ("alma_internal_organization","uuid")
);

-- CreateTable
CREATE TABLE "analytics" (
    "alma_internal_organization" UUID NOT NULL,
    "uuid" UUID NOT NULL DEFAULT gen_random_uuid(),
    "conversation_uuid" UUID NOT NULL,
    "run_uuid" UUID,
    "context_start_index" INTEGER,
    "context_end_index" INTEGER,
    "analysis_type" "analysis_type" NOT NULL,
    "result" JSONB NOT NULL,
    "origin" TEXT NOT NULL,
    "provider" TEXT,
    "model" TEXT,
    "analysis_config_uuid" UUID,
    "config_version" INTEGER,
    "prompt_tokens" INTEGER,
    "completion_tokens" INTEGER,
    "total_tokens" INTEGER,
    "cost_usd" DECIMAL(12,6),
    "status" "analysis_run_status" NOT NULL DEFAULT 'COMPLETED',
    "error" TEXT,
    "superseded_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "analytics_pkey" PRIMARY KEY ("alma_internal_organization","uuid")
);

-- CreateTable
CREATE TABLE "events" (
    "alma_internal_organization" UUID NOT NULL,
    "uuid" UUID NOT NULL DEFAULT gen_random_uuid(),
    "conversation_uuid" UUID NOT NULL,
    "agent_uuid" UUID,
    "analytics_uuid" UUID,
    "external_id" TEXT,
    "event_type" "event_type" NOT NULL,
    "event_subtype" TEXT,
    "json" JSONB,
    "scheduled_to" TIMESTAMPTZ(3),
    "source" "event_source" NOT NULL DEFAULT 'INGESTED',
    "confidence" DOUBLE PRECISION,
    "context_start_index" INTEGER,
    "context_end_index" INTEGER,
    "superseded_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "events_pkey" PRIMARY KEY ("alma_internal_organization","uuid")
);

-- CreateTable
CREATE TABLE "follow_ups" (
    "alma_internal_organization" UUID NOT NULL,
    "event_uuid" UUID NOT NULL,
    "conversation_uuid" UUID NOT NULL,
    "agent_uuid" UUID,
    "score" INTEGER NOT NULL,
    "follow_up_date" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "follow_ups_pkey" PRIMARY KEY ("alma_internal_organization","event_uuid")
);

-- CreateTable
CREATE TABLE "analysis_configs" (
    "alma_internal_organization" UUID NOT NULL,
    "uuid" UUID NOT NULL DEFAULT gen_random_uuid(),
    "agent_uuid" UUID,
    "version" INTEGER NOT NULL,
    "summary_prompt" TEXT,
    "disposition_metrics" JSONB NOT NULL DEFAULT '[]',
    "enabled_analyses" "analysis_type"[],
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "analysis_configs_pkey" PRIMARY KEY ("alma_internal_organization","uuid")
);

-- CreateTable
CREATE TABLE "disposition_values" (
    "alma_internal_organization" UUID NOT NULL,
    "uuid" UUID NOT NULL DEFAULT gen_random_uuid(),
    "conversation_uuid" UUID NOT NULL,
    "analytics_uuid" UUID NOT NULL,
    "identifier" TEXT NOT NULL,
    "metric_type" "disposition_metric_type" NOT NULL,
    "value_text" TEXT,
    "value_number" DOUBLE PRECISION,
    "value_boolean" BOOLEAN,
    "value_time" TIMESTAMPTZ(3),
    "confidence" DOUBLE PRECISION,
    "reasoning" TEXT,
    "context_start_index" INTEGER,
    "context_end_index" INTEGER,
    "config_version" INTEGER,
    "superseded_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "disposition_values_pkey" PRIMARY KEY ("alma_internal_organization","uuid")
);

-- CreateTable
CREATE TABLE "conversation_metrics" (
    "alma_internal_organization" UUID NOT NULL,
    "conversation_uuid" UUID NOT NULL,
    "total_user_turns" INTEGER NOT NULL,
    "total_agent_turns" INTEGER NOT NULL,
    "avg_response_time_ms" DOUBLE PRECISION,
    "total_functions_called" INTEGER NOT NULL,
    "unique_agents_used" INTEGER NOT NULL,
    "tickets_created_count" INTEGER NOT NULL,
    "overall_success_score" DOUBLE PRECISION,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "conversation_metrics_pkey" PRIMARY KEY ("alma_internal_organization","conversation_uuid")
);

-- CreateTable
CREATE TABLE "webhook_endpoints" (
    "alma_internal_organization" UUID NOT NULL,
    "uuid" UUID NOT NULL DEFAULT gen_random_uuid(),
    "url" TEXT NOT NULL,
    "description" TEXT,
    "event_types" TEXT[],
    "secret" TEXT NOT NULL,
    "status" "webhook_endpoint_status" NOT NULL DEFAULT 'ACTIVE',
    "disabled_reason" TEXT,
    "consecutive_failures" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deleted_at" TIMESTAMPTZ(3),

    CONSTRAINT "webhook_endpoints_pkey" PRIMARY KEY ("alma_internal_organization","uuid")
);

-- CreateTable
CREATE TABLE "webhook_deliveries" (
    "alma_internal_organization" UUID NOT NULL,
    "uuid" UUID NOT NULL DEFAULT gen_random_uuid(),
    "endpoint_uuid" UUID NOT NULL,
    "event_type" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "status" "webhook_delivery_status" NOT NULL DEFAULT 'PENDING',
    "attempt_count" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) DEFAULT CURRENT_TIMESTAMP,
    "locked_until" TIMESTAMPTZ(3),
    "delivered_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "webhook_deliveries_pkey" PRIMARY KEY ("alma_internal_organization","uuid")
);

-- CreateTable
CREATE TABLE "webhook_delivery_attempts" (
    "alma_internal_organization" UUID NOT NULL,
    "uuid" UUID NOT NULL DEFAULT gen_random_uuid(),
    "delivery_uuid" UUID NOT NULL,
    "attempt_number" INTEGER NOT NULL,
    "status_code" INTEGER,
    "duration_ms" INTEGER NOT NULL,
    "error" TEXT,
    "response_body" TEXT,
    "attempted_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "webhook_delivery_attempts_pkey" PRIMARY KEY ("alma_internal_organization","uuid")
);

-- CreateIndex
CREATE UNIQUE INDEX "authorization_key_hash_key" ON "authorization"("key_hash");

-- CreateIndex
CREATE INDEX "authorization_organization_uuid_created_at_idx" ON "authorization"("organization_uuid", "created_at");

-- CreateIndex
CREATE INDEX "agents_alma_internal_organization_name_idx" ON "agents"("alma_internal_organization", "name");

-- CreateIndex
CREATE UNIQUE INDEX "agents_alma_internal_organization_origin_external_id_key" ON "agents"("alma_internal_organization", "origin", "external_id");

-- CreateIndex
CREATE INDEX "contacts_alma_internal_organization_phone_number_idx" ON "contacts"("alma_internal_organization", "phone_number");

-- CreateIndex
CREATE UNIQUE INDEX "contacts_alma_internal_organization_origin_external_id_key" ON "contacts"("alma_internal_organization", "origin", "external_id");

-- CreateIndex
CREATE INDEX "conversations_alma_internal_organization_started_at_uuid_idx" ON "conversations"("alma_internal_organization", "started_at" DESC, "uuid");

-- CreateIndex
CREATE INDEX "conversations_alma_internal_organization_created_at_uuid_idx" ON "conversations"("alma_internal_organization", "created_at" DESC, "uuid");

-- CreateIndex
CREATE INDEX "conversations_alma_internal_organization_status_idx" ON "conversations"("alma_internal_organization", "status");

-- CreateIndex
CREATE UNIQUE INDEX "conversations_alma_internal_organization_external_id_key" ON "conversations"("alma_internal_organization", "external_id");

-- CreateIndex
CREATE INDEX "conversation_agents_alma_internal_organization_conversation_idx" ON "conversation_agents"("alma_internal_organization", "conversation_uuid");

-- CreateIndex
CREATE INDEX "conversation_agents_alma_internal_organization_agent_uuid_c_idx" ON "conversation_agents"("alma_internal_organization", "agent_uuid", "conversation_uuid");

-- CreateIndex
CREATE INDEX "conversation_participants_alma_internal_organization_conver_idx" ON "conversation_participants"("alma_internal_organization", "conversation_uuid");

-- CreateIndex
CREATE INDEX "conversation_participants_alma_internal_organization_contac_idx" ON "conversation_participants"("alma_internal_organization", "contact_uuid");

-- CreateIndex
CREATE INDEX "transfers_alma_internal_organization_conversation_uuid_idx" ON "transfers"("alma_internal_organization", "conversation_uuid");

-- CreateIndex
CREATE UNIQUE INDEX "messages_alma_internal_organization_conversation_uuid_turn__key" ON "messages"("alma_internal_organization", "conversation_uuid", "turn_sequence_number");

-- CreateIndex
CREATE INDEX "agent_actions_alma_internal_organization_conversation_uuid_idx" ON "agent_actions"("alma_internal_organization", "conversation_uuid");

-- CreateIndex
CREATE INDEX "agent_actions_alma_internal_organization_agent_uuid_functio_idx" ON "agent_actions"("alma_internal_organization", "agent_uuid", "function_name");

-- CreateIndex
CREATE INDEX "tickets_alma_internal_organization_conversation_uuid_idx" ON "tickets"("alma_internal_organization", "conversation_uuid");

-- CreateIndex
CREATE INDEX "tickets_alma_internal_organization_ticket_system_ticket_id_idx" ON "tickets"("alma_internal_organization", "ticket_system", "ticket_id");

-- CreateIndex
CREATE INDEX "analytics_alma_internal_organization_conversation_uuid_anal_idx" ON "analytics"("alma_internal_organization", "conversation_uuid", "analysis_type", "created_at" DESC);

-- CreateIndex
CREATE INDEX "analytics_alma_internal_organization_analysis_type_created__idx" ON "analytics"("alma_internal_organization", "analysis_type", "created_at");

-- CreateIndex
CREATE INDEX "events_alma_internal_organization_event_type_created_at_idx" ON "events"("alma_internal_organization", "event_type", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "events_alma_internal_organization_conversation_uuid_externa_key" ON "events"("alma_internal_organization", "conversation_uuid", "external_id");

-- CreateIndex
CREATE INDEX "follow_ups_alma_internal_organization_follow_up_date_idx" ON "follow_ups"("alma_internal_organization", "follow_up_date");

-- CreateIndex
CREATE INDEX "follow_ups_alma_internal_organization_conversation_uuid_idx" ON "follow_ups"("alma_internal_organization", "conversation_uuid");

-- CreateIndex
CREATE INDEX "analysis_configs_alma_internal_organization_agent_uuid_vers_idx" ON "analysis_configs"("alma_internal_organization", "agent_uuid", "version" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "analysis_configs_alma_internal_organization_version_key" ON "analysis_configs"("alma_internal_organization", "version");

-- CreateIndex
CREATE INDEX "disposition_values_alma_internal_organization_conversation__idx" ON "disposition_values"("alma_internal_organization", "conversation_uuid");

-- CreateIndex
CREATE INDEX "disposition_values_alma_internal_organization_identifier_va_idx" ON "disposition_values"("alma_internal_organization", "identifier", "value_text");

-- CreateIndex
CREATE INDEX "webhook_deliveries_alma_internal_organization_endpoint_uuid_idx" ON "webhook_deliveries"("alma_internal_organization", "endpoint_uuid", "created_at" DESC);

-- CreateIndex
CREATE INDEX "webhook_deliveries_status_next_attempt_at_idx" ON "webhook_deliveries"("status", "next_attempt_at");

-- CreateIndex
CREATE UNIQUE INDEX "webhook_delivery_attempts_alma_internal_organization_delive_key" ON "webhook_delivery_attempts"("alma_internal_organization", "delivery_uuid", "attempt_number");

-- AddForeignKey
ALTER TABLE "authorization" ADD CONSTRAINT "authorization_organization_uuid_fkey" FOREIGN KEY ("organization_uuid") REFERENCES "organizations"("uuid") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "agents" ADD CONSTRAINT "agents_alma_internal_organization_fkey" FOREIGN KEY ("alma_internal_organization") REFERENCES "organizations"("uuid") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "contacts" ADD CONSTRAINT "contacts_alma_internal_organization_fkey" FOREIGN KEY ("alma_internal_organization") REFERENCES "organizations"("uuid") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_alma_internal_organization_fkey" FOREIGN KEY ("alma_internal_organization") REFERENCES "organizations"("uuid") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "conversation_agents" ADD CONSTRAINT "conversation_agents_alma_internal_organization_fkey" FOREIGN KEY ("alma_internal_organization") REFERENCES "organizations"("uuid") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "conversation_agents" ADD CONSTRAINT "conversation_agents_alma_internal_organization_conversatio_fkey" FOREIGN KEY ("alma_internal_organization", "conversation_uuid") REFERENCES "conversations"("alma_internal_organization", "uuid") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "conversation_agents" ADD CONSTRAINT "conversation_agents_alma_internal_organization_agent_uuid_fkey" FOREIGN KEY ("alma_internal_organization", "agent_uuid") REFERENCES "agents"("alma_internal_organization", "uuid") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "conversation_participants" ADD CONSTRAINT "conversation_participants_alma_internal_organization_fkey" FOREIGN KEY ("alma_internal_organization") REFERENCES "organizations"("uuid") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "conversation_participants" ADD CONSTRAINT "conversation_participants_alma_internal_organization_conve_fkey" FOREIGN KEY ("alma_internal_organization", "conversation_uuid") REFERENCES "conversations"("alma_internal_organization", "uuid") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "conversation_participants" ADD CONSTRAINT "conversation_participants_alma_internal_organization_conta_fkey" FOREIGN KEY ("alma_internal_organization", "contact_uuid") REFERENCES "contacts"("alma_internal_organization", "uuid") ON DELETE RESTRICT ON UPDATE RESTRICT;

-- AddForeignKey
ALTER TABLE "transfers" ADD CONSTRAINT "transfers_alma_internal_organization_fkey" FOREIGN KEY ("alma_internal_organization") REFERENCES "organizations"("uuid") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "transfers" ADD CONSTRAINT "transfers_alma_internal_organization_conversation_uuid_fkey" FOREIGN KEY ("alma_internal_organization", "conversation_uuid") REFERENCES "conversations"("alma_internal_organization", "uuid") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "transfers" ADD CONSTRAINT "transfers_alma_internal_organization_agent_uuid_fkey" FOREIGN KEY ("alma_internal_organization", "agent_uuid") REFERENCES "agents"("alma_internal_organization", "uuid") ON DELETE RESTRICT ON UPDATE RESTRICT;

-- AddForeignKey
ALTER TABLE "messages" ADD CONSTRAINT "messages_alma_internal_organization_fkey" FOREIGN KEY ("alma_internal_organization") REFERENCES "organizations"("uuid") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "messages" ADD CONSTRAINT "messages_alma_internal_organization_conversation_uuid_fkey" FOREIGN KEY ("alma_internal_organization", "conversation_uuid") REFERENCES "conversations"("alma_internal_organization", "uuid") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "messages" ADD CONSTRAINT "messages_alma_internal_organization_sender_uuid_fkey" FOREIGN KEY ("alma_internal_organization", "sender_uuid") REFERENCES "agents"("alma_internal_organization", "uuid") ON DELETE RESTRICT ON UPDATE RESTRICT;

-- AddForeignKey
ALTER TABLE "messages" ADD CONSTRAINT "messages_alma_internal_organization_sender_contact_uuid_fkey" FOREIGN KEY ("alma_internal_organization", "sender_contact_uuid") REFERENCES "contacts"("alma_internal_organization", "uuid") ON DELETE RESTRICT ON UPDATE RESTRICT;

-- AddForeignKey
ALTER TABLE "agent_actions" ADD CONSTRAINT "agent_actions_alma_internal_organization_fkey" FOREIGN KEY ("alma_internal_organization") REFERENCES "organizations"("uuid") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "agent_actions" ADD CONSTRAINT "agent_actions_alma_internal_organization_conversation_uuid_fkey" FOREIGN KEY ("alma_internal_organization", "conversation_uuid") REFERENCES "conversations"("alma_internal_organization", "uuid") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "agent_actions" ADD CONSTRAINT "agent_actions_alma_internal_organization_message_uuid_fkey" FOREIGN KEY ("alma_internal_organization", "message_uuid") REFERENCES "messages"("alma_internal_organization", "uuid") ON DELETE RESTRICT ON UPDATE RESTRICT;

-- AddForeignKey
ALTER TABLE "agent_actions" ADD CONSTRAINT "agent_actions_alma_internal_organization_agent_uuid_fkey" FOREIGN KEY ("alma_internal_organization", "agent_uuid") REFERENCES "agents"("alma_internal_organization", "uuid") ON DELETE RESTRICT ON UPDATE RESTRICT;

-- AddForeignKey
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_alma_internal_organization_fkey" FOREIGN KEY ("alma_internal_organization") REFERENCES "organizations"("uuid") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_alma_internal_organization_conversation_uuid_fkey" FOREIGN KEY ("alma_internal_organization", "conversation_uuid") REFERENCES "conversations"("alma_internal_organization", "uuid") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "analytics" ADD CONSTRAINT "analytics_alma_internal_organization_fkey" FOREIGN KEY ("alma_internal_organization") REFERENCES "organizations"("uuid") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "analytics" ADD CONSTRAINT "analytics_alma_internal_organization_conversation_uuid_fkey" FOREIGN KEY ("alma_internal_organization", "conversation_uuid") REFERENCES "conversations"("alma_internal_organization", "uuid") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "analytics" ADD CONSTRAINT "analytics_alma_internal_organization_analysis_config_uuid_fkey" FOREIGN KEY ("alma_internal_organization", "analysis_config_uuid") REFERENCES "analysis_configs"("alma_internal_organization", "uuid") ON DELETE RESTRICT ON UPDATE RESTRICT;

-- AddForeignKey
ALTER TABLE "events" ADD CONSTRAINT "events_alma_internal_organization_fkey" FOREIGN KEY ("alma_internal_organization") REFERENCES "organizations"("uuid") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "events" ADD CONSTRAINT "events_alma_internal_organization_conversation_uuid_fkey" FOREIGN KEY ("alma_internal_organization", "conversation_uuid") REFERENCES "conversations"("alma_internal_organization", "uuid") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "events" ADD CONSTRAINT "events_alma_internal_organization_agent_uuid_fkey" FOREIGN KEY ("alma_internal_organization", "agent_uuid") REFERENCES "agents"("alma_internal_organization", "uuid") ON DELETE RESTRICT ON UPDATE RESTRICT;

-- AddForeignKey
ALTER TABLE "events" ADD CONSTRAINT "events_alma_internal_organization_analytics_uuid_fkey" FOREIGN KEY ("alma_internal_organization", "analytics_uuid") REFERENCES "analytics"("alma_internal_organization", "uuid") ON DELETE RESTRICT ON UPDATE RESTRICT;

-- AddForeignKey
ALTER TABLE "follow_ups" ADD CONSTRAINT "follow_ups_alma_internal_organization_fkey" FOREIGN KEY ("alma_internal_organization") REFERENCES "organizations"("uuid") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "follow_ups" ADD CONSTRAINT "follow_ups_alma_internal_organization_event_uuid_fkey" FOREIGN KEY ("alma_internal_organization", "event_uuid") REFERENCES "events"("alma_internal_organization", "uuid") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "follow_ups" ADD CONSTRAINT "follow_ups_alma_internal_organization_conversation_uuid_fkey" FOREIGN KEY ("alma_internal_organization", "conversation_uuid") REFERENCES "conversations"("alma_internal_organization", "uuid") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "follow_ups" ADD CONSTRAINT "follow_ups_alma_internal_organization_agent_uuid_fkey" FOREIGN KEY ("alma_internal_organization", "agent_uuid") REFERENCES "agents"("alma_internal_organization", "uuid") ON DELETE RESTRICT ON UPDATE RESTRICT;

-- AddForeignKey
ALTER TABLE "analysis_configs" ADD CONSTRAINT "analysis_configs_alma_internal_organization_fkey" FOREIGN KEY ("alma_internal_organization") REFERENCES "organizations"("uuid") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "analysis_configs" ADD CONSTRAINT "analysis_configs_alma_internal_organization_agent_uuid_fkey" FOREIGN KEY ("alma_internal_organization", "agent_uuid") REFERENCES "agents"("alma_internal_organization", "uuid") ON DELETE RESTRICT ON UPDATE RESTRICT;

-- AddForeignKey
ALTER TABLE "disposition_values" ADD CONSTRAINT "disposition_values_alma_internal_organization_fkey" FOREIGN KEY ("alma_internal_organization") REFERENCES "organizations"("uuid") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "disposition_values" ADD CONSTRAINT "disposition_values_alma_internal_organization_conversation_fkey" FOREIGN KEY ("alma_internal_organization", "conversation_uuid") REFERENCES "conversations"("alma_internal_organization", "uuid") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "disposition_values" ADD CONSTRAINT "disposition_values_alma_internal_organization_analytics_uu_fkey" FOREIGN KEY ("alma_internal_organization", "analytics_uuid") REFERENCES "analytics"("alma_internal_organization", "uuid") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "conversation_metrics" ADD CONSTRAINT "conversation_metrics_alma_internal_organization_fkey" FOREIGN KEY ("alma_internal_organization") REFERENCES "organizations"("uuid") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "conversation_metrics" ADD CONSTRAINT "conversation_metrics_alma_internal_organization_conversati_fkey" FOREIGN KEY ("alma_internal_organization", "conversation_uuid") REFERENCES "conversations"("alma_internal_organization", "uuid") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "webhook_endpoints" ADD CONSTRAINT "webhook_endpoints_alma_internal_organization_fkey" FOREIGN KEY ("alma_internal_organization") REFERENCES "organizations"("uuid") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_alma_internal_organization_fkey" FOREIGN KEY ("alma_internal_organization") REFERENCES "organizations"("uuid") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_alma_internal_organization_endpoint_uui_fkey" FOREIGN KEY ("alma_internal_organization", "endpoint_uuid") REFERENCES "webhook_endpoints"("alma_internal_organization", "uuid") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "webhook_delivery_attempts" ADD CONSTRAINT "webhook_delivery_attempts_alma_internal_organization_fkey" FOREIGN KEY ("alma_internal_organization") REFERENCES "organizations"("uuid") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "webhook_delivery_attempts" ADD CONSTRAINT "webhook_delivery_attempts_alma_internal_organization_deliv_fkey" FOREIGN KEY ("alma_internal_organization", "delivery_uuid") REFERENCES "webhook_deliveries"("alma_internal_organization", "uuid") ON DELETE CASCADE ON UPDATE CASCADE;
