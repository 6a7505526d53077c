/**
 * SES's events about sent mail (from the configuration set's EventBridge destination): each
 * delivery, bounce, complaint or rejection is recorded on the invitation the message belongs to
 * (its message tags name it), so the invitations list shows `delivered`, or `undeliverable`
 * with the reason. Events arrive out of order and sometimes twice: recording is conditioned on
 * the message and on the states the news may follow.
 */
import type { EventBridgeEvent } from 'aws-lambda';
import { deliveryNewsOf } from '../domain/mail-events.ts';
import { recordNews } from '../services/mail-news.ts';

export async function handler(
  event: Pick<EventBridgeEvent<string, unknown>, 'detail' | 'time'>,
): Promise<{ recorded: boolean }> {
  const news = deliveryNewsOf(event);
  return { recorded: news ? await recordNews(news) : false };
}
