import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  CHAIN_FUNCTION,
  CHAIN_PROMPT,
  GENERATE_FUNCTION,
  REFERENCE_STAGES,
  SAMPLING_CHECKS,
  STAGES,
  chainProgram,
  chainWeights,
  compareTraces,
  promptTokens,
  readSteps,
  referenceTrace,
  stageOfLine,
} from "~/gpt/chain";
import { forward } from "~/gpt/model";
import { seededRandom } from "~/gpt/random";
import { generate } from "~/gpt/sampling";
import { loadTinyGpt } from "~/gpt/shipped";
import type { WeightsFile } from "~/gpt/weights";
import { loadCourse } from "~/content/load.server";
import { runCallsInNode } from "~/exercise-worker/node-runner.server";

const model = loadTinyGpt(JSON.parse(readFileSync("app/gpt/tiny-gpt.weights.json", "utf8")) as WeightsFile);
const weights = chainWeights(model.config, model.params);
const tokens = promptTokens(model.vocab);
const { course } = loadCourse(path.join(process.cwd(), "content"));
const exercises = new Map(course.topics.flatMap((t) => t.exercises).map((e) => [e.id, e]));
const solutions = Object.fromEntries(STAGES.map((s) => [s.stage, exercises.get(s.exerciseId)!.solution]));
const starters = Object.fromEntries(STAGES.map((s) => [s.stage, exercises.get(s.exerciseId)!.starter]));

function runChain(stageCode: Record<number, string>) {
  const program = chainProgram(stageCode);
  const run = runCallsInNode(program.code, CHAIN_FUNCTION, [{ id: "chain", args: [weights, tokens, SAMPLING_CHECKS] }]);
  expect(run.compileError).toBeNull();
  const outcome = run.outcomes.chain!;
  expect(outcome.ok).toBe(true);
  return outcome.ok ? outcome.value : null;
}

const reference = referenceTrace(model.config, model.params, tokens);

