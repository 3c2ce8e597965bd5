// Fixture written for aiprov in the shape of huggingface/chat-ui embeddingEndpoints/transformersjs (CODE-REFERENCES.md).
import { z } from "zod";
import type { EmbeddingEndpoint } from "../embeddingEndpoints";
import type { Tensor, FeatureExtractionPipeline } from "@huggingface/transformers";
import { pipeline } from "@huggingface/transformers";

export const embeddingEndpointTransformersJSParametersSchema = z.object({
	weight: z.number().int().positive().default(1),
	model: z.any(),
	type: z.literal("transformersjs"),
});

const pipelines: { name: string; pipeline: Promise<FeatureExtractionPipeline> }[] = [];

async function getPipeline(modelName: string): Promise<FeatureExtractionPipeline> {
	const cached = pipelines.find((p) => p.name === modelName);
	if (cached) return cached.pipeline;
	const created = pipeline("feature-extraction", modelName) as Promise<FeatureExtractionPipeline>; // ref: 1
	pipelines.push({ name: modelName, pipeline: created });
	return created;
}

export async function calculateEmbedding(modelName: string, inputs: string[]) {
	const extractor = await getPipeline(modelName);
	const output: Tensor = await extractor(inputs, { pooling: "mean", normalize: true });
	return output.tolist();
}

export function embeddingEndpointTransformersJS(input: z.input<typeof embeddingEndpointTransformersJSParametersSchema>): EmbeddingEndpoint {
	const { model } = embeddingEndpointTransformersJSParametersSchema.parse(input);
	return async ({ inputs }) => {
		return calculateEmbedding(model.name, inputs); // ref: 2
	};
}
