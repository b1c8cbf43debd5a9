-- AlterTable
ALTER TABLE "conversations" ADD COLUMN     "time_zone" TEXT;

-- AlterTable
ALTER TABLE "organizations" ADD COLUMN     "time_zone" TEXT;
