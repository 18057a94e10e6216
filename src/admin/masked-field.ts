import { MASK } from '../recipients/index.js';

/*
 * A saved secret that the edit form shows masked until "Show" (the URL's credentials, the extra
 * headers' values): one set of rules for each of them, so that they cannot drift apart.
 */

/** How a field's value is shown masked (maskUrl, or every header value as •••). */
export type Mask = (value: string) => string;

/**
 * The value a form posted for a secret it showed masked. Posted back exactly as masked, it means
 * "keep the saved one"; any other value that still holds the mask is `stillMasked`, to be
 * refused, so that a mask is never saved as part of a secret.
 */
export function unmasked(
  posted: string,
  saved: string | undefined,
  mask: Mask,
): { value: string; stillMasked: boolean } {
  if (saved !== undefined && posted === mask(saved)) return { value: saved, stillMasked: false };
  return { value: posted, stillMasked: posted.includes(MASK) };
}

/**
 * Whether a refused form shows a posted value again as it was: when it holds something the mask
 * would hide (typed, or after "Show"). Posted masked, it stays masked.
 */
export const postedInFull = (posted: string, mask: Mask): boolean => mask(posted) !== posted;

/** The edit form's fields that hold a saved secret, each with its own Show (`?show=url`). */
export const SHOWABLE_FIELDS = ['url', 'headers'] as const;
export type ShowableField = (typeof SHOWABLE_FIELDS)[number];

export const isShowable = (name: unknown): name is ShowableField =>
  SHOWABLE_FIELDS.includes(name as ShowableField);
