-- CreateTable
CREATE TABLE "QueueStamp" (
    "userId" TEXT NOT NULL PRIMARY KEY,
    "stamp" BIGINT NOT NULL,
    CONSTRAINT "QueueStamp_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

