-- CreateTable
CREATE TABLE "MasterySnapshot" (
    "userId" TEXT NOT NULL,
    "rows" INTEGER NOT NULL,
    "versions" INTEGER NOT NULL,
    "readAt" TIMESTAMP(3) NOT NULL,
    "ids" TEXT NOT NULL,
    "data" BYTEA NOT NULL,

    CONSTRAINT "MasterySnapshot_pkey" PRIMARY KEY ("userId")
);

-- AddForeignKey
ALTER TABLE "MasterySnapshot" ADD CONSTRAINT "MasterySnapshot_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

