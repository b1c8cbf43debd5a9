-- AlterTable
ALTER TABLE "conversations" ADD COLUMN     "source_payload" JSONB,
ADD COLUMN     "transcript" TEXT;
