/**
 * How an uploaded bank's text becomes a bank: its format from the Content-Type (and `?format`),
 * then the format's parser. One place, used by the upload request (small banks), the import
 * job (large ones and part-wise imports) and nothing else, so that both read a file alike.
 */
import { type Bank, readBank } from './bank.ts';
import { DomainError } from './errors.ts';
import { parseGift } from './gift.ts';

export type UploadFormat = 'json' | 'yaml' | 'gift';

/** What a part's text is and, for GIFT, the defaults from the query. */
export interface UploadSpec {
  format: UploadFormat;
  area?: string;
  difficulty?: 1 | 2 | 3;
}

const YAML_TYPES = new Set(['application/yaml', 'application/x-yaml', 'text/yaml']);

/** The bank format from ?format and the Content-Type; GIFT only as text/plain. */
export function uploadFormat(
  contentType: string | undefined,
  format: string | undefined,
): UploadFormat {
  if (format === 'gift') {
    if (contentType !== 'text/plain') {
      throw new DomainError('unsupported-media-type', 'GIFT uploads use Content-Type: text/plain.');
    }
    return 'gift';
  }
  if (contentType === 'application/json') return 'json';
  if (contentType && YAML_TYPES.has(contentType)) return 'yaml';
  if (contentType === 'text/plain' && format === 'yaml') return 'yaml';
  throw new DomainError(
    'unsupported-media-type',
    'A text/plain upload needs ?format=gift (or ?format=yaml).',
  );
}

export { MAX_UPLOAD_TEXT_BYTES } from './upload-limits.ts';

/** Parse and validate an uploaded text: the bank, or a ValidationError locating every problem. */
export function parseUpload(text: string, spec: UploadSpec): Bank {
  return spec.format === 'gift'
    ? parseGift(text, {
        ...(spec.area ? { area: spec.area } : {}),
        ...(spec.difficulty ? { difficulty: spec.difficulty } : {}),
      })
    : readBank(text, spec.format);
}
