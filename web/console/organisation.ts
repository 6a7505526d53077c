/**
 * Organisation settings (`GET/PUT /v1/organisation`): what candidates see of the organisation
 * in emails and on the invitation page — its display name, whom to ask for adjustments, where
 * replies go. PUT replaces every setting, so an emptied field is removed.
 */
import { h } from '../shared/dom.ts';
import { dateTime } from '../shared/i18n.ts';
import { call, current, leave, m, problemText, say, show, showProblem } from './app.ts';
import { errorSummary, type FieldProblem, field, setFieldError, showErrors } from './forms.ts';
import type { Organisation } from './model.ts';

const EMAIL = /^[^\s@<>,;"]+@[^\s@<>,;"]+\.[^\s@<>,;"]+$/;

export async function showOrganisation() {
  const gen = leave();
  show(m().loadingHeading, h('p', {}, m().loading));
  const res = await call('GET', '/organisation');
  if (!current(gen)) return;
  if (res.status !== 200) return showProblem(m().orgHeading, res, showOrganisation);
  const o = res.body as Organisation;
  const summary = errorSummary();
  const name = field(
    'org-name',
    m().orgNameLabel,
    h('input', { required: true, maxlength: 120, value: o.name, autocomplete: 'organization' }),
    m().orgNameHint,
  );
  const contact = field(
    'accessibility-contact',
    m().accessibilityLabel,
    h('input', { maxlength: 300, value: o.accessibilityContact }),
    m().accessibilityHint,
  );
  const replyTo = field(
    'reply-to',
    m().replyToLabel,
    h('input', { type: 'email', maxlength: 254, value: o.replyTo, autocomplete: 'email' }),
    m().replyToHint,
  );
  const saved = h('p', { class: 'message', role: 'status' });
  saved.hidden = true;
  const updated = h(
    'p',
    { class: 'hint' },
    o.updatedAt ? m().orgUpdated(dateTime('en', o.updatedAt)) : m().orgNeverSet(o.org),
  );
  const submit = h('button', { type: 'submit', class: 'primary' }, m().saveSettings);
  const form = h(
    'form',
    { class: 'form', novalidate: true },
    summary,
    h('p', {}, m().orgLead),
    h('p', { class: 'notice' }, o.sendsMail === false ? m().orgNoMail : m().orgMail),
    name.el,
    contact.el,
    replyTo.el,
    updated,
    h('p', { class: 'actions' }, submit),
    saved,
  );
  const fields = { name, accessibilityContact: contact, replyTo };
  const fieldFor = (path: string) => fields[path as keyof typeof fields];
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    saved.hidden = true;
    const body = {
      name: name.input.value.trim(),
      accessibilityContact: contact.input.value.trim(),
      replyTo: replyTo.input.value.trim(),
    };
    const local: FieldProblem[] = [];
    if (!body.name) local.push({ path: 'name', message: m().orgNameRequired });
    if (body.accessibilityContact && body.accessibilityContact.length < 3) {
      local.push({ path: 'accessibilityContact', message: m().accessibilityTooShort });
    }
    if (body.replyTo && !EMAIL.test(body.replyTo)) {
      local.push({ path: 'replyTo', message: m().replyToInvalid });
    }
    const clear = Object.values(fields);
    if (local.length) return showErrors(summary, clear, fieldFor, local);
    submit.disabled = true;
    // PUT replaces every setting: an empty field is left out, which removes it.
    const res = await call('PUT', '/organisation', {
      body: Object.fromEntries(Object.entries(body).filter(([, v]) => v !== '')),
    });
    submit.disabled = false;
    if (res.status !== 200) {
      showErrors(summary, clear, fieldFor, res.body?.errors ?? [], problemText(res), true);
      return;
    }
    summary.hidden = true;
    for (const f of clear) setFieldError(f.input, f.error, '');
    const stored = res.body as Organisation;
    updated.textContent = stored.updatedAt ? m().orgUpdated(dateTime('en', stored.updatedAt)) : '';
    say(saved, m().orgSaved, 'ok');
    // Save was disabled while it had focus, which drops focus to the page: give it back.
    submit.focus();
  });
  show(m().orgHeading, form);
}
