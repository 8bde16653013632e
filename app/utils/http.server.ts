import { data } from "@remix-run/node";

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

/**
 * The submitted form, or a thrown 400 with a message when the body is not a
 * form (wrong content type, broken multipart, too large): never a 500.
 */
export async function readForm(request: Request): Promise<FormData> {
  const length = Number(request.headers.get("content-length") ?? 0);
  if (length > 256 * 1024) throw new Response("The form is too large.", { status: 413, statusText: "Payload Too Large" });
  try {
    return await request.formData();
  } catch {
    throw new Response("The request body is not a form this page understands. Submit the form again.", { status: 400, statusText: "Bad Request" });
  }
}
