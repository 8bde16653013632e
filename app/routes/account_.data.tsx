import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requireUserId } from "~/auth/session.server";
import { backupText, ImportError, importBackup, parseBackup } from "~/data-transfer/backup.server";
import { MAX_UPLOAD_BYTES, readUpload } from "~/data-transfer/upload.server";
import { pageTitle } from "~/utils/meta";
import { getCourse } from "~/content/course.server";
import { importCardsCsv } from "~/own-cards/csv-import.server";
import { listOwnCards, OwnCardError, presentOwnCard } from "~/own-cards/own-cards.server";
import { OwnCardList } from "~/own-cards/own-card-list";

export const meta: MetaFunction = () => pageTitle("Your data: export and import");

export async function loader({ request }: LoaderFunctionArgs) {
  const userId = await requireUserId(request);
  return {
    maxMb: MAX_UPLOAD_BYTES / 1024 / 1024,
    ownCards: (await listOwnCards(userId)).map(presentOwnCard),
    topics: getCourse().course.topics.map((t) => ({ slug: t.slug, title: t.title })),
  };
}

type Result = { ok: true; message: string; form?: "csv" } | { ok: false; error: string; form?: "csv" };

export async function action({ request }: ActionFunctionArgs) {
  const userId = await requireUserId(request);
  let file: File | null;
  let form: FormData;
  try {
    ({ file, form } = await readUpload(request, "file"));
  } catch (e) {
    // Which form it was is unknown when the body was refused unread: the message says what happened.
    if (e instanceof Response) return data<Result>({ ok: false, error: await e.text() }, { status: e.status });
    throw e;
  }
  if (form.get("intent") === "csv") {
    if (!file || file.size === 0) return data<Result>({ ok: false, error: "Choose a CSV or text file of cards to import.", form: "csv" }, { status: 400 });
    try {
      const topic = String(form.get("topic") ?? "");
      const s = await importCardsCsv(userId, new Uint8Array(await file.arrayBuffer()), topic || null);
      const parts = [`Imported ${s.added} card${s.added === 1 ? "" : "s"} of your own.`];
      if (s.alreadyHere) parts.push(`${s.alreadyHere} ${s.alreadyHere === 1 ? "was" : "were"} already here and ${s.alreadyHere === 1 ? "was" : "were"} left as ${s.alreadyHere === 1 ? "it was" : "they were"}.`);
      if (s.courseCards) parts.push(`${s.courseCards} course card${s.courseCards === 1 ? " was" : "s were"} skipped (the course has ${s.courseCards === 1 ? "it" : "them"}).`);
      return data<Result>({ ok: true, message: parts.join(" "), form: "csv" });
    } catch (e) {
      if (e instanceof OwnCardError) return data<Result>({ ok: false, error: e.message, form: "csv" }, { status: e.status });
      throw e;
    }
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
  const { maxMb, ownCards, topics } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const result = reply?.form === "csv" ? undefined : reply;
  const csvResult = reply?.form === "csv" ? reply : undefined;
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
            : the card text only (yours too), in Anki's text-import format.
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

      <section aria-labelledby="csv-title" className="form">
        <h2 id="csv-title">Import cards from a CSV file</h2>
        <p>
          A text file in Anki's import format (Anki's &ldquo;Notes in Plain Text&rdquo; export, or a spreadsheet saved as CSV): one card a line, the front and back
          in the first two columns or in the columns named by a <code>#columns:</code> header, split by tabs, commas or semicolons. Each line becomes a card of
          your own. A deck or tag naming a lesson puts the card there; otherwise it goes to the lesson you choose. A card whose front and back you already
          have is not added twice.
        </p>
        {csvResult ? (
          csvResult.ok ? (
            <p className="success" role="status">
              {csvResult.message}
            </p>
          ) : (
            <p className="form-error" role="alert">
              {csvResult.error}
            </p>
          )
        ) : null}
        <Form method="post" encType="multipart/form-data">
          <input type="hidden" name="intent" value="csv" />
          <div className="field">
            <label htmlFor="csv-file">Cards file (.csv or .txt, UTF-8)</label>
            <input id="csv-file" name="file" type="file" accept="text/csv,text/plain,.csv,.txt,.tsv" required />
          </div>
          <div className="field">
            <label htmlFor="csv-topic">Lesson for cards whose deck or tags name none</label>
            <select id="csv-topic" name="topic" defaultValue="">
              <option value="">Only the lessons the file names</option>
              {topics.map((t) => (
                <option key={t.slug} value={t.slug}>
                  {t.title}
                </option>
              ))}
            </select>
          </div>
          <div className="actions">
            <button type="submit" disabled={busy}>
              Import cards
            </button>
          </div>
        </Form>
      </section>

      <OwnCardList cards={ownCards} />
    </div>
  );
}
