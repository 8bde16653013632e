-- DropForeignKey
ALTER TABLE "ItemState" DROP CONSTRAINT "ItemState_itemId_fkey";

-- CreateTable
CREATE TABLE "OwnCard" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "topicId" TEXT NOT NULL,
    "section" TEXT NOT NULL,
    "front" TEXT NOT NULL,
    "back" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "OwnCard_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "OwnCard_userId_topicId_idx" ON "OwnCard"("userId", "topicId");

-- AddForeignKey
ALTER TABLE "OwnCard" ADD CONSTRAINT "OwnCard_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

