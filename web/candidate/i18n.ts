/**
 * Every text of the candidate app, in English and Russian: one catalogue, checked by the
 * compiler (a key missing from a language does not build). Numbers, dates and plurals go
 * through `Intl` in the candidate's language.
 */
import { CHART_TEXT_EN } from '../../functions/domain/radar-svg.ts';

export type Locale = 'en' | 'ru';
export const LOCALES: readonly Locale[] = ['en', 'ru'];

type Level = 'foundational' | 'intermediate' | 'advanced' | 'expert' | 'insufficient-evidence';

/** Plural forms as `Intl.PluralRules` names them; `other` is required. */
type Forms = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

function plural(locale: Locale, n: number, forms: Forms): string {
  const rule = new Intl.PluralRules(locale).select(n);
  return (forms[rule] ?? forms.other).replace('#', new Intl.NumberFormat(locale).format(n));
}

const en = {
  languageName: 'English',
  appName: 'Assay',
  loading: 'Loading your assessment…',
  noToken:
    'This page needs the link from your invitation. Open the link exactly as you received it.',
  invalidLink: 'This invitation link is not valid. Check that the whole link was copied.',
  goneRevoked: 'This invitation was withdrawn by the employer.',
  goneExpired: 'This invitation has expired. Ask the employer for a new link.',
  goneFinished: 'This assessment has already finished: it was submitted or its time ran out.',
  unreachable: 'The assessment service cannot be reached right now. Check your connection.',
  busy: 'The assessment service is busy. Please try again in a moment.',
  tryAgain: 'Try again',
  cannotOpen: 'This assessment cannot be opened',
  introFrom: (org: string) => `An assessment from ${org}`,
  hello: (name: string) => `Hello, ${name}.`,
  introLead: 'Read this first: the clock starts only when you press Start.',
  timeLimit: 'Time limit',
  questionsLabel: 'Questions',
  sectionsLabel: 'Sections',
  validUntil: 'Link valid until',
  extraTime: (percent: number, base: string) =>
    `includes ${percent}% extra time (the standard limit is ${base})`,
  howItWorksHeading: 'How it works',
  howItWorks: [
    'One question per screen. Move between questions with Next and Previous or the question numbers, and flag a question to come back to it.',
    'Each answer is saved as soon as you choose it, and you can change it until you submit. The page shows when an answer is saved.',
    'When the time runs out, the answers you have saved are submitted automatically.',
    'Use one window: opening the link in another window or on another device moves the assessment there.',
  ],
  recordedHeading: 'What is recorded',
  recorded:
    'Besides your answers and when they were saved, this page records when it is hidden (for example when you switch to another tab, window or application) and when text is pasted into an answer: how many characters, never what. The employer sees these counts and times next to your result.',
  start: 'Start',
  continue: 'Continue',
  startedAt: (time: string) => `You started this assessment at ${time}.`,
  timeLeftWords: (words: string) => `Time left: ${words}.`,
  questionOf: (i: number, n: number) => `Question ${i} of ${n}`,
  answeredCount: (a: number, n: number) => `${a} of ${n} answered`,
  timeLeft: 'Time left',
  timeLeftExtra: (percent: number) => `Time left (with ${percent}% extra time)`,
  chooseOne: 'Choose one answer.',
  chooseAll: 'Choose all that apply.',
  chooseSjt: 'Choose the response you consider most effective.',
  orderHint:
    'Put the items in order, the first at the top: drag an item by its handle, or use its Move up and Move down buttons. The order counts as your answer once you move an item or keep the order shown.',
  keepOrder: 'Keep this order',
  moveUp: (text: string) => `Move up: ${text}`,
  moveDown: (text: string) => `Move down: ${text}`,
  movedTo: (text: string, pos: number, n: number) => `${text}: position ${pos} of ${n}.`,
  enterNumber: 'Enter a number.',
  typeAnswer: 'Type your answer.',
  numberLabel: 'Your answer (a number)',
  numberHint: 'Digits, with a point or a comma for decimals, for example 42 or 3.5.',
  numberInvalid: 'This is not a number: use digits, for example 42 or 3.5.',
  unit: (unit: string) => `Unit: ${unit}`,
  textLabel: 'Your answer',
  textHint: 'A short answer; it is saved when you pause typing or leave the field.',
  unsupported:
    'This page cannot show this kind of question yet. Go on with Next; it stays unanswered.',
  notAnswered: 'Not answered yet.',
  saving: 'Saving…',
  saved: 'Saved.',
  savedAt: (time: string) => `Saved at ${time}.`,
  retrying: 'Not saved — retrying.',
  offline: 'Not saved — you are offline. It will be sent, in order, when you are back online.',
  rejected: (detail: string) => `Not saved: error. ${detail}`,
  changedElsewhere: 'This answer was changed in another window; the saved answer is shown.',
  flag: 'Flag for review',
  flagged: 'flagged',
  previous: 'Previous',
  next: 'Next',
  reviewAndSubmit: 'Review and submit',
  navLabel: 'Questions',
  navItem: (i: number, states: string[]) => `Question ${i}: ${states.join(', ')}`,
  stateAnswered: 'answered',
  stateUnanswered: 'not answered',
  stateUnsaved: 'not saved yet',
  offlineBanner: 'You are offline. Your answers are kept here and sent when you are back online.',
  reviewHeading: 'Review your answers',
  reviewUnanswered: 'Not answered',
  reviewFlagged: 'Flagged for review',
  reviewUnsaved: 'Not saved yet',
  reviewAllAnswered: 'Every question has an answer.',
  reviewWarning: 'After you submit, answers can no longer change.',
  goTo: (i: number) => `Go to question ${i}`,
  submit: 'Submit',
  backToQuestions: 'Back to the questions',
  submitting: 'Submitting…',
  submitFailed:
    'The answers could not be submitted yet. Check your connection and press Submit again.',
  fiveMinutes: 'Five minutes left.',
  oneMinute: 'One minute left.',
  moreTime: (time: string) => `You have been given more time: the new deadline is ${time}.`,
  previewBanner:
    'Preview: you are taking your own assessment as a candidate would. It is graded but never counted in results or statistics.',
  timeUpHeading: 'Time is up',
  timeUpSubmitting: 'Time is up. Your saved answers are being submitted…',
  timeUpSubmitted: (time: string) => `Your saved answers were submitted at ${time}.`,
  submittedHeading: 'Your answers were submitted',
  submittedAt: (time: string) => `Submitted at ${time}.`,
  resultHeading: 'Your result',
  score: (score: string) => `${score} out of 100`,
  scoreLabel: 'Score',
  passed: 'Passed',
  notPassed: 'Not passed',
  profileHeading: 'Your profile by area',
  areaColumn: 'Area',
  scoreColumn: 'Score (out of 100)',
  levelColumn: 'Level',
  technicalScore: 'Technical skills',
  softScore: 'Soft skills',
  strengthsHeading: 'Strengths',
  gapsHeading: 'To develop',
  levels: CHART_TEXT_EN.level as Record<Level, string>,
  chartTitle: 'Your skill profile',
  chart: {
    technical: CHART_TEXT_EN.technical,
    soft: CHART_TEXT_EN.soft,
    technicalLegend: CHART_TEXT_EN.technicalLegend,
    softLegend: CHART_TEXT_EN.softLegend,
    scoreLegend: CHART_TEXT_EN.scoreLegend,
    noAreas: CHART_TEXT_EN.noAreas,
    scoresByArea: CHART_TEXT_EN.scoresByArea,
  },
  nextHeading: 'What happens next',
  nextText: (org: string) =>
    `${org} will review your answers and get in touch with you. You can close this page now.`,
  closeNote: 'You can close this page now.',
  elsewhereHeading: 'This assessment continues in another window',
  elsewhereText:
    'It was opened in another window, tab or device, so this window has stopped. Answers saved there are kept; a choice made here after that was not saved.',
  continueHere: 'Continue here',
  leaveWarning: 'Some answers are not saved yet.',
  areaNames: {} as Record<string, string>,
  minutes: (n: number) => plural('en', n, { one: '# minute', other: '# minutes' }),
  hours: (n: number) => plural('en', n, { one: '# hour', other: '# hours' }),
  seconds: (n: number) => plural('en', n, { one: '# second', other: '# seconds' }),
  questions: (n: number) => plural('en', n, { one: '# question', other: '# questions' }),
};

