export { describeDbError, findDbError, formatDbError, isDbError, registerConstraintMessages, type DbErrorKind, type DescribedDbError } from './describe';
