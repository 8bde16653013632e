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

    PRIMARY KEY ("userId", "zone", "day"),
    CONSTRAINT "ReviewDay_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ReviewDayEpoch" (
    "userId" TEXT NOT NULL PRIMARY KEY,
    "epoch" INTEGER NOT NULL,
    CONSTRAINT "ReviewDayEpoch_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "Session_expiresAt_idx" ON "Session"("expiresAt");

-- CreateIndex
CREATE INDEX "RateLimit_windowStart_idx" ON "RateLimit"("windowStart");

