/**
 * Every text of the candidate app, in English and Russian: one catalogue, checked by the
 * compiler (a key missing from a language does not build). Numbers, dates and plurals go
 * through `Intl` in the candidate's language (`web/shared/i18n.ts`).
 */
import { CHART_TEXT_EN } from '../../functions/domain/radar-svg.ts';
import { AREA_NAMES_RU } from '../../functions/domain/taxonomy.ts';
import { type Locale, plural } from '../shared/i18n.ts';

export {
  dateTime,
  durationWords,
  formatLocale,
  formatNumber,
  isLocale,
  LOCALES,
  type Locale,
  preferredLocale,
  timeOfDay,
} from '../shared/i18n.ts';

type Level = 'foundational' | 'intermediate' | 'advanced' | 'expert' | 'insufficient-evidence';

const en = {
  languageName: 'English',
  appName: 'Assay',
  loading: 'Loading your assessment…',
  noToken:
    'This page needs the link from your invitation. Open the link exactly as you received it.',
  invalidLink: 'This invitation link is not valid. Check that the whole link was copied.',
  replacedLink:
    'This link was replaced by a newer one. Open the link in the most recent email from the employer, or ask them for it.',
  goneRevoked: 'This invitation was withdrawn by the employer.',
  goneExpired: 'This invitation has expired. Ask the employer for a new link.',
  goneFinished: 'This assessment has already finished: it was submitted or its time ran out.',
  unreachable: 'The assessment service cannot be reached right now. Check your connection.',
  busy: 'The assessment service is busy. Please try again in a moment.',
  tryAgain: 'Try again',
  cannotOpen: 'This assessment cannot be opened',
  notNow: 'The assessment cannot be shown just now',
  retryingOpen: 'This page tries again by itself every few seconds.',
  retryingOpenStarted:
    'This page tries again by itself every few seconds. Your time keeps running; answers chosen on this computer and not yet saved are kept here and sent once it opens.',
  starting: 'Starting…',
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
  matchHint: 'For each numbered item, choose its match from the lettered list.',
  matchChoices: 'Choose from',
  chooseMatch: 'Choose a match',
  chooseWord: 'Choose the word or phrase that fills the blank.',
  blank: '(blank)',
  keepOrder: 'Keep this order',
  moveUp: (text: string) => `Move up: ${text}`,
  moveDown: (text: string) => `Move down: ${text}`,
  movedTo: (text: string, pos: number, n: number) => `${text}: position ${pos} of ${n}.`,
  enterNumber: 'Enter a number.',
  typeAnswer: 'Type your answer.',
  numberLabel: 'Your answer (a number)',
  numberHint: 'Digits, with a point or a comma for decimals, for example 42 or 3.5.',
  numberInvalid: 'This is not a number: use digits, for example 42 or 3.5.',
  numberAmbiguous: (typed: string) =>
    `Not saved: ${typed} could be a whole number with a thousands separator or a decimal. Write it without the comma (for example 1000), or with a point for decimals (1.5).`,
  unit: (unit: string) => `Unit: ${unit}`,
  textLabel: 'Your answer',
  cannotRemove: 'A saved answer cannot be removed, only changed: your saved answer is shown again.',
  textHint: 'A short answer; it is saved when you pause typing or leave the field.',
  unsupported:
    'This page cannot show this kind of question yet. Go on with Next; it stays unanswered.',
  notAnswered: 'Not answered yet.',
  typing: 'Not saved yet: it is saved when you pause typing.',
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
  submitBusy:
    'The answers could not be submitted yet: the assessment service is busy. Your saved answers are kept: press Submit again in a moment.',
  submitUnsaved: (n: number) =>
    plural('en', n, {
      one: 'Not submitted yet: # answer is not saved (see “Not saved yet”); it is still being sent. Press Submit once it is saved, or press Submit again now to submit without it.',
      other:
        'Not submitted yet: # answers are not saved (see “Not saved yet”); they are still being sent. Press Submit once they are saved, or press Submit again now to submit without them.',
    }),
  submittedUnsaved: (n: number) =>
    plural('en', n, {
      one: '# answer chosen on this page could not be saved, so it was not submitted.',
      other: '# answers chosen on this page could not be saved, so they were not submitted.',
    }),
  fiveMinutes: 'Five minutes left.',
  oneMinute: 'One minute left.',
  moreTime: (time: string) => `You have been given more time: the new deadline is ${time}.`,
  previewBanner:
    'Preview: you are taking your own assessment as a candidate would. It is graded but never counted in results or statistics.',
  timeUpHeading: 'Time is up',
  timeUpSubmitting: 'Time is up. Your saved answers are being submitted…',
  timeUpSubmitted: (time: string) =>
    `Time ran out at ${time}. Your saved answers have been submitted.`,
  timeUpWaiting: (n: number, time: string) =>
    plural('en', n, {
      one: `# answer is not saved yet: this page keeps trying to send it until ${time}.`,
      other: `# answers are not saved yet: this page keeps trying to send them until ${time}.`,
    }),
  timeUpKept: (time: string) =>
    `Time ran out at ${time}. Your saved answers are kept and will be graded: the assessment is completed with them within a few minutes, and you do not need to do anything more.`,
  sendingKept: (n: number) =>
    plural('en', n, {
      one: 'Sending # answer chosen earlier on this computer that was not saved yet…',
      other: 'Sending # answers chosen earlier on this computer that were not saved yet…',
    }),
  keptReplaced: (questions: number[]) =>
    plural('en', questions.length, {
      one: `Question ${questions.join(', ')}: the answer you chose earlier on this computer had not been saved when the page closed, and another window has saved an answer since. That answer is kept and shown; change it if you wish.`,
      other: `Questions ${questions.join(', ')}: the answers you chose earlier on this computer had not been saved when the page closed, and another window has saved answers since. Those answers are kept and shown; change them if you wish.`,
    }),
  timeUpUnsaved: (n: number) =>
    plural('en', n, {
      one: '# answer chosen on this page could not be saved before the time ran out, so it was not submitted.',
      other:
        '# answers chosen on this page could not be saved before the time ran out, so they were not submitted.',
    }),
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
  adaptiveSection: (min: number, max: number) =>
    `${min === max ? max : `${min} to ${max}`} questions, each chosen from your answers so far`,
  adaptiveHowItWorks:
    'Sections marked as adaptive choose each question from your answers so far. There, answer the question and press Save and continue: that answer is final, and you cannot go back to it or change it.',
  saveAndContinue: 'Save and continue',
  chooseFirst: 'Choose or enter an answer first.',
  adaptiveNote: (left: number) =>
    `Adaptive section: your answer is final once saved, and you cannot go back. ${left ? `${plural('en', left, { one: 'At most # more question', other: 'At most # more questions' })} in this section after this one.` : 'This is the last question of this section.'}`,
  adaptiveFinal: 'Saved. Answers in an adaptive section are final.',
  sectionComplete: (area: string) => `${area}: this section is complete.`,
  questionNumber: (i: number) => `Question ${i}`,
  answeredCountUpTo: (a: number, n: number) => `${a} answered of up to ${n} questions`,
  stateFinal: 'final (adaptive)',
  reviewAdaptiveOpen: (area: string, left: number) =>
    `${area}: this adaptive section goes on (${plural('en', left, { one: 'at most # more question', other: 'at most # more questions' })}). Submitting now ends it.`,
  moreToCome: (n: number) =>
    plural('en', n, { one: 'up to # more question', other: 'up to # more questions' }),
  questionsUpTo: (n: number) =>
    plural('en', n, { one: 'up to # question', other: 'up to # questions' }),
};

