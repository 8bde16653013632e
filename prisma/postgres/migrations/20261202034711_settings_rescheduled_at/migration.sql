-- AlterTable
ALTER TABLE "Settings" ADD COLUMN     "rescheduledAt" TIMESTAMP(3);

