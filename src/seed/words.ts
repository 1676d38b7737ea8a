/** Word lists for plausible (entirely fictional) names and text. */

export const firstNames = [
  'Ava', 'Liam', 'Mia', 'Noah', 'Zoe', 'Eli', 'Ivy', 'Leo', 'Ada', 'Max', 'Ruby', 'Owen', 'Nora', 'Jude', 'Lila', 'Finn',
  'Maya', 'Omar', 'Iris', 'Kai', 'Luna', 'Milo', 'Rosa', 'Theo', 'Emma', 'Luca', 'Aria', 'Ezra', 'Jade', 'Hugo', 'Nia', 'Axel',
  'Sofia', 'Mateo', 'Amara', 'Diego', 'Priya', 'Arjun', 'Mei', 'Kenji', 'Aisha', 'Yusuf', 'Elena', 'Tomas', 'Freya', 'Soren',
  'Imani', 'Malik', 'Chloe', 'Caleb', 'Hazel', 'Jonah', 'Willow', 'Silas', 'Quinn', 'Rowan', 'Sage', 'Remy', 'Tess', 'Wren',
  'Anya', 'Bodhi', 'Cora', 'Dante', 'Esme', 'Felix', 'Greta', 'Hana', 'Ines', 'Jasper', 'Kira', 'Lars', 'Mira', 'Nico',
] as const;

export const lastNames = [
  'Garcia', 'Smith', 'Nguyen', 'Johnson', 'Kim', 'Brown', 'Patel', 'Lopez', 'Davis', 'Chen', 'Wilson', 'Martinez', 'Anderson',
  'Taylor', 'Thomas', 'Moore', 'Jackson', 'Martin', 'Lee', 'Perez', 'Thompson', 'White', 'Harris', 'Sanchez', 'Clark', 'Ramirez',
  'Lewis', 'Robinson', 'Walker', 'Young', 'Allen', 'King', 'Wright', 'Scott', 'Torres', 'Hill', 'Flores', 'Green', 'Adams',
  'Nelson', 'Baker', 'Hall', 'Rivera', 'Campbell', 'Mitchell', 'Carter', 'Roberts', 'Okafor', 'Haddad', 'Novak', 'Sato',
  'Kowalski', 'Dubois', 'Rossi', 'Silva', 'Ivanova', 'Murphy', 'Olsen', 'Fischer', 'Yamamoto', 'Mensah', 'Costa', 'Ali',
] as const;

export const places = [
  'Maple', 'Cedar', 'Birch', 'Willow', 'Aspen', 'Juniper', 'Harbor', 'Ridge', 'Meadow', 'Lakeside', 'Pine', 'Summit', 'River',
  'Oak', 'Elm', 'Granite', 'Prairie', 'Canyon', 'Brook', 'Falcon', 'Sierra', 'Coral', 'Hawthorn', 'Linden', 'Sequoia', 'Sparrow',
] as const;

export const schoolKinds = ['Elementary', 'Middle School', 'High School', 'Academy', 'Primary', 'Intermediate', 'Early Learning Center'] as const;

export const states = ['OR', 'WA', 'CA', 'NY', 'TX', 'IL', 'MA', 'CO', 'MN', 'GA', 'NC', 'AZ', 'MI', 'OH', 'PA'] as const;

export const timezones = ['America/New_York', 'America/Chicago', 'America/Denver', 'America/Los_Angeles'] as const;

export const subjective = [
  'Arrived on time and eager to work.', 'Reported a busy morning; settled quickly.', 'Tired today, needed movement breaks.',
  'Excited to share news from home.', 'Parent reports practising at home daily.', 'Teacher notes improved participation in class.',
  'Initially reluctant, engaged after warm-up.', 'Reports feeling confident about the new strategy.',
] as const;

export const objective = [
  'Targets addressed in structured drill with visual cues.', 'Data collected across three activities.',
  'Used a token board; required two redirections.', 'Practised in conversation with fading cues.',
  'Completed obstacle course with standby assistance.', 'Handwriting sample: legibility improved.',
  'Used the AAC device for requests across five turns.', 'Role-played a peer conflict scenario.',
] as const;

export const assessment = [
  'Progressing toward the annual goal.', 'Performance consistent with last session.', 'Emerging skill; needs continued support.',
  'Approaching mastery criterion.', 'Regression after the break; expect recovery.', 'Generalising the skill to the classroom.',
] as const;

export const plan = [
  'Continue the current plan.', 'Increase complexity next session.', 'Send a home practice sheet.', 'Consult with the teacher.',
  'Fade prompts to gestural.', 'Probe for generalisation next week.',
] as const;

export const messageOpeners = [
  'Thanks for the update!', 'Quick question about', 'Just a heads-up:', 'Great news:', 'Following up on', 'Reminder:',
  'Could we talk about', 'Sharing an idea for', 'Happy to help with', 'Noted, and',
] as const;

export const messageTopics = [
  'the home practice sheet', "this week's schedule", 'the IEP meeting', 'the new visual schedule', 'speech homework',
  'the sensory break plan', 'progress on the articulation goal', 'the field trip on Friday', 'the reading log',
  'the AAC device settings', 'the makeup session', 'the classroom accommodations', 'the progress report',
] as const;

export const messageClosers = [
  'Let me know what works for you.', 'See you Tuesday.', 'Thank you!', 'We will keep practising at home.',
  'I will send more details later.', 'Does that sound okay?', '', '', '',
] as const;
