/** Reviews: request body and response view (API.md "Catalog (public)", reviews rows). */
import * as z from 'zod/mini';
import { freeText, maxChars } from '../lib/text';

const RATING_MESSAGE = 'must be an integer from 1 to 5';

export const ReviewBody = z.object({
  rating: z.number({ error: RATING_MESSAGE }).check(z.int(RATING_MESSAGE), z.gte(1, RATING_MESSAGE), z.lte(5, RATING_MESSAGE)),
  comment: z.pipe(
    z.nullish(freeText({ error: 'must be a string' }).check(z.trim(), maxChars(2000))),
    z.transform((v: string | null | undefined) => v ?? ''),
  ),
});
export type ReviewBody = z.output<typeof ReviewBody>;

export const ReviewView = z.object({
  id: z.int(),
  product_id: z.int(),
  user: z.object({ name: z.string().check(z.describe('First name and last initial, e.g. "Ada L."; never a user id or email')) }),
  rating: z.int(),
  comment: z.string(),
  verified_purchase: z
    .boolean()
    .check(z.describe('The reviewer had a confirmed, shipped or delivered order with this product when writing the review')),
  created_at: z.string(),
  updated_at: z.string(),
});
export type ReviewView = z.infer<typeof ReviewView>;

export interface ReviewRow {
  id: number;
  productId: number;
  userId: number;
  firstName: string;
  lastName: string;
  rating: number;
  comment: string;
  verifiedPurchase: boolean;
  createdAt: string;
  updatedAt: string;
}

/** Public display name: never the email, only the first name and the last name's initial. */
export function displayName(firstName: string, lastName: string): string {
  const first = firstName.trim();
  const initial = (Array.from(lastName.trim())[0] ?? '').toUpperCase();
  const name = [first, initial && `${initial}.`].filter(Boolean).join(' ');
  return name || 'Anonymous';
}

export function reviewView(r: ReviewRow): ReviewView {
  return {
    id: r.id,
    product_id: r.productId,
    user: { name: displayName(r.firstName, r.lastName) },
    rating: r.rating,
    comment: r.comment,
    verified_purchase: r.verifiedPurchase,
    created_at: r.createdAt,
    updated_at: r.updatedAt,
  };
}
