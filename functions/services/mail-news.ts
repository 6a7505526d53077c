/**
 * The mail-events job's work: record what SES reports about a message on its invitation. Apart
 * from services/mail.ts so that the mail-events bundle loads no mail client and no mail-token
 * key. See docs/mail.md.
 */
import { recordDelivery } from '../data/outbox.ts';
import type { DeliveryNews } from '../domain/mail-events.ts';
import { logger } from '../http/logger.ts';

/** Record SES's news about a message; false when it changes nothing. */
export async function recordNews(news: DeliveryNews): Promise<boolean> {
  const recorded = await recordDelivery(news);
  (await logger()).info('Mail event', {
    invitationId: news.invitationId,
    seq: news.seq,
    state: news.state,
    recorded,
  });
  return recorded;
}
