import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUserId } from "~/auth/session.server";
import { exportBackup } from "~/data-transfer/backup.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const userId = await requireUserId(request);
  const data = await exportBackup(userId);
  return new Response(JSON.stringify(data, null, 2), {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="attention-span-${data.user.username}.json"`,
      "Cache-Control": "no-store",
    },
  });
}
