import { describe, expect, it } from "vitest";
import path from "node:path";
import { childPath, panicMessage } from "~/optimizer/fit-process.server";

describe("the optimizer's child process (ADR 029)", () => {
  it("reads the message of a Rust panic off the child's stderr", () => {
    const stderr = [
      "thread '<unnamed>' (6466) panicked at /home/runner/.cargo/git/checkouts/fsrs-rs-42b9aeb7291fb120/999b8b0/src/dataset.rs:62:14:",
      "Invalid FSRS item: at least one review with delta_t > 0 is required",
      "stack backtrace:",
      "thread '<unnamed>' (6466) panicked at /rustc/e408947/library/core/src/panicking.rs:225:5:",
      "panic in a function that cannot unwind",
    ].join("\n");
    expect(panicMessage(stderr)).toBe("Invalid FSRS item: at least one review with delta_t > 0 is required");
    expect(panicMessage("Segmentation fault")).toBeNull();
  });

  it("is found in the app's build folder, as content/ and the migrations are", () => {
    expect(childPath("/app")).toBe(path.join("/app", "build", "fit-child.cjs"));
  });
});
