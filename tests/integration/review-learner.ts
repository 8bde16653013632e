/**
 * The set-up the review API tests share: a new learner who studies a lesson, and
 * the head of their review queue as /api/review gives it.
 */
import { Client, signUp, studyLesson, type TestServer } from "./harness";

export type ReviewReply = { ok: boolean; status?: string; error?: string; version?: number; view: { entries: { itemId: string; version: number; kind: string }[] } };

export async function learnerWithQueue(server: TestServer) {
  const client = new Client(server.url);
  const user = await signUp(client);
  await studyLesson(client, "attention");
  const view = (await (await client.get("/api/review")).json()) as ReviewReply;
  const entries = view.view.entries;
  return { client, user, entries, cards: entries.filter((e) => e.kind === "card") };
}
