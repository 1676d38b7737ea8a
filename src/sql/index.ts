/**
 * Reading SQL text without parsing it: a lexer that is not fooled by comments, strings,
 * dollar-quoted bodies or quoted identifiers, and the split of a migration into statements. Used by
 * the checks (`therapy-db check`) and by the migration runner.
 */
export { tokenize, isWord, isPunct, SqlLexError, type Token, type TokenKind } from './lexer';
export { parseStatements, type SqlStatement } from './statements';
