import { getOptionalUser } from "./session.server";

/** For JSON endpoints: a 401 with a message instead of a redirect to the login page. */
export async function requireUserIdForApi(request: Request): Promise<string> {
  const user = await getOptionalUser(request);
  if (!user) throw Response.json({ ok: false, error: "Log in to save reviews." }, { status: 401 });
  return user.id;
}

/** The body as form data, or a 400 when it is not a form. */
export async function formDataOr400(request: Request): Promise<FormData> {
  const type = request.headers.get("content-type") ?? "";
  if (!type.includes("application/x-www-form-urlencoded") && !type.includes("multipart/form-data")) {
    throw Response.json({ ok: false, error: "Send the fields as a form (application/x-www-form-urlencoded)." }, { status: 415 });
  }
  const length = Number(request.headers.get("content-length") ?? 0);
  if (length > 256 * 1024) throw Response.json({ ok: false, error: "Request body too large." }, { status: 413 });
  try {
    return await request.formData();
  } catch {
    throw Response.json({ ok: false, error: "The request body is not a valid form." }, { status: 400 });
  }
}
