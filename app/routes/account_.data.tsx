import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requireUserId } from "~/auth/session.server";
import { backupText, ImportError, importBackup, parseBackup } from "~/data-transfer/backup.server";
import { MAX_UPLOAD_BYTES, readUpload } from "~/data-transfer/upload.server";
import { pageTitle } from "~/utils/meta";

export const meta: MetaFunction = () => pageTitle("Your data: export and import");

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUserId(request);
  return { maxMb: MAX_UPLOAD_BYTES / 1024 / 1024 };
}

type Result = { ok: true; message: string } | { ok: false; error: string };

export async function action({ request }: ActionFunctionArgs) {
  const userId = await requireUserId(request);
  let file: File | null;
  try {
    file = (await readUpload(request, "file")).file;
  } catch (e) {
    if (e instanceof Response) return data<Result>({ ok: false, error: await e.text() }, { status: e.status });
    throw e;
  }
  if (!file || file.size === 0) return data<Result>({ ok: false, error: "Choose an export file to import." }, { status: 400 });
  try {
    const parsed = parseBackup(backupText(Buffer.from(await file.arrayBuffer())));
    const s = await importBackup(userId, parsed);
    const message =
      s.reviewsAdded + s.statesChanged + s.visitsAdded + s.otherAdded === 0
        ? "Imported: everything in this file was already here, so nothing changed."
        : `Imported ${s.reviewsAdded} review${s.reviewsAdded === 1 ? "" : "s"} and ${s.statesChanged} item state${s.statesChanged === 1 ? "" : "s"}.`;
    return data<Result>({ ok: true, message });
  } catch (e) {
    if (e instanceof ImportError) return data<Result>({ ok: false, error: e.message }, { status: 400 });
    // Prisma's codes for a transaction that timed out or could not start: rolled back, so nothing changed.
    const code = (e as { code?: string }).code;
    if (code === "P2028" || code === "P2034") {
      return data<Result>({ ok: false, error: "The server is busy and the import did not finish; nothing was imported. Try again in a few minutes." }, { status: 503, headers: { "Retry-After": "60" } });
    }
    throw e;
  }
}

export default function AccountData() {
  const { maxMb } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <div className="account">
      <h1>Your data</h1>
      <p>
        <Link to="/account">Back to account and settings</Link>
      </p>

      <section aria-labelledby="export-title">
        <h2 id="export-title">Export</h2>
        <ul>
          <li>
            <a href="/account/anki.apkg" download>
              Anki package (.apkg)
            </a>
            : every course card with your schedule and review history, for Anki's import.
          </li>
          <li>
            <a href="/account/anki.csv" download>
              Cards as CSV for Anki
            </a>
            : the card text only, in Anki's text-import format.
          </li>
          <li>
            <a href="/account/export" download>
              Full backup (JSON)
            </a>
            : everything stored about you; import it here or on another server.
          </li>
          <li>
            <a href="/account/export?compressed=1" download>
              Full backup, compressed (.json.gz)
            </a>
            : the same, about ten times smaller, for a long history.
          </li>
        </ul>
      </section>

      <section aria-labelledby="import-title" className="form">
        <h2 id="import-title">Import a backup</h2>
        <p>
          Restores a JSON backup made by this app into your account. Importing the same file twice changes nothing the second time; a newer state already here is kept.
        </p>
        {result ? (
          result.ok ? (
            <p className="success" role="status">
              {result.message}
            </p>
          ) : (
            <p className="form-error" role="alert">
              {result.error}
            </p>
          )
        ) : null}
        <Form method="post" encType="multipart/form-data">
          <div className="field">
            <label htmlFor="import-file">Backup file (.json or .json.gz, up to {maxMb} MB)</label>
            <input id="import-file" name="file" type="file" accept="application/json,.json,application/gzip,.gz" required />
          </div>
          <div className="actions">
            <button type="submit" disabled={busy}>
              Import backup
            </button>
          </div>
        </Form>
      </section>
    </div>
  );
}
