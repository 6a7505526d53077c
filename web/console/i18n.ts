/**
 * Every text of the console, in one catalogue checked by the compiler, as the candidate app
 * keeps its own (`web/candidate/i18n.ts`); plurals, numbers and dates come from
 * `web/shared/i18n.ts`. English only for now: a Russian catalogue is one more object of type
 * `Messages` in `CATALOGUE`.
 */
import { plural } from '../shared/i18n.ts';

const en = {
  appName: 'Assay console',
  loading: 'Loading…',
  loadingHeading: 'Loading',
  unreachable: 'The service cannot be reached. Check your connection and try again.',
  busy: 'The service is busy. Try again in a moment.',
  forbidden: 'Your role cannot do this. Sign in with a role that can.',
  notFound: 'This was not found: it may have been deleted, or belong to another organisation.',
  failed: (status: number) => `The request failed (HTTP ${status}).`,
  tryAgain: 'Try again',
  cancel: 'Cancel',
  ok: 'OK',
  yes: 'Yes',
  no: 'No',
  none: 'None.',
  anonymous: 'Candidate (no name)',
  noConfig:
    'The console’s settings (/console/config.json) could not be read, so it cannot sign you in. If you run Assay yourself: locally, open the console from the address npm start prints; in AWS, deploy the stack again.',
  notFoundHeading: 'Page not found',
  notFoundText: 'There is nothing at this address in the console, or your role cannot open it.',

  // sign-in and the header
  signInHeading: 'Sign in',
  signInCognito: 'Sign in with your Assay staff account. You will come back here afterwards.',
  signIn: 'Sign in',
  devSignInHeading: 'Sign in (development)',
  devSignInLead:
    'This local server signs you in as any organisation and role: nothing is checked. In AWS the console signs staff in through Cognito instead.',
  organisation: 'Organisation',
  organisationHint: 'Its id: lowercase letters, digits and hyphens, e.g. demo or acme.',
  role: 'Role',
  roleEmployer: 'Employer',
  roleAuthor: 'Author',
  roleBoth: 'Both',
  signOut: 'Sign out',
  signedOut: 'You are signed out.',
  sessionEnded: 'Your session has ended. Sign in again.',
  signInFailed: (why: string) => `Signing in failed: ${why}`,
  signInStale: 'That sign-in was started in another tab or has expired. Sign in again.',
  signedInAs: (who: string, org: string, roles: string[]) =>
    `${who} · ${org} · ${roles.join(', ')}`,
  navAssessments: 'Assessments',
  navBank: 'Question bank',

  // assessments
  assessmentsHeading: 'Assessments',
  assessmentHeading: 'Assessment',
  newAssessment: 'New assessment',
  noAssessments: 'No assessments yet. Create one from a blueprint of areas and counts.',
  titleColumn: 'Title',
  questionsColumn: 'Questions',
  timeLimitColumn: 'Time limit',
  createdColumn: 'Created',
  archived: 'Archived',
  backToAssessments: '← All assessments',
  backTo: (title: string) => `← ${title}`,
  assessmentViews: 'Assessment views',
  invitationsTab: 'Invitations',
  resultsTab: 'Results',
  sectionFact: (area: string, count: number, difficulty: string, pool: number) =>
    `${area}: ${plural('en', count, { one: '# question', other: '# questions' })} drawn from ${pool} — difficulty: ${difficulty}`,
  adaptiveSectionFact: (
    area: string,
    min: number,
    max: number,
    target: number,
    difficulty: string,
    pool: number,
  ) =>
    `${area}: adaptive, ${min} to ${plural('en', max, { one: '# question', other: '# questions' })} chosen from ${pool}, until the standard error is at most ${target} — difficulty: ${difficulty}`,
  targetUnreachable: (best: number, target: number, max: number) =>
    `The target cannot be reached: with the questions of this pool as calibrated when it was frozen, the standard error falls to ${best} at best in ${max} questions, above ${target}. Every candidate will answer ${max}. To let the section stop early, set a target of ${best} or more or allow more questions; once the questions have been calibrated from candidates’ answers, an assessment created then may reach it.`,
  passingScoreFact: 'Passing score',
  resultsToCandidate: 'Result shown to candidates',
  firstStartColumn: 'First attempt started',
  remindFact: (hours: number) =>
    `${plural('en', hours, { one: '# hour', other: '# hours' })} before a link expires, to candidates who have not started`,
  remindOff: 'None',
  inviteArchived: (when: string) =>
    `This assessment was archived on ${when}, so it takes no new invitations. To invite, open it and choose Unarchive, or Clone it.`,
  archivedNotice: (when: string) =>
    `Archived on ${when}: no new invitations; running attempts finish and links already sent work until they expire.`,

  // create
  createHeading: 'New assessment',
  titleLabel: 'Title',
  titleRequired: 'Give the assessment a title.',
  timeLimitLabel: 'Time limit (minutes)',
  timeLimitHint: 'From 1 to 600 minutes; a candidate’s extra time is added to it.',
  timeLimitInvalid: 'The time limit is a whole number of minutes from 1 to 600.',
  sectionsHeading: 'Sections',
  sectionsHint:
    'Each section draws its questions at random from one area’s published questions (yours and the shipped bank’s). The number in brackets is how many there are.',
  sectionN: (n: number) => `Section ${n}`,
  areaLabel: 'Area',
  countLabel: 'Questions',
  difficultyLabel: 'Difficulty',
  difficultyMixed: 'Mixed',
  difficulty: (d: number) => ['', 'Easy (1)', 'Medium (2)', 'Hard (3)'][d] ?? String(d),
  addSection: 'Add a section',
  removeSection: 'Remove',
  removeSectionN: (n: number) => `Remove section ${n}`,
  poolSize: (n: number) =>
    `${plural('en', n, { one: '# question', other: '# questions' })} available in this area.`,
  poolTooSmall: (n: number) => `Ask for ${n} at most.`,
  countInvalid: (n: number) =>
    `Section ${n}: the number of questions is a whole number from 1 to 100.`,
  totalQuestions: (n: number) =>
    `${plural('en', n, { one: '# question', other: '# questions' })} in all.`,
  estimate: (d: string) => `A prepared candidate needs about ${d} (the questions’ time hints).`,
  estimatePartial: (d: string) =>
    `At least ${d} by the time hints of the areas that have them (some areas have none).`,
  estimateOverLimit: 'That is longer than the time limit.',
  noEstimate: 'No time estimate: the questions of these areas have no time hints.',
  scoringHeading: 'Scoring',
  passingScoreLabel: 'Passing score (optional)',
  passingScoreHint: 'Out of 100. Leave empty for no pass mark.',
  passingScoreInvalid: 'The passing score is a number from 0 to 100.',
  showResultLabel: 'Show candidates their result when they finish',
  instructionsLabel: 'Instructions (optional)',
  instructionsFact: 'Instructions',
  instructionsHint:
    'What candidates should prepare, in your words (at most 2,000 characters): the invitation email lists it.',
  remindersHeading: 'Reminders',
  remindLabel: 'Remind candidates who have not started (hours before the link expires)',
  remindHint:
    'One email reminder, this many hours before their link expires; 0 for none, at most 168 (a week). Only for invitations sent by email.',
  remindInvalid: 'The reminder is a whole number of hours from 0 to 168.',
  createAssessment: 'Create assessment',
  fixThese: 'Fix these first',
  notSaved: 'Not saved',
  created: (title: string) => `Created ${title}.`,

  // editing
  editHeading: 'Edit assessment',
  editHeadingOf: (title: string) => `Edit ${title}`,
  saveChanges: 'Save changes',
  saved: (title: string) => `Saved ${title}.`,
  nothingChanged: 'Nothing was changed.',
  contentLocked: (when?: string) =>
    `${when ? `An attempt started on ${when}, so` : 'Attempts may have started, so'} the time limit and sections can no longer change: clone the assessment to change them.`,

  // organisation
  navOrganisation: 'Organisation',
  orgHeading: 'Organisation settings',
  orgLead:
    'What candidates see of your organisation: in the emails that carry their links and on the page that opens from them.',
  orgMail:
    'This deployment sends email: invitations, reminders and new links are sent in your name.',
  orgNoMail:
    'This deployment sends no email: candidates see these settings on the invitation page, and you send the links yourself.',
  orgNameLabel: 'Display name',
  orgNameHint:
    'Shown to candidates and as the sender’s name of the emails. At most 120 characters, one line.',
  orgNameRequired: 'Give your organisation a display name.',
  accessibilityLabel: 'Accessibility contact (optional)',
  accessibilityHint:
    'Whom candidates ask for adjustments (more time, another format): an email address, a phone number or a web page.',
  accessibilityTooShort: 'The accessibility contact needs at least 3 characters.',
  replyToLabel: 'Reply-to address (optional)',
  replyToHint: 'Where candidates’ replies to the emails go.',
  replyToInvalid: 'The reply-to address is not an email address.',
  saveSettings: 'Save settings',
  orgSaved: 'Settings saved.',
  orgUpdated: (when: string) => `Last changed on ${when}.`,
  orgNeverSet: (org: string) => `Not set yet: candidates see your organisation id, ${org}.`,

  // assessment actions
  edit: 'Edit',
  inviteCandidates: 'Invite candidates',
  preview: 'Preview as a candidate',
  previewOpened: 'The preview opened in a new tab. It does not count in results.',
  clone: 'Clone',
  cloned: (title: string) => `Created ${title}.`,
  archive: 'Archive',
  archiveConfirmHeading: 'Archive this assessment?',
  archiveConfirm:
    'No new invitations can be made. Running attempts finish, and links already sent keep working until they expire.',
  archivedDone: 'Archived.',
  unarchive: 'Unarchive',
  unarchived: 'Taken out of the archive.',
  delete: 'Delete',
  deleteConfirmHeading: 'Delete this assessment?',
  deleteConfirm:
    'It is deleted with its invitations; their links stop working. This cannot be undone.',
  deleted: (title: string) => `Deleted ${title}.`,

  // invitations
  invitationsHeading: 'Invitations',
  noInvitations: 'No invitations yet.',
  candidateColumn: 'Candidate',
  statusColumn: 'Status',
  deliveryColumn: 'Email',
  expiresColumn: 'Link expires',
  actionsColumn: 'Actions',
  statusName: (s: string) =>
    ({
      pending: 'Pending',
      started: 'Started',
      completed: 'Completed',
      expired: 'Expired',
      revoked: 'Revoked',
      undeliverable: 'Undeliverable',
    })[s] ?? s,
  deliveryName: (s: string) =>
    ({
      queued: 'Queued',
      sent: 'Sent',
      delivered: 'Delivered',
      bounced: 'Bounced',
      complained: 'Marked as spam',
      failed: 'Failed',
    })[s] ?? s,
  messageName: (kind: string) =>
    ({ invitation: 'invitation', reminder: 'reminder', resend: 'new link' })[kind] ?? kind,
  extraTime: (p: number) => `+${p}% time`,
  report: 'Report',
  reportOf: (who: string) => `Report of ${who}`,
  extend: 'More time',
  extendOf: (who: string) => `More time for ${who}`,
  extendHeading: (who: string) => `More time for ${who}`,
  extendMinutes: 'Minutes to add',
  extendMinutesHint:
    'From 1 to 600, added to the time the candidate has now. Their page shows the new time with their next saved answer, or when the old time runs out.',
  notBlank: (label: string) => `${label}: write some words; spaces alone are not enough.`,
  extendReason: 'Reason (kept in the audit trail)',
  extended: (who: string, minutes: number) =>
    `${who} has ${plural('en', minutes, { one: '# more minute', other: '# more minutes' })}.`,
  resend: 'New link',
  resendOf: (who: string) => `New link for ${who}`,
  resendHeading: (who: string) => `A new link for ${who}?`,
  resendConfirmEmail: (email: string) =>
    `The current link stops working at once; the new one is emailed to ${email}.`,
  resendConfirmLink:
    'The current link stops working at once. The new one is shown here, once, for you to send.',
  resendExpired: 'The invitation has expired: choose until when the new link works.',
  resentEmailed: (who: string, email: string) =>
    `A new link was emailed to ${who} (${email}); the old one no longer works.`,
  resentLink: (who: string) =>
    `A new link for ${who}, shown only now; the old one no longer works:`,
  revoke: 'Revoke',
  revokeOf: (who: string) => `Revoke the invitation of ${who}`,
  revokeHeading: (who: string) => `Revoke the invitation of ${who}?`,
  revokeConfirm: 'The link stops working at once.',
  revoked: (who: string) => `The invitation of ${who} was revoked.`,
  linkFor: (who: string) => `Link for ${who}`,
  copy: 'Copy',
  copyLinkOf: (who: string) => `Copy the link for ${who}`,
  copied: 'Copied.',
  copyManually: 'The link is selected: copy it with Ctrl+C or ⌘C.',

  // inviting
  inviteHeading: 'Invite candidates',
  inviteLead:
    'Paste one candidate per line, or choose a CSV file. Each gets a single-use link that works until it expires.',
  candidatesLabel: 'Candidates',
  candidatesHint: (max: number) =>
    `"Name, email", "Name <email>" or a row copied from a spreadsheet; add "ru" for a candidate who reads Russian. A CSV with a header row may name the columns name, email, locale, extraTimePercent and externalId. At most ${max}.`,
  csvLabel: 'Or a CSV file',
  csvHint: 'Its rows replace the text above, where you can check them.',
  csvUtf32:
    'This file is UTF-32, which the console cannot read; nothing was taken from it. Save it as "CSV UTF-8" and choose it again.',
  csvBinary:
    'This file is not a CSV file (an Excel workbook, perhaps); nothing was taken from it. In Excel choose File, Save As, "CSV UTF-8 (Comma delimited)", and choose that file.',
  csvLegacy:
    'This file is not UTF-8, so it was read as Windows-1252 (Western European). If names look wrong, save it from Excel as "CSV UTF-8" and choose it again.',
  candidatesFound: (n: number, byLanguage: string[]) =>
    `${plural('en', n, { one: '# candidate', other: '# candidates' })} to invite${byLanguage.length ? `: ${byLanguage.join(', ')}` : ''}.`,
  inLanguage: (n: number, language: string) => `${n} in ${language}`,
  languageLabel: 'Language',
  languageHint:
    'Of the emails and the test, for candidates whose line does not say (add "en" or "ru" to a line, or a locale column to a CSV).',
  languageName: (l: string) => ({ en: 'English', ru: 'Russian' })[l] ?? l,
  readsIn: (language: string) => `Reads ${language}`,
  candidatesProblems: (n: number) =>
    `${plural('en', n, { one: '# line needs', other: '# lines need' })} fixing (listed below).`,
  candidatesNone: 'Add at least one candidate.',
  lineProblem: (line: number, message: string) => `Line ${line}: ${message}`,
  candidateField: (field: string) =>
    ({
      name: 'name',
      email: 'email address',
      locale: 'language',
      extraTimePercent: 'extra time',
      externalId: 'external id',
    })[field] ?? field,
  notInvited: 'Nobody was invited: fix these and invite again',
  expiresLabel: 'Links expire at the end of',
  expiresHint: 'A day from tomorrow on; links stop working after it.',
  expiresInvalid: 'Choose the day the links expire.',
  expiresTooSoon: 'Choose a day from tomorrow on: the links work until the end of it.',
  sendLabel: 'Email each candidate their link (those with an email address)',
  noSendHint: 'This deployment sends no email: you get each link here, once, to send yourself.',
  invite: 'Invite',
  alreadyInvitedHeading: (n: number) =>
    `${plural('en', n, { one: '# address was', other: '# addresses were' })} already invited`,
  alreadyInvitedText: (n: number) =>
    `${n === 1 ? 'This address already has' : 'These addresses already have'} an open invitation to this assessment. Inviting again gives ${n === 1 ? 'it' : 'each'} a second link; the first one keeps working until it expires or you revoke it.`,
  alreadyInvitedRow: (who: string, status: string, since: string) =>
    `${who}: ${status === 'started' ? `invited ${since}, test started` : `invited ${since}, not started yet`}`,
  inviteAgain: (n: number) =>
    n === 1 ? 'Invite this address again' : `Invite these ${n} addresses again`,
  leaveOutRest: (n: number) =>
    `Leave them out and invite the other ${plural('en', n, { one: '# candidate', other: '# candidates' })}`,
  invitedCheckFailed:
    'Whether any of these addresses had already been invited could not be checked just now, so every candidate listed was invited.',
  invited: (n: number) =>
    `${plural('en', n, { one: '# candidate', other: '# candidates' })} invited.`,
  invitedHeading: (n: number) =>
    `${plural('en', n, { one: '# candidate', other: '# candidates' })} invited`,
  linksOnceNote:
    'These links are shown only now: copy them and send each to its candidate. A lost link cannot be shown again.',
  sentNote:
    'Candidates with an email address get their link by email; their delivery shows in the invitations list. The links are also here, shown only now.',
  emailedTo: (email: string, language: string) => `Emailed to ${email}, in ${language}`,
  seeStatuses: 'See their statuses',

  // results
  resultsHeading: 'Results',
  resultsCaption: 'Completed attempts; the column buttons sort the table.',
  resultsHint: (n: number) =>
    `${plural('en', n, { one: '# completed attempt', other: '# completed attempts' })}. Sort by any column with its button. Percentiles appear from the tenth completion.`,
  noResults: 'No completed attempts yet.',
  scoreColumn: 'Score (of 100)',
  percentileColumn: 'Percentile',
  completedColumn: 'Completed',
  reportColumn: 'Report',
  timeRanOut: 'time ran out',
  passed: 'Passed',
  notPassed: 'Not passed',
  sortedBy: (column: string, direction: string) => `Sorted by ${column}, ${direction}.`,
  exportCsv: 'Export CSV',
  exported: (n: number) =>
    `Exported ${plural('en', n, { one: '# result', other: '# results' })} as CSV.`,
  exportColumnsChanged: 'The results changed while exporting. Export again.',

  // report
  reportHeading: 'Report',
  reportOfHeading: (who: string) => `Report: ${who}`,
  print: 'Print',
  chartAlt: (who: string) =>
    `Chart of ${who}’s scores by area (the table below gives the same figures).`,
  assessmentLabel: 'Assessment',
  emailLabel: 'Email',
  startedLabel: 'Started',
  timeUsed: 'Time used',
  moreTimeLabel: 'More time given',
  extensionLine: (minutes: string, at: string, by: string, reason: string) =>
    `${minutes} on ${at} by ${by}: ${reason}`,
  attemptStatus: (s: string) =>
    ({ active: 'In progress', submitted: 'Submitted', expired: 'Time ran out' })[s] ?? s,
  scoreOf: (score: string) => `${score} out of 100`,
  technicalScore: 'Technical skills',
  softScore: 'Soft skills',
  areasHeading: 'By area',
  correctColumn: 'Correct',
  correctOf: (c: number, n: number) => `${c} of ${n}`,
  levelColumn: 'Level',
  levelName: (l: string) =>
    ({
      foundational: 'Foundational',
      intermediate: 'Intermediate',
      advanced: 'Advanced',
      expert: 'Expert',
      'insufficient-evidence': 'Not enough evidence',
    })[l] ?? l,
  strengthsHeading: 'Strengths',
  gapsHeading: 'To develop',
  integrityHeading: 'Integrity signals',
  noSignals: 'None recorded.',
  signalName: (t: string) =>
    (
      ({
        'fast-answer': 'Fast answer',
        'burst-after-silence': 'Burst after silence',
        'last-seconds-rush': 'Last-seconds rush',
        'resumed-elsewhere': 'Resumed elsewhere',
        'page-hidden': 'Page hidden',
        paste: 'Pasted text',
      }) as Record<string, string>
    )[t] ?? t,
  questionsHeading: 'Questions',
  numberColumn: 'No.',
  questionColumn: 'Question',
  secondsColumn: 'Seconds',
  unanswered: 'Unanswered',
  answerGivenLabel: 'Answer given',
  correctAnswerLabel: 'Correct answer',
  explanationLabel: 'Explanation',
  noAnswerSaved: 'No answer was saved.',
  shownNotAnswered:
    'Shown in the adaptive section, not answered when the attempt ended; not graded.',
  answerErased: 'Answered; the answer was erased with the candidate’s data.',

  // the bank
  bankHeading: 'Question bank',
  importBank: 'Import a bank',
  filtersLabel: 'Filter questions',
  sourceLabel: 'Source',
  sourceOrg: 'Your organisation',
  sourcePublic: 'Shipped bank',
  anyArea: 'Any area',
  anyDifficulty: 'Any difficulty',
  published: 'Published',
  retired: 'Retired',
  textFilterLabel: 'Containing',
  textFilterHint: 'Words in the id, prompt or tags (of the questions loaded).',
  applyFilters: 'Filter',
  showMore: 'Show more',
  questionsShown: (n: number, more: boolean) =>
    n === 0
      ? 'No questions match.'
      : `${plural('en', n, { one: '# question', other: '# questions' })}${more ? ' so far' : ''}.`,
  questionsMatching: (n: number, of: number, more: boolean) =>
    `${n} of ${plural('en', of, { one: '# question', other: '# questions' })} loaded${more ? ' so far' : ''} contain those words.`,
  idColumn: 'Id',
  typeColumn: 'Type',
  versionColumn: 'Version',
  typeName: (t: string) =>
    (
      ({
        single: 'Single choice',
        multi: 'Multiple choice',
        order: 'Order',
        numeric: 'Numeric',
        text: 'Short text',
        sjt: 'Situational judgement',
        matching: 'Matching',
        'missing-word': 'Missing word',
      }) as Record<string, string>
    )[t] ?? t,
  backToBank: '← Question bank',
  versionOf: (v: number, when: string) => `${v} (${when})`,
  timeHint: 'Time hint',
  tags: 'Tags',
  promptHeading: 'Prompt',
  correctAnswer: 'correct',
  keyLabel: 'Key',
  explanationHeading: 'Explanation',
  noExplanation: 'None: candidates see no explanation for this question.',
  statsHeading: 'Item statistics',
  statsHint:
    'From completed attempts, kept current as attempts complete. Facility is the mean item score (0 to 1: higher is easier); discrimination the corrected item-total correlation (above 0.2 separates stronger candidates from weaker ones).',
  attemptsColumn: 'Attempts',
  facilityColumn: 'Facility',
  discriminationColumn: 'Discrimination',
  meanSecondsColumn: 'Mean seconds',
  notYet: '—',

  // importing
  importHeading: 'Import a bank',
  importLead:
    'A JSON, YAML, Moodle GIFT or Moodle XML file (docs/question-format.md). All or nothing: a file with any invalid question stores nothing, and every problem is listed with its line and column. Importing the same file again changes nothing.',
  bankFileLabel: 'Bank file',
  bankFileHint: '.json, .yaml or .yml; .gift or .txt for GIFT; .xml for Moodle XML; at most 4 MB.',
  giftDefaults: 'For Moodle files (GIFT, XML): defaults for questions that do not say',
  fromFile: 'As in the file',
  skipUnsupportedTip:
    'To import the other questions and list the ones Assay cannot import, tick "Leave out the questions Assay cannot import" above and import again.',
  skipUnsupportedLabel:
    'Leave out the questions Assay cannot import (essays, images, …) and list them, instead of refusing the file',
  moveQuestionsLabel:
    'Move questions that another bank holds with other content into this file’s bank (JSON and YAML files: their ids are written in the file), instead of refusing the file',
  renameForBankTip: (bank: string) =>
    `The console names a Moodle file's bank after the file: if this file is a new version of bank "${bank}", name it ${bank}.gift (or ${bank}.xml) and import it again.`,
  moveQuestionsTip:
    'If these questions belong in this file now, tick "Move questions that another bank holds" above and import again; if they are new questions, give them ids of their own.',
  upload: 'Import',
  chooseFile: 'Choose a bank file.',
  fileTooLarge: 'The file is larger than 4 MB, the most one import takes. Split it.',
  importRunning: (name: string, fraction?: number) =>
    fraction === undefined
      ? `Importing ${name}…`
      : `Importing ${name}: ${Math.round(fraction * 100)}%…`,
  importDone: (name: string) => `${name} is imported.`,
  importFailed: (name: string) => `${name} was not imported: nothing was stored.`,
  importedHeading: 'Imported',
  importCounts: (imported: number, created: number, updated: number, unchanged: number) =>
    `${plural('en', imported, { one: '# question', other: '# questions' })}: ${created} new, ${updated} updated, ${unchanged} unchanged.`,
  importErrorsHeading: (n: number) =>
    n ? `${plural('en', n, { one: '# problem', other: '# problems' })} to fix` : 'Not imported',
  warningsHeading: (n: number) => plural('en', n, { one: '# warning', other: '# warnings' }),
  skippedHeading: (n: number) =>
    `${plural('en', n, { one: '# question', other: '# questions' })} left out (Assay cannot import ${n === 1 ? 'it' : 'them'})`,
  seeQuestions: 'See the questions',

  minutes: (n: number) => plural('en', n, { one: '# minute', other: '# minutes' }),
  hours: (n: number) => plural('en', n, { one: '# hour', other: '# hours' }),
  seconds: (n: number) => plural('en', n, { one: '# second', other: '# seconds' }),
};

export type Messages = typeof en;

export const CATALOGUE = { en } as const;
