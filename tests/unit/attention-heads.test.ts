import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { headReach, MAX_CHARS, realHeads } from "~/domain/attention-heads";
import { encode } from "~/gpt/characters";
import { embed, forward, layerNorm, linear } from "~/gpt/model";
import { loadTinyGpt } from "~/gpt/shipped";
import type { WeightsFile } from "~/gpt/weights";

const model = loadTinyGpt(JSON.parse(readFileSync("app/gpt/tiny-gpt.weights.json", "utf8")) as WeightsFile);
const PROMPT = "First Citizen:";

describe("the attention widget's real heads", () => {
  it("are the forward pass's attention weights, for every layer and head", () => {
    const heads = realHeads(PROMPT, model);
    const tokens = encode(PROMPT, model.vocab).tokens;
    const n = tokens.length;
    expect(heads.tokens.map((t) => t.short).join("")).toBe("First␣Citizen:");
    expect(heads.tokens[5]!.long).toBe("space (6)");
    const { attention } = forward(tokens, model.config, model.params);
    expect(heads.weights).toHaveLength(model.config.nLayers);
    for (let l = 0; l < model.config.nLayers; l++) {
      expect(heads.weights[l]).toHaveLength(model.config.nHeads);
      for (let h = 0; h < model.config.nHeads; h++) {
        for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) expect(heads.weights[l]![h]![i]![j]).toBe(attention[l]![h]![i * n + j]);
      }
    }
  });

  it("are softmax(QKᵀ/√d_head) under the causal mask, computed here from the first layer's own weights", () => {
    // Layer 1 from scratch with the model's building blocks: embeddings, layer norm, Q and K.
    const { config, params } = model;
    const tokens = encode(PROMPT, model.vocab).tokens;
    const n = tokens.length;
    const d = config.dModel;
    const headDim = d / config.nHeads;
    const l = params.layers[0]!;
    const x = layerNorm(embed(tokens, config, params), n, d, l.ln1Gain, l.ln1Bias).y;
    const q = linear(x, n, d, l.wq, d);
    const k = linear(x, n, d, l.wk, d);
    const heads = realHeads(PROMPT, model);
    for (let h = 0; h < config.nHeads; h++) {
      for (let i = 0; i < n; i++) {
        const scores = Array.from({ length: i + 1 }, (_, j) => {
          let dot = 0;
          for (let c = h * headDim; c < (h + 1) * headDim; c++) dot += q[i * d + c]! * k[j * d + c]!;
          return dot / Math.sqrt(headDim);
        });
        const max = Math.max(...scores);
        const exps = scores.map((s) => Math.exp(s - max));
        const total = exps.reduce((a, b) => a + b, 0);
        for (let j = 0; j < n; j++) {
          expect(heads.masked[i]![j]).toBe(j > i);
          expect(heads.weights[0]![h]![i]![j]).toBeCloseTo(j > i ? 0 : exps[j]! / total, 12);
        }
        expect(heads.weights[0]![h]![i]!.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
      }
    }
  });

  it("leave out unknown characters and anything past the first 16", () => {
    const long = realHeads("Rome€, Rome, Rome, Rome!", model);
    expect(long.unknown).toBe(1);
    expect(long.tokens).toHaveLength(MAX_CHARS);
    expect(long.truncated).toBe("Rome, Rome, Rome, Rome!".length - MAX_CHARS);
    expect(long.weights[1]![3]).toHaveLength(MAX_CHARS);
    const none = realHeads("€€", model);
    expect(none.tokens).toHaveLength(0);
    expect(none.weights).toEqual([]);
  });

  it("reach as far as the lesson says: layer 1 looks at the last few characters, layer 2 further back", () => {
    const text = readFileSync("app/gpt/corpus/coriolanus-act-1.txt", "utf8");
    const reach = headReach(text, model, {
      window: 32,
      stride: 211,
      fromRow: 16,
    });
    for (const r of reach.filter((r) => r.layer === 0)) {
      expect(r.nearShare, `layer 1 head ${r.head + 1}`).toBeGreaterThan(0.6);
      expect(r.meanDistance).toBeLessThan(3);
    }
    for (const r of reach.filter((r) => r.layer === 1)) {
      expect(r.nearShare, `layer 2 head ${r.head + 1}`).toBeLessThan(0.25);
      expect(r.meanDistance).toBeGreaterThan(10);
    }
  });
});
