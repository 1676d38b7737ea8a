import { trimmedLength } from './text';

/**
 * Patterns and pieces several tables share, each the TypeScript side of one SQL rule.
 */

/** `^\+[1-9][0-9]{6,14}$`: the E.164 pattern of profiles.phone and guardians.phone. */
export const e164Pattern = /^\+[1-9][0-9]{6,14}$/;
export const e164Description = 'an E.164 phone number: + and 7 to 15 digits (e.g. +15035550123)';
/** `^[A-Z]{2}$`: a US state code (organizations.state_code, therapists.license_state). */
export const stateCodePattern = /^[A-Z]{2}$/;
export const stateCodeDescription = 'two capital letters (e.g. OR)';

/** `session.cancelled`: the `^[a-z_]+\.[a-z_]+$` event-type pattern of notifications and the outbox. */
export const eventTypePattern = /^[a-z_]+\.[a-z_]+$/;
export const eventTypeDescription = 'an event type such as session.cancelled (lowercase letters and underscores, one dot)';

/** `char_length(btrim(x, <whitespace>)) between 1 and 100`: a person's first or last name, not blank. */
export const personName = () => trimmedLength(1, 100);
