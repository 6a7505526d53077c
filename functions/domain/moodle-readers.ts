/**
 * The side entry `#side/moodle-readers`: the GIFT and Moodle XML readers, which only GIFT and
 * XML uploads need (the authoring function and the import job load it on the first such upload;
 * Lambda bundles build it beside the bundle, infra/aws/bundling.ts). Readers only: they take the
 * caller's question types (its registry) and return plain data (`MoodleDrafts`), so nothing of
 * validation, the registry or the error classes is copied here; the caller's `importDrafts`
 * (moodle-import.ts) validates and throws its own ValidationError.
 */
export { giftDrafts } from './gift-read.ts';
export { moodleXmlDrafts } from './moodle-xml-read.ts';
