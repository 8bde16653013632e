-- CreateTable
CREATE TABLE "ReviewDay" (
    "userId" TEXT NOT NULL,
    "zone" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "epoch" INTEGER NOT NULL,
    "reviews" INTEGER NOT NULL,
    "timeMs" BIGINT NOT NULL,
    "youngPassed" INTEGER,
    "youngTotal" INTEGER,
    "maturePassed" INTEGER,
    "matureTotal" INTEGER,

    CONSTRAINT "ReviewDay_pkey" PRIMARY KEY ("userId","zone","day")
);

-- CreateTable
CREATE TABLE "ReviewDayEpoch" (
    "userId" TEXT NOT NULL,
    "epoch" INTEGER NOT NULL,

    CONSTRAINT "ReviewDayEpoch_pkey" PRIMARY KEY ("userId")
);

-- CreateIndex
CREATE INDEX "Session_expiresAt_idx" ON "Session"("expiresAt");

-- CreateIndex
CREATE INDEX "RateLimit_windowStart_idx" ON "RateLimit"("windowStart");

-- AddForeignKey
ALTER TABLE "ReviewDay" ADD CONSTRAINT "ReviewDay_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReviewDayEpoch" ADD CONSTRAINT "ReviewDayEpoch_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

