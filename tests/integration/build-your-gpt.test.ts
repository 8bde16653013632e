/**
 * The "Build your GPT" page against the built server: each stage gets the learner's latest run
 * that passed, or else their latest saved code, or the reference; only their own; and the page
 * needs an account.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, signUp, startServer, type TestServer } from "./harness";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
}, 60_000);
afterAll(async () => server?.stop());

let n = 0;
const cid = () => `chain-${process.pid}-${++n}-${Date.now().toString(36)}`;

function run(client: Client, exerciseId: string, total: number, passed: boolean, code: string) {
  return client.post(`/api/exercises/${exerciseId}`, {
    intent: "attempt",
    clientId: cid(),
    version: "0",
    passed: String(passed),
    testsPassed: String(passed ? total : 0),
    testsTotal: String(total),
    code,
  });
}

describe("Build your GPT page", () => {
  it("needs an account", async () => {
    const res = await new Client(server.url).get("/build-your-gpt");
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toContain("/login");
  });

  it("takes the latest passing run, else the latest saved code, and only the learner's own", async () => {
    const a = new Client(server.url);
    await signUp(a);
    // softmax (10 tests): passed twice, then a failing run (which becomes the draft).
    expect((await run(a, "att-ex-softmax", 10, true, "function softmax(z) { /* first-pass */ return z; }")).status).toBe(200);
    expect((await run(a, "att-ex-softmax", 10, true, "function softmax(z) { /* second-pass */ return z; }")).status).toBe(200);
    expect((await run(a, "att-ex-softmax", 10, false, "function softmax(z) { /* later-fail */ return z; }")).status).toBe(200);
    // embeddings (5 tests): only a failing run, so its saved code.
    expect((await run(a, "train-ex-gpt-embed", 5, false, "function embed() { /* saved-only */ }")).status).toBe(200);

    const page = await (await a.get("/build-your-gpt")).text();
    expect(page).toContain("second-pass");
    expect(page).not.toContain("first-pass");
    expect(page).not.toContain("later-fail");
    expect(page).toContain("saved-only");
    expect(page.match(/Your code that passed its tests/g)).toHaveLength(1);
    expect(page.match(/Your latest saved code/g)).toHaveLength(1);
    expect(page.match(/You have not written this stage yet/g)).toHaveLength(6);

    const b = new Client(server.url);
    await signUp(b);
    const other = await (await b.get("/build-your-gpt")).text();
    expect(other).not.toContain("second-pass");
    expect(other).not.toContain("saved-only");
    expect(other.match(/You have not written this stage yet/g)).toHaveLength(8);
  });
});
