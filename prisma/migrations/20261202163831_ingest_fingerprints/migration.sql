-- Idempotent ingest (issue 11, item 3): what the last ingest of a conversation sent, as fingerprints
-- (src/ingest/ingest-fingerprint.ts), and the Oration deliveries (eventId) each organization has seen.
-- AlterTable
ALTER TABLE "conversations" ADD COLUMN     "ingest_fingerprint" JSONB;

-- CreateTable
CREATE TABLE "oration_deliveries" (
    "alma_internal_organization" UUID NOT NULL,
    "event_id" TEXT NOT NULL,
    "conversation_uuid" UUID NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "oration_deliveries_pkey" PRIMARY KEY ("alma_internal_organization","event_id")
);

-- CreateIndex
CREATE INDEX "oration_deliveries_alma_internal_organization_conversation__idx" ON "oration_deliveries"("alma_internal_organization", "conversation_uuid");

-- AddForeignKey
ALTER TABLE "oration_deliveries" ADD CONSTRAINT "oration_deliveries_alma_internal_organization_conversation_fkey" FOREIGN KEY ("alma_internal_organization", "conversation_uuid") REFERENCES "conversations"("alma_internal_organization", "uuid") ON DELETE CASCADE ON UPDATE CASCADE;
