/** SES's news about a sent email, shaped as its EventBridge destination delivers it (tests). */

/** An SES event as the configuration set's EventBridge destination delivers it. */
export function sesEvent(
  detailType: string,
  invitationId: string,
  message: number,
  detail: Record<string, unknown>,
) {
  return {
    'detail-type': detailType,
    source: 'aws.ses',
    time: '2026-11-20T10:00:05Z',
    detail: {
      ...detail,
      mail: {
        timestamp: '2026-11-20T09:58:00.000Z',
        messageId: '0100018c-example',
        destination: ['someone@example.test'],
        tags: {
          'ses:configuration-set': ['assay-mail'],
          'assay-invitation': [invitationId],
          'assay-message': [String(message)],
        },
      },
    },
  };
}
