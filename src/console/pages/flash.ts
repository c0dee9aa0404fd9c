/**
 * The messages shown after a redirect (`?flash=saved`). Only these fixed texts can appear: a query parameter
 * never puts its own text on the page.
 */
export const FLASH: Record<string, string> = {
  created: 'Product created. Add images and check the stock below.',
  saved: 'Changes saved.',
  stock: 'Stock updated.',
  archived: 'Product archived: it is hidden from the shop.',
  restored: 'Product restored: it is visible in the shop again.',
  deleted: 'Product deleted.',
  image_added: 'Image uploaded.',
  image_moved: 'Image order saved.',
  image_deleted: 'Image deleted.',
  category_created: 'Category created.',
  category_saved: 'Category saved.',
  category_deleted: 'Category deleted; its products are now uncategorised.',
  status: 'Order status updated.',
  order_deleted: 'Order deleted.',
  user_saved: 'User updated.',
  reply_sent: 'Reply sent.',
};
