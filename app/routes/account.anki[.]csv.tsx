import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUserId } from "~/auth/session.server";
import { exportCsv } from "~/data-transfer/anki.server";

/** The course cards as a CSV in Anki's text-import format (notes only: CSV carries no schedule). */
export async function loader({ request }: LoaderFunctionArgs) {
  const userId = await requireUserId(request);
  return new Response(await exportCsv(userId), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": 'attachment; filename="attention-span-cards.csv"',
      "Cache-Control": "no-store",
    },
  });
}
