-- AlterTable
ALTER TABLE "Settings" ADD COLUMN     "fitInfo" TEXT;

-- CreateTable
CREATE TABLE "FitJob" (
    "userId" TEXT NOT NULL,
    "requestedAt" TIMESTAMP(3),
    "leaseHolder" TEXT,
    "leaseUntil" TIMESTAMP(3),
    "status" TEXT NOT NULL DEFAULT 'idle',
    "reviewsAtFit" INTEGER NOT NULL DEFAULT 0,
    "finishedAt" TIMESTAMP(3),
    "result" TEXT,

    CONSTRAINT "FitJob_pkey" PRIMARY KEY ("userId")
);

-- CreateIndex
CREATE INDEX "FitJob_requestedAt_idx" ON "FitJob"("requestedAt");

-- AddForeignKey
ALTER TABLE "FitJob" ADD CONSTRAINT "FitJob_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

