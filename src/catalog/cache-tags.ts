/**
 * What each cached catalog answer depends on, as tags, and what each write must invalidate. Scoped on purpose:
 * a review on product A purges A's answers and nothing else (product B's cached detail stays a hit).
 *
 * Tags of an answer:
 *   p<id>    every answer that shows product <id>: its detail, its reviews, each list page containing it
 *   pc<id>   every product answer that embeds category <id>'s name/slug (details and list pages)
 *   c<id>    category <id>'s detail and each category list page that contains it (its product_count)
 *   cl       every category list page (membership and alphabetical order)
 *   pl       every product list page NOT filtered by category (any product can enter or leave it, and its count)
 *   pl:c<id> every product list page filtered by category <id> (same, for that category's products)
 *   pl:e     every cached EMPTY product list filtered by a category (the key's category could not be resolved
 *            from the rows: an unknown key, or no match yet); cheap to rebuild, so any membership change purges it
 */
export const tag = {
  product: (id: number) => `p${id}`,
  productCategory: (id: number) => `pc${id}`,
  category: (id: number) => `c${id}`,
  categoryLists: 'cl',
  productLists: 'pl',
  productListsOf: (categoryId: number) => `pl:c${categoryId}`,
  emptyCategoryLists: 'pl:e',
} as const;

const unique = (tags: (string | null | undefined | false)[]): string[] => [...new Set(tags.filter((t): t is string => !!t))];

/** A review or an image change of a product: only the answers that show it. */
export const productContentChanged = (productId: number) => [tag.product(productId)];

/**
 * A product created, edited, archived or deleted, or its stock set by an admin: its own answers, the lists it
 * was or now is eligible for (membership and counts), and the product_count of its old and new category.
 */
export function productChanged(productId: number, categoryIds: (number | null | undefined)[]): string[] {
  return unique([
    tag.product(productId),
    tag.productLists,
    tag.emptyCategoryLists,
    ...categoryIds.flatMap((id) => (id == null ? [] : [tag.productListsOf(id), tag.category(id)])),
  ]);
}

/** A category created, renamed or deleted: its own answers, the category lists, and product answers embedding it. */
export function categoryChanged(categoryId: number | null): string[] {
  return unique([
    tag.categoryLists,
    tag.emptyCategoryLists,
    categoryId != null && tag.category(categoryId),
    categoryId != null && tag.productCategory(categoryId),
    categoryId != null && tag.productListsOf(categoryId),
  ]);
}

interface ProductJson {
  id: number;
  category: { id: number } | null;
}

/** Tags of a product detail answer. */
export const productDetailTags = (p: ProductJson) => unique([tag.product(p.id), p.category && tag.productCategory(p.category.id)]);

/** Tags of a product list page: its rows, and the list family it belongs to. */
export function productListTags(page: { results: ProductJson[] }, filteredByCategory: boolean): string[] {
  const rows = page.results;
  let family: string = tag.productLists;
  if (filteredByCategory) {
    // Every row of a category-filtered page has that category, so the first row names it.
    const categoryId = rows[0]?.category?.id;
    family = categoryId === undefined ? tag.emptyCategoryLists : tag.productListsOf(categoryId);
  }
  return unique([family, ...rows.flatMap((p) => productDetailTags(p))]);
}

/** Tags of a category list page and of a category detail. */
export const categoryListTags = (page: { results: { id: number }[] }) => unique([tag.categoryLists, ...page.results.map((c) => tag.category(c.id))]);
export const categoryDetailTags = (c: { id: number }) => [tag.category(c.id)];
