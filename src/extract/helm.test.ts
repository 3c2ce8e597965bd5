import { describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import { helmToYaml, helmValueVariables, isHelmTemplate } from "./helm.js";
import { parseYamlDocument } from "./document.js";
import { scan } from "../scan/scan.js";
import { loadKnowledgeBase } from "../resolve/knowledge/knowledge-base.js";

const CHART = fileURLToPath(new URL("./fixtures/helm-chart", import.meta.url));

describe("Helm templates", () => {
  it("turn value reads into variables and control lines into blank lines, keeping every line where it was", () => {
    const t = [
      '  name: {{ include "x.fullname" . }}',
      "  {{- if .Values.gpu }}",
      '  - "{{ .Values.model.name }}"',
      "  - {{ .Values.model.served | quote }}",
      '  value: {{ .Values.reranker.repo | default "BAAI/bge-reranker-v2-m3" | quote }}',
      "  {{- end }}",
    ].join("\n");
    const y = helmToYaml(t);
    expect(y.split("\n")).toEqual([
      '  name: "helm-expression"',
      "",
      '  - "${HELM_VALUES__model__name}"',
      '  - "${HELM_VALUES__model__served}"',
      '  value: "${HELM_VALUES__reranker__repo:-BAAI/bge-reranker-v2-m3}"',
      "",
    ]);
    // An unquoted action inside a flow list stays valid YAML; the prefix form of default is read too.
    expect(helmToYaml('args: ["--model", {{ .Values.model.name | quote }}, {{ default "org/x" .Values.tok }}]')).toBe(
      'args: ["--model", "${HELM_VALUES__model__name}", "${HELM_VALUES__tok:-org/x}"]',
    );
    expect(isHelmTemplate("chart/templates/a.yaml", t)).toBe(true);
    expect(isHelmTemplate("chart/values.yaml", t)).toBe(false);
    expect(isHelmTemplate("chart/templates/plain.yaml", "kind: Service\n")).toBe(false);
  });

  it("a values file gives its scalars as variables scoped to the chart, with their lines", () => {
    const doc = parseYamlDocument("model:\n  name: Qwen/Qwen2.5-7B-Instruct\n  max-len: 8\nlist: [a, b]\n", 0);
    const vars = helmValueVariables(doc.data, "chart/values.yaml", "chart", (p) => ({
      file: "chart/values.yaml",
      line: doc.locate(p)?.line ?? 0,
      pointer: p,
    }));
    // `max-len` cannot be read as `.Values.model.max-len` in a template; lists are not scalars.
    expect(vars.map((v) => [v.name, v.value, v.location.line, v.scope])).toEqual([
      ["HELM_VALUES__model__name", "Qwen/Qwen2.5-7B-Instruct", 2, "chart"],
    ]);
  });

  it("a chart's templates take their models from its default values, or a template default", async () => {
    const r = await scan({
      root: CHART,
      kb: loadKnowledgeBase(),
      packs: [],
      failOn: "never",
      offline: true,
      organization: [],
    });
    const fromTemplates = r.references.filter((x) => x.location.file === "templates/deployment.yaml");
    expect(
      fromTemplates.map((x) => [
        x.target,
        x.location.line,
        x.facts?.definedAt ?? (x.facts?.usedDefault ? "template default" : undefined),
      ]),
    ).toEqual([
      ["Qwen/Qwen2.5-7B-Instruct", 16, "values.yaml:6"],
      ["BAAI/bge-m3", 29, "values.yaml:10"],
      ["BAAI/bge-reranker-v2-m3", 31, "template default"],
    ]);
    expect(r.diagnostics.filter((d) => d.location?.file?.startsWith("templates/"))).toEqual([]);
    // The override file's id is read as a setting of its own, not as the chart's value.
    expect(r.references.find((x) => x.location.file === "values-prod.yaml")?.target).toBe("Qwen/Qwen2.5-72B-Instruct");
  });
});
