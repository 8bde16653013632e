/** Accounts: every function takes the learner's id (or credentials) and touches only their rows. */
import { getDb } from "~/db/client.server";
import { hashPassword, verifyAgainstDummy, verifyPassword } from "./password.server";

export const usernameKey = (username: string) => username.trim().normalize("NFKC").toLowerCase();

export class UsernameTakenError extends Error {
  constructor() {
    super("That username is taken");
  }
}

export async function createUser(username: string, password: string, timeZone?: string) {
  const db = getDb();
  const key = usernameKey(username);
  const hash = await hashPassword(password);
  try {
    return await db.user.create({
      data: {
        username: username.trim(),
        usernameKey: key,
        password: { create: { hash } },
        settings: { create: timeZone && isTimeZone(timeZone) ? { timeZone } : {} },
      },
      select: { id: true, username: true },
    });
  } catch (e) {
    if ((e as { code?: string }).code === "P2002") throw new UsernameTakenError();
    throw e;
  }
}

export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** The user when the credentials match, null otherwise: same time and answer either way. */
export async function authenticate(username: string, password: string) {
  const user = await getDb().user.findUnique({
    where: { usernameKey: usernameKey(username) },
    select: { id: true, username: true, password: { select: { hash: true } } },
  });
  if (!user?.password) return verifyAgainstDummy(password).then(() => null);
  return (await verifyPassword(password, user.password.hash)) ? { id: user.id, username: user.username } : null;
}

export async function checkPassword(userId: string, password: string): Promise<boolean> {
  const row = await getDb().password.findUnique({ where: { userId } });
  return row ? verifyPassword(password, row.hash) : verifyAgainstDummy(password);
}

/** New password; every other session of the learner ends. */
export async function changePassword(userId: string, newPassword: string, keepSessionId: string) {
  const hash = await hashPassword(newPassword);
  const db = getDb();
  await db.$transaction([
    db.password.update({ where: { userId }, data: { hash } }),
    db.session.deleteMany({ where: { userId, id: { not: keepSessionId } } }),
  ]);
}

/** Deletes the learner and, by cascade, every row that belongs to them. */
export async function deleteUser(userId: string) {
  await getDb().user.delete({ where: { id: userId } });
}

/** Everything stored about the learner, for "Download my data". No password hash, no session ids. */
export async function exportUserData(userId: string) {
  const db = getDb();
  const [user, settings, visits, states, logs, quizAttempts, quizAnswers, exerciseAttempts, drafts, sessions] = await Promise.all([
    db.user.findUniqueOrThrow({ where: { id: userId }, select: { id: true, username: true, createdAt: true } }),
    db.settings.findUnique({ where: { userId } }),
    db.lessonVisit.findMany({ where: { userId } }),
    db.itemState.findMany({ where: { userId }, orderBy: { itemId: "asc" } }),
    db.reviewLog.findMany({ where: { userId }, orderBy: { id: "asc" } }),
    db.quizAttempt.findMany({ where: { userId }, orderBy: { startedAt: "asc" } }),
    db.quizAnswer.findMany({ where: { userId }, orderBy: { id: "asc" } }),
    db.exerciseAttempt.findMany({ where: { userId }, orderBy: { id: "asc" } }),
    db.exerciseDraft.findMany({ where: { userId } }),
    db.session.findMany({ where: { userId }, select: { createdAt: true, expiresAt: true } }),
  ]);
  return {
    exportedAt: new Date().toISOString(),
    user,
    settings,
    sessions,
    lessonVisits: visits,
    itemStates: states,
    reviewLogs: logs.map((l) => ({ ...l, stateBefore: JSON.parse(l.stateBefore), stateAfter: JSON.parse(l.stateAfter) })),
    quizAttempts,
    quizAnswers: quizAnswers.map((a) => ({ ...a, answer: JSON.parse(a.answer) })),
    exerciseAttempts,
    exerciseDrafts: drafts,
  };
}
