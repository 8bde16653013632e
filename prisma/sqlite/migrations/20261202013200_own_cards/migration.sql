-- CreateTable
CREATE TABLE "OwnCard" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "topicId" TEXT NOT NULL,
    "section" TEXT NOT NULL,
    "front" TEXT NOT NULL,
    "back" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "OwnCard_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_ItemState" (
    "userId" TEXT NOT NULL,
    "itemId" TEXT NOT NULL,
    "due" DATETIME NOT NULL,
    "stability" REAL NOT NULL,
    "difficulty" REAL NOT NULL,
    "elapsedDays" INTEGER NOT NULL,
    "scheduledDays" INTEGER NOT NULL,
    "learningSteps" INTEGER NOT NULL,
    "reps" INTEGER NOT NULL,
    "lapses" INTEGER NOT NULL,
    "state" INTEGER NOT NULL,
    "lastReview" DATETIME,
    "version" INTEGER NOT NULL DEFAULT 0,
    "suspended" BOOLEAN NOT NULL DEFAULT false,

    PRIMARY KEY ("userId", "itemId"),
    CONSTRAINT "ItemState_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_ItemState" ("difficulty", "due", "elapsedDays", "itemId", "lapses", "lastReview", "learningSteps", "reps", "scheduledDays", "stability", "state", "suspended", "userId", "version") SELECT "difficulty", "due", "elapsedDays", "itemId", "lapses", "lastReview", "learningSteps", "reps", "scheduledDays", "stability", "state", "suspended", "userId", "version" FROM "ItemState";
DROP TABLE "ItemState";
ALTER TABLE "new_ItemState" RENAME TO "ItemState";
CREATE INDEX "ItemState_userId_due_idx" ON "ItemState"("userId", "due");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "OwnCard_userId_topicId_idx" ON "OwnCard"("userId", "topicId");

