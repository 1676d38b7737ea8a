/**
 * `therapy-db/supabase`: the supabase-js types of the package's schema.
 *
 * ```ts
 * import { createClient } from '@supabase/supabase-js';
 * import type { Database } from 'therapy-db/supabase';
 * const supabase = createClient<Database>(url, anonKey);
 * ```
 */
export type { CompositeTypes, Database, Enums, Json, Tables, TablesInsert, TablesUpdate } from './database';
