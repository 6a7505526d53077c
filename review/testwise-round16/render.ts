/**
 * Renders the drawn sample (sample.json: same items, same option orders) against the bank as it
 * is now, for the after-revision test-wise pass:
 *
 *   PATH=$PWD/node_modules/.bin:$PATH tsx review/testwise-round16/render.ts > review/testwise-round16/after/candidate.md
 */
import { readFileSync } from 'node:fs';
import { bankFiles, readBankFile } from '../../functions/cli/bank-files.ts';
import { renderCandidateView, type Sample } from '../../scripts/bank-review.ts';

const s = JSON.parse(readFileSync('review/testwise-round16/sample.json', 'utf8')) as Sample;
const byId = new Map(
  bankFiles(['questions'])
    .flatMap((f) => readBankFile(f).questions)
    .map((q) => [q.id, q]),
);
process.stdout.write(renderCandidateView(s, byId));