describe("Build your GPT chain", () => {
  it("uses every stage's exercise, and the prompt is all in the vocabulary", () => {
    for (const s of STAGES) expect(exercises.get(s.exerciseId)?.function, s.exerciseId).toBe(s.functionName);
    expect(tokens.length).toBe([...CHAIN_PROMPT].length);
    expect(tokens.length).toBeLessThanOrEqual(model.config.contextLength);
  });

  it("assembled from the exercises' reference solutions, matches the training script's forward pass to 1e-5", () => {
    const trace = runChain(solutions) as { stage: number; value: number[][] }[];
    const logits = trace.find((t) => t.stage === 6)!.value;
    const { logits: expected } = forward(tokens, model.config, model.params);
    let worst = 0;
    logits.forEach((row, i) => row.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - expected[i * model.config.vocabSize + j]!)))));
    expect(logits.length * logits[0]!.length).toBe(expected.length);
    expect(worst).toBeLessThan(1e-5);
    expect(compareTraces(trace, reference, model.vocab, () => false).firstDifference).toBeNull();
  });

  it("assembled from the page's own reference stages, matches too", () => {
    const trace = runChain({});
    expect(compareTraces(trace, reference, model.vocab, () => true)).toEqual({ stages: STAGES.map((s) => ({ stage: s.stage, ok: true })), firstDifference: null });
  });

  it("names the first stage that differs, where, in the learner's terms", () => {
    const wrongNorm = REFERENCE_STAGES[2]!.replace("s /= d;", "s /= d - 1;"); // unbiased variance
    const report = compareTraces(runChain({ 2: wrongNorm }), reference, model.vocab, (s) => s !== 2);
    expect(report.firstDifference?.stage).toBe(2);
    expect(report.firstDifference?.message).toMatch(/^Your layer norm \(stage 2\) gives -?[\d.]+ at position 0, channel 0 \(block 1, before attention\) where the reference gives -?[\d.]+$/);
    expect(report.stages).toEqual([{ stage: 1, ok: true }, { stage: 2, ok: false, message: report.firstDifference!.message }]);
  });

  it("each starter is caught at its own stage when the others are correct", () => {
    for (const s of STAGES) {
      const report = compareTraces(runChain({ ...solutions, [s.stage]: starters[s.stage]! }), reference, model.vocab, () => false);
      expect(report.firstDifference?.stage, s.exerciseId).toBe(s.stage);
      expect(report.firstDifference?.message, s.exerciseId).toContain(`(stage ${s.stage})`);
    }
  });

  it("says which stage threw, and which code a syntax error is in", () => {
    const throwing = "function mlp() { throw new Error('not yet'); }";
    const report = compareTraces(runChain({ ...solutions, 4: throwing }), reference, model.vocab, () => false);
    expect(report.firstDifference).toEqual({ stage: 4, message: "Your MLP (stage 4) threw an error (block 1): Error: not yet" });
    const missing = compareTraces(runChain({ ...solutions, 6: "function project() { return []; }" }), reference, model.vocab, () => false);
    expect(missing.firstDifference?.message).toBe("Your output projection (stage 6) threw an error (loading): the code does not define a function called outputProjection");
    const program = chainProgram({ 3: "function multiHeadCausalSelfAttention(x) {\n  return x +;\n}" });
    const run = runCallsInNode(program.code, CHAIN_FUNCTION, [{ id: "chain", args: [weights, tokens, SAMPLING_CHECKS] }]);
    const line = Number(/line (\d+)/.exec(run.compileError ?? "")?.[1]);
    expect(stageOfLine(program, line)).toBe(3);
  });

  it("reads malformed results as differences, never as matches", () => {
    const typed = compareTraces(runChain({ ...solutions, 1: "function embed(t, te, pe) { return t.map((x, i) => Float64Array.from(te[x], (v, j) => v + pe[i][j])); }" }), reference, model.vocab, () => false);
    expect(typed.firstDifference?.message).toMatch(/^Your embeddings \(stage 1\) gives a Float64Array .* at position 0 \(embeddings\) where the reference gives a row of 32$/);
    const short = compareTraces(runChain({ ...solutions, 5: "function residual(s, u) { return s.slice(1).map((r, i) => r.map((v, j) => v + u[i + 1][j])); }" }), reference, model.vocab, () => false);
    expect(short.firstDifference?.message).toBe("Your residual connection (stage 5) returns 31 rows (block 1, after attention) where the reference has 32, one per position");
    const sampling = compareTraces(runChain({ ...solutions, 8: "function sampleTopK(z) { return z.indexOf(Math.max(...z)); }" }), reference, model.vocab, () => false);
    expect(sampling.firstDifference?.stage).toBe(8);
    expect(sampling.firstDifference?.message).toMatch(/^Your sampling \(stage 8\) picks .+ where the reference picks .+, with temperature 1, top-k 1000 and u = 0\.62$/);
    for (const junk of [null, 42, "trace", [{ stage: 1 }], [{ stage: 2, value: [] }]]) {
      expect(compareTraces(junk, reference, model.vocab, () => false).firstDifference?.stage).toBe(1);
    }
  });

  it("generates the same characters as the shipped model's own sampling", () => {
    const count = 12;
    const temperature = 0.8;
    const topK = 10;
    const random = seededRandom(3);
    const us = Array.from({ length: count }, () => random.next());
    const program = chainProgram(solutions);
    const run = runCallsInNode(program.code, GENERATE_FUNCTION, [{ id: "g", args: [weights, tokens, count, temperature, topK, us, 5] }]);
    const outcome = run.outcomes.g!;
    const steps = readSteps(outcome.ok ? outcome.value : null, model.config.vocabSize)!;
    let k = 0;
    const expected = generate(tokens, count, model.config, model.params, { temperature, topK, random: { next: () => us[k++]!, normal: () => 0, int: () => 0 } });
    expect(steps.map((s) => s.token)).toEqual(expected);
    expect(steps[0]!.top).toHaveLength(5);
    expect(steps[0]!.top[0]![1]).toBeGreaterThan(steps[0]!.top[1]![1]);
  });
});
