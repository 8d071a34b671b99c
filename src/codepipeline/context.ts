import type { ServiceDeps } from '../core/deps.js';
import type { ArtifactStore } from './artifacts.js';
import type { Engine } from './engine.js';
import type { PipelineStore } from './store.js';

/** What every CodePipeline operation file works with. */
export interface PipelineContext {
  deps: ServiceDeps;
  store: PipelineStore;
  engine: Engine;
  artifacts: ArtifactStore;
}
