/**
 * The trend taxonomy. Area ids are API values: keep them stable. Adding an area is one
 * entry here plus its questions in `questions/<id>.yaml`.
 */
export type AreaKind = 'technical' | 'soft';

export interface Area {
  id: string;
  name: string;
  kind: AreaKind;
  description: string;
}

export const AREAS = [
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

export type AreaId = (typeof AREAS)[number]['id'];

export const AREA_IDS = AREAS.map((a) => a.id) as [AreaId, ...AreaId[]];

const byId = new Map<string, Area>(AREAS.map((a) => [a.id, a]));

/** The area with this id, or undefined for an unknown id. */
export function findArea(id: string): Area | undefined {
  return byId.get(id);
}
