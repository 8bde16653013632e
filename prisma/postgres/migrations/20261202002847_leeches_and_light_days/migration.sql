-- AlterTable
ALTER TABLE "Settings" ADD COLUMN     "leechThreshold" INTEGER NOT NULL DEFAULT 8,
ADD COLUMN     "lightDays" TEXT NOT NULL DEFAULT '';

-- AlterTable
ALTER TABLE "ItemState" ADD COLUMN     "suspended" BOOLEAN NOT NULL DEFAULT false;

