import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUserId } from "~/auth/session.server";
import { exportApkg } from "~/data-transfer/anki.server";

/** The learner's cards, states and review history as an Anki package. */
export async function loader({ request }: LoaderFunctionArgs) {
  const userId = await requireUserId(request);
  const body = await exportApkg(userId, new Date());
  return new Response(new Uint8Array(body), {
    headers: {
      "Content-Type": "application/octet-stream",
      "Content-Disposition": 'attachment; filename="attention-span.apkg"',
      "Content-Length": String(body.length),
      "Cache-Control": "no-store",
    },
  });
}
