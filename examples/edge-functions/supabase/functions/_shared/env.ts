/** A required setting: Supabase provides SUPABASE_URL and SUPABASE_DB_URL to every function. */
export function requiredEnv(name: string): string {
  const value = Deno.env.get(name);
  if (!value) throw new Error(`${name} is not set (supabase secrets set ${name}=…, or .env for supabase functions serve)`);
  return value;
}
