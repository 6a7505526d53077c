/**
 * Authors' screens: the question bank (filtered by the API: source, area, difficulty, status;
 * and by text over what is loaded), one question with its item statistics, and importing a
 * bank file with progress and located errors.
 */
import { h } from '../shared/dom.ts';
import { formatNumber, shortDateTime } from '../shared/i18n.ts';
import { inlineMarkdownHtml, markdownHtml } from '../shared/markdown.ts';
import {
  type Area,
  announce,
  areaName,
  call,
  current,
  leave,
  link,
  m,
  problemText,
  show,
  showProblem,
  state,
} from './app.ts';
import { promptExcerpt } from './excerpt.ts';
import {
  bankOfFile,
  fromPoll,
  fromUpload,
  type ImportState,
  uploadFormat,
  where,
} from './imports.ts';

interface Question {
  id: string;
  version: number;
  area: string;
  difficulty: number;
  type: string;
  prompt: string;
  options?: { id: string; text: string }[];
  answer: unknown;
  explanation: string;
  tags: string[];
  status: string;
  source: string;
  timeHintSeconds?: number;
  updatedAt: string;
  versions?: { version: number; createdAt: string }[];
}

interface Stats {
  attempts: number;
  facility: number | null;
  discrimination: number | null;
  meanSeconds: number | null;
}

const FILTERS = ['source', 'area', 'difficulty', 'status'] as const;

