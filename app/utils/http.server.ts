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
