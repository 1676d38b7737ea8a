export { describeDbError, formatDbError, isDbError, registerConstraintMessages, type DbErrorKind, type DescribedDbError } from './describe';
