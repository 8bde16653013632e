-- AlterTable
ALTER TABLE "Settings" ADD COLUMN "rescheduledAt" DATETIME;

