-- CreateIndex
CREATE INDEX "agent_actions_alma_internal_organization_message_uuid_idx" ON "agent_actions"("alma_internal_organization", "message_uuid");
