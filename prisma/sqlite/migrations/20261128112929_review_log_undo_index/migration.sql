-- CreateIndex
CREATE INDEX "ReviewLog_userId_kind_undone_idx" ON "ReviewLog"("userId", "kind", "undone");

