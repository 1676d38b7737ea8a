export {
  crossTenantProbes,
  crossTenantTopicProbes,
  CUT_OFF,
  cutOffProbes,
  GUARDIAN_CUT_OFF,
  guardianCutOffProbes,
  matrixProbes,
  MEMBER_PERSONAS,
  NO_FIXTURE_ROW,
  type CutOff,
  type GuardianCutOff,
  type IdSource,
  type Probe,
  type ProbeExpectation,
} from './plan';
export { personaLabel, personaUser, policyWorldStatements, type GlobalUsers, type OrgExtras, type PolicyWorldIds } from './world';
export { writeSpecs, type DeleteWrite, type InsertWrite, type Row, type Seed, type SeedSql, type UpdateWrite, type WriteContext, type WriteSpec } from './writes';
export { pgTapSuite, PGTAP_FILE_PREFIX, type PgTapFile, type PgTapSuiteInput } from './pgtap';
export { exportPgTap, packagePgTapSuite, type ExportPgTapOptions, type ExportPgTapResult } from './export-pgtap';
