import { describe, expect, it } from "vitest";
import { belongsToBuild, changesLearner, pagePathOf, strategyFor } from "~/offline/policy";

const origin = "https://as.example";
const files = new Set(["/assets/root-AAA.js", "/assets/app-BBB.css", "/exercise-worker.js", "/manifest.webmanifest"]);
const at = (path: string, method = "GET") => strategyFor(method, new URL(path, origin), origin, files);

describe("what the service worker does with a request", () => {
  it("serves the build's own files from the build's cache", () => {
    expect(at("/assets/root-AAA.js")).toBe("shell");
    expect(at("/exercise-worker.js")).toBe("shell");
    expect(at("/manifest.webmanifest")).toBe("shell");
    // Another build's hashed file: still from the shell path (network when it is not this build's).
    expect(at("/assets/root-ZZZ.js")).toBe("shell");
  });

  it("keeps visited course, exercise and review pages, and their single-fetch data", () => {
    for (const p of ["/", "/overview", "/lessons", "/lessons/attention", "/exercises", "/exercises/softmax", "/review", "/help/mastery"]) expect(at(p), p).toBe("page");
    expect(at("/_root.data")).toBe("page");
    expect(at("/lessons/attention.data?_routes=routes%2Flessons.%24slug")).toBe("page");
    expect(at("/diagrams/attention/heads.svg")).toBe("page");
    expect(at("/__manifest?p=%2Flessons&version=abc")).toBe("page");
  });

  it("never stores writes, the API, sign-in, account pages, one-off review states or other origins", () => {
    expect(at("/review", "POST")).toBe("pass");
    expect(at("/lessons/attention", "HEAD")).toBe("pass");
    for (const p of ["/api/review", "/api/exercises/softmax", "/login", "/signup", "/logout", "/account", "/account/data", "/account/anki.apkg", "/healthz", "/progress", "/progress/stats"]) expect(at(p), p).toBe("pass");
    for (const p of ["/review?reveal=x", "/review?feedback=q1", "/review?undone=1", "/review?stale=1", "/review.data?rerated=1"]) expect(at(p), p).toBe("pass");
    expect(strategyFor("GET", new URL("https://cdn.example/assets/root-AAA.js"), origin, files)).toBe("pass");
    expect(at("/lessons/attention/quiz")).toBe("pass");
  });

  it("maps single-fetch data to its page", () => {
    expect(pagePathOf("/_root.data")).toBe("/");
    expect(pagePathOf("/lessons/attention.data")).toBe("/lessons/attention");
    expect(pagePathOf("/review")).toBe("/review");
  });

  it("forgets the learner's pages when a session starts or ends", () => {
    for (const p of ["/logout", "/logout.data", "/login", "/login.data", "/signup.data"]) expect(changesLearner("POST", p), p).toBe(true);
    expect(changesLearner("GET", "/logout")).toBe(false);
    expect(changesLearner("POST", "/review")).toBe(false);
  });
});

describe("a page belongs to the build whose files it names", () => {
  it("accepts a page naming only this build's files", () => {
    expect(belongsToBuild(`<link rel="stylesheet" href="/assets/app-BBB.css"><script type="module">import "/assets/root-AAA.js";</script>`, files)).toBe(true);
    expect(belongsToBuild("<p>no build files at all</p>", files)).toBe(true);
  });

  it("refuses a page from another deployment", () => {
    expect(belongsToBuild(`<link rel="stylesheet" href="/assets/app-BBB.css"><script src="/assets/root-NEW.js"></script>`, files)).toBe(false);
    expect(belongsToBuild(`<style>@font-face{src:url(/assets/KaTeX_Main-OLD.woff2)}</style>`, files)).toBe(false);
  });
});
