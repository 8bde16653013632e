/**
 * Every unknown address lands here. The loader and action throw a real 404 so the
 * status code is right for browsers, crawlers and fetchers alike, and the root
 * ErrorBoundary renders the page inside the normal layout.
 */
import type { MetaFunction } from "@remix-run/node";
import { pageTitle } from "~/utils/meta";

export const meta: MetaFunction = () => pageTitle("Page not found");

export async function loader(): Promise<never> {
  throw new Response("There is nothing at this address. It may have moved, or the link may be mistyped.", { status: 404, statusText: "Not Found" });
}

export async function action(): Promise<never> {
  throw new Response("Not found", { status: 404, statusText: "Not Found" });
}

export default function NotFound() {
  return null;
}
