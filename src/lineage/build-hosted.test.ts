import { describe, expect, it } from "vitest";
import { buildLineage } from "./build.js";
import { loadKnowledgeBase } from "../resolve/knowledge/knowledge-base.js";
import type { ModelReference } from "../model/types.js";

const kb = loadKnowledgeBase();

function hosted(model: string, provider: string, line: number): ModelReference {
  return {
    id: `h${line}`,
    extractor: "js-code",
    kind: "hosted-model",
    raw: model,
    target: model,
    provider,
    strength: "declared",
    location: { file: "server/llm.js", line },
  };
}

describe("hosted models in the lineage", () => {
  it("become hosted nodes with the provider's entity and country from the knowledge base", () => {
    const { graph } = buildLineage({
      components: [],
      references: [
        hosted("gpt-4o", "openai", 3),
        hosted("deepseek-chat", "deepseek", 4),
        hosted("x-1", "no-such-provider", 5),
      ],
      kb,
      organization: [],
      upstream: new Map(),
    });
    const byId = new Map(graph.nodes.map((n) => [n.id, n]));
    expect(byId.get("hosted:openai/gpt-4o")).toMatchObject({
      kind: "hosted",
      name: "gpt-4o",
      provider: { id: "openai", name: "OpenAI" },
      publisher: { country: "US" },
      status: "third-party",
      inProduct: true,
    });
    expect(byId.get("hosted:deepseek/deepseek-chat")?.publisher).toMatchObject({
      country: "CN",
      entity: expect.stringContaining("DeepSeek"),
    });
    // A provider the table does not know has no country: never guessed.
    expect(byId.get("hosted:no-such-provider/x-1")?.publisher?.country).toBe("unknown");
  });

  it("every provider of the bundled table has an entity, a country and a cited source", () => {
    for (const id of [
      "openai",
      "anthropic",
      "google",
      "mistral",
      "deepseek",
      "moonshot",
      "dashscope",
      "zhipu",
      "fireworks",
      "together",
      "groq",
    ]) {
      const p = kb.hostedProvider?.(id);
      expect(p?.country, id).toMatch(/^[A-Z]{2}$/);
      expect(p?.source.url, id).toMatch(/^https:\/\//);
    }
  });
});
