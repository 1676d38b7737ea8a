export { at, dateFromToday, dateRange, isSqlExpression, now, renderValue, sqlExpression, thisYear, timeRange, type Row, type RowValue, type SqlExpression } from './values';
export { columnsOf, deleteSql, insertSql, qualified, selectSql, tableKey, updateSql } from './statements';
