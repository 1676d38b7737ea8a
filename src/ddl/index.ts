export type { DdlKind, DdlObject, DdlPhase } from './object';
export { ddlObject } from './object';
export { quoteIdent, quoteLiteral, tableName, columnName } from './names';
export { defineFunction, defineTriggerFunction, type DbFunction, type FunctionArgument, type FunctionDefinition, type TriggerFunctionDefinition } from './function';
export { defineTrigger, type DbTrigger, type TriggerDefinition, type TriggerEvent } from './trigger';
export { exclusionConstraint, type DbConstraint, type ExclusionDefinition } from './constraint';
export { commentObjects, documentTable, tableDocs, type TableDocs, type TableDocumentation } from './comment';
export { extension, schema, statement, type StatementDefinition } from './statement';
export { diffDdl, advanceSnapshot, phaseStatements, assertUniqueKeys, emptyDdlSnapshot, type DdlDiff, type DdlChange, type DdlSnapshot } from './diff';
