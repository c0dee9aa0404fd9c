/** The cart's own limits (API.md "Cart"). Line arithmetic and stock checks are in src/lines/line-math.ts. */

/** A line may hold 1..100 units: the request bound of API.md also caps a merged line. */
export const MAX_LINE_QUANTITY = 100;
/** Distinct products per cart: checkout reads them in one query, and D1 binds at most 100 parameters. */
export const MAX_CART_LINES = 100;
