-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Settings" (
    "userId" TEXT NOT NULL PRIMARY KEY,
    "desiredRetention" REAL NOT NULL DEFAULT 0.9,
    "newPerDay" INTEGER NOT NULL DEFAULT 20,
    "reviewCap" INTEGER NOT NULL DEFAULT 200,
    "dayStartHour" INTEGER NOT NULL DEFAULT 4,
    "timeZone" TEXT NOT NULL DEFAULT 'UTC',
    "maximumInterval" INTEGER NOT NULL DEFAULT 36500,
    "learningSteps" TEXT NOT NULL DEFAULT '1m 10m',
    "relearningSteps" TEXT NOT NULL DEFAULT '10m',
    "dailyGoal" INTEGER NOT NULL DEFAULT 20,
    "weights" TEXT,
    "leechThreshold" INTEGER NOT NULL DEFAULT 8,
    "lightDays" TEXT NOT NULL DEFAULT '',
    CONSTRAINT "Settings_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Settings" ("dailyGoal", "dayStartHour", "desiredRetention", "learningSteps", "maximumInterval", "newPerDay", "relearningSteps", "reviewCap", "timeZone", "userId", "weights") SELECT "dailyGoal", "dayStartHour", "desiredRetention", "learningSteps", "maximumInterval", "newPerDay", "relearningSteps", "reviewCap", "timeZone", "userId", "weights" FROM "Settings";
DROP TABLE "Settings";
ALTER TABLE "new_Settings" RENAME TO "Settings";
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
    CONSTRAINT "ItemState_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ItemState_itemId_fkey" FOREIGN KEY ("itemId") REFERENCES "Item" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_ItemState" ("difficulty", "due", "elapsedDays", "itemId", "lapses", "lastReview", "learningSteps", "reps", "scheduledDays", "stability", "state", "userId", "version") SELECT "difficulty", "due", "elapsedDays", "itemId", "lapses", "lastReview", "learningSteps", "reps", "scheduledDays", "stability", "state", "userId", "version" FROM "ItemState";
DROP TABLE "ItemState";
ALTER TABLE "new_ItemState" RENAME TO "ItemState";
CREATE INDEX "ItemState_userId_due_idx" ON "ItemState"("userId", "due");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

