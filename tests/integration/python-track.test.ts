/**
 * The Python track against the built server: Pyodide is served by the app under
 * a content-tagged path with a year of caching, the Python worker carries its own
 * policy, an attempt says which language its code is in (and a language the
 * exercise does not offer is refused, writing nothing), and the draft reopens
 * in its language.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, signUp, startServer, type TestServer } from "./harness";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
}, 60_000);
afterAll(async () => server?.stop());

const BILINGUAL = "tok-ex-bpe-encode";
const JS_ONLY = "att-ex-softmax";
const pyStarter = fs.readFileSync(path.resolve("content/03-tokenization/exercises/bpe-encode/starter.py"), "utf8");
let n = 0;
const cid = () => `py-${process.pid}-${++n}-${Date.now().toString(36)}`;

function attempt(client: Client, id: string, fields: Record<string, string>) {
  return client.post(`/api/exercises/${id}`, {
    intent: "attempt",
    clientId: cid(),
    version: "0",
    passed: "false",
    testsPassed: "1",
    testsTotal: "10",
    durationMs: "1000",
    code: "def f():\n    pass\n",
    ...fields,
  });
}

describe("Pyodide, served by the app", () => {
  it("under a tagged path, cached for a year, nothing outside it", async () => {
    const client = new Client(server.url);
    await signUp(client);
    const html = await (await client.get(`/exercises/${BILINGUAL}`)).text();
    const indexURL = /\/pyodide\/[0-9a-f]{12}\//.exec(html)?.[0];
    expect(indexURL).toBeDefined();
    const lock = await fetch(`${server.url}${indexURL}pyodide-lock.json`);
    expect(lock.status).toBe(200);
    expect(lock.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(((await lock.json()) as { info: { python: string } }).info.python).toMatch(/^3\.\d+/);
    expect((await fetch(`${server.url}/pyodide/000000000000/pyodide-lock.json`)).status).toBe(404);
    expect((await fetch(`${server.url}${indexURL}..%2Fpackage.json`)).status).toBeGreaterThanOrEqual(400);
    expect((await fetch(`${server.url}${indexURL}node_modules/ws/package.json`)).status).toBe(404);

    const worker = await fetch(`${server.url}/python-worker.js`);
    const host = new URL(server.url).host;
    expect(worker.headers.get("content-security-policy")).toBe(
      `default-src 'none'; script-src ${host}${indexURL} 'wasm-unsafe-eval'; connect-src ${host}${indexURL}`,
    );
    // Python runs are judged by the JavaScript runner's judge: no grading worker of Python's own.
    expect((await fetch(`${server.url}/python-check-worker.js`)).status).toBe(404);
  });

  it("is not on pages without Python", async () => {
    const client = new Client(server.url);
    await signUp(client);
    expect(await (await client.get(`/exercises/${JS_ONLY}`)).text()).not.toContain("/pyodide/");
    expect(await (await client.get("/review")).text()).not.toContain("pyodide");
  });
});

describe("attempts in Python", () => {
  it("are refused on an exercise without a Python variant, or in an unknown language, and write nothing", async () => {
    const client = new Client(server.url);
    const user = await signUp(client);
    const noPython = await attempt(client, JS_ONLY, { language: "python" });
    expect(noPython.status).toBe(400);
    expect(((await noPython.json()) as { error: string }).error).toBe("language: this exercise has no Python variant");
    const ruby = await attempt(client, BILINGUAL, { language: "ruby" });
    expect(ruby.status).toBe(400);
    expect(((await ruby.json()) as { error: string }).error).toBe("language: language must be javascript or python");
    expect(await server.all("SELECT * FROM ExerciseAttempt WHERE userId = ?", user.id)).toEqual([]);
    expect(await server.all("SELECT * FROM ExerciseDraft WHERE userId = ?", user.id)).toEqual([]);
  });

  it("keep a Python draft that reopens as Python; a JavaScript run switches it back", async () => {
    const client = new Client(server.url);
    const user = await signUp(client);
    const code = "def bpe_encode(byte_values, merges):\n    return []  # mine\n";
    expect((await attempt(client, BILINGUAL, { language: "python", code })).status).toBe(200);
    expect(await server.one("SELECT code, language FROM ExerciseDraft WHERE userId = ? AND itemId = ?", user.id, BILINGUAL)).toEqual({ code, language: "python" });
    const page = await (await client.get(`/exercises/${BILINGUAL}`)).text();
    expect(page).toContain("# mine");
    expect(page).toMatch(/<input[^>]*value="python"[^>]*checked=""|<input[^>]*checked=""[^>]*value="python"/);
    expect(page).toContain(pyStarter.split("\n")[0]!.replace(/"/g, "&quot;").slice(0, 30)); // the Python starter is there for Reset

    expect((await attempt(client, BILINGUAL, { code: "function bpeEncode() { return []; }" })).status).toBe(200);
    expect(await server.one("SELECT language FROM ExerciseDraft WHERE userId = ? AND itemId = ?", user.id, BILINGUAL)).toEqual({ language: "javascript" });
  });
});
