-- DropIndex
DROP INDEX "conversations_alma_internal_organization_started_at_uuid_idx";

-- CreateIndex
CREATE INDEX "conversations_org_started_at_analytics_idx" ON "conversations"("alma_internal_organization", "started_at" DESC, "uuid", "status", "outcome", "ended_by", "duration_seconds", "sentiment_score", "sentiment_label");
