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
    "fitInfo" TEXT,
    "leechThreshold" INTEGER NOT NULL DEFAULT 8,
    "lightDays" TEXT NOT NULL DEFAULT '',
    "theme" TEXT NOT NULL DEFAULT 'system',
    CONSTRAINT "Settings_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Settings" ("dailyGoal", "dayStartHour", "desiredRetention", "fitInfo", "learningSteps", "leechThreshold", "lightDays", "maximumInterval", "newPerDay", "relearningSteps", "reviewCap", "timeZone", "userId", "weights") SELECT "dailyGoal", "dayStartHour", "desiredRetention", "fitInfo", "learningSteps", "leechThreshold", "lightDays", "maximumInterval", "newPerDay", "relearningSteps", "reviewCap", "timeZone", "userId", "weights" FROM "Settings";
DROP TABLE "Settings";
ALTER TABLE "new_Settings" RENAME TO "Settings";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

