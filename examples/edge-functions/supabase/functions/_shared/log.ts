/**
 * Structured logs: one JSON object per line on stdout, which Supabase's log explorer indexes. Ids,
 * statuses, SQLSTATEs and constraint names only — never a token, a body or a student's name.
 */
export type LogFields = Record<string, string | number | boolean | null | undefined>;

export function log(level: 'info' | 'warn' | 'error', event: string, fields: LogFields = {}): void {
  const line = JSON.stringify({ time: new Date().toISOString(), level, event, ...fields });
  if (level === 'error') console.error(line);
  else console.log(line);
}
