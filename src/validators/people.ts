import type { z } from 'zod';
import { guardians, studentGuardians, students, supervisionAssignments, therapists } from '../schema/people';
import { nonEmptyRange } from './range';
import { bothOrNeither, rule } from './rules';
import { defineTable } from './table';
import { emailAddress, matches, textRule, trimmedLength } from './text';
import { must } from './label';
import { e164Description, e164Pattern, stateCodeDescription, stateCodePattern } from './identity';

/** `char_length(btrim(x, <whitespace>)) between 1 and 100`: a person's first or last name, not blank. */
const personName = () => trimmedLength(1, 100);

// ------------------------------------------------------------------ therapists
export const therapistValidators = defineTable(therapists, {
  // `id` is the therapist's profile id; `requires_supervision` is generated from the credential.
  server: ['createdAt'],
  columns: {
    npi: (s) => s.check(matches(/^[0-9]{10}$/, '10 digits')),
    // char(2): checked on the stored value, so 'O' (stored 'O ') fails like the database's CHECK.
    licenseState: (s) => s.check(matches(stateCodePattern, stateCodeDescription)),
  },
  rules: [bothOrNeither('therapists_license_fields_check', 'licenseNumber', 'licenseState')],
});
export const therapistInsertSchema: (typeof therapistValidators)['insert'] = therapistValidators.insert;
export const therapistUpdateSchema: (typeof therapistValidators)['update'] = therapistValidators.update;
export const therapistSelectSchema: (typeof therapistValidators)['select'] = therapistValidators.select;
export type TherapistInsert = z.output<typeof therapistInsertSchema>;
export type TherapistInsertInput = z.input<typeof therapistInsertSchema>;
export type TherapistUpdate = z.output<typeof therapistUpdateSchema>;
export type TherapistUpdateInput = z.input<typeof therapistUpdateSchema>;
export type TherapistSelect = z.output<typeof therapistSelectSchema>;

// ------------------------------------------------------------------ students
export const studentValidators = defineTable(students, {
  server: ['id', 'createdAt', 'updatedAt', 'deletedAt'],
  columns: {
    firstName: (s) => s.check(personName()),
    lastName: (s) => s.check(personName()),
    dateOfBirth: (s) => s.check(textRule((value) => value > '1995-01-01', must('be after 1995-01-01'))),
  },
});
export const studentInsertSchema: (typeof studentValidators)['insert'] = studentValidators.insert;
export const studentUpdateSchema: (typeof studentValidators)['update'] = studentValidators.update;
export const studentSelectSchema: (typeof studentValidators)['select'] = studentValidators.select;
export type StudentInsert = z.output<typeof studentInsertSchema>;
export type StudentInsertInput = z.input<typeof studentInsertSchema>;
export type StudentUpdate = z.output<typeof studentUpdateSchema>;
export type StudentUpdateInput = z.input<typeof studentUpdateSchema>;
export type StudentSelect = z.output<typeof studentSelectSchema>;

// ------------------------------------------------------------------ guardians
export const guardianValidators = defineTable(guardians, {
  server: ['id', 'createdAt', 'deletedAt'],
  columns: {
    firstName: (s) => s.check(personName()),
    lastName: (s) => s.check(personName()),
    email: (s) => s.check(emailAddress()),
    phone: (s) => s.check(matches(e164Pattern, e164Description)),
  },
});
export const guardianInsertSchema: (typeof guardianValidators)['insert'] = guardianValidators.insert;
export const guardianUpdateSchema: (typeof guardianValidators)['update'] = guardianValidators.update;
export const guardianSelectSchema: (typeof guardianValidators)['select'] = guardianValidators.select;
export type GuardianInsert = z.output<typeof guardianInsertSchema>;
export type GuardianInsertInput = z.input<typeof guardianInsertSchema>;
export type GuardianUpdate = z.output<typeof guardianUpdateSchema>;
export type GuardianUpdateInput = z.input<typeof guardianUpdateSchema>;
export type GuardianSelect = z.output<typeof guardianSelectSchema>;

// ------------------------------------------------------------------ student_guardians
export const studentGuardianValidators = defineTable(studentGuardians, {
  server: ['createdAt'],
});
export const studentGuardianInsertSchema: (typeof studentGuardianValidators)['insert'] = studentGuardianValidators.insert;
export const studentGuardianUpdateSchema: (typeof studentGuardianValidators)['update'] = studentGuardianValidators.update;
export const studentGuardianSelectSchema: (typeof studentGuardianValidators)['select'] = studentGuardianValidators.select;
export type StudentGuardianInsert = z.output<typeof studentGuardianInsertSchema>;
export type StudentGuardianInsertInput = z.input<typeof studentGuardianInsertSchema>;
export type StudentGuardianUpdate = z.output<typeof studentGuardianUpdateSchema>;
export type StudentGuardianUpdateInput = z.input<typeof studentGuardianUpdateSchema>;
export type StudentGuardianSelect = z.output<typeof studentGuardianSelectSchema>;

// ------------------------------------------------------------------ supervision_assignments
export const supervisionAssignmentValidators = defineTable(supervisionAssignments, {
  server: ['id', 'createdAt'],
  columns: {
    activeDuring: (s) => s.check(nonEmptyRange('daterange')),
  },
  rules: [
    rule({
      constraint: 'supervision_assignments_no_self_supervision_check',
      reads: ['supervisorId', 'superviseeId'],
      path: 'superviseeId',
      message: 'supervisee_id must not be the supervisor_id (no self-supervision)',
      holds: (row) => row.supervisorId !== row.superviseeId,
    }),
  ],
});
export const supervisionAssignmentInsertSchema: (typeof supervisionAssignmentValidators)['insert'] = supervisionAssignmentValidators.insert;
export const supervisionAssignmentUpdateSchema: (typeof supervisionAssignmentValidators)['update'] = supervisionAssignmentValidators.update;
export const supervisionAssignmentSelectSchema: (typeof supervisionAssignmentValidators)['select'] = supervisionAssignmentValidators.select;
export type SupervisionAssignmentInsert = z.output<typeof supervisionAssignmentInsertSchema>;
export type SupervisionAssignmentInsertInput = z.input<typeof supervisionAssignmentInsertSchema>;
export type SupervisionAssignmentUpdate = z.output<typeof supervisionAssignmentUpdateSchema>;
export type SupervisionAssignmentUpdateInput = z.input<typeof supervisionAssignmentUpdateSchema>;
export type SupervisionAssignmentSelect = z.output<typeof supervisionAssignmentSelectSchema>;
