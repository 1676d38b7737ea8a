/**
 * Compiled by `npm run typecheck` (and by test/supabase/client-types.test.ts): supabase-js queries
 * typed by `therapy-db/supabase`. Never run. Each `@ts-expect-error` is a query the types must refuse:
 * if it ever compiles, the directive itself becomes the error.
 */
import { createClient } from '@supabase/supabase-js';
import type { Database, Tables, TablesInsert } from '../../src/supabase';

const supabase = createClient<Database>('http://127.0.0.1:54321', 'anon-key');

export async function upcomingSessions(therapistId: string) {
  const { data, error } = await supabase
    .from('therapy_sessions')
    .select('id, start_time, status, session_participants(student_id, attendance)')
    .eq('therapist_id', therapistId)
    .in('status', ['scheduled', 'confirmed'])
    .order('start_time');
  if (error) throw error;
  for (const session of data) {
    const status: 'scheduled' | 'confirmed' | 'in_progress' | 'completed' | 'cancelled' | 'no_show' = session.status;
    const start: string = session.start_time;
    for (const participant of session.session_participants) {
      const attendance: Tables<'session_participants'>['attendance'] = participant.attendance;
      void attendance;
    }
    void status;
    void start;
  }
  return data;
}

export async function addStudent(row: TablesInsert<'students'>) {
  const { data } = await supabase.from('students').insert(row).select('id, first_name').single();
  return data?.id;
}

export async function cancel(sessionId: string) {
  await supabase.from('therapy_sessions').update({ status: 'cancelled', cancellation_reason: 'student_absent' }).eq('id', sessionId);
  const { data: conflicts } = await supabase.rpc('find_conflicts', {
    p_organization_id: sessionId,
    p_therapist_id: sessionId,
    p_start_time: '2026-01-05T09:00:00Z',
    p_end_time: '2026-01-05T09:30:00Z',
  });
  for (const conflict of conflicts ?? []) void (conflict.starts_at satisfies string);
  const { data: free } = await supabase.rpc('check_therapist_availability', {
    p_organization_id: sessionId,
    p_therapist_id: sessionId,
    p_start_time: '2026-01-05T09:00:00Z',
    p_end_time: '2026-01-05T09:30:00Z',
  });
  const available: boolean | null = free;
  return available;
}

export async function refused(sessionId: string) {
  // @ts-expect-error NEGATIVE: a status outside the code list
  await supabase.from('therapy_sessions').update({ status: 'done' }).eq('id', sessionId);
  // @ts-expect-error NEGATIVE: no such table
  await supabase.from('therapy_session').select('id');
  // @ts-expect-error NEGATIVE: an RPC that is not in the schema
  await supabase.rpc('soft_delete_message', { p_message_id: sessionId });
  const { data } = await supabase.from('students').select('first_name').single();
  // @ts-expect-error NEGATIVE: a column the query did not select
  return data?.date_of_birth;
}