export async function showBank(query = new URLSearchParams()) {
  const gen = leave();
  const select = (name: (typeof FILTERS)[number], label: string, options: [string, string][]) =>
    h(
      'div',
      { class: 'field' },
      h('label', { for: `filter-${name}` }, label),
      h(
        'select',
        { id: `filter-${name}`, name },
        ...options.map(([value, text]) =>
          h('option', { value, selected: (query.get(name) ?? '') === value }, text),
        ),
      ),
    );
  const text = h('input', {
    id: 'filter-text',
    type: 'search',
    value: query.get('q') ?? '',
    'aria-describedby': 'filter-text-hint',
  });
  const filters = h(
    'form',
    { class: 'filters', role: 'search', 'aria-label': m().filtersLabel },
    select('source', m().sourceLabel, [
      ['org', m().sourceOrg],
      ['public', m().sourcePublic],
    ]),
    select('area', m().areaLabel, [
      ['', m().anyArea],
      ...state.areas.map((a: Area): [string, string] => [a.id, a.name]),
    ]),
    select('difficulty', m().difficultyLabel, [
      ['', m().anyDifficulty],
      ['1', m().difficulty(1)],
      ['2', m().difficulty(2)],
      ['3', m().difficulty(3)],
    ]),
    select('status', m().statusColumn, [
      ['published', m().published],
      ['retired', m().retired],
    ]),
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'filter-text' }, m().textFilterLabel),
      text,
      h('p', { class: 'hint', id: 'filter-text-hint' }, m().textFilterHint),
    ),
    h('p', { class: 'filter-actions' }, h('button', { type: 'submit' }, m().applyFilters)),
  );
  filters.addEventListener('submit', (e) => {
    e.preventDefault();
    const q = new URLSearchParams();
    for (const name of FILTERS) {
      const v = (filters.elements.namedItem(name) as HTMLSelectElement).value;
      if (v) q.set(name, v);
    }
    if (text.value.trim()) q.set('q', text.value.trim());
    location.hash = `#/bank?${q}`;
  });
  const count = h('p', { class: 'counts', role: 'status' });
  const holder = h('div', {});
  const more = h('button', { type: 'button' }, m().showMore);
  more.hidden = true;
  show(
    m().bankHeading,
    h('p', { class: 'actions' }, link('/bank/import', m().importBank, { class: 'button primary' })),
    filters,
    count,
    holder,
    h('p', {}, more),
  );

  const api = new URLSearchParams({ limit: '100' });
  for (const name of FILTERS) {
    const v = query.get(name);
    if (v) api.set(name, v);
  }
  const needle = (query.get('q') ?? '').toLowerCase();
  const items: Question[] = [];
  let cursor: string | null = null;
  const load = async () => {
    more.disabled = true;
    const res = await call(
      'GET',
      `/questions?${api}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    if (!current(gen)) return;
    more.disabled = false;
    if (res.status !== 200) {
      count.textContent = problemText(res);
      return;
    }
    items.push(...(res.body.items as Question[]));
    cursor = res.body.nextCursor;
    more.hidden = !cursor;
    const shown = needle
      ? items.filter((q) =>
          [q.id, q.prompt, ...q.tags].some((s) => s.toLowerCase().includes(needle)),
        )
      : items;
    count.textContent = needle
      ? m().questionsMatching(shown.length, items.length, Boolean(cursor))
      : m().questionsShown(items.length, Boolean(cursor));
    holder.replaceChildren(shown.length ? questionsTable(shown) : '');
  };
  more.addEventListener('click', async () => {
    const before = holder.querySelectorAll('tbody tr').length;
    await load();
    if (!current(gen)) return;
    // Show more was disabled while it had focus, which drops focus to the page: it goes to the
    // first question it added (else back to Show more, or to the table).
    const added = holder.querySelectorAll<HTMLElement>('tbody tr a')[before];
    (added ?? (more.hidden ? holder.querySelector<HTMLElement>('.table-wrap') : more))?.focus();
  });
  await load();
}

function questionsTable(items: Question[]) {
  return h(
    'div',
    { class: 'table-wrap', role: 'region', 'aria-label': m().bankHeading, tabindex: 0 },
    h(
      'table',
      { class: 'data' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, m().idColumn),
          h('th', { scope: 'col' }, m().questionColumn),
          h('th', { scope: 'col' }, m().areaLabel),
          h('th', { scope: 'col' }, m().typeColumn),
          h('th', { scope: 'col', class: 'num' }, m().difficultyLabel),
          h('th', { scope: 'col', class: 'num' }, m().versionColumn),
        ),
      ),
      h(
        'tbody',
        {},
        ...items.map((q) =>
          h(
            'tr',
            {},
            h(
              'th',
              { scope: 'row', class: 'nowrap' },
              link(`/bank/${encodeURIComponent(q.id)}`, q.id),
            ),
            h('td', { class: 'excerpt' }, promptExcerpt(q.prompt)),
            h('td', {}, areaName(q.area)),
            h('td', {}, m().typeName(q.type)),
            h('td', { class: 'num' }, String(q.difficulty)),
            h('td', { class: 'num' }, String(q.version)),
          ),
        ),
      ),
    ),
  );
}

// ---- one question and its statistics ----

const statValue = (v: number | null, digits = 2) =>
  v === null ? m().notYet : formatNumber('en', Math.round(v * 10 ** digits) / 10 ** digits);

export async function showQuestion(id: string) {
  const gen = leave();
  show(m().loadingHeading, h('p', {}, m().loading));
  const path = `/questions/${encodeURIComponent(id)}`;
  const [res, stats] = await Promise.all([call('GET', path), call('GET', `${path}/stats`)]);
  if (!current(gen)) return;
  if (res.status !== 200) {
    return showProblem(id, res, () => void showQuestion(id), {
      href: '/bank',
      text: m().backToBank,
    });
  }
  const q = res.body as Question;
  // Moodle's partial credit (`{weights}` on single and multi): the options worth something.
  const weights =
    q.answer && typeof q.answer === 'object' && 'weights' in q.answer
      ? (q.answer as { weights: Record<string, number> }).weights
      : undefined;
  const key = weights
    ? Object.keys(weights).filter((id) => (weights[id] ?? 0) > 0)
    : Array.isArray(q.answer)
      ? q.answer.map(String)
      : [String(q.answer)];
  const options = q.options?.length
    ? h(
        q.type === 'order' ? 'ol' : 'ul',
        { class: 'options' },
        ...q.options.map((o) =>
          h(
            'li',
            { class: key.includes(o.id) && q.type !== 'order' ? 'key' : undefined },
            h('span', { class: 'md', html: inlineMarkdownHtml(o.text) }),
            // A space between: read together, the option and its badge were "SQScorrect".
            key.includes(o.id) && q.type !== 'order' ? ' ' : null,
            key.includes(o.id) && q.type !== 'order'
              ? h('span', { class: 'badge' }, m().correctAnswer)
              : null,
          ),
        ),
      )
    : null;
  const s =
    stats.status === 200
      ? (stats.body as Stats & { versions: (Stats & { version: number })[] })
      : undefined;
  show(
    q.id,
    h('p', { class: 'breadcrumb' }, link('/bank', m().backToBank)),
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, m().areaLabel),
      h('dd', {}, areaName(q.area)),
      h('dt', {}, m().typeColumn),
      h('dd', {}, m().typeName(q.type)),
      h('dt', {}, m().difficultyLabel),
      h('dd', {}, m().difficulty(q.difficulty)),
      h('dt', {}, m().versionColumn),
      h('dd', {}, m().versionOf(q.version, shortDateTime('en', q.updatedAt))),
      h('dt', {}, m().statusColumn),
      h('dd', {}, q.status === 'retired' ? m().retired : m().published),
      h('dt', {}, m().sourceLabel),
      h('dd', {}, q.source === 'public' ? m().sourcePublic : m().sourceOrg),
      q.timeHintSeconds ? h('dt', {}, m().timeHint) : null,
      q.timeHintSeconds ? h('dd', {}, m().seconds(q.timeHintSeconds)) : null,
      q.tags.length ? h('dt', {}, m().tags) : null,
      q.tags.length ? h('dd', {}, q.tags.join(', ')) : null,
    ),
    h('h2', {}, m().promptHeading),
    h('div', { class: 'md prompt', html: markdownHtml(q.prompt) }),
    options,
    !options || q.type === 'order' || q.type === 'sjt' || weights
      ? h('p', {}, h('strong', {}, `${m().keyLabel}: `), h('code', {}, JSON.stringify(q.answer)))
      : null,
    h('h2', {}, m().explanationHeading),
    q.explanation.trim()
      ? h('div', { class: 'md', html: markdownHtml(q.explanation) })
      : h('p', { class: 'hint' }, m().noExplanation),
    h('h2', {}, m().statsHeading),
    s ? statsView(s) : h('p', { class: 'notice' }, problemText(stats)),
  );
}

function statsView(s: Stats & { versions: (Stats & { version: number })[] }) {
  return h(
    'div',
    {},
    h('p', { class: 'hint' }, m().statsHint),
    h(
      'div',
      { class: 'table-wrap', role: 'region', 'aria-label': m().statsHeading, tabindex: 0 },
      h(
        'table',
        { class: 'data' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'col', class: 'num' }, m().versionColumn),
            h('th', { scope: 'col', class: 'num' }, m().attemptsColumn),
            h('th', { scope: 'col', class: 'num' }, m().facilityColumn),
            h('th', { scope: 'col', class: 'num' }, m().discriminationColumn),
            h('th', { scope: 'col', class: 'num' }, m().meanSecondsColumn),
          ),
        ),
        h(
          'tbody',
          {},
          ...[...s.versions]
            .reverse()
            .map((v) =>
              h(
                'tr',
                {},
                h('th', { scope: 'row' }, String(v.version)),
                h('td', { class: 'num' }, String(v.attempts)),
                h('td', { class: 'num' }, statValue(v.facility)),
                h('td', { class: 'num' }, statValue(v.discrimination)),
                h('td', { class: 'num' }, statValue(v.meanSeconds, 0)),
              ),
            ),
        ),
      ),
    ),
  );
}

// ---- importing ----

/** Problems in the order of the file (those without a line last). */
const byLine = (items: ImportState['errors']) =>
  [...items].sort(
    (a, b) =>
      (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER) ||
      (a.column ?? 0) - (b.column ?? 0),
  );

/** The largest bank the API takes (bytes). */
const MAX_BANK_BYTES = 4 * 1024 * 1024;

export function showImport() {
  const gen = leave();
  const file = h('input', {
    type: 'file',
    id: 'bank-file',
    accept: '.json,.yaml,.yml,.gift,.txt,.xml',
    required: true,
    'aria-describedby': 'bank-file-hint bank-file-error',
  });
  const fileError = h('p', { class: 'field-error', id: 'bank-file-error' });
  fileError.hidden = true;
  const giftArea = h(
    'select',
    { id: 'gift-area' },
    h('option', { value: '' }, m().fromFile),
    ...state.areas.map((a) => h('option', { value: a.id }, a.name)),
  );
  const giftDifficulty = h(
    'select',
    { id: 'gift-difficulty' },
    h('option', { value: '' }, m().fromFile),
    h('option', { value: '1' }, m().difficulty(1)),
    h('option', { value: '2' }, m().difficulty(2)),
    h('option', { value: '3' }, m().difficulty(3)),
  );
  /** The bank a derived id's 409 names: "upload with ?bank=<id> if this file is a new version". */
  const NEW_VERSION_OF = /upload with \?bank=([a-z0-9-]+) if this file is a new version/;
  const skipUnsupported = h('input', { type: 'checkbox', id: 'skip-unsupported' });
  const moveQuestions = h('input', { type: 'checkbox', id: 'move-questions' });
  const progress = h('progress', {
    max: 1,
    id: 'import-progress',
    'aria-labelledby': 'import-phase',
  });
  const phase = h('p', { id: 'import-phase', role: 'status' });
  const progressBox = h('div', { class: 'import-progress' }, phase, progress);
  progressBox.hidden = true;
  const outcome = h('div', { class: 'import-outcome' });
  const submit = h('button', { type: 'submit', class: 'primary' }, m().upload);
  const form = h(
    'form',
    { class: 'form', novalidate: true },
    h('p', {}, m().importLead),
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'bank-file' }, m().bankFileLabel),
      file,
      h('p', { class: 'hint', id: 'bank-file-hint' }, m().bankFileHint),
      fileError,
    ),
    h(
      'fieldset',
      { class: 'field' },
      h('legend', {}, m().giftDefaults),
      h(
        'div',
        { class: 'section-fields' },
        h('div', { class: 'field' }, h('label', { for: 'gift-area' }, m().areaLabel), giftArea),
        h(
          'div',
          { class: 'field' },
          h('label', { for: 'gift-difficulty' }, m().difficultyLabel),
          giftDifficulty,
        ),
      ),
      h(
        'div',
        { class: 'field checkbox' },
        skipUnsupported,
        h('label', { for: 'skip-unsupported' }, m().skipUnsupportedLabel),
      ),
    ),
    h(
      'div',
      { class: 'field checkbox' },
      moveQuestions,
      h('label', { for: 'move-questions' }, m().moveQuestionsLabel),
    ),
    h('p', { class: 'actions' }, submit, link('/bank', m().cancel, { class: 'button' })),
  );

  const render = (s: ImportState, name: string) => {
    progressBox.hidden = false;
    // A failed import has no progress to show: the problems below say why.
    progress.hidden = s.phase === 'failed';
    if (s.fraction === undefined) progress.removeAttribute('value');
    else progress.value = s.fraction;
    phase.textContent =
      s.phase === 'running'
        ? m().importRunning(name, s.fraction)
        : s.phase === 'done'
          ? m().importDone(name)
          : m().importFailed(name);
    const list = (items: ImportState['errors']) =>
      h(
        'ul',
        { class: 'problems' },
        ...items.map((e) =>
          h(
            'li',
            {},
            where(e) ? h('span', { class: 'where' }, `${where(e)}: `) : '',
            e.path ? h('code', {}, e.path) : '',
            e.path ? ' — ' : '',
            e.message,
          ),
        ),
      );
    const c = s.counts;
    outcome.replaceChildren(
      s.phase === 'done'
        ? h(
            'div',
            { class: 'success' },
            h('h2', { tabindex: -1 }, m().importedHeading),
            h(
              'p',
              {},
              m().importCounts(c.imported ?? 0, c.created ?? 0, c.updated ?? 0, c.unchanged ?? 0),
            ),
            h('p', {}, link('/bank', m().seeQuestions)),
          )
        : '',
      s.phase === 'failed'
        ? h(
            'div',
            { class: 'error-summary' },
            h('h2', { tabindex: -1 }, m().importErrorsHeading(s.errors.length)),
            s.errors.length ? list(byLine(s.errors)) : h('p', {}, s.detail ?? ''),
            // The API's message names its query parameter; here it is a box on this form.
            s.errors.some((e) => e.message.includes('skipUnsupported')) && !skipUnsupported.checked
              ? h('p', {}, m().skipUnsupportedTip)
              : '',
            s.errors.some((e) => e.message.includes('moveQuestions')) && !moveQuestions.checked
              ? h('p', {}, m().moveQuestionsTip)
              : '',
            // A Moodle file's bank is its file name here (?bank= is not on this form).
            ...[...new Set(s.errors.map((e) => NEW_VERSION_OF.exec(e.message)?.[1]))]
              .filter((bank) => bank && bank !== '...')
              .map((bank) => h('p', {}, m().renameForBankTip(bank!))),
          )
        : '',
      s.skipped.length
        ? h('div', {}, h('h2', {}, m().skippedHeading(s.skipped.length)), list(s.skipped))
        : '',
      s.warnings.length
        ? h('div', {}, h('h2', {}, m().warningsHeading(s.warnings.length)), list(s.warnings))
        : '',
    );
    if (s.phase !== 'running') {
      outcome.querySelector<HTMLElement>('h2')?.focus();
      if (s.phase === 'done') announce(m().importDone(name));
    }
  };

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const f = file.files?.[0];
    fileError.hidden = true;
    file.removeAttribute('aria-invalid');
    const fail = (text: string) => {
      fileError.textContent = text;
      fileError.hidden = false;
      file.setAttribute('aria-invalid', 'true');
      file.focus();
    };
    if (!f) return fail(m().chooseFile);
    if (f.size > MAX_BANK_BYTES) return fail(m().fileTooLarge);
    const { contentType, format } = uploadFormat(f.name);
    const q = new URLSearchParams({ format });
    // Moodle's formats (GIFT, Moodle XML) take the area and difficulty their questions lack.
    const moodle = format === 'gift' || format === 'xml';
    if (moodle && giftArea.value) q.set('area', giftArea.value);
    if (moodle && giftDifficulty.value) q.set('difficulty', giftDifficulty.value);
    if (moodle && skipUnsupported.checked) q.set('skipUnsupported', 'true');
    if (!moodle && moveQuestions.checked) q.set('moveQuestions', 'true');
    if (moodle) for (const [k, v] of Object.entries(bankOfFile(f.name))) q.set(k, v);
    submit.disabled = true;
    outcome.replaceChildren();
    render({ phase: 'running', counts: {}, errors: [], warnings: [], skipped: [] }, f.name);
    // The file's bytes as they are: the API reads UTF-8 and UTF-16 and names the line and byte
    // of a Latin-1 file, which File.text() would have turned into U+FFFD before it could.
    const res = await call('POST', `/banks?${q}`, { raw: { text: f, contentType } });
    if (!current(gen)) return;
    let s = fromUpload(res.status, res.body);
    if (res.status !== 201 && res.status !== 202 && !s.errors.length) {
      s = { ...s, detail: problemText(res) };
    }
    render(s, f.name);
    const header = res.headers?.get('location');
    const statusPath = header ? new URL(header, window.location.href).pathname : undefined;
    // The asynchronous import: follow it until it is done or failed.
    while (res.status === 202 && statusPath && s.phase === 'running') {
      await new Promise((r) => setTimeout(r, 1000));
      if (!current(gen)) return;
      const poll = await call('GET', statusPath);
      if (!current(gen)) return;
      if (poll.status !== 200) {
        s = { ...s, phase: 'failed', detail: problemText(poll) };
      } else s = fromPoll(poll.body);
      render(s, f.name);
    }
    submit.disabled = false;
    // Pool sizes changed: the create form shows them.
    const areas = await call('GET', '/areas');
    if (areas.status === 200) state.areas = areas.body.areas;
  });
  show(
    m().importHeading,
    h('p', { class: 'breadcrumb' }, link('/bank', m().backToBank)),
    form,
    progressBox,
    outcome,
  );
}
