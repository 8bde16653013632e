/** Serves a lesson's SVG diagrams from content/, as images (scripts in an <img> SVG never run). */
import fs from "node:fs";
import path from "node:path";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { getCourse, getTopic } from "~/content/course.server";

export async function loader({ params }: LoaderFunctionArgs) {
  const file = params.file ?? "";
  if (!/^[a-z0-9][a-z0-9._-]*\.svg$/i.test(file)) throw new Response("Not found", { status: 404 });
  const dir = params.slug === "overview" ? path.join(getCourse().course.root, "overview-diagrams") : getTopic(params.slug ?? "")?.dir;
  if (!dir) throw new Response("Not found", { status: 404 });
  const abs = path.join(params.slug === "overview" ? dir : path.join(dir, "diagrams"), file);
  if (!fs.existsSync(abs)) throw new Response("Not found", { status: 404 });
  return new Response(fs.readFileSync(abs), {
    headers: {
      "Content-Type": "image/svg+xml",
      "Cache-Control": "public, max-age=3600",
      "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
    },
  });
}
