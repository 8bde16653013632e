-- AlterTable
ALTER TABLE "Settings" ADD COLUMN "fitInfo" TEXT;

-- CreateTable
CREATE TABLE "FitJob" (
    "userId" TEXT NOT NULL PRIMARY KEY,
    "requestedAt" DATETIME,
    "leaseHolder" TEXT,
    "leaseUntil" DATETIME,
    "status" TEXT NOT NULL DEFAULT 'idle',
    "reviewsAtFit" INTEGER NOT NULL DEFAULT 0,
    "finishedAt" DATETIME,
    "result" TEXT,
    CONSTRAINT "FitJob_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "FitJob_requestedAt_idx" ON "FitJob"("requestedAt");

