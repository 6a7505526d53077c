/**
 * The trend taxonomy: everything about an area is its entry here. Area ids are API values:
 * keep them stable. Adding an area is one entry here plus its questions in
 * `questions/<id>.yaml`; lists, counts, reports and the bank gate read this list.
 */
export type AreaKind = 'technical' | 'soft';

export interface Area {
  id: string;
  name: string;
  kind: AreaKind;
  description: string;
  /**
   * `growing`: the shipped bank has fewer questions here than the standard of its kind
   * (`bank-standard.ts`); the bank gate checks that it is valid and still below the standard,
   * and `npm run bank:report` shows what it lacks. Absent: the area meets the standard.
   */
  bank?: 'growing';
}

const ENTRIES = [
  {
    id: 'microservices',
    name: 'Microservices',
    kind: 'technical',
    description: 'Service decomposition, design patterns, Docker, Kubernetes, containers.',
  },
  {
    id: 'serverless',
    name: 'Serverless',
    kind: 'technical',
    description:
      'AWS Lambda, Azure Functions, Google Cloud Functions, event-driven design, cold starts, cost.',
  },
  {
    id: 'api-first',
    name: 'API-first development',
    kind: 'technical',
    description: 'REST, GraphQL, API design and versioning, OpenAPI, API security and management.',
  },
  {
    id: 'real-time-data',
    name: 'Real-time data',
    kind: 'technical',
    description: 'Kafka, Redis, streaming, real-time databases, back-pressure, exactly-once.',
  },
  {
    id: 'devops-cicd',
    name: 'DevOps and CI/CD',
    kind: 'technical',
    description:
      'CI/CD (Jenkins, GitLab CI, CircleCI, GitHub Actions), DevOps culture, release strategies.',
  },
  {
    id: 'ai-ml',
    name: 'AI/ML integration',
    kind: 'technical',
    description: 'Python, TensorFlow, PyTorch, serving and integrating models in backends, MLOps.',
  },
  {
    id: 'security',
    name: 'Security',
    kind: 'technical',
    description:
      'Secure coding, encryption, authentication and authorization, OWASP, data privacy, compliance.',
  },
  {
    id: 'cloud-native',
    name: 'Cloud-native',
    kind: 'technical',
    description: 'Managed databases, cloud architectures, resilience, portability, observability.',
  },
  {
    id: 'modern-languages',
    name: 'Go and Rust',
    kind: 'technical',
    description: 'Go and Rust: concurrency, memory safety, performance trade-offs.',
  },
  {
    id: 'problem-solving',
    name: 'Problem-solving',
    kind: 'soft',
    description: 'Structuring ambiguous problems, debugging under pressure, trade-off reasoning.',
  },
  {
    id: 'communication',
    name: 'Communication',
    kind: 'soft',
    description: 'Explaining technical decisions, writing, cross-team communication.',
  },
  {
    id: 'adaptability',
    name: 'Adaptability',
    kind: 'soft',
    description: 'Learning new technologies quickly, resilience, handling change.',
  },
  {
    id: 'collaboration',
    name: 'Collaboration',
    kind: 'soft',
    description: 'Cross-functional teamwork, reviews, conflict, long-term commitment to a team.',
  },
] as const satisfies readonly Area[];

export type AreaId = (typeof ENTRIES)[number]['id'];

/** The areas in taxonomy order (reports and profiles list them so). */
export const AREAS: readonly (Area & { id: AreaId })[] = ENTRIES;

// Pure (see domain/z.ts): a bundle that never reads an area (the statistics job) leaves the
// taxonomy out.
export const AREA_IDS = /* @__PURE__ */ (() => AREAS.map((a) => a.id) as [AreaId, ...AreaId[]])();

const byId = /* @__PURE__ */ (() => new Map<string, Area>(AREAS.map((a) => [a.id, a])))();

/** The area with this id, or undefined for an unknown id. */
export function findArea(id: string): Area | undefined {
  return byId.get(id);
}

/**
 * The areas' names in Russian: the candidate app's (`web/candidate/i18n.ts`) and the emails'.
 * English names are the `name`s above.
 */
export const AREA_NAMES_RU: Readonly<Record<AreaId, string>> = {
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
};

/**
 * What to do next in each area: `gap` to close a weakness, `strength` to build on one (the
 * result's `development`). Apart from `ENTRIES` so that only the functions that build results
 * bundle the texts (esbuild leaves an unused constant out): the authoring function, for one,
 * never reads them.
 */
