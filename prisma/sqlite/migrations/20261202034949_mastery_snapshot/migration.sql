-- CreateTable
CREATE TABLE "MasterySnapshot" (
    "userId" TEXT NOT NULL PRIMARY KEY,
    "rows" INTEGER NOT NULL,
    "versions" INTEGER NOT NULL,
    "readAt" DATETIME NOT NULL,
    "ids" TEXT NOT NULL,
    "data" BLOB NOT NULL,
    CONSTRAINT "MasterySnapshot_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

