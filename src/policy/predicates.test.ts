/**
 * The predicate registry (`PREDICATES` in engine.ts) and the rule-pack schema describe one language: every condition
 * key of the schema has an engine predicate and the other way round, and a key takes a `$parameter` in the schema
 * exactly when its registry entry declares the parameter type. A key added to the schema alone fails here; a key added
 * to the `Condition` type alone fails the build (`satisfies`).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError } from "../errors.js";
import { packagePath } from "../util/package-root.js";
import type { LineageGraph } from "../model/types.js";
import { evaluatePacks, PREDICATES, predicateOf } from "./engine.js";
import { loadPacks } from "./load.js";
import type { Condition } from "./types.js";

interface SchemaNode {
  $ref?: string;
  [k: string]: unknown;
}
const schema = JSON.parse(readFileSync(packagePath("schemas", "rule-pack.schema.json"), "utf8")) as {
  definitions: { condition: { properties: Record<string, SchemaNode> } };
};
const schemaKeys = schema.definitions.condition.properties;

/** Every `$ref` inside a schema node. */
function refs(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(refs);
  if (!node || typeof node !== "object") return [];
  return Object.entries(node).flatMap(([k, v]) => (k === "$ref" && typeof v === "string" ? [v] : refs(v)));
}

const tmp = mkdtempSync(join(tmpdir(), "aiprov-predicates-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("the predicate registry and the rule-pack schema", () => {
  it("name the same condition keys", () => {
    expect(Object.keys(PREDICATES).sort()).toEqual(Object.keys(schemaKeys).sort());
  });

  it("agree on which keys take a $parameter, and of which type", () => {
    for (const [key, sub] of Object.entries(schemaKeys)) {
      const r = refs(sub);
      const takesParam = r.includes("#/definitions/param") || r.includes("#/definitions/listOrParam");
      const declared = (PREDICATES as Record<string, { param?: string }>)[key]?.param;
      expect(takesParam, key).toBe(declared !== undefined);
    }
  });

  it("agree on which keys nest conditions", () => {
    const samples: Record<string, Condition> = {
      all: { all: [{ kind: "local" }] },
      any: { any: [{ kind: "local" }] },
      not: { not: { kind: "local" } },
      edge: { edge: { relations: ["finetune"], to: { kind: "local" } } },
      ancestor: { ancestor: { via: ["finetune"], where: { kind: "local" } } },
      subcomponent: { subcomponent: { where: { kind: "local" } } },
      someNode: { someNode: { where: { kind: "local" } } },
    };
    for (const [key, sub] of Object.entries(schemaKeys)) {
      const nests = refs(sub).includes("#/definitions/condition");
      expect(nests, key).toBe(key in samples);
      if (nests) {
        const { predicate, arg } = predicateOf(samples[key]!);
        expect(predicate.children(arg), key).toEqual([{ kind: "local" }]);
      }
    }
  });

  it("an unknown key is an error, never a condition that silently does not match", () => {
    const graph: LineageGraph = {
      nodes: [{ id: "local:m", kind: "local", role: "model", name: "m", status: "own", inProduct: true }],
      edges: [],
    };
    const pack = {
      id: "p",
      version: "1",
      title: "t",
      description: "d",
      undetermined: "fail" as const,
      file: "p.yaml",
      rules: [
        {
          id: "r",
          title: "t",
          severity: "error" as const,
          verdict: "fail" as const,
          description: "d",
          source: { title: "s" },
          messages: { m: "x" },
          when: { bogus: true } as unknown as Condition,
        },
      ],
    };
    expect(() => evaluatePacks(graph, [pack])).toThrow(/unknown policy condition \["bogus"\]/);
  });
});

describe("rules choose their message", () => {
  const graph: LineageGraph = {
    nodes: [
      { id: "local:a", kind: "local", role: "vision-encoder", name: "a", status: "own", inProduct: true },
      { id: "local:b", kind: "local", role: "model", name: "b", status: "own", inProduct: true },
    ],
    edges: [],
  };
  const pack = (message: string): string => `id: chooser
version: "1"
title: t
description: d
undetermined: fail
rules:
  - id: every-node
    title: t
    severity: error
    verdict: fail
    description: d
    source: { title: s }
    messages:
      generic: "{node} is a part"
      encoder: "{node} is an encoder"
${message}
    when: { kind: local }
`;

  it("by id, or by the first entry whose condition holds on the matched node", () => {
    const fixed = join(tmp, "chooser.yaml");
    writeFileSync(fixed, pack("    message: encoder"));
    expect(
      evaluatePacks(graph, loadPacks([fixed])).findings.map((f) => [f.node, f.message.id, f.message.text]),
    ).toEqual([
      ["local:a", "encoder", "a is an encoder"],
      ["local:b", "encoder", "b is an encoder"],
    ]);
    writeFileSync(
      fixed,
      pack("    message:\n      - { id: encoder, when: { role: [vision-encoder] } }\n      - { id: generic }"),
    );
    expect(evaluatePacks(graph, loadPacks([fixed])).findings.map((f) => [f.node, f.message.id])).toEqual([
      ["local:a", "encoder"],
      ["local:b", "generic"],
    ]);
  });

  it("without a choice, or when none holds, the first message", () => {
    const file = join(tmp, "chooser.yaml");
    writeFileSync(file, pack("    message:\n      - { id: encoder, when: { role: [audio-encoder] } }"));
    expect(evaluatePacks(graph, loadPacks([file])).findings.map((f) => f.message.id)).toEqual(["generic", "generic"]);
  });

  it("an id that names no message, or an undeclared parameter in a choice, is a pack error", () => {
    const file = join(tmp, "chooser.yaml");
    writeFileSync(file, pack("    message:\n      - { id: encoder, when: { role: $roles } }\n      - { id: typo }"));
    expect(() => loadPacks([file])).toThrow(ConfigError);
    try {
      loadPacks([file]);
    } catch (e) {
      expect((e as ConfigError).problems).toEqual([
        `${file}:/rules/0/message/0/when: unknown parameter '$roles'`,
        `${file}:/rules/0/message/1/id: unknown message id 'typo' (messages: generic, encoder)`,
      ]);
    }
  });
});
