import { statement, type DdlObject } from '../ddl';
import { maxDocumentBytes, type DocumentCategory, type StorageBucket } from '../schema';

/**
 * Document storage on Supabase Storage.
 *
 * Every object has a `documents` row, written first; the upload then goes to the path the row
 * names, and the `storage.objects` policies defer to that row:
 *
 * - read: allowed when the `documents` row of the object (same bucket, `storage_path = name`, not
 *   deleted) is visible to the user. The `exists` runs as the user, so the `documents` table's
 *   own RLS decides — one access rule for a document's metadata and its bytes. The documents
 *   policies never read `storage.objects`, so there is no recursion.
 * - upload (insert): only to the path of such a row that the user uploaded (`uploaded_by`), laid
 *   out by the path convention below; a second upload to a path fails on `storage.objects`'s
 *   unique (bucket_id, name). The row's bucket is fixed by its category
 *   (`documents_category_bucket_check`), so a chat attachment never reaches the public bucket.
 * - no update and no delete policies: objects are immutable for users (upsert, move and remove are
 *   refused); retention jobs use the service role.
 *
 * Path conventions (`documentStoragePath`):
 *   student-records   {org_id}/students/{student_id}/{category}/{document_id}.{ext}
 *   chat-attachments  {org_id}/conversations/{conversation_id}/{document_id}.{ext}
 *   org-assets        {org_id}/assets/{document_id}.{ext}
 */

export interface BucketDefinition {
  readonly id: StorageBucket;
  readonly public: boolean;
  /** Bytes. */
  readonly fileSizeLimit: number;
  readonly allowedMimeTypes: readonly string[];
}

export const storageBucketDefinitions: Readonly<Record<StorageBucket, BucketDefinition>> = {
  'student-records': {
    id: 'student-records',
    public: false,
    fileSizeLimit: maxDocumentBytes,
    allowedMimeTypes: [
      'application/pdf',
      'image/jpeg',
      'image/png',
      'image/heic',
      'image/tiff',
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    ],
  },
  'chat-attachments': {
    id: 'chat-attachments',
    public: false,
    fileSizeLimit: 26_214_400,
    allowedMimeTypes: ['image/jpeg', 'image/png', 'image/gif', 'image/webp', 'image/heic', 'application/pdf', 'audio/mpeg', 'audio/mp4', 'video/mp4'],
  },
  'org-assets': {
    id: 'org-assets',
    public: true,
    fileSizeLimit: 5_242_880,
    // No SVG: a public bucket must not serve script.
    allowedMimeTypes: ['image/png', 'image/jpeg', 'image/webp'],
  },
};

const literal = (s: string) => `'${s.replace(/'/g, "''")}'`;
const buckets = Object.values(storageBucketDefinitions);
const bucketList = buckets.map((b) => literal(b.id)).join(', ');

export const storageBucketsObject = statement({
  key: 'storage buckets: student-records, chat-attachments, org-assets',
  onChange: 'replace',
  create: [
    `insert into storage.buckets (id, name, public, file_size_limit, allowed_mime_types)
values
${buckets
  .map((b) => `  (${literal(b.id)}, ${literal(b.id)}, ${b.public}, ${b.fileSizeLimit}, array[${b.allowedMimeTypes.map(literal).join(', ')}]::text[])`)
  .join(',\n')}
on conflict (id) do update
   set public = excluded.public,
       file_size_limit = excluded.file_size_limit,
       allowed_mime_types = excluded.allowed_mime_types`,
  ],
  drop: [
    // Supabase refuses direct deletes from storage tables unless this is set; empty buckets only.
    `select pg_catalog.set_config('storage.allow_delete_query', 'true', true)`,
    `delete from storage.buckets b where b.id in (${bucketList}) and not exists (select 1 from storage.objects o where o.bucket_id = b.id)`,
  ],
});

/** The folder (without the file) each bucket's objects live in, as SQL over a `documents` row `d`. */
const folderOf = `case d.bucket_id
          when 'student-records' then d.organization_id::text || '/students/' || d.student_id::text || '/' || d.category
          when 'chat-attachments' then d.organization_id::text || '/conversations/' || d.conversation_id::text
          when 'org-assets' then d.organization_id::text || '/assets'
        end`;

const documentOfObject = `select 1 from public.documents d
       where d.bucket_id = storage.objects.bucket_id
         and d.storage_path = storage.objects.name
         and d.deleted_at is null`;

const storagePolicy = (name: string, create: string): DdlObject =>
  statement({
    key: `policy ${name} on storage.objects`,
    create: [`drop policy if exists ${name} on storage.objects`, create],
    drop: [`drop policy if exists ${name} on storage.objects`],
  });

export const storagePolicies: readonly DdlObject[] = [
  storagePolicy(
    'documents_objects_read',
    `create policy documents_objects_read on storage.objects
  as permissive for select to authenticated
  using (
    storage.objects.bucket_id in (${bucketList})
    -- evaluated as the user: the documents table's own RLS decides who sees the object
    and exists (
      ${documentOfObject}
    )
  )`,
  ),
  storagePolicy(
    'documents_objects_upload',
    `create policy documents_objects_upload on storage.objects
  as permissive for insert to authenticated
  with check (
    storage.objects.bucket_id in (${bucketList})
    and exists (
      ${documentOfObject}
         and d.uploaded_by = (select auth.uid())
         and storage.objects.name ~ ('^' || ${folderOf} || '/' || d.id::text || '\\.[A-Za-z0-9]{1,10}$')
    )
  )`,
  ),
];

export const storageObjects: readonly DdlObject[] = [storageBucketsObject, ...storagePolicies];

export interface DocumentPathParts {
  readonly bucket: StorageBucket;
  readonly organizationId: string;
  readonly documentId: string;
  /** File extension without the dot, e.g. `pdf`. */
  readonly extension: string;
  /** student-records */
  readonly studentId?: string | null;
  /** student-records */
  readonly category?: DocumentCategory;
  /** chat-attachments */
  readonly conversationId?: string | null;
}

/** The object path a `documents` row must name (`storage_path`) for its upload to be accepted. */
export function documentStoragePath(parts: DocumentPathParts): string {
  const ext = parts.extension.replace(/^\./, '').toLowerCase();
  if (!/^[a-z0-9]{1,10}$/.test(ext)) throw new Error(`invalid file extension "${parts.extension}"`);
  switch (parts.bucket) {
    case 'student-records':
      if (!parts.studentId || !parts.category) throw new Error('student-records paths need studentId and category');
      return `${parts.organizationId}/students/${parts.studentId}/${parts.category}/${parts.documentId}.${ext}`;
    case 'chat-attachments':
      if (!parts.conversationId) throw new Error('chat-attachments paths need conversationId');
      return `${parts.organizationId}/conversations/${parts.conversationId}/${parts.documentId}.${ext}`;
    case 'org-assets':
      return `${parts.organizationId}/assets/${parts.documentId}.${ext}`;
  }
}
