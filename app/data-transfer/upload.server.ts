/**
 * One uploaded file from a multipart form, read with a byte cap: a body over
 * the cap is refused with 413 as soon as the count passes it (never buffered
 * whole), and a broken body is a 400. Both throw a Response for the route.
 */
export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

function tooLarge(max: number): never {
  throw new Response(`The file is too large: the limit is ${Math.round(max / 1024 / 1024)} MB. Nothing was imported.`, { status: 413, statusText: "Payload Too Large" });
}

export async function readUpload(request: Request, field: string, max = MAX_UPLOAD_BYTES): Promise<{ form: FormData; file: File | null }> {
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > max + 64 * 1024) tooLarge(max);
  const chunks: Uint8Array[] = [];
  let total = 0;
  if (request.body) {
    const reader = request.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > max + 64 * 1024) {
        await reader.cancel().catch(() => {});
        tooLarge(max);
      }
      chunks.push(value);
    }
  }
  let form: FormData;
  try {
    form = await new Request(request.url, { method: "POST", headers: request.headers, body: Buffer.concat(chunks) }).formData();
  } catch {
    throw new Response("The upload is not a form this page understands. Choose the file and submit again.", { status: 400, statusText: "Bad Request" });
  }
  const value = form.get(field);
  const file = value && typeof value !== "string" ? value : null;
  if (file && file.size > max) tooLarge(max);
  return { form, file };
}
