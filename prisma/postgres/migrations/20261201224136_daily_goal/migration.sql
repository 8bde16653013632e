-- AlterTable
ALTER TABLE "Settings" ADD COLUMN     "dailyGoal" INTEGER NOT NULL DEFAULT 20;

