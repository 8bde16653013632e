-- AlterTable
ALTER TABLE "ExerciseDraft" ADD COLUMN     "language" TEXT NOT NULL DEFAULT 'javascript';

