export { pgTypeToTs, renderSupabaseTypes, type SupabaseTypesInput } from './supabase-types';
export { SUPABASE_TYPES_PATH, supabaseTypesText, writeSupabaseTypes } from './project';
export { VALIDATOR_COLUMNS_PATH, validatorColumnsText, writeValidatorColumns } from './validator-columns';
