import { data } from "@remix-run/node";
import { hasNul } from "./fields";

/** 400 with a message the page can show; nothing was changed. */
export function badRequest<T extends Record<string, unknown>>(body: T, init?: ResponseInit) {
  return data({ ok: false as const, ...body }, { status: 400, ...init });
}

export function notFound(message = "Not found"): never {
  throw new Response(message, { status: 404, statusText: "Not Found" });
}

export function forbidden(message = "Forbidden"): never {
  throw new Response(message, { status: 403, statusText: "Forbidden" });
}

/** The first field whose name or text holds a NUL character (no database stores one as text), or null. */
export function fieldWithNul(form: FormData): string | null {
  for (const [name, value] of form.entries()) {
    if (hasNul(name) || (typeof value === "string" && hasNul(value))) return name.replaceAll("\u0000", "");
  }
  return null;
}

/**
 * The submitted form, or a thrown 400 with a message when the body is not a
 * form (wrong content type, broken multipart, a NUL character): never a 500.
 * Its size was already bounded by server.mjs, which reads every body first.
 */
export async function readForm(request: Request): Promise<FormData> {
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    throw new Response("The request body is not a form this page understands. Submit the form again.", { status: 400, statusText: "Bad Request" });
  }
  const bad = fieldWithNul(form);
  if (bad !== null) throw new Response(`The field "${bad}" contains a NUL character; remove it and submit again.`, { status: 400, statusText: "Bad Request" });
  return form;
}
