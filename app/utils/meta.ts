import type { MetaDescriptor } from "@remix-run/node";

export function pageTitle(title: string, description?: string): MetaDescriptor[] {
  const meta: MetaDescriptor[] = [{ title: `${title} | Attention Span` }];
  if (description) meta.push({ name: "description", content: description });
  return meta;
}
