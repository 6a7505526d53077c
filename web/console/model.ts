/** What the console reads from the API (the fields it uses of the OpenAPI schemas). */

export interface Section {
  area: string;
  count: number;
  difficulty: 1 | 2 | 3 | 'mixed';
  questionPool: number;
  /** Adaptive sections: the stopping rule (count is maxItems) and what the pool can reach. */
  mode?: 'adaptive';
  minItems?: number;
  maxItems?: number;
  targetStandardError?: number;
  bestStandardError?: number;
}

export interface Assessment {
  assessmentId: string;
  title: string;
  timeLimitMinutes: number;
  passingScore?: number;
  showResultToCandidate: boolean;
  sections: Section[];
  questionCount: number;
  instructions?: string;
  remindBeforeExpiryHours?: number;
  /** Whether time limit and sections may still change (false once an attempt has started). */
  contentEditable?: boolean;
  contentLockedAt?: string;
  createdAt: string;
  updatedAt?: string;
  archivedAt?: string;
}

export interface Delivery {
  status: string;
  message: string;
  at: string;
  reason?: string;
}

export interface Invitation {
  invitationId: string;
  status: string;
  expiresAt: string;
  candidate: { name?: string; email?: string; externalId?: string; locale?: string };
  extraTimePercent: number;
  createdAt: string;
  attemptId?: string;
  token?: string;
  delivery?: Delivery;
}

export interface Organisation {
  org: string;
  name: string;
  accessibilityContact?: string;
  replyTo?: string;
  updatedAt?: string;
  /** Whether this deployment sends email; absent from servers older than the field. */
  sendsMail?: boolean;
}
