/**
 * The offline resolver: answers from the knowledge base alone and makes no request. A repo's publisher comes from
 * its org; its own lineage is not looked up (so a re-packager's upload stays undetermined: its origin lies upstream).
 */
import type { Diagnostic } from "../model/types.js";
import { hubOrg } from "../util/hub-id.js";
import { toPublisher, type KnowledgeBase } from "./knowledge/knowledge-base.js";
import type { Resolver, UpstreamInfo } from "./types.js";

/** Creates the offline resolver over a knowledge base. */
export function createOfflineResolver(kb: KnowledgeBase): Resolver {
  return {
    network: false,
    async resolve(repos) {
      const out = new Map<string, UpstreamInfo>();
      for (const repo of repos) {
        const org = hubOrg(repo);
        out.set(repo, {
          repo,
          publisher: toPublisher(org, kb.publisherForOrg(org)),
          state: "resolved",
          parents: [],
          lineageLookedUp: false,
        });
      }
      return out;
    },
    diagnostics: (): Diagnostic[] => [],
  };
}
