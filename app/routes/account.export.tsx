import zlib from "node:zlib";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUserId } from "~/auth/session.server";
import { exportBackup } from "~/data-transfer/backup.server";

/** The learner's full backup: readable JSON, or gzip-compressed with ?compressed=1 (a long history is about ten times smaller). */
export async function loader({ request }: LoaderFunctionArgs) {
  const userId = await requireUserId(request);
  const data = await exportBackup(userId);
  const name = `attention-span-${data.user.username}`;
  if (new URL(request.url).searchParams.get("compressed") === "1") {
    const body = zlib.gzipSync(JSON.stringify(data));
    return new Response(new Uint8Array(body), {
      headers: {
        "Content-Type": "application/gzip",
        "Content-Disposition": `attachment; filename="${name}.json.gz"`,
        "Content-Length": String(body.length),
        "Cache-Control": "no-store",
      },
    });
  }
  return new Response(JSON.stringify(data, null, 2), {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="${name}.json"`,
      "Cache-Control": "no-store",
    },
  });
}
