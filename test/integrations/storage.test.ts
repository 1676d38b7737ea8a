import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { personaKeys, seedFixture, type Fixture, type PersonaKey } from '../../src/demo';
import { stableId } from '../../src/demo/ids';
import { documentStoragePath, storageBucketDefinitions } from '../../src/integrations';
import { asAnon, asUser } from '../../src/testing';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { sqlState } from './support';

/**
 * Storage against the shim's `storage` schema (Supabase's tables and helper functions). The
 * `storage.objects` policies defer to the `documents` row, read under the documents table's own
 * RLS, so these expectations are the access matrix of `documents` (domain.md) applied to objects.
 */
describe('storage: buckets and object policies deferring to documents', () => {
  let db: TestDatabase;
  let f: Fixture;
  /** The fixture's IEP of student s1 in org A (visibility guardians, uploaded by the org admin). */
  let iep: { id: string; path: string };
  /** A chat attachment in org A's conversation (therapist and guardian take part), uploaded by the therapist. */
  let attachment: { id: string; path: string };

  beforeAll(async () => {
    db = await createTestDatabase();
    f = await seedFixture(db.sql);
    const [doc] = await db.sql<{ id: string; storage_path: string }[]>`
      select id, storage_path from public.documents where organization_id = ${f.a.organizationId} and category = 'iep'`;
    iep = { id: doc!.id, path: doc!.storage_path };
    const attachmentId = stableId('test:storage:attachment');
    attachment = {
      id: attachmentId,
      path: documentStoragePath({ bucket: 'chat-attachments', organizationId: f.a.organizationId, conversationId: f.a.conversationId, documentId: attachmentId, extension: 'png' }),
    };
    await db.sql`insert into public.documents (id, organization_id, conversation_id, bucket_id, storage_path, category, file_name, mime_type, size_bytes, visibility, uploaded_by)
      values (${attachment.id}, ${f.a.organizationId}, ${f.a.conversationId}, 'chat-attachments', ${attachment.path}, 'chat_attachment', 'homework.png', 'image/png', 2048, 'participants', ${f.a.users.therapist})`;
    // The uploads themselves, as the Storage API (service) would have written them.
    await db.sql`insert into storage.objects (bucket_id, name) values ('student-records', ${iep.path}), ('chat-attachments', ${attachment.path})`;
  });
  afterAll(() => db.close());

  it('creates the buckets idempotently: private student-records and chat-attachments, public org-assets, with limits', async () => {
    const rows = await db.sql<{ id: string; public: boolean; file_size_limit: string; allowed_mime_types: string[] }[]>`
      select id, public, file_size_limit::text, allowed_mime_types from storage.buckets order by id`;
    expect(rows.map((r) => [r.id, r.public])).toEqual([
      ['chat-attachments', false],
      ['org-assets', true],
      ['student-records', false],
    ]);
    for (const row of rows) {
      const def = storageBucketDefinitions[row.id as keyof typeof storageBucketDefinitions];
      expect(Number(row.file_size_limit)).toBe(def.fileSizeLimit);
      expect(row.allowed_mime_types).toEqual([...def.allowedMimeTypes]);
    }
    // Re-running the statement restores limits changed by hand.
    await db.sql`update storage.buckets set file_size_limit = 1 where id = 'student-records'`;
    const { storageObjects } = await import('../../src/integrations');
    const buckets = storageObjects.find((o) => o.key.startsWith('storage buckets'))!;
    for (const statement of buckets.create) await db.sql.unsafe(statement);
    const [limit] = await db.sql`select file_size_limit from storage.buckets where id = 'student-records'`;
    expect(Number(limit?.file_size_limit)).toBe(storageBucketDefinitions['student-records'].fileSizeLimit);
  });

  const canRead = (user: string, bucket: string, name: string) =>
    asUser(db.sql, { sub: user }, async (tx) => {
      const rows = await tx`select 1 from storage.objects where bucket_id = ${bucket} and name = ${name}`;
      return rows.length === 1;
    });

  const upload = (user: string, bucket: string, name: string) =>
    sqlState(asUser(db.sql, { sub: user }, (tx) => tx`insert into storage.objects (bucket_id, name, owner) values (${bucket}, ${name}, ${user}) returning id`));

  /** Who reads the IEP object: documents' matrix (admin; caseload therapist; guardian and student, as it is shared with guardians). */
  const iepReaders: Readonly<Record<PersonaKey, boolean>> = {
    org_admin: true,
    therapist: true,
    supervisor: false, // supervises the SLPA, whose caseload is s2
    supervisee: false,
    guardian: true,
    student: true,
    school_staff: false,
    billing: false,
  };

  describe('read: a student record (documents RLS decides) [waits on the documents policies]', () => {
    for (const persona of personaKeys) {
      it(`${persona} of the same organisation ${iepReaders[persona] ? 'reads' : 'does not read'} the IEP`, async () => {
        expect(await canRead(f.a.users[persona], 'student-records', iep.path)).toBe(iepReaders[persona]);
      });
    }

    it('nobody of another organisation reads it', async () => {
      for (const persona of personaKeys) expect(await canRead(f.b.users[persona], 'student-records', iep.path)).toBe(false);
    });

    it('a soft-deleted document hides its object, even from the org admin', async () => {
      const seen = await asUser(db.sql, { sub: f.a.users.org_admin }, async (tx) => {
        await tx.unsafe('reset role');
        await tx`update public.documents set deleted_at = now() where id = ${iep.id}`;
        await tx`select set_config('role', 'authenticated', true)`;
        return (await tx`select 1 from storage.objects where name = ${iep.path}`).length;
      });
      expect(seen).toBe(0);
    });
  });

  describe('read: a chat attachment (participants of the conversation) [waits on the documents policies]', () => {
    const readers: Readonly<Record<PersonaKey, boolean>> = {
      org_admin: true,
      therapist: true,
      supervisor: false,
      supervisee: false,
      guardian: true,
      student: false,
      school_staff: false,
      billing: false,
    };
    for (const persona of personaKeys) {
      it(`${persona} ${readers[persona] ? 'reads' : 'does not read'} it`, async () => {
        expect(await canRead(f.a.users[persona], 'chat-attachments', attachment.path)).toBe(readers[persona]);
      });
    }
    it('another organisation does not', async () => {
      expect(await canRead(f.b.users.therapist, 'chat-attachments', attachment.path)).toBe(false);
      expect(await canRead(f.b.users.guardian, 'chat-attachments', attachment.path)).toBe(false);
    });
  });

  it('an object without a documents row is invisible to everyone (service role aside)', async () => {
    const stray = `${f.a.organizationId}/students/${f.a.studentIds[0]}/iep/${stableId('test:stray')}.pdf`;
    await db.sql`insert into storage.objects (bucket_id, name) values ('student-records', ${stray})`;
    for (const persona of personaKeys) expect(await canRead(f.a.users[persona], 'student-records', stray)).toBe(false);
  });

  it('anon reads no object, not even in the public bucket (public URLs bypass the API, not RLS)', async () => {
    const n = await asAnon(db.sql, async (tx) => (await tx`select 1 from storage.objects`).length);
    expect(n).toBe(0);
  });

  it('reading objects never recurses through the documents policies, for any persona', async () => {
    for (const persona of personaKeys) {
      for (const org of [f.a, f.b]) {
        expect(await sqlState(asUser(db.sql, { sub: org.users[persona] }, (tx) => tx`select count(*) from storage.objects`))).toBe('ok');
      }
    }
  });

  describe('upload: the metadata row first, then the object at the path it names', () => {
    /** A documents row written as the owner (bypassing the documents policies) for a given uploader. */
    const documentRow = async (uploadedBy: string, options: { path?: string; id?: string } = {}) => {
      const id = options.id ?? stableId(`test:upload:${Math.random()}`);
      const path = options.path ?? documentStoragePath({ bucket: 'student-records', organizationId: f.a.organizationId, studentId: f.a.studentIds[0], category: 'evaluation_report', documentId: id, extension: 'pdf' });
      await db.sql`insert into public.documents (id, organization_id, student_id, bucket_id, storage_path, category, file_name, mime_type, size_bytes, visibility, uploaded_by)
        values (${id}, ${f.a.organizationId}, ${f.a.studentIds[0]}, 'student-records', ${path}, 'evaluation_report', 'eval.pdf', 'application/pdf', 4096, 'staff', ${uploadedBy})`;
      return { id, path };
    };

    it('no documents row: nobody may upload, whatever the path', async () => {
      const path = `${f.a.organizationId}/students/${f.a.studentIds[0]}/iep/${stableId('test:no-row')}.pdf`;
      for (const persona of personaKeys) expect(await upload(f.a.users[persona], 'student-records', path)).toBe('42501');
    });

    it('the uploader of the row may upload its object [waits on the documents policies]', async () => {
      const row = await documentRow(f.a.users.therapist);
      expect(await upload(f.a.users.therapist, 'student-records', row.path)).toBe('ok');
    });

    it('a therapist creates the row through RLS, then uploads [waits on the documents policies]', async () => {
      const id = stableId('test:therapist-upload');
      const path = documentStoragePath({ bucket: 'student-records', organizationId: f.a.organizationId, studentId: f.a.studentIds[0], category: 'session_attachment', documentId: id, extension: 'pdf' });
      const result = await sqlState(
        asUser(db.sql, { sub: f.a.users.therapist }, async (tx) => {
          await tx`insert into public.documents (id, organization_id, student_id, bucket_id, storage_path, category, file_name, mime_type, size_bytes, uploaded_by)
            values (${id}, ${f.a.organizationId}, ${f.a.studentIds[0]}, 'student-records', ${path}, 'session_attachment', 'worksheet.pdf', 'application/pdf', 1000, ${f.a.users.therapist})`;
          await tx`insert into storage.objects (bucket_id, name, owner) values ('student-records', ${path}, ${f.a.users.therapist})`;
        }),
      );
      expect(result).toBe('ok');
    });

    it('nobody else may upload to a row they did not create, not even the org admin', async () => {
      const row = await documentRow(f.a.users.therapist);
      for (const persona of personaKeys.filter((p) => p !== 'therapist')) {
        expect(await upload(f.a.users[persona], 'student-records', row.path)).toBe('42501');
      }
      expect(await upload(f.b.users.therapist, 'student-records', row.path)).toBe('42501');
    });

    it('the object must sit at the conventional path of its row', async () => {
      const id = stableId('test:odd-path');
      const odd = `${f.a.organizationId}/students/${f.a.studentIds[0]}/evaluation_report/eval-final.pdf`;
      await documentRow(f.a.users.org_admin, { id, path: odd });
      expect(await upload(f.a.users.org_admin, 'student-records', odd)).toBe('42501');
      // and in the bucket the row names
      const row = await documentRow(f.a.users.org_admin);
      expect(await upload(f.a.users.org_admin, 'chat-attachments', row.path)).toBe('42501');
    });

    it('an existing object cannot be uploaded again, updated or deleted', async () => {
      const row = await documentRow(f.a.users.org_admin);
      await db.sql`insert into storage.objects (bucket_id, name) values ('student-records', ${row.path})`;
      expect(await upload(f.a.users.org_admin, 'student-records', row.path)).not.toBe('ok');
      for (const user of [f.a.users.org_admin, f.a.users.therapist]) {
        const changed = await asUser(db.sql, { sub: user }, async (tx) => {
          const updated = await tx`update storage.objects set metadata = '{"x":1}'::jsonb where name = ${row.path} returning id`;
          const deleted = await tx`delete from storage.objects where name = ${row.path} returning id`;
          return updated.length + deleted.length;
        });
        expect(changed).toBe(0);
      }
      // The IEP object too, which everyone of the matrix can read.
      const changed = await asUser(db.sql, { sub: f.a.users.org_admin }, async (tx) => {
        const updated = await tx`update storage.objects set name = name || '.moved' where name = ${iep.path} returning id`;
        const deleted = await tx`delete from storage.objects where name = ${iep.path} returning id`;
        return updated.length + deleted.length;
      });
      expect(changed).toBe(0);
    });

    it('a guardian, a student and anon cannot upload', async () => {
      const row = await documentRow(f.a.users.org_admin);
      expect(await upload(f.a.users.guardian, 'student-records', row.path)).toBe('42501');
      expect(await upload(f.a.users.student, 'student-records', row.path)).toBe('42501');
      expect(await sqlState(asAnon(db.sql, (tx) => tx`insert into storage.objects (bucket_id, name) values ('student-records', ${row.path})`))).toBe('42501');
    });
  });

  describe('attacks on the buckets (issue 12, item 9): an object goes only where its documents row says, and the row where its category says', () => {
    /** As `user`, in one transaction: the documents row a member may write for a chat attachment, then the upload. */
    /** `ok`, or the SQLSTATE and the rule that refused. */
    const chatUpload = async (user: string, row: { bucket: string; path: (id: string) => string }, upload: { bucket: string; path: (id: string) => string }) => {
      const id = stableId(`test:chat-upload:${Math.random()}`);
      try {
        await asUser(db.sql, { sub: user }, async (tx) => {
          await tx`insert into public.documents (id, organization_id, conversation_id, bucket_id, storage_path, category, file_name, mime_type, size_bytes, visibility, uploaded_by)
            values (${id}, ${f.a.organizationId}, ${f.a.conversationId}, ${row.bucket}, ${row.path(id)}, 'chat_attachment', 'photo.png', 'image/png', 2048, 'participants', ${user})`;
          await tx`insert into storage.objects (bucket_id, name, owner) values (${upload.bucket}, ${upload.path(id)}, ${user})`;
        });
        return 'ok';
      } catch (error) {
        const e = error as { code?: string; constraint_name?: string };
        return [e.code, e.constraint_name].filter(Boolean).join(' ');
      }
    };
    const chatPath = (conversationId: string) => (id: string) =>
      documentStoragePath({ bucket: 'chat-attachments', organizationId: f.a.organizationId, conversationId, documentId: id, extension: 'png' });
    const assetPath = (id: string) => documentStoragePath({ bucket: 'org-assets', organizationId: f.a.organizationId, documentId: id, extension: 'png' });

    it('a guardian cannot put a chat attachment into the public org-assets bucket (the row is refused: the category fixes the bucket)', async () => {
      expect(await chatUpload(f.a.users.guardian, { bucket: 'org-assets', path: assetPath }, { bucket: 'org-assets', path: assetPath })).toBe('23514 documents_category_bucket_check');
    });

    it("a guardian's chat attachment goes into its conversation's folder of chat-attachments, nowhere else", async () => {
      const own = chatPath(f.a.conversationId);
      const elsewhere = chatPath(stableId('test:another-conversation'));
      expect(await chatUpload(f.a.users.guardian, { bucket: 'chat-attachments', path: own }, { bucket: 'chat-attachments', path: own })).toBe('ok');
      expect(await chatUpload(f.a.users.guardian, { bucket: 'chat-attachments', path: own }, { bucket: 'chat-attachments', path: elsewhere })).toBe('42501');
      expect(await chatUpload(f.a.users.guardian, { bucket: 'chat-attachments', path: own }, { bucket: 'org-assets', path: own })).toBe('42501');
      expect(await chatUpload(f.a.users.guardian, { bucket: 'chat-attachments', path: own }, { bucket: 'student-records', path: own })).toBe('42501');
    });

    it('an org admin cannot link a student record to a conversation (where it could be attached to a message)', async () => {
      const result = await sqlState(
        asUser(db.sql, { sub: f.a.users.org_admin }, (tx) => tx`update public.documents set conversation_id = ${f.a.conversationId} where id = ${iep.id}`),
      );
      expect(result).toBe('23514');
    });

    it('an object cannot be moved into another bucket or folder after its upload', async () => {
      const moved = await asUser(db.sql, { sub: f.a.users.therapist }, async (tx) => {
        const bucket = await tx`update storage.objects set bucket_id = 'org-assets' where name = ${attachment.path} returning id`;
        const folder = await tx`update storage.objects set name = ${`${f.a.organizationId}/assets/${attachment.id}.png`} where name = ${attachment.path} returning id`;
        return bucket.length + folder.length;
      });
      expect(moved).toBe(0);
    });
  });

  it('documentStoragePath lays out the conventions', () => {
    const org = f.a.organizationId;
    expect(documentStoragePath({ bucket: 'student-records', organizationId: org, studentId: 's', category: 'iep', documentId: 'd', extension: '.PDF' })).toBe(`${org}/students/s/iep/d.pdf`);
    expect(documentStoragePath({ bucket: 'chat-attachments', organizationId: org, conversationId: 'c', documentId: 'd', extension: 'png' })).toBe(`${org}/conversations/c/d.png`);
    expect(documentStoragePath({ bucket: 'org-assets', organizationId: org, documentId: 'd', extension: 'webp' })).toBe(`${org}/assets/d.webp`);
    expect(() => documentStoragePath({ bucket: 'student-records', organizationId: org, documentId: 'd', extension: 'pdf' })).toThrow();
    expect(() => documentStoragePath({ bucket: 'org-assets', organizationId: org, documentId: 'd', extension: 'p/df' })).toThrow();
  });
});