export const AREA_DEVELOPMENT: Readonly<Record<AreaId, { gap: string; strength: string }>> = {
  microservices: {
    gap: 'Split a small monolith into two services on a local Kubernetes (kind or k3d): give each its own datastore, talk over HTTP with timeouts and retries, and watch what happens when one service is down.',
    strength:
      'Take on a service-boundary review: map an existing system’s synchronous call chains and propose where an outbox, a saga or a merge of chatty services would cut coupling.',
  },
  serverless: {
    gap: 'Build an SQS-triggered Lambda with partial batch failures, a dead-letter queue and idempotent writes, then measure its cold starts and cost per million events.',
    strength:
      'Profile a production function’s cold start and bill: bundle size, memory setting, provisioned concurrency against SnapStart, and write up the trade-off for the team.',
  },
  'api-first': {
    gap: 'Write the OpenAPI document for a small API before any code: pagination with cursors, problem+json errors, idempotency keys on POST, then generate a client and a contract test from it.',
    strength:
      'Lead an API design review: set a versioning and deprecation policy, lint specs in CI (Spectral) and check breaking changes against the published contract.',
  },
  'real-time-data': {
    gap: 'Practise consumer-group rebalancing and idempotent consumers on a local Kafka: kill a consumer mid-batch, replay the partition, and make the sink tolerate duplicates.',
    strength:
      'Design a streaming pipeline end to end: partition keys for ordering, back-pressure from a slow sink, exactly-once semantics with transactions, and consumer-lag alerts.',
  },
  'devops-cicd': {
    gap: 'Build a GitHub Actions pipeline that tests, builds an image once and promotes the same artefact to staging and production, with a one-click rollback.',
    strength:
      'Introduce progressive delivery: a canary or blue/green release gated by error-rate and latency metrics, with automatic rollback and DORA metrics on a dashboard.',
  },
  'ai-ml': {
    gap: 'Serve a small pretrained model (a scikit-learn or PyTorch classifier) behind an HTTP endpoint with input validation, a timeout, batching and a fallback when the model is slow.',
    strength:
      'Own a model in production: version it with its data, shadow-deploy the next one, monitor drift and latency, and define when the backend falls back to rules.',
  },
  security: {
    gap: 'Work through the OWASP Top 10 on a deliberately vulnerable app (Juice Shop): exploit injection, broken access control and SSRF, then fix each in the code and add a test.',
    strength:
      'Run a threat-modelling session (STRIDE) on a real feature, then add secret scanning, dependency audits and least-privilege IAM checks to the pipeline.',
  },
  'cloud-native': {
    gap: 'Deploy a service on a managed database with health checks, structured logs, traces (OpenTelemetry) and a dashboard, then break a dependency and follow the incident through the telemetry.',
    strength:
      'Lead a resilience exercise: set SLOs and error budgets for a service, run a game day with injected faults and turn the findings into runbooks.',
  },
  'modern-languages': {
    gap: 'Write the same concurrent worker pool in Go (goroutines, channels, context cancellation) and in Rust (ownership, Send/Sync, tokio), and compare the bugs each compiler catches.',
    strength:
      'Port a hot path to Go or Rust and benchmark it honestly: allocations, tail latency and memory under load, and write down when the rewrite is not worth it.',
  },
  'problem-solving': {
    gap: 'Practise timed debugging: reproduce a bug from a vague report, write down hypotheses before touching code, bisect, and explain the root cause and the trade-off of the fix.',
    strength:
      'Take the ambiguous problems on the roadmap: frame options with their costs and risks in a one-page decision record, and run the post-incident reviews.',
  },
  communication: {
    gap: 'Write a one-page design note for a recent change (context, options, decision, consequences) and present it in five minutes to someone outside the team; ask what was unclear.',
    strength:
      'Own cross-team communication for a project: write the RFC, run the review, and keep a changelog and status updates that non-engineers can follow.',
  },
  adaptability: {
    gap: 'Pick an unfamiliar technology from the stack and ship a small, reviewed change with it within two weeks, keeping a log of what slowed you down and how you got unstuck.',
    strength:
      'Help others through change: pair on a migration, write the getting-started guide for a new tool, and lead a retrospective when plans shift.',
  },
  collaboration: {
    gap: 'Practise review and pairing habits: give specific, kind code-review comments, pair weekly with someone from another function, and resolve one disagreement by writing down both positions.',
    strength:
      'Mentor a newer engineer through a project and facilitate a cross-functional planning session, making sure quieter voices and other teams’ constraints are heard.',
  },
};
