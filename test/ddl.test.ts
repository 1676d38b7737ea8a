import { pgTable, timestamp, uuid } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import { advanceSnapshot, columnName, defineFunction, defineTrigger, diffDdl, documentTable, emptyDdlSnapshot, exclusionConstraint } from '../src/ddl';

const bookings = pgTable('bookings', {
  id: uuid('id').primaryKey(),
  roomId: uuid('room_id').notNull(),
  startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
  endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
});

const touch = (body = 'begin new.updated_at := now(); return new; end') =>
  defineFunction({ schema: 'app', name: 'touch', returns: 'trigger', language: 'plpgsql', searchPath: '', body });

describe('database objects drizzle-kit cannot express', () => {
  it('refuses a security definer function without search_path = \'\'', () => {
    expect(() =>
      defineFunction({ schema: 'app', name: 'leaky', returns: 'int', language: 'sql', security: 'definer', body: 'select 1' }),
    ).toThrow(/app\.leaky\(\) is security definer and must set search_path = ''/);
  });

  it('revokes EXECUTE from everyone but the roles named', () => {
    const fn = defineFunction({
      schema: 'app', name: 'org_ids', args: [{ name: 'p_roles', type: 'text[]', default: 'null' }], returns: 'uuid[]',
      language: 'sql', volatility: 'stable', security: 'definer', searchPath: '', body: "select '{}'::uuid[]", executableBy: ['authenticated'],
    });
    expect(fn.signature).toBe('app.org_ids(text[])');
    expect(fn.create).toContain('revoke all on function app.org_ids(text[]) from public, anon, authenticated, service_role');
    expect(fn.create).toContain('grant execute on function app.org_ids(text[]) to authenticated');
    expect(fn.create[0]).toMatch(/security definer\nset search_path = ''\nas \$function\$/);
  });

  it('renders exclusion constraints and triggers against the Drizzle table', () => {
    const excl = exclusionConstraint(bookings, {
      name: 'bookings_room_overlap_excl',
      elements: `${columnName(bookings.roomId)} with =, tstzrange(${columnName(bookings.startsAt)}, ${columnName(bookings.endsAt)}, '[)') with &&`,
    });
    expect(excl.create).toEqual([
      "alter table public.bookings add constraint bookings_room_overlap_excl\nexclude using gist (room_id with =, tstzrange(starts_at, ends_at, '[)') with &&)",
    ]);
    const trigger = defineTrigger({ name: 'bookings_touch', table: bookings, timing: 'before', events: [{ updateOf: [bookings.startsAt] }], function: touch() });
    expect(trigger.create[0]).toBe('create trigger bookings_touch\nbefore update of starts_at on public.bookings\nfor each row\nexecute function app.touch()');
  });

  it('diffs declarations against the snapshot: new objects are created, unchanged ones are left alone', () => {
    const objects = [touch(), ...documentTable(bookings, { table: 'A room booking.', columns: { roomId: 'The room.' } })];
    const first = diffDdl(emptyDdlSnapshot.objects, objects, 'post');
    expect(first.changes.map((c) => c.action)).toEqual(['create', 'create', 'create']);
    const snapshot = advanceSnapshot(emptyDdlSnapshot, objects, 'post');
    expect(diffDdl(snapshot.objects, objects, 'post').statements).toEqual([]);
  });

  it('a changed function body is replaced in place; a changed trigger is dropped and recreated; a removed object is dropped', () => {
    const before = [touch(), defineTrigger({ name: 'bookings_touch', table: bookings, timing: 'before', events: ['update'], function: touch() })];
    const snapshot = advanceSnapshot(emptyDdlSnapshot, before, 'post');
    const changedFn = touch('begin return new; end');
    const after = [changedFn, defineTrigger({ name: 'bookings_touch', table: bookings, timing: 'before', events: ['insert', 'update'], function: changedFn })];
    const diff = diffDdl(snapshot.objects, after, 'post');
    expect(diff.changes).toEqual([
      { action: 'replace', key: 'function app.touch()' },
      { action: 'recreate', key: 'trigger bookings_touch on public.bookings' },
    ]);
    expect(diff.statements[0]).toBe('drop trigger if exists bookings_touch on public.bookings');
    const removed = diffDdl(snapshot.objects, [before[0]!], 'post');
    expect(removed.changes).toEqual([{ action: 'drop', key: 'trigger bookings_touch on public.bookings' }]);
  });

  it('refuses two declarations of one object', () => {
    expect(() => diffDdl([], [touch(), touch()], 'post')).toThrow(/declared twice: function app\.touch\(\)/);
  });

  it('documentTable refuses a column the table does not have', () => {
    expect(() => documentTable(bookings, { table: 'x', columns: { nope: 'y' } as never })).toThrow(/no column nope/);
  });
});
