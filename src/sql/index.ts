/**
 * Reading SQL text without parsing it: a lexer that is not fooled by comments, strings,
 * dollar-quoted bodies or quoted identifiers, and the split of a migration into statements. Used by
 * the checks (`therapy-db check`) and by the migration runner. And writing it: `indentSql` nests one
 * query in another (the RLS helpers, the benchmark).
 */
export { tokenize, isWord, isPunct, SqlLexError, type Token, type TokenKind } from './lexer';
export { parseStatements, type SqlStatement } from './statements';
export { indentSql } from './format';
