export { applySupabaseShim, hasSupabasePlatform, supabaseShimParts, type ShimPart, type ShimResult } from './supabase-shim';
