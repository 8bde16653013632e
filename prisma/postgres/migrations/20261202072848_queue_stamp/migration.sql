-- CreateTable
CREATE TABLE "QueueStamp" (
    "userId" TEXT NOT NULL,
    "stamp" BIGINT NOT NULL,

    CONSTRAINT "QueueStamp_pkey" PRIMARY KEY ("userId")
);

-- AddForeignKey
ALTER TABLE "QueueStamp" ADD CONSTRAINT "QueueStamp_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Written by hand (Prisma does not model triggers; scripts/db-check.mjs compares tables, columns, indexes and keys).
-- Every change to what a learner's review queue reads stamps the learner with the changing transaction's id,
-- at COMMIT (deferred): the stamp row is the last lock any transaction takes, so it cannot be part of a deadlock
-- (docs/decisions/037-a-queue-copy-per-process-on-postgresql.md).
CREATE FUNCTION "queue_stamp_touch"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  uid TEXT;
BEGIN
  IF TG_OP = 'DELETE' THEN uid := OLD."userId"; ELSE uid := NEW."userId"; END IF;
  -- A learner being deleted (the cascade from "User") gets no stamp.
  INSERT INTO "QueueStamp" ("userId", "stamp")
    SELECT uid, txid_current() WHERE EXISTS (SELECT 1 FROM "User" WHERE "id" = uid)
  ON CONFLICT ("userId") DO UPDATE SET "stamp" = EXCLUDED."stamp" WHERE "QueueStamp"."stamp" IS DISTINCT FROM EXCLUDED."stamp";
  RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER "ItemState_queue_stamp" AFTER INSERT OR UPDATE OR DELETE ON "ItemState" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "queue_stamp_touch"();
CREATE CONSTRAINT TRIGGER "ReviewLog_queue_stamp" AFTER INSERT OR UPDATE OR DELETE ON "ReviewLog" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "queue_stamp_touch"();
CREATE CONSTRAINT TRIGGER "LessonVisit_queue_stamp" AFTER INSERT OR UPDATE OR DELETE ON "LessonVisit" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "queue_stamp_touch"();
CREATE CONSTRAINT TRIGGER "OwnCard_queue_stamp" AFTER INSERT OR UPDATE OR DELETE ON "OwnCard" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "queue_stamp_touch"();
