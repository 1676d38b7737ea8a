/**
 * Every table of the schema and its relations, one module per domain area. drizzle-kit reads the
 * tables from here; the query API gets the relations from here. No DDL arrays: those are
 * aggregated in `./index`.
 */
export * from './identity';
export * from './people';
export * from './caseload';
export * from './scheduling';
export * from './documentation';
export * from './goals';
export * from './chat';
export * from './files';
export * from './billing';
export * from './notifications';
export * from './integrations';
export * from './audit';
