import { NUL_MESSAGE } from "~/utils/fields";
import { fieldWithNul } from "~/utils/http.server";
import { getOptionalUser, type SessionUser } from "./session.server";

/** The 401 of a JSON endpoint: a message instead of a redirect to the login page. */
export const UNAUTHORIZED_API_BODY = { ok: false, error: "Log in to save reviews." } as const;
export const unauthorizedForApi = () => Response.json(UNAUTHORIZED_API_BODY, { status: 401 });

/** For JSON endpoints: a 401 with a message instead of a redirect to the login page. */
export async function requireUserIdForApi(request: Request): Promise<string> {
  return (await requireUserForApi(request)).id;
}

/** The signed-in learner and their session, or a 401 in JSON. */
export async function requireUserForApi(request: Request): Promise<SessionUser> {
  const user = await getOptionalUser(request);
  if (!user) throw unauthorizedForApi();
  return user;
}

/** The body as form data, or a 400 when it is not a form. */
export async function formDataOr400(request: Request): Promise<FormData> {
  const type = request.headers.get("content-type") ?? "";
  if (!type.includes("application/x-www-form-urlencoded") && !type.includes("multipart/form-data")) {
    throw Response.json({ ok: false, error: "Send the fields as a form (application/x-www-form-urlencoded)." }, { status: 415 });
  }
  // Its size was already bounded by server.mjs, which reads every body first.
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    throw Response.json({ ok: false, error: "The request body is not a valid form." }, { status: 400 });
  }
  const bad = fieldWithNul(form);
  if (bad !== null) throw Response.json({ ok: false, error: `${bad}: ${NUL_MESSAGE}` }, { status: 400 });
  return form;
}
