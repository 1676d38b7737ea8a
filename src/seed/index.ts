/**
 * The district-scale data generator behind `npm run seed` and `npm run bench`: a deterministic,
 * constraint-respecting data set loaded with COPY. Development tooling, not part of the published
 * package's entry points.
 */
export { DEFAULT_BENCH_DATA_DIR, openBenchDatabase, recreateServerDatabase, type OpenedDatabase, type OpenOptions } from './database';
export { BASE, DEFAULT_ANCHOR, DEFAULT_SEED, makePlan, parseAnchor, planTotals, type OrgPlan, type SeedPlan } from './plan';
export { Prng } from './prng';
export { DATASET_TABLE, readDataset, resumePausedTriggers, seed, SeedError, type DatasetInfo, type SeedOptions, type SeedResult } from './seed';