export type Messages = typeof en;

const ru: Messages = {
  languageName: 'Русский',
  appName: 'Assay',
  loading: 'Загружаем задание…',
  noToken:
    'Для этой страницы нужна ссылка из приглашения. Откройте ссылку в точности такой, какой её получили.',
  invalidLink: 'Ссылка приглашения недействительна. Проверьте, что она скопирована целиком.',
  goneRevoked: 'Работодатель отозвал это приглашение.',
  goneExpired: 'Срок действия приглашения истёк. Попросите у работодателя новую ссылку.',
  goneFinished: 'Это задание уже завершено: ответы отправлены или время вышло.',
  unreachable: 'Сервис сейчас недоступен. Проверьте подключение к интернету.',
  busy: 'Сервис перегружен. Попробуйте ещё раз через минуту.',
  tryAgain: 'Попробовать снова',
  cannotOpen: 'Задание не удаётся открыть',
  introFrom: (org: string) => `Задание от ${org}`,
  hello: (name: string) => `Здравствуйте, ${name}.`,
  introLead: 'Прочитайте это сначала: отсчёт времени начнётся, только когда вы нажмёте «Начать».',
  timeLimit: 'Время',
  questionsLabel: 'Вопросы',
  sectionsLabel: 'Разделы',
  validUntil: 'Ссылка действует до',
  extraTime: (percent: number, base: string) =>
    `включая ${percent}% дополнительного времени (обычный лимит — ${base})`,
  howItWorksHeading: 'Как это устроено',
  howItWorks: [
    'На экране один вопрос. Переходите между вопросами кнопками «Далее» и «Назад» или номерами вопросов; отметьте вопрос, чтобы вернуться к нему позже.',
    'Каждый ответ сохраняется сразу после выбора, и его можно изменить до отправки. Страница показывает, когда ответ сохранён.',
    'Когда время выйдет, сохранённые ответы будут отправлены автоматически.',
    'Работайте в одном окне: если открыть ссылку в другом окне или на другом устройстве, задание продолжится там.',
  ],
  recordedHeading: 'Что записывается',
  recorded:
    'Кроме ответов и времени их сохранения, страница записывает, когда она скрыта (например, когда вы переключаетесь на другую вкладку, окно или программу) и когда в ответ вставляется текст: сколько символов, но не сам текст. Работодатель видит эти количества и время рядом с вашим результатом.',
  start: 'Начать',
  continue: 'Продолжить',
  startedAt: (time: string) => `Вы начали задание в ${time}.`,
  timeLeftWords: (words: string) => `Осталось: ${words}.`,
  questionOf: (i: number, n: number) => `Вопрос ${i} из ${n}`,
  answeredCount: (a: number, n: number) => `Отвечено: ${a} из ${n}`,
  timeLeft: 'Осталось',
  timeLeftExtra: (percent: number) => `Осталось (с учётом ${percent}% доп. времени)`,
  chooseOne: 'Выберите один ответ.',
  chooseAll: 'Выберите все подходящие варианты.',
  chooseSjt: 'Выберите действие, которое считаете самым эффективным.',
  orderHint:
    'Расположите пункты по порядку, первый — вверху: перетащите пункт за маркер или используйте кнопки «Выше» и «Ниже». Порядок станет ответом, когда вы переместите пункт или оставите показанный порядок.',
  keepOrder: 'Оставить этот порядок',
  moveUp: (text: string) => `Выше: ${text}`,
  moveDown: (text: string) => `Ниже: ${text}`,
  movedTo: (text: string, pos: number, n: number) => `${text}: место ${pos} из ${n}.`,
  enterNumber: 'Введите число.',
  typeAnswer: 'Введите ответ.',
  numberLabel: 'Ваш ответ (число)',
  numberHint: 'Цифры, дробная часть — через точку или запятую, например 42 или 3,5.',
  numberInvalid: 'Это не число: введите цифры, например 42 или 3,5.',
  unit: (unit: string) => `Единица: ${unit}`,
  textLabel: 'Ваш ответ',
  textHint: 'Короткий ответ; он сохраняется, когда вы делаете паузу или уходите из поля.',
  unsupported:
    'Эта страница пока не умеет показывать такой вопрос. Переходите дальше; вопрос останется без ответа.',
  notAnswered: 'Ответа пока нет.',
  saving: 'Сохраняем…',
  saved: 'Сохранено.',
  savedAt: (time: string) => `Сохранено в ${time}.`,
  retrying: 'Не сохранено — повторяем попытку.',
  offline:
    'Не сохранено — нет подключения. Ответ будет отправлен по порядку, когда связь вернётся.',
  rejected: (detail: string) => `Не сохранено: ошибка. ${detail}`,
  changedElsewhere: 'Этот ответ изменили в другом окне; показан сохранённый ответ.',
  flag: 'Отметить для проверки',
  flagged: 'отмечен',
  previous: 'Назад',
  next: 'Далее',
  reviewAndSubmit: 'Проверить и отправить',
  navLabel: 'Вопросы',
  navItem: (i: number, states: string[]) => `Вопрос ${i}: ${states.join(', ')}`,
  stateAnswered: 'есть ответ',
  stateUnanswered: 'нет ответа',
  stateUnsaved: 'ещё не сохранён',
  offlineBanner:
    'Нет подключения. Ответы хранятся на этой странице и будут отправлены, когда связь вернётся.',
  reviewHeading: 'Проверьте ответы',
  reviewUnanswered: 'Без ответа',
  reviewFlagged: 'Отмечены для проверки',
  reviewUnsaved: 'Ещё не сохранены',
  reviewAllAnswered: 'На все вопросы есть ответы.',
  reviewWarning: 'После отправки ответы изменить нельзя.',
  goTo: (i: number) => `Перейти к вопросу ${i}`,
  submit: 'Отправить',
  backToQuestions: 'Вернуться к вопросам',
  submitting: 'Отправляем…',
  submitFailed:
    'Ответы пока не удалось отправить. Проверьте подключение и нажмите «Отправить» ещё раз.',
  fiveMinutes: 'Осталось пять минут.',
  oneMinute: 'Осталась одна минута.',
  moreTime: (time: string) => `Вам дали больше времени: новый срок — ${time}.`,
  previewBanner:
    'Предпросмотр: вы проходите своё задание так, как его проходит кандидат. Оно оценивается, но не попадает ни в результаты, ни в статистику.',
  timeUpHeading: 'Время вышло',
  timeUpSubmitting: 'Время вышло. Отправляем сохранённые ответы…',
  timeUpSubmitted: (time: string) => `Сохранённые ответы отправлены в ${time}.`,
  submittedHeading: 'Ваши ответы отправлены',
  submittedAt: (time: string) => `Отправлено в ${time}.`,
  resultHeading: 'Ваш результат',
  score: (score: string) => `${score} из 100`,
  scoreLabel: 'Балл',
  passed: 'Пройдено',
  notPassed: 'Не пройдено',
  profileHeading: 'Ваш профиль по областям',
  areaColumn: 'Область',
  scoreColumn: 'Балл (из 100)',
  levelColumn: 'Уровень',
  technicalScore: 'Технические навыки',
  softScore: 'Гибкие навыки',
  strengthsHeading: 'Сильные стороны',
  gapsHeading: 'Что развивать',
  levels: {
    foundational: 'Базовый',
    intermediate: 'Средний',
    advanced: 'Продвинутый',
    expert: 'Эксперт',
    'insufficient-evidence': 'Недостаточно данных',
  },
  chartTitle: 'Ваш профиль навыков',
  chart: {
    technical: 'Технический',
    soft: 'Гибкий навык',
    technicalLegend: 'Технические навыки',
    softLegend: 'Гибкие навыки',
    scoreLegend: 'Балл из 100',
    noAreas: 'Области не оценивались.',
    scoresByArea: 'Баллы из 100 по областям',
  },
  nextHeading: 'Что дальше',
  nextText: (org: string) =>
    `${org} рассмотрит ваши ответы и свяжется с вами. Эту страницу можно закрыть.`,
  closeNote: 'Эту страницу можно закрыть.',
  elsewhereHeading: 'Задание продолжается в другом окне',
  elsewhereText:
    'Его открыли в другом окне, вкладке или на другом устройстве, поэтому здесь работа остановлена. Ответы, сохранённые там, сохранены; выбор, сделанный здесь после этого, не сохранён.',
  continueHere: 'Продолжить здесь',
  leaveWarning: 'Некоторые ответы ещё не сохранены.',
  areaNames: {
    microservices: 'Микросервисы',
    serverless: 'Бессерверные технологии',
    'api-first': 'Разработка API-first',
    'real-time-data': 'Данные в реальном времени',
    'devops-cicd': 'DevOps и CI/CD',
    'ai-ml': 'Интеграция ИИ/МО',
    security: 'Безопасность',
    'cloud-native': 'Cloud-native',
    'modern-languages': 'Go и Rust',
    'problem-solving': 'Решение задач',
    communication: 'Коммуникация',
    adaptability: 'Адаптивность',
    collaboration: 'Командная работа',
  },
  minutes: (n: number) =>
    plural('ru', n, { one: '# минута', few: '# минуты', many: '# минут', other: '# минуты' }),
  hours: (n: number) =>
    plural('ru', n, { one: '# час', few: '# часа', many: '# часов', other: '# часа' }),
  seconds: (n: number) =>
    plural('ru', n, { one: '# секунда', few: '# секунды', many: '# секунд', other: '# секунды' }),
  questions: (n: number) =>
    plural('ru', n, { one: '# вопрос', few: '# вопроса', many: '# вопросов', other: '# вопроса' }),
};

