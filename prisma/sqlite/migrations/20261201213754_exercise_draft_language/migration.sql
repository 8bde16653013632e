-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_ExerciseDraft" (
    "userId" TEXT NOT NULL,
    "itemId" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "revealedAt" DATETIME,
    "updatedAt" DATETIME NOT NULL,
    "language" TEXT NOT NULL DEFAULT 'javascript',

    PRIMARY KEY ("userId", "itemId"),
    CONSTRAINT "ExerciseDraft_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_ExerciseDraft" ("code", "itemId", "revealedAt", "updatedAt", "userId") SELECT "code", "itemId", "revealedAt", "updatedAt", "userId" FROM "ExerciseDraft";
DROP TABLE "ExerciseDraft";
ALTER TABLE "new_ExerciseDraft" RENAME TO "ExerciseDraft";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

