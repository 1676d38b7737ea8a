/**
 * `therapy-db check` as functions: the CI migration checks (drift, integrity, replay, catalogue,
 * safety) and their report renderers.
 */
export { runChecks, type CheckOptions, type CheckReport } from './run';
export { renderText, renderJson, renderGithubAnnotations, type RenderOptions } from './report';
export { CheckUsageError, type Check, type CheckId, type CheckOutcome, type CheckResult, type CheckStatus, type Finding, type SourceLocation } from './model';
export { runCatalogueChecks, catalogueChecks, DEFAULT_API_ROLES, DEFAULT_EXPOSED_SCHEMAS, DEFAULT_PLATFORM_SCHEMAS, type CatalogueContext, type CatalogueOptions } from './catalogue';
export { detectDrift, type DriftReport } from './snapshot-drift';
export { driftCheck, packageDriftSource, type DriftContext, type DriftSource } from './drift';
export { integrityCheck, type IntegrityContext } from './integrity';
export { replayCheck, type ReplayContext } from './replay';
export { sqlDriftCheck, type SqlDriftContext } from './sql-drift';
export { readInventory, compareInventories, INVENTORY_KINDS, type Inventory, type InventoryDifference } from './inventory';
export { writeSourceMigrations } from './source-migrations';
export { safetyCheck, type SafetyContext } from './safety';
export { SAFETY_RULES, type SafetyRule } from './allow-marker';
export { readBaseMigrations, type BaseMigrations } from './git';
export { releasedBaseline, type Baseline } from './baseline';
export { readParsedMigrations, parseMigration, parseSql, type ParsedMigration, type ParsedStatement } from './migrations';
export { fileState, statementViolations, writeBlockingLocks, type FileState, type SafetyViolation } from './safety-rules';
export { tableLocks, blocksWrites, lockName, lockRank, LOCK_MODES, MIGRATION_LOCK_TIMEOUT, type LockMode, type TableLock } from './locks';
export { formatName, type QualifiedName } from './sql/names';
export { buildLocator, type Locator } from './locate';