export const CATALOGUE: Readonly<Record<Locale, Messages>> = { en, ru };

export const isLocale = (value: unknown): value is Locale => LOCALES.includes(value as Locale);

/** A duration in words: "20 minutes", "1 hour 30 minutes", "45 seconds". */
export function durationWords(m: Messages, totalSeconds: number): string {
  const s = Math.max(0, Math.round(totalSeconds));
  if (s < 60) return m.seconds(s);
  const minutesTotal = Math.round(s / 60);
  const h = Math.floor(minutesTotal / 60);
  const min = minutesTotal % 60;
  if (!h) return m.minutes(min);
  return min ? `${m.hours(h)} ${m.minutes(min)}` : m.hours(h);
}

/**
 * The locale for dates and numbers: the browser's own variant of the page's language (en-GB
 * shows 24-hour times, en-US 12-hour), else the page's language.
 */
export function formatLocale(locale: Locale, preferred: readonly string[] = []): string {
  const own = preferred.find((tag) => tag.toLowerCase().split('-')[0] === locale);
  if (!own) return locale;
  try {
    return Intl.DateTimeFormat.supportedLocalesOf([own])[0] ?? locale;
  } catch {
    return locale;
  }
}

const browserLocale = (locale: Locale) =>
  formatLocale(locale, typeof navigator === 'undefined' ? [] : navigator.languages);

/** Date and time in the candidate's locale, in their time zone. */
export const dateTime = (locale: Locale, iso: string | number) =>
  new Intl.DateTimeFormat(browserLocale(locale), { dateStyle: 'long', timeStyle: 'short' }).format(
    new Date(iso),
  );

/** Time of day with seconds, for "saved at". */
export const timeOfDay = (locale: Locale, iso: string | number) =>
  new Intl.DateTimeFormat(browserLocale(locale), { timeStyle: 'medium' }).format(new Date(iso));

export const formatNumber = (locale: Locale, n: number) =>
  new Intl.NumberFormat(browserLocale(locale), { maximumFractionDigits: 1 }).format(n);