export type Messages = typeof en;

const ru: Messages = {
  languageName: 'Русский',
  appName: 'Assay',
  loading: 'Загружаем задание…',
  noToken:
    'Для этой страницы нужна ссылка из приглашения. Откройте ссылку в точности такой, какой её получили.',
  invalidLink: 'Ссылка приглашения недействительна. Проверьте, что она скопирована целиком.',
  replacedLink:
    'Эта ссылка заменена новой. Откройте ссылку из последнего письма работодателя или попросите её у него.',
  goneRevoked: 'Работодатель отозвал это приглашение.',
  goneExpired: 'Срок действия приглашения истёк. Попросите у работодателя новую ссылку.',
  goneFinished: 'Это задание уже завершено: ответы отправлены или время вышло.',
  unreachable: 'Сервис сейчас недоступен. Проверьте подключение к интернету.',
  busy: 'Сервис перегружен. Попробуйте ещё раз через минуту.',
  tryAgain: 'Попробовать снова',
  cannotOpen: 'Задание не удаётся открыть',
  notNow: 'Задание сейчас не удаётся показать',
  retryingOpen: 'Страница будет пробовать снова сама каждые несколько секунд.',
  retryingOpenStarted:
    'Страница будет пробовать снова сама каждые несколько секунд. Время задания идёт; ответы, выбранные на этом компьютере и ещё не сохранённые, хранятся здесь и будут отправлены, когда задание откроется.',
  starting: 'Начинаем…',
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
  matchHint: 'Для каждого пронумерованного пункта выберите соответствие из списка с буквами.',
  matchChoices: 'Варианты',
  chooseMatch: 'Выберите соответствие',
  chooseWord: 'Выберите слово или фразу, которые заполняют пропуск.',
  blank: '(пропуск)',
  keepOrder: 'Оставить этот порядок',
  moveUp: (text: string) => `Выше: ${text}`,
  moveDown: (text: string) => `Ниже: ${text}`,
  movedTo: (text: string, pos: number, n: number) => `${text}: место ${pos} из ${n}.`,
  enterNumber: 'Введите число.',
  typeAnswer: 'Введите ответ.',
  numberLabel: 'Ваш ответ (число)',
  numberHint: 'Цифры, дробная часть — через точку или запятую, например 42 или 3,5.',
  numberInvalid: 'Это не число: введите цифры, например 42 или 3,5.',
  numberAmbiguous: (typed: string) =>
    `Не сохранено: ${typed} можно прочитать и как целое число с разделителем тысяч, и как дробь. Напишите без запятой (например, 1000) или с точкой для дробной части (1.5).`,
  unit: (unit: string) => `Единица: ${unit}`,
  textLabel: 'Ваш ответ',
  cannotRemove:
    'Сохранённый ответ нельзя удалить, только изменить: сохранённый ответ показан снова.',
  textHint: 'Короткий ответ; он сохраняется, когда вы делаете паузу или уходите из поля.',
  unsupported:
    'Эта страница пока не умеет показывать такой вопрос. Переходите дальше; вопрос останется без ответа.',
  notAnswered: 'Ответа пока нет.',
  typing: 'Ещё не сохранено: ответ сохранится, когда вы перестанете печатать.',
  saving: 'Сохраняем…',
  saved: 'Сохранено.',
  savedAt: (time: string) => `Сохранено в ${time}.`,
  retrying: 'Не сохранено — повторяем попытку.',
  offline:
    'Не сохранено — нет подключения. Ответ будет отправлен по порядку, когда связь вернётся.',
  // The server's `detail` is English: not shown in Russian, whose sentence stands alone.
  rejected: () => 'Не сохранено: сервер не принял этот ответ. Измените ответ или перейдите дальше.',
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
  submitBusy:
    'Ответы пока не удалось отправить: сервис перегружен. Сохранённые ответы не потеряны: нажмите «Отправить» ещё раз через минуту.',
  submitUnsaved: (n: number) =>
    plural('ru', n, {
      one: 'Пока не отправлено: # ответ не сохранён (см. «Ещё не сохранены»), он ещё отправляется. Нажмите «Отправить», когда он сохранится, или нажмите «Отправить» ещё раз сейчас, чтобы отправить без него.',
      few: 'Пока не отправлено: # ответа не сохранены (см. «Ещё не сохранены»), они ещё отправляются. Нажмите «Отправить», когда они сохранятся, или нажмите «Отправить» ещё раз сейчас, чтобы отправить без них.',
      many: 'Пока не отправлено: # ответов не сохранены (см. «Ещё не сохранены»), они ещё отправляются. Нажмите «Отправить», когда они сохранятся, или нажмите «Отправить» ещё раз сейчас, чтобы отправить без них.',
      other:
        'Пока не отправлено: # ответа не сохранены (см. «Ещё не сохранены»), они ещё отправляются. Нажмите «Отправить», когда они сохранятся, или нажмите «Отправить» ещё раз сейчас, чтобы отправить без них.',
    }),
  submittedUnsaved: (n: number) =>
    plural('ru', n, {
      one: '# ответ, выбранный на этой странице, не удалось сохранить, поэтому он не отправлен.',
      few: '# ответа, выбранных на этой странице, не удалось сохранить, поэтому они не отправлены.',
      many: '# ответов, выбранных на этой странице, не удалось сохранить, поэтому они не отправлены.',
      other:
        '# ответа, выбранных на этой странице, не удалось сохранить, поэтому они не отправлены.',
    }),
  fiveMinutes: 'Осталось пять минут.',
  oneMinute: 'Осталась одна минута.',
  moreTime: (time: string) => `Вам дали больше времени: новый срок — ${time}.`,
  previewBanner:
    'Предпросмотр: вы проходите своё задание так, как его проходит кандидат. Оно оценивается, но не попадает ни в результаты, ни в статистику.',
  timeUpHeading: 'Время вышло',
  timeUpSubmitting: 'Время вышло. Отправляем сохранённые ответы…',
  timeUpSubmitted: (time: string) => `Время вышло в ${time}. Сохранённые ответы отправлены.`,
  timeUpWaiting: (n: number, time: string) =>
    plural('ru', n, {
      one: `# ответ ещё не сохранён: страница будет пытаться отправить его до ${time}.`,
      few: `# ответа ещё не сохранены: страница будет пытаться отправить их до ${time}.`,
      many: `# ответов ещё не сохранены: страница будет пытаться отправить их до ${time}.`,
      other: `# ответа ещё не сохранены: страница будет пытаться отправить их до ${time}.`,
    }),
  timeUpKept: (time: string) =>
    `Время вышло в ${time}. Сохранённые ответы не потеряны и будут оценены: задание завершится с ними в течение нескольких минут, больше ничего делать не нужно.`,
  sendingKept: (n: number) =>
    plural('ru', n, {
      one: 'Отправляем # ответ, выбранный раньше на этом компьютере и ещё не сохранённый…',
      few: 'Отправляем # ответа, выбранных раньше на этом компьютере и ещё не сохранённых…',
      many: 'Отправляем # ответов, выбранных раньше на этом компьютере и ещё не сохранённых…',
      other: 'Отправляем # ответа, выбранных раньше на этом компьютере и ещё не сохранённых…',
    }),
  keptReplaced: (questions: number[]) =>
    questions.length === 1
      ? `Вопрос ${questions[0]}: ответ, выбранный раньше на этом компьютере, не успел сохраниться до закрытия страницы, а с тех пор в другом окне сохранили другой ответ. Сохранённый ответ оставлен и показан; при желании его можно изменить.`
      : `Вопросы ${questions.join(', ')}: ответы, выбранные раньше на этом компьютере, не успели сохраниться до закрытия страницы, а с тех пор в другом окне сохранили другие ответы. Сохранённые ответы оставлены и показаны; при желании их можно изменить.`,
  timeUpUnsaved: (n: number) =>
    plural('ru', n, {
      one: '# ответ, выбранный на этой странице, не удалось сохранить до конца времени, поэтому он не отправлен.',
      few: '# ответа, выбранных на этой странице, не удалось сохранить до конца времени, поэтому они не отправлены.',
      many: '# ответов, выбранных на этой странице, не удалось сохранить до конца времени, поэтому они не отправлены.',
      other:
        '# ответа, выбранных на этой странице, не удалось сохранить до конца времени, поэтому они не отправлены.',
    }),
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
  areaNames: AREA_NAMES_RU,
  minutes: (n: number) =>
    plural('ru', n, { one: '# минута', few: '# минуты', many: '# минут', other: '# минуты' }),
  hours: (n: number) =>
    plural('ru', n, { one: '# час', few: '# часа', many: '# часов', other: '# часа' }),
  seconds: (n: number) =>
    plural('ru', n, { one: '# секунда', few: '# секунды', many: '# секунд', other: '# секунды' }),
  questions: (n: number) =>
    plural('ru', n, { one: '# вопрос', few: '# вопроса', many: '# вопросов', other: '# вопроса' }),
  adaptiveSection: (min: number, max: number) =>
    `${min === max ? max : `от ${min} до ${max}`} вопросов, каждый подбирается по вашим предыдущим ответам`,
  adaptiveHowItWorks:
    'В адаптивных разделах каждый следующий вопрос подбирается по вашим предыдущим ответам. Там ответьте и нажмите «Сохранить и продолжить»: этот ответ окончательный, вернуться к вопросу и изменить ответ нельзя.',
  saveAndContinue: 'Сохранить и продолжить',
  chooseFirst: 'Сначала выберите или введите ответ.',
  adaptiveNote: (left: number) =>
    `Адаптивный раздел: сохранённый ответ окончательный, вернуться назад нельзя. ${left ? `После этого вопроса в разделе ${plural('ru', left, { one: 'не больше # вопроса', few: 'не больше # вопросов', many: 'не больше # вопросов', other: 'не больше # вопроса' })}.` : 'Это последний вопрос раздела.'}`,
  adaptiveFinal: 'Сохранено. Ответы в адаптивном разделе окончательные.',
  sectionComplete: (area: string) => `${area}: раздел завершён.`,
  questionNumber: (i: number) => `Вопрос ${i}`,
  answeredCountUpTo: (a: number, n: number) => `Отвечено: ${a} из не более чем ${n}`,
  stateFinal: 'окончательный (адаптивный раздел)',
  reviewAdaptiveOpen: (area: string, left: number) =>
    `${area}: адаптивный раздел не закончен (${plural('ru', left, { one: 'не больше # вопроса', few: 'не больше # вопросов', many: 'не больше # вопросов', other: 'не больше # вопроса' })}). Если отправить сейчас, раздел завершится.`,
  moreToCome: (n: number) =>
    plural('ru', n, {
      one: 'ещё не больше # вопроса',
      few: 'ещё не больше # вопросов',
      many: 'ещё не больше # вопросов',
      other: 'ещё не больше # вопроса',
    }),
  questionsUpTo: (n: number) =>
    plural('ru', n, {
      one: 'не больше # вопроса',
      few: 'не больше # вопросов',
      many: 'не больше # вопросов',
      other: 'не больше # вопроса',
    }),
};

export const CATALOGUE: Readonly<Record<Locale, Messages>> = { en, ru };
