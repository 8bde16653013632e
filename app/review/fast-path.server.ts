/**
 * POST /api/review's hot case, a rating of a course flashcard on PostgreSQL,
 * answered by server.mjs straight after its security checks and body limit,
 * without the framework's request and response objects (ADR 038). Anything
 * else (SQLite, another intent, an own card, a body that is not a plain form,
 * no session) gives null, and the request goes on to the route
 * (app/routes/api.review.tsx), which answers it as before.
 */
import { sessionIdFromCookies } from "~/auth/session.server";
import { getSql } from "~/db/sql.server";
import { clock } from "~/utils/clock.server";
import { ratingOnPostgres } from "./api-answers.server";
import { asOwnWrite } from "./own-writes.server";

export interface FastRequest {
  cookie: string | undefined;
  contentType: string | undefined;
  body: Buffer | undefined;
}

export interface FastAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export async function rateFromBody(req: FastRequest): Promise<FastAnswer | null> {
  if (getSql().provider !== "postgresql" || !req.body) return null;
  if (!(req.contentType ?? "").toLowerCase().startsWith("application/x-www-form-urlencoded")) return null;
  const sessionId = await sessionIdFromCookies(req.cookie);
  if (!sessionId) return null;
  const text = req.body.toString("utf8");
  if (text.includes("\u0000") || text.includes("%00")) return null; // the route's 400 names the field
  const answer = await asOwnWrite(sessionId, () => ratingOnPostgres(sessionId, new URLSearchParams(text), clock()));
  if (!answer) return null;
  return { status: answer.status, headers: { "Content-Type": "application/json", ...answer.headers }, body: JSON.stringify(answer.body) };
}
